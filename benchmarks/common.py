"""Helpers shared by the benchmarks in this folder: paths, quiet offline model loading, timing,
percentiles, memory readings, machine facts, text tables and JSON output.

The benchmark scripts put the repository root on ``sys.path`` before importing this module, so
``from benchmarks.common import ...`` works both for ``python benchmarks/X.py`` and for a runner
that imports ``benchmarks.X``.
"""

from __future__ import annotations

import ctypes
import json
import math
import os
import platform
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "benchmarks" / "out"
DOCS_DIR = ROOT / "docs"
DEV_FILE = ROOT / "eval" / "dev.jsonl"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

if TYPE_CHECKING:
    from assistant.config import Settings
    from assistant.embed import Embedder


def quiet_offline() -> None:
    """Force offline model loading (no hub is reachable) and silence progress bars and warnings."""
    for key, value in {
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "TOKENIZERS_PARALLELISM": "false",
        "TRANSFORMERS_VERBOSITY": "error",
        "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    }.items():
        os.environ.setdefault(key, value)
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()
    except Exception:  # transformers missing or its logging API moved: only cosmetic
        pass


def settings_and_embedder() -> tuple[Settings, Embedder]:
    """The product's default Settings and an Embedder over its configured (bundled) model."""
    from assistant.config import Settings
    from assistant.embed import make_embedder

    quiet_offline()
    settings = Settings.from_env()
    return settings, make_embedder(settings.model)


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (the definition assistant.evaluate uses); 0.0 for no values."""
    if not values:
        return 0.0
    s = sorted(values)
    i = max(0, min(len(s) - 1, math.ceil(q * len(s)) - 1))
    return float(s[i])


def latency_summary(ms: Sequence[float]) -> dict[str, float]:
    """p50, p95 and mean of latencies in milliseconds, rounded for reports."""
    return {
        "p50": round(percentile(ms, 0.50), 3),
        "p95": round(percentile(ms, 0.95), 3),
        "mean": round(sum(ms) / len(ms), 3) if ms else 0.0,
        "n": len(ms),
    }


def time_each(fn: Callable[[Any], Any], inputs: Iterable[Any], warmup: int = 1) -> tuple[list[float], list[Any]]:
    """Call fn on every input, timing each call in ms; the first `warmup` inputs are also run untimed first."""
    inputs = list(inputs)
    for x in inputs[:warmup]:
        fn(x)
    times: list[float] = []
    results: list[Any] = []
    for x in inputs:
        start = time.perf_counter()
        results.append(fn(x))
        times.append((time.perf_counter() - start) * 1000)
    return times, results


def in_turn(calls: Mapping[str, Callable[[Any], Any]], inputs: Iterable[Any]) -> dict[str, list[tuple[float, Any]]]:
    """Call every function on each input, input by input (so all of them see the same machine load),
    returning per function a list of (ms, result)."""
    out: dict[str, list[tuple[float, Any]]] = {name: [] for name in calls}
    for x in inputs:
        for name, fn in calls.items():
            start = time.perf_counter()
            result = fn(x)
            out[name].append(((time.perf_counter() - start) * 1000, result))
    return out


class Stopwatch:
    """`with Stopwatch() as sw: ...` then `sw.seconds`."""

    def __enter__(self) -> Stopwatch:
        self.start = time.perf_counter()
        self.seconds = 0.0
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.start


def rss_mb() -> float:
    """Resident memory of this process in MiB (psutil when installed, else /proc/self/status)."""
    try:
        import psutil

        return psutil.Process().memory_info().rss / 2**20
    except ImportError:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    return float("nan")


def trim_memory() -> None:
    """Hand freed heap pages back to the OS (glibc malloc_trim), so RSS deltas measure new allocations."""
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def machine_info() -> dict[str, Any]:
    """Facts that explain the numbers: cores, load, library versions and thread counts."""
    from importlib.metadata import PackageNotFoundError, version

    def ver(name: str) -> str | None:
        try:
            return version(name)
        except PackageNotFoundError:
            return None

    info: dict[str, Any] = {
        "cpus": os.cpu_count(),
        "load_avg_1_5_15": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": {n: ver(n) for n in ("faiss-cpu", "torch", "sentence-transformers", "numpy", "jieba")},
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    try:
        import faiss

        info["faiss_omp_threads"] = faiss.omp_get_max_threads()
    except ImportError:
        pass
    try:
        import torch

        info["torch_threads"] = torch.get_num_threads()
    except ImportError:
        pass
    return info


def finish(report: dict[str, Any], started: float) -> dict[str, Any]:
    """Stamp a report with its wall time and the load average at its end (the machine may be shared)."""
    report["wall_seconds"] = round(time.perf_counter() - started, 1)
    report.setdefault("machine", {})["load_avg_at_end"] = [round(x, 2) for x in os.getloadavg()]
    return report


def footer(report: dict[str, Any]) -> str:
    """One line with the wall time and the machine's load, for the end of a printed report."""
    m = report["machine"]
    return (
        f"wall time: {report['wall_seconds']:.0f}s   load avg (1 min) at start/end: {m['load_avg_1_5_15'][0]} / {m['load_avg_at_end'][0]} on {m['cpus']} cores"
    )


def render_table(headers: Sequence[str], rows: Iterable[Sequence[Any]], title: str | None = None) -> str:
    """A plain-text table: left-aligned first column, right-aligned others."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v.ljust(w) if i == 0 else v.rjust(w) for i, (v, w) in enumerate(zip(values, widths, strict=True)))

    out = [title] if title else []
    out += [line(list(headers)), "  ".join("-" * w for w in widths), *(line(r) for r in cells)]
    return "\n".join(out)


def _cell(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        if math.isnan(v):
            return "-"
        return f"{v:.3f}" if abs(v) < 10 else f"{v:.1f}"
    return str(v)


def write_json(name: str, data: dict[str, Any]) -> Path:
    """Write benchmarks/out/<name>.json (pretty, UTF-8) and return its path."""
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUT_DIR / f"{name}.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")
    return path


def say(msg: str) -> None:
    """Progress on stderr, so stdout keeps only the tables."""
    print(msg, file=sys.stderr, flush=True)
