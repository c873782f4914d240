"""PDF through LibreOffice: .docx bytes in, PDF bytes out.

`soffice --headless --convert-to pdf` on a copy of the document in a private temporary folder,
with a profile of its own there (a second soffice on a shared profile would only hand its
arguments to the first one, and two runs at once would wait on each other), in a process group
of its own that is killed whole on timeout (soffice is a launcher with a child), with stdin
closed and TZ=UTC; with no network and no files but its own where the machine allows, and a
profile that loads nothing a document links to (`stratplan.writers.isolation`). The PDF is made
reproducible afterwards: the creation and modification dates
LibreOffice stamps from the clock are replaced by the document's own date, in place and with
the same length, so the file's offsets stay right.

A missing LibreOffice, a failed conversion or a timeout is a `PdfError` with a message and a
hint for the user; the API turns it into diagnostic SP030.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from stratplan.diagnostics import Diagnostic, Severity, StratplanError
from stratplan.writers.isolation import isolate, write_profile

__all__ = ["DEFAULT_TIMEOUT", "PdfError", "docx_to_pdf", "find_soffice"]

DEFAULT_TIMEOUT = 180.0  # seconds; a 30-page redline takes 3-6 s on a loaded 2-core machine
_COMMANDS = ("soffice", "libreoffice")
_INSTALL = "install LibreOffice (Debian/Ubuntu: apt-get install libreoffice-writer)"


class PdfError(StratplanError):
    """The PDF could not be made (SP030): LibreOffice missing, failing, or too slow."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__([Diagnostic("SP030", Severity.ERROR, message, None, hint, io=True)])
        self.message = message
        self.hint = hint


def find_soffice() -> str | None:
    """The LibreOffice command on PATH ($STRATPLAN_SOFFICE first), or None."""
    override = os.environ.get("STRATPLAN_SOFFICE")
    if override:
        return shutil.which(override)
    return next((p for p in map(shutil.which, _COMMANDS) if p), None)


def docx_to_pdf(data: bytes, date: str = "", timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """The PDF LibreOffice makes of a .docx. `date` (YYYY-MM-DD) replaces the clock's dates
    in the PDF, so the same input gives the same bytes (see `_fix_dates`)."""
    soffice = find_soffice()
    if soffice is None:
        raise PdfError("LibreOffice (soffice) is not installed: PDF needs it", _INSTALL)
    with tempfile.TemporaryDirectory(prefix="stratplan-pdf-") as folder:
        work = Path(folder)
        source = work / "document.docx"
        source.write_bytes(data)
        command = [
            soffice,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(work),
            str(source),
        ]
        write_profile(work / "profile")
        command = isolate(command, work)
        env = {**os.environ, "TZ": "UTC", "HOME": str(work)}
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=work,
            env=env,
            start_new_session=True,
        )
        try:
            _out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill(process)
            raise PdfError(
                f"LibreOffice did not finish the PDF within {timeout:g} s",
                "try again on a less loaded machine, or convert the .docx yourself",
            ) from None
        finally:
            _kill(process)
        pdf = work / "document.pdf"
        if process.returncode != 0 or not pdf.is_file():
            detail = err.decode("utf-8", "replace").strip().splitlines()
            last = next((line for line in reversed(detail) if "javaldx" not in line), "")
            raise PdfError(
                f"LibreOffice could not convert the document to PDF (exit {process.returncode}"
                + (f": {last}" if last else "")
                + ")",
                "run `soffice --headless --convert-to pdf` on the .docx to see LibreOffice's error",
            )
        return _fix_dates(pdf.read_bytes(), date)


def _kill(process: subprocess.Popen[bytes]) -> None:
    """End the whole process group (the launcher and soffice.bin)."""
    if process.poll() is None or process.returncode is not None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)


_PDF_DATE = re.compile(rb"/(CreationDate|ModDate)\s*\(D:(\d{14})")
_XMP_DATE = re.compile(
    rb"<xmp:(CreateDate|ModifyDate|MetadataDate)>(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)"
)
_DIGESTS = re.compile(rb"(/ID\s*\[\s*<|>\s*<|/DocChecksum\s*/)([0-9A-Fa-f]{32})")


def _fix_dates(pdf: bytes, date: str) -> bytes:
    """The clock's dates replaced by `date` at midnight UTC, and the file identifiers that
    LibreOffice derives from the clock (/ID, /DocChecksum) by a digest of the rest of the file;
    every replacement has the length of what it replaces, so the cross-reference offsets stay
    right."""
    day = re.sub(r"\D", "", date)[:8] if date else "19800101"
    info = (day + "000000").encode()
    iso = f"{day[:4]}-{day[4:6]}-{day[6:8]}T00:00:00".encode()
    pdf = _PDF_DATE.sub(lambda m: b"/" + m.group(1) + b"(D:" + info, pdf)
    pdf = _XMP_DATE.sub(lambda m: b"<xmp:" + m.group(1) + b">" + iso, pdf)
    blanked = _DIGESTS.sub(lambda m: m.group(1) + b"0" * 32, pdf)
    digest = hashlib.md5(blanked, usedforsecurity=False).hexdigest().upper().encode()
    return _DIGESTS.sub(lambda m: m.group(1) + digest, pdf)
