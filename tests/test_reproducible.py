"""Same input, same bytes: render and diff give identical files twice and on another day."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import PLANS, ROOT

# Renders and diffs twice, under another clock.
pytestmark = pytest.mark.slow

# Loaded by the child interpreter before anything else: moves the clock to another day.
FAKE_CLOCK = '''
import datetime, time
_OFFSET = 5 * 365 * 86400 + 12345.678
_real_time = time.time
time.time = lambda: _real_time() + _OFFSET
time.time_ns = lambda: int((_real_time() + _OFFSET) * 1e9)
_real_datetime = datetime.datetime
class _FakeDatetime(_real_datetime):
    @classmethod
    def now(cls, tz=None):
        return _real_datetime.fromtimestamp(time.time(), tz)
    @classmethod
    def utcnow(cls):
        return _real_datetime.utcfromtimestamp(time.time())
    @classmethod
    def today(cls):
        return cls.now()
datetime.datetime = _FakeDatetime
'''


def run(args: list[str], clock: Path | None = None) -> None:
    env = dict(os.environ)
    if clock is not None:
        env["PYTHONPATH"] = f"{clock}{os.pathsep}{env.get('PYTHONPATH', '')}"
    proc = subprocess.run(
        [sys.executable, "-m", "stratplan.cli", *args], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr


def test_render_and_diff_are_identical_on_another_day(tmp_path: Path) -> None:
    clock = tmp_path / "clock"
    clock.mkdir()
    (clock / "sitecustomize.py").write_text(FAKE_CLOCK)
    outputs = []
    for label, fake in (("today", None), ("again", None), ("later", clock)):
        render = tmp_path / f"render-{label}.docx"
        redline = tmp_path / f"redline-{label}.docx"
        run(["render", str(PLANS / "2028-2031"), "-o", str(render)], fake)
        run(["diff", str(PLANS / "2024-2027"), str(PLANS / "2028-2031"), "-o", str(redline)],
            fake)
        outputs.append((render.read_bytes(), redline.read_bytes()))
    assert outputs[0] == outputs[1] == outputs[2]
    with zipfile.ZipFile(tmp_path / "redline-later.docx") as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert all(i.external_attr for i in z.infolist())
        document = z.read("word/document.xml").decode()
    # Every revision is dated from the new plan, not from the (faked) clock: the 2028-2031
    # draft states no date, so 1 January of the first year of the cycle before it (a date
    # never in the future of a draft written during that cycle).
    assert 'w:date="2024-01-01T00:00:00Z"' in document
    assert "2028-01-01" not in document
