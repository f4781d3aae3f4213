"""The embedding store: a build embeds only new or changed texts, survives damage and resumes when stopped (model-free)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant import embstore
from assistant.config import Settings
from assistant.embstore import EmbeddingStore, embed_with_store, store_dir, text_key
from assistant.index import build_index, embed_texts, load_index

from .conftest import HashEmbedder

ARTICLE = """# 测试文章：数据运营的一天

## 一、岗位是什么

数据运营负责搭建指标体系，跟踪每日的核心数据。

## 二、需要的能力

**目标**：让团队用数据做决定。

- 会写SQL查询
- 会做可视化报表
"""


def settings(corpus: Path, index: Path) -> Settings:
    # The counts below are of passages' own texts; the window vectors' use of the store is tested in test_index.
    return Settings(corpus_dir=corpus, index_dir=index, model="test-hash", window="off")


def texts_of(data) -> list[str]:  # type: ignore[no-untyped-def]
    return [t for p in data.passages for t in embed_texts(p, data.renderings.get(p.id))]


def test_rebuild_of_the_same_corpus_embeds_nothing(corpus_copy, tmp_path, hash_embedder):
    s = settings(corpus_copy, tmp_path / "index")
    first = build_index(s, hash_embedder)
    assert len(hash_embedder.texts) == 124  # 62 passages and their renderings
    hash_embedder.texts.clear()
    second = build_index(s, hash_embedder)
    assert hash_embedder.texts == []
    assert np.array_equal(first.dense.reconstruct_n(0, 124), second.dense.reconstruct_n(0, 124))


def test_adding_an_article_embeds_only_its_passages(corpus_copy, tmp_path, hash_embedder):
    s = settings(corpus_copy, tmp_path / "index")
    build_index(s, hash_embedder)
    hash_embedder.texts.clear()
    (corpus_copy / "data-ops.md").write_text(ARTICLE, encoding="utf-8")
    data = build_index(s, hash_embedder)
    new = [p for p in data.passages if p.doc == "data-ops"]
    assert len(new) == 4
    assert sorted(hash_embedder.texts) == sorted(t for p in new for t in embed_texts(p, None))
    assert data.dense.ntotal == 128


def test_changing_an_article_re_embeds_only_changed_passages(corpus_copy, tmp_path, hash_embedder):
    s = settings(corpus_copy, tmp_path / "index")
    (corpus_copy / "data-ops.md").write_text(ARTICLE, encoding="utf-8")
    before = build_index(s, hash_embedder)
    hash_embedder.texts.clear()
    (corpus_copy / "data-ops.md").write_text(ARTICLE.replace("会写SQL查询", "会写SQL查询和Python脚本"), encoding="utf-8")
    after = build_index(s, hash_embedder)
    assert hash_embedder.texts == ["二、需要的能力: 会写SQL查询和Python脚本"]
    assert len(after.passages) == len(before.passages)
    # The vectors of unchanged passages are the stored ones, row for row.
    fresh = HashEmbedder().encode(texts_of(after))
    assert np.allclose(after.dense.reconstruct_n(0, after.dense.ntotal), fresh)


@pytest.mark.parametrize("damage", ["truncate", "flip", "stray"])
def test_damaged_store_is_detected_and_healed(corpus_copy, tmp_path, hash_embedder, damage):
    s = settings(corpus_copy, tmp_path / "index")
    build_index(s, hash_embedder)
    chunks = sorted(store_dir(s.index_dir).glob("*.chunk"))
    assert chunks
    victim = chunks[0]
    if damage == "truncate":
        victim.write_bytes(victim.read_bytes()[:-7])
    elif damage == "flip":
        data = bytearray(victim.read_bytes())
        data[-5] ^= 0x40  # one bit of one vector: the file keeps its size
        victim.write_bytes(bytes(data))
    else:  # a file that claims a name but holds other bytes
        (victim.parent / ("0" * 64 + ".chunk")).write_bytes(b"not a chunk")
    said: list[str] = []
    hash_embedder.texts.clear()
    data = build_index(s, hash_embedder, said.append)
    assert any("dropped 1 damaged chunk" in m for m in said)
    if damage == "stray":
        assert hash_embedder.texts == []
    else:
        assert len(hash_embedder.texts) == 124  # the one chunk held every text; all are embedded again
        assert not victim.exists() or victim.read_bytes()[:8] == embstore.MAGIC
    fresh = HashEmbedder().encode(texts_of(data))
    assert np.allclose(data.dense.reconstruct_n(0, data.dense.ntotal), fresh)
    again = EmbeddingStore.open(store_dir(s.index_dir))
    assert again.dropped == [] and len(again) == 124


class Interrupting(HashEmbedder):
    """Embeds `allow` batches, then is stopped as by Ctrl-C."""

    def __init__(self, allow: int) -> None:
        super().__init__()
        self.allow = allow

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        if self.calls >= self.allow:
            raise KeyboardInterrupt
        return super().encode(texts, batch_size)


def test_interrupted_build_resumes_without_losing_finished_embeddings(corpus_copy, tmp_path, monkeypatch):
    monkeypatch.setattr(embstore, "CHUNK", 32)  # a chunk per batch, as a long build flushes as it goes
    s = settings(corpus_copy, tmp_path / "index")
    stopped = Interrupting(allow=2)
    with pytest.raises(KeyboardInterrupt):
        build_index(s, stopped)
    assert load_index(s.index_dir) is None  # nothing went live
    assert len(EmbeddingStore.open(store_dir(s.index_dir))) == 64  # two batches of 32 kept
    resumed = HashEmbedder()
    data = build_index(s, resumed)
    assert len(resumed.texts) == 124 - 64
    assert not set(resumed.texts) & set(stopped.texts)
    assert np.allclose(data.dense.reconstruct_n(0, 124), HashEmbedder().encode(texts_of(data)))


def test_killed_writer_leaves_no_half_chunk(tmp_path):
    folder = tmp_path / "store"
    store = EmbeddingStore(folder, chunk=4)
    keys = [text_key("m", str(i)) for i in range(6)]
    store.add(keys, np.ones((6, 3), dtype=np.float32))
    (folder / ".deadbeef.tmp").write_bytes(b"half a chunk")  # what a writer killed mid-write leaves
    loaded = EmbeddingStore.open(folder)
    assert len(loaded) == 6 and loaded.dropped == []
    assert np.array_equal(loaded.get(keys[5]), np.ones(3, dtype=np.float32))


def test_progress_counts_only_new_texts_and_chunks_are_merged(tmp_path, monkeypatch):
    monkeypatch.setattr(embstore, "MAX_CHUNKS", 3)
    folder = tmp_path / "store"
    seen: list[tuple[int, int]] = []
    enc = HashEmbedder()
    texts = [f"passage {i}" for i in range(10)]
    store = EmbeddingStore.open(folder, chunk=2)
    vecs, n = embed_with_store(texts[:6], "m", enc.encode, store, lambda: 32, batch=2)
    assert n == 6 and len(list(folder.glob("*.chunk"))) == 3
    store = EmbeddingStore.open(folder, chunk=2)
    vecs, n = embed_with_store(texts, "m", enc.encode, store, lambda: 32, lambda d, t: seen.append((d, t)), batch=2)
    assert n == 4 and seen == [(0, 4), (2, 4), (4, 4)]
    assert np.allclose(vecs, HashEmbedder().encode(texts))
    assert store.compact(text_key("m", t) for t in texts)
    assert len(list(folder.glob("*.chunk"))) == 1 and len(EmbeddingStore.open(folder)) == 10
    # Texts no longer used are dropped at a merge once they outnumber the used ones.
    store = EmbeddingStore.open(folder, chunk=2)
    embed_with_store([f"other {i}" for i in range(8)], "m", enc.encode, store, lambda: 32, batch=2)
    assert store.compact([text_key("m", "passage 0")], max_chunks=1)
    assert len(EmbeddingStore.open(folder)) == 1


def test_the_key_is_the_model_and_the_exact_text():
    assert text_key("a", "数据运营") != text_key("b", "数据运营")
    assert text_key("a", "数据运营") != text_key("a", "数据运营 ")
    assert text_key("a", "x") == text_key("a", "x")


def test_article_cache_serves_unchanged_articles_and_distrusts_damage(corpus_copy, tmp_path, hash_embedder, monkeypatch):
    from assistant import articlecache, markdown
    from assistant.articlecache import cache_dir
    from assistant.corpus import load_corpus

    (corpus_copy / "data-ops.md").write_text(ARTICLE, encoding="utf-8")
    folder = cache_dir(tmp_path / "index")
    fresh = load_corpus(corpus_copy)
    assert load_corpus(corpus_copy, folder) == fresh  # first read: split and stored
    calls: list[str] = []
    real = markdown.split_markdown
    monkeypatch.setattr(markdown, "split_markdown", lambda doc, text: calls.append(doc) or real(doc, text))
    assert load_corpus(corpus_copy, folder) == fresh and calls == []  # served from the cache
    for entry in (folder / "passages").rglob("*.json"):
        entry.write_bytes(entry.read_bytes()[:-3] + b"]]]")  # damaged: its checksum no longer holds
    assert load_corpus(corpus_copy, folder) == fresh and calls == ["data-ops"]  # split again, not trusted
    assert load_corpus(corpus_copy, folder) == fresh and calls == ["data-ops"]  # and the entry was rewritten
    # Tokens: a rebuild of an unchanged corpus cuts no words, and gives the same BM25.
    s = settings(corpus_copy, tmp_path / "index")
    first = build_index(s, hash_embedder)
    cuts: list[str] = []
    from assistant import index as ix

    monkeypatch.setattr(ix, "tokenize", lambda text: cuts.append(text) or [])
    second = build_index(s, hash_embedder)
    assert cuts == [] and second.bm25.postings == first.bm25.postings
    assert articlecache.fingerprint("tokens.py") != articlecache.fingerprint("markdown.py")


def test_auto_index_type_and_the_ivf_index_round_trips():
    import faiss

    from assistant.index import FLAT_LIMIT, IVF_NPROBE, choose_index_type, make_faiss

    assert choose_index_type(FLAT_LIMIT, "auto") == "flat" and choose_index_type(FLAT_LIMIT + 1, "auto") == "ivf"
    assert choose_index_type(1000, "ivf") == "flat" and choose_index_type(1000, "hnsw") == "hnsw"
    rng = np.random.default_rng(0)
    vecs = rng.normal(size=(40_000, 16)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    index = make_faiss(vecs, "ivf")
    loaded = faiss.deserialize_index(faiss.serialize_index(index))
    assert loaded.nprobe == IVF_NPROBE and loaded.ntotal == 40_000
    assert np.array_equal(loaded.reconstruct(123), vecs[123])
    _, found = loaded.search(vecs[:50], 1)
    assert (found[:, 0] == np.arange(50)).mean() >= 0.95
