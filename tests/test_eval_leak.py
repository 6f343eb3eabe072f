"""No eval question is written into the assistant's code: the evaluation measures reading, not recall.

A run of 8 consecutive English words, or of 12 consecutive Chinese characters, of any eval question (the
current question and the earlier turns, of evals/questions.yaml and evals/realistic/*.yaml) must not occur in
assistant/ (.py, .yaml, .po), unless the same run occurs in the texts the assistant may legitimately quote:
the official sources and fact sheets of ../shared beside the checkout, and corpus/notes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CODE_SUFFIXES = (".py", ".yaml", ".yml", ".po")
ALLOWED_DIRS = (SHARED / "sources", SHARED / "facts", ROOT / "corpus" / "notes")
"""Where a run may also be found and then is no leak (the shared folders are skipped when absent)."""
EN_RUN = 8
ZH_RUN = 12

EN_WORD = re.compile(r"[a-z0-9']+")
NOT_CJK = re.compile(r"[^\u3400-\u4dbf\u4e00-\u9fff]+")

Run = tuple[str, ...]
"""A run of English words, or a one-element tuple holding a run of Chinese characters."""


def words(text: str) -> list[str]:
    """English words: lowercase runs of letters, digits and apostrophes."""
    return EN_WORD.findall(text.lower())


def han(text: str) -> str:
    """Chinese characters only (punctuation, digits, Latin and spaces removed)."""
    return NOT_CJK.sub("", text)


def runs(text: str) -> set[Run]:
    """Every run of 8 English words and of 12 Chinese characters of a text."""
    w = words(text)
    found: set[Run] = {tuple(w[i : i + EN_RUN]) for i in range(len(w) - EN_RUN + 1)}
    h = han(text)
    found |= {(h[i : i + ZH_RUN],) for i in range(len(h) - ZH_RUN + 1)}
    return found


def eval_texts() -> Iterator[tuple[str, str]]:
    """(case id, text) of every question and history turn of every eval file that exists."""
    files = [ROOT / "evals" / "questions.yaml", *sorted((ROOT / "evals" / "realistic").glob("*.yaml"))]
    for path in files:
        if not path.is_file():
            continue
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for case in raw.get("cases") or []:
            for text in [case.get("question"), *(case.get("history") or [])]:
                if isinstance(text, str):
                    yield str(case.get("id")), text


def code_files() -> list[Path]:
    """The assistant's code, catalogue and data files."""
    return sorted(p for p in (ROOT / "assistant").rglob("*") if p.suffix in CODE_SUFFIXES and p.is_file())


@cache
def allowed_text() -> tuple[str, str]:
    """The allowed texts, normalised: English words joined by spaces, and Chinese characters only."""
    english, chinese = [], []
    for folder in ALLOWED_DIRS:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in (".md", ".yaml", ".yml", ".txt"):
                text = path.read_text(encoding="utf-8", errors="replace")
                english.append(" ".join(words(text)))
                chinese.append(han(text))
    return " " + " | ".join(english) + " ", "|".join(chinese)


def is_allowed(run: Run) -> bool:
    """Whether a run also occurs in the official texts, the fact sheets or the notes."""
    english, chinese = allowed_text()
    return (" " + " ".join(run) + " ") in english if len(run) > 1 else run[0] in chinese


def shown(run: Run) -> str:
    return " ".join(run) if len(run) > 1 else run[0]


def leaks() -> list[str]:
    """Each file with the eval runs it holds: `path: "run" (case ids)`."""
    owners: dict[Run, set[str]] = {}
    for case_id, text in eval_texts():
        for run in runs(text):
            owners.setdefault(run, set()).add(case_id)
    found = []
    for path in code_files():
        hits = runs(path.read_text(encoding="utf-8", errors="replace")) & owners.keys()
        for run in sorted(r for r in hits if not is_allowed(r)):
            ids = ", ".join(sorted(owners[run]))
            found.append(f'{path.relative_to(ROOT)}: "{shown(run)}" ({ids})')
    return found


def test_runs_are_english_words_and_chinese_characters() -> None:
    text = (
        "Our shop, in Beijing's Chaoyang district, sends 30,000 names abroad: is that fine? "
        "我们公司在北京朝阳区，今年要向境外提供三万人的信息。"
    )
    found = runs(text)
    assert ("our", "shop", "in", "beijing's", "chaoyang", "district", "sends", "30") in found
    assert ("我们公司在北京朝阳区今年",) in found
    assert all(len(r) == EN_RUN or len(r[0]) == ZH_RUN for r in found)


def test_no_eval_question_is_written_into_the_assistant() -> None:
    found = leaks()
    assert not found, f"{len(found)} eval question run(s) found in assistant/:\n" + "\n".join(found)
