"""The `assistant` command as a user runs it: real processes, stdin and exit codes."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from assistant import load_rulebook
from assistant.cli.main import describe_rulebook, guided_session

ROOT = Path(__file__).resolve().parents[1]
FLAGSHIP = {
    "zone": "beijing_ftz",
    "industry": "pharmaceutical",
    "scenario": "clinical_trial",
    "sensitive_info_count": 40000,
    "data_kinds": ["health"],
}


def run(args: list[str], stdin: bytes) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args], input=stdin, capture_output=True, cwd=ROOT, timeout=60
    )


def test_check_json_prints_the_contract_determination() -> None:
    result = run(["check", "--json"], json.dumps(FLAGSHIP).encode())
    assert result.returncode == 0, result.stderr
    det = json.loads(result.stdout)
    assert det["outcome"] == "outside_negative_list"
    assert set(det) >= {"outcome", "rule_packs", "reasons", "citations", "assumptions", "missing_facts", "branches"}
    assert {"doc": "cbdf-provisions-2024", "article": "6"} in det["citations"]


def test_check_before_the_provisions_is_informational() -> None:
    det = json.loads(run(["check", "--json"], b'{"transfer_date": "2023-01-01"}').stdout)
    assert det["outcome"] == "informational"
    assert "2023-01-01" in det["reasons"][0]


def test_check_branches_use_the_key_if() -> None:
    facts = {k: v for k, v in FLAGSHIP.items() if k != "zone"}
    det = json.loads(run(["check", "--json"], json.dumps(facts).encode()).stdout)
    assert det["outcome"] == "needs_more_information"
    branch = next(b for b in det["branches"] if b["if"] == {"zone": "none"})
    assert branch["outcome"] == "security_assessment" and branch["label"]


@pytest.mark.parametrize(
    ("stdin", "fragment"),
    [
        (b"", "not UTF-8 JSON"),
        (b"{not json", "not UTF-8 JSON"),
        (b"\x00\xff\xfe binary", "not UTF-8 JSON"),
        (b"[1, 2]", "JSON object"),
        (b'{"zone": "mars"}', "zone"),
        (b'{"sensitive_info_count": -5}', "sensitive_info_count"),
        (b'{"colour": "red"}', "colour"),
        (b'{"data_kinds": ["dreams"]}', "data_kinds"),
        (b'{"data_subjects": ["aliens"]}', "data_subjects"),
        (b'{"data_subjects": "patients"}', "data_subjects"),
        (b'{"purpose_necessary": "perhaps"}', "purpose_necessary"),
        (b'{"zone": "' + b"x" * 2_000_000 + b'"}', "zone"),
    ],
)
def test_check_refuses_bad_input_with_exit_2_naming_the_field(stdin: bytes, fragment: str) -> None:
    result = run(["check", "--json"], stdin)
    assert result.returncode == 2
    assert fragment in result.stderr.decode()
    assert b"Traceback" not in result.stderr


def test_check_accepts_the_facts_added_on_2026_11_30() -> None:
    added = {
        "data_subjects": ["patients", "trial_subjects"],
        "purpose_necessary": True,
        "public_affairs_body": False,
        "split_to_avoid_threshold": None,
    }
    result = run(["check", "--json"], json.dumps({**FLAGSHIP, **added}).encode())
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["outcome"] == "outside_negative_list"


def test_check_text_and_chinese() -> None:
    result = run(["check", "--text", "--lang", "zh"], json.dumps(FLAGSHIP).encode())
    assert result.returncode == 0
    out = result.stdout.decode()
    assert "outcome: outside_negative_list" in out and "自贸组团" in out and "trace:" in out


def test_rules_lists_each_edition_with_dates_and_item_counts() -> None:
    book = load_rulebook(ROOT / "corpus" / "rules", ROOT / "corpus" / "documents.yaml")
    text = describe_rulebook(book)
    assert "beijing-ftz-2024" in text and "2024-08-30 to 2026-05-10" in text
    assert "beijing-2025" in text and "2026-05-11 to now" in text
    assert "unknown" in text


def test_guided_session_asks_only_deciding_facts() -> None:
    book = load_rulebook(ROOT / "corpus" / "rules", ROOT / "corpus" / "documents.yaml")
    # 40,000 sensitive (asked first: 50,000 or more alone would decide); zone: Beijing FTZ (1); industry:
    # pharmaceutical (2); scenario: clinical trial (1).
    answers = io.StringIO("40000\n1\n2\n1\n")
    out = io.StringIO()
    assert guided_session(book, answers, out, lang="en", today=dt.date(2026, 11, 27)) == 0
    text = out.getvalue()
    assert "outcome: outside_negative_list" in text
    assert "critical information infrastructure operator?" not in text


def test_guided_session_quits_cleanly() -> None:
    book = load_rulebook(ROOT / "corpus" / "rules", ROOT / "corpus" / "documents.yaml")
    out = io.StringIO()
    assert guided_session(book, io.StringIO("banana\nq\n"), out, lang="zh", today=dt.date(2026, 11, 27)) == 0
    assert "1-" in out.getvalue()
