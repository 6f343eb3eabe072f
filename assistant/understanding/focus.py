"""The part of a long message worth reading: a pasted e-mail thread or meeting note, cut to what concerns data.

A message of up to 20,000 characters may hold the question at the end or in the middle, surrounded by
signatures, scheduling and other business. Reading all of it would let a word in an unrelated line (a
"logistics schedule") set a fact; reading only the start would miss a question at the end. `focus` keeps the
sentences that speak about data, people, places or the transfer, and every question, in their order, up to
`READ_CHARS`; the nearer a sentence is to the last question, the sooner it is kept.
"""

from __future__ import annotations

import re

READ_CHARS = 3500
"""How much of a long message is read (the understanding layer reads at most 4,000 characters)."""

_SENTENCE = re.compile(r"[^\n.!?。！？；;]+[.!?。！？；;]?")
_QUESTION = re.compile(r"[?？]|[吗呢]\s*[。！!]?$")
_CUES = re.compile(
    r"\b(?:data|information|personal|sensitive|transfer\w*|send\w*|sent|shar(?:e|es|ed|ing)|provid\w+|export\w*|abroad|overseas"
    r"|offshore|foreign|cross-border|hq|headquarters?|parent|affiliate|group|ftz|free[\s-]trade|beijing|zone"
    r"|customers?|clients?|employees?|staff|patients?|users?|members?|subjects?|participants?|people|persons?"
    r"|individuals?|children|minors?|records?|assessment|contract|certification|cac|pipl|consent|server|cloud"
    r"|court|police|regulator|exempt\w*|necessary)\b"
    r"|数据|信息|资料|个人|敏感|出境|境外|海外|国外|跨境|传输|传|发送|提供|共享|总部|母公司|集团|自贸|北京|客户|用户|员工"
    r"|患者|受试者|会员|儿童|未成年|人数|万人|名|评估|合同|认证|网信|同意|服务器|云|法院|警方|监管|豁免|必要",
    re.IGNORECASE,
)


_BOILERPLATE = re.compile(
    r"^[^\n]*?(?:\b(?:this (?:e-?mail|message|communication)|e-?mail transmissions?)\b[^\n]{0,80}?"
    r"\b(?:confidential|privileged|intended (?:only |solely )?for|cannot be guaranteed)"
    r"|\bif you (?:are not|have received this)\b[^\n]{0,60}?\b(?:intended recipient|in error)"
    r"|\bconsider the environment before printing"
    r"|本(?:邮件|电子邮件|信息|消息)[^\n]{0,40}?(?:保密|机密|仅供|专供)"
    r"|如果?您不是[^\n]{0,10}?收件人|打印本邮件前)[^\n]*",
    re.IGNORECASE | re.MULTILINE,
)
"""A line of an e-mail's legal notice ("This e-mail may contain confidential information…", "本邮件可能含有保密
信息"): it says nothing of the transfer, and its words ("e-mail", "recipient") would set facts."""


def focus(text: str, limit: int = READ_CHARS) -> str:
    """The sentences of `text` that concern the transfer or ask something, in order, at most `limit` characters;
    a message within the limit is returned whole, without the legal notices of pasted e-mails."""
    text = _BOILERPLATE.sub("", text)
    if len(text) <= limit:
        return text
    sentences = [(m.start(), m.group(0).strip()) for m in _SENTENCE.finditer(text) if m.group(0).strip()]
    questions = [start for start, s in sentences if _QUESTION.search(s)]
    anchor = questions[-1] if questions else len(text)
    wanted = [(start, s) for start, s in sentences if _QUESTION.search(s) or _CUES.search(s)]
    kept: list[tuple[int, str]] = []
    used = 0
    for start, sentence in sorted(wanted, key=lambda item: (abs(item[0] - anchor), item[0])):
        if sentence in (s for _, s in kept):
            continue  # quoted again further down the thread
        if used + len(sentence) + 1 > limit:
            continue
        kept.append((start, sentence))
        used += len(sentence) + 1
    return "\n".join(s for _, s in sorted(kept))
