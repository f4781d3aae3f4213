"""A fast query encoder: the same model exported to ONNX, run with onnxruntime and the tokenizers library.

Importing torch and sentence-transformers costs seconds; this path needs neither.
`build` exports the model next to the index and keeps the export only when it
reproduces the sentence-transformers vectors (cosine >= MIN_COSINE on a sample
of passages and questions), so answers do not change.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import IndexError_

if TYPE_CHECKING:
    import numpy as np

    from .embed import Embedder

MIN_COSINE = 0.999
FIX = "run `python -m assistant build`"
DIRNAME = "query_encoder"
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def export(embedder: "Embedder", out_dir: Path, sample: list[str]) -> dict:
    """Export the embedder's model to out_dir and verify it against the original; raises on failure."""
    import numpy as np
    import torch

    st = embedder._load()
    transformer = st[0]
    hf = transformer.auto_model.eval()
    tok_src = Path(transformer.tokenizer.name_or_path) / "tokenizer.json"
    out_dir.mkdir(parents=True, exist_ok=True)
    if tok_src.is_file():
        shutil.copyfile(tok_src, out_dir / "tokenizer.json")
    else:
        transformer.tokenizer.backend_tokenizer.save(str(out_dir / "tokenizer.json"))

    class Hidden(torch.nn.Module):
        def __init__(self, model: Any) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.model(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state

    dummy = tuple(torch.ones(1, 8, dtype=torch.long) if n != "token_type_ids" else torch.zeros(1, 8, dtype=torch.long) for n in _INPUTS)
    axes = {n: {0: "batch", 1: "seq"} for n in (*_INPUTS, "hidden")}
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the exporter's notes on opset details, not problems
        torch.onnx.export(
            Hidden(hf),
            dummy,
            str(out_dir / "model.onnx"),
            input_names=list(_INPUTS),
            output_names=["hidden"],
            dynamic_axes=axes,
            opset_version=17,
            dynamo=False,
        )
    meta = {"max_length": int(st.max_seq_length or 256), "dim": int(embedder.dim), "model": embedder.model_name}
    (out_dir / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    fast = OnnxEmbedder(out_dir)
    a = embedder.encode(sample)
    b = fast.encode(sample)
    cosine = float(np.min(np.sum(a * b, axis=1)))
    if cosine < MIN_COSINE:
        raise ValueError(f"ONNX export differs from the model (min cosine {cosine:.5f} < {MIN_COSINE})")
    meta["min_cosine"] = round(cosine, 6)
    meta["verified_on"] = len(sample)
    (out_dir / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return meta


class OnnxEmbedder:
    """Encodes like Embedder (mean pooling, L2 norm) from an exported folder; loads on first use."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        try:
            meta = json.loads((self.folder / "meta.json").read_text(encoding="utf-8"))
            self.model_name = str(meta["model"])
            self.dim = int(meta["dim"])
            self.max_length = int(meta["max_length"])
        except (OSError, UnicodeDecodeError, ValueError, TypeError, KeyError) as exc:
            raise IndexError_(f"{self.folder / 'meta.json'} is corrupt ({type(exc).__name__})", FIX) from exc
        self._session: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    def _load(self) -> None:
        with self._lock:
            if self._session is None:
                # An offline tool sends nothing: onnxruntime >= 1.29 otherwise writes a device id under ~/.cache and uploads telemetry.
                os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
                os.environ.setdefault("ORT_TELEMETRY_DISABLED", "1")
                import onnxruntime as ort
                from tokenizers import Tokenizer

                name = "tokenizer.json"
                try:  # the index verified these files; a failure here is damage after loading, named, not a traceback
                    tok = Tokenizer.from_file(str(self.folder / name))
                    tok.enable_truncation(self.max_length)
                    tok.enable_padding()
                    opts = ort.SessionOptions()
                    opts.intra_op_num_threads = 2
                    opts.log_severity_level = 3
                    name = "model.onnx"
                    session = ort.InferenceSession(str(self.folder / name), opts, providers=["CPUExecutionProvider"])
                except Exception as exc:  # tokenizers and onnxruntime raise their own exception types
                    raise IndexError_(f"{self.folder / name} cannot be loaded ({type(exc).__name__}: {str(exc)[:120]})", FIX) from exc
                self._tokenizer = tok
                self._session = session

    def encode(self, texts: list[str], batch_size: int = 64) -> "np.ndarray":
        """Embed texts; rows are unit length."""
        import numpy as np

        self._load()
        out = []
        for i in range(0, len(texts), batch_size):
            enc = self._tokenizer.encode_batch(texts[i : i + batch_size])
            ids = np.array([e.ids for e in enc], dtype=np.int64)
            mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
            feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            hidden = self._session.run(["hidden"], feeds)[0]
            m = mask[:, :, None].astype(np.float32)
            pooled = (hidden * m).sum(axis=1) / np.clip(m.sum(axis=1), 1e-9, None)
            out.append(pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None))
        if not out:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.ascontiguousarray(np.vstack(out), dtype=np.float32)

    def encode_query(self, texts: list[str]) -> "np.ndarray":
        """Questions embed as passages do for the symmetric models this export serves."""
        return self.encode(texts)
