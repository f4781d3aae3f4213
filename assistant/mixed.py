"""Names written half in English, half in Chinese ("data运营", "用户ops"), put in the articles' own words.

A Latin word that touches Chinese characters is translated (the glossary's English forms first, then the
bilingual dictionary); when a translation joined to the Chinese beside it makes a name the articles use (an
outline entity, a glossary entry), the Latin word is replaced by it. Anything else stays as written.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable
from typing import TypeVar

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


#: A Latin word: two or three in a row may spell a Chinese name in pinyin ("Zhang Xiaolong", "yonghu yunying").
_LATIN_WORD = re.compile(r"[A-Za-z]+")
#: Words a name spelled in pinyin may run over.
SPELLED_WORDS = (3, 2)


T = TypeVar("T")


def spelled_runs(
    text: str, words: list[re.Match[str]], sizes: Iterable[int], spell: Callable[[list[str]], T | None], joins: tuple[str, ...] = (" ", "-")
) -> list[tuple[int, int, list[str], T]]:
    """Runs of words side by side (one of joins between them), the longest first at each word, that spell
    something (spell(words) not None): (start, end, the words, what they spell); a run's words spell nothing more."""
    out = []
    i = 0
    while i < len(words):
        for n in sizes:
            run = words[i : i + n]
            if len(run) < n or any(text[a.end() : b.start()] not in joins for a, b in itertools.pairwise(run)):
                continue
            said = [w.group() for w in run]
            found = spell(said)
            if found is not None:
                out.append((run[0].start(), run[-1].end(), said, found))
                i += n - 1
                break
        i += 1
    return out


def spelled_names(text: str, pinyin: Callable[[str], Iterable[str]]) -> str:
    """The text with each name written in pinyin over several words in Chinese, where pinyin(joined) knows it
    ("Zhang Xiaolong" -> 张小龙, "yonghu yunying" -> 用户运营, when an article names them). Only words separated by
    one space or hyphen run together; the longest run that spells exactly one name wins."""

    def one(said: list[str]) -> str | None:
        found = list(pinyin("".join(said).lower()))
        return found[0] if len(found) == 1 else None

    for a, b, _, zh in sorted(spelled_runs(text, list(_LATIN_WORD.finditer(text)), SPELLED_WORDS, one), reverse=True):
        text = text[:a] + zh + text[b:]
    return text


#: A form with a word of asking is a phrase ("想要什么"), no name.
_ASKING_WORD = re.compile(r"什么|怎么|哪|吗|呢|啥|谁")
#: Shortest and longest name put back when one of its characters was typed as another of the same sound.
HOMOPHONE_MIN, HOMOPHONE_MAX = 4, 8


class Homophones:
    """Names typed with one character slipped to another of the same sound, as a pinyin keyboard offers it
    ("数剧运营" for 数据运营), put back. A slip that makes a word of its own ("产品经历", product experience) or that
    could be two names is left as written. The sound table loads on first use."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = frozenset(n for n in names if HOMOPHONE_MIN <= len(n) <= HOMOPHONE_MAX and _CJK_RUN.fullmatch(n) and not _ASKING_WORD.search(n))
        self.lengths = sorted({len(n) for n in self.names})
        self._table: tuple[dict[str, str], dict[str, frozenset[str]]] | None = None

    def _sounds(self) -> tuple[dict[str, str], dict[str, frozenset[str]]]:
        if self._table is None:
            from .dictionary import readings

            reading = readings()[1]
            alike: dict[str, set[str]] = {}
            for ch in {c for n in self.names for c in n}:
                if reading.get(ch):
                    alike.setdefault(reading[ch], set()).add(ch)
            self._table = reading, {k: frozenset(v) for k, v in alike.items()}
        return self._table

    def repair(self, text: str) -> str:
        """The text with each slipped name put back."""
        if not self.names or not _CJK_RUN.search(text):
            return text
        out: list[tuple[int, int, str]] = []
        for run in _CJK_RUN.finditer(text):
            s = run.group()
            for size in reversed(self.lengths):
                for j in range(len(s) - size + 1):
                    a = run.start() + j
                    if any(x < a + size and a < y for x, y, _ in out):
                        continue
                    found = self._near(s, j, size)
                    if len(found) == 1:
                        out.append((a, a + size, found.pop()))
        for a, b, name in sorted(out, reverse=True):
            text = text[:a] + name + text[b:]
        return text

    def _near(self, run: str, j: int, size: int) -> set[str]:
        """The names one homophone away from run[j : j + size]."""
        window = run[j : j + size]
        if window in self.names:
            return set()
        reading, alike = self._sounds()
        found: set[str] = set()
        for i, ch in enumerate(window):
            for other in alike.get(reading.get(ch, ""), frozenset()) - {ch}:
                name = window[:i] + other + window[i + 1 :]
                if name in self.names and not _a_word(run, j + i):
                    found.add(name)
        return found


def _a_word(run: str, i: int) -> bool:
    """Whether the character at i makes a dictionary word with a neighbour, inside the name or beside it ("倾向"
    before "向要…"): then it is no slip."""
    from .dictionary import cedict

    words = cedict()
    return any(len(w) == 2 and w in words for w in (run[max(0, i - 1) : i + 1], run[i : i + 2]))
