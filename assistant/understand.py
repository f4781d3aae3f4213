"""Question understanding: a question plus its history becomes a structured Query.

The domain words (roles, facets, terms, companies, skills) come from the
glossary data and the cues of asking from cues.py; this module decides what a
question is about: its topic, intent, facets and what a follow-up carries over.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace

from .config import MAX_QUESTION_CHARS
from .corpus import detect_lang
from .cues import (
    ABOUT_ARTICLE,
    ADDRESS,
    ARTICLE_NAMES,
    CHAT,
    CHOICE,
    CHOOSE_AMONG,
    CJK_SPACE,
    CLAUSE_BREAK,
    COMPARE,
    CONTRAST,
    CONTROL,
    COVERAGE_WORDS,
    DESCRIBED,
    EXAMPLE_CONTEXT,
    FACET_PRIORITY,
    FILLER,
    FIT,
    FOLLOWUP,
    FOR_ME,
    GREETING,
    HIRE,
    HIRING,
    HOW_TO,
    ITEMS,
    LIST,
    LIST_WORDS,
    NEGATION,
    NOT_LIKED,
    ORDINALS,
    OTHER,
    OWNER,
    PERSON,
    PINYIN_ASKING,
    PINYIN_IN_CHINESE,
    PREFERRED,
    PRODUCT_AND_OPS,
    ROLE_WORDS,
    SAME_ROLE,
    STEPS,
    STRENGTH,
    STRONG_LIST,
    WHICH_FIT,
    WHICH_ROLE,
    WHO_DOES,
)
from .cuewords import cues, topics
from .lexicon import Lexicon, Match
from .numbers import quoted_numbers
from .sentences import (
    asking_spans,
    background_spans,
    clauses,
    dislike_spans,
    excepted,
    guess_spans,
    inside,
    occasion,
    said_of_self,
    sentence_at,
    set_aside,
    topic_spans,
)
from .tokens import tag, tokenize
from .unknown import unknown_acronyms, unknown_phrases


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
    background: tuple[str, ...] = ()  # roles the asker comes from ("I used to be an event planner")
    disliked: tuple[str, ...] = ()  # roles the asker says they dislike ("我不喜欢那种搞活动的")
    excluded: tuple[str, ...] = ()  # roles set aside in asking for the others ("除了内容运营,还有哪些岗位")
    term_words: tuple[str, ...] = ()  # the words the asker used for terms ("裂变")
    ordinal: int | None = None  # "the second one" of the duties an earlier answer listed (-1: the last)
    named_as: tuple[tuple[str, str], ...] = ()  # (role, the words the asker named it by: "新媒体运营")
    notes: tuple[str, ...] = field(default_factory=tuple)
    naming: bool = False  # asks the name of what it describes ("what do they call that?"): the term's definition


def clean(question: str) -> tuple[str, tuple[str, ...]]:
    """Normalise a raw question (NFKC, no control characters, bounded length), with notices."""
    notes: list[str] = []
    text = unicodedata.normalize("NFKC", question)
    text = CONTROL.sub(" ", text)
    text = re.sub(r"\s+", " ", text).strip()
    if re.search(r"[\u4e00-\u9fff]", text):
        text = to_simplified(text)
        text = PINYIN_IN_CHINESE.sub(lambda m: PINYIN_ASKING[(m.group(1) or m.group(2)).lower()], text)
        # Typed on a phone without punctuation ("开了五年出租车 30岁 想转行"): a space after Chinese ends a clause.
        text = CJK_SPACE.sub("，", text)
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


def _not_liked(before: str) -> bool:
    """Whether the words before a strength make it a dislike ("than write copy", "不喜欢写文案"), and nothing after
    the dislike turns it back ("比起写文案我更喜欢搞活动")."""
    cue = NOT_LIKED.search(before)
    return bool(cue) and not PREFERRED.search(before[cue.start() + 1 :])


#: An asking sentence that points back at what the sentence before named ("My friend sells insurance. Is that job
#: described?", "那这个岗位呢").
_POINTS_BACK = re.compile(r"\b(it|that one|this one|that job|this job|that role|this role|the job|the role)\b|这个岗位|那个岗位|这个职位|这份工作", re.I)


#: A pronoun standing for something named before it ("它的目标", "what's its goal"): the sentence that asks may
#: mean a role named outside it.
_REFERS_BACK = re.compile(r"它|\b(it|its|they|their|them)\b", re.I)


def _subject_spans(text: str, spans: list[tuple[int, int]], found: list[Match]) -> list[tuple[int, int]]:
    """Where the question may name what it asks about: its asking sentences, and the sentence before them when
    they point back at it and name no role of their own."""
    if not spans or spans[0][0] == 0 or any(m.kind == "roles" and inside(m.start, spans) for m in found):
        return spans
    if not any(_POINTS_BACK.search(text[a:b]) for a, b in spans):
        return spans
    return [(0, spans[0][0]), *spans]


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
    # Operations with a facet asked of it in the asking sentence is a topic too ("ops has four core tasks? What are they?").
    ops_asked = any(m.kind == "roles" and inside(m.start, spans) for m in found) and any(
        m.kind == "facets" and m.id != "overview" and inside(m.start, spans) for m in found
    )
    if own or ops_asked or any(inside(a, spans) for _, a, _ in inferred):
        # The question has a topic of its own: what the side remarks name is context, not the question
        # ("NPS is what? I see it in job descriptions for ops"). What the asker says of themselves still counts.
        topic = topic_spans(text)
        # The product manager said and operations asked after a turn ("产品经理负责做产品,那运营负责啥?") is the
        # article's own pair: both stay, to be compared.
        pair = any(m.kind == "roles" and m.id == "pm" for m in found) and CONTRAST.search(text)
        found = [m for m in found if inside(m.start, topic) or m.kind in ("skills", "oos") or (pair and m.kind == "roles" and m.id == "pm")]
    masked = list(text)
    guesses = guess_spans(text)
    if any(m.kind in ("roles", "terms", "companies") and m.id != "ops" and not inside(m.start, guesses) for m in found):
        # "流量运营是干嘛的?就是负责买量拉新的那种吗": the question names its topic, then offers a guess to confirm;
        # the guess is not what is asked.
        found = [m for m in found if not inside(m.start, guesses) or m.kind in ("skills", "oos")]
        for a, b in guesses:
            masked[a:b] = " " * (b - a)
    named = {m.id for m in found if m.kind == "roles" and ROLE_WORDS.search(text[m.start : m.end])}
    for m in found:
        if m.kind == "roles" and m.id in named and not ROLE_WORDS.search(text[m.start : m.end]):
            continue  # the role is named by its title; the words of a description the glossary also knows it by are what is asked
        masked[m.start : m.end] = " " * (m.end - m.start)
    dislikes = dislike_spans(text)
    for a, b in dislikes:
        masked[a:b] = " " * (b - a)
    rest = tuple(t for t in tokenize("".join(masked)) if t not in FILLER and t not in CHAT and len(t) > 1 or t.isdigit())
    numbers = quoted_numbers("".join(masked))  # "what went up 500%?": a number the glossary does not name
    # What the asker would rather not do ("I'd rather dig into dashboards than write copy", "比起写文案") is no strength.
    # So is what they judge after naming it ("organising events sounds draining").
    found = [m for m in found if not (m.kind == "skills" and (_not_liked(text[max(0, m.start - 40) : m.start]) or inside(m.start, dislikes)))]
    by = {k: _unique([m.id for m in found if m.kind == k]) for k in ("roles", "facets", "terms", "companies", "skills")}
    facets = [f for f in FACET_PRIORITY if f in by["facets"] and not _context_only(text, found, f)]
    roles = list(by["roles"])
    roles += [r for r, a, _ in inferred if r not in roles and (inside(a, spans) or not own)]  # "the content side of ops"
    if "pm" not in roles and PRODUCT_AND_OPS.search(text):
        roles.insert(0, "pm")  # "产品和运营怎么分工": product, beside operations, is the product manager
    negated = {m.id for m in found if m.kind == "roles" and NEGATION.search(text[max(0, m.start - 12) : m.start])}
    # What the asker dislikes ("我不喜欢那种搞活动的,更想…") is set aside, not recommended.
    disliked = {r for r, a, _ in inferred if inside(a, dislikes)} | {m.id for m in found if m.kind == "roles" and inside(m.start, dislikes)}
    negated |= disliked
    # A role set aside to ask about the others ("除了内容运营以外还有哪些", "apart from data ops, which other …").
    excluded = {m.id for m in found if m.kind == "roles" and m.id != "ops" and excepted(text, m.start, m.end)}
    negated |= excluded
    # Where the asker comes from ("I come from performance marketing (paid ads).") is not what they ask about.
    background = background_spans(text)
    from_background = tuple(dict.fromkeys(m.id for m in found if m.kind == "roles" and inside(m.start, background)))
    negated |= set(from_background)
    mentioned = tuple(roles)
    if negated and set(roles) - negated:
        roles = [r for r in roles if r not in negated]  # "join an ops team instead of PM"
    contrast = len(roles) == 2 and "pm" in roles and CONTRAST.search(text)  # "PM builds it, so what do ops do?"
    common = cues()["common"].fires(text)  # "产品经理和运营的共同点": what the two share, both sides asked
    said = {r: [inside(m.start, spans) for m in found if m.kind == "roles" and m.id == r] for r in ("pm", "ops")}
    if (
        set(roles) == {"pm", "ops"}
        and said["pm"]
        and not any(said["pm"])
        and any(said["ops"])
        and not (COMPARE.search(text) or CONTRAST.search(text) or common)
    ):
        roles.remove("pm")  # "My cofounder is the PM. … What are ops' four core tasks?": operations is asked
    respective = cues()["respective"].fires(text)  # "两边各管什么": each side asked
    asked_roles = {m.id for m in found if m.kind == "roles" and inside(m.start, spans)} | {r for r, a, _ in inferred if inside(a, spans)}
    if (
        len(roles) >= 2
        and len(asked_roles) == 1
        and asked_roles != {"ops"}  # "which of the ops roles matches that?" asks which one: the others are the candidates
        and set(roles) - asked_roles
        and not (COMPARE.search(text) or CONTRAST.search(text) or common or respective or _REFERS_BACK.search(text))
    ):
        # "内容运营跟用户运营我分不太清,用户运营到底管啥": the sentence that asks names one; the other is its setting.
        roles = [r for r in roles if r in asked_roles]
    if "ops" in roles and (len(roles) > 2 or len(roles) > 1 and not (COMPARE.search(text) or CHOICE.search(text) or contrast or common or respective)):
        roles.remove("ops")  # "运营岗位中的用户运营" is about user ops
    oos = [m for m in found if m.kind == "oos"]

    def setting(m: Match) -> bool:
        # "复试环节要考察她哪些考核数字?": the topic is when the question is asked; what is asked is a facet.
        return occasion(text, m.start, m.end) and any(f != "overview" for f in facets)

    def guessed(m: Match) -> bool:
        # "ROI, does it mean <an uncovered topic> or something?", "… how do they find out? <an uncovered topic> or
        # smth?": the asker's guess beside a term or role named, not the ask.
        return bool(by["terms"] or roles) and inside(m.start, guesses)

    return {
        "roles": tuple(roles),
        "mentioned": mentioned,  # every role named, generic operations included ("choosing between PM and operations")
        "named_as": tuple(dict.fromkeys((m.id, text[m.start : m.end]) for m in found if m.kind == "roles")),
        "facet": facets[0] if facets else None,
        # Every facet asked, in the order asked, when there are several ("what's its goal, and how is it measured?").
        # What a role is, asked in a clause of its own beside another facet ("它主要负责什么、考核看啥?"), is one.
        "facets": tuple(
            sorted(
                (f for f in facets if f != "overview" or _overview_clause(text, found, facets)),
                key=lambda f: min(m.start for m in found if m.kind == "facets" and m.id == f),
            )
        ),
        # The asker telling what they like names the facet ("I enjoy spotting anomalies in metrics"), not asking it.
        "facet_of_self": bool(facets)
        and all(
            said_of_self(text, m.start) or not inside(m.start, spans) or STRENGTH.search(sentence_at(text, m.start))
            for m in found
            if m.kind == "facets" and m.id == facets[0]
        ),
        "terms": by["terms"],
        "companies": by["companies"],
        "skills": by["skills"],
        # What the asker is ("I'm a nurse thinking about …") is their situation even inside the asking sentence.
        "oos": tuple(m.form for m in oos if inside(m.start, spans) and not said_of_self(text, m.start) and not setting(m) and not guessed(m)),
        "oos_context": tuple(
            (m.form, said_of_self(text, m.start)) for m in oos if not inside(m.start, spans) or said_of_self(text, m.start) or setting(m) or guessed(m)
        ),
        # The question has a topic of its own: something it names in the asking sentence, or a facet it asks there
        # of a role named beside it ("I've got an interview for an activity ops role — what KPIs…?").
        "own_topic": bool(own)
        or any(inside(a, spans) for _, a, _ in inferred)
        or bool(numbers)
        or (any(m.kind == "facets" and m.id != "overview" and inside(m.start, spans) for m in found) and any(m.kind == "roles" for m in found)),
        "figurative": bool(by["terms"])
        and all(lexicon.get("terms", t).extra.get("figurative") for t in by["terms"])
        and not (by["roles"] or by["companies"] or by["skills"] or inferred),
        "respective": respective,
        "described": any(re.search(r"[a-z]{3,}|[\u4e00-\u9fff]", text[m.end() :], re.I) for m in DESCRIBED.finditer(text)) and set(roles) <= {"ops"},
        "unknown": unknown_phrases(text, found, _subject_spans(text, spans, found), FILLER, [(a, b) for _, a, b in inferred]),
        "acronyms": unknown_acronyms(text, found, spans),
        # In a role described by what it does ("做SEO优化的人"), an acronym is the description even where the
        # glossary knows it as a skill.
        "described_acronyms": tuple(a for a, _ in unknown_acronyms(text, [m for m in found if m.kind != "skills"], spans)),
        "rest": rest,
        "numbers": numbers,
        "background": from_background,
        "disliked": tuple(disliked),
        "excluded": tuple(sorted(excluded)),
        # The words the asker used for terms ("裂变"), so a passage using the same word is preferred.
        "term_words": tuple(dict.fromkeys(text[m.start : m.end] for m in found if m.kind == "terms")),
    }


def _overview_clause(text: str, found: list[Match], facets: list[str]) -> bool:
    """Whether "what is it" stands in a clause apart from another facet asked (not "what are the KPIs")."""
    overview = [m for m in found if m.kind == "facets" and m.id == "overview"]
    others = [m for m in found if m.kind == "facets" and m.id in facets and m.id != "overview"]
    # "what's the goal, and …": the overview word only asks for the goal in its own clause
    alone = [a for a in overview if all(CLAUSE_BREAK.search(text[min(a.end, b.end) : max(a.start, b.start)]) for b in others)]
    return bool(alone and others)


def _context_only(text: str, found: list[Match], facet: str) -> bool:
    """Whether every mention of a facet sits in a phrase that only points at where to look."""
    spans = [(m.start(), m.end()) for m in EXAMPLE_CONTEXT.finditer(text)]
    hits = [m for m in found if m.kind == "facets" and m.id == facet]
    if not (hits and all(any(a <= m.start < b for a, b in spans) for m in hits)):
        return False
    # A question that is nothing but the pointing phrase ("那案例呢", "and that example?") asks for the example;
    # one that goes on after it ("in that case, what should I do?") asks what follows.
    before = text[: spans[0][0]] if spans else text
    after = text[spans[-1][1] :] if spans else ""
    ends = all(f in _PARTICLE_TAGS for _, f in tag(after))
    return not ends or any(t not in FILLER for t in tokenize(before))


#: jieba tags of what may close a question after the phrase pointing at an example: particles (呢, 吗), punctuation.
_PARTICLE_TAGS = frozenset("y x e o".split())


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


def understand(
    question: str, lexicon: Lexicon, history: list | None = None, answered: dict[str, tuple[str, ...]] | None = None, lang: str | None = None
) -> Query:
    """Turn a question (and the earlier user turns) into a Query.

    answered maps an earlier turn to the roles its answer was about, for turns that did not name them (a
    question of fit answered with data ops), so a follow-up on what it measures can follow on. lang: the question's
    language when known from its words as written (before mixed-language names were put in Chinese).
    """
    text, notes = clean(question)
    if not text:
        return Query("", "en", "empty", notes=notes)
    text = lexicon.repair(text)  # "prodcut opertions" -> "product operations"
    lang = lang or detect_lang(text)
    if GREETING.match(text):
        return Query(text, lang, "greeting", notes=notes)
    text = set_aside(text) if set_aside(text).strip() else text  # "not X, but Y" asks Y
    text = ADDRESS.sub("", text) or text
    parsed = _parse(text, lexicon)
    turns = history_texts(history)
    if turns and not parsed["roles"] and (whole := _elided_role(text, turns, lexicon)) != text:
        text, parsed = whole, _parse(whole, lexicon)
    if HIRE.search(text) and not parsed["roles"]:
        parsed["roles"] = ("ops",)  # "Who should I hire first?" asks which kind of role, as "which ops role" does
    followup = False
    has_topic = bool(parsed["roles"] or parsed["terms"] or parsed["companies"])
    short = _short(text, lang)
    if turns and (FOLLOWUP.search(text) or not has_topic or short or cues()["same_ask"].fires(text)):
        prev = _previous_topic(turns, lexicon, answered or {})
        if prev:
            followup = True
            if parsed["facet"] == "overview" and not _asks_overview(text, lexicon):
                parsed["facet"] = None  # "what about X?" points back; it asks nothing of its own about X
            _resolve_followup(text, parsed, prev, has_topic, _core_roles(lexicon))
    if parsed["roles"] and parsed["facet"] in (None, "overview") and STEPS.search(text) and _intent(text, parsed) != "list":
        parsed["facet"] = "work"  # "产品经理的活儿拆开来有哪几步?" asks for the itemised duties
    parsed["asked_overview"] = parsed["facet"] == "overview"  # "运营到底是干嘛的?"
    if parsed["roles"] and parsed["facet"] in (None, "overview"):
        # "What is user ops?" asks for the overview; "How does user ops segment users?" asks something specific.
        generic = not parsed["rest"] and not parsed["terms"] and not parsed["companies"]
        parsed["facet"] = "overview" if generic else None
    intent = _intent(text, parsed)
    if parsed["figurative"] and not followup and not ROLE_WORDS.search(text) and not ABOUT_ARTICLE.search(text):
        intent = "out_of_scope"  # the article's figures of speech in their own sense ("tips for the anchor leg of a relay race")
    naming = (
        bool(parsed["terms"])
        and intent in ("role", "term")
        and set(parsed["roles"]) <= {"ops"}
        and cues()["naming"].fires(text)
        and not cues()["naming_other"].fires(text)  # which app or role it was, or its English word
        and not WHICH_ROLE.search(text)
        and not any(t.name == "name" and t.asks.fires(text) for t in topics())
    )
    if naming:
        # "…, what does ops call that?": the name of what a term's line describes is asked, not operations' work.
        intent = "term"
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
        itemised=bool(ITEMS.search(text)),
        described=parsed["described"] and set(parsed["roles"]) <= {"ops"} and intent not in ("recommend", "list", "compare") and not naming,
        numbers=parsed["numbers"],
        background=parsed["background"],
        disliked=parsed["disliked"],
        excluded=parsed["excluded"] if intent == "list" else (),
        term_words=parsed["term_words"],
        ordinal=parsed.get("ordinal"),
        named_as=parsed["named_as"],
        notes=notes,
        naming=naming,
    )


#: "what about X?" / "how about X?": a pointing phrase whose "about" is no request for an overview.
_WHAT_ABOUT = re.compile(r"\b(what|how|and)\s+about\b", re.I)


def _asks_overview(text: str, lexicon: Lexicon) -> bool:
    """Whether a follow-up asks for an overview in words other than the "about" of "what about X?"."""
    blanked = _WHAT_ABOUT.sub(lambda m: " " * len(m.group()), text)
    return any(m.kind == "facets" and m.id == "overview" for m in lexicon.find(blanked))


def _core_roles(lexicon: Lexicon) -> tuple[str, ...]:
    """The roles a list answer enumerates, in glossary (article) order."""
    return tuple(e.id for e in lexicon.of_kind("roles") if e.extra.get("core"))


#: A position written in digits: "第7个", "#7", "no. 7", "the 7th".
_DIGIT_ORDINAL = re.compile(r"第\s*(\d{1,2})\s*[个项点条步种类]|(?<![\w.])(?:number|no\.?|#)\s?(\d{1,2})\b|\b(\d{1,2})(?:st|nd|rd|th)\b", re.I)


def ordinal(text: str) -> int | None:
    """1-based position named by "the fourth one" / "第五个" / "#5"; -1 for "the last / latter"."""
    low = text.lower()
    if re.search(r"\b(latter|last)\b|后者|最后(一|那|这)?一?[个项种条位类点]", low):
        return -1
    if re.search(r"\bformer\b|前者", low):
        return 1
    if m := _DIGIT_ORDINAL.search(low):
        return int(next(g for g in m.groups() if g))
    for n, forms in enumerate(ORDINALS, start=1):
        for f in forms:
            if re.search(rf"\b{f}\b", low) if f.isascii() else f in low:
                return n
    return None


#: A follow-up with this many words of its own (beyond the role, facet and filler) asks something of its own.
OWN_ASK_WORDS = 3


def _resolve_followup(text: str, parsed: dict, prev: dict, has_topic: bool, core: tuple[str, ...] = ()) -> None:
    """Fill what a follow-up leaves out (role, constraint, facet) from the previous topic, in place."""
    pointing = bool(FOLLOWUP.search(text))
    own_roles, own_named = parsed["roles"], {"companies": parsed["companies"], "terms": parsed["terms"]}
    elliptical = parsed["facet"] is None and len(parsed["rest"]) < OWN_ASK_WORDS and not (cues()["identity"].fires(text) or cues()["method"].fires(text))
    if prev.get("found") and not own_roles and (parsed["companies"] or parsed["terms"]) and ordinal(text) is None and elliptical:
        # The turn before asked which role an example or a term belongs to; "and Perfect Diary's?" asks the same
        # of another one, whose role is found from it, not the role answered before.
        parsed.update(roles=(), example_role=True, facet=parsed["facet"] or prev["facet"])
        return
    if (WHICH_ROLE.search(text) or WHO_DOES.search(text) and not COMPARE.search(text)) and not own_roles and len(parsed["rest"]) >= OWN_ASK_WORDS:
        # "And who checks the refunds during it?": another doing asked in the same setting; which role
        # does it is asked anew, not the role answered before.
        parsed.update(terms=parsed["terms"] or prev["terms"], companies=parsed["companies"] or prev["companies"])
        return
    if not has_topic or (pointing and not parsed["roles"]):
        parsed["roles"] = parsed["roles"] or prev["roles"]
        parsed["terms"] = parsed["terms"] or prev["terms"]
        parsed["companies"] = parsed["companies"] or prev["companies"]
        parsed["described"] = parsed["described"] or prev["described"]
    elif (pointing or elliptical and prev["roles"] and cues()["switch"].fires(text)) and not (parsed["terms"] or parsed["companies"]):
        # "What does data ops do there?" after the 618 example keeps the 618 constraint; so does a turn that only
        # puts another role in the place of the one before ("<role>呢", "what about <role>?").
        parsed["terms"], parsed["companies"] = prev["terms"], prev["companies"]
    if not own_roles and set(prev["roles"]) <= {"ops"} and (prev["companies"] or prev["terms"]) and SAME_ROLE.search(text):
        # "…and a case for that same position?" after a company's example (beside operations in general, or
        # nothing): the role the conversation named.
        named = [r for r in prev["all_roles"] if r != "ops"]
        if named:
            parsed.update(roles=(named[-1],), **own_named)  # the example's company is not carried; one of its own is
        else:
            # No role was named: "that role" is the one the example sits under, found from the example.
            parsed.update(roles=("ops",), example_role=True)
    if COMPARE.search(text) and len(parsed["roles"]) < 2:
        parsed["roles"] = _unique([*prev["roles"], *prev["all_roles"], *parsed["roles"]])
    others = [r for r in prev["all_mentioned"] if r not in prev["roles"]]
    n = ordinal(text)
    if n is not None and not own_roles and prev["facet"] == "work" and prev["roles"] and not OTHER.search(text):
        # After "What are the four core parts of ops work?", "and the second one?" is the second duty.
        parsed.update(roles=prev["roles"], facet="work", ordinal=n)
        return
    if n is not None and not own_roles and not prev["roles"] and prev.get("duties") and not OTHER.search(text):
        # The last turn asked about one thing (a term, an example), which has nothing to count in: "the second
        # one" counts in the duties listed before it.
        parsed.update(roles=prev["duties"], terms=(), companies=(), facet="work", ordinal=n)
        return
    if n is not None and not own_roles and prev["roles"] and prev["terms"] and not OTHER.search(text) and not cues()["asked_before"].fires(text):
        # "第三个呢" after one role's part in an example (the 618 sale): the example's list counts, not the role's
        # ("the first role I asked about" counts in the turns).
        parsed.update(roles=prev["roles"], terms=prev["terms"], facet="work", ordinal=n)
        return
    if OTHER.search(text) and set(own_roles) <= {"ops"} and others:
        parsed["roles"] = (others[-1],)  # "I'm choosing between PM and ops." "What does a PM do?" "And the other one?"
    elif n is not None and set(own_roles) <= {"ops"}:
        named = [r for r in prev["all_roles"] if r != "ops"]
        if len(named) >= 2 and n <= len(named):
            parsed["roles"] = (named[n - 1 if n > 0 else -1],)
        elif (
            (prev["roles"] and set(prev["roles"]) <= {"ops"} or prev.get("pointed") or (prev.get("listed") and set(prev["roles"]) <= set(core)))
            and core
            and n <= len(core)
        ):
            parsed["roles"] = (core[n - 1 if n > 0 else -1],)  # after the list of roles, "the fourth one"
    own_constraint = bool(own_named["terms"] or own_named["companies"]) and has_topic
    # A follow-up with words of its own ("how does it keep old customers around?") asks those, not the
    # facet asked before.
    # "the third one" points into what was asked; "the same question for X" asks it again.
    own_ask = len(parsed["rest"]) >= OWN_ASK_WORDS and ordinal(text) is None and not cues()["same_ask"].fires(text)
    if parsed["facet"] is None and prev["facet"] not in (None, "overview") and not own_constraint and not own_ask:
        parsed["facet"] = prev["facet"]


def _previous_topic(turns: list[str], lexicon: Lexicon, answered: dict[str, tuple[str, ...]]) -> dict | None:
    """The most recent earlier turn that named a role, term or company (or whose answer was about a role);
    all roles named so far."""
    all_roles: list[str] = []
    mentioned: list[str] = []
    latest = None
    duties: tuple[str, ...] = ()  # the roles of the latest turn that asked for a role's duties, a list to count in
    listed = False
    for turn in turns:
        p = _parse(lexicon.repair(turn), lexicon)
        if answered.get(turn) and set(p["roles"]) <= {"ops"}:
            # What that turn named only served to find the role ("which role tracks ARPU?"): the role is the topic.
            p.update(roles=answered[turn], terms=(), companies=(), found=True)
        elif latest is not None and set(p["roles"]) <= {"ops"} and not (p["terms"] or p["companies"]) and ordinal(turn) is not None:
            # That turn pointed into an earlier list ("the second one"): what it pointed at is the topic now.
            before = {**latest, "all_roles": _unique(all_roles), "all_mentioned": _unique(mentioned)}
            _resolve_followup(turn, p, before, bool(p["roles"]), _core_roles(lexicon))
            p["pointed"] = set(before["roles"]) <= {"ops"}  # into the list of roles: a later ordinal points there too
        elif latest is not None and p["roles"] and _carries_facet(turn, p, latest, lexicon):
            # "那X运营那块呢" after a role's metrics asked for: that turn asked the metrics too, and so passes them on.
            p = {**p, "facet": latest["facet"]}
        if _intent(turn, p) == "list" and set(p["roles"]) <= {"ops"}:
            listed = True  # the roles were listed: a later ordinal counts in them
        all_roles.extend(p["roles"])
        mentioned.extend(p["mentioned"])
        if p["roles"] and p["facet"] == "work":
            duties = p["roles"]
        if p["roles"] or p["terms"] or p["companies"]:
            latest = p
        elif latest is not None and p["facet"] not in (None, "overview"):
            # A later turn asked something of the same subject ("and its metrics?"): that is what is asked now.
            latest = {**latest, "facet": p["facet"]}
    if latest is None:
        return None
    return {**latest, "all_roles": _unique(all_roles), "all_mentioned": _unique(mentioned), "duties": duties, "listed": listed}


#: A modifier standing for a role whose head word the conversation gave ("品类的呢" after 平台运营: 品类运营).
_ELIDED = re.compile(r"(?<=[\u4e00-\u9fff])的(?=呢|吗|嘛|呀|啊|怎么|是|做|负责|干|[?？]|\s*$)")


#: The same in English: a modifier before "one" stands for a role ("what about the event one?" after user ops' goal).
_ELIDED_EN = re.compile(r"\b(?:the|that|this)\s+([a-z]+(?:\s[a-z]+)?)\s+(?:one|ones)\b", re.I)


def _elided_role(text: str, turns: list[str], lexicon: Lexicon) -> str:
    """text with a modifier that stands for a role completed by the head word of a role named before
    ("品类的呢" -> "品类运营呢", "the event one" -> "the event ops"), where that makes a role the glossary knows;
    else text unchanged."""
    if en := _ELIDED_EN.search(text):
        heads = {t[f.start : f.end].split()[-1] for t in turns for f in lexicon.find(t) if f.kind == "roles" and " " in t[f.start : f.end]}
        for word in (en.group(1), en.group(1).split()[-1]):
            for head in sorted(heads):
                if _names_role(f"{word} {head}", lexicon):
                    return text[: en.start(1)] + f"{word} {head}" + text[en.end() :]
    m = _ELIDED.search(text)
    if m is None:
        return text
    heads = {t[f.start : f.end][-2:] for t in turns for f in lexicon.find(t) if f.kind == "roles" and len(t[f.start : f.end]) > 2}
    for size in (4, 3, 2):  # the longest modifier first; "那用户的": 用户
        word = text[max(0, m.start() - size) : m.start()]
        for head in sorted(heads):
            if len(word) == size and re.fullmatch(r"[\u4e00-\u9fff]+", word) and _names_role(word + head, lexicon):
                return text[: m.start() - size] + word + head + text[m.end() :]
    return text


def _names_role(name: str, lexicon: Lexicon) -> bool:
    """Whether a name is, as a whole, one of the glossary's roles."""
    return any(f.kind == "roles" and f.start == 0 and f.end == len(name) for f in lexicon.find(name))


def _short(text: str, lang: str) -> bool:
    """A turn short enough to lean on the one before (Chinese has no spaces to count words by)."""
    return len(text) <= 12 if lang == "zh" else len(text.split()) <= 6


def _carries_facet(turn: str, p: dict, latest: dict, lexicon: Lexicon) -> bool:
    """Whether an earlier turn that named a role and nothing else ("那X运营那块呢") asked the facet of the turn
    before it, as a follow-up in its own right would."""
    if latest["facet"] in (None, "overview") or p["facet"] not in (None, "overview") or p["terms"] or p["companies"]:
        return False
    return _short(turn, detect_lang(turn)) and len(p["rest"]) < OWN_ASK_WORDS and ordinal(turn) is None and not _asks_overview(turn, lexicon)


def _specific(p: dict) -> bool:
    """Whether the question names something the articles are about: a term, a company, a specific role, two roles,
    or a role with a facet ("what are ops' core tasks")."""
    return bool(p["terms"] or p["companies"] or p["numbers"] or set(p["roles"]) - {"ops", "pm"} or len(p["roles"]) >= 2 or (p["roles"] and p["facet"]))


def _intent(text: str, p: dict) -> str:
    roles, terms, companies = p["roles"], p["terms"], p["companies"]
    context = p.get("oos_context", ())
    # Someone who says what they are like and asks which role fits asks a fit; what they are or were (an
    # occupation, a situation) is the background of that fit ("I'm an accountant, good with numbers, …").
    fit_by_traits = bool(p["skills"]) and bool(FIT.search(text))
    if p["oos"] or (context and not p.get("own_topic") and not fit_by_traits and (any(own for _, own in context) or not _specific(p))):
        # An uncovered topic in the question itself, or in a side remark when the question has no topic of its
        # own and the remark is the asker's own situation or the question is vague ("I'm on an F-1 visa. Can I
        # work in ops?"); "I'm prepping for an interview. User ops vs traffic ops?" is fine.
        return "out_of_scope"
    if (HIRE.search(text) or p.get("example_role") or OWNER.search(text) and (terms or companies)) and set(roles) <= {"ops"}:
        return "which_role"
    if cues()["alike"].fires(text) and WHICH_ROLE.search(text) and set(roles) <= {"ops"} and not STRENGTH.search(text):
        # "All day I compare what each ad channel costs. Which ops role is closest to that?": the asker's own
        # work, likened to a role's, asks which role does it, not which suits their strengths.
        return "which_role"
    about_roles = bool(roles) or bool(p["skills"]) or bool(ROLE_WORDS.search(text))
    plain = not terms and not companies and p["facet"] in (None, "overview")
    person = bool(PERSON.search(text))
    # "X or Y?" asks which suits: said with "better", or by someone who has told what they like or would rather
    # ("I hate chasing numbers, I'd rather build things. PM or ops?"); "X or Y: how do they differ?" compares.
    tells_likes = bool(STRENGTH.search(text) or PREFERRED.search(text) or p["disliked"])
    choice = (
        len(roles) >= 2
        and bool(CHOICE.search(text))
        and (bool(re.search(r"好|合适|\bbetter\b|\bbest\b", text, re.I)) or tells_likes and not COMPARE.search(text))
    )
    # "Which role …" asks for a fit only from someone who says what they are like or asks for themselves
    # ("Which position is for me?"); "I'm a recruiter. Which role sets the 618 rules?" asks who does what.
    which_fit = WHICH_FIT.search(text) and (p["skills"] or STRENGTH.search(text) or FOR_ME.search(text))
    fit = (FIT.search(text) or choice or which_fit) and person or (plain and re.search(r"\bshould i\b", text, re.I) and not HOW_TO.search(text))
    if HIRING.search(text) and (set(roles) - {"ops"} or terms and WHICH_ROLE.search(text)):
        # Hiring for a named role asks about the role ("what to look for in a data ops hire");
        # hiring for duties the article names asks which role does them.
        fit = False
    if fit and terms and ARTICLE_NAMES.search(text):
        fit = False  # "which titles are typical … What does the article list for each type?" asks for what it names
    if fit and about_roles and (p["skills"] or STRENGTH.search(text) or plain):
        return "recommend"
    # "I love organising events. Is there an ops job like that, and what is it for?": strengths, no role named.
    # ... also where the only roles named are ones they would rather not do ("I like X; being a PM isn't for me").
    strengths = p["skills"] and STRENGTH.search(text) and person and set(roles) <= {"ops", *p["disliked"]} and not terms and not companies
    if strengths and about_roles:
        return "recommend"
    if p["skills"] and set(roles) <= {"ops"} and not terms and not companies and not any(asks for _, _, asks, _, _ in clauses(text)):
        return "recommend"  # only telling what one likes and dislikes, asking nothing ("讨厌熬夜赶稿 爱跟人聊天")
    if len(roles) >= 2 and (COMPARE.search(text) or p["respective"] or not (terms or companies)):
        return "compare"
    if (
        set(roles) == {"ops"}
        and terms
        and not companies
        and p["facet"] in (None, "overview", "goal")
        and not (p.get("asked_overview") or p["described"] or WHICH_ROLE.search(text))
    ):
        return "term"  # "会员体系在运营里起什么作用?": the term is the subject, operations its setting
    # Words that only say the article goes through them ("which roles does it cover in detail") stand beside the
    # list; they do not make choosing one of it ("which of the six goes through the most data") a list.
    listing = LIST.search(text) and set(p["rest"]) <= LIST_WORDS | COVERAGE_WORDS or STRONG_LIST.search(text)
    # "Which of the six roles does X" names the list only to choose in it.
    choosing = CHOOSE_AMONG.search(text) and set(p["rest"]) - LIST_WORDS
    if (
        p["excluded"]
        and LIST.search(text)
        and set(roles) <= {"ops", *p["excluded"]}
        and not (p["skills"] or companies or terms)
        and p["facet"] in (None, "overview")
    ):
        return "list"  # the others of a role set aside ("除了内容运营,还有哪些运营岗位")
    if listing and not choosing and set(roles) <= {"ops"} and not companies and not terms and p["facet"] in (None, "overview"):
        return "list"
    # "Who checks the refunds?" asks which role as "which role does X" does; "who builds it vs who sells it"
    # sets two doings side by side.
    asks_who = WHICH_ROLE.search(text) or WHO_DOES.search(text) and not COMPARE.search(text)
    if set(roles) <= {"ops"} and (asks_who or choosing) and (p["rest"] or terms or companies or p["skills"]):
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
