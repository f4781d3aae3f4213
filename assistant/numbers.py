"""Numbers a question quotes, written the way the articles write them ("500%", "1/3", "10万", "10分钟").

A quiz-like question ("what went up 500%?", "what was cut to a third?") names nothing from the glossary;
the number it quotes is what finds the passage.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .tokens import tokenize

_WORD_FRACTIONS = ((re.compile(r"\b(one|a) third\b|三分之一", re.I), "1/3"), (re.compile(r"\b(one|a) half\b|一半|二分之一", re.I), "1/2"))
_FRACTION = re.compile(r"(?<![\d/])(\d{1,3})\s*/\s*(\d{1,3})(?![\d/])")
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*(?:%|％|percent\b|per cent\b)", re.I)
_WAN = re.compile(r"(\d+)\s*万")
_THOUSANDS = re.compile(r"\b(\d+)\s*k\b|\b(\d{1,3}(?:,\d{3})+)\b", re.I)
_MINUTES = re.compile(r"(\d+)\s*(?:minutes?\b|mins?\b|分钟)", re.I)
_PLAIN = re.compile(r"(?<![\d.,/%])(\d{2,})(?![\d.,/%万])")


def _wan_or_plain(n: int) -> str:
    """10万 for 100,000; the digits otherwise (the articles write 5000, not 5,000)."""
    return f"{n // 10000}万" if n >= 10000 and n % 10000 == 0 else str(n)


def quoted_numbers(text: str) -> tuple[str, ...]:
    """The numbers in text, normalised to the articles' way of writing them; plain numbers of two digits or more."""
    out: list[str] = []
    rest = text
    for pattern, form in _WORD_FRACTIONS:
        if pattern.search(rest):
            out.append(form)
            rest = pattern.sub(" ", rest)
    for kind, pattern in (("fraction", _FRACTION), ("percent", _PERCENT), ("wan", _WAN), ("thousands", _THOUSANDS), ("minutes", _MINUTES)):
        for m in pattern.finditer(rest):
            if kind == "fraction":
                out.append(f"{m.group(1)}/{m.group(2)}")
            elif kind == "percent":
                out.append(f"{m.group(1)}%")
            elif kind == "wan":
                out.append(f"{m.group(1)}万")
            elif kind == "thousands":
                n = int(m.group(1)) * 1000 if m.group(1) else int(m.group(2).replace(",", ""))
                out.append(_wan_or_plain(n))
            else:
                out.append(f"{m.group(1)}分钟")
        rest = pattern.sub(" ", rest)
    out += [_wan_or_plain(int(m.group(1))) for m in _PLAIN.finditer(rest)]
    return tuple(dict.fromkeys(out))


def written_with_unit(number: str, question: str, article: str, senses: Callable[[str], tuple[str, ...]]) -> bool:
    """Whether an article writes a number the question quotes, as the question writes it: a number with a sign
    or a unit of its own ("500%", "10万", "10分钟") as it stands; a plain one as a whole number ("10" is not in
    "100000", "10.5" or "10万"), followed by the unit the question gives it, if it gives one (cues "unit"): "a
    10 week course" is not the article's "10分钟", while "618期间" is its "618大促". senses(stem) gives the
    article's words for an English word (the dictionary's bridge)."""
    if not number.isdigit():
        return number in article
    found = [m.end() for m in re.finditer(rf"(?<!\d)(?<!\d[.,]){number}(?!\d|[.,]\d|%|万)", article)]
    if not found:
        return False
    after = [article[end : end + 6].lstrip() for end in found]
    units = [unit for m in _PLAIN.finditer(question) if m.group(1) == number and (unit := _unit_after(question[m.end() :]))]
    if not units:
        return True  # the number alone, or beside a word that counts nothing ("618期间", "the 618 thing")
    for unit in units:
        forms = (unit,) if re.match(r"[\u4e00-\u9fff]", unit) else tuple(w for stem in tokenize(unit)[:1] for w in senses(stem))
        if any(f.startswith(form) for form in forms for f in after):
            return True
    return False


def _unit_after(rest: str) -> str:
    """The unit a number is written with, at the start of the text after it ("天", "weeks"), or ""."""
    from .cuewords import cues

    cue = cues()["unit"]
    rest = rest.lstrip()
    found = [m.group() for pattern in (cue.zh, cue.en) if pattern is not None and (m := pattern.match(rest))]
    return found[0] if found else ""
