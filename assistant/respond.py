"""Templates that turn Evidence into an Answer with numbered citations, in the question's language.

Nothing here invents content: every sentence of substance is a passage's text
(or its English rendering), numbered to the citation that quotes it; the
template adds only the framing (which role, which facet).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .corpus import Passage
from .evidence import Evidence, Group
from .index import IndexData
from .lexicon import Lexicon
from .retrieve import Hit
from .understand import Query


@dataclass(frozen=True)
class Citation:
    """A numbered source of an answer: where it is and what it says, verbatim."""

    n: int
    passage_id: str
    heading: str
    quote: str
    heading_en: str = ""
    quote_en: str = ""
    article: str = ""  # the article's title, so a corpus of several articles says which one is quoted


@dataclass(frozen=True)
class Answer:
    """What the assistant says: text with [n] markers, its citations, and whether it declined."""

    text: str
    citations: list[Citation]
    refused: bool
    lang: str = "en"
    intent: str = ""
    partial: bool = False
    nearest: list[Citation] = field(default_factory=list)
    notes: tuple[str, ...] = ()
    followups: tuple[str, ...] = ()
    trace: Any = None  # the explain trace (assistant.trace.Trace) of how the answer was reached

    @property
    def shown(self) -> str:
        """What a user reads: the text followed by the verbatim quotes of its citations."""
        quotes = [f"[{c.n}] {c.quote}" for c in self.citations]
        return "\n".join([self.text, *quotes]) if quotes else self.text

    def to_json(self, question: str, explain: bool = False) -> dict:
        """The `ask --json` shape of ../shared/interfaces.md, plus a few extra fields."""
        return {
            "question": question,
            "lang": self.lang,
            "refused": self.refused,
            "text": self.text,
            "citations": [
                {
                    "n": c.n,
                    "passage_id": c.passage_id,
                    "heading": c.heading,
                    "quote": c.quote,
                    **({"article": c.article} if c.article else {}),
                    **({"heading_en": c.heading_en, "quote_en": c.quote_en} if c.quote_en else {}),
                }
                for c in self.citations
            ],
            "intent": self.intent,
            "partial": self.partial,
            "nearest": [{"passage_id": c.passage_id, "heading": c.heading} for c in self.nearest],
            **({"trace": self.trace.to_json()} if explain and self.trace is not None else {}),
            "notes": list(self.notes),
            "followups": list(self.followups),
        }


#: The glossary's umbrella role, of which the others are kinds.
UMBRELLA = "ops"

FACET_LEAD = {
    "metrics": ("Key metrics for {r}:", "{r}的关键指标:"),
    "goal": ("The goal of {r}:", "{r}的目标:"),
    "work": ("What {r} does:", "{r}的主要工作:"),
    "case": ("A case for {r} from the article:", "{r}的案例:"),
    "overview": ("{R}, as the article describes it:", "{r}是做什么的:"),
    None: ("What the article says about {r}:", "关于{r},文章是这样说的:"),
}
FACET_TITLE = {
    "metrics": ("key metrics", "关键指标"),
    "goal": ("goal", "目标"),
    "work": ("work", "具体工作"),
    "case": ("case", "案例"),
    "overview": ("what it is", "主要职责"),
}
FACET_NAME = {"metrics": ("key metrics", "关键指标"), "goal": ("a goal", "目标"), "work": ("work items", "具体工作"), "case": ("a case", "案例")}
DECLINE = (
    "Sorry, the articles here don't cover that, so I won't guess. I can answer questions about product managers and "
    "operations roles: what each role does, its goal, cases and key metrics, how the roles differ and which might suit you.",
    "抱歉,这里的文章没有涉及这个问题,我不做猜测。我可以回答产品经理和各类运营岗位的问题:每个岗位做什么、目标、案例、关键指标、岗位区别,以及哪个岗位适合你。",
)
MISSING = ("The articles never mention {named}.", "文章中没有提到{named}。")
PASSING = (
    "The article names {role} only in passing and does not describe its {facet}, so I won't guess. Where it is named:",
    "文章只是顺带提到了{role},没有介绍它的{facet},我不做猜测。文章提到它的地方:",
)
PASSING_TERM = (
    "The article mentions {term} only in passing and does not explain how it is done, so I won't guess. Where it is mentioned:",
    "文章只是顺带提到了{term},没有讲具体怎么做,我不做猜测。文章提到它的地方:",
)
FOLLOWUP = {
    "metrics": ("And how is it measured?", "那它的关键指标呢?"),
    "case": ("Is there a real case?", "有具体案例吗?"),
    "goal": ("What is its goal?", "它的目标是什么?"),
    "work": ("What does it do day to day?", "它具体做哪些工作?"),
}
NEAREST = ("Nearest passages (not an answer):", "最接近的段落(仅供参考,并非答案):")
GREETING = (
    "Hello! I answer questions about product manager and operations roles from the articles here, citing the passages "
    'I use. Try "What does traffic ops measure?" or "内容运营的目标是什么?"',
    "你好!我根据这里的文章回答产品经理和运营岗位的问题,并给出引用的原文。可以试试“流量运营的关键指标是什么?”或“What does content ops do?”",
)
EMPTY = ('Please type a question, for example "What does traffic ops measure?"', "请输入一个问题,例如“流量运营的关键指标是什么?”")
TRUNCATED = ("(Your question was long; I read only its first part.)", "(问题过长,只读取了前面一部分。)")


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "zh" else pair[0]


def _cell(text: str) -> str:
    """Text that fits in one Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


class Responder:
    """Formats answers; holds the index only to look up renderings and headings."""

    def __init__(self, index: IndexData, lexicon: Lexicon) -> None:
        self.index = index
        self.lexicon = lexicon
        #: Field label in the articles -> the facet's name in both languages ("目标" -> ("Goal", "目标")).
        self.facet_labels = {
            str(e.extra["label"]): (e.name_en[:1].upper() + e.name_en[1:], str(e.extra["label"])) for e in lexicon.of_kind("facets") if e.extra.get("label")
        }

    def body(self, p: Passage, lang: str) -> str:
        """The passage's words in the answer's language (the rendering for English when there is one)."""
        r = self.index.renderings.get(p.id)
        if lang == "en" and r and r.text:
            return r.text
        return p.text

    def cite(self, hits: tuple[Hit, ...] | list[Hit], start: int = 1) -> list[Citation]:
        """Numbered citations for hits, in order."""
        out = []
        for i, h in enumerate(hits, start=start):
            r = self.index.renderings.get(h.passage.id)
            out.append(
                Citation(i, h.passage.id, h.passage.heading_path, h.passage.text, r.heading if r else "", r.text if r else "", h.passage.title or h.passage.doc)
            )
        return out

    def simple(self, kind: str, q: Query) -> Answer:
        """Answers that need no passages: empty input and greetings."""
        text = _pick(EMPTY if kind == "empty" else GREETING, q.lang)
        return Answer(text, [], True, q.lang, kind, notes=q.notes)

    def respond(self, q: Query, ev: Evidence) -> Answer:
        """The Answer for a Query and its Evidence."""
        lang = q.lang
        prefix = [_pick(TRUNCATED, lang)] if "truncated" in q.notes else []
        if ev.decline:
            nearest = self.cite(ev.nearest)
            lines = [*prefix, _pick(DECLINE, lang)]
            if ev.missing:
                named = ", ".join(f'"{m}"' for m in ev.missing) if lang == "en" else "、".join(f"“{m}”" for m in ev.missing)
                lines = [*prefix, _pick(MISSING, lang).format(named=named), _pick(DECLINE, lang)]
            elif ev.decline == "passing" and q.roles:
                asked = FACET_NAME.get(q.facet or "", FACET_NAME["work"])
                role = self.lexicon.get("roles", q.roles[0]).name(lang)
                lines = [*prefix, _pick(PASSING, lang).format(role=role, facet=asked[lang == "zh"])]
            elif ev.decline == "passing" and q.terms:
                lines = [*prefix, _pick(PASSING_TERM, lang).format(term=self.lexicon.get("terms", q.terms[0]).name(lang))]
            if nearest and ev.decline == "passing":
                lines += [f"- {self.body(h.passage, lang)}" for h in ev.nearest]  # the lines that name the role
            elif nearest:
                lines += ["", _pick(NEAREST, lang)]
                lines += [
                    f"- {where}" for where in dict.fromkeys(c.heading_en if lang == "en" and c.heading_en else c.heading for c in nearest)
                ]  # each place once
            return Answer("\n".join(lines), [], True, lang, q.intent, nearest=nearest, notes=q.notes)
        hits: list[Hit] = []
        lines = list(prefix)
        if q.intent == "compare":
            lines += self._compare(q, ev, hits)
        elif q.intent == "list":
            lines += self._list(q, ev.groups[0], hits)
        elif q.intent == "recommend":
            lines += self._recommend(q, ev, hits)
        else:
            lines += self._single(q, ev, hits)
        extra = [h for h in ev.extra if h.passage.id not in {c.passage.id for c in hits}]
        if extra:
            label = "Related:" if lang == "en" else "相关内容:"
            lines += ["", label] + [self._line(h, lang, hits) for h in extra]
        return Answer(
            "\n".join(lines).strip(), self.cite(hits), False, lang, q.intent, partial=bool(ev.partial), notes=q.notes, followups=self.followups(q, ev)
        )

    def followups(self, q: Query, ev: Evidence) -> tuple[str, ...]:
        """Questions worth asking next, phrased as follow-ups that the history resolves."""
        if q.intent == "recommend" and ev.groups and ev.groups[0].title_en:
            top = ev.groups[0]
            return (f"What are the key metrics of {top.title_en}?",) if q.lang == "en" else (f"{top.title_zh}的关键指标是什么?",)
        if q.intent == "list":
            return (
                ("What does user operations do?", "Which role suits someone good with numbers?")
                if q.lang == "en"
                else ("用户运营做什么?", "我擅长数据分析,适合哪个岗位?")
            )
        if q.intent != "role" or not q.roles:
            return ()
        asked = q.facet or "overview"
        return tuple(FOLLOWUP[f][q.lang == "zh"] for f in ("metrics", "case", "goal", "work") if f != asked)[:2]

    # -- pieces -------------------------------------------------------------------
    def _ref(self, h: Hit, hits: list[Hit]) -> int:
        """The citation number of a hit's passage: its earlier number when it is already cited."""
        for n, cited in enumerate(hits, start=1):
            if cited.passage.id == h.passage.id:
                return n
        hits.append(h)
        return len(hits)

    def _line(self, h: Hit, lang: str, hits: list[Hit], bullet: str = "- ") -> str:
        return f"{bullet}{self.body(h.passage, lang)} [{self._ref(h, hits)}]"

    def _block(self, group: Group, lang: str, hits: list[Hit]) -> list[str]:
        if len(group.hits) == 1:
            return [self._line(group.hits[0], lang, hits, bullet="")]
        return [self._line(h, lang, hits) for h in group.hits]

    def _role(self, rid: str | None, lang: str, title: tuple[str, str]) -> str:
        if rid:
            return self.lexicon.get("roles", rid).name(lang)
        return title[1] if lang == "zh" else title[0]

    def _single(self, q: Query, ev: Evidence, hits: list[Hit]) -> list[str]:
        group = ev.groups[0]
        lang = q.lang
        asked = q.roles[0] if q.roles else None
        # A which-role answer names the role it found, or the roles when several use the asked term.
        rid = (group.role or (None if group.title_en else asked)) if q.intent == "which_role" else asked
        if rid == UMBRELLA and group.role not in (None, UMBRELLA):
            rid = group.role  # asked of operations at large, answered by the kind of operations the question described
        name = self._role(rid, lang, (group.title_en, group.title_zh))
        lines = self._alias(q, ev, rid)
        if ev.partial == "facet" and q.facet in FACET_NAME:
            fen, fzh = FACET_NAME[q.facet]
            lines.append(
                f"The article does not give {fen} for {name}; here is what it does say about the role:"
                if lang == "en"
                else f"文章没有给出{name}的{fzh},以下是文章对这个岗位的介绍:"
            )
        elif name and q.intent == "which_role" and not group.role and rid is None:
            lines.append(f"It comes up in the work of {name}:" if lang == "en" else f"涉及{name}:")  # several roles
        elif name and q.intent == "which_role":
            lines.append(f"That is the work of {name}:" if lang == "en" else f"这是{name}的工作:")
        elif q.ordinal is not None and q.facet == "work" and group.role is None and not group.title_en:
            # An item of the list a role was found in (the roles at work in an example), not a duty of that role.
            which = ("The last item", "最后一项") if q.ordinal < 0 else (f"Item {q.ordinal}", f"第{q.ordinal}项")
            lines.append(f"{which[0]} of that list:" if lang == "en" else f"同一列表中的{which[1]}:")
        elif name and q.ordinal is not None and q.facet == "work":
            which = ("the last", "最后一") if q.ordinal < 0 else (f"item {q.ordinal}", f"第{q.ordinal}")
            lines.append(f"{name[:1].upper() + name[1:]}, {which[0]} of its duties:" if lang == "en" else f"{name}的{which[1]}项工作:")
        elif name and q.facets:
            titles = [FACET_TITLE[f] for f in q.facets[:2]]
            lines.append(
                f"{name[:1].upper() + name[1:]}: {' and '.join(t[0] for t in titles)}:" if lang == "en" else f"{name}的{'和'.join(t[1] for t in titles)}:"
            )
        elif name:
            facet = q.facet if q.intent == "role" else None
            template = _pick(FACET_LEAD.get(facet, FACET_LEAD[None]), lang)
            lines.append(template.format(r=name, R=name[:1].upper() + name[1:]))
        else:
            lines.append("From the article:" if lang == "en" else "文章中的相关内容:")
        return lines + self._block(group, lang, hits)

    def _alias(self, q: Query, ev: Evidence, rid: str | None) -> list[str]:
        """A note when the asker named the role by a title the articles never use ("新媒体运营")."""
        if not rid or not ev.alias:
            return []
        name = self.lexicon.get("roles", rid).name(q.lang)
        if q.lang == "zh":
            return [f"文章没有单独介绍“{ev.alias}”,以下是文章中最接近的岗位:{name}。"]
        return [f"The article does not describe “{ev.alias}” by that name; the closest role it describes is {name}."]

    def _compare(self, q: Query, ev: Evidence, hits: list[Hit]) -> list[str]:
        lang = q.lang
        groups = ev.groups
        names = [g.title_zh if lang == "zh" else g.title_en for g in groups]
        facet = FACET_NAME.get(q.facet or "")
        if lang == "en":
            lines = [f"Comparing {' and '.join(names)}" + (f" ({facet[0]})" if facet else "") + ":"]
        else:
            lines = ["、".join(names) + "的对比" + (f"({facet[1]})" if facet else "") + ":"]
        lines += [self._line(h, lang, hits, bullet="") for h in ev.lead]
        if len(groups) < 2:
            for g, name in zip(groups, names, strict=True):
                lines += ["", f"**{name[:1].upper() + name[1:]}**", *[self._line(h, lang, hits) for h in g.hits]]
            return lines
        # Side by side, row by row, so the citations are numbered in reading order (the goals first).
        lines += ["", "| | " + " | ".join(f"**{n[:1].upper() + n[1:]}**" for n in names) + " |", "|---" * (len(groups) + 1) + "|"]
        for i in range(max(len(g.hits) for g in groups)):
            row = [g.hits[i] if i < len(g.hits) else None for g in groups]
            label = self._row_label([h.passage for h in row if h], lang)
            cells = [f"{_cell(self.body(h.passage, lang))} [{self._ref(h, hits)}]" if h else "" for h in row]
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
        return lines

    def _row_label(self, passages: list[Passage], lang: str) -> str:
        """What a row of a comparison shows: the facet its passages carry (目标, 关键指标…), or what kind they are."""
        for p in passages:
            for label, pair in self.facet_labels.items():
                if label in p.label:
                    return _pick(pair, lang)
        if all(p.kind == "heading" for p in passages):
            return _pick(("In short", "概括"), lang)
        return _pick(("About", "简介"), lang)

    def _list(self, q: Query, group: Group, hits: list[Hit]) -> list[str]:
        lang = q.lang
        heads = [h for h in group.hits if h.passage.kind == "heading"]
        intro = [h for h in group.hits if h.passage.kind != "heading"]
        lines = []
        if q.excluded:
            aside = [self.lexicon.get("roles", r) for r in q.excluded]
            named = ", ".join(e.name_en for e in aside) if lang == "en" else "、".join(e.name_zh for e in aside)
            lines.append(
                f"Besides {named}, the article describes {len(heads)} more operations roles:"
                if lang == "en"
                else f"除{named}外,文章还介绍了{len(heads)}个运营岗位:"
            )
        elif intro:
            lines.append(self._line(intro[0], lang, hits, bullet=""))
        else:
            lines.append(f"The article describes {len(heads)} core operations roles:" if lang == "en" else f"文章介绍了{len(heads)}个核心运营岗位:")
        lines += [self._line(h, lang, hits) for h in heads]  # the headings carry their own numbers
        return lines

    def _recommend(self, q: Query, ev: Evidence, hits: list[Hit]) -> list[str]:
        lang = q.lang
        if ev.partial == "no_strengths":
            lines = [
                "Tell me what you are good at or enjoy (writing, numbers, planning events, working with people, advertising, "
                "improving features) and I will match it against the roles. The roles the article describes:"
                if lang == "en"
                else "告诉我你擅长或喜欢什么(写作、数据分析、策划活动、和人打交道、广告投放、优化产品功能),我会对照文章中的岗位给出建议。文章介绍的岗位:"
            ]
            return lines + [self._line(h, lang, hits) for h in ev.groups[0].hits]
        skills = [self.lexicon.get("skills", s) for s in q.skills]
        said = ", ".join(s.name_en for s in skills) if lang == "en" else "、".join(s.name_zh for s in skills)
        if not said:  # matched by where the asker comes from ("event planner")
            said = (", " if lang == "en" else "、").join(w for r, w in q.named_as if r in q.background)
        lines = []
        for i, g in enumerate(ev.groups):
            name = g.title_zh if lang == "zh" else g.title_en
            if i == 0:
                lines.append(
                    f"From what you describe{f' ({said})' if said else ''}, **{name}** fits best. The article says of it:"
                    if lang == "en"
                    else f"根据你的描述{f'({said})' if said else ''},最适合的是**{name}**。文章是这样描述这个岗位的:"
                )
            else:
                lines += ["", f"You could also consider **{name}**:" if lang == "en" else f"也可以考虑**{name}**:"]
            lines += [self._line(h, lang, hits) for h in g.hits]
        return lines
