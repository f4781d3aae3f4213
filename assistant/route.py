"""Which article a question is about, judged alike for every article.

Each article scores the mean e5 cosine of its three passages nearest the question (each passage's own text:
a rendering would favour the article that has one), plus a little for the best BM25 match of the question's
Chinese words (and their dictionary bridge) relative to the best article's, plus, for a follow-up, having been
the article of the turn before. Measured on the shared dev articles beside the seed (routing diagnostics in
docs/any-article.md): the article's own questions go to it 91% of the time, the seed's 94%.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass

import numpy as np

from .answerable import initials_in
from .outline import root
from .reading import Ask, facet_named
from .retrieve import Retriever
from .scoring import SCORING, Scoring
from .tokens import EN_STOP, _stem, tag

#: Latin terms of a question (acronyms and product names such as "SEO", "dou+", "B站" in part), and figures
#: written with a letter for their unit ("50w" a year, "30k"): as an article writes them, they name it.
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9+]*|(?<![A-Za-z0-9.])\d+(?!st\b|nd\b|rd\b|th\b)[A-Za-z]+\b")

#: jieba tags of proper names (people, places, organisations, other names).
PROPER_TAGS = frozenset("nr nrt nrfg ns nt nz".split())

#: Passages of each article whose cosine counts toward its score.
ROUTE_TOP = 3
#: Beside thousands of articles a name is seldom used by no other article at all; it still tells articles
#: apart when at most this share of the other candidates mention it and none has it as a heading. With one
#: or two other candidates (an article beside the seed) this is the same as "no other uses it".
RARE_SHARE = 0.25
#: Among more candidate articles than this, structure is judged before similarity: the article whose outline
#: has what the question names wins over one whose passages merely sit nearer (at scale many articles have a
#: passage near any question). With a few articles the additive bonuses below suffice and are kept as measured.
MANY = 8


@dataclass(frozen=True)
class Route:
    """The chosen article and every candidate article's score."""

    doc: str
    scores: dict[str, float]


def route(
    ask: Ask,
    retriever: Retriever,
    scoring: Scoring = SCORING,
    claimed: dict[str, tuple[tuple[str, ...], ...]] | None = None,
    unrecognised: frozenset[str] = frozenset(),
) -> Route:
    """Choose the article to answer from. claimed: articles whose glossary recognises what the question asks,
    with the names it recognised (a role asked with its facet, the glossary's own terms), each with the other
    forms it goes by in the question; a claim counts where no other candidate article uses any of its forms.
    unrecognised: articles whose glossary recognises nothing in the question (no role, term, company or skill):
    a question their own domain layer cannot read is less likely theirs."""
    claimed = claimed or {}
    docs = retriever.docs()
    if len(docs) == 1:
        return Route(docs[0], {docs[0]: 1.0})
    vec = retriever.query_vector(ask.search_text)
    near = retriever.dense_vector(vec, max(scoring.depth, 8 * ROUTE_TOP), primary=True)
    per_doc: dict[str, list[float]] = {}
    for pos, cos in near.items():
        per_doc.setdefault(retriever.index.passages[pos].doc, []).append(cos)
    toks = [t for t in retriever.tokens(ask.search_text) if not t.isascii()]
    sparse = retriever.index.bm25.top(toks, scoring.depth)
    best_sparse: dict[str, float] = {}
    for pos, s in sparse:
        d = retriever.index.passages[pos].doc
        best_sparse[d] = max(best_sparse.get(d, 0.0), s)
    top_sparse = max(best_sparse.values(), default=0.0) or 1.0
    candidates = set(per_doc) | set(best_sparse) | set(claimed)
    if ask.followup and ask.previous_docs and ask.previous_docs[0] in docs:
        candidates.add(ask.previous_docs[0])  # the article of the turn before stays a candidate however far it sits
    names = {w for w in _LATIN.findall(ask.text) if w.lower() not in EN_STOP and len(w) >= 2}
    names |= {w for w, f in tag(ask.text) if f in PROPER_TAGS and len(w) >= 2 and not w.isascii()}  # "麦肯锡", "晓涵"
    compounds = _compounds(ask.text, retriever)
    persons = spoken_of(ask.text)
    scores: dict[str, float] = {}
    for doc in candidates:
        cos = sorted(per_doc.get(doc, []), reverse=True)[:ROUTE_TOP]
        s = float(np.mean(cos)) if cos else 0.0
        s += scoring.route_sparse * best_sparse.get(doc, 0.0) / top_sparse
        if ask.followup and ask.previous_docs and ask.previous_docs[0] == doc:
            s += scoring.route_sticky
        if doc in unrecognised:
            s -= scoring.route_unrecognised
        if any(all(_distinct(name, doc, candidates, retriever, ask) for name in forms) for forms in claimed.get(doc, ())):
            s += scoring.route_glossary  # the glossary written for this article recognises a name only it uses
        if any(
            _distinct(m.entity.name, doc, candidates, retriever, ask)
            for m in ask.entities
            if m.entity.doc == doc and m.strength >= 0.9 and m.how != "glossary" and not facet_named(m, ask.facets)
        ):
            s += scoring.route_entity  # it names a heading only this article has (in Chinese, or in English through the dictionary)
        if any(_distinct(c, doc, candidates, retriever, ask) for c in compounds if _uses(c, doc, retriever)):
            s += scoring.route_entity  # an English phrase that only this article says in Chinese ("hardware PM": 硬件产品经理)
        if persons & told(doc, retriever):
            s += scoring.route_person  # "she" asked of: an article that tells someone's story as 她, or the author's own
        if any(_distinct(w, doc, candidates, retriever, ask) for w in names if _uses(w, doc, retriever)):
            s += scoring.route_entity  # a Latin term or a proper name only this article uses ("SEO", "dou+", "GTM" spelled out, 麦肯锡)
        scores[doc] = round(s, 4)
    tier = _structure(ask, candidates, claimed) if len(candidates) > MANY else {}
    chosen = max(scores, key=lambda d: (tier.get(d, 0), scores[d], -docs.index(d))) if scores else docs[0]
    return Route(chosen, dict(sorted(scores.items(), key=lambda kv: -kv[1])[:5]))


#: A person the question speaks of by a pronoun, as the Chinese pronoun an article tells of them with (其他,
#: 吉他, 他们 and 他人 are no one).
_PERSON_EN = {"she": "她", "her": "她", "hers": "她", "herself": "她", "he": "他", "him": "他", "his": "他", "himself": "他"}
_PERSON_ZH = {p: re.compile(rf"(?<![其吉]){p}(?![们人])") for p in ("她", "他")}
#: The author telling their own story (the asker's "she" is the narrator).
_NARRATOR = re.compile(r"我(?!们)")
#: A story tells of someone in this share of its passages at least (as 她 or 他; as 我, twice that): a passing
#: "我建议" or "他说" in a how-to is no story.
STORY_SHARE = 0.1
#: Per retriever (so a newer index never reads an older one's), the pronouns each article tells a story with.
_told: "weakref.WeakKeyDictionary[object, dict[str, frozenset[str]]]" = weakref.WeakKeyDictionary()


def told(doc: str, retriever: Retriever) -> frozenset[str]:
    """The pronouns an article tells someone's story with (the narrator's 我 counts as both), worked out once."""
    known = _told.setdefault(retriever, {})
    if doc not in known:
        lines = retriever.text_of(doc).split("\n")
        share = {p: sum(1 for line in lines if pattern.search(line)) / max(len(lines), 1) for p, pattern in _PERSON_ZH.items()}
        narrated = sum(1 for line in lines if _NARRATOR.search(line)) / max(len(lines), 1) >= 2 * STORY_SHARE
        known[doc] = frozenset(p for p in _PERSON_ZH if narrated or share[p] >= STORY_SHARE)
    return known[doc]


def spoken_of(text: str) -> set[str]:
    """The Chinese pronouns of the people a question speaks of ("she" and 她: 她)."""
    out = {_PERSON_EN[w] for w in re.findall(r"[a-z]+", text.lower()) if w in _PERSON_EN}
    return out | {p for p, pattern in _PERSON_ZH.items() if pattern.search(text)}


#: Two English words side by side (a space or a hyphen between them).
_PAIR = re.compile(r"(?<![A-Za-z])(?=([A-Za-z]{2,})[ \-]([A-Za-z]{2,})(?![A-Za-z]))")
#: Chinese words tried per English word, and the shortest compound that counts.
PAIR_SENSES = 3
MIN_COMPOUND = 4


def _compounds(text: str, retriever: Retriever) -> set[str]:
    """The Chinese compounds two adjacent English words of a question say word by word: each word's corpus
    words through the dictionary, or the glossary's Chinese forms where the glossary names it ("hardware PM":
    硬件 + 产品经理). An article using such a compound names the thing the phrase means."""
    senses: dict[int, tuple[str, ...]] = {}
    if retriever.lexicon is not None:
        for m in retriever.lexicon.find(text):
            if m.kind in ("roles", "terms"):
                senses[m.start] = retriever.lexicon.get(m.kind, m.id).zh[:PAIR_SENSES]
    bridge = retriever.index.bilingual

    def zh(word: str, at: int) -> tuple[str, ...]:
        if word.lower() in EN_STOP:
            return ()
        stem = _stem(word.lower())
        said = bridge.to_zh(stem)[:PAIR_SENSES] + bridge.to_zh(root(stem))[:PAIR_SENSES]  # "growth": also "grow"
        return senses.get(at) or tuple(dict.fromkeys(said))

    out: set[str] = set()
    for m in _PAIR.finditer(text):
        for a in zh(m.group(1), m.start(1)):
            for b in zh(m.group(2), m.start(2)):
                if len(a + b) >= MIN_COMPOUND:
                    out.add(a + b)
    return out


def _uses(name: str, doc: str, retriever: Retriever) -> bool:
    """Whether an article uses a name in its own words (case aside), spells out an acronym, or writes in Chinese
    a name the question spells in pinyin."""
    low = name.lower()
    text = retriever.text_of(doc)
    if low in text.lower() or (name.isupper() and low in initials_in(text)):
        return True
    return any(zh in text for zh in retriever.index.bilingual.pinyin.get(low, ()))  # "rongjiang": 榕江


def _structure(ask: Ask, candidates: set[str], claimed: dict[str, tuple[tuple[str, ...], ...]]) -> dict[str, int]:
    """Per candidate article, how much of the question its structure answers to: the headings the question
    names surely (an entity of its outline), plus each name the glossary written for it recognises; a follow-up
    that names nothing of its own ("有案例吗？", "what about the second one?") counts the article of the turn
    before, routed as that turn was when asked. (With earlier turns routed without the glossary's claims this
    was measured and dropped: dev.jsonl at 201 articles 0.851 -> 0.829.)"""
    out: dict[str, int] = {}
    for doc in candidates:
        named = {m.entity.name for m in ask.entities if m.entity.doc == doc and m.strength >= 0.9 and not facet_named(m, ask.facets)}
        out[doc] = len(named) + len(claimed.get(doc, ()))
    # What a follow-up names only through the dictionary's senses ("a case" -> every article's 典型案例) is a
    # facet of the turn before's subject more often than a subject of its own.
    own = [m for m in ask.entities if m.strength >= 0.9 and m.how not in ("english", "gloss", "words")]
    if ask.followup and not own and ask.previous_docs and ask.previous_docs[0] in out:
        out[ask.previous_docs[0]] += 1
    return out


def _distinct(name: str, doc: str, candidates: set[str], retriever: Retriever, ask: Ask | None = None) -> bool:
    """Whether a name tells this article apart from the other candidates: none uses it at all (in its own
    words, case aside) or, among many candidates, at most RARE_SHARE of them mention it and none gives it a
    heading the question names (structure, not mere mention)."""
    low = name.lower()
    others = [d for d in candidates if d != doc]
    users = sum(1 for d in others if _uses(name, d, retriever))
    if users == 0:
        return True
    if ask is None or users > RARE_SHARE * len(others):
        return False
    return not any(
        m.entity.doc != doc and m.entity.doc in candidates and m.strength >= 0.9 and low in (n.lower() for n in m.entity.names) for m in ask.entities
    )
