"""Numbers a question quotes, written the way the articles write them ("500%", "1/3", "10万", "10分钟").

A quiz-like question ("what went up 500%?", "what was cut to a third?") names nothing from the glossary;
the number it quotes is what finds the passage.
"""

from __future__ import annotations

import re

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
