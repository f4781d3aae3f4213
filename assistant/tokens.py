"""Tokens for BM25 and coverage checks: jieba words for Chinese, lower-cased stems for English."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from functools import lru_cache

_LATIN = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")

EN_STOP = frozenset(
    """a an the of to in on for and or is are was were be been being do does did doing what which who whom
    how why when where this that these those it its it's i me my we our you your he she they them their
    with as at by from about into over than then so such can could should would will shall may might must
    there here any some all each every no not only own same just very too also tell explain please
    s t don't vs versus between difference differ mean means thing things something kind kinds
    role roles job jobs work works""".split()
)
#: English words of grammar the stop list keeps for other uses (conditions, auxiliaries, links of clauses): the
#: dictionary gives them as senses of Chinese words ("if": 如果, "have": 没有), so they never say what a heading
#: or a field label names.
EN_GRAMMAR = frozenset("if have has had having am but because whether unless though although".split())
#: English verbs whose past forms no stemmer reaches, form -> base ("got" says get): a question's "got" is known
#: wherever "get" is.
EN_IRREGULAR: dict[str, tuple[str, ...]] = {
    form: (base,)
    for base, forms in {
        "get": "got gotten",
        "say": "said",
        "go": "went gone",
        "make": "made",
        "take": "took taken",
        "give": "gave given",
        "come": "came",
        "feel": "felt",
        "think": "thought",
        "know": "knew known",
        "leave": "left",
        "keep": "kept",
        "find": "found",
        "become": "became",
        "begin": "began begun",
        "bring": "brought",
        "buy": "bought",
        "send": "sent",
        "spend": "spent",
        "meet": "met",
        "pay": "paid",
        "run": "ran",
        "write": "wrote written",
        "choose": "chose chosen",
        "teach": "taught",
        "hold": "held",
        "lose": "lost",
        "hear": "heard",
        "build": "built",
        "lead": "led",
        "see": "saw seen",
        "win": "won",
        "sell": "sold",
        "stand": "stood",
        "understand": "understood",
        "grow": "grew grown",
        "draw": "drew drawn",
        "fall": "fell fallen",
        "speak": "spoke spoken",
        "tell": "told",
        "hide": "hid hidden",
        "quit": "quit",
        "rise": "rose risen",
        "drive": "drove driven",
        "eat": "ate eaten",
        "forget": "forgot forgotten",
    }.items()
    for form in forms.split()
}
#: jieba tags of Chinese words that say how, when or how much, not what about: pronouns (为啥, 每天), time words
#: (现在), conjunctions (要是), adverbs (长期), numerals (第一个), prepositions, directions, particles, classifiers.
FUNCTION_TAGS = frozenset("r t c d m p f y q k u uj ul uz ud ug uv e o".split())

ZH_STOP = frozenset(
    """的 了 是 吗 呢 吧 啊 和 与 及 或 在 有 都 也 就 还 又 我 你 他 她 它 我们 你们 他们 什么 怎么 怎样 如何 哪些 哪个
    为什么 一个 这个 那个 这些 那些 请问 一下 可以 能 会 要 想 对 把 被 让 给 从 到 为 以 而 并 但 等 个 之 其 中 上 下 么 些
    ， 。 ？ ！ 、 ： ； （ ） “ ” ‘ ’ 《 》""".split()
)


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    """English stems (Snowball), so 'managing' meets 'manage' and 'metrics' meets 'metric'."""
    return str(_stemmer().stemWord(word))


@lru_cache(maxsize=1)
def _jieba():  # type: ignore[no-untyped-def]
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def warm_up() -> None:
    """Load jieba's dictionary and part-of-speech tagger now rather than on the first question (about 1 s)."""
    tokenize("运营岗位")
    tag("客服运营")


@lru_cache(maxsize=4096)
def tag(text: str) -> tuple[tuple[str, str], ...]:
    """(word, part of speech) as jieba cuts and tags them, punctuation and English included (remembered: a
    question is tagged by routing and answerability, and headings by the outline on every question)."""
    _jieba()  # quiet logging first
    import jieba.posseg

    return tuple((w.word, w.flag) for w in jieba.posseg.cut(text))


@lru_cache(maxsize=1024)
def word_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Where jieba's words start and end in text."""
    return tuple((a, b) for _, a, b in _jieba().tokenize(text))


def straddles(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] begins inside one word and ends inside another ("营收" in 产品运营|收集): a
    string of characters that is no word of the sentence."""
    inside_start = inside_end = None
    for i, (a, b) in enumerate(word_spans(text)):
        if a < start < b:
            inside_start = i
        if a < end < b:
            inside_end = i
    return inside_start is not None and inside_end is not None and inside_start != inside_end


#: jieba's tags of an adverb, and of the adjectives a degree adverb modifies.
_ADVERB, _ADJECTIVE = frozenset({"d"}), frozenset({"a", "ad", "an"})


def degree(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is a word the tagger reads as an adverb right before an adjective: a word of
    degree there ("比较难": rather hard), whatever it says elsewhere ("比较一下": compare)."""
    at = 0
    words = tag(text)
    for i, (w, f) in enumerate(words):
        if at == start and at + len(w) == end:
            return f in _ADVERB and i + 1 < len(words) and words[i + 1][1] in _ADJECTIVE
        at += len(w)
    return False


def with_stems(words: Iterable[str]) -> frozenset[str]:
    """Words and the stems of the English ones: a word list that tokens (stemmed: "really" -> "realli") meet. Not
    of an adverb in -ly, whose stem is its adjective's ("basically" -> "basic", as in "basic skills")."""
    words = frozenset(words)
    return words | {_stem(w) for w in words if w.isascii() and not w.endswith("ly")}


def tokenize(text: str, keep_stop: bool = False) -> list[str]:
    """Split mixed Chinese/English text into BM25 tokens, and a token for each thing named by a letter
    (lettered())."""
    out: list[str] = []
    lowered = text.lower()
    for word in _LATIN.findall(lowered):
        if keep_stop or word not in EN_STOP:
            out.append(_stem(word))
    for run in _CJK_RUN.findall(lowered):
        for tok in _jieba().cut(run):
            tok = tok.strip()
            if tok and (keep_stop or tok not in ZH_STOP):
                out.append(tok)
    return out + lettered(text)


#: A capital letter alone beside a Chinese noun: how articles name what they keep anonymous ("A企业", "企业B").
_LETTER_FIRST = re.compile(r"(?<![A-Za-z0-9])([A-Z]) ?([\u4e00-\u9fff]+)")
_LETTER_AFTER = re.compile(r"([\u4e00-\u9fff]+) ?([A-Z])(?![A-Za-z0-9])")


def lettered(text: str) -> list[str]:
    """One token per thing a text names by a capital letter beside a Chinese noun, the same either way round
    ("A企业" and "企业A" are both "企业a"): the letter alone is a stop word and tells company A from company B
    nowhere else."""
    if not re.search(r"[A-Z]", text):
        return []
    out = []
    for m in _LETTER_FIRST.finditer(text):
        words = [w for w in _jieba().cut(m.group(2)) if w.strip()]
        if words and len(words[0]) >= 2 and words[0] not in ZH_STOP:
            out.append(words[0] + m.group(1).lower())
    for m in _LETTER_AFTER.finditer(text):
        words = [w for w in _jieba().cut(m.group(1)) if w.strip()]
        if words and len(words[-1]) >= 2 and words[-1] not in ZH_STOP:
            out.append(words[-1] + m.group(2).lower())
    return out
