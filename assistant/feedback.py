"""Likes and dislikes from the chat, kept locally as JSON Lines, and their export as a question file.

Each record holds what is needed to replay the turn: the question, the earlier
questions of the chat, the answer and its citations. `export` turns the log into
a question file in the eval format (../shared/eval-format.md), so real use feeds
the test sets: a liked answer becomes an item that checks its first source (or
its decline); a disliked decline becomes an item that must be answered; a
disliked answer cannot say what the right answer is, so it is written as a
commented line for a person to complete.
"""

from __future__ import annotations

import json
import os
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .config import ROOT
from .errors import QuestionError

#: Where the chat writes feedback unless ASSISTANT_FEEDBACK says otherwise.
DEFAULT_PATH = ROOT / "feedback" / "feedback.jsonl"
#: How much of a liked answer's first quote the exported item requires verbatim.
SOURCE_CHARS = 40
_LOCK = threading.Lock()


def default_path() -> Path:
    """The feedback log: env ASSISTANT_FEEDBACK, else feedback/feedback.jsonl in the project."""
    return Path(os.environ.get("ASSISTANT_FEEDBACK") or DEFAULT_PATH)


@dataclass(frozen=True)
class Feedback:
    """One like or dislike of one answer, with what is needed to replay and judge it."""

    value: str  # "like" | "dislike"
    question: str
    history: list[str]
    answer: str
    refused: bool
    lang: str
    citations: list[dict] = field(default_factory=list)  # n, passage_id, heading, quote
    time: float = 0.0


def record(fb: Feedback, path: Path | None = None) -> Path:
    """Append one feedback record to the log (created with its folder when missing)."""
    path = path or default_path()
    if fb.value not in ("like", "dislike"):
        raise ValueError(f"feedback value must be like or dislike, not {fb.value!r}")
    row = asdict(fb) | {"time": fb.time or time.time()}
    with _LOCK:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def read(path: Path) -> list[Feedback]:
    """Every record of a feedback log, or QuestionError naming the bad line."""
    if not path.is_file():
        raise QuestionError(f"no feedback log at {path}", "like or dislike some answers in the chat first, or pass the log's path")
    out = []
    for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            out.append(Feedback(**{k: row[k] for k in Feedback.__dataclass_fields__ if k in row}))
        except (ValueError, TypeError) as exc:
            raise QuestionError(f"{path}:{no}: not a feedback record ({exc})", "remove or fix that line") from exc
    return out


def to_item(fb: Feedback, item_id: str) -> tuple[dict, bool]:
    """An eval item for one record, and whether it is ready to run (False: a commented draft)."""
    item: dict = {"id": item_id, "question": fb.question, "lang": fb.lang}
    if fb.history:
        item["history"] = list(fb.history)
    if fb.value == "like":
        if fb.refused:
            return item | {"expect_refusal": True}, True
        if fb.citations and fb.citations[0].get("quote"):
            item["source"] = str(fb.citations[0]["quote"])[:SOURCE_CHARS]
        return item, True
    if fb.refused:  # a disliked decline: the asker expected an answer
        return item | {"note": "disliked decline: the corpus should answer this"}, True
    return item | {"expect_any": [], "note": "disliked answer: fill in expect_any or source, then uncomment", "answer_was": fb.answer}, False


def export(records: list[Feedback]) -> str:
    """The question file (eval format) for feedback records: one item per distinct question and history."""
    lines = ["# Questions from chat feedback (python -m assistant feedback). Commented lines need a person to say the right answer."]
    order: list[tuple] = []
    latest: dict[tuple, Feedback] = {}
    for fb in records:  # the latest judgement of a turn wins
        key = (fb.question, tuple(fb.history))
        if key not in latest:
            order.append(key)
        latest[key] = fb
    for i, key in enumerate(order):
        item, ready = to_item(latest[key], f"fb{i + 1:03d}")
        text = json.dumps(item, ensure_ascii=False)
        lines.append(text if ready else "# " + text)
    return "\n".join(lines) + "\n"
