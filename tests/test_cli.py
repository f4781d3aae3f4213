"""The command line: exit codes, error messages, JSON shape, and a fast --help."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import CORPUS, ROOT


def run(*args: str, index: Path | None = None, corpus: Path = CORPUS, timeout: int = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, "ASSISTANT_CORPUS": str(corpus)}
    if index is not None:
        env["ASSISTANT_INDEX"] = str(index)
    return subprocess.run([sys.executable, "-m", "assistant", *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=timeout)


def test_help_does_not_import_the_heavy_stack():
    code = "import sys, assistant.cli as c; c.parser(); print(sorted(m for m in ('torch','faiss','gradio','sentence_transformers','numpy','jieba') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"
    res = run("--help")
    assert res.returncode == 0 and "ask" in res.stdout and "evaluate" in res.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("ask", "   "), "Error: the question is empty - put the question in quotes"),
        (("ask", "hi", "-k", "0"), "Error: -k must be at least 1"),
        (("evaluate", "does-not-exist.jsonl"), "Error: question file does-not-exist.jsonl does not exist - check the path"),
    ],
)
def test_user_errors_exit_1_without_traceback(args, message):
    res = run(*args)
    assert res.returncode == 1
    assert res.stderr.strip().startswith(message)
    assert "Traceback" not in res.stderr


def test_malformed_question_file_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "question": "What is ARPU?"}\n{oops\n', encoding="utf-8")
    res = run("evaluate", str(bad))
    assert res.returncode == 1 and f"Error: {bad}:2: malformed JSON" in res.stderr and "Traceback" not in res.stderr


def test_unreadable_corpus_without_index_is_a_clear_error(tmp_path):
    empty = tmp_path / "corpus"
    empty.mkdir()
    res = run("ask", "What does traffic ops measure?", index=tmp_path / "index", corpus=empty)
    assert res.returncode == 1
    assert "Error: no articles could be indexed" in res.stderr and "Traceback" not in res.stderr


@pytest.mark.slow
def test_ask_json_shape_and_exit_code(real_index_dir, assistant):
    res = run("ask", "What does traffic ops measure?", "--json", index=real_index_dir)
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert {"question", "lang", "refused", "text", "citations"} <= set(out)
    assert out["lang"] == "en" and out["refused"] is False
    first = out["citations"][0]
    assert {"n", "passage_id", "heading", "quote"} <= set(first)
    assert first["passage_id"] == "pm-and-ops-roles.zh:3.5.4" and first["n"] == 1
    assert "单个用户获取成本(CPI)" in first["quote"]


@pytest.mark.slow
def test_ask_declines_with_exit_0(real_index_dir, assistant):
    res = run("ask", "How do I bake bread?", index=real_index_dir)
    assert res.returncode == 0
    assert "don't cover" in res.stdout


@pytest.mark.slow
def test_ask_builds_a_missing_index_and_says_so(tmp_path):
    res = run("ask", "流量运营的关键指标是什么?", index=tmp_path / "index")
    assert res.returncode == 0, res.stderr
    assert "no index" in res.stderr and "building it now" in res.stderr
    assert "渠道转化率" in res.stdout and "来源:" in res.stdout


@pytest.mark.slow
def test_evaluate_json_and_trace(real_index_dir, assistant, tmp_path):
    qf = tmp_path / "outside.jsonl"
    qf.write_text(
        '{"id": "a", "question": "What does traffic ops measure?", "expect_any": ["CPI"], "source": "渠道转化率", "owner": "someone else"}\n'
        '{"id": "b", "question": "怎么烤面包?", "expect_refusal": true}\n'
        '{"id": "c", "question": "那它的关键指标呢?", "history": ["用户运营的目标是什么?"], "expect_any": ["ARPU"]}\n',
        encoding="utf-8",
    )
    trace = tmp_path / "trace.jsonl"
    res = run("evaluate", str(qf), "--json", "--trace", str(trace), index=real_index_dir)
    assert res.returncode == 0, res.stderr
    rep = json.loads(res.stdout)
    assert {"n", "accuracy", "by_lang", "refusal_accuracy", "citation_at_1", "citation_at_3", "latency_ms", "failures"} <= set(rep)
    assert rep["n"] == 3 and rep["accuracy"] == 1.0 and rep["by_lang"] == {"en": 1.0, "zh": 1.0}
    rows = [json.loads(line) for line in trace.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["a", "b", "c"]
    assert rows[0]["intent"] == "role" and rows[0]["retrieved"][0]["passage_id"].startswith("pm-and-ops-roles.zh:")
    assert rows[1]["refused"] is True and rows[2]["right"] is True
    res = run("evaluate", str(qf), "--compare", index=real_index_dir)
    assert res.returncode == 0 and "full" in res.stdout and "bm25" in res.stdout and "citation@1" in res.stdout


@pytest.mark.slow
def test_nothing_is_written_outside_index_and_temp(real_index_dir, assistant, tmp_path):
    home, tmp = tmp_path / "home", tmp_path / "tmp"
    home.mkdir()
    tmp.mkdir()
    before = subprocess.run(["git", "status", "--porcelain", "--ignored"], capture_output=True, text=True, cwd=ROOT).stdout
    env = {**os.environ, "HOME": str(home), "TMPDIR": str(tmp), "ASSISTANT_INDEX": str(tmp_path / "index"), "ASSISTANT_CORPUS": str(CORPUS)}
    res = subprocess.run(
        [sys.executable, "-m", "assistant", "ask", "流量运营的关键指标是什么?"], capture_output=True, text=True, cwd=ROOT, env=env, timeout=300
    )
    assert res.returncode == 0, res.stderr
    after = subprocess.run(["git", "status", "--porcelain", "--ignored"], capture_output=True, text=True, cwd=ROOT).stdout
    assert before == after
    assert list(home.iterdir()) == []


@pytest.mark.slow
def test_corrupt_index_is_named_and_rebuilt_without_traceback(tmp_path, assistant):
    index = tmp_path / "index"
    res = run("build", index=index)
    assert res.returncode == 0 and "62 passages" in res.stdout, res.stderr
    live = index / (index / "CURRENT").read_text().strip()
    (live / "dense.faiss").write_bytes(b"\x00garbage")
    res = run("ask", "What does traffic ops measure?", index=index)
    assert res.returncode == 0, res.stderr
    assert "dense.faiss is corrupt or truncated" in res.stderr and "rebuilding the index" in res.stderr
    assert "Traceback" not in res.stderr and "CPI" in res.stdout


CONCURRENT_BUILD = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[3])
sys.path.insert(0, sys.argv[4])
from conftest import HashEmbedder
from assistant.config import Settings
from assistant.index import build_index
for _ in range(3):
    build_index(Settings(corpus_dir=Path(sys.argv[1]), index_dir=Path(sys.argv[2]), model="test-hash"), HashEmbedder())
"""


def test_concurrent_build_processes_never_corrupt(corpus_copy, tmp_path):
    from assistant.index import build_lock, load_index, sweep

    script = tmp_path / "build.py"
    script.write_text(CONCURRENT_BUILD)
    index = tmp_path / "index"
    procs = [subprocess.Popen([sys.executable, str(script), str(corpus_copy), str(index), str(ROOT), str(ROOT / "tests")]) for _ in range(3)]
    assert [p.wait(120) for p in procs] == [0, 0, 0]
    with build_lock(index):  # a build still read by another process when the last build ended is swept now
        sweep(index)
    data = load_index(index)
    assert data is not None and len(data.passages) == 62
    assert [p.name for p in index.iterdir() if p.name.startswith(("build-", ".tmp-"))] == [data.path.name]
