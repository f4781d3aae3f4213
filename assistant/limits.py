"""Input limits at the door: text that reaches the pipeline is valid Unicode, bounded, and free of invisible characters.

Everything a user or a caller of the API sends passes through here before any
work is done on it, so the cost of a question does not grow with what was sent
(a 100,000-turn history costs what 20 turns cost) and text that Python can hold
but no encoder can (lone surrogates, e.g. from invalid UTF-8 on the command
line) never reaches the tokenizers.
"""

from __future__ import annotations

import re
from typing import Any

from .config import MAX_QUESTION_CHARS

#: Text kept per question or turn before normalisation; the understanding step truncates to
#: MAX_QUESTION_CHARS with a notice, so this only bounds the work done before that.
MAX_INPUT_CHARS = 4 * MAX_QUESTION_CHARS
#: Earlier user turns read per question (the most recent ones); follow-ups look back a few turns only.
MAX_HISTORY_TURNS = 20
#: History entries looked at, newest first, while collecting those turns (assistant turns included).
MAX_HISTORY_ITEMS = 200
#: Parts of one Gradio content list that are read.
MAX_CONTENT_PARTS = 8

# Zero-width and other invisible format characters (Unicode Cf): inside a word they hide it from matching
# ("流量\u200b运营" is 流量运营), so they are removed, not replaced by a space.
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def text(value: Any) -> str:
    """A bounded, encodable string: lone surrogates and invisible characters removed; None -> ""."""
    if value is None:
        return ""
    s = value if isinstance(value, str) else str(value)
    s = s[:MAX_INPUT_CHARS]
    if _SURROGATE.search(s):
        # A valid pair (e.g. from a UTF-16 source) becomes its character; a lone half is dropped.
        s = s.encode("utf-16", "surrogatepass").decode("utf-16", "replace").replace("\ufffd", "")
    return _INVISIBLE.sub("", s)


def _turn_text(turn: Any) -> str | None:
    """The text of one user turn (a string or a Gradio message dict), None for other turns or shapes."""
    if isinstance(turn, str):
        return turn
    if not isinstance(turn, dict) or turn.get("role", "user") != "user":
        return None
    content = turn.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = [c.get("text") for c in content[:MAX_CONTENT_PARTS] if isinstance(c, dict)]
        return " ".join(p[:MAX_INPUT_CHARS] for p in parts if isinstance(p, str))
    return None


def history(value: Any) -> list[str]:
    """The last MAX_HISTORY_TURNS user turns, oldest first, each cleaned by text(); any shape is tolerated.

    A single string or message dict is read as one earlier turn (not silently dropped); None, numbers and
    other shapes give no turns.
    """
    if isinstance(value, (str, dict)):
        value = [value]
    if not isinstance(value, (list, tuple)):
        return []
    out: list[str] = []
    for turn in reversed(value[-MAX_HISTORY_ITEMS:]):
        t = _turn_text(turn)
        if t is not None:
            t = text(t)
            if t.strip():
                out.append(t)
                if len(out) == MAX_HISTORY_TURNS:
                    break
    out.reverse()
    return out
