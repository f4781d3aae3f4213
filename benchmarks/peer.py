"""A peer side by side: a plain LangChain FAISS retriever against this assistant, same model, passages and questions.

The peer is what a LangChain user would build: one ``Document`` per passage of
``assistant.corpus.load_corpus`` (the Chinese passage text as ``page_content``, ``passage_id`` in the
metadata), ``HuggingFaceEmbeddings(model_name=<the bundled all-MiniLM-L6-v2 folder>)`` loaded offline
(``HF_HUB_OFFLINE=1``), ``FAISS.from_documents`` and ``.as_retriever(search_kwargs={"k": 1})``. It sees
only the question (a plain retriever keeps no history) and never declines.

Both are scored on ``eval/dev.jsonl`` (``assistant.evaluate.load_items``) by one top-1 rule: an item
is right when the top-1 passage's full text contains the item's ``source``; the recommendation items,
which have no ``source``, are right when that text contains one of their ``expect_any`` strings;
questions the corpus does not cover count wrong for both (a plain retriever cannot decline). For the
assistant the "top-1 passage" is the passage of its answer's first citation. Also reported: the share
of items with a ``source`` whose source is in the top-1 (overall and per language), the assistant's
top-1 accuracy when correct refusals count right, its full evaluate accuracy (``evaluate.run_item`` per item and
``evaluate.report``, which is what ``evaluate.evaluate`` does), and per-question
latency p50/p95 of both (one call per question after a warm-up call; for the assistant, evaluate's
own timing of the final turn; the two are asked in turn, question by question, so both see the same
machine load).

    .venv/bin/python benchmarks/peer.py [--quick]

Writes benchmarks/out/peer.json. When LangChain cannot be installed or imported, the peer's column
holds the error and the assistant is still measured.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.common import (  # noqa: E402
    DEV_FILE,
    Stopwatch,
    finish,
    footer,
    in_turn,
    latency_summary,
    machine_info,
    quiet_offline,
    render_table,
    say,
    write_json,
)

if TYPE_CHECKING:
    from assistant.assistant import Assistant
    from assistant.corpus import Passage
    from assistant.evaluate import Item, Result

QUICK_EVERY = 3  # --quick scores every 3rd dev item
PEER_PACKAGES = ("langchain-community", "langchain-core", "langchain-huggingface")


def top1_right(item: Item, text: str | None) -> bool:
    """The shared top-1 rule: source (or, without one, any expect_any) in the top-1 passage text; refusal items are wrong."""
    if item.expect_refusal or text is None:
        return False
    if item.source is not None:
        return item.source in text
    low = text.lower()
    return any(e.lower() in low for e in item.expect_any)


def top1_metrics(items: list[Item], texts: list[str | None]) -> dict[str, Any]:
    """Top-1 accuracy under the shared rule, and the share of items with a source whose source is in the top-1."""
    right = [top1_right(it, t) for it, t in zip(items, texts, strict=True)]
    with_source = [(it, t) for it, t in zip(items, texts, strict=True) if it.source is not None]

    def share(pairs: list[tuple[Item, str | None]]) -> float | None:
        return round(sum(1 for it, t in pairs if t is not None and it.source in t) / len(pairs), 4) if pairs else None

    return {
        "top1_accuracy": round(sum(right) / len(items), 4),
        "source_in_top1": share(with_source),
        "source_in_top1_by_lang": {lang: share([(it, t) for it, t in with_source if it.lang == lang]) for lang in ("en", "zh")},
        "items_with_source": len(with_source),
        "right_ids": [it.id for it, r in zip(items, right, strict=True) if r],
    }


def load_peer(passages: tuple[Passage, ...], model_path: str) -> tuple[Any, dict[str, Any]]:
    """The LangChain FAISS retriever over the passages and facts about it; (None, {"error": ...}) when LangChain fails."""
    from importlib.metadata import PackageNotFoundError, version

    quiet_offline()
    try:
        from langchain_community.vectorstores import FAISS
        from langchain_core.documents import Document
        from langchain_huggingface import HuggingFaceEmbeddings
    except Exception as exc:  # not installed, or an incompatible version
        return None, {"error": f"cannot import LangChain: {type(exc).__name__}: {exc}", "fix": "pip install langchain-community langchain-huggingface"}
    versions: dict[str, str | None] = {}
    for name in PEER_PACKAGES:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = None
    try:
        with Stopwatch() as load:
            embeddings = HuggingFaceEmbeddings(model_name=model_path, model_kwargs={"device": "cpu"})
        docs = [Document(page_content=p.text, metadata={"passage_id": p.id}) for p in passages]
        with Stopwatch() as build:
            store = FAISS.from_documents(docs, embeddings)
        retriever = store.as_retriever(search_kwargs={"k": 1})
        with Stopwatch() as first:
            retriever.invoke("What does traffic ops measure?")  # warm-up, as for the assistant
    except Exception as exc:  # e.g. the model folder cannot be loaded offline
        return None, {"error": f"LangChain retriever failed: {type(exc).__name__}: {str(exc)[:300]}", "versions": versions}
    return retriever, {
        "what": "LangChain FAISS.from_documents + HuggingFaceEmbeddings, as_retriever(k=1), question only",
        "versions": versions,
        "model_load_s": round(load.seconds, 2),
        "index_build_s": round(build.seconds, 2),
        "first_answer_s": round(first.seconds, 2),
        "documents": len(docs),
        "distance": str(store.distance_strategy),
    }


def load_ours() -> tuple[Assistant, dict[str, Any]]:
    """Assistant.load(status=None), warmed up with one question."""
    from assistant import Assistant

    with Stopwatch() as load:
        assistant = Assistant.load(status=None)
    with Stopwatch() as first:
        assistant.ask("What does traffic ops measure?")  # loads the model (lazily) and warms up
    index = assistant.index
    return assistant, {
        "what": "Assistant.load(status=None).ask, first citation's passage",
        "load_s": round(load.seconds, 2),
        "first_answer_s": round(first.seconds, 2),
        "index": {"passages": len(index.passages), "vectors": index.dense.ntotal, "type": index.manifest.index_type},
        "query_encoder": type(assistant.embedder).__name__,  # OnnxEmbedder: the product's verified ONNX export of the same model
    }


def ask_both(retriever: Any, assistant: Assistant, items: list[Item]) -> tuple[list[float], list[Any], list[Result]]:
    """Each question to the peer, then the same item through evaluate.run_item, in turn so both see the same machine load."""
    from assistant.evaluate import run_item

    calls: dict[str, Any] = {"ours": lambda item: run_item(assistant, item)}
    if retriever is not None:
        calls["peer"] = lambda item: retriever.invoke(item.question)
    done = in_turn(calls, items)
    peer = done.get("peer", [])
    return [ms for ms, _ in peer], [found for _, found in peer], [r for _, r in done["ours"]]


def peer_report(facts: dict[str, Any], items: list[Item], times: list[float], found: list[Any]) -> dict[str, Any]:
    """The peer's column: latency and the top-1 metrics."""
    if "error" in facts:
        return facts
    texts = [docs[0].page_content if docs else None for docs in found]
    return {
        **facts,
        "latency_ms": latency_summary(times),
        "refusal_accuracy": 0.0 if any(it.expect_refusal for it in items) else None,  # it never declines
        **top1_metrics(items, texts),
        "top1_passage_ids": [docs[0].metadata.get("passage_id") if docs else None for docs in found],
    }


def ours_report(facts: dict[str, Any], assistant: Assistant, items: list[Item], results: list[Result]) -> dict[str, Any]:
    """Our column: the evaluate report plus the top-1 rule over each answer's first citation."""
    from assistant.evaluate import report

    rep = report(results)
    index = assistant.index
    texts: list[str | None] = []
    first_ids: list[str | None] = []
    for r in results:
        cid = r.answer.citations[0].passage_id if r.answer.citations else None
        pos = index.position(cid) if cid else -1
        texts.append(index.passages[pos].text if pos >= 0 else None)
        first_ids.append(cid)
    with_refusals = [(r.item.expect_refusal and r.answer.refused) or top1_right(r.item, t) for r, t in zip(results, texts, strict=True)]
    return {
        **facts,
        "latency_ms": rep["latency_ms"],
        "refusal_accuracy": rep["refusal_accuracy"],
        **top1_metrics(items, texts),
        "top1_accuracy_refusals_right": round(sum(with_refusals) / len(items), 4),
        "evaluate": {k: rep[k] for k in ("n", "accuracy", "by_lang", "refusal_accuracy", "false_refusals", "citation_at_1", "citation_at_3", "latency_ms")},
        "evaluate_failures": rep["failures"],
        "first_citation_ids": first_ids,
    }


def run(quick: bool = False) -> dict[str, Any]:
    """Both systems over eval/dev.jsonl (every 3rd item with quick); returns the JSON report."""
    from assistant.config import Settings
    from assistant.corpus import load_corpus
    from assistant.embed import resolve_model
    from assistant.evaluate import load_items

    started = time.perf_counter()
    quiet_offline()
    settings = Settings.from_env()
    items = load_items(DEV_FILE)
    if quick:
        items = items[::QUICK_EVERY]
    passages = load_corpus(settings.corpus_dir).passages
    model_path = resolve_model(settings.model)
    report: dict[str, Any] = {
        "benchmark": "peer",
        "quick": quick,
        "machine": machine_info(),
        "model": settings.model,
        "model_path": model_path,
        "passages": len(passages),
        "items": {
            "n": len(items),
            "with_source": sum(1 for it in items if it.source is not None),
            "recommendation_without_source": sum(1 for it in items if it.source is None and not it.expect_refusal),
            "expect_refusal": sum(1 for it in items if it.expect_refusal),
            "follow_ups": sum(1 for it in items if it.history),
            "by_lang": {lang: sum(1 for it in items if it.lang == lang) for lang in ("en", "zh")},
        },
        "rule": (
            "right when the top-1 passage's text contains the item's source (items without a source: one of expect_any); "
            "refusal items count wrong; the assistant's top-1 passage is its first citation's passage"
        ),
    }
    say(f"peer: LangChain FAISS retriever over {len(passages)} passages")
    retriever, peer_facts = load_peer(passages, model_path)
    if "error" in peer_facts:
        say(f"peer failed: {peer_facts['error']}")
    say("ours: Assistant.load")
    assistant, our_facts = load_ours()
    say(f"asking {len(items)} questions, peer and ours interleaved")
    peer_ms, peer_found, results = ask_both(retriever, assistant, items)
    report["peer"] = peer_report(peer_facts, items, peer_ms, peer_found)
    report["ours"] = ours_report(our_facts, assistant, items, results)
    return finish(report, started)


def render(report: dict[str, Any]) -> str:
    """Side-by-side table of the peer and the assistant."""
    peer, ours = report["peer"], report["ours"]
    items = report["items"]
    failed = "error" in peer

    def p(key: str, sub: str | None = None) -> Any:
        if failed:
            return "error"
        value = peer.get(key)
        return value.get(sub) if isinstance(value, dict) and sub else value

    rows = [
        ["top-1 accuracy (shared rule, refusals wrong)", p("top1_accuracy"), ours["top1_accuracy"]],
        ["top-1 accuracy, correct refusals right", p("top1_accuracy"), ours["top1_accuracy_refusals_right"]],
        [f"source in top-1 ({items['with_source']} items with source)", p("source_in_top1"), ours["source_in_top1"]],
        ["  English questions", p("source_in_top1_by_lang", "en"), ours["source_in_top1_by_lang"]["en"]],
        ["  Chinese questions", p("source_in_top1_by_lang", "zh"), ours["source_in_top1_by_lang"]["zh"]],
        ["refusal accuracy", p("refusal_accuracy"), ours["refusal_accuracy"]],
        ["full evaluate accuracy", "-", ours["evaluate"]["accuracy"]],
        ["latency p50 ms (per question)", p("latency_ms", "p50"), ours["latency_ms"]["p50"]],
        ["latency p95 ms (per question)", p("latency_ms", "p95"), ours["latency_ms"]["p95"]],
        [
            "start-up s: load + build + first answer",
            "-" if failed else f"{peer['model_load_s']} + {peer['index_build_s']} + {peer['first_answer_s']}",
            f"{ours['load_s']} + 0 + {ours['first_answer_s']}",
        ],
    ]
    title = (
        f"Peer side by side{' (quick)' if report['quick'] else ''}: {items['n']} questions of eval/dev.jsonl "
        f"({items['by_lang']['en']} en, {items['by_lang']['zh']} zh, {items['expect_refusal']} uncovered, {items['follow_ups']} follow-ups), "
        f"{report['passages']} passages, {report['model']}"
    )
    lines = [render_table(["", "LangChain FAISS", "this assistant"], rows, title)]
    if failed:
        lines.append(f"LangChain peer not measured: {peer['error']}")
    else:
        lines.append("Peer: " + peer["what"] + "; " + ", ".join(f"{k} {v}" for k, v in peer["versions"].items()) + f"; distance {peer['distance']}.")
    lines.append(
        f"Ours: {ours['what']}; index {ours['index']['passages']} passages / {ours['index']['vectors']} vectors ({ours['index']['type']}); "
        f"questions embedded by {ours['query_encoder']} (the peer: sentence-transformers on torch, via LangChain)."
    )
    lines.append(f"Rule: {report['rule']}.")
    lines.append("\n" + footer(report))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """CLI: run, print the table, write benchmarks/out/peer.json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"every {QUICK_EVERY}rd dev item only")
    args = parser.parse_args(argv)
    report = run(quick=args.quick)
    path = write_json("peer", report)
    print(render(report))
    print(f"JSON: {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
