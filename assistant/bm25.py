"""Okapi BM25 over pre-tokenised documents, kept as plain postings so it saves as JSON."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass
class BM25:
    """Postings (token -> [[doc, tf], ...]), document lengths and the usual k1/b."""

    postings: dict[str, list[list[int]]]
    doc_len: list[int]
    k1: float = 1.2
    b: float = 0.75
    _arrays: dict | None = field(default=None, repr=False, compare=False)
    _lengths: Any = field(default=None, repr=False, compare=False)

    @classmethod
    def build(cls, docs: list[list[str]]) -> "BM25":
        """Index token lists, one per document."""
        postings: dict[str, list[list[int]]] = {}
        for i, toks in enumerate(docs):
            for tok, tf in Counter(toks).items():
                postings.setdefault(tok, []).append([i, tf])
        return cls(postings, [len(d) for d in docs])

    def to_json(self) -> dict:
        """A JSON-ready form."""
        return {"k1": self.k1, "b": self.b, "doc_len": self.doc_len, "postings": self.postings}

    @classmethod
    def from_json(cls, data: dict) -> "BM25":
        """The inverse of to_json."""
        return cls(dict(data["postings"]), list(data["doc_len"]), float(data["k1"]), float(data["b"]))

    def scores(self, query: list[str]) -> dict[int, float]:
        """BM25 score of every document that shares a token with the query."""
        acc = self._accumulate(query)
        if acc is None:
            return {}
        nz = acc.nonzero()[0]
        return {int(d): float(acc[d]) for d in nz}

    def top(self, query: list[str], k: int) -> list[tuple[int, float]]:
        """The k best (document, score) pairs, best first (ties by document order)."""
        import numpy as np

        acc = self._accumulate(query)
        if acc is None or k <= 0:
            return []
        nz = acc.nonzero()[0]
        if len(nz) > k:
            part = np.argpartition(-acc[nz], k - 1)[:k]
            nz = nz[part]
        order = sorted(nz.tolist(), key=lambda d: (-acc[d], d))
        return [(int(d), float(acc[d])) for d in order]

    def _accumulate(self, query: list[str]):  # type: ignore[no-untyped-def]
        """Scores of all documents as one array (numpy, so common tokens over 100k documents stay fast)."""
        import numpy as np

        n = len(self.doc_len)
        if not n:
            return None
        if self._arrays is None:
            self._lengths = np.asarray(self.doc_len, dtype=np.float32)
            self._arrays = {}
        avg = float(self._lengths.mean()) or 1.0
        acc = np.zeros(n, dtype=np.float32)
        for tok in set(query):
            plist = self.postings.get(tok)
            if not plist:
                continue
            if tok not in self._arrays:
                arr = np.asarray(plist, dtype=np.int64).reshape(-1, 2)
                self._arrays[tok] = (arr[:, 0], arr[:, 1].astype(np.float32))
            docs, tf = self._arrays[tok]
            idf = math.log(1 + (n - len(docs) + 0.5) / (len(docs) + 0.5))
            norm = tf + self.k1 * (1 - self.b + self.b * self._lengths[docs] / avg)
            acc[docs] += idf * tf * (self.k1 + 1) / norm
        return acc
