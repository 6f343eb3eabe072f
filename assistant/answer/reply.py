"""The assistant's reply to one question (contract: Answer)."""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

from ..determination import Determination
from ..facts import Facts


class SourcePassage(BaseModel):
    """A cited passage as shown to the person (contract: Answer.sources)."""

    doc: str
    article: str
    text: str
    score: float | None = None
    id: str | None = Field(default=None, description="the passage id in the index")
    title: str | None = None
    kind: str | None = Field(default=None, description="official (the official text) or note (our restatement)")
    lang: str | None = None
    official: str | None = Field(default=None, description="the official Chinese text, when `text` is a note")
    superseded_by: str | None = Field(default=None, description="what replaced this provision, if it was")


Intent = Literal["transfer", "informational", "out_of_scope"]


class Part(BaseModel):
    """One of several transfers or side questions in a message (contract: Answer.parts)."""

    text: str = Field(description="the part of the question")
    determination: Determination
    answer: str = Field(default="", description="the part's short answer, in the question's language")


class Answer(BaseModel):
    """One answer: text in the question's language, the determination, the facts and the sources."""

    question: str
    language: Literal["zh", "en"]
    answer: str
    determination: Determination
    facts: Facts
    sources: list[SourcePassage] = Field(default_factory=list)
    intent: Intent = "transfer"
    understood: list[str] = Field(default_factory=list, description="what was recognised in the question")
    follow_up: str | None = Field(default=None, description="the one short question asked for a deciding fact")
    error: str | None = Field(default=None, description="why the question could not be handled, when it could not")
    parts: list[Part] = Field(
        default_factory=list, description="one per transfer or side question when a message asks several"
    )
    options: list[str] = Field(
        default_factory=list, description="the answers offered to the follow-up question, in the answer's language"
    )
    card: str | None = Field(
        default=None, description="the id of the answer card (corpus/cards) that answered a rules question, if one did"
    )

    @model_validator(mode="after")
    def _offer_options(self) -> Answer:
        """The options come from the determination's question, so every face shows the same ones."""
        question = self.determination.question
        if not self.options and question is not None:
            self.options = [option.label for option in question.options if option.label]
        return self

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict in the contract's shape."""
        data = self.model_dump(mode="json", by_alias=True)
        data["determination"] = self.determination.to_dict()
        for part, raw in zip(self.parts, data["parts"], strict=True):
            raw["determination"] = part.determination.to_dict()
        return data

    def to_json(self) -> str:
        """The contract JSON on one line."""
        return json.dumps(self.to_dict(), ensure_ascii=False)
