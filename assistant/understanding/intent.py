"""What a message is: a transfer question, a question about the rules, something else, or an injection."""

from __future__ import annotations

from typing import Literal

from .counts import find_counts
from .text import normalise, rx

Intent = Literal["transfer", "informational", "out_of_scope"]


_VERB = (
    r"(?:send|transfer|share|provide|export|move|upload|store|give|pass|sync|copy|transmit|disclose|access|"
    r"migrate|host|process)"
)
DOMAIN = rx(
    r"\bpersonal (?:information|info|data)\b", r"\bcross[\s-]border\b", r"\boutbound\b",
    r"\bdata (?:export|transfer)s?\b",
    r"\bPIPL\b", r"\bCAC\b", r"\bCIIOs?\b", r"\bcritical information infrastructure\b", r"\bFTZ\b",
    r"\bfree[\s-]trade (?:zone|area|port)\b", r"\bnegative list\b", r"\bstandard contracts?\b", r"\bSCCs?\b",
    r"\bsecurity assessments?\b", r"\bcertification\b", r"\bimportant data\b",
    r"\bsensitive (?:personal )?(?:information|data)\b",
    r"\bprivacy\b", r"\bdata (?:protection|security|processor|handler)s?\b", r"\bprovisions\b", r"\bconsent\b",
    r"\bthresholds?\b", "门槛", "阈值",
    "个人信息", "出境", "跨境", "网信", "自贸", "负面清单", "标准合同", "安全评估", "认证", "重要数据", "关基",
    "关键信息基础设施", "备案", "数据安全", "隐私", "敏感", "数据处理者", "个保法", "数据安全法",
)  # fmt: skip
"""Words that only a question about outbound data would use."""

PROCEDURE_WORD = rx(
    r"\bassessments?\b", r"\bfilings?\b", r"\bexempt(?:ion)?s?\b", r"\bthresholds?\b", r"\bcontracts?\b",
    "评估", "申报", "豁免", "门槛", "合同", "清单",
)  # fmt: skip
"""Words of the procedures that make a rule question in scope."""

DATA_WORD = rx(r"\bdata\b", r"\binformation\b", r"\brecords?\b", "数据", "信息", "资料", "病历")
ABROAD = rx(
    r"\babroad\b", r"\boverseas\b", r"\boutside (?:of )?(?:mainland )?China\b", r"\bout of China\b",
    r"\bheadquarters?\b", r"\bHQ\b", r"\bhead office\b", r"\bparent (?:company|group)\b",
    r"\bto (?:the )?(?:US|USA|United States|EU|Europe|Germany|Japan|Singapore|Hong Kong|UK|France|Switzerland|Korea)\b",
    "境外", "国外", "海外", "总部", "母公司", "出境", "传到(?:美国|欧洲|德国|日本|新加坡|香港)",
)  # fmt: skip
FIRST_PERSON = rx(r"\b(?:we|our|us|i|my|we're|we've)\b", "我们", "我司", "本公司", "我公司", "我方", "咱们")
ASK_TRANSFER = rx(
    rf"\b(?:can|could|may|might|should|shall|do|must)\s+(?:we|i|our \w+)\s+(?:\w+\s+){{0,2}}?{_VERB}",
    rf"\b(?:want|plan|intend|going|need|would like|wish|hope|are about)\s+to\s+(?:\w+\s+){{0,2}}?{_VERB}",
    rf"\b(?:allowed|permitted|able)\s+to\s+{_VERB}", rf"\bwe\s+(?:will\s+|would\s+)?{_VERB}(?:s|ed|ing)?\b",
    rf"\bwe(?:'ve| have)\s+(?:already\s+)?{_VERB}",
    "能不能", "可不可以", "能否", "可否", "是否可以", "可以(?:把|将)?[^，。？?]{0,20}(?:传|发|提供|出境|共享)",
    "(?:要|想|打算|计划|准备|拟|需要)(?:把|将)?[^，。？?]{0,20}(?:传|发送|提供|出境|共享|传输)",
    "(?:传|发送|提供|传输)(?:到|至|给)(?:境外|国外|海外|总部|母公司)", "已经传了", "再传",
)  # fmt: skip
"""Someone asking about their own (planned or actual) transfer."""

RULE_QUESTION = rx(
    r"\bwhat (?:is|are|does|counts|kind)\b", r"\bhow (?:long|many|much|do|does|to|is|are)\b", r"\bwhich\b",
    r"\bwhen (?:does|do|is|must)\b", r"\bdefin(?:e|ition)\b", r"\bexplain\b", r"\bmeaning\b", r"\bvalid(?:ity)?\b",
    r"\bdeadline\b", r"\bprocedures?\b", r"\brequirements?\b", r"\bmaterials\b", r"\bdocuments? (?:needed|required)\b",
    "什么是", "是什么", "多久", "多长时间", "有效期", "哪些", "如何", "怎么", "怎样", "流程", "材料", "定义", "含义",
    "指什么", "需要什么", "条件", "时限", "期限",
)  # fmt: skip
OFF_TOPIC = rx(
    r"\bpoems?\b", r"\bsongs?\b", r"\bjokes?\b", r"\bweather\b", r"\brecipes?\b", r"\bstor(?:y|ies)\b",
    r"\bhoroscope\b", r"\bstock price\b", "写诗", "诗歌", "天气", "笑话", "讲个故事", "菜谱", "股价",
)  # fmt: skip

INJECTION = rx(
    r"\b(?:ignore|disregard|forget|override|bypass|skip)\s+(?:all\s+|any\s+|the\s+|your\s+|my\s+|these\s+|those\s+)?"
    r"(?:(?:previous|prior|above|earlier|preceding|system|existing)\s+)?(?:rules?|instructions?|prompts?|guidelines?|"
    r"constraints?|system prompt|checker|regulations?|laws?|policies)\b",
    r"\byou are now\b", r"\bfrom now on,? you\b", r"\bact as (?:a|an|my)\b", r"\bpretend (?:to be|that|you)\b",
    r"\brole-?play\b", r"\bjailbreak\b", r"\bdeveloper mode\b",
    r"\b(?:reveal|print|show) (?:your|the) (?:system )?prompt\b",
    r"\bnew instructions?\b",
    r"\b(?:say|tell (?:me|us|them)|answer|respond|reply|output|state|conclude|confirm|declare|write)\b\s+"
    r"(?:that\s+|only\s+|with\s+)?[\"']?(?:no (?:procedure|assessment|filing|contract|approval)|"
    r"nothing is (?:needed|required)|"
    r"(?:it|this|we|the (?:transfer|answer|outcome))(?:'s| is| are)\s+(?:exempt|allowed|fine|compliant)|exempt\b)",
    "忽略(?:以上|上面|上述|之前|前面|所有|全部|你的|这些)?(?:的)?(?:所有)?(?:规则|指令|指示|提示|设定|要求|限制|规定)",
    "无视(?:以上|之前|所有)?(?:的)?(?:规则|指令|规定)", "你现在是", "从现在起你", "从现在开始你", "扮演", "假装",
    "角色扮演", "系统提示", "开发者模式", "不要(?:遵守|理会|考虑)(?:任何)?(?:规则|法规|规定)",
    "(?:直接|只需|只要)?(?:说|回答|告诉我|输出|写)(?:是)?(?:不需要|无需|免于|豁免|没有|不用)(?:任何)?(?:手续|程序|申报|评估|备案|合同)",
)  # fmt: skip
"""Text that tries to instruct the assistant rather than describe a transfer."""


def detect_injection(text: str) -> bool:
    """Whether the text tries to instruct the assistant ("ignore the rules", "你现在是...")."""
    return bool(INJECTION.search(normalise(text)))


def classify_intent(text: str) -> Intent:
    """A question about a transfer, about the rules, or neither."""
    text = normalise(text)
    if not text:
        return "out_of_scope"
    counts = [c for c in find_counts(text) if c.attached]
    domain = bool(DOMAIN.search(text)) or bool(DATA_WORD.search(text) and ABROAD.search(text))
    domain = domain or bool(PROCEDURE_WORD.search(text) and RULE_QUESTION.search(text))
    transfer = bool(ASK_TRANSFER.search(text)) and (domain or bool(DATA_WORD.search(text)) or bool(counts))
    transfer = transfer or bool(counts and (domain or DATA_WORD.search(text) or FIRST_PERSON.search(text)))
    transfer = transfer or bool(FIRST_PERSON.search(text) and ABROAD.search(text) and DATA_WORD.search(text))
    if OFF_TOPIC.search(text) and not counts:
        return "out_of_scope"
    if transfer:
        return "transfer"
    if domain:
        return "informational"
    return "out_of_scope"
