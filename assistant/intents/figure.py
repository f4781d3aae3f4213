"""The article's own images ("what does the article compare the roles to?"): among the passages that make a
comparison of likeness (the "simile" markers of cues.json: 就像, 如同, 好比, …), the one retrieval and the
outline rank best for the question, quoted with the sentence that holds the image."""

from __future__ import annotations

from ..answerable import uncovered_topic
from ..cues import FILLER
from ..cuewords import cues
from ..evidence import Evidence, Group
from ..reading import Ask
from ..respond import Answer
from ..retrieve import Hit
from ..sentences import clauses, inside, topic_spans
from ..tokens import tokenize
from ..trace import Trace
from .common import Context, Scored, compose, decline_answer, record, score_passages

NAME = "figure"
#: At most this many images are quoted.
LIMIT = 2


def _images(ctx: Context, doc: str) -> set[int]:
    """The passages of an article that liken one thing to another."""
    simile = cues()["simile"]
    return {i for i in ctx.positions(doc) if simile.fires(ctx.index.passages[i].text)}


def _of_named(ask: Ask, ctx: Context, doc: str, scored: list[Scored]) -> list[Scored]:
    """An image whose passage names the things the question names ("产品经理和运营人员…就像接力赛") is theirs: it
    scores for each of them it names, best first again."""
    named = [m.entity for m in ask.named if m.entity.doc == doc]
    out = []
    for s in scored:
        text = ctx.index.passages[s.pos].text
        hits = sum(1 for e in named if any(len(n) >= 2 and n in text for n in e.names))
        out.append(Scored(s.pos, round(s.score + hits * ctx.scoring.entity_lead, 3), {**s.parts, "names": hits * ctx.scoring.entity_lead}) if hits else s)
    return sorted(out, key=lambda s: (-s.score, s.pos))


def detect(ask: Ask, ctx: Context, doc: str) -> float:
    """A cue of asking for an image, in a sentence that asks or the lead-in it asks of ("…uses a sports metaphor
    — what is it?"), in an article that has one."""
    asking = topic_spans(ask.text)
    spans = cues()["figure"].spans(ask.text)
    asked = any(inside(a, asking) for a, _ in spans) or _recalled(ask.text, spans)  # not in a side remark
    return 0.95 if asked and _images(ctx, doc) else 0.0


#: A question of at most this many words of its own ("what was it?", "what was the comparison?") asks about the
#: sentence before it.
BARE = 2


def _recalled(text: str, spans: list[tuple[int, int]]) -> bool:
    """Whether a cue of an image stands in a sentence that a bare question right after it asks about ("I remember
    it likened them to a sport... what was it?")."""
    parts = clauses(text)
    for (a, b, *_), (c, d, asks, *_) in zip(parts, parts[1:], strict=False):
        if asks and any(a <= s < b for s, _ in spans) and len([t for t in tokenize(text[c:d]) if t not in FILLER]) <= BARE:
            return True
    return False


def answer(ask: Ask, ctx: Context, doc: str, trace: Trace) -> Answer:
    """The best-ranked passages that hold an image; a second one only when it scores close to the first."""
    images = _images(ctx, doc)
    scored, _ = score_passages(ask, ctx, doc, within=images)
    if not scored:  # no image among the retrieved candidates: the article's images in reading order
        scored = [Scored(pos, 0.0, {}) for pos in sorted(images)]
    scored = _of_named(ask, ctx, doc, scored)
    record(trace, scored, ctx)
    best = scored[0].score if scored else 0.0
    keep = [s for s in scored[:LIMIT] if s.score >= ctx.scoring.keep_ratio * best] if best > 0 else scored[:1]
    trace.fire(f"structure: {len(images)} passages liken one thing to another")
    group = Group("", "", tuple(Hit(ctx.index.passages[s.pos], s.score) for s in keep))
    cited = [h.passage for h in group.hits]
    if (uncovered := uncovered_topic(ask, [p.text for p in cited], ctx)) is not None:
        # An image asked about beside a topic it does not speak of ("… compared to a PM, and the salary?").
        verdict = uncovered.verdict()
        trace.decline = verdict.reason
        return decline_answer(ask, ctx, verdict, cited, NAME)
    return compose(ask, ctx, Evidence((group,)), NAME, focus=cues()["simile"])
