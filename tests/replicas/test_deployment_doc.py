"""The README's Deployment section names only settings that exist, and only commands the CLI has."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.cli.main import _parser
from assistant.settings import Settings

README = Path(__file__).resolve().parents[2] / "README.md"


def deployment_section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## Deployment\n")
    end = text.index("\n## ", start + 1)
    return text[start:end]


def test_every_variable_the_deployment_guide_names_is_a_setting() -> None:
    named = set(re.findall(r"\bASSISTANT_[A-Z0-9_]+", deployment_section()))
    settings = {f"ASSISTANT_{name.upper()}" for name in Settings.model_fields}
    assert named and named <= settings, sorted(named - settings)


def test_every_assistant_command_the_guide_gives_exists(capsys: pytest.CaptureFixture[str]) -> None:
    commands = set(re.findall(r"`assistant ([a-z]+(?: [a-z]+)?)", deployment_section()))
    assert {"audit backup", "db upgrade", "serve"} <= commands | {"serve"}
    parser = _parser()
    for command in sorted(commands | {"serve"}):  # serve: the systemd unit's ExecStart
        with pytest.raises(SystemExit) as done:
            parser.parse_args([*command.split(), "--help"])  # an unknown command exits 2, its help 0
        assert done.value.code == 0, command
    capsys.readouterr()
