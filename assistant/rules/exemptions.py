"""The exemptions of Provisions arts 3-5 and Network Data Regulations art 35(6), each tested against the facts.

A claimed basis is applied only when the other facts fit it: art 5(2) covers employees' personal information
only, 5(1) the individual who is a party to the contract (not a company client's business contacts), and every
art 5 basis needs the transfer to be truly necessary ("确需"). A fact that would test the claim and is unknown
becomes a stated assumption; a fact that contradicts it refuses the claim, with the reason.

A *candidate* basis (`Facts.exemption_candidate`: a purpose that may fall under a basis, when the reading was
not sure) is never assumed: whether the transfer is truly necessary for it decides (`purpose_necessary`), so
the checker asks it. Yes: the candidate is the basis claimed, with its other conditions; no: no exemption.
"""

from __future__ import annotations

from ..determination import Message
from .run import Run

BASIS_RULES = {
    "trade_without_personal_or_important_data": "exemption-trade",
    "offshore_collected_reexport": "exemption-offshore-reexport",
    "contract_with_individual": "exemption-contract",
    "hr_management": "exemption-hr",
    "emergency": "exemption-emergency",
    "statutory_duty": "exemption-statutory-duty",
}
"""The national rule that states each exemption basis."""

NECESSITY_BASES = frozenset({"contract_with_individual", "hr_management", "emergency", "statutory_duty"})
"""Bases that hold only when the transfer is truly necessary for the purpose ("确需")."""


def settle_candidate(run: Run) -> None:
    """A candidate basis stated to be necessary is the basis claimed (for every step that reads the basis)."""
    f = run.facts
    if f.exemption_basis is None and f.exemption_candidate is not None and f.purpose_necessary:
        run.facts = f.with_value("exemption_basis", f.exemption_candidate)


def decide_candidate(run: Run) -> None:
    """With a candidate basis and no basis: ask whether the transfer is necessary for it, or say why it fails.

    Raises:
        Missing: `purpose_necessary`, when it is unknown and the other facts do not already refuse the basis.
    """
    f = run.facts
    basis = f.exemption_candidate
    if f.exemption_basis is not None or basis is None:
        return
    shown = Message(key=f"value.exemption_basis.{basis}")
    if f.purpose_necessary is False:
        run.fire("exemption-refused", why=Message(key="exemption.not_necessary"), exemption_basis=shown)
        return
    why = _contradiction(run, basis)
    if why is not None:
        run.fire("exemption-refused", why=why, exemption_basis=shown)
        return
    raise run.missing("purpose_necessary")


def exemption_applies(run: Run) -> bool:
    """Apply the claimed exemption if the facts fit it; refuse it, with the reason, if they contradict it."""
    basis = str(run.facts.exemption_basis)
    why = _contradiction(run, basis)
    if why is not None:
        if basis == "trade_without_personal_or_important_data":
            run.fire("exemption-not-applicable", why=why)
        else:
            run.fire("exemption-refused", why=why)
        return False
    for assumption in _assumptions(run, basis):
        run.assume(assumption)
    run.fire(BASIS_RULES[basis])
    return True


def _contradiction(run: Run, basis: str) -> Message | None:
    """Why the facts contradict the claimed basis, or None."""
    f = run.facts
    subjects = set(f.data_subjects)
    if basis == "trade_without_personal_or_important_data":
        has_pi = (f.personal_info_count or 0) > 0 or (f.sensitive_info_count or 0) > 0
        return Message(key="exemption.has_personal_information") if has_pi else None
    if basis in NECESSITY_BASES and f.purpose_necessary is False:
        return Message(key="exemption.not_necessary")
    if basis == "hr_management" and subjects - {"employees"}:
        others = [Message(key=f"value.data_subjects.{s}") for s in sorted(subjects - {"employees"})]
        return Message(key="exemption.hr_not_employees", params={"subjects": others})
    if basis == "contract_with_individual" and "business_contacts" in subjects:
        return Message(key="exemption.contract_business_contacts")
    return None


def _assumptions(run: Run, basis: str) -> list[Message]:
    """The conditions of the basis that the facts do not state, assumed and said."""
    f = run.facts
    said: list[Message] = []
    if basis in NECESSITY_BASES and f.purpose_necessary is None:
        said.append(
            Message(key="assumption.purpose_necessary", params={"basis": Message(key=f"value.exemption_basis.{basis}")})
        )
    if basis == "hr_management" and not f.data_subjects:
        said.append(Message(key="assumption.subjects_employees"))
    if basis == "contract_with_individual" and not f.data_subjects:
        said.append(Message(key="assumption.subjects_contract_parties"))
    return said
