"""A content-addressed store of passage embeddings, so a build embeds only the texts it has not embedded before.

Key: the SHA-256 of the model id and the exact embedded text; value: its float32 vector. The store is a folder
(``index/embeddings/`` unless ``ASSISTANT_EMBED_STORE`` names another) of chunk files. A chunk is written once,
to a temporary file that is fsynced and renamed, and is named by the SHA-256 of its own bytes, so loading
verifies every chunk against its name: a truncated or damaged chunk (or a stray file) is deleted and its texts
are embedded again, never trusted. A build flushes a chunk every ``CHUNK`` texts, so a build stopped halfway
(Ctrl-C, kill) keeps what it finished and the next build resumes from there. When chunks pile up they are
merged into one holding only the vectors the latest build used.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import struct
import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

STORE_DIRNAME = "embeddings"
SUFFIX = ".chunk"
MAGIC = b"EMBSTOR1"
_HEADER = struct.Struct("<8sII")  # magic, dimension, rows
KEY_BYTES = 32
#: Texts per chunk: about 15 s of e5 on 2 cores, the most a killed build loses.
CHUNK = 256
#: More chunk files than this are merged into one at the end of a build.
MAX_CHUNKS = 48

Progress = Callable[[int, int], None]


def text_key(model: str, text: str) -> bytes:
    """The store key of one embedded text: SHA-256 over the model id and the exact text."""
    return hashlib.sha256(model.encode("utf-8") + b"\0" + text.encode("utf-8", "surrogatepass")).digest()


def store_dir(index_dir: Path) -> Path:
    """Where the store of an index folder lives (ASSISTANT_EMBED_STORE shares one between scratch indexes)."""
    env = os.environ.get("ASSISTANT_EMBED_STORE")
    return Path(env) if env else index_dir / STORE_DIRNAME


def _chunk_bytes(keys: list[bytes], vectors: "np.ndarray") -> bytes:
    import numpy as np

    vecs = np.ascontiguousarray(vectors, dtype="<f4")
    return _HEADER.pack(MAGIC, int(vecs.shape[1]), len(keys)) + b"".join(keys) + vecs.tobytes()


def _parse_chunk(data: bytes) -> tuple[list[bytes], "np.ndarray"] | None:
    """(keys, vectors) of a chunk's bytes, or None when they are not a whole chunk."""
    import numpy as np

    if len(data) < _HEADER.size:
        return None
    magic, dim, rows = _HEADER.unpack_from(data)
    if magic != MAGIC or dim == 0 or len(data) != _HEADER.size + rows * (KEY_BYTES + 4 * dim):
        return None
    off = _HEADER.size + rows * KEY_BYTES
    keys = [data[_HEADER.size + i * KEY_BYTES : _HEADER.size + (i + 1) * KEY_BYTES] for i in range(rows)]
    vecs = np.frombuffer(data, dtype="<f4", count=rows * dim, offset=off).reshape(rows, dim)
    if not np.isfinite(vecs).all():
        return None
    return keys, vecs


class EmbeddingStore:
    """The vectors already embedded, by key; new ones are buffered and flushed in chunks."""

    def __init__(self, folder: Path, chunk: int | None = None) -> None:
        self.folder = folder
        self.chunk = chunk or CHUNK
        self._rows: dict[bytes, tuple[int, int]] = {}  # key -> (matrix number, row)
        self._mats: list[np.ndarray] = []
        self._files: list[Path] = []
        self._pending_keys: list[bytes] = []
        self._pending_vecs: list[np.ndarray] = []
        self.dropped: list[str] = []  # chunk files found damaged and removed by load()
        self.written = 0  # chunks written by this object

    @classmethod
    def open(cls, folder: Path, chunk: int | None = None) -> "EmbeddingStore":
        """Load every chunk of a folder, deleting the ones that fail their checksum (they are embedded again)."""
        store = cls(folder, chunk)
        store.load()
        return store

    def load(self) -> None:
        """Read and verify the folder's chunks; leftover temp files of killed writers are removed."""
        if not self.folder.is_dir():
            return
        for f in sorted(self.folder.iterdir()):
            if f.name.startswith(".") and f.name.endswith(".tmp"):
                if time.time() - _mtime(f) > 3600:  # a writer killed long ago; a live one renames within seconds
                    f.unlink(missing_ok=True)
                continue
            if not f.name.endswith(SUFFIX) or not f.is_file():
                continue
            try:
                data = f.read_bytes()
            except OSError:
                continue  # removed by a concurrent merge: its vectors live in the merged chunk
            parsed = _parse_chunk(data) if hashlib.sha256(data).hexdigest() == f.name[: -len(SUFFIX)] else None
            if parsed is None:
                self.dropped.append(f.name)
                with contextlib.suppress(OSError):
                    f.unlink()
                continue
            self._add_matrix(f, *parsed)

    def _add_matrix(self, file: Path | None, keys: list[bytes], vecs: "np.ndarray") -> None:
        n = len(self._mats)
        self._mats.append(vecs)
        if file is not None:
            self._files.append(file)
        for row, key in enumerate(keys):
            self._rows[key] = (n, row)

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, key: bytes) -> bool:
        return key in self._rows

    def get(self, key: bytes) -> "np.ndarray | None":
        """The stored vector of a key, or None."""
        where = self._rows.get(key)
        return None if where is None else self._mats[where[0]][where[1]]

    def add(self, keys: list[bytes], vectors: "np.ndarray") -> None:
        """Remember new vectors; a chunk is written whenever CHUNK of them are waiting."""
        import numpy as np

        vectors = np.asarray(vectors, dtype=np.float32)
        self._pending_keys.extend(keys)
        self._pending_vecs.append(vectors)
        self._add_matrix(None, keys, vectors)
        if len(self._pending_keys) >= self.chunk:
            self.flush()

    def flush(self) -> None:
        """Write the waiting vectors as one chunk (temp file, fsync, rename): all of them or none."""
        import numpy as np

        if not self._pending_keys:
            return
        keys, vecs = self._pending_keys, np.concatenate(self._pending_vecs)
        self._pending_keys, self._pending_vecs = [], []
        self._files.append(self._write(keys, vecs))

    def _write(self, keys: list[bytes], vecs: "np.ndarray") -> Path:
        data = _chunk_bytes(keys, vecs)
        self.folder.mkdir(parents=True, exist_ok=True)
        final = self.folder / f"{hashlib.sha256(data).hexdigest()}{SUFFIX}"
        tmp = self.folder / f".{uuid.uuid4().hex}.tmp"
        try:
            with open(tmp, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, final)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        self.written += 1
        return final

    def compact(self, keep: Iterable[bytes], max_chunks: int | None = None) -> bool:
        """When there are more than max_chunks chunk files, merge them into one; True when merged.

        The merged chunk holds every vector, unless more than half of them are unused by the build (keep):
        then only the used ones (texts that were edited away are the garbage of a store).
        """
        import numpy as np

        self.flush()
        if len(self._files) <= (max_chunks or MAX_CHUNKS):
            return False
        used = [k for k in dict.fromkeys(keep) if k in self._rows]
        wanted = used if len(used) * 2 < len(self._rows) else list(self._rows)
        vecs = np.stack([self.get(k) for k in wanted]) if wanted else np.zeros((0, 1), dtype=np.float32)
        old = list(self._files)
        merged = self._write(wanted, vecs) if wanted else None
        for f in old:
            if f != merged:
                f.unlink(missing_ok=True)
        self._rows, self._mats, self._files = {}, [], []
        if merged is not None:
            self._add_matrix(merged, wanted, vecs)
        return True


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return time.time()


def embed_with_store(
    texts: list[str],
    model: str,
    encode: Callable[[list[str]], "np.ndarray"],
    store: EmbeddingStore,
    dim: Callable[[], int],
    progress: Progress | None = None,
    batch: int = 32,
) -> tuple["np.ndarray", int]:
    """Vectors of texts, taken from the store where present and embedded (in batches, flushed in chunks)
    where not; returns (vectors, number of texts embedded now). A text that occurs twice is embedded once.

    Stopped halfway (KeyboardInterrupt, an error), the finished batches are flushed before it propagates.
    """
    import numpy as np

    keys = [text_key(model, t) for t in texts]
    todo = list(dict.fromkeys(k for k in keys if k not in store))
    text_of = dict(zip(keys, texts, strict=True))
    total, done = len(todo), 0
    if progress:
        progress(0, total)
    try:
        for i in range(0, total, batch):
            part = todo[i : i + batch]
            store.add(part, encode([text_of[k] for k in part]))
            done += len(part)
            if progress:
                progress(done, total)
    finally:
        store.flush()
    if not keys:
        return np.zeros((0, dim()), dtype=np.float32), 0
    return np.ascontiguousarray(np.stack([store.get(k) for k in keys]), dtype=np.float32), done
