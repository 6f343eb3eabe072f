"""What a message is: a transfer question, a question about the rules, or something else.

The intent is read by meaning (meaning.py: each clause against bilingual exemplars of the three intents) and
by the few structural signals that are precise: counts of people tied to data, or our own data going abroad,
describe a transfer; a poem, the weather or a purely domestic employment matter is out of scope; words only
a question about outbound data would use keep a question in scope. Without a real embedder the keyword
reading (`keyword_intent`) is used instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from .counts import find_counts, quotes_a_rule
from .kinds import read_kinds
from .meaning import ClauseReading, meaning_model
from .places import FOREIGN
from .text import clean_message, rx

Intent = Literal["transfer", "informational", "out_of_scope"]


_VERB = (
    r"(?:send|transfer|share|provide|export|move|upload|store|give|pass|sync|copy|transmit|disclose|access|"
    r"migrate|host|process|push|forward|hand over)"
)
_DATA_DOMAIN = (
    r"\bpersonal (?:information|info|data)\b", r"\bcross[\s-]border\b", r"\boutbound\b",
    r"\bdata (?:export|transfer)s?\b", r"\b(?:an|as) ['\"‘“]?exports?\b",
    r"\bPIPL\b", r"\bCAC\b", r"\bCIIOs?\b", r"\bcritical information infrastructure\b", r"\bnegative list\b",
    r"\b(?:beijing|two zones)(?:'s)? (?:\w+ )?lists?\b",
    r"\bstandard contracts?\b", r"\bSCCs?\b",
    r"\bsecurity assessments?\b", r"\bcertification\b", r"\bimportant data\b",
    r"\bsensitive (?:personal )?(?:information|data)\b",
    r"\bprivacy\b", r"\bdata (?:protection|security|processor|handler)s?\b", r"\bprovisions\b", r"\bconsent\b",
    r"\bthresholds?\b", r"\bstate organs?\b", "门槛", "阈值", "国家机关",
    "个人信息", "出境", "跨境", "网信", "负面清单", "标准合同", "安全评估", "认证", "重要数据", "关基",
    "关键信息基础设施", "备案", "数据安全", "隐私", "敏感", "数据处理者", "个保法", "数据安全法",
)  # fmt: skip
_PLACES = (r"\bFTZ\b", r"\bfree[\s-]trade (?:zone|area|port)\b", "自贸")
DATA_DOMAIN = rx(*_DATA_DOMAIN)
"""Words that only a question about outbound data would use."""
DOMAIN = rx(*_DATA_DOMAIN, *_PLACES)
"""Those words, or the free-trade zones (a question naming one is in scope unless it is plainly about something
else: registering a company there)."""


PROCEDURE_WORD = rx(
    r"\bassessments?\b", r"\bfilings?\b", r"\bexempt(?:ion)?s?\b", r"\bthresholds?\b", r"\bcontracts?\b",
    r"\bfile (?:it|them|this|that|the|a|an|with|online|for)\b",
    "评估", "申报", "豁免", "门槛", "合同", "清单", "备案",
)  # fmt: skip
"""Words of the procedures that make a rule question in scope."""

DATA_WORD = rx(
    r"\bdata\b", r"\binformation\b", r"\brecords?\b", r"\bvideos?\b", r"\bfootage\b", r"\bimages?\b", r"\bphotos?\b",
    r"\blogs\b(?! (?:in|on|into)\b)", r"\blog (?:files?|data)\b", r"\brecordings?\b", r"\bfiles\b",
    r"\bstatistics\b", r"\bstats\b",
    r"\b(?:a|the|this|that|our|their|my|each|every|one|data|pdf|excel|csv|zip|text|patient|customer|user) file\b",
    r"(?<!what )(?<!which )\bdocuments\b", r"\bprofiles?\b", r"\bdatasets?\b",
    r"\b(?:passport|ID|identity|card|account|phone|licen[cs]e|visa) (?:numbers?|nos?|copies|scans?|details)\b",
    "(?:护照|身份证|证件|银行卡|卡|账|账户)号", "复印件", "扫描件",
    "数据", "信息", "资料", "病历", "视频", "影像", "图像",
    "照片", "记录", "档案", "日志", "名单", "简历", "单据", "统计",
)  # fmt: skip
ABROAD = rx(
    r"\babroad\b", r"\boverseas\b", r"\boutside (?:of )?(?:mainland )?China\b", r"\bout of China\b",
    r"\bheadquarters?\b", r"\bHQ\b", r"\bhead office\b", r"\bparent (?:company|group)\b",
    r"\bto (?:the )?(?:(?-i:US|USA|EU|UK)|United States|Europe|Germany|Japan|Singapore|Hong Kong|France|"
    r"Switzerland|Korea)\b",
    "境外", "国外", "海外", "总部", "母公司", "出境", FOREIGN.pattern,
)  # fmt: skip
FIRST_PERSON = rx(
    r"\b(?:we|our|us|i|my|we're|we've)\b", "我们", "我司", "本公司", "我公司", "我方", "咱们",
    "(?:老板|领导|上级|经理|总监|主管)(?:让|叫|要|请)我",  # asked by one's boss: the company is one's own
)  # fmt: skip
ASK_TRANSFER = rx(
    rf"\b(?:can|could|may|might|should|shall|do|must)\s+(?:we|i|our \w+)\s+(?:\w+\s+){{0,2}}?{_VERB}",
    rf"\b(?:wants?|plans?|intends?|going|needs?|would like|wish|hope|are about)\s+to\s+(?:\w+\s+){{0,2}}?{_VERB}",
    rf"\bwanna\s+(?:\w+\s+){{0,2}}?{_VERB}",
    rf"\b(?:allowed|permitted|able)\s+to\s+{_VERB}", rf"\bwe\s+(?:will\s+|would\s+)?{_VERB}(?:s|ed|ing)?\b",
    rf"\bwe(?:'ve| have)\s+(?:already\s+)?{_VERB}",
    "能不能", "可不可以", "能否", "可否", "是否可以", "可以(?:把|将)?[^，。？?]{0,20}(?:传|发|提供|出境|共享)",
    "(?:要|想|打算|计划|准备|拟|需要)(?:把|将)?[^，。？?]{0,20}(?:传|发送|提供|出境|共享|传输|导出|导过去|同步|推送|上传|迁移|迁到|"
    "拷贝|复制|给到|发给|发到|发往|发过去|交给|寄给|转给)",
    "(?:传|发送|提供|传输)(?:到|至|给)(?:境外|国外|海外|总部|母公司)", "已经传了", "再传",
)  # fmt: skip
"""Someone asking about their own (planned or actual) transfer."""

PASSES = rx(
    rf"\b{_VERB}(?:e?s|ed|ing)?\b", r"\b(?:hand|turn|give|pass)(?:s|ed|ing)?\s+(?:\w+\s+){0,2}?over\b",
    r"\b(?:produc|disclos)(?:e|es|ed|ing)\b",
    r"\b(?:wants?|asks? for|requests?|requires?|receives?|collects?|pulls?|views?)\b(?! to\b)", r"\blooks? up\b",
    "传|(?<![研开])发(?!现|生|展|布|票|明|动|起|烧|热|放|言|表|音|型)|提供|共享|同步|上传|导出|调取|查看|访问|调阅|给到|报给|转给",
    "要(?:求|走|了)|要[^，。；？?]{1,6}的", "把[^。；？?]{1,60}?给",
)  # fmt: skip
"""Words of data passing to someone: what makes the things a message names (a passport, a bank account) its data."""
THING_WORDS = rx(
    r"visas?", r"passports?", r"(?:bank |savings )?accounts?", r"(?:credit |debit |bank |ID |identity )?cards?",
    r"employees?", r"staff", r"workers?", r"colleagues?",
    "签证", "护照", "银行卡", "信用卡", "储蓄卡", "身份证", "银行账户", "账户", "员工", "职工", "同事",
)  # fmt: skip
"""Words of a data kind that also name a thing or a person (a visa, a bank account, an employee): data only when
something passes them; "passport numbers" or "交易流水" are data by themselves."""
RULE_QUESTION = rx(
    r"\bwhat (?:is|are|does|counts|kind)\b", r"\bhow (?:long|many|much|do|does|to|is|are)\b", r"\bwhich\b",
    r"\bwhen (?:does|do|is|must)\b", r"\bdefin(?:e|ition)\b", r"\bexplain\b", r"\bmeaning\b", r"\bvalid(?:ity)?\b",
    r"\bdeadline\b", r"\bprocedures?\b", r"\brequirements?\b", r"\bmaterials\b", r"\bdocuments? (?:needed|required)\b",
    "什么是", "是什么", "多久", "多长时间", "有效期", "哪些", "如何", "怎么", "怎样", "流程", "材料", "定义", "含义",
    "指什么", "需要什么", "条件", "时限", "期限", r"\b(?:apply|applies) to\b", r"\blegal basis\b", "依据", "哪一?条",
    "什么时候", "延期", "延长", r"\bwhere (?:do|does|can|should|must|to|is|are|would)\b", "在哪", "向哪", "去哪",
    "哪里", "哪个部门",
    r"\bhow (?:that|this|it|they) (?:differs?|compares?)\b", r"\bdifference between\b", r"\bdiffers? from\b",
    r"\b(?:help|cover|benefit|apply to)s? (?:a |the |any )?(?:compan(?:y|ies)|firms?|business(?:es)?|entit(?:y|ies))\b",
    "区别", "有什么不同", "差别",
    "适用于", r"\bcomes? to (?:us|you)\b",
)  # fmt: skip
USES_A_RULE = rx(
    r"(?:能不能|可不可以|能否|是否可以|可否)(?:用|适用|使用|享受|援引|走)",
    r"\bcan (?:an? |the )?(?:[\w-]+ ){1,3}(?:use|rely on|claim|benefit from)\b",
)
"""Whether a kind of processor may use a rule ("关基运营者能不能用第五条的豁免？", "can a CIIO rely on the HR
exemption?"): a question about the rule, not a case."""
GENERAL_ONLY = rx(
    r"\b(?:just|only) (?:the|in) (?:principle|general)\b",
    r"\bnot asking about our (?:own )?(?:case|volumes?|numbers|transfer)",
    r"\b(?:just|only) (?:want(?:ed)? to know|asking about|need to know) (?:the )?(?:rules?|principle)\b",
    "不涉及具体(?:哪|的|某)",
)
"""The person says they ask how the rules work in general, not about their own case."""
SAME_AS = rx(
    r"\b(?:is|are|does|do) (?:an? |the )?[\w'’ -]{3,80}? (?:the same (?:thing )?as|equivalent to)\b",
    r"\bor is (?:that|it|this) something else\b", "(?:是否|是不是)?等同于", "(?:是不是|是否)一回事",
)  # fmt: skip
"""Whether one thing is another in the law's eyes ("is an embassy's request the same as a police request?")."""
DEFINITIONAL = rx(
    r"\b(?:does|would|will|do) (?:it|this|that|they) (?:even |really |actually |still )?(?:count|qualify|amount) "
    r"(?:as|to)\b",
    r"\b(?:is|are) (?:it|this|that|they) (?:considered|regarded as|deemed|treated as)\b",
    r"\b(?:treated|regarded|deemed|considered|counted) as (?:an? )?(?:sending|transfer|export|provi|outbound)",
    r"\b(?:is|would|does) (?:it|this|that) (?:\w+ )?(?:be )?(?:an? |still an? )?['\"‘“]?(?:export|outbound transfer|"
    r"cross-border transfer|data transfer)\b",
    r"\b(?:does|do|would|will|is)\s+(?!we\b|i\b|us\b)(?:[\w-]+\s+){1,14}?(?:even |really |actually )?count as (?:an? )?"
    r"(?:sending|transferring|providing|exporting|(?:data |an? )?(?:exports?|transfers?)|outbound|cross-border)\b",
    GENERAL_ONLY.pattern,
    "(?:这|那|这样|那样)(?:也|还)?算(?:是)?(?:数据)?出境",
    "算不算", "是否算", "是否属于", "属不属于", "是否构成", "算是数据出境吗",
    SAME_AS.pattern,
)  # fmt: skip
"""A question of how the rules classify something ("is X treated as an export when…")."""
SIDE_QUESTION = rx(
    r"\b(?:separate|side|unrelated|different|general|quick side) (?:q|qn|question)\b", r"\bon a separate note\b",
    "顺便问", "另外问", "另一个问题", "题外话", "额外问",
)  # fmt: skip
"""A question set apart from the conversation's transfer ("unrelated question:", "另外问一下"): about the rules, not
the transfer."""
OFF_TOPIC = rx(
    r"\bpoems?\b", r"\bsongs?\b", r"\bjokes?\b", r"\bweather\b", r"\brecipes?\b", r"\bstor(?:y|ies)\b",
    r"\bhoroscope\b", r"\bstock price\b", "写诗", "诗歌", "天气", "笑话", "讲个故事", "菜谱", "股价",
)  # fmt: skip
DOMESTIC_ONLY = rx(
    r"\bsocial (?:insurance|security)\b", r"\b(?:annual|paid|sick|maternity) leave\b",
    r"\bhousing (?:provident )?fund\b", r"\bhukou\b", r"\bresidence permits?\b", r"\bwork permits?\b",
    "社保", "社会保险", "年假", "病假", "产假", "公积金", "落户", "户口", "居住证", "居留许可", "工作许可", "就业证",
    r"\b(?:regist(?:er|ering|ration of)|set(?:ting)? up|incorporat(?:e|ing)) (?:a |an |the |our |new )?"
    r"(?:company|WFOE|entity|business|subsidiary|branch)\b",
    r"\bregistered capital\b", r"\bWFOEs?\b",
    r"\b(?:corporate|income|value[- ]added) tax\b", r"\bVAT\b", r"\bVPNs?\b",
    r"\btax (?:filings?|returns?|rates?|deductions?|refunds?)\b", r"\bcustoms (?:duty|duties|tariffs?)\b",
    "注册(?:一家|一个|新)?(?:外资|外商|独资|合资|中外合资)?(?:的)?(?:公司|企业)",
    "公司注册(?:流程|手续|费用|要|需要)", "注册资本", "外商独资",
    "增值税", "所得税", "关税", "报税", "纳税申报", "个税", "退税", "VPN", "翻墙", "代扣代缴", "付汇",
    r"\bwithholding tax\b", r"\bexchange rates?\b", r"\b(?:FX|currency) (?:risk|hedg\w*)\b", "汇率",
    "(?:人民币|美元|欧元|日元|外币)结算",
    r"\bICP\b(?:\s*(?:备案|许可证?|证|经营许可证?))?", "网站备案", "域名备案",
)  # fmt: skip
"""Domestic matters (employment, residence, setting up a company, tax, VPNs, a website's ICP filing): out of scope
unless data goes abroad."""
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])")


def _questions(text: str) -> list[str]:
    """The sentences that end in a question mark (split in one pass: a long note with few of them stays fast)."""
    return [s for s in _SENTENCE_END.split(text) if s.endswith(("?", "？"))]


GOODS_TRADE = rx(
    r"\bHS codes?\b", r"\btariffs?\b", r"\bimport dut(?:y|ies)\b",
    r"\bcustoms (?:broker|declarations?|duty|duties|forms?|paperwork)\b",
    "HS编码", "报关", "关税", "进口免税", "进口增值税", "商品归类",
    r"\b(?:CCC|3C) (?:certification|certificate|mark)\b", r"\b(?:type approval|homologation)\b",
    r"\b(?:drug|medicine|product|medical device|device) (?:registration|approval|licen[cs]e)s?\b",
    r"\bimport (?:licen[cs]es?|permits?)\b", r"\bbonded (?:zone|area|warehouse)\b", "保税(?:区|仓)",
    r"\bimport(?:s|ing|ed)? (?:an? |the |some |our |used |new |second-hand )?(?:[\w-]+ ){0,3}(?:instruments?|machines?|"
    r"machinery|equipment|goods|parts|devices|products|samples|reagents)\b",
    "进口(?:一台|一批|二手)?[^，。？]{0,8}(?:设备|仪器|机器|货物|商品|样品|试剂)",
    "(?:CCC|3C)认证", "(?:药品|医疗器械|器械|产品)(?:的)?注册", "注册证", "进口许可", "型式认证",
)  # fmt: skip
"""Goods crossing the border (customs, tariffs): out of scope unless the words of outbound data are there too."""


RULE_MECHANICS = rx(
    r"\bvalid(?:ity)?\b", r"\bexpir(?:e|es|ed|y|ing|ation)\b", r"\brenew(?:al|ed|ing)?\b", r"\brolling\b",
    r"\bextension\b", r"\bextend(?:ed|ing|s)? (?:it|the (?:result|assessment|filing|certificate|validity))\b",
    r"\bgood for\b", r"\bredo\b", r"\bre-?(?:apply|file|submit|assess)\b", r"\bevery (?:single )?year\b",
    r"\b(?:counted|calculated|measured|reset)\b[^.?!]{0,30}\b(?:over|per|from|by|each|every)\b",
    r"\bcalendar year\b", r"\bruns? out\b", r"\blast(?:s|ed)? (?:for )?(?:one|two|three|\d+|a|an) (?:years?|months?)\b",
    "有效期", "过期(?!不候)", "到期", "续期", "延期", "延续", "重新申报", "重新(?:申请|备案|评估|做)", "每年都要",
    "怎么算", "如何计算", "怎么计算", "滚动", "(?:按|以)[^，。？?]{1,10}?(?:算|计算?|统计)还是(?:按|以)",
    "算(?:一个|一人|1个)还是(?:两个|两人|2个)",
    r"\bcount(?:s|ed)? as one (?:person )?or (?:as )?two\b",
    r"\b(?:counted|count(?:s)?) (?:by|per|in) [\w ]{1,20}? or (?:by|per|in)\b",
    "自然年", "(?:从|自)哪(?:天|一天|个时候)(?:开始)?算", "(?:还|仍然?|是否|依然)(?:有效|算数|管用)",
    r"\bstill (?:valid|good|in force|count|true|the case|correct|right|appl(?:y|ies)|holds?)\b",
    "(?:还|仍然?|依然|现在还)(?:对|成立|适用|是这样)(?:吗|么|嘛)",
    # how two editions or routes differ
    r"\bdifferences? between\b", r"\bwhat(?:'s| is| are) (?:the )?differen", r"\bhow (?:does|do|is|are) .{3,40} differ",
    "(?:有|是)(?:啥|什么|哪些)(?:区别|不同|差别|变化)", "区别(?:是什么|在哪)",
    "(?:跟|和|与)[^，。？?]{1,20}比(?:有|起来)",
    "废止|取消了|作废",
    # what a filing holds and where it goes
    r"\bwhat (?:documents|materials|papers|forms)\b", r"\bdeclaration (?:package|materials|documents)\b",
    r"\bwhere (?:exactly |actually )?(?:do|does|should|must|can) (?:we|i|you|one|they) (?:exactly |actually )?"
    r"(?:file|submit|apply|send the (?:filing|application))\b",
    # how long a procedure takes, or a record is kept
    r"\bhow long (?:does|do|will|would|did|can) (?:it|the [\w -]{2,40}?|an? [\w -]{2,40}?) (?:usually |normally |"
    r"typically |actually )?take\b", r"\bhow long (?:must|do|should|does) (?:we|you|one|a company) (?:have to )?"
    r"(?:keep|retain|store)\b",
    "(?:保存|保留|留存)(?:多久|多长时间|几年|期限)",
    "(?:审批|审核|评估|备案|申报|审查)(?:一般|大概|通常|大约)?(?:要|需要|得)?(?:多久|多长时间|几个月|几天|几周)",
    "(?:哪些|什么)(?:申报|备案)?材料", "材料(?:有哪些|包括什么|要哪些)",
    "(?:在|向|去)哪(?:里|个部门)?(?:申报|备案|提交)",
)  # fmt: skip
"""How a rule works in time or across editions: a procedure's validity, its expiry and renewal, the period a
threshold counts over, what changed between two editions, whether a route was abolished."""
ROUTE_ASK = rx(
    r"\b(?:do|does|would|will) (?:we|i|they|it|this) (?:still |also )?(?:need|have to|require)\b"
    r"(?! (?:to )?(?:apply for (?:an? |the )?(?:extension|renewal)|renew|extend|redo|re-?apply|re-?file))",
    r"\bwhich (?:route|procedure|path|one)\b", r"\bwhat (?:do|should|must) we (?:do|file|sign|need)\b",
    r"\b(?:can|may|could) we (?:still )?(?:send|transfer|share|keep sending|continue)\b",
    "要不要", "需不需要", "是否需要", "需要(?:做|走|签|办|申报|报)", "走哪", "哪个程序", "能不能(?:继续)?(?:传|发)",
    "还能(?:继续)?(?:传|发)", "可以(?:继续)?(?:传|发)",
    # whether one route is enough: "签个标准合同就可以了吗", "is an SCC enough?"
    "(?:签|走|做|办|报)[^，。？?]{0,12}就(?:可以|行|够)",
    r"\b(?:is|would|will) (?:an? |the )?[\w -]{2,30} (?:be )?enough\b",
)  # fmt: skip
"""A question asking what a transfer needs or whether it may go ahead."""


def asks_how_a_rule_works(text: str) -> bool:
    """Whether the message asks how a rule works in time (validity, expiry, the counting period) and asks no route:
    "it was valid for two years, so has ours expired?" is a question about the rule, whatever facts it states."""
    asks = QUESTION_MARK.search(text) or RULE_QUESTION.search(text)
    return bool(asks and RULE_MECHANICS.search(text) and not ROUTE_ASK.search(text))


def mentions_abroad(text: str) -> bool:
    """Whether the message names somewhere or someone outside mainland China (a country, HQ abroad, 境外)."""
    return bool(ABROAD.search(text))


def own_transfer(text: str) -> bool:
    """Whether the message says that the person sends, or wants to send, data abroad ("can we send … to HQ")."""
    return bool(ASK_TRANSFER.search(text) and ABROAD.search(text))


def names_data(text: str) -> bool:
    """Whether the message names data: in data's own words, or as kinds of it that something passes ("病史和血型",
    "HQ wants names and phones"); "does he need a visa?" names a thing, not data."""
    said = read_kinds(text).stated.values()
    data = [w for w in said if not THING_WORDS.fullmatch(w.strip())]
    return bool(DATA_WORD.search(text) or data or (said and PASSES.search(text)))


def off_topic(text: str) -> bool:
    """Whether the text is about something other than data leaving China (poems, weather, annual leave)."""
    return bool(OFF_TOPIC.search(text)) or domestic_only(text)


INBOUND = rx(
    r"\bbring(?:s|ing)? (?:the |that |this |such |their |its )?(?:data|database|information|files) (?:in|into China)\b",
    r"\bbring(?:s|ing)? (?:it|them) into China\b",
    r"\b(?:inbound|incoming) (?:data|transfers?)\b", r"\bdata (?:coming|flowing|sent) (?:in|into China)\b",
    r"\bimport(?:s|ing)? (?:the |foreign |overseas )?data\b",
    "数据入境", "入境数据", "(?:传|发|导)(?:入|进)(?:境内|国内|中国)", "(?:传|发)回国内",
)  # fmt: skip
"""Data coming into China: no export of data (the Provisions govern what leaves)."""
OUTBOUND_ASKED = rx(
    r"\b(?:to|go(?:es)?|send\w*) (?:abroad|overseas)\b",
    r"\b(?:out of China|outbound|export\w*|leav\w+ China)\b",
    "出境",
    "(?:传|发|送|提供)(?:到|往|给|至)(?:境外|国外|海外)",
)


def domestic_only(text: str) -> bool:
    """Whether the text asks about a domestic matter or goods at customs and names no data going abroad (an ICP
    备案 files no data; a machine imported from Stuttgart is no export of data; data brought into China)."""
    asked = " ".join(_questions(text))
    if INBOUND.search(asked) and not OUTBOUND_ASKED.search(asked):
        return True  # "is there anything on our side for bringing the data in?"
    if GOODS_TRADE.search(asked) and not DATA_DOMAIN.search(GOODS_TRADE.sub(" ", text)):
        return True  # the question is about the goods ("which HS code applies?"), not about sending data
    kinds = [w for w in read_kinds(asked).stated.values() if not THING_WORDS.fullmatch(w.strip())]
    if DOMESTIC_ONLY.search(asked) and not (DATA_DOMAIN.search(asked) or DATA_WORD.search(asked) or kinds):
        return True  # the question asks only about tax or a payment, whatever else the note says
    return bool(DOMESTIC_ONLY.search(text)) and not (
        ABROAD.search(text) or DATA_DOMAIN.search(DOMESTIC_ONLY.sub(" ", text))
    )


INTENTS: tuple[Intent, ...] = ("transfer", "informational", "out_of_scope")
UNGROUNDED_MARGIN = 0.05
"""Below this margin, a question naming no data is not read as a transfer (far above it, it plainly is one)."""
QUESTION_MARK = rx(r"\?", "？", r"[吗呢么]\s*$")
CLEAR_MARGIN = 0.02
"""A margin by which an intent is plain (off-topic chat scores 0.05-0.1 above the rest; a short follow-up
such as "we are in Haidian" scores near 0 and is settled by the facts it states)."""


@dataclass(frozen=True)
class IntentReading:
    """The intent of a message, and each intent's best margin over its clauses (empty without a model)."""

    intent: Intent
    margins: dict[str, float] = field(default_factory=dict)
    structural: bool = False
    """Whether a precise structural signal (not the meaning) decided."""
    grounded: bool = True
    """False for a question that names neither data nor the words of outbound data (it asks about something
    else, whatever facts it mentions)."""
    about_rules: bool = False
    """A question about how the rules work that names no data at all: the company it names has no case here."""

    def clearly(self, intent: Intent) -> bool:
        """Whether the meaning says this intent by a clear margin and no clause leans to a transfer."""
        return (
            self.intent == intent
            and not self.structural
            and self.margins.get(intent, 0.0) >= CLEAR_MARGIN
            and self.margins.get("transfer", 0.0) < 0
        )


def ends_on_route(text: str) -> bool:
    """Whether the message's last question asks what a transfer needs, not how the rules classify it: a long note
    that quotes a colleague's "does this count as an export?" and ends "do we need a standard contract?"."""
    questions = _questions(text)
    if not questions or GENERAL_ONLY.search(text):
        return False
    return bool(ROUTE_ASK.search(questions[-1])) and not DEFINITIONAL.search(questions[-1])


def classify_intent(text: str) -> Intent:
    """A question about a transfer, about the rules, or neither."""
    return read_intent(text).intent


def read_intent(text: str) -> IntentReading:
    """The intent by meaning and structure; by keywords when no embedder is available."""
    text = clean_message(text)
    if not text:
        return IntentReading("out_of_scope", structural=True)
    model = meaning_model()
    if model is None:
        return IntentReading(keyword_intent(text))
    data = names_data(text)
    domain = bool(DOMAIN.search(text)) or bool(data and ABROAD.search(text)) or quotes_a_rule(text)
    if domestic_only(text):
        return IntentReading("out_of_scope", structural=True)  # social insurance, leave, a WFOE: no data leaves China
    counts = [c for c in find_counts(text) if c.attached]
    if counts and (domain or data or FIRST_PERSON.search(text) or ABROAD.search(text)):
        return IntentReading("transfer", structural=True)  # people counted: a transfer of theirs
    if OFF_TOPIC.search(text):
        return IntentReading("out_of_scope", structural=True)
    if (
        DEFINITIONAL.search(text)
        and domain
        and not counts
        and not PROCEDURE_WORD.search(text)
        and not ends_on_route(text)
    ):
        # "they only log in and look; does that even count as an export?": how the rules classify it
        return IntentReading("informational", structural=True)
    if (
        not data
        and not counts
        and not ABROAD.search(text)
        and RULE_QUESTION.search(text)
        and (DATA_DOMAIN.search(text) or PROCEDURE_WORD.search(text))
        and not ASK_TRANSFER.search(text)
    ):
        # "does the Beijing list help a company registered in Tianjin?", "where does that filing go?": no data
        # named, nothing going abroad, a question about how the rules work
        return IntentReading("informational", structural=True, about_rules=True)
    if FIRST_PERSON.search(text) and ABROAD.search(text) and data:
        return IntentReading("transfer", structural=True)  # our own data going abroad
    uses_a_rule = bool(USES_A_RULE.search(text)) and not FIRST_PERSON.search(text)
    if (
        ASK_TRANSFER.search(text)
        and (domain or data or ABROAD.search(text))
        and not DEFINITIONAL.search(text)
        and not uses_a_rule
    ):
        return IntentReading("transfer", structural=True)  # someone plans to send data: a described transfer
    margins = intent_margins(model.read(text))
    if not margins:
        return IntentReading("out_of_scope", structural=True)
    intent: Intent = max(INTENTS, key=lambda name: margins[name])
    asks = bool(QUESTION_MARK.search(text) or RULE_QUESTION.search(text))
    if intent == "transfer" and asks and not (domain or data) and margins["transfer"] < UNGROUNDED_MARGIN:
        # a question that names no data is not about a transfer, however near its words are to one
        intent = max(("informational", "out_of_scope"), key=lambda name: margins[name])
    weak = margins["transfer"] < CLEAR_MARGIN
    about_a_rule = RULE_QUESTION.search(text) or USES_A_RULE.search(text)
    if intent == "transfer" and weak and about_a_rule and not FIRST_PERSON.search(text):
        # a question about companies in general, barely like a transfer: the nearer of the other two
        intent = max(("informational", "out_of_scope"), key=lambda name: margins[name])
    procedure = bool(PROCEDURE_WORD.search(text))
    plainly_off = margins["out_of_scope"] >= CLEAR_MARGIN  # a tax filing's deadline: a procedure, not ours
    about_data = bool(DATA_DOMAIN.search(text)) or bool(data and ABROAD.search(text))
    place_only = domain and not about_data  # "register a company in the FTZ": a place, not outbound data
    if intent == "out_of_scope" and (
        (domain and not (place_only and plainly_off)) or (procedure and RULE_QUESTION.search(text) and not plainly_off)
    ):
        intent = "informational"  # the words of outbound data: about the rules, however it is put
    if intent == "informational" and not (domain or procedure or data):
        intent = "out_of_scope"  # a question about the rules names data or a procedure; this one names neither
    asks_procedure = procedure and bool(RULE_QUESTION.search(text)) and not plainly_off  # "where do I file it?"
    if (
        intent != "out_of_scope"
        and margins[intent] < CLEAR_MARGIN
        and not (domain or ABROAD.search(text) or asks_procedure)
    ):
        # barely nearer to data exports than to anything else, and naming neither their words nor a place
        # abroad: a tax filing's deadline, the staff's own tax, a VPN for meetings
        intent = "out_of_scope"
    return IntentReading(intent, margins, grounded=domain or data or not asks)


def intent_margins(readings: list[ClauseReading]) -> dict[str, float]:
    """Each intent's best margin over the clauses."""
    if not readings:
        return {}
    return {name: max(r.margin("intents", name) for r in readings) for name in INTENTS}


def keyword_intent(text: str) -> Intent:
    """The keyword reading of the intent: the fallback when no embedder can be loaded."""
    text = clean_message(text)
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
    if domestic_only(text):
        return "out_of_scope"
    if transfer:
        return "transfer"
    if domain:
        return "informational"
    return "out_of_scope"
