"""Vector search by measurement: flat vs HNSW vs IVF-Flat vs IVF-PQ on real e5 embeddings, grown to 600k.

The base vectors are every vector of an embedding store (assistant/embstore.py) that a build of real articles
filled, e.g. the woshipm sample of `benchmarks/scale_real.py`. They are grown to --size by copies with
Gaussian noise (sigma --sigma per dimension, re-normalised; the real vectors come first), because embedding
600k real passages takes hours on 2 cores. Queries are the questions of the given question files embedded as
queries by the same model (their text is read from the files at run time). Ground truth is exact inner-product
search (IndexFlatIP); recall@10 is the share of the exact top 10 an index returns. Latency is one query per
call on one thread, as the assistant searches.

    python benchmarks/ann.py --store /tmp/scale/store --size 600000 [--quick]

Writes benchmarks/out/ann.json and docs/ann.png.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.common import machine_info, percentile, quiet_offline, render_table, rss_mb, write_json  # noqa: E402

K = 10


def base_vectors(store: Path):  # type: ignore[no-untyped-def]
    """Every vector of an embedding store folder, as one float32 matrix."""
    import numpy as np

    from assistant.embstore import EmbeddingStore

    s = EmbeddingStore.open(store)
    keys = sorted(s._rows)  # a fixed order, so a rerun on the same store grows the same corpus
    return np.stack([s.get(k) for k in keys]).astype(np.float32)


def grow(real, size: int, sigma: float, seed: int = 0):  # type: ignore[no-untyped-def]
    """real, then noisy copies of its rows (round robin) up to size rows, each re-normalised."""
    import numpy as np

    rng = np.random.default_rng(seed)
    out = np.empty((size, real.shape[1]), dtype=np.float32)
    n = min(size, len(real))
    out[:n] = real[:n]
    step = 50_000
    for a in range(n, size, step):
        b = min(size, a + step)
        rows = real[np.arange(a, b) % len(real)] + rng.normal(0, sigma, (b - a, real.shape[1])).astype(np.float32)
        out[a:b] = rows / np.linalg.norm(rows, axis=1, keepdims=True)
    return out


def query_vectors(files: list[Path]):  # type: ignore[no-untyped-def]
    """The questions of the files, embedded as queries by the default model."""
    from assistant.embed import make_embedder
    from assistant.evaluate import load_items

    qs = [i.question for f in files for i in load_items(f)]
    return make_embedder().encode_query(qs)


def search_times(index, queries) -> tuple[list[float], object]:  # type: ignore[no-untyped-def]
    """Per-query latency (ms) and the ids found, one query per call."""
    import numpy as np

    ids = np.empty((len(queries), K), dtype=np.int64)
    ms = []
    index.search(queries[:5], K)  # warm
    for i in range(len(queries)):
        t = time.perf_counter()
        _, found = index.search(queries[i : i + 1], K)
        ms.append((time.perf_counter() - t) * 1000)
        ids[i] = found[0]
    return ms, ids


def recall(found, truth) -> float:  # type: ignore[no-untyped-def]
    return sum(len(set(f) & set(t)) for f, t in zip(found.tolist(), truth.tolist(), strict=True)) / truth.size


def measure(name: str, make, data, queries, truth, knobs: list[tuple[str, int]], set_knob) -> list[dict]:  # type: ignore[no-untyped-def]
    """Build one index (timed, memory read), then recall and latency at each knob setting."""
    import faiss

    before = rss_mb()
    t = time.perf_counter()
    index = make(data)
    build = time.perf_counter() - t
    size_mb = len(faiss.serialize_index(index)) / 1e6
    rss = rss_mb() - before
    rows = []
    for label, value in knobs or [("-", 0)]:
        if knobs:
            set_knob(index, value)
        ms, found = search_times(index, queries)
        rows.append(
            {
                "index": name,
                "knob": f"{label}={value}" if knobs else "-",
                "build_s": round(build, 1),
                "index_mb": round(size_mb, 1),
                "rss_mb": round(rss, 1),
                "recall10": round(recall(found, truth), 4),
                "p50_ms": round(percentile(ms, 0.50), 3),
                "p95_ms": round(percentile(ms, 0.95), 3),
            }
        )
        print(json.dumps(rows[-1]), flush=True)
    del index
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--store", required=True, help="an embedding store folder filled by a build of real articles")
    ap.add_argument("--size", type=int, default=600_000)
    ap.add_argument("--sigma", type=float, default=0.01, help="noise per dimension of the grown copies")
    ap.add_argument("--questions", nargs="*", default=[str(ROOT / "eval" / "dev.jsonl"), str(ROOT / "eval" / "heldout" / "seed-s4.jsonl")])
    ap.add_argument("--flat-sizes", default="10000,25000,50000,100000,200000,400000,600000")
    ap.add_argument("--threads", type=int, default=2, help="FAISS threads for building (queries use one)")
    ap.add_argument("--quick", action="store_true", help="a small grid (two settings of each family)")
    ap.add_argument("--hnsw-m", type=int, nargs="*", default=[32], help="HNSW graph degrees to build")
    ap.add_argument("--efc", type=int, default=80, help="HNSW efConstruction")
    ap.add_argument("--nlist", type=int, nargs="*", default=[1024], help="IVF list counts to build")
    args = ap.parse_args()
    import faiss
    import numpy as np

    quiet_offline()
    started = time.time()
    real = base_vectors(Path(args.store))
    data = grow(real, args.size, args.sigma)
    queries = np.ascontiguousarray(query_vectors([Path(f) for f in args.questions]), dtype=np.float32)
    dim = data.shape[1]
    real_cos = float(np.mean(np.sum(data[len(real) : len(real) + 2000] * real[: min(2000, args.size - len(real))], axis=1))) if args.size > len(real) else 1.0
    print(f"{len(real):,} real vectors grown to {len(data):,} (copy-to-source cosine {real_cos:.3f}); {len(queries)} queries", flush=True)

    faiss.omp_set_num_threads(1)
    rows: list[dict] = []
    # Exact search at growing sizes: where does flat stop answering quickly?
    flat_curve = []
    for n in [int(x) for x in args.flat_sizes.split(",") if int(x) <= len(data)]:
        index = faiss.IndexFlatIP(dim)
        index.add(data[:n])
        ms, _ = search_times(index, queries)
        flat_curve.append({"size": n, "p50_ms": round(percentile(ms, 0.50), 3), "p95_ms": round(percentile(ms, 0.95), 3)})
        print(json.dumps({"flat_curve": flat_curve[-1]}), flush=True)
        del index
    flat = faiss.IndexFlatIP(dim)
    flat.add(data)
    _, truth = flat.search(queries, K)
    del flat
    rows += measure("flat", lambda d: _flat(d), data, queries, truth, [], None)

    faiss.omp_set_num_threads(args.threads)
    efs = [64, 256] if args.quick else [32, 64, 128, 256, 512]
    for m in args.hnsw_m:
        rows += measure(f"HNSW{m} efC{args.efc}", lambda d, m=m: _hnsw(d, m, args.efc), data, queries, truth, [("efSearch", e) for e in efs], _set_ef)
    probes = [16, 64] if args.quick else [8, 16, 32, 64, 128]
    for nlist in args.nlist:
        rows += measure(f"IVF{nlist},Flat", lambda d, n=nlist: _ivf(d, n, None), data, queries, truth, [("nprobe", p) for p in probes], _set_probe)
    pq = {}
    rows += measure("IVF1024,PQ48", lambda d: pq.setdefault("i", _ivf(d, 1024, 48)), data, queries, truth, [("nprobe", p) for p in probes], _set_probe)
    # The same PQ index with its candidates re-ranked by exact scores (k_factor 4): the flat vectors come back.
    rows += measure("IVF1024,PQ48+refine", lambda d: _refined(pq.pop("i"), d), data, queries, truth, [("nprobe", p) for p in probes], _set_probe)

    report = {
        "machine": machine_info(),
        "real_vectors": len(real),
        "size": len(data),
        "sigma": args.sigma,
        "copy_cosine": round(real_cos, 4),
        "queries": len(queries),
        "flat_curve": flat_curve,
        "rows": rows,
        "wall_s": round(time.time() - started, 1),
    }
    write_json("ann", report)
    print(render_table(["index", "knob", "build s", "index MB", "RSS Δ MB", "recall@10", "p50 ms", "p95 ms"], [list(r.values()) for r in rows]))
    plot(report, ROOT / "docs" / "ann.png")
    return 0


def _flat(d):  # type: ignore[no-untyped-def]
    import faiss

    index = faiss.IndexFlatIP(d.shape[1])
    index.add(d)
    return index


def _hnsw(d, m: int, efc: int):  # type: ignore[no-untyped-def]
    import faiss

    index = faiss.IndexHNSWFlat(d.shape[1], m, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = efc
    index.add(d)
    return index


def _set_ef(index, ef: int) -> None:  # type: ignore[no-untyped-def]
    index.hnsw.efSearch = ef


def _ivf(d, nlist: int, pq: int | None):  # type: ignore[no-untyped-def]
    import faiss

    spec = f"IVF{nlist},PQ{pq}" if pq else f"IVF{nlist},Flat"
    index = faiss.index_factory(d.shape[1], spec, faiss.METRIC_INNER_PRODUCT)
    index.train(d[:: max(1, len(d) // (64 * nlist))])
    index.add(d)
    return index


def _refined(base, d):  # type: ignore[no-untyped-def]
    import faiss

    index = faiss.IndexRefineFlat(base, faiss.swig_ptr(d))
    index.k_factor = 4
    _KEEP.append((base, d))  # the refine index points into both (SWIG objects take no new attributes)
    return index


_KEEP: list = []


def _set_probe(index, p: int) -> None:  # type: ignore[no-untyped-def]
    import faiss

    faiss.extract_index_ivf(index.base_index if hasattr(index, "base_index") else index).nprobe = p


def plot(report: dict, out: Path) -> None:
    """Recall@10 against p50 latency, one line per index family; flat latency against size beside it."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("no matplotlib: no plot")
        return
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(11, 4.2))
    by: dict[str, list[dict]] = {}
    for r in report["rows"]:
        by.setdefault(r["index"], []).append(r)
    for name, rs in by.items():
        ax.plot([r["p50_ms"] for r in rs], [r["recall10"] for r in rs], marker="o", label=name)
    ax.axhline(0.95, color="grey", ls="--", lw=0.8)
    ax.set_xscale("log")
    ax.set_xlabel("p50 latency per query, ms (1 thread, log)")
    ax.set_ylabel("recall@10 vs exact")
    ax.set_title(f"{report['size']:,} vectors ({report['real_vectors']:,} real e5)")
    ax.legend(fontsize=7)
    c = report["flat_curve"]
    bx.plot([x["size"] for x in c], [x["p50_ms"] for x in c], marker="o", label="p50")
    bx.plot([x["size"] for x in c], [x["p95_ms"] for x in c], marker="o", label="p95")
    bx.set_xlabel("vectors")
    bx.set_ylabel("exact (flat) search, ms")
    bx.set_title("flat search latency by size")
    bx.legend()
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    print(f"plot: {out}")


if __name__ == "__main__":
    raise SystemExit(main())
