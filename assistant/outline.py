"""Each article's own outline as its vocabulary: entities from its headings and bold labels, facets from its
field labels, with English names from the glossary (when it knows the word) or the bilingual dictionary.

An entity is anything an article gives a heading: a role (``5.流量运营``, ``**计算机视觉工程师**``), a kind of
work (``02 企业新媒体运营中的SEO``), a stage, a path. Questions are matched to entities by their names in
Chinese (as substrings, with the parts a heading puts in brackets or before a colon as further names) and in
English (every content word of an entity's English name in the question). Nothing here is written for one
article: a new article's outline is read the same way.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from .markdown import POINT_MARK
from .tokens import EN_GRAMMAR, EN_STOP, FUNCTION_TAGS, ZH_STOP, _stem, tag, word_spans

if TYPE_CHECKING:
    from .corpus import Passage
    from .dictionary import Bilingual
    from .lexicon import Lexicon

_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+、|\d{1,2}(?:\s*[.．、）)]|\s+)|（[一二三四五六七八九十\d]{1,3}）|\([一二三四五六七八九十\d]{1,3}\)|第[一二三四五六七八九十\d]+[步章节部分点个条][:：、]?|"
    + POINT_MARK
    + r"[，,、]|Part\s*\d+[:：]?)\s*"
)
_CJK = re.compile(r"[\u4e00-\u9fff]+")
_BRACKET = re.compile(r"[（(]([^）)]{1,30})[）)]")
_LATIN_WORD = re.compile(r"[a-z][a-z'+-]*")
#: Names shorter than this (in characters) are too generic to find in a question by substring.
MIN_NAME = 2
#: Share of an entity's English name (weighted by how telling each word is) a question must say to name it.
ENGLISH_SHARE = 0.5
#: The same for the Chinese words of a name a question says apart ("周末的上午" for "周末上午的安排").
WORDS_SHARE = 0.45
#: Words of a name that do not name it: function words (FUNCTION_TAGS: 如何, 就是) but for counts, places and
#: times ("一天", "之后", "周末").
_NOT_NAMING = FUNCTION_TAGS - {"m", "f", "q", "t"}
#: A name longer than this is a sentence-like heading: it names a section, not a thing a question names.
MAX_NAME = 16


def core_name(title: str) -> str:
    """A heading without its numbering and trailing description: '1. 用户运营' -> '用户运营', 'UI设计师：美工还是…' -> 'UI设计师'."""
    name = _NUMBERING.sub("", title.strip()).strip(" ：:、.-—")
    head = re.split(r"[：:？?！!，,。]", name, maxsplit=1)[0].strip()
    return head or name


def names_of(title: str) -> tuple[str, ...]:
    """Every name a heading gives its entity: the core name, without its brackets, and what the brackets hold;
    each said without its particles; and the name of someone before the heading's tagline ("晓峰 从大厂到…")."""
    core = core_name(title)
    names = [core]
    inner = _BRACKET.findall(core)
    if inner:
        plain = _BRACKET.sub("", core).strip()
        names.append(plain)
        for m in _BRACKET.finditer(core):
            part = m.group(1).strip()
            if plain and part.isascii():
                names.append(part)  # "提示工程师（Prompt Engineer）" is also "Prompt Engineer"
                if core[m.end() :].strip():
                    names.append(part + core[m.end() :].strip())  # "自然语言处理（NLP）工程师" is also "NLP工程师"
    names += [n[: -len(end)] + alike for n in list(names) for end, alike in _ALIKE_ENDINGS if n.endswith(end) and len(n) > len(end) + 1]
    # Said without its particles: "写好了标题" is asked as "写好标题", "产品经理的能力" as "产品经理能力".
    names += [bare for n in list(names) if len(bare := _without_particles(n)) >= 3 and bare != n]
    lead = _NAME_BEFORE_TAGLINE.match(core)
    if lead and _names_someone(lead.group(1)):
        names.append(lead.group(1))  # "晓峰 从大厂到县城的编制": the person the section is about is 晓峰
    return tuple(dict.fromkeys(n for n in names if MIN_NAME <= len(n) <= MAX_NAME or n.isascii() and len(n) >= 3))


#: A name, a space, then a tagline in Chinese: a section about a person or a thing ("晓峰 从大厂到县城的编制",
#: "Amy 放弃高薪去开花店"). The name is short: two to four characters, or one Latin word.
_NAME_BEFORE_TAGLINE = re.compile(r"([\u4e00-\u9fff]{2,4}|[A-Za-z][A-Za-z.]{2,15})\s+(?=[\u4e00-\u9fff][^\s]{3,})")
#: Particles inside a Chinese name that an asker leaves out (not at its start: "的确" stays).
_PARTICLES = re.compile(r"(?<=[\u4e00-\u9fff])[了的](?=[\u4e00-\u9fff])")


def _without_particles(name: str) -> str:
    """A name without the particles 了 and 的 where jieba cuts them as words of their own (了解, 目的 and 为了
    stay)."""
    if not _PARTICLES.search(name):
        return name
    alone = {a for a, b in word_spans(name) if b == a + 1}
    return _PARTICLES.sub(lambda m: "" if m.start() in alone else m.group(), name)


def _names_someone(word: str) -> bool:
    """Whether the word before a heading's tagline names someone or something of its own ("Amy", "Duolingo"):
    not a section word ("总结", "第一步", "Part": cues "section_word") nor an acronym ("SEO", a topic of many)."""
    from .cuewords import cues

    return not (cues()["section_word"].fires(word) or word.isupper())


#: Endings of a heading that asks a question.
_ASKING_END = ("吗", "呢", "么", "?", "？")
#: Endings of a heading's name that an asker says either way: a stage is a period ("成长阶段" is "成长期").
_ALIKE_ENDINGS = (("阶段", "期"), ("时期", "期"))

_SUFFIX = re.compile(r"(ation|ition|ment|ness|ists?|ants?|ents?|ers?|ors?|ions?|ing|ive|al|y)$")


def root(stem: str) -> str:
    """A stem without a nominal or agentive ending, so a person meets the act ("trainer" - "train",
    "solution" - "solve", "annotator" - "annotate"); short stems stay as they are."""
    cut = _SUFFIX.sub("", stem)
    cut = cut[:-2] if cut.endswith("wth") else cut  # "growth" - "grow"
    cut = cut[:-1] if cut.endswith(("t", "v")) and len(cut) > 5 else cut
    return cut if len(cut) >= 4 else stem


_ACRONYMS = re.compile(r"(?<![A-Za-z])([A-Z]{2,})s(?![A-Za-z])")


def english_words(text: str) -> tuple[str, ...]:
    """Content-word roots of an English phrase (stems without nominal or agentive endings)."""
    text = _ACRONYMS.sub(r"\1", text)  # an acronym in the plural is the acronym ("PMs": PM)
    words = (part for w in _LATIN_WORD.findall(text.lower()) for part in w.split("-"))  # "product-oriented": two words
    return tuple(root(_stem(w)) for w in words if w not in EN_STOP and w not in EN_GRAMMAR and len(w) > 1)


@dataclass(frozen=True)
class Entity:
    """Something an article gives a heading, with the passages under it."""

    doc: str
    title: str  # the heading as written
    names: tuple[str, ...]  # the names it goes by (Chinese, or as written)
    english: str  # an English name: the glossary's, else a word-by-word dictionary gloss
    path: tuple[str, ...]  # the heading path that opens it
    positions: tuple[int, ...]  # the passages under it, in reading order
    parent: tuple[str, ...] = ()  # the path of the heading above it
    parts: tuple[frozenset[str], ...] = ()  # per word of its name, the English stems that can say it
    words: tuple[str, ...] = ()  # the Chinese words of its name (two characters or more)

    @property
    def name(self) -> str:
        """The preferred name."""
        return self.names[0] if self.names else self.title

    def label(self, lang: str) -> str:
        """How an answer names it: the English name beside the Chinese one for English answers."""
        if lang == "en" and self.english and self.english.lower() != self.name.lower():
            return f"{self.english} ({self.name})"
        return self.name


@dataclass(frozen=True)
class EntityMatch:
    """An entity a question names, where, and how surely (1.0: its Chinese name verbatim)."""

    entity: Entity
    start: int
    end: int
    strength: float
    how: str  # "name" | "glossary" | "pinyin" | "english" | "gloss" | "words"


@dataclass
class Outline:
    """The entities and field labels of every article, built once per loaded index."""

    entities: list[Entity] = field(default_factory=list)
    labels: dict[str, dict[str, list[int]]] = field(default_factory=dict)  # doc -> field label -> positions
    titles: dict[str, str] = field(default_factory=dict)  # doc -> title
    lexicon: "Lexicon | None" = None  # the glossary: English names and synonyms of entity names
    audiences: dict[str, str] = field(default_factory=dict)  # headings addressed to an audience -> the audience
    spelled: dict[str, tuple[str, ...]] = field(default_factory=dict)  # pinyin -> the Chinese names it spells
    _idf: dict[tuple[str, frozenset[str]], float] = field(default_factory=dict)
    _word_idf: dict[tuple[str, str], float] = field(default_factory=dict)

    @cached_property
    def all_labels(self) -> frozenset[str]:
        """Every field label of every article (read per question by reading and clarify; computed once)."""
        return frozenset(label for doc_labels in self.labels.values() for label in doc_labels)

    @classmethod
    def build(cls, passages: "tuple[Passage, ...]", bilingual: "Bilingual", lexicon: "Lexicon | None" = None) -> "Outline":
        """Read the outline of every article from its passages' heading paths and labels."""
        out = cls(lexicon=lexicon, spelled=bilingual.pinyin)
        under: dict[tuple[str, tuple[str, ...]], list[int]] = {}
        for pos, p in enumerate(passages):
            out.titles.setdefault(p.doc, p.title or p.doc)
            heads = p.heading[:-1] if p.kind == "field" else p.heading
            for depth in range(1, len(heads) + 1):
                under.setdefault((p.doc, heads[:depth]), []).append(pos)
            if p.kind == "field":
                out.labels.setdefault(p.doc, {}).setdefault(p.label, []).append(pos)
        for (doc, path), positions in under.items():
            title = path[-1]
            if title == out.titles.get(doc):
                continue
            names = names_of(title)
            if not names:
                continue
            english = _english(names, bilingual, lexicon)
            words = tuple(dict.fromkeys(t for t, f in tag(names[0]) if len(t) >= 2 and _CJK.fullmatch(t) and f not in _NOT_NAMING and t not in ZH_STOP))
            out.entities.append(Entity(doc, title, names, english, path, tuple(positions), path[:-1], _parts(names, english, bilingual, lexicon), words))
        from .reading import audiences

        out.audiences = audiences({e.title for e in out.entities})
        # How telling each English word of an entity's name is within its article ("annotator" over "AI").
        counts: dict[tuple[str, str], int] = {}
        per_doc: dict[str, int] = {}
        said: dict[tuple[str, str], int] = {}
        for e in out.entities:
            per_doc[e.doc] = per_doc.get(e.doc, 0) + 1
            for part in set(e.parts):
                counts[(e.doc, part)] = counts.get((e.doc, part), 0) + 1
            for word in e.words:
                said[(e.doc, word)] = said.get((e.doc, word), 0) + 1
        out._idf = {k: math.log(1 + per_doc[k[0]] / n) for k, n in counts.items()}
        out._word_idf = {k: math.log(1 + per_doc[k[0]] / n) for k, n in said.items()}
        return out

    def english_forms(self, zh: str) -> tuple[str, ...]:
        """The glossary's English forms of a Chinese name ("产品经理" -> "product manager", "PM", …)."""
        if self.lexicon is None:
            return ()
        return tuple(f for e in self.lexicon.entries if zh in e.zh[:3] for f in e.en)

    def _holds(self, e: Entity, name: str, form: str, kind: str) -> bool:
        """Whether a heading names a glossary role or term by holding its Chinese form ("企业新媒体运营中的数据运营"):
        not as part of a narrower role (qualified), and not in an article whose title speaks of narrower kinds
        of the role ("目前硬件行业所谓产品经理现状" in an article on 互联网产品经理 and 硬件产品经理)."""
        if e.title.rstrip().endswith(_ASKING_END):
            return False  # a heading that asks ("用户体验设计师能转型做产品经理吗") is about its question, not the role it names
        return len(form) >= 3 and form in name and not qualified(form, name, kind) and not qualified(form, self.titles.get(e.doc, ""), kind)

    def of_doc(self, doc: str) -> list[Entity]:
        """The entities of one article, in reading order."""
        return [e for e in self.entities if e.doc == doc]

    def children(self, e: Entity) -> list[Entity]:
        """The entities whose headings sit directly under e's."""
        return [c for c in self.entities if c.doc == e.doc and c.parent == e.path]

    def find(self, text: str, docs: frozenset[str] | None = None) -> list[EntityMatch]:
        """The entities a question names, strongest and longest first, without overlaps per article."""
        low = text.lower()
        words = set(english_words(text))
        # The glossary's synonyms name entities too: "traffic ops" is 流量运营, "data运营" is 数据运营.
        said = [] if self.lexicon is None else [(m, self.lexicon.get(m.kind, m.id).zh) for m in self.lexicon.find(text) if m.kind in ("roles", "terms")]
        # A name written in pinyin ("Wanliniu" for a heading 万里牛): where each spelled name stands.
        spelled = {n: (m.start(), m.end()) for m in re.finditer(r"[a-z]{5,}", low) for n in self.spelled.get(m.group(), ())}
        chinese = bool(_CJK.search(text))
        found: list[EntityMatch] = []
        for e in self.entities:
            if docs is not None and e.doc not in docs:
                continue
            best: EntityMatch | None = None
            for n in e.names:
                i = _position(n, low)
                if i >= 0 and (best is None or len(n) > best.end - best.start):
                    best = EntityMatch(e, i, i + len(n), 1.0, "name")
            if best is None and (at := next((spelled[n] for n in e.names if n in spelled), None)):
                best = EntityMatch(e, at[0], at[1], 0.9, "pinyin")
            if best is None:
                for m, forms in said:
                    if forms and any(forms[0] == n or self._holds(e, n, forms[0], m.kind) for n in e.names):
                        best = EntityMatch(e, m.start, m.end, 0.9, "glossary")
                        break
            if best is None and e.parts and words:
                weights = [self._idf.get((e.doc, part), 1.0) for part in e.parts]
                got = sum(wt for part, wt in zip(e.parts, weights, strict=True) if part & words)
                share = got / sum(weights) if weights else 0.0
                if len(e.parts) >= 2 and share >= 0.999:
                    best = EntityMatch(e, -1, -1, 0.9, "english")
                elif len(e.parts) >= 2 and share >= ENGLISH_SHARE:
                    best = EntityMatch(e, -1, -1, round(0.9 * share, 2), "gloss")
            if best is None and len(e.words) >= 2 and chinese:
                # Its Chinese words said apart, in another order or with others between ("到了周末的上午" for
                # "周末上午的安排"), weighted by how telling each is among the article's headings.
                weights = [self._word_idf.get((e.doc, w), 1.0) for w in e.words]
                share = sum(wt for w, wt in zip(e.words, weights, strict=True) if w in text) / sum(weights)
                if share >= WORDS_SHARE and sum(w in text for w in e.words) >= 2:
                    best = EntityMatch(e, -1, -1, round(0.8 * share, 2), "words")  # never sure (0.9): a hint
            if best:
                found.append(best)
        # Where a heading and one under it both have their Chinese words said apart, the one under it is meant ("周末的上午":
        # the weekend's list, not the section holding both).
        found = [
            m
            for m in found
            if m.how != "words"
            or not any(k.entity.doc == m.entity.doc and k.entity.path[: len(m.entity.path)] == m.entity.path and k.entity.path != m.entity.path for k in found)
        ]
        # Of sibling headings whose words are said apart, the one said most fully is meant ("工作日的上午" is
        # 工作日上午的安排, though 周末上午的安排 shares 上午).
        partial = [m for m in found if m.how == "words"]
        found = [
            m
            for m in found
            if m not in partial or not any(k.entity.doc == m.entity.doc and k.entity.parent == m.entity.parent and k.strength > m.strength for k in partial)
        ]
        found.sort(key=lambda m: (-m.strength, -(m.end - m.start), len(m.entity.path)))
        kept: list[EntityMatch] = []
        for m in found:
            overlaps = any(
                k.entity.doc == m.entity.doc and k.start >= 0 and m.start >= 0 and m.start < k.end and k.start < m.end and k.entity.name != m.entity.name
                for k in kept
            )
            if not overlaps:
                kept.append(m)
        return kept


#: jieba tags of a word that, right before a role's name, makes it another kind of that role (硬件 before 产品经理).
QUALIFIER_TAGS = frozenset("n nr ns nt nz nw ng vn eng x".split())


def qualified(form: str, name: str, kind: str) -> bool:
    """Whether a heading holds a glossary role only as part of a narrower role: a noun or a Latin word right
    before it ("硬件产品经理", "AI产品经理", "财务产品经理" are kinds of 产品经理, not the role the glossary means),
    while "企业新媒体运营中的数据运营" and "产品经理与运营人员" name the role itself."""
    at = name.find(form)
    if kind != "roles" or at <= 0:
        return False
    if name[at - 1].isascii() and name[at - 1].isalnum():
        return True
    before = [t for t in tag(name[:at]) if t[0].strip()]
    return bool(before) and before[-1][1] in QUALIFIER_TAGS


def _position(name: str, low: str) -> int:
    """Where a question (lower-cased) says a name: a Latin name as a whole word that is not a stop word (a
    heading "ID" is not in "did", "What" is no name), anything else as a substring; -1 where it does not."""
    n = name.lower()
    if not n.isascii():
        return low.find(n)
    if n in EN_STOP:
        return -1
    m = re.search(rf"(?<![a-z0-9]){re.escape(n)}(?![a-z0-9])", low)
    return m.start() if m else -1


def _english(names: tuple[str, ...], bilingual: "Bilingual", lexicon: "Lexicon | None") -> str:
    """The English name of an entity: written in its heading, known to the glossary, or glossed word by word."""
    latin = [n for n in names if n.isascii()]
    if latin:
        return latin[0]
    if lexicon is not None:
        found = {n: lexicon.find(n) for n in names}
        for n in names:
            for m in found[n]:
                entry = lexicon.get(m.kind, m.id) if m.kind in ("roles", "terms", "facets", "companies") else None
                # Only the entry's own name: an alias the glossary folds into another role for its article
                # ("增长运营" as traffic operations) is a role of its own where an article gives it a heading.
                if entry is not None and m.start == 0 and m.end == len(n) and entry.zh and n == entry.zh[0]:
                    return entry.name_en
        if names and (pieced := _pieced(names[0], found[names[0]], bilingual, lexicon)):
            return pieced
    return bilingual.gloss(names[0]) if names else ""


def _pieced(name: str, found: list, bilingual: "Bilingual", lexicon: "Lexicon") -> str:
    """A name that holds glossary names (found: lexicon.find(name); "对于产品运营"): their English names, the
    words between glossed ("regarding product operations", not "regarding goods in operation"); "" when it
    holds none."""
    out, at = [], 0
    for m in sorted(found, key=lambda m: (m.start, -m.end)):
        entry = lexicon.get(m.kind, m.id) if m.kind in ("roles", "terms", "companies") else None
        if entry is None or m.start < at or not entry.zh or name[m.start : m.end] != entry.zh[0] or m.end - m.start < 2:
            continue
        between = bilingual.gloss(name[at : m.start].strip())  # a word the dictionary lacks (与) is left out
        out += [between] if between else []
        out.append(entry.name_en)
        at = m.end
    if not out:
        return ""
    rest = bilingual.gloss(name[at:].strip())
    return " ".join([*out, *([rest] if rest else [])])


def _parts(names: tuple[str, ...], english: str, bilingual: "Bilingual", lexicon: "Lexicon | None" = None) -> tuple[frozenset[str], ...]:
    """Per word of an entity's name, the English stems that can say it: the words of a written or glossary
    English name, else every sense the dictionary gives each Chinese word ("视觉": sight, vision, visual), with
    the glossary's English forms of the word where it has them ("运营": operations, ops)."""
    from .tokens import tokenize

    if english and (any(n.isascii() for n in names) or not bilingual.gloss(names[0]) == english):
        return tuple(frozenset({w}) for w in english_words(english))

    def says(word: str) -> frozenset[str]:
        # The glossary's English for a word, where it has some, is what the domain means by it ("运营":
        # operations, ops); the dictionary's senses ("to do business") are for the words it lacks.
        glossary = {w for e in (lexicon.entries if lexicon is not None else ()) if word in e.zh for f in e.en[:6] for w in english_words(f)}
        return frozenset(glossary or english_words(" ".join(bilingual.zh_en.get(word, ()))))

    parts: list[frozenset[str]] = []
    for t in tokenize(names[0]):
        if t.isascii():
            parts.append(frozenset({t}))
        elif t in bilingual.zh_en or says(t):
            parts.append(says(t))
        else:
            cut = next((i for i in range(len(t) - 1, 0, -1) if t[:i] in bilingual.zh_en), 0)
            parts += [says(piece) for piece in ((t[:cut], t[cut:]) if cut else ())]
    return tuple(p for p in parts if p)
