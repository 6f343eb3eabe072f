"""Invalid rule packs fail to load with a message naming the file and the rule."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from assistant import RulePackError, load_rulebook
from assistant.cli.main import main

from .conftest import DOCUMENTS, RULES_DIR

Mutation = Callable[[dict[str, Any]], None]


def _pack(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((RULES_DIR / f"{name}.yaml").read_text(encoding="utf-8"))
    return data


def _rule(data: dict[str, Any], rule_id: str) -> dict[str, Any]:
    return next(r for r in data["rules"] if r["id"] == rule_id)


def _item(data: dict[str, Any], item_id: str) -> dict[str, Any]:
    return next(i for i in data["items"] if i["id"] == item_id)


CASES: list[tuple[str, str, Mutation, list[str]]] = [
    ("unknown top-level key", "cn-national-2024", lambda d: d.update(colour="red"), ["colour", "Extra inputs"]),
    (
        "unknown key in a rule",
        "cn-national-2024",
        lambda d: _rule(d, "sa-volume").update(severity=3),
        ["rule 'sa-volume'", "severity"],
    ),
    (
        "duplicate rule id",
        "cn-national-2024",
        lambda d: d["rules"].append(copy.deepcopy(_rule(d, "ciio"))),
        ["rule 'ciio'", "duplicate"],
    ),
    (
        "duplicate item id",
        "beijing-ftz-2024",
        lambda d: d["items"].append(copy.deepcopy(_item(d, "auto-ota-upgrade"))),
        ["item 'auto-ota-upgrade'", "duplicate"],
    ),
    (
        "unknown fact name",
        "cn-national-2024",
        lambda d: _rule(d, "ciio")["facts"].append("is_big"),
        ["rule 'ciio'", "unknown fact 'is_big'"],
    ),
    (
        "unknown document",
        "cn-national-2024",
        lambda d: _rule(d, "ciio")["sources"].append({"doc": "gdpr-2016", "article": "46"}),
        ["rule 'ciio'", "unknown document 'gdpr-2016'"],
    ),
    (
        "article that does not exist",
        "cn-national-2024",
        lambda d: _rule(d, "sa-volume")["sources"].append({"doc": "cbdf-provisions-2024", "article": "15"}),
        ["rule 'sa-volume'", "no article '15'"],
    ),
    (
        "list item that does not exist",
        "beijing-ftz-2024",
        lambda d: _item(d, "auto-ota-upgrade")["sources"].append(
            {"doc": "bj-ftz-list-2024", "article": "auto-teleport"}
        ),
        ["item 'auto-ota-upgrade'", "no item 'auto-teleport'"],
    ),
    (
        "threshold with two bounds",
        "beijing-ftz-2024",
        lambda d: _item(d, "pharma-clinical-trial-pi")["threshold"].update(more_than=1),
        ["item 'pharma-clinical-trial-pi'", "exactly one"],
    ),
    (
        "unknown data kind",
        "beijing-ftz-2024",
        lambda d: _item(d, "auto-exterior-video")["data_kinds_any"].append("dreams"),
        ["item 'auto-exterior-video'", "unknown data kind 'dreams'"],
    ),
    (
        "unknown condition",
        "beijing-ftz-2024",
        lambda d: _item(d, "auto-ota-upgrade")["unless"].append("blessed"),
        ["item 'auto-ota-upgrade'", "unknown condition 'blessed'"],
    ),
    (
        "unknown threshold fact",
        "beijing-ftz-2024",
        lambda d: _item(d, "pharma-clinical-trial-pi")["threshold"].update(fact="revenue"),
        ["item 'pharma-clinical-trial-pi'", "unknown fact 'revenue'"],
    ),
    (
        "unknown outcome",
        "cn-national-2024",
        lambda d: _rule(d, "ciio").update(outcome="maybe"),
        ["rule 'ciio'", "outcome"],
    ),
    (
        "required rule missing",
        "cn-national-2024",
        lambda d: d["rules"].remove(_rule(d, "sa-volume")),
        ["rule 'sa-volume'", "required"],
    ),
    (
        "unknown item status",
        "beijing-ftz-2024",
        lambda d: _item(d, "auto-ota-upgrade").update(status="rumoured"),
        ["item 'auto-ota-upgrade'", "status"],
    ),
    (
        "unknown status with an effect",
        "beijing-ftz-2024",
        lambda d: _item(d, "pharma-clinical-trial-pi").update(status="unknown"),
        ["item 'pharma-clinical-trial-pi'", "effect unknown"],
    ),
    (
        "relax item without threshold",
        "beijing-ftz-2024",
        lambda d: _item(d, "pharma-clinical-trial-pi").pop("threshold"),
        ["item 'pharma-clinical-trial-pi'", "needs a threshold"],
    ),
    (
        "scenario outside its field",
        "beijing-ftz-2024",
        lambda d: _item(d, "pharma-clinical-trial-pi").update(scenario="after_sales"),
        ["item 'pharma-clinical-trial-pi'", "after_sales"],
    ),
    (
        "source without article",
        "beijing-ftz-2024",
        lambda d: _item(d, "auto-ota-upgrade")["sources"].append({"doc": "pipl-2021"}),
        ["item 'auto-ota-upgrade'", "article"],
    ),
    (
        "overlapping editions",
        "beijing-ftz-2024",
        lambda d: d.update(effective_to="2026-06-01"),
        ["beijing-2025", "still in force"],
    ),
    (
        "carry over from an unknown pack",
        "beijing-2025",
        lambda d: d["carry_over"].update(pack="beijing-ftz-2019"),
        ["carry_over", "beijing-ftz-2019"],
    ),
    ("unknown zone in scope", "beijing-2025", lambda d: d["scope"]["zones"].append("mars"), ["scope", "mars"]),
    (
        "a rule only the procedure names is missing (counting-window)",
        "cn-national-2024",
        lambda d: d["rules"].remove(_rule(d, "counting-window")),
        ["rule 'counting-window': required by the checker"],
    ),
    (
        "an exemption rule read through a table is missing",
        "cn-national-2024",
        lambda d: d["rules"].remove(_rule(d, "exemption-hr")),
        ["rule 'exemption-hr': required by the checker"],
    ),
    (
        "a reference rule without a threshold",
        "beijing-ftz-2024",
        lambda d: _item(d, "ref-pi-10m").pop("threshold"),
        ["item 'ref-pi-10m'", "needs a threshold"],
    ),
    (
        "a sector pack with an unknown industry",
        "cn-automotive-2021",
        lambda d: d["industries"].append("spaceflight"),
        ["industries", "spaceflight"],
    ),
    (
        "an unknown data subject in an exception",
        "cn-automotive-2021",
        lambda d: _item(d, "auto-pi-100k")["except_subjects"].append("aliens"),
        ["item 'auto-pi-100k'", "aliens"],
    ),
]


@pytest.mark.parametrize(("pack", "mutate", "expected"), [pytest.param(p, m, e, id=n) for n, p, m, e in CASES])
def test_invalid_pack_is_refused(tmp_path: Path, pack: str, mutate: Mutation, expected: list[str]) -> None:
    data = _pack(pack)
    mutate(data)
    path = tmp_path / f"{pack}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(RulePackError) as caught:
        load_rulebook(RULES_DIR, DOCUMENTS, replace=path)
    message = str(caught.value)
    assert str(path) in message
    for fragment in expected:
        assert fragment in message


def test_invalid_yaml_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "cn-national-2024.yaml"
    path.write_text("pack: [unclosed\n", encoding="utf-8")
    with pytest.raises(RulePackError, match="invalid YAML"):
        load_rulebook(RULES_DIR, DOCUMENTS, replace=path)


def test_duplicate_yaml_key_is_refused(tmp_path: Path) -> None:
    text = (RULES_DIR / "beijing-2025.yaml").read_text(encoding="utf-8")
    path = tmp_path / "beijing-2025.yaml"
    path.write_text(text.replace('edition: "2025"', 'edition: "2025"\nedition: "2026"'), encoding="utf-8")
    with pytest.raises(RulePackError, match="duplicate key 'edition'"):
        load_rulebook(RULES_DIR, DOCUMENTS, replace=path)


def test_binary_pack_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "beijing-2025.yaml"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(RulePackError, match=r"beijing-2025\.yaml"):
        load_rulebook(RULES_DIR, DOCUMENTS, replace=path)


def test_validate_command_prints_problems_and_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _pack("beijing-ftz-2024")
    _item(data, "auto-exterior-video")["data_kinds_any"].append("dreams")
    path = tmp_path / "beijing-ftz-2024.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert main(["rules", "validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert "item 'auto-exterior-video'" in err and "dreams" in err


def test_validate_command_accepts_the_real_packs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "validate", str(RULES_DIR)]) == 0
    assert "4 pack(s) valid" in capsys.readouterr().out
