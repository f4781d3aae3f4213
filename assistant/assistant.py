"""The public API: Assistant.load(...).ask(question, history) -> Answer.

The flow: a question is read against the articles' outlines (reading.py), routed to the article it is about
(route.py), then answered by the strategy whose detect() scores highest (intents/). The articles a glossary
was written for are answered by the glossary's own strategies (understand.py, evidence.py, respond.py: the
domain layer) over an index of just those articles; every other article by the any-article strategies.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from . import limits
from .answerable import Verdict, asks_place, coverage, off_corpus, uncovered_topic, unfigured, unknown_asked
from .bm25 import BM25
from .config import Settings
from .corpus import detect_lang
from .cues import GREETING
from .cuewords import cues
from .embed import make_embedder
from .errors import IndexError_
from .evidence import Evidence, Group, Selector
from .index import IndexData, build_index, current_path, ensure_index, load_index, passage_doc_text
from .intents import REGISTRY, Intent, clarify, figure, pointer, search
from .intents.clarify import own_words
from .intents.common import Context, decline_answer, in_chinese, retrieval_scores
from .lexicon import Lexicon, load_lexicon
from .mixed import Homophones, spelled_names, unmix
from .numbers import written_with_unit
from .outline import Outline
from .reading import Ask, read
from .respond import Answer, Responder
from .retrieve import MODES, Retriever
from .route import MANY, Route, route
from .tokens import _stem, tokenize, warm_up
from .trace import Trace
from .understand import Query, clean, history_texts, understand, with_intent
from .vectors import FaissVectors, VectorIndex, open_vectors

ASK_MODES = ("full", *MODES)
#: A citation's section, for the topic check: its heading path to this depth (the title, a part, an entry).
SECTION_DEPTH = 3
#: Dictionary translations tried per English word of a mixed-language name.
TRANSLATIONS = 6
#: How many earlier turns are re-read to learn which role their answers named.
ANSWERED_DEPTH = 3
#: Declines of a turn that say it is outside the articles: a follow-up of it has nothing to refer to.
OUTSIDE = frozenset({"no_match", "topic", "weak match"})  # "topic": the glossary's outside the domain
OUTSIDE_PREFIXES = ("off the corpus", "outside the articles' domain", "a follow-up with nothing to refer to", "unknown")
#: Earlier turns whose decline is remembered (per turn and its history) before the memory starts afresh.
DECLINED_KEPT = 256


def query_embedder(settings: Settings, index: IndexData, embedder: Any) -> Any:
    """The verified ONNX export for questions when the index has one (no torch import), else the model itself."""
    if settings.encoder != "torch" and index.manifest.query_encoder:
        from .onnx_encoder import DIRNAME, OnnxEmbedder

        folder = index.path / DIRNAME
        if (folder / "model.onnx").is_file():
            return OnnxEmbedder(folder)
    return embedder


def _stderr(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


class Assistant:
    """A loaded index, glossary and model, ready to answer questions."""

    def __init__(self, settings: Settings, index: IndexData, embedder: Any, lexicon: Lexicon) -> None:
        self.settings = settings
        self.index = index
        self.embedder = embedder
        self.lexicon = lexicon
        self.vectors = open_vectors(settings, index)
        self.retriever = Retriever(index, embedder, lexicon, dense=self.vectors)
        self.outline = Outline.build(index.passages, index.bilingual, lexicon)
        self._turn_docs: dict[str, str] = {}
        self._declined: dict[tuple[str, ...], bool] = {}
        self.context = Context(index, self.retriever, self.outline, lexicon)
        docs = {p.doc for p in index.passages}
        #: The articles the glossary's strategies answer for (the domain layer), over an index of just them.
        self.domain_docs = frozenset(lexicon.articles & docs)
        domain = index if self.domain_docs == docs else sub_index(index, self.domain_docs)
        self.domain_retriever = self.retriever if domain is index else Retriever(domain, embedder, lexicon, self.retriever.vectors, self._view(domain))
        self.selector = Selector(domain, lexicon, self.domain_retriever)
        self.responder = Responder(domain, lexicon)
        outlined = frozenset(n for e in self.outline.entities for n in e.names)
        self._names = outlined | frozenset(z for e in lexicon.entries if e.kind in ("roles", "facets", "terms") for z in e.zh)
        # Names of things, not the glossary's facets ("看什么数据"), are what a homophone slip is put back to.
        self._homophones = Homophones(outlined | {z for e in lexicon.entries if e.kind in ("roles", "terms") for z in e.zh})
        self._english: dict[str, list[str]] = {}
        for e in lexicon.entries:
            if e.kind in ("roles", "facets", "terms"):
                for form in e.en:
                    if form.isalpha():
                        self._english.setdefault(form.lower(), []).extend(e.zh)

    def _view(self, domain: IndexData) -> VectorIndex:
        """The vector search of the domain layer's sub-index: its own FAISS index, or the backend's view of its articles."""
        if isinstance(self.vectors, FaissVectors):
            return FaissVectors(domain.dense)
        keep = {p.id for p in domain.passages}
        rows = [r for r, pos in enumerate(self.index.owner) if self.index.passages[pos].id in keep]
        return self.vectors.view(rows, self.domain_docs)

    @classmethod
    def load(
        cls,
        index_dir: str | Path | None = None,
        model: str | None = None,
        corpus_dir: str | Path | None = None,
        status: Callable[[str], None] | None = _stderr,
        rebuild: bool = False,
        **settings: object,
    ) -> "Assistant":
        """Load the index (building it if missing, stale or damaged) and the glossary."""
        s = Settings.from_env(index_dir=index_dir, model=model, corpus_dir=corpus_dir, **settings)
        say = status or (lambda _: None)
        embedder = make_embedder(s.model)
        index = build_index(s, embedder, say) if rebuild else ensure_index(s, embedder, say)
        return cls(s, index, query_embedder(s, index, embedder), load_lexicon(s.corpus_dir))

    def newer(self, status: Callable[[str], None] | None = None) -> "Assistant | None":
        """A new Assistant on the live build when another process built a newer one since this one loaded
        (cheap when there is none: one small file is read); None otherwise. The newer build is verified
        first; when it fails, status says this one keeps serving the older build."""
        say = status or (lambda _: None)
        try:
            path = current_path(self.settings.index_dir)
        except IndexError_ as exc:
            say(f"warning: {exc.what}; still serving the index {self.index.path.name}")
            return None
        if path is None or path == self.index.path or path.name == self.__dict__.get("_rejected"):
            return None  # a build that failed its checks is reported once, not re-hashed on every call
        try:
            index = load_index(self.settings.index_dir)
        except IndexError_ as exc:
            self._rejected = path.name
            say(f"warning: the newer index {path.name} failed its checks ({exc.what}); still serving the older {self.index.path.name} - {exc.fix}")
            return None
        if index is None or index.path == self.index.path:
            return None
        if index.manifest.model != self.settings.model:
            say(
                f"warning: the newer index {index.path.name} was built with {index.manifest.model}; still serving the older {self.index.path.name} - build with {self.settings.model}"
            )
            return None
        from .onnx_encoder import OnnxEmbedder

        base = make_embedder(self.settings.model) if isinstance(self.embedder, OnnxEmbedder) else self.embedder  # loads only if needed
        fresh = type(self)(self.settings, index, query_embedder(self.settings, index, base), load_lexicon(self.settings.corpus_dir))
        say(f"switched to the newer index {index.path.name} ({len(index.passages)} passages)")
        return fresh

    def refresh_if_newer(self) -> str | None:
        """Switch this Assistant in place to a newer build when there is one (see newer()).

        Returns a status line when something happened ("switched to the newer index …", or "the newer index …
        failed its checks; still serving the older …"), None when this is still the live build. The switch is
        one assignment of the instance's state; a caller sharing the Assistant between threads that wants each
        question answered wholly by one build can swap the object instead: ``a = a.newer(status) or a``.
        """
        said: list[str] = []
        fresh = self.newer(said.append)
        if fresh is not None:
            self.__dict__ = fresh.__dict__
        return said[-1] if said else None

    def warm(self) -> None:
        """Load now what the first question would otherwise load (the question encoder's session, jieba's
        dictionary and tagger: about 1 s; the dictionary's pinyin readings and acronyms and the second encoder:
        several seconds more), so the first answer is as quick as the rest."""
        from .dictionary import acronyms, proper_names, readings

        warm_up()
        self.embedder.encode_query(["warm up"])
        readings()
        acronyms()
        proper_names()
        self.retriever.cross("warm up", 1, frozenset(self.retriever.docs()[:1]))

    def understand(self, question: str, history: list | None = None, lang: str | None = None) -> Query:
        """The structured Query for a question (exposed for tracing and tests)."""
        return understand(question, self.lexicon, history, self._answered(history), lang)

    def _answered(self, history: list | None) -> dict[str, tuple[str, ...]]:
        """For the last few earlier turns that asked for a role without naming one ("which role suits me?",
        "who decides the 618 rules?"), the role the answer named."""
        turns = history_texts(history)
        out: dict[str, tuple[str, ...]] = {}
        for i in range(max(0, len(turns) - ANSWERED_DEPTH), len(turns)):
            q = understand(turns[i], self.lexicon, turns[:i], out)
            if q.intent in ("which_role", "recommend") or q.described:
                groups = self.selector.select(q).groups
                if groups and groups[0].role:
                    out[turns[i]] = (groups[0].role,)
        return out

    def unmix(self, text: str) -> str:
        """Names in the articles' own words: mixed-language ones ("data运营" -> 数据运营), Chinese names spelled in
        pinyin over several words ("Zhang Xiaolong" -> 张小龙) and names typed with a homophone ("数剧运营"), see
        mixed.py."""
        spelled = spelled_names(self._homophones.repair(text), lambda key: self.index.bilingual.pinyin.get(key, ()))
        return unmix(spelled, self._names.__contains__, self._translate)

    def _translate(self, word: str) -> list[str]:
        low = word.lower()
        return [*self._english.get(low, ()), *self.index.bilingual.to_zh(_stem(low))[:TRANSLATIONS]]

    def read(self, question: str, history: list | None = None, lang: str | None = None) -> Ask:
        """The question read against the articles' outlines (exposed for tracing and tests)."""
        return read(question, history, self.outline, self.index.bilingual, self._article_of, lang)

    def _article_of(self, turn: str) -> str:
        """The article an earlier turn was about (remembered: a chat re-sends its history every turn)."""
        if turn not in self._turn_docs:
            if len(self._turn_docs) > 256:
                self._turn_docs.clear()
            a = read(turn, None, self.outline, self.index.bilingual)
            self._turn_docs[turn] = self._route(a, self.understand(turn, []) if self.domain_docs else None).doc
        return self._turn_docs[turn]

    def _route(self, a: Ask, known: Query | None) -> Route:
        """The article a question is about, with what the glossary recognises in it (an earlier turn is judged
        as it was when asked)."""
        unread = known is not None and not _reads(known)  # the glossary recognises nothing in it
        return route(a, self.retriever, claimed=self._claimed(known, a), unrecognised=self.domain_docs if unread else frozenset())

    def ask(self, question: str, history: list | None = None, k: int | None = None, mode: str = "full", *, suggest: bool = True) -> Answer:
        """Answer a question in its language, citing passages; declines when the corpus does not cover it.
        With suggest, the follow-ups offered are only those that are answered (each is asked first)."""
        question, history = limits.text(question), limits.history(history)  # bounded and encodable before any work
        text, _ = clean(question)
        if not text or GREETING.match(text):
            q = self.understand(question, history)
            return self.responder.simple(q.intent if q.intent in ("empty", "greeting") else "empty", q)
        if mode != "full":
            return self._baseline(self.understand(question, history), mode, k or 1)
        trace = Trace()
        lang = detect_lang(text)  # of the words as written, before mixed-language names are put in Chinese
        unmixed = self.unmix(question)
        if unmixed != question:
            trace.fire(f"names in the articles' words (mixed-language, pinyin, homophones): {unmixed[:80]}")
            question = unmixed
        if history and cues()["fresh"].fires(text):
            trace.fire("cue:fresh (a new question: the earlier turns are set aside)")
            history = []
        history = [self.unmix(h) for h in history]
        a = self.read(question, history, lang)
        if a.followup and not a.carried and self._declined_turn(a.previous, history):
            # "And its metrics?" after a question the articles do not speak of (a recipe) points at nothing.
            trace.fire("follow-up of a turn the articles do not cover: nothing to refer to (the earlier turns are set aside)")
            history = []
            a = self.read(question, history, lang)
        known = self.understand(question, history, lang) if self.domain_docs else None  # the glossary's reading, once
        reads = known is not None and _reads(known)
        chosen = self._route(a, known)
        many = len(self.retriever.docs()) > MANY
        trace.route = {"chosen": chosen.doc, "scores": chosen.scores}
        trace.entities = [f"{m.entity.name} ({m.how} {m.strength:.1f}, {m.entity.doc})" for m in a.named]
        trace.facets = list(a.facets)
        for name in sorted(a.cues):
            trace.fire(f"cue:{name}")
        for t in a.topics:
            trace.fire(f"topic:{t.name}")
        if a.followup:
            trace.fire(f"follow-up of: {a.previous[:60]}")
        q = known if chosen.doc in self.domain_docs else None
        # A number counts as recognised only where the article uses it ("2022" in an off-topic question does not).
        recognised = q is not None and (
            reads or any(written_with_unit(n, text, self.retriever.text_of(chosen.doc), self.index.bilingual.to_zh) for n in q.numbers)
        )
        if q is not None and figure.detect(a, self.context, chosen.doc) > 0:
            # The article's own images: one strategy for every article (the glossary has none of its own).
            trace.intent = figure.NAME
            answer = figure.answer(a, self.context, chosen.doc, trace)
        elif q is not None and asks_place(a):
            # What the article says at its start or end: its own order answers, as for every article.
            trace.intent = search.NAME
            answer = search.answer(a, self.context, chosen.doc, trace)
        elif q is not None and a.cues & {"next", "outcome"} and len(own_words(a)) <= pointer.OWN_AT_MOST and pointer.detect(a, self.context, chosen.doc) > 0:
            # "What comes next?", "后来呢": what follows in the article's own order, as for every article.
            trace.intent = pointer.NAME
            answer = pointer.answer(a, self.context, chosen.doc, trace)
        elif q is not None and not recognised and clarify.detect(a, self.context, chosen.doc) > 0:
            # A follow-up with nothing to refer to asks which one, whichever strategies the article has.
            trace.intent = clarify.NAME
            answer = clarify.answer(a, self.context, chosen.doc, trace)
        elif q is not None:
            answer = self._domain(q, k, trace)
            # The glossary's own gate judges what it recognises; the off-corpus check the rest.
            far = (
                None
                if answer.refused or a.followup or recognised
                else off_corpus(a, self.context, chosen.doc, retrieval_scores(a, self.context, chosen.doc)[1])
            )
            pool = _cited_texts(answer) + self._section_texts(answer)
            # A decline names the topic it could not answer, unless the glossary's decline already names what is missing.
            uncovered = (
                None
                if answer.refused and (trace.missing or trace.decline == "passing")
                else uncovered_topic(a, pool if not answer.refused else [], self.context)
            )
            names = [] if answer.refused else unknown_asked(a, self.context, chosen.doc)
            counted = None if answer.refused or names else unfigured(a, self.context, chosen.doc, named_only=True)
            if far is not None:
                trace.decline = far.reason
                answer = decline_answer(a, self.context, far, [], answer.intent)
            elif uncovered is not None:
                # What the glossary's strategies found names the role but not what is asked of it (its salary).
                verdict = uncovered.verdict()
                trace.decline = verdict.reason
                cited = answer.citations or answer.nearest
                passages = [self.index.passages[self.index.position(c.passage_id)] for c in cited]
                answer = decline_answer(a, self.context, verdict, passages, answer.intent)
            elif names:
                # The question asks about a product, tool or acronym the article never uses in any language.
                trace.decline = "unknown names"
                passages = [self.index.passages[self.index.position(c.passage_id)] for c in answer.citations]
                answer = decline_answer(a, self.context, Verdict(False, trace.decline, tuple(names)), passages, answer.intent)
            elif counted:
                # A number asked of something the article names without one (how much complaints fell).
                trace.decline = f"no figure given ({counted})"
                passages = [self.index.passages[self.index.position(c.passage_id)] for c in answer.citations]
                answer = decline_answer(a, self.context, Verdict(False, "no figure given", (counted,), unfigured=True), passages, answer.intent)
        elif many and known is not None and known.intent == "out_of_scope" and known.oos and not self._speaks_of(chosen.doc, known.oos, a):
            # Among many articles some passage is near any question; what the glossary knows to be outside the
            # domain (a visa, a recipe), asked of an article that never speaks of it, is declined whichever article
            # routing found. (Beside one or two articles the glossary's list, written for the seed, would decline
            # their own topics, "big tech" or 算法工程师; there the checks of each strategy decide.)
            trace.intent = Intent.DOMAIN.value + ":out_of_scope"
            trace.decline = f"outside the articles' domain: {', '.join(known.oos[:2])}"
            answer = decline_answer(a, self.context, Verdict(False, trace.decline, tuple(known.oos[:2]), offer=False), [], "out_of_scope")
        else:
            scores = {s.NAME: s.detect(a, self.context, chosen.doc) for s in REGISTRY}
            trace.intents = scores
            strategy = max(REGISTRY, key=lambda s: scores[s.NAME])
            trace.intent = strategy.NAME
            if a.lang == "en" and self.index.cross is not None:
                trace.fire(f"retrieval: e5, BM25 and the second encoder {self.index.manifest.cross_model} (an English question)")
            if a.lang == "en" and not self.context.rendered(chosen.doc) and in_chinese(a, self.context):
                trace.fire("retrieval: ranked by e5 with the question's words also said in Chinese (the article has no English rendering)")
            answer = strategy.answer(a, self.context, chosen.doc, trace)
            if not answer.refused and (uncovered := uncovered_topic(a, _cited_texts(answer), self.context)) is not None:
                # Whatever the strategy, a topic asked that no cited passage speaks of (a list of roles, and the salary?).
                verdict = uncovered.verdict()
                trace.decline = verdict.reason
                passages = [self.index.passages[self.index.position(c.passage_id)] for c in answer.citations]
                answer = decline_answer(a, self.context, verdict, passages, answer.intent)
        if suggest and answer.followups:
            answer = replace(answer, followups=self._answerable(answer.followups, question, history, trace))
        return replace(answer, trace=trace)

    def _declined_turn(self, turn: str, history: list[str]) -> bool:
        """Whether an earlier turn (asked after the turns before it) is one the assistant declines as outside the
        articles (far from them, a weak match, outside the domain, a follow-up with nothing to refer to, or a
        topic asked of nothing the articles or the glossary know). Remembered per turn and its history."""
        texts = history_texts(history)
        at = max((i for i, t in enumerate(texts) if t == turn), default=len(texts))
        key = (turn, *texts[:at])
        if key not in self._declined:
            if len(self._declined) >= DECLINED_KEPT:
                self._declined.clear()
            answer = self.ask(turn, texts[:at], suggest=False)
            why = answer.trace.decline if answer.trace is not None else ""
            # A topic declined ("how long …?") counts where the turn names nothing the glossary knows either.
            asked_of_nothing = why.startswith("topic not covered") and not (self.domain_docs and _reads(self.understand(turn, [])))
            self._declined[key] = answer.refused and (why in OUTSIDE or why.startswith(OUTSIDE_PREFIXES) or asked_of_nothing)
        return self._declined[key]

    def _answerable(self, followups: tuple[str, ...], question: str, history: list | None, trace: Trace) -> tuple[str, ...]:
        """The suggested follow-ups that the assistant answers after this question: not declined, and not only
        in part ("the article gives no key metrics for operations")."""
        turns = [*history_texts(history), question]
        kept = []
        for f in followups:
            reply = self.ask(f, turns, suggest=False)
            if reply.refused or reply.partial:
                trace.fire(f"suggestion dropped (it would not be answered): {f}")
            else:
                kept.append(f)
        return tuple(kept)

    def _claimed(self, q: Query | None, a: Ask) -> dict[str, tuple[tuple[str, ...], ...]]:
        """For the glossary's articles, the Chinese names of what the glossary recognises in a question: roles
        asked with a facet or compared, its terms and companies (routing counts those no other article uses).
        A term is claimed by its name and by the Chinese word the asker wrote for it, both unused elsewhere
        ("营销漏斗" names the funnel, but another article may speak of 漏斗 too). Among many articles every role
        the glossary reads is claimed, but only where its article knows the rest of the question's words (a
        question on 小红书's search ranking is not the seed's for naming 小红书)."""
        docs = self.retriever.docs()
        if q is None or len(docs) == 1:
            return {}
        many = len(docs) > MANY
        # Which of its roles fits a person or a need, read from what the asker says of themselves: the choice is
        # among the roles the glossary's articles describe, whatever else the rambling mentions.
        fit = many and q.intent in ("recommend", "which_role") and bool(q.skills or q.roles)
        if many and not fit and all(_known_share(a, self.context, d) < self.context.scoring.known_share for d in self.domain_docs):
            return {}
        roles = q.roles if many or q.facet not in (None, "overview") or q.intent in ("compare", "list", "recommend", "which_role") else ()
        keys = [("roles", r) for r in roles] + [("terms", t) for t in q.terms] + [("companies", c) for c in q.companies]
        keys += [("skills", k) for k in q.skills] if fit else []
        claims = tuple((self.lexicon.get(kind, eid).name_zh, *self._term_forms(kind, eid, q, every=not many)) for kind, eid in keys)
        if fit:
            claims += (tuple(e.name_zh for e in self.lexicon.of_kind("roles")),)  # the roles chosen among
        return dict.fromkeys(self.domain_docs, claims) if claims else {}

    def _term_forms(self, kind: str, eid: str, q: Query, every: bool = False) -> tuple[str, ...]:
        """Besides its name, the Chinese words a term is claimed by: the one the asker wrote for it, and the
        shorter forms its name holds (会员 in 会员体系: an article speaking of 会员 speaks of the same thing).
        every: all its Chinese forms (beside a few other articles, a concept one of them also speaks of in any of
        the glossary's words, 求职 or 不同公司, tells the glossary's article apart no better than similarity)."""
        if kind != "terms":
            return ()
        name = self.lexicon.get(kind, eid).name_zh
        forms = self.lexicon.zh_forms(kind, eid)
        wide = [f for f in forms if f != name and len(f) >= 2] if every else []
        return tuple(dict.fromkeys([*(w for w in q.term_words if w in forms), *(f for f in forms if f != name and len(f) >= 2 and f in name), *wide]))

    def _speaks_of(self, doc: str, forms: tuple[str, ...], a: Ask) -> bool:
        """Whether an article speaks of every one of these words: uses it, or speaks of the asked topic it names
        (its evidence: "interview" of an article on 面试). A city named beside the weather is not the weather."""
        text = self.retriever.text_of(doc)
        low = text.lower()
        return all(f.lower() in low or any(t.asks.fires(f) and t.supported_by(text) for t in a.topics) for f in forms)

    def _section_texts(self, answer: Answer) -> list[str]:
        """The passages under the same headings as an answer's citations (where a topic may still be spoken of)."""
        heads = {tuple(c.heading.split(" > ")[:SECTION_DEPTH]) for c in answer.citations}
        return [p.text for p in self.index.passages if p.doc in self.domain_docs and tuple(p.heading[:SECTION_DEPTH]) in heads]

    def _domain(self, q: Query, k: int | None, trace: Trace) -> Answer:
        """The glossary's strategies, for the articles it was written for."""
        trace.intent = f"{Intent.DOMAIN.value}:{q.intent}"
        trace.entities += [f"glossary role {r}" for r in q.roles] + [f"glossary term {t}" for t in q.terms]
        if q.facet:
            trace.facets.append(f"glossary facet {q.facet}")
        if q.intent in ("empty", "greeting"):
            return self.responder.simple(q.intent, q)
        ev = self.selector.select(q)
        for note in ev.notes:
            trace.fire(note)
        if ev.decline:
            trace.decline = ev.decline + (f" ({', '.join(ev.missing)})" if ev.missing else "")
            trace.missing = tuple(ev.missing)
        trace.candidates = [{"id": h.passage.id, "score": round(h.score, 3)} for g in ev.groups for h in g.hits][:8]
        if k is not None and ev.groups:
            groups = tuple(replace(g, hits=g.hits[: max(k, 1)]) for g in ev.groups)
            ev = replace(ev, groups=groups, extra=ev.extra[: max(k - 1, 0)])
        return self.responder.respond(q, ev)

    def _baseline(self, q: Query, mode: str, k: int) -> Answer:
        """Plain retrieval: the top passage(s) by one retrieval mode, no question understanding."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {ASK_MODES}")
        hits = self.retriever.search(q.text, k=k, mode=mode, expand=False)
        base = with_intent(q, "search")
        if not hits:
            return self.responder.respond(base, Evidence((), decline="no_match"))
        return self.responder.respond(base, Evidence((Group("", "", tuple(hits)),)))


def _cited_texts(answer: Answer) -> list[str]:
    """What an answer's citations say: each quote and its section title (a section titled 薪资 speaks of pay)."""
    return [t for c in answer.citations for t in (c.quote, c.heading)]


def sub_index(index: IndexData, docs: frozenset[str]) -> IndexData:
    """An index of some articles only (the domain layer's), sharing the loaded vectors: positions renumbered,
    BM25 rebuilt over their passages."""
    import faiss
    import numpy as np

    keep = [i for i, p in enumerate(index.passages) if p.doc in docs]
    new_pos = {old: new for new, old in enumerate(keep)}
    rows = [r for r, pos in enumerate(index.owner) if pos in new_pos]
    dense = faiss.IndexFlatIP(index.dense.d)
    if rows:
        dense.add(np.vstack([index.dense.reconstruct(int(r)) for r in rows]).astype("float32"))
    passages = tuple(index.passages[i] for i in keep)
    renderings = {p.id: index.renderings[p.id] for p in passages if p.id in index.renderings}
    bm25 = BM25.build([tokenize(passage_doc_text(p, renderings.get(p.id))) for p in passages])
    owner = [new_pos[index.owner[r]] for r in rows]
    manifest = replace(index.manifest, n_passages=len(passages), n_vectors=len(rows), index_type="flat")
    return IndexData(manifest, passages, renderings, dense, owner, bm25, index.path, bilingual=index.bilingual)


def _reads(known: Query) -> bool:
    """Whether the glossary recognises something in a question: a role, a term, a company or a skill."""
    return bool(known.roles or known.terms or known.companies or known.skills)


def _known_share(a: Ask, ctx: Context, doc: str) -> float:
    """The share of a question's content words an article knows, of the whole question or of what it asks
    (the asker's side remarks aside), whichever is more."""
    return max(coverage(a, ctx, doc)[0], coverage(a, ctx, doc, asked=True)[0])
