"""Spelling variants read as their standard form: traditional Chinese (OpenCC) and misspelt English words.

Traditional characters and Taiwan terms become simplified mainland forms with OpenCC's `tw2sp` (資訊 → 信息),
only when the text holds a traditional character. English words outside the vocabulary are corrected to the one
vocabulary word at Damerau-Levenshtein distance 1 (2 for words of 8+ letters). The vocabulary is the domain's own
English (the notes and rule packs of `corpus/` and the English message catalogue) plus a list of common words,
so a misspelling is read as a word these texts use, and a real word they do not use is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

import opencc

from ..settings import default_corpus_dir

_CATALOGUE = Path(__file__).resolve().parent.parent / "locales" / "en" / "LC_MESSAGES"

_COMMON = """
a about above across act actual actually add added address after again against age ago agree ahead all allow allowed
almost alone along already also although always am among amount an and another answer any anyone anything anyway
anywhere apart app apply approach approve area around arrive as ask asked asking at available avoid away back bad
base based basic basis be became because become been before began begin behalf behind being believe below best better
between big bigger biggest bit both bottom box break bring brought build built business busy but buy by call called
came can cannot car care careful carry case cases catch cause certain certainly chance change changed changes charge
check checked child choice choose chosen city claim class clear clearly client close closed cloud colleague come
comes coming common company complete completely concern concerned confirm confused consider contact continue copy
correct correctly cost could count counted counting couple course cover create created current currently customer
daily data date day days deal dear decide decided decision deep define delete depend depends detail details did
didn't differ difference different difficult direct directly do does doesn't doing done don't double doubt down
draft during each early earlier easily easy either else email employer employers end enough entire entirely equal
even evening event ever every everyone everything exact exactly example except expect explain fact fairly fall
family far fast feel felt few field figure file fill final finally find fine finish first fix follow following
for form former forward found free friend from front full fully further future gave general get gets getting give
given gives giving glad go goes going gone good got great group grow guess had half hand handle happen happened
happy hard has have having he head hear heard hello help helpful her here high him his hold home hope hour hours
house how however huge idea if imagine include including indeed inside instead into is isn't issue issues it its
itself job join just keep kind knew know known large larger largest last late later latest least leave left less
let letter level like likely limit line list little live local long longer look looked looking lose lot lots low
made main mainly make makes making manage many matter may maybe me mean means meant meet meeting mention message
met might mind mine minute miss mistake moment money month months more morning most mostly move much must my
myself name near nearly need needed needs never new news next nice night no nobody none normal normally not note
nothing notice now number numbers obvious of off offer office often ok okay old on once one only open option or
order other others otherwise our ours out outside over own page paper parent part partly party pass past pay people
per perhaps period person phone pick place plan planned planning plans play please plus point possible post
pretty previous price probably problem problems process produce proper properly question questions quick quickly
quite rather reach read ready real really reason receive received recent recently reply report request right
round rule rules run safe said same save saw say says school second see seem seems seen sell send sending sent
separate serious service set several shall she short should show shown side similar simple simply since single
sister site small so some somebody someone something sometimes soon sorry sort sound speak special spend spent
staff stand start started state status stay step still stop story straight strange strong stuff such suggest
summer support suppose sure surely system take taken takes taking talk tell than thank thanks that the their them
then there these they thing things think this those though thought through time times to today together told too
took top total toward towards tried true truly try trying turn type under understand unless until up update upon
us use used useful user users using usual usually value various very via view wait want wanted wants was way we
week weekend weeks well went were what whatever when where whether which while who whole whom whose why wide will
winter wish with within without wonder word words work worked working works world worried worry would write wrong
year years yes yet you your yours yourself
adults children kids minors parents players gamers patients patents members subscribers employees travellers
travelers passengers drivers riders buyers shoppers consumers customers clients guests tenants students pupils
learners teachers doctors nurses suppliers vendors partners dealers agents contractors freelancers retailers
merchants sellers borrowers lenders investors applicants candidates volunteers visitors tourists residents citizens
representatives contacts managers directors officers shareholders signatories followers viewers readers testers
accounts records orders transactions rows entries files documents logs tickets bookings invoices receipts payments
companies suppliers spring autumn fall quarter quarters half first second third fourth batch batches planned
roughly approximately approx around nearly exactly precisely threshold thresholds customs declaration declarations
headquarters subsidiary affiliate affiliates branch branches parent overseas abroad offshore onshore upload uploaded
download downloaded export exported exporting import imported transfer transferred transferring share shared
sharing cloud server servers database databases analytics marketing research training platform platforms mobile
website online offline hospital hospitals clinic clinics pharmacy insurance insurer bank banks retailer airline
airlines hotel hotels logistics shipping delivery courier payroll salary salaries benefits pension personnel staffing
ability able absence absolute absolutely abuse academic accept acceptable acceptance accepted access accident accord
according account accurate achieve acquire acquired acquisition action active activity actor added addition
additional adequate adjust admin administrator admit adopt advance advanced advantage advice advise adviser affair
affect afford afraid agency agenda agent aggregate agreed agreement airport alarm alert alive alliance allocate
alternative amend amended amending analyse analysis analyst angle announce annual anonymous anonymised apparent
appeal appear application appoint appreciate approval appropriate approx argue argument arise arrange arrangement
article artist aside aspect assign assigned assist assistance assistant associate assume assumption attach attached
attack attempt attend attention attitude attorney attract audit author authorise authorised authority automaker
automatic automatically autumn average award aware awareness background balance band banking barely barrier basically
battery battle bear beat beautiful beauty become bedroom beginning behaviour belong benefit beyond bill billing birth
blank blind block blood board body bond bonus book booked border borrow boss bother bound bounds brain brand brief
briefly bright broad broken brother budget burden button cable calculate calendar camera campaign capable capacity
capital caption card career carrier carriers cash category caution celebrate central centre century chain chair
chairman challenge channel chapter character charity chart cheap chemical chief choose chose church circle
circumstance citizen civil classic classify clean climate clock closely club coach code collect collection college
column combine comment commercial commission commit commitment committee communicate community compare comparison
compete competition complain complaint complex compliance comply component compose composed compute computer concept
conclude condition conduct conference confidence confident confidential conflict connect connection consent consist
constant construct consult consultant consume consumer contain content contest context contract contrast contribute
control convert convince cookie cooperate corner corporate corporation correspond correspondent council counsel
counter country county courage court cousin create creative credit crime criminal crisis criteria critical cross
crowd culture cumulative curious currency customer cycle damage dance danger dangerous dark daughter dead deadline
death debate debt decade declare decline decrease default defence defend degree delay deliver delivered demand
department deposit describe description design desire desk despite destroy detect determine develop developer device
devote diagnose dialogue diary diet digital dinner direction director dirty disable disagree disappear discount
discover discuss discussion disease dismiss display dispute distance distinct distribute district divide division
doctor domain domestic dominant dozen drama dramatic draw dream dress drink drive driven driver drop drug dual
duty eager earn earnings east economic economy edge edit edition editor educate effect effective efficient effort
elderly elect election electric electronic element eliminate emerge emergency emotion emphasis employ employee
employment empty enable encounter encourage enemy energy enforce engage engine engineer enhance enjoy enormous ensure
enter enterprise entire entity entry environment episode equipment error escape especially essay essential
establish estate estimate ethnic evaluate evidence evil evolve exam examine excellent exception exchange excited
exciting exclude excuse execute executive exercise exhibit exist existing exit expand expansion expense expensive
experience experiment expert expire expiry explore expose express extend extension extensive extent external extra
extreme facility factor factory faculty fail failure fair faith false familiar famous fashion father fault favour
favourite fear feature federal feedback female fence fight filing film filter finance financial firm fiscal fitness
flat flight floor flow focus folder food foot force foreign forest forget forgot formal format formula forth
fortune forum foundation frame framework frequency frequent fresh fridge function fund funding funny gain game gap
garden gender generate generation generic generous gentle genuine gift girl global goal gold govern governance
government grade grant grateful green ground grounded guarantee guard guest guidance guide guideline guilty habit
hair happy harm health hearing heart heat heavy height hidden hide highlight highly hire history hold holder
holiday honest horse host hotel household housing human hundred hunt hurt identify identity ignore illegal image
impact implement imply importance important impose impossible impress improve incident income increase increasingly
independent index indicate individual industry infant inform initial injury inner innocent input inquiry insight
inspect install instance institute institution instruction intend intent intention interest interior internal
international internet interpret interview introduce invent invented invest investigate investment invite involve
island item journey judge judgment jump junior justice justify kick kill kitchen knowledge label labour lack
land landscape language laptop launch lawyer layer lead leader learn lease legacy legal legislation length lesson
liability liable library licence license life lifestyle light limited link listen literally loan location lock
login logo loss love lower loyal loyalty luck lunch machine magazine mail maintain major majority male manager
mandate manner manual manufacture margin mark market marriage master match material maximum meal measure mechanism
media medicine medium member membership memory mental menu merge method middle migrate military minimum minister
minor mirror mission mixed mobile mode model modern modify modified monitor moral mother motor mountain mouth movie
multiple murder museum music mutual narrative narrow nation national native natural nature necessarily negative
neighbour neither nervous network neutral nobody noise north notion novel nurse object objective obligation obtain
occasion occupation occur ocean odd official ongoing operate operation operator opinion opportunity oppose opposite
optional orange ordinary organ organise organization organisation origin original outcome output overall owner
ownership pace package pain paint pair panel parking participate particular particularly partner partnership
passage passion passport password patent patient pattern pause peace peak penalty pending percent perfect perform
performance permanent permission permit personal personally perspective phase photo phrase physical piece pilot
pipeline pitch plane planet plant plastic plate player pleasure pocket poem poet police policy political politics
poll pool poor popular population port portion position positive possess possibility potential pound poverty power
powerful practical practice pray prefer preference pregnant premise prepare presence present preserve president
press pressure prevent price pride primary prime prince principal principle print prior priority prison privacy
private prize procedure proceed product production profession professional profile profit program programme
progress project promise promote prompt proof property proportion proposal propose prospect protect protection
protein protest proud prove provide provider province provision public publish purchase pure purpose pursue
quality quarter queen quiet quote race radio raise random range rank rapid rapidly rare rate ratio react reader
reality realise recall receipt recipient recognise recommend record recover recruit reduce refer reference reflect
reform refuse regard region register regular regulation reject relate relation relationship relative release
relevant relief religion rely remain remark remember remind remote remove rent repair repeat replace replaced
represent reputation require required requirement rescue reserve resident resist resolve resource respect respond
response responsible rest restaurant restore restrict result retail retain retire return reveal revenue reverse
review reward rich ride rise risk river road role roll room root rough route routine royal rural sadly safety salary
sale sample satisfy scale scene schedule scheme science score screen script search season seat secret secretary
section sector secure security seek segment select selection senior sense sensitive sentence sequence series server
session settle severe sexual shape sharp sheet shift ship shipped ships shock shoot shop shore shot shoulder sight
sign signal signature signed significant silent silly silver simply singer sister size skill skin sleep slide slight
slightly slow smart smile smoke social society soft software soil soldier solid solution solve song source south
space speaker specific speech speed spirit split sport spot spread square stable stage standard star stat state
statement station statistic steal stock stone store storage strategy stream street strength stress stretch strict
strike string strip stripped structure struggle student studio study style subject submit subsequent substance
succeed success successful sudden suddenly suffer sufficient suggestion suit summary supply surface surgery surprise
survey survive suspect sweet switch symbol table tackle talent target task taste teach teacher team technical
technique technology telephone television temperature temporary tend tension term terms terrible territory test
text theme theory therapy thick thin threat throughout throw ticket tight till tiny title tool topic tough tour
track trade tradition traffic train trainer transaction transport travel treat treated treatment treaty trend
trial trip trouble truck trust truth tutor tutoring twice typical typically unable uncle union unique unit
universe university unknown unlike unlikely unusual upper urban urge urgent usage vacation valid valley valuable
variable variety vehicle venture version victim video village violence virtual virus visible vision visit visitor
vital voice volume vote wage wall warm warn warning waste watch water weak wealth weapon wear weather website weight
welcome welfare west wheel white widely wife wild willing wind window wine wing winner wire wise woman wood worker
workforce worth writer writing yield young youth zone
zero eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty
seventy eighty ninety hundred thousand million billion dense injection traditional accuracy vague registry thread
alternate throughput wrote stack schema broker convention distributor shipper crash naive serve served token vector
float probe socket forged windy ghost masked bought regulatory correspondence diagnostic diagnostics
appliance headquartered mounted width fused typo typos fixture
first second third fourth fifth sixth seventh eighth ninth tenth half halves quarter quarters thirds fourths fifths
sixths tenths hundredth thousandth
"""
COMMON_WORDS: frozenset[str] = frozenset(_COMMON.split())
"""Common English words (and words people use about their data) that the corpus may not contain."""

MIN_LENGTH = 5
"""Shorter words are never corrected: too many real words are one letter from each other."""
LONG_WORD = 8
"""Words of this length or more may be corrected at distance 2."""

_LATIN_WORD = re.compile(r"(?<![A-Za-z0-9_@./\\-])[A-Za-z]+(?![A-Za-z0-9_@/\\]|\.[A-Za-z0-9]|-[A-Za-z0-9]|'[a-z])")
"""A Latin word standing alone: not part of a number, an identifier, an address or a hyphenated compound."""
_SENTENCE_START = re.compile(r"(?:^|[.!?。！？:;\n]\s*|[\"'(]\s*)$")
_CJK_BLOCKS = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    """OpenCC's Taiwan-to-mainland converter with phrases (created once: it loads its dictionaries)."""
    return opencc.OpenCC("tw2sp")


@lru_cache(maxsize=1)
def _traditional() -> frozenset[str]:
    """The CJK characters that OpenCC changes on their own: the traditional (and Taiwan variant) characters."""
    chars = [chr(c) for lo, hi in _CJK_BLOCKS for c in range(lo, hi + 1)]
    converted = _converter().convert("\n".join(chars)).split("\n")
    return frozenset(c for c, s in zip(chars, converted, strict=True) if c != s)


def has_traditional(text: str) -> bool:
    """Whether `text` holds a traditional Chinese character."""
    if text.isascii():
        return False
    traditional = _traditional()
    return any(ch in traditional for ch in text)


def simplified(text: str) -> str:
    """Traditional characters and Taiwan terms to their simplified mainland forms (unchanged without any)."""
    return _converter().convert(text) if has_traditional(text) else text


def _english_texts() -> Iterable[str]:
    """Our own English: the notes and rule packs of the corpus and the English message catalogue."""
    corpus = default_corpus_dir()
    for path in [*sorted(corpus.glob("notes/*.yaml")), *sorted(corpus.glob("rules/*.yaml"))]:
        yield path.read_text(encoding="utf-8")
    for path in sorted(_CATALOGUE.glob("*.po")):
        yield path.read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def vocabulary() -> frozenset[str]:
    """Every word of our own English texts and of `COMMON_WORDS`, lower-case."""
    found = {w.lower() for text in _english_texts() for w in re.findall(r"[A-Za-z]+", text)}
    return frozenset(found | COMMON_WORDS)


def _deletes(word: str, depth: int) -> set[str]:
    """Every string made from `word` by deleting up to `depth` letters (the word itself included)."""
    found = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        found |= frontier
    return found


@lru_cache(maxsize=1)
def _index() -> dict[str, tuple[str, ...]]:
    """Symmetric-delete index: each string up to two deletions from a vocabulary word, to those words."""
    index: dict[str, list[str]] = {}
    for word in vocabulary():
        if len(word) >= MIN_LENGTH - 2:
            for variant in _deletes(word, 2):
                index.setdefault(variant, []).append(word)
    return {k: tuple(v) for k, v in index.items()}


def distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (optimal string alignment: adjacent transpositions count one)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


_INFLECTIONS: tuple[tuple[str, str], ...] = (
    ("s", ""),
    ("es", ""),
    ("ies", "y"),
    ("ed", ""),
    ("ed", "e"),
    ("ied", "y"),
    ("ing", ""),
    ("ing", "e"),
    ("ly", ""),
    ("ly", "le"),
    ("ily", "y"),
    ("er", ""),
    ("ers", ""),
)
"""Regular endings (and what the stem ends with before them): a word so inflected is known when its stem is."""
_ES_STEMS = ("s", "x", "z", "ch", "sh")


_SUFFIXES: tuple[str, ...] = tuple(
    sorted(
        ("ations", "ation", "ions", "ion", "ators", "ator", "ors", "or", "ments", "ment", "ings", "ing", "ively",
         "ive", "ities", "ity", "ally", "ly", "ness", "able", "ible", "als", "al", "ers", "er", "ees", "ee", "ed", "s"),
        key=len,
        reverse=True,
    )
)  # fmt: skip
"""Derivational and inflectional endings: words sharing a stem are one word family (deliver, delivered, delivery)."""
_PREFIXES: tuple[str, ...] = ("un", "non", "re", "dis", "pre", "mis", "in", "co", "sub", "over", "under")
"""Prefixes of words whose remainder is a known word (unstated, reissued)."""


def _stem(word: str) -> str:
    """`word` without its longest regular ending and a final -e or -y (deliver, delivered, delivery: deliver)."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    return word[:-1] if word.endswith(("e", "y", "i")) and len(word) > 4 else word


@lru_cache(maxsize=1)
def _stems() -> frozenset[str]:
    """The stems of every vocabulary word."""
    return frozenset(_stem(w) for w in vocabulary())


@lru_cache(maxsize=1)
def _dictionary() -> frozenset[str]:
    """A general English word list (Webster's 2nd, about 235,000 words), for long words only (see `known`)."""
    from english_words import get_english_words_set

    return frozenset(get_english_words_set(["web2"], lower=True, alpha=True))


DICTIONARY_LENGTH = 8
"""Words this long may be corrected at distance 2, which reaches other real words ("expressway" → "expressly"):
they are checked in the general word list too. Shorter ones are not, since it keeps old spellings of common
slips ("untill")."""


def known(word: str) -> bool:
    """Whether a lower-case word is in the vocabulary, or of a vocabulary word's family (stem or prefix), or a long
    word of the general English word list."""
    words = vocabulary()
    if word in words or (len(word) >= DICTIONARY_LENGTH and word in _dictionary()):
        return True
    for suffix, ending in _INFLECTIONS:
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and stem + ending in words and (suffix != "es" or stem.endswith(_ES_STEMS)):
            return True
    if word + "s" in words or _stem(word) in _stems():
        return True
    return any(word.startswith(p) and len(word) - len(p) >= 4 and known(word[len(p) :]) for p in _PREFIXES)


@lru_cache(maxsize=4096)
def _closest(word: str) -> tuple[str, ...]:
    """The vocabulary words nearest to `word`: at distance 1, else (for a long word) at distance 2."""
    index = _index()
    for limit in (1, 2) if len(word) >= LONG_WORD else (1,):
        candidates = {c for variant in _deletes(word, limit) for c in index.get(variant, ())}
        close = sorted(c for c in candidates if abs(len(c) - len(word)) <= limit and distance(word, c) == limit)
        if close:
            return tuple(close)
    return ()


@lru_cache(maxsize=4096)
def correction(word: str) -> str | None:
    """The vocabulary word a lower-case misspelling stands for: unique at distance 1 (or 2 when long); else None."""
    if len(word) < MIN_LENGTH or known(word):
        return None
    close = _closest(word)
    return close[0] if len(close) == 1 else None  # two words as close: which one was meant is unknown


MIN_PAIR = 3
"""How often two words must stand together in our texts for a neighbour to decide a spelling."""


@lru_cache(maxsize=1)
def _pairs() -> dict[tuple[str, str], int]:
    """How often each two words stand next to each other in our own English texts."""
    counts: dict[tuple[str, str], int] = {}
    for text in _english_texts():
        found = [w.lower() for w in re.findall(r"[A-Za-z]+", text)]
        for pair in pairwise(found):
            counts[pair] = counts.get(pair, 0) + 1
    return counts


def in_context(word: str, before: str, after: str) -> str | None:
    """The word meant, read with its neighbours: a misspelling close to two words is the one that stands beside the
    same neighbour in our texts ("triall data": trial, not trail), and a real word that never stands there, one
    letter from a word that often does, is a slip ("clinical trail": clinical trial). None when nothing says so."""
    if len(word) < MIN_LENGTH:
        return None
    pairs = _pairs()

    def together(candidate: str) -> int:
        return pairs.get((before, candidate), 0) + pairs.get((candidate, after), 0)

    if known(word):
        if together(word) or word in COMMON_WORDS:
            return None
        close = [c for c in _closest_known(word) if together(c) >= MIN_PAIR and _slip(word, c)]
        return close[0] if len(close) == 1 else None
    single = correction(word)
    if single is not None:
        return single
    close = [c for c in _closest(word) if together(c) >= MIN_PAIR]
    return close[0] if len(close) == 1 else None


def _slip(word: str, meant: str) -> bool:
    """Whether a real word can be a slip for another: two letters swapped or one letter struck in their middle
    (trail, trial), not another form of the same word (filed, files)."""
    return len(word) == len(meant) and word[-1] == meant[-1] and _stem(word) != _stem(meant)


@lru_cache(maxsize=4096)
def _closest_known(word: str) -> tuple[str, ...]:
    """The other vocabulary words one letter (or a swap) from a known word."""
    index = _index()
    candidates = {c for variant in _deletes(word, 1) for c in index.get(variant, ())}
    return tuple(sorted(c for c in candidates if c != word and abs(len(c) - len(word)) <= 1 and distance(word, c) == 1))


def _correct(text: str) -> str:
    """Misspelt English words to the vocabulary word, keeping capitals; acronyms and names are left alone."""

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        if len(word) < MIN_LENGTH or word.isupper():
            return word
        if word[0].isupper() and not _SENTENCE_START.search(text[max(0, match.start() - 3) : match.start()]):
            return word  # a capital inside a sentence: a name (Basel, Haidian), not a misspelling
        before = re.findall(r"[A-Za-z]+", text[max(0, match.start() - 30) : match.start()])
        after = re.findall(r"[A-Za-z]+", text[match.end() : match.end() + 30])
        fixed = in_context(word.lower(), before[-1].lower() if before else "", after[0].lower() if after else "")
        if fixed is None:
            return word
        return fixed.capitalize() if word[0].isupper() else fixed

    return _LATIN_WORD.sub(fix, text)


def standard_spelling(text: str) -> str:
    """Traditional characters to simplified, and misspelt English words ("custmers", "sensitve") to the word."""
    return _correct(simplified(text))
