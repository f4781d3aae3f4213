"""The browser chat: the API through gradio_client, and a real browser (Debian chromium via Playwright),
on a desktop window and a 390x844 phone."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
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
VIEWS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
ESCAPE_JUNK = ("\\", "&gt;", "&lt;", "&amp;", "&#", "**", "`")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_chat(index: Path, corpus: Path, feedback: Path, log_path: Path) -> tuple[subprocess.Popen, str, object]:
    """`python -m assistant chat` on a free loopback port. The environment does not turn analytics off: ui.py must."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRADIO_")}
    env |= {"ASSISTANT_INDEX": str(index), "ASSISTANT_CORPUS": str(corpus), "ASSISTANT_FEEDBACK": str(feedback)}
    log = open(log_path, "w")
    proc = subprocess.Popen([sys.executable, "-m", "assistant", "chat", "--port", str(port)], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    return proc, f"http://127.0.0.1:{port}/", log


def wait_up(proc: subprocess.Popen, url: str, log_path: Path):  # type: ignore[no-untyped-def]
    from gradio_client import Client

    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            return Client(url, verbose=False)
        except Exception:  # noqa: BLE001 - not up yet
            time.sleep(0.5)
    raise AssertionError(log_path.read_text())


def stop(proc: subprocess.Popen, log) -> None:  # type: ignore[no-untyped-def]
    proc.terminate()
    proc.wait(20)
    log.close()


@pytest.fixture(scope="module")
def server(real_index_dir: Path, assistant, tmp_path_factory):
    """The chat app on a free loopback port, on the index the session already built."""
    tmp = tmp_path_factory.mktemp("chat")
    feedback = tmp / "feedback.jsonl"
    proc, url, log = start_chat(real_index_dir, CORPUS, feedback, tmp / "chat.log")
    client = wait_up(proc, url, tmp / "chat.log")
    yield url, client, feedback
    stop(proc, log)


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


def test_analytics_are_off_in_code():
    """Importing ui turns Gradio's telemetry off whatever the environment says."""
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "True"}
    code = "import ui, gradio.analytics as a, os; print(os.environ['GRADIO_ANALYTICS_ENABLED'], a.analytics_enabled())"
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout.split() == ["False", "False"]


def test_api_answers_equal_the_cli(server, real_index_dir):
    _, client, _ = server
    for question, history in [
        ("What does traffic ops measure?", None),
        ("流量运营的关键指标是什么?", None),
        ("How do I bake bread?", None),
        ("And how is it measured?", ["What does content ops do?"]),
    ]:
        via_api = client.predict(question, history or [], api_name="/ask")
        assert via_api == cli_json(question, real_index_dir, history), question


def test_api_histories_are_per_call(server):
    _, client, _ = server
    a = client.predict("What is its goal?", ["What is data operations?"], api_name="/ask")
    b = client.predict("What is its goal?", ["What is traffic operations?"], api_name="/ask")
    assert a["citations"][0]["passage_id"].endswith(":3.6.1")
    assert b["citations"][0]["passage_id"].endswith(":3.5.1")


def test_the_article_viewer_highlights_the_passage(assistant, tmp_path):
    import dataclasses

    import ui

    app = ui.App()
    app.assistant = assistant
    pid = next(p.id for p in assistant.index.passages if p.id.endswith(":3.5.4"))
    html = app.article(pid, "en")
    assert '<mark id="qa-hl">关键指标:单个用户获取成本(CPI)、渠道转化率、流量带来的收入。</mark>' in html
    assert "Traffic operations › Key metrics" in html and "<span>In English:</span> Key metrics: cost per user acquired" in html
    assert html.count("<mark") == 1 and "5.流量运营:精准获取高质量用户" in html  # the whole article around it
    assert app.article("nope:1.2.3") == "" and app.article(None) == ""  # type: ignore[arg-type]
    # the article changed since the build: the passage is found where it now is, or shown alone
    moved = tmp_path / "corpus"
    shutil.copytree(CORPUS, moved)
    article = moved / "pm-and-ops-roles.zh.txt"
    article.write_text("新的一行。\n" + article.read_text(encoding="utf-8"), encoding="utf-8")
    app.assistant = type("A", (), {"index": assistant.index, "settings": dataclasses.replace(assistant.settings, corpus_dir=moved)})()
    assert '<mark id="qa-hl">关键指标:单个用户获取成本(CPI)' in app.article(pid, "zh")
    article.write_text("全部改写了。\n", encoding="utf-8")
    assert app.article(pid, "zh").split('<div class="article-text"', 1)[1].count("全部改写了") == 0


# -- the browser ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is missing: run `make browser-deps` (make test does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


class Chat:
    """One browser tab on the chat, recording any request that leaves 127.0.0.1."""

    def __init__(self, browser, url: str, view: str = "desktop", context=None, locale: str = "en-US") -> None:  # type: ignore[no-untyped-def]
        self.own_context = context is None
        self.context = context or browser.new_context(viewport=VIEWS[view], locale=locale, is_mobile=view == "phone", has_touch=view == "phone")
        self.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url.rstrip("/"))
        self.page = self.context.new_page()
        self.view = view
        self.outside: list[str] = []
        self.page.on("request", lambda r: None if r.url.startswith(("http://127.0.0.1", "data:", "blob:")) else self.outside.append(r.url))
        self.page.goto(url, wait_until="domcontentloaded")
        self.page.locator("#status .qa-status.ready").wait_for(timeout=180_000)

    def ask(self, text: str, timeout: int = 120_000) -> int:
        """Type a question and press Enter; returns the new answer's number once it is shown."""
        n = self.page.locator("#chat .turn").count()
        box = self.page.locator("#question textarea")
        box.fill(text)
        box.press("Enter")
        return self.wait_answer(n, timeout)

    def reload(self) -> None:
        self.page.reload(wait_until="domcontentloaded")
        self.page.locator("#status .qa-status.ready").wait_for(timeout=60_000)

    def wait_answer(self, n: int, timeout: int = 120_000) -> int:
        self.page.locator(f"#answer-{n} .body").wait_for(timeout=timeout)
        self.page.wait_for_timeout(300)  # the scroll happens on the next frame
        return n

    def text(self, n: int) -> str:
        return self.page.locator(f"#answer-{n} .body").inner_text()

    def first_line_in_view(self, n: int) -> bool:
        """Whether the first line of answer n is inside the viewport."""
        box = self.page.evaluate(
            """n => { const el = document.querySelector('#answer-' + n + ' .body').firstElementChild;
                     const r = el.getBoundingClientRect(); const lh = parseFloat(getComputedStyle(el).lineHeight) || 24;
                     return [r.top, Math.min(r.bottom, r.top + lh), innerHeight]; }""",
            n,
        )
        return 0 <= box[0] and box[1] <= box[2]

    def close(self) -> None:
        assert self.outside == [], f"the page fetched outside 127.0.0.1: {self.outside}"
        if self.own_context:
            self.context.close()
        else:
            self.page.close()


@pytest.mark.browser
@pytest.mark.parametrize("view", ["desktop", "phone"])
def test_the_newest_answer_starts_in_view(server, browser, view):
    url, _, _ = server
    chat = Chat(browser, url, view)
    page = chat.page
    assert page.locator("#chat .welcome").is_visible()  # the empty chat says hello
    for question, expect in [
        ("What does traffic ops measure?", "cost per user acquired (CPI)"),
        ("文章介绍了哪些运营岗位?", "数据运营"),
        ("用户运营和流量运营有什么区别?", "流量运营"),
    ]:
        n = chat.ask(question)
        assert expect in chat.text(n)
        assert chat.first_line_in_view(n), f"answer {n} starts outside the view on {view}"
        assert page.locator(f"#sources-{n}").get_attribute("open") is None  # citations collapsed under the answer
        box = page.locator("#question textarea").bounding_box()  # the input stays reachable
        assert box and 0 <= box["y"] and box["y"] + box["height"] <= VIEWS[view]["height"]
    # one full-width input with a send button beside it
    box, send, chat_box = (page.locator(s).bounding_box() for s in ("#question textarea", "#send", "#chat"))
    assert box["width"] >= chat_box["width"] * 0.7 and abs(send["y"] - box["y"]) < 40
    # the comparison table never wraps a label one character a line: labels keep to one line, cells stay wide
    labels = page.locator("#answer-2 table th").evaluate_all(
        "els => els.filter(e => e.offsetParent && e.innerText.trim()).map(e => [e.innerText, e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight)])"
    )
    assert len(labels) >= 2 and all(lines < 2.6 for _, lines in labels), labels  # padding included
    widths = page.locator("#answer-2 table td").evaluate_all("els => els.map(e => e.getBoundingClientRect().width)")
    assert len(widths) >= 4 and min(widths) >= 120, widths
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"chat-{view}-3-turns.png"))
    chat.close()


@pytest.mark.browser
def test_new_chat_resets_everything_and_is_the_only_clear(server, browser):
    url, _, _ = server
    chat = Chat(browser, url)
    page = chat.page
    chat.ask("What is data operations?")
    n = chat.ask("What is its goal?")
    assert "identify problems through data analysis" in chat.text(n)
    # no built-in trash or share icon that would disagree with New chat
    assert page.locator("#chat button[aria-label*='lear' i], #chat button[aria-label*='hare' i], button[title*='hare' i]").count() == 0
    page.locator("#new-chat").click()
    page.locator("#chat .welcome").wait_for()
    assert page.locator("#chat .turn").count() == 0
    n = chat.ask("What is its goal?")
    assert "identify problems through data analysis" not in chat.text(n)
    chat.reload()  # and the reset is what is stored
    page.locator("#answer-0").wait_for()
    assert page.locator("#chat .turn").count() == 1
    chat.close()


@pytest.mark.browser
def test_copy_gives_clean_text_and_labels_read_as_text(server, browser):
    url, _, _ = server
    chat = Chat(browser, url)
    page = chat.page
    n = chat.ask("What does traffic ops measure?")
    page.locator(f"#answer-{n} [data-act=copy]").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "cost per user acquired (CPI)" in copied and "[1]" in copied
    assert "Sources:" in copied and "单个用户获取成本(CPI)" in copied  # the numbered source, verbatim
    assert not [j for j in ESCAPE_JUNK if j in copied], copied
    probe = 'Is <b>x</b> & "y" > z **bold** `code`?'
    chat.ask(probe)
    labels = page.locator("#chat [aria-label]").evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
    assert f"You: {probe}" in labels  # the question as typed, not escaped
    assert not [lab for lab in labels if lab != f"You: {probe}" and any(j in lab for j in ESCAPE_JUNK)], labels
    chat.close()


@pytest.mark.browser
@pytest.mark.parametrize("view", ["desktop", "phone"])
def test_a_citation_click_shows_its_passage_in_the_article(server, browser, view):
    url, _, _ = server
    chat = Chat(browser, url, view)
    page = chat.page
    n = chat.ask("What does traffic ops measure?")
    cite = page.locator(f"#answer-{n} a.cite").first
    assert "Key metrics" in cite.get_attribute("title")  # a hover says what [1] is
    cite.click()
    mark = page.locator("#qa-viewer mark#qa-hl")
    mark.wait_for()
    assert mark.inner_text() == "关键指标:单个用户获取成本(CPI)、渠道转化率、流量带来的收入。"
    assert "5.流量运营:精准获取高质量用户" in page.locator("#qa-viewer .article-text").inner_text()  # the whole article around it
    assert "Traffic operations › Key metrics" in page.locator("#qa-viewer .path").inner_text()
    assert mark.bounding_box()["y"] < VIEWS[view]["height"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"chat-{view}-article-viewer.png"))
    page.locator("#qa-viewer .qa-close").click()
    # the sources under the answer: title, heading path, quote and its English rendering
    src = page.locator(f"#src-{n}-1")
    assert src.is_visible() and "active" in src.get_attribute("class")
    text = src.inner_text()
    assert "Traffic operations › Key metrics" in text and "单个用户获取成本" in text and "In English: Key metrics: cost per user acquired" in text
    chat.close()


@pytest.mark.browser
@pytest.mark.parametrize("view", ["desktop", "phone"])
def test_an_example_click_sends_it(server, browser, view):
    url, _, _ = server
    chat = Chat(browser, url, view)
    page = chat.page
    page.locator("#chat .welcome .example", has_text="What does traffic ops measure?").click()
    n = chat.wait_answer(0)
    assert "cost per user acquired (CPI)" in chat.text(n)
    assert chat.first_line_in_view(n)
    page.locator(f"#answer-{n} .next .chip", has_text="Is there a real case?").click()  # a suggested follow-up sends too
    n = chat.wait_answer(1)
    assert "paying users" in chat.text(n)
    chat.close()


@pytest.mark.browser
def test_feedback_lands_in_the_jsonl(server, browser):
    url, _, feedback = server
    chat = Chat(browser, url)
    page = chat.page
    chat.ask("What is data operations?")
    n = chat.ask("What is its goal?")
    page.locator(f"#answer-{n} [data-act=like]").click()
    page.locator(f"#answer-{n} [data-act=like][aria-pressed=true]").wait_for()
    d = chat.ask("How do I bake bread?")
    page.locator(f"#answer-{d} [data-act=dislike]").click()
    page.locator(f"#answer-{d} [data-act=dislike][aria-pressed=true]").wait_for()
    rows = [json.loads(line) for line in feedback.read_text(encoding="utf-8").splitlines()]
    like = next(r for r in rows if r["value"] == "like" and r["question"] == "What is its goal?")
    assert like["history"] == ["What is data operations?"] and like["citations"][0]["passage_id"].endswith(":3.6.1")
    assert "identify problems through data analysis" in like["answer"]
    assert any(r["value"] == "dislike" and r["question"] == "How do I bake bread?" and r["refused"] for r in rows)
    chat.close()


@pytest.mark.browser
@pytest.mark.parametrize("view", ["desktop", "phone"])
def test_a_reload_keeps_the_conversation_in_this_browser_only(server, browser, view):
    url, _, _ = server
    chat = Chat(browser, url, view)
    page = chat.page
    chat.ask("What is traffic operations?")
    chat.ask("What is its goal?")
    chat.reload()
    page.locator("#answer-1").wait_for()
    assert "lowest cost" in chat.text(1)
    assert chat.first_line_in_view(1)
    n = chat.ask("And how is it measured?")  # the restored turns are still the context
    assert "cost per user acquired" in chat.text(n)
    other = Chat(browser, url, view)  # another browser (its own storage) starts empty
    assert other.page.locator("#chat .turn").count() == 0
    other.ask("What does content ops do?")
    assert other.page.locator("#chat .turn").count() == 1
    chat.reload()
    page.locator("#answer-2").wait_for(timeout=60_000)
    assert page.locator("#chat .turn").count() == 3 and "content" not in page.locator("#chat").inner_text().lower()
    other.close()
    chat.close()


@pytest.mark.browser
def test_undo_and_retry(server, browser):
    url, _, _ = server
    chat = Chat(browser, url)
    page = chat.page
    chat.ask("What is data operations?")
    n = chat.ask("What does traffic ops measure?")
    page.locator(f"#answer-{n} [data-act=undo]").click()
    page.wait_for_function("document.querySelectorAll('#chat .turn').length === 1")
    assert page.locator("#question textarea").input_value() == "What does traffic ops measure?"
    page.locator("#answer-0 [data-act=retry]").click()
    page.wait_for_function("document.querySelector('#chat .pending') === null && document.querySelectorAll('#chat .turn').length === 1")
    chat.wait_answer(0)
    assert "Data operations" in chat.text(0) or "数据运营" in chat.text(0)
    chat.close()


@pytest.mark.browser
def test_the_interface_language_is_a_choice(server, browser):
    url, _, _ = server
    chat = Chat(browser, url, locale="zh-CN")  # a Chinese browser starts in Chinese
    page = chat.page
    assert "你好" in page.locator("#chat .welcome").inner_text()
    assert page.locator("#send").inner_text().strip() == "发送"
    assert "已就绪" in page.locator("#status").inner_text()
    page.locator("#lang label", has_text="English").click()
    page.locator("#chat .welcome", has_text="Hi!").wait_for()
    assert page.locator("#send").inner_text().strip() == "Send"
    assert page.locator("#question textarea").get_attribute("placeholder") == "Ask about product or operations roles…"
    chat.reload()
    page.locator("#chat .welcome", has_text="Hi!").wait_for(timeout=60_000)
    page_text = page.locator("body").inner_text()
    for dev_word in ("passages indexed", "corpus/", "embedding", "bundled:", "MiniLM"):
        assert dev_word not in page_text
    chat.close()


# -- start-up and corpus text that looks like HTML or Markdown -------------------------------------------
POISON_IMG = '<img src="http://127.0.0.1:9/t.png">'
POISON_LINK = "[x](http://127.0.0.1:9/x)"


@pytest.fixture(scope="module")
def poisoned(tmp_path_factory):
    """A corpus whose heading and text hold HTML and a Markdown link, served from an index not yet built."""
    tmp = tmp_path_factory.mktemp("poison")
    corpus = tmp / "corpus"
    shutil.copytree(CORPUS, corpus)
    article = corpus / "pm-and-ops-roles.zh.txt"
    text = article.read_text(encoding="utf-8")
    text = text.replace("三、六大核心运营岗位解析", f"三、六大核心运营岗位解析{POISON_IMG}{POISON_LINK}")
    text = text.replace("关键指标:单个用户获取成本(CPI)", f"关键指标:单个用户获取成本(CPI){POISON_IMG}{POISON_LINK}")
    article.write_text(text, encoding="utf-8")
    # another build holds the index lock: the chat's own build waits for it, so the page stays "getting ready"
    # until the test lets go (no race between the build and the test's first question)
    (tmp / "index").mkdir()
    held = open(tmp / "index" / ".lock", "a+")  # noqa: SIM115 - released by the test
    fcntl.flock(held, fcntl.LOCK_EX)
    proc, url, log = start_chat(tmp / "index", corpus, tmp / "feedback.jsonl", tmp / "chat.log")
    yield proc, url, tmp / "chat.log", held
    held.close()
    stop(proc, log)


@pytest.mark.browser
def test_a_question_asked_during_start_up_waits_and_corpus_text_stays_inert(poisoned, browser):
    proc, url, log, held = poisoned
    from gradio_client import Client

    deadline = time.monotonic() + 120
    while True:  # the page is up long before the index is built
        try:
            Client(url, verbose=False)
            break
        except Exception:  # noqa: BLE001 - not up yet
            assert time.monotonic() < deadline and proc.poll() is None, log.read_text()
            time.sleep(0.3)
    ctx = browser.new_context(viewport=VIEWS["desktop"], locale="en-US")
    page = ctx.new_page()
    requests: list[str] = []
    dialogs: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(url, wait_until="domcontentloaded")
    status = page.locator("#status .qa-status")
    status.wait_for()
    assert "loading" in status.get_attribute("class"), "the index was ready before the test could ask"
    assert "Getting ready" in status.inner_text()
    box = page.locator("#question textarea")
    box.fill("流量运营的关键指标是什么?")
    box.press("Enter")
    wait = page.locator("#answer-0 .wait")
    wait.wait_for()  # shown at once, waiting
    assert "Getting ready" in wait.inner_text()
    fcntl.flock(held, fcntl.LOCK_UN)  # the other build is done: the chat builds its own index
    page.locator("#answer-0 .body").wait_for(timeout=300_000)  # and answered once the index is ready
    assert "渠道转化率" in page.locator("#answer-0 .body").inner_text()
    assert "ready" in page.locator("#status .qa-status").get_attribute("class")

    # the corpus's HTML and Markdown show as text: no image fetched, no live link, in the answer, sources and viewer
    page.locator("#answer-0 a.cite").first.click()
    page.locator("#qa-viewer mark#qa-hl").wait_for()
    page.locator("#qa-viewer .qa-close").click()
    page.locator("#sources-0").evaluate("d => d.open = true")
    probe = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2"> **b** [l](javascript:alert(3)) ${1+1} {{x}}'
    box.fill(probe)
    box.press("Enter")
    page.locator("#answer-1 .body").wait_for(timeout=60_000)
    page.wait_for_timeout(500)
    shown = page.locator("#chat").text_content()
    assert POISON_IMG in shown and POISON_LINK in shown
    assert probe in page.locator("#chat .q").last.inner_text()
    assert page.locator("#chat img, #qa-viewer img").count() == 0
    assert page.locator("#chat a[href^='http'], #qa-viewer a[href^='http'], #chat a[href^='javascript']").count() == 0
    assert page.evaluate("window.__xss") is None and dialogs == []
    assert not [u for u in requests if ":9/" in u or not u.startswith(("http://127.0.0.1", "data:", "blob:"))], requests
    ctx.close()


@pytest.mark.browser
def test_conversation_cases_through_the_page(server, browser):
    """The conversation issue's cases, typed into the page: a follow-up with nothing to refer to asks which one;
    with a role before it, it follows that role; a salary question about a role says what is not covered."""
    url, _, _ = server
    chat = Chat(browser, url)
    n = chat.ask("And how is it measured?")
    assert "Which one do you mean" in chat.text(n) and "content operations" in chat.text(n)
    chat.ask("What does content ops do?")
    n = chat.ask("And how is it measured?")
    assert "阅读量" in chat.text(n) or "views" in chat.text(n)
    n = chat.ask("流量运营的工资一般多少?")
    assert "工资" in chat.text(n) and "没有涉及" in chat.text(n)
    assert chat.page.locator(f"#answer-{n} li.src").count() == 0  # a decline cites nothing as an answer
    assert chat.page.locator("li.src").count() >= 1  # (the earlier answers did)
    chat.close()
    # A follow-up of a turn the article does not cover points at nothing: it asks which one.
    chat = Chat(browser, url)
    n = chat.ask("What's a good way to get rust off a cast iron pan?")
    assert "don't cover" in chat.text(n)
    n = chat.ask("ok so what are its metrics?")
    assert "Which one do you mean" in chat.text(n) and chat.page.locator(f"#answer-{n} li.src").count() == 0
    chat.close()
