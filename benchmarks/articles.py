"""Any-article accuracy: each real article of ../shared/corpora/dev beside the seed, evaluated with its own questions.

For every ``<id>.md`` with an ``<id>.questions.jsonl`` beside it, a private corpus is made in a temp folder (the
seed's corpus/ plus that one article, copied there, never into the repository), an index is built, and the
question file is evaluated in full mode and by the plain retrieval baselines. ``--together`` also evaluates all
articles in one corpus with the seed (cross-article confusion). The articles are others' text: they are read
from ../shared and nothing of them is written under the repository.

    python benchmarks/articles.py [--dir ../shared/corpora/dev] [--only 5598838] [--together] [--modes full,bm25,hybrid]
    python benchmarks/articles.py --dir eval/heldout/articles --articles-root ../shared   # held-out sets (README lists paths)
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.common import quiet_offline  # noqa: E402

SHARED = ROOT.parent / "shared"


def pairs(folder: Path, articles_root: Path | None) -> list[tuple[str, Path, Path]]:
    """(id, article, questions) for each question file in folder; the article sits beside it or is named in README.md."""
    out = []
    listed: dict[str, Path] = {}
    readme = folder / "README.md"
    if articles_root and readme.is_file():
        for rel in re.findall(r"(corpora/[\w./-]+\.md)", readme.read_text(encoding="utf-8")):
            listed[Path(rel).stem] = articles_root / rel
    for q in sorted(folder.glob("*.questions.jsonl")):
        aid = q.name.split(".")[0]
        art = folder / f"{aid}.md"
        if not art.is_file():
            art = listed.get(aid, art)
        if art.is_file():
            out.append((aid, art, q))
    return out


def run(corpus_files: list[Path], questions: list[Path], modes: list[str], label: str, work: str | None = None) -> dict:
    """Build a private corpus and index from the seed plus these articles; evaluate each question file.
    With work, the corpus and index stay in work/label, so a rerun on the same text does not re-embed."""
    from assistant import Assistant
    from assistant.evaluate import evaluate, load_items

    with tempfile.TemporaryDirectory(prefix="articles-") as scratch:
        tmp = str(Path(work) / label) if work else scratch
        corpus = Path(tmp) / "corpus"
        shutil.rmtree(corpus, ignore_errors=True)
        shutil.copytree(ROOT / "corpus", corpus)
        for f in corpus_files:
            shutil.copyfile(f, corpus / f.name)
        t0 = time.perf_counter()
        a = Assistant.load(index_dir=Path(tmp) / "index", corpus_dir=corpus, status=None)
        build = time.perf_counter() - t0
        out: dict = {"label": label, "build_s": round(build, 1), "passages": len(a.index.passages), "sets": {}}
        for qf in questions:
            items = load_items(qf)
            per = {}
            for mode in modes:
                rep, _ = evaluate(a, items, mode)
                per[mode] = rep
            out["sets"][qf.name] = per
        return out


def summary(rep: dict) -> str:
    b = rep["by_lang"]
    return (
        f"acc {rep['accuracy']:.3f} en {b.get('en') or 0:.3f} zh {b.get('zh') or 0:.3f} "
        f"ref {rep['refusal_accuracy'] or 0:.2f} false {rep['false_refusals'] or 0:.3f} c@1 {rep['citation_at_1'] or 0:.2f} c@3 {rep['citation_at_3'] or 0:.2f}"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dir", default=str(SHARED / "corpora" / "dev"))
    ap.add_argument("--articles-root", default=str(SHARED))
    ap.add_argument("--only", action="append", default=[])
    ap.add_argument("--modes", default="full,bm25,hybrid")
    ap.add_argument("--together", action="store_true", help="also all articles in one corpus with the seed")
    ap.add_argument("--json", dest="json_out", help="write the full reports here")
    ap.add_argument("--failures", action="store_true", help="print the full-mode failures")
    ap.add_argument("--work", help="keep corpora and indexes here between runs (outside the repository)")
    args = ap.parse_args()
    folder = Path(args.dir)
    if not folder.is_dir():
        print(f"skipped: {folder} is absent (the shared articles are not beside this checkout)")
        return 0
    quiet_offline()
    found = [p for p in pairs(folder, Path(args.articles_root)) if not args.only or p[0] in args.only]
    modes = args.modes.split(",")
    results = []
    for aid, art, qf in found:
        rep = run([art], [qf], modes, aid, args.work)
        results.append(rep)
        for mode in modes:
            print(f"{aid} [{mode:6}] {summary(rep['sets'][qf.name][mode])}  ({rep['passages']} passages, build {rep['build_s']}s)", flush=True)
        if args.failures:
            for f in rep["sets"][qf.name]["full"]["failures"]:
                print(f"   - {f['id']}: {f['why']}: {f['question'][:90]}\n       {f['answer'][:300].replace(chr(10), ' | ')}")
    if args.together and found:
        rep = run([a for _, a, _ in found], [q for _, _, q in found] + [ROOT / "eval" / "dev.jsonl"], ["full"], "together", args.work)
        results.append(rep)
        for name, per in rep["sets"].items():
            print(f"together {name}: {summary(per['full'])}", flush=True)
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
