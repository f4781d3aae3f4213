"""Bounded load test of the Gradio chat server's `/ask` API, on loopback only.

What it does:

1. Computes the expected answer of every question in-process
   (`Assistant.load(status=None).ask(question, history=history).to_json(question)`): all items of
   `eval/dev.jsonl` (in-scope, declined and follow-up items, each with its own history) plus the
   "conversation" pairs below.
2. Starts `python -m assistant chat --host 127.0.0.1 --port <free port>` (cwd: the repo root), waits
   until `gradio_client.Client(url)` connects and `/ask` answers, and stops the server at the end,
   also on errors and Ctrl-C.
3. Runs `clients` threads, one `gradio_client.Client` each, `per_client` requests each, through
   `client.submit(question, history, api_name="/ask").result(timeout)`. Every answer must equal the
   in-process one (compared after a JSON round trip of the expected dict, since the wire is JSON).
   The first half of the clients (0 .. ceil(clients/2)-1) run a "conversation" pattern: a role
   question, then a follow-up such as "What is its goal?" with history [that role question]; client
   i uses role i mod 6 (so 20 clients cover all six roles), and the follow-up's first cited passage must have that role's Chinese name in its heading. The other
   clients walk through the dev items only, sending each follow-up item's own history.
4. Prints a table and writes `benchmarks/out/load.json`; exit status 1 when anything failed.

Bounds: a global deadline (`--seconds`, default 600, counted from the start, in-process answers and
server start-up included), the fixed request count, and 60 s per request. Requests that the deadline
leaves unsent count as errors.

    .venv/bin/python benchmarks/load_test.py [--clients 20] [--per-client 50] [--seconds 600]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEV_FILE = ROOT / "eval" / "dev.jsonl"
OUT_FILE = ROOT / "benchmarks" / "out" / "load.json"
HOST = "127.0.0.1"  # loopback only, by design
REQUEST_TIMEOUT = 60.0
MAX_SAMPLES = 20  # failure samples kept in the report

# (English name, Chinese name) of the six operations roles; client i converses about ROLES[i % 6].
ROLES = [
    ("user ops", "用户运营"),
    ("content ops", "内容运营"),
    ("activity ops", "活动运营"),
    ("product ops", "产品运营"),
    ("traffic ops", "流量运营"),
    ("data ops", "数据运营"),
]
# Conversation turns, cycled: (role question template, follow-up); {en}/{zh} are the role's names.
CONVERSATION = [
    ("What does {en} do?", "What is its goal?"),
    ("Tell me about {en}.", "And what's its goal?"),
    ("{zh}是做什么的?", "它的目标是什么?"),
]

Key = tuple[str, tuple[str, ...]]  # (question, history)


@dataclass
class Request:
    """One planned request: the question, its history and, for conversation follow-ups, the role to check."""

    question: str
    history: list[str]
    role_zh: str | None = None

    @property
    def key(self) -> Key:
        return self.question, tuple(self.history)


@dataclass
class ClientStats:
    """What one client thread saw."""

    client: int
    pattern: str
    planned: int
    sent: int = 0
    ok: int = 0
    mismatches: int = 0
    role_failures: int = 0
    exceptions: int = 0
    timeouts: int = 0
    not_sent: int = 0
    started: bool = False
    latencies_ms: list[float] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return self.mismatches + self.role_failures + self.exceptions + self.timeouts + self.not_sent


def _quiet_env() -> None:
    """No telemetry, no implicit tokens, no proxy for loopback: the test talks to 127.0.0.1 only."""
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
    os.environ["HF_HUB_DISABLE_IMPLICIT_TOKEN"] = "1"
    os.environ["HF_HUB_OFFLINE"] = "1"
    for var in ("NO_PROXY", "no_proxy"):
        cur = os.environ.get(var, "")
        os.environ[var] = ",".join(x for x in (cur, "127.0.0.1", "localhost") if x)


def load_dev(path: Path = DEV_FILE) -> list[Request]:
    """Every item of the question file (in-scope, declined, follow-ups) as a request with its own history."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            out.append(Request(item["question"], [str(h) for h in item.get("history") or []]))
    return out


def plan(clients: int, per_client: int, dev: list[Request]) -> list[tuple[str, list[Request]]]:
    """The requests of every client: (pattern, requests).

    The first half of the clients (client i converses about ROLES[i % 6], so 20 clients cover all six roles):
    dev item, role question, follow-up (history = [that role question]), repeated; the other half: dev items only. Dev items are spread so that the clients together cover all of them.
    """
    plans: list[tuple[str, list[Request]]] = []
    cursor = 0
    for i in range(clients):
        reqs: list[Request] = []
        en, zh = ROLES[i % len(ROLES)]
        conversation = i < (clients + 1) // 2
        turn = 0
        while len(reqs) < per_client:
            reqs.append(dev[cursor % len(dev)])
            cursor += 1
            if conversation and per_client - len(reqs) >= 2:
                ask_t, follow = CONVERSATION[turn % len(CONVERSATION)]
                turn += 1
                first = ask_t.format(en=en, zh=zh)
                reqs.append(Request(first, []))
                reqs.append(Request(follow, [first], role_zh=zh))
        plans.append((f"conversation:{en}" if conversation else "dev", reqs))
    return plans


def expected_answers(keys: set[Key]) -> dict[Key, dict]:
    """The in-process answer of every (question, history), JSON round-tripped like the wire format."""
    from assistant import Assistant

    a = Assistant.load(status=None)
    out = {}
    for question, history in sorted(keys):
        ans = a.ask(question, history=list(history) or None).to_json(question)
        out[(question, history)] = json.loads(json.dumps(ans, ensure_ascii=False))
    return out


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    s = sorted(values)
    rank = max(1, -(-len(s) * p // 100))  # ceil(len * p / 100)
    return s[int(min(rank, len(s))) - 1]


class Server:
    """`python -m assistant chat` on 127.0.0.1 as a subprocess; a context manager that always stops it."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.url = f"http://{HOST}:{port}/"
        self.log = tempfile.TemporaryFile()
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        cmd = [sys.executable, "-m", "assistant", "chat", "--host", HOST, "--port", str(self.port)]
        self.proc = subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT, env=os.environ.copy())
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def log_tail(self, n: int = 2000) -> str:
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")[-n:]

    def stop(self) -> int | None:
        """Terminate (then kill) the server process; returns its exit code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        return self.proc.returncode

    def wait_ready(self, deadline: float) -> float:
        """Block until Client(url) connects and /ask answers; returns the seconds it took."""
        from gradio_client import Client

        t0 = time.monotonic()
        last = "not tried"
        while time.monotonic() < deadline:
            if not self.alive():
                raise RuntimeError(f"the server exited with status {self.proc.returncode if self.proc else None}:\n{self.log_tail()}")
            try:
                client = Client(self.url, verbose=False, download_files=False, analytics_enabled=False)
                try:
                    job = client.submit("What does traffic ops measure?", [], api_name="/ask")
                    res = job.result(timeout=max(1.0, min(REQUEST_TIMEOUT * 10, deadline - time.monotonic())))
                finally:
                    client.close()
                if isinstance(res, dict) and "citations" in res:
                    return time.monotonic() - t0
                last = f"unexpected /ask answer: {str(res)[:200]}"
            except Exception as exc:  # connection refused while starting, etc.
                last = f"{type(exc).__name__}: {exc}"
            time.sleep(0.5)
        raise TimeoutError(f"the server was not ready before the deadline ({last})\n{self.log_tail()}")


def _worker(
    url: str,
    idx: int,
    pattern: str,
    reqs: list[Request],
    expected: dict[Key, dict],
    deadline: float,
    stop: threading.Event,
    stats: ClientStats,
    samples: list[dict],
    lock: threading.Lock,
) -> None:
    """One client: its own gradio_client.Client, its requests in order, every answer checked."""
    from gradio_client import Client

    def fail(kind: str, req: Request, detail: str) -> None:
        with lock:
            if len(samples) < MAX_SAMPLES:
                samples.append({"client": idx, "kind": kind, "question": req.question, "history": req.history, "detail": detail[:500]})

    stats.started = True
    try:
        client = Client(url, verbose=False, download_files=False, analytics_enabled=False)
    except Exception as exc:  # the first request counts as the exception, the rest as not sent
        stats.exceptions += 1
        stats.not_sent = len(reqs) - 1
        fail("exception", reqs[0], f"connect: {type(exc).__name__}: {exc}")
        return
    try:
        for n, req in enumerate(reqs):
            remaining = deadline - time.monotonic()
            if stop.is_set() or remaining <= 0:
                stats.not_sent += len(reqs) - n
                fail("not_sent", req, f"deadline or stop: {len(reqs) - n} request(s) not sent")
                return
            stats.sent += 1
            t0 = time.perf_counter()
            job = None
            try:
                job = client.submit(req.question, list(req.history), api_name="/ask")
                got = job.result(timeout=min(REQUEST_TIMEOUT, remaining))
            except TimeoutError:
                stats.timeouts += 1
                fail("timeout", req, f"no answer within {min(REQUEST_TIMEOUT, remaining):.0f} s")
                if job is not None:
                    job.cancel()
                continue
            except Exception as exc:
                stats.exceptions += 1
                fail("exception", req, f"{type(exc).__name__}: {exc}")
                continue
            stats.latencies_ms.append((time.perf_counter() - t0) * 1000)
            want = expected[req.key]
            if got != want:
                stats.mismatches += 1
                diff = sorted(k for k in set(want) | set(got if isinstance(got, dict) else {}) if not isinstance(got, dict) or got.get(k) != want.get(k))
                fail("mismatch", req, f"differs in {diff}: got {json.dumps(got, ensure_ascii=False)[:300]}")
                continue
            if req.role_zh is not None:
                cites = got.get("citations") or []
                heading = cites[0].get("heading", "") if cites else ""
                if req.role_zh not in heading:
                    stats.role_failures += 1
                    fail("role", req, f"first citation {heading!r} is not under {req.role_zh}")
                    continue
            stats.ok += 1
    finally:
        client.close()


def run(clients: int = 20, per_client: int = 50, seconds: float = 600) -> dict:
    """Run the load test; returns the report (also written to benchmarks/out/load.json)."""
    if clients < 1 or per_client < 1 or seconds <= 0:
        raise ValueError("clients and per_client must be at least 1, seconds above 0")
    _quiet_env()
    start = time.monotonic()
    deadline = start + seconds
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))

    plans = plan(clients, per_client, load_dev())
    keys = {r.key for _, reqs in plans for r in reqs}
    t0 = time.monotonic()
    expected = expected_answers(keys)
    expected_s = time.monotonic() - t0

    stats = [ClientStats(i, pattern, len(reqs)) for i, (pattern, reqs) in enumerate(plans)]
    samples: list[dict] = []
    lock = threading.Lock()
    stop = threading.Event()
    port = free_port()
    server_error = None
    startup_s = load_s = 0.0
    server_status = None
    with Server(port) as server:
        try:
            startup_s = server.wait_ready(deadline)
            threads = [
                threading.Thread(
                    target=_worker, name=f"client-{i}", daemon=True, args=(server.url, i, pattern, reqs, expected, deadline, stop, stats[i], samples, lock)
                )
                for i, (pattern, reqs) in enumerate(plans)
            ]
            t0 = time.monotonic()
            for t in threads:
                t.start()
            for t in threads:
                while t.is_alive():  # short joins so Ctrl-C gets through
                    t.join(0.5)
            load_s = time.monotonic() - t0
        except KeyboardInterrupt:
            stop.set()
            raise
        except Exception as exc:
            server_error = f"{type(exc).__name__}: {exc}"
        finally:
            stop.set()
            server_status = server.stop()
    for s in stats:  # clients that never started (the server did not come up) sent nothing
        if not s.started:
            s.not_sent = s.planned

    lat = [x for s in stats for x in s.latencies_ms]
    total = clients * per_client
    answered = sum(len(s.latencies_ms) for s in stats)
    report: dict[str, Any] = {
        "url": f"http://{HOST}:{port}/",
        "clients": clients,
        "per_client": per_client,
        "deadline_s": seconds,
        "requests_planned": total,
        "requests_sent": sum(s.sent for s in stats),
        "answered": answered,
        "ok": sum(s.ok for s in stats),
        "errors": sum(s.errors for s in stats) + (1 if server_error else 0),
        "mismatches": sum(s.mismatches for s in stats),
        "role_failures": sum(s.role_failures for s in stats),
        "exceptions": sum(s.exceptions for s in stats),
        "timeouts": sum(s.timeouts for s in stats),
        "not_sent": sum(s.not_sent for s in stats),
        "server_error": server_error,
        "server_exit_status": server_status,
        "throughput_rps": round(answered / load_s, 2) if load_s else 0.0,
        "latency_ms": {"p50": round(percentile(lat, 50), 1), "p95": round(percentile(lat, 95), 1), "max": round(max(lat, default=0.0), 1)},
        "wall_s": {
            "load": round(load_s, 2),
            "server_startup": round(startup_s, 2),
            "expected_in_process": round(expected_s, 2),
            "total": round(time.monotonic() - start, 2),
        },
        "distinct_questions": len(keys),
        "clients_detail": [
            {
                "client": s.client,
                "pattern": s.pattern,
                "planned": s.planned,
                "sent": s.sent,
                "ok": s.ok,
                "errors": s.errors,
                "mismatches": s.mismatches,
                "role_failures": s.role_failures,
                "exceptions": s.exceptions,
                "timeouts": s.timeouts,
                "not_sent": s.not_sent,
                "p50_ms": round(percentile(s.latencies_ms, 50), 1),
                "p95_ms": round(percentile(s.latencies_ms, 95), 1),
                "max_ms": round(max(s.latencies_ms, default=0.0), 1),
            }
            for s in stats
        ],
        "failure_samples": samples,
    }
    OUT_FILE.parent.mkdir(parents=True, exist_ok=True)
    OUT_FILE.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return report


def render(report: dict) -> str:
    """A readable table of the report."""
    lat = report["latency_ms"]
    wall = report["wall_s"]
    lines = [
        f"Load test of {report['url']}ask: {report['clients']} clients x {report['per_client']} requests, deadline {report['deadline_s']:.0f} s",
        "",
        f"{'total requests':<22}{report['requests_planned']:>10}",
        f"{'answered':<22}{report['answered']:>10}",
        f"{'ok':<22}{report['ok']:>10}",
        f"{'errors (target 0)':<22}{report['errors']:>10}",
        f"{'  mismatches':<22}{report['mismatches']:>10}",
        f"{'  role check failures':<22}{report['role_failures']:>10}",
        f"{'  exceptions':<22}{report['exceptions']:>10}",
        f"{'  timeouts':<22}{report['timeouts']:>10}",
        f"{'  not sent (deadline)':<22}{report['not_sent']:>10}",
        f"{'throughput':<22}{report['throughput_rps']:>10.2f} req/s",
        f"{'latency p50':<22}{lat['p50']:>10.1f} ms",
        f"{'latency p95':<22}{lat['p95']:>10.1f} ms",
        f"{'latency max':<22}{lat['max']:>10.1f} ms",
        f"{'wall time (load)':<22}{wall['load']:>10.2f} s",
        f"{'wall time (total)':<22}{wall['total']:>10.2f} s   (in-process answers {wall['expected_in_process']:.1f} s, server start {wall['server_startup']:.1f} s)",
        "",
        f"{'client':>6}  {'pattern':<26}{'sent':>5}{'ok':>5}{'err':>5}{'mism':>5}{'role':>5}{'exc':>5}{'tmo':>5}{'skip':>5}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}",
    ]
    for c in report["clients_detail"]:
        lines.append(
            f"{c['client']:>6}  {c['pattern']:<26}{c['sent']:>5}{c['ok']:>5}{c['errors']:>5}{c['mismatches']:>5}{c['role_failures']:>5}"
            f"{c['exceptions']:>5}{c['timeouts']:>5}{c['not_sent']:>5}{c['p50_ms']:>9.1f}{c['p95_ms']:>9.1f}{c['max_ms']:>9.1f}"
        )
    if report["server_error"]:
        lines += ["", f"server: {report['server_error'][:1500]}"]
    if report["failure_samples"]:
        lines += ["", "first failures:"] + [
            f"  client {f['client']} {f['kind']}: {f['question']!r} history={f['history']}: {f['detail']}" for f in report["failure_samples"]
        ]
    lines += ["", f"report: {OUT_FILE.relative_to(ROOT)}"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Parse flags, run, print the table; 0 when there were no errors, 1 otherwise."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--clients", type=int, default=20, help="concurrent clients, one gradio_client.Client each (default 20)")
    p.add_argument("--per-client", type=int, default=50, help="requests per client (default 50)")
    p.add_argument("--seconds", type=float, default=600, help="global deadline in seconds (default 600)")
    args = p.parse_args(argv)

    def on_term(signum: int, frame: object) -> None:
        raise KeyboardInterrupt  # SIGTERM unwinds like Ctrl-C, so the server is stopped too

    signal.signal(signal.SIGTERM, on_term)
    try:
        report = run(args.clients, args.per_client, args.seconds)
    except KeyboardInterrupt:
        print("interrupted; the server was stopped", file=sys.stderr)
        return 130
    print(render(report))
    return 1 if report["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
