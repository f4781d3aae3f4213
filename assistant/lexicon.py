"""The bilingual domain glossary (data in corpus/*glossary.json) and entity matching over questions.

English forms match as whole words (case-insensitive, an optional plural
ending; the first word of a phrase inflects as a verb); Chinese forms match as substrings. Longer matches win over the
shorter ones they contain, so "用户运营" is one role, not 用户 + 运营.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .corpus import load_json
from .errors import CorpusError

KINDS = ("roles", "facets", "terms", "companies", "skills")
#: How many texts' matches find() remembers.
FIND_CACHE = 1024
#: Words shorter than this are not repaired (too many near neighbours).
TYPO_MIN = 6
#: Inside a two- or three-word name, an English word shorter than this is taken as meant, not as a slip.
ENGLISH_SLIP_MIN = 5


@dataclass(frozen=True)
class Entry:
    """One glossary entry: an id, its Chinese and English forms and optional extras."""

    kind: str
    id: str
    zh: tuple[str, ...]
    en: tuple[str, ...]
    extra: dict

    @property
    def name_zh(self) -> str:
        """The preferred Chinese form."""
        return str(self.extra.get("name_zh") or (self.zh[0] if self.zh else self.id))

    @property
    def name_en(self) -> str:
        """The preferred English form: its name_en, an ASCII Chinese-list form ("CPI"), or the first English form."""
        if self.extra.get("name_en"):
            return str(self.extra["name_en"])
        if self.zh and self.zh[0].isascii():
            return self.zh[0]
        if not self.en:
            return self.id
        return self.en[0].title() if self.kind == "companies" else self.en[0]

    def name(self, lang: str) -> str:
        """The preferred form in the given language."""
        return self.name_zh if lang == "zh" else self.name_en


@dataclass(frozen=True)
class Match:
    """Where a glossary entry (or an out-of-scope topic) was found in a text."""

    kind: str
    id: str
    start: int
    end: int
    form: str


#: The first word of a phrase inflects as a verb ("work on": "works on", "worked on", "working on").
_VERB_ENDINGS = r"(?:s|es|ed|d|ing)?"


#: The particles after a phrasal verb: a form "verb particle …" inflects its verb ("work on"); a noun phrase
#: ("point of", "case study") does not.
_PARTICLES = frozenset("on with in out up for to into about over off down together along through around".split())


def _inflects(form: str) -> bool:
    words = form.lower().split()
    return len(words) > 1 and words[0].isalpha() and len(words[0]) >= 3 and words[1] in _PARTICLES


def _en_pattern(form: str, verb: bool = True) -> re.Pattern[str]:
    words = form.lower().split()
    first = re.escape(words[0])
    if verb and _inflects(form):
        # A silent e drops before -ing ("make it" -> "making it").
        first = f"(?:{first}{_VERB_ENDINGS}|{re.escape(words[0][:-1])}ing)" if words[0].endswith("e") else first + _VERB_ENDINGS
    body = r"[\s\-]+".join([first, *map(re.escape, words[1:])])
    return re.compile(rf"(?<![a-z0-9]){body}(?:s|es)?(?![a-z0-9])")


def _needle(form: str, verb: bool) -> str:
    """A literal every match of the English form contains (a silent e drops before -ing)."""
    first = form.lower().split()[0]
    return first[:-1] if verb and _inflects(form) and first.endswith("e") else first


class Lexicon:
    """The merged glossaries of corpus/, with matchers built once."""

    def __init__(self, entries: list[Entry], oos_en: tuple[str, ...] = (), oos_zh: tuple[str, ...] = ()) -> None:
        self.entries = entries
        #: The articles the glossary was written for (its strategies answer for them only).
        self.articles: frozenset[str] = frozenset()
        self._found: dict[str, tuple[Match, ...]] = {}
        self.by_key = {(e.kind, e.id): e for e in entries}
        forms: list[tuple[str, str, str, bool]] = []  # (kind, id, form, is_zh)
        for e in entries:
            forms += [(e.kind, e.id, f, True) for f in e.zh]
            forms += [(e.kind, e.id, f, False) for f in e.en]
        forms += [("oos", "oos", f, False) for f in oos_en]
        forms += [("oos", "oos", f, True) for f in oos_zh]
        # Longest first, so a longer form claims its span before its parts do.
        forms.sort(key=lambda t: -len(t[2]))
        # Each matcher carries a literal needle that must occur for its pattern to match, so find()
        # runs a regex only for the few forms whose needle is in the text.
        self._matchers = [
            (
                kind,
                eid,
                form,
                form.lower() if is_zh and _has_cjk(form) else _needle(form, kind != "oos"),
                # Topics outside the domain are matched as written ("major in" asks; "I majored in" tells).
                re.compile(re.escape(form.lower())) if is_zh and _has_cjk(form) else _en_pattern(form, kind != "oos"),
            )
            for kind, eid, form, is_zh in forms
            if form.strip()
        ]
        self._by_start: dict[str, list[int]] = {}
        for i, matcher in enumerate(self._matchers):
            self._by_start.setdefault(matcher[3][:2], []).append(i)
        self._heads = self._head_patterns()
        # Typo repair: the words of the English forms, and what each becomes with one letter dropped.
        self._words = {w for e in entries for f in e.en for w in re.findall(r"[a-z]+", f.lower()) if len(w) >= TYPO_MIN}
        # Two- and three-word names by a word they hold where: a phrase whose other words slipped ("user
        # opps", "traffic oprations") is found through the word that did not.
        self._phrases: dict[tuple[int, int, str], set[tuple[str, ...]]] = {}
        for e in entries:
            for f in e.en if e.kind in ("roles", "companies") else ():  # names, not phrases ("link between")
                words = tuple(f.lower().split())
                if 2 <= len(words) <= 3 and all(w.isalpha() for w in words):
                    for i, w in enumerate(words):
                        self._phrases.setdefault((len(words), i, w), set()).add(words)
        self._dropped: dict[str, set[str]] = {}
        for w in self._words:
            for i in range(len(w)):
                self._dropped.setdefault(w[:i] + w[i + 1 :], set()).add(w)

    def _head_patterns(self) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None, re.Pattern[str] | None, dict[str, str], dict[str, str]]:
        """Patterns for roles named by their distinctive word plus a generic one ("the content side",
        "events team", "做内容的"), built from the roles' own forms ("content operations", "内容运营")."""
        heads: dict[str, set[str]] = {}
        blocked: set[str] = set()
        for e in self.of_kind("roles"):
            ops_en = [f.lower() for f in e.en if re.search(r" (operations?|ops?)$", f.lower())]
            ops_zh = [f for f in e.zh if f.endswith("运营") and len(f) > 2]
            for f in ops_en:
                heads.setdefault(re.sub(r" (operations?|ops?)$", "", f), set()).add(e.id)
            for f in ops_zh:
                heads.setdefault(f[:-2], set()).add(e.id)
            if not ops_en and not ops_zh:  # a role that is not an ops role ("product manager") claims its first word
                blocked |= {f.lower().split()[0] for f in e.en if " " in f} | {f[:2] for f in e.zh if _has_cjk(f)}
        owner = {h: next(iter(ids)) for h, ids in heads.items() if len(ids) == 1 and h not in blocked and h}
        en = sorted((h for h in owner if h.isascii()), key=len, reverse=True)
        zh = sorted((h for h in owner if not h.isascii()), key=len, reverse=True)
        en_pat = (
            re.compile(
                r"\b(" + "|".join(re.escape(h).replace(r"\ ", r"[\s\-]+") for h in en) + r")(?:\s*/\s*[a-z\-]+|\s*\([^)]{1,30}\))?\s+"
                r"(?:side|team|people|folks|guys|person|persons|roles?|jobs?|positions?|specialists?|staff|crew|department|function|track|"
                r"operators?|ops|operations)\b"
            )
            if en
            else None
        )
        zh_pat = (
            re.compile(r"(?:做|搞|负责|管|干)(" + "|".join(map(re.escape, zh)) + r")[\u4e00-\u9fff、,，/]{0,5}?(?:的|这块|那块|这一块|那一块|方面|方向)")
            if zh
            else None
        )
        # "管产品的运营": a word with 的 before 运营 names the role whose form is that word plus 运营, even a word a
        # non-operations role claims on its own ("产品").
        ops_owner = {h: next(iter(ids)) for h, ids in heads.items() if len(ids) == 1 and h and not h.isascii()}
        zh_ops = sorted(ops_owner, key=len, reverse=True)
        zh_ops_pat = re.compile(r"(?:做|搞|负责|管|干)(" + "|".join(map(re.escape, zh_ops)) + r")的(?:那种|那类|这种|那个)?运营") if zh_ops else None
        return en_pat, zh_pat, zh_ops_pat, owner, ops_owner

    def infer_roles(self, text: str) -> list[tuple[str, int, int]]:
        """Roles named by their distinctive word and a generic one ("the content side of ops", "做活动的"),
        each with the span of the words that name it."""
        en_pat, zh_pat, zh_ops_pat, owner, ops_owner = self._heads
        low = text.lower()
        found = [(owner.get(re.sub(r"[\s\-]+", " ", m.group(1))), m.start(), m.end()) for pat in (en_pat, zh_pat) if pat for m in pat.finditer(low)]
        if zh_ops_pat:
            taken = [(a, b) for _, a, b in found]
            found += [
                (ops_owner.get(m.group(1)), m.start(), m.end()) for m in zh_ops_pat.finditer(low) if not any(a < m.end() and m.start() < b for a, b in taken)
            ]
        return sorted(((r, a, b) for r, a, b in found if r), key=lambda t: t[1])

    def repair(self, text: str, known: "set[str] | frozenset[str]" = frozenset()) -> str:
        """English words one slip away from a glossary word (a letter missing, added or two swapped inside the
        word: "opertions", "prodcut", "trafic") replaced by it. Words in `known` are left alone, and so is a slip
        that could mean two glossary words. Substitutions are not repaired ("contest" is not "content")."""

        def fix(m: re.Match[str]) -> str:
            word = m.group()
            low = word.lower()
            if len(low) < TYPO_MIN or low in self._words or low in known:
                return word
            found = {w for w in self._dropped.get(low, set()) if w[:-1] != low}  # a letter missing
            found |= {low[:i] + low[i + 1 :] for i in range(len(low) - 1)} & self._words  # a letter too many
            found |= {low[:i] + low[i + 1] + low[i] + low[i + 2 :] for i in range(len(low) - 1)} & self._words  # swapped
            # Never at the end of a word: "tracks"/"track", "changer"/"change" are other words, not slips; nor
            # a real English word ("seeing" is not "seeding").
            if len(found) != 1 or _english_word(low):
                return word
            return found.pop()

        return self._repair_phrases(re.sub(r"[A-Za-z]+", fix, text))

    def _repair_phrases(self, text: str) -> str:
        """Two- or three-word names with one word slipped by a letter (even into another English word: "oops"),
        where the words beside it are the name's own; a slip that could mean two names is left alone."""
        spans = [(m.start(), m.end(), m.group().lower()) for m in re.finditer(r"[A-Za-z]+", text)]
        out: list[tuple[int, int, str]] = []
        for n in (3, 2):
            for j in range(len(spans) - n + 1):
                run = spans[j : j + n]
                if any(a < run[-1][1] and run[0][0] < b for a, b, _ in out) or any(text[run[k][1] : run[k + 1][0]] != " " for k in range(n - 1)):
                    continue
                words = tuple(w for _, _, w in run)
                if words in self._phrases.get((n, 0, words[0]), ()):
                    continue  # a name as it stands ("product manager", beside "product managers")
                found = {f for i, w in enumerate(words) for f in self._phrases.get((n, i, w), ()) if f != words and _slipped(words, f)}
                if len(found) == 1:
                    out.append((run[0][0], run[-1][1], " ".join(found.pop())))
        for a, b, phrase in sorted(out, reverse=True):
            text = text[:a] + phrase + text[b:]
        return text

    def get(self, kind: str, eid: str) -> Entry:
        """The entry of that kind and id."""
        return self.by_key[(kind, eid)]

    def of_kind(self, kind: str) -> list[Entry]:
        """All entries of one kind, in glossary order."""
        return [e for e in self.entries if e.kind == kind]

    def find(self, text: str) -> list[Match]:
        """Non-overlapping glossary matches in text, in reading order (remembered for the last texts: a question
        is looked up by understanding and again by retrieval)."""
        found = self._found.get(text)
        if found is None:
            if len(self._found) >= FIND_CACHE:
                self._found.clear()
            found = self._found[text] = tuple(self._find(text))
        return list(found)

    def _find(self, text: str) -> list[Match]:
        lowered = text.lower()
        taken = [False] * len(lowered)
        found: list[Match] = []
        # Only the matchers whose needle starts with a character pair (or, for one-character needles, a
        # character) that occurs in the text.
        keys = {lowered[i : i + 2] for i in range(len(lowered))} | set(lowered)
        spans = []
        for i in sorted(j for key in keys for j in self._by_start.get(key, ())):
            kind, eid, form, needle, pattern = self._matchers[i]
            if needle not in lowered:
                continue
            for m in pattern.finditer(lowered):
                # A form the glossary writes in capitals is a name only in capitals ("RED" the app, not red wine).
                if not form.isupper() or text[m.start() : m.end()].isupper():
                    spans.append((m.start(), m.end(), i))
        # Longer forms claim their spans first; of two as long that overlap, the one read first ("流量运营岗位" is
        # 流量运营 + 岗位, not 流量 + 运营岗位).
        for start, end, i in sorted(spans, key=lambda t: (t[0] - t[1], t[0], t[2])):
            if any(taken[start:end]):
                continue
            for j in range(start, end):
                taken[j] = True
            kind, eid, form, _, _ = self._matchers[i]
            found.append(Match(kind, eid, start, end, form))
        return sorted(found, key=lambda m: m.start)

    def zh_forms(self, kind: str, eid: str) -> tuple[str, ...]:
        """The Chinese forms of one entry, preferred first."""
        return self.get(kind, eid).zh

    def expand(self, text: str) -> str:
        """The text followed by the Chinese forms of every entry it mentions (for BM25 over Chinese)."""
        extra = []
        for m in self.find(text):
            if m.kind in KINDS and m.kind != "skills":
                extra.extend(self.get(m.kind, m.id).zh[:2])
            elif m.kind == "skills":
                extra.extend(self.get(m.kind, m.id).extra.get("evidence", [])[:3])
        return " ".join([text, *extra])


def _slipped(words: tuple[str, ...], name: tuple[str, ...]) -> bool:
    """Whether words are the name with exactly one word one letter off (missing, added, swapped or changed; a
    changed letter only in words of four letters or more)."""
    off = [(w, x) for w, x in zip(words, name, strict=True) if w != x]
    if len(off) != 1:
        return False
    typed, meant = off[0]
    english = _english_word(typed)
    # A changed letter turns many words into others ("line" -> "link"): only a word that is no English word slips
    # so; a short English word is most likely meant ("opts in", "led").
    return not (english and len(typed) < ENGLISH_SLIP_MIN) and _one_letter(typed, meant, changed=not english)


def _one_letter(a: str, b: str, changed: bool = True) -> bool:
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        swapped = len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
        return swapped or (changed and len(diff) == 1 and len(a) >= 4)
    short, long = sorted((a, b), key=len)
    if long == short + "s":
        return False  # a plural is the same word ("role", "roles")
    # In a short word only a doubled letter is a slip ("opps"); "opts" is another word.
    return len(long) >= 4 and any(
        long[:i] + long[i + 1 :] == short and (len(long) >= ENGLISH_SLIP_MIN or long[i] in long[max(0, i - 1) : i] + long[i + 1 : i + 2])
        for i in range(len(long))
    )


@lru_cache(maxsize=1)
def _english_words() -> frozenset[str]:
    """An English word list (Webster's 2nd and GCIDE, 263k words), loaded on the first possible typo."""
    try:
        from english_words import get_english_words_set
    except ImportError:
        return frozenset()
    return frozenset(get_english_words_set(["web2", "gcide"], lower=True, alpha=True))


def _english_word(word: str, strict: bool = False) -> bool:
    """Whether a word is English as it stands. Without the word list every word is (nothing is treated as a
    typo), or, strict, none is (nothing is taken for the word a typo slipped from)."""
    words = _english_words()
    return word in words if words else not strict


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def glossary_files(corpus_dir: Path) -> list[Path]:
    """The glossary files in corpus/: glossary.json and any *.glossary.json."""
    return sorted(p for p in corpus_dir.glob("*glossary.json") if p.is_file())


def load_lexicon(corpus_dir: Path) -> Lexicon:
    """Merge every glossary in corpus_dir into one Lexicon (an empty one when there is none)."""
    entries: list[Entry] = []
    oos_en: list[str] = []
    oos_zh: list[str] = []
    articles: list[str] = []
    for path in glossary_files(corpus_dir):
        try:
            data = load_json(path, corpus_dir)  # size-checked, inside the corpus
        except CorpusError as exc:
            raise CorpusError(f"cannot read glossary {path.name}: {exc.what}", exc.fix) from exc
        for kind in KINDS:
            for raw in data.get(kind, []):
                extra = {k: v for k, v in raw.items() if k not in ("id", "zh", "en")}
                entries.append(Entry(kind, str(raw["id"]), tuple(raw.get("zh", [])), tuple(raw.get("en", [])), extra))
        oos = data.get("out_of_scope_topics", {})
        oos_en += oos.get("en", [])
        oos_zh += oos.get("zh", [])
        articles += [str(a) for a in data.get("articles", []) if isinstance(a, str)]
    lexicon = Lexicon(entries, tuple(oos_en), tuple(oos_zh))
    lexicon.articles = frozenset(articles)
    return lexicon
