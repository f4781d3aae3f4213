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


#: A plain number and the word right after it ("10 day", "10天"): what it counts.
_PLAIN_UNIT = re.compile(r"(?<![\d.,/%])(\d{2,})(?![\d.,/%万])\s*([\u4e00-\u9fff]|[A-Za-z]+)?")


def written_with_unit(number: str, question: str, article: str, senses: Callable[[str], tuple[str, ...]]) -> bool:
    """Whether an article writes a number the question quotes, as the question writes it: a number with a sign
    or a unit of its own ("500%", "10万", "10分钟") as it stands; a plain one as a whole number ("10" is not in
    "100000" or "10万") followed by what the question counts with it, if anything: "a 10 day trip" is not the
    article's "10分钟". senses(word) gives the article's words for an English word (the dictionary's bridge)."""
    if not number.isdigit():
        return number in article
    after = [article[m.end() : m.end() + 6].lstrip() for m in re.finditer(rf"(?<![\d.,]){number}(?![\d.,%万])", article)]
    units = [m.group(2) for m in _PLAIN_UNIT.finditer(question) if m.group(1) == number]
    if not after:
        return False
    if not units or any(u is None for u in units):
        return True  # the number alone ("the 618 thing" is counted by the next word only when it has one)
    for unit in units:
        if re.match(r"[\u4e00-\u9fff]", unit):
            if any(f.startswith(unit) for f in after):
                return True
            continue
        stems = tokenize(unit)
        if not stems or any(f.lower().startswith(unit.lower()) or any(f.startswith(z) for z in senses(stems[0])) for f in after):
            return True  # a stop word after it counts nothing ("the 618 one")
    return False
