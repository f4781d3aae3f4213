"""The index verifies itself and heals: checksums of every build file, damaged query encoders, write failures,
builds that never delete what another process reads, leftovers swept, and a newer build picked up (model-free)."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import gc
import hashlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

import assistant.index as ix
from assistant.config import Settings
from assistant.errors import ConfigError, IndexError_, IndexWriteError
from assistant.index import CURRENT, DENSE, MANIFEST, build_index, build_lock, ensure_index, load_index, read_manifest, sweep

from .conftest import ROOT

ENCODER_FILES = ("query_encoder/model.onnx", "query_encoder/meta.json", "query_encoder/tokenizer.json")


def settings(corpus: Path, index: Path) -> Settings:
    return Settings(corpus_dir=corpus, index_dir=index, model="test-hash")


@pytest.fixture
def fake_encoder(monkeypatch):
    """Builds export a small stand-in query encoder (three files), so its checks run without the real model."""

    def export(embedder, tmp, texts, status):
        d = tmp / "query_encoder"
        d.mkdir()
        (d / "model.onnx").write_bytes(hashlib.sha256(b"model").digest() * 256)
        (d / "meta.json").write_text(json.dumps({"max_length": 256, "dim": 32, "model": "test-hash"}), encoding="utf-8")
        (d / "tokenizer.json").write_text(json.dumps({"version": "1.0", "model": {"vocab": {"a": 1}}}), encoding="utf-8")
        return {"max_length": 256, "dim": 32, "model": "test-hash", "min_cosine": 1.0, "verified_on": 1}

    monkeypatch.setattr(ix, "_export_query_encoder", export)


@contextlib.contextmanager
def read_only(path: Path):
    """Make a folder unwritable for this process: chmod for a normal user, the immutable attribute for root."""
    if os.geteuid() != 0:
        os.chmod(path, 0o555)
        try:
            yield
        finally:
            os.chmod(path, 0o755)
        return
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip("running as root on a file system without chattr +i: cannot make a folder read-only")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def fail_on(monkeypatch, attr: str, name: str | None, code: int) -> None:
    """Make the index writer ix.<attr> raise OSError(code) for files called name (for every file when None)."""
    real = getattr(ix, attr)

    def failing(path, data):
        if name is None or path.name == name:
            raise OSError(code, os.strerror(code))
        real(path, data)

    monkeypatch.setattr(ix, attr, failing)


def entries(index: Path) -> list[str]:
    """The index folder's entries but the embedding store and article cache, which outlive builds (tests/test_embstore.py)."""
    return sorted(p.name for p in index.iterdir() if p.name not in ("embeddings", "parsed"))


def add_article(corpus: Path) -> None:
    (corpus / "extra.md").write_text("# 新岗位\n\n目标:测试重建。\n", encoding="utf-8")


# -- 1. every file of a build is recorded and verified --------------------------------------


def test_manifest_records_size_and_checksum_of_every_file(corpus_copy, tmp_path, hash_embedder, fake_encoder):
    data = build_index(settings(corpus_copy, tmp_path / "index"), hash_embedder)
    sums = read_manifest(data.path).checksums
    assert sums is not None and set(sums) == {"passages.jsonl", DENSE, "bm25.json", "bilingual.json", "cross.npy", "window.npy", *ENCODER_FILES}
    for rel, want in sums.items():
        f = data.path / rel
        assert want == {"size": f.stat().st_size, "sha256": hashlib.sha256(f.read_bytes()).hexdigest()}
    assert data.manifest.seal and read_manifest(data.path) == data.manifest


def _garble(f: Path) -> None:
    raw = bytearray(f.read_bytes())
    raw[len(raw) // 2] ^= 0xFF  # same size: only the checksum can tell
    f.write_bytes(bytes(raw))


@pytest.mark.parametrize(
    ("rel", "damage", "why"),
    [
        ("query_encoder/model.onnx", lambda f: f.write_bytes(f.read_bytes()[:100]), "is corrupt or truncated (100 bytes, 8,192 recorded)"),
        ("query_encoder/model.onnx", _garble, "is corrupt (its checksum differs from the manifest)"),
        ("query_encoder/model.onnx", lambda f: f.unlink(), "is missing"),
        ("query_encoder/meta.json", _garble, "is corrupt (its checksum differs"),
        ("query_encoder/tokenizer.json", lambda f: f.write_text("{", encoding="utf-8"), "is corrupt or truncated"),
        ("bm25.json", _garble, "is corrupt (its checksum differs"),
    ],
    ids=["model-truncated", "model-garbled", "model-missing", "meta-garbled", "tokenizer-truncated", "bm25-garbled"],
)
def test_damaged_encoder_or_index_file_is_named_then_rebuilt(corpus_copy, tmp_path, hash_embedder, fake_encoder, rel, damage, why):
    s = settings(corpus_copy, tmp_path / "index")
    damage(build_index(s, hash_embedder).path / rel)
    with pytest.raises(IndexError_) as err:
        load_index(s.index_dir)
    assert f"{rel} {why}" in str(err.value) and "run `python -m assistant build`" in str(err.value)
    said: list[str] = []
    data = ensure_index(s, hash_embedder, said.append)
    assert any(rel in m and "rebuilding the index" in m for m in said), said
    assert data.manifest.query_encoder and (data.path / rel).is_file()
    assert load_index(s.index_dir).path == data.path  # the new build verifies
    assert [n for n in entries(s.index_dir) if n.startswith(("build-", ".tmp-"))] == [data.path.name]  # the damaged one is swept


def test_edited_manifest_is_noticed_by_its_seal(corpus_copy, tmp_path, hash_embedder):
    s = settings(corpus_copy, tmp_path / "index")
    path = build_index(s, hash_embedder).path
    text = (path / MANIFEST).read_text(encoding="utf-8")
    (path / MANIFEST).write_text(text.replace('"n_passages": 62', '"n_passages": 61'), encoding="utf-8")
    with pytest.raises(IndexError_, match="manifest.json is corrupt \\(its seal does not match its contents\\)"):
        load_index(s.index_dir)


def test_index_without_checksums_is_rebuilt(corpus_copy, tmp_path, hash_embedder):
    s = settings(corpus_copy, tmp_path / "index")
    path = build_index(s, hash_embedder).path
    old = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    del old["checksums"], old["seal"]
    (path / MANIFEST).write_text(json.dumps(old), encoding="utf-8")
    said: list[str] = []
    data = ensure_index(s, hash_embedder, said.append)
    assert any("records no checksums" in m and "rebuilding" in m for m in said)
    assert data.manifest.checksums


# -- 7. write failures: the existing index keeps serving -----------------------------------------


def test_read_only_index_serves_the_existing_build(corpus_copy, tmp_path, hash_embedder):
    s = settings(corpus_copy, tmp_path / "index")
    before = build_index(s, hash_embedder).path
    add_article(corpus_copy)
    said: list[str] = []
    with read_only(s.index_dir):
        data = ensure_index(s, hash_embedder, said.append)
    assert data.path == before and len(data.passages) == 62
    assert any(
        m.startswith("warning: cannot rebuild the index (cannot write the index in") and "serving the existing one" in m and "writable" in m for m in said
    ), said
    assert entries(s.index_dir) == sorted([".lock", CURRENT, before.name])


def test_read_only_index_with_damaged_encoder_serves_without_it(corpus_copy, tmp_path, hash_embedder, fake_encoder):
    s = settings(corpus_copy, tmp_path / "index")
    before = build_index(s, hash_embedder).path
    (before / "query_encoder/model.onnx").write_bytes(b"garbage")
    said: list[str] = []
    with read_only(s.index_dir):
        data = ensure_index(s, hash_embedder, said.append)
    assert data.path == before and data.manifest.query_encoder is None  # so questions use the model, said aloud
    assert any("model.onnx is corrupt or truncated" in m and "without its fast query encoder" in m for m in said), said
    assert any(m.startswith("warning: cannot rebuild the index") for m in said)


def test_read_only_index_with_damaged_core_is_a_clear_error(corpus_copy, tmp_path, hash_embedder):
    s = settings(corpus_copy, tmp_path / "index")
    before = build_index(s, hash_embedder).path
    (before / DENSE).write_bytes(b"garbage")
    with read_only(s.index_dir), pytest.raises(IndexWriteError) as err:
        ensure_index(s, hash_embedder)
    assert "dense.faiss is corrupt or truncated" in err.value.what and "the index cannot be rebuilt: cannot write the index in" in err.value.what
    assert "writable" in err.value.fix


def test_full_disk_serves_the_existing_build_and_leaks_nothing(corpus_copy, tmp_path, hash_embedder, monkeypatch):
    s = settings(corpus_copy, tmp_path / "index")
    before = build_index(s, hash_embedder).path
    listing = entries(s.index_dir)
    add_article(corpus_copy)
    fail_on(monkeypatch, "_write", DENSE, errno.ENOSPC)
    for _ in range(3):
        said: list[str] = []
        data = ensure_index(s, hash_embedder, said.append)
        assert data.path == before
        assert any("No space left on device" in m and "free disk space" in m for m in said), said
        assert entries(s.index_dir) == listing  # no .tmp-* folder left per try
    with pytest.raises(IndexWriteError, match="cannot write the index in .* \\(No space left on device\\)"):
        build_index(s, hash_embedder)


def test_current_replaced_by_a_folder_fails_fast_and_leaks_nothing(corpus_copy, tmp_path, hash_embedder):
    s = settings(corpus_copy, tmp_path / "index")
    build_index(s, hash_embedder)
    (s.index_dir / CURRENT).unlink()
    (s.index_dir / CURRENT).mkdir()
    listing = entries(s.index_dir)
    calls = hash_embedder.calls
    for _ in range(2):
        with pytest.raises(IndexWriteError, match="CURRENT is a folder, not the one-line file naming the live build") as err:
            ensure_index(s, hash_embedder)
        assert "rm -r" in err.value.fix
    assert entries(s.index_dir) == listing and hash_embedder.calls == calls  # no build folder made, nothing embedded


@pytest.mark.parametrize("where", ["file", "typo"])
def test_index_path_that_cannot_be_an_index_folder(corpus_copy, tmp_path, hash_embedder, where):
    if where == "file":
        index = tmp_path / "README.md"
        index.write_text("not an index", encoding="utf-8")
        message = "is a file, not a folder"
    else:
        index = tmp_path / "typo" / "path" / "index"
        message = "does not exist, nor does its parent"
    with pytest.raises(ConfigError, match=message):
        ensure_index(settings(corpus_copy, index), hash_embedder)
    assert not (tmp_path / "typo").exists() and hash_embedder.calls == 0


# -- 5. a build never deletes a folder another process reads -----------------------------------

HOLDER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    sys.path.insert(0, {root!r})
    from assistant.index import load_index
    data = load_index(Path(sys.argv[1]))
    print(data.path, flush=True)
    sys.stdin.readline()  # the test builds meanwhile
    for f in sorted(data.path.rglob("*")):
        if f.is_file():
            f.read_bytes()  # as the query encoder's session would, lazily, on the first question
    print("read", flush=True)
    """
)


def test_builds_never_delete_a_build_another_process_reads(corpus_copy, tmp_path, hash_embedder, fake_encoder):
    s = settings(corpus_copy, tmp_path / "index")
    first = build_index(s, hash_embedder).path
    script = tmp_path / "holder.py"
    script.write_text(HOLDER.format(root=str(ROOT)))
    proc = subprocess.Popen([sys.executable, str(script), str(s.index_dir)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdin is not None
        assert proc.stdout.readline().strip() == str(first)
        for _ in range(2):
            build_index(s, hash_embedder)  # each build sweeps what nobody holds
        assert (first / "query_encoder/model.onnx").is_file()
        proc.stdin.write("go\n")
        proc.stdin.flush()
        assert proc.stdout.readline().strip() == "read"
    finally:
        proc.wait(60)
    assert proc.returncode == 0
    last = build_index(s, hash_embedder)
    assert not first.exists()  # released: the next build swept it
    assert [n for n in entries(s.index_dir) if n.startswith("build-")] == [last.path.name]


def test_a_loaded_index_in_this_process_keeps_its_folder(corpus_copy, tmp_path, hash_embedder):
    s = settings(corpus_copy, tmp_path / "index")
    build_index(s, hash_embedder)
    data = load_index(s.index_dir)
    newer = build_index(s, hash_embedder)
    assert data.path.is_dir() and data.path != newer.path
    old = data.path
    del data
    gc.collect()
    with build_lock(s.index_dir):
        assert old.name in sweep(s.index_dir)
    assert entries(s.index_dir) == sorted([".lock", CURRENT, newer.path.name])


# -- 11. leftovers are swept ---------------------------------------------------------------------


def test_dead_leftovers_are_swept_and_live_builds_are_not(corpus_copy, tmp_path, hash_embedder):
    s = settings(corpus_copy, tmp_path / "index")
    build_index(s, hash_embedder)
    stale_current = s.index_dir / ".CURRENT.0123abcd.tmp"
    stale_current.write_text("build-x\n")
    dead = s.index_dir / f".tmp-{os.getpid()}-deadbeef"  # same pid as a live process: pids say nothing
    dead.mkdir()
    (dead / "passages.jsonl").write_bytes(b"x" * 1000)
    live = s.index_dir / ".tmp-1-livebuild"
    live.mkdir()
    fd = os.open(live, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # as a running build holds its folder
    try:
        data = build_index(s, hash_embedder)
        assert not stale_current.exists() and not dead.exists() and live.is_dir()
    finally:
        os.close(fd)
    del data
    gc.collect()
    data = build_index(s, hash_embedder)
    assert entries(s.index_dir) == sorted([".lock", CURRENT, data.path.name])


# -- 12. the chat notices a newer build --------------------------------------------------------


def _assistant(s: Settings, embedder):
    from assistant.assistant import Assistant
    from assistant.lexicon import load_lexicon

    return Assistant(s, load_index(s.index_dir), embedder, load_lexicon(s.corpus_dir))


def test_refresh_picks_up_a_newer_build(corpus_copy, tmp_path, hash_embedder):
    s = settings(corpus_copy, tmp_path / "index")
    build_index(s, hash_embedder)
    a = _assistant(s, hash_embedder)
    first = a.index.path
    assert a.refresh_if_newer() is None  # still the live build
    add_article(corpus_copy)
    newer = build_index(s, hash_embedder)
    assert first.is_dir()  # the running assistant still holds it
    note = a.refresh_if_newer()
    assert note == f"switched to the newer index {newer.path.name} (63 passages)"
    assert a.index.path == newer.path and any(p.doc == "extra" for p in a.index.passages)
    assert a.retriever.index is a.index
    assert a.refresh_if_newer() is None


def test_refresh_keeps_serving_when_the_newer_build_is_damaged(corpus_copy, tmp_path, hash_embedder):
    s = settings(corpus_copy, tmp_path / "index")
    build_index(s, hash_embedder)
    a = _assistant(s, hash_embedder)
    first = a.index.path
    add_article(corpus_copy)
    newer = build_index(s, hash_embedder)
    (newer.path / DENSE).write_bytes(b"garbage")
    note = a.refresh_if_newer()
    assert note.startswith(f"warning: the newer index {newer.path.name} failed its checks") and f"still serving the older {first.name}" in note
    assert a.index.path == first
    assert a.refresh_if_newer() is None and a.newer() is None  # said once; the damaged build is not re-checked
    fixed = build_index(s, hash_embedder)
    assert a.refresh_if_newer() == f"switched to the newer index {fixed.path.name} (63 passages)"


def test_settings_reject_unknown_choices(monkeypatch):
    monkeypatch.setenv("ASSISTANT_INDEX_TYPE", "bogus")
    with pytest.raises(ConfigError, match="index type 'bogus' is not one of auto, flat, hnsw") as err:
        Settings.from_env()
    assert "ASSISTANT_INDEX_TYPE" in err.value.fix
    monkeypatch.delenv("ASSISTANT_INDEX_TYPE")
    monkeypatch.setenv("ASSISTANT_ENCODER", "onnx-please")
    with pytest.raises(ConfigError, match="encoder 'onnx-please' is not one of auto, torch"):
        Settings.from_env()


def test_replace_keeps_manifest_fields():
    m = ix.Manifest(ix.FORMAT_VERSION, "m", 1, "h", 0, 0, "flat", [], [], "t", 0.0)
    assert ix.sealed(m).seal == ix.sealed(replace(m, seal="x")).seal  # the seal never covers itself


# -- 1. no fallback is silent ------------------------------------------------------------------------


def test_encoder_files_damaged_after_loading_are_named(tmp_path):
    from assistant.onnx_encoder import OnnxEmbedder

    (tmp_path / "meta.json").write_text('{"dim": ', encoding="utf-8")
    with pytest.raises(IndexError_, match="meta.json is corrupt \\(JSONDecodeError\\) - run `python -m assistant build`"):
        OnnxEmbedder(tmp_path)
    (tmp_path / "meta.json").write_text(json.dumps({"max_length": 256, "dim": 32, "model": "m"}), encoding="utf-8")
    (tmp_path / "tokenizer.json").write_text("{oops", encoding="utf-8")
    with pytest.raises(IndexError_, match="tokenizer.json cannot be loaded"):
        OnnxEmbedder(tmp_path).encode(["x"])


def test_an_index_without_a_query_encoder_says_so(corpus_copy, tmp_path):
    from .conftest import HashEmbedder

    class ModelLike(HashEmbedder):
        def _load(self):  # looks like the real model, but exporting fails
            raise RuntimeError("no export in tests")

    s = settings(corpus_copy, tmp_path / "index")
    said: list[str] = []
    build_index(s, ModelLike(), said.append)
    assert any(m.startswith("note: no fast query encoder (RuntimeError") and "questions load torch" in m for m in said), said
    said.clear()
    ensure_index(s, ModelLike(), said.append)
    assert said == ["note: this index has no fast query encoder; questions load torch (a few seconds each) - run `python -m assistant build` to export one"]


def test_a_failed_switch_leaves_the_live_build_and_no_new_folder(corpus_copy, tmp_path, hash_embedder, monkeypatch):
    s = settings(corpus_copy, tmp_path / "index")
    live = build_index(s, hash_embedder).path
    add_article(corpus_copy)
    fail_on(monkeypatch, "write_atomic", CURRENT, errno.EIO)
    with pytest.raises(IndexWriteError, match="Input/output error"):
        build_index(s, hash_embedder)
    assert load_index(s.index_dir).path == live  # the sweep before the switch never touches the live build
    assert entries(s.index_dir) == sorted([".lock", CURRENT, live.name])


def test_a_failing_build_still_sweeps_what_killed_builds_left(corpus_copy, tmp_path, hash_embedder, monkeypatch):
    s = settings(corpus_copy, tmp_path / "index")
    live = build_index(s, hash_embedder).path
    dead = s.index_dir / ".tmp-999999-killed00"
    dead.mkdir()
    (dead / "dense.faiss").write_bytes(b"x" * 10_000)
    fail_on(monkeypatch, "_write", None, errno.ENOSPC)
    with pytest.raises(IndexWriteError):
        build_index(s, hash_embedder)
    assert entries(s.index_dir) == sorted([".lock", CURRENT, live.name])


FULL_DISK = textwrap.dedent(
    """
    import json, os, sys
    from pathlib import Path
    sys.path.insert(0, {root!r})
    sys.path.insert(0, {tests!r})
    from conftest import HashEmbedder
    from assistant.config import Settings
    from assistant.errors import IndexWriteError
    from assistant.index import build_index, ensure_index

    disk, corpus = Path(sys.argv[1]), Path(sys.argv[2])
    s = Settings(corpus_dir=corpus, index_dir=disk / "index", model="test-hash")
    first = build_index(s, HashEmbedder()).path.name
    fd = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while True:  # fill the disk to the last block
            os.write(fd, b"x" * 4096)
    except OSError:
        os.close(fd)
    (corpus / "extra.md").write_text("# 新岗位\\n\\n目标:测试重建。\\n", encoding="utf-8")
    said = []
    for _ in range(3):
        served = ensure_index(s, HashEmbedder(), said.append).path.name
    left = sorted(p.name for p in s.index_dir.iterdir() if p.name not in ("embeddings", "parsed"))
    try:
        build_index(s, HashEmbedder())
        error = None
    except IndexWriteError as exc:
        error = str(exc)
    os.unlink(disk / "filler")
    healed = ensure_index(s, HashEmbedder()).path.name
    print(json.dumps({{"first": first, "served": served, "said": said, "left": left, "error": error, "healed": healed}}))
    """
)


def test_a_real_full_disk_serves_the_existing_build(corpus_copy, tmp_path):
    if os.geteuid() != 0 or not shutil.which("unshare"):
        pytest.skip("needs root and unshare to mount a small tmpfs")
    disk = tmp_path / "disk"
    disk.mkdir()
    script = tmp_path / "full_disk.py"
    script.write_text(FULL_DISK.format(root=str(ROOT), tests=str(ROOT / "tests")))
    cmd = f"mount -t tmpfs -o size=2m tmpfs {disk} && {sys.executable} {script} {disk} {corpus_copy}"
    res = subprocess.run(["unshare", "-m", "sh", "-c", cmd], capture_output=True, text=True, timeout=300)
    if res.returncode != 0 and "mount" in res.stderr and "Traceback" not in res.stderr:
        pytest.skip(f"cannot mount a tmpfs here: {res.stderr.strip()[:200]}")
    assert res.returncode == 0, res.stderr[-3000:]
    out = json.loads(res.stdout.splitlines()[-1])
    assert out["served"] == out["first"]
    assert sum("No space left on device" in m and "serving the existing one" in m for m in out["said"]) == 3
    assert out["left"] == sorted([".lock", CURRENT, out["first"]])  # no .tmp-* left by the three failed tries
    assert "cannot write the index in" in out["error"] and "free disk space" in out["error"]
    assert out["healed"] != out["first"]  # with space again, the stale index is rebuilt


def test_loading_sweeps_builds_nobody_reads_any_more(corpus_copy, tmp_path, hash_embedder):
    s = settings(corpus_copy, tmp_path / "index")
    build_index(s, hash_embedder)
    held = load_index(s.index_dir)
    newer = build_index(s, hash_embedder)
    assert held.path.is_dir()  # read while the newer build swept
    old = held.path
    del held
    gc.collect()
    data = ensure_index(s, hash_embedder)
    assert data.path == newer.path and not old.exists()
    with read_only(s.index_dir):
        assert ensure_index(s, hash_embedder).path == newer.path  # nothing to sweep, and no error when it cannot
