"""The JSON API (POST /api/ask): request checks, the answer cache, the routes (model-free, on a stub
assistant), and the real server on loopback (slow)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest

from assistant.config import MAX_QUESTION_CHARS, Settings
from assistant.errors import ConfigError, QuestionError
from assistant.serve import MAX_BODY_BYTES, AnswerCache, Answerer, AskRequest, ServeError, add_routes, parse_request

from .conftest import CORPUS, ROOT
from .test_ui import cli_json, free_port


def status_of(body: bytes) -> int:
    with pytest.raises(ServeError) as err:
        parse_request(body)
    assert err.value.what and err.value.fix
    return err.value.status


# -- requests ------------------------------------------------------------------------------------------------------


def test_a_request_is_read_bounded_and_normalised():
    req = parse_request(
        json.dumps({"question": "  What does\u200b traffic ops\n measure?  ", "history": ["What is ops?", {"role": "assistant", "content": "x"}]}).encode()
    )
    assert req.question == "  What does traffic ops\n measure?  "  # echoed as sent (invisible characters dropped)
    assert req.normalised == "What does traffic ops measure?"
    assert req.history == ("What is ops?",)  # user turns only
    assert (req.k, req.explain) == (None, False)


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"not json", 400),
        (b"\xff\xfe", 400),
        (b"[1, 2]", 422),
        (b"{}", 422),
        (b'{"question": 5}', 422),
        (b'{"question": "   "}', 422),
        (b'{"question": "ok", "history": "not a list"}', 422),
        (b'{"question": "ok", "history": [1]}', 422),
        (b'{"question": "ok", "k": 0}', 422),
        (b'{"question": "ok", "k": true}', 422),
        (b'{"question": "ok", "explain": "yes"}', 422),
        (b'{"question": "ok", "suggest": 0}', 422),
        (json.dumps({"question": "x" * (MAX_QUESTION_CHARS + 1)}).encode(), 413),
        (b" " * (MAX_BODY_BYTES + 1), 413),
    ],
)
def test_bad_requests_get_a_clear_error_and_a_4xx(body, status):
    assert status_of(body) == status


def test_api_settings_come_from_env_and_are_checked(monkeypatch):
    monkeypatch.setenv("ASSISTANT_API_WORKERS", "3")
    monkeypatch.setenv("ASSISTANT_API_CACHE", "0")
    s = Settings.from_env()
    assert (s.api_workers, s.api_cache) == (3, 0)
    monkeypatch.setenv("ASSISTANT_API_WORKERS", "many")
    with pytest.raises(ConfigError) as err:
        Settings.from_env()
    assert "ASSISTANT_API_WORKERS" in err.value.fix


# -- the cache -----------------------------------------------------------------------------------------------------


def test_the_cache_is_a_bounded_lru_that_counts_hits():
    cache = AnswerCache(2)
    keys = [AnswerCache.key(AskRequest(q, q, ()), "build-1") for q in ("a", "b", "c")]
    cache.put(keys[0], {"text": "A"})
    cache.put(keys[1], {"text": "B"})
    assert cache.get(keys[0]) == {"text": "A"}  # a is now the most recent
    cache.put(keys[2], {"text": "C"})  # evicts b
    assert cache.get(keys[1]) is None and cache.get(keys[2]) == {"text": "C"}
    assert cache.stats() == {"size": 2, "entries": 2, "hits": 2, "misses": 1, "hit_rate": 0.6667}
    assert AnswerCache.key(AskRequest("a", "a", ()), "build-2") != keys[0]  # a new build is a new key
    off = AnswerCache(0)
    off.put(keys[0], {"text": "A"})
    assert off.get(keys[0]) is None and off.stats()["entries"] == 0


# -- the routes, on a stub assistant -------------------------------------------------------------------------------


class StubAssistant:
    """Answers with the question's length as a citation; raises for the questions tests name."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, list | None]] = []
        self.index = SimpleNamespace(path=Path("build-stub"))

    def ask(self, question: str, history: list | None = None, k: int | None = None, suggest: bool = True):  # type: ignore[no-untyped-def]
        self.asked.append((question, history))
        if question == "bad k":
            raise QuestionError("k is wrong", "pass another")
        if question == "bug":
            raise RuntimeError("boom")
        cite = {"n": 1, "passage_id": f"doc:{len(question)}", "heading": "h", "quote": "q"}
        return SimpleNamespace(to_json=lambda q, explain=False: {"question": q, "lang": "en", "refused": False, "text": "t [1]", "citations": [cite]})


@pytest.fixture
def api(tmp_path):  # type: ignore[no-untyped-def]
    from fastapi import FastAPI
    from starlette.testclient import TestClient

    stub = StubAssistant()
    (tmp_path / "build-stub").mkdir()
    (tmp_path / "CURRENT").write_text("build-stub\n")  # the live build, as the cache keys see it
    answerer = Answerer(lambda: stub, tmp_path, {}, workers=0, threads=1, cache=16)
    app = FastAPI()
    add_routes(app, answerer)
    answerer.start()
    with TestClient(app) as client:
        yield client, stub, answerer
    answerer.stop()


def test_the_endpoint_answers_and_caches(api):
    client, stub, answerer = api
    r = client.post("/api/ask", json={"question": "What does traffic ops measure?", "history": ["What is ops?"]})
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    assert r.json()["citations"][0]["passage_id"] == "doc:30"
    again = client.post("/api/ask", json={"question": "What  does traffic ops measure? ", "history": ["What is ops?"]})
    assert again.json()["question"] == "What  does traffic ops measure? "  # echoed as sent, answered from the cache
    assert again.json()["citations"] == r.json()["citations"]
    assert stub.asked == [("What does traffic ops measure?", ["What is ops?"])]
    other = client.post("/api/ask", json={"question": "What does traffic ops measure?"})  # no history: another key
    assert other.status_code == 200 and len(stub.asked) == 2
    health = client.get("/api/health").json()
    assert health["ready"] and health["mode"] == "threads" and health["cache"]["hits"] == 1


def test_a_new_build_is_not_answered_from_the_old_builds_cache(api, tmp_path):
    client, stub, answerer = api
    ask = {"question": "What does traffic ops measure?"}
    client.post("/api/ask", json=ask)
    client.post("/api/ask", json=ask)
    assert len(stub.asked) == 1  # the second from the cache
    (tmp_path / "build-new").mkdir()
    (tmp_path / "CURRENT").write_text("build-new\n")
    stub.index = SimpleNamespace(path=Path("build-new"))  # the assistant switched too
    answerer._version = ("", 0.0)  # as after VERSION_TTL_S
    client.post("/api/ask", json=ask)
    client.post("/api/ask", json=ask)
    assert len(stub.asked) == 2 and answerer.stats()["version"] == "build-new"


def test_errors_are_json_with_their_status(api):
    client, _, _ = api
    for kwargs, status in (
        ({"content": b"nope"}, 400),
        ({"json": {"history": []}}, 422),
        ({"json": {"question": "bad k"}}, 422),
        ({"content": b"x" * (MAX_BODY_BYTES + 10)}, 413),
        ({"json": {"question": "bug"}}, 500),
    ):
        r = client.post("/api/ask", **kwargs)
        assert r.status_code == status, kwargs
        body = r.json()
        assert set(body) == {"error", "what", "fix"} and body["error"] == f"{body['what']} - {body['fix']}"
    r = client.get("/api/ask")
    assert r.status_code == 405 and "POST" in r.json()["fix"]


def test_not_ready_is_503_json(tmp_path):
    from fastapi import FastAPI
    from starlette.testclient import TestClient

    answerer = Answerer(lambda: None, tmp_path, {}, workers=0, cache=0)
    answerer.fail("the index could not be built")  # as the chat's loader reports it
    app = FastAPI()
    add_routes(app, answerer)
    with TestClient(app) as client:
        r = client.post("/api/ask", json={"question": "What does traffic ops measure?"})
        assert r.status_code == 503 and r.json()["what"] == "the index could not be built"
        assert client.get("/api/health").status_code == 503


# -- the real server (slow) ----------------------------------------------------------------------------------------


def post(url: str, body: bytes) -> tuple[int, dict]:
    req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=120) as r:  # noqa: S310 - loopback
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def listening(pid: int) -> list[str]:
    """The local addresses the process and its children listen on (TCP, from /proc)."""
    inodes = set()
    todo = [pid]
    while todo:
        p = todo.pop()
        for fd in Path(f"/proc/{p}/fd").iterdir():
            try:
                link = os.readlink(fd)
            except OSError:
                continue
            if link.startswith("socket:["):
                inodes.add(link[8:-1])
        for task in Path(f"/proc/{p}/task").iterdir():
            todo += [int(c) for c in (task / "children").read_text().split()]
    out = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            f = line.split()
            if f[3] == "0A" and f[9] in inodes:  # LISTEN
                out.append(f[1])
    return out


@pytest.fixture(scope="module")
def server(real_index_dir, assistant, tmp_path_factory):  # type: ignore[no-untyped-def]
    """`python -m assistant chat` (default host) with two API workers, on the index the session built."""
    port = free_port()
    log = tmp_path_factory.mktemp("api") / "chat.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRADIO_")} | {"GRADIO_ANALYTICS_ENABLED": "True"}
    env |= {"ASSISTANT_INDEX": str(real_index_dir), "ASSISTANT_CORPUS": str(CORPUS), "ASSISTANT_API_WORKERS": "2"}
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "assistant", "chat", "--port", str(port)], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(url + "/api/health", timeout=5) as r:  # noqa: S310 - loopback
                if json.loads(r.read())["ready"]:
                    break
        except (OSError, ValueError):
            time.sleep(0.5)
    else:
        proc.terminate()
        raise AssertionError(log.read_text())
    yield url, proc
    proc.terminate()
    proc.wait(30)


@pytest.mark.slow
def test_the_api_answers_as_the_cli(server, real_index_dir):
    url, _ = server
    for question, history in [("What does traffic ops measure?", None), ("那它的关键指标呢?", ["内容运营是做什么的?"]), ("How do I bake bread?", None)]:
        status, got = post(url + "/api/ask", json.dumps({"question": question, "history": history or []}).encode())
        assert status == 200
        assert got == cli_json(question, real_index_dir, history), question
    status, got = post(url + "/api/ask", json.dumps({"question": "What does traffic ops measure?"}).encode())
    assert got["citations"][0]["passage_id"].endswith(":3.5.4") and got["citations"][0]["quote"]
    status, quick = post(url + "/api/ask", json.dumps({"question": "What does traffic ops measure?", "suggest": False}).encode())
    assert status == 200 and quick["followups"] == [] and quick["citations"] == got["citations"] and quick["text"] == got["text"]


@pytest.mark.slow
def test_the_real_server_errors_are_json(server):
    url, _ = server
    assert post(url + "/api/ask", b"{")[0] == 400
    status, body = post(url + "/api/ask", b'{"history": []}')
    assert status == 422 and body["what"] == "the request has no question"


@pytest.mark.slow
def test_the_server_and_its_workers_listen_on_loopback_only(server):
    url, proc = server
    addresses = listening(proc.pid)
    assert addresses, "the server listens somewhere"
    assert all(a.split(":")[0] in ("0100007F", "00000000000000000000000001000000") for a in addresses), addresses  # 127.0.0.1 / ::1
    with urllib.request.urlopen(url + "/api/health", timeout=10) as r:  # noqa: S310 - loopback
        assert json.loads(r.read())["mode"] == "processes"


def test_the_chat_keeps_analytics_off():
    import ui

    demo = ui.build(ui.App())
    assert demo.analytics_enabled is False and os.environ["GRADIO_ANALYTICS_ENABLED"] == "False"
