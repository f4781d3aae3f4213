"""Vector search behind one small interface: FAISS in the process (the default) or Milvus.

Retrieval asks one thing of the vectors: the k rows nearest a question's embedding by inner product
(cosine: the vectors are normalised), over all rows or a subset (some articles' passages; with ``primary``,
only each passage's own text, not its English rendering). ``search(vec, k, subset) -> [(row, score)]``,
best first, is that interface; a backend is a class with it and ``ntotal``.

- ``faiss`` (default): the index file of the build, searched in the process.
- ``milvus``: a Milvus collection holding the same vectors, one per row of the build, with the row as its
  primary key and the article and ``primary`` flag as fields, so a subset is a filter expression. The URI
  is a local file for the embedded ``milvus-lite`` (default ``<index>/milvus.db``, one process at a time) or
  a Milvus server or cluster (``http://host:19530``), which any number of stateless chat replicas share.
  The collection is named after the build (``passages_<build>``): it is filled from the build's own vectors
  the first time a process opens that build and never written again, so a build is read-only once
  published and a new build is a new collection (docs/scale-out.md).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, NamedTuple

from .errors import ConfigError, IndexError_

if TYPE_CHECKING:
    from .config import Settings
    from .index import IndexData

#: HNSW breadth at query time (FAISS): recall over speed, as before this interface.
EF_SEARCH = 256
#: Rows inserted per call when a Milvus collection is filled.
INSERT_BATCH = 2000
#: How long filling a collection waits for Milvus to finish indexing it.
INDEX_WAIT_S = 900


class Subset(NamedTuple):
    """Which rows a search may return: as row numbers (FAISS selects by them) and as what they are (Milvus
    filters by them): the articles (None: all) and whether only each passage's first vector counts."""

    rows: Any  # int64 array of allowed rows
    docs: frozenset[str] | None
    primary: bool


class FaissVectors:
    """The build's FAISS index, searched in this process on one thread (one question at a time)."""

    name = "faiss"

    def __init__(self, index: Any) -> None:
        self.index = index

    @property
    def ntotal(self) -> int:
        return int(self.index.ntotal)

    def search(self, vec: Any, k: int, subset: Subset | None = None) -> list[tuple[int, float]]:
        """The k nearest rows (of the subset) with their inner products, best first."""
        import faiss
        import numpy as np

        params = None
        if subset is not None:
            sel = faiss.IDSelectorBatch(subset.rows)
            params = faiss.SearchParametersHNSW(sel=sel, efSearch=EF_SEARCH) if isinstance(self.index, faiss.IndexHNSW) else faiss.SearchParameters(sel=sel)
        # One question at a time: OpenMP threads only add overhead (and stall under load) for a single
        # query, so search on one thread and give builds in the same process their threads back.
        threads = faiss.omp_get_max_threads()
        faiss.omp_set_num_threads(1)
        try:
            query = np.asarray(vec, dtype="float32").reshape(1, -1)
            scores, rows = self.index.search(query, k, params=params) if params is not None else self.index.search(query, k)
        finally:
            faiss.omp_set_num_threads(threads)
        return [(int(r), float(s)) for s, r in zip(scores[0], rows[0], strict=True) if r >= 0]


class MilvusVectors:
    """A Milvus collection with the build's vectors (id = row); a view of some articles maps its own rows to
    the collection's."""

    name = "milvus"

    def __init__(
        self, client: Any, collection: str, ntotal: int, local: dict[int, int] | None = None, docs: frozenset[str] | None = None, params: dict | None = None
    ) -> None:
        self.client = client
        self.collection = collection
        self._ntotal = ntotal
        self.params = params or {}  # search parameters of the collection's index (HNSW: its breadth)
        self.local = local  # collection row -> this view's row (None: the whole collection)
        self.docs = docs  # the articles of this view (None: all)

    @property
    def ntotal(self) -> int:
        return self._ntotal

    def view(self, rows: list[int], docs: frozenset[str]) -> MilvusVectors:
        """The same collection seen as an index of some articles only, whose row i is collection row rows[i]."""
        return MilvusVectors(self.client, self.collection, len(rows), {r: i for i, r in enumerate(rows)}, docs, self.params)

    def search(self, vec: Any, k: int, subset: Subset | None = None) -> list[tuple[int, float]]:
        """The k nearest rows (of the subset) with their inner products, best first."""
        docs = self.docs
        if subset is not None and subset.docs is not None:
            docs = subset.docs if docs is None else docs & subset.docs
        where = []
        if docs is not None:
            where.append(f"doc in {json_list(sorted(docs))}")
        if subset is not None and subset.primary:
            where.append("primary == true")
        hits = self.client.search(
            self.collection,
            data=[[float(x) for x in vec]],
            limit=k,
            filter=" and ".join(where),
            output_fields=["id"],
            search_params={"metric_type": "IP", "params": self.params},
        )[0]
        out = []
        for h in hits:
            row = int(h["id"])
            if self.local is not None:
                row = self.local.get(row, -1)
            if row >= 0:
                out.append((row, float(h["distance"])))
        return out


VectorIndex = FaissVectors | MilvusVectors


def json_list(items: list[str]) -> str:
    """A list of strings as a Milvus filter literal."""
    import json

    return json.dumps(items, ensure_ascii=False)


def is_hnsw(index: IndexData) -> bool:
    """Whether the build searches an HNSW graph (large builds) rather than every vector."""
    import faiss

    return isinstance(index.dense, faiss.IndexHNSW)


def is_lite(uri: str) -> bool:
    """True for an embedded milvus-lite file (one process at a time), False for a server URL."""
    return "://" not in uri


def collection_name(index: IndexData) -> str:
    """The collection of a build: its folder name in the characters Milvus allows."""
    return "passages_" + re.sub(r"[^0-9A-Za-z_]", "_", index.path.name)


def open_vectors(settings: Settings, index: IndexData) -> VectorIndex:
    """The configured backend over a loaded index (Milvus: its collection, filled from the index the first time)."""
    if settings.vectors == "faiss":
        return FaissVectors(index.dense)
    return open_milvus(settings, index)


def open_milvus(settings: Settings, index: IndexData) -> MilvusVectors:
    """Connect to Milvus (milvus-lite for a file path, a server for a URL) and make sure the build's collection is there."""
    try:
        from pymilvus import MilvusClient
    except ImportError as exc:
        raise ConfigError(
            "the vector backend milvus needs the packages pymilvus and milvus-lite", "install them (pip install -e '.[milvus]') or unset ASSISTANT_VECTORS"
        ) from exc
    uri = settings.milvus_uri or str(index.path.parent / "milvus.db")
    try:
        client = MilvusClient(uri=uri, token=settings.milvus_token, db_name=settings.milvus_db)
    except Exception as exc:  # noqa: BLE001 - the client raises its own and grpc's errors
        fix = "check ASSISTANT_MILVUS_URI (and the server)"
        if is_lite(uri):
            fix = "milvus-lite opens a file in one process at a time: stop the other process using it, or use a Milvus server (ASSISTANT_MILVUS_URI=http://host:19530)"
        raise ConfigError(f"cannot open Milvus at {uri} ({type(exc).__name__}: {str(exc)[:200]})", fix) from exc
    name = collection_name(index)
    n = int(index.dense.ntotal)
    if not client.has_collection(name):
        _fill(client, name, index)
    if "Loaded" not in str(client.get_load_state(name).get("state")):  # a read-only role (COLL_RO) may not load
        client.load_collection(name)
    stored = int(client.get_collection_stats(name).get("row_count", -1))
    if stored != n:
        raise IndexError_(
            f"the Milvus collection {name} holds {stored} vectors, the build {n}",
            "drop the collection (it is refilled from the build at the next start) or rebuild: python -m assistant build",
        )
    return MilvusVectors(client, name, n, params={"ef": EF_SEARCH} if is_hnsw(index) else {})


def _fill(client: Any, name: str, index: IndexData) -> None:
    """Create the build's collection and insert its vectors (id = row, the row's article, first-vector flag)."""
    import numpy as np
    from pymilvus import DataType, MilvusClient

    n, dim = int(index.dense.ntotal), int(index.dense.d)
    schema = MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False)
    schema.add_field("id", DataType.INT64, is_primary=True)
    schema.add_field("doc", DataType.VARCHAR, max_length=1024)
    schema.add_field("primary", DataType.BOOL)
    schema.add_field("vector", DataType.FLOAT_VECTOR, dim=dim)
    params = client.prepare_index_params()
    # The build's kind of index: FLAT (exact, as FAISS flat: the answers do not change with the backend) or,
    # for a large build, HNSW with FAISS's graph degree.
    if is_hnsw(index):
        params.add_index(field_name="vector", index_type="HNSW", metric_type="IP", params={"M": 32, "efConstruction": 80})
    else:
        params.add_index(field_name="vector", index_type="FLAT", metric_type="IP")
    try:
        client.create_collection(name, schema=schema, index_params=params)
    except Exception:  # noqa: BLE001 - another replica created it first: it fills it
        if client.has_collection(name):
            return
        raise
    seen: set[int] = set()
    rows = []
    for r, pos in enumerate(index.owner):
        rows.append({"id": r, "doc": index.passages[pos].doc, "primary": pos not in seen})
        seen.add(pos)
    for start in range(0, n, INSERT_BATCH):
        end = min(n, start + INSERT_BATCH)
        vecs = np.vstack([index.dense.reconstruct(int(r)) for r in range(start, end)]).astype("float32")
        client.insert(name, [{**rows[r], "vector": vecs[r - start].tolist()} for r in range(start, end)])
    client.flush(name)
    _wait_indexed(client, name, n)


def _wait_indexed(client: Any, name: str, n: int, seconds: float = INDEX_WAIT_S) -> None:
    """Block until the collection's vector index covers every row (Milvus builds it in the background; until
    then searches scan the rows that are not indexed yet)."""
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        info = client.describe_index(name, "vector") or {}
        if int(info.get("indexed_rows", 0)) >= n and not int(info.get("pending_index_rows", 0)):
            return
        time.sleep(0.5)
