"""The OOXML schema check every .docx the tests write goes through (`assert_valid`).

It wraps `openxml-audit` (a pure-Python port of the Open XML SDK validator, with the ECMA-376
schemas bundled; no network), following /work/research/ooxml (REPORT.md, audit.py):

- a new `OpenXmlValidator` per file: openxml-audit 0.8.0 caches cross-part id sets by
  `id(package)`, so a validator reused across files reports the previous file's footnotes and
  comments as missing (this is also why its pytest plugin's session fixture is not used);
- no error cap (`max_errors=0`): with a cap the validator stops before the semantic phase;
- one finding allowed by name, `trpr-revision-only`: a `w:trPr` whose only children are
  `w:ins` / `w:del` (an inserted or deleted row), which Word itself writes and the strict
  schema (a row property is required before the revision mark) does not accept. The rule
  looks at the offending element, so a wrongly ordered `w:trPr` is still reported.

Two revision checks the schema cannot express are added: no `w:t` inside a `w:del` (it must be
`w:delText`) and no `w:delText` outside one. Results are cached by content, so the same bytes
are checked once per test process.
"""

from __future__ import annotations

import hashlib
import io
import re
import tempfile
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree
from openxml_audit import OpenXmlValidator
from openxml_audit.errors import FileFormat

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W_NS}}}"
_STORY = re.compile(r"word/(document|footnotes|endnotes|comments|header\d*|footer\d*)\.xml")


@dataclass(frozen=True)
class Finding:
    part: str  # "/word/document.xml"
    path: str  # the validator's path: /document[1]/body[1]/tbl[3]/tr[29]/trPr[1]
    element: str  # local name of the element at `path` ("" when it cannot be resolved)
    message: str
    kind: str  # schema, semantic, package, relationship ..., or lint (our own checks)

    def __str__(self) -> str:
        return f"{self.part}:{self.path} <{self.element}> {self.message} [{self.kind}]"


def _resolve(root: etree._Element, path: str) -> etree._Element | None:
    """The element at a validator path: local names, 1-based positions among same-named
    siblings (preferring the w: namespace where two namespaces share a local name)."""
    steps = [s for s in path.split("/") if s]
    if not steps:
        return None
    element = root
    for step in steps[1:]:
        match = re.fullmatch(r"(.+)\[(\d+)\]", step)
        if match is None:
            return None
        name, position = match.group(1), int(match.group(2))
        by_tag: dict[str, list[etree._Element]] = defaultdict(list)
        for child in element:
            if isinstance(child.tag, str) and etree.QName(child).localname == name:
                by_tag[child.tag].append(child)
        found = [group[position - 1] for group in by_tag.values() if len(group) >= position]
        if not found:
            return None
        element = next((c for c in found if c.tag.startswith(_W)), found[0])
    return element


def _only_revision_marks(element: etree._Element | None) -> bool:
    if element is None or element.tag != _W + "trPr":
        return False
    children = [c for c in element if isinstance(c.tag, str)]
    return bool(children) and all(c.tag in (_W + "ins", _W + "del") for c in children)


def _allowed(finding: Finding, element: etree._Element | None) -> bool:
    """trpr-revision-only: the one finding allowed, by the element it is about."""
    return (
        finding.message == "Required sequence content is missing"
        and finding.element == "trPr"
        and _only_revision_marks(element)
    )


def _lint(parts: dict[str, etree._Element]) -> list[Finding]:
    out: list[Finding] = []
    for name, root in parts.items():
        tree = root.getroottree()
        for deletion in root.iter(_W + "del"):
            for t in deletion.iter(_W + "t"):
                out.append(
                    Finding(name, tree.getpath(t), "t", "w:t inside w:del (w:delText)", "lint")
                )
        for text in root.iter(_W + "delText"):
            if not any(a.tag in (_W + "del", _W + "moveFrom") for a in text.iterancestors()):
                message = "w:delText outside a deletion"
                out.append(Finding(name, tree.getpath(text), "delText", message, "lint"))
    return out


def _audit(data: bytes) -> list[Finding]:
    with tempfile.TemporaryDirectory(prefix="ooxml-") as folder:
        path = Path(folder) / "checked.docx"
        path.write_bytes(data)
        result = OpenXmlValidator(file_format=FileFormat.OFFICE_2019, max_errors=0).validate(path)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        parts = {
            "/" + name: etree.fromstring(archive.read(name))
            for name in sorted(names)
            if name.endswith(".xml") and not name.startswith("[")
        }
    out: list[Finding] = []
    for error in result.errors:
        root = parts.get(error.part_uri or "")
        element = _resolve(root, error.path) if root is not None and error.path else None
        finding = Finding(
            error.part_uri or "",
            error.path or "",
            etree.QName(element).localname if element is not None else "",
            error.description,
            error.error_type.value,
        )
        if not _allowed(finding, element):
            out.append(finding)
    out += _lint({k: v for k, v in parts.items() if _STORY.fullmatch(k.lstrip("/"))})
    return out


_CACHE: dict[str, list[Finding]] = {}


def audit(source: bytes | Path) -> list[Finding]:
    """The findings of a .docx (bytes or a file), the allowed one left out."""
    data = source.read_bytes() if isinstance(source, Path) else source
    digest = hashlib.sha256(data).hexdigest()
    if digest not in _CACHE:
        _CACHE[digest] = _audit(data)
    return _CACHE[digest]


def assert_valid(source: bytes | Path) -> None:
    """Fail with the (first 20) findings when the .docx does not pass the schema check."""
    found = audit(source)
    if found:
        more = f"\n... and {len(found) - 20} more" if len(found) > 20 else ""
        listed = "\n".join(str(f) for f in found[:20])
        raise AssertionError(f"{len(found)} OOXML finding(s):\n{listed}{more}")


def install() -> None:
    """Make every .docx the suite writes in this process pass the check: the docx writer is
    wrapped so that each file it returns goes through `assert_valid` (once per content). Called
    from conftest.py, before the test modules import `write_docx`."""
    from stratplan.writers import docx as writer

    if getattr(writer.write_docx, "checked", False):
        return
    unchecked = writer.write_docx

    def write_docx(*args: Any, **kwargs: Any) -> bytes:
        data = unchecked(*args, **kwargs)
        assert_valid(data)
        return data

    write_docx.checked = True  # type: ignore[attr-defined]
    write_docx.__doc__ = unchecked.__doc__
    writer.write_docx = write_docx
