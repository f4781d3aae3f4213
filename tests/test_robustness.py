"""Odd questions never crash: empty, huge, control characters, emoji, scripts; and ask never raises."""

from __future__ import annotations

import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.config import MAX_QUESTION_CHARS
from assistant.respond import Answer

from .test_cli import run

pytestmark = pytest.mark.slow
DOC = "pm-and-ops-roles.zh:"


@pytest.mark.parametrize("question", ["", "   ", "\n\t ", None])
def test_empty_questions_get_a_prompt(assistant, question):
    ans = assistant.ask(question)
    assert isinstance(ans, Answer) and ans.refused and ans.citations == []
    assert "type a question" in ans.text


def test_huge_question_is_truncated_with_a_notice(assistant):
    ans = assistant.ask("What does traffic ops measure? " + "blah " * 20_000)
    assert "truncated" in ans.notes and "read only its first part" in ans.text
    ans = assistant.ask("流量运营的关键指标是什么?" + "啊" * 100_000)
    assert "问题过长" in ans.text


@pytest.mark.parametrize(
    ("question", "pid"),
    [
        ("What does traffic\x00 ops\x07 measure?\x1b", "3.5.4"),  # control characters and NUL
        ("流量運營的關鍵指標是什麼?", "3.5.4"),  # traditional Chinese
        ("ＷＨＡＴ ＤＯＥＳ ＴＲＡＦＦＩＣ ＯＰＳ ＭＥＡＳＵＲＥ？", "3.5.4"),  # full-width
        ("🚀 What does traffic ops measure? 📈", "3.5.4"),  # emoji around a question
        ("traffic ops 的 KPI 是什么", "3.5.4"),  # mixed scripts
        ("什么是ARPU?", "3.1.4"),
    ],
)
def test_odd_but_real_questions_are_answered(assistant, question, pid):
    ans = assistant.ask(question)
    assert not ans.refused, ans.text
    assert ans.citations[0].passage_id == DOC + pid


@pytest.mark.parametrize("question", ["?!?!...", "。。。???", "🙂🙂🙂", "\x00\x00", "<script>alert(1)</script>", "' OR 1=1; --", "../../etc/passwd"])
def test_noise_is_declined_or_prompted_never_crashes(assistant, question):
    ans = assistant.ask(question)
    assert isinstance(ans, Answer) and ans.refused and ans.citations == []


def test_greetings_are_polite(assistant):
    for q, word in (("hello", "Hello"), ("你好!", "你好")):
        ans = assistant.ask(q)
        assert ans.refused and word in ans.text and ans.citations == []


def test_history_in_odd_shapes_is_tolerated(assistant):
    for history in (
        [None, 3, {"role": "user"}, {"content": ["x"]}],
        [{"role": "user", "content": [{"type": "text", "text": "What is data operations?"}]}],
        "not a list",
    ):
        ans = assistant.ask("What is its goal?", history=history if isinstance(history, list) else None)
        assert isinstance(ans, Answer)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300) | st.text(alphabet=string.printable + "运营产品经理流量指标目标案例工作?", max_size=80))
def test_ask_never_raises(assistant, question):
    ans = assistant.ask(question, history=[question[:20]])
    assert isinstance(ans, Answer)
    assert isinstance(ans.text, str) and ans.text
    if not ans.refused:
        assert ans.citations and all(f"[{c.n}]" in ans.text for c in ans.citations)


def test_cli_handles_odd_input(real_index_dir):
    res = run("ask", "x" * 100_000, index=real_index_dir)
    assert res.returncode == 0 and "read only its first part" in res.stdout
    res = run("ask", "🙂 ?!", index=real_index_dir)
    assert res.returncode == 0 and "don't cover" in res.stdout


def test_question_limit_is_sane():
    assert 500 <= MAX_QUESTION_CHARS <= 10_000


def test_ui_turns_never_crash_and_escape(assistant):
    import ui

    app = ui.App()
    app.assistant = assistant
    *_, (turns, _, _) = app.respond("   ", [], {})
    assert turns == []
    *_, (turns, html, _) = app.respond("<img src=x onerror=alert(1)> " + "y" * 100_000, [], {"lang": "en"})
    assert "<img" not in html and "&lt;img" in html and len(turns) == 1 and len(turns[0]["q"]) <= ui.MAX_INPUT_CHARS
    *_, (turns, html, _) = app.respond("What does traffic ops measure?", turns, None)
    assert len(turns) == 2 and turns[1]["cites"][0]["pid"].endswith(":3.5.4") and "渠道转化率" in html


def test_ui_questions_wait_while_loading():
    import ui

    app = ui.App()  # not started: still loading
    turns, html, box = next(app.respond("What does traffic ops measure?", [], {"lang": "en"}))
    assert turns == [] and box == "" and "your question will be answered in a moment" in html
    assert "Getting ready" in app.status({"lang": "en"})


@pytest.mark.slow
def test_the_api_answers_a_lone_surrogate_and_a_string_history(real_index_dir, assistant):
    """The chat's /ask endpoint: a lone surrogate is dropped so the JSON reply encodes; a history given as one
    string is that one earlier turn."""
    import json

    import ui

    from .conftest import CORPUS

    app = ui.App(index_dir=real_index_dir, corpus_dir=CORPUS)
    app.start()
    assert app.wait(600), app.error
    out = app.answer_json("流量运营的关键指标\ud800是什么?")
    json.dumps(out)  # encodable
    assert out["question"] == "流量运营的关键指标是什么?" and out["citations"][0]["passage_id"] == "pm-and-ops-roles.zh:3.5.4"
    followed = app.answer_json("And how is it measured?", "What does content ops do?")
    assert not followed["refused"] and "阅读量" in followed["citations"][0]["quote"]
