"""Input limits at the door: surrogates, invisible characters, bounded history, file sizes before reading, links out of the corpus."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap

import pytest

from assistant import limits
from assistant.corpus import MAX_FILE_BYTES, load_corpus, load_json, load_renderings
from assistant.errors import CorpusError
from assistant.evaluate import load_items
from assistant.lexicon import load_lexicon

from .conftest import CORPUS, ROOT

DOC = "pm-and-ops-roles.zh:"


# -- 4. lone surrogates ----------------------------------------------------------------


def test_text_drops_lone_surrogates_and_keeps_pairs():
    assert limits.text("a\ud800b") == "ab"
    assert limits.text("x \udcff") == "x "  # invalid UTF-8 on a command line arrives as \udcff
    assert limits.text("\ud83d\ude80 go") == "\U0001f680 go"  # a UTF-16 pair becomes its character
    assert limits.text(None) == "" and limits.text(42) == "42"
    limits.text("\ud800" * 10).encode("utf-8")  # always encodable


@pytest.mark.slow
@pytest.mark.parametrize("question", ["\ud800", "What does traffic ops measure? \udcff", "\udfff流量运营的关键指标是什么?\ud800"])
def test_lone_surrogates_never_raise(assistant, question):
    ans = assistant.ask(question, history=["\ud800", {"role": "user", "content": "\udcff"}])
    assert ans.text.encode("utf-8")
    if "measure" in question or "流量" in question:
        assert not ans.refused and ans.citations[0].passage_id == DOC + "3.5.4"


@pytest.mark.slow
def test_cli_question_with_invalid_utf8(real_index_dir, assistant):
    env = {**os.environ, "ASSISTANT_INDEX": str(real_index_dir), "ASSISTANT_CORPUS": str(CORPUS)}
    arg = b"What does traffic ops measure? \xff"
    for extra in ([], ["--json"]):
        res = subprocess.run([sys.executable, "-m", "assistant", "ask", arg, *extra], capture_output=True, cwd=ROOT, env=env, timeout=300)
        assert res.returncode == 0, res.stderr.decode(errors="replace")
        assert b"Traceback" not in res.stderr and b"CPI" in res.stdout
    assert json.loads(res.stdout)["question"] == "What does traffic ops measure? "


# -- 10. zero-width characters -------------------------------------------------------


def test_text_drops_invisible_characters():
    assert limits.text("流量\u200b运营\u200d的\ufeff关键\u2060指标\u00ad") == "流量运营的关键指标"


@pytest.mark.slow
@pytest.mark.parametrize(
    "question",
    [
        "流量\u200b运营的关键指标是什么?",
        "数据\u2060运营的关键指标是什么?",
        "What does traf\u200bfic ops measure?",
        "What are the key metrics of data\u200c operations?",
    ],
)
def test_zero_width_inside_a_role_word_is_not_a_false_decline(assistant, question):
    ans = assistant.ask(question)
    assert not ans.refused and "no key metrics" not in ans.text and "没有给出" not in ans.text, ans.text
    assert ans.citations[0].heading.endswith("关键指标")


# -- 6. bounded history ----------------------------------------------------------------


def test_history_is_bounded_and_tolerant():
    many = [f"turn {i}" for i in range(100_000)]
    out = limits.history(many)
    assert out == many[-limits.MAX_HISTORY_TURNS :]
    assert limits.history("What is data operations?") == ["What is data operations?"]  # a string is one turn, not ignored
    assert limits.history({"role": "user", "content": "hi"}) == ["hi"]
    assert limits.history(None) == [] and limits.history(3) == [] and limits.history([None, 3, {"role": "assistant", "content": "x"}]) == []
    gradio = [{"role": "user", "content": [{"type": "text", "text": "a" * 10**6}] * 10**4}]
    assert len(limits.history(gradio)[0]) <= limits.MAX_INPUT_CHARS
    assert [len(t) for t in limits.history(["x" * 10**6])] == [limits.MAX_INPUT_CHARS]
    # assistant turns do not count towards the user turns kept, but only the most recent entries are looked at
    chat = [{"role": "user", "content": "old"}] + [{"role": "assistant", "content": "a"}] * 10**5
    assert limits.history(chat) == []


@pytest.mark.slow
def test_huge_history_reads_only_recent_turns(assistant):
    seen: list = []
    real = assistant.understand

    def spy(question, history=None, lang=None):
        seen.append((question, history))
        return real(question, history, lang)

    assistant.understand = spy
    try:
        ans = assistant.ask("What is its goal?", history=["What is data operations?"] * 100_000)
    finally:
        del assistant.understand
    # The question is read with the recent turns only (an earlier turn is also read alone, to route it).
    asked = [h for q, h in seen if q == "What is its goal?"]
    assert asked and len(asked[0]) == limits.MAX_HISTORY_TURNS, [len(h) for h in asked]
    assert all(len(h or []) <= limits.MAX_HISTORY_TURNS for _, h in seen)
    assert not ans.refused and "data operations" in ans.text.lower()
    ans = assistant.ask("What is its goal?", history="What is data operations?")  # a string is read as one turn
    assert "data operations" in ans.text.lower()


# -- 8. size limits before reading ----------------------------------------------------

READ_BIG = textwrap.dedent(
    """
    import resource, sys
    from pathlib import Path
    sys.path.insert(0, {root!r})
    resource.setrlimit(resource.RLIMIT_AS, (600 * 2**20, 600 * 2**20))  # reading the whole file would fail
    from assistant.corpus import load_corpus
    load = load_corpus(Path(sys.argv[1]))
    print(dict(load.skipped)["huge.md"])
    print(dict(load.skipped)["huge.en.json"])
    """
)


def test_oversized_files_are_refused_before_reading(corpus_copy, tmp_path):
    for name in ("huge.md", "huge.en.json"):
        with open(corpus_copy / name, "wb") as fh:
            fh.truncate(3 * 2**30)  # 3 GB, sparse: costs no disk
    script = tmp_path / "read_big.py"
    script.write_text(READ_BIG.format(root=str(ROOT)))
    res = subprocess.run([sys.executable, str(script), str(corpus_copy)], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr[-2000:]
    assert res.stdout.splitlines() == [f"huge.md is 3,221,225,472 bytes, over the {MAX_FILE_BYTES:,} limit"] * 1 + [
        "huge.en.json is 3,221,225,472 bytes, over the 5,000,000 limit"
    ]


def test_oversized_json_data_files_are_refused(corpus_copy):
    doc = DOC.rstrip(":")
    with open(corpus_copy / f"{doc}.en.json", "r+b") as fh:
        fh.truncate(6_000_000)
    load = load_corpus(corpus_copy)
    _, warnings = load_renderings(corpus_copy, load.passages)
    assert any("over the 5,000,000 limit" in w for w in warnings)
    with open(corpus_copy / "glossary.json", "r+b") as fh:
        fh.truncate(6_000_000)
    with pytest.raises(CorpusError, match="glossary.json is 6,000,000 bytes, over the 5,000,000 limit"):
        load_lexicon(corpus_copy)


def test_deeply_nested_json_data_is_a_clear_error(tmp_path):
    (tmp_path / "deep.json").write_text("[" * 100_000, encoding="utf-8")
    with pytest.raises(CorpusError, match="nested too deeply"):
        load_json(tmp_path / "deep.json", tmp_path)


# -- 9. symlinks out of the corpus ----------------------------------------------------------


def test_links_out_of_the_corpus_are_not_followed(corpus_copy, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("# 秘密\n\n目标:root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    (corpus_copy / "passwd.txt").symlink_to(secret)
    (corpus_copy / "etc.md").symlink_to("/etc/passwd")
    inner = corpus_copy / "sub"
    inner.mkdir()
    shutil.copy(corpus_copy / "pm-and-ops-roles.zh.txt", inner / "copy.txt")
    (corpus_copy / "alias.txt").symlink_to(inner / "copy.txt")  # a link that stays inside is fine
    load = load_corpus(corpus_copy)
    skipped = dict(load.skipped)
    assert skipped["passwd.txt"].startswith(f"a link to a file outside the corpus ({secret})")
    assert "outside the corpus" in skipped["etc.md"]
    assert "alias.txt" in load.files and "passwd.txt" not in load.files
    assert not any("root:" in p.text for p in load.passages)
    (corpus_copy / "x.glossary.json").symlink_to(secret)
    with pytest.raises(CorpusError, match="links outside the corpus"):
        load_lexicon(corpus_copy)


# -- 12. question-file edges -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("[" * 100_000, ":1: JSON nested too deeply"),
        ('{"id": 7, "question": "What is ARPU?"}', ":1: field 'id' must be a string, not int (7)"),
        ('{"id": "a", "question": ["What is ARPU?"]}', ":1: field 'question' must be a string, not list"),
    ],
    ids=["deep-nesting", "integer-id", "list-question"],
)
def test_question_file_edges_are_named(tmp_path, line, message):
    f = tmp_path / "q.jsonl"
    f.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(Exception) as err:
        load_items(f)
    assert type(err.value).__name__ == "QuestionError" and message in str(err.value)


def test_question_file_surrogates_are_made_encodable(tmp_path):
    f = tmp_path / "q.jsonl"
    f.write_text('{"id": "a\\ud800", "question": "What is ARPU?\\udcff", "history": ["\\ud800hi"]}\n', encoding="utf-8")
    item = load_items(f)[0]
    assert item.question == "What is ARPU?" and item.history == ("hi",)
    json.dumps(item.id, ensure_ascii=False).encode("utf-8")
