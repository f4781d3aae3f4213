"""What the assistant covers ("which articles do you have?"): the articles' titles, each cited by its opening
passage."""

from __future__ import annotations

from ..reading import Ask
from ..respond import Answer
from ..trace import Trace
from .common import Context, cite

NAME = "about"


def detect(ask: Ask, ctx: Context, doc: str) -> float:
    """A cue of asking what the corpus covers, naming nothing in it."""
    return 0.9 if "about_corpus" in ask.cues and not ask.entities else 0.0


def answer(ask: Ask, ctx: Context, doc: str, trace: Trace) -> Answer:
    """One line per article."""
    docs = list(ctx.outline.titles)
    firsts = [ctx.index.passages[ctx.positions(d)[0]] for d in docs if ctx.positions(d)]
    shown = firsts[:5]
    if ask.lang == "zh":
        lines = [f"我根据这里的{len(docs)}篇文章回答问题:"] + [f"- 《{ctx.title(p.doc)}》[{i}]" for i, p in enumerate(shown, 1)]
    else:
        lines = [f"I answer from {len(docs)} article(s):"] + [f"- “{ctx.title(p.doc)}”[{i}]" for i, p in enumerate(shown, 1)]
    if len(docs) > len(shown):
        lines.append(f"… (+{len(docs) - len(shown)})")
    return Answer("\n".join(lines), cite(shown, ctx), False, ask.lang, NAME)
