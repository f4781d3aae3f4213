"""The chat's HTML and copy text, from plain turns: no model, no browser."""

from __future__ import annotations

import re

from assistant import chat_view as view

IMG = '<img src="http://127.0.0.1:9/t.png">'
LINK = "[x](http://127.0.0.1:9/x)"


def cite(n: int, heading: str, quote: str, heading_en: str = "", quote_en: str = "", pid: str = "doc:1.1.1") -> dict:
    return {"n": n, "pid": pid, "heading": heading, "heading_en": heading_en, "quote": quote, "quote_en": quote_en, "article": "Roles"}


def turn(text: str, cites: list[dict], lang: str = "en", **kw) -> dict:  # type: ignore[no-untyped-def]
    return {"q": "q?", "lang": lang, "refused": False, "text": text, "cites": cites, "nearest": [], "followups": [], "intent": "role", "fb": ""} | kw


def tags(html: str) -> set[str]:
    return set(re.findall(r"<([a-zA-Z0-9]+)", html))


ALLOWED = {
    "section",
    "div",
    "p",
    "ul",
    "li",
    "ol",
    "strong",
    "a",
    "details",
    "summary",
    "blockquote",
    "button",
    "span",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "svg",
    "path",
}


def test_corpus_question_and_history_text_is_inert():
    bad = f"{IMG}{LINK}<script>alert(1)</script> ${{1+1}}"
    t = turn(
        f"Lead: {bad} **bold** [1]\n- item {bad} [1]",
        [cite(1, f"三、岗位{bad} > 关键指标", f"引用{bad}", f"III. Roles{bad} > Key metrics", f"quote {bad}")],
        q=bad,
    )
    t["followups"] = [bad]
    html = view.chat_html([t], "en")
    assert tags(html) <= ALLOWED, tags(html) - ALLOWED
    assert "<img" not in html and "<script" not in html and 'href="http' not in html
    assert "&lt;img src=&quot;http://127.0.0.1:9/t.png&quot;&gt;" in html  # shown as the text it is
    assert "[x](http://127.0.0.1:9/x)" in html
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs and all(h.startswith("#src-") for h in hrefs)
    viewer = view.article_html(f"T{IMG}", f"H{LINK}", f"before {IMG} passage {LINK} after", 7, 40, f"en {IMG}", "en")
    assert "<img" not in viewer and 'href="' not in viewer and viewer.count("<mark") == 1


def test_copy_text_is_clean_and_numbers_its_sources():
    t = turn(
        "Key metrics for traffic operations:\nKey metrics: cost per user acquired (CPI) & more > less. **x** [1]",
        [cite(1, "三 > 5.流量运营 > 关键指标", "关键指标:成本(CPI)", "III > 5. Traffic operations > Key metrics", "Key metrics: cost (CPI)")],
    )
    text = view.copy_text(t)
    assert text.splitlines()[:2] == ["Key metrics for traffic operations:", "cost per user acquired (CPI) & more > less. x [1]"]  # the label is not said twice
    assert "Sources:\n[1] Roles › III › 5. Traffic operations › Key metrics\n    “关键指标:成本(CPI)”\n    Key metrics: cost (CPI)" in text
    for junk in ("\\", "&gt;", "&amp;", "**", "`"):
        assert junk not in text
    html = view.turn_html(t, 0, True, "en")
    assert 'aria-label="Answer 1: Key metrics for traffic operations:"' in html


def test_repeated_titles_and_nearest_headings_are_shown_once():
    same = "三 > 1.产品经理 > 核心工作包括"
    t = turn("a [1] b [2] c [3]", [cite(i, same, f"q{i}") for i in (1, 2, 3)], lang="zh")
    html = view.turn_html(t, 0, True, "zh")
    assert html.count('class="src-where"') == 1 and html.count("<blockquote") == 3
    near = [cite(0, "三 > 4.产品运营 > 案例", "", "III > Product operations > Case")] * 3
    d = turn("Sorry, no.\n\nNearest passages (not an answer):\n- III > Product operations > Case", [], refused=True, intent="out_of_scope", nearest=near)
    html = view.turn_html(d, 0, True, "en")
    assert html.count('<span class="path">III › Product operations › Case</span>') == 1 and "Not covered by the articles" in html
    assert "Nearest passages" not in html  # the decline's own list is replaced by links into the article


def test_lists_tables_and_numbered_items_render_plainly():
    text = "Roles:\n- 1.用户运营:专注用户 [1]\n- 1.用户运营:专注用户 [1]\n\n| | **A** | **B** |\n|---|---|---|\n| Goal | Goal: a \\| b [1] | Goal: c [1] |"
    t = turn(text, [cite(1, "h", "q")])
    blocks = view.parse(text)
    assert blocks[1] == ("ul", ["1.用户运营:专注用户 [1]"])  # the numbered item stays text, once, no nested list
    assert blocks[2] == ("table", ["", "**A**", "**B**"], [["Goal", "a | b [1]", "c [1]"]])
    html = view.turn_html(t, 0, True, "en")
    assert '<td data-col="A">a | b <a class="cite"' in html and "<ol" not in html.split("<details")[0]


def test_welcome_examples_and_status_speak_the_interface_language():
    assert "你好" in view.chat_html([], "zh") and 'data-act="ask"' in view.chat_html([], "zh")
    assert "Hi!" in view.chat_html([], "en")
    assert "已就绪" in view.status_html("zh", "ready")
    assert "could not start: no articles" in view.status_html("en", "error", "no articles")
