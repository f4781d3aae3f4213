"""The language of asking: the named rules of assistant/data/asking.json (comparing, listing, asking for a fit,
hiring, greeting, following up …) compiled once, and the words that carry no topic. The domain words themselves
(roles, facets, terms) are glossary data; the cue sets of assistant/data/cues.json are in cuewords.
"""

from __future__ import annotations

import re

from .cuewords import asking, asking_words
from .tokens import with_stems

FACET_PRIORITY = ("case", "metrics", "goal", "work", "overview")

ABOUT_ARTICLE = asking("about_article")
ADDRESS = asking("address")
ARTICLE_NAMES = asking("article_names")
CHOICE = asking("choice")
CHOOSE_AMONG = asking("choose_among")
CLAUSE_BREAK = asking("clause_break")
CLAUSE_END = asking("clause_end")
COMPARE = asking("compare")
CONTRAST = asking("contrast")
DESCRIBED = asking("described")
DISLIKE = asking("dislike")
EXAMPLE_CONTEXT = asking("example_context")
FIT = asking("fit")
FOLLOWUP = asking("followup")
FOR_ME = asking("for_me")
GREETING = asking("greeting")
HIRE = asking("hire")
HIRING = asking("hiring")
HOW_TO = asking("how_to")
ITEMS = asking("items")
LIST = asking("list")
NEGATION = asking("negation")
NOT_LIKED = asking("not_liked")
OCCASION_AFTER = asking("occasion_after")
OCCASION_BEFORE = asking("occasion_before")
OTHER = asking("other")
OWNER = asking("owner")
PERSON = asking("person")
PREFERRED = asking("preferred")
PRODUCT_AND_OPS = asking("product_and_ops")
ROLE_WORDS = asking("role_words")
SAME_ROLE = asking("same_role")
SET_ASIDE = asking("set_aside")
STEPS = asking("steps")
STRENGTH = asking("strength")
STRONG_LIST = asking("strong_list")
WHICH_FIT = asking("which_fit")
WHICH_ROLE = asking("which_role")
WHO_DOES = asking("who_does")
WHICH_SIDE = asking("which_side")

#: Word lists, English words also as stems (questions are compared token by token, and tokens are stems).
FILLER = with_stems(asking_words("filler"))
CHAT = with_stems(asking_words("chat"))
LIST_WORDS = with_stems(asking_words("list_words"))
COVERAGE_WORDS = with_stems(asking_words("coverage_words"))
#: Question words typed in pinyin inside Chinese ("那它具体负责shenme"): the characters they stand for.
PINYIN_ASKING: dict[str, str] = dict(asking_words("pinyin_asking"))
PINYIN_IN_CHINESE = re.compile(
    r"(?<=[\u4e00-\u9fff])\s*(" + "|".join(sorted(PINYIN_ASKING, key=len, reverse=True)) + r")(?![a-z])"
    r"|(?<![a-z])(" + "|".join(sorted(PINYIN_ASKING, key=len, reverse=True)) + r")\s*(?=[\u4e00-\u9fff])",
    re.I,
)
#: Ordinals that point into an earlier list ("the fourth one", "第五个").
ORDINALS: tuple[tuple[str, ...], ...] = tuple(tuple(o) for o in asking_words("ordinals"))
#: A space between Chinese and what follows it, where a phone user leaves out the comma.
CJK_SPACE = re.compile(r"(?<=[\u4e00-\u9fff]) +(?=[\u4e00-\u9fff\d])|(?<=\d) +(?=[我你他她])")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
