"""Search the index: dense (FAISS or another backend, vectors.py), sparse (BM25 over jieba tokens) and their fusion -> Hit.

Fusion is reciprocal rank fusion (Cormack et al. 2009): each list contributes
1/(60 + rank), so neither score scale dominates.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .corpus import Passage
from .index import IndexData
from .tokens import tokenize
from .vectors import FaissVectors, Subset

if TYPE_CHECKING:
    from .embed import Embedder
    from .lexicon import Lexicon
    from .vectors import VectorIndex

RRF_K = 60
#: At most this many corpus words stand in for one English word of a question.
MAX_BRIDGE = 3
MODES = ("hybrid", "dense", "bm25")
#: Question embeddings remembered (about 1.5 KB each). Routing and answering embed the same text, and the
#: follow-ups suggested after an answer, each asked before it is offered, recur from question to question
#: (a follow-up pattern with a role's name): embedding is most of an answer's CPU time.
QUERY_CACHE = 4096


@dataclass(frozen=True)
class Hit:
    """One retrieved passage with its fused score and the scores behind it."""

    passage: Passage
    score: float
    dense: float = 0.0
    bm25: float = 0.0
    #: The second encoder's cosine (English questions; None where it was not asked or did not rank the passage).
    cross: float | None = None


class QueryVectors:
    """A bounded LRU of question embeddings (the embedder is deterministic), shared by an Assistant's retrievers."""

    def __init__(self, embedder: "Embedder", size: int = QUERY_CACHE) -> None:
        self.embedder = embedder
        self.size = size
        self._items: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, text: str) -> Any:
        """The embedding of one question text."""
        with self._lock:
            vec = self._items.get(text)
            if vec is not None:
                self._items.move_to_end(text)
                return vec
        vec = self.embedder.encode_query([text])[0]
        with self._lock:
            self._items[text] = vec
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return vec


def rrf(rankings: list[list[int]], k: int = RRF_K) -> dict[int, float]:
    """Reciprocal rank fusion of several ranked lists of positions."""
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, pos in enumerate(ranking):
            fused[pos] = fused.get(pos, 0.0) + 1.0 / (k + rank + 1)
    return fused


class Retriever:
    """Dense, BM25 and hybrid search over one loaded index."""

    def __init__(
        self, index: IndexData, embedder: "Embedder", lexicon: "Lexicon | None" = None, vectors: QueryVectors | None = None, dense: "VectorIndex | None" = None
    ) -> None:
        self.index = index
        #: The vector search (vectors.py): FAISS in the process unless a backend is given.
        self.dense_index = dense if dense is not None else FaissVectors(index.dense)
        self.embedder = embedder
        self.lexicon = lexicon
        self._rows: dict[tuple[frozenset[str] | None, bool], Any] = {}
        self.vectors = vectors if vectors is not None else QueryVectors(embedder)
        self._docs: list[str] = []
        self._texts: dict[str, str] = {}
        self._cross_vectors: QueryVectors | None = None
        self._doc_rows: dict[frozenset[str], list[int]] = {}

    def rows_of(self, docs: frozenset[str] | None, primary: bool = False) -> Any:
        """The vector rows of the passages of some articles (all when docs is None); with primary, only each
        passage's own text, not its rendering (cached)."""
        import numpy as np

        key = (docs, primary)
        if key not in self._rows:
            seen: set[int] = set()
            rows = []
            for r, pos in enumerate(self.index.owner):
                if (docs is None or self.index.passages[pos].doc in docs) and not (primary and pos in seen):
                    rows.append(r)
                seen.add(pos)
            self._rows[key] = np.asarray(rows, dtype="int64")
        return self._rows[key]

    def docs(self) -> list[str]:
        """The articles of the index, sorted."""
        if not self._docs:
            self._docs = sorted({p.doc for p in self.index.passages})
        return self._docs

    def text_of(self, doc: str) -> str:
        """An article's passages joined (cached; for checks of whether it uses a phrase at all)."""
        if doc not in self._texts:
            self._texts[doc] = "\n".join(p.text for p in self.index.passages if p.doc == doc)
        return self._texts[doc]

    def positions_of(self, docs: frozenset[str]) -> set[int]:
        """The positions of the passages of some articles."""
        return {i for i, p in enumerate(self.index.passages) if p.doc in docs}

    def sorted_positions(self, docs: frozenset[str]) -> list[int]:
        """The positions of the passages of some articles, in order (cached)."""
        if docs not in self._doc_rows:
            if len(self._doc_rows) > 64:
                self._doc_rows.clear()
            self._doc_rows[docs] = sorted(self.positions_of(docs))
        return self._doc_rows[docs]

    def dense_vector(self, vec: Any, k: int, docs: frozenset[str] | None = None, primary: bool = False) -> dict[int, float]:
        """Passage position -> best cosine over its vectors, for the top k passages (of some articles only;
        with primary, over each passage's own text only)."""
        n = self.dense_index.ntotal
        if n == 0:
            return {}
        want = min(n, max(k * 3, k + 8))
        subset = None
        if docs is not None or primary:
            rows = self.rows_of(docs, primary)
            if not len(rows):
                return {}
            subset = Subset(rows, docs, primary)
        best: dict[int, float] = {}
        for row, s in self.dense_index.search(vec, want, subset):
            pos = self.index.owner[row]
            if pos not in best or s > best[pos]:
                best[pos] = s
        return dict(sorted(best.items(), key=lambda kv: -kv[1])[:k])

    def cross(self, text: str, k: int, docs: frozenset[str]) -> dict[int, float]:
        """Passage position -> cosine of the second encoder (embed.CrossEncoder) for the top k passages of some
        articles; {} when the index has no such vectors."""
        if self.index.cross is None:
            return {}
        if self._cross_vectors is None:
            from .embed import CrossEncoder

            self._cross_vectors = QueryVectors(CrossEncoder(self.index.manifest.cross_model))
        return self._nearest(self.index.cross, self._cross_vectors, text, k, docs)

    def window(self, text: str, k: int, docs: frozenset[str]) -> dict[int, float]:
        """Passage position -> cosine of the question with the passage embedded among its neighbours
        (index.window_texts) for the top k passages of some articles; {} when the index has no such vectors."""
        if self.index.window is None:
            return {}
        return self._nearest(self.index.window, self.query_vector, text, k, docs)

    def _nearest(self, matrix: Any, vectors: Callable[[str], Any], text: str, k: int, docs: frozenset[str]) -> dict[int, float]:
        """Position -> cosine of the question's vector (by vectors) with the rows of matrix for the top k
        passages of some articles (exact search: a few articles' rows)."""
        import numpy as np

        rows = self.sorted_positions(docs)
        if not rows:
            return {}
        sims = np.asarray(matrix[rows], dtype=np.float32) @ np.asarray(vectors(text), dtype=np.float32)
        top = np.argsort(-sims, kind="stable")[:k]
        return {rows[j]: float(sims[j]) for j in top}

    def query_vector(self, text: str) -> Any:
        """The question's embedding (remembered: see QUERY_CACHE)."""
        return self.vectors(text)

    def dense(self, text: str, k: int, docs: frozenset[str] | None = None) -> dict[int, float]:
        """Embed text and search the vectors."""
        return self.dense_vector(self.query_vector(text), k, docs)

    def tokens(self, text: str, expand: bool = True) -> list[str]:
        """BM25 query tokens; with expand, glossary terms add their Chinese forms and English words the corpus
        words they translate to (the bilingual vocabulary of the index)."""
        if expand and self.lexicon is not None:
            text = self.lexicon.expand(text)
        toks = tokenize(text)
        if expand:
            bridge = self.index.bilingual
            toks += [zh for t in toks if t.isascii() for zh in bridge.to_zh(t, own_sense=True)[:MAX_BRIDGE]]
            toks += [named.lower() for named in bridge.lettered(text, MAX_BRIDGE)]  # "company A": 企业a
        return toks

    def bm25(self, text: str, k: int, expand: bool = True, docs: frozenset[str] | None = None) -> dict[int, float]:
        """BM25 over jieba/English tokens (of some articles only)."""
        toks = self.tokens(text, expand)
        if docs is None:
            return dict(self.index.bm25.top(toks, k))
        allowed = self.positions_of(docs)
        scored = self.index.bm25.scores(toks)
        return dict(sorted(((d, s) for d, s in scored.items() if d in allowed), key=lambda kv: (-kv[1], kv[0]))[:k])

    def search(self, text: str, k: int = 5, mode: str = "hybrid", expand: bool = True, docs: frozenset[str] | None = None) -> list[Hit]:
        """The top k passages for text by one of MODES (of some articles only)."""
        depth = max(k, 20)
        dense = self.dense(text, depth, docs) if mode in ("hybrid", "dense") else {}
        sparse = self.bm25(text, depth, expand=expand, docs=docs) if mode in ("hybrid", "bm25") else {}
        if mode == "dense":
            fused = dense
        elif mode == "bm25":
            fused = sparse
        else:
            fused = rrf([list(dense), list(sparse)])
        ranked = sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
        return [Hit(self.index.passages[pos], score, dense.get(pos, 0.0), sparse.get(pos, 0.0)) for pos, score in ranked]
