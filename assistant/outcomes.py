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

DEMAND: tuple[str, ...] = (
    "competent_authority_approval",
    "security_assessment",
    "standard_contract_or_certification",
    "needs_more_information",
    "outside_negative_list",
    "exempt",
    "informational",
    "out_of_scope",
)
"""Outcomes from the most demanding to the least: a message about several transfers is headed by its most
demanding part (an undecided part ranks below the decided procedures, above what needs none)."""
