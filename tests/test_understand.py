"""Question understanding without a model: the glossary, sentences, typos, unknown phrases, follow-ups."""

from __future__ import annotations

import pytest

from assistant.lexicon import load_lexicon
from assistant.sentences import asking_spans, clauses, said_of_self
from assistant.understand import understand

from .conftest import CORPUS


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon(CORPUS)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("what does prodcut opertions measure", "what does product operations measure"),
        ("trafic ops metircs", "traffic ops metrics"),
        ("contnet ops goal", "content ops goal"),
    ],
)
def test_typos_next_to_glossary_words_are_repaired(lexicon, typed, meant):
    assert lexicon.repair(typed) == meant


@pytest.mark.parametrize(
    "text",
    [
        "I keep seeing ARPU in job descriptions",  # seeing is a word, not a slip of "seeding"
        "Is there a concrete success story?",  # there / three
        "Which ops role tracks it?",  # an inflection, not a slip
        "Can ops run a contest?",  # a substitution: contest is not content
    ],
)
def test_real_words_are_left_alone(lexicon, text):
    assert lexicon.repair(text) == text


def test_side_remarks_are_not_the_question():
    text = "User ops vs traffic ops - which one is about lifecycle? I'm prepping for an interview."
    spans = asking_spans(text)
    assert all(not (a <= text.index("interview") < b) for a, b in spans)
    zh = "我下周要面试用户运营,它的关键指标是什么?"
    assert all(not (a <= zh.index("面试") < b) for a, b in asking_spans(zh))
    conditional = "H1B没抽中的话,还能留在美国做产品经理吗?"
    assert asking_spans(conditional) == [(0, len(conditional))]
    # The asker telling of themselves after "and" ("… and honestly I'm a nurse") is a clause of their own.
    told = "what does a PM do all day and honestly I'm a nurse so no idea. short answer?"
    assert said_of_self(told, told.index("nurse")) and not said_of_self(told, told.index("PM"))
    assert all(not (a <= told.index("nurse") < b) for a, b in asking_spans(told))
    retold = "my boss asked what a PM does and I teach piano, so no clue. any pointers?"
    assert any(a <= retold.index("PM") < b for a, b in asking_spans(retold))  # a question retold asks it


@pytest.mark.parametrize(
    "text",
    [
        "what does a PM do all day and honestly I'm a nurse so no idea. short answer?",
        "我下周要面试用户运营,它的关键指标是什么?",
        "H1B没抽中的话，还能留在美国做产品经理吗?",
        "give me the gist, I'm new to all this. What is ops?",
    ],
)
def test_clauses_are_spans_of_the_text_as_written(text):
    parts = clauses(text)
    assert parts[0][0] == 0 and parts[-1][1] == len(text)
    for (_, end, *_), (start, *_) in zip(parts, parts[1:], strict=False):
        assert end <= start <= end + 1  # next to each other; at most the comma between two Chinese clauses is left out
        assert text[end:start] in ("", ",", "，")


@pytest.mark.parametrize(
    ("question", "unknown"),
    [
        ("What does an SEO specialist measure?", ("SEO specialist",)),
        ("客服运营的KPI一般有哪些", ("客服运营",)),
        ("What's DAU?", ("DAU",)),
        ("What is the GMV target of user ops?", ("GMV",)),  # beside a facet: what is asked about
        ("What does user ops do, so I can put it in the JD?", ()),  # an acronym beside a named role is context
        ("What do the different ops roles have in common?", ()),
        ("I'm a data analyst and love numbers. Which ops role suits me?", ()),  # a recommendation states a background
    ],
)
def test_unknown_phrases(lexicon, question, unknown):
    assert understand(question, lexicon).unknown == unknown


@pytest.mark.parametrize(
    ("history", "question", "role"),
    [
        (["What are the six core ops roles?"], "What about the fourth one?", "product_ops"),
        (["六大运营岗位都是哪些"], "第五个是啥", "traffic_ops"),
        (["Compare user ops and data ops"], "and the second one's goal?", "data_ops"),
        (["Compare user ops and data ops"], "what does the latter measure?", "data_ops"),
    ],
)
def test_ordinals(lexicon, history, question, role):
    assert understand(question, lexicon, history).roles == (role,)


@pytest.mark.parametrize(
    ("question", "role"),
    [
        ("for the content / copywriting side of ops, what matters?", "content_ops"),
        ("what does the events team aim for?", "activity_ops"),
        ("做投放获客的那些人看什么指标", "traffic_ops"),
    ],
)
def test_roles_named_by_their_distinctive_word(lexicon, question, role):
    assert role in understand(question, lexicon).roles


def test_mixed_language_question_is_answered_in_its_main_language(lexicon):
    assert understand("content ops 主要做啥", lexicon).lang == "zh"
    assert understand("What does 用户运营 mean?", lexicon).lang == "en"


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("I'm a numbers person, I love spreadsheets. Which kind of ops job would fit me best?", "recommend"),
        ("I write well and make short videos for fun. Which kind of operations job should I aim for?", "recommend"),
        ("我对投广告、算获客成本特别感兴趣,对应的是哪种运营?", "recommend"),
        ("I love writing and talking to users. Should I be a product manager or go into ops?", "recommend"),
        ("Which SQL or BI tools should I learn to get hired for data ops?", "out_of_scope"),
    ],
)
def test_intents(lexicon, question, intent):
    assert understand(question, lexicon).intent == intent


def test_who_does_what_is_not_a_fit_question(lexicon):
    q = understand("I'm a recruiter staffing a 618 team. Which role sets the merchant onboarding rules?", lexicon)
    assert q.intent != "recommend"


def test_a_time_word_before_ops_is_not_a_kind_of_ops(lexicon):
    assert understand("产品上线以后运营主要干哪几件事?", lexicon).unknown == ()
    assert understand("游戏运营的KPI有哪些?", lexicon).unknown == ("游戏运营",)


@pytest.mark.parametrize(
    ("question", "unknown"),
    [
        ("投资经理平时都做些什么工作?", ("投资经理",)),
        ("SEO专员主要负责啥工作", ("SEO专员",)),
        ("产品经理平时做什么?", ()),  # a glossary role
        ("运营经理要管几个人?", ()),  # operations, with a title after it
    ],
)
def test_chinese_job_titles_the_glossary_does_not_know(lexicon, question, unknown):
    assert understand(question, lexicon).unknown == unknown


def test_the_other_one_is_the_other_role_of_an_earlier_pair(lexicon):
    history = ["I'm choosing between two jobs: product manager and operations.", "What does the product manager do?"]
    assert understand("and the other one?", lexicon, history).roles == ("ops",)
    zh = ["产品经理和运营我在纠结。", "运营是做什么的?"]
    assert understand("那另一个呢?", lexicon, zh).roles == ("pm",)


def test_a_guess_after_the_question_is_not_what_is_asked(lexicon):
    q = understand("流量运营是干嘛的?就是负责买量拉新的那种吗", lexicon)
    assert (q.roles, q.facet, q.terms) == (("traffic_ops",), "overview", ())
    en = understand("What does traffic ops do? Is it the one that handles retention?", lexicon)
    assert en.terms == ()


def test_asking_for_steps_asks_for_the_itemised_work(lexicon):
    q = understand("产品经理的活儿拆开来有哪几步?", lexicon)
    assert (q.roles, q.facet, q.itemised) == (("pm",), "work", True)


def test_product_beside_operations_is_the_product_manager(lexicon):
    q = understand("都说产品和运营像接力赛,那两者到底怎么分工的?", lexicon)
    assert (q.intent, q.roles) == ("compare", ("pm", "ops"))
    assert understand("product vs ops, which is more creative?", lexicon).roles == ("pm", "ops")
    assert understand("产品运营做什么?", lexicon).roles == ("product_ops",)


def test_where_the_asker_comes_from_is_not_the_topic(lexicon):
    q = understand("I come from performance marketing (paid ads). Which ops role is basically about getting users cheaply?", lexicon)
    assert (q.intent, q.roles) == ("which_role", ("ops",))


def test_the_askers_own_job_title_is_not_an_unknown_topic(lexicon):
    q = understand("If I've spent years as a sales manager deciding how to price product lines, which 618-type ops role is the closest match?", lexicon)
    assert q.unknown == ()
    assert understand("What does a sales manager do?", lexicon).unknown == ("sales manager",)


@pytest.mark.parametrize(
    "question", ["How should a PM set quarterly OKRs for their team?", "双十一怎么凑满减才最划算?", "想去海外大厂做产品经理,有哪些公司推荐?"]
)
def test_more_uncovered_topics(lexicon, question):
    assert understand(question, lexicon).intent == "out_of_scope"


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("Any tips for running the anchor leg in a 4x100m relay race?", "out_of_scope"),  # the article's figure in its own sense
        ("What race metaphor does the article use for PMs and ops?", "role"),
        ("What's China's current CPI inflation rate?", "out_of_scope"),
        ("电商客服一天大概要回复多少条咨询?压力大不大", "out_of_scope"),  # A-not-A asks
        ("会员体系在运营里是起什么作用的?", "term"),  # the term is the subject, operations its setting
        ("I've got an interview for an activity ops role next week — what KPIs should I be ready to talk about?", "role"),
    ],
)
def test_near_misses_at_the_border_of_the_corpus(lexicon, question, intent):
    assert understand(question, lexicon).intent == intent


@pytest.mark.parametrize(
    ("question", "roles", "intent"),
    [
        ("管用户的运营和管产品的运营,到底差在哪儿?", ("user_ops", "product_ops"), "compare"),
        ("互联网圈子里最主流的运营工种有几类?都叫啥?", ("ops",), "list"),
        ("I enjoy reading app-store reviews and pushing for small feature changes — is that more a product ops thing?", ("product_ops",), "recommend"),
    ],
)
def test_roles_and_intents_in_unusual_phrasings(lexicon, question, roles, intent):
    q = understand(question, lexicon)
    assert (q.roles, q.intent) == (roles, intent)


def test_the_two_of_them_after_two_roles_is_a_comparison(lexicon):
    q = understand("那这两个岗位最终有什么共同点?", lexicon, ["产品经理主要做什么?", "那运营人员呢?"])
    assert q.intent == "compare" and set(q.roles) == {"pm", "ops"}


@pytest.mark.parametrize(
    ("question", "skills"),
    [
        ("I'd rather dig into dashboards than write copy or chat with customers. Which ops job would suit me?", ("numbers",)),
        ("我不喜欢写文案,但数据分析还行,适合做啥?", ("numbers",)),
        ("比起写文案我更喜欢搞活动,适合哪个运营?", ("events",)),  # the dislike is turned back by 更喜欢
        # The judgement comes after what it judges.
        ("Numbers and dashboards are my thing. Writing copy sounds draining. What ops work would I enjoy?", ("numbers",)),
        ("我对数据分析挺感兴趣,写文案太累了,适合哪个运营?", ("numbers",)),
        # Asked, it is no dislike.
        ("写文案会不会太累了?我喜欢写东西,适合哪个运营?", ("writing",)),
        # A softened dislike (不太喜欢, 不怎么爱) is one too; 合适 asks for a fit as 适合 does.
        ("我不太喜欢和人沟通,看报表倒是很有耐心,做哪种运营合适?", ("numbers",)),
    ],
)
def test_what_the_asker_would_rather_not_do_is_no_strength(lexicon, question, skills):
    assert understand(question, lexicon).skills == skills


def test_a_phrase_s_first_word_inflects_as_a_verb_but_an_outside_topic_is_matched_as_written(lexicon):
    assert "work" in [m.id for m in lexicon.find("she keeps working on it all week") if m.kind == "facets"]
    assert not [m for m in lexicon.find("I majored in history") if m.kind == "oos"]
    assert understand("What did they say activity ops works on?", lexicon).facet == "work"


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("产品经理和运营该怎么区分?", "compare"),
        ("During the interview, which metrics of a user ops candidate should I dig into?", "role"),
    ],
)
def test_telling_apart_and_hiring_for_a_role(lexicon, question, intent):
    assert understand(question, lexicon).intent == intent


def test_homophones_put_back_a_name_but_never_a_real_word():
    from assistant.mixed import Homophones

    h = Homophones(["产品经理", "用户运营"])
    assert h.repair("想当产品经里需要什么") == "想当产品经理需要什么"
    assert h.repair("我有三年产品经历") == "我有三年产品经历"  # 经历 (experience) is a word of its own
    assert h.repair("用户云营") == "用户运营"
    assert h.repair("产品") == "产品"


def test_how_many_roles_asks_for_the_list(lexicon):
    assert understand("Quick one for a slide: how many ops roles does the article cover?", lexicon).intent == "list"


def test_a_follow_up_with_an_ask_of_its_own_does_not_inherit_the_facet_before(lexicon):
    q = understand("how does it get in touch with each kind of customer then?", lexicon, ["what is user ops?", "what are its KPIs?"])
    assert q.roles == ("user_ops",) and q.facet != "metrics"


def test_a_two_word_name_with_one_word_slipped_is_put_back_but_not_an_everyday_phrase(lexicon):
    assert lexicon.repair("how is traffic oops measured") == "how is traffic ops measured"  # "oops" is an English word
    assert lexicon.repair("how is user opps judged") == "how is user ops judged"
    assert lexicon.repair("what goes into the product managers job") == "what goes into the product managers job"


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("What is the growth in salary for user ops, and what do they track?", "out_of_scope"),  # "in" is no occasion
        ("用户运营的薪资中位数是多少，平时干嘛？", "out_of_scope"),  # 中位数 is no occasion
        ("How many people usually work in ops roles at a startup?", "role"),  # a count of people lists no roles
        ("招商运营适合我吗？我性格外向", "recommend"),  # 招商 is no hiring
    ],
)
def test_cues_that_must_not_fire_beyond_their_sense(lexicon, question, intent):
    assert understand(question, lexicon).intent == intent


def test_a_short_english_word_beside_a_name_is_meant_and_the_role_named_keeps_its_own_company(lexicon):
    assert lexicon.repair("after a user opts in to alerts") == "after a user opts in to alerts"
    q = understand("What did Didi do in that role?", lexicon, ["What does user ops do?", "Tell me about the Meituan example"])
    assert q.roles == ("user_ops",) and q.companies == ("didi",)


@pytest.mark.parametrize(
    ("question", "history", "intent", "roles", "facet"),
    [
        # What the asker was (an occupation) is the background of a fit they ask with their traits.
        ("我以前当会计,算账很细心,对数字敏感,哪种运营适合我?", [], "recommend", None, None),
        # What is set aside ("not X, but Y") is no part of the question; four core things a role does are its duties.
        ("not the list of roles, but what are the four core things operations people do?", [], "role", ("ops",), "work"),
        # 最后那个 after the list of roles is the last role.
        ("最后那个负责什么", ["六大运营岗位分别叫什么"], "role", ("data_ops",), None),
        # After a turn about one thing (a term), an ordinal counts in the duties listed before it.
        ("the second one?", ["what are the core parts of ops work?", "what does win-back mean?"], "role", ("ops",), "work"),
        # A clause the question turns away from (…,那X) names no topic.
        ("文章说大促时平台运营定规则,那品类运营负责什么", [], "role", ("category_ops",), None),
        # "that role" after an example, with no role named before: the role the example is under.
        ("and its goal, for that role?", ["what happened in the Didi example?"], "which_role", None, "goal"),
        # Under which role a named example sits is asked of the example, not a fit for the asker.
        ("I do marketing at a cosmetics shop. the Xiaohongshu seeding example - which ops role does it sit under?", [], "which_role", None, None),
        # Hiring for duties the article names asks which role does them.
        ("We're hiring someone to split customers into tiers and send coupons to top spenders. Which role does that?", [], "which_role", None, None),
        # What two roles share: both sides are asked.
        ("说回来,文章里讲产品经理和运营共同的核心是啥", [], "compare", ("pm", "ops"), None),
    ],
)
def test_session_12_readings(lexicon, question, history, intent, roles, facet):
    q = understand(question, lexicon, history)
    assert q.intent == intent, q
    assert roles is None or q.roles == roles, q
    assert facet is None or q.facet == facet, q


def test_fit_together_asks_no_fit(lexicon):
    q = understand("I like writing. How do content ops and traffic ops fit together?", lexicon)
    assert q.intent != "recommend" and q.roles == ("content_ops", "traffic_ops") and "collab" in q.terms, q


def test_pinyin_question_words_and_a_greeting_address_inside_chinese(lexicon):
    # The pinyin question word makes the last clause the question, so the clause before it is what it turns from.
    assert understand("平台运营定规则 那品类运营负责shenme", lexicon).roles == ("category_ops",)
    q = understand("老师好,我是大二学生,文章里的六大运营岗位是哪几个", lexicon)
    assert q.intent == "list", q  # 老师 addresses the reader; it is no topic


def test_a_verb_before_operations_names_no_kind_of_role(lexicon):
    assert understand("会员体系对应运营的哪项工作", lexicon).unknown == ()
    assert understand("My friends who say ops roles overlap are wrong, right? How do the roles work together?", lexicon).unknown == ()


def test_a_statement_about_oneself_asks_nothing_where_the_question_is_marked(lexicon):
    q = understand(
        "My cofounder is the PM and our app is live. I am meant to do ops now. The article says ops has four core tasks, right? What are they?", lexicon
    )
    assert q.roles == ("ops",) and q.facet == "work" and q.terms == (), q


def test_what_the_article_lists_is_asked_not_a_fit(lexicon):
    q = understand(
        "We run a community with creators. My manager wonders which ops titles differ by company type. What does the article list for each?", lexicon
    )
    assert q.intent != "recommend" and "company_type" in q.terms, q


@pytest.mark.parametrize(
    ("question", "history", "roles", "facet"),
    [
        # "The same question" for another role asks the facet asked before, however long the turn.
        ("活动运营呢？我想问同样的问题", ["内容运营靠什么指标考核"], ("activity_ops",), "metrics"),
        # A modifier standing for a role whose head word the conversation gave: 用户的 is 用户运营.
        ("那用户的呢", ["说说内容运营的目标"], ("user_ops",), "goal"),
    ],
)
def test_session_14_follow_ups(lexicon, question, history, roles, facet):
    q = understand(question, lexicon, history)
    assert q.roles == roles and q.facet == facet, q


def test_what_the_answer_is_for_is_the_askers_purpose_not_the_ask(lexicon):
    q = understand("user ops KPIs please, I need them for a mock interview", lexicon)
    assert q.intent == "role" and q.roles == ("user_ops",) and q.facet == "metrics", q


def test_an_ordinal_after_a_turn_that_named_no_role_counts_in_no_list_of_roles(lexicon):
    q = understand("第二条具体说了什么？", lexicon, ["文章引用的数据来源靠谱吗"])
    assert q.roles == (), q
    assert understand("第二个呢", lexicon, ["文章列了哪几种运营岗位"]).roles == ("content_ops",)


def test_an_ordinal_that_points_back_to_a_turn_is_no_item_of_an_examples_list(lexicon):
    from assistant.understand import understand

    history = ["Content operations: what is it for?", "Side question: what deliverables does a PM produce?"]
    q = understand("Going back to what I asked first: its yardsticks?", lexicon, history)
    assert q.ordinal is None or q.facet != "work", q


def test_a_job_title_or_what_an_ops_job_is_called_asks_which_role(lexicon):
    assert understand("负责写活动方案、盯活动数据的那个人,一般叫什么运营?", lexicon).intent == "which_role"
    assert understand("Someone who splits customers into tiers and sends them coupons: what ops title is that?", lexicon).intent == "which_role"
    assert understand("What is the title of the article?", lexicon).intent != "which_role"


def test_a_softened_dislike_with_heshi_is_a_fit_question_not_an_uncovered_background(lexicon):
    q = understand("我之前在律所做了三年律师助理,不怎么喜欢跟人打交道,倒是爱琢磨数字,转运营什么方向合适?", lexicon)
    assert q.intent == "recommend" and "people" not in q.skills, q


def test_the_modifier_before_one_is_a_role_the_turn_before_gives_the_head_of(lexicon):
    q = understand("the content one, then?", lexicon, ["What is user operations aiming for?"])
    assert (q.roles, q.facet) == (("content_ops",), "goal")
    assert understand("the content one, then?", lexicon).roles == ()  # nothing to complete it from


def test_a_new_example_after_asking_which_role_asks_which_role_again(lexicon):
    history = ["知乎盐选专栏那个例子是哪个岗位做的?"]
    q = understand("蔚来的呢?", lexicon, history, answered={history[0]: ("content_ops",)})
    assert (q.intent, q.roles, q.companies) == ("which_role", (), ("nio",)), q
    en = understand(
        "and NIO's?",
        lexicon,
        ["Which role ran the Zhihu column example?"],
        answered={"Which role ran the Zhihu column example?": ("content_ops",)},
    )
    assert (en.intent, en.roles) == ("which_role", ()), en


@pytest.mark.parametrize(
    ("question", "method"),
    [
        ("who decides how to build the shopping app?", False),
        ("谁来定购物APP怎么做?", False),
        ("how do I build a shopping app?", True),
        ("购物APP怎么做?", True),
    ],
)
def test_asking_who_before_how_asks_no_method(question, method):
    from assistant.evidence import _asks_method
    from assistant.understand import Query

    q = Query(question, "en", "term", terms=("shopping_app",), term_words=("shopping app" if question.isascii() else "购物APP",))
    assert _asks_method(q) is method


@pytest.mark.parametrize(
    ("question", "roles", "intent"),
    [
        ("内容运营跟用户运营我分不太清，用户运营到底管啥", ("user_ops",), "role"),
        # Still a comparison where the sentence that asks compares, or names both.
        ("用户运营和内容运营我老搞混,到底有啥区别", ("user_ops", "content_ops"), "compare"),
        ("用户运营和内容运营,谁更偏数据?", ("user_ops", "content_ops"), "compare"),
    ],
)
def test_a_role_named_only_beside_the_sentence_that_asks_is_its_setting(lexicon, question, roles, intent):
    q = understand(question, lexicon)
    assert (q.roles, q.intent) == (roles, intent), q


def test_a_term_asked_about_after_which_role_is_still_asked_about(lexicon):
    history = ["Which role tracks ARPU?"]
    q = understand("what does ARPU stand for?", lexicon, history, answered={history[0]: ("user_ops",)})
    assert q.intent != "which_role", q
    q = understand("ARPU怎么算?", lexicon, ["ARPU是哪个岗位的指标?"], answered={"ARPU是哪个岗位的指标?": ("user_ops",)})
    assert q.intent != "which_role", q


def test_a_clause_offering_two_names_to_choose_from_asks_but_still_is_no_choice():
    text = "他最后去了哪家公司啊，甲骨文还是微软"
    assert [asks for _, _, asks, _, _ in clauses(text)] == [True, True]
    # 还是 says "still" between two predicates: the asker telling of themselves.
    text = "读了好多遍还是没弄懂，用户运营管什么？"
    assert [asks for _, _, asks, _, _ in clauses(text)] == [False, True]


def test_which_roles_the_article_walks_through_asks_for_the_list(lexicon):
    # Words that only say the article covers them, and chat words, stand beside a request for the list; English
    # filler counts in its stemmed form ("article" is "articl" to the tokenizer).
    assert understand("Which ops roles does the article walk through in detail? the names pls", lexicon).intent == "list"
    assert understand("Which roles does the article discuss?", lexicon).intent == "list"
    assert understand("Which ops role does the article say watches the data?", lexicon).intent != "list"
    # Choosing one of the list is no list, whatever verb of coverage it uses.
    assert understand("Which of the six roles goes through the most data?", lexicon).intent == "which_role"


def test_a_guess_trailing_off_after_the_question_is_not_what_it_asks(lexicon):
    q = understand("How does a data ops person spot bad numbers early? certification or something?", lexicon)
    assert q.intent != "out_of_scope" and q.roles == ("data_ops",)
    # Asked in a sentence of its own, or with a verb of its own before "or something", the topic is what is asked.
    assert understand("Does data ops need a certification?", lexicon).intent == "out_of_scope"
    assert understand("What does data ops do? Is the salary good or something?", lexicon).intent == "out_of_scope"


def test_who_does_something_asks_which_role_unless_two_doings_are_set_side_by_side(lexicon):
    assert understand("During 618, who designs the flash-sale combos?", lexicon).intent == "which_role"
    # "who" after a noun tells of someone; it asks no role.
    assert understand("What does ROI mean for someone who hates numbers?", lexicon).intent != "which_role"
    # A follow-up asking who does something else keeps the setting, not the role answered before.
    q = understand("and who keeps an eye on things hour by hour during it?", lexicon, ["which role sets the merchant onboarding rules for 618?"])
    assert q.intent == "which_role" and q.roles == () and q.terms == ("618",)
    assert understand("For the new app: who builds the platform vs who brings users back?", lexicon).intent != "which_role"
