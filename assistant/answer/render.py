"""Rendering: a determination's messages in Chinese or English, from the catalogue and the rule packs."""

from __future__ import annotations

from ..catalogue import has, lang_of, word
from ..determination import Citation, Determination, Message, Param, Question
from ..rules import RuleBook


def render(message: Message, book: RuleBook, lang: str) -> str:
    """One message in `lang`: a catalogue key, or a rule pack's text (`pack:...`), with its parameters."""
    lang = lang_of(lang)
    params = {name: _param(value, book, lang) for name, value in message.params.items()}
    key = message.key
    if key.startswith("pack:"):
        try:
            template = book.text(key).get(lang)
        except KeyError:
            return key
        return template.format_map(_Defaults(params))
    if key.startswith("value.") and not has(key):
        return key.rsplit(".", 1)[-1]  # a value a pack added without a name in the catalogue
    text = word(key, lang, **params)
    return text.capitalize() if key == "fmt.capitalize" else text


def render_determination(det: Determination, book: RuleBook, lang: str) -> Determination:
    """A copy of `det` whose texts (reasons, assumptions, next steps, branches, changes) are in `lang`."""
    lang = lang_of(lang)
    # A shallow copy with new lists of new items: the determination's messages are never changed, and a deep copy
    # of its trace and citations cost a tenth of an answer.
    return det.model_copy(
        update={
            "language": lang,
            "reasons": [render(m, book, lang) for m in det.reason_keys],
            "assumptions": [render(m, book, lang) for m in det.assumption_keys],
            "next_steps": [render(m, book, lang) for m in det.next_step_keys],
            "branches": [b.model_copy(update={"label": render(b.label_key, book, lang)}) for b in det.branches],
            "would_change": [c.model_copy(update={"text": render(c.text_key, book, lang)}) for c in det.would_change],
            "special_regimes": [
                r.model_copy(update={"text": render(r.text_key, book, lang)}) for r in det.special_regimes
            ],
            "question": render_question(det.question, book, lang) if det.question is not None else None,
        }
    )


def render_question(question: Question, book: RuleBook, lang: str) -> Question:
    """A copy of the follow-up question whose options' labels are in `lang`."""
    options = [o.model_copy(update={"label": render(o.label_key, book, lang)}) for o in question.options]
    return question.model_copy(update={"options": options})


def _param(value: Param, book: RuleBook, lang: str) -> str:
    if isinstance(value, bool):
        return word(f"value.bool.{str(value).lower()}", lang)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, str):
        return value
    if isinstance(value, Citation):
        return book.registry.label(value.doc, value.article, lang)
    if isinstance(value, Message):
        return render(value, book, lang)
    cites = all(isinstance(v, Citation) for v in value)
    return word("sep.cites" if cites else "sep.list", lang).join(_param(v, book, lang) for v in value)


class _Defaults(dict[str, str]):
    """Placeholders a pack text names but the checker did not fill show as `?`."""

    def __missing__(self, key: str) -> str:
        return "?"
