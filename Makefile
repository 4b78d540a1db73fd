# Two entry points do all set-up: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-slow install clean browser

# -qq: setuptools prints an informational note on every editable install; errors still show.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -qq --upgrade pip
	$(BIN)/pip install -qq -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/newsbeam demo

test: $(STAMP)
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) build *.egg-info

# Headless Chromium for the report's browser test (Debian's package), installed when missing and
# running as root; without it that test is skipped, saying why.
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing chromium (apt-get)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium not found (not root, or no apt-get): tests/test_report.py's browser test will skip"; fi; }

# --- Cluster runners (deploy/flink/README.md): a local Flink session cluster and Prism. ---
# Downloads and builds are cached under $(NEWSBEAM_CACHE), so a second run starts in seconds.
NEWSBEAM_CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/newsbeam
export NEWSBEAM_CACHE
BEAM_VERSION := 2.77.0
PRISM := $(NEWSBEAM_CACHE)/prism-v$(BEAM_VERSION)/prism
FLINK := bash deploy/flink/flink.sh

.PHONY: flink-fetch flink-up flink-down flink-status prism test-cluster

flink-fetch: $(STAMP)
	PYTHON=$(BIN)/python $(FLINK) fetch

flink-up: flink-fetch
	PYTHON=$(BIN)/python $(FLINK) up

flink-down:
	$(FLINK) down

flink-status:
	$(FLINK) status

# Prism, Beam's portable local runner, built from source through the Go module proxy (~4 min cold).
prism: $(PRISM)

$(PRISM):
	GOBIN=$(dir $(PRISM)) timeout 1200 go install github.com/apache/beam/sdks/v2/go/cmd/prism@v$(BEAM_VERSION)
	$@ --help >/dev/null 2>&1 || { echo "prism: $@ does not run"; exit 1; }

# The slow runner tests: the pipeline on a local Flink cluster and on Prism, compared with the
# DirectRunner. Fetches and builds in parallel, starts the cluster, always stops it afterwards.
test-cluster:
	$(MAKE) --no-print-directory -j3 $(STAMP) flink-fetch $(PRISM)
	PYTHON=$(BIN)/python NEWSBEAM_PRISM=$(PRISM) $(FLINK) with $(BIN)/python -m pytest -m slow -v -rs tests/test_runners.py tests/test_stream.py
