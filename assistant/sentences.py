"""The sentences of a question: which ask something, which are the asker speaking of themselves, and which
introduce the question. A topic word in a side remark ("I'm prepping for an interview.") is then told apart
from one in the question itself.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .cues import CLAUSE_END, DISLIKE, OCCASION_AFTER, OCCASION_BEFORE, SET_ASIDE
from .cuewords import cues
from .tokens import tag

#: After a judgement, what makes it a question ("会不会太累了吗", "sounds boring?"), not the asker's dislike.
ASKED_AFTER = re.compile(r"\s*(吗|么|嘛|不|\?|？)")

#: A sentence up to its end mark (a spaced dash too: "User ops vs traffic ops - which one…").
#: Sentence ends, an emoji among them ("… changing career 😅 which example …").
_ENDS = ".?!。？！;；:：\n—–\u2600-\u27bf\U0001f300-\U0001faff"
_SENTENCE = re.compile(rf"[^{_ENDS}]+(?:[{_ENDS}]+|$)|(?<=\s)-(?=\s)")

_CLAUSE_ZH = re.compile(r"[,，]")

#: The words that carry an English sentence on to the asker telling of themselves ("… and honestly I work in …").
_GOES_ON = r"(and|but)\s+((honestly|tbh|also|actually|frankly)\s+)?"

#: The asker speaking of themselves: "I'm…", "我…".
_SELF_STATEMENT = re.compile(
    r"\s*((sorry|hi|hello|hey|ok|okay|so|well|um|honestly|hmm)\b[^,，]{0,30}[,，]\s*)?"
    rf"({_GOES_ON})?((其实|因为)?(本人|我)|(i|i'm|im|i am|i've|i'd|i'll|my|me)\b)",
    re.I,
)

#: A condition belongs to the question it conditions.
_CONDITION = re.compile(r"如果|要是|假如|假设|万一|的话|若是|倘若")

#: A lead-in ("PM vs. operations:") introduces the question and shares its topic.
_LEAD_IN = re.compile(r"[:：—–]\s*$")

#: Full stops that end no sentence.
_ABBREVIATION = re.compile(r"\b(vs|e\.g|i\.e|etc|approx|no)\.", re.I)

#: Words and marks of asking.
_ASKING = re.compile(
    r"[?？]|\b(what|what's|whats|how|which|who|why|where|when|can|could|should|is|are|do|does|will|would|tips|tell|explain|describe|list|give)\b|"
    r"吗|么|什么|怎么|如何|哪|多少|几|啥|能否|是否|呢|咋|会不会|是不是|有没有|能不能|要不要|可不可以|介绍|说说|讲讲|(?<![需要追请寻诉])求|"
    r"([\u4e00-\u9fff])不\2",  # A-not-A: 大不大, 累不累
    re.I,
)

#: A clause that only offers a choice between two names ("…去了哪家啊,甲公司还是乙公司"): the options of the question
#: ("读了好多遍还是没弄懂" is no choice: 还是 says "still" there).
_CHOICE = re.compile(r"\W*([\u4e00-\u9fffA-Za-z0-9]{2,8})还是([\u4e00-\u9fffA-Za-z0-9]{2,8})\W*")
#: The first letters of jieba's tags of verbs, adverbs, particles, prepositions, conjunctions, pronouns and idioms: a side
#: of a choice holding one is a predicate, not a name (the tagger reads some names as adjectives: 微软).
_PREDICATE_TAGS = tuple("vdupcrli")


def _offers_choice(part: str) -> bool:
    m = _CHOICE.fullmatch(part)
    return bool(m) and not any(f.startswith(_PREDICATE_TAGS) for side in m.groups() for _, f in tag(side))


#: English auxiliaries ask only where they open the sentence ("Is it…", "Can I…"); inside one they state.
_AUX_INSIDE = re.compile(r"(?<=\w)(\W+)(is|are|do|does|can|could|should|will|would)\b", re.I)

#: An English sentence goes on, after a comma, to the asker telling of themselves ("give me the gist, I'm new
#: to all this"): that clause is a sentence of its own. (The comma is kept with the clause before.)
#: So does a conjunction followed by the asker ("what's the difference … and honestly I work in accounting"):
#: the clause is split before the conjunction.
_SELF_CLAUSE = re.compile(rf"(?<=,)(?=\s*(?:i'm|im|i am|i've|i was|my)\b)|(?<=[\w,])(?=\s+{_GOES_ON}(?:i|i'm|im|i am|i've|i'd|i'll|i was|my)\s)", re.I)

#: A statement about oneself that still asks ("I wonder which role…", "我想知道…").
#: A question retold ("my dad asked how a PM differs …") asks it too.
_WH_START = re.compile(
    r".*\b(wonder|wondering|want to know|wanna know|curious|asking)\b|.*\b(asked|asks)\b( \w+){0,2} (how|what|what's|why|which|whether|if|who)\b|.*(想知道|想问|请问|好奇)",
    re.I,
)


@lru_cache(maxsize=256)
def clauses(text: str) -> tuple[tuple[int, int, bool, bool, bool], ...]:
    """The sentences of a question as (start, end, asks something, the asker speaks of themselves, introduces
    what follows: "PM vs. operations:", "面试官问我:").

    Chinese clauses count as sentences of their own ("我下周要面试用户运营,它的关键指标是什么?"), except a
    condition, which belongs to the clause it conditions ("H1B没抽中的话,还能留在美国做产品经理吗?").
    """
    out: list[tuple[int, int, bool, bool, bool]] = []
    marked = bool(re.search(r"[?？]", text))
    for m in _SENTENCE.finditer(_ABBREVIATION.sub(lambda a: a.group().replace(".", " "), text)):
        splitter = _CLAUSE_ZH if re.search(r"[\u4e00-\u9fff]", m.group()) else _SELF_CLAUSE
        spans: list[list[int]] = []  # [start, end] of each clause in text; a Chinese comma between two is left out
        at = m.start()
        for cut in [*splitter.finditer(text, m.start(), m.end()), None]:
            end = cut.start() if cut else m.end()
            if spans and _CONDITION.search(text[spans[-1][0] : spans[-1][1]]) and not _SELF_STATEMENT.match(text[spans[-1][0] : spans[-1][1]]):
                spans[-1][1] = end  # "H1B没抽中的话,还能…吗?": the condition belongs to the question
            else:
                spans.append([at, end])
            at = cut.end() if cut else end
        merged = [text[a:b] for a, b in spans]
        for i, ((start, end), part) in enumerate(zip(spans, merged, strict=True)):
            own = bool(_SELF_STATEMENT.match(part))
            # A Chinese clause before the question states its topic ("美团外卖送得越来越快,跟数据分析有关系吗?").
            lead = bool(_LEAD_IN.search(part)) or (len(merged) > 1 and i < len(merged) - 1 and not own)
            # Where the question marks what it asks, the asker telling of themselves without one asks nothing
            # ("My cofounder is the PM. … ops has four core tasks, right? What are they?").
            asks = bool(_ASKING.search(part) or _offers_choice(part)) and not (own and marked and not re.search(r"[?？]", part) and not _WH_START.match(part))
            if asks and marked and not re.search(r"[?？]", part) and not _ASKING.search(_AUX_INSIDE.sub(" ", part)):
                asks = False  # "Our spend is tight." beside a marked question: an auxiliary inside a statement asks nothing
            out.append((start, end, asks, own, lead))
    return tuple(out)


def asking_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences that ask something; the whole text when none does."""
    return [(a, b) for a, b, asking, _, _ in clauses(text) if asking] or [(0, len(text))]


def topic_spans(text: str) -> list[tuple[int, int]]:
    """Where the question's topic may be named: the asking sentences and the lead-ins that introduce them; the
    whole text when no sentence asks ("I'm choosing between two jobs: product manager and operations.")."""
    parts = clauses(text)
    if not any(asking for _, _, asking, _, _ in parts):
        return [(0, len(text))]
    # A clause the question turns away from ("618时平台运营定规则,那品类运营负责什么?") is its contrast, not its topic.
    # One that the question points back to ("…像接力赛,那两者怎么分工?") stays its topic.
    turned = [i + 1 < len(parts) and bool(_TURN.match(nxt := text[parts[i + 1][0] : parts[i + 1][1]])) and not _BACK.search(nxt) for i in range(len(parts))]
    return [(a, b) for i, (a, b, asking, _, lead) in enumerate(parts) if asking or lead and not turned[i]]


#: Words pointing back to what was just said ("两者", "both of them").
_BACK = re.compile(r"两者|二者|两个|俩|它们|他们|她们|这些|那些|其中|\b(both|them|they|these|those|either)\b", re.I)

#: The start of a clause that turns from what was just said to what is asked ("…,那品类运营呢", "…, but what …").
_TURN = re.compile(r"\s*(那么?|而|可是|但是?)(?![个些里边时种样])|\s*(but|then|so)\b", re.I)


#: A sentence after the question that offers the asker's own guess to confirm ("就是负责买量拉新的那种吗",
#: "Is it the one that buys ads?").
_GUESS = re.compile(
    r"^\s*(就是|也就是|是不是|是那种|就是说|是指|大概就是|所以就是)|(的那种|那种|这种|那个)(吗|吧|嘛)|"
    r"^\s*(is it|is that|so it's|so its|so is it|so they|like|basically|i guess|i think it's)\b|,\s*right\s*[?？]*\s*$|"
    # A sentence that only names what the asker supposes, a few words trailing off ("… certification or smth?");
    # one with a verb of its own ("is the pay good or something?") asks.
    r"^\s*(?!(is|are|was|were|do|does|did|can|could|will|would|should|has|have|had|must|need|any)\b)[a-z][a-z'’-]*( [a-z][a-z'’-]*){0,2},? or (something|smth|sth|so|anything|whatever)\s*[?？.!]*\s*$",
    re.I,
)


#: A sentence that asks what, which or how much asks something of its own ("like what salary range…?"); it is
#: no guess to confirm.
_WH = re.compile(r"\b(what|which|how|who|why|when|where)\b|什么|哪|多少|怎么|为什么|为啥|几", re.I)


#: A guess offered against "something else" inside the sentence that asks ("is that X or something else",
#: "是指X还是别的"): X is what the asker supposes, not what they ask.
_OR_ELSE = re.compile(
    r"\b(?:is (?:it|that|this)|does (?:it|that|this) (?:mean|stand for)|do they mean)\s+([^,.?!，。？！]{2,60}?),?\s+"
    r"or (?:something else|something|smth|sth|what)\b"
    r"|(?:是指|指的是)([^,.?!，。？！]{2,20}?)(?:还是别的|还是其他|还是啥|还是什么|还是另外)",
    re.I,
)


def offered_guesses(text: str) -> list[tuple[int, int]]:
    """Spans of the guesses offered against "something else" (_OR_ELSE)."""
    return [m.span(1) if m.group(1) else m.span(2) for m in _OR_ELSE.finditer(text)]


def guess_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences after a first one that asks (not the asker telling about themselves) which only
    offer a guess to confirm, and of a guess offered against "something else" in any sentence."""
    offered = offered_guesses(text)
    parts = clauses(text)
    if not parts or not parts[0][2] or parts[0][3]:
        return offered
    return [(a, b) for i, (a, b, _, _, _) in enumerate(parts) if i > 0 and _GUESS.search(text[a:b]) and not _WH.search(text[a:b])] + offered


#: The asker telling where they come from ("I come from performance marketing", "我以前做销售").
_BACKGROUND = re.compile(
    r"\b(i come from|i'm coming from|coming from|background (is )?in|my background|used to (be|work)|i worked (in|as|at)|i've worked (in|as|at)|"
    r"previously (a|an|in|worked))\b|以前(做|是|干|在)|之前(做|是|干|在)|做过|干过|出身",
    re.I,
)


def background_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences that only tell the asker's background (they ask nothing)."""
    return [(a, b) for a, b, asking, _, _ in clauses(text) if not asking and _BACKGROUND.search(text[a:b])]


def sentence_at(text: str, pos: int) -> str:
    """The sentence (or Chinese clause) that holds pos."""
    return next((text[a:b] for a, b, _, _, _ in clauses(text) if a <= pos < b), "")


def conditioned(text: str, pos: int) -> bool:
    """Whether pos stands in a condition the question is asked under ("去甲公司的话,…?", "如果在乙城,…"): the
    asker's setting, not what they ask."""
    start = max((m.end() for m in re.finditer(r"[,，;；。？?！!]", text[:pos])), default=0)
    end = next((m.start() for m in re.finditer(r"[,，;；。？?！!]", text[pos:])), len(text) - pos) + pos
    return bool(_CONDITION.search(text[start:end]))


def said_of_self(text: str, pos: int) -> bool:
    """Whether the sentence at pos is the asker speaking of themselves ("I'm on an F-1 visa", "我想转行当护士")."""
    return any(a <= pos < b and own for a, b, _, own, _ in clauses(text))


def dislike_spans(text: str) -> list[tuple[int, int]]:
    """The clauses the asker says they dislike, from the cue to the clause's end ("不喜欢那种短期冲刺搞活动的")."""
    out = []
    for m in DISLIKE.finditer(text):
        end = CLAUSE_END.search(text, m.end())
        out.append((m.start(), end.start() if end else len(text)))
    # A judgement after what it judges ("organising events sounds draining", "写文案太累了"): the clause before
    # the cue, unless the judgement is asked ("活动运营会不会太累了吗").
    for a, b in cues()["disliked_after"].spans(text):
        if ASKED_AFTER.match(text, b):
            continue
        start = max((e.end() for e in CLAUSE_END.finditer(text, 0, a)), default=0)
        out.append((start, b))
    return out


def excepted(text: str, start: int, end: int) -> bool:
    """Whether the words at [start, end) are set aside by a cue of exception right before or after them
    ("除了X", "X以外", "apart from X"): the question asks about the others."""
    return start >= 0 and any(0 <= start - b <= 3 or 0 <= a - end <= 1 for a, b in cues()["except"].spans(text))


def excepted_clauses(text: str) -> list[str]:
    """What cues of exception set aside, each up to its clause's end ("apart from the data engineer")."""
    out = []
    for _, b in cues()["except"].spans(text):
        end = CLAUSE_END.search(text, b)
        out.append(text[b : end.start() if end else len(text)])
    return out


def occasion(text: str, start: int, end: int) -> bool:
    """Whether the words at [start, end) name the occasion of the question ("复试环节", "at the interview"),
    not what it asks."""
    return bool(OCCASION_AFTER.match(text[end : end + 4]) or OCCASION_BEFORE.search(text[max(0, start - 16) : start]))


def set_aside(text: str) -> str:
    """text with what the asker sets aside blanked ("not the six roles, but in general …" asks the part after
    "but"); positions are kept."""
    return SET_ASIDE.sub(lambda m: " " * len(m.group()), text)


def inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)
