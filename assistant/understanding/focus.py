"""The part of a long message worth reading: a pasted e-mail thread or meeting note, cut to what concerns data.

A message of up to 20,000 characters may hold the question at the end or in the middle, surrounded by
signatures, scheduling and other business. Reading all of it would let a word in an unrelated line (a
"logistics schedule") set a fact; reading only the start would miss a question at the end. `focus` keeps the
sentences that speak about data, people, places or the transfer, and every question, in their order, up to
`READ_CHARS`; the nearer a sentence is to the last question, the sooner it is kept.
"""

from __future__ import annotations

import re

from .text import words

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


_REQUEST = words(
    r"\b(?:asked (?:us |me |them )?(?:for|to (?:add|include|send|provide|share|attach|get))"
    r"|(?:also |now |still )?(?:wants?|wanted|requests?|requested|would like)(?: us)?"
    r"(?: to (?:add|include|send|provide|share|attach|get))?"
    r"|(?:your|their|his|her|the) request for|please (?:also )?(?:provide|send|include|attach|add)"
    r"|if (?:you|we) (?:can|could) (?:also )?(?:add|include|send|provide|attach)"
    r"|(?:proposed|suggested) (?:adding|to add|including|sending))\b"
    r"|要求(?:我们|我方)?(?:提供|加上|附上|增加|一并|发送|传)?|希望(?:我们|我方)?(?:提供|加上|附上|增加|一并|也|能)"
    r"|想要|想(?:加|让我们|要)|提出(?:要|希望)|建议(?:加上|增加|一并|把)"
    r"|(?<![不只])要(?=[^，。；,;\n]{0,14}(?:花名册|名单|身份证|护照|手机号|电话|姓名|资料|信息|数据|轨迹|病历|照片))",
)
"""Words that ask for data ("London also asked for scanned ID cards", "对方要求提供身份证号")."""
_REFUSAL = words(
    r"\b(?:decision|decided|committee|board|legal|compliance|answer|outcome|result|conclusion)\s*[:：-]?\s*"
    r"(?:rejected|declined|refused|not approved|no)\b"
    r"|\b(?:we|they|legal|compliance|the committee|management|i|dpo)\s+(?:have\s+|had\s+|already\s+)?"
    r"(?:said no|declined|refused|rejected|turned (?:it|this|that|them) down|did not agree|didn't agree"
    r"|(?:won't|will not|would not|cannot|can't|do not|don't) (?:send|share|provide|give|include|add|attach|hand over"
    r"|transfer|pass on|do (?:that|this|it)))\b"
    r"|\b(?:this|that|it|those|these|they|the request)\s+"
    r"(?:cannot|can't|won't|will not|may not|must not|is not going to)"
    r"\s+(?:go|be (?:sent|included|shared|added|provided|attached))\b"
    r"|\b(?:request|ask)\s+(?:was|is|has been)\s+(?:declined|refused|rejected|turned down|denied)\b"
    r"|^\s*(?:rejected|declined|refused|not approved)\b"
    r"|(?:结论|决定|决议|回复|答复|意见|结果)\s*[:：]?\s*(?:不同意|否决|驳回|拒绝|不予|不行|不给|不提供|不加)"
    r"|(?:我们|我方|法务|合规|领导|委员会|公司|总经理)[^，。；,;]{0,6}?"
    r"(?:拒绝|婉拒|没同意|没有同意|不同意|否决|驳回|回绝|不给|不提供|不传|不发|不加|不能给|不能提供)"
    r"|(?:这个|这些|该|此)(?:要求|请求|需求)?(?:被|已被)?(?:拒绝|否决|驳回)"
    r"|[—–-]{1,2}\s*(?:不提供|不给|拒绝|不同意|不行)"
    r"|^\s*(?:先|暂时|一律|也)?(?:不给|不行|不提供|不可以|不能给|别给|不传|不同意|拒绝|别外传)"
    r"|^\s*(?:no|nope)\s*[.!,，。]",
)
"""Words that refuse what was asked ("Decision: rejected", "we said no", "我们没同意", "该要求被驳回")."""
_CLAUSE = re.compile(r"(?:[^.!?。！？；;\n\x1e]|\.(?=\d)|\n(?=[ \t]*[a-z]))+[.!?。！？；;\n\x1e]?")
"""A sentence, with a line broken inside it ("customs pre-\nclearance") kept whole."""
REFUSAL_REACH = 2
"""How many sentences back a refusal may answer a request ("London asked for ID cards. Committee: declined.")."""


def refused_as_denied(text: str) -> str:
    """`text` with each request that is refused later on read as a denial: the words that ask ("asked for",
    "要求提供") become "not" / "不", so what was asked for and refused is not sent ("Marketing asked to add ID card
    numbers. Decision: rejected."), and a refusal in a later message of a thread takes it back."""
    spans = [(m.start(), m.end()) for m in _CLAUSE.finditer(text)]
    cues: list[tuple[int, int]] = []
    for j, (start, end) in enumerate(spans):
        refusal = _REFUSAL.search(text[start:end])  # a sentence of its own: "^" is where it starts
        if refusal is None:
            continue
        for i in range(j, max(-1, j - REFUSAL_REACH - 1), -1):
            stop = start + refusal.start() if i == j else spans[i][1]
            asked = list(_REQUEST.finditer(text, spans[i][0], stop))
            if asked:
                cues.append(asked[-1].span())
                break
    for start, end in sorted(set(cues), reverse=True):
        negation = "不" if re.match(r"[\u4e00-\u9fff]", text[start]) else "not"
        text = f"{text[:start]}{negation}{text[end:]}"
    return text


_OTHER_BUSINESS = re.compile(
    r"^[ \t]*(?:[-*•]\s*|(?:item\s*)?\d{1,2}[.)、]\s*)?(?:AOB|A\.O\.B\.?|any other business|other business"
    r"|其他事项|其它事项|其他议题|杂项)\b[^\n]*",
    re.IGNORECASE | re.MULTILINE,
)
"""The "any other business" item of minutes (a canteen menu, a fire drill): nothing of the transfer."""
_REMINDER = re.compile(
    r"(?:^|(?<=[.!?。！？]))[ \t]*(?:also |and |just )?(?:a |one )?(?:quick |friendly |small )?reminder\s*[:：,-]"
    r"[^.!?\n。！？]*[.!?。！？]?|(?:另外|顺便|也)?提醒(?:一下|大家)?\s*[:：，,][^。！？\n]*[。！？]?",
    re.IGNORECASE | re.MULTILINE,
)
"""A reminder of office matters in a pasted message ("Friendly reminder: the kitchen is being cleaned Friday, and
expense claims are due on the 25th"): nothing of the transfer, and its words would set facts."""
_ADDRESSEES = re.compile(r"^[ \t>]*(?:To|Cc|Bcc|收件人|抄送|密送)\s*[:：][^\n]*", re.IGNORECASE | re.MULTILINE)
"""The addressee lines of a pasted e-mail: who got the e-mail, not whose data goes ("收件人" is no consignee)."""
_ANSWERED_NO = re.compile(
    r"^[^\n]*[?？][ \t]*\n(?=[ \t]*(?:A|Answer|答|回答)\s*[:：]\s*(?:no|none|nil|n/?a|not applicable)\b"
    r"|[ \t]*(?:答|回答)\s*[:：]\s*(?:无|没有|否|不涉及|不适用))",
    re.IGNORECASE | re.MULTILINE,
)
"""A questionnaire's question answered "No" or "None" on the next line: the things it lists are not there."""


def refused_in_thread(messages: list[str]) -> list[str]:
    """The messages of a pasted thread with a request that a later message refuses read as denied ("保险公司要全队
    的护照" then "先不给"), as `refused_as_denied` reads one message."""
    joined = refused_as_denied(MESSAGE_BREAK.join(messages))
    return joined.split(MESSAGE_BREAK)


MESSAGE_BREAK = "\x1e"
"""Between the messages of a thread read together (a record separator, which no message holds)."""


def focus(text: str, limit: int = READ_CHARS) -> str:
    """The sentences of `text` that concern the transfer or ask something, in order, at most `limit` characters;
    a message within the limit is returned whole, without the legal notices and addressees of pasted e-mails, the
    "any other business" of minutes, office reminders and the questions of a questionnaire answered "No", and with
    refused requests read as denied."""
    for aside in (_BOILERPLATE, _ADDRESSEES, _OTHER_BUSINESS, _REMINDER, _ANSWERED_NO):
        text = aside.sub("", text)
    text = refused_as_denied(text)
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
