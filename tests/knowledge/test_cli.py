"""`assistant knowledge ...` end to end in one process: save, preview, approve, publish, versions, rollback."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = "threshold: {fact: individuals, at_least: 50000}"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, accounts: object) -> Path:
    """The CLI's settings point at the audit database the `accounts` fixture filled."""
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("ASSISTANT_AUDIT_URL", raising=False)
    return tmp_path


def test_the_whole_path(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    draft_file = data_dir / "draft.yaml"
    pack = (ROOT / "corpus" / "rules" / "beijing-ftz-2024.yaml").read_text(encoding="utf-8")
    draft_file.write_text(pack.replace(SHIPPED, SHIPPED.replace("50", "30")), encoding="utf-8")
    assert main(["knowledge", "save", "pack", "beijing-ftz-2024", str(draft_file), "--as", "olga"]) == 0
    assert capsys.readouterr().out.strip() == "draft 1"
    assert main(["knowledge", "preview", "1", "--no-recorded", "--no-golden"]) == 0
    shown = capsys.readouterr().out
    assert "valid" in shown and "changed items pharma-clinical-trial-pi" in shown
    assert main(["knowledge", "publish", "1", "--as", "olga"]) == 1
    assert "needs the approval" in capsys.readouterr().err
    assert main(["knowledge", "approve", "1", "--as", "olga"]) == 1
    assert "cannot approve" in capsys.readouterr().err
    assert main(["knowledge", "approve", "1", "--as", "anna"]) == 0
    assert main(["knowledge", "publish", "1", "--as", "olga"]) == 0
    assert "published version 1" in capsys.readouterr().out
    assert main(["knowledge", "versions"]) == 0
    assert "beijing-ftz-2024" in capsys.readouterr().out
    assert main(["knowledge", "rollback", "1", "--as", "olga"]) == 1  # an officer may not roll back
    assert main(["knowledge", "rollback", "1", "--as", "anna", "--note", "undo"]) == 0
    capsys.readouterr()
    assert main(["knowledge", "versions"]) == 0
    assert capsys.readouterr().out == ""
    assert main(["knowledge", "drafts", "--status", "published"]) == 0
    assert "by olga approved by anna" in capsys.readouterr().out


def test_bad_files_get_a_clear_message(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    binary = data_dir / "table.bin"
    binary.write_bytes(b"\xff\xfe\x00binary")
    assert main(["knowledge", "save", "card", "x-card", str(binary), "--as", "olga"]) == 1
    assert "not UTF-8 text" in capsys.readouterr().err
    assert main(["knowledge", "save", "card", "x-card", str(data_dir / "missing.yaml"), "--as", "olga"]) == 1
    assert "cannot read" in capsys.readouterr().err
    empty = data_dir / "empty.yaml"
    empty.write_text("  \n", encoding="utf-8")
    assert main(["knowledge", "save", "card", "x-card", str(empty), "--as", "olga"]) == 1
    assert "empty" in capsys.readouterr().err
