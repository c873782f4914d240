"""Zip packages read with bounds (stratplan.source.archive), and every way a zip can fail as
one "not a readable Word file", for the reviewed file (import) and the reference document."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest

from stratplan.api import render
from stratplan.diagnostics import StratplanError
from stratplan.proposals.review import read_review
from stratplan.source.archive import ArchiveError, Limits, Package
from tests.conftest import EXAMPLE, house_docx
from tests.hostile_docx import DAMAGES, patch_central


def _zip(files: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_every_damage_is_an_archive_error(damage: str) -> None:
    data = DAMAGES[damage](_zip({"a.xml": b"<a>" + b"text " * 2000 + b"</a>"}), "a.xml")
    with pytest.raises(ArchiveError):
        Package(data).read("a.xml")


def test_bounds_on_entries_sizes_ratio_and_total() -> None:
    bomb = _zip({"word/document.xml": b"\0" * (4 * 1024 * 1024)})
    with pytest.raises(ArchiveError, match="zip bomb"):
        Package(bomb).read("word/document.xml")
    with pytest.raises(ArchiveError, match="entries"):
        Package(_zip({f"p{n}": b"" for n in range(20)}), Limits(entries=10))
    with pytest.raises(ArchiveError, match="limit of one part"):
        Package(_zip({"p": b"x" * 5000}), Limits(part=4000)).read("p")
    with pytest.raises(ArchiveError, match="declare"):
        Package(_zip({"p": b"x" * 3000, "q": b"x" * 3000}), Limits(total=5000))
    two = Package(_zip({"p": b"x" * 3000, "q": b"y" * 3000}), Limits(total=7000, part=4000))
    assert two.read("p") == two.read("p") == b"x" * 3000
    with pytest.raises(ArchiveError, match="past its bound"):
        two.read("q")  # what is read counts, a part read twice twice
    with pytest.raises(ArchiveError, match="over the 100-byte limit"):
        Package(b"x" * 200, Limits(package=100))


def test_a_part_that_inflates_past_what_it_declares_stops_at_the_bound() -> None:
    """The central directory says 10 bytes, the stream holds 10 MB: the read stops at the
    bound (zipfile alone would stop at the declared size and report a bad CRC)."""
    data = _zip({"p": b"z" * (10 * 1024 * 1024)})
    lying = patch_central(data, "p", 24, struct.pack("<I", 10))
    with pytest.raises(ArchiveError):
        Package(lying).read("p")


def _render(tmp_path: Path) -> bytes:
    out = render([EXAMPLE], tmp_path / "plan.docx").written[0]
    return out.read_bytes()


@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_a_damaged_review_is_sp807_not_a_readable_word_file(damage: str, tmp_path: Path) -> None:
    """These were internal errors (BadZipFile, zlib.error, NotImplementedError,
    RuntimeError) before."""
    path = tmp_path / "review.docx"
    path.write_bytes(DAMAGES[damage](_render(tmp_path), "word/document.xml"))
    with pytest.raises(StratplanError) as raised:
        read_review(path)
    [problem] = raised.value.diagnostics
    assert problem.code == "SP807" and "not a readable Word file" in problem.message
    assert problem.location is not None and problem.location.file.endswith("review.docx")


def test_the_key_table_of_a_review_is_bounded_too(tmp_path: Path) -> None:
    """customXml items were read whole: 1 MB inflating to 1 GiB took 2 GB of memory."""
    files = {}
    with zipfile.ZipFile(io.BytesIO(_render(tmp_path))) as archive:
        files = {n: archive.read(n) for n in archive.namelist()}
    files["customXml/item9.xml"] = b" " * (100 * 1024 * 1024)
    path = tmp_path / "review.docx"
    path.write_bytes(_zip(files))
    assert path.stat().st_size < 2 * 1024 * 1024
    with pytest.raises(StratplanError) as raised:
        read_review(path)
    assert "customXml/item9.xml" in raised.value.diagnostics[0].message


@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_a_damaged_reference_is_sp031(damage: str, tmp_path: Path) -> None:
    house = house_docx(tmp_path / "house.docx").read_bytes()
    path = tmp_path / "bad.docx"
    path.write_bytes(DAMAGES[damage](house, "word/styles.xml"))
    with pytest.raises(StratplanError) as raised:
        render([EXAMPLE], tmp_path / "out.docx", reference_docx=path)
    [problem] = raised.value.diagnostics
    assert problem.code == "SP031" and "not a readable Word file" in problem.message
    assert not (tmp_path / "out.docx").exists()
