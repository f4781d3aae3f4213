"""The structural split of the article, and corpus loading with bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.corpus import load_corpus, load_renderings, split
from assistant.errors import CorpusError

from .conftest import ARTICLE, CORPUS

DOC = "pm-and-ops-roles.zh"


@pytest.fixture(scope="module")
def passages():
    return {p.id: p for p in load_corpus(CORPUS).passages}


@pytest.mark.parametrize(
    ("pid", "heading", "starts"),
    [
        ("0.0.1", "摘要", "摘要:今天和大家聊聊"),
        ("1.1.0", "一、产品经理与运营人员的核心分工 > 1.产品经理", "1.产品经理:打造价值载体"),
        ("1.2.2.4", "一、产品经理与运营人员的核心分工 > 2.运营人员 > 核心工作包括", "召回:通过短信或推送唤醒沉睡用户"),
        ("2.0.1.2", "二、运营岗位的协同逻辑 > 以电商618大促为例", "品类运营确定主推商品类别"),
        ("3.1.1", "三、六大核心运营岗位解析 > 1.用户运营 > 目标", "目标:让用户从"),
        ("3.3.2.1", "三、六大核心运营岗位解析 > 3.活动运营 > 工作", "创意设计:支付宝“集五福”活动"),
        ("3.5.4", "三、六大核心运营岗位解析 > 5.流量运营 > 关键指标", "关键指标:单个用户获取成本(CPI)、渠道转化率、流量带来的收入。"),
        ("3.6.3", "三、六大核心运营岗位解析 > 6.数据运营 > 案例", "案例:某游戏公司"),
        ("4.0.1", "岗位不同,目标一致", "产品经理和运营人员虽然职责不同"),
        ("0.0.2", "来源", "来源:DMC商业思维"),
    ],
)
def test_split_ids_headings_and_text(passages, pid, heading, starts):
    p = passages[f"{DOC}:{pid}"]
    assert p.heading_path == heading
    assert p.text.startswith(starts)
    assert p.lang == "zh"


def test_passages_are_verbatim_with_offsets(passages):
    source = ARTICLE.read_text(encoding="utf-8")
    assert len(passages) == 62
    for p in passages.values():
        assert source[p.start : p.end] == p.text


def test_abstract_does_not_duplicate_the_first_paragraph(passages):
    hits = [p for p in passages.values() if "这两个岗位就像接力赛的不同棒次" in p.text]
    assert [p.id for p in hits] == [f"{DOC}:0.0.1"]


def test_structure_is_visible(passages):
    kinds = {p.kind for p in passages.values()}
    assert kinds == {"heading", "para", "field", "item"}
    metrics = [p for p in passages.values() if p.label == "关键指标"]
    assert len(metrics) == 6
    roles = [p.heading[1] for p in passages.values() if p.kind == "heading" and p.heading[0].startswith("三")]
    assert roles == ["1.用户运营", "2.内容运营", "3.活动运营", "4.产品运营", "5.流量运营", "6.数据运营"]


def test_split_is_stable():
    text = ARTICLE.read_text(encoding="utf-8")
    assert [p.id for p in split(DOC, text)] == [p.id for p in split(DOC, text)]


def test_markdown_article():
    md = "# 岗位\n\n## 产品运营\n\n目标:提升使用率。\n\n工作:\n- 收集反馈;\n- 推动迭代。\n"
    ps = split("x", md, markdown=True)
    assert [(p.id, p.heading_path, p.text) for p in ps] == [
        ("x:1.1.1", "岗位 > 产品运营 > 目标", "目标:提升使用率。"),
        ("x:1.1.2.1", "岗位 > 产品运营 > 工作", "- 收集反馈;"),
        ("x:1.1.2.2", "岗位 > 产品运营 > 工作", "- 推动迭代。"),
    ]


def test_english_article_language():
    ps = split("en", "Growth\nGrowth teams run experiments to find what works.\n")
    assert ps and ps[0].lang == "en"


def test_bad_files_are_skipped_with_their_names(tmp_path: Path):
    (tmp_path / "good.txt").write_text("一、岗位\n目标:让用户持续使用产品。\n", encoding="utf-8")
    (tmp_path / "latin1.txt").write_bytes("caf\xe9 au lait".encode("latin-1"))
    (tmp_path / "empty.md").write_text("", encoding="utf-8")
    (tmp_path / "blob.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "slides.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "huge.txt").write_bytes(b"a" * 5_000_001)
    load = load_corpus(tmp_path)
    assert load.files == ("good.txt",)
    skipped = dict(load.skipped)
    assert set(skipped) == {"latin1.txt", "empty.md", "blob.txt", "slides.pdf", "huge.txt"}
    assert "not UTF-8" in skipped["latin1.txt"]
    assert "empty" in skipped["empty.md"]
    assert "binary" in skipped["blob.txt"]
    assert "unsupported extension .pdf" in skipped["slides.pdf"]
    assert "limit" in skipped["huge.txt"]


def test_corpus_without_articles_is_a_clear_error(tmp_path: Path):
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    with pytest.raises(CorpusError, match=r"no articles could be indexed .*notes.pdf"):
        load_corpus(tmp_path)
    with pytest.raises(CorpusError, match="does not exist"):
        load_corpus(tmp_path / "missing")


def test_every_passage_has_an_english_rendering():
    load = load_corpus(CORPUS)
    renderings, warnings = load_renderings(CORPUS, load.passages)
    assert warnings == []
    missing = [p.id for p in load.passages if not renderings.get(p.id) or not renderings[p.id].text.strip()]
    assert missing == []
    assert "CPI" in renderings[f"{DOC}:3.5.4"].text


MERGE_ARTICLE = (
    """# 标题

## 一、岗位

第一行很短。
第二行也很短。
这一段比较长，"""
    + "内容" * 115
    + """。
第四行很短：

- 列表项一
- 列表项二

## 二、能力

另一节的一行。
"""
)


def test_merge_paragraphs_joins_short_runs_under_one_heading_only():
    from assistant import markdown

    line_by_line = markdown.split_markdown("m", MERGE_ARTICLE)
    assert markdown.MERGE == 0 and markdown.merge_paragraphs(line_by_line) == line_by_line  # off by default
    merged = markdown.merge_paragraphs(line_by_line, limit=240)
    texts = [p.text for p in merged]
    # The two one-liners join; the long paragraph and the lead-in after it stay alone (joined they would pass
    # the limit); list items and the other section stay apart.
    assert texts[0] == "第一行很短。\n第二行也很短。"
    assert merged[0].id == line_by_line[0].id and merged[0].start == line_by_line[0].start and merged[0].end == line_by_line[1].end
    assert [p.kind for p in merged] == ["para", "para", "para", "item", "item", "para"]
    assert texts[1].startswith("这一段比较长") and texts[2] == "第四行很短："
    assert texts[-1] == "另一节的一行。"
    assert len(markdown.merge_paragraphs(line_by_line, limit=10)) == len(line_by_line)
    assert MERGE_ARTICLE[merged[0].start : merged[0].end].replace("\n", "") == texts[0].replace("\n", "")


DIALOGUE_ARTICLE = """# 一次面谈

## 经过

老周：你为什么想换工作？
小林：我想做更有挑战的事。
老周：那你能接受降薪吗？
小林：可以接受一些。

## 岗位

目标：提升留存。
工作：设计会员体系。
"""


def test_a_speakers_turns_are_paragraphs_and_fields_stay_fields():
    from assistant import markdown

    passages = markdown.split_markdown("d", DIALOGUE_ARTICLE)
    said = [p for p in passages if p.text.startswith(("老周：", "小林："))]
    assert len(said) == 4 and all(p.kind == "para" and p.heading[-1] == "经过" for p in said), said
    fields = [p for p in passages if p.text.startswith(("目标：", "工作："))]
    assert [p.kind for p in fields] == ["field", "field"] and [p.heading[-1] for p in fields] == ["目标", "工作"], fields


QUOTED_DIALOGUE = """# 一次面试

## 留作业

面试官小姐姐：“我还是想请你回去写个反馈”
我：“就是留作业的意思么？”
面试官小姐姐：“是的，希望你不要介意”

## 岗位说明

岗位职责：“负责数据运营”
任职要求：三年以上经验。
"""


def test_a_longer_speakers_name_before_quoted_turns_is_no_field():
    from assistant import markdown

    passages = markdown.split_markdown("q", QUOTED_DIALOGUE)
    said = [p for p in passages if p.text.startswith(("面试官小姐姐：", "我："))]
    assert len(said) == 3 and all(p.kind == "para" and p.heading == ("留作业",) for p in said), said
    # A label said once stays a field, whatever its value opens with.
    fields = [p for p in passages if p.text.startswith(("岗位职责：", "任职要求："))]
    assert [p.kind for p in fields] == ["field", "field"], fields
