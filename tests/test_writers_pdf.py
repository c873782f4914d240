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
from stratplan.writers.pdf import PdfError, docx_to_pdf
from tests.conftest import EXAMPLE, PLANS, ROOT, house_docx, run_cli
from tests.pages import needs, page_texts


def fonts(pdf: Path) -> set[str]:
    """The font families a PDF uses (subset prefixes and styles dropped)."""
    out = subprocess.run(
        [needs("pdffonts"), str(pdf)], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    names = [line.split()[0] for line in out.splitlines()[2:] if line.strip()]
    return {name.split("+")[-1].split("-")[0] for name in names}


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


@pytest.mark.slow
@pytest.mark.tools
def test_a_font_the_pdf_substitutes_is_a_located_warning(tmp_path: Path) -> None:
    """A style naming a font that is not installed: LibreOffice sets the PDF in another one,
    and `-f pdf` says so (SP032) at the file written, naming both fonts and the style; the
    PDF is written all the same. Without the check the PDF was silently set in DejaVu."""
    needs("soffice")
    house = house_docx(tmp_path / "house.docx", font="Stratplan Missing Serif")
    out = tmp_path / "plan.pdf"
    proc = run_cli("render", str(EXAMPLE), "-f", "pdf", "-o", str(out),
                   "--reference-docx", str(house))
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes().startswith(b"%PDF")
    warning = next(line for line in proc.stderr.splitlines() if "SP032" in line)
    assert f"{out}: warning SP032" in warning
    assert "Stratplan Missing Serif (style Normal)" in warning and "DejaVu" in warning
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
