"""What a reviewed Word file says, held to what a contribution can hold, before anything reads
it: control characters removed, names in one normal form, dates the model accepts.

A reviewed file comes from outside the Secretariat, and every string in it (an author, a
date, a comment, the text of a run) ends up as a value of a contribution. Word shows neither a
control character nor a date in year 9999 the way the file stores it, and a contribution cannot
hold either (the YAML reader refuses control characters, the model dates outside 1865-2200), so
each is cleaned here, once, and said: one warning (SP811) per reviewer and kind, naming the
first place. What is cleaned:

- control characters (C0 but tab and line feed, DEL, C1, lone surrogates, U+FFFE and U+FFFF)
  are removed from every text;
- a name (an `author`) is put in Unicode's composed form (NFC), its controls removed and its
  runs of white space (line breaks of any kind included) made one space, so that one person is
  one reviewer however their software spelled the name;
- a date (`date`) outside the years the model accepts is dropped: the change is kept, undated.

The walk is over the fields of the review's dataclasses by name (`author`, `date`, any other
string), so a field the reader adds later is cleaned too.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, TypeVar

from stratplan.diagnostics import Diagnostic, Location, Severity, display_path, shorten
from stratplan.model.plan import FIRST_YEAR, LAST_YEAR

CODE = "SP811"
# What the YAML reader refuses in a value (SP002), and C1 (U+0085 is a YAML line break).
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_DATE = re.compile(r"^(\d{4})-\d{2}-\d{2}$")

T = TypeVar("T")


def clean_text(text: str) -> str:
    """`text` without control characters (tab and line feed kept)."""
    return CONTROL.sub("", text)


def clean_name(name: str) -> str:
    """A person's name as one string for one person: NFC, no control characters, one space
    between words (a line break of any kind is a space)."""
    spaced = " ".join(unicodedata.normalize("NFC", name).split())  # CR, NEL: white space
    return " ".join(clean_text(spaced).split())


def clean_date(date: str) -> str:
    """A date the contribution model accepts (YYYY-MM-DD, 1865 to 2200), else ""."""
    found = _DATE.match(date)
    if found is None or not FIRST_YEAR <= int(found.group(1)) <= LAST_YEAR:
        return ""
    return date


@dataclass
class _Found:
    what: dict[str, None] = field(default_factory=dict)  # the characters or dates, in order
    place: str = ""


class _Cleaner:
    def __init__(self) -> None:
        # (reviewer or None for the file's own text, kind) -> what was cleaned
        self.found: dict[tuple[str | None, str], _Found] = {}
        self.place = ""

    def note(self, owner: str | None, kind: str, what: list[str]) -> None:
        found = self.found.setdefault((owner, kind), _Found(place=self.place))
        for item in what:
            found.what.setdefault(item, None)

    def value(self, value: T, name: str, owner: str | None) -> T:
        result: Any = value
        if isinstance(value, str):
            result = self.string(value, name, owner)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            result = self.record(value, owner)
        elif isinstance(value, list):
            result = [self.value(v, name, owner) for v in value]
        elif isinstance(value, tuple):
            result = tuple(self.value(v, name, owner) for v in value)
        elif isinstance(value, dict):
            result = {self.value(k, "", owner): self.value(v, name, owner)
                      for k, v in value.items()}
        return result  # type: ignore[no-any-return]

    def string(self, value: str, name: str, owner: str | None) -> str:
        if name == "date":
            cleaned = clean_date(value)
            if value and not cleaned:
                self.note(owner, "date", [value])
            return cleaned
        removed = CONTROL.findall(value)
        if removed:
            self.note(owner, "control", [f"U+{ord(c):04X}" for c in removed])
        if name == "author":
            return clean_name(value)
        return CONTROL.sub("", value) if removed else value

    def record(self, value: Any, owner: str | None) -> Any:
        names = [f.name for f in dataclasses.fields(value)]
        author = getattr(value, "author", None)
        revision = getattr(value, "revision", None)
        if isinstance(author, str):
            owner = clean_name(author)
        elif revision is not None and isinstance(getattr(revision, "author", None), str):
            owner = clean_name(revision.author)
        changes = {}
        for name in names:
            old = getattr(value, name)
            new = self.value(old, name, owner)
            if new is not old:
                changes[name] = new
        return dataclasses.replace(value, **changes) if changes else value

    def review(self, review: T) -> T:
        """Each top-level collection item with its place, for the messages."""
        changes = {}
        for item in dataclasses.fields(review):  # type: ignore[arg-type]
            old = getattr(review, item.name)
            if isinstance(old, list):
                new: Any = []
                for number, element in enumerate(old, 1):
                    self.place = _place(item.name, number, element)
                    new.append(self.value(element, item.name, None))
            elif isinstance(old, dict):
                new = {}
                for key, element in old.items():
                    self.place = _place(item.name, key, element)
                    new[self.value(key, "", None)] = self.value(element, item.name, None)
            else:
                self.place = "the file"
                new = self.value(old, item.name, None)
            if new != old:
                changes[item.name] = new
        return dataclasses.replace(review, **changes) if changes else review  # type: ignore[type-var]


def _place(collection: str, key: object, element: object) -> str:
    """Where an element of the review is, as a reader of the document finds it: its words."""
    words = ""
    text = getattr(element, "text", None)
    if callable(text):  # a paragraph: its text as the reviewers left it
        words = text("accept")
    elif isinstance(text, str):
        words = text
    quote = f" “{shorten(clean_text(words))}”" if words.strip() else ""
    if collection == "paragraphs":
        table = getattr(element, "table", None)
        if table is not None:
            return (f"table {table + 1}, row {getattr(element, 'row', 0) + 1}, cell "
                    f"{getattr(element, 'cell', 0) + 1}{quote}")
        return f"the paragraph{quote}" if quote else f"paragraph {key}"
    if collection == "comments":
        return f"the comment{quote}"
    return f"{collection} {key}{quote}"


def clean_review(review: T, path: object) -> tuple[T, list[Diagnostic]]:
    """`review` (a reviewed file as `stratplan.proposals.review` reads it) with every string
    held to what a contribution can hold, and one warning per reviewer and kind of thing
    cleaned."""
    cleaner = _Cleaner()
    cleaned = cleaner.review(review)
    where = Location(display_path(str(path)))
    out = []
    for (owner, kind), found in cleaner.found.items():
        who = f"{shorten(owner)}" if owner else "the file's untracked text"
        listed = ", ".join(list(found.what)[:5]) + (" …" if len(found.what) > 5 else "")
        if kind == "control":
            message = (f"{who}: control characters removed ({listed}): Word "
                       f"does not show them and a contribution cannot hold them; the first in "
                       f"{found.place}")
            hint = "nothing to do: the text is imported without them"
        else:
            message = (f"{who}: dates not between {FIRST_YEAR} and {LAST_YEAR} "
                       f"({listed}): imported undated; the first in {found.place}")
            hint = "the change is imported; the file's dates are not what the reviewer's " \
                   "computer would write"
        out.append(Diagnostic(CODE, Severity.WARNING, message, where, hint))
    return cleaned, out
