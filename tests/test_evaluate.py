"""The evaluation contract: scoring rules on hand-made answers, and question-file errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.errors import QuestionError
from assistant.evaluate import Item, load_items, report, run_item, score
from assistant.respond import Answer, Citation


def answer(text: str, quotes: tuple[str, ...] = (), refused: bool = False) -> Answer:
    cites = [Citation(i, f"doc:{i}", "H", q) for i, q in enumerate(quotes, 1)]
    return Answer(text, cites, refused)


def item(**kw) -> Item:
    return Item(id=kw.pop("id", "x"), question=kw.pop("question", "q"), lang=kw.pop("lang", "en"), **kw)


def test_expect_any_is_case_insensitive_over_text_and_quotes():
    it = item(expect_any=("cpi", "获客"))
    assert score(it, answer("Cost per user (CPI) [1]")) == (True, "")
    assert score(it, answer("metrics [1]", ("单个用户获取成本(CPI)",))) == (True, "")
    assert score(it, answer("no match here")) == (False, "missing expect_any")


def test_expect_all_needs_every_string():
    it = item(expect_all=("用户运营", "流量运营"))
    assert score(it, answer("用户运营 vs 流量运营"))[0]
    right, why = score(it, answer("only 用户运营"))
    assert not right and why == "missing expect_all: 流量运营"


def test_source_must_be_in_first_three_citations():
    it = item(source="渠道转化率")
    assert score(it, answer("a", ("x", "y", "含渠道转化率")))[0]
    right, why = score(it, answer("a", ("x", "y", "z", "渠道转化率")))
    assert not right and why == "source not in the first 3 citations"
    assert not score(it, answer("渠道转化率 in the text only"))[0]


def test_refusal_items_and_false_refusals():
    assert score(item(expect_refusal=True), answer("sorry", refused=True)) == (True, "")
    assert score(item(expect_refusal=True), answer("an answer")) == (False, "answered, expected a refusal")
    assert score(item(expect_any=("x",)), answer("x", refused=True)) == (False, "declined an in-scope question")


def test_max_chars_counts_the_shown_answer():
    it = item(max_chars=20)
    assert score(it, answer("short"))[0]
    right, why = score(it, answer("short", ("a quote that makes it long",)))
    assert not right and why.startswith("too long")


class Recorder:
    """A stand-in assistant that records the history it is given."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, list | None]] = []

    def ask(self, question, history=None, mode="full", suggest=True):
        self.calls.append((question, history))
        return answer(f"re: {question}")


def test_history_turns_are_answered_in_order_first():
    rec = Recorder()
    res = run_item(rec, item(question="and its metrics?", history=("what is user ops?", "its goal?"), expect_any=("metrics",)))
    assert rec.calls == [("what is user ops?", None), ("its goal?", ["what is user ops?"]), ("and its metrics?", ["what is user ops?", "its goal?"])]
    assert res.right


def test_report_keys_follow_the_contract():
    rec = Recorder()
    results = [run_item(rec, item(id="a", expect_any=("re:",), source="zzz")), run_item(rec, item(id="b", lang="zh", expect_refusal=True))]
    rep = report(results)
    assert set(rep) >= {"n", "accuracy", "by_lang", "refusal_accuracy", "citation_at_1", "citation_at_3", "latency_ms", "failures"}
    assert rep["n"] == 2 and rep["accuracy"] == 0.0 and rep["by_lang"] == {"en": 0.0, "zh": 0.0}
    assert rep["refusal_accuracy"] == 0.0 and rep["citation_at_1"] == 0.0
    assert set(rep["latency_ms"]) == {"p50", "p95"}
    assert rep["failures"][0] == {"id": "a", "question": "q", "answer": "re: q", "why": "source not in the first 3 citations"}


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "q.jsonl"
    p.write_text(text, encoding="utf-8")
    return p


def test_loading_skips_blanks_and_comments_and_ignores_unknown_fields(tmp_path):
    p = write(tmp_path, '# comment\n\n{"id": "a", "question": "What is ARPU?", "difficulty": "easy", "tags": [1]}\n{"id": "b", "question": "什么是ARPU?"}\n')
    items = load_items(p)
    assert [(i.id, i.lang) for i in items] == [("a", "en"), ("b", "zh")]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"id": "a", "question": "ok"}\n{"id": "b", "question": \n', r"q.jsonl:2: malformed JSON"),
        ('{"id": "a"}\n', r"q.jsonl:1: missing or empty required field 'question'"),
        ('{"id": "a", "question": "x", "expect_any": "CPI"}\n', r"q.jsonl:1: field 'expect_any' has the wrong type"),
        ('{"id": "a", "question": "x", "lang": "fr"}\n', r"q.jsonl:1: field 'lang' must be"),
        ('{"id": "a", "question": "x", "max_chars": true}\n', r"q.jsonl:1: field 'max_chars' has the wrong type"),
        ('{"id": "a", "question": "x"}\n{"id": "a", "question": "y"}\n', r"q.jsonl:2: duplicate id 'a'"),
        ("[1, 2]\n", r"q.jsonl:1: expected a JSON object"),
        ("\n# only a comment\n", r"holds no questions"),
    ],
)
def test_malformed_files_name_file_and_line(tmp_path, text, message):
    with pytest.raises(QuestionError, match=message):
        load_items(write(tmp_path, text))


def test_missing_and_non_utf8_files(tmp_path):
    with pytest.raises(QuestionError, match="does not exist"):
        load_items(tmp_path / "nope.jsonl")
    p = tmp_path / "bad.jsonl"
    p.write_bytes(b'{"id": "a", "question": "x"}\n{"id": "b", "question": "caf\xe9"}\n')
    with pytest.raises(QuestionError, match=r"bad.jsonl:2: not UTF-8"):
        load_items(p)


def test_dev_set_meets_the_contract():
    items = load_items(Path(__file__).resolve().parent.parent / "eval" / "dev.jsonl")
    assert len(items) >= 150
    assert sum(i.lang == "en" for i in items) >= 60 and sum(i.lang == "zh" for i in items) >= 60
    assert sum(i.expect_refusal for i in items) >= 20 and sum(bool(i.history) for i in items) >= 10
    assert json.dumps([i.id for i in items])  # ids are plain strings
