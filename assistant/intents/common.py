"""What the any-article strategies share: their context, passage scoring by outline and retrieval, and the
answer templates (a frame in the question's language, the article's own sentences, verbatim citations)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..answerable import Verdict, asks_place
from ..corpus import Passage
from ..cuewords import CueSet, cues
from ..evidence import Evidence, Group
from ..index import IndexData
from ..lexicon import Lexicon
from ..mixed import spelled_runs
from ..numbers import clock_times
from ..outline import Entity, EntityMatch, Outline
from ..reading import Ask
from ..respond import Answer, Citation
from ..retrieve import Hit, Retriever
from ..scoring import SCORING, Scoring
from ..tokens import EN_STOP, tag, tokenize
from ..trace import Trace

_SENTENCES = re.compile(r"(?<=[。！？!?；;])")
#: The longest sentence an answer's text repeats from a passage (the citation quotes it whole).
SENTENCE_MAX = 80


#: Articles whose pinyin names and time stamps stay worked out (the ones asked about last).
SPELLED_KEPT = 64


@dataclass
class Context:
    """What a strategy may use: the index, retrieval, the outlines, the glossary and the weights."""

    index: IndexData
    retriever: Retriever
    outline: Outline
    lexicon: Lexicon
    scoring: Scoring = SCORING
    _doc_positions: dict[str, list[int]] = field(default_factory=dict)
    _subjects: dict[str, str | None] = field(default_factory=dict)
    #: Retrieval per (question, article), so detect() and answer() of several strategies search once.
    retrieved: dict[tuple[str, str], tuple[dict[int, float], list[Hit]]] = field(default_factory=dict)
    #: Every BM25 token of an article (answerability's coverage check).
    vocab: dict[str, set[str]] = field(default_factory=dict)
    #: An article's headings and passages, lower-cased (answerability's check for names it never uses).
    lowered: dict[str, str] = field(default_factory=dict)
    #: The initials of an article's English phrases (answerability: an acronym it spells out is known).
    initials: dict[str, frozenset[str]] = field(default_factory=dict)
    _rendered: dict[str, bool] = field(default_factory=dict)
    _spelled: dict[str, dict[str, frozenset[str]]] = field(default_factory=dict)
    _stamps: dict[str, dict[int, frozenset[str]]] = field(default_factory=dict)
    _contents: dict[str, dict[int, int]] = field(default_factory=dict)

    def spelled(self, doc: str) -> dict[str, frozenset[str]]:
        """The names of an article by their toneless pinyin, where the dictionary's pinyin table has none (妮妮
        "nini", 周明轩 "zhoumingxuan"): runs of two or three Chinese characters it writes at least twice that are
        no common word of the dictionary (客户 "kehu" is none) unless the tagger reads them as a person's name there. Found when asked for; kept for the last
        SPELLED_KEPT articles asked about."""
        if doc not in self._spelled:
            from ..dictionary import common_words, pinyin

            counts: dict[str, int] = {}
            for pos in self.positions(doc):
                for m in re.finditer(r"[\u4e00-\u9fff]{2,}", self.index.passages[pos].text):
                    for run in {m.group()[i : i + n] for n in (2, 3) for i in range(len(m.group()) - n + 1)}:
                        counts[run] = counts.get(run, 0) + 1
            common = common_words() - {w for pos in self.positions(doc) for w, f in tag(self.index.passages[pos].text) if f in ("nr", "nrfg", "nrt")}
            table: dict[str, set[str]] = {}
            for run, n in counts.items():
                if n >= 2 and run not in common and (py := pinyin(run)):
                    table.setdefault(py, set()).add(run)
            if len(self._spelled) >= SPELLED_KEPT:
                self._spelled.pop(next(iter(self._spelled)))
            self._spelled[doc] = {k: frozenset(v) for k, v in table.items()}
        return self._spelled[doc]

    def stamps(self, doc: str) -> dict[int, frozenset[str]]:
        """The times of day each passage of an article is stamped with (numbers.clock_times), those with any."""
        if doc not in self._stamps:
            if len(self._stamps) >= SPELLED_KEPT:
                self._stamps.pop(next(iter(self._stamps)))
            self._stamps[doc] = {pos: t for pos in self.positions(doc) if (t := clock_times(self.index.passages[pos].text))}
        return self._stamps[doc]

    def contents(self, doc: str) -> dict[int, int]:
        """An article's contents lines: list items that say the name of a heading further on ("1. 对方一直不表态"
        before a section of that title), each with the first passage of body text under it."""
        if doc not in self._contents:
            if len(self._contents) >= SPELLED_KEPT:
                self._contents.pop(next(iter(self._contents)))
            later = [(e, _opening(self, e), {_BARE.sub("", n) for n in e.names}) for e in self.outline.of_doc(doc)]
            out = {}
            for pos in self.positions(doc):
                p = self.index.passages[pos]
                said = _BARE.sub("", p.text)
                if p.kind == "item" and said:
                    led = [first for e, first, names in later if first > pos and said in names and pos not in e.positions]
                    if led:
                        out[pos] = led[0]
            self._contents[doc] = out
        return self._contents[doc]

    def rendered(self, doc: str) -> bool:
        """Whether an article has English renderings of its passages."""
        if doc not in self._rendered:
            self._rendered[doc] = any(self.index.passages[i].id in self.index.renderings for i in self.positions(doc))
        return self._rendered[doc]

    def positions(self, doc: str) -> list[int]:
        """The passages of one article, in reading order."""
        if doc not in self._doc_positions:
            self._doc_positions[doc] = [i for i, p in enumerate(self.index.passages) if p.doc == doc]
        return self._doc_positions[doc]

    def title(self, doc: str) -> str:
        """An article's title."""
        return self.outline.titles.get(doc, doc)

    def subject(self, doc: str) -> str | None:
        """The name of the one entity an article's title names, if exactly one (its subject)."""
        if doc not in self._subjects:
            title = self.title(doc)
            named = {e.name for e in self.outline.of_doc(doc) if any(len(n) >= 2 and not n.isascii() and n in title for n in e.names)}
            self._subjects[doc] = next(iter(named)) if len(named) == 1 else None
        return self._subjects[doc]


@dataclass(frozen=True)
class Scored:
    """A passage with its score and the parts it is made of (for the trace)."""

    pos: int
    score: float
    parts: dict[str, float]


def retrieval_scores(ask: Ask, ctx: Context, doc: str) -> tuple[dict[int, float], list[Hit]]:
    """Retrieval evidence in 0..1 per passage of one article: dense cosine and BM25, each scaled to 0..1 over
    the article's best candidates, mixed by the scoring config."""
    key = (ask.search_text, doc)
    if key not in ctx.retrieved:
        if len(ctx.retrieved) > 64:
            ctx.retrieved.clear()
        ctx.retrieved[key] = _retrieval_scores(ask, ctx, doc)
    return ctx.retrieved[key]


def _retrieval_scores(ask: Ask, ctx: Context, doc: str) -> tuple[dict[int, float], list[Hit]]:
    depth = ctx.scoring.depth
    docs = frozenset({doc})
    dense = ctx.retriever.dense(ask.search_text, depth, docs)
    ranking = dense
    if ask.lang == "en" and not ctx.rendered(doc) and (said := in_chinese(ask, ctx, own_sense=True)):
        # An article without English renderings is ranked for an English question said in its words too (the
        # question followed by its words' Chinese through the dictionary); the cosine judged stays the question's.
        ranking = ctx.retriever.dense(f"{ask.search_text} {said}", depth, docs)
    sparse = ctx.retriever.bm25(ask.search_text, depth, docs=docs)
    # An English question also asks the second encoder, trained on translations, which Chinese passage it means.
    cross = ctx.retriever.cross(ask.search_text, depth, docs) if ask.lang == "en" else {}
    w = ctx.scoring
    dense_w, cross_w = (w.dense_share_cross, w.cross_share) if cross else (w.dense_share, 0.0)
    dz, sz, cz = _unit(ranking), _unit(sparse), _unit(cross)
    out = {pos: dense_w * dz.get(pos, 0.0) + cross_w * cz.get(pos, 0.0) + (1 - dense_w - cross_w) * sz.get(pos, 0.0) for pos in set(dz) | set(sz) | set(cz)}
    # A passage among its neighbours: the line that answers in their words ("效果：…" after the steps it sums up).
    # Windows that all score alike (an article of two passages, each window the whole of it) tell none apart.
    near = ctx.retriever.window(ask.search_text, depth, docs)
    if window := _unit(near) if len(set(near.values())) > 1 else {}:
        out = {pos: (1 - w.window_share) * out.get(pos, 0.0) + w.window_share * window.get(pos, 0.0) for pos in set(out) | set(window)}
    ranked = sorted(out.items(), key=lambda kv: (-kv[1], kv[0]))[:depth]
    hits = [Hit(ctx.index.passages[pos], s, dense.get(pos, 0.0), sparse.get(pos, 0.0), cross.get(pos)) for pos, s in ranked]
    return dict(ranked), hits


#: Chinese words said per English word of a question (the dictionary's most specific first).
SAID_SENSES = 2


def in_chinese(ask: Ask, ctx: Context, own_sense: bool = False) -> str:
    """An English question's words in Chinese, word by word through the dictionary's bridge into the corpus's
    words, once each (own_sense: see Bilingual.to_zh)."""
    text = ctx.lexicon.expand(ask.search_text) if ctx.lexicon is not None else ask.search_text
    bridge = ctx.index.bilingual
    said = [zh for t in tokenize(text) if t.isascii() for zh in bridge.to_zh(t, own_sense)[:SAID_SENSES]]
    return " ".join(dict.fromkeys(said + bridge.lettered(ask.search_text, SAID_SENSES)))


def _unit(scores: dict[int, float]) -> dict[int, float]:
    """Scores scaled to 0..1 (best 1, worst of the candidates 0)."""
    if not scores:
        return {}
    hi, lo = max(scores.values()), min(scores.values())
    return {k: (v - lo) / (hi - lo) if hi > lo else 1.0 for k, v in scores.items()}


def own_words(ask: Ask) -> list[str]:
    """The question's words outside its cue words."""
    masked = list(ask.text)
    for cue in cues().values():
        for a, b in cue.spans(ask.text):
            masked[a:b] = " " * (b - a)
    return [t for t in tokenize("".join(masked)) if len(t) > 1]


def rare_words(ask: Ask, ctx: Context, doc: str) -> list[str]:
    """The question's own words that few of an article's passages use (直播 in a few; 最后 or 具体 everywhere):
    such a word names a place in the article."""
    return list(rare_counts(ask, ctx, doc))


def rare_counts(ask: Ask, ctx: Context, doc: str) -> dict[str, int]:
    """The rare words (rare_words), each with how many of the article's passages use it."""
    texts = [ctx.index.passages[i].text.lower() for i in ctx.positions(doc)]
    limit = max(1, len(texts) * ctx.scoring.naming_share)
    counts = {w: sum(w in t for t in texts) for w in dict.fromkeys(w.lower() for w in own_words(ask))}
    return {w: n for w, n in counts.items() if 0 < n <= limit}


def telling_apart(ask: Ask, ctx: Context, doc: str, named: list[EntityMatch]) -> list[EntityMatch]:
    """Of several sections that answer to one name (three headed 案例), the ones holding the question's rarest
    word in the article ("母婴电商那个案例": 母婴) are meant; where none holds it, the name points at none of them."""
    by_name: dict[str, list[EntityMatch]] = {}
    for m in named:
        by_name.setdefault(m.entity.name, []).append(m)
    if all(len({m.entity.path for m in ms}) < 2 for ms in by_name.values()):
        return named
    texts = {i: ctx.index.passages[i].text.lower() for i in ctx.positions(doc)}
    counts = rare_counts(ask, ctx, doc)
    rarest = [w for w, n in counts.items() if n == min(counts.values())] if counts else []
    out = []
    for ms in by_name.values():
        if len({m.entity.path for m in ms}) < 2 or not rarest:
            out += ms
        else:
            out += [m for m in ms if any(w in texts.get(i, "") for i in m.entity.positions for w in rarest)]
    return out


def score_passages(ask: Ask, ctx: Context, doc: str, within: set[int] | None = None) -> tuple[list[Scored], list[Hit]]:
    """Score the passages of an article: retrieval, plus being under a named entity, opening with its name, and
    carrying a named field label. Best first."""
    w = ctx.scoring
    retrieval, hits = retrieval_scores(ask, ctx, doc)
    # The one entity the title names ("数据产品经理" in "数据产品经理技能树…") is what the whole article is about: naming
    # it points at no one section. (Two named there, "产品经理和产品运营的区别", are the article's two subjects.)
    subject = ctx.subject(doc)
    named = [m for m in supported([m for m in ask.entities if m.entity.doc == doc], retrieval) if m.entity.name != subject]
    named = telling_apart(ask, ctx, doc, named)
    carried = [m for m in ask.carried if m.entity.doc == doc]
    pool = set(retrieval)
    for m in named + carried:
        pool |= set(m.entity.positions)
    order = ctx.positions(doc)
    where = opening(ctx, doc) if "at_start" in ask.cues else ending(ctx, doc) if ask.cues & {"at_end", "summing"} else set()
    pool |= where
    # A topic the question asks (a city, interviews) is where the answer is: the passages that speak of it
    # join the candidates when they are few, and score for it.
    speaks = {pos for pos in order if any(t.supported_by(ctx.index.passages[pos].text) for t in ask.topics)} if ask.topics else set()
    if len(speaks) <= w.topic_pool:
        pool |= speaks
    partners = _partners(ask, ctx, doc, named)
    pool |= partners
    # A time of day the question names ("what happens around 3pm") is where a schedule's line stands ("15:00：…").
    times = clock_times(ask.text)
    stamped = {pos for pos, t in ctx.stamps(doc).items() if times & t} if times else set()
    if len(stamped) <= w.topic_pool:
        pool |= stamped
    about = _about_people(ask, ctx, doc)
    pool |= set(about)
    if within is not None:
        pool = set(within)  # the place asked: all of it is a candidate, and scores for being there
        where = where | pool
    # Asked what an entity is (cue data `identity`, no facet), the body text that opens its section says so.
    section_opens = {_opening(ctx, m.entity) for m in named if m.strength >= 0.9} - {-1} if "identity" in ask.cues and not ask.facets else set()
    out = []
    for pos in pool:
        p = ctx.index.passages[pos]
        parts = {"retrieval": round(w.retrieval * retrieval.get(pos, 0.0), 3)}
        ent = max((m.strength for m in named if pos in m.entity.positions), default=0.0)
        if ent:
            parts["entity"] = round(w.entity * ent, 3)
            if any(p.text.startswith(n) for m in named for n in m.entity.names):
                parts["lead"] = w.entity_lead
            elif pos in section_opens:
                parts["lead"] = w.entity_opening
        elif any(pos in m.entity.positions for m in carried):
            parts["carried"] = w.carried
        if ask.facets and any(f == p.label or f in p.heading for f in ask.facets):
            parts["facet"] = w.facet
        if pos in speaks:
            parts["topic"] = w.topic
        if pos in partners:
            parts["relation"] = w.relation
        if pos in stamped:
            parts["time"] = w.time
        if pos in about:
            parts["person"] = about[pos]
        if where and pos in where:
            parts["position"] = w.position  # the question points at the article's opening or its ending
        out.append(Scored(pos, round(sum(parts.values()), 3), parts))
    out.sort(key=lambda s: (-s.score, s.pos))
    return out, hits


#: A passage naming this many other people beside the one asked about is a roll of names, not about them.
ROLL = 3


def _about_people(ask: Ask, ctx: Context, doc: str) -> dict[int, float]:
    """The passages about someone the question names (a person in a story, 周明轩, or "Zhou Mingxuan"): those naming
    them (a roll of several people, "老周、阿杰、小林都是化名", less), and the next few in the same section
    that go on about them ("他的打算是…") without naming anyone else. Each with its score part (scoring person /
    person_after)."""
    from ..answerable import names_given

    w = ctx.scoring
    order = ctx.positions(doc)
    texts = [ctx.index.passages[i].text for i in order]
    people = _people_named(ask.text, texts) | {zh for names in spelled_names(ask.text, ctx, doc).values() for zh in names}
    if not people:
        return {}
    out: dict[int, float] = {}
    for k, pos in enumerate(order):
        if any(n in texts[k] for n in people):
            out[pos] = w.person if len(names_given(texts[k], kind="person") - people) < ROLL else w.person_after
            continue
        p = ctx.index.passages[pos]
        before = [j for j in range(max(0, k - w.person_reach), k) if ctx.index.passages[order[j]].heading == p.heading]
        if any(any(n in texts[j] for n in people) for j in before) and not names_given(texts[k], kind="person") - people:
            out[pos] = w.person_after
    return out


def _people_named(text: str, texts: list[str]) -> set[str]:
    """The Chinese names of people a question gives that the article's passages use: where the tagger reads a
    name, or a surname it cannot read on from (a rare character after it is tagged alone), the longest of two to three
    characters from there the article writes."""
    from ..answerable import _PERSON

    out: set[str] = set()
    at = 0
    for word, flag in tag(text):
        start, at = at, at + len(word)
        if flag not in _PERSON or not re.fullmatch(r"[\u4e00-\u9fff]+", word):
            continue
        for size in (3, 2) if len(word) == 1 else (len(word),):  # a surname alone reads on; a whole name stays
            name = text[start : start + size]
            if len(name) >= 2 and re.fullmatch(r"[\u4e00-\u9fff]+", name) and any(name in t for t in texts):
                out.add(name)
                break
    return out


#: A name typed in small letters ("nini", "zhou mingxuan") is read as pinyin from this many letters (one word).
LOWER_NAME = 4
#: ... and, where it is no name the article repeats, only a word the article writes in this many passages at most
#: (a person of a story, not 运营 typed as "yunying").
LOWER_NAME_RARE = 5


def _texts(ctx: Context, doc: str) -> list[str]:
    """The texts of an article's passages, in reading order."""
    return [ctx.index.passages[i].text for i in ctx.positions(doc)]


def spelled_names(text: str, ctx: Context, doc: str) -> dict[str, frozenset[str]]:
    """Capitalised words of a question that spell in pinyin a run of two or three Chinese characters the article
    writes ("Zhou Mingxuan": 周明轩, "Nini": 妮妮), each lower-cased with what it spells. A single word must be no
    English word. Typed in small letters ("nini", "zhou mingxuan"), a name needs a word that is no English word
    and no stop word among its words, and one word alone LOWER_NAME letters."""
    from ..lexicon import _english_word

    out: dict[str, frozenset[str]] = {}
    texts: list[str] = []

    def spell(words: list[str]) -> frozenset[str] | None:
        if any(w in EN_STOP for w in words) or all(_english_word(w) for w in words) or (len(words) == 1 and len(words[0]) < LOWER_NAME):
            return None
        joined = "".join(words)
        # The article's names, or (typed so, no English) a word of it the pinyin table spells that few of its
        # passages write (a name the dictionary also knows as a word).
        if joined in ctx.spelled(doc):
            return ctx.spelled(doc)[joined]
        texts[:] = texts or _texts(ctx, doc)
        return frozenset(w for w in ctx.index.bilingual.pinyin.get(joined, ()) if 0 < sum(w in t for t in texts) <= LOWER_NAME_RARE) or None

    small = list(re.finditer(r"(?<![A-Za-z'’])[a-z]+(?![A-Za-z'’])", text))
    for _, _, words, found in spelled_runs(text, small, (3, 2, 1), spell, joins=(" ",)):
        out.update(dict.fromkeys(words, found))
    for m in re.finditer(r"\b[A-Z][a-z]+(?:\s[A-Z][a-z]+){0,2}\b", text):
        words = m.group().split()
        start = 0
        while start < len(words):
            for size in range(len(words) - start, 0, -1):
                spelled = "".join(words[start : start + size]).lower()
                if size == 1 and (len(spelled) < 3 or _english_word(spelled)):
                    continue
                if found := ctx.spelled(doc).get(spelled):
                    out.update({w.lower(): found for w in words[start : start + size]})
                    start += size - 1
                    break
            start += 1
    return out


#: What a contents line and a heading may differ in: punctuation, spaces, numbering marks.
_BARE = re.compile(r"[\s\W_]+")


def contents_lead(ask: Ask, ctx: Context, doc: str, scored: list[Scored], trace: Trace) -> list[Scored]:
    """A contents line found leads to its section: the first passage under the heading it names takes its score
    (where higher), and the line itself gives way; unless a list is asked for (the contents are the list)."""
    lines = ctx.contents(doc)
    if "listing" in ask.cues or asks_place(ask) or not any(s.pos in lines for s in scored[:3]):
        return scored
    by_pos = {s.pos: s for s in scored}
    for s in scored:
        if s.pos in lines:
            target = by_pos.get(lines[s.pos])
            if target is None or target.score < s.score:
                by_pos[lines[s.pos]] = Scored(lines[s.pos], s.score, {**(target.parts if target else {}), "contents": s.score})
            del by_pos[s.pos]
    trace.fire("structure: a contents line leads to the section it names")
    return sorted(by_pos.values(), key=lambda s: (-s.score, s.pos))


def _opening(ctx: Context, e: Entity) -> int:
    """The first passage of body text directly under an entity's heading (-1 when it has none)."""
    for pos in e.positions:
        p = ctx.index.passages[pos]
        if p.kind != "heading" and (p.heading[:-1] if p.kind == "field" else p.heading) == e.path:
            return pos
    return -1


def opening(ctx: Context, doc: str) -> set[int]:
    """The article's opening: its first passages of body text (the title and headings before them aside), as
    far as the next heading, at most position_span of them."""
    w = ctx.scoring
    out: list[int] = []
    for i in ctx.positions(doc):
        p = ctx.index.passages[i]
        if out and (p.kind == "heading" or p.heading[:1] != ctx.index.passages[out[0]].heading[:1]) or len(out) >= w.position_span:
            break
        if p.kind != "heading" and len(p.text) >= w.position_body:
            out.append(i)
    return set(out or ctx.positions(doc)[: w.position_span])


def for_readers(ctx: Context, doc: str) -> set[int]:
    """Where an article speaks to its readers (whom it is for, how it helps them): the passages of its opening
    and ending that address them (cue data `reader_address`: 适用于, 帮你, 希望), else its opening and ending."""
    near = opening(ctx, doc) | ending(ctx, doc)
    address = cues()["reader_address"]
    return {i for i in near if address.fires(ctx.index.passages[i].text)} or near


def ending(ctx: Context, doc: str) -> set[int]:
    """The article's ending: its last passages of body text (a source line or a short tag after them aside) and
    the rest of the section they close, at most position_reach of them."""
    w = ctx.scoring
    body = [i for i in ctx.positions(doc) if ctx.index.passages[i].kind != "heading" and len(ctx.index.passages[i].text) >= w.position_body]
    if not body:
        return set(ctx.positions(doc)[-w.position_span :])
    last = ctx.index.passages[body[-1]].heading[:1]
    out = []
    for i in reversed(body):
        if ctx.index.passages[i].heading[:1] != last or len(out) >= w.position_reach:
            break
        out.append(i)
    return set(out) | set(body[-w.position_span :])


def _partners(ask: Ask, ctx: Context, doc: str, named: list[EntityMatch]) -> set[int]:
    """Asked whom one entity works with (cue data `relation`): the passages in words of working together that
    stand under it or name it beside a sibling entity (one under the same heading), wherever they stand."""
    if "relation" not in ask.cues or len({m.entity.name for m in named}) != 1:
        return set()
    one = named[0].entity
    siblings = [e for e in ctx.outline.entities if e.doc == doc and e.parent == one.parent and e.path != one.path]
    relation = cues()["relation"]
    out = set()
    for pos in ctx.positions(doc):
        text = ctx.index.passages[pos].text
        together = pos in one.positions or (any(n in text for n in one.names if len(n) > 1) and any(n in text for e in siblings for n in e.names if len(n) > 1))
        if together and relation.fires(text) and ctx.index.passages[pos].kind != "heading":
            out.add(pos)
    return out


def supported(matches: list[EntityMatch], retrieval: dict[int, float]) -> list[EntityMatch]:
    """Entity matches weighed by how well retrieval supports them: a name written in the question stands as
    it is; an English name pieced together from dictionary senses counts as much as the best retrieval
    evidence among the entity's passages (so an English name pieced from senses prefers 解决方案架构师 to 设计师, whose
    senses include "architect")."""
    out = []
    for m in matches:
        if m.how in ("name", "glossary", "pinyin"):
            out.append(m)
            continue
        support = max((retrieval.get(pos, 0.0) for pos in m.entity.positions), default=0.0)
        out.append(replace(m, strength=round(m.strength * support, 3)))
    return sorted(out, key=lambda m: -m.strength)


def best_sentence(p: Passage, ask: Ask, bridged: set[str]) -> str:
    """The passage's sentence that shares most with the question (its first on a tie), at most SENTENCE_MAX long."""
    sentences = [s.strip() for s in _SENTENCES.split(p.text) if s.strip()] or [p.text]
    want = set(tokenize(ask.search_text)) | bridged
    best = max(sentences, key=lambda s: (len(want & set(tokenize(s))), -sentences.index(s)))
    return best if len(best) <= SENTENCE_MAX else best[: SENTENCE_MAX - 1] + "…"


def bridged_words(ask: Ask, ctx: Context) -> set[str]:
    """Chinese words the question's English words stand for."""
    return {zh for t in tokenize(ask.text) if t.isascii() for zh in ctx.index.bilingual.to_zh(t)}


#: Headings longer than this (CJK characters) are not glossed word by word: the gloss would not read as English.
GLOSS_MAX = 6


#: Part-of-speech tags of the words of a name that reads as English glossed word by word: nouns and adjectives
#: (a field label such as 核心技能), not a person's name (nr) or a clause with verbs (厌倦了当小编).
GLOSS_TAGS = ("n", "a", "j", "vn")


def glossable(name: str) -> bool:
    """Whether a short name is a noun phrase a word-by-word gloss can say."""
    words = [t for t in tag(name) if t[0].strip()]
    return len(name) <= GLOSS_MAX and bool(words) and all(f != "nr" and f.startswith(GLOSS_TAGS) for _, f in words)


def heading_name(p: Passage, ctx: Context, lang: str) -> str:
    """Where a passage stands, for a frame: its heading path below the title. English answers add the English
    name of a heading the glossary knows, or a dictionary gloss of a short one (a field label such as 核心技能)."""
    path = [h for h in p.heading if h != p.title] or [p.heading[-1] if p.heading else ""]
    inner = " > ".join(path[-2:])
    if lang != "en" or not path:
        return inner
    rendering = ctx.index.renderings.get(p.id)
    rendered = rendering.heading.split(" > ") if rendering is not None and rendering.heading else []
    if len(rendered) == len(p.heading):
        # The article's English rendering names its headings as a person translated them.
        english = " > ".join(en for h, en in zip(p.heading, rendered, strict=True) if h in path[-2:])
        return f"{english} ({inner})"
    names = []
    for h in path[-2:]:
        e = next((e for e in ctx.outline.entities if e.doc == p.doc and e.title == h), None)
        if e is not None and e.english != ctx.index.bilingual.gloss(e.names[0]):
            if e.english and any(ch.isascii() for ch in e.english) and len(e.name) <= GLOSS_MAX * 2:
                names.append(e.english)  # written in the heading or known to the glossary
        elif e is not None and e.english and glossable(e.name):
            names.append(e.english)  # a word-by-word gloss, of a short noun phrase only
        elif glossable(h) and (g := ctx.index.bilingual.gloss(h)):
            names.append(g)
    english = " > ".join(n for n in names if n)
    return f"{english} ({inner})" if english else inner


def cite(hits: list[Passage], ctx: Context) -> list[Citation]:
    """Numbered citations, with the article's title."""
    out = []
    for i, p in enumerate(hits, start=1):
        r = ctx.index.renderings.get(p.id)
        out.append(Citation(i, p.id, p.heading_path, p.text, r.heading if r else "", r.text if r else "", ctx.title(p.doc)))
    return out


def shown_size(text: str, passages: list[Passage]) -> int:
    """Characters of the shown answer (text plus numbered quotes)."""
    return len(text) + sum(len(p.text) + 5 for p in passages)


NO_RENDERING = "The article has no English rendering, so its words are quoted in Chinese."


def compose(ask: Ask, ctx: Context, ev: Evidence, intent: str, lead: str = "", focus: CueSet | None = None) -> Answer:
    """The answer for groups of passages: a frame naming article and section, each passage's best sentence
    with its citation number, the citations quoting the passages whole; frame included, within the budget.
    focus: cues of the sentence wanted (a passage's sentence where they occur is the one shown)."""
    lang = ask.lang
    bridged = bridged_words(ask, ctx)
    cited: list[Passage] = []
    lines: list[str] = [lead] if lead else []
    for group in ev.groups:
        title = group.title_en if lang == "en" else group.title_zh
        if title:
            lines.append(f"**{title}**")
        for h in group.hits:
            p = h.passage
            if p in cited:
                continue
            line = f"- {_sentence(p, ask, ctx, bridged, focus)}[{len(cited) + 1}]"
            if cited and shown_size("\n".join([_frame(ask, ctx, [*cited, p]), *lines, line]), [*cited, p]) > ctx.scoring.budget:
                continue
            lines.append(line)
            cited.append(p)
    if not cited:  # nothing to quote: a decline that says so, never an empty answer
        return decline_answer(ask, ctx, Verdict(False, "no passage to quote"), [], intent)
    return Answer("\n".join([_frame(ask, ctx, cited), *lines]), cite(cited, ctx), False, lang, intent)


def _frame(ask: Ask, ctx: Context, cited: list[Passage]) -> str:
    """The opening line: which article(s) and section; for English, the note when an article has no rendering."""
    docs = list(dict.fromkeys(p.doc for p in cited))
    where = heading_name(cited[0], ctx, ask.lang)
    if ask.lang == "zh":
        return "、".join(f"《{ctx.title(d)}》" for d in docs) + f"“{where}”中写道:"
    plain = [d for d in docs if not any(ctx.index.renderings.get(p.id) for p in cited if p.doc == d)]
    return f"From {', '.join(f'“{ctx.title(d)}”' for d in docs)}, section “{where}”." + (f" {NO_RENDERING}" if plain else "")


def _window(sentence: str, focus: CueSet) -> str:
    """A long sentence cut to the part around where a focus cue occurs."""
    limit = 2 * SENTENCE_MAX
    if len(sentence) <= limit:
        return sentence
    at = min((a for a, _ in focus.spans(sentence)), default=0)
    start = max(0, min(at - limit // 3, len(sentence) - limit))
    if start and sentence[start - 1].isalpha():
        start = sentence.find(" ", start) + 1 or start  # at a word's start
    cut = sentence[start : start + limit]
    return ("…" if start else "") + cut + ("…" if start + limit < len(sentence) else "")


def _sentence(p: Passage, ask: Ask, ctx: Context, bridged: set[str], focus: CueSet | None = None) -> str:
    r = ctx.index.renderings.get(p.id)
    text = r.text if ask.lang == "en" and r and r.text else p.text
    if focus is not None:
        hit = next((s.strip() for s in _SENTENCES.split(text) if focus.fires(s)), "")
        if hit:
            return _window(hit, focus)
    if text is not p.text:
        return text if len(text) <= 2 * SENTENCE_MAX else text[: 2 * SENTENCE_MAX - 1] + "…"
    return best_sentence(p, ask, bridged)


def hits_of(scored: list[Scored], ctx: Context) -> list[Hit]:
    """Scored passages as Hits."""
    return [Hit(ctx.index.passages[s.pos], s.score) for s in scored]


def top_group(scored: list[Scored], ctx: Context, title: tuple[str, str] = ("", ""), limit: int = 3) -> Group:
    """The best passage and those that score close to it, as one group."""
    if not scored:
        return Group(title[0], title[1], ())
    best = scored[0].score or 1.0
    keep = [s for s in scored[:limit] if s.score >= ctx.scoring.keep_ratio * best]
    return Group(title[0], title[1], tuple(hits_of(keep, ctx)))


def record(trace: Trace, scored: list[Scored], ctx: Context) -> None:
    """Put the best candidates' score parts in the trace."""
    trace.candidates = [{"id": ctx.index.passages[s.pos].id, "score": s.score, **s.parts} for s in scored[:8]]


def decline_answer(ask: Ask, ctx: Context, verdict: Verdict, nearest: list[Passage], intent: str) -> Answer:
    """A decline that says what is missing and offers what the article does say nearby (not as an answer)."""
    lang = ask.lang
    if verdict.unnamed:
        head = f"The article does not name it: it says only “{verdict.unnamed}”." if lang == "en" else f"文章没有点名,原文只说“{verdict.unnamed}”。"
    elif verdict.unnamed is not None:
        asked = verdict.missing[0] if verdict.missing else ""
        head = f"The article gives no name for that (“{asked}”)." if lang == "en" else f"文章没有给出名字(问的是“{asked}”)。"
    elif verdict.unfigured and verdict.missing:
        head = f"The article gives no figure for “{verdict.missing[0]}”." if lang == "en" else f"文章没有给出“{verdict.missing[0]}”的具体数字。"
    elif verdict.missing:
        named = ", ".join(f"“{m}”" for m in verdict.missing) if lang == "en" else "、".join(f"“{m}”" for m in verdict.missing)
        head = f"The articles here don't cover {named}." if lang == "en" else f"这里的文章没有涉及{named}。"
    else:
        head = "The articles here don't cover that." if lang == "en" else "这里的文章没有涉及这个问题。"
    tail = " I answer only from the articles, so I won't guess." if lang == "en" else "我只根据文章回答,不做猜测。"
    lines = [head + tail]
    near = cite(nearest[:3], ctx)
    if near and verdict.offer:
        lines += ["", "What the article does say nearby (not an answer):" if lang == "en" else "文章中相关的内容(并非答案):"]
        # Where the nearby passages stand, in the question's language, each place once.
        lines += [f"- {where}" for where in dict.fromkeys(heading_name(p, ctx, lang) for p in nearest[:3])]
    return Answer("\n".join(lines), [], True, lang, intent, nearest=near)
