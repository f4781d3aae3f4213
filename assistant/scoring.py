"""Every weight and threshold of the any-article strategies, in one frozen config that sweeps can replace."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scoring:
    """Weights of a passage's score parts and the thresholds of routing and declining."""

    retrieval: float = 2.0  # fused dense + BM25 evidence, 0..1
    entity: float = 1.5  # the passage sits under a heading the question names
    entity_lead: float = 0.5  # ... and opens with the entity's name
    facet: float = 1.5  # the passage carries a field label the question names
    carried: float = 0.8  # under the entity a follow-up carries over from history
    depth: int = 24  # passages retrieved per question
    dense_share: float = 0.5  # of retrieval evidence, the dense cosine's share (the rest BM25)
    #: Routing (in cosine units): the article's best BM25 match relative to the best article's.
    route_sparse: float = 0.03
    #: Routing: the question names a heading of this article that no other candidate article uses.
    route_entity: float = 0.03
    #: Routing: the article of the previous turn, for a follow-up.
    route_sticky: float = 0.03
    #: Answer size: characters of the shown answer (text plus quotes) an answer may take.
    budget: int = 900
    #: A second or third passage joins the answer when it scores at least this share of the best.
    keep_ratio: float = 0.5
    #: Declining: e5 cosine of the best passage below which a question is off the corpus.
    min_dense: float = 0.80
    #: ... and the share of the question's content words the article knows, below which a weak match declines.
    min_coverage: float = 0.34
    #: A weak match: best cosine below this needs the coverage above.
    weak_dense: float = 0.84


SCORING = Scoring()
