"""The browser chat: a thin Gradio wrapper over Assistant.ask, with sources, examples and follow-ups.

Run it with `make chat` or `python -m assistant chat [--host HOST] [--port PORT]`.
The index loads (or builds) in the background; the page says when it is ready.
"""

import html
import re
import sys
import threading
from typing import Any

TITLE = "Career Q&A · 产品与运营岗位问答"
ABOUT = (
    "Answers come only from the articles in `corpus/` (now: *产品经理与运营人员的分工及六大核心运营岗位*): "
    "product manager vs operations, how operations roles cooperate (the 618 example), and six core operations roles "
    "(user, content, activity, product, traffic, data) with their goals, work, cases and key metrics. "
    "Every answer cites its passages; questions the articles don't cover are declined. Ask in English or 中文.\n\n"
    "回答只来自 `corpus/` 中的文章,每个回答都附带引用原文;文章没有涉及的问题会直接说明。"
)
EXAMPLES = [
    "What does traffic ops measure?",
    "流量运营的关键指标是什么?",
    "What's the difference between a product manager and operations?",
    "用户运营和内容运营有什么区别?",
    "I'm good at writing. Which ops role suits me?",
    "我擅长数据分析,适合做哪个运营岗位?",
    "What did Perfect Diary do to cut acquisition costs?",
    "电商618大促中各运营岗位怎么分工?",
]
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-!|~>])")


def escape(text: str) -> str:
    """Make user or corpus text inert in Markdown+HTML: entities for <>&, backslashes for Markdown."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def _code(text: str) -> str:
    """Inline code for ids: code spans render literally, so only backticks need removing."""
    return "`" + text.replace("`", "") + "`"


def _inline(text: str) -> str:
    """Text made inert but for the template's **bold** and [n] markers."""
    parts = re.split(r"(\*\*[^*<>]+\*\*|\[\d+\])", text)
    return "".join(p if re.fullmatch(r"\[\d+\]", p) else f"**{escape(p[2:-2])}**" if re.fullmatch(r"\*\*[^*<>]+\*\*", p) else escape(p) for p in parts if p)


def _safe_answer(text: str) -> str:
    """The answer text made inert; the only Markdown kept is the template's bullets, comparison tables, **bold**
    and [n] markers."""
    out = []
    for line in text.split("\n"):
        if re.fullmatch(r"(\|---)+\|", line):
            out.append(line)  # a table's header rule
        elif line.startswith("| ") and line.endswith(" |"):
            cells = re.split(r"(?<!\\)\|", line)[1:-1]  # cells hold their own pipes escaped ("\\|")
            out.append("| " + " | ".join(_inline(c.strip().replace("\\|", "|")) for c in cells) + " |")
        else:
            m = re.match(r"^(- |\d+\. )?(.*)$", line)
            bullet, rest = (m.group(1) or "") if m else "", m.group(2) if m else line
            out.append(bullet + _inline(rest))
    return "\n".join(out)


class App:
    """Holds the assistant once it has loaded, and turns answers into chat messages."""

    def __init__(self, **load_args: Any) -> None:
        self.assistant: Any = None
        self.status = ["Loading the index…"]
        self.error: str | None = None
        self.load_args = load_args
        self._thread = threading.Thread(target=self._load, daemon=True)

    def start(self) -> None:
        """Load (or build) the index in the background."""
        self._thread.start()

    def _say(self, msg: str) -> None:
        self.status.append(msg)
        print(msg, file=sys.stderr, flush=True)

    def _load(self) -> None:
        from assistant import Assistant
        from assistant.errors import AssistantError

        try:
            self.assistant = Assistant.load(status=self._say, **self.load_args)
            self.assistant.warm()  # so the first question is as quick as the rest
            n = len(self.assistant.index.passages)
            self._say(f"Ready: {n} passages indexed.")
        except AssistantError as exc:
            self.error = f"Error: {exc}"
            self._say(self.error)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until loading finished; True when the assistant is usable."""
        self._thread.join(timeout)
        return self.assistant is not None

    def status_md(self) -> str:
        """The status line shown above the chat."""
        if self.error:
            return f"**{escape(self.error)}**"
        if self.assistant is None:
            return "**Loading:** " + escape(self.status[-1]) + " — the chat answers as soon as the index is ready."
        return "**Status:** " + escape(self.status[-1])

    # -- answering -------------------------------------------------------------------
    def answer_json(self, question: str, history: list | None = None) -> dict:
        """The API endpoint: the same JSON as `python -m assistant ask --json`."""
        if self.assistant is None and not self.wait(600):
            return {"question": question, "error": self.error or "the index is not ready"}
        return self.assistant.ask(question or "", history=history or None).to_json(question or "")

    def messages_for(self, answer: Any) -> list[dict]:
        """Chat messages for an answer: the text, then one collapsible block per citation."""
        from gradio import ChatMessage

        if answer.refused:
            head = "**Not covered by the articles**" if answer.lang == "en" else "**文章没有涉及**"
            body = f"> {head}\n>\n" + "\n".join(f"> {line}" if line else ">" for line in _safe_answer(answer.text).split("\n"))
        else:
            body = _safe_answer(answer.text)
        msgs = [ChatMessage(role="assistant", content=body)]
        for c in answer.citations:
            lines = [f"**{escape(c.heading)}**  ", _code(c.passage_id), "", f"> {escape(c.quote)}"]
            if c.quote_en and answer.lang == "en":
                lines += ["", f"*{escape(c.quote_en)}*"]
            title = f"[{c.n}] {c.heading_en if answer.lang == 'en' and c.heading_en else c.heading}"
            msgs.append(ChatMessage(role="assistant", content="\n".join(lines), metadata={"title": title, "status": "done"}))
        if answer.followups:  # Gradio shows options under the last message of a turn
            msgs.append(
                ChatMessage(role="assistant", content="Ask next:" if answer.lang == "en" else "接着问:", options=[{"value": s} for s in answer.followups])
            )
        return msgs

    def sources_md(self, answer: Any) -> str:
        """The sources panel for the latest answer."""
        if answer.refused:
            if not answer.nearest:
                return "_No sources: the question was declined._"
            rows = "\n".join(f"- {escape(c.heading)} ({_code(c.passage_id)})" for c in answer.nearest)
            return "_Declined. Nearest passages, not an answer:_\n\n" + rows
        return "\n\n".join(f"**\\[{c.n}\\]** {escape(c.heading)}  \n{_code(c.passage_id)}  \n> {escape(c.quote)}" for c in answer.citations)

    def respond(self, question: str, chat: list, asked: list[str]) -> tuple[list, list[str], str, str, str]:
        """Handle one user turn: returns chat, this session's questions, sources, status and a cleared box."""
        question = question or ""
        chat = list(chat or [])
        if not question.strip():
            return chat, asked, "", self.status_md(), ""
        chat.append({"role": "user", "content": escape(question)})
        if self.assistant is None:
            chat.append({"role": "assistant", "content": "The index is still loading (" + escape(self.status[-1]) + "); please ask again in a moment."})
            return chat, asked, "", self.status_md(), ""
        answer = self.assistant.ask(question, history=list(asked) or None)
        chat.extend(self.messages_for(answer))
        return chat, [*asked, question], self.sources_md(answer), self.status_md(), ""


def build(app: App):  # type: ignore[no-untyped-def]
    """The Gradio Blocks page."""
    import gradio as gr

    with gr.Blocks(title=TITLE) as demo:
        gr.Markdown(f"# {TITLE}")
        status = gr.Markdown(app.status_md(), elem_id="status")
        with gr.Row():
            with gr.Column(scale=3):
                chat = gr.Chatbot(elem_id="chat", height=560, sanitize_html=True, allow_tags=False, render_markdown=True, show_label=False)
                with gr.Row():
                    box = gr.Textbox(
                        placeholder="Ask about product or operations roles… 输入你的问题", show_label=False, scale=5, elem_id="question", max_length=100_000
                    )
                    send = gr.Button("Ask 提问", variant="primary", scale=1, elem_id="send")
                    clear = gr.Button("New chat 新对话", scale=1, elem_id="new-chat")
                gr.Examples(EXAMPLES, inputs=box, label="Examples 示例")
            with gr.Column(scale=2):
                gr.Markdown(ABOUT)
                gr.Markdown("### Sources 来源")
                sources = gr.Markdown("_Sources of the latest answer appear here._", elem_id="sources")
        asked = gr.State([])
        outputs = [chat, asked, sources, status, box]
        send.click(app.respond, [box, chat, asked], outputs, api_visibility="private")
        box.submit(app.respond, [box, chat, asked], outputs, api_visibility="private")

        def pick(evt: gr.SelectData, chat_v: list, asked_v: list[str]):  # type: ignore[no-untyped-def]
            return app.respond(str(evt.value), chat_v, asked_v)

        chat.option_select(pick, [chat, asked], outputs, api_visibility="private")
        clear.click(lambda: ([], [], "_Sources of the latest answer appear here._", app.status_md(), ""), None, outputs, api_visibility="private")
        timer = gr.Timer(1.0)
        timer.tick(
            lambda: (app.status_md(), gr.Timer(active=app.assistant is None and app.error is None)),
            None,
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
    """Start loading the assistant and serve the chat (blocks until stopped)."""
    app = App(**{k: v for k, v in load_args.items() if v is not None})
    app.start()
    demo = build(app)
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: serving on {host}; anyone who can reach this address can use the chat", file=sys.stderr)
    print(f"Chat: http://{'127.0.0.1' if host == '127.0.0.1' else host}:{port}", file=sys.stderr, flush=True)
    demo.queue(default_concurrency_limit=8).launch(server_name=host, server_port=port, show_error=False, quiet=True)


if __name__ == "__main__":
    main()
