"""A follow-up that points into the outline of the turn before: "第七个是啥?" after a list of abilities, "and
the next step?" after one step. What it points at is found from the article's structure, for any article:

- an ordinal picks that child of the heading the turn before was about (or of the heading above it, when that
  one has no children of its own);
- "next" picks what follows the passage the turn before was answered from: the next labelled field of the same
  section, the next item of the same list, else the next heading at the same level;
- how it ended ("outcome": "in the end?", "后来呢") picks the passage after it in the same section, whatever its
  kind: a story goes on in the next paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from ..answerable import names_given
from ..cuewords import cues
from ..evidence import Evidence, Group
from ..outline import Entity
from ..reading import Ask
from ..respond import Answer
from ..retrieve import Hit
from ..trace import Trace
from ..understand import ordinal
from .clarify import OWN_WORDS, own_words
from .common import Context, compose, rare_words, retrieval_scores, score_passages
from .search import list_of

NAME = "pointer"
#: Passages of the pointed-at heading that the answer cites (its budget may cut the tail).
SHOWN = 4
#: A heading whose name shares this much with the turn before is the list it asked for.
ALIKE = 0.5
#: Asked how a story ended, this many passages after the one the turn before was answered from.
STORY_AHEAD = 3
#: A follow-up with more words of its own than this says itself what it comes after ("once they've found the
#: pain point, what's the next step?"): beside the glossary's strategies, which read that, it points at nothing.
OWN_AT_MOST = 3


def detect(ask: Ask, ctx: Context, doc: str) -> float:
    """A follow-up naming a position or "next", when the article's outline has what it points at."""
    if not ask.followup or not ask.previous or ask.entities:
        return 0.0
    if ordinal(ask.text) is None and not ask.cues & {"next", "outcome"}:
        return 0.0
    if "outcome" in ask.cues and names_given(ask.text, kind="person") - names_given(ask.previous, kind="person"):
        return 0.0  # "<another person>后来呢" asks about that person, not how the story before went on
    pointed = target(ask, ctx, doc)
    # "最后那个直播是干嘛的": a word of the article beside the position names what is meant; a place in the
    # outline that never says it is not what the question points at.
    named = rare_words(ask, ctx, doc)
    said = " ".join(ctx.index.passages[p].text.lower() for p in pointed)
    if named and not any(w in said for w in named):
        return 0.0
    return 0.9 if pointed else 0.0


def _previous_best(ask: Ask, ctx: Context, doc: str) -> int | None:
    """The passage the turn before would be answered from first. What comes next, or how it went on, follows
    the latest turn (asked in the setting of the one that named the subject)."""
    text = ask.previous
    if ask.cues & {"next", "outcome"} and ordinal(ask.text) is None and ask.last and ask.last != ask.previous:
        text = f"{ask.previous} {ask.last}"
    before = replace(ask, text=text, search_text=text, entities=(), carried=(), facets=(), cues=frozenset(), topics=(), followup=False)
    scored, _ = score_passages(before, ctx, doc)
    return scored[0].pos if scored else None


def _base(ask: Ask, ctx: Context, doc: str, best: int | None) -> Entity | None:
    """The heading the turn before was about: the one it named, else the innermost holding its best passage."""
    named = [m.entity for m in ask.carried if m.entity.doc == doc]
    if named:
        return named[0]
    holders = [e for e in ctx.outline.of_doc(doc) if best is not None and best in e.positions]
    return max(holders, key=lambda e: len(e.path), default=None)


def target(ask: Ask, ctx: Context, doc: str) -> list[int]:
    """The passages the question points at, in reading order (empty when the outline has nothing there)."""
    best = _previous_best(ask, ctx, doc)
    base = _base(ask, ctx, doc, best)
    kids = _children(ctx, doc)
    n = ordinal(ask.text)
    if n is not None:
        # The turn before asked for a list the outline gives ("结尾列了哪几条"): the position counts in it.
        from ..reading import read
        from .listing import parent

        before = read(ask.previous, None, ctx.outline, ctx.index.bilingual)
        name, listed = parent(before, ctx, doc) if "listing" in before.cues else ("", [])
        if name and len(listed) >= max(n, 2) and n != 0:  # a heading's points, not the article's sections by default
            return list(listed[n - 1 if n > 0 else -1].positions)
        scopes = [base.path, base.parent] if base is not None else []
        # The list the turn before asked for may be a heading it names in other words ("用户研究员需要具备哪些能力"
        # for 用户研究人才需要具备的能力): the heading with enough children whose name shares most with it.
        lists = [e for e in ctx.outline.of_doc(doc) if len(kids.get(e.path, ())) >= max(n, 2)]
        alike = max(lists, key=lambda e: _overlap(e.name, ask.previous), default=None)
        if alike is not None and _overlap(alike.name, ask.previous) >= ALIKE:
            scopes.insert(0, alike.path)
        for scope in scopes:
            under = kids.get(scope, []) if scope else []
            if under and (n == -1 or n <= len(under)):
                return list(under[n - 1 if n > 0 else -1].positions)
        return []
    if best is not None and "outcome" in ask.cues and "next" not in ask.cues:
        if ctx.index.passages[best].kind == "field":
            # A labelled field tells its case whole, outcome included; the next field is another matter.
            return [] if ask.chained else [best]
        ahead = list(_story_ahead(best, ctx, STORY_AHEAD * (ask.chained + 1)))[STORY_AHEAD * ask.chained :]
        if ahead:
            return ahead
    if best is not None:
        after: int | None = best
        for _ in range(ask.chained + 1):  # each "and then?" before this one went a step further
            after = _next_passage(after, ctx) if after is not None else None
        if after is not None:
            listed = list_of(after, ctx)
            return listed if len(listed) > 1 and listed[0] == after else [after]  # a lead-in brings its list
    if base is not None:
        sibs = kids.get(base.parent, [])
        at = next((i for i, e in enumerate(sibs) if e.path == base.path), None)
        if at is not None and at + 1 < len(sibs):
            return list(sibs[at + 1].positions)
    return []


def _children(ctx: Context, doc: str) -> dict[tuple[str, ...], list[Entity]]:
    """An article's headings (those with passages) by the path of the heading above them, in reading order."""
    out: dict[tuple[str, ...], list[Entity]] = {}
    for e in sorted((e for e in ctx.outline.of_doc(doc) if e.positions), key=lambda e: e.positions[0]):
        out.setdefault(e.parent, []).append(e)
    return out


def _overlap(name: str, text: str) -> float:
    """Share of a heading name's character pairs that a text has (Chinese), or of its words (English)."""
    pairs = {name[i : i + 2] for i in range(len(name) - 1) if not name[i : i + 2].isascii()}
    if pairs:
        return sum(1 for b in pairs if b in text) / len(pairs)
    words = set(re.findall(r"[a-z]{3,}", name.lower()))
    return len(words & set(re.findall(r"[a-z]{3,}", text.lower()))) / len(words) if words else 0.0


def _story_ahead(pos: int, ctx: Context, reach: int = STORY_AHEAD) -> Iterator[int]:
    """The passages that follow one in its own section, reach at most: where the story it tells went."""
    for i in range(pos + 1, pos + 1 + reach):
        if not _same_section(pos, i, ctx) or ctx.index.passages[i].kind == "field":
            return
        yield i


def _next_passage(pos: int, ctx: Context) -> int | None:
    """The labelled field or list item that follows a field or item in its own section (None for other kinds)."""
    p = ctx.index.passages[pos]
    if p.kind not in ("field", "item"):
        return None
    for i in ctx.positions(p.doc):
        q = ctx.index.passages[i]
        if i > pos and q.kind == p.kind and q.heading[:-1] == p.heading[:-1] and (p.kind == "field" or q.id.rsplit(".", 1)[0] == p.id.rsplit(".", 1)[0]):
            if q.kind == "field" and cues()["example_label"].fires(q.label):
                continue  # an example illustrates the step before; it is not the next one
            return i
    return None


def _same_section(a: int, b: int, ctx: Context) -> bool:
    """Whether two positions hold body passages of one article under the same heading."""
    if b >= len(ctx.index.passages):
        return False
    p, q = ctx.index.passages[a], ctx.index.passages[b]
    return p.doc == q.doc and p.heading == q.heading and q.kind != "heading"


def answer(ask: Ask, ctx: Context, doc: str, trace: Trace) -> Answer:
    """The passages pointed at, with the article's frame."""
    positions = target(ask, ctx, doc)
    n = ordinal(ask.text)
    how = f"position {n}" if n is not None else "next" if "next" in ask.cues else "what followed"
    after = ask.last if n is None and ask.last else ask.previous
    trace.fire(f"pointer: {how} after: {after[:40]}")
    if len(positions) > SHOWN and len(own_words(ask)) > OWN_WORDS:
        # The follow-up also says what it wants of the part it points at ("第一类…从聊天内容上看出什么"): of that
        # part's passages, the ones retrieval finds nearest to it.
        near = retrieval_scores(ask, ctx, doc)[0]
        positions = sorted(positions, key=lambda i: -near.get(i, 0.0))
        trace.fire("pointer: the pointed part's passages nearest to what the follow-up asks")
    positions = positions[:SHOWN]
    trace.candidates = [{"id": ctx.index.passages[i].id, "score": 1.0, "pointed": 1.0} for i in positions]
    group = Group("", "", tuple(Hit(ctx.index.passages[i], 1.0) for i in positions))
    return compose(ask, ctx, Evidence((group,)), NAME)
