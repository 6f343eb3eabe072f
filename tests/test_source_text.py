"""The source is plain text: no control characters (a stray backspace in a regex once made a rule dead)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def test_no_control_characters_in_the_source() -> None:
    files = [*ROOT.joinpath("assistant").rglob("*.py"), *ROOT.joinpath("tests").rglob("*.py"), ROOT / "app.py"]
    found = [f"{p.relative_to(ROOT)}:{n}" for p in files for n, line in enumerate(p.read_text().splitlines(), 1)
             if CONTROL.search(line)]  # fmt: skip
    assert not found, found
