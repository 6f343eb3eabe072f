"""Counts of individuals: a number tied to people (40,000 patients, 4万名患者, 两万例) or to a transfer.

Each count also carries what the people-count reading (`people`) needs to add counts up the way Provisions
arts 7-8 count (individuals since 1 January of the transfer's year): the year or period it belongs to, the batch
it is part of, whether it counts records rather than people, whether it is approximate, and its person noun.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import pairwise
from typing import Literal

from .dates import NEXT_MONTH, reading_day
from .numbers import Number, find_numbers
from .persons import PEOPLE_EN, PEOPLE_ZH
from .text import clause_bounds, words

Role = Literal["plain", "prior", "additional", "current", "subset"]
Qualifier = Literal["", "more than", "less than"]
YearRef = tuple[Literal["year", "relative", "current"], int]
"""A year a count is tied to: ("year", 2025) as written; ("relative", -1) said against the day of reading (last year,
0 this year, 1 next); ("current", 0) the transfer's own ("now", "this time", "本次")."""

_I = re.IGNORECASE
_BLOCK_AFTER_EN = words(
    r"^\s*(?:(?:-|–|to|or)\s*\d{1,3}\s*(?=(?:years?|yrs?|months?)\b))?"  # "3 to 6 years old": ages
    r"(?:%|-(?:year|month|day)|(?:percent|per cent|years?|yrs?|months?|days?|weeks?|hours?|minutes?|seconds?|"
    r"GB|TB|MB|KB|PB|[gtm]igabytes?|terabytes?|megabytes?|yuan|RMB|CNY|USD|dollars?|euros?|EUR|"
    r"(?:vehicles?|cars?)\b(?!\s+(?:[a-z-]+\s+)?(?:owners?|drivers?|buyers?|users?|renters?|holders?|customers?))|"
    r"articles?|items?|pages?|columns?|fields?|countries|km|kilomet(?:er|re)s?|"
    rf"(?:campus(?:es)?|sites|branches|offices|hospitals|clinics|schools|kindergartens|warehouses|factories|plants|"
    rf"cities|provinces|regions|markets|departments|teams|projects|servers|systems|databases|apps|devices|machines)"
    rf"\b(?!['’]?\s+(?:[a-z-]+\s+)?(?:{PEOPLE_EN})\b)|"  # "11 campuses", not "3 hospitals' patients"
    r"halves|thirds|quarters|fourths|fifths|sixths|sevenths|eighths|ninths|tenths|"  # a fraction ("two fifths of")
    r"(?:half|third|quarter|fourth|fifth|sixth|seventh|eighth|ninth|tenth)(?= of\b)|"
    r"st|nd|rd|th)\b)",
    _I,
)
"""Units that are not people ("3 years", "20 GB", "5,000 cars"; but "50k car owners" are people)."""
_RATIO_AFTER_EN = words(
    r"^\s*(?:[a-z-]+\s+){0,2}?(?:per|for each|for every)\s+(?!year|yr|annum|month|quarter|week|day|batch|transfer)", _I
)
"""'one file for each member', '2 per customer': a ratio, not a count of people (per year is a count)."""
_ONE_EACH = words(
    rf"^[^.;。；!?！？]*?(?:\b(?:one|a single)\s+(?:[a-z-]+\s+)?(?:per|for each|for every)\s+(?:[a-z-]+\s+)?"
    rf"(?:{PEOPLE_EN}|applicants?|candidates?|persons?)\b|(?:每(?:个|位|名)?|一)(?:人|{PEOPLE_ZH})(?:只有)?一(?:条|份|行|个)"
    rf"|\b(?:all |each )?(?:different|distinct|unique) (?:people|persons|individuals|{PEOPLE_EN})\b"
    r"|\b(?:roughly |about |basically |more or less )?one (?:person|individual|customer|user|member) each\b"
    r"|(?:基本上|大致|基本)?(?:一(?:个)?(?:账户|账号)对应一(?:个)?人|一人一(?:个)?(?:账户|账号|号))"
    r"|(?:都是|全是|均为)?不同的(?:人|用户|客户|会员)|(?:人)?(?:各不相同|互不重复))",
    _I,
)
"""'files, one for each member', '每人一条': records that are as many as the people they are about."""
_NEXT_OPTION = re.compile(
    r"\b(?:or|vs\.?|versus)\s+\(?([2-6])\)?\s+[A-Za-z]|(?:还是|或者|或)\s*\(?([2-6])\)?\s*[\u4e00-\u9fff]"
)


def _option_numbers(text: str, numbers: list[Number]) -> set[int]:
    """Where numbers name options in the running text ("wants 1 just the emails or 2 the emails plus the records"):
    the first option's number and the next ones'."""
    found: set[int] = set()
    for n in numbers:
        if n.value > 5:
            continue
        m = _NEXT_OPTION.search(text, n.end, min(len(text), n.end + 100))
        if m is not None and int(m.group(1) or m.group(2)) == n.value + 1:
            found |= {n.start, m.start(1) if m.group(1) else m.start(2)}
    return found


_SECTION = re.compile(r"\d{1,2}\.\d{1,2}(?:\.\d{1,2})?")
_SECTION_BEFORE = words(
    r"(?:^|\n)\s*$|\b(?:clauses?|articles?|sections?|annex|paragraphs?|items?|art\.?|s\.|to|and)\s*$|第\s*$|条\s*$"
)
"""A section's number ("5.1", "Clauses 5.1 to 5.4", "第3.2条"), never a count."""
_ONE_MORE_THING = words(
    r"^\s*(?:more|last|other|further|final)?\s*(?:[:：,，]|thing|question|point|issue|item|request|follow-?up)"
    r"|^\s*(?:个|件)?(?:问题|事|事情|方面|点)"
)
"""'one more: …', 'one more question', '还有一个问题': a number that counts the person's questions."""
_RATIO_BEFORE_ZH = re.compile(r"每(?![年月季周天日批次])[个位名]?[\u4e00-\u9fff]{0,5}\s*$")
"""'每人一条', '每个门店3000名会员': a number per person or per unit, not a total."""
_PERSONAL_PAPERS_ZH = "份(?=[^，。；,;]{0,4}(?:报告|病历|病例|简历|档案|问卷|答卷|试卷|体检|表格|申请表|记录|化验单))"
"""'两千份体检报告': papers about people, each of someone (records, so at most as many people)."""
_CVS = r"简历|履历|求职信|求职申请|\b(?:CVs|résumés|resumes|job applications)\b"
_CVS_AFTER = re.compile(rf"\s*(?:多|余|来)?(?:份|封)?\s*(?:{_CVS})", re.IGNORECASE)
_CVS_BEFORE = re.compile(rf"(?:{_CVS})", re.IGNORECASE)
_COPIES = re.compile(r"\s*(?:多|余|来)?(?:份|封)")
"""'八千份简历', '简历…收了八千份', '8,000 CVs': one per applicant, so as many people."""


def _one_cv_each(text: str, n: Number) -> bool:
    """Whether the number counts CVs, said after it or before it in its sentence."""
    if _CVS_AFTER.match(text, n.end):
        return True
    return bool(_COPIES.match(text, n.end) and _CVS_BEFORE.search(text, sentence_bounds(text, n.start)[0], n.start))


_BLOCK_AFTER_ZH = re.compile(
    r"^\s*(?:(?:-|–|~|～|到|至)\s*\d{1,2}\s*(?=周?岁))?"  # 3到6岁: ages
    rf"(?:%|周?岁|年(?!底|初|末|中|内|前|后)|个?月|日|号|天|周|小时|分钟|元|块|(?!{_PERSONAL_PAPERS_ZH})份|项|辆|台|页|倍|个国家|个字段"
    r"|(?:个|所|座|家)?(?:校区|园区|分校|分院|院区|城市|省份?|地区|部门|项目|系统|服务器|数据库|仓库|工厂|厂区)(?![的里中]))"
)
_RECORDS_AFTER_ZH = re.compile(
    rf"^\s*(?:多|余|来)?(?:条|笔|单|票|人次|次(?!人)|家|个(?:账户|账号|订单|企业|公司)|行|{_PERSONAL_PAPERS_ZH})"
)
_RECORDS_AFTER_EN = words(
    r"^(?:\s*|-)(?:\+|more|odd)?\s*(?:[a-z-]+\s+){0,2}?"
    r"(?:records?|rows?|entries|orders?|transactions?|accounts?(?!\s+(?:data|details|info|information|numbers?|"
    r"holders?|profiles?))|companies|company|suppliers?|vendors?|firms?|"
    r"businesses|merchants?|files?|times|tickets?|bookings?|invoices?|shipments?|parcels?|messages?|visits?|"
    r"logs?|log lines|events|recordings?|images|photos|videos|scans|calls|sessions|trips|rides|waybills?|"
    r"entities|enterprises|organi[sz]ations|stores|shops|reports|forms|questionnaires|responses|case files)\b",
    _I,
)
"""Units that are not people: records, orders, transactions, accounts, companies (条/笔/单/次/家)."""
_GOVERNING_PEOPLE = (
    r"(?:legal |authori[sz]ed |company )?representatives?|contacts?|contact persons?|directors?|managers?|officers?|"
    r"shareholders?|signatories|owners?|founders?|employees?|staff|people|persons?|individuals?|holders?|users?|"
    r"customers?|clients?|drivers?|workers?|members?"
)
_GOVERNS_BEFORE_EN = words(
    rf"\b(?:{_GOVERNING_PEOPLE})\s+(?:of|at|from|for|in|behind)\s+(?:the\s+|our\s+|their\s+|its\s+|some\s+|"
    r"about\s+|around\s+|roughly\s+|approximately\s+|nearly\s+|over\s+)*$",
    _I,
)
_GOVERNS_AFTER_ZH = re.compile(
    rf"^\s*(?:多|余|来)?(?:条|笔|单|家|个)?[^\s，。,.;；]{{0,6}}?的[^\s，。,.;；的]{{0,8}}?"
    rf"(?P<noun>法定代表人|法人代表|法人(?=身份证|证件|的?(?:姓名|信息|手机|电话))|联系人|负责人|股东|代表|董事|高管|{PEOPLE_ZH})"
)
"""A person noun that governs a count of companies: "1,200家供应商的法定代表人" counts 1,200 people."""
_ORGANISATION_UNIT = words(
    r"家|企业|公司|\b(?:compan(?:y|ies)|suppliers?|vendors?|firms?|businesses|merchants?|entities|enterprises|"
    r"organi[sz]ations|stores|shops)\b",
    _I,
)
"""Units one person each can govern (a company has one legal representative); an order or a record has no
person of its own ("the recipients of 500,000 orders" may be far fewer people)."""
_UNIT_AFTER_NOUN_EN = words(
    r"^\s+(?:records?|rows?|entries|orders?|transactions?|accounts?|files?|tickets?|bookings?|invoices?)\b"
    r"(?!\s+(?:data|details|information|info|numbers?|holders?|profiles?))",
    _I,
)
"""After a bare person noun, a unit: "50,000 customer records" are records, "customers' records" are people."""
_UNIT_AFTER_NOUN_ZH = re.compile(r"^(?:记录|条目|订单|交易记录|账户|账号)(?!信息|数据|资料|和|及)")
_ROSTER = words(
    r"\b(?:present|attendees?|participants|attending|in attendance)\s*[:：]|(?:参会|出席|与会)(?:人员?|者)?\s*[:：]",
    _I,
)
"""The attendance line of minutes: its people attend the meeting; their data is not what is sent."""
_ROSTER_ENDS = re.compile(r"[.。;；!?！？\n]|\s\d{1,2}[.、)）]\s")
ROSTER_REACH = 160


def _on_the_roster(text: str, at: int) -> bool:
    """Whether the number stands in a meeting's attendance line (up to the line's or sentence's end)."""
    start = max(0, at - ROSTER_REACH)
    found = list(_ROSTER.finditer(text, start, at))
    return bool(found) and not _ROSTER_ENDS.search(text, found[-1].end(), at)


_BLOCK_BEFORE = words(
    r"(?:\b(?:article|arts?\.?|section|item|clause|no\.|version|v|top|page|phase|step|grade|form|room|floor|building|unit)\s*|第\s*|[$¥€£]\s*|"
    r"\b(?:RMB|USD|CNY)\s*)$",
    _I,
)
_YEAR_BEFORE = words(r"\b(?:in|since|by|from|until|till|before|after|during|year|fy|for)\s*$", _I)
_MORE_BEFORE = words(r"(?:\b(?:more than|over|above|in excess of|exceeding|upwards of)|超过|逾|多于|高于)\s*$", _I)
_LESS_BEFORE = words(r"(?:\b(?:less than|fewer than|below|under)|不到|不足|少于|低于|不满)\s*$", _I)
_APPROX_BEFORE = words(
    r"(?:\b(?:about|bout|abt|around|roughly|approximately|approx\.?|nearly|almost|some|circa|ca\.|an estimated|"
    r"estimated)|~|"
    r"约为|大约|大概|约莫|约|将近|近|差不多|估计|预计)\s*$",
    _I,
)
_APPROX_AFTER = re.compile(
    r"^\s*(?:多|余|来|出头|(?:[名位个]|个?人)?(?:左右|上下)|-?ish\b|(?:\w+\s+)?(?:or so|give or take)\b)", re.IGNORECASE
)
_PLAIN_BEFORE = words(
    r"(?:\b(?:exactly|precisely|just|only|at least|at most|up to|a total of|totall?ing|of)|正好|恰好|刚好|整整|"
    r"共计|总计|合计|一共|总共|共|只有|仅)\s*$",
    _I,
)
_PEOPLE_NEXT = words(rf"^\s*(?:\+|多|余)?\s*(?:[个名位人]|(?:[a-z-]+\s+)?(?:{PEOPLE_EN})\b)", _I)
"""A person noun right after a number (with one word between at most): "2000 employees" counts, "2026 batches of
consignee data" dates."""
_NOT_BEFORE = words(r"(?:\b(?:not|isn't|wasn't|aren't|nor)|不是|并非)\s*$", _I)
_SAID_BEFORE = words(
    r"\b(?:i|we|you|he|she|they)\s+(?:had\s+|originally\s+|first\s+|earlier\s+)?"
    r"(?:said|told (?:you|us|them)|wrote|quoted|gave|estimated|reported|mentioned)\s*$"
    r"|(?:我|我们|之前|此前|原先|原来|上次|当时|他们|对方)[^，。；,;\d]{0,6}?(?:说|写|报|估|算)(?:的|了|过)?(?:是)?\s*$",
    _I,
)
_SAID_WRONG_AFTER = words(
    r"^[^.;!?。；！？\n]{0,80}?(?:\b(?:but|however|wrong|incorrect|mistaken|outdated|out of date|overstated|"
    r"included|includes|was from|were from|too high|too low)\b"
    r"|不对|有误|错了|不准|包含了|包括了|含了|多算|少算|是错的)",
    _I,
)
"""A figure the person reports having given before and then corrects ("I said 310,000 learners, but that
included 2025", "我之前说的5万不对"): taken back."""
_QUOTED_ANSWER = words(
    r"(?:\b(?:told|said|answered|replied|advised|wrote)\b|告诉|说|回复|答复|答)[^\"“”「」.。]{0,15}[\"“「][^\"”」\n]*$",
    _I,
)
"""A number inside what someone was told, in quotation marks (we were told "below 5,000 people you are fine"):
their words, not the person's count."""
_NOT_SENT_AFTER = words(
    r"^\s*(?:[\w-]+\s+){0,3}?(?:whose|of whom)\s+(?:data|information|records?|files?)\s+"
    r"(?:is|are|was|were|will|would)\s+not\b"
    r"|^[^，。；,;]{0,8}?的(?:数据|信息|资料)?(?:不传|不出境|不发送|不提供|不在[^，。；]{0,6}范围)"
    r"|^[^。；;，,、\n]{0,20}?(?:不迁移|不迁|不出境|留在(?:国内|境内)|暂不(?:迁移|传|提供|同步)|不同步)"
    r"|^[^.;,，、\n(（]{0,40}?\b(?:(?:stays?|remains?) (?:here|in china|onshore|in-house)|(?:is|are|will be) not "
    r"(?:sent|migrated|transferred|moved|included|synced))\b",
    _I,
)
"""A group whose data stays out ("12 dropouts whose records are not sent")."""
_THRESHOLD_AFTER = words(
    r"^\s*(?:the\s+|a\s+)?(?:-?(?:person|people|individual)s?\s+)?"
    r"(?:threshold|limit|mark|cap|line|bar|ceiling|red line|boundary)\b"
    r"|^\s*(?:的)?(?:门槛|阈值|标准|红线|界限|上限|下限|这条线|这个线|线)"
    # the law's own words for what is counted, in a question: "早就过了1万个人信息吧" quotes the line
    r"|^\s*(?:敏感)?个人信息(?:了)?(?:吧|吗|么|嘛)"
    # how the line is counted: "100万人按人头算吗", "is the 1 million counted per person"
    r"|^\s*(?:人|个人)?(?:的门槛)?(?:是|要)?(?:按|以|怎么|如何)[^，。？?\d]{0,10}?(?:算|计算?|统计)"
    r"|^\s*(?:people\s+|persons\s+)?(?:is\s+|are\s+)?(?:counted|calculated|measured)\s+(?:by|per|in|as|over|from)\b",
    _I,
)
_THRESHOLD_BEFORE = words(
    r"(?:\b(?:thresholds?|limits?|caps?)\b[^,.;]{0,15}|(?:门槛|阈值|标准)[^，。,.]{0,4}"
    r"|(?:放宽|提高|上调|调高|降低|下调|调整|放开)(?:了)?(?:到|至|为)"
    r"|\b(?:raised|relaxed|lifted|increased|lowered|loosened|moved)\s+(?:it\s+|the\s+(?:line|bar)\s+)?to\s*)$"
)
_CONDITION_BEFORE = words(
    r"(?:(?:如|如果|若|假如|万一|一旦)[^，。,.;；]{0,10}?(?:超过|超出|达到|多于|高于)"
    r"|\b(?:if|should|once|in case)\b[^,.;]{0,20}?\b(?:exceeds?|goes over|tops|passes|is over|is above|reaches|"
    r"grows (?:past|beyond|over))\s*(?:about |around )?)$"
)
"""A number in a condition ("若人数超过2万就另签", "if it exceeds 5,000 we redo it"): not a count, unless the
sentence asks what if ("and if it reaches 1 million users?": the transfer with that count)."""


def _asks_what_if(text: str, at: int) -> bool:
    """Whether the sentence holding `at` is a question."""
    _, stop = sentence_bounds(text, at)
    return text[stop : stop + 1] in ("?", "？")


"""A bound of a rule, or one a rule was changed to ("a rule that raised the line to 200k", "门槛调高到20万"): not a
count."""
_BOUND_AFTER = words(
    r"^\s*(?:[人名位个]\s*)?(?:以下|以上|以内|之内)"
    r"|^\s*(?:people\s+)?(?:or (?:fewer|less|more)|and (?:under|below|over|above))\b",
    _I,
)
_RULE_AFTER = words(
    r"^[^，。,.;；!?？\n]{0,12}?(?:就|便|则|的话"
    r"|you(?:'re|\s+are|\s+don't|\s+do not|\s+need|\s+have to|\s+must|\s+can)\b"
    r"|(?:is|are|be)\s+(?:exempt|fine|free|ok)\b|then\b|means\b|不用|无需|不需要|免|随便|没事)",
    _I,
)
_OURS = words(r"我们|咱们|我司|本公司|\b(?:we|our|us)\b", _I)
"""A bound followed by what it entails ("under 100k you're exempt", "不满10万人就免于申报") states a rule someone
remembers, not a count of the person's own, unless the clause says it is ours ("我们不到10万人就不用报吧")."""
_RULE_SAYS_BEFORE = words(
    r"\b(?:the|these|those|that|this)\s+(?:rules?|laws?|provisions?|regulations?|measures|guidelines?|"
    r"legislation|articles?|thresholds?)\b[^,.;:!?\n]{0,12}?\b(?:says?|said|mentions?|mentioned|talks? about|"
    r"talked about|refers? to|speaks? of|sets?|uses?|states?|stated|puts?|draws?|counts?|means?)\b[^,.;:!?\n]{0,20}$"
    r"|(?:规定|条例|办法|法规|法律|条款|第[一二三四五六七八九十\d]+条|新规|文件)(?:里|中|上)?(?:说|讲|写|提到|规定|所说)?的?"
    r"[^，。；;：:！？?!\n\d]{0,8}$",
    _I,
)
"""The rules as the subject of the number's clause ("when the rules talk about 10,000 people", "规定里的“不满10万人”"):
the rule's own number, not the person's count."""
_TOTAL_BEFORE = words(
    r"(?:一共|总共|合计|总计|共计|加起来|加在一起|累计|全年|变成|达到"
    r"|\b(?:in total|altogether|a total of|totall?ing|total of|totals?|overall|all told|combined"
    r"|(?:so|together|in all|all in all)(?:,)? "
    r"(?:it's|that's|it is|that is|this is|that makes|it makes|we're at|we are at|we have)"
    r"|which makes|that makes|making it"
    r"|bring(?:s|ing)? (?:it|us|the total) to|takes? us to))"
    r"\s*(?:是|有|约|大约|大概|为|达到?|会是|就是|about|around|roughly|approximately|exactly|precisely|just|~|of|is"
    r"|are|will be|comes? to)?\s*$",
    _I,
)
_TOTAL_AFTER = words(r"^\s*(?:[人名位个]\s*)?(?:in total|altogether|all told|combined|总共|一共|合计)\b", _I)
_YOUNG = r"\b(?:kids|children|pupils|students|teens|teenagers|minors)\s*(?:\(\s*)?"
_AGES_OF = words(rf"{_YOUNG}$", _I)
_AGE_SPAN = re.compile(r"\d{1,2}\s*(?:-|–|to)\s*\d{1,2}\b(?!\s*(?:k|thousand|万|千))", re.IGNORECASE)
_AGES_TO = words(rf"{_YOUNG}\d{{1,2}}\s*(?:-|–|to)\s*$", _I)
"""'kids 6-12', 'students (12 to 15)': the ages of the children a message names, not how many they are."""
_AGE_BEFORE = words(r"\b(?:under|aged?|over|below)(?: the age of)?[\s-]*$", _I)
_MORE_AFTER = words(r"^\s*(?:\+(?!\s*\d)|plus\b(?!\s*(?:\d|another|an?\b)))")

_PEOPLE_AFTER_EN = words(
    rf"^(?:\s*|-)(?:\+|plus|more|odd)?\s*(?:个|名|位)?\s*(?:(?:of|among) (?P<them>them|these|those|whom)\b|"
    r"(?P<age>(?:(?:who are|aged|are)\s+)?(?:under|below|younger than)(?: the age of)? 14\b|under[\s-]?14s\b)|"
    rf"(?:(?:of (?:our|the|their|its|these|those)|[a-z][\w'-]*)\s+){{0,3}}?(?P<noun>{PEOPLE_EN})\b)",
    _I,
)
_PEOPLE_BEFORE_EN = words(
    rf"\b(?P<noun>{PEOPLE_EN})(?:'s?)?\s*(?:(?:is|are|was|were|:|=|totals?|totall?ing|number(?:s|ing)?|stands at|"
    r"amounts? to|comes? to|about|around|approximately|roughly|~)\s*)+$"
    rf"|\b(?P<described>{PEOPLE_EN})(?: (?!(?:is|are|was|were)\b)[\w-]+){{1,5}} (?:are|were|number|total)\s+"
    r"(?:about |around |roughly |approximately |~)?$",  # "members who bought this year are 8,200"
    _I,
)
_VERB_BEFORE_EN = words(
    r"\b(?:sent|send|sending|sends|transfer(?:red|ring|s)?|shar(?:ed|e|es|ing)|export(?:ed|ing|s)?|"
    r"provid(?:ed|e|es|ing)|mov(?:ed|e|es|ing)|upload(?:ed|ing|s)?|another|additional|further|extra)\s*$"
    r"|\b(?:it|that|this|the (?:number|count|total|figure))(?:'s| is| was| will be| would be)\s*$"
    # "the number for 2027 is 70k-120k", "the total for this year is 64k"
    r"|\bthe (?:number|count|total|figure|headcount)(?: (?:for|of|in) (?:this year|the year|\d{4}|[\w-]+)){1,2}"
    r"(?:'s| is| was| will be| would be| comes to)\s*$",
    _I,
)
_CLASSIFIER_ZH = re.compile(
    r"^\s*(?:多|余|来|左右|上下)?(?:名|位(?!数)|例|个?人(?!民币|工))(?:(?P<noun>[\u4e00-\u9fff]{2,4}?)(?=的))?"
)
"""A people classifier (名, 位, 例, 人), with the noun it counts when one follows before 的 ("2万名安装师傅的")."""
_WHO_AFTER_EN = words(
    r"^\s+(?:[a-z-]+\s+){0,2}?(?!(?:devices|machines|servers|products|systems|sites|stores|shops|files|"
    r"documents|vehicles|cars|trucks|units|sensors|apps|accounts|orders|companies|firms)\b)"
    r"(?P<noun>[a-z]{3,}s)(?:\s+(?:who|whose)\b|'(?=\s))",
    _I,
)
"""Any plural noun that "who" or a possessive follows names people ("40,000 farmers who supply our milk",
"30,000 couriers' phone numbers"), unless it names things."""
MAX_ITEM_NUMBER = 20
_ITEM_BEFORE = re.compile(r"(?:^|[\n?？。！!:：;；]|(?<!\d)\.)\s*[(（]?$")
_ITEM_AFTER = re.compile(r"^(?:[.、)）](?!\d))")
"""The number of a list item: after a line start or a sentence end, before "." "、" or ")"."""
_AGE_AFTER_ZH = re.compile(
    r"^\s*(?:多|余|来|左右|上下)?(?:(?:个|名|位)\s*(?:是)?[^\d，。,.；;！？!?里中]{0,10}?|(?:个|名|位)?\s*(?:是)?)"
    r"(?P<age>(?:不满|未满|小于|低于|不到|未到)\s*(?:14|十四)\s*(?:周岁|岁)"
    r"|(?:14|十四)\s*(?:周)?岁以下)"
)
"""A count of children by their age ("6000个不满14岁", "约300名14岁以下")."""
_NOUN_AFTER_ZH = re.compile(
    rf"^\s*(?:多|余|来|(?:左右|上下)的?)?(?:名|位|个)?[^\W\d和与及或的]{{0,4}}?(?P<noun>{PEOPLE_ZH})"
)
_NOUN_BEFORE_ZH = re.compile(
    rf"(?P<noun>{PEOPLE_ZH})(?:的)?(?:(?:人数|数量|规模|总数|数)\s*(?:约为|大约|约|为|是|达到|达|一共|总共|总计|共计|共|有|合计|累计|:)*|"
    r"(?:约为|大约|约|为|是|达到|达|一共|总共|总计|共计|共|有|合计|累计|:)*)\s*$"
)
"""A person noun just before the number ("读者80万", "住户约1.2万", "员工人数为3000")."""
_REST_ZH = "还剩下?|剩下的?|剩余的?"
"""The rest of the people ("还剩4.1万没传", "剩余3.6万年底前"): a batch still to send, as "the remaining" is."""
_VERB_BEFORE_ZH = re.compile(
    r"(?:传|传了|传过|传输了?|发送了?|发了|提供了?|出境了?|导出了?|(?:传|发|同步|上传|导|推送?)?(?:过去|出去)了?|同步了|上传了?|"
    r"推了|给了|累计|"
    rf"另外|另|新增|追加|再|又|{_REST_ZH}|"
    r"(?:其实|实际上?|应该|总共|一共|大概|大约)是|(?:估计|大概|应该|可能|总共|一共)得?有"
    r"|(?:今年|本年度?|全年|年内)(?:的)?(?:总数|人数|总人数)(?:是|为|约为|大约|约|一共|共)?)(?:了)?\s*$"
)
_STANDALONE_AFTER = words(
    r"^\s*(?:左右|多|余|出头|\+)?\s*(?:[呢吧啊了]\s*)?(?:$|[,.;:!?)\]。、？，]|"
    r"(?:now|instead|in total|total|this year|then|please|rather|(?:will )?(?:follow|come|go out|go over)s?|"
    r"(?:are|is) (?:queued|pending|due|next|still to (?:go|come)))\b|"
    r"(?:by|before|in|from|next|until|at the end of) (?:the end of )?(?:(?:this|next) )?(?:year|month|quarter|"
    r"january|february|march|april|may|june|july|august|september|october|november|december|spring|summer|"
    r"autumn|fall|winter|q[1-4])\b|(?:年底|年末|月底|下半年|明年|到时候?|以后|之后))"
)
_TRANSFER_VERB = words(
    r"\b(?:send|sent|sending|transfer\w*|shar(?:e|ed|es|ing)|export\w*|provid\w+|upload\w*|move|moving|abroad|"
    r"overseas|push(?:ed|es|ing)?|sync(?:ed|s|ing)?|forward(?:ed|s|ing)?|went|gone|handed)\b|传|出境|提供|发送|发给|发到|发往|导出|共享|推送|同步"
)

_SUBSET = words(
    r"(?:其中|当中|这些人中|里面)(?:[^，。；;\d]{0,8}?\d{1,2}\s*周?岁(?:以下|以上|以内|及以下|以下的)?[^，。；;\d]{0,6}?)?"
    r"(?:有|的|约|大约|大概|占)?\s*$"
    rf"|(?:{PEOPLE_ZH}|人)(?:里面|里头|里|当中|之中|中)(?:[^\d，,。；;]|\d{{1,2}}(?=\s*周?岁)){{1,16}}?(?:的|有|是|约|大约|大概|占)?\s*$|(?:包括|包含|含)(?:了|有)?\s*$"
    r"|\b(?:of|among) whom\s*$|\b(?:including|of which|incl\.?|among them|among these|of these|of them)\s*$",
    _I,
)
_ONLY = words(
    r"\b(?:only|just|merely)\s+(?:send|sent|transfer\w*|shar(?:e|ed|ing)|provid\w+|export\w*)\b"
    r"|(?:只|仅|单单)(?:传|发|提供|给|出境|共享|导出)",
    _I,
)
"""A part that becomes the whole transfer ("only send 8,000 of them", "只传其中8000人")."""
_PRIOR = words(
    r"\b(?:already|so far|to date|previously|earlier this year|up to now|year[\s-]to[\s-]date|have sent|had sent|"
    r"has sent)\b|已经|已|累计|此前|之前|迄今|目前为止|截至",
    _I,
)
_PRIOR_AFTER = words(
    r"^[^,.;，。；]{0,25}?\b(?:so far|to date|already)\b"
    r"|^\s*(?:[a-z'-]+\s+){0,2}?(?:were|was|have been|had been|got)?\s*(?:sent|transferred|exported|shared|provided|"
    r"uploaded)\b(?!\s+(?:to|by)\s+(?:them|us)\b)",
    _I,
)
_ADDITIONAL = words(
    r"(?:\b(?:another|an additional|additional|a further|further|extra|plus|add|adds|adding|also)\b[^,.;]{0,12}"
    r"|\+\s*|加上|"
    r"\b(?:the )?(?:remaining|rest of (?:the|our|their)|other)\s*\(?\s*|"
    r"\b(?:second|third|fourth|next|new|later|one more) (?:batch|wave|round|tranche|lot|upload|export|transfer)"
    r"(?:e?s)?(?: of)?(?: about| around| roughly)?\s*"
    rf"|(?:再|又|另外|另|新增|追加|还要|还将|还会|还得|还有|{_REST_ZH}|还(?=传|发|给|提供|同步|上传))"
    r"[\u4e00-\u9fff]{0,4}[，,:：]?\s*)$",
    _I,
)
_ADDITIONAL_AFTER = words(
    r"^[^.;!?。；！？]{0,40}?(?:\b(?:on top(?: of (?:that|it|this|those|these|them|the \w+))?|in addition|as well)\b"
    r"|在此基础上|额外)",
    _I,
)
"""'500k new customers on top of that': more people, added to those counted before."""
_NEW_AFTER = words(r"^\s*(?:more|new|newer|newly)\b|^\s*(?:名|个|位)?新(?:增|注册|加入)?的?", _I)
"""'45,000 more', '47,000 new sign-ups', '4.7万新会员': people not counted before."""
_NO_OVERLAP = words(
    r"(?:和|与|跟|同)[^，。；,;]{0,16}?(?:不重合|不重复|没有重叠|没有重合|无重叠|不重叠|没重合|没重复)"
    r"|\b(?:no|zero|without any) overlap\b|\bdo(?:n't| not) overlap\b|\bnot the same (?:people|users|customers)\b"
    r"|\bdifferent (?:people|users|customers|members|players) (?:from|than)\b",
    _I,
)
"""People said to be others than those counted before ("跟第一批会员不重复", "no overlap with the first list"):
their count adds to the earlier one."""
_CURRENT = words(r"\b(?:now|this time|this transfer|planned|plan to|will)\b|本次|这次|此次|现在|拟", _I)
_MONTH = r"(?:jan|feb|mar|apr|(?-i:May)|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
_MONTH_BEFORE = words(rf"\b{_MONTH}\.?\s*$", _I)
_MONTH_AFTER = words(rf"^(?:st|nd|rd|th)?\s*(?:of\s+)?{_MONTH}\b", _I)
_BATCH = words(
    r"\b(?:spring|summer|autumn|fall|winter|Q[1-4]|H[12]|(?:first|second|third|fourth|last|next) "
    r"(?:half|quarter|batch|round|wave|tranche|phase)|(?:batch|round|wave|tranche|phase)\s*(?:#\s*)?(?:one|two|three|"
    r"four|[1-6])|in (?:january|february|march|april|may|june|july|august|"
    r"september|october|november|december))\b"
    rf"|\b{_MONTH}\s*[:：]"  # "Jan: 58,000 members"
    rf"|\b\d{{1,2}}\s+{_MONTH}\b|\b{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?!\s*,?\s*\d{{3}})"  # "14 Feb", "Oct 9"
    r"|[上下]半年|[一二三四1-4]季度|第[一二三四五六1-6][批季]|首批|[春夏秋冬][季天]|(?<![\d年])\d{1,2}月(?:份)?(?!\d)"
    r"|[一二三四五六七八九十]{1,2}月(?:份)?",
    _I,
)
"""A period or batch within the year: two counts in different batches add up ("60,000 in spring, 45,000 in autumn")."""
_YEAR_EXPLICIT = words(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*(?:年|年度)|\b(?:in|during|for|since|throughout|FY|fiscal)\s*(?P<y2>(?:19|20)\d{2})\b"
    r"|\b(?P<y3>(?:19|20)\d{2})\s*[:：]",
    _I,
)
_YEAR_RELATIVE: tuple[tuple[YearRef, re.Pattern[str]], ...] = (
    (
        ("relative", -1),
        words(r"\b(?:last|previous|past) year\b|\bthe year before\b|\ba year ago\b|去年|上一年|上年度|上年|前一年"),
    ),
    (("relative", 1), words(r"\bnext year\b|\bthe coming year\b|明年|下一年|来年")),
    (
        ("relative", 0),
        words(r"\bthis (?:calendar |fiscal )?year\b|\byear[\s-]to[\s-]date\b|\bYTD\b|今年|本年度|本年|年内|年初至今"),
    ),
    (
        ("current", 0),
        words(r"\b(?:now|this time|today|currently|at present|planned|plan to|will)\b|本次|这次|此次|现在|目前|今天"),
    ),
)
"""Words tying a count to a year said against the day of reading; the last line are words of the present, which
tie it to the transfer's own year."""
_POPULATION = words(
    r"(?:\b(?:we|i|it|they|company|firm|group|platform|app|hospital|school|bank)\s+(?:have|has|had|serve[sd]?|"
    r"employ(?:s|ed)?|hold(?:s)?|manage[sd]?)\b|\b(?:user|customer|member|subscriber) base of\b|拥有|共有|总共有|"
    r"\b(?:firm|company|business|group|studio|chain|start-?up|manufacturer|maker|plant|factory|subsidiary|branch|"
    r"agency|consultancy|school|hospital|clinic)\b[^,.;]{0,40}\bwith\b|"
    r"(?:我们|我司|公司|平台|医院|学校|银行|APP|App|app|应用|小程序|网站|系统)(?:上|里)?(?:目前|现在|一共|总共|累计)?"
    r"(?:有|注册了?))"
    r"[^,.;，。；]{0,25}$",
    _I,
)
"""A count the organisation has (its users, staff) rather than one it sends; dropped when a sent count is stated."""
_BATCH_AFTER = words(
    r"^\s*(?:more|planned|scheduled|expected|to be sent|to follow|(?:so far )?this year\b|(?:so far )?in \d{4}\b|"
    r"(?:were |was |have been |had been )?(?:sent|transferred|exported|shared|uploaded))\b",
    _I,
)
_BATCH_BEFORE = words(
    r"(?:\+|\bplus(?: the)?|\band another|加上|\b(?:this|last|next) year(?:\s+(?:so far|to date|until now))?|"
    r"\bin (?:spring|summer|autumn|fall|winter|Q[1-4]|H[12])|"
    r"(?:今年|去年|明年)(?:到目前为止|迄今|截至目前|至今)?|[上下]半年|[一二三四1-4]季度|第[一二三四五六1-6]批)\s*[:：,，]?\s*$",
    _I,
)
"""Words next to a bare number that make it a batch of people sent ("+ 45,000", "this year 30k", "下半年4万")."""
MINOR_NOUNS = frozenset({"children", "child", "kids", "kid", "minors", "minor", "儿童", "孩子", "未成年人", "未成年"})
"""Person nouns of a sub-group that is sensitive by itself (PIPL art 28: under-14s)."""


_RANGE_GAP = words(
    r"\s*(?:到|至|~|-|–|—|to|and)\s*"
    # two figures said as alternatives: "可能五千多，也可能上九千", "could be 4k, could be 9k", "4k or maybe 9k"
    r"|(?:多|左右|上下)?\s*[,，]?\s*(?:也|又)?(?:可能|或者|或)(?:是|有|上|到)?\s*"
    r"|\s*,?\s*(?:or (?:maybe |possibly |perhaps |even )?|(?:but )?(?:it )?(?:could|might|may) (?:also )?be (?:as "
    r"(?:many|much|high) as )?)\s*"
)
_RANGE_BEFORE = words(r"(?:\bbetween\b|\bfrom\b|介于|在|从)[^,.;:，。；：]{0,12}$")
_UNKNOWN_AMOUNT = words(
    r"\b(?:(?:i|we) (?:don't|do not) know (?:exactly )?how many|not sure how many|no idea how many|"
    r"an unknown (?:number|amount)|(?:i|we) (?:don't|do not) know the (?:number|count)|"
    r"(?:i|we) (?:haven't|have not) (?:yet )?(?:found out|checked|asked|counted) how many|"
    r"(?:don't|do not) have (?:the|a) (?:number|count|headcount) yet)\b|"
    r"多少人?(?:我|我们)?(?:也|还)?(?:不清楚|不知道|不确定|记不清|没问到|没问|没统计|没数|在统计|在查|待确认)"
    r"|(?:不清楚|不知道|不确定)(?:有|是)?多少|(?:数量|人数)不详|(?:还|尚)(?:没|未)(?:统计|数过|算过|确定)"
)
_EARLIER = words(
    r"\b(?:earlier|previously|already|before|so far|last (?:month|quarter))\b"
    r"|之前|此前|早些时候|已经|以前|发过|传过|提供过"
)
_LATER = words(
    r"\b(?:the rest|remaining|still to come|later|upcoming|in (?:Q[1-4]|the autumn|the fall|the winter|december)|"
    r"once|from now on|going forward)\b|以后|之后|剩下|剩余|后面|接下来|也都要|陆续|每个?月(?:都)?(?:会)?新增"
)
"""Words of a batch still to come ("the rest goes out in Q4", "7月以后的也都要传")."""
_SENTENCE_END = re.compile(r"[!?。！？;；\n]|\.(?!\d)")
"""The end of a sentence: a count's year, period and data kinds are read within its own sentence."""
_SENTENCE_TEXT = re.compile(r"[^.!?。！？;；\n]+")

YEAR_REACH = 160
"""How far back in its sentence a year word still ties a count; bounds the work on text without full stops."""
MAX_NUMBERS = 200
"""Numbers read per message; a question states a handful, and this bounds the work on pathological input."""


@dataclass(frozen=True)
class Count:
    """A number read as a count of individuals (or, when not `attached`, a bare number that might be one).

    `records` marks a count of records, orders, accounts or companies: not people, never `attached`.
    """

    value: int
    start: int
    end: int
    text: str
    role: Role = "plain"
    attached: bool = True
    qualifier: Qualifier = ""
    standalone: bool = False
    transfer: bool = False
    uncertain: bool = False
    approximate: bool = False
    noun: str | None = None
    records: bool = False
    population: bool = False
    batch: str | None = None
    year: YearRef | None = None
    low: int | None = None
    """The lower end when the count is a range ("5万到8万", "二三十万"): `value` is the upper end."""
    total: bool = False
    """Said as the total ("一共1.5万", "45,000 in total"): it sums the other counts, and earlier turns', itself."""


def _strip_qualifiers(before: str) -> tuple[str, Qualifier, bool]:
    """Remove "about", "more than", "超过"... just before a number; the bound they set, and whether approximate."""
    qualifier: Qualifier = ""
    approximate = False
    while True:
        for pattern, kind in (
            (_MORE_BEFORE, "more than"),
            (_LESS_BEFORE, "less than"),
            (_APPROX_BEFORE, "approximately"),
            (_PLAIN_BEFORE, ""),
        ):
            m = pattern.search(before)
            if m:
                before = before[: m.start()]
                if kind == "approximately":
                    approximate = True
                elif kind and not qualifier:
                    qualifier = "more than" if kind == "more than" else "less than"
                break
        else:
            return before, qualifier, approximate


def _noun(word: str | None) -> str | None:
    """A person noun in one form (lower case, singular), for telling groups apart."""
    if not word:
        return None
    word = word.lower().strip()
    if word in ("children", "people", "staff", "pax", "kids") or not word.isascii():
        return word
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


_CONTACT_AFTER = re.compile(
    r"^\s*(?:unique |distinct |different )?(?:e-?mails|e-?mail addresses|phone numbers|mobile numbers|mobiles|"
    r"cell(?:phone)? numbers|WeChat IDs)\b"
    r"|^\s*(?:多|余)?个?(?:不同的?)?(?:手机号码?|电话号码|邮箱(?:地址)?|微信号)",
    re.IGNORECASE,
)
"""Identifiers each of one person ("150,000 emails + names", "3万个手机号"): as many people as identifiers."""


def _attachment(text: str, n: Number, before: str) -> tuple[bool, int, str | None]:
    """Whether the number is tied to people or a transfer, where its phrase ends, and its person noun."""
    after = text[n.end : n.end + 80]
    for pattern in (_PEOPLE_AFTER_EN, _AGE_AFTER_ZH, _NOUN_AFTER_ZH, _CLASSIFIER_ZH, _WHO_AFTER_EN, _CONTACT_AFTER):
        m = pattern.match(after)
        if not m or (n.chinese_only and n.value < 10):
            continue
        groups = m.groupdict()
        noun = groups.get("noun") or ("minor" if groups.get("age") else None)
        if noun in (None, "人") and (named := _NOUN_BEFORE_ZH.search(before)):
            noun = named.group("noun")  # "家长约90人": the people named before the number
        return True, n.end + m.end(), _noun(noun)
    if n.chinese_only and n.value < 10:
        return False, n.end, None
    for pattern in (_PEOPLE_BEFORE_EN, _NOUN_BEFORE_ZH, _VERB_BEFORE_EN, _VERB_BEFORE_ZH):
        m = pattern.search(before)
        if m:
            return True, n.end, _noun(m.groupdict().get("noun") or m.groupdict().get("described"))
    if n.value >= 10 and (_BATCH_AFTER.match(after) or _BATCH_BEFORE.search(before)):
        return True, n.end, None  # "45,000 more", "45,000 planned for autumn", "this year 30k", "+ 45,000"
    return False, n.end, None


def _records(text: str, n: Number, raw_before: str, end: int) -> bool | None:
    """True for a count of records or companies; False when a person noun governs it; None when neither applies."""
    after = text[n.end : n.end + 80]
    unit = _RECORDS_AFTER_ZH.match(after) or _RECORDS_AFTER_EN.match(after)
    if unit is None:
        tail = text[end : end + 30]
        bare_noun = "'" not in text[n.end : end] and not text[n.end : end].rstrip().endswith("的")
        if end > n.end and bare_noun and (_UNIT_AFTER_NOUN_EN.match(tail) or _UNIT_AFTER_NOUN_ZH.match(tail)):
            return True  # "50,000 customer records", "6万客户记录"
        return None
    governed = _ORGANISATION_UNIT.search(unit.group(0)) and (
        _GOVERNS_BEFORE_EN.search(raw_before) or _GOVERNS_AFTER_ZH.match(after)
    )
    if governed and n.value > 1:  # "我是一家药企的负责人" describes the writer: 一家 is an article, not a count
        return False  # "the legal representatives of 1,200 supplier companies", "1200家供应商的法定代表人"
    if _ONE_EACH.search(text[n.end : n.end + 120]):
        return False  # "90,000 files, one for each member": as many people as records
    people_after = _PEOPLE_AFTER_EN.match(after)
    if people_after and 0 <= people_after.start("noun") <= len(unit.group(0)) + 1:
        # the person noun is in the unit or heads it ("supplier contacts", "store managers")
        rest = after[people_after.end("noun") :]
        noun = people_after.group("noun").lower()
        plural = noun.endswith("s") or noun in ("people", "staff", "children", "personnel")
        head = plural or rest.startswith("'") or re.match(r"\s+(?:of|on|in|at|with|from|whose)\s", rest) is not None
        return (
            None if head else True
        )  # "40,000 customers' orders", "patients medical records", "holders of tickets", "tenants on record" are
        # people; "customer orders" are not
    return True


@lru_cache(maxsize=16)
def _sentence_ends(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The starts and ends of every sentence break in `text` (a decimal point is none), computed once per text."""
    found = [(m.start(), m.end()) for m in _SENTENCE_END.finditer(text)]
    return tuple(s for s, _ in found), tuple(e for _, e in found)


def sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """The start and end of the sentence holding `pos`."""
    starts, ends = _sentence_ends(text)
    before = bisect_right(ends, pos)
    after = bisect_left(starts, pos)
    return (ends[before - 1] if before else 0), (starts[after] if after < len(starts) else len(text))


def _year(text: str, n: Number, end: int) -> YearRef | None:
    """The year a count is tied to: the nearest year word before it in its sentence, else one after it in its clause."""
    s_start, _ = sentence_bounds(text, n.start)
    before = text[max(s_start, n.start - YEAR_REACH) : n.start]
    _, c_end = clause_bounds(text, n.start)
    after = text[end : max(end, c_end)]
    best: tuple[int, YearRef] | None = None
    for m in _YEAR_EXPLICIT.finditer(before):
        year = int(m.group("y") or m.group("y2") or m.group("y3"))
        if best is None or m.end() >= best[0]:
            best = (m.end(), ("year", year))
    for ref, pattern in _YEAR_RELATIVE:
        for m in pattern.finditer(before):
            if best is None or m.end() > best[0]:
                best = (m.end(), ref)
    for m in NEXT_MONTH.finditer(before):  # "今年传了2万，下个月再传1万": next month's count, in next month's year
        if best is not None and m.end() > best[0]:
            best = (m.end(), ("relative", 1 if reading_day().month == 12 else 0))
    if best is not None:
        return best[1]
    later = _YEAR_EXPLICIT.search(after)
    if later:
        return ("year", int(later.group("y") or later.group("y2") or later.group("y3")))
    for ref, pattern in _YEAR_RELATIVE[:3]:  # a year said after the count, not words of the present
        if pattern.search(after):
            return ref
    return None


LINE_HEAD = 24
"""How far into its line a count may stand for the line's opening date to be its batch's."""


def _batch(text: str, n: Number, end: int) -> str | None:
    """The period or batch words of the count's clause ("in spring", "上半年"), if any."""
    start, stop = clause_bounds(text, n.start)
    line = text.rfind("\n", 0, n.start) + 1
    if n.start - line <= LINE_HEAD:
        start = min(start, line)  # "- 14 Feb: 60,200 consignees": a list of dated batches
    sentence = sentence_bounds(text, n.start)[0]
    label = text[sentence:start].strip()
    if label.endswith((":", "：")) and len(label) <= LINE_HEAD:
        start = sentence  # "Batch two: 47,000 members": the label names the batch
    found = [(abs(m.start() - n.start), m.group(0).lower()) for m in _BATCH.finditer(text, start, max(end, stop))]
    return min(found)[1] if found else None


def _role(text: str, n: Number, before: str) -> Role:
    """How the count relates to others: a subset, this year's earlier transfers, an addition, this transfer."""
    clause_start, clause_end = clause_bounds(text, n.start)
    window = text[max(clause_start, n.start - 40) : n.start]
    after = text[n.end : clause_end]
    subset = _SUBSET.search(before) or re.match(
        r"^\s*(?:of|among) (?:them|these|those|whom|(?:the|our|these|those) [\w-]+(?: [\w-]+)?)\b", after, _I
    )
    lead = re.split(r"[.!?。！？;；,，]", text[max(0, n.start - 20) : n.start])[-1]
    if subset and not _ONLY.search(lead):
        return "subset"
    if subset:
        return "current"  # "only 8,000 of them": the transfer is now that part
    if _PRIOR.search(window) or _PRIOR_AFTER.match(after):
        return "prior"
    if _ADDITIONAL.search(before) or _NEW_AFTER.match(after) or _ADDITIONAL_AFTER.match(after):
        return "additional"
    if _NO_OVERLAP.search(text, n.end, sentence_bounds(text, n.end)[1]):
        return "additional"
    if _CURRENT.search(window):
        return "current"
    return "plain"


def _ranges(text: str, numbers: list[Number]) -> dict[int, int | None]:
    """The numbers that are an end of a range ("5万到15万之间", "between 50k and 150k", "3到5万"), by start: the upper
    end's lower end, or None for a lower end (or an end whose partner is on another scale: "3到500万" is unread)."""
    starts: dict[int, int | None] = {}
    for a, b in pairwise(numbers):
        gap = text[a.end : b.start]
        if not _RANGE_GAP.fullmatch(gap):
            continue
        word = gap.strip().lower()
        if word == "and" and not _RANGE_BEFORE.search(text[max(0, a.start - 30) : a.start]):
            continue  # "40,000 and 2,000 of them": two counts, not a range
        low = _shared_scale(a, b)
        if word == "to" and low is None and not _RANGE_BEFORE.search(text[max(0, a.start - 30) : a.start]):
            continue  # "we send 5,000 to 12 partners"
        if word == "-" and low is None and min(a.value, b.value) < 10:
            continue  # 1-10月
        starts[a.start] = None
        low = low or a.value
        starts[b.start] = low if low <= b.value <= 20 * low else None
    return starts


_SCALES = (
    (re.compile(r"(?:k|thousand|千)$", re.IGNORECASE), 1_000),
    (re.compile(r"(?<!十|百|千)万$"), 10_000),
    (re.compile(r"十万$"), 100_000),
    (re.compile(r"(?:m|mn|million|百万)$", re.IGNORECASE), 1_000_000),
    (re.compile(r"亿$"), 100_000_000),
)
_BARE = re.compile(r"\d+(?:\.\d+)?|[一二两三四五六七八九]?十?[一二三四五六七八九]?")


def _shared_scale(a: Number, b: Number) -> int | None:
    """The lower end of a range whose scale word is said once, after the upper end ("90 to 110 thousand", "3到5万",
    "1.5 to 2 million"): the bare lower number in the upper end's scale; None when the two do not share one."""
    if not _BARE.fullmatch(a.text.strip()):
        return None
    for unit, scale in _SCALES:
        if unit.search(b.text.strip()):
            digits = a.text.strip()
            low = round((float(digits) if digits[0].isascii() else a.value) * scale)
            return low if low <= b.value <= 20 * low else None
    return None


def unknown_batch(text: str) -> str | None:
    """Words saying that another batch this year, earlier or still to come, is of an unknown size ("I don't know how
    many went before", "the rest goes in Q4, no idea how many yet")."""
    before = ""
    for sentence in _SENTENCE_TEXT.finditer(text):
        said = sentence.group(0)
        if _UNKNOWN_AMOUNT.search(said) and (_EARLIER.search(said) or _LATER.search(before + said)):
            return said.strip()  # the batch to come may be named in the sentence before: "The rest in Q4; no idea…"
        before = said
    return None


def _states_a_rule(text: str, n: Number, end: int, qualifier: str) -> bool:
    """Whether a bound of a count is said as a rule (`_RULE_AFTER`) rather than as the person's own number."""
    after = end
    if bound := _BOUND_AFTER.match(text[end : end + 20]):
        after = end + bound.end()
    elif qualifier not in ("less than", "more than"):
        return False
    start, _ = clause_bounds(text, n.start)
    return bool(_RULE_AFTER.match(text[after : after + 30])) and not _OURS.search(text[start : n.start])


def quotes_a_rule(text: str) -> bool:
    """Whether the text quotes a number of the rules ("规定里的“不满10万人”"): a question about our rules."""
    return any(_RULE_SAYS_BEFORE.search(text[max(0, n.start - 60) : n.start]) for n in find_numbers(text)[:MAX_NUMBERS])


def find_counts(text: str, skip: list[tuple[int, int]] | None = None) -> list[Count]:
    """Every number that can be a count of individuals, with `attached` telling how sure it is.

    Counts of records or companies are returned too, marked `records` (and never `attached`), so that the reader
    can say why they set no count of people.
    """
    out: list[Count] = []
    denied: list[tuple[int, int]] = []
    numbers = find_numbers(text)[:MAX_NUMBERS]
    ranged = _ranges(text, numbers)
    options = _option_numbers(text, numbers)
    for n in numbers:
        if any(s <= n.start < e for s, e in skip or []):
            continue
        if _on_the_roster(text, n.start):
            continue  # "Present: the principal, three teachers": who attended a meeting, not whose data goes
        raw_before = text[max(0, n.start - 60) : n.start]
        if _BLOCK_BEFORE.search(raw_before) or _BLOCK_AFTER_EN.match(text[n.end : n.end + 80]):
            continue
        one_each = _one_cv_each(text, n)
        if _BLOCK_AFTER_ZH.match(text[n.end : n.end + 80]) and not one_each:
            continue  # 3年, 5份 and 2个月 are not people
        if _RATIO_AFTER_EN.match(text[n.end : n.end + 60]) or _RATIO_BEFORE_ZH.search(raw_before[-12:]):
            continue
        if (
            n.value <= MAX_ITEM_NUMBER
            and _ITEM_BEFORE.search(raw_before)
            and _ITEM_AFTER.match(text[n.end : n.end + 3])
        ):
            continue  # "问题：1. …？2. 我们…": a list item's number
        if n.start in options:
            continue  # "wants 1 just the emails or 2 the emails plus the records": options, not people
        if _SECTION.fullmatch(n.text) and (
            _SECTION_BEFORE.search(raw_before[-16:]) or re.match(r" [A-Z]", text[n.end : n.end + 2])
        ):
            continue  # "5.1 The Overseas Recipient may…", "Clauses 5.1 to 5.4": a section's number
        if n.value <= 31 and (_MONTH_BEFORE.search(raw_before[-12:]) or _MONTH_AFTER.match(text[n.end : n.end + 12])):
            continue  # "moved to Dec 3", "on 3 Dec": a day of the month
        if _ONE_MORE_THING.match(text[n.end : n.end + 30]) and n.value == 1:
            continue  # "one more: ...", "还有一个问题": another question, not one person
        if _SAID_BEFORE.search(raw_before) and _SAID_WRONG_AFTER.match(text[n.end : n.end + 120]):
            continue  # "I said 310,000 learners, but that included 2025": a figure taken back
        if _QUOTED_ANSWER.search(raw_before):
            continue  # we were told "below 5,000 people you are fine"
        if _RULE_SAYS_BEFORE.search(raw_before) and not _OURS.search(raw_before[-30:]):
            continue  # "when the rules talk about 10,000 people": the rule's number
        if _NOT_SENT_AFTER.match(text[n.end : n.end + 80]):
            continue  # "12 dropouts whose records are not sent"
        before, qualifier, approximate = _strip_qualifiers(raw_before)
        if _NOT_BEFORE.search(before):
            if qualifier != "more than":
                denied.append((n.value, n.start))
                continue  # "not 40,000 but 60,000": the person set this number aside
            qualifier = ""  # "not more than N" is at most N
        plain_year = re.fullmatch(r"(?:19|20)\d{2}", n.text) is not None
        attached, end, noun = _attachment(text, n, before)
        if plain_year and (_YEAR_BEFORE.search(before) or end == n.end or not _PEOPLE_NEXT.match(text[n.end : end])):
            continue  # "2026 batches of consignee data": the year of the batches
        if (
            _THRESHOLD_AFTER.match(text[end : end + 20])
            or _THRESHOLD_AFTER.match(text[n.end : n.end + 20])
            or _THRESHOLD_BEFORE.search(before)
            or (_CONDITION_BEFORE.search(raw_before) and not _asks_what_if(text, n.start))
            or (n.value <= 18 and _AGE_BEFORE.search(raw_before))
            or (n.value <= 18 and _AGES_OF.search(raw_before) and _AGE_SPAN.match(text, n.start))
            or (n.value <= 18 and _AGES_TO.search(raw_before))
        ):
            continue
        if _states_a_rule(text, n, end, qualifier):
            continue
        records = _records(text, n, raw_before, end)
        if records is False and not attached:
            attached, noun = True, "representative"
        if one_each:
            attached, noun, records = True, "applicant", False
        if not attached and n.chinese_only and n.value < 10:
            continue
        value = n.value
        approximate = approximate or n.approximate or bool(_APPROX_AFTER.match(text[n.end : n.end + 30]))
        if qualifier == "more than" or (_MORE_AFTER.match(text[n.end : n.end + 80]) and not qualifier):
            qualifier, value = "more than", value + 1
        elif qualifier == "less than":
            value = max(0, value - 1)
        start, stop = clause_bounds(text, n.start)
        clause_before = text[start : n.start]
        standalone = bool(_STANDALONE_AFTER.match(text[n.end : n.end + 80]))
        transfer = bool(_TRANSFER_VERB.search(text[start:stop]))
        population = bool(_POPULATION.search(clause_before)) and not transfer
        out.append(
            Count(
                value,
                n.start,
                end,
                text[n.start : end],
                role=_role(text, n, before),
                attached=attached and not records,
                qualifier=qualifier,
                standalone=standalone,
                transfer=transfer,
                uncertain=n.start in ranged and ranged[n.start] is None,
                low=ranged.get(n.start) or n.low,
                approximate=approximate,
                noun=noun,
                records=bool(records),
                population=population,
                total=bool(_TOTAL_BEFORE.search(raw_before[-30:]) or _TOTAL_AFTER.match(text[end : end + 20])),
                batch=_batch(text, n, end) if attached else None,
                year=_year(text, n, end) if attached else None,
            )
        )
    kept = _without_breakdowns(text, _taken_back(text, _bare_numbers_attached(out), denied))
    return _populations_listed(text, _dated_batches(text, _listed_batches(text, _fractions(text, kept))))


_FRACTIONS = {"half": 0.5, "a half": 0.5, "one half": 0.5, "a third": 1 / 3, "one third": 1 / 3,
              "two thirds": 2 / 3, "a quarter": 0.25, "one quarter": 0.25, "three quarters": 0.75,
              "a fifth": 0.2, "one fifth": 0.2, "a tenth": 0.1, "one tenth": 0.1, "一半": 0.5, "半数": 0.5,
              "三分之一": 1 / 3, "三分之二": 2 / 3, "四分之一": 0.25, "四分之三": 0.75, "五分之一": 0.2,
              "十分之一": 0.1}  # fmt: skip
_FRACTION = re.compile(
    r"(?P<frac>\b(?:(?:a |one )?half|a third|one third|two thirds|a quarter|one quarter|three quarters|a fifth|"
    r"one fifth|a tenth|one tenth)\b|(?P<pct>\d{1,2}(?:\.\d+)?)\s*(?:%|％|percent\b|per cent\b)|一半|半数|"
    r"[三四五十]分之[一二三])"
    rf"(?=\s*(?:of (?:them|these|those|which|whom|all|(?:the|our|these|those) (?:[\w-]+ )?(?:{PEOPLE_EN}))\b|"
    rf"(?:are|is|were)\b|是|为|左右|上下|的(?:{PEOPLE_ZH}|病历|数据|信息|资料|记录|档案)))",
    re.IGNORECASE,
)
"""A part of a group said as a fraction ("roughly half of these pupils", "其中四分之一是儿童", "10% of which")."""


def _fractions(text: str, counts: list[Count]) -> list[Count]:
    """A fraction of the people just counted, as a count of its own: part of those people (a subset)."""
    out = list(counts)
    for m in _FRACTION.finditer(text):
        whole = next((c for c in reversed(counts) if c.end <= m.start() and c.attached and c.role != "subset"), None)
        later_sentence = whole is not None and sentence_bounds(text, m.start())[0] > whole.end + 1
        if whole is None or (later_sentence and not _SUBSET_LEAD.search(text, max(0, m.start() - 6), m.start())):
            continue
        if any(c.start <= m.start() < c.end or m.start() <= c.start < m.end() for c in counts):
            continue
        share = float(m.group("pct")) / 100 if m.group("pct") else _FRACTIONS[m.group("frac").lower()]
        sent = _TRANSFER_VERB.search(text, m.end(), clause_bounds(text, m.start())[1])
        part = Count(
            round(whole.value * share), m.start(), m.end(), m.group(0), role="current" if sent else "subset",
            approximate=True, transfer=bool(sent),
            noun=whole.noun, year=whole.year, batch=whole.batch,
        )  # fmt: skip
        out.append(part)
    return sorted(out, key=lambda c: c.start)


_SUBSET_LEAD = re.compile(r"(?:其中|当中|里面|之中|among them|of them|of these)\W*\w*\s*$", re.IGNORECASE)


_CONTRAST = words(r"\b(?:but|only|just|this time|however)\b|但|只|仅|这次|本次|其中")


def _populations_listed(text: str, counts: list[Count]) -> list[Count]:
    """The counts listed after one that the organisation has, in its sentence and sending nothing: its populations
    too ("the club has 60 pupils signed up and 95 parents in the group chat")."""
    out = list(counts)
    for i in range(1, len(out)):
        a, b = out[i - 1], out[i]
        gap = text[a.end : b.start]
        plain = not (_SENTENCE_END.search(gap) or _TRANSFER_VERB.search(gap) or _CONTRAST.search(gap))
        if a.population and not b.transfer and len(gap) <= 40 and plain:
            out[i] = replace(b, population=True)
    return out


def _bare_numbers_attached(counts: list[Count]) -> list[Count]:
    """Bare numbers tied to the people of the count before them: a range's upper end ("the number for 2027 is
    70k-120k"), another batch of the same ("the other 47,000 follow in October") and a part of them ("其中12岁以下的
    大概1.5万")."""
    out = list(counts)
    for i in range(1, len(out)):
        lower, upper = out[i - 1], out[i]
        if upper.low is not None and not upper.attached and lower.uncertain and lower.attached and not upper.records:
            out[i] = replace(upper, attached=True, noun=upper.noun or lower.noun)
        elif (
            upper.role == "additional"
            and not upper.attached
            and not upper.records
            and lower.attached
            and upper.standalone
        ):
            out[i] = replace(upper, attached=True)  # "传了6.8万，年底前还有一批4.5万": another batch of the same
        elif upper.role == "subset" and not upper.attached and not upper.records and (lower.attached or lower.records):
            out[i] = replace(upper, attached=True)  # "5万学员，其中12岁以下的大概1.5万": part of those people
    return out


_BATCHES_LEAD = words(
    r"[两二三四五六七八九十2-9]\s*(?:批|次|轮|期)[^，。；,;:：\d]{0,24}?\s*[:：,，]?\s*(?:分别|各)?(?:是|为)?\s*$"
    r"|\b(?:in )?(?:two|three|four|five|six|2|3|4|5|6) (?:batches|rounds|waves|tranches|transfers|lots|uploads|exports)"
    r"(?: of)?\s*[:,]?\s*$|\b(?:batches|uploads|transfers|exports)\b[^.;!?\d]{0,12}[:,]\s*$",
    _I,
)
_LIST_GAP = re.compile(r"\s*(?:[、,，/;；]|\band\b|和|及|\+)\s*(?:and\s+)?$", re.IGNORECASE)


def _listed_batches(text: str, counts: list[Count]) -> list[Count]:
    """The numbers listed after "in three batches:" / "分了三批：" are the people of each batch, which add up."""
    out = list(counts)
    for i, count in enumerate(out):
        if count.records or count.attached or not _BATCHES_LEAD.search(text, max(0, count.start - 30), count.start):
            continue
        run = [i]
        while run[-1] + 1 < len(out) and _LIST_GAP.match(text, out[run[-1]].end, out[run[-1] + 1].start):
            run.append(run[-1] + 1)
        for k, j in enumerate(run, start=1):
            out[j] = replace(out[j], attached=True, role="plain", batch=f"batch {k}")
    return out


_ITEM_BREAK = re.compile(r"[,，、;；]|\band\b|和|以及")
_MONTH_OR_SEASON = words(
    r"\b(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|"
    r"jun|jul|aug|sept?|oct|nov|dec|spring|summer|autumn|fall|winter|Q[1-4]|H[12]|"
    r"(?:this |next )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|today|tomorrow|next week)\b"
    r"|\d{1,2}月(?:份)?(?!\d)|[一二三四五六七八九十]{1,2}月(?:份)?|[上下]半年|[一二三四1-4]季度|[春夏秋冬][季天]"
    r"|(?:这|下|本)?(?:周|星期)[一二三四五六日天]|今天|明天|下周",
    _I,
)
"""A month, part of the year or day that dates one batch of a list ("Feb 40k, July 35k, Monday 45k")."""


_PERIOD_TAIL = re.compile(f"(?:{_MONTH_OR_SEASON.pattern})\\s*$", re.IGNORECASE)
"""The period word right before a number ("3月" in "3月3.2万")."""
_BATCH_WORD = words(r"\b(?:batch|upload|transfer|export|tranche|wave)\b\s*[:：]?\s*$|批\s*[:：]?\s*$", _I)
"""A batch named right before the first number of a dated list ("Feb batch 40k, July 35k")."""


def _dated_batches(text: str, counts: list[Count]) -> list[Count]:
    """Numbers listed side by side, each with its own period ("30k in May, 12k planned for October",
    "3月2万，9月1.5万"), one of them tied to people: the year's batches, which add up."""
    out = list(counts)
    i = 0
    while i < len(out):
        run = [i]
        while run[-1] + 1 < len(out):
            a, b = out[run[-1]], out[run[-1] + 1]
            gap = text[a.end : b.start]
            if len(gap) > 40 or not _ITEM_BREAK.search(gap) or _SENTENCE_END.search(gap):
                break
            run.append(run[-1] + 1)
        periods = [_own_period(text, out[j], out[run[k + 1]].start if k + 1 < len(run) else None)
                   for k, j in enumerate(run)]  # fmt: skip
        while len(run) > 2 and periods[0] is None:  # "two uploads, 32k in March and 27k in September"
            run, periods = run[1:], periods[1:]
        dated = len(run) >= 2 and all(periods) and len(set(periods)) == len(run)
        first = out[run[0]].start
        # "分三批给母公司：3月3.2万，7月…": the lead ends where the first batch's month begins
        dated_first = _PERIOD_TAIL.search(text, max(0, first - 12), first)
        lead = dated_first.start() if dated_first else first
        sent = (
            any(out[j].attached for j in run)
            or _BATCHES_LEAD.search(text, max(0, lead - 42), lead)
            or _BATCH_WORD.search(text, max(0, first - 16), first)
        )
        if dated and sent and not any(out[j].records for j in run):
            for j, period in zip(run, periods, strict=True):
                out[j] = replace(out[j], attached=True, role="plain", batch=period)
        i = run[-1] + 1
    return out


def _own_period(text: str, count: Count, stop: int | None) -> str | None:
    """The period words of a count's own item ("30k in May", "in May 30k", "3月2万"), not its neighbour's."""
    end = stop if stop is not None else min(len(text), count.end + 30)
    cut = _ITEM_BREAK.search(text, count.end, end)
    after = _MONTH_OR_SEASON.search(text, count.end, cut.start() if cut else end)
    start = max(0, count.start - 12)
    breaks = list(_ITEM_BREAK.finditer(text, start, count.start))
    before = list(_MONTH_OR_SEASON.finditer(text, breaks[-1].end() if breaks else start, count.start))
    found = after or (before[-1] if before else None)
    return found.group(0).lower() if found else None


_BRACKET_OPEN = re.compile(r"\s*(?:人|名|位|个)?\s*[(（\[]")
_BRACKET_CLOSE = re.compile(r"[)）\]]")


def _without_breakdowns(text: str, counts: list[Count]) -> list[Count]:
    """The counts without the parts of one listed in brackets after it ("90k (60k online + 30k in stores)",
    "24万人（线上15万、门店9万）"): the bracket explains the figure before it and adds no people. A single
    number in brackets may be a sub-group ("150k users (about 20k kids)") and stays."""
    inside: list[Count] = []
    for i, whole in enumerate(counts):
        opening = _BRACKET_OPEN.match(text, whole.end) if whole.attached and not whole.records else None
        closing = _BRACKET_CLOSE.search(text, opening.end()) if opening else None
        if opening and closing:
            parts = [c for c in counts[i + 1 :] if opening.end() <= c.start < closing.start()]
            if len(parts) >= 2 and all(c.role != "subset" and c.value < whole.value for c in parts):
                inside += parts
    return [c for c in counts if c not in inside]


_SLIP = words(
    r"\b(?:sorry|i mean|i meant|correction|misread|typo|my bad|i misspoke|scratch that|no wait)\b"
    r"|不对|说错|打错|看错|写错|搞错|哦不|更正|纠正"
)
"""A slip taken back between two numbers ("450k - my bad, typo, 45k", "8万——哦不对，是8千")."""
SLIP_REACH = 80
"""How far apart a number and the one that corrects it may be."""


def _taken_back(text: str, counts: list[Count], denied: list[tuple[int, int]]) -> list[Count]:
    """The counts without those the person takes back: a number followed by a slip and another number, or said
    again after "not" ("it's 30k, not 300k", "是3万不是30万"). The number that replaces one takes its place (its
    people, its transfer) and reads as a correction on its own."""
    out: list[Count] = []
    for count in counts:
        previous = out[-1] if out else None
        if (
            previous is not None
            and count.role == "plain"
            and count.start - previous.end <= SLIP_REACH
            and _SLIP.search(text, previous.end, count.start)
        ):
            out[-1] = _in_place_of(count, out[-1])
            continue
        out.append(count)
    for value, at in denied:
        before = [c for c in out if c.start < at]
        gone = [c for c in before if c.value == value]
        kept = [c for c in before if c.value != value]
        if kept and (gone or not any(c.start > at for c in out)):
            replacing = kept[-1]
            out = [_in_place_of(replacing, gone[0]) if c is replacing and gone else c for c in out if c not in gone]
            out = [replace(c, standalone=True) if c.start == replacing.start else c for c in out]
    return out


def _in_place_of(new: Count, old: Count) -> Count:
    """A correcting count with the people and transfer of the count it replaces."""
    return replace(
        new,
        attached=new.attached or old.attached,
        noun=new.noun or old.noun,
        transfer=new.transfer or old.transfer,
        standalone=True,
    )
