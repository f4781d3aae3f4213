# The two commands of the README: `make chat` (install, then the browser chat) and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 7860

.PHONY: install chat test test-fast lint bench bench-serve bench-scale browser-deps eval compare clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	# CPU torch first: an unpinned torch would pull a multi-GB CUDA build.
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

chat: install
	$(PY) -m assistant chat --host $(HOST) --port $(PORT)

browser-deps:
	bash scripts/ensure-chromium.sh

test: install browser-deps
	$(PY) -m pytest -q

test-fast: install
	$(PY) -m pytest -q -m "not slow and not browser"

lint: install
	$(PY) -m ruff check assistant tests ui.py benchmarks
	$(PY) -m ruff format --check assistant tests ui.py benchmarks

eval: install
	$(PY) -m assistant evaluate eval/dev.jsonl

compare: install
	$(PY) -m assistant evaluate eval/dev.jsonl --compare

bench: install
	$(PY) -m pip install -q -e '.[bench]'
	$(PY) benchmarks/run.py

# The JSON API under 20 clients (distinct questions, then repeats) and FAISS vs milvus-lite side by side.
bench-serve: install
	$(PY) -m pip install -q -e '.[milvus]'
	$(PY) benchmarks/serve.py
	$(PY) benchmarks/vectors.py
# Real corpus at real size (docs/performance.md): the seed beside N real articles of ../shared/corpora/woshipm
# (build rate, incremental builds, accuracy of the seed's sets), then flat/HNSW/IVF on those vectors grown to
# 600k. The embedding store in SCALE_WORK makes a rerun (or a larger N) resume where the last one stopped.
SCALE_WORK ?= /tmp/career-scale
SCALE_N ?= 200
bench-scale: install
	$(PY) -m pip install -q -e '.[bench]'
	nice -n 10 $(PY) benchmarks/scale_real.py --n $(SCALE_N) --categories operate --work $(SCALE_WORK)
	nice -n 10 $(PY) benchmarks/ann.py --store $(SCALE_WORK)/store --size 600000

clean:
	rm -rf index/CURRENT index/build-* index/.tmp-* artifacts
