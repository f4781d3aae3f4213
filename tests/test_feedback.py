"""Chat feedback: the JSONL log and its export as a question file that `evaluate` reads."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from assistant import feedback
from assistant.errors import QuestionError
from assistant.evaluate import load_items

from .conftest import ROOT


def fb(
    value: str, question: str, refused: bool = False, history: list[str] | None = None, quote: str = "目标:通过数据分析发现问题,为业务提供优化方向。"
) -> feedback.Feedback:
    cites = [] if refused else [{"n": 1, "passage_id": "doc:3.6.1", "heading": "h", "quote": quote}]
    return feedback.Feedback(value, question, history or [], "answer text", refused, "en", cites)


def test_record_appends_json_lines(tmp_path):
    log = tmp_path / "sub" / "feedback.jsonl"
    feedback.record(fb("like", "What is its goal?", history=["What is data operations?"]), log)
    feedback.record(fb("dislike", "How do I bake bread?", refused=True), log)
    rows = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert [r["value"] for r in rows] == ["like", "dislike"]
    assert rows[0]["history"] == ["What is data operations?"] and rows[0]["citations"][0]["passage_id"] == "doc:3.6.1" and rows[0]["time"] > 0
    with pytest.raises(ValueError):
        feedback.record(fb("meh", "q"), log)


def test_export_is_a_question_file_in_the_eval_format(tmp_path):
    records = [
        fb("dislike", "What is its goal?", history=["What is data operations?"]),
        fb("like", "What is its goal?", history=["What is data operations?"]),  # the later judgement wins
        fb("like", "How do I bake bread?", refused=True),
        fb("dislike", "What do PMs earn?", refused=True),
        fb("dislike", "What does traffic ops measure?"),
    ]
    out = tmp_path / "fb.jsonl"
    out.write_text(feedback.export(records), encoding="utf-8")
    items = load_items(out)
    assert [(i.id, i.question) for i in items] == [("fb001", "What is its goal?"), ("fb002", "How do I bake bread?"), ("fb003", "What do PMs earn?")]
    assert items[0].history == ("What is data operations?",) and items[0].source == "目标:通过数据分析发现问题,为业务提供优化方向。"
    assert items[1].expect_refusal and not items[2].expect_refusal
    drafts = [line for line in out.read_text(encoding="utf-8").splitlines() if line.startswith("# {")]
    assert len(drafts) == 1 and json.loads(drafts[0][2:])["question"] == "What does traffic ops measure?"


def test_the_feedback_command(tmp_path):
    log = tmp_path / "feedback.jsonl"
    feedback.record(fb("like", "What is its goal?", history=["What is data operations?"]), log)
    out = tmp_path / "questions.jsonl"
    res = subprocess.run([sys.executable, "-m", "assistant", "feedback", str(out), "--log", str(log)], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert res.returncode == 0, res.stderr
    assert "1 question(s) ready" in res.stderr and load_items(out)[0].question == "What is its goal?"
    res = subprocess.run(
        [sys.executable, "-m", "assistant", "feedback", "--log", str(tmp_path / "none.jsonl")], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert res.returncode == 1 and res.stderr.startswith("Error: no feedback log at")
    with pytest.raises(QuestionError):
        feedback.read(tmp_path / "none.jsonl")
