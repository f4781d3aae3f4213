"""Question understanding: a question plus its history becomes a structured Query.

The domain words (roles, facets, terms, companies, skills) come from the
glossary data; this module holds only the language of asking: cues for
comparing, listing, asking for a fit, greeting and following up.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace

from .config import MAX_QUESTION_CHARS
from .corpus import detect_lang
from .lexicon import Lexicon
from .tokens import tokenize

FACET_PRIORITY = ("case", "metrics", "goal", "work", "overview")

_GREETING = re.compile(
    r"^\s*(hi|hello|hey|hiya|yo|thanks|thank you|thx|good (morning|afternoon|evening)|bye|goodbye|"
    r"你好|您好|嗨|哈喽|谢谢|多谢|早上好|晚上好|在吗|再见)[\s!！.。,，~？?]*(there|呀|啊|哦)?[\s!！.。~？?]*$",
    re.I,
)
_COMPARE = re.compile(
    r"\b(vs\.?|versus|differen\w*|differ|compar\w*|distinguish\w*|contrast|same as|in common)\b|区别|不同|差异|对比|比较|相比|差别|异同|不一样|一样吗", re.I
)
_LIST = re.compile(
    r"\b(list|all|which|what|types|kinds|six|main|different|categories|name|how many)\b.*\b(roles|jobs|positions|functions|specialties|specializations|kinds of (ops|operations)|types of (ops|operations))\b|(哪些|哪几|六大|几种|几类|分类|种类|都有|有什么|几个|常见).*(岗位|职位|角色|运营)|(岗位|职位|角色)\S*(哪些|哪几|几种|几类|有什么)",
    re.I,
)
#: Asking for a fit: "which role suits me", "what should I go for", "适合哪个岗位".
_FIT = re.compile(
    r"\b(suit|suits|suited|suitable|fit|fits|good fit|right for me|best for me|recommend\w*|closest|best match|match|matches|"
    r"which (role|job|position|direction|path|one|kind of|type of)|what (role|job|position|kind of|type of)\w* should i|should i (go for|choose|pick|try|apply|do|focus|become)|what should i)\b|"
    r"适合|推荐|选哪|对口|匹配|最接近|哪个岗位|哪个方向|哪种|我该|该选|该做",
    re.I,
)
#: Saying what one is good at or likes.
_STRENGTH = re.compile(
    r"\b(i'?m good at|i am good at|good at|i (really )?(like|love|enjoy)|my strength\w*|strong at|i'?m into|great at|skilled)\b|"
    r"擅长|我喜欢|我爱|强项|我对.*感兴趣|我会|我能|比较喜欢",
    re.I,
)
_FOLLOWUP = re.compile(
    r"^\s*(and|so|what about|how about|also|then|ok|okay)\b|\b(it|its|it's|they|them|their|that role|this role|that one|"
    r"this one|that job|this job|the second one|the first one|there|those|that person|this person|those people|that position|"
    r"this position|he|she|his|her|such a role|that team|this team)\b|^\s*(那|那么|还有|其中|另外)|它|他们|这个岗位|那个岗位|这个角色|该岗位|这个职位|那这个|这个呢",
    re.I,
)
#: Question filler that carries no topic (beyond the stop words BM25 already drops).
FILLER = frozenset(
    """做 干 干嘛 主要 负责 平时 具体 一般 通常 到底 究竟 东西 啥 呢 哪 些 岗位 职位 角色 工作 讲讲 说说 介绍 介绍一下 了解 知道 告诉
    是不是 有没有 需要 应该 大概 主要是 这 那 都 文章 里 说 讲 actual actually really usual usually main mainly exactly basically
    generally typical typically know want need tell give show describe explain article say said person people someone team guy folk""".split()
)
#: "Which role does X?" asks the article to name a role, so the generic "ops" is not a constraint.
_WHICH_ROLE = re.compile(
    r"\b(which|what) (\w+ )?(ops |operations )?(role|job|position|team|function)s?\b|\bwho (is|are|does|do|writes|decides|sets|handles|takes care)\b|哪个岗位|哪种运营|哪类运营|哪个运营|谁负责|谁来|哪个角色|哪一个岗位",
    re.I,
)
#: Words that may stand beside a request for the list of roles.
LIST_WORDS = frozenset(
    "six main most common core different all list type kind name many key typical popular major 六大 常见 核心 主要 几种 几类 分类 种类 一共 总共 互联网 行业 最常见 哪几个 哪几种 哪几类 哪些 几个 有哪些 都有 分别 是哪 which".split()
)
_ROLE_WORDS = re.compile(r"\b(roles?|jobs?|positions?|careers?|ops|operations|product manager|pm)\b|岗位|职位|工作|方向|运营|产品经理|职业", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class Query:
    """What a question asks, in terms of the glossary."""

    text: str
    lang: str
    intent: str  # empty | greeting | out_of_scope | recommend | compare | list | role | term | case | search
    roles: tuple[str, ...] = ()
    facet: str | None = None
    terms: tuple[str, ...] = ()
    companies: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    oos: tuple[str, ...] = ()
    rest: tuple[str, ...] = ()  # content words the glossary did not explain
    followup: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)


def clean(question: str) -> tuple[str, tuple[str, ...]]:
    """Normalise a raw question (NFKC, no control characters, bounded length), with notices."""
    notes: list[str] = []
    text = unicodedata.normalize("NFKC", question)
    text = _CONTROL.sub(" ", text)
    text = re.sub(r"\s+", " ", text).strip()
    if re.search(r"[\u4e00-\u9fff]", text):
        text = to_simplified(text)
    if len(text) > MAX_QUESTION_CHARS:
        text = text[:MAX_QUESTION_CHARS]
        notes.append("truncated")
    return text, tuple(notes)


def to_simplified(text: str) -> str:
    """Traditional Chinese to simplified (the articles are simplified); unchanged when zhconv is missing."""
    try:
        import zhconv
    except ImportError:
        return text
    return zhconv.convert(text, "zh-cn")


def _unique(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _parse(text: str, lexicon: Lexicon) -> dict:
    found = lexicon.find(text)
    masked = list(text)
    for m in found:
        masked[m.start : m.end] = " " * (m.end - m.start)
    rest = tuple(t for t in tokenize("".join(masked)) if t not in FILLER and len(t) > 1 or t.isdigit())
    by = {k: _unique([m.id for m in found if m.kind == k]) for k in ("roles", "facets", "terms", "companies", "skills", "oos")}
    facets = [f for f in FACET_PRIORITY if f in by["facets"]]
    roles = list(by["roles"])
    if "ops" in roles and len(roles) > 1 and not _COMPARE.search(text):
        roles.remove("ops")  # "运营岗位中的用户运营" is about user ops
    return {
        "roles": tuple(roles),
        "facet": facets[0] if facets else None,
        "terms": by["terms"],
        "companies": by["companies"],
        "skills": by["skills"],
        "oos": tuple(m.form for m in found if m.kind == "oos"),
        "rest": rest,
    }


def _history_texts(history: list | None) -> list[str]:
    """User turns of a history given as strings or as Gradio message dicts."""
    out: list[str] = []
    if not isinstance(history, (list, tuple)):
        return out
    for turn in history:
        if isinstance(turn, str):
            out.append(turn)
        elif isinstance(turn, dict) and turn.get("role", "user") == "user":
            content = turn.get("content")
            if isinstance(content, str):
                out.append(content)
            elif isinstance(content, list):
                out.extend(c.get("text", "") for c in content if isinstance(c, dict) and isinstance(c.get("text"), str))
    return [clean(t)[0] for t in out if t and t.strip()]


def understand(question: str, lexicon: Lexicon, history: list | None = None) -> Query:
    """Turn a question (and the earlier user turns) into a Query."""
    text, notes = clean(question)
    if not text:
        return Query("", "en", "empty", notes=notes)
    lang = detect_lang(text)
    if _GREETING.match(text):
        return Query(text, lang, "greeting", notes=notes)
    parsed = _parse(text, lexicon)
    followup = False
    turns = _history_texts(history)
    has_topic = bool(parsed["roles"] or parsed["terms"] or parsed["companies"])
    if turns and (_FOLLOWUP.search(text) or not has_topic or len(text.split()) <= 6 or len(text) <= 12):
        prev = _previous_topic(turns, lexicon)
        if prev:
            followup = True
            _resolve_followup(text, parsed, prev, has_topic)
    if parsed["roles"] and parsed["facet"] in (None, "overview"):
        # "What is user ops?" asks for the overview; "How does user ops segment users?" asks something specific.
        generic = not parsed["rest"] and not parsed["terms"] and not parsed["companies"]
        parsed["facet"] = "overview" if generic else None
    intent = _intent(text, parsed)
    return Query(
        text,
        lang,
        intent,
        parsed["roles"],
        parsed["facet"],
        parsed["terms"],
        parsed["companies"],
        parsed["skills"],
        parsed["oos"],
        parsed["rest"],
        followup,
        notes,
    )


def _resolve_followup(text: str, parsed: dict, prev: dict, has_topic: bool) -> None:
    """Fill what a follow-up leaves out (role, constraint, facet) from the previous topic, in place."""
    pointing = bool(_FOLLOWUP.search(text))
    if not has_topic or (pointing and not parsed["roles"]):
        parsed["roles"] = parsed["roles"] or prev["roles"]
        parsed["terms"] = parsed["terms"] or prev["terms"]
        parsed["companies"] = parsed["companies"] or prev["companies"]
    elif pointing and not (parsed["terms"] or parsed["companies"]):
        # "What does data ops do there?" after the 618 example keeps the 618 constraint.
        parsed["terms"], parsed["companies"] = prev["terms"], prev["companies"]
    if _COMPARE.search(text) and len(parsed["roles"]) < 2:
        parsed["roles"] = _unique([*prev["roles"], *prev["all_roles"], *parsed["roles"]])
    if re.search(r"\b(second|latter|last)\b|第二|后者", text, re.I) and len(prev["all_roles"]) >= 2:
        parsed["roles"] = (prev["all_roles"][-1],)
    own_constraint = bool(parsed["terms"] or parsed["companies"]) and has_topic
    if parsed["facet"] is None and prev["facet"] not in (None, "overview") and not own_constraint:
        parsed["facet"] = prev["facet"]


def _previous_topic(turns: list[str], lexicon: Lexicon) -> dict | None:
    """The most recent earlier turn that named a role, term or company; all roles named so far."""
    all_roles: list[str] = []
    latest = None
    for turn in turns:
        p = _parse(turn, lexicon)
        all_roles.extend(p["roles"])
        if p["roles"] or p["terms"] or p["companies"]:
            latest = p
    if latest is None:
        return None
    return {**latest, "all_roles": _unique(all_roles)}


def _intent(text: str, p: dict) -> str:
    roles, terms, companies = p["roles"], p["terms"], p["companies"]
    if p["oos"]:
        return "out_of_scope"
    about_roles = bool(roles) or bool(p["skills"]) or bool(_ROLE_WORDS.search(text))
    plain = not terms and not companies and p["facet"] in (None, "overview")
    fit = _FIT.search(text) or (plain and re.search(r"\bshould i\b", text, re.I))
    if fit and about_roles and (p["skills"] or _STRENGTH.search(text) or plain):
        return "recommend"
    if len(roles) >= 2 and (_COMPARE.search(text) or not (terms or companies)):
        return "compare"
    if _LIST.search(text) and set(roles) <= {"ops"} and not companies and not terms and p["facet"] in (None, "overview") and set(p["rest"]) <= LIST_WORDS:
        return "list"
    if set(roles) <= {"ops"} and _WHICH_ROLE.search(text) and (p["rest"] or terms or companies):
        return "which_role"
    if roles:
        return "role"
    if companies:
        return "case"
    if terms:
        return "term"
    return "search"


def with_intent(query: Query, intent: str) -> Query:
    """A copy of query with another intent (used by the evaluation baselines)."""
    return replace(query, intent=intent)
