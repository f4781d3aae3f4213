"""Phrases a question names that no glossary entry explains: kinds of roles ("SEO specialist", "客服运营") and
acronyms ("DAU"). The evidence stage then checks them against the corpus and declines by name.
"""

from __future__ import annotations

import re

from .lexicon import Match
from .sentences import inside
from .tokens import EN_STOP, tag

#: A role-shaped phrase: "<word> specialist", "<word> ops", "X运营". When its word is not a glossary
#: role or term, the question may ask about a role the articles never describe (checked against the corpus).
_EN_ROLE_SHAPE = re.compile(
    r"\b([a-z][a-z0-9\-]*) (specialists?|managers?|analysts?|coordinators?|marketers?|strategists?|executives?|officers?|"
    r"operations|ops|operators?|designers?|engineers?|developers?|consultants?|hackers?|leaders?|anchors?|streamers?|hosts?)\b"
)

#: The asker's own job: "I'm a …", "as a …", "I work as an …".
_AS_SELF = re.compile(r"\b(i'?m|i am|i was|as|been)\s+an?\s+$")

#: The verb's place in a question ("what does the article <say> ops …", "how do they <call> …"): the word after
#: an auxiliary and its subject (a pronoun, or the text and its writer) is a verb, not a kind of role.
_VERB_SLOT = re.compile(
    r"\b(do|does|did|can|could|would|will|should)\s+((the|this|that)\s+((last|final|first|opening|closing)\s+)?(article|author|piece|post|text|writer|blog|guide|essay|writeup|line|paragraph|sentence|section|ending|conclusion)|it|they|you|he|she|we|i)\s+$"
)

#: A subject that a verb in -s follows ("which example shows ops …", "it helps ops …"): that word is the verb.
_SUBJECT_SLOT = re.compile(r"\b(which|that|it|this|example|case|article|story|author|post|chart|one)\s+$")

#: A relative pronoun before the word ("blogs that say ops roles overlap", "people who run ops"): the word is
#: the clause's verb.
_RELATIVE_SLOT = re.compile(r"\b(that|who)\s+$")

#: Words that may stand before a role word without naming another role.
EN_ROLE_MODIFIERS = frozenset(
    """a an the my your our their his her its this that these those any every each which what whose ops operations
    senior junior lead head good great new typical average entry entry-level level hiring general chief assistant associate
    former future aspiring successful experienced internet tech online team and or of for to as be is are was an
    two three four five six both other such become becoming different same common core main various several many most
    things saying doing into about where type kind sort style extra additional more another""".split()
)

ZH_ROLE_MODIFIERS = frozenset(
    """互联网 公司 核心 不同 各个 各种 这些 那些 哪些 什么 哪种 哪个 哪类 一个 新人 新手 小白 想做 转行 从事 入行 还是 或者
    以及 其他 其它 所有 一般 普通 初级 高级 资深 大厂 小厂 传统 国内 相关 应届 实习 全职 兼职 主要 常见 六大 几个 做好 成为
    优秀 专职 负责 我们 你们 他们 岗位 一名 一位 当个 这个 那个 每个 几种 这种 那种 哪一个
    对应 属于 归属 对于 关于 涉及 包括 面向 针对 支持 配合 协助 帮助 影响 需要 参与 算是""".split()
)

#: Chinese job-title words that, after a noun, name a kind of role ("投资经理", "SEO专员"); "运营" is matched
#: through the glossary.
_ZH_TITLE = re.compile(r"专员|经理|主管|总监|专家|工程师|设计师|分析师|顾问|策划师|人员|主播|团长|岗(?!位不同)")

#: jieba part-of-speech tags of words that can name a kind of operations ("客服" n, "直播" vn).
NOUN_TAGS = frozenset("n nr ns nt nz nw ng vn eng".split())

#: Acronyms that name the asker's context, not a topic ("I'm in HR").
KNOWN_ACRONYMS = frozenset("I HR PM PMS OK AI IT US USA UK CEO CTO COO APP APPS FAQ ID PS RMB CNY USD JD UI UX VS".split())

_ACRONYM = re.compile(r"(?<![A-Za-z0-9])[A-Z][A-Z0-9]{1,5}(?![A-Za-z0-9])")


def unknown_phrases(
    text: str, found: list[Match], spans: list[tuple[int, int]], skip: frozenset[str] = frozenset(), named: list[tuple[int, int]] | None = None
) -> tuple[str, ...]:
    """Role-shaped phrases in the asking part that no glossary entry (other than a skill) explains; named spans
    are roles the glossary recognised by their distinctive word ("a content operator")."""
    known = [(m.start, m.end) for m in found if m.kind not in ("skills", "oos")] + list(named or [])

    def covered(a: int, b: int) -> bool:
        return any(s < b and a < e for s, e in known)

    out: list[str] = []
    lowered = text.lower()
    for m in _EN_ROLE_SHAPE.finditer(lowered):
        word = m.group(1)
        acronym = len(word) == 2 and text[m.start(1) : m.end(1)].isupper() and word.upper() != "PM"  # "UX designer"
        if (
            len(word) < 3
            and not acronym
            or word in EN_ROLE_MODIFIERS
            or word in EN_STOP
            or word.isdigit()
            or covered(m.start(1), m.end(1))
            or not inside(m.start(), spans)
        ):
            continue
        if covered(m.start(), m.end()) and not any(f.start == m.start(2) for f in found):
            continue  # the whole phrase is a glossary role ("community manager")
        if _AS_SELF.search(lowered[: m.start()]):
            continue  # what the asker is or was ("I've spent years as a sales manager"), not what they ask about
        if (
            _VERB_SLOT.search(lowered[: m.start()])
            or (word.endswith("s") and _SUBJECT_SLOT.search(lowered[: m.start()]))
            or _RELATIVE_SLOT.search(lowered[: m.start()])
        ):
            continue  # a verb before the role word, not a kind of role
        out.append(text[m.start() : m.end()])
    roles = [(m.start, m.end) for m in found if m.kind == "roles"] + list(named or [])
    heads = [(m.start, m.end, True) for m in found if m.kind == "roles" and m.form == "运营"]
    heads += [(m.start(), m.end(), False) for m in _ZH_TITLE.finditer(text)]
    for a, b, ops in sorted(heads):
        if not inside(a, spans):
            continue
        before = [t for t in tag(text[max(0, a - 8) : a]) if t[0].strip()]
        word, pos = before[-1] if before else ("", "")
        start = a - len(word)
        cjk = bool(re.fullmatch(r"[\u4e00-\u9fff]{2,}", word)) and word[0] not in "一哪这那每各某该"  # 一类 / 哪种: which one, not what kind
        acronym = bool(re.fullmatch(r"[A-Za-z]{2,}", word)) and pos == "eng"  # "SEO专员"
        if (
            (cjk and pos in NOUN_TAGS or acronym)  # 客服运营, 投资经理; not 以后运营 (产品上线以后运营…)
            and word not in ZH_ROLE_MODIFIERS
            and word not in skip
            # "用户运营" is a glossary role; "电商主播" is not, though 电商 is a glossary term.
            and not (covered(start, a) if ops else any(x < b and start < y for x, y in roles))
        ):
            out.append(text[start:a] + text[a : a + _head_len(text, a)])
    return _unique(out)


def unknown_acronyms(text: str, found: list[Match], spans: list[tuple[int, int]]) -> tuple[tuple[str, bool], ...]:
    """Acronyms in the asking part that no glossary entry explains ("GMV", "DAU"), each with whether it is
    what the question asks about: it stands right beside a facet ("GMV目标", "DAU target")."""
    known = [(m.start, m.end) for m in found]
    facets = [(m.start, m.end) for m in found if m.kind == "facets"]
    out = []
    for m in _ACRONYM.finditer(text):
        if m.group() in KNOWN_ACRONYMS or not inside(m.start(), spans) or any(s < m.end() and m.start() < e for s, e in known):
            continue
        beside = any(0 <= s - m.end() <= 1 or 0 <= m.start() - e <= 1 for s, e in facets)
        out.append((m.group(), beside))
    return tuple(dict.fromkeys(out))


def _head_len(text: str, a: int) -> int:
    """Length of the role head word at a: a job title, else the glossary's "运营"."""
    m = _ZH_TITLE.match(text, a)
    return m.end() - a if m else len("运营")


def _unique(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))
