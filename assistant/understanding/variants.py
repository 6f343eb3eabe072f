"""Spelling variants read as their standard form: traditional Chinese characters and common English misspellings."""

from __future__ import annotations

import re
from functools import lru_cache

_PAIRS = (
    "請请問问們们區区東东華华與与個个這这會会員员發发傳传給给資资數数據据標标準准認认證证評评務务關关係系業业"
    "銀银醫医療疗藥药試试驗验檢检測测嗎吗麼么為为從从於于對对應应該该還还沒没無无處处電电話话郵邮號号碼码帳账"
    "戶户錢钱貨货買买賣卖價价車车輛辆駕驾駛驶導导軌轨跡迹臉脸紋纹識识別别齡龄兒儿學学習习檔档歷历親亲屬属記记"
    "錄录單单訂订簽签約约條条規规則则辦办報报備备審审機机構构層层級级團团體体總总經经濟济貿贸運运輸输遞递內内"
    "國国際际萬万億亿兩两幾几門门開开間间陽阳澱淀莊庄興兴順顺義义豐丰臺台懷怀雲云慶庆龍龙灣湾廣广陝陕遼辽寧宁"
    "蘇苏滬沪廈厦島岛長长鄭郑瀋沈爾尔濱滨錫锡訊讯隱隐護护權权責责險险紀纪網网絡络計计劃划畫画雙双園园組组織织"
    "廠厂產产製制銷销售售後后維维養养雇雇傭佣職职勞劳動动聯联繫系場场遊游館馆預预確确緊紧診诊斷断過过臨临負负"
    "適适範范圍围額额幣币轉转讓让讀读寫写說说談谈詢询諮咨顧顾裡里裏里誰谁將将來来時时現现當当並并專专費费財财"
    "結结匯汇貸贷債债種种類类質质實实細细罰罚監监執执師师調调優优廳厅鄉乡鎮镇縣县項项獎奖勵励補补貼贴稅税統统"
    "庫库災灾難难復复儲储連连線线終终裝装設设軟软營营積积購购倉仓進进餘余飛飞這这樣样麗丽剛刚態态觀观點点題题"
    "歐欧瑞瑞韓韩紐纽約约倫伦敦敦亞亚澳澳洲洲夠够讓让聽听問问邊边還还覺觉們们幫帮讚赞響响極极據据況况條条歲岁"
)
TRADITIONAL: dict[str, str] = {t: s for t, s in zip(_PAIRS[::2], _PAIRS[1::2], strict=True) if t != s}
"""Traditional characters common in questions about data transfers, to their simplified forms."""

_TRADITIONAL_CHARS = re.compile("[" + "".join(TRADITIONAL) + "]")

KEYWORDS: tuple[str, ...] = (
    "customers",
    "customer",
    "sensitive",
    "members",
    "patients",
    "participants",
    "passengers",
    "employees",
    "subscribers",
    "assessment",
    "security",
    "accounts",
    "mechanism",
    "thousand",
    "personal",
    "information",
    "certification",
)
"""Words that decide facts or intent, whose misspellings (one letter off) are read as the word."""

REAL_WORDS: frozenset[str] = frozenset({"patents", "employers", "customs", "customed", "personae", "personas"})
"""Real words one letter from a keyword, never corrected."""

_LATIN_WORD = re.compile(r"[A-Za-z]{6,}")


def _edits(word: str) -> set[str]:
    """Every string one deletion, substitution, insertion or transposition away from `word`."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in letters}
    inserts = {a + c + b for a, b in splits for c in letters}
    return deletes | swaps | replaces | inserts


@lru_cache(maxsize=1)
def _misspellings() -> dict[str, str]:
    """Each one-letter misspelling of a keyword, to the keyword (keywords themselves excluded)."""
    table: dict[str, str] = {}
    for keyword in KEYWORDS:
        for variant in _edits(keyword):
            plural = variant.rstrip("s") == keyword.rstrip("s")  # "member" and "accounts" are words already
            if len(variant) >= 6 and not plural and variant not in KEYWORDS and variant not in REAL_WORDS:
                table.setdefault(variant, keyword)
    return table


def _correct(match: re.Match[str]) -> str:
    word = match.group(0)
    fixed = _misspellings().get(word.lower())
    if fixed is None:
        return word
    return fixed.capitalize() if word[0].isupper() else fixed


def standard_spelling(text: str) -> str:
    """Traditional characters to simplified, and misspelt keywords ("custmers", "sensitve") to the keyword."""
    text = _TRADITIONAL_CHARS.sub(lambda m: TRADITIONAL[m.group(0)], text)
    return _LATIN_WORD.sub(_correct, text)
