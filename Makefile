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
	$(BIN)/python -m pytest -q -n 3 --dist loadfile   # three processes on two cores (many tests wait on subprocesses and servers); a file's tests stay together (module fixtures)

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

# systemd-analyze for the systemd recipe's check (Debian's systemd package), installed when missing
# and running as root; without it that test is skipped, saying why.
.PHONY: systemd-analyze
systemd-analyze:
	@command -v systemd-analyze >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing systemd-analyze (apt-get install systemd)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq systemd >/dev/null; \
	  else echo "systemd-analyze not found (not root, or no apt-get): tests/test_airflow.py's systemd check will skip"; fi; }

# Apache Airflow and its Beam provider in a venv of their own (PyPI; ~3 min cold), for the DAG test
# of tests/test_airflow.py. The Beam provider's operators need the Google provider whatever the
# runner; Airflow 3.1 is the line tested with them. kubernetes-validate (Kubernetes' JSON schemas,
# shipped in the package) for the manifest check.
AIRFLOW_VENV := $(NEWSBEAM_CACHE)/airflow-venv
AIRFLOW := $(AIRFLOW_VENV)/bin/airflow
AIRFLOW_PACKAGES := apache-airflow==3.1.8 apache-airflow-providers-apache-beam==6.3.1 \
                    apache-airflow-providers-google==22.8.0 kubernetes-validate==1.37.0 pyyaml

.PHONY: airflow
airflow: $(AIRFLOW_VENV)/.installed-3.1.8

$(AIRFLOW_VENV)/.installed-3.1.8:
	$(PYTHON) -m venv $(AIRFLOW_VENV)
	$(AIRFLOW_VENV)/bin/pip install -qq --upgrade pip
	timeout 1200 $(AIRFLOW_VENV)/bin/pip install -qq $(AIRFLOW_PACKAGES)
	touch $@

# The slow tests: the pipeline on a local Flink cluster and on Prism, compared with the
# DirectRunner; streams on Prism and on Flink (a TaskManager killed mid-stream); Ctrl-C on a Flink
# run; a long stream's housekeeping; the Airflow DAG on Flink; systemd and Kubernetes recipes.
# Fetches and builds in parallel, starts the cluster, always stops it afterwards.
test-cluster: systemd-analyze
	$(MAKE) --no-print-directory -j4 $(STAMP) flink-fetch $(PRISM) airflow
	PYTHON=$(BIN)/python NEWSBEAM_PRISM=$(PRISM) NEWSBEAM_AIRFLOW=$(AIRFLOW) $(FLINK) with $(BIN)/python -m pytest -m slow -v -rs --durations=0 tests/test_runners.py tests/test_stream.py tests/test_stream_state.py tests/test_flink_stream.py tests/test_airflow.py
	bash deploy/kafka/kafka.sh with $(BIN)/python -m pytest -m slow -v -rs tests/test_kafka.py

# --- Events: a local Apache Kafka broker (KRaft, one node) for `newsbeam publish` (docs/events.md). ---
# Jars from Maven Central, cached under $(NEWSBEAM_CACHE)/kafka-<version>; `kafka-up` prints KAFKA_BOOTSTRAP.
KAFKA := bash deploy/kafka/kafka.sh

.PHONY: kafka-fetch kafka-up kafka-down kafka-status

kafka-fetch:
	$(KAFKA) fetch

kafka-up: kafka-fetch
	$(KAFKA) up

kafka-down:
	$(KAFKA) down

kafka-status:
	$(KAFKA) status
