"""The public API in assistant/__init__.py is exactly its sorted __all__."""

from __future__ import annotations

import assistant


def test_all_is_sorted_and_complete() -> None:
    public = {name for name in vars(assistant) if not name.startswith("_")}
    modules = {name for name, value in vars(assistant).items() if type(value).__name__ == "module"}
    assert assistant.__all__ == sorted(assistant.__all__, key=lambda n: (not n.isupper(), n))
    assert set(assistant.__all__) == public - modules - {"annotations"}
