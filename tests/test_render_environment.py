"""`stratplan.render.environment` and `render_ir`: a `--template-dir` template is the user's
code, so its run is bounded, and whatever goes wrong in it is an SP020 naming the template file
and line (the corpus in tests/bad/ runs the same failures through the CLI)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from stratplan.api import render_document
from stratplan.diagnostics import StratplanError
from stratplan.render import environment
from tests.conftest import EXAMPLE

# A loop over a list of the template's own, with no call, attribute or output inside: nothing
# of the sandbox sees its iterations, only the clock does.
SILENT_LOOP = (
    "{% set g = range(1000) | list %}<doc>\n"
    "{% for a in g %}{% for b in g %}{% for c in g %}{% endfor %}{% endfor %}{% endfor %}\n"
    "</doc>\n"
)


def sp020(tmp_path: Path, files: dict[str, str]) -> tuple[str, str]:
    """Render the example plan with these templates; the SP020's file:line and message."""
    folder = tmp_path / "tpl"
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    with pytest.raises(StratplanError) as caught:
        render_document(EXAMPLE, folder)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "SP020" and diagnostic.io
    assert diagnostic.location is not None
    return f"{diagnostic.location.file}:{diagnostic.location.line}", diagnostic.message


def test_a_silent_loop_is_stopped_by_the_clock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(environment, "MAX_SECONDS", 0.5)
    where, message = sp020(tmp_path, {"document.xml.j2": SILENT_LOOP})
    assert "ran for more than" in message
    assert where.endswith("document.xml.j2:2")


def test_outside_the_main_thread_a_loop_that_writes_is_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No SIGALRM outside the main thread: the time is checked at every piece of output, call
    and range item instead."""
    monkeypatch.setattr(environment, "MAX_SECONDS", 0.5)
    template = (
        "{% set g = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] %}<doc>\n"
        "{% for a in g %}{% for b in g %}{% for c in g %}{% for d in g %}{% for e in g %}"
        "{% for f in g %}{% for h in g %}{{ h }}{% endfor %}{% endfor %}{% endfor %}{% endfor %}"
        "{% endfor %}{% endfor %}{% endfor %}\n</doc>\n"
    )
    found: list[tuple[str, str]] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            found.append(sp020(tmp_path, {"document.xml.j2": template}))
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(60)
    assert not worker.is_alive() and not errors, errors
    ((where, message),) = found
    assert "ran for more than" in message and where.endswith("document.xml.j2:2")


def test_range_items_are_counted_across_loops(tmp_path: Path) -> None:
    where, message = sp020(
        tmp_path,
        {
            "document.xml.j2": "<doc>\n{% for i in range(1000) %}\n"
            "{% for j in range(1000) %}{% endfor %}\n{% endfor %}\n</doc>\n"
        },
    )
    assert f"more than {environment.MAX_RANGE_ITEMS} items" in message
    assert where.endswith("document.xml.j2:3")


def test_huge_numbers_are_refused(tmp_path: Path) -> None:
    _, message = sp020(tmp_path, {"document.xml.j2": "<doc>{{ 2 ** 100000 }}</doc>"})
    assert "`**` would make a number" in message


def test_markup_size_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(environment, "MAX_MARKUP_CHARS", 2_000)
    folder = tmp_path / "tpl"
    folder.mkdir()
    with pytest.raises(StratplanError) as caught:
        render_document(EXAMPLE, folder)  # the packaged templates write far more
    (diagnostic,) = caught.value.diagnostics
    assert "wrote more than 2000 characters" in diagnostic.message
    assert diagnostic.location is not None and diagnostic.location.file.endswith(".xml.j2")


def test_an_error_in_an_included_template_names_that_template(tmp_path: Path) -> None:
    where, message = sp020(
        tmp_path, {"show/goals.xml.j2": "{% for goal in plan.goals %}\n{{ goal.nothing }}\n"
                   "{% endfor %}\n"}
    )
    assert where.endswith("show/goals.xml.j2:2")
    assert "nothing" in message


def test_bad_markup_from_an_included_template_names_its_line(tmp_path: Path) -> None:
    where, message = sp020(
        tmp_path, {"show/goals.xml.j2": "{% for goal in plan.goals %}\n<p>{{ goal.title }}</p>\n"
                   '<p level="deep">x</p>\n{% endfor %}\n'}
    )
    assert where.endswith("show/goals.xml.j2:3")
    assert message == '<p level="deep">: not a number'


def test_a_template_linking_out_of_its_folder_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("<doc><p>outside</p></doc>")
    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "document.xml.j2").symlink_to(secret)
    with pytest.raises(StratplanError) as caught:
        render_document(EXAMPLE, folder)
    (diagnostic,) = caught.value.diagnostics
    assert "links out of the template folder" in diagnostic.message
    assert diagnostic.location is not None
    assert diagnostic.location.file.endswith("document.xml.j2")


def test_a_link_inside_the_folder_is_followed(tmp_path: Path) -> None:
    folder = tmp_path / "tpl"
    (folder / "show").mkdir(parents=True)
    (folder / "show" / "own-goals.xml.j2").write_text(
        "{% for goal in plan.goals %}<p>Own: {{ goal.title }}</p>{% endfor %}\n"
    )
    (folder / "show" / "goals.xml.j2").symlink_to("own-goals.xml.j2")
    document = render_document(EXAMPLE, folder)
    texts = [getattr(block, "text", "") for block in document.blocks]
    assert "Own: Universal Connectivity" in texts
