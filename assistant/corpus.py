"""Load articles from corpus/ and split them by their structure into Passage values.

The splitter follows how these career articles are written: chapter headings
(``一、…``), numbered sub-headings (``5.流量运营:…``), labelled fields
(``目标:``, ``工作:``, ``案例:``, ``关键指标:``) and list lines introduced by a
line ending in a colon. Markdown ``#`` headings and ``-`` bullets work too.
Every passage keeps its verbatim text and character offsets in the source.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import stat
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import CorpusError

#: Bumped whenever the split changes, so old indexes are seen as stale.
SPLIT_VERSION = 9  # 2: Markdown articles are read by assistant/markdown.py; 3: furniture-only passages dropped; 4: fields keep their label; 5: bold run-on sentences are text; 6: lead-in clauses before a colon are no labels; 7: a speaker's turns in a dialogue are paragraphs, not fields; 8: a longer speaker's name whose lines are quotations; 9: a bold point of an enumeration is a heading (**第二，…**。)
TEXT_SUFFIXES = (".txt", ".md")
#: Files in corpus/ that are data for the assistant, not articles.
DATA_SUFFIXES = (".json",)
MAX_FILE_BYTES = 5_000_000
#: The same limit for data files (glossary, renderings), which are read whole too.
MAX_DATA_BYTES = 5_000_000

#: Field labels that open a labelled block even inside a list.
FIELD_LABELS = frozenset({"目标", "工作", "案例", "关键指标", "摘要", "来源"})
#: Labels that describe the document itself, not a section of it.
META_LABELS = frozenset({"摘要", "来源"})

_CN_NUM = {c: i for i, c in enumerate("零一二三四五六七八九十", start=0)}
_SECTION = re.compile(r"^([一二三四五六七八九十]+)、\s*(.+)$")
_NUMBERED = re.compile(r"^(\d+)[.．、]\s*(.+)$")
_LABELLED = re.compile(r"^([^:：,，。;；、\s]{1,8})[:：]\s*(.*)$")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*$")
_MD_BULLET = re.compile(r"^(?:[-*+]|\d+[.)])\s+")
_SENTENCE_END = tuple("。！？!?;；:：.")
_LIST_CONTINUES = (";", "；", ",", "，", "、")


@dataclass(frozen=True)
class Passage:
    """One unit of retrieval: a structural block of an article, verbatim."""

    id: str
    doc: str
    heading: tuple[str, ...]
    text: str
    start: int
    end: int
    lang: str
    kind: str  # heading | para | field | item
    title: str = ""  # the article's title (its first '#' heading); empty for a plain-text article without one

    @property
    def heading_path(self) -> str:
        """The heading path joined for display, e.g. ``三、… > 5.流量运营 > 关键指标``."""
        return " > ".join(self.heading)

    @property
    def label(self) -> str:
        """The innermost heading: a field label, list label or role heading."""
        return self.heading[-1] if self.heading else ""


@dataclass(frozen=True)
class CorpusLoad:
    """What loading corpus/ found: passages, the files indexed and the files skipped."""

    passages: tuple[Passage, ...]
    files: tuple[str, ...]
    skipped: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    digest: str = ""


def detect_lang(text: str) -> str:
    """'zh' when the Chinese characters outweigh the English words (a word counts 1.5 characters), else 'en'.

    "content ops 主要做啥" is Chinese with an English term; "What does 用户运营 mean?" is English with a Chinese one.
    """
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf")
    words = len(re.findall(r"[A-Za-z]+", text))
    return "zh" if cjk and cjk >= 1.5 * words else "en"


def _cn_number(s: str) -> int:
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + _CN_NUM.get(s[1:], 0)
    if "十" in s:
        tens, _, ones = s.partition("十")
        return _CN_NUM.get(tens, 1) * 10 + (_CN_NUM.get(ones, 0) if ones else 0)
    return _CN_NUM.get(s, 0)


def _is_bare_heading(line: str) -> bool:
    return len(line) <= 20 and not line.endswith(_SENTENCE_END) and not _LABELLED.match(line)


class _Splitter:
    """Walks the lines of one document, tracking where in its outline each line sits."""

    def __init__(self, doc: str, source: str) -> None:
        self.doc = doc
        self.source = source
        self.lang = detect_lang(source)
        self.passages: list[Passage] = []
        self.seen_bodies: set[str] = set()
        self.section: str | None = None
        self.sub: str | None = None
        self.sec_no = 0
        self.sub_no = 0
        self.block_no = 0
        self.meta_no = 0
        self.list_label: str | None = None
        self.item_no = 0

    # -- outline moves -------------------------------------------------
    def open_section(self, title: str, number: int | None) -> None:
        self.sec_no = number if number is not None else self.sec_no + 1
        self.section, self.sub, self.sub_no, self.block_no = title, None, 0, 0
        self.list_label = None

    def open_sub(self, title: str, number: int | None) -> None:
        self.sub_no = number if number is not None else self.sub_no + 1
        self.sub, self.block_no, self.list_label = title, 0, None

    def open_list(self, label: str) -> None:
        self.block_no += 1
        self.list_label, self.item_no = label, 0

    # -- emitting --------------------------------------------------------
    def path(self, *extra: str) -> tuple[str, ...]:
        parts = [p for p in (self.section, self.sub) if p]
        if not parts:
            parts = ["引言" if self.lang == "zh" else "Introduction"]
        return (*parts, *extra)

    def emit(self, pid: str, heading: tuple[str, ...], start: int, end: int, kind: str, body: str) -> None:
        key = re.sub(r"\s+", "", body)
        if not key or key in self.seen_bodies:
            return  # the abstract repeats the first paragraph: keep one
        self.seen_bodies.add(key)
        text = self.source[start:end]
        self.passages.append(Passage(f"{self.doc}:{pid}", self.doc, heading, text, start, end, detect_lang(text), kind))

    def block_id(self) -> str:
        return f"{self.sec_no}.{self.sub_no}.{self.block_no}"

    # -- the line rules --------------------------------------------------
    def line(self, raw: str, start: int, end: int, markdown: bool) -> None:
        line = raw.strip()
        lead = len(raw) - len(raw.lstrip())
        start, end = start + lead, start + lead + len(line)
        if markdown and (m := _MD_HEADING.match(line)):
            level, title = len(m.group(1)), m.group(2)
            if level == 1:
                self.open_section(title, None)
            elif level == 2:
                self.open_sub(title, None)
            else:
                self.open_list(title)
                self.list_label = title
            return
        if markdown and _MD_BULLET.match(line):
            self.item(line, start, end, self.list_label or "")
            return
        label_match = _LABELLED.match(line)
        label = label_match.group(1) if label_match else None
        in_list = self.list_label is not None
        numbered_heading = bool(_NUMBERED.match(line)) and len(line) <= 40 and not line.endswith(_SENTENCE_END)
        if in_list and not (label in FIELD_LABELS or _SECTION.match(line) or numbered_heading):
            self.item(line, start, end, self.list_label or "")
            if not line.endswith(_LIST_CONTINUES):
                self.list_label = None
            return
        self.list_label = None
        if m := _SECTION.match(line):
            self.open_section(line, _cn_number(m.group(1)))
            return
        if numbered_heading and (m := _NUMBERED.match(line)):
            title = re.split(r"[:：]", line, maxsplit=1)[0]
            self.open_sub(title, int(m.group(1)))
            self.emit(f"{self.block_id()}", self.path(), start, end, "heading", line)
            return
        if label_match and label in META_LABELS:
            self.meta_no += 1
            self.emit(f"0.0.{self.meta_no}", (label,), start, end, "field", label_match.group(2))
            return
        if label_match and not label_match.group(2):
            self.open_list(label or "")  # "工作:" or "具体工作包括:" introduces a list
            return
        if label_match and (label in FIELD_LABELS or len(label or "") <= 4):
            self.block_no += 1
            self.emit(self.block_id(), self.path(label or ""), start, end, "field", label_match.group(2))
            return
        if _is_bare_heading(line):
            self.open_section(line, None)
            return
        self.block_no += 1
        self.emit(self.block_id(), self.path(), start, end, "para", line)
        if line.endswith((":", "：")):
            clause = re.split(r"[。，,！？!?]", line.rstrip(":："))[-1].strip()
            self.block_no -= 1  # the list shares the paragraph's block number
            self.open_list(clause or line)

    def item(self, line: str, start: int, end: int, label: str) -> None:
        self.item_no += 1
        self.emit(f"{self.block_id()}.{self.item_no}", self.path(label) if label else self.path(), start, end, "item", line)


def split(doc: str, source: str, markdown: bool = False) -> list[Passage]:
    """Split one document's text into passages, in reading order."""
    splitter = _Splitter(doc, source)
    pos = 0
    for raw in source.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        if body.strip():
            splitter.line(body, pos, pos + len(body), markdown)
        pos += len(raw)
    return splitter.passages


def doc_name(path: Path) -> str:
    """The document id used in passage ids: the file name without its last suffix."""
    return path.stem


def read_limited(path: Path, limit: int, fix: str = "split it into smaller articles") -> bytes:
    """The bytes of a regular file, its size checked before reading (and at most limit bytes read); CorpusError
    naming the file otherwise."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # non-blocking: a FIFO put in place of a file cannot hang the load
    except OSError as exc:
        raise CorpusError(f"cannot read {path}: {exc.strerror}", "check the file's permissions") from exc
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise CorpusError(f"{path.name} is not a regular file", "keep only UTF-8 .md or .txt articles in corpus/")
        if st.st_size > limit:
            raise CorpusError(f"{path.name} is {st.st_size:,} bytes, over the {limit:,} limit", fix)
        try:
            data = fh.read(limit + 1)
        except OSError as exc:
            raise CorpusError(f"cannot read {path}: {exc.strerror}", "check the file's permissions") from exc
    if len(data) > limit:  # it grew while being read
        raise CorpusError(f"{path.name} is over the {limit:,} byte limit", fix)
    return data


def outside(path: Path, root: Path) -> str | None:
    """Where path really leads when that is outside root (a symbolic link out of the corpus), else None."""
    real = path.resolve()
    return None if real.is_relative_to(root.resolve()) else str(real)


def load_json(path: Path, root: Path) -> Any:
    """A JSON data file of the corpus (glossary, renderings): inside the corpus, size-checked before reading,
    parsed; CorpusError naming the file otherwise."""
    target = outside(path, root)
    if target:
        raise CorpusError(f"{path.name} links outside the corpus (to {target})", "copy the file into the corpus folder instead of linking it")
    data = read_limited(path, MAX_DATA_BYTES, "keep data files under the limit")
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise CorpusError(f"{path.name} is not UTF-8 (byte {exc.start})", "re-save it as UTF-8") from exc
    except json.JSONDecodeError as exc:
        raise CorpusError(f"{path.name} is not valid JSON ({exc.msg}, line {exc.lineno})", "fix the JSON or remove the file") from exc
    except RecursionError as exc:
        raise CorpusError(f"{path.name} is JSON nested too deeply", "fix the JSON or remove the file") from exc


def read_article(path: Path) -> str:
    """Read one article as UTF-8 text, or raise CorpusError naming the file."""
    data = read_limited(path, MAX_FILE_BYTES)
    if b"\x00" in data:
        raise CorpusError(f"{path.name} looks binary (it holds NUL bytes)", "keep only UTF-8 .md or .txt articles in corpus/")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CorpusError(f"{path.name} is not UTF-8 (byte {exc.start})", "re-save it as UTF-8") from exc
    if not text.strip():
        raise CorpusError(f"{path.name} is empty", "add text to it or remove it")
    return text


def _title_from_renderings(corpus_dir: Path, doc: str) -> str:
    """A plain-text article's title, where its renderings file names one (a .txt article has no '#' title)."""
    path = rendering_path(corpus_dir, doc)
    try:
        title = json.loads(path.read_text(encoding="utf-8")).get("title", "") if path.is_file() else ""
    except (OSError, UnicodeDecodeError, ValueError, AttributeError):
        return ""
    return title if isinstance(title, str) else ""


def corpus_files(corpus_dir: Path) -> list[Path]:
    """Every regular file in corpus/, sorted, ignoring hidden files and READMEs."""
    if not corpus_dir.is_dir():
        raise CorpusError(f"corpus folder {corpus_dir} does not exist", "create it and put UTF-8 .md or .txt articles in it")
    return sorted(p for p in corpus_dir.iterdir() if p.is_file() and not p.name.startswith(".") and not p.name.upper().startswith("README"))


def _split_markdown_cached(name: str, text: str, cache: Any) -> list[Passage]:
    """split_markdown through the article cache (assistant/articlecache.py) when there is one."""
    from .markdown import split_markdown

    if cache is None:
        return split_markdown(doc_name(Path(name)), text)
    key = name + "\0" + text
    rows = cache.get(key)
    if isinstance(rows, list):
        with contextlib.suppress(TypeError, KeyError, ValueError):
            return [Passage(**{**row, "heading": tuple(row["heading"])}) for row in rows]
    found = split_markdown(doc_name(Path(name)), text)
    cache.put(key, [asdict(p) for p in found])
    return found


def load_corpus(corpus_dir: Path, cache_folder: Path | None = None) -> CorpusLoad:
    """Load and split every article in corpus_dir; unusable files are skipped with a reason. With cache_folder,
    a Markdown article read before (the same name, text and splitter code) is not split again."""
    cache = None
    if cache_folder is not None:
        from .articlecache import ArticleCache, fingerprint

        cache = ArticleCache(cache_folder, "passages", fingerprint("corpus.py", "markdown.py", "data/boilerplate.json") + f"-v{SPLIT_VERSION}")
    passages: list[Passage] = []
    files: list[str] = []
    skipped: list[tuple[str, str]] = []
    digest = hashlib.sha256(f"split-v{SPLIT_VERSION}".encode())
    for path in corpus_files(corpus_dir):
        target = outside(path, corpus_dir)
        if target:
            skipped.append((path.name, f"a link to a file outside the corpus ({target}); copy the file in instead"))
            continue
        if path.suffix.lower() in DATA_SUFFIXES:
            try:
                digest.update(path.name.encode() + b"\0" + read_limited(path, MAX_DATA_BYTES, "keep data files under the limit"))
            except CorpusError as exc:
                skipped.append((path.name, exc.what))
            continue
        if path.suffix.lower() not in TEXT_SUFFIXES:
            skipped.append((path.name, f"unsupported extension {path.suffix or '(none)'}; use .md or .txt"))
            continue
        try:
            text = read_article(path)
        except CorpusError as exc:
            skipped.append((path.name, exc.what))
            continue
        if path.suffix.lower() == ".md":
            found = _split_markdown_cached(path.name, text, cache)
        else:
            found = split(doc_name(path), text)
            title = _title_from_renderings(corpus_dir, doc_name(path))
            found = [replace(p, title=title) for p in found] if title else found
        if not found:
            skipped.append((path.name, "no passages found"))
            continue
        digest.update(path.name.encode() + b"\0" + text.encode())
        passages.extend(found)
        files.append(path.name)
    if not passages:
        detail = "; ".join(f"{n}: {r}" for n, r in skipped) or "no .md or .txt files"
        raise CorpusError(f"no articles could be indexed in {corpus_dir} ({detail})", "add UTF-8 .md or .txt articles to corpus/")
    return CorpusLoad(tuple(passages), tuple(files), tuple(skipped), digest.hexdigest())


@dataclass(frozen=True)
class Rendering:
    """An English rendering of one passage, written for the article (corpus/<doc>.en.json)."""

    heading: str
    text: str


def rendering_path(corpus_dir: Path, doc: str) -> Path:
    """Where the English renderings of a document live."""
    return corpus_dir / f"{doc}.en.json"


def load_renderings(corpus_dir: Path, passages: tuple[Passage, ...]) -> tuple[dict[str, Rendering], list[str]]:
    """English renderings by passage id, and warnings for files or entries that no longer match."""
    out: dict[str, Rendering] = {}
    warnings: list[str] = []
    by_id = {p.id: p for p in passages}
    for doc in sorted({p.doc for p in passages}):
        path = rendering_path(corpus_dir, doc)
        if not path.is_file():
            continue
        try:
            entries = load_json(path, corpus_dir)["passages"]
        except (CorpusError, KeyError, TypeError) as exc:
            warnings.append(f"{path.name}: unreadable renderings ({exc}); English answers fall back to the glossary")
            continue
        for pid, entry in entries.items():
            passage = by_id.get(pid)
            if passage is None or entry.get("zh") != passage.text:
                warnings.append(f"{path.name}: rendering of {pid} does not match the article text; ignored")
                continue
            if str(entry.get("en", "")).strip():  # a skeleton's entries stay empty until someone renders them
                out[pid] = Rendering(str(entry.get("heading", "")), str(entry.get("en", "")))
    return out, warnings
