"""Command-line edges: every user mistake is `Error: <what> - <fix>` with exit 1, a closed pipe is quiet, and a
damaged index heals from the command line too."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.config import MINILM_MODEL

from .conftest import CORPUS, ROOT
from .test_cli import run


def assert_user_error(res: subprocess.CompletedProcess, message: str) -> None:
    assert res.returncode == 1, (res.returncode, res.stderr)
    assert message in res.stderr and res.stderr.startswith("Error: ") and " - " in res.stderr
    assert "Traceback" not in res.stderr


# -- fast: no model is loaded before these errors ------------------------------------------------


def test_index_path_that_is_a_file(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("hello", encoding="utf-8")
    res = run("ask", "What does traffic ops measure?", "--index", str(readme))
    assert_user_error(res, f"Error: the index folder {readme} is a file, not a folder - pass --index")
    assert readme.read_text(encoding="utf-8") == "hello"


def test_index_path_with_a_typo_is_not_created(tmp_path):
    typo = tmp_path / "typo" / "path"
    res = run("ask", "What does traffic ops measure?", "--index", str(typo))
    assert_user_error(res, f"the index folder {typo} does not exist, nor does its parent")
    assert not (tmp_path / "typo").exists()
    res = run("build", "--index", str(typo))
    assert_user_error(res, "does not exist, nor does its parent")


def test_bogus_index_type_in_the_environment(tmp_path):
    env = {**os.environ, "ASSISTANT_INDEX_TYPE": "bogus", "ASSISTANT_INDEX": str(tmp_path / "index")}
    res = subprocess.run([sys.executable, "-m", "assistant", "ask", "hi"], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert_user_error(res, "Error: index type 'bogus' is not one of auto, flat, hnsw, ivf - set ASSISTANT_INDEX_TYPE")


@pytest.mark.parametrize("port", ["0", "70000", "-5"])
def test_port_out_of_range(port):
    res = run("chat", "--port", port)
    assert_user_error(res, f"Error: --port {port} is not a port number")


def test_busy_port_is_named():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        res = run("chat", "--port", str(port), timeout=120)
    assert_user_error(res, f"Error: port {port} on 127.0.0.1 is in use - stop the other server or pass another port")


def test_unknown_host_is_named():
    res = run("chat", "--host", "no-such-host.invalid", timeout=120)
    assert_user_error(res, "Error: --host no-such-host.invalid is not an address of this machine")


def test_trace_into_a_missing_folder_fails_before_the_run(tmp_path):
    qf = tmp_path / "q.jsonl"
    qf.write_text('{"id": "a", "question": "What is ARPU?"}\n', encoding="utf-8")
    trace = tmp_path / "missing" / "trace.jsonl"
    started = time.monotonic()
    res = run("evaluate", str(qf), "--trace", str(trace), index=tmp_path / "index")
    assert_user_error(res, f"cannot write the trace {trace}: the folder {trace.parent} does not exist - create it first")
    assert not (tmp_path / "index").exists()  # nothing was built or loaded first
    assert time.monotonic() - started < 600


@pytest.mark.parametrize(
    ("line", "message"),
    [("[" * 100_000, ":1: JSON nested too deeply"), ('{"id": 3, "question": "What is ARPU?"}', ":1: field 'id' must be a string, not int (3)")],
    ids=["deep-nesting", "integer-id"],
)
def test_question_file_edges_from_the_command_line(tmp_path, line, message):
    qf = tmp_path / "q.jsonl"
    qf.write_text(line + "\n", encoding="utf-8")
    assert_user_error(run("evaluate", str(qf)), message)


def test_current_replaced_by_a_folder(tmp_path):
    index = tmp_path / "index"
    (index / "CURRENT").mkdir(parents=True)
    (index / "CURRENT" / "x").write_text("x")
    for _ in range(2):
        res = run("ask", "What does traffic ops measure?", index=index)
        assert_user_error(res, "CURRENT is a folder, not the one-line file naming the live build")
        assert "rm -r" in res.stderr
    assert sorted(p.name for p in index.iterdir()) == ["CURRENT"]  # no build folder leaked per try


# -- slow: with the real model and index -----------------------------------------------------------------


@pytest.mark.slow
def test_closed_pipe_is_quiet(real_index_dir, assistant):
    env = {**os.environ, "ASSISTANT_INDEX": str(real_index_dir), "ASSISTANT_CORPUS": str(CORPUS)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant", "ask", "What does traffic ops measure?"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=env
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # as `| head` does once it has read enough; the answer is written after the index loads
    err = proc.stderr.read().decode()
    assert proc.wait(300) == 141
    assert "Traceback" not in err and "BrokenPipe" not in err and "Exception ignored" not in err


@pytest.mark.slow
def test_full_stdout_is_a_clear_error(real_index_dir, assistant):
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    env = {**os.environ, "ASSISTANT_INDEX": str(real_index_dir), "ASSISTANT_CORPUS": str(CORPUS)}
    with open("/dev/full", "w") as full:
        res = subprocess.run(
            [sys.executable, "-m", "assistant", "ask", "What does traffic ops measure?"], stdout=full, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env
        )
    assert_user_error(res, "Error: cannot write the output (No space left on device) - free disk space")
    assert "Exception ignored" not in res.stderr


def _copy_index(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns(".lock"))
    return dst / (dst / "CURRENT").read_text().strip()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("rel", "damage"),
    [
        ("query_encoder/model.onnx", lambda f: os.truncate(f, 1000)),
        ("query_encoder/tokenizer.json", lambda f: f.write_bytes(b"[" + f.read_bytes()[1:])),
        ("query_encoder/model.onnx", lambda f: f.unlink()),
    ],
    ids=["model-truncated", "tokenizer-garbled", "model-missing"],
)
def test_damaged_query_encoder_heals_from_the_command_line(minilm_index_dir, minilm, tmp_path, rel, damage, monkeypatch):
    monkeypatch.setenv("ASSISTANT_MODEL", MINILM_MODEL)  # the model whose build exports a query encoder
    live = _copy_index(minilm_index_dir, tmp_path / "index")
    damage(live / rel)
    res = run("ask", "What does traffic ops measure?", index=tmp_path / "index")
    assert res.returncode == 0, res.stderr
    assert f"{rel} is" in res.stderr and "rebuilding the index" in res.stderr and "fast query encoder verified" in res.stderr
    assert "Traceback" not in res.stderr and "InvalidProtobuf" not in res.stderr and "CPI" in res.stdout
    res = run("ask", "What does traffic ops measure?", index=tmp_path / "index")  # healed: no second rebuild
    assert res.returncode == 0 and "rebuilding" not in res.stderr and "CPI" in res.stdout


@pytest.mark.slow
def test_paired_asks_on_a_damaged_index_both_answer(minilm_index_dir, minilm, tmp_path):
    live = _copy_index(minilm_index_dir, tmp_path / "index")
    os.truncate(live / "query_encoder/model.onnx", 1000)
    env = {**os.environ, "ASSISTANT_INDEX": str(tmp_path / "index"), "ASSISTANT_CORPUS": str(CORPUS), "ASSISTANT_MODEL": MINILM_MODEL}
    cmd = [sys.executable, "-m", "assistant", "ask", "What does traffic ops measure?", "--json"]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env) for _ in range(2)]
    outs = [p.communicate(timeout=600) for p in procs]
    for p, (out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0 and "Traceback" not in err, err
        assert json.loads(out)["citations"][0]["passage_id"] == "pm-and-ops-roles.zh:3.5.4"


@pytest.mark.slow
def test_chat_with_a_damaged_query_encoder_gets_ready(minilm_index_dir, minilm, tmp_path, capfd):
    import ui

    live = _copy_index(minilm_index_dir, tmp_path / "index")
    (live / "query_encoder/meta.json").write_text("{", encoding="utf-8")
    app = ui.App(index_dir=tmp_path / "index", corpus_dir=CORPUS, model=MINILM_MODEL)
    app.start()
    assert app.wait(600), app.error  # not 'Loading the index…' forever
    assert app.error is None and len(app.assistant.index.passages) == 62
    said = capfd.readouterr().err  # the chat tells its terminal what it did; the page only says it is ready
    assert "meta.json is corrupt or truncated" in said and "rebuilding" in said and "ready: 62 passages" in said
