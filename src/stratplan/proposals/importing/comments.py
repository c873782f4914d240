"""Comments: a reviewer's comment on their own change is its reasons; any other new comment (a
reply included, placed with the comment it answers) is a drafting comment of the item it is
on, the paragraph itself for a prose paragraph. A drafting comment of the plan that the file
no longer has was deleted (`Suppress`), one whose words changed was edited (`Modify`): Word
records neither's author, so both are the file's editor's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from stratplan import ir
from stratplan.model.address import join
from stratplan.model.facts import DataPath
from stratplan.proposals.importing.base import BaseParagraph
from stratplan.proposals.importing.changes import Add, Modify, Suppress
from stratplan.proposals.importing.index import at, element_of, item_key
from stratplan.proposals.importing.state import Reading
from stratplan.proposals.importing.texts import plain
from stratplan.proposals.importing.units import Unit
from stratplan.proposals.review import ReviewComment

Pair = tuple[BaseParagraph | None, Unit | None]


@dataclass
class BaseComment:
    """A drafting comment of the plan, on the paragraph of the base that shows it."""

    paragraph: BaseParagraph
    comment: ir.Comment


def attach(r: Reading, pairs: list[Pair]) -> None:
    where: dict[int, BaseParagraph | None] = {}  # a file paragraph -> the base one it was
    for b, u in pairs:
        if u is None:
            continue
        for source in u.sources:
            where[source.index] = b
        for piece in [*u.before, *([u.piece] if u.piece else []), *u.after]:
            for source in piece.sources:
                where.setdefault(source.index, b if piece is u.piece else None)
    anchors: dict[str, list[int]] = {}  # a comment -> the file paragraphs it is on
    keys_of: dict[int, str] = {}
    for unit in r.units:
        for source in unit.sources:
            keys_of[source.index] = unit.key or ""
    for paragraph in r.review.paragraphs:
        for cid in paragraph.comments:
            anchors.setdefault(cid, []).append(paragraph.index)
    comments = r.review.comments
    for cid, comment in comments.items():  # a reply without a range of its own: its parent's
        if cid not in anchors and comment.parent in anchors:
            anchors[cid] = anchors[comment.parent]
    unmatched = _match_unchanged(r, comments)
    edited = _edited(r, unmatched, comments, anchors, where)
    for cid in sorted(comments, key=lambda c: _order(c, comments)):
        comment = comments[cid]
        if cid in edited or not comment.text or cid in r.matched_comments:
            continue
        _new(r, comment, anchors.get(cid, []), where, keys_of)


def _order(cid: str, comments: dict[str, ReviewComment]) -> tuple[int, str]:
    """Comments in the order of the file, a reply right after the comment it answers."""
    depth, current = 0, comments[cid]
    while current.parent is not None and current.parent in comments and depth < 50:
        current = comments[current.parent]
        depth += 1
    return (int(current.id) if current.id.isdigit() else 0, f"{depth:03d}{cid:>12}")


def _base_comments(r: Reading) -> list[BaseComment]:
    return [BaseComment(b, c) for b in r.base for c in b.paragraph.comments]


def _match_unchanged(r: Reading, comments: dict[str, ReviewComment]) -> list[BaseComment]:
    """The base's comments the file has as they were (same author, same words); the others
    are returned."""
    by_words: dict[tuple[str, str], list[str]] = {}
    for cid, comment in comments.items():
        by_words.setdefault((comment.author, plain(comment.text)), []).append(cid)
    left: list[BaseComment] = []
    for entry in _base_comments(r):
        found = by_words.get((entry.comment.author, plain(entry.comment.text)))
        if found:
            cid = found.pop(0)
            r.matched_comments.add(cid)
            if comments[cid].done:
                r.left_out(entry.paragraph.place, f"a comment by {entry.comment.author} marked "
                           "resolved, not carried: it stays in the plan", entry.comment.text,
                           "delete the comment in Word to take it out of the plan")
        else:
            left.append(entry)
    return left


def _edited(r: Reading, unmatched: list[BaseComment], comments: dict[str, ReviewComment],
            anchors: dict[str, list[int]], where: dict[int, BaseParagraph | None]) -> set[str]:
    """The base's comments the file changed (a comment of the same author on the same
    paragraph, other words) or deleted; the ids of the edited ones."""
    edited: set[str] = set()
    author, date = r.editor
    if unmatched and not comments:
        r.notice(f"the file has none of the plan's {len(unmatched)} drafting comment(s): "
                 "none is read as deleted (a program that drops comments, such as pandoc?); "
                 "delete a comment in Word to take it out")
        return edited
    for entry in unmatched:
        b = entry.paragraph
        address = comment_address(r, b, entry.comment)
        candidates = [cid for cid, comment in comments.items()
                      if cid not in r.matched_comments and cid not in edited
                      and comment.author == entry.comment.author and comment.parent is None
                      and any(where.get(i) is b for i in anchors.get(cid, []))]
        if candidates:
            cid = candidates[0]
            edited.add(cid)
            if address is None:
                r.left_out(b.place, f"an edit of a comment by {entry.comment.author}, on text "
                           "of no item that takes comments", comments[cid].text)
                continue
            if comments[cid].unseen or not comments[cid].text.strip():
                # What a reader cannot see (reported on its own) makes no edit; nor does a
                # comment left empty, which Word shows as an empty balloon.
                if not comments[cid].unseen:
                    r.left_out(b.place, f"a comment by {entry.comment.author} left empty, not "
                               "carried: it stays in the plan", hint="delete a comment in Word "
                               "to take it out")
                continue
            r.add(Modify(author=author, date=date, place=b.place, target=address,
                         field="text", value=comments[cid].text))
            continue
        if b.index not in r.kept_bases:
            continue  # its paragraph was deleted: the comment goes with it
        if address is None:
            r.left_out(b.place, f"a deletion of a comment by {entry.comment.author}, on text of "
                       "no item that takes comments", entry.comment.text)
            continue
        r.add(Suppress(author=author, date=date, place=b.place, target=address))
    return edited


def comment_address(r: Reading, b: BaseParagraph, comment: ir.Comment) -> str | None:
    """Where the plan holds a drafting comment the base document shows on `b`."""
    holder = comment_holder(r, b)
    if holder is None:
        holder = keyed_holder(r, b.key)
    if holder is None:
        return None
    node = _node(r.data, holder)
    found = node.get("comments") if isinstance(node, dict) else None
    if not isinstance(found, list):
        return None
    for n, entry in enumerate(found):
        if isinstance(entry, dict) and entry.get("author") == comment.author and \
                plain(str(entry.get("text", ""))) == plain(comment.text):
            return r.index.address((*holder, "comments", n))
    return None


def _node(data: Any, path: DataPath) -> Any:
    try:
        return at(data, path)
    except (KeyError, IndexError, TypeError):
        return None


def _new(r: Reading, comment: ReviewComment, paragraphs: list[int],
         where: dict[int, BaseParagraph | None], keys_of: dict[int, str]) -> None:
    bases = [where.get(i) for i in paragraphs]
    who = r.contributor or comment.author
    # A reviewer's comment on their own change is its reasons; anyone else's (and a reply)
    # is a drafting comment of the item.
    if comment.parent is None:
        for index in paragraphs:
            change = r.found_in.get(index)
            if change is not None and change.author == who:
                change.comments.append(comment.text)
                return
    base = next((b for b in bases if b is not None), None)
    holder = comment_holder(r, base) if base is not None else None
    place = base.place if base is not None else "a comment"
    if holder is None:
        # On a paragraph the base document does not have, or of no item's text (the line
        # under a table that holds the table's comments): the item its key names.
        holder = next((path for i in paragraphs if (path := keyed_holder(
            r, keys_of.get(i, ""))) is not None), None)
        if holder is not None:
            add_comment(r, comment, holder, place)
            return
    if base is None:
        margin = next((m.where for m in r.review.margins for p in m.paragraphs
                       if comment.id in p.comments), None)
        r.left_out(f"{margin}, a comment" if margin else "a comment",
                   f"by {comment.author}, on text the plan does not have", comment.text)
        return
    if holder is None:
        r.left_out(base.place, "a comment on text of no item that takes comments",
                   comment.text)
        return
    add_comment(r, comment, holder, base.place)


def add_comment(r: Reading, comment: ReviewComment, holder: DataPath, place: str) -> None:
    author = comment.author or r.editor[0]
    entry: dict[str, Any] = {"author": author, "text": comment.text}
    if comment.date:
        entry["date"] = comment.date
    r.add(Add(author=author, date=comment.date, place=place,
              listing=join(r.index.address(holder), "comments"), item=entry))


def keyed_holder(r: Reading, key: str) -> DataPath | None:
    """The item a paragraph's key names, when it takes comments."""
    path = r.index.item_paths.get(item_key(key) or "")
    model = r.index.model_for(path) if path is not None else None
    return path if model is not None and "comments" in model.model_fields else None


def comment_holder(r: Reading, b: BaseParagraph) -> DataPath | None:
    """The innermost item whose text `b` shows that takes comments: a paragraph of a
    section (written as plain text or not), a target, a section."""
    if b.index in r.holders:
        return r.holders[b.index]
    found: DataPath | None = None
    occurrences = r.index.occurrences_of(b)
    path = list(element_of([leaf.path for _, _, leaf in occurrences])) if occurrences else []
    while path:
        model = r.index.model_at(tuple(path))
        if model is not None and "comments" in model.model_fields:
            found = tuple(path)
            break
        path.pop()
    r.holders[b.index] = found
    return found
