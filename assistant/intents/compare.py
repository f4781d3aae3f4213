"""Two entities side by side (two headings of one article, named in either language): each one's best passage,
under its own name."""

from __future__ import annotations

from ..answerable import judge
from ..evidence import Evidence, Group
from ..reading import Ask
from ..respond import Answer
from ..retrieve import Hit
from ..trace import Trace
from .common import Context, compose, decline_answer, hits_of, record, retrieval_scores, score_passages, supported

NAME = "compare"
#: Passages cited per side.
PER_SIDE = 2


def sides(ask: Ask, doc: str, ranked: list | None = None) -> list:
    """The distinct entities of the routed article the question (or its follow-up) names, surest first."""
    out, names = [], set()
    for m in ranked if ranked is not None else ask.named:
        if (
            m.entity.doc == doc
            and m.entity.name not in names
            and not any(set(m.entity.positions) <= set(o.entity.positions) or set(o.entity.positions) <= set(m.entity.positions) for o in out)
        ):
            out.append(m)
            names.add(m.entity.name)
    return out


def detect(ask: Ask, ctx: Context, doc: str) -> float:
    """Two entities and a cue of comparing."""
    n = len(sides(ask, doc))
    return 0.9 if n >= 2 and "compare" in ask.cues else 0.0


def answer(ask: Ask, ctx: Context, doc: str, trace: Trace) -> Answer:
    """Each side's best passages, in the order the question names them."""
    groups = []
    all_hits = []
    retrieval, _ = retrieval_scores(ask, ctx, doc)
    ranked = supported([m for m in ask.named if m.entity.doc == doc], retrieval)
    for m in sorted(sides(ask, doc, ranked)[:2], key=lambda m: m.start):
        scored, hits = score_passages(ask, ctx, doc, within=set(m.entity.positions))
        all_hits += hits
        record(trace, scored, ctx)
        # Each side opens with what the article says it is (its first passage), then its best match.
        first = [s for s in scored if s.pos == m.entity.positions[0]]
        side = first + [s for s in scored if s not in first][: PER_SIDE - len(first)]
        groups.append(Group(m.entity.label("en"), m.entity.name, tuple(hits_of(side, ctx))))
    lead = own_comparison(ctx, groups, retrieval, trace)
    cited = [h.passage for h in lead] + [h.passage for g in groups for h in g.hits]
    verdict = judge(ask, ctx, doc, cited, all_hits)
    if not verdict.ok:
        trace.decline = verdict.reason
        return decline_answer(ask, ctx, verdict, cited, NAME)
    return compose(ask, ctx, Evidence(((Group("", "", lead),) if lead else ()) + tuple(groups)), NAME)


def own_comparison(ctx: Context, groups: list[Group], retrieval: dict[int, float], trace: Trace) -> tuple[Hit, ...]:
    """The article's own comparison of the two ("写手好比种菜的农夫，编辑好比掌勺的厨师"): the passage retrieval puts clearly
    above every passage of the sides, wherever it stands, leads the answer."""
    cited = {ctx.index.position(h.passage.id) for g in groups for h in g.hits}
    if not retrieval or not cited:
        return ()
    best = max(retrieval, key=lambda pos: (retrieval[pos], -pos))
    if best in cited or retrieval[best] < max(retrieval.get(i, 0.0) for i in cited) + ctx.scoring.retrieval_lead:
        return ()
    trace.fire("compare: retrieval's best passage, beside neither side, leads as the article's own comparison")
    # Its other half next to it (the line after "写手好比…" that says "编辑好比…"), retrieved about as well, comes with it.
    near = [i for i in (best - 1, best + 1) if i not in cited and retrieval.get(i, 0.0) >= retrieval[best] - ctx.scoring.retrieval_near]
    return tuple(Hit(ctx.index.passages[i], retrieval[i]) for i in sorted([best, *near[:1]]) if ctx.index.passages[i].doc == ctx.index.passages[best].doc)
