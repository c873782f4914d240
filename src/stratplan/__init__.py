"""stratplan: a strategic plan as code: validate, render and redline it."""

from __future__ import annotations

__version__ = "0.1.0"


def project_url() -> str | None:
    """The repository's address as the package declares it (`[project.urls]` in
    pyproject.toml: `Repository`, else `Source`, else `Homepage`), or None.

    The bug-report line and SARIF's `helpUri` use it; with no address declared they name
    none, rather than one that does not exist."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        entries = metadata("stratplan").get_all("Project-URL") or []
    except PackageNotFoundError:
        return None
    urls: dict[str, str] = {}
    for entry in entries:
        label, _, url = entry.partition(",")
        urls[label.strip().lower()] = url.strip()
    for label in ("repository", "source", "homepage"):
        if urls.get(label):
            return urls[label]
    return None
