"""Choose the passages that answer a Query: glossary structure plus retrieval scores -> Group[].

Every passage gets one score: retrieval evidence (fused dense + BM25, scaled
to 0..1) plus bonuses when it sits in the asked role's section, carries the
asked facet's label, or mentions the asked term or company. The best passage
is then widened by the article's own structure: the siblings of a list, the
items a lead-in line introduces, the heading and goal of a role.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .corpus import META_LABELS, Passage
from .cues import ROLE_WORDS, WHICH_SIDE
from .cuewords import cues
from .index import IndexData
from .lexicon import Lexicon
from .retrieve import Hit, Retriever
from .tokens import tokenize
from .understand import Query

W_RETRIEVAL, W_SECTION, W_MENTION, W_SUBJECT, W_FACET, W_CONSTRAINT, W_DEFINES = 2.0, 3.0, 2.0, 1.0, 2.0, 2.5, 1.0
W_LATER_TERM = 0.6
#: A passage that uses the very word the asker used for a term, over one using another form of it.
W_TYPED = 0.5
#: Chinese job titles ("新媒体运营", "投放专员"), as opposed to descriptions ("做投放的").
_TITLE = re.compile(r"[\u4e00-\u9fffA-Za-z](运营|经理|专员|编辑|师|岗)$")
_NUMBERING = re.compile(r"^(\d+[.．、]|[一二三四五六七八九十]+、)\s*")

#: Refusal thresholds for questions that name nothing from the glossary; chosen on eval/dev.jsonl
#: (docs/calibration.md, made by benchmarks/calibrate.py): share of question tokens the corpus knows, and top dense cosine.
MIN_COVERAGE = 0.4
#: At most this many candidates from any one structural source (see Selector.candidates).
MAX_PER_SOURCE = 400
MIN_DENSE = 0.6
#: A list item that leads retrieval (0..1) by this much over its siblings answers for the whole list.
KID_MIN, KID_MARGIN = 0.8, 0.2
#: A described role is the owner of one of this many best passages for the description.
DESCRIBED_DEPTH = 3
#: The asker's own words count for less than a stated strength: they also say where they come from ("做销售").
OWN_WORDS_WEIGHT = 0.5
#: "Which role does X?": a kind of operations' own passage naming X is looked for among this many best passages.
KIND_WITHIN = 6
#: At most this many terms are explained in one answer.
MAX_TERMS = 5
#: Characters the passages of a comparison or a list of duties may take (answers stay under 1,000).
ANSWER_BUDGET = 900


@dataclass(frozen=True)
class Group:
    """Passages that answer one part of a question (one role of a comparison, say)."""

    title_en: str
    title_zh: str
    hits: tuple[Hit, ...]
    role: str | None = None  # the glossary role this part is about, when it is about one


#: Facets only a role's own section can give; asked of a role the article only names, they are declined.
PASSING_FACETS = frozenset({"goal", "work", "metrics", "case"})
#: What follows a name that is only listed ("商品运营、直播运营,…等"), not the subject of what it does.
_LISTED = re.compile(r"[、,，;；。.!！?？)）”\s]|等|和|与|及|或")


@dataclass(frozen=True)
class Evidence:
    """What the responder gets: groups of passages, or the reason to decline with the nearest ones."""

    groups: tuple[Group, ...]
    decline: str | None = None  # why the corpus does not cover the question
    missing: tuple[str, ...] = ()  # what the question names that the corpus never mentions
    partial: str | None = None  # what part of the question is not covered
    nearest: tuple[Hit, ...] = ()
    extra: tuple[Hit, ...] = ()  # related passages cited after the main ones
    lead: tuple[Hit, ...] = ()  # a passage that answers the whole question at once (a comparison in one sentence)
    alias: str = ""  # the asker's name for the role, a Chinese job title the articles never use ("新媒体运营")
    notes: tuple[str, ...] = ()  # structure rules that shaped the evidence, for the explain trace


def in_role_section(p: Passage, forms: tuple[str, ...]) -> bool:
    """Whether a passage sits under a heading that names the role (e.g. '5.流量运营')."""
    return any(_NUMBERING.sub("", h) in forms for h in p.heading[1:] or p.heading)


def facet_matches(p: Passage, facet: str | None, labels: dict[str, str]) -> bool:
    """Whether a passage carries the asked facet's label (labels: facet id -> field label, from the glossary)."""
    if facet == "overview":
        return p.kind == "heading" or p.label == labels.get("goal")
    label = labels.get(facet or "")
    return bool(label) and label in p.label


@dataclass(frozen=True)
class Mentions:
    """Which glossary entries a passage names: in its text, in its label, or in its English rendering."""

    text: frozenset[tuple[str, str]]
    label: frozenset[tuple[str, str]]
    rendering: frozenset[tuple[str, str]]
    context: frozenset[tuple[str, str]] = frozenset()  # named by the lead-in of the list the passage is an item of

    def any(self, key: tuple[str, str]) -> bool:
        """Named anywhere."""
        return key in self.text or key in self.label or key in self.rendering or key in self.context


def mentions(p: Passage, rendering: str, lexicon: Lexicon, lead_in: str = "") -> Mentions:
    """Index once what a passage names, so scoring a question is set lookups."""

    def zh_in(s: str) -> frozenset[tuple[str, str]]:
        low = s.lower()
        return frozenset((e.kind, e.id) for e in lexicon.entries if any(f.lower() in low for f in e.zh))

    found = frozenset((m.kind, m.id) for m in lexicon.find(rendering)) if rendering else frozenset()
    return Mentions(zh_in(p.text), zh_in(p.label), found, zh_in(lead_in) if lead_in else frozenset())


def _own_label_asked(p: Passage, asked: set[str]) -> bool:
    """Whether every word of a labelled line's own label ("推动迭代:…") is in the question (two words at least)."""
    head, sep, _ = p.text.partition(":")
    if not sep or len(head) > 8 or p.kind != "item":
        return False
    words = tokenize(head)
    return len(words) >= 2 and all(w in asked for w in words)


def _leads_with(p: Passage, forms: tuple[str, ...]) -> bool:
    """Whether a passage is about the entry: it opens with it ("内容运营制作…", "留存:…")."""
    body = _NUMBERING.sub("", p.text)
    return any(body.startswith(f) for f in forms)


def _defines(p: Passage, forms: tuple[str, ...]) -> bool:
    """Whether a passage defines the entry: opens with it, or spells an acronym out ("单个用户获取成本(CPI)")."""
    return _leads_with(p, forms) or any(f"({f})" in p.text or f"（{f}）" in p.text for f in forms if f.isascii())


def _asks_method(q: Query) -> bool:
    """Whether the question asks how to do the term it names, in the clause that names it ("how do I set up an A/B
    test"), not in a side clause ("deciding how to price them, which 618 role…") nor after asking who."""
    method, who = cues()["method"], cues()["asks_who"]
    # "who decides how to price it" asks who, not how (cue data asks_who, before the how).
    clauses = [c for c in _CLAUSE.split(q.text) if (at := method.spans(c)) and not any(a < min(at)[0] for a, _ in who.spans(c))]
    return any(w.lower() in c.lower() for c in clauses for w in q.term_words or q.terms)


_CLAUSE = re.compile(r"[,，;；?？!！。]")


#: A role's work answered in fewer lines than this closes with the role's heading line.
WORK_WITH_HEADING = 3
#: A role's case is cited with the examples its other lines give, up to this many passages in all.
CASE_WITH_EXAMPLES = 3
#: An example outside those shown in the article's order joins them when retrieval puts it this far (0..1) above
#: every one of them.
EXAMPLE_LEAD = 0.2


class Selector:
    """Scores passages for a Query and shapes the winners into Groups."""

    def __init__(self, index: IndexData, lexicon: Lexicon, retriever: Retriever) -> None:
        self.index = index
        self.lexicon = lexicon
        self.retriever = retriever
        # Structural indexes, built once in O(passages) so a question touches only its candidates.
        self.by_section: dict[str, list[int]] = {}
        self.by_heading: dict[tuple[str, ...], list[int]] = {}
        self.by_label: dict[str, list[int]] = {}
        self.by_parent: dict[str, list[int]] = {}
        for pos, p in enumerate(index.passages):
            for h in set(p.heading[1:] or p.heading):
                self.by_section.setdefault(_NUMBERING.sub("", h), []).append(pos)
            self.by_heading.setdefault(p.heading, []).append(pos)
            self.by_label.setdefault(p.label, []).append(pos)
            if p.kind == "item":
                self.by_parent.setdefault(p.id.rsplit(".", 1)[0], []).append(pos)
        self._mentions: dict[int, Mentions] = {}
        self._containing: dict[tuple[str, str], set[int]] = {}
        self.labels = {e.id: str(e.extra["label"]) for e in lexicon.of_kind("facets") if e.extra.get("label")}

    def mentions_of(self, pos: int) -> Mentions:
        """What a passage names (computed on first use, then cached)."""
        if pos not in self._mentions:
            p = self.index.passages[pos]
            r = self.index.renderings.get(p.id)
            lead_in = self.lead_in(p)
            self._mentions[pos] = mentions(p, r.text if r else "", self.lexicon, lead_in.text if lead_in else "")
        return self._mentions[pos]

    def containing(self, kind: str, eid: str) -> set[int]:
        """Passages whose BM25 tokens include every token of one of the entry's forms (a superset of true mentions)."""
        key = (kind, eid)
        if key not in self._containing:
            self._containing[key] = self._containing_uncached(kind, eid)
        return self._containing[key]

    def _containing_uncached(self, kind: str, eid: str) -> set[int]:
        entry = self.lexicon.get(kind, eid)
        return set().union(*(self._with_tokens(form) for form in (*entry.zh, *entry.en[:3])))

    def _with_tokens(self, text: str) -> set[int]:
        """Passages whose BM25 tokens include every token of text (none when it has no tokens)."""
        toks = tokenize(text)
        if not toks:
            return set()
        docs = {d for d, _ in self.index.bm25.postings.get(toks[0], [])}
        for t in toks[1:]:
            docs &= {d for d, _ in self.index.bm25.postings.get(t, [])}
        return docs

    def section_positions(self, rid: str) -> list[int]:
        """Positions of the passages under the heading that names a role."""
        return sorted({pos for f in self.lexicon.zh_forms("roles", rid) for pos in self.by_section.get(f, [])})

    def candidates(self, q: Query, roles: tuple[str, ...], retrieval: dict[int, float]) -> set[int]:
        """The passages worth scoring: retrieved, in the role's section, naming an entity, or carrying the facet.

        In a large corpus a common entity ("运营") names most passages; such a set is cut to the ones that
        BM25 ranks highest for the question, so a question scores hundreds of passages, not the corpus.
        """
        pool: set[int] | None = None

        def bounded(found: set[int] | list[int]) -> set[int]:
            nonlocal pool
            if len(found) <= MAX_PER_SOURCE:
                return set(found)
            if pool is None:
                pool = set(self.retriever.bm25(q.text, MAX_PER_SOURCE))
            return (set(found) & pool) | set(sorted(found)[: MAX_PER_SOURCE // 4])

        cands = set(retrieval)
        for rid in roles:
            cands |= bounded(self.section_positions(rid))
            cands |= bounded(self.containing("roles", rid))
        for kind, ids in (("terms", q.terms), ("companies", q.companies)):
            for eid in ids:
                cands |= bounded(self.containing(kind, eid))
                cands |= bounded([pos for f in self.lexicon.zh_forms(kind, eid) for label, ps in self.by_label.items() if f in label for pos in ps])
        for n in q.numbers:
            cands |= bounded(self.quoting(n))
        if lab := self.labels.get(q.facet or ""):
            cands |= bounded([pos for label, ps in self.by_label.items() if lab in label for pos in ps])
        return cands

    def quoting(self, number: str) -> set[int]:
        """Passages whose text contains a number as the articles write it ("500%")."""
        return {d for d in self._with_tokens(number) if number in self.index.passages[d].text}

    def in_corpus(self, phrase: str) -> bool:
        """Whether some passage (or its English rendering) contains the phrase."""
        if not tokenize(phrase):
            return True
        low = phrase.lower()
        for d in self._with_tokens(phrase):
            p = self.index.passages[d]
            r = self.index.renderings.get(p.id)
            if low in p.text.lower() or (r is not None and low in r.text.lower()):
                return True
        return False

    # -- scoring ------------------------------------------------------------------
    def retrieval(self, text: str) -> tuple[dict[int, float], list[Hit]]:
        """Retrieval evidence in 0..1 per passage, and the raw hits.

        Half comes from the fused rank, half from the BM25 score relative to the best one, so a passage that
        shares rare words with the question ("限时" with "限时秒杀") stands out by more than one rank step.
        """
        hits = self.retriever.search(text, k=12)
        top = max((h.bm25 for h in hits), default=0.0)
        scores = {
            self.index.position(h.passage.id): 0.5 * (1.0 - i / 12) + (0.5 * h.bm25 / top if top > 0 else 0.5 * (1.0 - i / 12)) for i, h in enumerate(hits)
        }
        return scores, hits

    def score(self, q: Query, roles: tuple[str, ...], retrieval: dict[int, float]) -> list[tuple[float, int]]:
        """(score, position) for the candidate passages, best first."""
        out = []
        sections = {rid: set(self.section_positions(rid)) for rid in roles}
        asked = set(tokenize(q.text))
        # The asker's English word for the term as the article would say it ("coordinate" -> 协调): a role's own
        # line that says it speaks of the term ("执行落地:协调技术、设计团队…"), in other words than the glossary's.
        said = {z for w in q.term_words if re.fullmatch(r"[A-Za-z]+", w) for z in self.index.bilingual.said_as(w)}
        for pos in self.candidates(q, roles, retrieval):
            p = self.index.passages[pos]
            named = self.mentions_of(pos)
            s = W_RETRIEVAL * retrieval.get(pos, 0.0)
            about_role = set(roles) <= {"ops"}  # generic "ops" is no role to stay within
            for rid in roles:
                if pos in sections[rid]:
                    s += W_SECTION
                    about_role = True
                elif named.any(("roles", rid)):
                    s += W_MENTION + (W_SUBJECT if _leads_with(p, self.lexicon.zh_forms("roles", rid)) else 0.0)
                    about_role = True
            # A term beside a role ("流量运营…负责买量拉新的那种吗") narrows the role; a passage about the term
            # alone, outside the role, must not outrank the role itself.
            constraint = W_CONSTRAINT if about_role else W_CONSTRAINT - 1.5
            if facet_matches(p, q.facet, self.labels):
                s += W_FACET
            s += W_CONSTRAINT * sum(1 for n in q.numbers if n in p.text)  # "what went up 500%?"
            s += W_TYPED * any(w in p.text for w in q.term_words)  # the asker's own word for the term ("裂变", not "邀请")
            if _own_label_asked(p, asked):
                s += W_FACET  # the question says the words of the line's own label (a "推动迭代:…" line for one asking how 迭代 is 推动)
            for kind, ids in (("terms", q.terms), ("companies", q.companies)):
                for i, eid in enumerate(ids):
                    forms = self.lexicon.zh_forms(kind, eid)
                    # The first term named is what is asked about; later ones narrow it ("CPI in the context of acquisition").
                    weight = 1.0 if i == 0 else W_LATER_TERM
                    if named.any((kind, eid)):
                        s += weight * ((constraint if (kind, eid) in named.text else constraint - 1.0) + (W_DEFINES if _defines(p, forms) else 0.0))
                    elif kind == "terms" and i == 0 and any(pos in sections[rid] for rid in roles) and any(z in p.text for z in said):
                        s += constraint
                    if any(f in h for h in p.heading[:-1] or p.heading for f in forms if p.kind != "heading"):
                        s += W_DEFINES  # the passage stands in the section about it ("二、运营岗位的协同逻辑")
            out.append((s, pos))
        out.sort(key=lambda t: (-t[0], t[1]))
        return out or [(0.0, 0)]

    # -- structure ----------------------------------------------------------------
    def children(self, p: Passage) -> list[Passage]:
        """The list items a lead-in passage introduces."""
        return [self.index.passages[i] for i in self.by_parent.get(p.id, [])]

    def siblings(self, p: Passage) -> list[Passage]:
        """The items of the same list as an item passage."""
        return [self.index.passages[i] for i in self.by_parent.get(p.id.rsplit(".", 1)[0], [])]

    def lead_in(self, p: Passage) -> Passage | None:
        """The paragraph that introduces the list a passage is an item of ("以电商618大促为例:")."""
        parent = self.index.position(p.id.rsplit(".", 1)[0]) if p.kind == "item" else -1
        return self.index.passages[parent] if parent >= 0 and self.index.passages[parent].kind == "para" else None

    def role_section(self, rid: str) -> list[Passage]:
        """The passages under the heading that names a role."""
        return [self.index.passages[i] for i in self.section_positions(rid)]

    def overview(self, rid: str) -> list[Passage]:
        """A role in brief: its heading line and its goal (or first paragraph)."""
        section = self.role_section(rid)
        head = [p for p in section if p.kind == "heading"]
        rest = [p for p in section if p.kind != "heading"]
        goal = [p for p in rest if p.label == self.labels.get("goal")] or rest[:1]
        return head[:1] + goal[:1]

    def widen(self, q: Query, top: Passage, roles: tuple[str, ...], retrieval: dict[int, float] | None = None) -> list[Passage]:
        """The top passage plus what the article's structure says belongs with it."""
        retrieval = retrieval or {}
        section = self.role_section(roles[0]) if roles else []
        if q.intent == "which_role" and top.kind == "item":
            # The item that names the doer answers "who does X"; its lead-in line gives the setting.
            lead_in = self.lead_in(top)
            if lead_in:
                return [top, lead_in]
            others = [p for p in self.siblings(top) if p != top]
            owner = self._owner(top)
            if owner and owner != "ops" and top in self.role_section(owner):
                # A role's duty names the role: with the other duty or the goal, whichever the question matches
                # better, and the role's heading line.
                brief = self.overview(owner)
                best = sorted(others[:1] + brief[1:], key=lambda p: -retrieval.get(self.index.position(p.id), 0.0))[:1]
                return [top, *best, *brief[:1]]
            return [top, *others]  # or the other duties
        if top in section and (q.facet in ("overview", "goal") or top.kind == "heading"):
            brief = self.overview(roles[0])  # the heading line sums the role up; the goal says what it is for
            return brief[::-1] if q.facet == "goal" else brief
        if top.kind == "heading" and not roles:
            owner = self._owner(top)
            if owner:
                return self.overview(owner)
        if top.kind == "item" and (q.terms or q.companies) and q.intent != "list" and (top in section or q.facet == "work" and not roles):
            return [top, *(p for p in self.siblings(top) if p != top)]  # the item the question points at, then its list
        if top.kind == "item" and (q.facet == "work" and (top in section or not roles) or q.intent == "list"):
            items = self.siblings(top)
            if top in section and not q.itemised and not any(p.label == self.labels.get("goal") for p in section):
                # A role without a goal line says what it is for in its first paragraph: lead with it.
                intro = [p for p in section if p.kind == "para" and not self.children(p)][:1]
                while intro and len(items) > 1 and self.size(intro + items, q.lang) > ANSWER_BUDGET:
                    items = items[:-1]
                return intro + items
            return items
        if top.kind == "para" and (kids := self.children(top)) and roles:
            # "In 618, what does the content team make?": the item that opens with the role, then its lead-in.
            own = [k for k in kids if _leads_with(k, self.lexicon.zh_forms("roles", roles[0]))]
            if own:
                return [own[0], top]
        if top.kind == "para" and (kids := self.children(top)):
            # One item of the list matches the question far better than its siblings ("限时抢购" -> "限时秒杀"):
            # that item answers it, with the lead-in line for context.
            ranked = sorted(kids, key=lambda k: -retrieval.get(self.index.position(k.id), 0.0))
            first = retrieval.get(self.index.position(ranked[0].id), 0.0)
            second = retrieval.get(self.index.position(ranked[1].id), 0.0) if len(ranked) > 1 else 0.0
            if first >= KID_MIN and first - second >= KID_MARGIN:
                return [ranked[0], top]
            return [top, *kids]
        return [top]

    def _text_of(self, p: Passage) -> str:
        """A passage's words in both languages, lower-cased (for counting a question's own words)."""
        r = self.index.renderings.get(p.id)
        return (p.text + " " + (r.text if r else "")).lower()

    def _owner(self, p: Passage) -> str | None:
        """The role a passage is about: the section it sits in, or the role it opens with ("活动运营设计…")."""
        for e in self.lexicon.of_kind("roles"):
            if in_role_section(p, e.zh) or (e.id != "ops" and _leads_with(p, e.zh)):
                return e.id
        return None

    def to_hits(self, passages: list[Passage], scores: dict[int, float]) -> tuple[Hit, ...]:
        """Passages as Hits carrying their selection scores."""
        return tuple(Hit(p, scores.get(self.index.position(p.id), 0.0)) for p in passages)

    # -- per intent -----------------------------------------------------------------
    def select(self, q: Query) -> Evidence:
        """The evidence for a Query, or a decline with the nearest passages."""
        ev = self._select(q)
        if q.intent == "role" and q.roles and not ev.decline:
            # Asked for by a Chinese job title the articles never use: the answer is about the role the glossary
            # maps it to, and says so rather than pass one for the other.
            typed = next((w for r, w in q.named_as if r == q.roles[0]), "")
            if _TITLE.search(typed) and not self.in_corpus(typed):
                ev = replace(ev, alias=typed)
        return ev if q.intent in ("list", "compare") else self._within_budget(ev, q.lang)

    def _within_budget(self, ev: Evidence, lang: str) -> Evidence:
        """Evidence too long to read in one answer: the largest group gives up its lowest-scored passage (never
        its first, nor an item of the list its first passage leads into), until the answer fits ANSWER_BUDGET or
        nothing more can go."""
        groups = list(ev.groups)
        fixed = [h.passage for h in ev.lead + ev.extra]

        def droppable(g: Group) -> list[int]:
            lead = g.hits[0].passage.id
            return [j for j in range(1, len(g.hits)) if g.hits[j].passage.id.rsplit(".", 1)[0] != lead]

        while self.size([h.passage for g in groups for h in g.hits] + fixed, lang) > ANSWER_BUDGET:
            i = max(range(len(groups)), key=lambda j: len(droppable(groups[j])), default=-1)
            if i < 0 or not droppable(groups[i]):
                break
            hits = groups[i].hits
            weakest = min(droppable(groups[i]), key=lambda j: (hits[j].score, -j))
            groups[i] = replace(groups[i], hits=hits[:weakest] + hits[weakest + 1 :])
        return replace(ev, groups=tuple(groups))

    def _select(self, q: Query) -> Evidence:
        retrieval, hits = self.retrieval(self._search_text(q))
        nearest = tuple(hits[:3])
        if missing := tuple(u for u in q.unknown if not self.in_corpus(u)):
            return Evidence((), decline="unknown", missing=missing, nearest=nearest)  # named in the decline
        if q.intent == "out_of_scope":
            return Evidence((), decline="topic", nearest=nearest)
        if q.described and (found := self._described(q, retrieval, hits)):
            return found
        if q.intent == "search" and q.facet in (None, "overview") and not self._confident(q, hits):
            return Evidence((), decline="no_match", nearest=nearest)
        if q.intent == "recommend":
            return self._recommend(q, nearest)
        if q.intent == "compare":
            return self._compare(q, retrieval)
        if q.intent == "list":
            listed = self._list(retrieval, q.excluded)
            if listed:
                return listed
        if q.intent == "term" and q.terms and not q.roles and _asks_method(q) and self._only_named("terms", q.terms[0]):
            # How to do something the article only names once ("…通过AB测试发现…"): the method is not in it.
            return Evidence((), decline="passing", nearest=self.to_hits(self._naming("terms", q.terms[0])[:2], {}))
        if q.intent == "term" and len(defined := self._defined(q.terms)) >= (1 if q.naming else 2):
            # Several terms the article defines, or one asked by what it describes: each term's definition.
            return self._terms(replace(q, terms=defined), retrieval)
        if q.intent == "which_role":
            return self._which_role(q, retrieval)
        # Asking what a company did in an example asks for the example itself: no role's work is asked.
        did_example = q.intent == "case" and q.companies and not q.roles and q.facet == "work"
        if q.intent in ("term", "case", "search") and q.facet in self.labels and q.facet != "case" and not did_example:
            return self._facet_of_example(q, retrieval)
        if q.ordinal is not None and q.roles and q.facet == "work" and (duty := self._duty_at(q)):
            return duty
        if (passing := self._passing(q)) is not None:
            return passing
        if len(q.facets) >= 2:
            return self._several_facets(q, retrieval)
        if len(q.roles) == 1 and not q.facets and cues()["relation"].fires(q.text) and (partners := self._partners(q, retrieval)):
            return partners
        return self._single(q, q.roles, retrieval)

    def _partners(self, q: Query, retrieval: dict[int, float]) -> Evidence | None:
        """Whom a role works with (cue data `relation`): the passages in words of working together that name it
        beside another role of the article, or that stand in its own section, closest to the question first, then
        the last line of the role's overview (its goal where it has one); None when there are none."""
        rid = q.roles[0]
        if rid == "ops":
            return None  # the umbrella of the roles: which of them work together is a list of roles
        forms = self.lexicon.zh_forms("roles", rid)
        relation = cues()["relation"]
        own = {self.index.position(p.id) for p in self.role_section(rid)}
        named = [
            i
            for i in self.containing("roles", rid)
            if any(f in self.index.passages[i].text for f in forms)
            and any(k[0] == "roles" and k[1] not in (rid, "ops", "pm") for k in self.mentions_of(i).text)
        ]
        # Its own lines of working with others ("协调技术、设计团队") count as much as a line naming a second role.
        others = [i for i in dict.fromkeys([*named, *sorted(own)]) if self.index.passages[i].kind != "heading" and relation.fires(self.index.passages[i].text)]
        if not others:
            return None
        others.sort(key=lambda i: -retrieval.get(i, 0.0))
        shown = [self.index.passages[i] for i in others[:2]]
        title = self._title(q.roles, q)
        group = Group(title[0], title[1], self.to_hits(shown, retrieval), rid)
        goal = [p for p in self.overview(rid)[-1:] if p not in shown]
        return Evidence((group,), extra=self.to_hits(goal, retrieval))

    def _passing(self, q: Query) -> Evidence | None:
        """A decline for a role the question names by its title that the article only lists ("电商公司有商品运营、
        直播运营"): no section of its own, and no passage where it does something ("品类运营确定…"), so its work,
        goal, metrics or case are not in the article."""
        if not q.roles or not {q.facet, *q.facets} & PASSING_FACETS or self.role_section(q.roles[0]):
            return None
        if not any(r == q.roles[0] and ROLE_WORDS.search(w) for r, w in q.named_as):
            return None  # inferred from what the asker describes ("community building"), not named
        forms = self.lexicon.zh_forms("roles", q.roles[0])
        named = self._naming("roles", q.roles[0])
        if any(_LISTED.fullmatch(p.text[m.end() : m.end() + 1] or "。") is None for p in named for f in forms for m in re.finditer(re.escape(f), p.text)):
            return None  # some passage says what it does
        return Evidence((), decline="passing", nearest=self.to_hits(named[:2], {}))

    def _naming(self, kind: str, eid: str) -> list[Passage]:
        """The passages whose text holds one of an entry's Chinese forms, in reading order."""
        forms = self.lexicon.zh_forms(kind, eid)
        return [p for p in (self.index.passages[i] for i in sorted(self.containing(kind, eid))) if any(f in p.text for f in forms)]

    def _only_named(self, kind: str, eid: str) -> bool:
        """Whether one passage at most speaks of an entry, and it neither defines it nor stands under its heading."""
        forms = self.lexicon.zh_forms(kind, eid)
        named = self._naming(kind, eid)
        return len(named) <= 1 and not any(_defines(p, forms) or any(f in h for f in forms for h in p.heading[1:]) for p in named)

    def _listed_with(self, q: Query) -> list[Passage]:
        """The list one of whose items names the role (the roles at work in an example, 平台运营 among them), where
        the example the question keeps to heads that list, or the role has no section of its own."""
        terms = [f for t in q.terms for f in self.lexicon.zh_forms("terms", t)]
        if not terms and self.role_section(q.roles[0]):
            return []
        for p in self._naming("roles", q.roles[0]):
            if p.kind == "item" and (not terms or any(f in h for f in terms for h in p.heading)):
                return self.siblings(p)
        return []

    def _duty_at(self, q: Query) -> Evidence | None:
        """An ordinal after a role's list of duties: that duty; after one role of a list of roles at
        work (the 618 example's), that list's item."""
        listed = self._listed_with(q)
        items = listed or [p for p in self.role_section(q.roles[0]) if p.kind == "item"]
        if not items or q.ordinal is None or q.ordinal > len(items):
            return None
        hits = self.to_hits([items[q.ordinal - 1 if q.ordinal > 0 else -1]], {})
        if listed:  # the item is another role's: no role's duties
            return Evidence((Group("", "", hits),))
        title = self._title(q.roles, q)
        return Evidence((Group(title[0], title[1], hits, q.roles[0]),))

    def _several_facets(self, q: Query, retrieval: dict[int, float]) -> Evidence:
        """ "Two things about data ops: what's its goal, and how is it measured?" - each facet's passages in turn."""
        parts = [self._single(replace(q, facet=f), q.roles, retrieval) for f in q.facets[:2]]
        hits: list[Hit] = []
        for part in parts:
            hits += [h for h in part.groups[0].hits if h.passage.id not in {x.passage.id for x in hits}]
        # What answers each facet first, in the order asked; the role's heading line after.
        hits.sort(key=lambda h: h.passage.kind == "heading")
        return Evidence((replace(parts[0].groups[0], hits=tuple(hits)),), partial=next((p.partial for p in parts if p.partial), None))

    def _which_role(self, q: Query, retrieval: dict[int, float]) -> Evidence:
        """ "Which role does X?": the role whose passage matches X best, named, with its heading line and goal.

        The answer names the role, so a generic "ops" in the question is no constraint; "which ops role…"
        asks for one of operations' specialisms, so a passage about operations as a whole does not answer it.
        """
        # What identifies the role (a company's example, a term) finds it; a facet asked beside it ("which role is
        # that, and what does it aim at?") is asked of the role found, not a search for any role's goal line.
        of_found = q.facet in self.labels and q.facet != "case" and bool(q.companies or q.terms)  # a company's example is the case
        # "Who is responsible for X" (负责: the work facet) describes the role by X, which a goal line or a heading's
        # tagline may say as well as a duty: every line is searched.
        ranked = self.score(replace(q, facet=None) if of_found or q.facet == "work" else q, (), retrieval)
        if len(q.terms) == 1 and not (q.companies or q.numbers or q.skills) and (several := self._term_owners(q.terms[0], ranked)):
            return several
        specialism = "ops" in q.roles
        # Asked which role does something that operations as a whole and one of its kinds both do (召回 in the
        # list of ops work and in user ops' own work), the kind of operations is the role meant.
        kind = (
            next((at for _, at in ranked[:KIND_WITHIN] if self._owner(self.index.passages[at]) not in (None, "ops", "pm") and self._names_term(at, q)), None)
            if q.terms and not specialism
            else None
        )
        pos, owner, notes = ranked[0][1], None, ()
        for _, at in ranked:
            o = self._owner(self.index.passages[at])
            if o == "ops" and kind is not None and not specialism and self._names_term(at, q):
                at, o, notes = kind, self._owner(self.index.passages[kind]), ("the kind of operations whose own work names the term",)
            if o and not (specialism and o == "ops"):
                pos, owner = at, o
                break
            if any(k[0] == "roles" and k[1] not in ("ops", "pm") for k in self.mentions_of(at).text):
                break  # the passage names kinds of operations itself ("电商公司有商品运营、直播运营")
        if owner is None:
            return self._single(q, (), retrieval)
        top = self.index.passages[pos]
        if top in self.role_section(owner):
            # Named by its heading line; a duty comes with the role's other duties when the question asks what
            # they do, anything else with the role's goal.
            brief = self.overview(owner)
            more = [p for p in self.siblings(top) if p != top][:1] if top.kind == "item" and q.facet in ("work", "case") else brief[1:]
            main = [top, *(p for p in [*more, *brief[:1]] if p != top)]
            asked = [p for p in self.role_section(owner) if of_found and facet_matches(p, q.facet, self.labels) and p != top][:1]
            if asked:
                main = [top, *asked, *(p for p in brief[:1] if p not in (top, *asked))]
        else:
            main = self.widen(q, top, (), retrieval)  # a 618 duty: its lead-in line gives the setting
        e = self.lexicon.get("roles", owner)
        return Evidence((Group(e.name_en, e.name_zh, self.to_hits(main, dict((p, s) for s, p in ranked)), owner),), notes=notes)

    def _names_term(self, pos: int, q: Query) -> bool:
        """Whether the passage at pos names a term the question asks about."""
        return any(("terms", t) in self.mentions_of(pos).text for t in q.terms)

    def _term_owners(self, term: str, ranked: list[tuple[float, int]]) -> Evidence | None:
        """A term several roles' passages use ("种草跟哪个岗位有关?"): the best passage of each role, each role named."""
        by_owner: dict[str, Passage] = {}
        for _, pos in ranked:
            p = self.index.passages[pos]
            owner = self._owner(p)
            if owner and owner != "ops" and owner not in by_owner and ("terms", term) in self.mentions_of(pos).text:
                by_owner[owner] = p
        if len(by_owner) < 2:
            return None
        owners = [self.lexicon.get("roles", r) for r in list(by_owner)[:3]]
        title_en = " and ".join(e.name_en for e in owners)
        title_zh = "和".join(e.name_zh for e in owners)
        return Evidence((Group(title_en, title_zh, self.to_hits([by_owner[e.id] for e in owners], {})),))

    def _described(self, q: Query, retrieval: dict[int, float], hits: list[Hit]) -> Evidence | None:
        """A role named by what it does: the role whose passage matches the description best, answered as
        if named ("the folks who manage the customer base - how do they sort users into groups?")."""
        if not hits or (hits[0].bm25 <= 0 and max(h.dense for h in hits) < MIN_DENSE):
            return None
        ranked = self.score(replace(q, facet=None), (), retrieval)[:DESCRIBED_DEPTH]
        owners = [self._owner(self.index.passages[pos]) for _, pos in ranked]
        # "The ops folks who…" describe a kind of operations, never the product manager.
        owner = next((o for o in owners if o not in (None, "ops") and not ("ops" in q.roles and o == "pm")), None)
        if owner is None:
            return None
        # With a facet asked, the terms only served to describe the role: the facet is the question.
        # Asked which role that is, the answer names it (see widen); otherwise it is answered as the role.
        intent = "which_role" if q.intent == "which_role" else "role"
        role_q = replace(q, roles=(owner,), intent=intent, **({"terms": ()} if q.facet in self.labels else {}))
        if q.facet == "overview" and intent == "role" and (q.terms or q.companies):
            # "…someone who gets users cheaply. What does the article say that person compares across channels?":
            # the description found the role; what it does with the rest of the terms is asked, not the role in brief.
            role_q = replace(role_q, facet=None)
        return self._single(role_q, (owner,), retrieval)

    def _facet_of_example(self, q: Query, retrieval: dict[int, float]) -> Evidence:
        """ "The app that gained 100k users in a day: what does that role measure?" - the example names the role
        (the section it stands in), and the answer is that role's facet, with the example for context."""
        ev = self._single(q, q.roles, retrieval)
        top = ev.groups[0].hits[0].passage if ev.groups and ev.groups[0].hits else None
        owner = self._owner(top) if top else None
        if top is None or owner in (None, "ops") or facet_matches(top, q.facet, self.labels):
            return ev
        return self._owner_facet(q, owner, retrieval, [top])

    def _owner_facet(self, q: Query, owner: str, retrieval: dict[int, float], context: list[Passage]) -> Evidence:
        """The facet asked, of the role that what the question names sits under; the role's heading line names
        it (the asker never did), and context (the example) stands beside."""
        role_q = replace(q, roles=(owner,), terms=(), companies=(), numbers=(), term_words=())
        answer = self._single(role_q, (owner,), retrieval)
        heads = [p for p in self.role_section(owner) if p.kind == "heading"][:1]
        groups = tuple(replace(g, hits=g.hits + self.to_hits([h for h in heads if h not in [x.passage for x in g.hits]], {})) for g in answer.groups[:1])
        return Evidence(groups + answer.groups[1:], partial=answer.partial, extra=self.to_hits(context, {}))

    def _search_text(self, q: Query) -> str:
        """What to retrieve with: the question, plus what a follow-up took from earlier turns ("那活动运营呢?"
        after a question about 618 searches for 618 too)."""
        if not q.followup:
            return q.text
        # The facet asked before counts too ("what about event ops?" after a case study: the 案例 line is sought).
        facets = (q.facet,) if q.facet in self.labels else ()
        carried = [
            self.lexicon.get(kind, eid).name_zh
            for kind, ids in (("roles", q.roles), ("terms", q.terms), ("companies", q.companies), ("facets", facets))
            for eid in ids
            if not any(f.lower() in q.text.lower() for f in (*self.lexicon.get(kind, eid).zh, *self.lexicon.get(kind, eid).en))
        ]
        return " ".join([q.text, *carried])

    def _confident(self, q: Query, hits: list[Hit]) -> bool:
        if any(self.quoting(n) for n in q.numbers):
            return True  # a number the articles quote ("what was brought down to a third?")
        toks = [t for t in tokenize(q.text) if not t.isdigit()]
        if not toks or not hits:
            return False
        known = sum(1 for t in toks if t in self.index.bm25.postings)
        coverage = known / len(toks)
        best_dense = max((h.dense for h in hits), default=0.0)
        return coverage >= MIN_COVERAGE and (best_dense >= MIN_DENSE or hits[0].bm25 > 0)

    def _single(self, q: Query, roles: tuple[str, ...], retrieval: dict[int, float]) -> Evidence:
        section = self.role_section(roles[0]) if roles else []
        if q.facet == "goal" and section and not any(facet_matches(p, "goal", self.labels) for p in section):
            # A role without a goal line says what it is for in its opening paragraph ("运营人员的职责是…").
            q = replace(q, facet="overview")
        ranked = self.score(q, roles, retrieval)
        scores = {pos: s for s, pos in ranked}
        top = self.index.passages[ranked[0][1]]
        main = self.widen(q, top, roles, retrieval)
        if self._names_heading(q, top):
            # The question names a heading ("the conclusion"): answer with what stands under it.
            main = [self.index.passages[i] for i in self.by_heading.get(top.heading, [])][:4]
        named = [("companies", c) for c in q.companies]
        if q.facet == "case" and named and section and not any(k in self.mentions_of(self.index.position(p.id)).text for p in main for k in named):
            # "and Didi's one?": the company the asker names is the example, wherever the role's text gives it.
            main = [p for p in section if any(k in self.mentions_of(self.index.position(p.id)).text for k in named)][:3] or main
        partial = None
        lacking = q.facet in self.labels and section and not any(facet_matches(p, q.facet, self.labels) for p in section)
        if lacking and roles[0] == "ops" and q.facet != "case" and q.terms and (owner := self._owner(top)) not in (None, "ops", "pm"):
            # Operations described by one kind's work ("the ops people who tune features to needs") with a facet
            # asked: the passage the description finds stands under a role of its own, whose facet line answers.
            return self._owner_facet(q, owner, retrieval, [])
        examples = [p for p in section if any(k[0] == "companies" for k in self.mentions_of(self.index.position(p.id)).text)]
        notes: tuple[str, ...] = ()
        if q.facet == "case" and not lacking and not named and (more := [p for p in examples if p not in main]) and len(main) < CASE_WITH_EXAMPLES:
            # Asked for a role's case, the asker gets its 案例 line and then the examples its duties give (a named
            # company's campaign), as the article tells them.
            main = [*main, *more][:CASE_WITH_EXAMPLES]
            notes = ("structure: the case line, then the examples in the role's other lines",)
        elif q.facet in ("goal", "work", "metrics") and named and section and not lacking:
            # "Why post tutorials on Douyin, what's the goal?": the role's line that names the company the asker
            # names is what they ask about; the facet's line follows.
            own = [p for p in section if p not in main and any(k in self.mentions_of(self.index.position(p.id)).text for k in named)]
            if own:
                main = [own[0], *main]
                notes = ("structure: the role's line naming the company asked about, then the facet",)
        if lacking:
            if q.facet == "case" and examples:
                # No 案例 line, but the role's text gives examples ("微信“拍一拍”"): the one naming the company
                # asked about first, the rest in the article's order; one retrieval puts clearly nearest the
                # question (the step whose example it asks, in its own words) is among them.
                asked = [p for p in examples if any(k in self.mentions_of(self.index.position(p.id)).text for k in named)]
                main = [*asked, *(p for p in examples if p not in asked)][:CASE_WITH_EXAMPLES]
                near = {p.id: retrieval.get(self.index.position(p.id), 0.0) for p in examples}
                best = max(examples, key=lambda p: near[p.id])
                swap = best not in main and near[best.id] >= max(near[p.id] for p in main) + EXAMPLE_LEAD
                if swap:
                    main = sorted([*main[:-1], best], key=lambda p: (p not in asked, self.index.position(p.id)))
                notes = ("structure: no case line; the examples in the role's lines" + (", the one nearest the question among them" if swap else ""),)
            elif not (roles[0] == "ops" and (q.terms or q.companies or q.numbers)):  # else the term is the topic
                partial = "facet"  # said so in the answer, which then describes the role itself
                main = main if all(p in section for p in main) else self.overview(roles[0])
        room = 0 if len(main) >= 3 else (1 if q.lang == "en" else 2)
        # Close runners-up are related; for a term, so is every other passage that uses it ("小红书种草" in a
        # channel analysis and "素人种草" in a case).
        term = ("terms", q.terms[0]) if q.intent == "term" and q.terms else ("companies", q.companies[0]) if q.intent == "case" and q.companies else None
        extra = [
            self.index.passages[pos]
            for s, pos in ranked[1:6]
            if self.index.passages[pos] not in main and (s >= ranked[0][0] - 1.0 or term in self.mentions_of(pos).text)
        ][:room]
        head = self.overview(roles[0])[:1] if roles and q.facet in ("work", "metrics") else []
        if head and head[0] not in main and not extra and len(main) < WORK_WITH_HEADING and all(facet_matches(p, q.facet, self.labels) for p in main):
            # A role's few duties, or its metrics line, close with its heading line, the role in one line ("用户运营：
            # 专注…"), as its goal does: asked what someone in the role is responsible for or measured by, the asker
            # gets both (where nothing related takes the room).
            main = [*main, head[0]]
        title = self._title(roles, q)
        group = Group(title[0], title[1], self.to_hits(main, scores), roles[0] if roles else None)
        return Evidence((group,), partial=partial, extra=self.to_hits(extra, scores), notes=notes)

    def _defined(self, terms: tuple[str, ...]) -> tuple[str, ...]:
        """The terms some passage defines (opens with: "留存:…")."""
        return tuple(t for t in terms if any(_leads_with(self.index.passages[i], self.lexicon.zh_forms("terms", t)) for i in self.containing("terms", t)))

    def _terms(self, q: Query, retrieval: dict[int, float]) -> Evidence:
        """Several terms the article defines ("拉新、留存、转化、召回分别是什么"): the best passage for each, in the order asked."""
        chosen: list[Passage] = []
        scores: dict[int, float] = {}
        for term in q.terms[:MAX_TERMS]:
            ranked = self.score(replace(q, terms=(term,), facet=None), (), retrieval)
            forms = self.lexicon.zh_forms("terms", term)
            ranked = [t for t in ranked if _defines(self.index.passages[t[1]], forms)] or ranked  # the definition first
            for s, pos in ranked:
                if self.index.passages[pos] not in chosen:
                    chosen.append(self.index.passages[pos])
                    scores[pos] = s
                    break
        return Evidence((Group("", "", self.to_hits(chosen, scores)),))

    def _names_heading(self, q: Query, top: Passage) -> bool:
        forms = [f for kind, ids in (("terms", q.terms), ("companies", q.companies)) for eid in ids for f in self.lexicon.zh_forms(kind, eid)]
        label = _NUMBERING.sub("", top.label)
        return top.kind == "para" and any(f in label and f not in top.text and len(f) * 2 >= len(label) for f in forms)

    def _title(self, roles: tuple[str, ...], q: Query) -> tuple[str, str]:
        if roles:
            e = self.lexicon.get("roles", roles[0])
            return e.name_en, e.name_zh
        for kind, ids in (("companies", q.companies), ("terms", q.terms)):
            if ids:
                e = self.lexicon.get(kind, ids[0])
                return e.name_en, e.name_zh
        return "", ""

    def _compare(self, q: Query, retrieval: dict[int, float]) -> Evidence:
        groups = []
        for rid in q.roles[:3]:
            e = self.lexicon.get("roles", rid)
            section = self.role_section(rid)
            asked = [p for p in section if facet_matches(p, q.facet, self.labels)] if q.facet in self.labels else []
            if asked and q.facet != "work":
                # "What is each trying to achieve?": each side's own line for the facet, whatever else is named.
                groups.append(Group(e.name_en, e.name_zh, self.to_hits(asked[:1], {}), rid))
            elif q.facet in self.labels or not section:
                groups.extend(self._single(q, (rid,), retrieval).groups)
            elif q.terms or q.companies:
                found = self._single(q, (rid,), retrieval).groups[0]
                if found.hits and found.hits[0].passage in section:
                    # "Which one is about acquisition cost and which about the lifecycle?": each side's goal,
                    # then its own passage about the asked term.
                    goal = self.overview(rid)[-1:]
                    found = replace(found, hits=self.to_hits(goal, {}) + tuple(h for h in found.hits[:1] if h.passage not in goal))
                groups.append(found)  # or what the role does in the asked setting ("618里内容运营做什么")
            else:
                # Goal first: side by side, the goals are what tells two roles apart; the heading lines follow.
                groups.append(Group(e.name_en, e.name_zh, self.to_hits(self.overview(rid)[::-1], {}), rid))
        pairs = [self.containing("roles", r) for r in q.roles[:2]]
        naming = [
            self.index.passages[i]
            for i in sorted(set.intersection(*pairs))
            if pairs
            if self.index.passages[i].heading[0] not in META_LABELS and all(("roles", r) in self.mentions_of(i).text for r in q.roles[:2])
        ]
        both = [p for p in naming if not any(in_role_section(p, self.lexicon.zh_forms("roles", r)) for r in q.roles)]
        # The question sets its own scene (an app just launched, a sale): a passage naming both sides in that scene
        # (two or more of the question's other words) answers it, wherever in the article it stands.
        scene = [p for p in naming if sum(w in p.text.lower() for w in q.rest if len(w) > 1) >= 2]
        relation = cues()["relation"]
        together = relation.fires(q.text)  # asked how they work together: a passage of them working together first
        # Asked what they have in common: a passage naming them in words of sharing ("本质都是…", "核心都是…") first.
        common = cues()["common"].fires(q.text) and cues()["shared_text"]
        both.sort(
            key=lambda p: (
                not (together and relation.fires(p.text)),
                not (common and common.fires(p.text)),
                -retrieval.get(self.index.position(p.id), 0.0),
            )
        )
        named = [p for p in both if not self.children(p) and any(("terms", t) in self.mentions_of(self.index.position(p.id)).text for t in q.terms)]
        shared: list[Passage] = []
        if len(groups) >= 2 and all(g.hits for g in groups) and (len({g.hits[0].passage.id for g in groups}) == 1 or named):
            # One passage answers for every side ("产品和运营像接力赛"), or one naming both roles speaks of the asked
            # term ("…有什么共同点?"): it leads, and the sides show what each role is.
            shared = [groups[0].hits[0].passage] if len({g.hits[0].passage.id for g in groups}) == 1 else named[:1]
            groups = [replace(g, hits=self.to_hits(self.overview(g.role)[::-1], {})) if g.role and self.role_section(g.role) else g for g in groups]
        shown = {h.passage.id for g in groups for h in g.hits} | {p.id for p in shared}
        both = [p for p in both if p.id not in shown]
        # A passage about exactly these roles compares them in the article's own words, and one that names both
        # with the asked term answers "how do X and Y work together": either leads the answer.
        asked = {("roles", r) for r in q.roles} | {("roles", "ops")}

        def leads(p: Passage) -> bool:
            named = self.mentions_of(self.index.position(p.id))
            if together and relation.fires(p.text) or common and common.fires(p.text):
                return True  # asked how they work together or what they share: that line, whoever else it names
            if q.terms and not shared:
                return all(named.any(("terms", t)) for t in q.terms)
            return {k for k in named.text if k[0] == "roles"} <= asked

        lead = shared + [p for p in scene[:1] if p not in shared] + [p for p in both[:1] if leads(p) and not scene]
        if q.terms and not lead and WHICH_SIDE.search(q.text):
            # "A vs B, which one is about <term>?": the one side whose own passages name the term answers; the
            # nearest of them leads (out of its side's row), and the sides follow.
            telling = [
                h.passage for g in groups for h in g.hits if all(("terms", t) in self.mentions_of(self.index.position(h.passage.id)).text for t in q.terms)
            ]
            if len({g.role for g in groups for h in g.hits if h.passage in telling}) == 1:
                lead = [max(telling, key=lambda p: retrieval.get(self.index.position(p.id), 0.0))]
                groups = [replace(g, hits=tuple(h for h in g.hits if h.passage.id != lead[0].id)) for g in groups]
        if scene:  # the scene's passage leads, not one side's row
            groups = [replace(g, hits=tuple(h for h in g.hits if h.passage.id != scene[0].id)) for g in groups]
        rest = [p for p in both[:1] if p not in lead]

        def total() -> int:
            return self.size([h.passage for g in groups for h in g.hits] + lead + rest, q.lang) + 40 * len(groups)

        if total() > ANSWER_BUDGET:
            rest = []
        if total() > ANSWER_BUDGET:
            # Too long to read side by side: every side keeps only its shortest passage (often its heading line),
            # so the rows still line up; the article's own comparison stays.
            groups = [replace(g, hits=(min(g.hits, key=lambda h: self.size([h.passage], q.lang)),)) if g.hits else g for g in groups]
        return Evidence(tuple(groups), lead=self.to_hits(lead, {}), extra=self.to_hits(rest, {}))

    def size(self, passages: list[Passage], lang: str) -> int:
        """How many characters the passages take in an answer: their text in the answer's language plus the quote."""
        total = 0
        for p in passages:
            r = self.index.renderings.get(p.id)
            body = r.text if lang == "en" and r and r.text else p.text
            total += len(body) + len(p.text) + 10
        return total

    def _list(self, retrieval: dict[int, float], excluded: tuple[str, ...] = ()) -> Evidence | None:
        """The core roles' headings after the section's lead; the others only where roles are set aside."""
        core = [e for e in self.lexicon.of_kind("roles") if e.extra.get("core")]
        heads = [p for e in core if e.id not in excluded for p in self.role_section(e.id) if p.kind == "heading"]
        if not heads:
            return None
        section = heads[0].heading[0]
        intro = [self.index.passages[i] for i in self.by_heading.get((section,), []) if self.index.passages[i].kind == "para"][:1]
        return Evidence((Group("", "", self.to_hits(([] if excluded else intro) + heads, {})),))

    def _recommend(self, q: Query, nearest: tuple[Hit, ...]) -> Evidence:
        """Rank the roles by how much of each stated strength their own passages speak of.

        The candidates are the roles the question offers ("产品经理还是运营?"), else the core roles. Each
        strength shares one point among them in proportion to how often its evidence words occur in each
        role's section, so a strength whose words are everywhere ("users") cannot outweigh a telling one; the
        asker's own words ("琢磨用户痛点", "跟研发沟通") count as one more strength.
        """
        offered = [self.lexicon.get("roles", r) for r in q.roles if self.role_section(r)]
        core = offered if len(offered) >= 2 else [e for e in self.lexicon.of_kind("roles") if e.extra.get("core") and e.id not in q.disliked]
        skills = [list(map(str, self.lexicon.get("skills", sid).extra.get("evidence", []))) for sid in q.skills]
        skills = [w for w in skills if w]
        if not skills and q.terms and set(q.roles) <= {"ops"}:
            # "Short bursts are my thing; what kind of ops suits me?": the terms the glossary knows are the wishes.
            skills = [w for w in (list(self.lexicon.zh_forms("terms", t)) for t in q.terms) if w]
        if not skills and (known := [r for r in q.background if self.role_section(r)]):
            # "I used to be an event planner. Which ops role should I look at?": where they come from is the match.
            e = self.lexicon.get("roles", known[0])
            return Evidence((Group(e.name_en, e.name_zh, self.to_hits(self.overview(e.id), {}), e.id),))
        if not skills and len(offered) == 1 and offered[0].id not in q.disliked and offered[0].id != "ops":
            # No strength the glossary knows, but the asker's wishes describe one role ("buying traffic and
            # tracking the price of every signup"): that role, in brief.
            e = offered[0]
            return Evidence((Group(e.name_en, e.name_zh, self.to_hits(self.overview(e.id), {}), e.id),), notes=("the one role the asker's wishes describe",))
        own_words = [t for t in q.rest if len(t) >= 2 and not t.isdigit()]
        if not skills and not (len(offered) >= 2 and own_words):
            heads = [p for e in core for p in self.role_section(e.id) if p.kind == "heading"]
            return Evidence((Group("", "", self.to_hits(heads, {})),), partial="no_strengths")
        if len(offered) < 2 and "ops" not in q.roles:
            # "Which role is that?" (not "which ops role"): the product manager is a candidate too.
            core = [self.lexicon.get("roles", "pm"), *core] if self.lexicon.by_key.get(("roles", "pm")) else core
        family = [e.id for e in self.lexicon.of_kind("roles") if e.extra.get("core")]
        # Each candidate is judged by its best-matching part: operations as a whole by itself or by one of its
        # specialisms (writing speaks for operations through content ops). Product manager and operations say
        # what they are in paragraphs, so those count for them.
        parts = {
            e.id: [
                [p for p in self.role_section(rid) if p.kind != "para" or (offered and rid == e.id)]
                for rid in ([e.id, *family] if e.id == "ops" and offered else [e.id])
            ]
            for e in core
        }
        sections = {rid: [p for part in ps for p in part] for rid, ps in parts.items()}
        texts = {p.id: self._text_of(p) for ps in sections.values() for p in ps}
        score = {e.id: 0.0 for e in core}
        best: dict[str, dict[str, int]] = {e.id: {} for e in core}
        for weight, words in [*((1.0, w) for w in skills), (OWN_WORDS_WEIGHT, own_words)]:
            counts: dict[str, float] = {}
            for e in core:
                per = {p.id: sum(texts[p.id].count(w.lower()) for w in words) for p in sections[e.id]}
                named = sum(2 for w in words if w in e.name_zh)
                # Per passage, so a big section does not win by its size.
                counts[e.id] = max((sum(per[p.id] for p in part) + named) / max(1, len(part)) for part in parts[e.id])
                for pid, n in per.items():
                    best[e.id][pid] = best[e.id].get(pid, 0) + n
            total = sum(counts.values())
            for rid, n in counts.items():
                score[rid] += weight * n / total if total else 0.0
        ranking = sorted(core, key=lambda e: -score[e.id])
        if offered and ranking[0].id == "ops" and score["ops"] > 0:
            # Operations won through one of its specialisms: name that one ("PM or ops?" -> content operations).
            return self._recommend(replace(q, roles=()), nearest)
        if score[ranking[0].id] == 0:
            return Evidence((), decline="no_match", nearest=nearest)
        groups = []
        for e in ranking[:2]:
            if groups and score[e.id] < score[ranking[0].id] / 2:
                break
            section = self.role_section(e.id)
            heads = [p for p in section if p.kind == "heading"][:1]
            if not groups:
                asked = q.facet in self.labels and q.facet != "work"  # "适合做啥运营" asks for a role, not its duties
                wanted = [p for p in section if facet_matches(p, q.facet, self.labels) and p not in heads][:1] if asked else []
                goal = self.overview(e.id)[1:]  # its goal line, or what its opening paragraph says it is for
                # Passages outside the section that open with the role ("内容运营制作商品短视频和促销文案") tell too.
                forms = self.lexicon.zh_forms("roles", e.id)
                leading = [p for p in (self.index.passages[i] for i in sorted(self.containing("roles", e.id))) if p.id not in texts and _leads_with(p, forms)]
                for p in leading:
                    texts[p.id] = self._text_of(p)
                    best[e.id][p.id] = sum(texts[p.id].count(w.lower()) for ws in skills for w in ws)
                telling = [p for p in sections[e.id] + leading if best[e.id].get(p.id, 0) > 0 and p not in heads + goal]
                # A passage that names what the asker said they are good at ("user comments" -> 分析用户评论) comes
                # first, then what they say they do ("coordinating designers and engineers" -> 执行落地).
                own = {p.id: sum(texts[p.id].count(w.lower()) for w in own_words) for p in telling}
                said = {p.id: sum(self.mentions_of(self.index.position(p.id)).any(("skills", sid)) for sid in q.skills) for p in telling}
                telling.sort(key=lambda p: (-said[p.id], -own[p.id], -best[e.id][p.id]))
                shown = heads + (wanted or goal) + [p for p in telling if p not in wanted][:1]
            else:
                shown = heads
            groups.append(Group(e.name_en, e.name_zh, self.to_hits(shown, {}), e.id))
        return Evidence(tuple(groups))
