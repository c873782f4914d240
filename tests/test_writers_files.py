"""`stratplan.writers.files`: outputs written atomically, never over an input, and output
paths chosen the same way by every command."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from stratplan.diagnostics import StratplanError
from stratplan.writers.files import write_atomically


def sp010(exc: pytest.ExceptionInfo[StratplanError], name: str) -> None:
    (diag,) = exc.value.diagnostics
    assert diag.code == "SP010" and diag.io
    assert name in diag.message


def test_write_atomically_writes_and_leaves_no_temp(tmp_path: Path) -> None:
    out = tmp_path / "plan.docx"
    write_atomically(out, b"one", [tmp_path / "plan.yaml"])
    write_atomically(out, b"two", [])
    assert out.read_bytes() == b"two"
    assert os.listdir(tmp_path) == ["plan.docx"]
    assert out.stat().st_mode & 0o644 == 0o644


def test_write_atomically_missing_directory(tmp_path: Path) -> None:
    out = tmp_path / "missing" / "plan.docx"
    with pytest.raises(StratplanError) as exc:
        write_atomically(out, b"x", [])
    sp010(exc, "plan.docx")
    assert not (tmp_path / "missing").exists()


def test_write_atomically_refuses_to_overwrite_an_input(tmp_path: Path) -> None:
    source = tmp_path / "plan.yaml"
    source.write_text("plan: {}\n")
    link = tmp_path / "link.yaml"
    link.symlink_to(source)
    for target in (source, tmp_path / "." / "plan.yaml", link):
        with pytest.raises(StratplanError) as exc:
            write_atomically(target, b"x", [source])
        sp010(exc, target.name)
    assert source.read_text() == "plan: {}\n"
    assert sorted(os.listdir(tmp_path)) == ["link.yaml", "plan.yaml"]


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="root ignores directory permissions; the simulated read-only test covers this",
)
def test_write_atomically_read_only_directory(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(StratplanError) as exc:
            write_atomically(folder / "plan.docx", b"x", [])
        sp010(exc, "plan.docx")
        assert os.listdir(folder) == []
    finally:
        folder.chmod(0o755)


def test_write_atomically_read_only_directory_simulated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(StratplanError) as exc:
        write_atomically(tmp_path / "plan.docx", b"x", [])
    sp010(exc, "plan.docx")
    assert "Permission denied" in exc.value.diagnostics[0].message
    assert os.listdir(tmp_path) == []


def test_output_folder_that_cannot_be_made_is_a_diagnostic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stratplan.writers.files import ensure_folder

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    assert ensure_folder(tmp_path / "a" / "b") == tmp_path / "a" / "b"
    assert (tmp_path / "a" / "b").is_dir()
    monkeypatch.setattr(Path, "mkdir", refuse)
    with pytest.raises(StratplanError) as exc:
        ensure_folder(tmp_path / "locked")
    sp010(exc, "locked")
    assert "Permission denied" in exc.value.diagnostics[0].message


def test_failed_replace_leaves_existing_output_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "plan.docx"
    out.write_bytes(b"old")

    def broken_replace(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(StratplanError) as exc:
        write_atomically(out, b"new", [])
    sp010(exc, "plan.docx")
    assert out.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["plan.docx"]


def test_interrupted_write_cleans_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "plan.docx"
    out.write_bytes(b"old")

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(out, b"new", [])
    assert out.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["plan.docx"]


def test_write_atomically_onto_a_directory(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    with pytest.raises(StratplanError) as exc:
        write_atomically(tmp_path / "out", b"x", [])
    sp010(exc, "out")
