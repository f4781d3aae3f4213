"""Throughput and latency of the JSON API (POST /api/ask) under concurrent clients, on loopback only.

Starts `python -m assistant chat` on a free 127.0.0.1 port with the configuration under test (worker
processes or threads, answer cache on or off), waits for GET /api/health to say ready, then runs `clients`
concurrent keep-alive HTTP/1.1 connections from one asyncio loop in this process (a few lines of raw
socket code, so the load generator costs little of the two cores it shares with the server).

Two workloads:

- distinct: every distinct (question, history) of eval/*.jsonl and eval/heldout/seed-s4.jsonl, each once
  (nothing repeats, so a cache cannot help: this is the honest figure);
- repeat: `repeat_keys` of them, asked over and over (what a cache is for); the cache's hit rate is read
  from /api/health and reported.

Every reply must be 200 with the question echoed and a citations list; `verify` of the distinct
questions are also answered in this process before the server starts and must be equal. CPU seconds of the
server (its worker processes included) and of this client are reported, with the load average, because
other work on the machine moves absolute figures.

    .venv/bin/python benchmarks/serve.py [--clients 20] [--workers 2] [--threads 2] [--cache 4096]
        [--workload distinct|repeat|both] [--limit N] [--matrix] [--json OUT]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.common import percentile  # noqa: E402
from benchmarks.load_test import HOST, free_port  # noqa: E402 - HOST is loopback only, by design

OUT_FILE = ROOT / "benchmarks" / "out" / "serve.json"
QUESTION_FILES = sorted((ROOT / "eval").glob("*.jsonl")) + [ROOT / "eval" / "heldout" / "seed-s4.jsonl"]

Key = tuple[str, tuple[str, ...]]


def load_keys(files: list[Path] = QUESTION_FILES) -> list[Key]:
    """Every distinct (question, history) of the question files, in file order."""
    keys: dict[Key, None] = {}
    for f in files:
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                keys[(item["question"], tuple(str(h) for h in item.get("history") or []))] = None
    return list(keys)


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its live descendants (from /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{p}/task").iterdir():
                children = (task / "children").read_text().split()
                todo += [int(c) for c in children]
        except (OSError, IndexError, ValueError):
            continue
    return total


class Server:
    """The chat app (with the JSON API) as a subprocess on 127.0.0.1; a context manager that always stops it."""

    def __init__(self, env: dict[str, str]) -> None:
        self.port = free_port()
        self.env = {**os.environ, **env, "GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1"}
        self.log = tempfile.TemporaryFile()
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        cmd = [sys.executable, "-m", "assistant", "chat", "--host", HOST, "--port", str(self.port)]
        self.proc = subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT, env=self.env)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)

    def health(self) -> dict:
        with urllib.request.urlopen(f"http://{HOST}:{self.port}/api/health", timeout=10) as r:  # noqa: S310 - loopback
            return json.loads(r.read())

    def wait_ready(self, seconds: float = 600) -> float:
        t0 = time.monotonic()
        while time.monotonic() - t0 < seconds:
            if self.proc is not None and self.proc.poll() is not None:
                self.log.seek(0)
                raise RuntimeError(f"the server exited: {self.log.read().decode('utf-8', 'replace')[-2000:]}")
            try:
                if self.health().get("ready"):
                    return time.monotonic() - t0
            except OSError:
                pass
            time.sleep(0.5)
        raise TimeoutError("the server was not ready in time")


async def _request(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, body: bytes) -> tuple[int, bytes]:
    """One POST /api/ask on a keep-alive connection: (status, body)."""
    writer.write(b"POST /api/ask HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = next(int(v) for k, _, v in (h.partition(":") for h in lines[1:]) if k.lower() == "content-length")
    return status, await reader.readexactly(length)


async def _client(port: int, work: asyncio.Queue, results: list, deadline: float, extra: dict) -> None:
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        while time.monotonic() < deadline:
            try:
                key = work.get_nowait()
            except asyncio.QueueEmpty:
                return
            question, history = key
            body = json.dumps({"question": question, "history": list(history), **extra}, ensure_ascii=False).encode()
            t0 = time.perf_counter()
            try:
                status, raw = await _request(reader, writer, body)
            except (OSError, asyncio.IncompleteReadError) as exc:
                results.append((key, 0, (time.perf_counter() - t0) * 1000, f"{type(exc).__name__}"))
                writer.close()
                reader, writer = await asyncio.open_connection(HOST, port)
                continue
            results.append((key, status, (time.perf_counter() - t0) * 1000, raw))
    finally:
        writer.close()


async def _load(port: int, keys: list[Key], clients: int, seconds: float, extra: dict) -> tuple[list, float]:
    work: asyncio.Queue = asyncio.Queue()
    for k in keys:
        work.put_nowait(k)
    results: list = []
    t0 = time.monotonic()
    await asyncio.gather(*(_client(port, work, results, t0 + seconds, extra) for _ in range(clients)))
    return results, time.monotonic() - t0


def expected_answers(keys: list[Key], suggest: bool = True) -> dict[Key, dict]:
    """In-process answers of some keys, as the API sends them (JSON round trip)."""
    from assistant import Assistant
    from assistant.serve import AskRequest, answer_json, normalise

    a = Assistant.load(status=None)
    return {k: json.loads(json.dumps(answer_json(a, AskRequest(k[0], normalise(k[0]), k[1], suggest=suggest)), ensure_ascii=False)) for k in keys}


def run_one(keys: list[Key], clients: int, env: dict[str, str], seconds: float, expected: dict[Key, dict], label: str, extra: dict | None = None) -> dict:
    """Start a server with env, send keys through clients connections, stop it; the measurements."""
    with Server(env) as server:
        startup = server.wait_ready()
        before = server.health()["cache"]
        load_before = os.getloadavg()[0]
        cpu0 = cpu_seconds(server.proc.pid)  # type: ignore[union-attr]
        me0 = resource.getrusage(resource.RUSAGE_SELF)
        results, wall = asyncio.run(_load(server.port, keys, clients, seconds, extra or {}))
        me1 = resource.getrusage(resource.RUSAGE_SELF)
        cpu1 = cpu_seconds(server.proc.pid)  # type: ignore[union-attr]
        after = server.health()["cache"]
        load_after = os.getloadavg()[0]
    ok, errors, mismatches, samples = 0, 0, 0, []
    lat = []
    for key, status, ms, raw in results:
        got = json.loads(raw) if status and isinstance(raw, bytes) else None
        good = status == 200 and isinstance(got, dict) and got.get("question") == key[0] and isinstance(got.get("citations"), list)
        if good and key in expected and got != expected[key]:
            mismatches += 1
            good = False
        if good:
            ok += 1
            lat.append(ms)
        else:
            errors += 1
            if len(samples) < 5:
                samples.append({"question": key[0][:80], "status": status, "body": (raw if isinstance(raw, str) else raw[:200].decode("utf-8", "replace"))})
    hits, misses = after["hits"] - before["hits"], after["misses"] - before["misses"]
    n = len(results)
    return {
        "label": label,
        "env": env,
        "clients": clients,
        "requests": n,
        "distinct_keys": len(set(keys)),
        "ok": ok,
        "errors": errors,
        "mismatches": mismatches,
        "verified": sum(1 for k, *_ in results if k in expected),
        "answers_per_s": round(ok / wall, 1) if wall else 0.0,
        "latency_ms": {
            "p50": round(percentile(lat, 0.5), 1),
            "p95": round(percentile(lat, 0.95), 1),
            "p99": round(percentile(lat, 0.99), 1),
            "max": round(max(lat, default=0), 1),
        },
        "wall_s": round(wall, 2),
        "server_cpu_ms_per_answer": round((cpu1 - cpu0) * 1000 / max(n, 1), 1),
        "client_cpu_ms_per_answer": round(((me1.ru_utime + me1.ru_stime) - (me0.ru_utime + me0.ru_stime)) * 1000 / max(n, 1), 2),
        "cache_hit_rate": round(hits / (hits + misses), 4) if hits + misses else 0.0,
        "loadavg_1m": [round(load_before, 2), round(load_after, 2)],
        "startup_s": round(startup, 1),
        "failure_samples": samples,
    }


def render(rows: list[dict]) -> str:
    head = f"{'config':<34}{'requests':>9}{'err':>5}{'ans/s':>8}{'p50':>8}{'p95':>8}{'p99':>8}{'srv cpu':>9}{'cli cpu':>9}{'hit':>7}{'load':>11}"
    lines = [head, "-" * len(head)]
    for r in rows:
        lat = r["latency_ms"]
        lines.append(
            f"{r['label']:<34}{r['requests']:>9}{r['errors']:>5}{r['answers_per_s']:>8.1f}{lat['p50']:>8.1f}{lat['p95']:>8.1f}{lat['p99']:>8.1f}"
            f"{r['server_cpu_ms_per_answer']:>9.1f}{r['client_cpu_ms_per_answer']:>9.2f}{r['cache_hit_rate']:>7.2f}{r['loadavg_1m'][0]:>6.1f}/{r['loadavg_1m'][1]:<4.1f}"
        )
    lines.append(
        "latencies in ms; srv/cli cpu: CPU ms per request of the server (workers included) and of this load generator; load: 1-min load average before/after"
    )
    return "\n".join(lines)


def configs(args: argparse.Namespace) -> list[tuple[str, dict[str, str]]]:
    """(label, env) of each server configuration to measure."""
    if args.matrix:
        out = [(f"threads {t}", {"ASSISTANT_API_WORKERS": "0", "ASSISTANT_API_THREADS": str(t)}) for t in (1, 2, 4)]
        out += [(f"processes {w}", {"ASSISTANT_API_WORKERS": str(w)}) for w in (1, 2, 3)]
    else:
        out = [
            (
                f"processes {args.workers}" if args.workers else f"threads {args.threads}",
                {"ASSISTANT_API_WORKERS": str(args.workers), "ASSISTANT_API_THREADS": str(args.threads)},
            )
        ]
    return [(label, {**env, "ASSISTANT_API_CACHE": str(args.cache)}) for label, env in out]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--clients", type=int, default=20)
    p.add_argument("--workers", type=int, default=2, help="API worker processes (0: threads in the chat process)")
    p.add_argument("--threads", type=int, default=2, help="API threads when --workers 0")
    p.add_argument("--cache", type=int, default=4096, help="answers cached (0: no cache)")
    p.add_argument("--workload", choices=("distinct", "repeat", "both"), default="both")
    p.add_argument("--limit", type=int, default=0, help="at most this many distinct questions (0: all)")
    p.add_argument("--repeat-keys", type=int, default=50, help="distinct questions of the repeat workload")
    p.add_argument("--repeat-requests", type=int, default=3000, help="requests of the repeat workload")
    p.add_argument("--verify", type=int, default=50, help="distinct questions also answered in this process and compared")
    p.add_argument("--matrix", action="store_true", help="threads 1/2/4 and processes 1/2/3 (distinct workload unless --workload says)")
    p.add_argument("--seconds", type=float, default=300, help="deadline per run")
    p.add_argument("--no-suggest", action="store_true", help='send "suggest": false (answers without suggested follow-ups)')
    p.add_argument("--json", default=str(OUT_FILE), help="report file")
    args = p.parse_args(argv)
    os.environ.setdefault("OMP_NUM_THREADS", "1")  # the in-process check below answers one question at a time

    keys = load_keys()
    if args.limit:
        keys = keys[:: max(1, len(keys) // args.limit)][: args.limit]  # spread over the files
    check = keys[:: max(1, len(keys) // max(args.verify, 1))][: args.verify] if args.verify else []
    expected = expected_answers(check, not args.no_suggest) if check else {}
    extra = {"suggest": False} if args.no_suggest else {}
    tag = ", no suggestions" if args.no_suggest else ""
    rows = []
    for label, env in configs(args):
        if args.workload in ("distinct", "both"):
            rows.append(run_one(keys, args.clients, env, args.seconds, expected, f"{label}, distinct{tag}", extra))
            print(render(rows[-1:]).splitlines()[2], flush=True)
        if args.workload in ("repeat", "both"):
            few = keys[:: max(1, len(keys) // args.repeat_keys)][: args.repeat_keys]
            reps = (few * (args.repeat_requests // len(few) + 1))[: args.repeat_requests]
            rows.append(run_one(reps, args.clients, env, args.seconds, expected, f"{label}, repeat x{len(reps) // len(few)} cache {args.cache}{tag}", extra))
            print(render(rows[-1:]).splitlines()[2], flush=True)
    print()
    print(render(rows))
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"cores": os.cpu_count(), "runs": rows}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"report: {out}")
    return 1 if any(r["errors"] for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
