"""The numbering part (word/numbering.xml): bullet "•" and dash "–" lists, nine levels each.

List paragraphs refer to these by w:numPr (numId + ilvl), so Word shows them as real lists.
"""

from __future__ import annotations

from lxml import etree

from .styles import FONT, HANGING
from .xml import NSMAP, el, sub

# IR list_kind -> w:numId
NUM_IDS = {"bullet": "1", "dash": "2"}
_LISTS = (("bullet", "\u2022", "5C1A0001"), ("dash", "\u2013", "5C1A0002"))


def numbering_element(font: str | None = FONT) -> etree._Element:
    """The two lists; their symbols in `font` (None: the paragraph's own font)."""
    root = el("numbering", nsmap=NSMAP)
    for abstract_id, (_kind, symbol, nsid) in enumerate(_LISTS):
        abstract = sub(root, "abstractNum", {"abstractNumId": str(abstract_id)})
        sub(abstract, "nsid", {"val": nsid})
        sub(abstract, "multiLevelType", {"val": "multilevel"})
        for level in range(9):
            lvl = sub(abstract, "lvl", {"ilvl": str(level)})
            sub(lvl, "start", {"val": "1"})
            sub(lvl, "numFmt", {"val": "bullet"})
            sub(lvl, "lvlText", {"val": symbol})
            sub(lvl, "lvlJc", {"val": "left"})
            ppr = sub(lvl, "pPr")
            left = HANGING * (level + 1)
            sub(sub(ppr, "tabs"), "tab", {"val": "num", "pos": str(left)})
            sub(ppr, "ind", {"left": str(left), "hanging": str(HANGING)})
            if font:
                rpr = sub(lvl, "rPr")
                sub(rpr, "rFonts", {"ascii": font, "hAnsi": font, "cs": font, "hint": "default"})
    for abstract_id, (kind, _symbol, _nsid) in enumerate(_LISTS):
        num = sub(root, "num", {"numId": NUM_IDS[kind]})
        sub(num, "abstractNumId", {"val": str(abstract_id)})
    return root
