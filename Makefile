# landcoord: every entry point. `make demo` and `make test` set up a fresh Debian 12 machine first.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
export QT_QPA_PLATFORM ?= offscreen
# pytest options, e.g. make test PYTEST_ARGS="-k affected"
PYTEST_ARGS ?=

.PHONY: setup demo test lint install package bench translations catalogs sample clean

setup:
	@scripts/bootstrap.sh

## the main job: the whole pipeline on the bundled sample project, results in out/sample/
demo: setup
	$(VENV)/bin/landcoord demo --out out/sample

## lint, then the whole test suite headless (under Xvfb, for print layouts and screenshots)
test: setup
	$(VENV)/bin/ruff check .
	xvfb-run -a -s "-screen 0 1600x1000x24" $(VENV)/bin/pytest $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .

## link the plugin into the QGIS profile under $$HOME and make its libraries importable by QGIS
install: setup
	@scripts/install.sh

## landcoord-<version>.zip for QGIS's "Install from ZIP" (no tests, translations and resources compiled)
package: setup
	@scripts/package.sh

## benchmarks against QGIS's and geopandas' own algorithms (heavy; not part of `make test`)
bench: setup
	$(PY) -P -m landcoord.benchmarks $(BENCH_ARGS)

## compile the core's, the command line's and the report's gettext catalogs (*/locale/*/LC_MESSAGES/*.po -> .mo)
catalogs:
	python3 scripts/compile_catalogs.py

## regenerate the bundled sample GeoPackage from its deterministic generator
sample: setup
	$(PY) -m landcoord.sample.make_sample

clean:
	rm -rf out build dist .pytest_cache .ruff_cache
