"""Okapi BM25 over pre-tokenised documents, kept as plain postings so it saves as JSON."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass


@dataclass
class BM25:
    """Postings (token -> [[doc, tf], ...]), document lengths and the usual k1/b."""

    postings: dict[str, list[list[int]]]
    doc_len: list[int]
    k1: float = 1.2
    b: float = 0.75

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
        n = len(self.doc_len)
        if not n:
            return {}
        avg = sum(self.doc_len) / n or 1.0
        out: dict[int, float] = {}
        for tok in set(query):
            plist = self.postings.get(tok)
            if not plist:
                continue
            idf = math.log(1 + (n - len(plist) + 0.5) / (len(plist) + 0.5))
            for doc, tf in plist:
                norm = tf + self.k1 * (1 - self.b + self.b * self.doc_len[doc] / avg)
                out[doc] = out.get(doc, 0.0) + idf * tf * (self.k1 + 1) / norm
        return out
