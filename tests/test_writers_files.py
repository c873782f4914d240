"""`stratplan.writers.files`: outputs written atomically, never over an input, and output
paths chosen the same way by every command."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from stratplan.diagnostics import StratplanError
from stratplan.writers.files import write_atomically, write_set


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


def test_a_pipe_is_written_through(tmp_path: Path) -> None:
    """A pipe (as /dev/stdout is under `| ...`, or a shell's `>(...)`) gets the bytes and
    stays a pipe; it is never replaced by a regular file."""
    import stat
    import threading

    pipe = tmp_path / "out.docx"
    os.mkfifo(pipe)
    # The reading end is open before the write (a pipe nobody reads is refused), and read
    # from another thread: the data is more than a pipe holds.
    fd = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)
    os.set_blocking(fd, True)
    # A second writer keeps the reader from seeing the end before the real write begins.
    keep_open = os.open(pipe, os.O_WRONLY)
    received: list[bytes] = []

    def read() -> None:
        with os.fdopen(fd, "rb") as handle:
            received.append(handle.read())

    reader = threading.Thread(target=read)
    reader.start()
    write_atomically(pipe, b"the document" * 10_000, [])
    os.close(keep_open)
    reader.join(10)
    assert received == [b"the document" * 10_000]
    assert stat.S_ISFIFO(pipe.lstat().st_mode)


def test_a_pipe_nobody_reads_is_refused_at_once(tmp_path: Path) -> None:
    pipe = tmp_path / "out.docx"
    os.mkfifo(pipe)
    with pytest.raises(StratplanError) as exc:
        write_atomically(pipe, b"x", [])
    sp010(exc, "out.docx")
    assert "no process reads" in exc.value.diagnostics[0].message


def test_a_character_device_is_written_through_and_kept() -> None:
    import stat

    write_atomically(Path("/dev/null"), b"discarded", [])
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    with pytest.raises(StratplanError) as exc:
        write_atomically(Path("/dev/full"), b"x" * 100_000, [])
    assert "No space left on device" in exc.value.diagnostics[0].message
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_a_symlink_writes_the_file_it_points_to(tmp_path: Path) -> None:
    (tmp_path / "real.docx").write_bytes(b"old")
    link = tmp_path / "latest.docx"
    link.symlink_to("real.docx")
    write_atomically(link, b"new", [])
    assert link.is_symlink() and os.readlink(link) == "real.docx"
    assert (tmp_path / "real.docx").read_bytes() == b"new"
    assert sorted(os.listdir(tmp_path)) == ["latest.docx", "real.docx"]


def test_a_yaml_output_in_a_folder_read_is_refused(tmp_path: Path) -> None:
    plan = tmp_path / "plan"
    plan.mkdir()
    (plan / "goals.yaml").write_text("goals: []\n")
    with pytest.raises(StratplanError) as exc:
        write_atomically(plan / "summary.yaml", b"x", [plan / "goals.yaml"])
    sp010(exc, "summary.yaml")
    assert "would become part of the plan" in exc.value.diagnostics[0].message
    # Other names in the folder, and YAML elsewhere, are outputs like any other.
    write_atomically(plan / "draft.docx", b"x", [plan / "goals.yaml"])
    write_atomically(tmp_path / "summary.yaml", b"x", [plan / "goals.yaml"])
    assert sorted(os.listdir(plan)) == ["draft.docx", "goals.yaml"]
    # Beside a Word file read (a reviewed draft imported), a YAML output is fine.
    write_atomically(plan / "review.yaml", b"x", [plan / "draft.docx"])


def test_a_name_of_255_bytes_is_written_and_256_refused(tmp_path: Path) -> None:
    longest = tmp_path / ("a" * 250 + ".docx")
    write_atomically(longest, b"x", [])  # the temporary file's name is not built from it
    assert longest.read_bytes() == b"x"
    with pytest.raises(StratplanError) as exc:
        write_atomically(tmp_path / ("a" * 251 + ".docx"), b"x", [])
    assert "too long" in exc.value.diagnostics[0].message
    assert os.listdir(tmp_path) == [longest.name]


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        (b"a: 1\nb: 2\n", b"a: 1\nb: 3\n"),
        (b"a: 1\r\nb: 2\r\n", b"a: 1\r\nb: 3\r\n"),
        (b"\xef\xbb\xbfa: 1\nb: 2\n", b"\xef\xbb\xbfa: 1\nb: 3\n"),
        (b"\xef\xbb\xbfa: 1\r\nb: 2\r\n", b"\xef\xbb\xbfa: 1\r\nb: 3\r\n"),
    ],
)
def test_a_rewritten_file_keeps_its_line_ends_and_bom(original: bytes, expected: bytes) -> None:
    from stratplan.writers.files import like_original

    # ruamel writes "\n", and keeps the "\r" of a comment line it read: both come out alike.
    assert like_original("a: 1\nb: 3\n", original) == expected
    assert like_original("a: 1\r\nb: 3\n", original) == expected


def test_a_set_is_written_together(tmp_path: Path) -> None:
    old = tmp_path / "b.yaml"
    old.write_bytes(b"old b")
    write_set({tmp_path / "a.yaml": b"a", old: b"new b", tmp_path / "c.yaml": b"c"}, [])
    assert sorted(os.listdir(tmp_path)) == ["a.yaml", "b.yaml", "c.yaml"]
    assert [(tmp_path / n).read_bytes() for n in ("a.yaml", "b.yaml", "c.yaml")] == [
        b"a", b"new b", b"c"]


@pytest.mark.parametrize("failing", [1, 2, 3])
def test_a_set_that_fails_is_not_written_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: int,
) -> None:
    """The rename of the `failing`-th file fails: the files renamed before it are put back (a
    new one removed, a replaced one restored), and no temporary file is left."""
    old = tmp_path / "b.yaml"
    old.write_bytes(b"old b")
    real_replace = os.replace
    calls = []

    def replace(src: str, dst: str) -> None:
        calls.append(dst)
        if len(calls) == failing:
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(StratplanError) as exc:
        write_set({tmp_path / "a.yaml": b"a", old: b"new b", tmp_path / "c.yaml": b"c"}, [])
    sp010(exc, "No space left on device")
    assert "nothing was written" in exc.value.diagnostics[0].hint
    assert sorted(os.listdir(tmp_path)) == ["b.yaml"]
    assert old.read_bytes() == b"old b"


def test_a_set_is_checked_whole_before_anything_is_written(tmp_path: Path) -> None:
    source = tmp_path / "review.docx"
    source.write_bytes(b"review")
    with pytest.raises(StratplanError) as exc:
        write_set({tmp_path / "a.yaml": b"a", source: b"over the input"}, [source])
    sp010(exc, "it is an input file")
    assert sorted(os.listdir(tmp_path)) == ["review.docx"]
    with pytest.raises(StratplanError) as exc:
        write_set({tmp_path / "a.yaml": b"a", tmp_path / "missing" / "b.yaml": b"b"}, [])
    sp010(exc, "does not exist")
    assert sorted(os.listdir(tmp_path)) == ["review.docx"]
