"""Every weight and threshold of the any-article strategies, in one frozen config that sweeps can replace."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scoring:
    """Weights of a passage's score parts and the thresholds of routing and declining."""

    retrieval: float = 2.0  # fused dense + BM25 evidence, 0..1
    entity: float = 1.5  # the passage sits under a heading the question names
    entity_lead: float = 0.5  # ... and opens with the entity's name
    entity_opening: float = 0.5  # ... or opens its section's body text, asked what the entity is
    facet: float = 1.5  # the passage carries a field label the question names
    carried: float = 0.8  # under the entity a follow-up carries over from history
    position: float = 2.0  # among the first (or last) passages when the question asks for the opening (or ending)
    position_span: int = 3
    naming_share: float = 0.1  # a word of the question used by at most this share of an article's passages names a place in it
    position_reach: int = 8  # ... and of the section the last of them closes, at most this many
    position_body: int = 15  # a passage shorter than this at the end (a source line, a tag) is no part of the ending
    topic: float = 0.6  # the passage speaks of a topic the question asks (see answerable.py)
    time: float = 1.5  # the passage is stamped with the time of day the question names ("around 3pm": "15:00：…")
    person: float = 0.8  # the passage names someone the question names (a story's 周明轩) ...
    person_after: float = 0.5  # ... or goes on about them right after one that does ("他的打算是…"), naming no one else
    person_reach: int = 2  # ... at most this many passages on, in the same section
    relation: float = 1.5  # asked whom an entity works with: a passage of working together, under it or naming it beside a sibling
    topic_pool: int = 8  # passages speaking of it join the candidates when at most this many do
    depth: int = 24  # passages retrieved per question
    dense_share: float = 0.5  # of retrieval evidence, the dense cosine's share (the rest BM25)
    #: With the second encoder (English questions): its share and e5's (the rest BM25); swept on the 18
    #: articles of the shared and held-out sets, docs/any-article.md "Session 8".
    cross_share: float = 0.35
    dense_share_cross: float = 0.25
    # Each passage embedded with its neighbours (index.window_texts) gives this share of the retrieval evidence,
    # the rest as above. Measured on 15 held-out articles' questions (source passage in retrieval's first three):
    # English 112 -> 121 of 165, Chinese 128 -> 131 of 165 at 0.2; 0.35 gained nothing more.
    window_share: float = 0.2
    #: Routing (in cosine units): the article's best BM25 match relative to the best article's.
    route_sparse: float = 0.03
    #: Routing: the question names a heading of this article that no other candidate article uses.
    route_entity: float = 0.03
    #: Routing: an article whose glossary recognises what the question asks (see route.route).
    route_glossary: float = 0.02
    #: Routing: an article whose glossary recognises nothing in the question (measured on the fresh articles of
    #: eval/heldout/articles2 beside the seed: their questions routed right 95% -> 97%, the seed's unchanged).
    route_unrecognised: float = 0.02
    #: Routing: the article of the previous turn, for a follow-up.
    route_sticky: float = 0.03
    #: Routing: a question that speaks of someone as she or he, beside an article that tells of someone so (a story).
    route_person: float = 0.02
    #: Answer size: characters of the shown answer (text plus quotes) an answer may take.
    budget: int = 950
    #: Retrieval's own best passage joins an answer that structure built without it (a named entry, a list)
    #: when its retrieval evidence (0..1) leads every cited passage's by at least this much.
    retrieval_lead: float = 0.2
    #: ... or, where structure widened the answer (a list, an entry), when it comes within this much of the best
    #: cited passage's.
    retrieval_near: float = 0.12
    #: A topic the question asks (salary) that the chosen passages are silent on: a passage speaking of it
    #: answers instead when its retrieval evidence is at least this share of the best cited passage's.
    topic_lead: float = 1.0
    #: A second or third passage joins the answer when it scores at least this share of the best.
    keep_ratio: float = 0.3
    #: Declining (docs/any-article.md, swept on the shared dev articles): e5 cosine of the best passage below
    #: which a question is off the corpus. Chinese questions sit much closer to Chinese passages than English
    #: ones do, so each language has its own floor.
    min_dense: float = 0.76
    min_dense_zh: float = 0.88
    #: A question whose words the article mostly knows is not off the corpus whatever its cosine (a short
    #: definitional question about an acronym sits far from every passage).
    known_share: float = 0.75
    #: The same for Chinese, of the words the article writes as they are (known through a synonym, a share of
    #: known_share is needed): colloquial questions about an article hold two or three words no article writes
    #: ("那阵儿", "靠谱不"). Over the articles' question sets (docs/any-article.md, session 32) no everyday
    #: off-topic question held more than half of its words so known; in-scope ones at 0.6-0.7 were declined.
    known_share_zh: float = 0.6
    #: An English question below this cosine needs at least min_coverage of its content words known.
    weak_dense: float = 0.82
    min_coverage: float = 0.45
    #: Below this share of known content words a question is declined whatever its cosine (Chinese, English).
    floor_coverage_zh: float = 0.3
    floor_coverage_en: float = 0.2
    #: An English question whose best passage the second encoder (trained on translation pairs, so its cosines
    #: are comparable across articles) puts below this, and none of whose own words the article's text uses,
    #: is off the corpus: the dictionary bridges some everyday word of any question into a long article, and e5
    #: cosines sit high for everything. Measured on the read sets (docs/any-article.md, session 9).
    min_cross: float = 0.18
    #: The same for an article without English renderings, whose coverage of an English question comes from the
    #: dictionary alone, so everyday words count ("time", "way", "call"). Measured in session 21 on 195 English
    #: questions of 11 such articles: household questions sat at 0.19-0.21, the lowest answerable one naming
    #: nothing the article writes at 0.23.
    min_cross_bridged: float = 0.22
    #: Among many articles (route.MANY) the passages found must hold at least this share of the question's
    #: content words (its names count as held): some article of a big library sits near any question by
    #: similarity alone and shares an everyday word or two with it ("eat", 方便). Half is the bar; measured on
    #: the seed's sets beside 200 real articles (docs/performance.md, session 24).
    min_held_many: float = 0.5


SCORING = Scoring()
