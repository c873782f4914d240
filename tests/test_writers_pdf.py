"""PDF through LibreOffice (stratplan.writers.pdf), `-f pdf` for render and diff, and the
house style of a reference document (`--reference-docx`) as a reader sees it in the PDF."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from stratplan.api import render, render_document
from stratplan.writers.docx import write_docx
from stratplan.writers.isolation import isolate, isolation
from stratplan.writers.pdf import PdfError, docx_to_pdf
from tests.conftest import EXAMPLE, PLANS, ROOT, house_docx, run_cli
from tests.hostile_docx import Listener, hostile_template, png
from tests.pages import needs, page_texts


def fonts(pdf: Path) -> set[str]:
    """The font families a PDF uses (subset prefixes and styles dropped)."""
    out = subprocess.run(
        [needs("pdffonts"), str(pdf)], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    names = [line.split()[0] for line in out.splitlines()[2:] if line.strip()]
    return {name.split("+")[-1].split("-")[0] for name in names}


@pytest.mark.tools("soffice", "pdftotext")
def test_pdf_of_a_plan_is_reproducible_and_paged() -> None:
    needs("soffice")
    data = write_docx(render_document(EXAMPLE))
    first = docx_to_pdf(data, "2026-01-15")
    assert first.startswith(b"%PDF") and b"/CreationDate(D:20260115000000" in first
    assert docx_to_pdf(data, "2026-01-15") == first  # no clock, no random id
    assert "Example strategic plan for 2028-2031" in " ".join(page_texts(first))


def test_missing_libreoffice_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STRATPLAN_SOFFICE", "/nonexistent/soffice")
    with pytest.raises(PdfError) as exc:
        docx_to_pdf(b"whatever")
    assert "LibreOffice" in exc.value.message and "apt-get install" in exc.value.hint


def test_failed_conversion_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\necho 'Error: source file could not be loaded' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("STRATPLAN_SOFFICE", str(fake))
    with pytest.raises(PdfError, match=r"could not convert.*source file could not be loaded"):
        docx_to_pdf(b"PK")


def test_conversion_past_its_time_limit_is_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nsleep 30\n")
    fake.chmod(0o755)
    monkeypatch.setenv("STRATPLAN_SOFFICE", str(fake))
    with pytest.raises(PdfError, match="did not finish"):
        docx_to_pdf(b"PK", timeout=1)


@pytest.mark.tools("soffice", "pdftotext")
def test_render_and_diff_write_pdf(tmp_path: Path) -> None:
    needs("soffice")
    proc = run_cli("render", str(EXAMPLE), "-f", "pdf", "-o", str(tmp_path / "plan.pdf"))
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "plan.pdf").read_bytes().startswith(b"%PDF")
    proc = run_cli("diff", str(PLANS / "2024-2027"), str(PLANS / "2028-2031"), "-f", "pdf",
                   "-o", str(tmp_path) + "/")
    assert proc.returncode == 0, proc.stderr
    pdf = tmp_path / "redline-2024-2027_2028-2031.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    assert "SP032" not in proc.stderr  # Times New Roman, or Liberation Serif made to its metrics
    assert "ITU strategic plan for 2028-2031" in " ".join(page_texts(pdf.read_bytes()))


def test_render_pdf_without_libreoffice_is_sp030_and_writes_nothing(tmp_path: Path) -> None:
    env = {**os.environ, "STRATPLAN_SOFFICE": "/nonexistent/soffice"}
    out = tmp_path / "plan.pdf"
    proc = subprocess.run(
        [sys.executable, "-m", "stratplan.cli", "render", str(EXAMPLE), "-f", "pdf", "-o",
         str(out)],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=120,
    )
    assert proc.returncode == 2
    assert "SP030" in proc.stderr and "apt-get install libreoffice-writer" in proc.stderr
    assert "Traceback" not in proc.stderr and not out.exists()


@pytest.mark.tools("soffice", "pdftotext", "pdffonts", "pdfinfo")
def test_reference_docx_font_is_the_pdfs_font(tmp_path: Path) -> None:
    """Done when: a template whose Normal style uses another font gives a document in that
    font, in the XML (test_writers_docx) and in the PDF: the default render is Times New
    Roman (Liberation Serif, made to its metrics, which `make tools` installs), the referenced
    one DejaVu Sans only."""
    needs("soffice")
    house = house_docx(tmp_path / "house.docx", font="DejaVu Sans")
    default = render([PLANS / "2028-2031"], tmp_path / "default.pdf", "pdf").written[0]
    styled = render(
        [PLANS / "2028-2031"], tmp_path / "styled.pdf", "pdf", reference_docx=house
    ).written[0]
    assert fonts(default) & {"TimesNewRomanPSMT", "TimesNewRomanPS", "LiberationSerif"}
    # DejaVu Sans, and the reference's default font where no style of ours sets one: its theme's
    # Calibri (python-docx's template), set in Carlito, made to Calibri's metrics.
    assert "DejaVuSans" in fonts(styled) and fonts(styled) <= {"DejaVuSans", "Carlito"}
    pages = page_texts(styled.read_bytes())
    assert all(p.startswith("SECRETARIAT HEADER") for p in pages if p)
    info = subprocess.run([needs("pdfinfo"), str(styled)], capture_output=True, text=True,
                          check=True).stdout
    assert "612 x 792 pts" in info  # US Letter, from the reference


@pytest.mark.slow
def test_reference_docx_from_the_config_and_unusable_references(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(EXAMPLE, project / "plans" / "example")
    house_docx(project / "house.docx", font="DejaVu Sans")
    (project / "stratplan.toml").write_text('reference-docx = "house.docx"\n')
    out = render([project / "plans" / "example"], tmp_path / "out.docx").written[0]
    import zipfile

    with zipfile.ZipFile(out) as archive:
        assert b"SECRETARIAT HEADER" in b"".join(
            archive.read(n) for n in archive.namelist() if n.startswith("word/header")
        )
    # the reference is an input: no output may replace it
    proc = run_cli("render", str(project / "plans" / "example"), "-o", str(project / "house.docx"))
    assert proc.returncode == 2 and "SP010" in proc.stderr
    # not a .docx, or missing: SP031, nothing written
    (tmp_path / "notes.txt").write_text("plain text")
    for bad in (tmp_path / "notes.txt", tmp_path / "missing.docx"):
        target = tmp_path / "bad.docx"
        proc = run_cli("render", str(EXAMPLE), "--reference-docx", str(bad), "-o", str(target))
        assert proc.returncode == 2, proc.stderr
        assert "SP031" in proc.stderr and "Traceback" not in proc.stderr
        assert bad.name in proc.stderr and not target.exists()


def _images(pdf: bytes, tmp_path: Path) -> list[str]:
    """The rows of `pdfimages -list` for a PDF: one per image drawn."""
    path = tmp_path / "images.pdf"
    path.write_bytes(pdf)
    out = subprocess.run([needs("pdfimages"), "-list", str(path)], capture_output=True,
                         text=True, check=True, timeout=60).stdout
    return out.splitlines()[2:]


@pytest.mark.tools("soffice", "pdfimages", "pdftotext")
def test_a_template_that_links_out_gives_a_pdf_without_the_linked_content(
    tmp_path: Path,
) -> None:
    """Done when (issue 23): a template with external links (an http:// image in the header,
    a file:// image), fields and OLE objects gives a document and a PDF with none of the
    linked content, and a local listener sees no request."""
    needs("soffice")
    secret = tmp_path / "secret.png"
    secret.write_bytes(png(rgb=(255, 0, 255)))
    with Listener() as listener:
        template = hostile_template(tmp_path / "hostile.docx", listener.url, secret.as_uri())
        docx_out = render([EXAMPLE], tmp_path / "plan.docx", reference_docx=template)
        pdf_out = render([EXAMPLE], tmp_path / "plan.pdf", "pdf", reference_docx=template)
        assert {d.code for d in docx_out.diagnostics} == {"SP032"}
        assert {d.code for d in pdf_out.diagnostics} == {"SP032"}  # isolated: no SP030
        pdf = (tmp_path / "plan.pdf").read_bytes()
        assert listener.requests == []
    text = " ".join(page_texts(pdf))
    assert "SECRETARIAT HEADER" in text and "INCLUDED RESULT" in text
    # the header's own embedded image, once per page, and nothing else
    rows = _images(pdf, tmp_path)
    assert rows and all(row.split()[3:5] == ["64", "64"] for row in rows)
    assert len(rows) == len([page for page in page_texts(pdf) if page])


@pytest.mark.tools("soffice", "pdftotext", "pdfimages")
def test_libreoffice_alone_loads_nothing_a_document_links_to(tmp_path: Path) -> None:
    """The converter's own guard, for a document whose links were not taken out (as if the
    writer had missed one): the same hostile file handed to LibreOffice directly. Without
    the guard LibreOffice fetched the header image over http and embedded the file:// one."""
    needs("soffice")
    secret = tmp_path / "secret.png"
    secret.write_bytes(png(width=32, height=32, rgb=(255, 0, 255)))
    with Listener() as listener:
        hostile = hostile_template(tmp_path / "hostile.docx", listener.url, secret.as_uri())
        pdf = docx_to_pdf(hostile.read_bytes(), "2026-01-15")
        assert listener.requests == []
    assert "SECRETARIAT HEADER" in page_texts(pdf)[0]
    sizes = {tuple(row.split()[3:5]) for row in _images(pdf, tmp_path)}
    assert sizes == {("64", "64")}  # its own image; not the 32x32 local file


@pytest.mark.tools("bwrap")
def test_the_sandbox_has_no_network_and_none_of_the_users_files(tmp_path: Path) -> None:
    """Under `isolate` (bubblewrap, which `make test` installs) a program can neither connect
    to a local listener nor read a file outside its folder, and it can write its folder."""
    needs("bwrap")
    assert isolation().kind == "bubblewrap", isolation().detail
    work = tmp_path / "work"
    work.mkdir()
    private = tmp_path / "private.txt"
    private.write_text("secret")
    python = "/usr/bin/python3"  # the system's (the Makefile's SYSTEM_PYTHON), under /usr
    with Listener() as listener:
        port = listener.url.rsplit(":", 1)[1]
        script = (
            "import socket, sys\n"
            f"try:\n    socket.create_connection(('127.0.0.1', {port}), 3)\n"
            "    print('connected')\nexcept OSError:\n    print('no network')\n"
            f"try:\n    open({str(private)!r}).read()\n    print('read')\n"
            "except OSError:\n    print('no file')\n"
            f"open({str(work / 'out.txt')!r}, 'w').write('ok')\n"
        )
        done = subprocess.run(isolate([python, "-c", script], work), capture_output=True,
                              text=True, timeout=60)
        assert listener.requests == []
    assert done.stdout.split() == ["no", "network", "no", "file"], done.stderr
    assert (work / "out.txt").read_text() == "ok"


@pytest.mark.tools("soffice", "pdftotext")
def test_without_bubblewrap_the_pdf_is_made_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where bubblewrap is missing (or user namespaces are forbidden) LibreOffice runs with
    no network only (unshare), or with its profile's guard only, and the command says so."""
    needs("soffice")
    from stratplan.diagnostics import Severity

    real_which = shutil.which
    monkeypatch.setattr(shutil, "which",
                        lambda name, *a, **k: None if name == "bwrap" else real_which(name))
    isolation.cache_clear()
    try:
        found = isolation()
        assert found.kind == "unshare" and "bubblewrap (bwrap) is not installed" in found.detail
        with Listener() as listener:
            secret = tmp_path / "secret.png"
            secret.write_bytes(png(width=32, height=32))
            hostile = hostile_template(tmp_path / "hostile.docx", listener.url, secret.as_uri())
            pdf = docx_to_pdf(hostile.read_bytes(), "2026-01-15")
            assert listener.requests == []
        assert "SECRETARIAT HEADER" in page_texts(pdf)[0]
        output = render([EXAMPLE], tmp_path / "plan.pdf", "pdf")
        [warning] = output.diagnostics
        assert warning.code == "SP030" and warning.severity is Severity.WARNING
        assert "without full isolation (unshare" in warning.message
    finally:
        isolation.cache_clear()


@pytest.mark.tools("bwrap", "setpriv")
def test_the_sandbox_works_for_a_user_who_is_not_root() -> None:
    """As root (CI here), the same isolation run as `nobody`: bubblewrap needs no privilege
    where user namespaces are allowed. As anyone else, the test above is that case."""
    import tempfile

    if os.geteuid() != 0:
        pytest.skip("not root: test_the_sandbox_has_no_network_and_none_of_the_users_files "
                    "is this case")
    setpriv = needs("setpriv")
    with tempfile.TemporaryDirectory() as folder:  # not under pytest's root-only tmp_path
        work = Path(folder)
        work.chmod(0o777)
        script = ("import socket\ntry:\n    socket.create_connection(('127.0.0.1', 22), 3)\n"
                  "    print('connected')\nexcept OSError:\n    print('no network')\n"
                  f"open({str(work / 'out.txt')!r}, 'w').write('ok')\n")
        command = isolate(["/usr/bin/python3", "-c", script], work)
        done = subprocess.run([setpriv, "--reuid=65534", "--regid=65534", "--clear-groups",
                               *command], capture_output=True, text=True, timeout=60)
        assert done.stdout.split() == ["no", "network"], done.stderr
        assert (work / "out.txt").read_text() == "ok"
        assert (work / "out.txt").stat().st_uid == 65534


@pytest.mark.slow
@pytest.mark.tools("soffice")
def test_a_font_the_pdf_substitutes_is_a_located_warning(tmp_path: Path) -> None:
    """A style naming a font that is not installed: LibreOffice sets the PDF in another one,
    and `-f pdf` says so (SP033) at the file written, naming both fonts and the style; the
    PDF is written all the same. Without the check the PDF was silently set in another font."""
    needs("soffice")
    house = house_docx(tmp_path / "house.docx", font="Stratplan Missing Serif")
    out = tmp_path / "plan.pdf"
    proc = run_cli("render", str(EXAMPLE), "-f", "pdf", "-o", str(out),
                   "--reference-docx", str(house))
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes().startswith(b"%PDF")
    warning = next(line for line in proc.stderr.splitlines() if "SP033" in line)
    assert f"{out}: warning SP033" in warning
    assert "Stratplan Missing Serif (style Normal)" in warning
    # The font LibreOffice chose instead is this machine's fallback (DejaVu Serif, Liberation
    # Serif or Noto Serif, by what is installed): the warning names the one the PDF has.
    from stratplan.writers.pdf import pdf_fonts

    used, _ = pdf_fonts(out.read_bytes())
    assert any(name.split("+")[-1].split("-")[0] in warning for name in used), (used, warning)
    assert "install Stratplan Missing Serif" in proc.stderr


def test_font_substitutions_read_from_the_document_and_the_pdf() -> None:
    """Named fonts: the defaults and the styles the document uses; a font made to the metrics
    of a named one is no substitution; a PostScript name is its family."""
    from stratplan.writers.pdf import font_substitutions, named_fonts

    docx = write_docx(render_document(EXAMPLE))
    assert named_fonts(docx) == {"Times New Roman": "style Normal"}

    def pdf(*fonts: str) -> bytes:
        return b"".join(
            b"1 0 obj<</Type/Font/BaseFont/" + f.encode() + b">>endobj "
            b"2 0 obj<</Type/FontDescriptor/FontName/" + f.encode() + b"/FontFile2 3 0 R>>endobj "
            for f in fonts
        )

    assert font_substitutions(docx, pdf("AAAAAA+LiberationSerif", "BAAAAA+LiberationSerif-Bold")) \
        == []
    assert font_substitutions(docx, pdf("TimesNewRomanPSMT", "TimesNewRomanPS-BoldMT")) == []
    (found,) = font_substitutions(docx, pdf("BAAAAA+DejaVuSerif", "CAAAAA+DejaVuSerif-Bold"))
    assert (found.named, found.used) == ("Times New Roman", ("DejaVuSerif",))
    assert "fonts-liberation" in found.hint
