"""A follow-up with nothing to refer to ("And how is it measured?" in a new chat): ask which one, offering
the entities the articles cover, and cite nothing."""

from __future__ import annotations

from ..reading import Ask
from ..respond import Answer
from ..trace import Trace
from .common import Context

NAME = "clarify"
#: Candidates offered.
OFFER = 6


def detect(ask: Ask, ctx: Context, doc: str) -> float:
    """A pointing question that names nothing, with no earlier turn to point at."""
    return 0.95 if "clarify" in ask.cues and not ask.entities and not ask.followup else 0.0


def answer(ask: Ask, ctx: Context, doc: str, trace: Trace) -> Answer:
    """Which one? with a few candidates from the article's outline."""
    kids = [e for e in ctx.outline.of_doc(doc) if len(ctx.outline.children(e)) == 0][:OFFER]
    names = [e.label(ask.lang) for e in kids]
    trace.decline = "a follow-up with nothing to refer to"
    if ask.lang == "zh":
        text = "你指的是哪一个?请说出具体的岗位或主题" + (f",例如:{'、'.join(names)}。" if names else "。")
    else:
        text = "Which one do you mean? Please name the role or topic" + (f", for example: {', '.join(names)}." if names else ".")
    return Answer(text, [], True, ask.lang, NAME)
