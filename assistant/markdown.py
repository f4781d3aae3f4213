"""Markdown articles as people have them -> Passage values that keep the article's outline.

Scraped pages carry furniture around the article (a metadata block, author and avatar lines, advert cards,
images, a lead quoted twice, share bars and footers); assistant/data/boilerplate.json names it and it is
dropped without touching body text. What remains is read by its outline: ``#`` headings, numbered headings
(``一、``, ``01``, ``1.``/``1\\.``, ``（1）``, ``1）``, ``第一步：``), bold lines used as headings, labelled fields
(``角色定义：…``, ``**投放关键词**：…``), lists and paragraphs. Every passage keeps its heading path and the
article's title; its text is the line as a reader sees it (Markdown markers removed), and start/end locate
the raw line in the file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .corpus import Passage, detect_lang

#: A paragraph longer than this is cut at sentence ends into passages of about PIECE characters.
LONG, PIECE = 520, 300
#: Consecutive paragraphs under the same heading may be joined into one passage of up to MERGE characters
#: (merge_paragraphs), a paragraph shorter than SHORT joining its neighbour. Off (0): measured on the shared
#: dev articles it cut woshipm passages from 69 to 43 per article but lowered two of the five articles' accuracy
#: (docs/performance.md, "Passage size"), so the split stays line by line until that is understood.
MERGE = 0
SHORT = 60
#: A line this short without sentence-ending punctuation may be a heading (bold, numbered).
HEADING_MAX = 40
#: Labels of a labelled field: short, no punctuation ("角色定义", "Goal").
LABEL_MAX = 10

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*$")
_BULLET = re.compile(r"^(?:[-*+•·]|\d{1,2}[.)、）]|\d{1,2}\\\.|（\d{1,2}）|\(\d{1,2}\))\s+(.*)$")
_NUMBERED_HEAD = re.compile(
    r"^(?:[一二三四五六七八九十]+、|0\d\s|\d{1,2}(?:\\?\.|、|）|\))\s*|（[一二三四五六七八九十\d]{1,3}）|\([一二三四五六七八九十\d]{1,3}\)|第[一二三四五六七八九十\d]+[步章节部分点个]|Part\s*\d+)"
)
_BOLD_LINE = re.compile(r"^\*\*(.+?)\*\*\s*[:：]?\s*$")
#: What opens a point of an enumeration ("第二，", "其次，"); outline.core_name leaves it out of the name.
POINT_MARK = r"(?:第[一二三四五六七八九十]+|首先|其次|再次|最后)"
#: A point of an enumeration in bold, closed by a full stop ("**第二，少开会，多做事**。"): a heading too, when
#: it is short and no sentence of its own ("**其次，我们每周一都会先把上周的数据全部过一遍。**" is text).
_BOLD_POINT = re.compile(r"^\*\*(" + POINT_MARK + r"[，,、：:][^*。？！?!]{2,16})\*\*\s*[。.！!]?\s*$")
_BOLD_LABEL = re.compile(r"^\*\*([^*]{1,10}?)\*\*\s*[:：]\s*(.+)$")  # the label is at most LABEL_MAX characters
_LABEL = re.compile(r"^([^:：,，。;；、\s*#>|（）()]{1,10})[:：]\s*(.+)$")
#: A colon after a clause that leads into what follows ("我的理解是：", "正确的做法是：", "比如：") is no field label.
_LEAD_IN_LABEL = re.compile(r"(是|说|问|道|如下)$|^(例如|比如|譬如|如)$|[我你他她]")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_SENTENCE = re.compile(r"(?<=[。！？!?；;])")
_END = tuple("。！？!?;；，,")


@dataclass(frozen=True)
class _Rules:
    blocks: tuple[tuple[re.Pattern, re.Pattern], ...]
    drop: tuple[re.Pattern, ...]
    footer: tuple[re.Pattern, ...]


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    data = json.loads((Path(__file__).parent / "data" / "boilerplate.json").read_text(encoding="utf-8"))
    return _Rules(
        tuple((re.compile(b["start"]), re.compile(b["end"])) for b in data["block"]),
        tuple(re.compile(d["pattern"], re.I) for d in data["drop_line"]),
        tuple(re.compile(f["pattern"]) for f in data["footer_start"]),
    )


def inline(text: str) -> str:
    """A Markdown line as a reader sees it: no images, links as their text, no emphasis or escapes."""
    text = re.sub(r"^(>\s*)+", "", text)  # a quoted line reads as its words
    text = _IMAGE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)([^*]+?)\*(?!\w)", r"\1", text)
    text = re.sub(r"`([^`]*)`", r"\1", text)
    text = _ESCAPE.sub(r"\1", text)
    text = text.replace("\u200b", "").replace("\u00a0", " ").replace("**", "")
    return re.sub(r"\s+", " ", text).strip()


def _furniture(line: str) -> bool:
    """A line that is page furniture: only links and images, or a known pattern."""
    if any(p.match(line) for p in _rules().drop):
        return True
    rest = _IMAGE.sub("", line)
    rest = _LINK.sub("", rest)
    rest = re.sub(r"[\s|·•🔗]+", "", rest)
    return rest == "" or (len(rest) <= 2 and (line.count("](") >= 1))


def body_lines(source: str) -> list[tuple[str, int, int]]:
    """(line, start, end) of the article body in reading order: furniture, blocks and the footer dropped."""
    rules = _rules()
    lines: list[tuple[str, int, int]] = []
    pos = 0
    for raw in source.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        stripped = body.strip()
        if stripped:
            lead = len(body) - len(body.lstrip())
            lines.append((stripped, pos + lead, pos + lead + len(stripped)))
        pos += len(raw)
    out: list[tuple[str, int, int]] = []
    closing: re.Pattern | None = None
    cut = int(len(lines) * 0.5)  # a footer starts in the second half: a mention earlier is body text
    for i, (line, a, b) in enumerate(lines):
        if closing is not None:
            if closing.match(line):
                closing = None
            continue
        opened = next((end for start, end in rules.blocks if start.match(line)), None)
        if opened is not None:
            closing = opened
            continue
        if i >= cut and any(p.match(line) for p in rules.footer):
            break
        if _furniture(line):
            continue
        out.append((line, a, b))
    return out


def _level_of(line: str) -> tuple[int, str] | None:
    """(level, title) of a Markdown '#' heading line."""
    m = _HEADING.match(line)
    return (len(m.group(1)), inline(m.group(2))) if m else None


def _heading_like(text: str) -> bool:
    """Short, not a sentence: a title rather than a paragraph (a bold sentence that runs on into the next line,
    "而那些只会…的人——", or that lists things, is text)."""
    runs_on = text.endswith(("——", "…", "...", "、")) or text.count("、") + text.count("，") >= 2
    return 0 < len(text) <= HEADING_MAX and not text.endswith(_END) and not runs_on


class _Outline:
    """The heading stack while walking a document: '#' headings by level, then numbered lines, then bold lines."""

    RANK = {"md": 0, "numbered": 1, "bold": 2}

    def __init__(self) -> None:
        self.stack: list[tuple[int, str, str]] = []  # (level, title, kind)

    def open_md(self, level: int, title: str) -> None:
        while self.stack and (self.stack[-1][2] != "md" or self.stack[-1][0] >= level):
            self.stack.pop()
        self.stack.append((level, title, "md"))

    def open_inner(self, kind: str, title: str) -> None:
        """A numbered or bold line heading: a sibling of the same kind, a child of the kinds above it."""
        while self.stack and self.RANK[self.stack[-1][2]] >= self.RANK[kind]:
            self.stack.pop()
        self.stack.append((0, title, kind))

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(t for _, t, _ in self.stack)


#: A speaker's name before a line of dialogue is this short ("老周", "面试官", "HR").
SPEAKER_MAX = 3
#: Marks that open a quotation: a line opening with one is said, not filled in.
_OPEN_QUOTES = ("“", "「", "『", '"')
#: Words of speech: a line said to someone ("那你能接受降薪吗？").
_SPOKEN = re.compile(r"[你您咱？?！!]|我(?!国)")


def dialogue_lines(lines: list[tuple[str, int, int]]) -> set[int]:
    """The lines that are turns of a dialogue, not labelled fields: in a run of labelled lines, a short label
    said more than once ("老周：…", "小林：…", "老周：…") whose lines mostly speak to someone. Fields name what
    they hold once each ("目标：", "工作："); a speaker comes back."""
    out: set[int] = set()
    run: list[tuple[int, str, str]] = []

    def close() -> None:
        said = [lab for _, lab, _ in run]
        # A longer name is a speaker too where every line it opens is a quotation ("面试官妹子：“…”").
        quoted = {lab for lab in said if all(v.startswith(_OPEN_QUOTES) for _, other, v in run if other == lab)}
        repeated = {lab for lab in said if said.count(lab) >= 2 and (len(lab) <= SPEAKER_MAX or lab in quoted)}
        turns = [(i, v) for i, lab, v in run if lab in repeated]
        if turns and 2 * sum(bool(_SPOKEN.search(v)) for _, v in turns) >= len(turns):
            out.update(i for i, _ in turns)
        run.clear()

    for i, (line, _, _) in enumerate(lines):
        m = None if _BULLET.match(line) or _level_of(line) else _LABEL.match(inline(line))
        if m:
            run.append((i, m.group(1), m.group(2)))
        elif run:
            close()
    if run:
        close()
    return out


def split_markdown(doc: str, source: str) -> list[Passage]:
    """Split one Markdown (or plain-text) article into passages that keep their heading path and title."""
    lines = body_lines(source)
    title = ""
    outline = _Outline()
    passages: list[Passage] = []
    seen: set[str] = set()
    block = 0
    lead_in: tuple[int, str | None] | None = None  # the list being read: (block, the lead-in's words, if any)
    item_no = 0
    fields_only = False  # the current section holds only labelled fields so far
    md_levels = sorted({lv for line, _, _ in lines if (h := _level_of(line)) for lv in [h[0]]})
    spoken = dialogue_lines(lines)

    def emit(pid: str, text: str, a: int, b: int, kind: str, heading: tuple[str, ...]) -> None:
        key = re.sub(r"\s+", "", text)
        if not re.search(r"[\w\u4e00-\u9fff]", key) or key in seen:
            return  # the lead summary is quoted twice on scraped pages: keep one
        seen.add(key)
        path = heading or (title or doc,)
        passages.append(Passage(f"{doc}:{pid}", doc, path, text, a, b, detect_lang(text), kind, title))

    def paragraph(text: str, a: int, b: int, kind: str, heading: tuple[str, ...], pid: str) -> None:
        if len(text) <= LONG:
            emit(pid, text, a, b, kind, heading)
            return
        piece, n = "", 0
        for sentence in _SENTENCE.split(text):
            if piece and len(piece) + len(sentence) > PIECE:
                n += 1
                emit(f"{pid}-{n}", piece, a, b, kind, heading)
                piece = ""
            piece += sentence
        if piece:
            emit(f"{pid}-{n + 1}", piece, a, b, kind, heading)

    for n, (line, a, b) in enumerate(lines):
        h = _level_of(line)
        if h and not title and h[0] == 1:
            title = h[1]
            continue
        if h:
            if h[1] == title or (outline.stack and outline.stack[-1][1] == h[1]):
                continue  # the page repeats its title (or a heading) as a heading
            outline.open_md(md_levels.index(h[0]) if h[0] in md_levels else h[0], h[1])
            lead_in = None
            continue
        bullet = _BULLET.match(line)
        text = inline(line)
        if not text:
            continue
        label = _BOLD_LABEL.match(line) or (None if bullet else _LABEL.match(text))
        if label and not _BOLD_LABEL.match(line) and (_LEAD_IN_LABEL.search(label.group(1)) or n in spoken):
            label = None  # a clause leading in, or a speaker's turn in a dialogue: a paragraph
        bold = _BOLD_LINE.match(line)
        point = _BOLD_POINT.match(line)
        if point or bold and _heading_like(inline(bold.group(1))):
            # A bold line on its own is a heading one level below the current one ("**（1）对于产品经理**"); so is
            # a point of an enumeration, whatever its commas ("**第二，少开会，多做事**。").
            outline.open_inner("bold", inline((point or bold).group(1)).rstrip("。.！!"))
            lead_in, fields_only = None, False
            continue
        if not bullet and _heading_like(text) and _NUMBERED_HEAD.match(text) and not label:
            outline.open_inner("numbered", text)  # "01 xxx", "一、xxx" without '#'
            lead_in = None
            continue
        if bullet and lead_in is not None:
            item_no += 1
            item = inline(bullet.group(1))
            lab = _BOLD_LABEL.match(bullet.group(1))
            heading = (*outline.path, inline(lab.group(1))) if lab else (*outline.path, lead_in[1]) if lead_in[1] else outline.path
            emit(f"{lead_in[0]}.{item_no}", item, a, b, "item", heading)
            continue
        block += 1
        if label and not bullet:
            name = inline(label.group(1))
            # The quote keeps its label, as the reader sees the line ("第一张红牌：功能型产品经理（3-5年）").
            paragraph(text, a, b, "field", (*outline.path, name), str(block))
            lead_in = None
            fields_only = True
            continue
        if bullet:
            # A list without a lead-in line: its items are passages of the section.
            lead_in = (block, None)
            item_no = 1
            lab = _BOLD_LABEL.match(bullet.group(1))
            heading = outline.path if not lab else (*outline.path, inline(lab.group(1)))
            emit(f"{block}.1", inline(bullet.group(1)), a, b, "item", heading)
            continue
        if fields_only and outline.stack and outline.stack[-1][2] == "bold":
            outline.stack.pop()  # a plain paragraph after a bold entry's labelled fields speaks for the section above
        fields_only = False
        paragraph(text, a, b, "para", outline.path, str(block))
        if text.endswith((":", "：")):
            clause = re.split(r"[。，,！？!?]", text.rstrip(":："))[-1].strip()
            lead_in, item_no = (block, clause or text), 0
        else:
            lead_in = None
    if title:
        passages = [p if p.title else Passage(p.id, p.doc, p.heading, p.text, p.start, p.end, p.lang, p.kind, title) for p in passages]
    return merge_paragraphs(passages)


def merge_paragraphs(passages: list[Passage], limit: int | None = None) -> list[Passage]:
    """Join runs of whole paragraphs under the same heading into passages of at most limit (MERGE) characters.

    Only paragraphs merge: fields, list items and the pieces of a cut long paragraph keep their own passages,
    and a paragraph that introduces a list (ends with a colon) closes its passage. The joined passage keeps
    the first paragraph's id, its lines' text joined by newlines and the span from the first to the last line.
    """
    limit = MERGE if limit is None else limit
    if limit <= 0:
        return passages
    out: list[Passage] = []
    for p in passages:
        prev = out[-1] if out else None
        if (
            prev is not None
            and p.kind == "para" == prev.kind
            and p.heading == prev.heading
            and "-" not in p.id.rsplit(":", 1)[-1] + prev.id.rsplit(":", 1)[-1]
            and not prev.text.endswith((":", "："))
            and len(prev.text) + 1 + len(p.text) <= limit
            and min(len(p.text), len(prev.text.rsplit("\n", 1)[-1])) < SHORT
        ):
            text = prev.text + "\n" + p.text
            out[-1] = Passage(prev.id, prev.doc, prev.heading, text, prev.start, p.end, detect_lang(text), "para", prev.title)
        else:
            out.append(p)
    return out
