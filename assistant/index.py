"""Build, save and load index/ atomically: FAISS vectors, BM25 postings, passages and a manifest.

Layout: ``index/CURRENT`` names the live build folder (``index/build-*``). A
build is written into ``index/.tmp-*``, renamed, and only then does CURRENT
switch to it (write-then-rename), so readers never see half an index and a
build killed halfway leaves the previous one in place. Builds take
``index/.lock`` so two never interleave.

Every build verifies itself: the manifest records the size and SHA-256 of every
file of the build (the query encoder's included) and a seal over its own
contents; loading checks them and a mismatch names the file. Folders are
reference-counted with flock: a builder holds its ``.tmp-*`` folder
exclusively while writing it, a reader holds its build folder shared for as
long as it uses it, and the sweep (run by builds, under ``index/.lock``)
removes only folders nobody holds, so a build never deletes files another
process is loading and a killed build's folder is swept by the next one.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .articlecache import ArticleCache, cache_dir, fingerprint
from .bm25 import BM25
from .config import Settings
from .corpus import CorpusLoad, Passage, Rendering, load_corpus, load_renderings
from .dictionary import Bilingual, abbreviations, cedict
from .embstore import EmbeddingStore, Progress, embed_with_store, store_dir, text_key
from .errors import AssistantError, ConfigError, IndexError_, IndexWriteError
from .tokens import tokenize

if TYPE_CHECKING:
    from .embed import Embedder

FORMAT_VERSION = 9  # 2: Snowball English stems in BM25; 3: the bilingual vocabulary (bilingual.json), article titles; 4: short forms (用研); 5: every sense of a definition bridges; 6: the second encoder's vectors (cross.npy); 7: headings' names in pinyin; 8: a token per thing named by a letter (A企业); 9: a name before a heading's tagline in pinyin (晓峰 in "晓峰 从大厂到县城")
#: Up to this many vectors "auto" keeps exact (flat) search; above, IVF. Measured on real e5 vectors
#: (docs/performance.md, "Vector search at 600k"): flat answers in 7.7 ms p50 / 12.6 ms p95 at 50k and
#: 82 / 111 ms at 600k; IVF1024 with nprobe 64 keeps recall@10 at 0.95 in 9.4 / 17 ms at 600k, where HNSW
#: (M 32, efConstruction 80) reaches only 0.85 at efSearch 512 and takes 15x longer to build.
FLAT_LIMIT = 50_000
IVF_NLIST, IVF_NPROBE = 1024, 64
MANIFEST, PASSAGES, DENSE, BM25_FILE, CURRENT = "manifest.json", "passages.jsonl", "dense.faiss", "bm25.json", "CURRENT"
BILINGUAL = "bilingual.json"
#: One float16 row per passage (its own text) from the second encoder of English questions (embed.CrossEncoder).
CROSS = "cross.npy"
WINDOW = "window.npy"

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
    cross_model: str = "none"  # the second encoder whose vectors are in cross.npy (config.CROSS_MODELS)
    window: bool = False  # window.npy holds each passage embedded with its neighbours (window_texts)
    checksums: dict[str, dict] | None = None  # relative path -> {"size", "sha256"} for every file of the build
    seal: str = ""  # SHA-256 of the manifest's other fields, so a damaged manifest is noticed too


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
    hold: Any = field(default=None, repr=False, compare=False)  # the shared lock on path: no sweep removes it while in use
    bilingual: Bilingual = field(default_factory=Bilingual)  # the corpus's words in CC-CEDICT (dictionary.py)
    cross: Any = None  # passage position -> unit vector of the second encoder (float16), or None
    window: Any = None  # passage position -> unit vector of the passage with its neighbours (float16), or None

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


#: The most characters of a window text (a long passage is mostly itself).
WINDOW_CHARS = 1200


def window_texts(passages: tuple[Passage, ...]) -> list[str]:
    """Each passage's text with the passages before and after it in its article: a line that answers in the
    words of its neighbours ("效果：…" after a list it sums up, a story's next step) is found through them."""
    out = []
    for i, p in enumerate(passages):
        before = passages[i - 1].text if i > 0 and passages[i - 1].doc == p.doc else ""
        after = passages[i + 1].text if i + 1 < len(passages) and passages[i + 1].doc == p.doc else ""
        out.append("\n".join(t for t in (before, p.text, after) if t)[:WINDOW_CHARS])
    return out


def choose_index_type(n_vectors: int, setting: str) -> str:
    """'flat' for small corpora, 'ivf' for large ones, unless the setting names one."""
    if setting == "ivf" and n_vectors < 39 * IVF_NLIST:
        return "flat"  # too few vectors to train the lists
    if setting in ("flat", "hnsw", "ivf"):
        return setting
    return "flat" if n_vectors <= FLAT_LIMIT else "ivf"


def make_faiss(vectors: Any, index_type: str) -> Any:
    """A FAISS inner-product index over unit vectors."""
    import faiss

    dim = vectors.shape[1]
    if index_type == "hnsw":
        index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        index.hnsw.efSearch = 256  # recall@10 0.92 vs 0.84 at 96 on the 100k scale corpus, still < 1 ms (docs/performance.md)
    elif index_type == "ivf" and len(vectors) >= 39 * IVF_NLIST:  # fewer cannot train the lists: flat then
        index = faiss.index_factory(dim, f"IVF{IVF_NLIST},Flat", faiss.METRIC_INNER_PRODUCT)  # owns its quantizer
        index.train(vectors[:: max(1, len(vectors) // (64 * IVF_NLIST))])
        index.nprobe = IVF_NPROBE
        index.add(vectors)
        index.make_direct_map()  # rows can be read back (a subset index is made from them)
        return index
    else:
        index = faiss.IndexFlatIP(dim)
    if len(vectors):
        index.add(vectors)
    return index


# -- locking, folder checks and atomic writes ----------------------------------------

FIX = "run `python -m assistant build`"
TORCH_NOTE = "questions load torch (a few seconds each)"


def check_index_dir(index_dir: Path) -> None:
    """ConfigError when index_dir cannot be an index folder: a file, or a path whose parent does not exist (a typo)."""
    if index_dir.exists() and not index_dir.is_dir():
        raise ConfigError(f"the index folder {index_dir} is a file, not a folder", "pass --index (or ASSISTANT_INDEX) a folder, e.g. --index index")
    if not index_dir.exists() and not index_dir.parent.is_dir():
        raise ConfigError(
            f"the index folder {index_dir} does not exist, nor does its parent {index_dir.parent}",
            "check --index (or ASSISTANT_INDEX) for a typo, or create the parent folder first",
        )


def write_error(index_dir: Path, exc: OSError, doing: str = "write the index") -> IndexWriteError:
    """An IndexWriteError saying why the index cannot be written and what to do about it."""
    if exc.errno == errno.ENOSPC or exc.errno == errno.EDQUOT:
        fix = f"free disk space where {index_dir} lives, or pass --index a folder on another disk"
    elif exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        fix = f"make {index_dir} writable, or pass --index (or ASSISTANT_INDEX) a writable folder"
    else:
        fix = f"check {index_dir}, or pass --index (or ASSISTANT_INDEX) another folder"
    return IndexWriteError(f"cannot {doing} in {index_dir} ({exc.strerror or exc})", fix)


@contextlib.contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """Hold index/.lock exclusively (waits for another build to finish); IndexWriteError when it cannot be taken."""
    check_index_dir(index_dir)
    try:
        index_dir.mkdir(exist_ok=True)
        fh = open(index_dir / ".lock", "a+")  # noqa: SIM115 - held for the with block below
    except OSError as exc:
        raise write_error(index_dir, exc) from exc
    with fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def write_atomic(path: Path, text: str) -> None:
    """Write text to path via a temporary file and a rename, so readers see the old or the new file whole."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)  # a failed write (full disk, a folder in the way) leaves nothing behind
        raise


def _lock_folder(path: Path, how: int) -> int | None:
    """An fd of folder path holding flock `how` (non-blocking), None when another holds a conflicting lock or it is gone."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, how | fcntl.LOCK_NB)
        if os.fstat(fd).st_nlink == 0:  # removed between our open and our lock
            raise BlockingIOError
    except OSError:
        os.close(fd)
        return None
    return fd


class FolderHold:
    """A shared flock on a build folder for as long as this object lives: the sweep leaves the folder alone."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def release(self) -> None:
        """Let the sweep remove the folder (also done when the object is freed)."""
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def __del__(self) -> None:
        with contextlib.suppress(Exception):  # at interpreter exit the os module may be gone already
            self.release()


def _remove_unheld(path: Path) -> bool:
    """Remove a folder nobody holds (no reader, no live builder); False when it is in use."""
    fd = _lock_folder(path, fcntl.LOCK_EX)
    if fd is None:
        return False
    try:
        shutil.rmtree(path, ignore_errors=True)
    finally:
        os.close(fd)
    return True


def sweep(index_dir: Path, keep: str | None = None) -> list[str]:
    """Remove earlier builds nobody reads, temp folders of dead builds and leftover CURRENT temp files.

    Call it holding the build lock (CURRENT only changes under it, so every ``.CURRENT.*.tmp`` is dead).
    Returns the names removed.
    """
    if keep is None:
        with contextlib.suppress(IndexError_, OSError):
            path = current_path(index_dir)
            keep = path.name if path else None
    removed: list[str] = []
    for child in index_dir.iterdir():
        name = child.name
        if name == keep:
            continue
        if name.startswith(".CURRENT.") and name.endswith(".tmp") and not child.is_dir():
            child.unlink(missing_ok=True)
            removed.append(name)
        elif (name.startswith(".tmp-") or name.startswith("build-")) and child.is_dir() and not child.is_symlink() and _remove_unheld(child):
            removed.append(name)
    return removed


def sweep_if_free(index_dir: Path) -> list[str]:
    """sweep() when the build lock is free right now and the folder writable; otherwise nothing (never waits)."""
    try:
        with open(index_dir / ".lock", "a+") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            try:
                return sweep(index_dir)
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)
    except OSError:  # busy (a build is running and sweeps itself), read-only, or gone
        return []


# -- checksums ----------------------------------------------------------------------


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read in blocks (about 0.1 s for the 90 MB query encoder)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            h.update(block)
    return h.hexdigest()


def folder_checksums(folder: Path) -> dict[str, dict]:
    """{relative path: {"size", "sha256"}} for every file under a build folder but the manifest."""
    out = {}
    for f in sorted(folder.rglob("*")):
        if f.is_file() and f.name != MANIFEST:
            out[f.relative_to(folder).as_posix()] = {"size": f.stat().st_size, "sha256": file_sha256(f)}
    return out


def _seal(data: dict) -> str:
    body = {k: v for k, v in data.items() if k != "seal"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode("utf-8", "surrogatepass")).hexdigest()


def sealed(manifest: Manifest) -> Manifest:
    """The manifest with its seal set over its other fields."""
    return replace(manifest, seal=_seal(asdict(manifest)))


def manifest_text(manifest: Manifest) -> str:
    """The manifest as written to disk (seal it first with sealed())."""
    return json.dumps(asdict(manifest), ensure_ascii=False, indent=1)


def verify(path: Path, manifest: Manifest) -> dict[str, str]:
    """The files of a build that do not match its manifest: {relative path: what is wrong}; empty when all do.

    Size is compared first (free); the hash only of files whose size matches.
    """
    if manifest.checksums is None:
        return {MANIFEST: "records no checksums (an index from an older version)"}
    if not isinstance(manifest.checksums, dict) or not all(isinstance(rel, str) for rel in manifest.checksums):
        return {MANIFEST: "is corrupt (its checksums are not a table of files)"}
    bad: dict[str, str] = {}
    for rel, want in manifest.checksums.items():
        file = path / rel
        if ".." in Path(rel).parts or Path(rel).is_absolute():
            bad[MANIFEST] = f"names a file outside the build ({rel})"
            continue
        try:
            size = file.stat().st_size
            if size != want.get("size"):
                bad[rel] = f"is corrupt or truncated ({size:,} bytes, {want.get('size'):,} recorded)"
            elif file_sha256(file) != want.get("sha256"):
                bad[rel] = "is corrupt (its checksum differs from the manifest)"
        except FileNotFoundError:
            bad[rel] = "is missing"
        except (OSError, AttributeError, TypeError, ValueError) as exc:  # a manifest entry of the wrong shape
            bad[rel] = f"cannot be checked ({type(exc).__name__})"
    return bad


# -- build ------------------------------------------------------------------------


def short_form_candidates(bm25: BM25, passages: "tuple[Passage, ...] | list[Passage]") -> dict[str, list[str]]:
    """Two-character Chinese words of the corpus that the dictionary lacks, each with the texts of (at most
    three of) the articles that use it: where dictionary.abbreviations() looks for their full forms."""
    table = cedict()
    by_doc: dict[str, list[str]] = {}
    for p in passages:
        by_doc.setdefault(p.doc, []).append(p.text)
    texts: dict[str, str] = {}
    out: dict[str, list[str]] = {}
    for word, plist in bm25.postings.items():
        if len(word) != 2 or word in table or not ("\u4e00" <= word[0] <= "\u9fff" and "\u4e00" <= word[1] <= "\u9fff"):
            continue
        docs = list(dict.fromkeys(passages[pos].doc for pos, _ in plist))[:3]
        out[word] = [texts.setdefault(d, "\n".join(by_doc[d])) for d in docs]
    return out


def build_index(
    settings: Settings,
    embedder: "Embedder",
    status: Status = lambda _: None,
    corpus: CorpusLoad | None = None,
    progress: "Progress | None" = None,
) -> IndexData:
    """Embed the corpus and write a new index; the previous one stays live until the switch.

    Vectors come from the embedding store (assistant/embstore.py) where the same model embedded the same text
    before, so only new or changed passages are embedded; progress(done, total) follows them (status gets a
    line every tenth). A write that fails (read-only folder, full disk) removes what this build wrote and
    raises IndexWriteError.
    """
    start = time.perf_counter()
    index_dir = settings.index_dir
    check_index_dir(index_dir)
    if (index_dir / CURRENT).is_dir():  # fail before the work: the switch could never happen
        raise IndexWriteError(
            f"{index_dir / CURRENT} is a folder, not the one-line file naming the live build", f"remove it (rm -r {index_dir / CURRENT}) and build again"
        )
    corpus = corpus or load_corpus(settings.corpus_dir, cache_dir(index_dir))
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
    vectors, store = _embed(settings, embedder, texts, len(corpus.passages), status, progress)
    cross = _cross_vectors(settings, corpus.passages, status)
    window = _window_vectors(settings, embedder, corpus.passages, status, progress) if settings.window == "on" and corpus.passages else None
    index_type = choose_index_type(len(texts), settings.index_type)
    dense = make_faiss(vectors, index_type)
    bm25 = BM25.build(_tokens(corpus.passages, renderings, cache_dir(index_dir)))
    bilingual = Bilingual.for_words(bm25.postings.keys(), abbreviations(short_form_candidates(bm25, corpus.passages)), heading_names(corpus.passages))
    tmp, fd = _new_tmp(index_dir)  # held exclusively until the build is live or gone
    try:
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
            settings.cross_model if cross is not None else "none",
            window is not None,
        )
        try:
            manifest = _write_files(tmp, manifest, corpus.passages, renderings, dense, owner, bm25, bilingual, cross, window)
            with build_lock(index_dir):
                path, hold = _switch(tmp, fd)
        except OSError as exc:
            raise write_error(index_dir, exc) from exc
    finally:
        if tmp.exists():  # not switched: nothing of this build stays behind
            shutil.rmtree(tmp, ignore_errors=True)
        with contextlib.suppress(OSError):
            os.close(fd)
    with contextlib.suppress(OSError, IndexWriteError), build_lock(index_dir):  # merging chunks is housekeeping: a failure costs nothing
        store.compact(text_key(settings.model, t) for t in [*texts, *(window_texts(corpus.passages) if window is not None else [])])
    status(f"indexed {len(corpus.files)} file(s), {len(corpus.passages)} passages in {manifest.build_seconds:.1f}s")
    return IndexData(manifest, corpus.passages, renderings, dense, owner, bm25, path, hold, bilingual, cross, window)


def _window_vectors(settings: Settings, embedder: "Embedder", passages: tuple[Passage, ...], status: Status, progress: "Progress | None") -> Any:
    """The model's vector of every passage with its neighbours (float16), through the embedding store."""
    vectors, _ = _embed(settings, embedder, window_texts(passages), len(passages), status, progress)
    return vectors.astype("float16")


def _cross_vectors(settings: Settings, passages: tuple[Passage, ...], status: Status) -> Any:
    """The second encoder's vector of every passage's own text (float16), through a store of its own; None
    when it is off."""
    from .embed import make_cross_encoder

    encoder = make_cross_encoder(settings.cross_model)
    if encoder is None or not passages:
        return None
    texts = [embed_texts(p, None)[0] for p in passages]
    folder = store_dir(settings.index_dir) / settings.cross_model  # beside the main store's chunks, which it ignores

    def report(done: int, total: int) -> None:
        if done == 0 and total:
            status(f"embedding {total} new text(s) with the second encoder {settings.cross_model}")

    try:
        store = EmbeddingStore.open(folder)
        vectors, _ = embed_with_store(texts, settings.cross_model, encoder.encode, store, lambda: encoder.dim, report)
    except OSError as exc:
        raise write_error(settings.index_dir, exc, "write the second encoder's store") from exc
    with contextlib.suppress(OSError, IndexWriteError), build_lock(settings.index_dir):  # housekeeping, as for the main store
        store.compact(text_key(settings.cross_model, t) for t in texts)
    return vectors.astype("float16")


def heading_names(passages: "tuple[Passage, ...] | list[Passage]") -> frozenset[str]:
    """The names the articles' headings give (outline.names_of), for their pinyin spellings."""
    from .outline import names_of

    return frozenset(n for heading in {h for p in passages for h in p.heading} for n in names_of(heading))


def _tokens(passages: tuple[Passage, ...], renderings: dict[str, Rendering], folder: Path) -> list[list[str]]:
    """BM25 tokens of every passage, an article at a time through the article cache (jieba is the slow part)."""
    cache = ArticleCache(folder, "tokens", fingerprint("tokens.py"))
    out: list[list[str]] = []
    start = 0
    while start < len(passages):
        end = start
        while end < len(passages) and passages[end].doc == passages[start].doc:
            end += 1
        texts = [passage_doc_text(p, renderings.get(p.id)) for p in passages[start:end]]
        key = "\0".join(texts)
        toks = cache.get(key)
        if not (isinstance(toks, list) and len(toks) == len(texts) and all(isinstance(t, list) for t in toks)):
            toks = [tokenize(t) for t in texts]
            cache.put(key, toks)
        out += toks
        start = end
    return out


def _embed(
    settings: Settings, embedder: "Embedder", texts: list[str], n_passages: int, status: Status, progress: "Progress | None"
) -> tuple[Any, EmbeddingStore]:
    """The vectors of texts through the embedding store: embeds only what the store lacks, flushing as it goes."""
    folder = store_dir(settings.index_dir)
    try:
        store = EmbeddingStore.open(folder)
    except OSError as exc:
        raise write_error(settings.index_dir, exc, "read the embedding store") from exc
    if store.dropped:
        status(f"warning: dropped {len(store.dropped)} damaged chunk(s) of the embedding store in {folder}; their texts are embedded again")
    next_line = 1

    def report(done: int, total: int) -> None:
        nonlocal next_line
        if progress:
            progress(done, total)
        if done == 0:
            status(f"embedding {total} new text(s) of {len(texts)} from {n_passages} passages with {settings.model} ({len(texts) - total} stored)")
        elif progress is None and done >= next_line:  # a progress bar says it better
            status(f"embedded {done}/{total} texts")
            next_line = done + max(1, total // 10)

    try:
        vectors, _ = embed_with_store(texts, settings.model, embedder.encode, store, lambda: int(embedder.dim), report)
    except OSError as exc:
        raise write_error(settings.index_dir, exc) from exc  # the store is part of the index: the same message
    return vectors, store


def _new_tmp(index_dir: Path) -> tuple[Path, int]:
    """A fresh .tmp-* folder, created and locked under the build lock (so no sweep sees it unlocked)."""
    with build_lock(index_dir):
        with contextlib.suppress(OSError):  # what killed builds left: a full disk gets its space back before we write
            sweep(index_dir)
        tmp = index_dir / f".tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        try:
            tmp.mkdir()
        except OSError as exc:
            raise write_error(index_dir, exc) from exc
        fd = os.open(tmp, os.O_RDONLY | os.O_DIRECTORY)
        fcntl.flock(fd, fcntl.LOCK_EX)
    return tmp, fd


def _export_query_encoder(embedder: "Embedder", tmp: Path, texts: list[str], status: Status) -> dict | None:
    """Export and verify the ONNX query encoder into the build folder; None (and a notice) when that fails."""
    if not hasattr(embedder, "_load") or not texts:
        return None  # test embedders and empty corpora have nothing to export
    from .onnx_encoder import DIRNAME, export

    step = max(1, len(texts) // 48)
    sample = texts[::step][:48] + ["What does traffic ops measure?", "流量运营的关键指标是什么?", "How do I bake bread?"]
    try:
        meta = export(embedder, tmp / DIRNAME, sample)
    except Exception as exc:  # export is an optimisation: any failure falls back to the torch encoder, said aloud
        shutil.rmtree(tmp / DIRNAME, ignore_errors=True)
        status(f"note: no fast query encoder ({type(exc).__name__}: {str(exc)[:120]}); {TORCH_NOTE}")
        return None
    status(f"fast query encoder verified (min cosine {meta['min_cosine']} on {meta['verified_on']} texts)")
    return meta


def _write(path: Path, data: bytes | memoryview) -> None:
    """Write a file of the build (the one place build files are written: full-disk errors surface here)."""
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _write_files(
    tmp: Path,
    manifest: Manifest,
    passages: tuple[Passage, ...],
    renderings: dict[str, Rendering],
    dense: Any,
    owner: list[int],
    bm25: BM25,
    bilingual: Bilingual,
    cross: Any = None,
    window: Any = None,
) -> Manifest:
    """Write every file of a build into tmp, the sealed manifest (with every file's checksum) last."""
    import faiss

    rows = []
    for p in passages:
        row: dict[str, Any] = asdict(p)
        r = renderings.get(p.id)
        if r:
            row["rendering"] = asdict(r)
        rows.append(json.dumps(row, ensure_ascii=False) + "\n")
    _write(tmp / PASSAGES, "".join(rows).encode("utf-8"))
    _write(tmp / DENSE, memoryview(faiss.serialize_index(dense)))  # faiss.write_index would turn ENOSPC into a RuntimeError
    _write(tmp / BM25_FILE, json.dumps({"owner": owner, **bm25.to_json()}, ensure_ascii=False).encode("utf-8"))
    _write(tmp / BILINGUAL, json.dumps(bilingual.to_json(), ensure_ascii=False).encode("utf-8"))
    for name, matrix in ((CROSS, cross), (WINDOW, window)):
        if matrix is not None:
            import io

            import numpy as np

            buf = io.BytesIO()
            np.save(buf, matrix, allow_pickle=False)
            _write(tmp / name, buf.getbuffer())
    for f in tmp.rglob("*"):
        if f.is_file():  # the query encoder's files were written by the exporter
            with open(f, "rb") as fh:
                os.fsync(fh.fileno())
    manifest = sealed(replace(manifest, checksums=folder_checksums(tmp)))
    _write(tmp / MANIFEST, manifest_text(manifest).encode("utf-8"))
    return manifest


def _switch(tmp: Path, fd: int) -> tuple[Path, FolderHold]:
    """Rename tmp to a build folder and point CURRENT at it (called holding the build lock); sweep the rest.

    The builder's exclusive lock on the folder becomes the shared hold of the returned IndexData, so a later
    build's sweep leaves the folder alone while this process still reads it.
    """
    index_dir = tmp.parent
    sweep(index_dir)  # dead builds first (never the live one, nor our tmp: we hold it), so a full disk has room
    final = index_dir / f"build-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:8]}"
    os.rename(tmp, final)
    try:
        write_atomic(index_dir / CURRENT, final.name + "\n")
    except OSError:
        os.rename(final, tmp)  # the caller removes it: a failed switch leaks nothing
        raise
    hold = os.dup(fd)
    fcntl.flock(hold, fcntl.LOCK_SH)  # under the build lock: no sweep runs between the two locks
    with contextlib.suppress(OSError):
        sweep(index_dir, keep=final.name)
    return final, FolderHold(hold)


# -- load -------------------------------------------------------------------------


def current_path(index_dir: Path) -> Path | None:
    """The live build folder, or None when no index was built yet."""
    file = index_dir / CURRENT
    if file.is_dir():
        raise IndexError_(f"{file} is a folder, not the one-line file naming the live build", f"remove it (rm -r {file}) and {FIX}")
    try:
        with open(file, "rb") as fh:
            raw = fh.read(256)  # a build name is short; a huge file is damage, not a name
        name = raw.decode("utf-8").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise IndexError_(f"cannot read {file}: {exc}", FIX) from exc
    path = index_dir / name
    if not name or "/" in name or not name.startswith("build-") or not path.is_dir():
        raise IndexError_(f"{file} points at a missing build ({name[:80]!r})", FIX)
    return path


def read_manifest(path: Path) -> Manifest:
    """The manifest of one build folder, checked for shape, seal and format version."""
    file = path / MANIFEST
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        manifest = Manifest(**data)
    except FileNotFoundError as exc:
        raise IndexError_(f"{file} is missing", FIX) from exc
    except (OSError, UnicodeDecodeError, ValueError, TypeError, RecursionError) as exc:
        raise IndexError_(f"{file} is corrupt ({type(exc).__name__})", FIX) from exc
    if manifest.format_version != FORMAT_VERSION:
        raise IndexError_(f"{file} has format version {manifest.format_version}, this code reads {FORMAT_VERSION}", FIX)
    if manifest.seal and manifest.seal != _seal(data):
        raise IndexError_(f"{file} is corrupt (its seal does not match its contents)", FIX)
    return manifest


def _hold_current(index_dir: Path) -> tuple[Path | None, FolderHold | None]:
    """The live build folder with a shared hold on it (retrying when a sweep removed it under us)."""
    for attempt in range(5):
        try:
            path = current_path(index_dir)
        except IndexError_:
            if attempt == 4:
                raise
            time.sleep(0.05)  # CURRENT may have switched and its old build been swept between two reads
            continue
        if path is None:
            return None, None
        fd = _lock_folder(path, fcntl.LOCK_SH)
        if fd is not None:
            return path, FolderHold(fd)
        time.sleep(0.05)  # being swept: CURRENT names a newer build by now
    raise IndexError_(f"{index_dir / CURRENT} keeps naming a build that is being removed", FIX)


def load_index(index_dir: Path, partial: bool = False, status: Status = lambda _: None) -> IndexData | None:
    """Load and verify the live index, None when there is none; IndexError_ naming the file when it is damaged.

    With partial=True a damaged query encoder is dropped (questions then load torch, which is said through
    status) instead of failing the whole index: used when the index cannot be rebuilt.
    """
    path, hold = _hold_current(index_dir)
    if path is None or hold is None:
        return None
    try:
        return _load_held(path, hold, partial, status)
    except BaseException:
        hold.release()  # the traceback keeps this frame alive; the damaged build must stay sweepable
        raise


def _load_held(path: Path, hold: FolderHold, partial: bool, status: Status) -> IndexData:
    import faiss

    manifest = read_manifest(path)
    bad = verify(path, manifest)
    from .onnx_encoder import DIRNAME

    core = {rel: why for rel, why in bad.items() if not rel.startswith(DIRNAME + "/")}
    if core or (bad and not partial):
        rel, why = next(iter(core.items())) if core else next(iter(bad.items()))
        more = f" (and {len(bad) - 1} more file(s))" if len(bad) > 1 else ""
        raise IndexError_(f"{path / rel} {why}{more}", FIX)
    if bad:
        rel, why = next(iter(bad.items()))
        status(f"warning: {path / rel} {why}; serving the index without its fast query encoder: {TORCH_NOTE}")
        manifest = replace(manifest, query_encoder=None)
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
        raise IndexError_(f"{file} is corrupt ({type(exc).__name__})", FIX) from exc
    file = path / BM25_FILE
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        owner = [int(x) for x in data["owner"]]
        bm25 = BM25.from_json(data)
    except (OSError, UnicodeDecodeError, ValueError, TypeError, KeyError) as exc:
        raise IndexError_(f"{file} is corrupt ({type(exc).__name__})", FIX) from exc
    file = path / BILINGUAL
    try:
        bilingual = Bilingual.from_json(json.loads(file.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, ValueError, TypeError, AttributeError) as exc:
        raise IndexError_(f"{file} is corrupt ({type(exc).__name__})", FIX) from exc
    file = path / DENSE
    try:
        dense = faiss.read_index(str(file))
    except Exception as exc:  # faiss raises RuntimeError with C++ text for any damage
        raise IndexError_(f"{file} is corrupt or truncated", FIX) from exc
    if dense.d != manifest.dim or dense.ntotal != manifest.n_vectors or len(owner) != dense.ntotal:
        raise IndexError_(f"{file} does not match {MANIFEST} (dimension {dense.d} vs {manifest.dim}, {dense.ntotal} vectors vs {manifest.n_vectors})", FIX)
    if len(passages) != manifest.n_passages or len(bm25.doc_len) != len(passages) or (owner and max(owner) >= len(passages)):
        raise IndexError_(f"{path / PASSAGES} does not match {MANIFEST} ({len(passages)} passages vs {manifest.n_passages})", FIX)
    cross = _matrix(path / CROSS, len(passages)) if manifest.cross_model != "none" else None
    window = _matrix(path / WINDOW, len(passages)) if manifest.window else None
    return IndexData(manifest, tuple(passages), renderings, dense, owner, bm25, path, hold, bilingual, cross, window)


def _matrix(file: Path, rows: int) -> Any:
    """A per-passage matrix of the build (memory-mapped), checked for shape."""
    import numpy as np

    try:
        matrix = np.load(file, mmap_mode="r", allow_pickle=False)
    except (OSError, ValueError) as exc:
        raise IndexError_(f"{file} is corrupt ({type(exc).__name__})", FIX) from exc
    if matrix.ndim != 2 or matrix.shape[0] != rows:
        raise IndexError_(f"{file} does not match {MANIFEST} ({matrix.shape[0]} rows vs {rows} passages)", FIX)
    return matrix


def stale_reason(manifest: Manifest, corpus: CorpusLoad, model: str, cross_model: str = "none", window: str = "off") -> str | None:
    """Why an index no longer fits the corpus or models, or None when it does."""
    if manifest.model != model:
        return f"the model changed ({manifest.model} -> {model})"
    if manifest.cross_model != cross_model:
        return f"the second encoder changed ({manifest.cross_model} -> {cross_model})"
    if manifest.window != (window == "on") and manifest.n_passages:
        return f"the passages' window vectors were turned {window}"
    if manifest.corpus_hash != corpus.digest:
        return "the corpus changed"
    return None


def _serve_damaged(settings: Settings, damage: IndexError_, why_not: AssistantError, status: Status) -> IndexData:
    """The damaged index as far as it still verifies (without its query encoder), when it cannot be rebuilt;
    otherwise an error naming both the damage and why no rebuild was possible."""
    try:
        data = load_index(settings.index_dir, partial=True, status=status)
    except IndexError_:
        data = None
    if data is None:
        raise IndexWriteError(f"{damage.what}, and the index cannot be rebuilt: {why_not.what}", why_not.fix) from why_not
    status(f"warning: cannot rebuild the index ({why_not.what}) - {why_not.fix}")
    return data


def ensure_index(settings: Settings, embedder: "Embedder", status: Status = lambda _: None) -> IndexData:
    """Load the index, building it when missing and rebuilding it when stale or damaged.

    When a rebuild is impossible (read-only folder, full disk, unreadable corpus) the existing index is served
    as far as it verifies, and status says so; nothing falls back silently.
    """
    check_index_dir(settings.index_dir)
    corpus: CorpusLoad | None = None
    corpus_error: AssistantError | None = None
    try:
        corpus = load_corpus(settings.corpus_dir, cache_dir(settings.index_dir))
    except AssistantError as exc:
        corpus_error = exc
    try:
        data = load_index(settings.index_dir)
    except IndexError_ as exc:
        if corpus is None:
            return _serve_damaged(settings, exc, corpus_error, status)  # type: ignore[arg-type]
        status(f"Error: {exc.what}; rebuilding the index from {settings.corpus_dir}")
        try:
            return build_index(settings, embedder, status, corpus)
        except IndexWriteError as werr:
            return _serve_damaged(settings, exc, werr, status)
    if data is None:
        if corpus is None:
            raise corpus_error  # type: ignore[misc]
        status(f"no index in {settings.index_dir}; building it now (first run)")
        return build_index(settings, embedder, status, corpus)
    if corpus is None:
        status(f"warning: cannot read the corpus ({corpus_error}); using the existing index")
    else:
        reason = stale_reason(data.manifest, corpus, settings.model, settings.cross_model, settings.window)
        if reason:
            status(f"{reason}; rebuilding the index")
            try:
                return build_index(settings, embedder, status, corpus)
            except IndexWriteError as werr:
                if data.manifest.model != settings.model:  # its vectors cannot be searched with the new model
                    raise IndexWriteError(f"{reason}, and the index cannot be rebuilt: {werr.what}", werr.fix) from werr
                status(f"warning: cannot rebuild the index ({werr.what}); serving the existing one, built {data.manifest.built_at} - {werr.fix}")
    if settings.encoder == "auto" and data.manifest.query_encoder is None and hasattr(embedder, "_load"):
        status(f"note: this index has no fast query encoder; {TORCH_NOTE} - {FIX} to export one")
    sweep_if_free(settings.index_dir)  # builds left behind while someone read them, now that nobody may
    return data
