"""A follow-up that keeps one group of several drops the others' people and data."""

from __future__ import annotations

import pytest

from assistant.understanding.narrow import narrowed

EARLIER_EN = "We send 4,000 drivers' payroll and 70,000 shoppers' e-mails to the parent in Ohio."
EARLIER_ZH = "我们想把2000名导游的排班表和15万名游客的手机号一起传到曼谷的总部。"


@pytest.mark.parametrize(
    ("follow_up", "earlier", "kept", "dropped"),
    [
        ("and only the drivers?", EARLIER_EN, "4,000 drivers", "70,000"),
        ("what if we just send the shoppers", EARLIER_EN, "70,000 shoppers", "4,000"),
        ("那如果只传导游的呢？游客的先不传", EARLIER_ZH, "2000名导游", "15万"),
    ],
)
def test_the_group_kept_stays_and_the_others_go(follow_up: str, earlier: str, kept: str, dropped: str) -> None:
    cut = narrowed(follow_up, earlier)
    assert cut is not None and kept in cut and dropped not in cut


@pytest.mark.parametrize(
    ("follow_up", "earlier"),
    [
        ("and only the drivers?", "We send 4,000 drivers' payroll to the parent in Ohio."),  # one group: nothing to cut
        ("what about twice as many?", EARLIER_EN),  # keeps no group
        ("only the pilots then?", EARLIER_EN),  # names a group the message never counted
    ],
)
def test_no_single_group_kept_cuts_nothing(follow_up: str, earlier: str) -> None:
    assert narrowed(follow_up, earlier) is None
