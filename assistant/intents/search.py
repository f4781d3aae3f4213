"""Anything else, and an entity x facet ("what skills does a prompt engineer need"): the passages of the
routed article scored by retrieval and by the outline (under the named entity, carrying the named field
label), widened by the article's structure, declined when they do not support what is asked.

Structure decides what joins the best passage: a list item asked for with a cue of listing brings its lead-in
and siblings; a small entry (a role with a few labelled lines) is cited whole, best line first."""

from __future__ import annotations

from dataclasses import replace

from ..answerable import asks_place, judge, speaks_of, uncovered_topic
from ..corpus import Passage
from ..cuewords import cues
from ..evidence import Evidence, Group
from ..reading import Ask
from ..respond import Answer
from ..retrieve import Hit
from ..trace import Trace
from .common import Context, Scored, compose, contents_lead, decline_answer, ending, for_readers, opening, record, retrieval_scores, score_passages, top_group

NAME = "search"
#: An entity with at most this many passages is cited whole when a question names it.
SMALL_ENTRY = 4
#: How far down the ranking a question asking for a list looks for a passage in a list.
LIST_REACH = 3
#: ... and how close to the best passage's score that one must be.
LIST_NEAR = 0.6
#: A line this short that heads a list is answered with its list.
SHORT_LEAD = 40
#: A passage this short that ends in a question mark is the article asking itself something.
QUESTION_LINE = 40
#: How a lead-in ends, and how many passages that follow it join it.
LEAD_ENDS = (":", "：", "——", "—", "…")
#: ... of which these leave a sentence unfinished: what follows is its end.
UNFINISHED = ("——", "—", "…")
FOLLOWING = 2


def detect(ask: Ask, ctx: Context, doc: str) -> float:
    """Always possible: the fallback of every question."""
    return 0.3 + (0.3 if ask.facets and ask.named else 0.0)


def list_of(pos: int, ctx: Context) -> list[int]:
    """The lead-in and the items of the list a passage belongs to (itself alone when it is in none)."""
    p = ctx.index.passages[pos]
    parent = p.id.rsplit(".", 1)[0] if p.kind == "item" else p.id
    members = [i for i in ctx.positions(p.doc) if ctx.index.passages[i].id == parent or ctx.index.passages[i].id.rsplit(".", 1)[0] == parent]
    return members if len(members) > 1 else [pos]


def widen(ask: Ask, ctx: Context, doc: str, scored: list[Scored], trace: Trace) -> Group:
    """The best passage and what the article's structure says belongs with it."""
    if not scored:
        return Group("", "", ())
    top = scored[0]
    p = ctx.index.passages[top.pos]
    score = {s.pos: s.score for s in scored}
    members = list_of(top.pos, ctx)
    if p.kind == "para" and p.text.rstrip().endswith((":", "：")) and len(members) > 1:
        trace.fire("structure: a lead-in line brings its list")
        return Group("", "", tuple(Hit(ctx.index.passages[i], score.get(i, 0.0)) for i in members))
    before = [i for i in ctx.positions(p.doc) if i < top.pos][-1:]
    after = [i for i in ctx.positions(p.doc) if i > top.pos][:FOLLOWING]
    if p.text.rstrip().endswith(("?", "？")) and len(p.text) <= QUESTION_LINE:
        # The article asks itself the question ("数据分析能不能转业务？") and answers it in what follows.
        trace.fire("structure: the article's own question brings its answer")
        return Group("", "", tuple(Hit(ctx.index.passages[i], score.get(i, 0.0)) for i in [top.pos, *after]))
    if p.text.rstrip().endswith(LEAD_ENDS) and after:
        # A lead-in ("选择发展道路，还要看：", "…的人——") is finished by what follows it, whether a list of its own
        # or passages under a heading made of its words.
        trace.fire("structure: a lead-in brings what follows it")
        return Group("", "", tuple(Hit(ctx.index.passages[i], score.get(i, 0.0)) for i in [top.pos, *after]))
    lead = before and ctx.index.passages[before[0]].text.rstrip().endswith(UNFINISHED)
    if before and (lead or any(a == 0 for a, _ in cues()["consequence"].spans(p.text))):
        # A conclusion ("所以，……都能成功") stands on what comes before it, and the end of a sentence on its
        # lead-in ("而那些只会……的人——" / "终将被AI替代"): that passage joins it.
        trace.fire("structure: a conclusion or continuation brings the passage before it")
        return Group("", "", tuple(Hit(ctx.index.passages[i], score.get(i, 0.0)) for i in [top.pos, *before]))
    if "listing" in ask.cues:
        # A list asked for: the list of the best passage that is in one (a lead-in or an item), among the first few.
        for s in scored[:LIST_REACH]:
            listed = list_of(s.pos, ctx)
            if len(listed) > 1 and s.score >= LIST_NEAR * top.score:
                trace.fire("structure: the whole list of a top passage")
                first = [] if top.pos in listed else [top.pos]  # the best passage stays first
                return Group("", "", tuple(Hit(ctx.index.passages[i], score.get(i, 0.0)) for i in first + listed))
    if p.kind != "item" and len(members) > 1 and len(p.text) <= SHORT_LEAD:
        # A short line that heads a list ("关键客户关系深化：提升客户价值的关键。") says little; its list says it.
        trace.fire("structure: a short line brings the list it heads")
        return Group("", "", tuple(Hit(ctx.index.passages[i], score.get(i, 0.0)) for i in members))
    sure = [m for m in ask.named if m.entity.doc == doc and m.strength >= 0.9]
    if len({m.entity.name for m in sure}) == 1 and len(sure[0].entity.positions) <= SMALL_ENTRY and top.pos in sure[0].entity.positions:
        trace.fire(f"structure: the whole entry of {sure[0].entity.name}")
        entry = sorted(sure[0].entity.positions, key=lambda i: (i != top.pos, i))
        return Group("", "", tuple(Hit(ctx.index.passages[i], score.get(i, 0.0)) for i in entry))
    group = top_group(scored, ctx)
    following = ctx.index.passages[after[0]] if after else None
    if following is not None and continues(following, p) and following.id not in {h.passage.id for h in group.hits}:
        # The paragraph after the best goes on with it ("因为…", "其中…", "比如…"): it joins second.
        trace.fire("structure: the passage after the best continues it")
        hits = list(group.hits)
        hits.insert(1, Hit(following, score.get(after[0], 0.0)))
        return Group("", "", tuple(hits))
    return group


def continues(nxt: Passage, p: Passage) -> bool:
    """Whether a paragraph goes on with the one before it under the same heading: it opens with a word of
    continuing (cue data `continuation`: because, among them, for example)."""
    return nxt.kind == "para" and p.kind in ("para", "field") and nxt.heading == p.heading and any(a == 0 for a, _ in cues()["continuation"].spans(nxt.text))


def with_retrieval_best(ctx: Context, group: Group, retrieval: dict[int, float], trace: Trace, widened: bool) -> Group:
    """The group, with retrieval's best passage among those left out second where structure left it out and
    retrieval puts it clearly above every passage cited (a named entry's one line beside the section's lead that
    answers), or, where structure widened the group, about as high as the best cited (a lead-in's list beside
    the line before it that retrieves as well)."""
    cited = {ctx.index.position(h.passage.id) for h in group.hits}
    left = [pos for pos in retrieval if pos not in cited]
    if not left or not group.hits:
        return group
    best = max(left, key=lambda pos: (retrieval[pos], -pos))
    top = max((retrieval.get(i, 0.0) for i in cited), default=0.0)
    if retrieval[best] < top + ctx.scoring.retrieval_lead and not (widened and retrieval[best] >= top - ctx.scoring.retrieval_near):
        return group
    trace.fire("structure left out retrieval's best passage: it joins second")
    hits = list(group.hits)
    hits.insert(1, Hit(ctx.index.passages[best], retrieval[best]))
    return replace(group, hits=tuple(hits))


def on_topic(ask: Ask, ctx: Context, doc: str, scored: list[Scored], group: Group, trace: Trace) -> Group:
    """Where the passages chosen are silent on a topic the question asks (pay, say) and a
    passage that speaks of it retrieves as well as they do, that passage answers, widened by structure."""
    asked = uncovered_topic(ask, [h.passage.text for h in group.hits], ctx) if ask.topics and group.hits else None
    if asked is None:
        return group
    topic = next(t for t in ask.topics if t.name == asked.topic)
    cited = {ctx.index.position(h.passage.id) for h in group.hits}
    bar = ctx.scoring.topic_lead * max(s.parts.get("retrieval", 0.0) for s in scored if s.pos in cited)
    speaking = [s for s in scored if s.parts.get("retrieval", 0.0) >= bar > 0 and speaks_of(topic, ctx.index.passages[s.pos].text, ask, ctx.lexicon)]
    if not speaking:
        return group
    trace.fire(f"topic: the chosen passages are silent on {topic.name}; the best passage speaking of it answers")
    return widen(ask, ctx, doc, speaking, trace)


#: How the trace names each place of an article a question asks of.
PLACE_NAMES = {"at_end": "ending", "at_start": "opening", "for_readers": "lines to its readers"}


def answer(ask: Ask, ctx: Context, doc: str, trace: Trace) -> Answer:
    """Select, judge and render."""
    place = asks_place(ask)
    within = None if place is None else {"at_end": ending, "at_start": opening, "for_readers": for_readers}[place](ctx, doc)
    evidence = retrieval_scores(ask, ctx, doc)[0]
    if (
        place == "at_start"
        and within is not None
        and max((evidence.get(i, 0.0) for i in within), default=0.0) < max(evidence.values(), default=0.0) - ctx.scoring.retrieval_lead
    ):
        # Its lead speaks to the question far less than another passage ("the WeChat feature the article opens
        # with", in its first section): "the start" is looser than the lead, so retrieval decides. (Asked for the
        # ending or conclusion, the words say little of what is there: the place stands.)
        trace.fire("structure: the article's opening is far from the question; retrieval decides")
        within = None
        ask = replace(ask, cues=ask.cues - {place})
    elif place is not None:
        trace.fire(f"structure: the article's {PLACE_NAMES[place]} asked")
    end = within is not None
    scored, hits = score_passages(ask, ctx, doc, within=within)
    scored = contents_lead(ask, ctx, doc, scored, trace)
    record(trace, scored, ctx)
    group = on_topic(ask, ctx, doc, scored, widen(ask, ctx, doc, scored, trace), trace)
    if not ask.carried and not end:  # a follow-up's subject is the conversation's: its entry stands
        widened = len(group.hits) > 1 and [h.passage.id for h in group.hits] != [h.passage.id for h in top_group(scored, ctx).hits]
        group = with_retrieval_best(ctx, group, retrieval_scores(ask, ctx, doc)[0], trace, widened)
    cited = [h.passage for h in group.hits]
    verdict = judge(ask, ctx, doc, cited, hits)
    trace.fire(f"coverage {verdict.coverage:.2f}, best cosine {verdict.dense:.3f}")
    if not verdict.ok:
        trace.decline = verdict.reason + (f" ({', '.join(verdict.missing)})" if verdict.missing else "")
        return decline_answer(ask, ctx, verdict, cited, NAME)
    return compose(ask, ctx, Evidence((group,)), NAME)
