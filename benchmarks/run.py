"""`make bench`: warm answer latency vs the embedding floor, cold CLI, build cost, scale curve and a peer.

Prints a table, writes benchmarks/out/bench.json and docs/performance.md (with the
machine and date), and the scale plot docs/scale.png. Every ratio is measured in
one run on one machine, because absolute times on shared machines are noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from benchmarks.common import percentile  # noqa: E402

OUT = ROOT / "benchmarks" / "out"
DOCS = ROOT / "docs"
COLD_QUESTION = "What does traffic ops measure?"


def machine() -> dict:
    """Cores, CPU model, Python and date, for the report."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cores": os.cpu_count(), "cpu": cpu, "python": platform.python_version(), "date": time.strftime("%Y-%m-%d")}


def warm(rounds: int = 3) -> dict:
    """p50/p95 of Assistant.ask over the dev set against the same encoder embedding the same question alone."""
    from assistant import Assistant
    from assistant.evaluate import load_items

    a = Assistant.load(status=None)
    items = load_items(ROOT / "eval" / "dev.jsonl")
    qs = [(i.question, list(i.history) or None) for i in items]
    for q, h in qs:  # warm caches (jieba, ONNX session, mention index)
        a.ask(q, h)
    enc: list[float] = []
    ask: list[float] = []
    for _ in range(rounds):
        for q, h in qs:  # interleaved, so drift in machine speed hits both alike
            t = time.perf_counter()
            a.embedder.encode([q])
            enc.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            a.ask(q, h)
            ask.append((time.perf_counter() - t) * 1000)
    return {
        "encoder": type(a.embedder).__name__,
        "ask_ms": {"p50": round(statistics.median(ask), 2), "p95": round(percentile(ask, 0.95), 2)},
        "floor_ms": {"p50": round(statistics.median(enc), 2), "p95": round(percentile(enc, 0.95), 2)},
        "ratio_p50": round(statistics.median(ask) / statistics.median(enc), 3),
        "ratio_p95": round(percentile(ask, 0.95) / percentile(enc, 0.95), 3),
        "questions": len(qs) * rounds,
    }


def cold(runs: int = 5) -> dict:
    """Wall time of `python -m assistant ask` from process start to answer, index built; ONNX and torch paths."""
    out = {}
    for name, env in (("onnx", {}), ("torch", {"ASSISTANT_ENCODER": "torch"})):
        times = []
        for _ in range(runs if name == "onnx" else 2):
            t = time.perf_counter()
            res = subprocess.run([sys.executable, "-m", "assistant", "ask", COLD_QUESTION], cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True)
            times.append(time.perf_counter() - t)
            assert res.returncode == 0 and "CPI" in res.stdout, res.stderr
        out[name] = {"median_s": round(statistics.median(times), 3), "min_s": round(min(times), 3), "max_s": round(max(times), 3), "runs": len(times)}
    return out


def build() -> dict:
    """Index build time for the corpus, RSS of a loaded assistant, and index size on disk."""
    with tempfile.TemporaryDirectory() as tmp:
        built = _probe_in_subprocess(tmp)  # first load builds the index
        loaded = _probe_in_subprocess(tmp)  # second load only reads it
        path = Path(built["path"])
        size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
        onnx = sum(f.stat().st_size for f in (path / "query_encoder").rglob("*") if f.is_file()) if (path / "query_encoder").exists() else 0
    return {
        "build_s": round(built["build_s"], 2),
        "first_load_s_including_build": round(built["load_s"], 2),
        "load_s": round(loaded["load_s"], 3),
        "rss_mb_loaded": round(loaded["rss_mb"], 1),
        "index_bytes": size,
        "index_bytes_without_onnx": size - onnx,
    }


def _probe_in_subprocess(index_dir: str) -> dict:
    res = subprocess.run([sys.executable, __file__, "--probe", index_dir], cwd=ROOT, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout.strip().splitlines()[-1])


def probe(index_dir: str) -> None:
    """In a fresh process: load (building if needed), answer once, print load time, RSS and build time."""
    from assistant import Assistant

    t = time.perf_counter()
    a = Assistant.load(index_dir=index_dir, status=None)
    load_s = time.perf_counter() - t
    a.ask(COLD_QUESTION)
    rss_kb = next(int(line.split()[1]) for line in Path("/proc/self/status").read_text().splitlines() if line.startswith("VmRSS"))
    print(json.dumps({"load_s": load_s, "rss_mb": rss_kb / 1024, "build_s": a.index.manifest.build_seconds, "path": str(a.index.path)}))


def table(report: dict) -> str:
    """The headline numbers as a text table."""
    w, c, b = report["warm"], report["cold"], report["build"]
    rows = [
        ("warm ask p50 / p95 (ms)", f"{w['ask_ms']['p50']} / {w['ask_ms']['p95']}"),
        ("embedding floor p50 / p95 (ms)", f"{w['floor_ms']['p50']} / {w['floor_ms']['p95']}"),
        ("warm ratio p50 (target <= 1.5)", f"{w['ratio_p50']}"),
        ("cold CLI ask, ONNX path (s, median)", f"{c['onnx']['median_s']}  (min {c['onnx']['min_s']}, max {c['onnx']['max_s']})"),
        ("cold CLI ask, torch path (s, median)", f"{c['torch']['median_s']}"),
        ("index build (s)", f"{b['build_s']}"),
        ("loaded assistant RSS (MB)", f"{b['rss_mb_loaded']}"),
        ("index on disk (MB, w/o ONNX)", f"{b['index_bytes'] / 1e6:.1f} ({b['index_bytes_without_onnx'] / 1e6:.2f})"),
    ]
    width = max(len(r[0]) for r in rows)
    return "\n".join(f"{name:<{width}}  {value}" for name, value in rows)


def markdown(report: dict) -> str:
    """docs/performance.md: the numbers, the machine and the date."""
    m = report["machine"]
    lines = [
        "# Performance",
        "",
        f"Measured by `make bench` on {m['date']}: {m['cores']} cores, {m['cpu']}, Python {m['python']}. "
        "Shared machine: quote ratios and medians; absolute times drift between runs.",
        "",
        "## Answers and start-up",
        "",
        "```",
        table(report),
        "```",
        "",
        "- **Warm ratio**: `Assistant.ask` over eval/dev.jsonl against the same query encoder embedding the same question alone, interleaved in one run.",
        '- **Cold CLI**: `python -m assistant ask "What does traffic ops measure?"` with the index built. Questions are embedded by the ONNX export '
        "of the same model (made and verified at build time, cosine >= 0.999, identical answers on the dev set), so torch is not imported. "
        "Set `ASSISTANT_ENCODER=torch` for the sentence-transformers path.",
    ]
    for key, title in (("scale", "Scale curve"), ("peer", "Peer side by side")):
        part = report.get(key)
        if part:
            lines += ["", f"## {title}", "", "```", part.get("table", json.dumps(part, indent=1, ensure_ascii=False)[:4000]), "```"]
            if part.get("notes"):
                lines += ["", *[f"- {n}" for n in part["notes"]]]
    return "\n".join(lines) + "\n"


def main() -> int:
    """Run everything (or the quick subset) and write the reports."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="small scale sizes and fewer runs")
    ap.add_argument("--skip", action="append", default=[], choices=["scale", "peer"], help="leave out a part")
    ap.add_argument("--probe", metavar="INDEX_DIR", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.probe:
        probe(args.probe)
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    DOCS.mkdir(exist_ok=True)
    report: dict = {"machine": machine()}
    print("warm answers…", file=sys.stderr)
    report["warm"] = warm(rounds=1 if args.quick else 3)
    print("cold CLI…", file=sys.stderr)
    report["cold"] = cold(runs=3 if args.quick else 5)
    print("build…", file=sys.stderr)
    report["build"] = build()
    print(table(report))
    for part in ("scale", "peer"):
        if part in args.skip:
            continue
        print(f"{part}…", file=sys.stderr)
        module = __import__(part)
        try:
            report[part] = module.run(quick=args.quick)
            report[part]["table"] = module.render(report[part])
        except Exception as exc:  # a failing part is reported, the rest still lands
            report[part] = {"error": f"{type(exc).__name__}: {exc}"}
        print("\n" + report[part].get("table", report[part].get("error", "")))
    (OUT / "bench.json").write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    (DOCS / "performance.md").write_text(markdown(report), encoding="utf-8")
    shutil.copyfile(OUT / "bench.json", DOCS / "bench.json")
    print(f"\nwrote {OUT / 'bench.json'}, {DOCS / 'performance.md'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
