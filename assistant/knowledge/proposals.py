"""Proposed cards: the questions about the rules people asked most in the last 90 days that no card answers.

A question counts when its recorded outcome is `informational` and the cards in force now do not answer it
(the live card index decides, so a card published since then removes its questions). Questions that mean the
same are grouped by their embeddings (cosine at least `SAME_QUESTION`), most frequent group first; each group
becomes the question forms of a card draft the officer completes (answer, citations) in the card editor.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from sqlalchemy import Engine, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from ..casefile.audit import CaseRow

DAYS = 90
"""How far back questions are counted."""
MAX_QUESTIONS = 400
"""At most this many distinct questions (the newest) are matched and grouped."""
MAX_CHARS = 300
"""Longer questions are not proposed as question forms (a card's forms are short questions)."""
SAME_QUESTION = 0.9
"""Cosine similarity from which two questions are grouped as one proposal."""


class Matcher(Protocol):
    """What proposals need of the live card index: a match and the embedder's query vectors."""

    def match(self, query: str, today: dt.date | None = None) -> object | None: ...


class QueryEmbedder(Protocol):
    """An embedder's query side."""

    def embed_query(self, text: str) -> list[float]: ...


@dataclass(frozen=True)
class Proposal:
    """A group of unanswered questions: how often asked, the forms (most frequent first) and a suggested id."""

    count: int
    questions: list[str]
    suggested_id: str
    lang: str


def _key(text: str) -> str:
    return re.sub(r"[\s\W_]+", " ", text.lower()).strip()


def unanswered(engine: Engine, today: dt.date) -> list[tuple[str, str, int]]:
    """(question, language, times asked) of the informational questions recorded in the last `DAYS` days."""
    since = dt.datetime.combine(today - dt.timedelta(days=DAYS), dt.time(), tzinfo=dt.UTC)
    query = (
        select(CaseRow.question, CaseRow.language)
        .where(CaseRow.created_at >= since, CaseRow.outcome == "informational", CaseRow.error.is_(None))
        .order_by(CaseRow.created_at.desc())
        .limit(20 * MAX_QUESTIONS)
    )
    try:
        with Session(engine) as session:
            rows = list(session.execute(query))
    except SQLAlchemyError:
        return []
    counted: dict[str, tuple[str, str, int]] = {}
    for question, lang in rows:
        text = " ".join(str(question).split())
        if not text or len(text) > MAX_CHARS:
            continue
        key = _key(text)
        seen = counted.get(key)
        counted[key] = (seen[0], seen[1], seen[2] + 1) if seen else (text, str(lang), 1)
    return sorted(counted.values(), key=lambda t: -t[2])[:MAX_QUESTIONS]


def proposals(
    engine: Engine, cards: Matcher, embedder: QueryEmbedder, today: dt.date, limit: int = 20
) -> list[Proposal]:
    """The most frequent groups of recorded rule questions that no card in force answers."""
    open_questions = [(q, lang, n) for q, lang, n in unanswered(engine, today) if cards.match(q, today) is None]
    if not open_questions:
        return []
    raw = np.array([embedder.embed_query(q) for q, _, _ in open_questions], dtype=np.float64)
    norms = np.linalg.norm(raw, axis=1, keepdims=True)
    vectors = raw / np.where(norms == 0, 1.0, norms)
    groups: list[list[int]] = []
    for i in range(len(open_questions)):  # greedy: join the first group whose head is close enough
        for group in groups:
            if float(vectors[group[0]] @ vectors[i]) >= SAME_QUESTION:
                group.append(i)
                break
        else:
            groups.append([i])
    found = [_proposal([open_questions[i] for i in group]) for group in groups]
    return sorted(found, key=lambda p: -p.count)[:limit]


def _proposal(members: Sequence[tuple[str, str, int]]) -> Proposal:
    ordered = sorted(members, key=lambda m: -m[2])
    words = re.findall(r"[a-z0-9]+", ordered[0][0].lower())[:5]
    suggested = "-".join(words) or "proposed-card"
    return Proposal(
        count=sum(m[2] for m in members),
        questions=[m[0] for m in ordered[:8]],
        suggested_id=suggested[:60].strip("-") or "proposed-card",
        lang=ordered[0][1],
    )
