"""From a question to a grounded answer: understand, check, retrieve, cite, compose.

Faces (CLI, app, API) call `Assistant.ask`; this module is the one direction of flow
faces -> pipeline -> rules / retrieval.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence

from langchain_core.language_models import BaseChatModel

from .answer.citing import cite, source_passage
from .answer.compose import (
    compose,
    compose_informational,
    compose_parts,
    follow_up_question,
    out_of_scope_text,
    split_first_part,
)
from .answer.labels import outcome_label
from .answer.render import render_determination, render_question
from .answer.reply import Answer, Part, SourcePassage
from .answer.safe import tame
from .catalogue import lang_of, word
from .determination import Citation, Determination
from .errors import FactsError
from .facts import Facts
from .knowledge.live import live_knowledge
from .model.calls import ModelCalls
from .model.llm import make_chat_model, merge_facts, propose_facts, write_prose
from .outcomes import DEMAND
from .retrieval import Retriever, make_embedder
from .retrieval.cards import CardHit, Cards, RecentQueries, split_citation
from .rules import RuleBook, check, default_rulebook
from .settings import Settings
from .understanding import Understanding, detect_language, extract_facts
from .understanding.choice import (
    MAX_REASONED_REPLY_CHARS,
    MAX_REPLY_CHARS,
    picked_option,
    understand_reply,
    yes_or_no,
)
from .understanding.dates import read_on
from .understanding.flags import doubted_status
from .understanding.focus import focus, refused_in_thread
from .understanding.intent import (
    DEFINITIONAL,
    FIRST_PERSON,
    SIDE_QUESTION,
    asks_how_a_rule_works,
    mentions_abroad,
    names_data,
    off_topic,
    own_transfer,
)
from .understanding.meaning import meaning_model
from .understanding.narrow import narrowed
from .understanding.parts import Split, about_the_transfer, enumerated, split_parts
from .understanding.people import counted_together
from .understanding.places import NOT_IN_FTZ
from .understanding.thread import pasted_thread, statements
from .understanding.turn import FLAG_FACTS

QUESTION_MARKS = re.compile(r"[?？]")
MAX_QUESTION_CHARS = 20_000
"""Longer messages are refused with a clear message; up to this (the API's limit) a pasted e-mail thread or meeting
note is read whole: the question and the facts it states."""

RELATED_PASSAGES = 2
"""At most this many passages beside an answer card's own sources (from the same documents)."""


def _who_we_are(understood: Understanding, text: str) -> Facts:
    """The facts an earlier turn leaves for the next: a transfer's, or what an introduction says about us.

    "Hello, we're the district's social-security agency" asks nothing, but the next turn's transfer is then a public
    body's: the processor's own flags, place and sector that a turn about ourselves states are kept.
    """
    if understood.intent == "transfer" or understood.read is None or not FIRST_PERSON.search(text):
        return understood.facts
    own = {name: understood.read.value(name) for name in (*FLAG_FACTS, "zone", "industry")}
    return understood.facts.model_copy(update={k: v for k, v in own.items() if v is not None})


COMPANY_FACTS = ("zone", "industry", "ciio", "state_organ")
"""Facts about the processor, not the transfer: one part's words about the company hold for the other parts."""


def _shared_company(read: list[tuple[str, Understanding]]) -> list[tuple[str, Understanding]]:
    """The parts with the company's facts that another part states and they do not ("(1) our repair shop in Tianjin
    sends …; (2) the whole CRM goes to …": the second is Tianjin's too), when the parts agree on them."""
    transfers = [u.facts for _, u in read if u.intent == "transfer"]
    said = {name: {f.value(name) for f in transfers} - {None} for name in COMPANY_FACTS}
    agreed = {name: values.pop() for name, values in said.items() if len(values) == 1}
    out = []
    for piece, understood in read:
        facts = understood.facts
        if understood.intent == "transfer":
            for name, value in agreed.items():
                if facts.value(name) is None:
                    facts = facts.with_value(name, value)
        out.append((piece, understood if facts is understood.facts else understood.model_copy(update={"facts": facts})))
    return out


def _describes_transfer(facts: Facts) -> bool:
    """Whether the facts describe a transfer of the person's own (how many people, why, to whom), not only who
    or where the company is or which kinds of data a question is about."""
    return bool(
        facts.personal_info_count is not None
        or facts.sensitive_info_count is not None
        or facts.scenario
        or facts.exemption_basis
        or facts.exemption_candidate
        or facts.important_data
        or facts.foreign_judicial_request
    )


def _counted(facts: Facts) -> bool:
    """Whether the facts say how many people's data goes (a sensitive count of 0 read from the kinds says none)."""
    return facts.personal_info_count is not None or bool(facts.sensitive_info_count)


def _narrowed(text: str, history: Sequence[str]) -> list[str] | None:
    """The conversation with its latest message of several groups cut down to the group a follow-up keeps."""
    for i in range(len(history) - 1, max(-1, len(history) - 4), -1):
        if (cut := narrowed(text, history[i])) is not None:
            return [*history[max(0, i - 19) : i], cut, *history[i + 1 :]]
    return None


def _unicode(text: object) -> str:
    """Text that encodes: a lone surrogate (which JSON can carry) becomes "?" instead of failing the embedder."""
    return (text if isinstance(text, str) else str(text)).encode("utf-8", "replace").decode("utf-8")


def _chosen_option(history: Sequence[str], text: str) -> tuple[list[str], str] | None:
    """The option a short reply picks among those the person's previous message listed ("Option 1: … Option 2: …",
    "第一个是…；第二个是…"): the conversation with the listing's context as its last turn, and that option as the
    next message (so "一起传过去" still goes where the context said); None when the reply picks no listed option."""
    listed = enumerated(history[-1]) if history else None
    n = picked_option(text, len(listed.pieces)) if listed is not None else None
    if listed is None or n is None:
        return None
    earlier = [*history[:-1], listed.lead] if listed.lead else list(history[:-1])
    return earlier, listed.pieces[n - 1].text


CONVERSATIONS_KEPT = 2048
"""Conversation prefixes whose facts are kept (each a tuple of earlier messages and the facts they give)."""


class Assistant:
    """The assistant: rule book, retriever and composition, shared by every face."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        rulebook: RuleBook | None = None,
        retriever: Retriever | None = None,
        model: BaseChatModel | None = None,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        """Prepare the assistant; the rule packs load now, the index on first use.

        Args:
            settings: the one Settings object (defaults from the environment).
            rulebook: overrides the packs of `settings` (tests).
            retriever: overrides the retriever of `settings` (tests).
            model: a chat model that may propose facts and write prose (defaults to the settings' endpoint).
            today: the clock the pipeline passes to the checker when no transfer date is given.
        """
        self.settings = settings or Settings()
        self._rulebook = rulebook or default_rulebook(
            self.settings.rules_path(), self.settings.corpus_dir / "documents.yaml"
        )
        # What the help desk published (packs, cards), polled from the audit database; not with a given rule book.
        self.knowledge = live_knowledge(self.settings) if rulebook is None else None
        # Cards and passages embed the same question: one embedding per message (RecentQueries).
        self.retriever = retriever or Retriever(self.settings, embedder=RecentQueries(make_embedder(self.settings)))
        self.model = model if model is not None else make_chat_model(self.settings)
        # Every model call goes through here: a time budget per answer, a circuit breaker, its own event loop.
        self.model_calls = ModelCalls.from_settings(self.model, self.settings) if self.model is not None else None
        self.today = today
        self._prefixes: OrderedDict[tuple[object, tuple[str, ...]], Facts | None] = OrderedDict()
        self._prefixes_lock = threading.Lock()
        self.cards = Cards(
            self.settings.corpus_dir / "cards",
            self.retriever.resolve,
            lambda: self.retriever.embedder,  # one model in memory, shared with retrieval; opens no Chroma
            self.settings.data_dir / "cards",
            self.knowledge.cards if self.knowledge is not None else None,
        )

    @property
    def rulebook(self) -> RuleBook:
        """The packs in force: the shipped ones with those the help desk published (picked up without a restart)."""
        return self._rulebook if self.knowledge is None else self.knowledge.rulebook(self._rulebook)

    def warm(self) -> None:
        """Load now what the first answer would otherwise wait for: the meaning exemplars' and the cards' vectors
        (embedded once, then read from the data folder); the search index loads with the first search.

        Raises:
            AssistantError: the cards or the embedder failed to load.
        """
        meaning_model()
        self.cards.index()

    def ask(self, question: str, history: Sequence[str] = (), facts: Facts | None = None) -> Answer:
        """Answer one question, with earlier user turns of the conversation as context.

        Args:
            question: the person's words, Chinese or English.
            history: earlier user messages, oldest first; facts stated there carry over.
            facts: the facts as they stand before this question (e.g. corrected in a form); when given,
                they replace what `history` would give.

        Returns:
            The answer; bad input gives an answer with `error` set, never an exception.

        Raises:
            RetrievalError: the index or the embedder failed.
        """
        if self.model_calls is not None:
            self.model_calls.start_answer()  # one model budget for the whole answer, all parts together
        with read_on(self.today()):  # "next month" and "this year" on the checker's clock
            return self._ask(question, history, facts)

    def _ask(self, question: str, history: Sequence[str], facts: Facts | None) -> Answer:
        text = _unicode(question)
        history = [_unicode(turn) for turn in history]
        lang = detect_language(text) if text.strip() else "en"
        if not text.strip():
            return self._refusal(text, lang, word("error.empty_question", lang))
        if len(text) > MAX_QUESTION_CHARS:
            message = word("error.question_too_long", lang, length=f"{len(text):,}", limit=f"{MAX_QUESTION_CHARS:,}")
            return self._refusal(text[:200], lang, message)
        chosen = _chosen_option(history, text) if facts is None else None
        if chosen is not None:  # "1" after "option 1: ..., option 2: ...": the person's own option, with its context
            return self._ask(chosen[1], chosen[0], None)
        previous: Facts | None = facts if facts is not None else self._conversation(list(history[-20:]))
        if facts is None and (cut := _narrowed(text, history)) is not None:  # "only the employees then?"
            previous = self._conversation(cut)
        pasted = pasted_thread(text) if facts is None else None
        if pasted is not None and pasted.own:  # a chat log or e-mail thread: its statements, then the person's question
            previous = self._pasted(pasted.messages, previous)
            answer = self._read(pasted.own, history, previous, lang)
            note = f"a pasted thread: {len(pasted.messages)} messages read in order, their own questions set aside"
            return answer.model_copy(update={"question": text, "understood": [note, *answer.understood]})
        reply = self._reply(text, history, previous)
        if reply is not None:  # "1", "是的", an option's words: the answer to the question the last turn asked
            return self._answer(text, reply, previous)
        return self._read(text, history, previous, lang)

    def _read(self, text: str, history: Sequence[str], previous: Facts | None, lang: str) -> Answer:
        """A message that is no reply to the last turn's question: a rule question, a transfer, or several."""
        read = focus(text)
        whole = extract_facts(read, previous)
        quiet = (
            whole.intent == "transfer"
            and previous is None
            and not _describes_transfer(whole.facts)
            and not own_transfer(read)
        )
        mechanics = asks_how_a_rule_works(read)
        card = self._card(text) if (quiet or mechanics) and not off_topic(text) else None
        if card is None and mechanics and history:  # "so has it expired?": "it" is the earlier turn's procedure
            card = self._card(f"{self._procedure(previous, lang) or history[-1][:MAX_REPLY_CHARS]}\n{text}")
        # after questions about the rules, "那我们只有员工手册，这样算不算？" asks about the same rule: a transfer
        # only when it names how many people or data going abroad
        no_case = not own_transfer(read) and not mentions_abroad(read) and not _counted(whole.facts)
        rules_so_far = history and (previous is None or previous == Facts()) and (whole.intent != "transfer" or no_case)
        if card is None and rules_so_far and not off_topic(text):
            # "and where do we submit them?" after a question about the rules: about the same rule, never a case
            earlier = f"{history[-1][:MAX_REPLY_CHARS]}\n{text}"
            card = self._card(text) or self._card(earlier)
            if card is None:
                informational = whole.model_copy(update={"intent": "informational"})
                return self._informational(earlier, informational, None).model_copy(update={"question": text})
        about_rules = mechanics and whole.intent != "out_of_scope" and not _describes_transfer(whole.facts)
        if card is not None or about_rules:
            # "we got ours in 2024; how long is it valid?", "what changed between the 2024 and 2025 lists?"
            return self._informational(text, whole.model_copy(update={"intent": "informational"}), card)
        # several questions about the rules are one; in a conversation about a transfer, "is a hospital a public
        # body here? so which route?" asks about the rule, then the transfer
        ongoing = previous is not None and _describes_transfer(previous)
        # a rule question beside a transfer ("1) payroll to HQ, do we file? 2) by the way, is X an export?") is both
        asides = whole.intent == "informational" and not ongoing
        said = whole.read or whole.facts
        if asides and not _describes_transfer(said) and not said.data_kinds:
            # "does the list cover FTZ firms alone? our office sits in Miyun, so not us?": one rule question
            return self._answer(text, whole, previous)
        split = split_parts(read)
        several = self._several(text, split, previous, asides) if split is not None else None
        return several or self._answer(text, whole, previous)

    @staticmethod
    def _pasted(messages: Sequence[str], previous: Facts | None) -> Facts | None:
        """The facts a pasted thread's messages state, each read on top of those before it (a later figure corrects
        an earlier one, as in a conversation); their questions are the colleagues', not the person's."""
        for message in refused_in_thread(list(messages)):
            said = statements(message)
            if said:
                understood = extract_facts(focus(said), previous)
                previous = understood.facts if understood.intent == "transfer" else (understood.read or previous)
        return previous

    def _turn(self, turn: str, previous: Facts | None) -> Understanding:
        """An earlier turn read on top of the facts before it; a pasted thread by its messages, then the person's
        own words."""
        pasted = pasted_thread(turn)
        if pasted is not None and pasted.own:
            return extract_facts(focus(pasted.own), self._pasted(pasted.messages, previous))
        return extract_facts(focus(turn), previous)

    def _conversation(self, earlier: list[str]) -> Facts | None:
        """The facts the earlier turns of a conversation give, each turn read on top of those before it.

        A conversation grows by one turn at a time, so the facts after each prefix are kept (bounded, per day): the
        next message reads only its newest earlier turn instead of the whole conversation again.
        """
        day = self.today() if self.today is not None else None
        start, previous = 0, None
        with self._prefixes_lock:
            for n in range(len(earlier), 0, -1):
                key = (day, tuple(earlier[:n]))
                if key in self._prefixes:
                    start, previous = n, self._prefixes[key]
                    self._prefixes.move_to_end(key)
                    break
        for n in range(start, len(earlier)):
            turn = earlier[n]
            if turn and len(turn) <= MAX_QUESTION_CHARS:
                answered = self._reply(turn, earlier[:n], previous)  # an earlier "1" answered the question then
                # a question about the rules leaves no facts: its numbers are the rule's ("the 100k line"), not ours
                if answered is not None or not asks_how_a_rule_works(focus(turn)) or own_transfer(turn):
                    previous = _who_we_are(answered or self._turn(turn, previous), turn)
            with self._prefixes_lock:
                self._prefixes[(day, tuple(earlier[: n + 1]))] = previous
                while len(self._prefixes) > CONVERSATIONS_KEPT:
                    self._prefixes.popitem(last=False)
        return previous

    def _reply(self, text: str, history: Sequence[str], previous: Facts | None) -> Understanding | None:
        """The message read as the answer to the follow-up question of the previous turn, if it answers it."""
        if previous is None or len(text) > MAX_REASONED_REPLY_CHARS:
            return None
        lang = detect_language(history[-1]) if history else "en"
        try:
            doubted = self._zone_doubted(previous, " ".join(history))  # as the last answer asked it
            if doubted is not None and (inside := yes_or_no(text)) is not None:
                # Beijing was named and whether in the FTZ asked: "不是" is outside it, "是" inside
                zone = "beijing_ftz" if inside else "beijing"
                note = f"answer to the question asked: zone = {zone} (in the FTZ: {'yes' if inside else 'no'})"
                return Understanding(
                    facts=previous.with_value("zone", zone), intent="transfer", language=lang, notes=[note]
                )
            previous = doubted or previous
            asked = check(previous, self.rulebook, today=self.today()).question
        except FactsError:
            return None
        status = doubted_status(history[-1]) if history else None
        said = yes_or_no(text)
        if status is not None and said is not None and (asked is None or asked.kind != "yes_no"):
            # "IT thinks we might be a CIIO" then "yes": the doubt the person raised is settled
            note = f"answer to the doubt of the previous message: {status} = {'yes' if said else 'no'}"
            return Understanding(
                facts=previous.with_value(status, said), intent="transfer", language=lang, notes=[note]
            )
        if asked is None:
            return None
        shown = [render_question(asked, self.rulebook, lg) for lg in dict.fromkeys((lang, "zh", "en"))]
        return understand_reply(text, shown, previous, lang)

    def decide(self, facts: Facts, lang: str = "en", question: str = "") -> Answer:
        """Answer for facts given directly (the facts panel or the API), without understanding text."""
        det = self._check(facts, lang)
        sources = self.cite(det, lang)
        return Answer(
            question=question,
            language=lang_of(lang),
            answer=compose(det, sources, self.rulebook, lang),
            determination=det,
            facts=facts,
            sources=sources,
            follow_up=follow_up_question(det, lang),
        )

    def cite(self, det: Determination, lang: str) -> list[SourcePassage]:
        """Resolve every citation of a determination to passages; an unresolvable one is dropped."""
        return cite(det, self.retriever, lang)

    def _answer(self, text: str, understood: Understanding, previous: Facts | None) -> Answer:
        lang = understood.language
        if (
            understood.intent == "out_of_scope"
            and understood.read
            and _describes_transfer(understood.read)
            and mentions_abroad(text)
            and names_data(text)
            and not off_topic(text)
        ):
            # "a US court's subpoena wants two employees' mailboxes": off the usual words, but a transfer all the same
            understood = understood.model_copy(update={"intent": "transfer", "facts": understood.read})
        if understood.intent == "out_of_scope" and (previous is None or off_topic(text)):
            det = Determination(outcome="out_of_scope", language=lang)
            return self._wrap(text, understood, det, out_of_scope_text(lang), [])
        if understood.intent == "out_of_scope" and understood.read is not None and previous != Facts():
            # "体检报告那部分先不传了，怎么办？": off the usual words, but in a conversation about a transfer, about it
            understood = understood.model_copy(update={"intent": "transfer", "facts": understood.read})
        if understood.intent == "informational":
            card = self._card(text)
            # an aside ("unrelated: is X an export?"), asked alone (beside "and which route?" the transfer is asked too)
            aside = (DEFINITIONAL.search(text) or SIDE_QUESTION.search(text)) and len(QUESTION_MARKS.findall(text)) <= 1
            if card is not None or previous is None or previous == Facts() or aside:
                return self._informational(text, understood, card)
            # A follow-up in a conversation about a transfer that no rule card answers: about that transfer.
            facts = understood.read or previous or Facts()
            understood = understood.model_copy(update={"intent": "transfer", "facts": facts})
        if self.model_calls is not None:
            proposed = propose_facts(self.model_calls, text)
            facts = merge_facts(understood.facts, proposed, injection=understood.injection)
            understood = understood.model_copy(update={"facts": facts})
        understood = self._zone_in_doubt(text, understood)
        try:
            det = self._check(understood.facts, lang)
        except FactsError as exc:
            det = Determination(outcome="out_of_scope", language=lang)
            answer = self._wrap(text, understood, det, str(exc), [])
            answer.error = str(exc)
            return answer
        sources = self.cite(det, lang)
        prose = write_prose(self.model_calls, text, det, sources, lang) if self.model_calls is not None else None
        # A model's prose is tamed (no images, links or HTML): it may echo what the question asked it to write.
        body = tame(prose) if prose else compose(det, sources, self.rulebook, lang)
        return self._wrap(text, understood, det, body, sources)

    def _zone_in_doubt(self, text: str, understood: Understanding) -> Understanding:
        """ "Our Daxing company" says Beijing, not whether the company is in the FTZ: while only the FTZ's list
        applied (before the all-Beijing edition), that decides, so the zone is asked instead of assumed."""
        answered = any(note.startswith("answer to the question asked: zone") for note in understood.notes)
        doubted = None if answered else self._zone_doubted(understood.facts, text)
        if doubted is None:
            return understood
        note = "zone: Beijing is named but not whether the company is in the FTZ, which decides on that date"
        return understood.model_copy(update={"facts": doubted, "notes": [*understood.notes, note]})

    def _zone_doubted(self, facts: Facts, text: str) -> Facts | None:
        """The facts with the zone unknown when "Beijing" leaves open whether the FTZ's list applied; else None."""
        if facts.zone != "beijing" or facts.transfer_date is None or NOT_IN_FTZ.search(text):
            return None
        day = self.today()
        inside = check(facts.with_value("zone", "beijing_ftz"), self.rulebook, today=day).outcome
        if inside == check(facts, self.rulebook, today=day).outcome:
            return None
        return facts.with_value("zone", None)

    def _several(self, text: str, split: Split, previous: Facts | None, asides: bool = False) -> Answer | None:
        """Each question of a message that asks several, answered as a part with the message's context; None
        when the questions are about one and the same thing (then the message is answered as one), or when a message
        read as a question about the rules (`asides`) has no part that states a transfer of its own."""
        context = extract_facts(split.context, previous) if split.context else None
        base = context.facts if context is not None else previous or Facts()
        read: list[tuple[str, Understanding]] = []
        ongoing = previous is not None and _describes_transfer(previous)
        alones = [extract_facts(piece.text) for piece in split.pieces]
        stated = any(a.facts != Facts() and a.intent == "transfer" for a in alones)
        if asides and not stated:
            return None
        for piece, alone in zip(split.pieces, alones, strict=True):
            if alone.facts == Facts() and about_the_transfer(piece.text) and ongoing and not split.context:
                if stated:
                    continue  # "6万 more this year, so over the line? do we need the contract?": that one transfer
                # "…? and what do we need?" in a conversation about a transfer: that transfer, as a part
                read.append((piece.text, alone.model_copy(update={"intent": "transfer", "facts": base})))
                continue
            if alone.facts == Facts() and about_the_transfer(piece.text):
                continue  # "do we need to file?": about the transfer another question describes
            if alone.facts == Facts() and (alone.intent == "informational" or (ongoing and self._card(piece.text))):
                informational = alone.model_copy(update={"intent": "informational"})
                read.append((piece.text, informational))  # a side question about the rules
                continue
            if ongoing and alone.facts == Facts() and alone.intent == "out_of_scope":
                continue  # "who is right?": asks nothing of its own about the conversation's transfer
            understood = extract_facts(f"{split.context} {piece.text}".strip(), previous)
            off_words = understood.intent == "out_of_scope" and understood.read is not None
            if off_words and understood.read != base and mentions_abroad(piece.text):
                understood = understood.model_copy(update={"intent": "transfer", "facts": understood.read})
            if understood.intent != "transfer" or understood.facts != base:
                read.append((piece.text, understood))
        read = _shared_company(read)
        if len({(u.intent, u.facts.model_dump_json()) for _, u in read}) < 2:
            return None
        apart = [u.intent != "transfer" or self._own_regime(u.facts) for _, u in read]
        together = counted_together([(piece, u.facts) for piece, u in read], apart)
        read = [
            (piece, u if note is None else u.model_copy(update={"facts": facts, "notes": [*u.notes, note]}))
            for (piece, u), (facts, note) in zip(read, together, strict=True)
        ]
        answers = [(piece, self._answer(piece, understood, previous)) for piece, understood in read]
        lang = read[0][1].language
        top = min((a for _, a in answers), key=lambda a: DEMAND.index(a.determination.outcome))
        parts = [
            Part(text=piece, determination=a.determination, answer=split_first_part(a.answer)[0])
            for piece, a in answers
        ]
        body = compose_parts([(piece, a.determination.outcome, a.answer) for piece, a in answers], lang)
        sources = [s for _, a in answers for s in a.sources]
        understood_notes = [note for _, a in answers for note in a.understood]
        return top.model_copy(
            update={
                "question": text,
                "answer": body,
                "sources": sources,
                "parts": parts,
                "understood": understood_notes,
            }
        )

    def _outcome(self, facts: Facts) -> str | None:
        """The outcome the checker gives the facts today; None when they are not valid facts."""
        try:
            return check(facts, self.rulebook, today=self.today()).outcome
        except FactsError:
            return None

    def _procedure(self, facts: Facts | None, lang: str) -> str | None:
        """The name of the procedure the conversation's transfer needs ("security assessment"), if it needs one."""
        outcome = self._outcome(facts) if facts is not None else None
        procedures = ("security_assessment", "standard_contract_or_certification", "competent_authority_approval")
        return outcome_label(outcome, lang) if outcome in procedures else None

    def _own_regime(self, facts: Facts) -> bool:
        """Whether a transfer is decided by a regime of its own whatever the year's counts: data a zone's list
        releases, or a foreign judicial request (or facts that are not valid, which count for nothing)."""
        return self._outcome(facts) in (None, "outside_negative_list", "competent_authority_approval")

    def _card(self, text: str) -> CardHit | None:
        """The answer card that fits a question about the rules, if one does."""
        return self.cards.index().match(text, self.today())

    def _informational(self, text: str, understood: Understanding, hit: CardHit | None) -> Answer:
        """A question about the rules: the answer card that fits it (`hit`), else the best passages."""
        lang = understood.language
        det = Determination(outcome="informational", language=lang)
        if hit is None:
            hits = self.retriever.search(text, k=3)
            sources = [source_passage(h.passage, h.score) for h in hits]
            body = compose_informational(sources, self.rulebook.registry, lang)
            return self._wrap(text, understood, det, body, sources)
        keys = hit.card.cited()
        if hit.correction is not None and split_citation(hit.correction.citation) not in keys:
            keys.append(split_citation(hit.correction.citation))
        det.citations = [Citation(doc=doc, article=article) for doc, article in keys]
        sources = self.cite(det, lang)
        # Related passages by words only (no second embedding): same documents, not cited, not superseded.
        docs = {doc for doc, _ in keys}
        related = [
            source_passage(h.passage, h.score)
            for h in self.retriever.search(text, k=4, mode="bm25")
            if h.passage.doc in docs and (h.passage.doc, h.passage.article) not in keys and not h.passage.superseded
        ][:RELATED_PASSAGES]
        body = compose_informational(sources, self.rulebook.registry, lang, card=hit, related=related)
        answer = self._wrap(text, understood, det, body, [*sources, *related])
        answer.card = hit.card.id
        return answer

    def _check(self, facts: Facts, lang: str) -> Determination:
        return render_determination(check(facts, self.rulebook, today=self.today()), self.rulebook, lang)

    def _wrap(
        self, text: str, understood: Understanding, det: Determination, body: str, sources: list[SourcePassage]
    ) -> Answer:
        return Answer(
            question=text,
            language=understood.language,
            answer=body,
            determination=det,
            facts=understood.facts,
            sources=sources,
            intent=understood.intent,
            understood=list(understood.notes),
            follow_up=follow_up_question(det, understood.language),
        )

    def refusal(self, text: str, message: str) -> Answer:
        """An answer that declines a question it could not handle, with the reason in `error`."""
        return self._refusal(text[:MAX_QUESTION_CHARS], detect_language(text) if text.strip() else "en", message)

    def _refusal(self, text: str, lang: str, message: str) -> Answer:
        return Answer(
            question=text,
            language=lang_of(lang),
            answer=out_of_scope_text(lang),
            determination=Determination(outcome="out_of_scope", language=lang),
            facts=Facts(),
            intent="out_of_scope",
            error=message,
        )
