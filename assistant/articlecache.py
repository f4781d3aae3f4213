"""A per-article cache of what a build derives from an article's text: its passages and their BM25 tokens.

Reading a scraped article by its outline takes about 20 ms and cutting its passages into words (jieba) several
times that, so on a corpus of thousands of articles these, not the FAISS rebuild, would dominate a build that
embeds one new article. Entries are keyed by the SHA-256 of the exact input and a fingerprint of the code that
derives it (the source of the modules and data files involved), so an edit to the splitter or the tokenizer
invalidates them without anyone remembering to. Each entry is one file under ``index/parsed/`` (or
``ASSISTANT_PARSE_CACHE``), written to a temporary file and renamed, its first line the SHA-256 of the rest: a
damaged entry is a miss (and is rewritten), never trusted.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import uuid
from functools import lru_cache
from pathlib import Path
from typing import Any

CACHE_DIRNAME = "parsed"
_HERE = Path(__file__).resolve().parent


def cache_dir(index_dir: Path) -> Path:
    """Where the article cache of an index folder lives."""
    env = os.environ.get("ASSISTANT_PARSE_CACHE")
    return Path(env) if env else index_dir / CACHE_DIRNAME


@lru_cache(maxsize=8)
def fingerprint(*files: str) -> str:
    """SHA-256 over the bytes of source files (relative to the package), naming the code an entry came from."""
    h = hashlib.sha256()
    for name in files:
        h.update(name.encode() + b"\0" + (_HERE / name).read_bytes())
    return h.hexdigest()


class ArticleCache:
    """JSON values by (kind, input text), for one code fingerprint."""

    def __init__(self, folder: Path, kind: str, salt: str) -> None:
        self.folder = folder / kind
        self.salt = salt
        self.hits = 0
        self.misses = 0

    def _path(self, text: str) -> Path:
        key = hashlib.sha256(self.salt.encode() + b"\0" + text.encode("utf-8", "surrogatepass")).hexdigest()
        return self.folder / key[:2] / f"{key}.json"

    def get(self, text: str) -> Any | None:
        """The stored value for this input, or None (absent, damaged or unreadable)."""
        try:
            raw = self._path(text).read_bytes()
        except OSError:
            self.misses += 1
            return None
        digest, _, body = raw.partition(b"\n")
        if hashlib.sha256(body).hexdigest().encode() != digest:
            self.misses += 1
            return None
        try:
            value = json.loads(body)
        except ValueError:
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put(self, text: str, value: Any) -> None:
        """Store a value (best effort: a cache that cannot be written costs time, not correctness)."""
        body = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
        path = self._path(text)
        tmp = path.with_name(f".{uuid.uuid4().hex}.tmp")
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                with open(tmp, "wb") as fh:
                    fh.write(hashlib.sha256(body).hexdigest().encode() + b"\n" + body)
                os.replace(tmp, path)
            finally:
                tmp.unlink(missing_ok=True)
