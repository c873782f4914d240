#!/usr/bin/python3
# ruff: noqa: I001  (uno must be imported before com.sun.star; run by /usr/bin/python3)
"""Edit a .docx in a real LibreOffice (headless, over UNO) with Track Changes ON.

Usage (must be Debian's /usr/bin/python3, which has python3-uno):

    /usr/bin/python3 uno_edit.py IN.docx OUT.docx OPS.json \
        [--author "Given Surname"] [--no-track] [--port N] [--timeout SEC]

OPS.json is a JSON list of operations, applied in order.  Paragraphs are
found by a substring of their text (``para`` key); the body is searched first
(including table cells, recursively), then footnotes if ``"in": "footnotes"``.
``nth`` (default 0) picks among several matching paragraphs.

    {"op": "replace", "para": "text in the paragraph", "find": "old", "with": "new"}
    {"op": "insert_text", "para": "text in the paragraph", "after": "words", "text": " more"}
        (typed after the words, nothing deleted)
    {"op": "insert_after", "para": "text in the paragraph", "text": "New paragraph",
     "style": "optional paragraph style name"}
    {"op": "delete", "para": "text in the paragraph"}
    {"op": "comment", "para": "text in the paragraph", "anchor": "range text",
     "text": "comment body", "author": "optional, default --author",
     "initials": "optional", "date": "optional ISO datetime",
     "untracked": false}
    {"op": "cell_replace", "table": 0, "cell": "B2", "find": "old", "with": "new"}
        (table = index in document order, or the table's name e.g. "Table1")
    {"op": "set_text", "para": "...", "text": "whole new paragraph text"}
    {"op": "split", "para": "...", "after": "text after which Enter is pressed"}
    {"op": "merge_next", "para": "..."}           (delete the paragraph mark)
    {"op": "set_style", "para": "...", "style": "Heading 2"}
    {"op": "insert_row", "table": 1, "after": 1, "cells": {"B": "1.7:\tA new target"}}
        (a row after row `after`, 0-based; cells by column letter)
    {"op": "delete_row", "table": 1, "row": 3}
    {"op": "move_after", "para": "text of the paragraph moved", "after": "text of the
     paragraph it goes after"}  (copied there, then deleted: LibreOffice records a move)
    {"op": "accept_all"} / {"op": "reject_all"}   (dispatcher commands)
    {"op": "track", "on": false}                  (toggle change recording)
    {"op": "sleep", "seconds": 5}                 (test hook for timeouts)

On success prints a JSON summary to stdout (ops done, redlines recorded in
the document before saving, timings) and exits 0.  Exits 1 on a failed
operation (nothing is saved), 2 on a LibreOffice start/connection failure,
3 when --deadline is exceeded (soffice is killed), 4 on any other
LibreOffice/UNO error (e.g. soffice crashed: DisposedException).

Process hygiene: LibreOffice runs with a private throw-away profile on a free
loopback port and is always terminated (desktop.terminate(), then SIGTERM /
SIGKILL of its process group).  The input is copied into a private temp dir
before loading, so a crash never leaves ``.~lock.IN.docx#`` next to the
caller's file (a stale lock file makes the next headless load silently
return None).
"""

import argparse
import datetime as _dt
import json
import os
import shutil
import signal
import threading
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from lo_session import LibreOffice
from com.sun.star.text.ControlCharacter import PARAGRAPH_BREAK


class OpError(Exception):
    pass


# ---------------------------------------------------------------------------
# paragraph discovery
# ---------------------------------------------------------------------------
def iter_paragraphs(text):
    """Yield every paragraph of an XText, descending into tables' cells."""
    enum = text.createEnumeration()
    while enum.hasMoreElements():
        el = enum.nextElement()
        if el.supportsService("com.sun.star.text.Paragraph"):
            yield el
        elif el.supportsService("com.sun.star.text.TextTable"):
            for name in el.getCellNames():
                yield from iter_paragraphs(el.getCellByName(name))


def iter_all_paragraphs(doc, where="body"):
    if where in ("body", "all"):
        yield from iter_paragraphs(doc.getText())
    if where in ("footnotes", "all"):
        fns = doc.getFootnotes()
        for i in range(fns.getCount()):
            yield from iter_paragraphs(fns.getByIndex(i))


class ParaRange:
    """A paragraph located via search: a text cursor spanning one paragraph.

    Offers the small subset of the Paragraph API the ops need (getText,
    getStart, getEnd, getString)."""

    def __init__(self, cursor):
        self.cursor = cursor

    def getText(self):
        return self.cursor.getText()

    def getStart(self):
        return self.cursor.getStart()

    def getEnd(self):
        return self.cursor.getEnd()

    def getString(self):
        return self.cursor.getString()


def find_paragraph(doc, needle, nth=0, where="body"):
    """Find the nth paragraph whose text contains needle.

    Fast path: the document's own search (one UNO call, covers body, tables
    and footnotes) and expand each hit to its paragraph.  Walking all
    paragraphs over the bridge costs ~1.5 s per pass for a 400-paragraph
    plan, so it is only the fallback (needle not findable as a literal,
    e.g. it contains a tab that search treats differently)."""
    desc = doc.createSearchDescriptor()
    desc.SearchString = needle
    desc.SearchCaseSensitive = True
    desc.SearchRegularExpression = False
    hits = doc.findAll(desc)
    paras = []
    for i in range(hits.getCount()):
        h = hits.getByIndex(i)
        text = h.getText()
        in_fn = hasattr(text, "supportsService") and text.supportsService(
            "com.sun.star.text.Footnote")
        if (where == "body" and in_fn) or (where == "footnotes" and not in_fn):
            continue
        cur = text.createTextCursorByRange(h.getStart())
        cur.gotoStartOfParagraph(False)
        cur.gotoEndOfParagraph(True)
        paras.append(ParaRange(cur))
    if len(paras) > nth:
        return paras[nth]
    hits = [p for p in iter_all_paragraphs(doc, where) if needle in p.getString()]
    if len(hits) <= nth:
        raise OpError(f"no paragraph #{nth} containing {needle!r} (found {len(hits)})")
    return hits[nth]


def find_in_paragraph(doc, para, needle):
    """Return an XTextRange covering the first occurrence of needle in para.

    Uses the document search (findNext) starting at the paragraph start and
    checks that the hit ends inside the paragraph; this is robust against
    fields / footnote anchors that make character offsets unreliable.
    """
    desc = doc.createSearchDescriptor()
    desc.SearchString = needle
    desc.SearchCaseSensitive = True
    desc.SearchRegularExpression = False
    found = doc.findNext(para.getStart(), desc)
    text = para.getText()
    if found is None:
        raise OpError(f"{needle!r} not found after paragraph start")
    try:
        # compareRegionEnds(a, b): 1 if a ends before b, 0 same, -1 after
        inside = text.compareRegionEnds(found, para.getEnd()) >= 0
    except Exception:  # different XText (hit in another cell/frame)
        inside = False
    if not inside:
        raise OpError(f"{needle!r} not inside paragraph {para.getString()[:60]!r}")
    return found


# ---------------------------------------------------------------------------
# operations
# ---------------------------------------------------------------------------
def op_replace(doc, op):
    para = find_paragraph(doc, op["para"], op.get("nth", 0), op.get("in", "body"))
    rng = find_in_paragraph(doc, para, op["find"])
    # setString on a non-empty range is recorded as Delete + Insert redlines.
    rng.setString(op["with"])


def op_insert_text(doc, op):
    para = find_paragraph(doc, op["para"], op.get("nth", 0), op.get("in", "body"))
    rng = find_in_paragraph(doc, para, op["after"])
    rng.getText().insertString(rng.getEnd(), op["text"], False)


def op_set_text(doc, op):
    para = find_paragraph(doc, op["para"], op.get("nth", 0), op.get("in", "body"))
    text = para.getText()
    cur = text.createTextCursorByRange(para.getStart())
    cur.gotoEndOfParagraph(True)
    cur.setString(op["text"])


def op_insert_after(doc, op):
    para = find_paragraph(doc, op["para"], op.get("nth", 0), op.get("in", "body"))
    text = para.getText()
    cur = text.createTextCursorByRange(para.getEnd())
    # A paragraph break at the end of para starts a new paragraph that
    # inherits para's style; the break itself is recorded as an insertion
    # (Word/LO: an inserted paragraph mark).
    text.insertControlCharacter(cur, PARAGRAPH_BREAK, False)
    text.insertString(cur, op["text"], False)
    if op.get("style"):
        cur.gotoStartOfParagraph(True)
        cur.ParaStyleName = op["style"]


def op_delete(doc, op):
    para = find_paragraph(doc, op["para"], op.get("nth", 0), op.get("in", "body"))
    text = para.getText()
    cur = text.createTextCursorByRange(para.getStart())
    cur.gotoEndOfParagraph(True)
    # Include the paragraph mark so the paragraph disappears entirely when
    # the change is accepted.  goRight(1) crosses the mark into the next
    # paragraph; if there is no next paragraph in this text (last paragraph
    # of the body or of a table cell) delete the *preceding* mark instead.
    if not cur.goRight(1, True):
        cur = text.createTextCursorByRange(para.getStart())
        if cur.goLeft(1, False):
            cur.gotoRange(para.getEnd(), True)
    cur.setString("")


def uno_datetime(iso=None):
    """com.sun.star.util.DateTime from 'YYYY-MM-DDTHH:MM:SS' (default: now,
    local time -- LO stamps redlines with local time and writes a 'Z')."""
    from com.sun.star.util import DateTime
    t = _dt.datetime.fromisoformat(iso.rstrip("Z")) if iso else _dt.datetime.now()
    d = DateTime()
    d.Year, d.Month, d.Day = t.year, t.month, t.day
    d.Hours, d.Minutes, d.Seconds = t.hour, t.minute, t.second
    d.NanoSeconds = 0
    return d


def op_comment(doc, op, default_author):
    para = find_paragraph(doc, op["para"], op.get("nth", 0), op.get("in", "body"))
    rng = find_in_paragraph(doc, para, op.get("anchor") or para.getString())
    ann = doc.createInstance("com.sun.star.text.textfield.Annotation")
    ann.Author = op.get("author", default_author)
    ann.Initials = op.get("initials", "".join(w[0] for w in ann.Author.split() if w))
    ann.Content = op["text"]
    # Without an explicit DateTimeValue LibreOffice 7.4 writes
    # w:date="0-00-00T00:00:00Z" (not a valid xsd:dateTime) into comments.xml.
    ann.DateTimeValue = uno_datetime(op.get("date"))
    # With RecordChanges on, inserting the annotation anchor is itself a
    # tracked insertion (an empty <w:ins><w:r/></w:ins> next to the
    # commentRangeEnd).  That is what the LO GUI does too; "untracked": true
    # suspends recording for the insertion to mimic Word (which does not
    # track comment insertion).
    was = doc.RecordChanges
    if op.get("untracked"):
        doc.RecordChanges = False
    try:
        # absorb=True with a non-empty range anchors the comment on that
        # range (annotation mark) -> commentRangeStart/End in .docx.
        rng.getText().insertTextContent(rng, ann, True)
    finally:
        doc.RecordChanges = was


def body_table(doc, t):
    """The table `t` (an index in document order, or a name)."""
    if isinstance(t, int):
        ordered = []
        enum = doc.getText().createEnumeration()
        while enum.hasMoreElements():
            el = enum.nextElement()
            if el.supportsService("com.sun.star.text.TextTable"):
                ordered.append(el)
        if t >= len(ordered):
            raise OpError(f"no table #{t} (have {len(ordered)})")
        return ordered[t]
    return doc.getTextTables().getByName(t)


def op_insert_row(doc, op):
    """A new row after row op["after"] (0-based), its cells' texts by column letter; with
    recording on, LibreOffice tracks the row (and writes U+200D into its empty cells)."""
    table = body_table(doc, op["table"])
    row = op["after"] + 1
    table.getRows().insertByIndex(row, 1)
    for column, text in op.get("cells", {}).items():
        table.getCellByName(f"{column}{row + 1}").setString(text)


def op_delete_row(doc, op):
    table = body_table(doc, op["table"])
    table.getRows().removeByIndex(op["row"], 1)


def op_move_after(doc, op):
    """Move a paragraph as a reviewer does with cut and paste: its text copied after another
    paragraph (through the view's transferable, without the system clipboard), then the
    original deleted; LibreOffice pairs the two as a move."""
    source = find_paragraph(doc, op["para"], op.get("nth", 0), op.get("in", "body"))
    target = find_paragraph(doc, op["after"], 0, op.get("in", "body"))
    controller = doc.getCurrentController()
    controller.select(source.cursor)
    copied = controller.getTransferable()
    text = target.getText()
    cursor = text.createTextCursorByRange(target.getEnd())
    text.insertControlCharacter(cursor, PARAGRAPH_BREAK, False)
    controller.select(cursor)
    controller.insertTransferable(copied)
    op_delete(doc, {"para": op["para"], "nth": op.get("nth", 0), "in": op.get("in", "body")})


def op_cell_replace(doc, op):
    t = op["table"]
    table = body_table(doc, t)
    cell = table.getCellByName(op["cell"])
    if cell is None:
        raise OpError(f"no cell {op['cell']!r} in table {t!r}")
    for para in iter_paragraphs(cell):
        if op["find"] in para.getString():
            find_in_paragraph(doc, para, op["find"]).setString(op["with"])
            return
    raise OpError(f"{op['find']!r} not in cell {op['cell']}: {cell.getString()[:80]!r}")


def _redline_text(r):
    """Text covered by a redline (RedlineStart..RedlineEnd); '' if n/a."""
    try:
        start, end = r.RedlineStart, r.RedlineEnd
        cur = start.getText().createTextCursorByRange(start)
        cur.gotoRange(end, True)
        return cur.getString()
    except Exception:
        return ""


def op_split(doc, op):
    """Press Enter inside a paragraph, right after the text op["after"]."""
    para = find_paragraph(doc, op["para"], op.get("nth", 0), op.get("in", "body"))
    rng = find_in_paragraph(doc, para, op["after"])
    text = rng.getText()
    cur = text.createTextCursorByRange(rng.getEnd())
    text.insertControlCharacter(cur, PARAGRAPH_BREAK, False)


def op_merge_next(doc, op):
    """Delete the paragraph mark at the end of the paragraph (join it with
    the following one), as a reviewer pressing Delete at its end would."""
    para = find_paragraph(doc, op["para"], op.get("nth", 0), op.get("in", "body"))
    text = para.getText()
    cur = text.createTextCursorByRange(para.getEnd())
    if not cur.goRight(1, True):
        raise OpError("no following paragraph to merge with")
    cur.setString("")


def op_set_style(doc, op):
    """Apply a paragraph style (a tracked attribute change when recording)."""
    para = find_paragraph(doc, op["para"], op.get("nth", 0), op.get("in", "body"))
    cur = para.getText().createTextCursorByRange(para.getStart())
    cur.gotoEndOfParagraph(True)
    cur.ParaStyleName = op["style"]


def _dispatch(lo, doc, command):
    frame = doc.getCurrentController().getFrame()
    helper = lo.smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", lo.ctx)
    helper.executeDispatch(frame, command, "", 0, ())


def op_accept_all(doc, op, lo):
    """Accept every tracked change (Edit > Track Changes > Accept All)."""
    _dispatch(lo, doc, ".uno:AcceptAllTrackedChanges")


def op_reject_all(doc, op, lo):
    _dispatch(lo, doc, ".uno:RejectAllTrackedChanges")


def run_op(doc, op, lo, author):
    kind = op["op"]
    simple = {"replace": op_replace, "set_text": op_set_text,
              "insert_after": op_insert_after, "delete": op_delete,
              "cell_replace": op_cell_replace, "split": op_split,
              "merge_next": op_merge_next, "set_style": op_set_style,
              "insert_row": op_insert_row, "delete_row": op_delete_row,
              "move_after": op_move_after, "insert_text": op_insert_text}
    if kind in simple:
        simple[kind](doc, op)
    elif kind == "comment":
        op_comment(doc, op, author)
    elif kind == "accept_all":
        op_accept_all(doc, op, lo)
    elif kind == "reject_all":
        op_reject_all(doc, op, lo)
    elif kind == "sleep":  # test hook: simulate a slow/hung edit
        time.sleep(float(op.get("seconds", 1)))
    elif kind == "track":  # {"op": "track", "on": false} toggles recording
        doc.RecordChanges = bool(op.get("on", True))
    else:
        raise OpError(f"unknown op {kind!r}")


def redline_summary(doc):
    """List the tracked changes LibreOffice holds in memory."""
    out = []
    rl = doc.getRedlines()
    enum = rl.createEnumeration()
    while enum.hasMoreElements():
        r = enum.nextElement()
        d = r.RedlineDateTime
        out.append({
            "type": r.RedlineType,
            "author": r.RedlineAuthor,
            "date": f"{d.Year:04d}-{d.Month:02d}-{d.Day:02d}"
                    f"T{d.Hours:02d}:{d.Minutes:02d}:{d.Seconds:02d}",
            "text": _redline_text(r)[:60],
        })
    return out


# ---------------------------------------------------------------------------
def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("input", nargs="?")
    ap.add_argument("output", nargs="?")
    ap.add_argument("ops", nargs="?", help="JSON file with a list of operations ('-' = stdin)")
    ap.add_argument("--batch", help="JSON file with a list of jobs (see the module's doc)")
    ap.add_argument("--author", default="UNO Reviewer",
                    help="change author: 'Given Surname' (set in the LO user profile)")
    ap.add_argument("--no-track", action="store_true", help="do not record changes")
    ap.add_argument("--port", type=int, default=None, help="UNO port (default: free port)")
    ap.add_argument("--timeout", type=float, default=60.0, help="soffice start timeout")
    ap.add_argument("--deadline", type=float, default=180.0,
                    help="hard limit for the whole run: soffice is killed and exit code 3")
    args = ap.parse_args(argv)

    # SIGTERM (e.g. from a test runner) -> normal exception unwinding, so the
    # finally-blocks terminate soffice.
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(143))

    if args.batch:
        return batch(args)
    if args.ops is None:
        ap.error("give INPUT OUTPUT OPS, or --batch JOBS")
    if args.ops == "-":
        ops = json.load(sys.stdin)
    else:
        with open(args.ops, encoding="utf-8") as f:
            ops = json.load(f)
    given, _, surname = args.author.partition(" ")
    t0 = time.monotonic()
    work = tempfile.mkdtemp(prefix="uno-edit-")
    summary = {"input": args.input, "output": args.output, "ops": []}
    try:
        src = shutil.copy(args.input, os.path.join(work, "in.docx"))
        try:
            lo = LibreOffice(port=args.port, start_timeout=args.timeout,
                             user_given_name=given, user_surname=surname)

            def _deadline():
                # Runs in a thread: works even while the main thread is
                # blocked inside a UNO call (pyuno releases the GIL).
                print(f"uno_edit: deadline of {args.deadline}s exceeded, killing soffice",
                      file=sys.stderr)
                lo.kill()
                lo._cleanup()
                shutil.rmtree(work, ignore_errors=True)
                os._exit(3)
            timer = threading.Timer(args.deadline, _deadline)
            timer.daemon = True
            timer.start()
            lo.__enter__()
        except Exception as e:
            timer.cancel()
            print(f"uno_edit: cannot start/connect LibreOffice: {e}", file=sys.stderr)
            return 2
        try:
            t1 = time.monotonic()
            doc = lo.load(src)
            if doc is None:
                raise OpError("LibreOffice could not load the document")
            t2 = time.monotonic()
            doc.RecordChanges = not args.no_track
            for op in ops:
                run_op(doc, op, lo, args.author)
                summary["ops"].append(op["op"])
            summary["redlines"] = redline_summary(doc)
            tmp_out = os.path.join(work, "out.docx")
            lo.save_docx(doc, tmp_out)
            doc.close(True)
            t3 = time.monotonic()
            shutil.move(tmp_out, args.output)
            summary["timing_s"] = {"start": round(t1 - t0, 2), "load": round(t2 - t1, 2),
                                   "edit+save": round(t3 - t2, 2)}
        except OpError as e:
            print(f"uno_edit: {e}", file=sys.stderr)
            return 1
        except Exception as e:  # UNO errors, e.g. DisposedException if soffice crashed
            print(f"uno_edit: LibreOffice error: {type(e).__name__}: {e}", file=sys.stderr)
            return 4
        finally:
            timer.cancel()
            lo.__exit__(None, None, None)
        summary["timing_s"]["total"] = round(time.monotonic() - t0, 2)
        print(json.dumps(summary, indent=1, ensure_ascii=False))
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


def batch(args):
    """Every job of args.batch in one LibreOffice session; exit codes as for one file."""
    with open(args.batch, encoding="utf-8") as f:
        jobs = json.load(f)
    work = tempfile.mkdtemp(prefix="uno-batch-")
    summary = []
    try:
        try:
            lo = LibreOffice(port=args.port, start_timeout=args.timeout)

            def _deadline():
                print(f"uno_edit: deadline of {args.deadline}s exceeded, killing soffice",
                      file=sys.stderr)
                lo.kill()
                lo._cleanup()
                shutil.rmtree(work, ignore_errors=True)
                os._exit(3)
            timer = threading.Timer(args.deadline, _deadline)
            timer.daemon = True
            timer.start()
            lo.__enter__()
        except Exception as e:
            print(f"uno_edit: cannot start/connect LibreOffice: {e}", file=sys.stderr)
            return 2
        try:
            for number, job in enumerate(jobs):
                given, _, surname = job.get("author", "UNO Reviewer").partition(" ")
                lo.set_user_name(given, surname)
                src = shutil.copy(job["input"], os.path.join(work, f"in{number}.docx"))
                doc = lo.load(src)
                if doc is None:
                    raise OpError(f"LibreOffice could not load {job['input']}")
                doc.RecordChanges = job.get("track", True)
                for op in job["ops"]:
                    try:
                        run_op(doc, op, lo, job.get("author", "UNO Reviewer"))
                    except OpError as e:
                        raise OpError(f"{job['output']}: {op['op']}: {e}") from None
                tmp_out = os.path.join(work, f"out{number}.docx")
                lo.save_docx(doc, tmp_out)
                doc.close(True)
                shutil.move(tmp_out, job["output"])
                summary.append(job["output"])
        except OpError as e:
            print(f"uno_edit: {e}", file=sys.stderr)
            return 1
        except Exception as e:
            print(f"uno_edit: LibreOffice error: {type(e).__name__}: {e}", file=sys.stderr)
            return 4
        finally:
            timer.cancel()
            lo.__exit__(None, None, None)
        print(json.dumps({"written": summary}, ensure_ascii=False))
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
