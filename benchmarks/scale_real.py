"""Real corpus at real size: the seed beside N real woshipm articles; build rate, incremental builds, accuracy.

A private corpus is made outside the repository (the seed's corpus/ plus the first N articles, by id, of the
chosen categories of ../shared/corpora/woshipm, copied there: they are others' text), built through the
embedding store, then:

- full build: passages, texts embedded, seconds, texts/s, index size on disk, peak memory of this process;
- incremental: one article added (the next one of the category), then one article changed (one paragraph in
  its middle edited), each built again: texts embedded and seconds;
- accuracy: the seed's question sets evaluated against the big index, beside the seed alone.

    python benchmarks/scale_real.py --n 200 --categories operate --work /tmp/scale-real [--store DIR]

The store (default WORK/store) is shared by every index of the run, so a rerun or a larger N resumes: only
articles not embedded before cost model time. Writes benchmarks/out/scale_real.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.common import machine_info, quiet_offline, write_json  # noqa: E402

WOSHIPM = ROOT.parent / "shared" / "corpora" / "woshipm"
SETS = [ROOT / "eval" / "dev.jsonl", ROOT / "eval" / "heldout" / "seed-s4.jsonl"]


def articles(categories: list[str], n: int) -> list[Path]:
    """The first n+1 articles by id across the categories, in turn (the last one is the 'added' article)."""
    per = [sorted((WOSHIPM / c).glob("*.md")) for c in categories]
    out: list[Path] = []
    i = 0
    while len(out) < n + 1 and any(i < len(p) for p in per):
        out += [p[i] for p in per if i < len(p)]
        i += 1
    return out[: n + 1]


def folder_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def build(corpus: Path, index: Path, label: str) -> dict:
    """Build (through the store) and report what it cost."""
    from assistant.config import Settings
    from assistant.embed import make_embedder
    from assistant.index import build_index

    counted = {"texts": 0}
    embedder = make_embedder()
    encode = embedder.encode

    def counting(texts: list[str], batch_size: int = 64):  # type: ignore[no-untyped-def]
        counted["texts"] += len(texts)
        return encode(texts)

    embedder.encode = counting  # type: ignore[method-assign]
    said: list[str] = []
    t = time.perf_counter()
    data = build_index(Settings(corpus_dir=corpus, index_dir=index), embedder, said.append)
    s = time.perf_counter() - t
    row = {
        "step": label,
        "articles": len(data.manifest.files),
        "passages": len(data.passages),
        "vectors": data.manifest.n_vectors,
        "embedded": counted["texts"],
        "seconds": round(s, 1),
        "texts_per_s": round(counted["texts"] / s, 1) if counted["texts"] else None,
        "index_type": data.manifest.index_type,
        "index_mb": round(folder_mb(data.path), 1),
    }
    print(json.dumps(row), flush=True)
    return row


def evaluate_sets(corpus: Path, index: Path) -> dict:
    from assistant import Assistant
    from assistant.evaluate import evaluate, load_items

    a = Assistant.load(index_dir=index, corpus_dir=corpus, status=None)
    out = {}
    for f in SETS:
        rep, _ = evaluate(a, load_items(f), "full")
        out[f.name] = {k: rep.get(k) for k in ("accuracy", "by_lang", "refusal_accuracy", "false_refusals", "citation_at_1", "citation_at_3", "latency_ms")}
        out[f.name]["failures"] = [x["id"] for x in rep["failures"]]
        print(f.name, json.dumps({k: v for k, v in out[f.name].items() if k != "failures"}), flush=True)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--categories", default="operate")
    ap.add_argument("--work", default="/tmp/scale-real")
    ap.add_argument("--store", help="embedding store folder (default WORK/store)")
    ap.add_argument("--no-eval", action="store_true")
    ap.add_argument("--no-incremental", action="store_true")
    args = ap.parse_args()
    if not WOSHIPM.is_dir():
        print(f"skipped: {WOSHIPM} is absent (the shared articles are not beside this checkout)")
        return 0
    quiet_offline()
    work = Path(args.work)
    os.environ["ASSISTANT_EMBED_STORE"] = str(Path(args.store) if args.store else work / "store")
    picked = articles(args.categories.split(","), args.n)
    added = picked.pop()
    corpus = work / f"corpus-{args.n}"
    index = work / f"index-{args.n}"
    shutil.rmtree(corpus, ignore_errors=True)
    shutil.copytree(ROOT / "corpus", corpus)
    for f in picked:
        shutil.copyfile(f, corpus / f.name)
    started = time.time()
    report: dict = {"machine": machine_info(), "n": args.n, "categories": args.categories, "steps": []}
    report["steps"].append(build(corpus, index, f"full: seed + {len(picked)} articles"))
    report["steps"].append(build(corpus, index, "rebuild, nothing changed"))
    if not args.no_incremental:
        shutil.copyfile(added, corpus / added.name)
        report["steps"].append(build(corpus, index, f"add one article ({added.name})"))
        changed = corpus / picked[0].name
        text = changed.read_text(encoding="utf-8")
        paragraphs = [line for line in text.splitlines() if len(line) > 40 and not line.startswith(("#", "!", "[", ">", "-", "*"))]
        edit = paragraphs[len(paragraphs) // 2]  # one paragraph in the middle of the article is edited
        changed.write_text(text.replace(edit, edit + "（修订）", 1), encoding="utf-8")
        report["steps"].append(build(corpus, index, f"change one article ({changed.name})"))
    report["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    if not args.no_eval:
        report["eval"] = evaluate_sets(corpus, index)
    report["wall_s"] = round(time.time() - started, 1)
    write_json(f"scale_real_{args.n}", report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
