"""A question (and its history) read against the articles' outlines -> Ask, the input of every strategy.

Reading finds what the question names (entities of an article's outline, field labels as facets, topics
such as salary), how it asks (cue rules: a comparison, a list, a follow-up) and what a follow-up carries
over from the turns before it: the entity it refers to, the facet asked before, the article.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from .corpus import detect_lang
from .cuewords import Topic, cues, topics
from .dictionary import Bilingual
from .outline import EntityMatch, Outline
from .tokens import EN_GRAMMAR, EN_STOP, tokenize
from .understand import clean, history_texts

#: A question this short (characters for Chinese, words for English) that names nothing may be a follow-up.
SHORT_ZH, SHORT_EN = 14, 8
#: A match at least this strong (a name, a full English name) makes a question name its own subject.
SURE = 0.9
#: Label words too generic to name a facet on their own.
GENERIC_LABEL_WORDS = frozenset({"的", "类型", "方面", "内容", "情况", "问题", "相关", "可"})
#: A word in more field labels than this (shared by several) does not name one of them on its own.
LABEL_SPREAD = 1


@dataclass(frozen=True)
class Ask:
    """What a question asks, in terms of the articles' outlines."""

    text: str
    lang: str
    search_text: str  # what retrieval sees: the question, plus the turn it follows on
    entities: tuple[EntityMatch, ...] = ()  # named in the question itself
    carried: tuple[EntityMatch, ...] = ()  # carried over from the turn it follows on
    facets: tuple[str, ...] = ()  # field labels the question names (or carries over)
    cues: frozenset[str] = frozenset()  # cue rules that fired
    topics: tuple[Topic, ...] = ()  # topics the question asks about
    followup: bool = False
    previous: str = ""  # the earlier turn a follow-up refers to
    previous_docs: tuple[str, ...] = ()  # the articles the earlier turns were about, latest first
    notes: tuple[str, ...] = field(default_factory=tuple)
    last: str = ""  # a follow-up's latest earlier turn that asked something of its own (not "and then?")
    chained: int = 0  # the turns after last that only asked "and then?" / "后来呢" (each one step further on)

    @property
    def named(self) -> tuple[EntityMatch, ...]:
        """The entities the question is about: its own, or the carried ones."""
        return self.entities or self.carried


#: A heading addressed to an audience: "（1）对于产品经理", "给新人的建议", "For product managers".
_AUDIENCE = re.compile(r"^(?:[（(]\d+[）)])?\s*(?:对于|对|给|写给|针对|致|for)\s*(.{2,12}?)\s*(?:来说|而言|的建议|同学|们)?$", re.I)
#: The asker saying who they are ("我是做数据运营的", "As a PM", "I'm an ops person").
_SELF = re.compile(r"(我是|我做|我在做|本人是|作为|身为|i'?m an?|i am an?|as an?)\s*(.{2,24})", re.I)


def audiences(titles: set[str]) -> dict[str, str]:
    """Headings addressed to an audience -> that audience ("（2）对于产品运营" -> "产品运营")."""
    out = {}
    for t in titles:
        m = _AUDIENCE.match(t.strip())
        if m:
            out[t] = m.group(1)
    return out


def audience_facets(text: str, headings: dict[str, str], lexicon_forms: Callable[[str], tuple[str, ...]]) -> tuple[str, ...]:
    """The audience headings a question speaks to: the audience is named in it (in Chinese or through the
    glossary's English forms), or the asker says they are one of a kind whose head word it shares
    (an asker who says they work in some 运营 reads what is written for 产品运营)."""
    low = text.lower()
    selves = [m.group(2) for m in _SELF.finditer(text)]
    found = []
    for title, who in headings.items():
        forms = [who.lower(), *(f.lower() for f in lexicon_forms(who))]
        head = who[-2:]
        if any(_says(f, low) for f in forms) or any(head in s or any(_says(f, s.lower()) for f in forms) for s in selves):
            found.append(title)
    return tuple(found)


def _says(form: str, text: str) -> bool:
    """Whether text contains a form: as a whole word for English ("pm", not inside "company")."""
    if not form:
        return False
    if form.isascii():
        return re.search(rf"(?<![a-z]){re.escape(form)}(?![a-z])", text) is not None
    return form in text


def facet_labels(text: str, labels: "set[str] | frozenset[str]", bilingual: Bilingual) -> tuple[str, ...]:
    """The field labels a question names: a label's own words, in Chinese or through the dictionary."""
    toks = set(tokenize(text))
    bridged = {zh for t in toks if t.isascii() and t not in EN_STOP and t not in EN_GRAMMAR for zh in bilingual.to_zh(t)}
    found = []
    words_of = {label: [w for w in tokenize(label) if w not in GENERIC_LABEL_WORDS and len(w) > 1] for label in labels}
    spread = Counter(w for words in words_of.values() for w in set(words))
    for label in labels:
        if label in text:
            found.append(label)
            continue
        words = words_of[label]
        said = [w for w in words if w in toks or w in bridged or w in text]
        # Half its words at least, one of them telling: a word many labels share ("营销" in 内容营销, 渠道合作营销,
        # …) does not name any one of them.
        if words and 2 * len(said) >= len(words) and any(spread[w] <= LABEL_SPREAD for w in said):
            found.append(label)
    return tuple(found)


def facet_named(m: EntityMatch, facets: tuple[str, ...]) -> bool:
    """Whether an entity the question names is only a heading called like a facet it asks for: sections such
    as "案例" or "举个例子" are kinds of passage many articles have, not things of one article."""
    return any(n in facets for n in m.entity.names)


def _own_entities(text: str, outline: Outline) -> tuple[EntityMatch, ...]:
    return tuple(outline.find(text))


def read(
    question: str, history: list | None, outline: Outline, bilingual: Bilingual, route_of: Callable[[str], str] | None = None, lang: str | None = None
) -> Ask:
    """Read a question and its history. route_of(text) names the article an earlier turn was about; lang is
    the question's language when known from its words as written."""
    text, notes = clean(question)
    lang = lang or (detect_lang(text) if text else "en")
    fired = frozenset(name for name, cue in cues().items() if cue.fires(text))
    asked_topics = tuple(t for t in topics() if t.asks.fires(text))
    entities = _own_entities(text, outline)
    labels = outline.all_labels
    heard = audience_facets(text, outline.audiences, outline.english_forms)
    if len({outline.audiences[t] for t in heard}) > 1:
        heard = ()  # a question naming several audiences is about all of them
    facets = facet_labels(text, labels, bilingual) + heard
    turns = history_texts(history)
    short = len(text) <= SHORT_ZH if lang == "zh" else len(text.split()) <= SHORT_EN
    previous, carried, prev_docs = "", (), ()
    followup = False
    # Only a sure name makes a question self-contained; a partial English gloss beside "that" does not, nor a
    # heading named like a field label the question asks for (a section "案例" of some article: a kind of passage).
    sure = [m for m in entities if m.strength >= SURE and not facet_named(m, facets)]
    asked: tuple[str, ...] = ()  # the facet asked last of the subject carried ("…", "and its metrics?")
    if turns and (not sure or "followup" in fired and short):
        for turn in reversed(turns[-3:]):
            # A heading whose words an earlier turn said apart is a hint for that turn, not a subject to carry on.
            found = tuple(m for m in _own_entities(turn, outline) if m.how != "words")
            if found or not previous:
                previous = turn
            asked = asked or facet_labels(turn, labels, bilingual)
            if found:
                carried = tuple(found)
                break
        followup = bool(previous) and (short or "followup" in fired or not entities)
        if followup and not facets:
            facets = asked  # a new entity keeps the facet asked of the last one
    if turns and route_of is not None:
        prev_docs = tuple(dict.fromkeys(d for d in (route_of(t) for t in reversed(turns[-3:])) if d))
    if followup and not sure:
        entities = ()
    search_text = f"{previous} {text}" if followup and not entities else text
    if followup and entities and previous and short:
        # A new entity in a short follow-up keeps what was asked before ("and for data ops?").
        search_text = f"{text} {previous}"
    return Ask(
        text,
        lang,
        search_text,
        entities,
        carried if followup else (),
        facets,
        fired,
        asked_topics,
        followup,
        previous if followup else "",
        prev_docs,
        notes,
        *(_last_own(turns) if followup else ("", 0)),
    )


#: Cue rules of a turn that only asks how things went on ("and then?", "后来呢").
_GOING_ON = ("next", "outcome")


def _last_own(turns: list[str]) -> tuple[str, int]:
    """The latest turn that asks something of its own, and how many short turns after it only asked how things
    went on (a second "后来呢" goes one step further than the first)."""
    chained = 0
    for turn in reversed(turns):
        fired = [name for name in _GOING_ON if cues()[name].fires(turn)]
        short = len(turn) <= SHORT_ZH if detect_lang(turn) == "zh" else len(turn.split()) <= SHORT_EN
        if not (fired and short) or chained + 1 == len(turns):
            return turn, chained
        chained += 1
    return "", 0
