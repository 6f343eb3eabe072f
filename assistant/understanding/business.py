"""What the company does, when it says so in words that name none of the Beijing lists' sectors.

"We're a project-management SaaS company", "我们是做内容社区的", "a study-abroad agency": the person has
told us the business, and it is none of the sectors the lists regulate, so the industry is `other`; asking
"which industry are you in?" again would be a question that was already answered. The sectors themselves
are read first (vocabulary.INDUSTRY_PATTERNS); this only reads a self-description that is left over.
"""

from __future__ import annotations

import re

from .places import MAINLAND_PLACE

_EN = re.compile(
    r"\b(?:we(?:'re| are)|i(?:'m| am) (?:at|with)|(?:my|our) client(?:,| is)|client is|they(?:'re| are))\s+"
    r"(?:an?|the)\s+(?P<desc>[\w&/+' -]{2,40}?)\s+"
    r"(?:company|startup|firm|platform|app|studio|business|agency|provider|operator|chain|group|shop|store|"
    r"school|centre|center|network|marketplace|brand|vendor|house|developer|publisher)\b",
    re.IGNORECASE,
)
_ZH = re.compile(
    r"(?:我们|我司|本公司|公司|企业|客户|这家)(?:是|为)?(?:一家|一个)?(?:在[^，。,.；;？?]{1,10}[，,]?\s*)?"
    r"(?:做(?P<doing>[^，。,.；;的]{2,14})(?:的|(?=[，。,.；;？?]|$))|(?P<desc>[^，。,.；;]{2,14}?)(?:公司|企业|机构|平台|中介|工作室|门店|连锁店|社区|App|APP))"
)
_GENERIC = re.compile(
    r"^(?:\W|北京|上海|中国|外资|外商|内资|国有|民营|合资|跨国|一家|小|大|中型|新|beijing|chinese|china|foreign|"
    r"foreign[\s-]invested|multinational|local|small|large|big|mid-sized|new|global|international|private|"
    r"state[\s-]owned|subsidiary|wholly[\s-]owned|\d+)*$",
    re.IGNORECASE,
)
_NOT_A_BUSINESS = re.compile(
    r"数据|信息|出境|传|关键|运营者|自贸|注册|位于|区的|registered|located|based|data|information|infrastructure|transfer|export|free[\s-]trade|ftz",
    re.IGNORECASE,
)


def described_business(text: str) -> str | None:
    """The words in which the person describes what the company does, if they do; None otherwise."""
    for m in (*_EN.finditer(text), *_ZH.finditer(text)):
        desc = MAINLAND_PLACE.sub("", m.groupdict().get("doing") or m.groupdict().get("desc") or "")
        desc = re.sub(r"^[区市县]|[的在]$", "", desc.strip()).strip()
        if desc and not _GENERIC.match(desc) and not _NOT_A_BUSINESS.search(desc):
            return m.group(0).strip()
    return None
