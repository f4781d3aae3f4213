"""The browser chat's HTML, built from answers as plain data: every piece of text is escaped here.

Nothing from the corpus, a question or the history reaches the page as Markdown
or HTML: text is HTML-escaped and the only markup is what this module writes
(paragraphs, lists, tables, bold, citation links). The same parse gives the
clean text that the Copy button puts on the clipboard.

A *turn* is a JSON-able dict (it lives in the browser's storage so a chat
survives a reload): the question, the answer's text, language, citations and
the asker's feedback. `turn_from_answer` makes one from an `Answer`.
"""

from __future__ import annotations

import html
import re
from typing import Any

#: Interface wording per language; the language choice switches all of it.
STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Career Q&A: product and operations roles",
        "placeholder": "Ask about product or operations roles…",
        "send": "Send",
        "new": "New chat",
        "lang": "Language",
        "welcome": "Hi! Ask me about product managers and operations roles: what each role does, its goal, cases and key metrics, "
        "how the roles differ and which might suit you. Every answer comes from the articles, with its sources; "
        "when the articles don't cover a question, I say so.",
        "try": "Try one:",
        "you": "You",
        "answer": "Answer",
        "sources": "Sources",
        "nearest": "Closest passages (not an answer)",
        "show": "Show in the article",
        "copy": "Copy",
        "copied": "Copied",
        "like": "Helpful",
        "dislike": "Not helpful",
        "retry": "Ask again",
        "undo": "Undo",
        "english": "In English:",
        "no_en": "There is no English rendering of this passage; the quote is the article's original Chinese.",
        "waiting": "Getting ready… your question will be answered in a moment.",
        "thinking": "Looking it up…",
        "declined": "Not covered by the articles",
        "next": "Ask next:",
        "close": "Close",
        "source_n": "Source {n}",
        "status_loading": "Getting ready (about a minute the first time). You can ask now: answers follow as soon as it's ready.",
        "status_ready": "Ready. Answers come only from the articles, with their sources.",
        "status_error": "The assistant could not start: {what}",
        "copy_sources": "Sources:",
    },
    "zh": {
        "title": "职业问答:产品与运营岗位",
        "placeholder": "输入关于产品或运营岗位的问题…",
        "send": "发送",
        "new": "新对话",
        "lang": "语言",
        "welcome": "你好!可以问我产品经理和各类运营岗位的问题:每个岗位做什么、目标、案例和关键指标,岗位之间的区别,以及哪个岗位适合你。"
        "每个回答都来自文章并附上出处;文章没有涉及的问题,我会直接说明。",
        "try": "试试这些问题:",
        "you": "你",
        "answer": "回答",
        "sources": "来源",
        "nearest": "最接近的段落(并非答案)",
        "show": "在文章中查看",
        "copy": "复制",
        "copied": "已复制",
        "like": "有帮助",
        "dislike": "没有帮助",
        "retry": "重新回答",
        "undo": "撤销",
        "english": "英文:",
        "no_en": "这段没有英文译文。",
        "waiting": "正在准备…准备好后会立即回答你的问题。",
        "thinking": "正在查找…",
        "declined": "文章没有涉及",
        "next": "接着问:",
        "close": "关闭",
        "source_n": "来源 {n}",
        "status_loading": "正在准备(首次启动约需一分钟)。现在就可以提问,准备好后会立即回答。",
        "status_ready": "已就绪。回答只来自文章,并附上出处。",
        "status_error": "助手无法启动:{what}",
        "copy_sources": "来源:",
    },
}
EXAMPLES = {
    "en": [
        "What does traffic ops measure?",
        "What's the difference between a product manager and operations?",
        "I'm good at writing. Which ops role suits me?",
        "What did Perfect Diary do to cut acquisition costs?",
    ],
    "zh": ["流量运营的关键指标是什么?", "用户运营和内容运营有什么区别?", "我擅长数据分析,适合做哪个运营岗位?", "电商618大促中各运营岗位怎么分工?"],
}
LANGS = ("zh", "en")

_CITE = re.compile(r"\[(\d+)\]")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_LABEL = re.compile(r"^([^:：\[\]]{1,16})[:：]\s*")
_LEAD_END = (":", "：")
#: Thumb icons drawn inline (no emoji font needed, nothing fetched).
_THUMB = (
    '<svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false"{flip}><path fill="currentColor" '
    'd="M2 21h4V9H2v12zm20-11a2 2 0 0 0-2-2h-6.3l1-4.6v-.3c0-.4-.2-.8-.4-1.1L13.2 1 6.6 7.6C6.2 8 6 8.5 6 9v10a2 2 0 0 0 2 2h9'
    'c.8 0 1.5-.5 1.8-1.2l3-7.1c.1-.2.2-.5.2-.7v-2z"/></svg>'
)
_THUMB_UP, _THUMB_DOWN = _THUMB.format(flip=""), _THUMB.format(flip=' style="transform: rotate(180deg)"')


def t(lang: str, key: str, **kw: Any) -> str:
    """An interface string in the chosen language (English when the language is unknown)."""
    s = STRINGS.get(lang, STRINGS["en"])[key]
    return s.format(**kw) if kw else s


def esc(text: Any) -> str:
    """Text made inert for HTML content and attributes."""
    return html.escape(str(text), quote=True)


def path_text(heading: str) -> str:
    """A heading path for people: the parts joined by › rather than the index's ' > '."""
    return " › ".join(p.strip() for p in heading.split(" > ") if p.strip())


# -- turns ------------------------------------------------------------------------------------
def _cite_dict(c: Any, article: str) -> dict:
    return {
        "n": c.n,
        "pid": c.passage_id,
        "heading": c.heading,
        "heading_en": c.heading_en,
        "quote": c.quote,
        "quote_en": c.quote_en,
        "article": getattr(c, "article", "") or article,
    }


def turn_from_answer(question: str, answer: Any, article_of: Any = lambda pid: "") -> dict:
    """A stored chat turn for an Answer; article_of(passage_id) names the article when the citation does not."""
    return {
        "q": question,
        "lang": answer.lang,
        "refused": bool(answer.refused),
        "text": answer.text,
        "cites": [_cite_dict(c, article_of(c.passage_id)) for c in answer.citations],
        "nearest": [_cite_dict(c, article_of(c.passage_id)) for c in answer.nearest],
        "followups": list(answer.followups),
        "intent": answer.intent,
        "fb": "",
    }


def heading_for(c: dict, lang: str) -> str:
    """A citation's heading path in the answer's language (the English heading when there is one)."""
    return path_text(c.get("heading_en") if lang == "en" and c.get("heading_en") else c.get("heading", ""))


def _body_text(turn: dict) -> str:
    """The answer's text without the decline's own list of nearest headings (shown as links instead)."""
    from .respond import NEAREST

    text = turn.get("text", "")
    for marker in NEAREST:
        if marker in text:
            return text.split(marker, 1)[0].rstrip()
    return text


# -- the answer text: a small parse into blocks ------------------------------------------------
def _strip_label(text: str, lead: str) -> str:
    """Drop a line's leading 'Label:' when the lead just said it ('Key metrics for X:' / 'Key metrics: ...')."""
    m = _LABEL.match(text)
    if m and lead and m.group(1).strip().casefold() in lead.casefold():
        return text[m.end() :]
    return text


def parse(text: str) -> list[tuple]:
    """Blocks of an answer's text: ('p', text), ('ul', [items]) and ('table', header, rows)."""
    blocks: list[tuple] = []
    lead = ""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        if not line:
            i += 1
            lead = ""
            continue
        if line.startswith("|") and line.endswith("|"):
            rows = []
            while i < len(lines) and lines[i].strip().startswith("|"):
                raw = lines[i].strip()
                if not re.fullmatch(r"\|(\s*:?-+:?\s*\|)+", raw):
                    rows.append([c.strip().replace("\\|", "|") for c in _CELL_SPLIT.split(raw)[1:-1]])
                i += 1
            header, body = (rows[0], rows[1:]) if rows else ([], [])
            body = [[r[0], *(_strip_label(c, _plain(r[0])) for c in r[1:])] if r else r for r in body]
            blocks.append(("table", header, body))
            continue
        if line.startswith("- "):
            items: list[str] = []
            while i < len(lines) and lines[i].strip().startswith("- "):
                item = _strip_label(lines[i].strip()[2:], lead)
                if item not in items:  # the same line twice says nothing new
                    items.append(item)
                i += 1
            blocks.append(("ul", items))
            continue
        blocks.append(("p", _strip_label(line, lead)))
        lead = line if line.endswith(_LEAD_END) else ""
        i += 1
    return blocks


def _plain(text: str) -> str:
    return _BOLD.sub(r"\1", text)


class _Inline:
    """Turns one line of answer text into HTML: escaped, with bold and linked [n] markers."""

    def __init__(self, turn: dict, index: int) -> None:
        self.index = index
        self.lang = turn.get("lang", "en")
        self.cites = {c["n"]: c for c in turn.get("cites", [])}

    def __call__(self, text: str) -> str:
        out = _BOLD.sub(r"<strong>\1</strong>", html.escape(text, quote=False))
        return _CITE.sub(self._link, out)

    def _link(self, m: re.Match) -> str:
        n = int(m.group(1))
        c = self.cites.get(n)
        if c is None:
            return m.group(0)
        tip = f"{c.get('article') or ''} › {heading_for(c, self.lang)}\n{c.get('quote_en') if self.lang == 'en' and c.get('quote_en') else c['quote']}"
        return (
            f'<a class="cite" href="#src-{self.index}-{n}" data-act="cite" data-turn="{self.index}" data-n="{n}" '
            f'title="{esc(tip.strip(" ›"))}" aria-label="{esc(t(self.lang, "source_n", n=n))}">[{n}]</a>'
        )


def blocks_html(blocks: list[tuple], inline: Any) -> str:
    """HTML for parsed blocks; tables carry column names per cell so a phone can stack them."""
    out = []
    for b in blocks:
        if b[0] == "p":
            out.append(f"<p>{inline(b[1])}</p>")
        elif b[0] == "ul":
            out.append("<ul>" + "".join(f"<li>{inline(x)}</li>" for x in b[1]) + "</ul>")
        else:
            header, rows = b[1], b[2]
            cols = [_plain(h) for h in header]
            head = "".join(f'<th scope="col">{inline(h)}</th>' for h in header)
            body = ""
            for r in rows:
                cells = f'<th scope="row">{inline(r[0])}</th>' if r else ""
                cells += "".join(f'<td data-col="{esc(cols[j + 1] if j + 1 < len(cols) else "")}">{inline(c)}</td>' for j, c in enumerate(r[1:]))
                body += f"<tr>{cells}</tr>"
            out.append(f'<div class="table"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>')
    return "".join(out)


def blocks_text(blocks: list[tuple]) -> str:
    """Clean text for parsed blocks: no Markdown, no escapes."""
    out = []
    for b in blocks:
        if b[0] == "p":
            out.append(_plain(b[1]))
        elif b[0] == "ul":
            out.append("\n".join("• " + _plain(x) for x in b[1]))
        else:
            header = [_plain(h) for h in b[1]]
            rows = []
            for r in b[2]:
                label = _plain(r[0]) if r else ""
                parts = [f"{header[j + 1] if j + 1 < len(header) else ''}: {_plain(c)}" for j, c in enumerate(r[1:])]
                rows.append(f"{label}\n" + "\n".join("  " + p for p in parts))
            out.append("\n".join(rows))
    return "\n".join(x for x in out if x)


def _unique_nearest(turn: dict) -> list[dict]:
    lang, seen, out = turn.get("lang", "en"), set(), []
    for c in turn.get("nearest", []):
        key = heading_for(c, lang)
        if key and key not in seen:
            seen.add(key)
            out.append(c)
    return out


def copy_text(turn: dict) -> str:
    """What Copy puts on the clipboard: the answer as clean text, then its numbered sources."""
    lang = turn.get("lang", "en")
    parts = [blocks_text(parse(_body_text(turn)))]
    if turn.get("cites"):
        lines = [t(lang, "copy_sources")]
        for c in turn["cites"]:
            where = " › ".join(x for x in (c.get("article", ""), heading_for(c, lang)) if x)
            lines.append(f"[{c['n']}] {where}\n    “{c['quote']}”")
            if lang == "en" and c.get("quote_en"):
                lines.append(f"    {c['quote_en']}")
        parts.append("\n".join(lines))
    elif _unique_nearest(turn):
        parts.append(t(lang, "nearest") + ":\n" + "\n".join("• " + heading_for(c, lang) for c in _unique_nearest(turn)))
    return "\n\n".join(parts)


# -- the page pieces ----------------------------------------------------------------------------
def _sources_html(turn: dict, index: int) -> str:
    lang = turn.get("lang", "en")
    cites = turn.get("cites", [])
    if not cites:
        near = _unique_nearest(turn)
        if not near:
            return ""
        items = "".join(
            f'<li><span class="path">{esc(heading_for(c, lang))}</span> '
            f'<button type="button" class="link" data-act="view" data-pid="{esc(c["pid"])}" data-lang="{lang}">{esc(t(lang, "show"))}</button></li>'
            for c in near
        )
        return f'<details class="sources nearest" id="sources-{index}"><summary>{esc(t(lang, "nearest"))}</summary><ul>{items}</ul></details>'
    items, last_where = [], None
    for c in cites:
        where = (c.get("article", ""), heading_for(c, lang))
        head = ""
        if where != last_where:  # one title per run of citations from the same section
            head = (
                f'<div class="src-where"><span class="article">{esc(where[0])}</span>{" › " if where[0] else ""}<span class="path">{esc(where[1])}</span></div>'
            )
        last_where = where
        en = ""
        if lang == "en":
            en = (
                f'<p class="en"><span>{esc(t(lang, "english"))}</span> {esc(c["quote_en"])}</p>'
                if c.get("quote_en")
                else f'<p class="note">{esc(t(lang, "no_en"))}</p>'
            )
        items.append(
            f'<li class="src" id="src-{index}-{c["n"]}" value="{c["n"]}">{head}'
            f'<blockquote lang="zh">{esc(c["quote"])}</blockquote>{en}'
            f'<button type="button" class="link" data-act="view" data-pid="{esc(c["pid"])}" data-lang="{lang}">{esc(t(lang, "show"))}</button></li>'
        )
    return (
        f'<details class="sources" id="sources-{index}"><summary>{esc(t(lang, "sources"))} ({len(cites)})</summary>'
        f'<ol class="src-list">{"".join(items)}</ol></details>'
    )


def _actions_html(turn: dict, index: int, last: bool, ui: str) -> str:
    fb = turn.get("fb", "")
    buttons = [
        f'<button type="button" data-act="copy" data-turn="{index}" data-label="{esc(t(ui, "copy"))}" data-done="{esc(t(ui, "copied"))}">{esc(t(ui, "copy"))}</button>',
        f'<button type="button" class="fb" data-act="like" data-turn="{index}" aria-pressed="{str(fb == "like").lower()}" title="{esc(t(ui, "like"))}" aria-label="{esc(t(ui, "like"))}">{_THUMB_UP}</button>',
        f'<button type="button" class="fb" data-act="dislike" data-turn="{index}" aria-pressed="{str(fb == "dislike").lower()}" title="{esc(t(ui, "dislike"))}" aria-label="{esc(t(ui, "dislike"))}">{_THUMB_DOWN}</button>',
    ]
    if last:
        buttons += [
            f'<button type="button" data-act="retry" data-turn="{index}">{esc(t(ui, "retry"))}</button>',
            f'<button type="button" data-act="undo" data-turn="{index}">{esc(t(ui, "undo"))}</button>',
        ]
    return f'<div class="actions">{"".join(buttons)}</div>'


def _question_html(question: str, index: int, ui: str) -> str:
    return f'<div class="q" role="group" aria-label="{esc(t(ui, "you"))}: {esc(question)}"><p>{esc(question)}</p></div>'


def turn_html(turn: dict, index: int, last: bool, ui: str) -> str:
    """One question and its answer, with collapsed sources, actions and (last turn) follow-ups."""
    lang = turn.get("lang", "en")
    blocks = parse(_body_text(turn))
    declined = turn.get("refused") and turn.get("intent") not in ("greeting", "empty")
    badge = f'<p class="declined">{esc(t(lang, "declined"))}</p>' if declined else ""
    text = copy_text(turn)
    first = blocks_text(blocks).split("\n", 1)[0]
    follow = ""
    if last and turn.get("followups"):
        chips = "".join(f'<button type="button" class="chip" data-act="ask" data-q="{esc(q)}">{esc(q)}</button>' for q in turn["followups"])
        follow = f'<div class="next"><span>{esc(t(lang, "next"))}</span>{chips}</div>'
    return (
        f'<section class="turn" id="turn-{index}">{_question_html(turn.get("q", ""), index, ui)}'
        f'<div class="a{" refused" if declined else ""}" id="answer-{index}" role="group" '
        f'aria-label="{esc(t(ui, "answer"))} {index + 1}: {esc(first)}" data-copy="{esc(text)}" lang="{lang}">'
        f'{badge}<div class="body">{blocks_html(blocks, _Inline(turn, index))}</div>'
        f"{_sources_html(turn, index)}{_actions_html(turn, index, last, ui)}{follow}</div></section>"
    )


def welcome_html(ui: str) -> str:
    """The empty chat: a short welcome in the interface language and examples that send when clicked."""
    chips = "".join(f'<button type="button" class="chip example" data-act="ask" data-q="{esc(q)}">{esc(q)}</button>' for q in EXAMPLES.get(ui, EXAMPLES["en"]))
    return f'<div class="welcome"><p>{esc(t(ui, "welcome"))}</p><p class="try">{esc(t(ui, "try"))}</p><div class="examples">{chips}</div></div>'


def chat_html(turns: list[dict], ui: str, pending: str | None = None, waiting: bool = False, focus: str = "", nonce: int = 0) -> str:
    """The whole transcript. focus names the element to scroll to the top of the view (a new answer's id)."""
    parts = [turn_html(turn, i, i == len(turns) - 1 and pending is None, ui) for i, turn in enumerate(turns)]
    if pending is not None:
        note = t(ui, "waiting" if waiting else "thinking")
        parts.append(
            f'<section class="turn pending" id="turn-{len(turns)}">{_question_html(pending, len(turns), ui)}'
            f'<div class="a" id="answer-{len(turns)}" role="status" aria-live="polite"><p class="wait">{esc(note)}</p></div></section>'
        )
    if not parts:
        parts.append(welcome_html(ui))
    return f'<div class="qa-chat" data-focus="{esc(focus)}" data-nonce="{nonce}">{"".join(parts)}</div>'


def status_html(ui: str, state: str, what: str = "") -> str:
    """The status line: loading, ready or the reason it could not start, in words for users."""
    text = t(ui, f"status_{state}", what=what) if state == "error" else t(ui, f"status_{state}")
    return f'<p class="qa-status {state}" role="status">{esc(text)}</p>'


def article_html(title: str, heading: str, text: str, start: int, end: int, quote_en: str = "", lang: str = "zh") -> str:
    """The whole article with one passage highlighted (and its English rendering above, for English answers)."""
    en = ""
    if lang == "en":
        en = f'<p class="en"><span>{esc(t(lang, "english"))}</span> {esc(quote_en)}</p>' if quote_en else f'<p class="note">{esc(t(lang, "no_en"))}</p>'
    body = f'{esc(text[:start])}<mark id="qa-hl">{esc(text[start:end])}</mark>{esc(text[end:])}'
    return (
        f'<div class="viewer-head"><h2>{esc(title)}</h2><p class="path">{esc(path_text(heading))}</p>{en}</div>'
        f'<div class="article-text" lang="zh" tabindex="0">{body}</div>'
    )
