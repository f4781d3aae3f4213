"""The browser chat: a thin Gradio wrapper over Assistant.ask.

Run it with `make chat` or `python -m assistant chat [--host HOST] [--port PORT]`.
The index loads (or builds) in the background; questions asked meanwhile wait
and are answered when it is ready. The conversation and the interface language
live in the browser (gr.BrowserState), so a reload keeps them and no two
browsers share them. The HTML is built, escaped, by assistant/chat_view.py.
"""

import os

# Offline for real: no telemetry or version check from Gradio, no Hugging Face calls. Set before gradio is imported.
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("GRADIO_RUN_HISTORY", "False")

import re  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import gradio as gr  # noqa: E402

from assistant import chat_view as view  # noqa: E402
from assistant.serve import single_thread_embeddings  # noqa: E402

WEB = Path(view.__file__).parent / "web"
TITLE = "Career Q&A · 职业问答"
#: How long a question asked during start-up waits for the index.
LOAD_WAIT_S = 900
#: Longest question kept (the box stops there too; the assistant reads fewer, MAX_QUESTION_CHARS, and says so).
MAX_INPUT_CHARS = 4000


def ui_lang(prefs: Any) -> str:
    """The interface language from the browser's stored preferences (English when unset)."""
    lang = prefs.get("lang") if isinstance(prefs, dict) else None
    return lang if lang in view.LANGS else "en"


class App:
    """Holds the assistant once it has loaded, and turns questions into stored chat turns."""

    def __init__(self, **load_args: Any) -> None:
        self.assistant: Any = None
        self.error: str | None = None
        self.load_args = load_args
        self._thread = threading.Thread(target=self._load, daemon=True)
        self._titles: dict[str, str] = {}
        self._nonce = 0
        #: Called in the loading thread once the assistant is ready (starts the JSON API's workers), or with
        #: what went wrong when it cannot load (the API then answers 503 at once instead of waiting).
        self.on_ready: Any = None
        self.on_error: Any = None

    def start(self) -> None:
        """Load (or build) the index in the background."""
        self._thread.start()

    def _load(self) -> None:
        from assistant import Assistant
        from assistant.errors import AssistantError

        say = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731 - progress is for the terminal, not the page
        try:
            self.assistant = Assistant.load(status=say, **self.load_args)
            self.assistant.warm()  # so the first question is as quick as the rest
            say(f"ready: {len(self.assistant.index.passages)} passages")
        except AssistantError as exc:
            self.error = exc.what
            say(f"Error: {exc}")
            if self.on_error is not None:
                self.on_error(exc.what)
            return
        if self.on_ready is not None:
            self.on_ready()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until loading finished; True when the assistant is usable."""
        if self._thread.ident is not None:  # started
            self._thread.join(timeout)
        return self.assistant is not None

    def status(self, prefs: Any = None) -> str:
        """The status line in the interface language."""
        ui = ui_lang(prefs)
        if self.error:
            return view.status_html(ui, "error", self.error)
        return view.status_html(ui, "ready" if self.assistant is not None else "loading")

    # -- answers -------------------------------------------------------------------------------
    def answer_json(self, question: str, history: list | None = None) -> dict:
        """The API endpoint: the same JSON as `python -m assistant ask --json`."""
        from assistant import limits

        question = limits.text(question)  # lone surrogates and the like: the JSON reply must encode
        if history is not None and not isinstance(history, list):
            history = [history] if isinstance(history, str) else None  # a single turn, or nothing usable
        if self.assistant is None and not self.wait(LOAD_WAIT_S):
            return {"question": question, "error": self.error or "the index is not ready"}
        single_thread_embeddings()
        return self.assistant.ask(question or "", history=history or None).to_json(question or "")

    def article_title(self, pid: str) -> str:
        """The title of the article a passage is from: its first Markdown heading, else its file name in words."""
        doc = pid.split(":", 1)[0]
        if doc not in self._titles:
            path = self._article_path(doc)
            title = ""
            if path is not None:
                from assistant.corpus import read_article
                from assistant.errors import AssistantError

                try:
                    first = next((ln.strip() for ln in read_article(path).splitlines() if ln.strip()), "")
                except AssistantError:  # unreadable now: the file name still says which article it is
                    first = ""
                title = first.lstrip("#").strip() if first.startswith("# ") else ""
            self._titles[doc] = title or re.sub(r"[-_]+", " ", re.sub(r"\.(zh|en)$", "", doc)).strip()
        return self._titles[doc]

    def _article_path(self, doc: str) -> Path | None:
        from assistant.corpus import TEXT_SUFFIXES

        folder = Path(self.assistant.settings.corpus_dir)
        return next((folder / f"{doc}{s}" for s in TEXT_SUFFIXES if (folder / f"{doc}{s}").is_file()), None)

    def article(self, pid: str, lang: str = "zh") -> str:
        """The article viewer: the whole article of a passage, the passage highlighted (called from the page)."""
        from assistant.corpus import read_article
        from assistant.errors import AssistantError

        lang = lang if lang in view.LANGS else "zh"
        if self.assistant is None or not isinstance(pid, str):
            return ""
        index = self.assistant.index
        pos = index.position(pid)
        if pos < 0:
            return ""
        p = index.passages[pos]
        path = self._article_path(p.doc)
        try:
            text = read_article(path) if path else p.text
        except AssistantError:
            text = p.text
        if text[p.start : p.end] == p.text:
            start, end = p.start, p.end
        else:  # the file changed since the index was built: find the passage, else show it alone
            found = text.find(p.text)
            text, start = (text, found) if found >= 0 else (p.text, 0)
            end = start + len(p.text)
        r = index.renderings.get(pid)
        heading = r.heading if lang == "en" and r and r.heading else p.heading_path
        return view.article_html(self.article_title(pid), heading, text, start, end, r.text if r else "", lang)

    def _ask(self, question: str, turns: list[dict]) -> dict:
        """One answered turn (waits for the index when it is still loading)."""
        if self.assistant is None and not self.wait(LOAD_WAIT_S):
            ui = "zh" if re.search(r"[\u4e00-\u9fff]", question) else "en"
            return {"q": question, "lang": ui, "refused": True, "intent": "error", "text": view.t(ui, "status_error", what=self.error or ""), "fb": ""}
        refresh = getattr(self.assistant, "refresh_if_newer", None)
        if callable(refresh):
            refresh()  # pick up a newer build of the index, when the library offers it
        history = [t["q"] for t in turns if isinstance(t, dict) and t.get("q")]
        single_thread_embeddings()
        answer = self.assistant.ask(question, history=history or None)
        return view.turn_from_answer(question, answer, self.article_title)

    def nonce(self) -> int:
        self._nonce += 1
        return self._nonce

    def render(self, turns: list[dict], prefs: Any, focus: str = "", pending: str | None = None) -> str:
        """The transcript HTML; focus names what scrolls to the top of the view."""
        return view.chat_html(turns, ui_lang(prefs), pending=pending, waiting=self.assistant is None, focus=focus, nonce=self.nonce() if focus else 0)

    def respond(self, question: str | None, turns: list[dict] | None, prefs: Any):  # type: ignore[no-untyped-def]
        """Handle one question: show it at once (waiting if need be), then its answer. Yields turns, chat, box."""
        turns = [t for t in (turns or []) if isinstance(t, dict)]
        question = (question or "").strip()[:MAX_INPUT_CHARS]
        if not question:
            yield turns, gr.skip(), gr.skip()
            return
        n = len(turns)
        yield turns, self.render(turns, prefs, f"turn-{n}", pending=question), ""
        turns = [*turns, self._ask(question, turns)]
        yield turns, self.render(turns, prefs, f"answer-{n}"), gr.skip()

    def ask_event(self, evt: gr.EventData, turns: list[dict] | None, prefs: Any):  # type: ignore[no-untyped-def]
        """An example or follow-up clicked in the transcript: asked like a typed question."""
        yield from self.respond(str(getattr(evt, "_data", {}).get("text", "")), turns, prefs)

    def redo(self, turns: list[dict] | None, prefs: Any):  # type: ignore[no-untyped-def]
        """Ask the last question again."""
        turns = list(turns or [])
        if not turns:
            yield turns, gr.skip(), gr.skip()
            return
        yield from self.respond(turns[-1]["q"], turns[:-1], prefs)

    def takeback(self, turns: list[dict] | None, prefs: Any) -> tuple:
        """Undo the last turn and put its question back in the box."""
        turns = list(turns or [])
        if not turns:
            return turns, gr.skip(), gr.skip()
        last = turns.pop()
        return turns, self.render(turns, prefs, f"answer-{len(turns) - 1}" if turns else ""), last.get("q", "")

    def rate(self, evt: gr.EventData, turns: list[dict] | None, prefs: Any) -> tuple:
        """A like or dislike of one answer: stored in the feedback log and shown as pressed."""
        from assistant import feedback

        data = getattr(evt, "_data", None) or {}
        turns = list(turns or [])
        i, value = data.get("turn"), data.get("value")
        if not isinstance(i, int) or not 0 <= i < len(turns) or value not in ("like", "dislike"):
            return turns, gr.skip()
        turn = dict(turns[i])
        feedback.record(
            feedback.Feedback(
                value=value,
                question=turn.get("q", ""),
                history=[t.get("q", "") for t in turns[:i]],
                answer=turn.get("text", ""),
                refused=bool(turn.get("refused")),
                lang=turn.get("lang", "en"),
                citations=[{k: c.get(k, "") for k in ("n", "pid", "heading", "quote")} | {"passage_id": c.get("pid", "")} for c in turn.get("cites", [])],
            )
        )
        turn["fb"] = value
        turns[i] = turn
        return turns, self.render(turns, prefs)

    def restore(self, turns: list[dict] | None, prefs: Any) -> tuple:
        """On page load: the stored conversation, scrolled to its last answer, and the interface in the stored language."""
        turns = [t for t in (turns or []) if isinstance(t, dict) and isinstance(t.get("q"), str) and isinstance(t.get("text"), str)]
        prefs = {**(prefs if isinstance(prefs, dict) else {}), "lang": ui_lang(prefs)}
        return (turns, prefs, self.render(turns, prefs, f"answer-{len(turns) - 1}" if turns else ""), *self.labels(prefs))

    def labels(self, prefs: Any) -> tuple:
        """Everything whose wording follows the interface language: title, status, box, send, new chat, language."""
        ui = ui_lang(prefs)
        return (
            f"<h1>{view.esc(view.t(ui, 'title'))}</h1>",
            self.status(prefs),
            gr.update(placeholder=view.t(ui, "placeholder")),
            gr.update(value=view.t(ui, "send")),
            gr.update(value=view.t(ui, "new")),
            gr.update(value=ui, label=view.t(ui, "lang")),
        )

    def set_lang(self, lang: str, turns: list[dict] | None, prefs: Any) -> tuple:
        """The interface language changed: remember it in the browser and re-label the page."""
        prefs = {**(prefs if isinstance(prefs, dict) else {}), "lang": lang if lang in view.LANGS else "en"}
        return (prefs, self.render(list(turns or []), prefs), *self.labels(prefs))


#: Runs in the browser before restore(): an unset interface language follows the browser's.
DETECT_LANG = """(turns, prefs) => {
  const p = (prefs && typeof prefs === "object") ? prefs : {};
  if (!p.lang) p.lang = (navigator.language || "en").toLowerCase().startsWith("zh") ? "zh" : "en";
  return [turns, p];
}"""


def build(app: App):  # type: ignore[no-untyped-def]
    """The Gradio Blocks page."""

    def article(args: Any) -> str:
        """The page's call for the article viewer: [passage id, answer language] (a plain function: Gradio marks it)."""
        pid, lang = (list(args) + ["zh"])[:2] if isinstance(args, (list, tuple)) else (args, "zh")
        return app.article(str(pid), str(lang))

    with gr.Blocks(title=TITLE, analytics_enabled=False) as demo:
        turns = gr.BrowserState([], storage_key="career-qa-turns")
        prefs = gr.BrowserState({"lang": ""}, storage_key="career-qa-prefs")
        with gr.Row(elem_id="header"):
            title = gr.HTML(f"<h1>{view.esc(view.t('en', 'title'))}</h1>", elem_id="title", js_on_load=None)
            lang = gr.Radio([("中文", "zh"), ("English", "en")], value="en", label="Language", show_label=False, container=False, elem_id="lang", scale=0)
            new = gr.Button("New chat", elem_id="new-chat", size="sm", scale=0)
        status = gr.HTML(app.status(), elem_id="status", js_on_load=None)
        chat = gr.HTML(
            view.chat_html([], "en"),
            elem_id="chat",
            js_on_load=(WEB / "chat.js").read_text(encoding="utf-8"),
            server_functions=[article],
        )
        with gr.Row(elem_id="composer"):
            box = gr.Textbox(
                placeholder=view.t("en", "placeholder"), show_label=False, lines=1, max_lines=6, elem_id="question", max_length=MAX_INPUT_CHARS, container=False
            )
            send = gr.Button("Send", variant="primary", elem_id="send", scale=0)

        labels = [title, status, box, send, new, lang]
        answered = [turns, chat, box]
        send.click(app.respond, [box, turns, prefs], answered, show_progress="hidden", api_visibility="private")
        box.submit(app.respond, [box, turns, prefs], answered, show_progress="hidden", api_visibility="private")
        chat.ask_q(app.ask_event, [turns, prefs], answered, show_progress="hidden", api_visibility="private")
        chat.redo(app.redo, [turns, prefs], answered, show_progress="hidden", api_visibility="private")
        chat.takeback(app.takeback, [turns, prefs], answered, show_progress="hidden", api_visibility="private")
        chat.rate(app.rate, [turns, prefs], [turns, chat], show_progress="hidden", api_visibility="private")
        new.click(lambda p: ([], app.render([], p), ""), [prefs], answered, show_progress="hidden", api_visibility="private")
        lang.input(app.set_lang, [lang, turns, prefs], [prefs, chat, *labels], show_progress="hidden", api_visibility="private")
        demo.load(app.restore, [turns, prefs], [turns, prefs, chat, *labels], js=DETECT_LANG, show_progress="hidden", api_visibility="private")

        timer = gr.Timer(1.0)
        timer.tick(
            lambda p: (app.status(p), gr.Timer(active=app.assistant is None and app.error is None)),
            [prefs],
            [status, timer],
            api_visibility="private",
            show_progress="hidden",
        )

        q_in = gr.Textbox(visible=False)
        h_in = gr.JSON(visible=False)
        out = gr.JSON(visible=False)
        gr.Button(visible=False).click(app.answer_json, [q_in, h_in], out, api_name="ask")
    return demo


def main(host: str = "127.0.0.1", port: int = 7860, **load_args: Any) -> None:
    """Start loading the assistant and serve the chat and the JSON API (blocks until stopped)."""
    import uvicorn
    from fastapi import FastAPI

    from assistant import serve
    from assistant.config import Settings
    from assistant.vectors import is_lite

    load_args = {k: v for k, v in load_args.items() if v is not None}
    settings = Settings.from_env(**load_args)
    workers = settings.api_workers
    if settings.vectors == "milvus" and workers and is_lite(settings.milvus_uri or "index/milvus.db"):
        print("note: milvus-lite opens its file in one process; the API answers in threads of this one (a Milvus server allows workers)", file=sys.stderr)
        workers = 0
    app = App(**load_args)
    answerer = serve.Answerer(lambda: app.assistant, settings.index_dir, load_args, workers=workers, threads=settings.api_threads, cache=settings.api_cache)
    app.on_ready, app.on_error = answerer.start, answerer.fail
    app.start()
    demo = build(app)
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: serving on {host}; anyone who can reach this address can use the chat", file=sys.stderr)
    shown = "127.0.0.1" if host == "127.0.0.1" else host
    print(f"Chat: http://{shown}:{port}   API: POST http://{shown}:{port}/api/ask", file=sys.stderr, flush=True)
    demo.queue(default_concurrency_limit=8)
    # The JSON API's routes first, the chat mounted at / after them: /api/* never reaches Gradio's queue.
    api = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    serve.add_routes(api, answerer)
    gr.mount_gradio_app(
        api,
        demo,
        path="/",
        server_name=host,
        server_port=port,
        show_error=False,
        footer_links=[],
        run_history=False,
        mcp_server=False,
        pwa=False,
        ssr_mode=False,
        css=(WEB / "chat.css").read_text(encoding="utf-8"),
        # In <head>, not css=: Gradio scopes css= rules inside its container; the article viewer and page margins are outside it.
        head=f"<style>{(WEB / 'page.css').read_text(encoding='utf-8')}</style>",
    )
    try:
        uvicorn.run(api, host=host, port=port, log_level="warning", access_log=False, timeout_graceful_shutdown=5)
    finally:
        answerer.stop()


if __name__ == "__main__":
    main()
