"""An entity's children, or an article's top-level sections ("which kinds of AI jobs does it list"): the
names under the heading, each cited by its first passage while the budget lasts; or a passage that itself
enumerates them."""

from __future__ import annotations

from ..answerable import asks_place
from ..evidence import Evidence, Group
from ..outline import Entity, EntityMatch, english_words
from ..reading import Ask
from ..respond import Answer
from ..retrieve import Hit
from ..sentences import excepted, excepted_clauses
from ..tokens import tokenize
from ..trace import Trace
from .clarify import OWN_WORDS, own_words
from .common import Context, Scored, cite, compose, hits_of, record, score_passages
from .search import answer as search_answer
from .search import list_of

NAME = "listing"
#: A passage naming at least this many of the children enumerates them itself.
ENUMERATES = 3


def parent(ask: Ask, ctx: Context, doc: str) -> tuple[str, list[Entity]]:
    """The entity whose children are asked for ('' for the article), and the children; for an entity set aside
    ("除了X还有哪些", "apart from X, which others"), its siblings."""
    for m in set_aside(ask, doc):
        others = [e for e in ctx.outline.of_doc(doc) if e.parent == m.entity.parent and e.path != m.entity.path]
        if len(others) >= 2:
            up = next((e for e in ctx.outline.of_doc(doc) if e.path == m.entity.parent), None)
            return (up.name if up else ""), others
    for m in ask.named:
        if m.entity.doc == doc:
            if m.entity.name == ctx.subject(doc) and len(_other_words(ask, m.entity.names)) > OWN_WORDS:
                continue  # the article's subject named beside what is asked of it ("…要了解哪些算法模型")
            kids = ctx.outline.children(m.entity)
            if len(kids) >= 2:
                return m.entity.name, kids
    top = [e for e in ctx.outline.of_doc(doc) if len(e.path) == min((len(x.path) for x in ctx.outline.of_doc(doc)), default=0)]
    place = asks_place(ask)
    if place and top and len(kids := ctx.outline.children(top[-1 if place == "at_end" else 0])) >= 2:
        # "结尾列了哪几条": the points of the article's last section (or first).
        return top[-1 if place == "at_end" else 0].name, kids
    return "", top


def set_aside(ask: Ask, doc: str) -> list[EntityMatch]:
    """The entities of an article the question sets aside to ask about the others ("除了X还有哪些")."""
    out = []
    for m in ask.named:
        if m.entity.doc != doc:
            continue
        if m.start >= 0 and excepted(ask.text, m.start, m.end):
            out.append(m)
        elif m.start < 0 and m.entity.parts:  # named in English: every word of its name in what is set aside
            if any(all(part & set(english_words(said)) for part in m.entity.parts) for said in excepted_clauses(ask.text)):
                out.append(m)
    return out


def _other_words(ask: Ask, names: tuple[str, ...]) -> list[str]:
    """The question's own words besides its cue words and these names."""
    own = set(own_words(ask))
    named = {t for n in names for t in tokenize(n)}
    return [w for w in own if w not in named and not any(w in n for n in names)]


def enumerating(ask: Ask, ctx: Context, doc: str, scored: list[Scored]) -> list[Scored]:
    """Passages that themselves name several of the article's entities (a list in one line), best scored first;
    among the few an article has, the one naming most wins where retrieval did not rank any."""
    names = {e.name for e in ctx.outline.of_doc(doc) if len(e.name) >= 2}
    score = {s.pos: s for s in scored}
    found = []
    for pos in ctx.positions(doc):
        n = sum(name in ctx.index.passages[pos].text for name in names)
        if n >= ENUMERATES:
            found.append((score[pos].score if pos in score else 0.0, n, pos))
    found.sort(key=lambda t: (-t[0], -t[1], t[2]))
    return [score.get(pos) or Scored(pos, 0.0, {"enumerates": float(n)}) for _, n, pos in found]


def detect(ask: Ask, ctx: Context, doc: str) -> float:
    """A cue of listing, with something to list: an entity's children, or the article's own sections."""
    if "listing" not in ask.cues:
        return 0.0
    name, kids = parent(ask, ctx, doc)
    if (name or set_aside(ask, doc)) and len(kids) >= 2:
        return 0.7
    scored, _ = score_passages(ask, ctx, doc)
    if scored and "facet" in scored[0].parts:
        return 0.2  # the field the question names answers it ("…要了解哪些算法模型" and 算法模型：…)
    if any(s.score > 0 for s in enumerating(ask, ctx, doc, scored)):
        return 0.65  # a retrieved passage names several entities itself
    return 0.2


def answer(ask: Ask, ctx: Context, doc: str, trace: Trace) -> Answer:
    """The children by name, the best enumerating passage first."""
    name, kids = parent(ask, ctx, doc)
    scored, _ = score_passages(ask, ctx, doc)
    # What is set aside is not what is asked: its own passages are no answer.
    aside_of = set_aside(ask, doc)
    aside = {pos for m in aside_of for pos in m.entity.positions}
    if aside:
        trace.fire("an entity set aside: the others are asked")
        scored = [s for s in scored if s.pos not in aside]
    record(trace, scored, ctx)
    listed = enumerating(ask, ctx, doc, scored)
    if listed:
        trace.fire("a passage that names the entities itself")
        return compose(ask, ctx, Evidence((Group("", "", tuple(hits_of(listed[:1] + [s for s in scored[:3] if s not in listed[:1]], ctx))),)), NAME)
    if scored and len(list_of(scored[0].pos, ctx)) >= ENUMERATES and scored[0].pos in {p for m in ask.named for p in m.entity.positions}:
        trace.fire("the list the best passage belongs to")
        return search_answer(ask, ctx, doc, trace)
    if len(kids) < 2:
        trace.fire("nothing to list: answered as a search")
        return search_answer(ask, ctx, doc, trace)
    firsts = [Hit(ctx.index.passages[k.positions[0]], 0.0) for k in kids if k.positions]
    sep = ", " if ask.lang == "en" else "、"
    label = [k.label(ask.lang) for k in kids]
    if aside:
        others = sep.join(dict.fromkeys(m.entity.label(ask.lang) for m in aside_of))
        lead = (
            f"Besides {others}, the article covers {len(kids)} more: {sep.join(label)}."
            if ask.lang == "en"
            else f"除{others}外,文章还列出{len(kids)}项:{sep.join(label)}。"
        )
    elif ask.lang == "en":
        lead = f"{'Under “' + name + '”, the' if name else 'The'} article covers {len(kids)}: {sep.join(label)}."
    else:
        lead = f"{'“' + name + '”下' if name else '文章'}共列出{len(kids)}项:{sep.join(label)}。"
    ev = Evidence((Group("", "", tuple(firsts)),))
    out = compose(ask, ctx, ev, NAME, lead=lead)
    return out if out.citations else type(out)(lead, cite([h.passage for h in firsts[:1]], ctx), False, ask.lang, NAME)
