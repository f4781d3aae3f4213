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
#: Times of day: "15:00", "9:15pm", "3 pm", "下午3点", "晚上九点一刻".
_CLOCK = re.compile(r"(?<![\d.])(\d{1,2})\s*[:：]\s*(\d{2})(?!\d)\s*(am|pm|a\.m\.|p\.m\.)?|(?<![\d.])(\d{1,2})\s*(am|pm|a\.m\.|p\.m\.)(?![a-z])", re.I)
_ZH_CLOCK = re.compile(
    r"(早上|早晨|上午|中午|下午|傍晚|晚上|夜里|凌晨)?\s*(\d{1,2}|[一二两三四五六七八九十]{1,3})\s*点(?!钟?[前后左]?[多]?[个项条])\s*(半|一刻|三刻|(\d{1,2})\s*分?)?"
)
_ZH_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


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


def _zh_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text.startswith("十"):
        return 10 + _ZH_DIGITS.get(text[1:], 0)
    if "十" in text:
        head, _, tail = text.partition("十")
        return _ZH_DIGITS.get(head, 0) * 10 + _ZH_DIGITS.get(tail, 0)
    return _ZH_DIGITS.get(text, 0)


def clock_times(text: str) -> frozenset[str]:
    """The times of day a text names, as "HH:MM" on a 24-hour clock: "15:00", "3pm" and "下午3点" are all 15:00.
    A Chinese hour of 1-12 needs a part of the day, minutes or 钟 ("3点建议" counts points; "一点都不" is "not at
    all"); without a part of the day ("3点半") it may be either half of the day. A score or ratio ("比分21:19") or a
    duration ("1:30:45") is no time."""
    out: set[str] = set()
    for m in _CLOCK.finditer(text):
        hour, minute, half = (int(m.group(1)), int(m.group(2)), m.group(3)) if m.group(1) else (int(m.group(4)), 0, m.group(5))
        if m.group(1) and (re.search(r"比分?|比例|比率", text[max(0, m.start() - 3) : m.start()]) or re.match(r"\s*[:：]\s*\d", text[m.end() :])):
            continue
        if half:
            hour = hour % 12 + (12 if half[0].lower() == "p" else 0)  # 12am is midnight, 12pm noon
        if hour < 24 and minute < 60:
            out.add(f"{hour:02d}:{minute:02d}")
    for m in _ZH_CLOCK.finditer(text):
        hour = _zh_number(m.group(2))
        minute = {"半": 30, "一刻": 15, "三刻": 45}.get(m.group(3) or "", int(m.group(4)) if m.group(4) else 0)
        if not 0 < hour < 24 or minute >= 60 or re.match(r"[都也儿]", text[m.end() : m.end() + 1]):
            continue
        part = m.group(1) or ""
        if not part and not m.group(3) and not re.match(r"钟|[:：,，;；。\s]|$", text[m.end() :]):
            continue  # "3点建议" counts points, not hours; "3点钟", "16点：开会" tell the hour
        if hour > 12:
            hours = [hour]  # "16点" is on a 24-hour clock already
        elif part in ("下午", "傍晚"):
            hours = [hour + 12 if hour < 12 else hour]
        elif part in ("晚上", "夜里"):
            hours = [hour % 12 if hour == 12 or hour < 6 else hour + 12]  # 晚上1点 is after midnight
        elif part == "中午":
            hours = [hour + 12 if hour < 6 else hour]  # 中午1点 is 13:00
        elif part:
            hours = [0 if hour == 12 and part == "凌晨" else hour]
        else:
            hours = [hour] if hour == 12 else [hour, hour + 12]
        out.update(f"{h % 24:02d}:{minute:02d}" for h in hours)
    return frozenset(out)
