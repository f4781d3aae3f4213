"""FAISS and Milvus (embedded milvus-lite) side by side: answers on a question file, and vector search latency.

One process loads the assistant twice on the same built index: with the default FAISS backend and with
ASSISTANT_VECTORS=milvus on a fresh milvus-lite file. It then

1. evaluates the question file with each (the same report as `python -m assistant evaluate FILE`) and
   compares every answer's JSON item by item (they must be identical);
2. times the vector search call alone, over the file's questions (embedded once, so only the search is
   timed): all rows, and each passage's own text only (a filtered search), p50 / p95 / mean per backend.

    .venv/bin/python benchmarks/vectors.py [eval/dev.jsonl] [--rounds 3] [--json benchmarks/out/vectors.json]

With ``--synthetic N`` it measures the search alone at size instead: N vectors (the build's real vectors
with Gaussian jitter, unit length) in FAISS flat and HNSW (the build's parameters) and in milvus-lite
FLAT and HNSW, through the same classes the assistant uses (vectors.py): time to fill, search p50/p95 and
recall@10 against exact search, over 200 of the dev questions' embeddings.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.common import latency_summary  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("file", nargs="?", default=str(ROOT / "eval" / "dev.jsonl"))
    p.add_argument("--rounds", type=int, default=3, help="timed passes over the questions")
    p.add_argument("--json", default=str(ROOT / "benchmarks" / "out" / "vectors.json"))
    p.add_argument("--synthetic", type=int, default=0, help="measure the search alone on this many jittered vectors")
    args = p.parse_args(argv)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    if args.synthetic:
        return synthetic(args.synthetic, Path(args.json))
    from assistant import Assistant
    from assistant.evaluate import evaluate, load_items

    items = load_items(args.file)
    faiss_a = Assistant.load(status=None)
    faiss_a.warm()
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        milvus_a = Assistant.load(status=None, vectors="milvus", milvus_uri=str(Path(tmp) / "milvus.db"))
        milvus_open_s = time.perf_counter() - t0
        milvus_a.warm()
        try:
            report: dict = {"file": args.file, "items": len(items), "vectors": faiss_a.vectors.ntotal, "milvus_open_and_fill_s": round(milvus_open_s, 2)}
            for name, a in (("faiss", faiss_a), ("milvus", milvus_a)):
                rep, _ = evaluate(a, items, "full")
                report[name] = {
                    k: rep[k] for k in ("accuracy", "by_lang", "refusal_accuracy", "false_refusals", "citation_at_1", "citation_at_3", "latency_ms")
                }
            same = 0
            differ = []
            for it in items:
                q, h = it.question, list(it.history) or None
                x, y = faiss_a.ask(q, history=h).to_json(q), milvus_a.ask(q, history=h).to_json(q)
                if x == y:
                    same += 1
                elif len(differ) < 5:
                    differ.append(q)
            report["identical_answers"] = same
            report["differing_examples"] = differ
            vecs = [faiss_a.retriever.query_vector(it.question) for it in items]
            for name, a in (("faiss", faiss_a), ("milvus", milvus_a)):
                for label, primary in (("all rows", False), ("own text only (filtered)", True)):
                    times = []
                    for _ in range(args.rounds):
                        for v in vecs:
                            t = time.perf_counter()
                            a.retriever.dense_vector(v, 20, primary=primary)
                            times.append((time.perf_counter() - t) * 1000)
                    report[name][f"search_ms {label}"] = latency_summary(times)
        finally:
            milvus_a.vectors.client.close()
    report["loadavg_1m"] = round(os.getloadavg()[0], 2)
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{args.file}: {len(items)} items, {report['vectors']} vectors; identical answers {report['identical_answers']}/{len(items)}")
    print(f"{'':<44}{'faiss':>18}{'milvus-lite':>18}")
    for key in ("accuracy", "citation_at_1", "refusal_accuracy"):
        print(f"{key:<44}{report['faiss'][key]:>18}{report['milvus'][key]:>18}")
    for key in ("search_ms all rows", "search_ms own text only (filtered)", "latency_ms"):
        f, m = (f"{report[b][key]['p50']} / {report[b][key]['p95']}" for b in ("faiss", "milvus"))
        label = "answer ms (evaluate)" if key == "latency_ms" else key.replace("search_ms", "search ms,")
        print(f"{label + ' p50/p95':<44}{f:>18}{m:>18}")
    print(f"milvus-lite open + fill: {report['milvus_open_and_fill_s']} s; load average {report['loadavg_1m']}; report: {out}")
    return 0 if report["identical_answers"] == len(items) else 1


def synthetic(n: int, out: Path, sigma: float = 0.35, queries: int = 200) -> int:
    """FAISS and milvus-lite, flat and HNSW, on n jittered copies of the build's vectors: fill time, search
    latency and recall@10 against exact search."""
    from types import SimpleNamespace

    import numpy as np

    from assistant import Assistant
    from assistant.config import Settings
    from assistant.evaluate import load_items
    from assistant.index import make_faiss
    from assistant.vectors import FaissVectors, open_milvus

    a = Assistant.load(status=None)
    base = np.vstack([a.index.dense.reconstruct(i) for i in range(a.index.dense.ntotal)]).astype("float32")
    rng = np.random.default_rng(0)
    vecs = base[rng.integers(0, len(base), n)] + rng.normal(0, sigma / np.sqrt(base.shape[1]), (n, base.shape[1])).astype("float32")
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    qs = [a.retriever.query_vector(it.question) for it in load_items(ROOT / "eval" / "dev.jsonl")][:queries]
    exact = FaissVectors(make_faiss(vecs, "flat"))
    truth = [{r for r, _ in exact.search(q, 10)} for q in qs]
    report: dict = {"n": n, "dim": int(vecs.shape[1]), "queries": len(qs), "sigma": sigma}
    with tempfile.TemporaryDirectory() as tmp:
        for kind in ("flat", "hnsw"):
            t0 = time.perf_counter()
            dense = make_faiss(vecs, kind)
            built = time.perf_counter() - t0
            fake = SimpleNamespace(dense=dense, owner=list(range(n)), passages=[SimpleNamespace(doc="synthetic")] * n, path=Path(tmp) / f"build-{kind}")
            t0 = time.perf_counter()
            milvus = open_milvus(Settings(vectors="milvus", milvus_uri=str(Path(tmp) / f"{kind}.db")), fake)  # type: ignore[arg-type]
            filled = time.perf_counter() - t0
            try:
                for name, backend, setup in (("faiss", FaissVectors(dense), built), ("milvus-lite", milvus, filled)):
                    times, recall = [], 0.0
                    for q, want in zip(qs, truth, strict=True):
                        t = time.perf_counter()
                        got = backend.search(q, 10)
                        times.append((time.perf_counter() - t) * 1000)
                        recall += len({r for r, _ in got} & want) / 10
                    report[f"{name} {kind}"] = {"setup_s": round(setup, 1), "search_ms": latency_summary(times), "recall_at_10": round(recall / len(qs), 4)}
                    print(
                        f"{name + ' ' + kind:<20} setup {setup:7.1f} s   search p50 {report[f'{name} {kind}']['search_ms']['p50']:8.3f} ms  p95 "
                        f"{report[f'{name} {kind}']['search_ms']['p95']:8.3f} ms   recall@10 {report[f'{name} {kind}']['recall_at_10']:.3f}",
                        flush=True,
                    )
            finally:
                milvus.client.close()
    report["loadavg_1m"] = round(os.getloadavg()[0], 2)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(f"{n} vectors, {len(qs)} queries; load average {report['loadavg_1m']}; report: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
