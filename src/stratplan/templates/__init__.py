"""The document templates, shipped inside the package, and what they offer.

`common/` serves every framework generation; `thematic/`, `objectives/` and `sectoral/` hold
the partials whose layout differs (a template there wins over the common one), and a user's
`--template-dir` comes before both. A section places structured content with `show: KIND[:ID]`;
the kinds a framework offers are the `show/KIND.xml.j2` files found along that search path.
A kind that takes an argument says so on its first line, for example
`{#- argument: sectors id (required) -#}`: the id must name an item of that collection.

This module reads file names and first lines only; rendering (Jinja) is `stratplan.render`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent
FRAMEWORKS = ("sectoral", "objectives", "thematic")
SHOW_SUFFIX = ".xml.j2"
_ARGUMENT = re.compile(r"\{#-?\s*argument:\s*([a-z_]+) id \((required|optional)\)\s*-?#\}")


@dataclass(frozen=True)
class ShowKind:
    """What `show: KIND[:ID]` takes: no argument, or an id of `collection`."""

    name: str
    collection: str | None = None
    required: bool = False

    def usage(self) -> str:
        if self.collection is None:
            return self.name
        arg = f"<{self.collection} id>"
        return f"{self.name}:{arg}" if self.required else f"{self.name}[:{arg}]"


def search_path(framework: str, template_dir: Path | None = None) -> list[Path]:
    """Folders a template is looked up in, first match wins."""
    folders = [ROOT / framework, ROOT / "common"]
    return [template_dir, *folders] if template_dir is not None else folders


def _kind(name: str, template: Path) -> ShowKind:
    try:
        with template.open(encoding="utf-8") as handle:
            first = handle.readline()
    except (OSError, UnicodeDecodeError):
        return ShowKind(name)
    match = _ARGUMENT.search(first)
    if match is None:
        return ShowKind(name)
    return ShowKind(name, match.group(1), match.group(2) == "required")


def show_kinds(framework: str, template_dir: Path | None = None) -> dict[str, ShowKind]:
    """The `show:` kinds a plan of `framework` can place, by name, sorted."""
    found: dict[str, ShowKind] = {}
    for folder in search_path(framework, template_dir):
        show = folder / "show"
        if not show.is_dir():
            continue
        for template in sorted(show.glob(f"*{SHOW_SUFFIX}")):
            name = template.name[: -len(SHOW_SUFFIX)]
            if name not in found:
                found[name] = _kind(name, template)
    return dict(sorted(found.items()))
