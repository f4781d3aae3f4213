"""Cue words of asking and the topics career questions ask about, loaded from assistant/data/*.json.

A cue says *how* something is asked (a comparison, a list, a follow-up); a topic says *what* is asked beyond
the entity named (salary, interviews): both are data, one named rule per entry, so the explain trace can say
which fired.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from .tokens import degree, straddles

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class CueSet:
    """One named rule: its English and Chinese cues compiled to one pattern each."""

    name: str
    en: re.Pattern[str] | None
    zh: re.Pattern[str] | None

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where the rule's cues occur in text (a Chinese cue only where it is no part of two words)."""
        out = [(m.start(), m.end()) for m in self.en.finditer(text)] if self.en is not None else []
        if self.zh is not None:
            out += [(m.start(), m.end()) for m in self.zh.finditer(text) if _as_word(text, m.start(), m.end())]
        return out

    def fires(self, text: str) -> bool:
        """Whether any cue occurs in text."""
        if self.en is not None and self.en.search(text):
            return True
        return self.zh is not None and any(_as_word(text, m.start(), m.end()) for m in self.zh.finditer(text))


def _as_word(text: str, start: int, end: int) -> bool:
    """Whether a Chinese cue found at text[start:end] says what it says as a cue: no part of two words, and no
    adverb of degree before an adjective ("比较难" asks no comparison)."""
    return not straddles(text, start, end) and not (text[start:end] in degree_adverbs() and degree(text, start, end))


def _compile(forms: list[str], english: bool, patterns: list[str] | None = None) -> re.Pattern[str] | None:
    """One pattern for a rule's cues: English words as written (whole words), plus English patterns (words
    with a name between: "is <company> hiring"); Chinese cues are patterns already."""
    if not forms and not patterns:
        return None
    if english:
        alts = [re.escape(f) for f in sorted(forms, key=len, reverse=True)] + list(patterns or [])
        return re.compile(r"(?<![a-z])(?:" + "|".join(alts) + r")(?![a-z])", re.I)
    return re.compile("|".join(_colloquial(f) for f in sorted(forms, key=len, reverse=True)))


#: The colloquial forms of Chinese question words ("有啥用", "咋选"): a cue written with the standard word also
#: fires on them.
COLLOQUIAL = (("什么", "(?:什么|啥)"), ("怎么", "(?:怎么|咋)"))


def _colloquial(form: str) -> str:
    """A Chinese cue whose question words also take their colloquial forms."""
    for word, forms in COLLOQUIAL:
        form = form.replace(word, forms)
    return form


@lru_cache(maxsize=4)
def _data(name: str) -> dict:
    """One data file of assistant/data, read once."""
    return json.loads((DATA / name).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def cues() -> dict[str, CueSet]:
    """The cue rules by name."""
    data = _data("cues.json")
    return {name: _cue_set(name, v) for name, v in data.items() if name not in ("about", "degree_adverbs")}


@lru_cache(maxsize=1)
def degree_adverbs() -> frozenset[str]:
    """Chinese cue words that also say "rather" before an adjective ("比较难"): there they are no cue."""
    return frozenset(_data("cues.json").get("degree_adverbs", ()))


def _cue_set(name: str, v: dict) -> CueSet:
    """One rule's cues (en, en_patterns, zh) compiled."""
    return CueSet(name, _compile(v.get("en", []), True, v.get("en_patterns")), _compile(v.get("zh", []), False))


@dataclass(frozen=True)
class Topic:
    """Something career questions ask about, and the words that show a passage speaks of it."""

    name: str
    asks: CueSet
    evidence: tuple[re.Pattern[str], ...]
    #: Evidence is a name the passage gives that the question does not ("any": which company; "person": who
    #: wrote it), not a word; "" for a topic of words.
    names: str = ""
    #: Asked beside a facet the passages answer ("the case, and which company was it?"), the topic is a side ask.
    alone: bool = False
    #: A passage that says one of these keeps back what the topic asks (某教育公司: which company it was).
    withheld: tuple[re.Pattern[str], ...] = ()
    #: Asked as a quantity (how much, 多少), the passage must give one of these figures beside its evidence.
    figures: tuple[re.Pattern[str], ...] = ()
    #: Kinds of named thing, each with the words that name it (公司, 企业, 品牌 …; 平台, APP …): asked for one
    #: kind's name, a passage keeping back another kind's name keeps back nothing asked.
    kinds: tuple[frozenset[str], ...] = ()

    def supported_by(self, text: str) -> bool:
        """Whether a passage speaks of the topic (a names topic: see answerable.gives_name)."""
        return any(p.search(text) for p in self.evidence)

    def figured_by(self, text: str) -> bool:
        """Whether a passage gives a figure of the topic: a figure within FIGURE_REACH characters of its evidence
        ("月薪五万", not "拿高薪")."""
        for p in self.evidence:
            for m in p.finditer(text):
                near = text[max(0, m.start() - FIGURE_REACH) : m.end() + FIGURE_REACH]
                if any(f.search(near) for f in self.figures):
                    return True
        return False


@lru_cache(maxsize=1)
def everyday_english() -> frozenset[str]:
    """English loanwords of Chinese articles (Offer, Gap): written with a capital, still no names (topics.json)."""
    return frozenset(_data("topics.json").get("everyday_english", ()))


@lru_cache(maxsize=1)
def surnames() -> frozenset[str]:
    """The common Chinese surnames (topics.json)."""
    return frozenset(_data("topics.json").get("surnames", ""))


@lru_cache(maxsize=1)
def compound_surnames() -> frozenset[str]:
    """The Chinese surnames of two characters (欧阳, 司马; topics.json)."""
    return frozenset(_data("topics.json").get("compound_surnames", ()))


#: How near its evidence a figure of a topic stands.
FIGURE_REACH = 16


@lru_cache(maxsize=1)
def topics() -> tuple[Topic, ...]:
    """The topics, from topics.json."""
    data = _data("topics.json")["topics"]
    return tuple(
        Topic(
            name,
            _cue_set(name, v),
            tuple(re.compile(e, re.I) for e in v.get("evidence", [])),
            str(v.get("evidence_names", "")),
            bool(v.get("alone")),
            tuple(re.compile(e) for e in v.get("withheld", [])),
            tuple(re.compile(f) for f in v.get("figures", [])),
            tuple(frozenset(k) for k in v.get("kinds", [])),
        )
        for name, v in data.items()
    )


@cache
def asking(name: str) -> re.Pattern[str]:
    """One named rule of asking.json compiled: its English, Chinese and language-neutral alternatives as one
    pattern (case-blind unless the rule says "case"). The colloquial question words are not added here: a regex
    rule reaches over words ("校招啥时候" is no 招啥)."""
    rule = _data("asking.json")["patterns"][name]
    alts = [*rule.get("en", ()), *rule.get("zh", ()), *rule.get("any", ())]
    return re.compile("|".join(alts), 0 if rule.get("case") else re.I)


def asking_words(name: str) -> Any:
    """One named word list of asking.json as the data has it: a list (filler, chat words), a table (pinyin question
    words) or a list of word tuples (ordinals)."""
    return _data("asking.json")["words"][name]["words"]
