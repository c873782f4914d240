"""A base plan written on Windows (CRLF line ends, a UTF-8 byte-order mark): apply
rewrites the file it changes in the same form (tests/test_changes.py checks the bytes)."""

from pathlib import Path


def make(folder: Path) -> Path:
    goals = folder / "2028-2031" / "goals.yaml"
    goals.write_bytes(b"\xef\xbb\xbf" + goals.read_bytes().replace(b"\n", b"\r\n"))
    return folder
