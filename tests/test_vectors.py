"""The vector search interface: FAISS (default) and Milvus through its embedded milvus-lite give the same rows."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

from assistant.config import Settings
from assistant.errors import ConfigError
from assistant.index import build_index
from assistant.retrieve import Retriever
from assistant.vectors import FaissVectors, Subset, collection_name, is_lite, open_vectors

from .conftest import CORPUS, ROOT

HAVE_MILVUS = importlib.util.find_spec("pymilvus") is not None and importlib.util.find_spec("milvus_lite") is not None
needs_milvus = pytest.mark.skipif(not HAVE_MILVUS, reason="pymilvus and milvus-lite are not installed (pip install -e '.[milvus]')")
SECOND = "# Second article\n\n## Roles\n\nA data analyst reads numbers.\n\n## Paths\n\nAnalysts become product managers.\n"


@pytest.fixture
def two_articles(corpus_copy: Path, tmp_path: Path, hash_embedder):  # type: ignore[no-untyped-def]
    """A built index of the seed and a small second article (model-free vectors)."""
    (corpus_copy / "second.md").write_text(SECOND, encoding="utf-8")
    s = Settings(corpus_dir=corpus_copy, index_dir=tmp_path / "index", model="test-hash")
    return s, build_index(s, hash_embedder), hash_embedder


def test_faiss_is_the_default_backend(two_articles):
    s, index, _ = two_articles
    assert s.vectors == "faiss"
    assert isinstance(open_vectors(s, index), FaissVectors)


def test_an_unknown_backend_is_a_config_error_naming_the_env_var(monkeypatch):
    monkeypatch.setenv("ASSISTANT_VECTORS", "pinecone")
    with pytest.raises(ConfigError) as err:
        Settings.from_env()
    assert "ASSISTANT_VECTORS" in err.value.fix and "faiss, milvus" in err.value.what


def test_the_milvus_token_is_not_shown(monkeypatch):
    monkeypatch.setenv("ASSISTANT_MILVUS_TOKEN", "root:secret")
    s = Settings.from_env()
    assert s.milvus_token == "root:secret" and "secret" not in repr(s)


def test_lite_uris_and_collection_names(two_articles):
    _, index, _ = two_articles
    assert is_lite("index/milvus.db") and not is_lite("http://milvus:19530")
    name = collection_name(index)
    assert name.startswith("passages_build_") and all(c.isalnum() or c == "_" for c in name)


@needs_milvus
def test_milvus_lite_finds_what_faiss_finds(two_articles, tmp_path):
    s, index, embed = two_articles
    milvus = open_vectors(Settings(**{**s.__dict__, "vectors": "milvus", "milvus_uri": str(tmp_path / "m.db")}), index)
    faiss_ = FaissVectors(index.dense)
    try:
        assert milvus.ntotal == faiss_.ntotal == index.dense.ntotal
        faiss_r, milvus_r = Retriever(index, embed, dense=faiss_), Retriever(index, embed, dense=milvus)
        second = frozenset({"second"})
        for text in ("数据运营的目标", "product manager paths", "流量运营 关键指标", "analysts numbers"):
            vec = embed.encode_query([text])[0]
            for docs, primary in ((None, False), (None, True), (second, False), (second, True)):
                a = faiss_r.dense_vector(vec, 10, docs, primary)
                b = milvus_r.dense_vector(vec, 10, docs, primary)
                assert list(a) == list(b), (text, docs, primary)
                assert np.allclose(list(a.values()), list(b.values()), atol=1e-5)
                if docs is not None:
                    assert {index.passages[p].doc for p in b} == {"second"}
        rows = list(range(index.dense.ntotal))
        view = milvus.view(rows[:10], frozenset({index.passages[index.owner[0]].doc}))
        assert all(0 <= r < 10 for r, _ in view.search(embed.encode_query(["运营"])[0], 20, Subset(np.arange(10), None, False)))
    finally:
        milvus.client.close()


@needs_milvus
def test_a_collection_is_filled_once_per_build(two_articles, tmp_path):
    s, index, _ = two_articles
    lite = Settings(**{**s.__dict__, "vectors": "milvus", "milvus_uri": str(tmp_path / "m.db")})
    first = open_vectors(lite, index)
    first.client.close()
    again = open_vectors(lite, index)  # found, not refilled: the count still matches the build
    try:
        assert again.client.list_collections() == [collection_name(index)]
        assert int(again.client.get_collection_stats(collection_name(index))["row_count"]) == index.dense.ntotal
    finally:
        again.client.close()


@pytest.mark.slow
@needs_milvus
def test_answers_are_the_same_with_milvus(assistant, real_index_dir, tmp_path):
    """The real model, the seed and dev questions: every answer's JSON is identical with either backend."""
    from assistant import Assistant

    lite = Assistant.load(index_dir=real_index_dir, corpus_dir=CORPUS, status=None, vectors="milvus", milvus_uri=str(tmp_path / "m.db"))
    try:
        assert lite.vectors.name == "milvus" and assistant.vectors.name == "faiss"
        items = [json.loads(line) for line in (ROOT / "eval" / "dev.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
        for item in items[::6]:
            q, h = item["question"], item.get("history") or None
            assert lite.ask(q, history=h).to_json(q) == assistant.ask(q, history=h).to_json(q), q
    finally:
        lite.vectors.client.close()
