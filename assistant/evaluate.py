"""Score answers against question files (../shared/eval-format.md): load, run, score, report."""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import limits
from .corpus import detect_lang
from .errors import QuestionError

if TYPE_CHECKING:
    from .assistant import Assistant
    from .respond import Answer

DEFAULT_MAX_CHARS = 1000
_FIX = "fix that line (see ../shared/eval-format.md: JSON Lines with id, question and optional fields)"


@dataclass(frozen=True)
class Item:
    """One test question."""

    id: str
    question: str
    lang: str
    history: tuple[str, ...] = ()
    expect_any: tuple[str, ...] = ()
    expect_all: tuple[str, ...] = ()
    source: str | None = None
    expect_refusal: bool = False
    max_chars: int = DEFAULT_MAX_CHARS


@dataclass
class Result:
    """How one item went."""

    item: Item
    answer: "Answer"
    right: bool
    why: str
    latency_ms: float
    cite1: bool | None = None
    cite3: bool | None = None
    trace: dict = field(default_factory=dict)


def _field(obj: dict, name: str, kind: type | tuple[type, ...], where: str) -> Any:
    value = obj.get(name)
    if value is not None and not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise QuestionError(f"{where}: field {name!r} has the wrong type ({type(value).__name__})", _FIX)
    return value


def _str_list(obj: dict, name: str, where: str) -> tuple[str, ...]:
    value = _field(obj, name, list, where) or []
    if not all(isinstance(v, str) for v in value):
        raise QuestionError(f"{where}: field {name!r} must be a list of strings", _FIX)
    return tuple(value)


def parse_item(obj: Any, where: str) -> Item:
    """Check one decoded line against the contract; unknown fields are ignored."""
    if not isinstance(obj, dict):
        raise QuestionError(f"{where}: expected a JSON object, got {type(obj).__name__}", _FIX)
    for name in ("id", "question"):
        value = obj.get(name)
        if value is not None and not isinstance(value, str):
            shown = json.dumps(value, ensure_ascii=False)[:40]
            raise QuestionError(
                f"{where}: field {name!r} must be a string, not {type(value).__name__} ({shown})", f'write it in quotes, e.g. "{name}": "{shown}"'
            )
        if value is None or not value.strip():
            raise QuestionError(f"{where}: missing or empty required field {name!r}", _FIX)
        obj[name] = limits.text(value) if name == "question" else value.encode("utf-8", "replace").decode("utf-8")
    lang = _field(obj, "lang", str, where)
    if lang is not None and lang not in ("en", "zh"):
        raise QuestionError(f'{where}: field \'lang\' must be "en" or "zh", not {lang!r}', _FIX)
    max_chars = _field(obj, "max_chars", int, where)
    return Item(
        id=obj["id"],
        question=obj["question"],
        lang=lang or detect_lang(obj["question"]),
        history=tuple(limits.text(h) for h in _str_list(obj, "history", where)),
        expect_any=_str_list(obj, "expect_any", where),
        expect_all=_str_list(obj, "expect_all", where),
        source=_field(obj, "source", str, where),
        expect_refusal=bool(_field(obj, "expect_refusal", bool, where)),
        max_chars=DEFAULT_MAX_CHARS if max_chars is None else max_chars,
    )


def load_items(path: str | Path) -> list[Item]:
    """Read a question file; errors name the file and line."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise QuestionError(f"question file {path} does not exist", "check the path") from exc
    except OSError as exc:
        raise QuestionError(f"cannot read question file {path}: {exc.strerror}", "check the path and permissions") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise QuestionError(f"{path}:{line}: not UTF-8", "save the file as UTF-8") from exc
    items: list[Item] = []
    seen: dict[str, int] = {}
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        where = f"{path}:{n}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise QuestionError(f"{where}: malformed JSON ({exc.msg} at column {exc.colno})", _FIX) from exc
        except RecursionError as exc:  # e.g. a line of 100,000 "[": json recurses once per level
            raise QuestionError(f"{where}: JSON nested too deeply", "an item is one flat object; " + _FIX) from exc
        item = parse_item(obj, where)
        if item.id in seen:
            raise QuestionError(f"{where}: duplicate id {item.id!r} (first on line {seen[item.id]})", "give every item a unique id")
        seen[item.id] = n
        items.append(item)
    if not items:
        raise QuestionError(f"{path} holds no questions", "add JSON Lines items (blank lines and # comments are skipped)")
    return items


def score(item: Item, answer: "Answer") -> tuple[bool, str]:
    """Whether an answer is right for an item under the contract's rules, and why not."""
    if item.expect_refusal:
        return (True, "") if answer.refused else (False, "answered, expected a refusal")
    if answer.refused:
        return False, "declined an in-scope question"
    shown = answer.shown
    low = shown.lower()
    if item.expect_any and not any(e.lower() in low for e in item.expect_any):
        return False, "missing expect_any"
    missing = [e for e in item.expect_all if e.lower() not in low]
    if missing:
        return False, f"missing expect_all: {', '.join(missing)}"
    if len(shown) > item.max_chars:
        return False, f"too long ({len(shown)} > {item.max_chars} chars)"
    if item.source is not None and not any(item.source in c.quote for c in answer.citations[:3]):
        return False, "source not in the first 3 citations"
    return True, ""


def run_item(assistant: "Assistant", item: Item, mode: str = "full") -> Result:
    """Answer the history turns in order, then the question; score the last answer."""
    history: list[str] = []
    for turn in item.history:
        assistant.ask(turn, history=list(history) or None, mode=mode, suggest=False)  # a history turn's suggestions are never shown
        history.append(turn)
    start = time.perf_counter()
    answer = assistant.ask(item.question, history=list(history) or None, mode=mode)
    ms = (time.perf_counter() - start) * 1000
    right, why = score(item, answer)
    cite1 = cite3 = None
    if item.source is not None:
        cite1 = bool(answer.citations) and item.source in answer.citations[0].quote
        cite3 = any(item.source in c.quote for c in answer.citations[:3])
    return Result(item, answer, right, why, ms, cite1, cite3)


def _pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    s = sorted(values)
    i = max(0, min(len(s) - 1, math.ceil(q * len(s)) - 1))
    return round(s[i], 2)


def _share(flags: list[bool]) -> float | None:
    return round(sum(flags) / len(flags), 4) if flags else None


def report(results: list[Result], mode: str = "full") -> dict:
    """The `evaluate --json` object of the contract (plus false_refusals and mode)."""
    by_lang: dict[str, list[bool]] = {}
    for r in results:
        by_lang.setdefault(r.item.lang, []).append(r.right)
    refusal = [r.answer.refused for r in results if r.item.expect_refusal]
    in_scope = [r.answer.refused for r in results if not r.item.expect_refusal]
    latencies = [r.latency_ms for r in results]
    return {
        "n": len(results),
        "accuracy": _share([r.right for r in results]) or 0.0,
        "by_lang": {k: _share(v) for k, v in sorted(by_lang.items())},
        "refusal_accuracy": _share(refusal),
        "false_refusals": _share(in_scope),
        "citation_at_1": _share([bool(r.cite1) for r in results if r.cite1 is not None]),
        "citation_at_3": _share([bool(r.cite3) for r in results if r.cite3 is not None]),
        "latency_ms": {"p50": _pct(latencies, 0.5), "p95": _pct(latencies, 0.95)},
        "mode": mode,
        "failures": [{"id": r.item.id, "question": r.item.question, "answer": r.answer.shown, "why": r.why} for r in results if not r.right],
    }


def trace_row(assistant: "Assistant", r: Result) -> dict:
    """One --trace line: what the assistant understood, retrieved and said."""
    q = assistant.understand(r.item.question, list(r.item.history) or None)
    hits = assistant.retriever.search(q.text, k=5) if q.text else []
    return {
        "id": r.item.id,
        "question": r.item.question,
        "lang": q.lang,
        "intent": q.intent,
        "entities": {"roles": q.roles, "facet": q.facet, "terms": q.terms, "companies": q.companies, "skills": q.skills},
        "retrieved": [{"passage_id": h.passage.id, "score": round(h.score, 4), "dense": round(h.dense, 4), "bm25": round(h.bm25, 4)} for h in hits],
        "cited": [c.passage_id for c in r.answer.citations],
        "trace": r.answer.trace.to_json() if r.answer.trace is not None else None,
        "answer": r.answer.shown,
        "refused": r.answer.refused,
        "right": r.right,
        "why": r.why,
    }


def evaluate(assistant: "Assistant", items: list[Item], mode: str = "full") -> tuple[dict, list[Result]]:
    """Run every item in one mode; the report and the per-item results (timed after the tokenizers have loaded)."""
    assistant.warm()
    results = [run_item(assistant, item, mode) for item in items]
    return report(results, mode), results


def _fmt(v: float | None) -> str:
    return "-" if v is None else f"{v:.3f}"


def metric_rows(rep: dict) -> list[tuple[str, str]]:
    """The report's headline figures as (name, value) rows."""
    rows = [("items", str(rep["n"])), ("accuracy", _fmt(rep["accuracy"]))]
    rows += [(f"accuracy {k}", _fmt(v)) for k, v in rep["by_lang"].items()]
    rows += [
        ("refusal accuracy", _fmt(rep["refusal_accuracy"])),
        ("false refusals", _fmt(rep["false_refusals"])),
        ("citation@1", _fmt(rep["citation_at_1"])),
        ("citation@3", _fmt(rep["citation_at_3"])),
        ("latency p50 ms", f"{rep['latency_ms']['p50']:.1f}"),
        ("latency p95 ms", f"{rep['latency_ms']['p95']:.1f}"),
    ]
    return rows


def render_table(reports: list[dict]) -> str:
    """A side-by-side table of one or more reports (one column per mode)."""
    names = [r["mode"] for r in reports]
    rows = [metric_rows(r) for r in reports]
    width = max(len(name) for name, _ in rows[0])
    lines = [f"{'':<{width}}  " + "  ".join(f"{n:>8}" for n in names)]
    for i, (name, _) in enumerate(rows[0]):
        lines.append(f"{name:<{width}}  " + "  ".join(f"{r[i][1]:>8}" for r in rows))
    return "\n".join(lines)


def render_failures(rep: dict, limit: int = 400) -> str:
    """The failures of one report, readable."""
    out = [f"\nFailures ({len(rep['failures'])}) in mode {rep['mode']}:"]
    for f in rep["failures"]:
        answer = f["answer"].replace("\n", " | ")
        out.append(f"- {f['id']}: {f['question']}\n    why: {f['why']}\n    answer: {answer[:limit]}")
    return "\n".join(out)
