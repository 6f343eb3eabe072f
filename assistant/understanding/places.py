"""Where the processor is registered: the Beijing FTZ and its groups, Beijing, other FTZs, other cities; and abroad."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..facts import Zone
from .negation import negated
from .text import rx, words

_PROVINCES_EN = (
    "shanghai|tianjin|hainan|guangdong|fujian|zhejiang|chongqing|sichuan|shenzhen|hubei|shaanxi|liaoning|henan|"
    "jiangsu|shandong|hebei|yunnan|guangxi|heilongjiang|hunan|anhui|xinjiang|xiamen"
)
_PROVINCES_ZH = (
    "上海|天津|海南|广东|福建|浙江|重庆|四川|深圳|湖北|陕西|辽宁|"
    "河南|江苏|山东|河北|云南|广西|黑龙江|湖南|安徽|新疆|厦门"
)
_FTZ = r"(?:pilot\s+)?(?:free[\s-]trade(?:\s+(?:zone|area|port))?|FTZ|FTP)"

FOREIGN_EN = (
    r"(?-i:US|USA|U\.S\.|UK|EU|UAE)|America|United States|Britain|England|London|Europe|Germany|Munich|Stuttgart|"
    r"Berlin|Hamburg|France|Paris|Switzerland|Basel|Zurich|Geneva|Japan|Tokyo|Osaka|Korea|Seoul|Singapore|Hong Kong|"
    r"Macau|Macao|Taiwan|Taipei|Australia|Sydney|Melbourne|Canada|Toronto|Ireland|Dublin|Netherlands|Rotterdam|"
    r"Amsterdam|Dubai|Thailand|Bangkok|Malaysia|India|Italy|Spain|New York|Boston|California|Oregon|"
    r"New Jersey|Cambridge|Brussels|Sweden|Denmark|Belgium|Vietnam|Viet Nam|Hanoi|Ho Chi Minh City|Philippines|Manila|"
    r"Indonesia|Jakarta|Bali|Kuala Lumpur|Penang|Phuket|Cambodia|Myanmar|Laos|Mongolia|Russia|Moscow|Kazakhstan|"
    r"Pakistan|Bangladesh|Sri Lanka|Nepal|Saudi(?: Arabia)?|Riyadh|Qatar|Doha|Abu Dhabi|Israel|Tel Aviv|Istanbul|"
    r"Egypt|Cairo|South Africa|Nigeria|Kenya|Brazil|Mexico|Argentina|Chile|New Zealand|Auckland|Vancouver|Montreal|"
    r"Los Angeles|San Francisco|Silicon Valley|Seattle|Chicago|Texas|Finland|Helsinki|Norway|Oslo|Stockholm|"
    r"Copenhagen|Poland|Warsaw|Austria|Vienna|Portugal|Lisbon|Madrid|Milan|Rome|Lyon|Frankfurt|Prague|Budapest|"
    r"Athens|Bangalore|Bengaluru|Mumbai|New Delhi|Perth|Middle East|Southeast Asia|North America|South America|Africa"
)
FOREIGN_ZH = (
    "美国|英国|伦敦|欧盟|欧洲|德国|慕尼黑|斯图加特|柏林|汉堡|法国|巴黎|瑞士|巴塞尔|苏黎世|日内瓦|日本|东京|大阪|韩国|"
    "首尔|新加坡|香港|澳门|台湾|台北|澳大利亚|悉尼|墨尔本|加拿大|多伦多|爱尔兰|都柏林|荷兰|鹿特丹|阿姆斯特丹|迪拜|"
    "泰国|曼谷|马来西亚|印度|意大利|西班牙|纽约|波士顿|加州|新泽西|剑桥|布鲁塞尔|越南|河内|胡志明市|菲律宾|马尼拉|"
    "印度尼西亚|印尼|雅加达|巴厘岛|吉隆坡|槟城|普吉岛?|柬埔寨|缅甸|老挝|(?<!内)蒙古国?|俄罗斯|莫斯科|哈萨克斯坦|"
    "巴基斯坦|孟加拉|斯里兰卡|尼泊尔|沙特|利雅得|卡塔尔|多哈|阿布扎比|以色列|特拉维夫|土耳其|伊斯坦布尔|埃及|开罗|"
    "南非|尼日利亚|肯尼亚|巴西|墨西哥|阿根廷|智利|新西兰|奥克兰|温哥华|蒙特利尔|洛杉矶|旧金山|硅谷|西雅图|芝加哥|"
    "德州|芬兰|赫尔辛基|挪威|奥斯陆|斯德哥尔摩|哥本哈根|波兰|华沙|奥地利|维也纳|葡萄牙|里斯本|马德里|米兰|罗马|"
    "里昂|法兰克福|布拉格|布达佩斯|雅典|班加罗尔|孟买|新德里|珀斯|中东|东南亚|北美|南美|非洲|境外|国外|海外"
)
FOREIGN = words(rf"\b(?:{FOREIGN_EN})\b|{FOREIGN_ZH}")
"""Places outside mainland China (data sent there leaves the country); US, UK and EU in capitals only ("send us")."""

BEIJING_FTZ = rx(
    rf"\bbeijing(?:'s)?\s*{_FTZ}",
    r"\bchina\s*\(\s*beijing\s*\)\s*(?:pilot\s+)?free[\s-]trade",
    r"北京(?:市)?(?:的)?(?:自贸|自由贸易)",
    r"中国\(北京\)自由贸易",
)
"""The Beijing FTZ by name."""

FTZ_GROUPS = rx(
    r"\b(?:chaoyang|haidian|changping|tongzhou|shunyi|daxing|yizhuang|zhongguancun)\b",
    r"\bE-?Town\b",
    "朝阳",
    "海淀",
    "昌平",
    "通州",
    "顺义",
    "大兴",
    "亦庄",
    "北京经开区",
    "中关村",
)
"""The districts of the free-trade groups (Zhongguancun is Haidian's): each holds FTZ areas and much else, so a
district alone places the company in Beijing, and in the FTZ only with the FTZ named (facts: Corrections 5)."""

OTHER_FTZ = rx(
    rf"\b(?:{_PROVINCES_EN})(?:'s)?\s*{_FTZ}",
    r"\b(?:lingang|qianhai|hengqin|nansha|hainan)\b",
    rf"\b(?:another|other|a different)\s+{_FTZ}",
    rf"(?:{_PROVINCES_ZH})(?:市|省)?(?:的)?(?:自贸|自由贸易)",
    "临港",
    "前海",
    "横琴",
    "南沙",
    "海南",
    "(?:其他|其它|别的)(?:的)?自贸",
)
"""Free trade zones other than Beijing's (the whole of Hainan is a free trade port)."""

GENERIC_FTZ = rx(
    r"\b(?:pilot\s+)?free[\s-]trade\s+(?:zones?|areas?|ports?)\b",
    r"\bFTZs?\b",
    "自由贸易试验区",
    "自贸试验区",
    "自贸区",
    "自由贸易区",
    "自贸港",
    "自贸组团",
)
"""An FTZ named without a city."""

NOT_IN_FTZ = rx(
    rf"\b(?:outside|not (?:in|inside|within|part of)|isn't in|aren't in|never in)\s+(?:the\s+|any\s+|a\s+)?"
    rf"(?:beijing\s+)?{_FTZ}",
    "不在(?:北京)?(?:的)?自(?:由)?贸",
    "自贸(?:试验)?区(?:范围)?(?:以外|之外|外)",
    "非自贸",
)
"""The processor is outside the FTZ."""

BEIJING = rx(
    r"\bbeijing\b(?!(?:'s)?\s*(?:negative\s+)?(?:lists?|rules|measures|two zones|time))",
    r"北京(?!市?(?:的)?(?:负面清单|清单|两区|管理办法|规定|时间))",
    r"\b(?:dongcheng|xicheng|fengtai|shijingshan|mentougou|fangshan|huairou|pinggu|miyun|yanqing)\b",
    "东城",
    "西城",
    "丰台",
    "石景山",
    "门头沟",
    "房山",
    "怀柔",
    "平谷",
    "密云",
    "延庆",
)
"""Beijing, or a district of it outside the free-trade groups."""

OTHER_CITY = rx(
    r"\b(?:shanghai|shenzhen|guangzhou|tianjin|hangzhou|chengdu|wuhan|suzhou|nanjing|chongqing|xi'?an|qingdao|"
    r"dalian|xiamen|hefei|changsha|zhengzhou|jinan|shenyang|harbin|ningbo|wuxi|dongguan|foshan|kunming|"
    r"changzhou|nantong|yangzhou|xuzhou|wenzhou|shaoxing|jiaxing|jinhua|yiwu|huzhou|fuzhou|quanzhou|zhuhai|"
    r"zhongshan|huizhou|shantou|nanning|guiyang|lanzhou|taiyuan|shijiazhuang|hohhot|urumqi|yinchuan|xining|lhasa|"
    r"haikou|sanya|nanchang|changchun|tangshan|yantai|weifang|zibo|linyi|luoyang|wuhu|kunshan|yichang|xiangyang|"
    r"zhuzhou|liuzhou|guilin|mianyang|baoding|langfang|weihai|zhoushan|jiangmen|zhanjiang|ganzhou|jiujiang|"
    r"datong|baotou|ordos|anshan|jilin|daqing|qinhuangdao|handan|cangzhou|zhangjiagang|changshu|jiangyin)\b",
    "上海|深圳|广州|天津|杭州|成都|武汉|苏州|南京|重庆|西安|青岛|大连|厦门|合肥|长沙|郑州|济南|沈阳|哈尔滨|宁波|无锡|东莞|佛山|昆明"
    "|常州|南通|扬州|徐州|温州|绍兴|嘉兴|金华|义乌|湖州|福州|泉州|珠海|中山|惠州|汕头|南宁|贵阳|兰州|太原|石家庄|呼和浩特"
    "|乌鲁木齐|银川|西宁|拉萨|海口|三亚|南昌|长春|唐山|烟台|潍坊|淄博|临沂|洛阳|芜湖|昆山|宜昌|襄阳|株洲|柳州|桂林|绵阳"
    "|保定|廊坊|威海|舟山|江门|湛江|赣州|九江|大同|包头|鄂尔多斯|鞍山|吉林市|大庆|秦皇岛|邯郸|沧州|张家港|常熟|江阴",
)
"""Mainland cities outside any FTZ wording: the processor is elsewhere in China."""

REGISTERED = rx(
    r"\b(?:registered|incorporated|domiciled)\s+(?:in|at)\b",
    "注册(?:在|于|地)",
    "登记(?:在|于)",
)
"""Where the registration place is stated: it decides over any other place the message names."""

LOCATED = rx(
    r"\b(?:we are|we're|i am|i'm|(?:our|the) (?:company|firm|entity|subsidiary|business) is)\s+"
    # not "we're at 85 now"
    r"(?:(?:based|located|headquartered)\s+)?(?:in|at)\b(?!\s*(?:about|around|roughly)?\s*[\d~])",
    r"\b(?:based|located|headquartered) in\b",
    r"\b(?:here|with us|(?:our|the company's) (?:office|offices|headquarters|hq|head office|site|campus))\s+in\b",
    "我们(?:公司)?(?:在|位于)",
    "位于",
    "地处",
)
"""Where the person says they are: next to the registration place, over places named in passing."""

_SENTENCE_END = re.compile(r"[.!?。！？;；\n]")
_CLAUSE_END = re.compile(r"[,:()，：（）]")
MAINLAND_PLACE = rx(BEIJING_FTZ.pattern, FTZ_GROUPS.pattern, BEIJING.pattern, OTHER_CITY.pattern, OTHER_FTZ.pattern)
"""Any place in mainland China that a zone can be read from."""


@dataclass(frozen=True)
class ZoneFinding:
    """The zone read from the text and the words it was read from."""

    zone: Zone
    evidence: str
    said_of_us: bool = False
    """Read from where the person says the company is registered or located, not from a place merely named."""


def _mentions(pattern: re.Pattern[str], text: str, taken: list[tuple[int, int]]) -> tuple[list[str], list[str]]:
    """Matches of `pattern` not inside an earlier match: those stated and those negated."""
    yes: list[str] = []
    no: list[str] = []
    for m in pattern.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        taken.append((m.start(), m.end()))
        (no if negated(text, m.start(), m.end()) else yes).append(m.group(0))
    return yes, no


def _zone_of(text: str) -> ZoneFinding | None:
    """The zone one passage states, or None when it names no place."""
    taken: list[tuple[int, int]] = []
    named, named_no = _mentions(BEIJING_FTZ, text, taken)
    other, _ = _mentions(OTHER_FTZ, text, taken)
    outside = NOT_IN_FTZ.search(text)
    if outside:
        taken.append((outside.start(), outside.end()))
    generic, generic_no = _mentions(GENERIC_FTZ, text, taken)
    groups, _ = _mentions(FTZ_GROUPS, text, taken)
    beijing, _ = _mentions(BEIJING, text, taken)
    city, _ = _mentions(OTHER_CITY, text, taken)
    if named:
        return ZoneFinding("beijing_ftz", named[0])
    if other:
        return ZoneFinding("other_ftz", other[0])
    negated_ftz = named_no or generic_no
    not_ftz = outside.group(0) if outside else (f"not … {negated_ftz[0]}" if negated_ftz else "")
    if not_ftz and not generic:
        if named_no or groups or beijing:
            return ZoneFinding("beijing", f"{(named_no or groups or beijing)[0]} … {not_ftz}")
        return ZoneFinding("none", f"{city[0]} … {not_ftz}" if city else not_ftz)
    if generic and (groups or beijing):
        return ZoneFinding("beijing_ftz", f"{(groups or beijing)[0]} … {generic[0]}")
    if groups:
        # A district says the company is in Beijing, not that it is inside the FTZ areas of that district.
        return ZoneFinding("beijing", groups[0])
    if generic and city:
        return ZoneFinding("other_ftz", f"{city[0]} … {generic[0]}")
    if beijing:
        return ZoneFinding("beijing", beijing[0])
    if city:
        return ZoneFinding("none", city[0])
    return None


_SIGNATURE = re.compile(
    r"^[^\n|｜.?!。？！]{1,60}(?:[|｜][^\n|｜?!。？！]{1,80}){2,}$|^--\s*\n(?:[^\n]*\n?){1,3}", re.MULTILINE
)
"""An e-mail signature: a line of a name, a title and a city between bars ("Kelly Deng | Data Lead | Guangzhou"), or
the lines after "--". It says where the writer sits, not where the company is registered."""


def find_zone(text: str) -> ZoneFinding | None:
    """The zone the text states, or None when it names no place.

    A stated registration place ("registered in Jing'an, Shanghai", "注册在上海"), else where the person says they
    are ("我们在天津"), decides over places named elsewhere in the message ("听说北京放宽了", "上海自贸区也有清单").
    Signatures are not read: a colleague's city is where they sit, not where the company is.
    """
    text = _SIGNATURE.sub("", text)
    for pattern, label in ((REGISTERED, "registered: "), (LOCATED, "")):
        for m in pattern.finditer(text):
            if negated(text, m.start(), m.end()):
                continue
            sentence_end = _SENTENCE_END.search(text, m.end() + 1)
            sentence = text[m.start() : sentence_end.start() if sentence_end else len(text)]
            clause_end = _CLAUSE_END.search(sentence, 1)
            clause = sentence[: clause_end.start() if clause_end else len(sentence)]
            for passage in (sentence,) if NOT_IN_FTZ.search(sentence) else (clause, sentence):
                found = _zone_of(passage)
                if found is not None:
                    return ZoneFinding(found.zone, label + found.evidence, said_of_us=True)
    return _zone_of(text)


def ftz_without_city(text: str) -> bool:
    """Whether the text names an FTZ but not which one."""
    return bool(GENERIC_FTZ.search(text)) and find_zone(text) is None
