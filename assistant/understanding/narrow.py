"""A follow-up that narrows a transfer of several groups to one of them ("only the employees then?", "那如果只传员工
的呢？"): the earlier message is read again without the other groups, so their people and data drop out."""

from __future__ import annotations

import re

from .counts import find_counts
from .people import regions
from .persons import PEOPLE_EN, PEOPLE_ZH
from .text import clause_bounds, words

ONLY_GROUP = words(
    r"\b(?:only|just)\b(?:\s+(?:send|sent|transfer\w*|share|provide|move|the|our|their))*\s+\w+"
    r"|(?:只有|只是|仅|只|单单)(?:传|发|提供|给|迁|出境)?(?:了)?"
)
"""Words of a follow-up keeping one group ("only the employees", "只传员工的", "只有员工数据")."""
MAX_FOLLOW_UP_CHARS = 200
_NAMED_ZH = re.compile(r"([\u4e00-\u9fff]{2,4}?)(?:的|数据|信息)")
_PEOPLE = re.compile(rf"\b(?:{PEOPLE_EN})\b|{PEOPLE_ZH}", re.IGNORECASE)


def _nouns(text: str) -> set[str]:
    """The people a text names, as stems ("employees" and "employee" alike), without the bare 人."""
    return {m.group(0).lower().removesuffix("s") for m in _PEOPLE.finditer(text)} - {"人", "people", "person"}


def narrowed(follow_up: str, earlier: str) -> str | None:
    """The earlier message without the groups of people the follow-up leaves out, or None when it narrows to
    no single group of several that the earlier message counted."""
    only = ONLY_GROUP.search(follow_up)
    if len(follow_up) > MAX_FOLLOW_UP_CHARS or only is None:
        return None
    kept_words = follow_up[only.start() : clause_bounds(follow_up, only.start())[1]]  # the group kept, not dropped
    wanted = _nouns(kept_words)
    if (named := _NAMED_ZH.match(follow_up, only.end())) is not None:
        wanted.add(named.group(1))  # "只传导游的": whatever noun stands before 的
    counts = [c for c in find_counts(earlier) if c.attached and not c.uncertain]
    if not wanted or len(counts) < 2:
        return None
    spans = regions(earlier, counts)
    kept = [i for i, (s, e) in enumerate(spans) if any(w in earlier[s:e].lower() for w in wanted)]
    if len(kept) != 1:
        return None
    out = earlier
    for i, (s, e) in sorted(enumerate(spans), key=lambda x: -x[1][0]):
        if i not in kept:
            out = out[:s] + "，" + out[e:]
    return out
