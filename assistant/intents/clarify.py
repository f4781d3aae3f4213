"""A follow-up with nothing to refer to (a question about "its" goal in a new chat): ask which one, offering
the entities the articles cover, and cite nothing."""

from __future__ import annotations

import re

from ..cues import CHAT
from ..cuewords import cues
from ..reading import SURE, Ask
from ..respond import Answer
from ..trace import Trace
from ..understand import ordinal
from .common import Context, own_words

NAME = "clarify"
#: A pointing question with more words of its own (chat words aside) than this names its subject somehow.
OWN_WORDS = 2
#: An acronym or capitalised name in the question is what "it" refers to ("What's DAU and how is it …").
_NAMED = re.compile(r"[A-Z]{2,}|\b[A-Z][a-z]+[A-Z]")
#: Candidates offered.
OFFER = 6


def candidates(ctx: Context, doc: str) -> list:
    """The things an article is about: the largest run of sibling headings with short names of their own
    ("用户运营", "内容运营", …), not the labels every entry repeats ("工作", "案例")."""
    entities = ctx.outline.of_doc(doc)
    counts: dict[str, int] = {}
    for e in entities:
        counts[e.name] = counts.get(e.name, 0) + 1
    groups: dict[tuple[str, ...], list] = {}
    for e in entities:
        if counts[e.name] == 1 and len(e.name) <= 10:
            groups.setdefault(e.parent, []).append(e)
    return max(groups.values(), key=len, default=[])


def detect(ask: Ask, ctx: Context, doc: str) -> float:
    """A pointing question that names nothing, with no earlier turn to point at: "it" refers to nothing in
    the question itself (no entity, no acronym or name, at most a few words of its own)."""
    pointing = "clarify" in ask.cues or ordinal(ask.text) is not None  # a position with no list before ("第三个呢?")
    # A heading pieced from a dictionary sense names nothing, nor does one that is only a field's label elsewhere
    # ("目标", "案例": what is asked of the subject, not the subject).
    named = any(m.strength >= SURE and m.entity.name not in ctx.outline.all_labels for m in ask.entities)
    if not pointing or named or ask.followup or _antecedent(ask.text):
        return 0.0
    return 0.95 if len([w for w in own_words(ask) if w not in CHAT]) <= OWN_WORDS else 0.0  # "ok" names nothing


def _antecedent(text: str) -> bool:
    """An acronym or name before the pointing word is what it points at ("What's DAU and how is it measured?");
    one after it is what is asked of it ("它的KPI是什么?")."""
    spans = cues()["clarify"].spans(text) or cues()["followup"].spans(text)
    first = min((a for a, _ in spans), default=len(text))
    return any(m.start() < first for m in _NAMED.finditer(text))


def answer(ask: Ask, ctx: Context, doc: str, trace: Trace) -> Answer:
    """Which one? with a few candidates from the article's outline."""
    kids = candidates(ctx, doc)[:OFFER]
    names = [e.label(ask.lang) for e in kids]
    trace.decline = "a follow-up with nothing to refer to"
    if ask.lang == "zh":
        text = "你指的是哪一个?请说出具体的岗位或主题" + (f",例如:{'、'.join(names)}。" if names else "。")
    else:
        text = "Which one do you mean? Please name the role or topic" + (f", for example: {', '.join(names)}." if names else ".")
    return Answer(text, [], True, ask.lang, NAME)
