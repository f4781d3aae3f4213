"""The CI gate: full-mode accuracy on the dev set must not fall below the committed floor."""

from __future__ import annotations

import json

import pytest

from assistant.evaluate import evaluate, load_items

from .conftest import ROOT

pytestmark = pytest.mark.slow


def test_dev_accuracy_meets_the_floor(assistant):
    floor = json.loads((ROOT / "eval" / "floor.json").read_text(encoding="utf-8"))
    rep, _ = evaluate(assistant, load_items(ROOT / floor["file"]))
    failures = "\n".join(f"{f['id']}: {f['why']}" for f in rep["failures"])
    assert rep["accuracy"] >= floor["accuracy"], failures
    for lang, minimum in floor["by_lang"].items():
        assert rep["by_lang"][lang] >= minimum, (lang, failures)
    assert rep["refusal_accuracy"] >= floor["refusal_accuracy"], failures
    assert rep["false_refusals"] <= floor["max_false_refusals"], failures
    assert rep["citation_at_1"] >= floor["citation_at_1"], failures


def test_baselines_trail_the_full_product(assistant):
    items = load_items(ROOT / "eval" / "dev.jsonl")
    full = evaluate(assistant, items, "full")[0]["accuracy"]
    for mode in ("hybrid", "dense", "bm25"):
        assert evaluate(assistant, items, mode)[0]["accuracy"] < full - 0.2, mode


OTHER_SETS = sorted(p.name for p in (ROOT / "eval").glob("*.jsonl") if p.name != "dev.jsonl")


@pytest.mark.parametrize("name", OTHER_SETS)
def test_other_question_sets_keep_their_floor(assistant, name):
    floor = json.loads((ROOT / "eval" / "floor.json").read_text(encoding="utf-8"))
    rep, _ = evaluate(assistant, load_items(ROOT / "eval" / name))
    failures = "\n".join(f"{f['id']}: {f['why']}" for f in rep["failures"])
    assert rep["accuracy"] >= floor["others_accuracy"], failures
