"""The browser chat: the API through gradio_client, and a real browser (Debian chromium via Playwright)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import CORPUS, ROOT

pytestmark = pytest.mark.slow
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(real_index_dir: Path, assistant):
    """The chat app on a free loopback port, on the index the session already built."""
    port = free_port()
    env = {**os.environ, "ASSISTANT_INDEX": str(real_index_dir), "ASSISTANT_CORPUS": str(CORPUS), "GRADIO_ANALYTICS_ENABLED": "False"}
    log = open(real_index_dir.parent / f"chat-{port}.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "assistant", "chat", "--port", str(port)], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    from gradio_client import Client

    client = None
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            client = Client(url, verbose=False)
            break
        except Exception:  # noqa: BLE001 - not up yet
            time.sleep(0.5)
    assert client is not None, Path(log.name).read_text()
    yield url, client
    proc.terminate()
    proc.wait(20)
    log.close()


def cli_json(question: str, index: Path, history: list[str] | None = None) -> dict:
    args = [sys.executable, "-m", "assistant", "ask", question, "--json", "--index", str(index), "--corpus", str(CORPUS)]
    for h in history or []:
        args += ["--history", h]
    res = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)


def test_binds_to_loopback_by_default():
    from assistant.cli import parser

    assert parser().parse_args(["chat"]).host == "127.0.0.1"
    assert parser().parse_args(["chat"]).port == 7860


def test_api_answers_equal_the_cli(server, real_index_dir):
    _, client = server
    for question, history in [
        ("What does traffic ops measure?", None),
        ("流量运营的关键指标是什么?", None),
        ("How do I bake bread?", None),
        ("And how is it measured?", ["What does content ops do?"]),
    ]:
        via_api = client.predict(question, history or [], api_name="/ask")
        assert via_api == cli_json(question, real_index_dir, history), question


def test_api_histories_are_per_call(server):
    _, client = server
    a = client.predict("What is its goal?", ["What is data operations?"], api_name="/ask")
    b = client.predict("What is its goal?", ["What is traffic operations?"], api_name="/ask")
    assert a["citations"][0]["passage_id"].endswith(":3.6.1")
    assert b["citations"][0]["passage_id"].endswith(":3.5.1")


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is missing: run `make browser-deps` (make test does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


def ask(page, text: str, expect: str, timeout: int = 60_000) -> None:
    box = page.locator("#question textarea")
    box.fill(text)
    box.press("Enter")
    page.locator("#chat").get_by_text(expect, exact=False).last.wait_for(timeout=timeout)


@pytest.mark.browser
def test_chat_in_a_real_browser(server, browser):
    url, _ = server
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(url, wait_until="domcontentloaded")
    page.locator("#status").get_by_text("Ready").wait_for(timeout=120_000)

    ask(page, "What does traffic ops measure?", "cost per user acquired (CPI)")
    chat = page.locator("#chat")
    assert "[1]" in chat.inner_text()
    assert "单个用户获取成本(CPI)" in page.locator("#sources").inner_text()
    page.screenshot(path=str(ARTIFACTS / "chat-answer-en.png"), full_page=True)

    page.get_by_role("button", name="Is there a real case?").last.click()  # a suggested follow-up
    page.locator("#chat").get_by_text("paying users", exact=False).last.wait_for(timeout=60_000)
    ask(page, "And what is its goal?", "lowest cost")
    ask(page, "流量运营的关键指标是什么?", "渠道转化率")
    page.screenshot(path=str(ARTIFACTS / "chat-followup-zh.png"), full_page=True)

    ask(page, "用户运营和流量运营有什么区别?", "概括")
    table = page.locator("#chat table").last  # the comparison renders side by side, goals first
    assert table.locator("th").nth(2).inner_text().strip() == "流量运营"
    assert "目标" in table.locator("tbody tr").first.inner_text()
    page.screenshot(path=str(ARTIFACTS / "chat-compare-zh.png"), full_page=True)

    probe = '<script>window.__xss=1;alert("x")</script><img src=x onerror="window.__xss=2;alert(2)"> **bold** [link](javascript:alert(3))'
    ask(page, probe, "<script>")
    page.wait_for_timeout(500)
    assert dialogs == []
    assert page.evaluate("window.__xss") is None
    assert page.locator("#chat img[src='x']").count() == 0
    assert page.locator("#chat a[href^='javascript']").count() == 0

    ask(page, "How do I bake bread?", "Not covered by the articles")
    page.screenshot(path=str(ARTIFACTS / "chat-decline.png"), full_page=True)

    page.locator("#new-chat").click()
    page.wait_for_timeout(500)
    assert "CPI" not in page.locator("#chat").inner_text()
    page.close()


@pytest.mark.browser
def test_sessions_do_not_share_history(server, browser):
    url, _ = server
    one, two = browser.new_page(), browser.new_page()
    for page in (one, two):
        page.goto(url, wait_until="domcontentloaded")
        page.locator("#status").get_by_text("Ready").wait_for(timeout=120_000)
    ask(one, "What is data operations?", "Data operations")
    ask(two, "What is traffic operations?", "Traffic operations")
    ask(one, "What is its goal?", "identify problems through data analysis")
    ask(two, "What is its goal?", "lowest cost")
    assert "lowest cost" not in one.locator("#chat").inner_text()
    one.close()
    two.close()


def test_no_route_serves_files_outside_the_app(server):
    import urllib.error
    import urllib.request

    url, _ = server
    secret_paths = ["/etc/passwd", str(ROOT / "pyproject.toml"), "../../../../etc/passwd"]
    for prefix in ("file=", "gradio_api/file=", "gradio_api/file/", "static/", "assets/"):
        for path in secret_paths:
            try:
                with urllib.request.urlopen(url + prefix + path, timeout=10) as resp:
                    body = resp.read().decode("utf-8", "replace")
            except urllib.error.HTTPError as exc:
                assert exc.code in (400, 403, 404, 405), (prefix, path, exc.code)
                continue
            assert "root:x:0:0" not in body and "[project]" not in body, (prefix, path)
