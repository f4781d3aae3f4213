"""Index round trip, staleness, damage, atomic builds and concurrent builds (model-free)."""

from __future__ import annotations

import gc
import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.errors import IndexError_
from assistant.index import (
    CROSS,
    CURRENT,
    DENSE,
    MANIFEST,
    PASSAGES,
    WINDOW,
    build_index,
    build_lock,
    current_path,
    ensure_index,
    load_index,
    manifest_text,
    read_manifest,
    sealed,
    sweep,
    window_texts,
)

from .conftest import ROOT


def settings(corpus: Path, index: Path, model: str = "test-hash") -> Settings:
    return Settings(corpus_dir=corpus, index_dir=index, model=model)


def test_round_trip(corpus_copy, tmp_path, hash_embedder):
    s = settings(corpus_copy, tmp_path / "index")
    built = build_index(s, hash_embedder)
    loaded = load_index(s.index_dir)
    assert loaded is not None
    assert [p.id for p in loaded.passages] == [p.id for p in built.passages]
    assert loaded.passages[0] == built.passages[0]
    assert loaded.manifest == built.manifest
    assert loaded.manifest.model == "test-hash" and loaded.manifest.dim == 32
    assert loaded.dense.ntotal == 124  # 62 passages, each with an English rendering
    assert loaded.renderings["pm-and-ops-roles.zh:3.5.4"].text.startswith("Key metrics")
    manifest = json.loads((loaded.path / MANIFEST).read_text())
    assert set(manifest) >= {"format_version", "model", "dim", "corpus_hash", "n_passages", "files"}


def test_missing_index_is_built_and_reported(corpus_copy, tmp_path, hash_embedder):
    said: list[str] = []
    data = ensure_index(settings(corpus_copy, tmp_path / "index"), hash_embedder, said.append)
    assert len(data.passages) == 62
    assert any("no index" in m for m in said)


def test_stale_corpus_or_model_triggers_rebuild(corpus_copy, tmp_path, hash_embedder):
    s = settings(corpus_copy, tmp_path / "index")
    build_index(s, hash_embedder)
    said: list[str] = []
    ensure_index(s, hash_embedder, said.append)
    assert not any("rebuild" in m for m in said)  # fresh: loaded as is
    (corpus_copy / "extra.md").write_text("# 新岗位\n\n目标:测试重建。\n", encoding="utf-8")
    data = ensure_index(s, hash_embedder, said.append)
    assert any("the corpus changed; rebuilding" in m for m in said)
    assert any(p.doc == "extra" for p in data.passages)
    said.clear()
    data = ensure_index(settings(corpus_copy, s.index_dir, model="other-model"), hash_embedder, said.append)
    assert any("the model changed (test-hash -> other-model)" in m for m in said)
    assert data.manifest.model == "other-model"
    said.clear()
    data = ensure_index(replace(settings(corpus_copy, s.index_dir, model="other-model"), cross_model="none"), hash_embedder, said.append)
    assert any("the second encoder changed (use-m3 -> none)" in m for m in said)
    assert data.cross is None and not (data.path / CROSS).exists()
    said.clear()
    data = ensure_index(replace(settings(corpus_copy, s.index_dir, model="other-model"), cross_model="none", window="off"), hash_embedder, said.append)
    assert any("the passages' window vectors were turned off" in m for m in said)
    assert data.window is None and not (data.path / WINDOW).exists()


@pytest.mark.parametrize(
    ("damage", "named"),
    [
        (lambda p: (p / DENSE).write_bytes((p / DENSE).read_bytes()[:100]), DENSE),
        (lambda p: (p / MANIFEST).write_text("{not json", encoding="utf-8"), MANIFEST),
        (lambda p: (p / PASSAGES).write_text('{"id": 1}\n', encoding="utf-8"), PASSAGES),
        (lambda p: (p / MANIFEST).write_text(manifest_text(sealed(replace(read_manifest(p), dim=64))), encoding="utf-8"), DENSE),
        (lambda p: (p / CROSS).write_bytes((p / CROSS).read_bytes()[:200]), CROSS),
        (lambda p: (p / WINDOW).write_bytes((p / WINDOW).read_bytes()[:200]), WINDOW),
    ],
    ids=["truncated-faiss", "bad-manifest-json", "bad-passages", "dimension-mismatch", "truncated-cross-vectors", "truncated-window-vectors"],
)
def test_damaged_index_names_the_file_then_rebuilds(corpus_copy, tmp_path, hash_embedder, damage, named):
    s = settings(corpus_copy, tmp_path / "index")
    damage(build_index(s, hash_embedder).path)
    with pytest.raises(IndexError_) as err:
        load_index(s.index_dir)
    assert named in str(err.value) and "python -m assistant build" in str(err.value)
    said: list[str] = []
    data = ensure_index(s, hash_embedder, said.append)
    assert any(named in m and "rebuilding" in m for m in said)
    assert len(data.passages) == 62


def test_current_pointing_nowhere(tmp_path):
    (tmp_path / CURRENT).write_text("build-gone\n")
    with pytest.raises(IndexError_, match="missing build"):
        current_path(tmp_path)


def test_build_leaves_one_live_build_and_no_temp(corpus_copy, tmp_path, hash_embedder):
    s = settings(corpus_copy, tmp_path / "index")
    build_index(s, hash_embedder)
    second = build_index(s, hash_embedder)
    names = sorted(p.name for p in s.index_dir.iterdir())
    assert names == sorted([".lock", CURRENT, "embeddings", "parsed", second.path.name])  # the stores outlive builds
    assert (s.index_dir / "embeddings" / "use-m3").is_dir()  # the second encoder's store, inside the first
    assert second.cross.shape == (62, 512) and second.manifest.cross_model == "use-m3"
    assert second.window.shape == (62, hash_embedder.dim) and second.manifest.window


def test_a_window_is_a_passage_with_its_neighbours_in_its_own_article(corpus_copy, tmp_path, hash_embedder):
    (corpus_copy / "extra.md").write_text("# 新岗位\n\n目标:测试窗口。\n", encoding="utf-8")
    data = build_index(settings(corpus_copy, tmp_path / "index"), hash_embedder)
    texts = window_texts(data.passages)
    ps = data.passages
    b = next(i for i in range(1, len(ps)) if ps[i].doc != ps[i - 1].doc)  # where one article ends and the next starts
    assert texts[b].startswith(ps[b].text) and texts[b - 1].endswith(ps[b - 1].text)
    i = next(i for i in range(1, len(ps) - 1) if ps[i - 1].doc == ps[i].doc == ps[i + 1].doc)
    assert texts[i] == "\n".join([ps[i - 1].text, ps[i].text, ps[i + 1].text])
    # The window vectors come through the embedding store: a second build embeds nothing again.
    before = len(hash_embedder.texts)
    build_index(settings(corpus_copy, tmp_path / "index"), hash_embedder)
    assert len(hash_embedder.texts) == before


def test_concurrent_builds_never_corrupt(corpus_copy, tmp_path, hash_embedder):
    s = settings(corpus_copy, tmp_path / "index")
    errors: list[BaseException] = []

    def run() -> None:
        try:
            build_index(s, hash_embedder)
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    gc.collect()  # every thread's result is gone: nobody reads the earlier builds now
    with build_lock(s.index_dir):
        sweep(s.index_dir)
    data = load_index(s.index_dir)
    assert data is not None and len(data.passages) == 62
    assert [p.name for p in s.index_dir.iterdir() if p.name.startswith(("build-", ".tmp-"))] == [data.path.name]


SLOW_BUILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    sys.path.insert(0, {root!r})
    sys.path.insert(0, {tests!r})
    from conftest import HashEmbedder
    import assistant.index as ix
    from assistant.config import Settings
    from assistant.index import build_index
    real_write = ix._write

    def slow_write(path, data):
        if path.name == "dense.faiss":
            print("writing", flush=True)  # the temp folder exists and holds passages.jsonl by now
            time.sleep(60)
        real_write(path, data)

    ix._write = slow_write
    build_index(Settings(corpus_dir=Path(sys.argv[1]), index_dir=Path(sys.argv[2]), model="test-hash"), HashEmbedder())
    """
)


def test_killed_build_leaves_previous_index_usable(corpus_copy, tmp_path, hash_embedder):
    s = settings(corpus_copy, tmp_path / "index")
    before = build_index(s, hash_embedder)
    (corpus_copy / "extra.md").write_text("# 新岗位\n\n目标:测试。\n", encoding="utf-8")
    script = tmp_path / "slow_build.py"
    script.write_text(SLOW_BUILD.format(root=str(ROOT), tests=str(ROOT / "tests")))
    proc = subprocess.Popen([sys.executable, str(script), str(corpus_copy), str(s.index_dir)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "writing"
    assert [p for p in s.index_dir.iterdir() if p.name.startswith(".tmp-")]  # killed mid-write
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
    after = load_index(s.index_dir)
    assert after is not None and after.path == before.path and len(after.passages) == 62
    # The next build (under the lock) sweeps what the killed one left behind.
    rebuilt = build_index(s, hash_embedder)
    assert any(p.doc == "extra" for p in rebuilt.passages)
    assert not [p for p in s.index_dir.iterdir() if p.name.startswith(".tmp-")]
