"""Names written half in English, half in Chinese ("data运营", "用户ops"), put in the articles' own words.

A Latin word that touches Chinese characters is translated (the glossary's English forms first, then the
bilingual dictionary); when a translation joined to the Chinese beside it makes a name the articles use (an
outline entity, a glossary entry), the Latin word is replaced by it. Anything else stays as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

#: A Latin word right before Chinese ("data运营") and Chinese right before a Latin word ("用户ops").
_LATIN_CJK = re.compile(r"(?<![A-Za-z])([A-Za-z]{2,})[ ]?(?=[\u4e00-\u9fff])")
_CJK_LATIN = re.compile(r"(?<=[\u4e00-\u9fff])[ ]?([A-Za-z]{2,})(?![A-Za-z])")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
#: Longest Chinese run joined to a translation when looking for a name.
JOIN_MAX = 6


def unmix(text: str, names: Callable[[str], bool], translate: Callable[[str], Iterable[str]]) -> str:
    """The text with each mixed-language name in Chinese where names() accepts the joined form."""
    if not _CJK_RUN.search(text) or not re.search(r"[A-Za-z]", text):
        return text
    out: list[tuple[int, int, str]] = []
    for m in _LATIN_CJK.finditer(text):
        after = _CJK_RUN.match(text, m.end())
        run = after.group()[:JOIN_MAX] if after else ""
        for zh in translate(m.group(1)):
            if any(names(zh + run[:k]) for k in range(len(run), 0, -1)):
                out.append((m.start(), m.end(), zh))
                break
    for m in _CJK_LATIN.finditer(text):
        before = text[: m.start()]
        run = re.search(r"[\u4e00-\u9fff]+$", before)
        left = run.group()[-JOIN_MAX:] if run else ""
        if any(a < m.end() and m.start() < b for a, b, _ in out):
            continue
        for zh in translate(m.group(1)):
            if any(names(left[-k:] + zh) for k in range(len(left), 0, -1)):
                out.append((m.start(), m.end(), zh))
                break
    for a, b, zh in sorted(out, reverse=True):
        text = text[:a] + zh + text[b:]
    return text


#: Two or three capitalised Latin words in a row: a Chinese name written in pinyin ("Zhang Xiaolong").
_SPELLED = re.compile(r"\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+){1,2}\b")


def spelled_names(text: str, pinyin: Callable[[str], Iterable[str]]) -> str:
    """The text with each name written in pinyin over several words in Chinese, where pinyin(joined) knows it
    ("Zhang Xiaolong" -> 张小龙, when an article names 张小龙)."""
    out = []
    for m in _SPELLED.finditer(text):
        found = list(pinyin(re.sub(r"[ -]", "", m.group()).lower()))
        if len(found) == 1:
            out.append((m.start(), m.end(), found[0]))
    for a, b, zh in sorted(out, reverse=True):
        text = text[:a] + zh + text[b:]
    return text
