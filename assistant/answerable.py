"""Answerability: is what a question asks supported by the passages that would answer it?

Three checks, each named in the trace when it declines:
- *off the corpus*: the best passage of the article is far from the question (e5 cosine) and few of the
  question's words occur in the article at all; or, for an English question, the second encoder puts every
  passage far from it and none of its words stands in the article as written;
- *topic not covered*: the question asks a topic (salary, interviews, certificates, …; data in
  assistant/data/topics.json) and no passage it would cite, nor the named entity's section, speaks of it;
- *unknown names*: acronyms and product names the question asks about occur nowhere in the article, and
  alternatives it offers to choose from ("A还是B", "A or B") of which the article speaks of neither.
English words reach the article through the index's bilingual vocabulary (CC-CEDICT), so "text messages"
counts as known where the article says 短信.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, takewhile
from typing import TYPE_CHECKING

from .cues import CHAT, CHOICE, CLAUSE_END, NOT_LIKED
from .cuewords import FIGURE_REACH, compound_surnames, cues, everyday_english, surnames
from .dictionary import acronyms, cedict, common_words, name_words, names_in, pinyin
from .index import passage_doc_text
from .reading import SURE
from .sentences import asking_spans, conditioned, dislike_spans, guess_spans, inside, occasion, said_of_self, sentence_at, topic_spans
from .tokens import EN_IRREGULAR, EN_STOP, FUNCTION_TAGS, ZH_STOP, _stem, tag, tokenize, word_spans
from .unknown import KNOWN_ACRONYMS

if TYPE_CHECKING:
    from .corpus import Passage
    from .cuewords import Topic
    from .dictionary import Bilingual
    from .intents.common import Context
    from .lexicon import Lexicon
    from .reading import Ask
    from .retrieve import Hit

#: Names a question may ask about: acronyms of three letters or more ("CDA", "DAU"; two-letter ones such as
#: HR or JD are everyday workplace words), CamelCase ("ByteDance") and capitalised words that are no English
#: word ("Figma", "Shenzhen").
_NAME = re.compile(r"(?<![A-Za-z])([A-Z]{3,}[a-z]?|[a-z]+[A-Z][A-Za-z]+|[A-Z][a-z]+[A-Z][A-Za-z]*)(?![A-Za-z'’])|(?<![A-Za-z])([A-Z][a-z]{3,})(?![A-Za-z'’])")
#: Words of asking that carry no topic ("what does … do", "具体", "主要").
_ASKING = frozenset(
    """具体 主要 一般 通常 到底 究竟 需要 应该 怎么样 咋样 啥样 咋整 咋办 怎样 哪方面 哪些方面 方面 东西 问题 情况 意思 作者 文章 文中 里面 提到 说 讲 写 觉得 认为 建议 说明 想说明
    举例 例子 比如 知道 了解 告诉 介绍 区别 不同 一样 作用 干嘛 干什么 做什么 是不是 有没有 能不能 可不可以 啥 吧 呀 哦 嘛 哈
    包括 包含 分为 分成 就算 算是 写给 的话 say says said mention mentions mentioned""".split()
)
#: A count of parts ("两块", "三点", "几个方面") says how the answer is shaped, not what it is about.
_COUNT = re.compile(r"^[一二两三四五六七八九十几\d]+[个块点步条类种项部分层方面大]+$")
#: Degree words and hedges ("a little", "what exactly", "honestly"): how something is said, not what about.
#: (As tokenize() stems them.)
_EN_HEDGE = frozenset("littl bit exact actual realli basic pretti quit liter honest mayb probabl anyway".split())
#: English pronouns and adverbs of time or frequency the stop list keeps ("his", "after", "never"): they relate
#: what is asked, they do not name it. (As tokenize() stems them.)
_EN_FUNCTION = frozenset("his her him hers mine us after befor never ever again still even yet".split())
#: English counts and ordinals: how many, not what about ("the two kinds", "the third step").
_EN_COUNT = frozenset(
    """one two three four five six seven eight nine ten eleven twelve first second third fourth fifth sixth seventh eighth
    ninth tenth dozen couple half""".split()
)


@dataclass(frozen=True)
class Verdict:
    """Whether to answer; when not, why, what is missing and whether nearby passages are worth offering."""

    ok: bool
    reason: str = ""
    missing: tuple[str, ...] = ()
    offer: bool = True
    coverage: float = 1.0
    dense: float = 0.0
    #: A name was asked (which company, who wrote it) and not given: "" or the words that keep it back (某教育公司).
    unnamed: str | None = None
    #: A number of something was asked (how many followers) and the article gives none.
    unfigured: bool = False


@dataclass(frozen=True)
class Uncovered:
    """A topic the question asks that the passages do not speak of: its name, the words that asked it, and for
    a name kept back the words that keep it back."""

    topic: str
    asked: str
    withheld: str = ""
    names: str = ""

    def verdict(self, coverage: float = 1.0, dense: float = 0.0) -> Verdict:
        """The decline this makes."""
        unnamed = self.withheld if self.names else None
        return Verdict(False, f"topic not covered: {self.topic}", (self.asked,), coverage=coverage, dense=dense, unnamed=unnamed)


def vocabulary(ctx: "Context", doc: str) -> set[str]:
    """Every BM25 token of an article's passages (cached on the context)."""
    if doc not in ctx.vocab:
        positions = set(ctx.positions(doc))
        ctx.vocab[doc] = {tok for tok, plist in ctx.index.bm25.postings.items() if any(d in positions for d, _ in plist)}
    return ctx.vocab[doc]


def coverage(
    ask: "Ask", ctx: "Context", doc: str, synonyms: bool = False, within: "list[Passage] | None" = None, asked: bool = False
) -> tuple[float, list[str]]:
    """Share of the question's content words the article knows, and the words it does not. synonyms: a Chinese
    word also counts as known where the dictionary gives it a short sense an article word has (公司: 企业).
    within: only these passages' BM25 words (heading, text, rendering) count as known, not the whole article's. asked: only the
    words of what the question asks count, not its side remarks (sentences.topic_spans)."""
    vocab = vocabulary(ctx, doc) if within is None else {t for p in within for t in tokenize(passage_doc_text(p, ctx.index.renderings.get(p.id)))}
    bridge = ctx.index.bilingual
    # Cue words say how something is asked (not counted); what the glossary or the article's outline names is
    # known (counted as known words).
    spans = [s for c in cues().values() for s in c.spans(ask.text)]
    named = [(m.start, m.end) for m in ctx.lexicon.find(ask.text) if m.kind != "oos"]
    named += [(m.start, m.end) for m in ask.entities if m.start >= 0]
    spans += named
    if asked:
        kept = topic_spans(ask.text)
        spans += [(a, b) for a, b in zip([0] + [e for _, e in kept], [s for s, _ in kept] + [len(ask.text)], strict=True) if b > a]
    masked = list(ask.text)
    for a, b in spans:
        masked[a:b] = " " * (b - a)
    words = _content_words("".join(masked))
    unknown = []
    for t in words:
        if t in vocab or (t.isascii() and (_bridged(t, ask.text, vocab, bridge) or _spelled_short(t, ask.text, ctx, doc))):
            continue
        if not t.isascii() and any(t in v or v in t for v in vocab if len(v) > 1 and len(t) > 1 and (t in v or v in t)):
            continue  # "标注员" and "标注": a longer or shorter word of the same root
        if not t.isascii() and _cut_across(t, ask.text, lowered(ctx, doc)):
            continue  # the tagger cut across a name the article writes ("举名" of "举名创优品": 名创优品)
        if len(t) == 2 and t[1] in _COMPLEMENTS and t not in cedict() and (t[0] in vocab or any(t[0] in v for v in vocab if len(v) > 1 and not v.isascii())):
            continue  # a verb with its result, cut so by the tagger ("写完"): the verb the article uses (写作); 通过 is a word
        if synonyms and not t.isascii() and any(w in vocab for w in bridge.synonyms(t)):
            continue
        unknown.append(_as_written(t, ask.text))
    total = len(words) + len(named)
    share = 1.0 - len(unknown) / total if total else 1.0
    return share, unknown


#: A run of the question this long that the article writes as it stands is one of its words, however the tagger
#: cut the question.
CUT_ACROSS = 3


def _cut_across(token: str, question: str, text: str) -> bool:
    """Whether a Chinese word of the question shares characters with a longer run of the question (CUT_ACROSS
    characters or more, reaching past the word) that the article writes as whole words: the tagger cut across
    it (a run that ends inside an article's word, 门店运 of 门店运营, is none)."""
    for m in re.finditer(re.escape(token), question):
        for start in range(max(0, m.start() - CUT_ACROSS - 3), m.end()):
            for end in range(max(start + CUT_ACROSS, m.start() + 1), min(len(question), start + CUT_ACROSS + 4) + 1):
                if (start < m.start() or end > m.end()) and _written_whole(question[start:end], text):
                    return True
    return False


def _written_whole(run: str, text: str) -> bool:
    """Whether the text writes a run starting and ending where the tagger's words do."""
    for m in re.finditer(re.escape(run), text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        line = text[line_start : line_end if line_end >= 0 else len(text)]
        spans = word_spans(line)
        if m.start() - line_start in {a for a, _ in spans} and m.end() - line_start in {b for _, b in spans}:
            return True
    return False


#: Characters after a Chinese verb that say its result ("写完", "做好", "看懂"): the verb is the word.
_COMPLEMENTS = frozenset("到完好成掉过住懂")


def _bridged(token: str, text: str, vocab: "frozenset[str] | set[str]", bridge: "Bilingual") -> bool:
    """Whether an English word says in the dictionary a word of the article: as it stands, as the base of an
    irregular form ("got": get), part by part when hyphenated ("take-home": take, home), or, misspelt by one
    letter ("homwork"), as the one English word it slipped from."""
    if any(zh in vocab for stem in (token, *map(_stem, EN_IRREGULAR.get(token, ()))) for zh in bridge.to_zh(stem)):
        return True
    if "-" in token:
        parts = [p for p in _as_written(token, text).lower().split("-") if p and p not in EN_STOP]
        return bool(parts) and all(_bridged(_stem(p), text, vocab, bridge) for p in parts)
    from .lexicon import TYPO_MIN, _english_word

    written = _as_written(token, text).lower()
    if len(written) < TYPO_MIN or not written.isalpha() or _english_word(written):
        return False
    slips = {written[:i] + c + written[i:] for i in range(1, len(written)) for c in string.ascii_lowercase}  # a letter missing
    slips |= {written[:i] + written[i + 1 :] for i in range(1, len(written) - 1)}  # a letter too many
    slips |= {written[:i] + written[i + 1] + written[i] + written[i + 2 :] for i in range(1, len(written) - 2)}  # two swapped
    return any(_english_word(w, strict=True) and any(zh in vocab for zh in bridge.to_zh(_stem(w))) for w in slips)


def _as_written(token: str, text: str) -> str:
    """An English stem as the question wrote it ("downsid" -> "downside"); other tokens as they are."""
    if not token.isascii():
        return token
    for stem in (token, token[:-1]):  # a stem that changed its last letter ("justifi" of "justify")
        m = re.search(rf"(?<![A-Za-z]){re.escape(stem)}[A-Za-z]*", text, re.I)
        if m and len(stem) >= 3:
            return m.group()
    return token


_LATIN_PHRASE = re.compile(r"[A-Za-z]+(?:[ \-][A-Za-z]+){1,5}")


@lru_cache(maxsize=4096)
def initials_in(text: str) -> frozenset[str]:
    """The initials of a text's English phrases, lower-cased ("Go-to-Market" gtm, "Business Analyst" ba), with
    and without their small words: an acronym a text spells out is a name it uses."""
    found: set[str] = set()
    for m in _LATIN_PHRASE.finditer(text):
        words = re.split(r"[ \-]", m.group().lower())
        for seq in (words, [x for x in words if x not in EN_STOP]):
            for i in range(len(seq)):
                for n in range(2, min(6, len(seq) - i + 1)):
                    found.add("".join(x[0] for x in seq[i : i + n]))
    return frozenset(found)


def initialisms(ctx: "Context", doc: str) -> frozenset[str]:
    """initials_in() of an article's headings and passages (cached on the context)."""
    if doc not in ctx.initials:
        ctx.initials[doc] = initials_in("\n".join(ctx.index.passages[i].heading_path + " " + ctx.index.passages[i].text for i in ctx.positions(doc)))
    return ctx.initials[doc]


def lowered(ctx: "Context", doc: str) -> str:
    """An article's headings and passages as written (no rendering, no gloss), lower-cased (cached)."""
    if doc not in ctx.lowered:
        ctx.lowered[doc] = "\n".join(ctx.index.passages[i].heading_path + " " + ctx.index.passages[i].text for i in ctx.positions(doc)).lower()
    return ctx.lowered[doc]


def _content_words(text: str) -> list[str]:
    """A question's words that carry what it is about: not stop words, words of asking or chat, function words
    (FUNCTION_TAGS), nor counts."""
    words = [
        t
        for t in tokenize(text)
        if t not in _ASKING
        and t not in CHAT
        and t not in ZH_STOP
        and t not in EN_STOP
        and t not in _EN_COUNT
        and t not in _EN_HEDGE
        and t not in _EN_FUNCTION
        and not _COUNT.match(t)
        and (len(t) > 1 or t.isdigit())
    ]
    function = _function_words(text)
    # Made of nothing else ("那明天下午呢": 明天, 下午), the words are all it asks about.
    return [t for t in words if t not in function] or words


def _function_words(text: str) -> frozenset[str]:
    """The Chinese words of a text that jieba tags as function words in it."""
    if not re.search(r"[\u4e00-\u9fff]", text):
        return frozenset()
    return frozenset(w for w, f in tag(text) if f in FUNCTION_TAGS and not w.isascii())


#: The shortest number and English word that anchor a question to an article's text.
ANCHOR_DIGITS = 3
ANCHOR_LATIN = 3


def anchored(ask: "Ask", ctx: "Context", doc: str) -> bool:
    """Whether a word of the question stands in the article's own text as written ("KOC", "618", "拉新"), not
    only through a dictionary sense of an everyday word."""
    text = lowered(ctx, doc)
    for t in _content_words(ask.text):
        if t.isdigit():
            if len(t) >= ANCHOR_DIGITS and re.search(rf"(?<!\d){t}(?!\d)", text):
                return True  # "618", "2024"; a lone "6" is any heading's number
        elif t.isascii():
            # An English stem ("mechan") as the start of a whole word of the text, long enough to mean something.
            # A stem of the shortest length stands only as a whole word ("fli" of "flies" is not "flink").
            ending = "[a-z]{0,4}" if len(t) > ANCHOR_LATIN else ""
            if len(t) >= ANCHOR_LATIN and re.search(rf"(?<![a-z0-9]){re.escape(t)}{ending}(?![a-z0-9])", text):
                return True
            if any(zh in text and zh in name_words() for zh in ctx.index.bilingual.to_zh(t)):
                return True  # the English name of a name the article writes ("wechat": 微信, a name, no common word)
        elif t in text:
            return True
    return False


def unknown_names(ask: "Ask", ctx: "Context", doc: str) -> list[str]:
    """Acronyms and product names in the question that the article never uses (in its own words, or in
    Chinese through the glossary or the dictionary), and the Chinese names of companies and places it never
    writes."""
    from .lexicon import _english_word

    text = lowered(ctx, doc)
    vocab = vocabulary(ctx, doc)
    found = [a or b for a, b in _NAME.findall(ask.text)]
    shouted = sum(1 for w in re.findall(r"[A-Za-z]{2,}", ask.text) if w.isupper()) >= 3
    out = []
    for name in dict.fromkeys(found):
        low = name.lower()
        if re.fullmatch(r"[A-Z]{2,}s", name):
            low = low[:-1]  # an acronym in the plural ("SOPs") is the acronym
        if name in KNOWN_ACRONYMS or (shouted and _english_word(low)) or _emphasis(name):
            continue  # everyday workplace acronyms ("CEO", "RMB"); English words of a question in capitals
        if (
            low in text
            or low in initialisms(ctx, doc)
            or (name.istitle() and (_english_word(low) or _english_word(low.removesuffix("s")) or _english_word(_stem(low))))
        ):
            continue  # a capitalised English word ("Pros" at a sentence's start), plural or inflected
        at = ask.text.lower().find(low)
        if any(m.start <= at < m.end for m in ctx.lexicon.find(ask.text) if m.kind != "oos"):
            continue  # the glossary knows it ("PM")
        if any(zh in vocab for zh in ctx.index.bilingual.to_zh(_stem(low))):
            continue  # the dictionary says it in the article's words ("WeChat" -> 微信)
        if any(zh in text for zh in ctx.index.bilingual.pinyin.get(low, ())):
            continue  # a Chinese name of the article written in pinyin ("Wanliniu": 万里牛)
        if any(zh in text for zh in acronyms().get(low, ())):
            continue  # an acronym the dictionary spells out in words the article uses ("IoT" -> 物联网)
        if _spelled_short(name, ask.text, ctx, doc):
            continue  # a two-character name of the article in pinyin, too short for the pinyin table ("Nini": 妮妮)
        out.append(name)
    # Chinese names of companies, apps and places the dictionary knows ("腾讯"), unless the article writes them,
    # in Chinese or by the English name ("Tencent" for 腾讯), or the glossary knows them.
    known = [(m.start, m.end) for m in ctx.lexicon.find(ask.text) if m.kind != "oos"]
    for at, name, english in names_in(ask.text):
        english = english or pinyin(name)  # a city the dictionary names by pointing at its full name: its pinyin
        # (The article's text is lowered: "B站" stands there as "b站".)
        said = name.lower() in text or bool(english) and re.search(rf"(?<![a-z]){re.escape(english)}(?![a-z])", text)
        if not said and not inside(at, known) and name not in out:
            out.append(name)
    return out


def _spelled_short(word: str, question: str, ctx: "Context", doc: str) -> bool:
    """Whether a word the question capitalises spells in pinyin, alone or with the words beside it, a name the
    article writes that the pinyin table lacks ("Nini" for 妮妮, "Zhou Mingxuan" for 周明轩)."""
    from .intents.common import spelled_names

    return word.lower() in spelled_names(question, ctx, doc)


def _emphasis(name: str) -> bool:
    """An English word written in capitals for stress ("both A AND B", "REALLY"): a stop word, or a dictionary
    word of four letters or more; shorter capitals are acronyms ("SEO", "GMV")."""
    from .lexicon import _english_word

    low = name.lower()
    return name.isupper() and name.isalpha() and (low in EN_STOP or (len(low) >= 4 and _english_word(low)))


#: Names that follow this stand as examples of what is asked ("agencies like Ipsos or Nielsen"), not as the ask.
_EXAMPLES_OF = re.compile(r"(\b(like|such as|e\.g\.?|including|for example|for instance)|比如|例如|像是?|诸如)[^.?!。？！,，]{0,24}$", re.I)
#: ... and names that this follows ("PRD那种", "Jira之类的", "Excel or something"): an example of the kind asked.
_EXAMPLE_AFTER = re.compile(r"\s*(那种|这种|那类|这类|之类|一类|什么的|等等)|(\s+[a-z]+)?,?\s+(or something|and so on|etc\b|or the like|and stuff)", re.I)


def unknown_asked(ask: "Ask", ctx: "Context", doc: str) -> list[str]:
    """The unknown names (see unknown_names) that stand in what the question asks, not in a side remark or as
    examples of what it asks about; and alternatives offered to choose from that the article never speaks of."""
    asking = asking_spans(ask.text)
    # Where another sentence asks with a question mark, a statement about the asker is their setting ("I'm a PM
    # at a small SaaS shop … What's the split between PM and ops?").
    questioned = "?" in ask.text or "？" in ask.text
    out = []
    for n in unknown_names(ask, ctx, doc):
        at = ask.text.find(n)
        example = _EXAMPLES_OF.search(ask.text[:at]) or _EXAMPLE_AFTER.match(ask.text, at + len(n))
        if inside(at, asking) and not example and not (questioned and _told_of_self(ask.text, at)) and not conditioned(ask.text, at):
            out.append(n)
    # What the glossary or the article's outline names in the question is known ("PM or ops"); a skill the
    # glossary knows of askers (a spreadsheet tool) is not thereby something the article speaks of.
    named = [(m.start, m.end) for m in ctx.lexicon.find(ask.text) if m.kind not in ("oos", "skills")] + [(m.start, m.end) for m in ask.entities if m.start >= 0]
    for at, (left, right) in _alternatives(ask.text):
        clause = _clause_at(ask.text, at)
        if not inside(at, asking) or _EXAMPLES_OF.search(ask.text[: left[0]]) or (said_of_self(clause, 0) and NOT_LIKED.search(clause)):
            continue  # "such as A or B" gives examples; "I never learnt A or B, but …" tells of the asker
        if not any(inside(start, named) or _known_word(word, ctx, doc) for start, word in (left, right)):
            out += [w for _, w in (left, right) if w not in out]
    return out


#: A name beside a choice: an English word with a capital or a digit ("SQL", "Jira", "Python3"), with the
#: capitalised words next to it ("Final Cut Pro"), or a run of Chinese (everyday lower-case words describe,
#: "full-time or part-time": they name nothing to choose).
_LATIN_NAME = r"[A-Z0-9][A-Za-z0-9+#]*|[a-z]+[A-Z0-9][A-Za-z0-9+#]*"
_LEFT = re.compile(rf"(?:(?:{_LATIN_NAME})(?: (?:{_LATIN_NAME}))*|[\u4e00-\u9fff]+)\s*$")
_RIGHT = re.compile(rf"\s*((?:{_LATIN_NAME})(?: (?:{_LATIN_NAME}))*|[\u4e00-\u9fff]+)")
#: Chinese beside a choice is a name offered only as a short run of its own ("甲工具还是乙工具"); a longer run
#: is a clause (a whole way of working against another), not a thing named.
_NAME_RUN = 4
#: After 还是, a run ending in 吗 says "still" ("X还是主流吗"): no choice.
_STILL = "吗"


def _clause_at(text: str, pos: int) -> str:
    """The clause of a text around pos (cues.CLAUSE_END)."""
    start = max((m.end() for m in CLAUSE_END.finditer(text, 0, pos)), default=0)
    end = next((m.start() for m in CLAUSE_END.finditer(text, pos)), len(text))
    return text[start:end].strip()


def _alternatives(text: str) -> list[tuple[int, tuple[tuple[int, str], tuple[int, str]]]]:
    """(position, (start, name) on each side) of every choice between two names a question offers (cues.CHOICE)."""
    out = []
    for m in CHOICE.finditer(text):
        left = _LEFT.search(text, 0, m.start())
        right = _RIGHT.match(text, m.end())
        if left is None or right is None:
            continue
        a, b = left.group().strip(), right.group(1).rstrip("呢")
        if b.endswith(_STILL) or not a or not b:
            continue
        if all(w.isascii() and w.lower() not in EN_STOP or not w.isascii() and len(w) <= _NAME_RUN for w in (a, b)):
            out.append((m.start(), ((left.start(), a), (right.start(1), b))))
    return out


def _known_word(word: str, ctx: "Context", doc: str) -> bool:
    """Whether the article speaks of a name: as written; a Chinese one as its words; a capitalised English word
    through the dictionary ("Marketing" -> 营销). An acronym or a name that is no English word ("PR", "Jira")
    only as written, never through some sense of it."""
    from .lexicon import _english_word

    low = word.lower()
    if not word.isascii():
        # Its words as the tagger reads them, without function words ("技术那边": 技术, not "那边").
        words = [t for t, f in tag(low) if len(t) > 1 and t not in _ASKING and f not in FUNCTION_TAGS]
        return low in lowered(ctx, doc) or bool(words) and all(t in vocabulary(ctx, doc) for t in words)
    if re.search(rf"(?<![a-z0-9]){re.escape(low)}(?![a-z0-9])", lowered(ctx, doc)):
        return True
    if any(zh in lowered(ctx, doc) for zh in ctx.index.bilingual.pinyin.get(low, ())):
        return True  # a Chinese name written in pinyin ("Wanliniu": 万里牛)
    if word.isupper() or " " in word or not _english_word(low):
        return False
    vocab = vocabulary(ctx, doc)
    return _stem(low) in vocab or any(zh in vocab for zh in ctx.index.bilingual.to_zh(_stem(low)))


def _told_of_self(text: str, pos: int) -> bool:
    """Whether pos stands in the asker telling of themselves, not in a question ("我对比较各渠道花多少钱挺感兴趣,"
    describes an interest; "我想知道它花多少钱?" asks)."""
    return said_of_self(text, pos) and not sentence_at(text, pos).rstrip().endswith(("?", "？"))


#: Proper names as jieba tags them: persons, organisations, other proper nouns (places not: jieba tags words
#: such as 入门 as places).
_PROPER = frozenset("nr nrt nrfg nt nz".split())
_PERSON = frozenset("nr nrt nrfg".split())
#: A Latin name written with capitals and small letters ("Dataphin", "McClelland"), not an acronym (KPI, ROI).
_LATIN_NAME = re.compile(r"(?<![A-Za-z])[A-Z][a-z]+(?:[A-Z][a-z]*)*(?![A-Za-z])")
#: A title in book marks (《SPSS实战与统计思维》).
_TITLE = re.compile(r"《([^《》]{1,30})》")


def names_given(text: str, lexicon: "Lexicon | None" = None, kind: str = "any") -> set[str]:
    """The names a passage gives: proper names as the tagger reads them (unless the dictionary knows the word
    as a common one), Latin names in Chinese text, titles in book marks, and the companies the glossary knows.
    "某教育公司" and "一家百亿规模企业" give none."""
    common = common_words()
    tags = _PERSON if kind == "person" else _PROPER
    out = {w for w, f in tag(text) if f in tags and len(w) >= 2 and w not in common and not _misread_person(w, f)}
    if re.search(r"[\u4e00-\u9fff]", text):  # in English prose a capital starts a sentence, not a name
        # An everyday English word with a capital in Chinese text ("空窗/Gap期", "拿到Offer") names nothing.
        # Nor does an everyday workplace acronym ("HR", "CEO"): a role or a document, no one's name.
        out |= {w for w in _LATIN_NAME.findall(text) if w.lower() not in everyday_english() and w not in KNOWN_ACRONYMS}
    if kind == "person":
        return out
    out |= set(_TITLE.findall(text))
    if lexicon is not None:
        out |= {text[m.start : m.end] for m in lexicon.find(text) if m.kind == "companies"}
    return out


#: jieba's tags of words no given name starts with: numerals, measure words, adverbs, prepositions, conjunctions.
_NOT_GIVEN = frozenset("m q mq d p c u uj".split())


def _misread_person(word: str, flag: str) -> bool:
    """A word the tagger took for a person's name that is none: two dictionary words side by side, or no common
    surname first and a numeral or an adverb after it ("远大于" is 远 + 大于: far greater than)."""
    if flag not in _PERSON or len(word) < 3:
        return False
    if len(word) >= 4 and word[:2] in cedict() and word[2:] in cedict() and word not in name_words() and word[:2] not in compound_surnames():
        # Two words of the dictionary side by side, as an idiom is ("满怀希望"), not a given name, whatever its
        # first character ("尤为重要": 尤 is also a surname), unless its first two are a surname of two characters (欧阳).
        return True
    if word[0] in surnames():
        return False
    rest = tag(word[1:])
    return bool(rest) and rest[0][1] in _NOT_GIVEN


def gives_name(text: str, asked: str, lexicon: "Lexicon | None" = None, kind: str = "any") -> bool:
    """Whether a passage gives a name the question does not hold already (asked which agency wrote a brand's
    slogan, the brand's own name is no answer)."""
    low = asked.lower()
    return any(n.lower() not in low for n in names_given(text, lexicon, kind))


def speaks_of(topic: "Topic", text: str, ask: "Ask", lexicon: "Lexicon | None") -> bool:
    """Whether a passage speaks of a topic the question asks: its evidence words (with a figure beside them where
    the question asks how much), or (which company, who wrote it) a name it gives."""
    if not topic.names:
        return topic.figured_by(text) if topic.figures and asks_quantity(ask.text) else topic.supported_by(text)
    for pattern in topic.withheld:  # 某教育公司 names no company, though the tagger reads 教育公司 as one
        text = pattern.sub(" ", text)
    return gives_name(text, ask.text, lexicon, topic.names)


def asks_quantity(text: str) -> bool:
    """Whether a sentence that asks asks how much or how many (cue data `quantity`)."""
    asking = asking_spans(text)
    return any(inside(a, asking) for a, _ in cues()["quantity"].spans(text))


#: How far before a kept-back name the person asked about is named, to be the one it is said of.
PERSON_REACH = 30


def kept_back(topic: "Topic", pool: list[str], ask: "Ask", ctx: "Context", spans: list[tuple[int, int]]) -> str:
    """Words of a passage that keep back a name (某连锁茶饮品牌, 某教育公司) where the question describes the same
    thing: the head word after 某 (一家, 一位) and most of the others are in the question (an English one: in its
    words said in Chinese). spans: where the question asks the name; asked for another kind of thing ("哪个平台",
    "which platform": the topic's kinds) than the kept-back one's (品牌), the passage keeps back no name asked."""
    from .intents.common import in_chinese

    said = (ask.text if ask.lang == "zh" else f"{ask.text} {in_chinese(ask, ctx)}").lower()
    asked = asked_kinds(topic, ask, ctx, spans)
    people = names_given(ask.text, kind="person")
    for pattern in topic.withheld:
        for text in pool:
            for m in pattern.finditer(text):
                letter = re.escape(m.group()[0])
                if m.group()[0].isascii() and re.search(rf"(?<![A-Za-z]){letter}(\s?(厂|司|公司|集团|企业)|['’]?\s+(company|firm|corp))", ask.text, re.I):
                    return m.group()  # a name kept back behind a letter ("A厂"), the letter asked after
                words = [w for w in tokenize(re.sub(r"^(某|一家|一位|一个)", "", m.group()).lower()) if len(w) > 1]
                held = {i for i, kind in enumerate(topic.kinds) if words and any(words[-1].endswith(k) for k in kind)}
                if asked and held and not asked & held:
                    continue
                if words and words[-1] in said and 2 * sum(w in said for w in words) > len(words):
                    return m.group()
                if asked & held and any(n in text[max(0, m.start() - PERSON_REACH) : m.start()] for n in people):
                    # "Which company did <person> join?": the sentence telling of that person (named in Chinese,
                    # as the question is read) keeps back the kind of thing asked ("去了一家…公司"), however it
                    # describes it.
                    return m.group()
    return ""


def asked_kinds(topic: "Topic", ask: "Ask", ctx: "Context", spans: list[tuple[int, int]]) -> set[int]:
    """Which of the topic's kinds of thing the question asks the name of ("哪个平台", "哪家公司": the platforms, the
    companies; "what company did …": the companies), by the last word of the asking words (in Chinese, and of the
    few characters after them) that names one (none for "叫什么名字", "哪家")."""
    for a, b in spans:
        # "哪家公司": the kind may follow the asking words ("哪家").
        after = re.match(r"[\u4e00-\u9fff]{0,4}", ask.text[b:]).group() if re.search(r"[\u4e00-\u9fff]", ask.text[a:b]) else ""
        for word in reversed(tokenize(f"{ask.text[a:b]}{after}".lower())):
            forms = (word,) if not word.isascii() else ctx.index.bilingual.to_zh(word)
            found = {i for i, kind in enumerate(topic.kinds) if any(f in kind or f.lower() in kind for f in forms)}
            if found:
                return found
    return set()


def uncovered_topic(ask: "Ask", pool: list[str], ctx: "Context") -> Uncovered | None:
    """The topic the question asks and no passage of pool speaks of. A topic
    in a side remark (a sentence that asks nothing) is the asker's situation, not the question; one in a guess
    offered after the question ("…是什么?就是写X吗") is what the asker supposes, not what they ask. A topic
    whose data says so (which company it was) is a side ask where a sentence of its own asks a facet the
    question names ("the case?" and "which company was it?"): the facet is answered."""
    asking = asking_spans(ask.text)
    guesses = guess_spans(ask.text)
    # "复试环节要考察她哪些考核数字?": a topic that is only the occasion of a question asking something the passages
    # speak of (a facet, another topic) is its setting.
    dislikes = dislike_spans(ask.text)
    asks_else = bool(ask.facets) or any(speaks_of(t, x, ask, ctx.lexicon) for t in ask.topics for x in pool)
    for topic in ask.topics:
        cued = topic.asks.spans(ask.text)
        if topic.alone and ask.facets and any(not any(a <= c < b for c, _ in cued) for a, b in asking):
            continue  # another sentence asks what the facet answers ("案例讲了啥?是哪家?")
        # A topic that labels what follows ("<topic> notes: …") is the asker's setting, not the question.
        spans = [
            s
            for s in topic.asks.spans(ask.text)
            if inside(s[0], asking)
            and not inside(s[0], guesses)
            and not _told_of_self(ask.text, s[0])
            and not re.match(r"[\w ]{0,8}[:：]", ask.text[s[1] : s[1] + 10])
            and not (asks_else and occasion(ask.text, s[0], s[1]))
            and not inside(s[0], dislikes)  # what the asker would rather not do ("不想做PPT") is not asked
        ]
        # A passage that keeps back the name of what the question describes (asked which chain of tea shops it
        # was, 某连锁茶饮品牌) gives none, whatever other names the passages cited give.
        kept = kept_back(topic, pool, ask, ctx, spans) if topic.withheld and spans else ""
        # The asker's own Chinese word for the topic in a passage ("收入能涨吗": "收入会慢慢增长") speaks of it,
        # unless a figure is asked for.
        said = {ask.text[a:b] for a, b in spans if re.fullmatch(r"[\u4e00-\u9fff]{2,}", ask.text[a:b])}
        if said and not topic.names and not (topic.figures and asks_quantity(ask.text)) and any(w in t for w in said for t in pool):
            continue
        if spans and (kept or not any(speaks_of(topic, t, ask, ctx.lexicon) for t in pool)):
            return Uncovered(topic.name, ask.text[spans[0][0] : spans[0][1]], kept, topic.names)
    return None


#: The places of an article a question may ask of, by cue name.
PLACES = ("at_end", "at_start", "for_readers")


def asks_place(ask: "Ask") -> str | None:
    """Where in the article the question asks what it says: "at_end" ("文章结尾怎么说", "what does the last line
    say"), "at_start" ("文章开头说…") or "for_readers" (whom the article is for, how it helps the asker: what its
    opening or ending says to its readers), a cue of that place in a sentence that asks, beside words naming
    the article or its text; None when it asks no place."""
    if "about_article" not in ask.cues:
        return None
    asking = asking_spans(ask.text)
    return next((place for place in PLACES if any(inside(a, asking) for a, _ in cues()[place].spans(ask.text))), None)


def off_corpus(ask: "Ask", ctx: "Context", doc: str, hits: "list[Hit]", known: tuple[float, list[str]] | None = None) -> Verdict | None:
    """The first check alone: the question is far from every passage of the article and few of its words occur
    in it, or (English) the second encoder puts it far from every passage and no word of it stands in the
    article (applied to every strategy's answer, the glossary's included). known: coverage() when already
    computed."""
    if asks_place(ask):
        return None  # what the article says at its start or end is asked of the article itself, whatever the words
    w = ctx.scoring
    dense = max((h.dense for h in hits), default=0.0)
    share, unknown = known if known is not None else coverage(ask, ctx, doc)
    zh = ask.lang == "zh"
    known_share = w.known_share_zh if zh else w.known_share
    far = dense < (w.min_dense_zh if zh else w.min_dense) and share < known_share
    # A follow-up of one word the article does not use ("跳了岂不是更惨?") leans on the turn before: its
    # nearness decides, not the share of one word.
    # So does a Chinese one of two such words that sits as near the article as its own questions do ("最后她混成
    # 啥样了,钱涨了没").
    lone = ask.followup and share == 0.0 and (len(unknown) == 1 or (zh and len(unknown) == 2 and dense >= w.min_dense_zh))
    floor = w.floor_coverage_zh if zh else w.floor_coverage_en
    if (far or share < floor) and not lone and zh:
        # Before declining, the article's synonyms of the words it lacks (公司 where it says 企业) count too.
        share, unknown = coverage(ask, ctx, doc, synonyms=True)
        # (Words known only through a synonym are looser evidence: that share must reach known_share, as before.)
        far = dense < w.min_dense_zh and share < w.known_share
    if far or (share < floor and not lone and not names_of_article(ask, ctx, doc)):
        return Verdict(False, "off the corpus", tuple(unknown_names(ask, ctx, doc) or unknown[:2]), offer=False, coverage=share, dense=dense)
    asked = [h.cross for h in hits if h.cross is not None]  # English questions only
    bar = w.min_cross if ctx.rendered(doc) else w.min_cross_bridged
    # A name the question surely says exempts it; an English name pieced from a word or two of a heading's
    # senses ("set" in 设定规划) does not.
    sure = any(m.strength >= SURE for m in ask.named)
    if asked and max(asked) < bar and not sure and not ask.followup and not anchored(ask, ctx, doc):
        return Verdict(False, "off the corpus (second encoder)", tuple(unknown_names(ask, ctx, doc) or unknown[:2]), offer=False, coverage=share, dense=dense)
    return None


def names_of_article(ask: "Ask", ctx: "Context", doc: str) -> list[str]:
    """The proper names of the question the article uses as written (德勤, where the story's author worked; not a
    common word the tagger takes for a name): near the article, a question naming its own people and places is
    about it, however many of its other words are colloquial ("挺轻松的吧", "咋还嫌累"). A name of the article
    written in pinyin counts too ("Xiaofeng" for 晓峰, a heading's name)."""
    text = lowered(ctx, doc)
    spelled = [m.entity.name for m in ask.named if m.how == "pinyin" and m.entity.doc == doc]
    return [n for n in names_given(ask.text) if n.lower() in text] + spelled


def on_subject(ask: "Ask", ctx: "Context", doc: str, cited: "list[Passage]") -> "list[Passage]":
    """The cited passages that hold what the question asks about, where it names something by a proper name few
    passages of the article use (LinkedIn, 腾讯) and some cited passage holds it: asked how many people LinkedIn's
    team had, a passage on another company's headcount, cited beside LinkedIn's, does not answer it. All of them
    otherwise."""
    from .intents.common import rare_counts

    asking = asking_spans(ask.text)
    low = ask.text.lower()
    names = {w.lower() for w, flag in tag(ask.text) if flag in _PROPER or (w.isascii() and w.isalpha() and len(w) > 1)}
    counts = {
        w: n
        for w, n in rare_counts(ask, ctx, doc).items()
        if w in names and any(inside(i, asking) for i in _found_at(low, w)) and any(w in p.text.lower() for p in cited)
    }
    rarest = [w for w, n in counts.items() if n == min(counts.values())]
    holding = [p for p in cited if any(w in p.text.lower() for w in rarest)]
    return holding or cited


def _found_at(text: str, word: str) -> list[int]:
    """Where a word occurs in a text."""
    return [m.start() for m in re.finditer(re.escape(word), text)]


def _many(ctx: "Context") -> bool:
    """Whether the corpus holds many articles (route.MANY): the setting where nearness alone proves little."""
    from .route import MANY

    return len(ctx.retriever.docs()) > MANY


#: A figure: digits, or Chinese numerals with a unit or measure word ("数十家", "两个", "三成", "六大").
_FIGURE = re.compile(
    r"\d|[一二三四五六七八九十百千万亿两几数半]+\s*(个|位|名|家|人|次|年|月|天|周|倍|成|万|千|百|亿|元|块|层|种|条|期|轮|款|篇|场|所|项|点|步|类|份|张|页)"
    r"|(?<!第)[二三四五六七八九十两几]+大"
)
#: jieba tags of what a quantity question counts (粉丝, 销售额, 补贴), and of what may stand between the count and
#: it (measure words, numerals) or before the count (有, 占, 具体, 大概).
_COUNTED_TAGS = frozenset("n nz vn nt ns nw".split())
_MEASURE_TAGS = frozenset("m q".split())
_BEFORE_COUNT_TAGS = frozenset("v d a ad p c".split())


def counted_words(ask: "Ask", ctx: "Context") -> list[tuple[str, tuple[str, ...]]]:
    """What a Chinese quantity question asks the number of, as written, with its synonyms an article may write
    instead: the noun after the count (多少粉丝, 几个渠道) or, where the count ends the question, the noun before
    it (服务人员占多少). Only counts in what the question asks (not its side remarks). English: see
    _counted_english."""
    if ask.lang != "zh":
        return _counted_english(ask, ctx)
    asking = asking_spans(ask.text)
    # A cue that says what it counts ("几个人") has said it: "几个人才能…" counts people, not 人才.
    said = cues()["quantity"].spans(ask.text)
    out: list[tuple[str, tuple[str, ...]]] = []
    words = tag(ask.text)
    starts = list(accumulate((len(w) for w, _ in words), initial=0))  # where each word begins
    for i, (w, f) in enumerate(words):
        start = starts[i]
        if not (w == "多少" or (w.startswith("几") and f in _MEASURE_TAGS)) or not inside(start, asking):
            continue
        j = i + 1
        while j < len(words) and words[j][1] in _MEASURE_TAGS:
            j += 1
        after = words[j] if j < len(words) else None
        counted = None
        if after is not None and after[1] in _COUNTED_TAGS and len(after[0]) > 1 and not any(a <= starts[j] < b for a, b in said):
            counted = after[0]
        elif after is None or not re.search(r"[\w]", after[0]) or after[1] in ("y", "ul", "uj"):
            back = [x for x in words[max(0, i - 4) : i] if x[1] not in _BEFORE_COUNT_TAGS]
            if back and back[-1][1] in _COUNTED_TAGS and len(back[-1][0]) > 1:
                counted = back[-1][0]
        if counted:
            out.append((counted, (counted, *ctx.index.bilingual.synonyms(counted))))
    return out


#: The English words of a quantity question said in Chinese that stand for what it counts: the first few of the
#: dictionary's words for it that the article uses.
COUNTED_FORMS = 3
#: Words that may open a clause before the count it asks ("so", "exactly", "and roughly").
OPENING_WORDS = 2


def _counted_english(ask: "Ask", ctx: "Context") -> list[tuple[str, tuple[str, ...]]]:
    """What an English quantity question may count, with the dictionary's Chinese words for it: the noun the
    count is of, the last of the words right after it ("how many core tasks" -> tasks), else (an auxiliary
    first: "what percent did complaints drop") each content word of the rest of the clause, of which English
    does not show which is counted (a word it cannot say is no evidence either way: "how many heads" is no
    负责人)."""
    asking = asking_spans(ask.text)
    bridge = ctx.index.bilingual
    masked = list(ask.text)  # cue words say how it is asked ("the article"), not what is counted
    for x, y in (s for c in cues().values() for s in c.spans(ask.text)):
        masked[x:y] = " " * (y - x)
    out: list[tuple[str, tuple[str, ...]]] = []
    for a, b in cues()["quantity"].spans(ask.text):
        # Asked, the count opens its clause ("…, exactly what percent did …"); inside one it tells how something
        # is done ("segment customers by how much they spend").
        opened = re.split(r"[,.;:!?，。；：！？]", ask.text[:a])[-1].split()
        if not inside(a, asking) or len(opened) > OPENING_WORDS:
            continue
        end = CLAUSE_END.search(ask.text, b)
        rest = "".join(masked[b : end.start() if end else len(ask.text)])
        # The words up to the first stop word of the clause as written ("complaints they cut": a pronoun that is
        # also a cue still ends the run), less the cue words.
        said = takewhile(lambda m: m.group().lower() not in EN_STOP, re.finditer(r"[A-Za-z][A-Za-z'’-]*", ask.text[b : end.start() if end else len(ask.text)]))
        run = [m.group() for m in said if masked[b + m.start()] != " "]
        words = _content_words(run[-1]) if run else _content_words(rest)
        for word in words:
            forms = tuple(bridge.to_zh(word, own_sense=True)[:COUNTED_FORMS]) if word.isascii() and not word.isdigit() else ()
            if forms:
                out.append((_as_written(word, ask.text), forms))
    return out


def _figured(text: str, at: "re.Match[str]") -> bool:
    """Whether a word found in a passage has a figure near it, or leads into a list that counts it ("具体工作包括:")."""
    return bool(_FIGURE.search(text[max(0, at.start() - FIGURE_REACH) : at.end() + FIGURE_REACH])) or text.rstrip().endswith((":", "："))


def unfigured(ask: "Ask", ctx: "Context", doc: str, named_only: bool = False) -> str | None:
    """What a quantity question asks the number of where the article never gives a figure of it (how many
    followers an account won, where the article only says it ran one): the word as asked, or None. Chinese:
    the word counted, never named (nor a synonym) or named without a figure near it. English: of the words
    that may be counted, those the article names, none with a figure (the dictionary's senses are too loose
    to say the article never names one). named_only: a Chinese word the article never names is no evidence
    either (the glossary knows more words for a thing than the dictionary's synonyms: 新人, 新增用户)."""
    if not asks_quantity(ask.text):
        return None
    texts = [ctx.index.passages[i].text for i in ctx.positions(doc)]
    counted = [(word, [(t, m) for t in texts for f in forms for m in re.finditer(re.escape(f), t)]) for word, forms in counted_words(ask, ctx)]
    if ask.lang == "zh":
        return next((word for word, named in counted if not any(_figured(t, m) for t, m in named) and (named or not named_only)), None)
    named = [(word, found) for word, found in counted if found]
    return named[0][0] if named and not any(_figured(t, m) for _, found in named for t, m in found) else None


def judge(ask: "Ask", ctx: "Context", doc: str, cited: "list[Passage]", hits: "list[Hit]") -> Verdict:
    """Decide whether the passages chosen for a question answer it."""
    w = ctx.scoring
    share, unknown = coverage(ask, ctx, doc)
    far = off_corpus(ask, ctx, doc, hits, (share, unknown))
    if far is not None:
        return far
    dense = max((h.dense for h in hits), default=0.0)
    zh = ask.lang == "zh"
    section = {pos for m in ask.named if m.entity.doc == doc for pos in m.entity.positions}
    about = on_subject(ask, ctx, doc, cited)
    within = on_subject(ask, ctx, doc, [ctx.index.passages[i] for i in sorted(section)])
    pool = [p.text for p in about] + [p.heading_path for p in about] + [p.text for p in within]  # a section titled 薪资 speaks of it
    uncovered = uncovered_topic(ask, pool, ctx)
    if uncovered is not None:
        return uncovered.verdict(coverage=share, dense=dense)
    if names := unknown_asked(ask, ctx, doc):
        return Verdict(False, "unknown names", tuple(names), coverage=share, dense=dense)
    if counted := unfigured(ask, ctx, doc):
        return Verdict(False, "no figure given", (counted,), coverage=share, dense=dense, unfigured=True)
    carried = ask.followup and any(m.entity.doc == doc for m in ask.carried)
    if not carried and _many(ctx):
        # Among many articles some passage sits near any question by the model's similarity alone; passages
        # that hold less than half of its words (its names count) do not answer it (a household question near
        # some article's passage that shares one everyday word with it).
        held, lacking = coverage(ask, ctx, doc, synonyms=True, within=cited)
        if held < w.min_held_many:
            return Verdict(False, "off the corpus (the passages found hold too few of its words)", tuple(lacking[:2]), offer=False, coverage=held, dense=dense)
    if not zh and not carried and dense < w.weak_dense and share < w.min_coverage and not names_of_article(ask, ctx, doc):
        # (A follow-up's subject is the turn before's; a question naming the article's own people is about it.)
        return Verdict(False, "weak match", tuple(unknown[:3]), coverage=share, dense=dense)
    return Verdict(True, coverage=share, dense=dense)
