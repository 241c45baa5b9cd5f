# Fresh machine: `make demo` trains the seed model, `make test` runs the tests.
# Both set up what they need (Debian's Fashion-MNIST package where apt is available, and a
# virtual environment in .venv) and are fast on a second run. `make test` also builds .venv-keras
# (real Keras 3 on JAX, CPU, about 600 MB, kept between runs) for the parity tests in
# tests/keras_parity/, which compare numkeras with Keras; `make keras-venv` builds only that.
# It also unpacks two small Debian R-data packages for the end-to-end sequence tests (`dataset-r`).
# The `test` extra brings mpi4py and MPICH's wheel (the `mpi` extra, with mpiexec in .venv/bin) for the
# multi-rank tests in tests/distributed/: no system MPI is needed.

PYTHON      ?= python3
VENV        := .venv
VPY         := $(VENV)/bin/python
BENCH_VENV  := .venv-bench
KERAS_VENV  := .venv-keras
TF_VENV     := .venv-tf
WORDS_FILE  := /usr/share/dict/words
FMNIST_DIR  := /usr/share/datasets/fashion-mnist
PIP_QUIET   := --quiet --disable-pip-version-check
PYTEST_ARGS ?=
BENCH_ARGS  ?=

.PHONY: test demo bench dataset dataset-r words venv keras-venv tf-venv clean docs docs-serve chromium

test: dataset dataset-r venv keras-venv chromium
	$(VPY) -m pytest $(PYTEST_ARGS)
	NUMKERAS_BACKEND=strict $(VPY) -m pytest -q $$(grep -v '^#' tests/strict_backend_files.txt)

demo: dataset venv
	$(VPY) examples/seed_mnist.py

# The benchmark suite (benchmarks/suite.py): numkeras, the NumPy floor, PyTorch and Keras 3 on
# JAX, 3 rounds in about 9 minutes on 2 idle cores. Reports land in benchmarks/results/ (not
# committed). `make bench BENCH_ARGS="--rounds 1"`, `BENCH_ARGS=--quick`, `python -m benchmarks --help`.
# Then what bounds the figures (benchmarks/bounds.py, ten seconds): the BLAS's products beside
# PyTorch's, and a training step's work outside the BLAS. Then the IMDB recurrent models
# (benchmarks/imdb_rnn.py): LSTM, GRU, SimpleRNN against PyTorch and Keras on JAX, one thread and
# default threads, 3 rounds in about 5 minutes (`RNN_BENCH_ARGS="--rounds 1 --layers lstm"`). Then the
# 2-layer Transformer encoder classifier (benchmarks/transformer_encoder.py) against PyTorch's
# nn.TransformerEncoder, the same way, 3 rounds in about 3 minutes (`TRANSFORMER_BENCH_ARGS="--rounds 1"`).
# Then one epoch of timeseries_dataset_from_array on the Jena climate shape (benchmarks/timeseries_windows.py,
# seconds): the memory it needs beyond the series. Then ops.einsum on attention contractions against
# numpy.einsum(optimize=True) (benchmarks/einsum_attention.py, seconds). Then what `python -m numkeras run`
# costs (benchmarks/notebook_runner.py, seconds): the 1st edition's 2.1 notebook through the runner
# against the same cells as a plain script, one run each (target: at most 0.3 s more). Then
# TextVectorization's adapt and vectorization of 25,000 documents of about 230 words drawn from Debian's
# English word list (benchmarks/text_vectorization.py, a few minutes), against Keras 3 on TensorFlow when
# .venv-tf exists (`make tf-venv`: TensorFlow is large, so bench does not build it).
bench: dataset words venv keras-venv $(BENCH_VENV)/.installed
	$(VPY) -m benchmarks --torch-python $(BENCH_VENV)/bin/python \
	  --jax-python $(KERAS_VENV)/bin/python $(BENCH_ARGS)
	$(VPY) -m benchmarks.bounds --torch-python $(BENCH_VENV)/bin/python
	@mkdir -p benchmarks/results
	$(VPY) -m benchmarks.imdb_rnn --torch-python $(BENCH_VENV)/bin/python \
	  --jax-python $(KERAS_VENV)/bin/python --out benchmarks/results/imdb_rnn_peers.json $(RNN_BENCH_ARGS)
	$(VPY) -m benchmarks.transformer_encoder --torch-python $(BENCH_VENV)/bin/python \
	  --out benchmarks/results/transformer_encoder_peers.json $(TRANSFORMER_BENCH_ARGS)
	$(VPY) -m benchmarks.timeseries_windows --json benchmarks/results/timeseries_windows.json
	$(VPY) -m benchmarks.einsum_attention --out benchmarks/results/einsum_attention.json
	$(VPY) -m benchmarks.notebook_runner --json benchmarks/results/notebook_runner.json
	$(VPY) -m benchmarks.text_vectorization --out benchmarks/results/text_vectorization.json \
	  $$([ -x $(TF_VENV)/bin/python ] && echo --tf-python $(TF_VENV)/bin/python) $(TEXT_BENCH_ARGS)

venv: $(VENV)/.installed

# The documentation site (mkdocs.yml): `make docs` builds site/ with --strict (a broken link or
# reference fails), `make docs-serve` previews it on http://127.0.0.1:8000 (English at /, Korean at /ko/).
docs: venv
	$(VPY) tools/api_pages.py
	NO_MKDOCS_2_WARNING=1 $(VPY) -m mkdocs build --strict --site-dir site

docs-serve: venv
	NO_MKDOCS_2_WARNING=1 $(VPY) -m mkdocs serve --dev-addr 127.0.0.1:8000

keras-venv: $(KERAS_VENV)/.installed

# Reinstalled only when the package metadata changes (the install is editable).
$(VENV)/.installed: pyproject.toml
	@test -x $(VPY) || $(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install $(PIP_QUIET) -e '.[test,docs]'
	@touch $@

# The peers, each kept out of the main environment. PyTorch only for the speed comparison.
$(BENCH_VENV)/.installed:
	@test -x $(BENCH_VENV)/bin/python || $(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install $(PIP_QUIET) torch==2.13.0 numpy
	@touch $@

# Keras 3 on JAX (CPU) serves both the speed comparison and the parity tests (tests/keras_parity/).
$(KERAS_VENV)/.installed:
	@test -x $(KERAS_VENV)/bin/python || $(PYTHON) -m venv $(KERAS_VENV)
	$(KERAS_VENV)/bin/python -m pip install $(PIP_QUIET) keras==3.15.1 jax==0.10.2 jaxlib==0.10.2 numpy
	@touch $@

# Keras 3 on TensorFlow (CPU), only for the TextVectorization comparison (Keras's text layers need TensorFlow).
tf-venv: $(TF_VENV)/.installed

$(TF_VENV)/.installed:
	@test -x $(TF_VENV)/bin/python || $(PYTHON) -m venv $(TF_VENV)
	$(TF_VENV)/bin/python -m pip install $(PIP_QUIET) tensorflow-cpu keras==3.15.1 numpy
	@touch $@

# Debian's English word list (wamerican) for the TextVectorization benchmark's corpus; without it the
# benchmark uses made-up words and says so. Needs apt-get and root (or password-less sudo).
words:
	@if [ -f $(WORDS_FILE) ]; then exit 0; fi; \
	sudo=; [ "$$(id -u)" = 0 ] || { sudo -n true 2>/dev/null && sudo="sudo -n"; }; \
	if { [ "$$(id -u)" = 0 ] || [ -n "$$sudo" ]; } && command -v apt-get >/dev/null 2>&1; then \
	  { $$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wamerican >/dev/null; } \
	  || echo "warning: apt-get could not install wamerican; the text benchmark will use made-up words" >&2; \
	else echo "warning: cannot install wamerican (not root); the text benchmark will use made-up words" >&2; fi

# Debian's dataset-fashion-mnist puts the IDX files in $(FMNIST_DIR). Installing needs apt-get
# and root (or password-less sudo). In CI (CI=true) a failure is fatal; elsewhere it is a warning,
# the real-data tests are skipped, and the failure is remembered in $(VENV)/.no-apt-dataset
# (delete it to retry).
dataset:
	@if [ -f $(FMNIST_DIR)/t10k-labels-idx1-ubyte.gz ]; then exit 0; fi; \
	if [ "$${CI:-}" != true ] && [ -f $(VENV)/.no-apt-dataset ]; then exit 0; fi; \
	sudo=; [ "$$(id -u)" = 0 ] || { sudo -n true 2>/dev/null && sudo="sudo -n"; }; \
	if { [ "$$(id -u)" = 0 ] || [ -n "$$sudo" ]; } && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing Debian's dataset-fashion-mnist ..."; \
	  if $$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
	     && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dataset-fashion-mnist >/dev/null; then \
	    exit 0; fi; \
	  msg="apt-get could not install dataset-fashion-mnist"; \
	else \
	  msg="not root or no apt-get: cannot install dataset-fashion-mnist (sudo apt-get install dataset-fashion-mnist)"; \
	fi; \
	if [ "$${CI:-}" = true ]; then echo "error: $$msg" >&2; exit 1; fi; \
	echo "warning: $$msg; tests that need Fashion-MNIST will be skipped" >&2; \
	mkdir -p $(VENV) && touch $(VENV)/.no-apt-dataset

# Debian's chromium renders the built site in tests/docs/ (headless, from 127.0.0.1), with
# fonts-nanum so that its screenshot of the Korean page shows Korean letters. As for
# Fashion-MNIST: installed with apt-get as root; fatal in CI, a warning elsewhere (remembered in
# $(VENV)/.no-chromium), where the browser test is skipped.
chromium:
	@if command -v chromium >/dev/null 2>&1 && [ -d /usr/share/fonts/truetype/nanum ]; then exit 0; fi; \
	if [ "$${CI:-}" != true ] && [ -f $(VENV)/.no-chromium ]; then exit 0; fi; \
	sudo=; [ "$$(id -u)" = 0 ] || { sudo -n true 2>/dev/null && sudo="sudo -n"; }; \
	if { [ "$$(id -u)" = 0 ] || [ -n "$$sudo" ]; } && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing Debian's chromium ..."; \
	  if $$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
	     && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-nanum >/dev/null; then \
	    exit 0; fi; \
	  msg="apt-get could not install chromium fonts-nanum"; \
	else \
	  msg="not root or no apt-get: cannot install chromium (sudo apt-get install chromium fonts-nanum)"; \
	fi; \
	if [ "$${CI:-}" = true ]; then echo "error: $$msg" >&2; exit 1; fi; \
	echo "warning: $$msg; the docs browser test will be skipped" >&2; \
	mkdir -p $(VENV) && touch $(VENV)/.no-chromium

# Debian's r-cran-modeldata (a monthly sales series) and r-cran-janeaustenr (Jane Austen's novels),
# both MIT, feed the end-to-end sequence tests (tests/sequence_program_test.py). Installing them
# with apt would pull in all of R, so their .deb files are fetched with `apt-get download` and
# unpacked with `dpkg-deb -x` into $(R_DATA_DIR); tests/r_package_data.py reads them without R.
# As for Fashion-MNIST: fatal in CI, a warning elsewhere (remembered in $(VENV)/.no-r-data).
R_DATA_DIR      := $(VENV)/debian-r-data
R_DATA_PACKAGES := r-cran-modeldata r-cran-janeaustenr
R_LIBRARY       := $(R_DATA_DIR)/usr/lib/R/site-library

dataset-r:
	@if [ -f $(R_LIBRARY)/modeldata/data/Rdata.rdb ] && [ -f $(R_LIBRARY)/janeaustenr/data/Rdata.rdb ]; then exit 0; fi; \
	if [ "$${CI:-}" != true ] && [ -f $(VENV)/.no-r-data ]; then exit 0; fi; \
	update=false; if [ "$$(id -u)" = 0 ]; then update="apt-get update -qq"; \
	elif sudo -n true 2>/dev/null; then update="sudo -n apt-get update -qq"; fi; \
	tmp=$$(mktemp -d) && chmod 755 $$tmp && mkdir -p $(R_DATA_DIR) || exit 1; \
	download() { (cd $$tmp && apt-get download -qq $(R_DATA_PACKAGES)); }; \
	if command -v apt-get >/dev/null 2>&1 && { download 2>/dev/null || { $$update && download; }; }; then \
	  for deb in $$tmp/*.deb; do dpkg-deb -x $$deb $(R_DATA_DIR) || exit 1; done; rm -rf $$tmp; exit 0; \
	fi; rm -rf $$tmp; \
	msg="apt-get could not download $(R_DATA_PACKAGES)"; \
	if [ "$${CI:-}" = true ]; then echo "error: $$msg" >&2; exit 1; fi; \
	echo "warning: $$msg; the end-to-end sequence tests will be skipped" >&2; \
	touch $(VENV)/.no-r-data

clean:
	rm -rf $(VENV) $(BENCH_VENV) $(KERAS_VENV) $(TF_VENV) build dist *.egg-info .pytest_cache benchmarks/results site
