"""The public API: Assistant.load(...).ask(question, history) -> Answer."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from . import limits
from .config import Settings
from .embed import Embedder
from .errors import IndexError_
from .evidence import Evidence, Group, Selector
from .index import IndexData, build_index, current_path, ensure_index, load_index
from .lexicon import Lexicon, load_lexicon
from .respond import Answer, Responder
from .retrieve import MODES, Retriever
from .tokens import warm_up
from .understand import Query, history_texts, understand, with_intent

ASK_MODES = ("full", *MODES)
#: How many earlier turns are re-read to learn which role their answers named.
ANSWERED_DEPTH = 3


def query_embedder(settings: Settings, index: IndexData, embedder: Embedder) -> Any:
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
        self.retriever = Retriever(index, embedder, lexicon)
        self.selector = Selector(index, lexicon, self.retriever)
        self.responder = Responder(index, lexicon)

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
        embedder = Embedder(s.model)
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

        base = Embedder(self.settings.model) if isinstance(self.embedder, OnnxEmbedder) else self.embedder  # loads only if needed
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
        dictionary and tagger: about 1 s), so the first answer is as quick as the rest."""
        warm_up()
        self.embedder.encode(["warm up"])

    def understand(self, question: str, history: list | None = None) -> Query:
        """The structured Query for a question (exposed for tracing and tests)."""
        return understand(question, self.lexicon, history, self._answered(history))

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

    def ask(self, question: str, history: list | None = None, k: int | None = None, mode: str = "full") -> Answer:
        """Answer a question in its language, citing passages; declines when the corpus does not cover it."""
        question, history = limits.text(question), limits.history(history)  # bounded and encodable before any work
        q = self.understand(question, history)
        if q.intent in ("empty", "greeting"):
            return self.responder.simple(q.intent, q)
        if mode != "full":
            return self._baseline(q, mode, k or 1)
        ev = self.selector.select(q)
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
