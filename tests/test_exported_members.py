"""The public API in assistant/__init__.py is exactly its sorted __all__ (with the names it imports lazily)."""

from __future__ import annotations

import subprocess
import sys

import assistant


def test_all_is_sorted_and_complete() -> None:
    public = {name for name in vars(assistant) if not name.startswith("_")}
    modules = {name for name, value in vars(assistant).items() if type(value).__name__ == "module"}
    lazy = set(assistant._LAZY_EXPORTS)
    assert assistant.__all__ == sorted(assistant.__all__, key=lambda n: (not n.isupper(), n))
    assert set(assistant.__all__) == (public - modules - {"annotations"}) | lazy
    for name in assistant.__all__:
        assert getattr(assistant, name) is not None, name


def test_assistant_is_exported_and_imported_on_first_use() -> None:
    from assistant import Assistant
    from assistant.pipeline import Assistant as PipelineAssistant

    assert Assistant is PipelineAssistant
    code = (
        "import sys, assistant.facts, assistant.rules; "
        "assert 'assistant.pipeline' not in sys.modules, 'the pipeline was imported eagerly'; "
        "from assistant import Assistant; assert 'assistant.pipeline' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
