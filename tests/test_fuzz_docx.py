"""A bounded fuzz run of the Word readers: the reference document's (`--reference-docx`) and
the reviewed file's (`import`), on mutations of real files, with a fixed seed. Every mutant
is either read or refused with the reader's own error; none is an internal error.

Mutations are made where damage is most telling: inside the XML parts (cut short, entities
and DOCTYPEs, ids that are not numbers, relationships that do not exist, fields that load
files, an element deleted or doubled) and in the zip itself (a byte flipped, the file cut).
"""

from __future__ import annotations

import io
import random
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from stratplan.api import render
from stratplan.diagnostics import StratplanError
from stratplan.proposals.review import read_review
from stratplan.writers.docx import ReferenceDocxError
from stratplan.writers.docx.house import adopt_reference, open_reference
from tests.conftest import EXAMPLE
from tests.hostile_docx import edit_package, hostile_template, plain_template

SEED = 23
SNIPPETS = [
    '<!DOCTYPE w:x [<!ENTITY e "&#x26;e;">]>', "&e;", "&#0;", "\x00", "]]>", "<w:p>",
    '<w:numId w:val="x"/>', 'w:numId="-1" ', 'w:abstractNumId="1e9" ', 'r:id="rId999" ',
    '<w:headerReference w:type="default" r:id="rIdNone"/>',
    '<w:fldSimple w:instr=" INCLUDETEXT &quot;file:///etc/passwd&quot; "><w:r/></w:fldSimple>',
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r>', 'TargetMode="External" ',
    '<Relationship Id="rIdX" Type="http://x/y" Target="../../../etc/passwd"/>',
    "\u202e", "\ud7ff" * 3, "<" * 50, "x" * 3000,
]


def _xml_mutation(text: str, rng: random.Random) -> str:
    kind = rng.randrange(7)
    at = rng.randrange(len(text) + 1)
    if kind == 0:
        return text[:at]
    if kind == 1:
        return text[:at] + rng.choice(SNIPPETS) + text[at:]
    if kind == 2:  # a number made a word
        return re.sub(r'="(\d+)"', lambda m: '="n' + m.group(1) + '"' if rng.random() < 0.3
                      else m.group(0), text)
    if kind == 3:  # an element deleted
        tags = [m.span() for m in re.finditer(r"<w:[A-Za-z]+[^>]*/>", text)]
        if tags:
            start, end = rng.choice(tags)
            return text[:start] + text[end:]
        return text
    if kind == 4:  # a stretch doubled
        end = min(len(text), at + rng.randrange(1, 400))
        return text[:end] + text[at:end] + text[end:]
    if kind == 5:  # a declaration in front
        return rng.choice(SNIPPETS[:1]) + text
    # an attribute value swapped for another's
    values = re.findall(r'="([^"]*)"', text)
    if len(values) > 1:
        return text.replace(f'"{rng.choice(values)}"', f'"{rng.choice(values)}"', 1)
    return text


def mutants(data: bytes, count: int, rng: random.Random) -> list[bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        texts = {n: archive.read(n) for n in names}
    xml = [n for n in names if n.endswith((".xml", ".rels"))]
    out = []
    for _ in range(count):
        if rng.random() < 0.8:
            changes: dict[str, bytes | None] = {}
            for _ in range(rng.randrange(1, 4)):
                name = rng.choice(xml)
                text = texts[name].decode("utf-8", "replace")
                changes[name] = _xml_mutation(text, rng).encode("utf-8", "surrogatepass")
            if rng.random() < 0.1:
                changes[rng.choice(names)] = None  # a part missing
            out.append(edit_package(data, changes))
        else:
            raw = bytearray(data)
            for _ in range(rng.randrange(1, 20)):
                raw[rng.randrange(len(raw))] ^= 1 << rng.randrange(8)
            out.append(bytes(raw[: rng.randrange(len(raw) // 2, len(raw) + 1)]))
    return out


def _run(mutated: list[bytes], read: Callable[[bytes], object],
         allowed: type[Exception]) -> tuple[int, int]:
    """(read, refused); any other exception fails the test with the mutant's number."""
    accepted = refused = 0
    for number, data in enumerate(mutated):
        try:
            read(data)
        except allowed:
            refused += 1
        except Exception as exc:  # an internal error: the point of the test
            pytest.fail(f"mutant {number} (seed {SEED}): {type(exc).__name__}: {exc}")
        else:
            accepted += 1
    return accepted, refused


def _reference(data: bytes) -> None:
    adopt_reference(open_reference(data))


def test_the_reference_reader_never_fails_inside(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    sources = [
        plain_template(tmp_path / "plain.docx").read_bytes(),
        hostile_template(tmp_path / "hostile.docx", "http://127.0.0.1:9",
                         "file:///etc/hostname").read_bytes(),
        render([EXAMPLE], tmp_path / "render.docx").written[0].read_bytes(),
    ]
    totals = [0, 0]
    for source in sources:
        accepted, refused = _run(mutants(source, 100, rng), _reference, ReferenceDocxError)
        totals[0] += accepted
        totals[1] += refused
    # Both outcomes are exercised: the run is not all refusals at the first byte.
    assert totals[0] > 30 and totals[1] > 30, totals


def test_the_review_reader_never_fails_inside(tmp_path: Path) -> None:
    rng = random.Random(SEED + 1)
    source = render([EXAMPLE], tmp_path / "render.docx").written[0].read_bytes()
    path = tmp_path / "review.docx"

    def read(data: bytes) -> None:
        path.write_bytes(data)
        read_review(path)

    accepted, refused = _run(mutants(source, 150, rng), read, StratplanError)
    assert accepted > 20 and refused > 20, (accepted, refused)
