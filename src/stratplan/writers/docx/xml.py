"""WordprocessingML names and small lxml helpers shared by the docx modules.

Elements are built with plain lxml (no re-parsing of XML strings per paragraph): `el` makes an
element with attributes in the `w:` namespace, `sub` appends one.
"""

from __future__ import annotations

import datetime as dt
import re

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_NS = "http://www.w3.org/XML/1998/namespace"
NSMAP = {"w": W_NS, "r": R_NS}

_W = f"{{{W_NS}}}"
SPACE = f"{{{XML_NS}}}space"

# Characters XML 1.0 cannot carry: lxml refuses them, so they are dropped from text.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def w(name: str) -> str:
    """The Clark name of `w:name`."""
    return _W + name


def _attrib(attrs: dict[str, str] | None) -> dict[str, str] | None:
    if not attrs:
        return None
    return {(key if key[0] == "{" else _W + key): value for key, value in attrs.items()}


def el(
    tag: str, attrs: dict[str, str] | None = None, nsmap: dict[str, str] | None = None
) -> etree._Element:
    """A new `w:tag` element; attribute names without a prefix are in the w: namespace."""
    return etree.Element(_W + tag, _attrib(attrs), nsmap)


def sub(parent: etree._Element, tag: str, attrs: dict[str, str] | None = None) -> etree._Element:
    """Append a new `w:tag` child to `parent` and return it."""
    return etree.SubElement(parent, _W + tag, _attrib(attrs))


def clean_text(text: str) -> str:
    """Text safe for XML: CRLF/CR as LF, control characters dropped."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _INVALID_XML.sub("", text)


def iso_date(value: str, what: str) -> dt.date:
    """Parse a YYYY-MM-DD IR date; a bad one is a bug in the producer of the IR."""
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValueError(f"{what}: expected a YYYY-MM-DD date, got {value!r}") from None


def w3c_datetime(day: dt.date) -> str:
    """Midnight UTC of `day` as OOXML writes dates: 2025-01-31T00:00:00Z."""
    return f"{day.isoformat()}T00:00:00Z"


def to_bytes(root: etree._Element) -> bytes:
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return data
