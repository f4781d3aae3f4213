"""Search the index: dense (FAISS), sparse (BM25 over jieba tokens) and their fusion -> Hit.

Fusion is reciprocal rank fusion (Cormack et al. 2009): each list contributes
1/(60 + rank), so neither score scale dominates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .corpus import Passage
from .index import IndexData
from .tokens import tokenize

if TYPE_CHECKING:
    from .embed import Embedder
    from .lexicon import Lexicon

RRF_K = 60
MODES = ("hybrid", "dense", "bm25")


@dataclass(frozen=True)
class Hit:
    """One retrieved passage with its fused score and the scores behind it."""

    passage: Passage
    score: float
    dense: float = 0.0
    bm25: float = 0.0


def rrf(rankings: list[list[int]], k: int = RRF_K) -> dict[int, float]:
    """Reciprocal rank fusion of several ranked lists of positions."""
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, pos in enumerate(ranking):
            fused[pos] = fused.get(pos, 0.0) + 1.0 / (k + rank + 1)
    return fused


class Retriever:
    """Dense, BM25 and hybrid search over one loaded index."""

    def __init__(self, index: IndexData, embedder: "Embedder", lexicon: "Lexicon | None" = None) -> None:
        self.index = index
        self.embedder = embedder
        self.lexicon = lexicon

    def dense_vector(self, vec: Any, k: int) -> dict[int, float]:
        """Passage position -> best cosine over its vectors, for the top k passages."""
        import numpy as np

        n = self.index.dense.ntotal
        if n == 0:
            return {}
        want = min(n, max(k * 3, k + 8))
        import faiss

        # One question at a time: OpenMP threads only add overhead (and stall under load) for a single
        # query, so search on one thread and give builds in the same process their threads back.
        threads = faiss.omp_get_max_threads()
        faiss.omp_set_num_threads(1)
        try:
            scores, rows = self.index.dense.search(np.asarray(vec, dtype="float32").reshape(1, -1), want)
        finally:
            faiss.omp_set_num_threads(threads)
        best: dict[int, float] = {}
        for s, row in zip(scores[0], rows[0], strict=True):
            if row < 0:
                continue
            pos = self.index.owner[row]
            if pos not in best or s > best[pos]:
                best[pos] = float(s)
        return dict(sorted(best.items(), key=lambda kv: -kv[1])[:k])

    def dense(self, text: str, k: int) -> dict[int, float]:
        """Embed text and search the vectors."""
        return self.dense_vector(self.embedder.encode([text])[0], k)

    def bm25(self, text: str, k: int, expand: bool = True) -> dict[int, float]:
        """BM25 over jieba/English tokens; with expand, glossary terms add their Chinese forms."""
        if expand and self.lexicon is not None:
            text = self.lexicon.expand(text)
        return dict(self.index.bm25.top(tokenize(text), k))

    def search(self, text: str, k: int = 5, mode: str = "hybrid", expand: bool = True) -> list[Hit]:
        """The top k passages for text by one of MODES."""
        depth = max(k, 20)
        dense = self.dense(text, depth) if mode in ("hybrid", "dense") else {}
        sparse = self.bm25(text, depth, expand=expand) if mode in ("hybrid", "bm25") else {}
        if mode == "dense":
            fused = dense
        elif mode == "bm25":
            fused = sparse
        else:
            fused = rrf([list(dense), list(sparse)])
        ranked = sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
        return [Hit(self.index.passages[pos], score, dense.get(pos, 0.0), sparse.get(pos, 0.0)) for pos, score in ranked]
