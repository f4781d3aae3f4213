"""The language of asking: cues for comparing, listing, asking for a fit, hiring, greeting and following up,
and the words that carry no topic. The domain words themselves (roles, facets, terms) are glossary data.
"""

from __future__ import annotations

import re

FACET_PRIORITY = ("case", "metrics", "goal", "work", "overview")

GREETING = re.compile(
    r"^\s*(hi|hello|hey|hiya|yo|thanks|thank you|thx|good (morning|afternoon|evening)|bye|goodbye|"
    r"你好|您好|嗨|哈喽|谢谢|多谢|早上好|晚上好|在吗|再见)[\s!！.。,，~？?]*(there|呀|啊|哦)?[\s!！.。~？?]*$",
    re.I,
)
#: One side said, the other asked ("A builds it, so what does B do?", "A管X,那B管什么?"): two roles set against each other.
CONTRAST = re.compile(r"[,，;；]\s*(那|那么|而|可是?|但是?)|\b(but|while|whereas|so what|then what)\b", re.I)
COMPARE = re.compile(
    r"\b(vs\.?|versus|differen\w*|differ|diffs?|compar\w*|distinguish\w*|contrast|same as|in common|which one is|which is more|both of them|the two|comes? first|goes? first|in what order|split between|who does what|division of (labou?r|work|roles))\b|"
    r"区别|不同|差异|对比|比较|相比|差别|异同|区分|分清|分辨|不一样|一样吗|分工|两者|二者|哪个更|哪一个更|这两个|两个岗位|共同点|谁先|先后|顺序",
    re.I,
)
LIST = re.compile(
    r"\b(list|all|which|what|types|kinds|six|main|different|categories|name|how many)\b.*\b(roles|jobs|positions|functions|specialties|specializations|kinds of (ops|operations)|types of (ops|operations))\b|(哪些|哪几|六大|几种|几类|分类|种类|都有|有什么|几个|常见).*(岗位|职位|角色|运营)|(岗位|职位|角色)\S*(哪些|哪几|几种|几类|有什么)",
    re.I,
)
#: Asking for a fit: "which role suits me", "what should I go for", "适合哪个岗位".
FIT = re.compile(
    r"\b(suit|suits|suited|suitable|fits?(?! together| in with| into| with each other)|good fit|right for me|best for me|recommend\w*|closest|best match|match|matches|"
    r"what (role|job|position|kind of|type of)\w* should i|should i (go for|choose|pick|try|apply|do|focus|become)|what should i|"
    r"closer to|more of an?|more like an?|for (someone|somebody|people|a person) like me|(role|job|position) for me|is (that|this|it) more|(role|job|position) for (that|this|someone like me))\b|"
    r"适合|合适|推荐|选哪|对口|匹配|最接近|更接近|更像|哪个方向|我该|该选|该做|(应该|该)(找|去|投|选)",
    re.I,
)
WHICH_FIT = re.compile(r"\bwhich (role|job|position|direction|path|one|kind|type|ops|operations)\b|哪个岗位|哪种|哪类|哪个方向|哪个运营", re.I)
#: Asking how to do something ("How should I write …?"): a how-to, not a request for a fit.
HOW_TO = re.compile(r"\b(how|when|where|why)\s+(should|do|can|could|would|shall)\s+i\b", re.I)
FOR_ME = re.compile(r"\b(for me|should i|would i|could i|me best|suit me|fit me|i aim)\b|我", re.I)
#: Saying what one is good at or likes.
STRENGTH = re.compile(
    r"\b(i'?m good at|i am good at|good at|(i|me) (really )?(like|love|enjoy)|my strength\w*|strong at|i'?m into|great at|skilled)\b|"
    # Said of someone else ("my son … but likes understanding users", "她喜欢写东西").
    r"\b(likes|loves|enjoys)\b|\b(he|she|who)('s| is| are)( really)? into\b|\b(is|are) (really )?into\b|"
    r"擅长|(?<![不没])喜欢|我爱|就爱|特别爱|最爱|强项|[我他她]对.*感兴趣|我会|我能|[他她]爱",
    re.I,
)
FOLLOWUP = re.compile(
    r"^\s*(and|so|what about|how about|also|then|ok|okay)\b|\b(it|its|it's|they|them|their|that role|this role|that one|"
    r"this one|that job|this job|the second one|the first one|there|those|that person|this person|those people|that position|"
    r"this position|he|she|his|her|such a role|that team|this team|the two|these two|those two|both of them|the pair|(this|that) (example|case|company|story))\b|^\s*(那|那么|还有|其中|另外)|它|他们|这两个|那两个|这俩|两者|二者|他俩|它俩|(这|那)(个|次)?(案例|例子|公司|故事)|这个岗位|那个岗位|这个角色|该岗位|这个职位|那这个|这个呢|在里面|里面的|在其中|在这里面|在这个例子|在这次",
    re.I,
)
#: A space between Chinese and what follows it, where a phone user leaves out the comma.
#: Question words typed in pinyin inside Chinese ("那它具体负责shenme"): the characters they stand for.
PINYIN_ASKING = {
    "shenme": "什么",
    "shenmeyang": "什么样",
    "weishenme": "为什么",
    "zenme": "怎么",
    "zenmeyang": "怎么样",
    "nage": "哪个",
    "naxie": "哪些",
    "najige": "哪几个",
    "duoshao": "多少",
    "gansha": "干啥",
    "ganma": "干嘛",
    "shibushi": "是不是",
    "youmeiyou": "有没有",
}
PINYIN_IN_CHINESE = re.compile(
    r"(?<=[\u4e00-\u9fff])\s*(" + "|".join(sorted(PINYIN_ASKING, key=len, reverse=True)) + r")(?![a-z])"
    r"|(?<![a-z])(" + "|".join(sorted(PINYIN_ASKING, key=len, reverse=True)) + r")\s*(?=[\u4e00-\u9fff])",
    re.I,
)
CJK_SPACE = re.compile(r"(?<=[\u4e00-\u9fff]) +(?=[\u4e00-\u9fff\d])|(?<=\d) +(?=[我你他她])")
#: Pointing at the role the conversation is about ("that same position", "这个岗位").
SAME_ROLE = re.compile(r"\b(same|that|this) (role|job|position)\b|(这个|那个|同一个|同个|该)(岗位|角色|职位)", re.I)
#: Question filler that carries no topic (beyond the stop words BM25 already drops).
FILLER = frozenset(
    """做 干 干嘛 主要 负责 平时 具体 一般 通常 到底 究竟 东西 啥 呢 哪 些 岗位 职位 角色 工作 讲讲 说说 介绍 介绍一下 了解 知道 告诉
    是不是 有没有 需要 应该 大概 主要是 这 那 都 文章 里 说 讲 actual actually really usual usually main mainly exactly basically
    generally typical typically know want need tell give show describe explain article say said person people someone team guy folk""".split()
)
#: Chat words and slang ("lol", "ok", "说人话"): how a question is said, never what it asks.
CHAT = frozenset(
    """lol tbh ppl pls plz thx btw imo omg gonna wanna kinda sorta hey hi hello ok okay quick q yeah yes guys u ur
    im ive rn idk tho bc cuz dont doesnt didnt cant isnt arent wont whats thats theres ugh hmm meh haha lmao uh um
    说人话 讲人话 大白话 通俗点 简单点 直说""".split()
)
#: Choosing one among the roles a count names ("which of the six roles …", "六个岗位里哪一个…"): asks which role.
CHOOSE_AMONG = re.compile(
    r"\bwhich (one )?of the (\w+ )?(ops |operations )?(roles|jobs|positions)\b|(岗位?|职位|角色|运营)[^，,。？?]{0,4}(里|中|之中|当中)的?(哪个|哪一个|哪种|哪类)",
    re.I,
)
#: "Which role does X?" asks the article to name a role, so the generic "ops" is not a constraint.
WHICH_ROLE = re.compile(
    r"\b(which|what) (\w+ )?(ops |operations )?(role|job|position|team|function)s?\b|\b(which|what) (\w+ )?(job|ops|operations) titles?\b|\bwhat('s| is) (that|this|the|such a) (role|job|position) called\b|叫什么(岗位|职位|运营)|\bwhat (kind|type|sort) of (ops |operations )?(role|job|position)\b|\bwho (is|are|does|do|writes|decides|sets|handles|takes care)\b|哪个岗位|哪种运营|哪类运营|哪个运营|谁负责|谁来|是谁|由谁|谁在|谁会|哪个角色|哪一个岗位|什么岗位|什么角色|什么职位|哪类岗位|哪个职位|哪种岗位",
    re.I,
)
#: Asking whom to hire for a need ("产品刚上线没用户,第一个该招什么样的运营?", "Who should I hire first?"): the
#: need names the role, as in "which role does X".
HIRE = re.compile(
    r"\b(who|whom|what kind of (person|people|ops|operations|role)|which (role|kind of|type of))\b[^?.!]{0,20}\b(hire|recruit|bring on|bring in)\b|"
    r"\bhire (first|next)\b|招(什么样|哪类|哪种|什么|哪个|谁)|(先|该|应该|需要)招",
    re.I,
)
#: Asking under which role something named sits ("which role does it sit under", "归哪个运营管"): the role that
#: owns it, not a fit for the asker.
OWNER = re.compile(
    r"\b(is|was|are|were) (it|that|this|they|those) (under|part of|filed under)\b|\b(does|did) (it|that|this) (belong|fall|sit|go)\b|"
    r"\bunder which\b|属于哪|归哪|归属于?哪|算哪个|是哪个(岗位|运营)(的|负责|做)",
    re.I,
)
#: Asking what the article names for something ("what does the article list for …", "文章里列了哪些"): the
#: article's own list, not a fit for the asker.
ARTICLE_NAMES = re.compile(
    r"\b(does|do|did) (the |this |that )?(article|author|piece|text|post) (list|name|mention|give)\b|文章(里|中)?(列|举|提到|说)了?哪些", re.I
)
#: Asking about the article itself ("what metaphor does the article use", "文章为什么拿接力赛来比喻").
ABOUT_ARTICLE = re.compile(
    r"\b(article|text|author|metaphor|analogy|compare[sd]?|comparison|likened?|bit about|part about|section|passage|the point of)\b|"
    r"文章|文中|作者|比喻|比方|类比|比作|好比|那段|这段|那部分",
    re.I,
)
#: Words that may stand beside a request for the list of roles.
LIST_WORDS = frozenset(
    "six main most common core different all list type kind name many key typical popular major 六大 常见 核心 主要 几种 几类 分类 种类 一共 总共 互联网 行业 最常见 哪几个 哪几种 哪几类 哪些 几个 有哪些 都有 分别 是哪 which".split()
)
ROLE_WORDS = re.compile(r"\b(roles?|jobs?|positions?|careers?|ops|operations|product manager|pm)\b|岗|职位|工作|方向|运营|产品经理|职业", re.I)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
#: "The six roles", "六大运营岗位": a count of roles asks for the list, whatever else the question says.
STRONG_LIST = re.compile(
    r"(?<!their )(?<!its )(?<!your )(?<!my )\b(six|6|all( of)? the|most common|what kinds of|what types of|which kinds of)\b.{0,30}\b(ops |operations )?(roles|jobs|positions|functions)\b|"
    r"\bhow many (core |main |different |kinds of |types of )*(ops |operations )?(roles|jobs|positions|functions)\b|"
    r"(六大|六个|六种|六类|6[大个种类]|最常见|所有|全部|最主流|主流).{0,6}(运营)?(岗位?|职位|角色|方向|工种)|运营(岗位|工种|职位)?(有|分)?(几类|几种|哪几类|哪几种)|"
    # "岗位……是哪六个?" (or the short 岗): which N they are, asked of the roles (not "哪两个岗位最…", which chooses among them).
    r"((?<![转上下换离在])岗位?|职位|角色|工种)[^?？]{0,24}哪[两二三四五六七八九十\d]+[个种类项](?=\s*(?:[?？,，。!！]|$|列|呢|啊|呀))",
    re.I,
)
#: The speaker talks about themselves (a fit question needs a person to fit).
PERSON = re.compile(
    r"\b(i|i'm|i've|im|me|my|myself|someone|somebody|a person|people who|anyone who|candidate|applicant|my friend|he|she|him|her)\b|我|本人|他|她|候选人",
    re.I,
)
#: "产品和运营", "product vs ops": product named beside operations is the product manager's side.
PRODUCT_AND_OPS = re.compile(
    r"产品(?:岗|侧|端)?\s*(?:和|跟|与|及|还是|或者?|vs\.?|/|、)\s*运营|运营(?:岗|侧|端)?\s*(?:和|跟|与|及|还是|或者?|vs\.?|/|、)\s*产品(?!运营|经理|功能)|"
    r"\bproduct\s*(?:and|vs\.?|versus|or|/|&)\s*(?:ops|operations)\b|\b(?:ops|operations)\s*(?:and|vs\.?|versus|or|/|&)\s*product\b(?!\s*(?:ops|operations|manag))",
    re.I,
)
#: Words that set a role aside: "instead of PM", "而不是产品经理".
NEGATION = re.compile(r"\b(instead of|rather than|not|other than|except)\s+(an?\s+|the\s+)?$|(而不是|不是|不做|不想做|除了)\s*$", re.I)
#: What sets aside the rest of its clause as disliked: "我不喜欢那种搞活动的", "I hate doing events".
DISLIKE = re.compile(
    r"\b(hate|dislike|don'?t (like|want|enjoy)|do not (like|want|enjoy)|not into|can'?t stand)\b|不(太|怎么|大)?(喜欢|想|爱)|讨厌|受不了", re.I
)
#: What parts two clauses of one question: "what does it do, and how is it measured", "负责什么、考核看啥".
CLAUSE_BREAK = re.compile(r"[,，、;；?？]|\b(and|also|plus)\b|以及|还有|另外|和", re.I)
#: Where a clause ends.
CLAUSE_END = re.compile(r"[,.;:!?，。;:！？]|\bbut\b|但是?|不过|更")
#: Before a strength, what turns it into a dislike: "rather … than", "not", "hate", "不喜欢", "比起" (within the clause).
NOT_LIKED = re.compile(
    r"(\bthan\b|\bnot\b|n't\b|\bhate\b|\bdislike\b|\bwithout\b|\bavoid\b|\bno\b|\bbad at\b|\bweak at\b|\bstruggle with\b|"
    r"不(太|怎么|大|是很)?(喜欢|擅长|善于|爱|会|想)|讨厌|而不是|比起)[^,.;:!?，。;:！？]*$",
    re.I,
)
#: After a dislike cue, what turns the rest back into a liking: "比起写文案我更喜欢搞活动", "not X but rather Y".
PREFERRED = re.compile(r"更喜欢|更爱|更想|更愿意|倒是|\b(prefer|rather|instead|but|more into)\b", re.I)
#: Hiring for a role one names ("when hiring a data operations person", "招数据运营要看什么"): the asker wants
#: to know the role, not what suits them.
HIRING = re.compile(
    r"\b(hire|hiring|recruit|recruiting|interviewing candidates)\b|招聘|招人|招一个|招个|"
    r"招(一名|名)?(?!商)(?=[\u4e00-\u9fff]{0,4}(运营|经理|设计师|分析师|专员))",
    re.I,
)
#: Choosing between named roles: "产品经理还是运营?", "PM or ops?".
CHOICE = re.compile(r"还是|或者|\bor\b", re.I)
#: A role named by what it does: "the folks who manage the customer base", "负责拉量买量那拨人".
DESCRIBED = re.compile(
    r"\b(people|person|folks|guys|team|ones|someone|somebody|role|job|position|those|staff|employees?)\s+(who|that|whose|where|in which|handling|doing|"
    r"running|managing|responsible for|in charge of)\b|(负责|管|做|搞|干|写).{1,14}?(的|那类|那种|这类|这种|之类的?)(人|那拨人|那些人|那帮人|同事|那种|那个|岗位|职位|运营)",
    re.I,
)
#: "And the other one?": the role of an earlier pair that the latest turn was not about.
OTHER = re.compile(r"\b(the )?other (one|role|job|position|side|option)\b|另一个|另外一个|另一种|另外那个|另一边|另一方", re.I)
#: Ordinals that point into an earlier list ("the fourth one", "第五个").
ORDINALS = (
    ("first", "1st", "第一"),
    ("second", "2nd", "第二"),
    ("third", "3rd", "第三"),
    ("fourth", "4th", "第四"),
    ("fifth", "5th", "第五"),
    ("sixth", "6th", "第六"),
    ("seventh", "7th", "第七"),
    ("eighth", "8th", "第八"),
    ("ninth", "9th", "第九"),
    ("tenth", "10th", "第十"),
)

#: Asking for the itemised duties ("core tasks", "具体工作") rather than what a role is about.
ITEMS = re.compile(
    r"\b(tasks|duties|list|itemi[sz]e|steps|includes?|consists? of|break (it |that |this )?down|broken down|(core|main|key|four|three|two) (jobs|responsibilities|parts|pillars|areas))\b|"
    r"具体工作|工作内容|包括|哪几(项|步|块|件|个方面|部分)|几个步骤|步骤|环节|拆开|拆解|列一下|分别",
    re.I,
)


#: A topic named as the occasion of the question ("复试环节要考察哪些…", "at the interview, which numbers…"):
#: the setting of what is asked, not what is asked. The text right after the topic, and right before it.
#: A greeting that addresses the reader ("老师好,", "各位大佬好"): a form of address, not a topic (老师 the job).
ADDRESS = re.compile(r"^\s*(各位|亲爱的)?(老师|大佬|前辈|学长|学姐|师兄|师姐|大神|博主|作者)们?(好|您好|你好)[,，!！。~～\s]*")
#: What the asker sets aside before asking what they mean ("not the list of roles, but …", "不是问岗位，而是…"):
#: the words from the negation to the turn ("but", 而是) are no part of the question.
SET_ASIDE = re.compile(
    r"\b(?:not|rather than)\s+(?!just\b|only\b|merely\b|simply\b|sure\b)[^,.;:?!，。；：？！]{1,40}?(?:[,，;；]\s*|\s+)but\b"
    r"|(?<![我他她它])不是(?!很|太|特别|非常|只|仅)[^，,。？?！!；;]{1,20}[，,；;]?\s*而是",
    re.I,
)
OCCASION_AFTER = re.compile(r"^(的时候|时候|期间|过程中|环节|[时中](?![\u4e00-\u9fff]))")
OCCASION_BEFORE = re.compile(r"\b(during( the| an| a| my| your| our)?|(in|at|for)( the| an| a| my| your| our)( [a-z]+)?)\s*$|(为了|准备|备战|应付)$", re.I)

#: Asking for a role's work in steps ("拆开来有哪几步", "break it down").
STEPS = re.compile(
    r"\b(steps|break (it |that |this )?down|broken down|(two|three|four|five|main|core|key)( main| core| key)? (parts|things))\b|哪几步|几个步骤|步骤|环节|拆开|拆解|几件大事",
    re.I,
)

#: "In that 618 example, who …": the example is where to look, not what is asked for.
EXAMPLE_CONTEXT = re.compile(
    r"\b(in|from|about|with) (the|that|this)\b[^?.!]{0,60}?\b(example|case)\b|\b(that|this) (example|case) (is|was)\b|(例子|案例)(里|中|里面|当中)|(那个|这个|那|这)(例子|案例)",
    re.I,
)
