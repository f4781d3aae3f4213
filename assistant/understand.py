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
from .lexicon import Lexicon, Match
from .numbers import quoted_numbers
from .sentences import asking_spans, background_spans, guess_spans, inside, said_of_self, sentence_at, topic_spans
from .tokens import tokenize
from .unknown import unknown_acronyms, unknown_phrases

FACET_PRIORITY = ("case", "metrics", "goal", "work", "overview")

_GREETING = re.compile(
    r"^\s*(hi|hello|hey|hiya|yo|thanks|thank you|thx|good (morning|afternoon|evening)|bye|goodbye|"
    r"你好|您好|嗨|哈喽|谢谢|多谢|早上好|晚上好|在吗|再见)[\s!！.。,，~？?]*(there|呀|啊|哦)?[\s!！.。~？?]*$",
    re.I,
)
_COMPARE = re.compile(
    r"\b(vs\.?|versus|differen\w*|differ|compar\w*|distinguish\w*|contrast|same as|in common|which one is|which is more|both of them|the two)\b|"
    r"区别|不同|差异|对比|比较|相比|差别|异同|不一样|一样吗|分工|两者|二者|哪个更|哪一个更|这两个|两个岗位|共同点",
    re.I,
)
_LIST = re.compile(
    r"\b(list|all|which|what|types|kinds|six|main|different|categories|name|how many)\b.*\b(roles|jobs|positions|functions|specialties|specializations|kinds of (ops|operations)|types of (ops|operations))\b|(哪些|哪几|六大|几种|几类|分类|种类|都有|有什么|几个|常见).*(岗位|职位|角色|运营)|(岗位|职位|角色)\S*(哪些|哪几|几种|几类|有什么)",
    re.I,
)
#: Asking for a fit: "which role suits me", "what should I go for", "适合哪个岗位".
_FIT = re.compile(
    r"\b(suit|suits|suited|suitable|fit|fits|good fit|right for me|best for me|recommend\w*|closest|best match|match|matches|"
    r"what (role|job|position|kind of|type of)\w* should i|should i (go for|choose|pick|try|apply|do|focus|become)|what should i|"
    r"closer to|more of an?|more like an?|for (someone|somebody|people|a person) like me|(role|job|position) for me|is (that|this|it) more|(role|job|position) for (that|this|someone like me))\b|"
    r"适合|推荐|选哪|对口|匹配|最接近|更接近|更像|哪个方向|我该|该选|该做|(应该|该)(找|去|投|选)",
    re.I,
)
_WHICH_FIT = re.compile(r"\bwhich (role|job|position|direction|path|one|kind|type|ops|operations)\b|哪个岗位|哪种|哪类|哪个方向|哪个运营", re.I)
_FOR_ME = re.compile(r"\b(for me|should i|would i|could i|me best|suit me|fit me|i aim)\b|我", re.I)
#: Saying what one is good at or likes.
_STRENGTH = re.compile(
    r"\b(i'?m good at|i am good at|good at|(i|me) (really )?(like|love|enjoy)|my strength\w*|strong at|i'?m into|great at|skilled)\b|"
    r"擅长|我喜欢|我爱|就爱|特别爱|最爱|强项|我对.*感兴趣|我会|我能|比较喜欢|特别喜欢",
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
    r"\b(which|what) (\w+ )?(ops |operations )?(role|job|position|team|function)s?\b|\bwho (is|are|does|do|writes|decides|sets|handles|takes care)\b|哪个岗位|哪种运营|哪类运营|哪个运营|谁负责|谁来|是谁|由谁|谁在|谁会|哪个角色|哪一个岗位|什么岗位|什么角色|什么职位|哪类岗位|哪个职位|哪种岗位",
    re.I,
)
#: Asking whom to hire for a need ("产品刚上线没用户,第一个该招什么样的运营?", "Who should I hire first?"): the
#: need names the role, as in "which role does X".
_HIRE = re.compile(
    r"\b(who|whom|what kind of (person|people|ops|operations|role)|which (role|kind of|type of))\b[^?.!]{0,20}\b(hire|recruit|bring on|bring in)\b|"
    r"\bhire (first|next)\b|招(什么样|哪类|哪种|什么|哪个|谁)|(先|该|应该|需要)招",
    re.I,
)
#: Asking about the article itself ("what metaphor does the article use", "文章为什么拿接力赛来比喻").
_ABOUT_ARTICLE = re.compile(
    r"\b(article|text|author|metaphor|analogy|compare[sd]?|comparison|likened?|bit about|part about|section|passage|the point of)\b|"
    r"文章|文中|作者|比喻|比方|类比|比作|好比|那段|这段|那部分",
    re.I,
)
#: Words that may stand beside a request for the list of roles.
LIST_WORDS = frozenset(
    "six main most common core different all list type kind name many key typical popular major 六大 常见 核心 主要 几种 几类 分类 种类 一共 总共 互联网 行业 最常见 哪几个 哪几种 哪几类 哪些 几个 有哪些 都有 分别 是哪 which".split()
)
_ROLE_WORDS = re.compile(r"\b(roles?|jobs?|positions?|careers?|ops|operations|product manager|pm)\b|岗|职位|工作|方向|运营|产品经理|职业", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
#: "The six roles", "六大运营岗位": a count of roles asks for the list, whatever else the question says.
_STRONG_LIST = re.compile(
    r"(?<!their )(?<!its )(?<!your )(?<!my )\b(six|6|all( of)? the|most common|what kinds of|what types of|which kinds of)\b.{0,30}\b(ops |operations )?(roles|jobs|positions|functions)\b|"
    r"(六大|六个|六种|六类|最常见|所有|全部|最主流|主流).{0,6}(运营)?(岗位|职位|角色|方向|工种)|运营(岗位|工种|职位)?(有|分)?(几类|几种|哪几类|哪几种)",
    re.I,
)
#: The speaker talks about themselves (a fit question needs a person to fit).
_PERSON = re.compile(
    r"\b(i|i'm|i've|im|me|my|myself|someone|somebody|a person|people who|anyone who|candidate|applicant|my friend|he|she|him|her)\b|我|本人|他|她|候选人",
    re.I,
)
#: "产品和运营", "product vs ops": product named beside operations is the product manager's side.
_PRODUCT_AND_OPS = re.compile(
    r"产品(?:岗|侧|端)?\s*(?:和|跟|与|及|还是|或者?|vs\.?|/|、)\s*运营|运营(?:岗|侧|端)?\s*(?:和|跟|与|及|还是|或者?|vs\.?|/|、)\s*产品(?!运营|经理|功能)|"
    r"\bproduct\s*(?:and|vs\.?|versus|or|/|&)\s*(?:ops|operations)\b|\b(?:ops|operations)\s*(?:and|vs\.?|versus|or|/|&)\s*product\b(?!\s*(?:ops|operations|manag))",
    re.I,
)
#: Words that set a role aside: "instead of PM", "而不是产品经理".
_NEGATION = re.compile(r"\b(instead of|rather than|not|other than|except)\s+(an?\s+|the\s+)?$|(而不是|不是|不做|不想做|除了)\s*$", re.I)
#: Choosing between named roles: "产品经理还是运营?", "PM or ops?".
_CHOICE = re.compile(r"还是|或者|\bor\b", re.I)
#: A role named by what it does: "the folks who manage the customer base", "负责拉量买量那拨人".
_DESCRIBED = re.compile(
    r"\b(people|person|folks|guys|team|ones|someone|somebody|role|job|position|those|staff|employees?)\s+(who|that|whose|where|in which|handling|doing|"
    r"running|managing|responsible for|in charge of)\b|(负责|管|做|搞|干).{1,14}?的(人|那拨人|那些人|那帮人|同事|那种|那个|岗位|职位|运营)",
    re.I,
)
#: "And the other one?": the role of an earlier pair that the latest turn was not about.
_OTHER = re.compile(r"\b(the )?other (one|role|job|position|side|option)\b|另一个|另外一个|另一种|另外那个|另一边|另一方", re.I)
#: Ordinals that point into an earlier list ("the fourth one", "第五个").
_ORDINALS = (
    ("first", "1st", "第一"),
    ("second", "2nd", "第二"),
    ("third", "3rd", "第三"),
    ("fourth", "4th", "第四"),
    ("fifth", "5th", "第五"),
    ("sixth", "6th", "第六"),
)


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
    unknown: tuple[str, ...] = ()  # role-shaped phrases and acronyms the glossary does not know (checked against the corpus)
    facets: tuple[str, ...] = ()  # several facets asked of one role, in the order asked ("its goal, and how is it measured?")
    itemised: bool = False  # asks for the list of duties itself ("core tasks", "具体工作"), not the role's summary first
    described: bool = False  # a role named by what it does ("the people who handle ad channels"), not by name
    numbers: tuple[str, ...] = ()  # numbers quoted as the articles write them ("500%", "1/3", "10万")
    ordinal: int | None = None  # "the second one" of the duties an earlier answer listed (-1: the last)
    named_as: tuple[tuple[str, str], ...] = ()  # (role, the words the asker named it by: "新媒体运营")
    notes: tuple[str, ...] = field(default_factory=tuple)


#: Asking for the itemised duties ("core tasks", "具体工作") rather than what a role is about.
_ITEMS = re.compile(
    r"\b(tasks|duties|list|itemi[sz]e|steps|includes?|consists? of|break (it |that |this )?down|broken down|(core|main|key|four|three|two) (jobs|responsibilities|parts|pillars|areas))\b|"
    r"具体工作|工作内容|包括|哪几(项|步|块|件|个方面|部分)|几个步骤|步骤|环节|拆开|拆解|列一下|分别",
    re.I,
)


#: Asking for a role's work in steps ("拆开来有哪几步", "break it down").
_STEPS = re.compile(r"\b(steps|break (it |that |this )?down|broken down|(two|three|four|main|core) parts)\b|哪几步|几个步骤|步骤|环节|拆开|拆解|几件大事", re.I)


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
    # 營運 is Taiwan's word for 运营 (operations), which zhconv leaves as 营运.
    return zhconv.convert(text, "zh-cn").replace("营运", "运营")


def _unique(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _parse(text: str, lexicon: Lexicon) -> dict:
    found = lexicon.find(text)
    spans = asking_spans(text)
    inferred = lexicon.infer_roles(text)
    if inferred or any(m.kind == "roles" or m.kind == "terms" and not lexicon.get("terms", m.id).extra.get("weak") for m in found):
        # A weak term ("概括", "sum up") is the article's conclusion only when the question names nothing else.
        found = [m for m in found if not (m.kind == "terms" and lexicon.get("terms", m.id).extra.get("weak"))]
    # Words that served to name a role ("做投放获客的") are not asked about in their own right; but what the asker
    # says they do ("我是做数据分析的工程师") is a strength.
    found = [
        m
        for m in found
        if m.kind not in ("terms", "skills") or not any(a <= m.start < b for _, a, b in inferred) or (m.kind == "skills" and said_of_self(text, m.start))
    ]
    own = [m for m in found if inside(m.start, spans) and (m.kind in ("terms", "companies") or m.kind == "roles" and m.id != "ops")]
    if own or any(inside(a, spans) for _, a, _ in inferred):
        # The question has a topic of its own: what the side remarks name is context, not the question
        # ("NPS is what? I see it in job descriptions for ops"). What the asker says of themselves still counts.
        topic = topic_spans(text)
        found = [m for m in found if inside(m.start, topic) or m.kind in ("skills", "oos")]
    masked = list(text)
    guesses = guess_spans(text)
    if any(m.kind in ("roles", "terms", "companies") and m.id != "ops" and not inside(m.start, guesses) for m in found):
        # "流量运营是干嘛的?就是负责买量拉新的那种吗": the question names its topic, then offers a guess to confirm;
        # the guess is not what is asked.
        found = [m for m in found if not inside(m.start, guesses) or m.kind in ("skills", "oos")]
        for a, b in guesses:
            masked[a:b] = " " * (b - a)
    for m in found:
        masked[m.start : m.end] = " " * (m.end - m.start)
    rest = tuple(t for t in tokenize("".join(masked)) if t not in FILLER and len(t) > 1 or t.isdigit())
    numbers = quoted_numbers("".join(masked))  # "what went up 500%?": a number the glossary does not name
    by = {k: _unique([m.id for m in found if m.kind == k]) for k in ("roles", "facets", "terms", "companies", "skills")}
    facets = [f for f in FACET_PRIORITY if f in by["facets"] and not _context_only(text, found, f)]
    roles = list(by["roles"])
    roles += [r for r, a, _ in inferred if r not in roles and (inside(a, spans) or not own)]  # "the content side of ops"
    if "pm" not in roles and _PRODUCT_AND_OPS.search(text):
        roles.insert(0, "pm")  # "产品和运营怎么分工": product, beside operations, is the product manager
    negated = {m.id for m in found if m.kind == "roles" and _NEGATION.search(text[max(0, m.start - 12) : m.start])}
    # Where the asker comes from ("I come from performance marketing (paid ads).") is not what they ask about.
    negated |= {m.id for m in found if m.kind == "roles" and inside(m.start, background_spans(text))}
    mentioned = tuple(roles)
    if negated and set(roles) - negated:
        roles = [r for r in roles if r not in negated]  # "join an ops team instead of PM"
    if "ops" in roles and (len(roles) > 2 or len(roles) > 1 and not _COMPARE.search(text) and not _CHOICE.search(text)):
        roles.remove("ops")  # "运营岗位中的用户运营" is about user ops
    oos = [m for m in found if m.kind == "oos"]
    return {
        "roles": tuple(roles),
        "mentioned": mentioned,  # every role named, generic operations included ("choosing between PM and operations")
        "named_as": tuple(dict.fromkeys((m.id, text[m.start : m.end]) for m in found if m.kind == "roles")),
        "facet": facets[0] if facets else None,
        # Every facet asked, in the order asked, when there are several ("what's its goal, and how is it measured?").
        "facets": tuple(sorted((f for f in facets if f != "overview"), key=lambda f: min(m.start for m in found if m.kind == "facets" and m.id == f))),
        # The asker telling what they like names the facet ("I enjoy spotting anomalies in metrics"), not asking it.
        "facet_of_self": bool(facets)
        and all(
            said_of_self(text, m.start) or not inside(m.start, spans) or _STRENGTH.search(sentence_at(text, m.start))
            for m in found
            if m.kind == "facets" and m.id == facets[0]
        ),
        "terms": by["terms"],
        "companies": by["companies"],
        "skills": by["skills"],
        "oos": tuple(m.form for m in oos if inside(m.start, spans)),
        "oos_context": tuple((m.form, said_of_self(text, m.start)) for m in oos if not inside(m.start, spans)),
        # The question has a topic of its own: something it names in the asking sentence, or a facet it asks there
        # of a role named beside it ("I've got an interview for an activity ops role — what KPIs…?").
        "own_topic": bool(own)
        or any(inside(a, spans) for _, a, _ in inferred)
        or bool(numbers)
        or (any(m.kind == "facets" and m.id != "overview" and inside(m.start, spans) for m in found) and any(m.kind == "roles" for m in found)),
        "figurative": bool(by["terms"])
        and all(lexicon.get("terms", t).extra.get("figurative") for t in by["terms"])
        and not (by["roles"] or by["companies"] or by["skills"] or inferred),
        "described": any(re.search(r"[a-z]{3,}|[\u4e00-\u9fff]", text[m.end() :], re.I) for m in _DESCRIBED.finditer(text)) and set(roles) <= {"ops"},
        "unknown": unknown_phrases(text, found, spans, FILLER, [(a, b) for _, a, b in inferred]),
        "acronyms": unknown_acronyms(text, found, spans),
        # In a role described by what it does ("做SEO优化的人"), an acronym is the description even where the
        # glossary knows it as a skill.
        "described_acronyms": tuple(a for a, _ in unknown_acronyms(text, [m for m in found if m.kind != "skills"], spans)),
        "rest": rest,
        "numbers": numbers,
    }


#: "In that 618 example, who …": the example is where to look, not what is asked for.
_EXAMPLE_CONTEXT = re.compile(
    r"\b(in|from|about|with) (the|that|this)\b[^?.!]{0,60}?\b(example|case)\b|\b(that|this) (example|case) (is|was)\b|(例子|案例)(里|中|里面|当中)|(那个|这个|那|这)(例子|案例)",
    re.I,
)


def _context_only(text: str, found: list[Match], facet: str) -> bool:
    """Whether every mention of a facet sits in a phrase that only points at where to look."""
    spans = [(m.start(), m.end()) for m in _EXAMPLE_CONTEXT.finditer(text)]
    hits = [m for m in found if m.kind == "facets" and m.id == facet]
    return bool(hits) and all(any(a <= m.start < b for a, b in spans) for m in hits)


def history_texts(history: list | None) -> list[str]:
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


def understand(question: str, lexicon: Lexicon, history: list | None = None, answered: dict[str, tuple[str, ...]] | None = None) -> Query:
    """Turn a question (and the earlier user turns) into a Query.

    answered maps an earlier turn to the roles its answer was about, for turns that did not name them
    ("Which role suits me?" -> data ops), so "what does it measure?" can follow on.
    """
    text, notes = clean(question)
    if not text:
        return Query("", "en", "empty", notes=notes)
    text = lexicon.repair(text)  # "prodcut opertions" -> "product operations"
    lang = detect_lang(text)
    if _GREETING.match(text):
        return Query(text, lang, "greeting", notes=notes)
    parsed = _parse(text, lexicon)
    if _HIRE.search(text) and not parsed["roles"]:
        parsed["roles"] = ("ops",)  # "Who should I hire first?" asks which kind of role, as "which ops role" does
    followup = False
    turns = history_texts(history)
    has_topic = bool(parsed["roles"] or parsed["terms"] or parsed["companies"])
    short = len(text) <= 12 if lang == "zh" else len(text.split()) <= 6  # Chinese has no spaces to count words by
    if turns and (_FOLLOWUP.search(text) or not has_topic or short):
        prev = _previous_topic(turns, lexicon, answered or {})
        if prev:
            followup = True
            _resolve_followup(text, parsed, prev, has_topic, _core_roles(lexicon))
    if parsed["roles"] and parsed["facet"] is None and _STEPS.search(text):
        parsed["facet"] = "work"  # "产品经理的活儿拆开来有哪几步?" asks for the itemised duties
    if parsed["roles"] and parsed["facet"] in (None, "overview"):
        # "What is user ops?" asks for the overview; "How does user ops segment users?" asks something specific.
        generic = not parsed["rest"] and not parsed["terms"] and not parsed["companies"]
        parsed["facet"] = "overview" if generic else None
    intent = _intent(text, parsed)
    if parsed["figurative"] and not followup and not _ROLE_WORDS.search(text) and not _ABOUT_ARTICLE.search(text):
        intent = "out_of_scope"  # the article's figures of speech in their own sense ("tips for the anchor leg of a relay race")
    if intent == "term" and parsed["roles"] == ("ops",):
        # "会员体系在运营里起什么作用?": what the term does for operations is the term's own passage.
        parsed["roles"] = ()
        parsed["facet"] = None if parsed["facet"] in ("goal", "overview") else parsed["facet"]
    if intent == "recommend" and parsed["facet_of_self"]:
        parsed["facet"] = None
    unknown = () if intent == "recommend" else parsed["unknown"]
    # An unexplained acronym is what a vague question is about ("What is DAU?") or one beside a facet
    # ("GMV目标"); elsewhere beside a named role or term it is usually context ("…so I can list them in the JD").
    vague = not _specific(parsed)
    unknown = _unique([*unknown, *(a for a, beside in parsed["acronyms"] if vague or beside), *(parsed["described_acronyms"] if parsed["described"] else ())])
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
        followup=followup,
        unknown=unknown,
        facets=parsed["facets"] if intent == "role" and len(parsed["facets"]) >= 2 and parsed["facet"] in parsed["facets"] else (),
        itemised=bool(_ITEMS.search(text)),
        described=parsed["described"] and set(parsed["roles"]) <= {"ops"} and intent not in ("recommend", "list", "compare"),
        numbers=parsed["numbers"],
        ordinal=parsed.get("ordinal"),
        named_as=parsed["named_as"],
        notes=notes,
    )


def _core_roles(lexicon: Lexicon) -> tuple[str, ...]:
    """The roles a list answer enumerates, in glossary (article) order."""
    return tuple(e.id for e in lexicon.of_kind("roles") if e.extra.get("core"))


def _ordinal(text: str) -> int | None:
    """1-based position named by "the fourth one" / "第五个"; -1 for "the last / latter"."""
    low = text.lower()
    if re.search(r"\b(latter|last)\b|后者|最后一个", low):
        return -1
    for n, forms in enumerate(_ORDINALS, start=1):
        for f in forms:
            if (re.search(rf"\b{f}\b", low) if f.isascii() else f in low) or (f.isascii() and re.search(rf"\b(number|no\.?|#) ?{n}\b", low)):
                return n
    return None


def _resolve_followup(text: str, parsed: dict, prev: dict, has_topic: bool, core: tuple[str, ...] = ()) -> None:
    """Fill what a follow-up leaves out (role, constraint, facet) from the previous topic, in place."""
    pointing = bool(_FOLLOWUP.search(text))
    own_roles = parsed["roles"]
    if not has_topic or (pointing and not parsed["roles"]):
        parsed["roles"] = parsed["roles"] or prev["roles"]
        parsed["terms"] = parsed["terms"] or prev["terms"]
        parsed["companies"] = parsed["companies"] or prev["companies"]
        parsed["described"] = parsed["described"] or prev["described"]
    elif pointing and not (parsed["terms"] or parsed["companies"]):
        # "What does data ops do there?" after the 618 example keeps the 618 constraint.
        parsed["terms"], parsed["companies"] = prev["terms"], prev["companies"]
    if _COMPARE.search(text) and len(parsed["roles"]) < 2:
        parsed["roles"] = _unique([*prev["roles"], *prev["all_roles"], *parsed["roles"]])
    others = [r for r in prev["all_mentioned"] if r not in prev["roles"]]
    n = _ordinal(text)
    if n is not None and not own_roles and prev["facet"] == "work" and prev["roles"] and not _OTHER.search(text):
        # After "What are the four core parts of ops work?", "and the second one?" is the second duty.
        parsed.update(roles=prev["roles"], facet="work", ordinal=n)
        return
    if _OTHER.search(text) and set(own_roles) <= {"ops"} and others:
        parsed["roles"] = (others[-1],)  # "I'm choosing between PM and ops." "What does a PM do?" "And the other one?"
    elif n is not None and set(own_roles) <= {"ops"}:
        named = [r for r in prev["all_roles"] if r != "ops"]
        if len(named) >= 2 and n <= len(named):
            parsed["roles"] = (named[n - 1 if n > 0 else -1],)
        elif set(prev["roles"]) <= {"ops"} and core and n <= len(core):
            parsed["roles"] = (core[n - 1 if n > 0 else -1],)  # after the list of roles, "the fourth one"
    own_constraint = bool(parsed["terms"] or parsed["companies"]) and has_topic
    if parsed["facet"] is None and prev["facet"] not in (None, "overview") and not own_constraint:
        parsed["facet"] = prev["facet"]


def _previous_topic(turns: list[str], lexicon: Lexicon, answered: dict[str, tuple[str, ...]]) -> dict | None:
    """The most recent earlier turn that named a role, term or company (or whose answer was about a role);
    all roles named so far."""
    all_roles: list[str] = []
    mentioned: list[str] = []
    latest = None
    for turn in turns:
        p = _parse(lexicon.repair(turn), lexicon)
        if answered.get(turn) and set(p["roles"]) <= {"ops"}:
            # What that turn named only served to find the role ("which role tracks ARPU?"): the role is the topic.
            p.update(roles=answered[turn], terms=(), companies=())
        all_roles.extend(p["roles"])
        mentioned.extend(p["mentioned"])
        if p["roles"] or p["terms"] or p["companies"]:
            latest = p
    if latest is None:
        return None
    return {**latest, "all_roles": _unique(all_roles), "all_mentioned": _unique(mentioned)}


def _specific(p: dict) -> bool:
    """Whether the question names something the articles are about: a term, a company, a specific role, two roles,
    or a role with a facet ("what are ops' core tasks")."""
    return bool(p["terms"] or p["companies"] or p["numbers"] or set(p["roles"]) - {"ops", "pm"} or len(p["roles"]) >= 2 or (p["roles"] and p["facet"]))


def _intent(text: str, p: dict) -> str:
    roles, terms, companies = p["roles"], p["terms"], p["companies"]
    context = p.get("oos_context", ())
    if p["oos"] or (context and not p.get("own_topic") and (any(own for _, own in context) or not _specific(p))):
        # An uncovered topic in the question itself, or in a side remark when the question has no topic of its
        # own and the remark is the asker's own situation or the question is vague ("I'm on an F-1 visa. Can I
        # work in ops?"); "I'm prepping for an interview. User ops vs traffic ops?" is fine.
        return "out_of_scope"
    if _HIRE.search(text) and set(roles) <= {"ops"}:
        return "which_role"
    about_roles = bool(roles) or bool(p["skills"]) or bool(_ROLE_WORDS.search(text))
    plain = not terms and not companies and p["facet"] in (None, "overview")
    person = bool(_PERSON.search(text))
    choice = len(roles) >= 2 and bool(_CHOICE.search(text)) and bool(re.search(r"好|合适|\bbetter\b|\bbest\b", text, re.I))
    # "Which role …" asks for a fit only from someone who says what they are like or asks for themselves
    # ("Which position is for me?"); "I'm a recruiter. Which role sets the 618 rules?" asks who does what.
    which_fit = _WHICH_FIT.search(text) and (p["skills"] or _STRENGTH.search(text) or _FOR_ME.search(text))
    fit = (_FIT.search(text) or choice or which_fit) and person or (plain and re.search(r"\bshould i\b", text, re.I))
    if fit and about_roles and (p["skills"] or _STRENGTH.search(text) or plain):
        return "recommend"
    # "I love organising events. Is there an ops job like that, and what is it for?": strengths, no role named.
    strengths = p["skills"] and _STRENGTH.search(text) and person and set(roles) <= {"ops"} and not terms and not companies
    if strengths and about_roles:
        return "recommend"
    if len(roles) >= 2 and (_COMPARE.search(text) or not (terms or companies)):
        return "compare"
    if set(roles) == {"ops"} and terms and not companies and p["facet"] in (None, "overview", "goal") and not (p["described"] or _WHICH_ROLE.search(text)):
        return "term"  # "会员体系在运营里起什么作用?": the term is the subject, operations its setting
    listing = _LIST.search(text) and set(p["rest"]) <= LIST_WORDS or _STRONG_LIST.search(text)
    if listing and set(roles) <= {"ops"} and not companies and not terms and p["facet"] in (None, "overview"):
        return "list"
    if set(roles) <= {"ops"} and _WHICH_ROLE.search(text) and (p["rest"] or terms or companies or p["skills"]):
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
