"""The closed vocabulary of outcomes (contract: Determination.outcome)."""

from __future__ import annotations

from typing import Literal, get_args

Outcome = Literal[
    "exempt",
    "outside_negative_list",
    "standard_contract_or_certification",
    "security_assessment",
    "competent_authority_approval",
    "needs_more_information",
    "informational",
    "out_of_scope",
]
OUTCOMES: tuple[str, ...] = get_args(Outcome)
