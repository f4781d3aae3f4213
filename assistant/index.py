"""Build, save and load index/ atomically: FAISS vectors, BM25 postings, passages and a manifest.

Layout: ``index/CURRENT`` names the live build folder (``index/build-*``). A
build is written into ``index/.tmp-*``, renamed, and only then does CURRENT
switch to it (write-then-rename), so readers never see half an index and a
build killed halfway leaves the previous one in place. Builds take
``index/.lock`` so two never interleave.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .bm25 import BM25
from .config import Settings
from .corpus import CorpusLoad, Passage, Rendering, load_corpus, load_renderings
from .dictionary import Bilingual
from .errors import IndexError_
from .tokens import tokenize

if TYPE_CHECKING:
    from .embed import Embedder

FORMAT_VERSION = 3  # 2: Snowball English stems in BM25; 3: the bilingual vocabulary (bilingual.json), article titles
FLAT_LIMIT = 50_000  # above this many vectors, "auto" picks HNSW
MANIFEST, PASSAGES, DENSE, BM25_FILE, CURRENT = "manifest.json", "passages.jsonl", "dense.faiss", "bm25.json", "CURRENT"
BILINGUAL = "bilingual.json"

Status = Callable[[str], None]


@dataclass(frozen=True)
class Manifest:
    """What an index was built from; compared with the corpus and model to detect staleness."""

    format_version: int
    model: str
    dim: int
    corpus_hash: str
    n_passages: int
    n_vectors: int
    index_type: str
    files: list[str]
    skipped: list[list[str]]
    built_at: str
    build_seconds: float
    query_encoder: dict | None = None  # the verified ONNX export of the model, when there is one


@dataclass
class IndexData:
    """A loaded index: passages with their renderings, vectors (with owners) and BM25."""

    manifest: Manifest
    passages: tuple[Passage, ...]
    renderings: dict[str, Rendering]
    dense: Any  # faiss.Index
    owner: list[int]  # vector row -> passage position
    bm25: BM25
    path: Path
    bilingual: Bilingual = field(default_factory=Bilingual)

    def position(self, pid: str) -> int:
        """The position of a passage id, or -1."""
        return self._pos.get(pid, -1)

    def __post_init__(self) -> None:
        self._pos = {p.id: i for i, p in enumerate(self.passages)}


def passage_doc_text(p: Passage, r: Rendering | None) -> str:
    """The text BM25 sees for a passage: Chinese heading and text, then the English rendering."""
    parts = [p.heading_path, p.text]
    if r:
        parts += [r.heading, r.text]
    return "\n".join(parts)


def embed_texts(p: Passage, r: Rendering | None) -> list[str]:
    """The texts embedded for a passage: the original and, where written, its English rendering."""
    # A field or list item is named by its entry and label ("计算机视觉工程师 核心技能"), which often sit only in
    # the heading path; a paragraph by its section.
    label = " ".join(p.heading[-2:]) if p.kind in ("field", "item") and len(p.heading) > 1 else p.label
    texts = [f"{label}: {p.text}"]
    if r and r.text:
        label = r.heading.split(" > ")[-1] if r.heading else ""
        texts.append(f"{label}: {r.text}" if label else r.text)
    return texts


def choose_index_type(n_vectors: int, setting: str) -> str:
    """'flat' for small corpora, 'hnsw' for large ones, unless the setting names one."""
    if setting in ("flat", "hnsw"):
        return setting
    return "flat" if n_vectors <= FLAT_LIMIT else "hnsw"


def make_faiss(vectors: Any, index_type: str) -> Any:
    """A FAISS inner-product index over unit vectors."""
    import faiss

    dim = vectors.shape[1]
    if index_type == "hnsw":
        index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        index.hnsw.efSearch = 256  # recall@10 0.92 vs 0.84 at 96 on the 100k scale corpus, still < 1 ms (docs/performance.md)
    else:
        index = faiss.IndexFlatIP(dim)
    if len(vectors):
        index.add(vectors)
    return index


# -- locking and atomic writes ----------------------------------------------------


@contextlib.contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """Hold index/.lock exclusively (waits for another build to finish)."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".lock", "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def write_atomic(path: Path, text: str) -> None:
    """Write text to path via a temporary file and a rename, so readers see the old or the new file whole."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _clean_old(index_dir: Path, keep: str) -> None:
    """Remove earlier builds and the leftovers of killed builds (called while holding the lock)."""
    for child in index_dir.iterdir():
        if not child.is_dir() or child.name == keep:
            continue
        if child.name.startswith(".tmp-"):
            pid = child.name.split("-")[1]
            if pid.isdigit() and int(pid) != os.getpid() and _pid_alive(int(pid)):
                continue  # another build is still writing it
            if pid.isdigit() and int(pid) == os.getpid():
                continue  # a concurrent build in this process (threads)
            shutil.rmtree(child, ignore_errors=True)
        elif child.name.startswith("build-"):
            shutil.rmtree(child, ignore_errors=True)
        elif child.is_file() and child.name.startswith(".CURRENT.") and child.name.endswith(".tmp"):
            child.unlink(missing_ok=True)


# -- build ------------------------------------------------------------------------


def build_index(settings: Settings, embedder: "Embedder", status: Status = lambda _: None, corpus: CorpusLoad | None = None) -> IndexData:
    """Embed the corpus and write a new index; the previous one stays live until the switch."""
    import numpy as np

    start = time.perf_counter()
    corpus = corpus or load_corpus(settings.corpus_dir)
    for name, why in corpus.skipped:
        status(f"skipped {name}: {why}")
    renderings, warnings = load_renderings(settings.corpus_dir, corpus.passages)
    for w in warnings:
        status(w)
    texts: list[str] = []
    owner: list[int] = []
    for i, p in enumerate(corpus.passages):
        for t in embed_texts(p, renderings.get(p.id)):
            texts.append(t)
            owner.append(i)
    status(f"embedding {len(texts)} texts from {len(corpus.passages)} passages with {settings.model}")
    vectors = embedder.encode(texts) if texts else np.zeros((0, embedder.dim), dtype=np.float32)
    index_type = choose_index_type(len(texts), settings.index_type)
    dense = make_faiss(vectors, index_type)
    bm25 = BM25.build([tokenize(passage_doc_text(p, renderings.get(p.id))) for p in corpus.passages])
    bilingual = Bilingual.for_words(bm25.postings.keys())
    tmp = settings.index_dir / f".tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    tmp.mkdir(parents=True)
    encoder = _export_query_encoder(embedder, tmp, texts, status) if settings.encoder != "torch" else None
    manifest = Manifest(
        FORMAT_VERSION,
        settings.model,
        int(vectors.shape[1]),
        corpus.digest,
        len(corpus.passages),
        len(texts),
        index_type,
        list(corpus.files),
        [list(s) for s in corpus.skipped],
        time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        round(time.perf_counter() - start, 3),
        encoder,
    )
    with build_lock(settings.index_dir):
        path = _save(tmp, manifest, corpus.passages, renderings, dense, owner, bm25, bilingual)
    status(f"indexed {len(corpus.files)} file(s), {len(corpus.passages)} passages in {manifest.build_seconds:.1f}s")
    return IndexData(manifest, corpus.passages, renderings, dense, owner, bm25, path, bilingual)


def _export_query_encoder(embedder: "Embedder", tmp: Path, texts: list[str], status: Status) -> dict | None:
    """Export and verify the ONNX query encoder into the build folder; None (and a notice) when that fails."""
    if not hasattr(embedder, "_load") or not texts:
        return None  # test embedders and empty corpora have nothing to export
    from .onnx_encoder import DIRNAME, export

    step = max(1, len(texts) // 48)
    sample = texts[::step][:48] + ["What does traffic ops measure?", "流量运营的关键指标是什么?", "How do I bake bread?"]
    try:
        meta = export(embedder, tmp / DIRNAME, sample)
    except Exception as exc:  # export is an optimisation: any failure falls back to the torch encoder
        shutil.rmtree(tmp / DIRNAME, ignore_errors=True)
        status(f"note: no fast query encoder ({type(exc).__name__}: {str(exc)[:120]}); queries will load torch")
        return None
    status(f"fast query encoder verified (min cosine {meta['min_cosine']} on {meta['verified_on']} texts)")
    return meta


def _save(
    tmp: Path, manifest: Manifest, passages: tuple[Passage, ...], renderings: dict[str, Rendering], dense: Any, owner: list[int], bm25: BM25, bilingual: Bilingual
) -> Path:
    import faiss

    index_dir = tmp.parent
    with open(tmp / PASSAGES, "w", encoding="utf-8") as fh:
        for p in passages:
            row: dict[str, Any] = asdict(p)
            r = renderings.get(p.id)
            if r:
                row["rendering"] = asdict(r)
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    faiss.write_index(dense, str(tmp / DENSE))
    (tmp / BM25_FILE).write_text(json.dumps({"owner": owner, **bm25.to_json()}, ensure_ascii=False), encoding="utf-8")
    (tmp / BILINGUAL).write_text(json.dumps(bilingual.to_json(), ensure_ascii=False), encoding="utf-8")
    (tmp / MANIFEST).write_text(json.dumps(asdict(manifest), ensure_ascii=False, indent=1), encoding="utf-8")
    for f in tmp.rglob("*"):
        if f.is_file():
            with open(f, "rb") as fh:
                os.fsync(fh.fileno())
    final = index_dir / f"build-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:8]}"
    os.rename(tmp, final)
    write_atomic(index_dir / CURRENT, final.name + "\n")
    _clean_old(index_dir, keep=final.name)
    return final


# -- load -------------------------------------------------------------------------


def current_path(index_dir: Path) -> Path | None:
    """The live build folder, or None when no index was built yet."""
    try:
        name = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise IndexError_(f"cannot read {index_dir / CURRENT}: {exc}", "run `python -m assistant build`") from exc
    path = index_dir / name
    if not name or "/" in name or not name.startswith("build-") or not path.is_dir():
        raise IndexError_(f"{index_dir / CURRENT} points at a missing build ({name!r})", "run `python -m assistant build`")
    return path


def read_manifest(path: Path) -> Manifest:
    """The manifest of one build folder, checked for shape and format version."""
    file = path / MANIFEST
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        manifest = Manifest(**data)
    except FileNotFoundError as exc:
        raise IndexError_(f"{file} is missing", "run `python -m assistant build`") from exc
    except (OSError, UnicodeDecodeError, ValueError, TypeError) as exc:
        raise IndexError_(f"{file} is corrupt ({type(exc).__name__})", "run `python -m assistant build`") from exc
    if manifest.format_version != FORMAT_VERSION:
        raise IndexError_(f"{file} has format version {manifest.format_version}, this code reads {FORMAT_VERSION}", "run `python -m assistant build`")
    return manifest


def load_index(index_dir: Path) -> IndexData | None:
    """Load the live index, None when there is none; IndexError_ naming the file when it is damaged."""
    import faiss

    path = current_path(index_dir)
    if path is None:
        return None
    manifest = read_manifest(path)
    fix = "run `python -m assistant build`"
    passages: list[Passage] = []
    renderings: dict[str, Rendering] = {}
    file = path / PASSAGES
    try:
        with open(file, encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                r = row.pop("rendering", None)
                row["heading"] = tuple(row["heading"])
                p = Passage(**row)
                passages.append(p)
                if r:
                    renderings[p.id] = Rendering(**r)
    except (OSError, UnicodeDecodeError, ValueError, TypeError, KeyError) as exc:
        raise IndexError_(f"{file} is corrupt ({type(exc).__name__})", fix) from exc
    file = path / BM25_FILE
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        owner = [int(x) for x in data["owner"]]
        bm25 = BM25.from_json(data)
    except (OSError, UnicodeDecodeError, ValueError, TypeError, KeyError) as exc:
        raise IndexError_(f"{file} is corrupt ({type(exc).__name__})", fix) from exc
    file = path / BILINGUAL
    try:
        bilingual = Bilingual.from_json(json.loads(file.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, ValueError, TypeError, AttributeError) as exc:
        raise IndexError_(f"{file} is corrupt ({type(exc).__name__})", fix) from exc
    file = path / DENSE
    try:
        dense = faiss.read_index(str(file))
    except Exception as exc:  # faiss raises RuntimeError with C++ text for any damage
        raise IndexError_(f"{file} is corrupt or truncated", fix) from exc
    if dense.d != manifest.dim or dense.ntotal != manifest.n_vectors or len(owner) != dense.ntotal:
        raise IndexError_(f"{file} does not match {MANIFEST} (dimension {dense.d} vs {manifest.dim}, {dense.ntotal} vectors vs {manifest.n_vectors})", fix)
    if len(passages) != manifest.n_passages or len(bm25.doc_len) != len(passages) or (owner and max(owner) >= len(passages)):
        raise IndexError_(f"{path / PASSAGES} does not match {MANIFEST} ({len(passages)} passages vs {manifest.n_passages})", fix)
    return IndexData(manifest, tuple(passages), renderings, dense, owner, bm25, path, bilingual)


def stale_reason(manifest: Manifest, corpus: CorpusLoad, model: str) -> str | None:
    """Why an index no longer fits the corpus or model, or None when it does."""
    if manifest.model != model:
        return f"the model changed ({manifest.model} -> {model})"
    if manifest.corpus_hash != corpus.digest:
        return "the corpus changed"
    return None


def ensure_index(settings: Settings, embedder: "Embedder", status: Status = lambda _: None) -> IndexData:
    """Load the index, building it when missing and rebuilding it when stale or damaged."""
    corpus: CorpusLoad | None = None
    try:
        corpus = load_corpus(settings.corpus_dir)
    except Exception as exc:
        corpus_error = exc
    else:
        corpus_error = None
    try:
        data = load_index(settings.index_dir)
    except IndexError_ as exc:
        if corpus is None:
            raise
        status(f"Error: {exc.what}; rebuilding the index from {settings.corpus_dir}")
        return build_index(settings, embedder, status, corpus)
    if data is None:
        if corpus is None:
            raise corpus_error  # type: ignore[misc]
        status(f"no index in {settings.index_dir}; building it now (first run)")
        return build_index(settings, embedder, status, corpus)
    if corpus is None:
        status(f"warning: cannot read the corpus ({corpus_error}); using the existing index")
        return data
    reason = stale_reason(data.manifest, corpus, settings.model)
    if reason:
        status(f"{reason}; rebuilding the index")
        return build_index(settings, embedder, status, corpus)
    return data
