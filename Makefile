# Mobility orientation assistant — `make help` lists the targets.
SHELL := /bin/bash
VENV ?= .venv
export VENV  # scripts/ (run.sh, train_if_needed.sh, stack.py…) start their tools from the same venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
STAMP := $(VENV)/.installed
Q ?= rsa; Laval; permis

.DEFAULT_GOAL := help
.PHONY: lookup help run test test-fast test-without-model nlu-floors test-with-servers lint shell kb kb-export kb-export-check orient train validate evaluate benchmark communes clean \
	report report-demo review-demo kb-import benchmark-kb

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(STAMP): requirements.txt requirements-dev.txt constraints.txt
	@PYTHON=$$(scripts/find-python310.sh) && test -x $(PY) || $$PYTHON -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip==24.2
	$(PY) -m pip install -q --no-compile -r requirements.txt -r requirements-dev.txt -c constraints.txt
	@# Bytecode compiled on every core (pip compiles on one: about 100 s more). Like pip,
	@# the few files of other Python versions that packages ship are skipped, not fatal.
	$(PY) -m compileall -q -j 0 $$($(PY) -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])') >/dev/null || true
	@# Freshly written, TensorFlow's library would hold 150 MB more of each Rasa server (the script says why).
	$(PY) scripts/uncache_libraries.py
	@touch $@

venv: $(STAMP) ## Create the Python 3.10 virtualenv with pinned dependencies

kb: $(STAMP) ## Validate knowledge/ and build the knowledge database (prints counts)
	$(PY) -m orientation.cli kb

kb-export: $(STAMP) ## Export knowledge/ as data·inclusion v1 (build/export/*.json)
	$(PY) -m orientation.cli export --out build/export

kb-export-check: kb-export ## Validate the export with the data-inclusion-schema package (own venv)
	PYTHON=$(PY) scripts/check_export.sh

kb-import: $(STAMP) ## Import a data·inclusion v1 export as knowledge YAML: make kb-import DIR=folder [OUT=knowledge/plateformes]
	@test -n "$(DIR)" || { echo "Usage : make kb-import DIR=dossier (structures.json, services.json) [OUT=…]" >&2; exit 2; }
	$(PY) -m orientation.cli import "$(DIR)" $(if $(OUT),--out "$(OUT)")

orient: $(STAMP) ## One orientation from the shell: make orient Q="rsa; Laval; permis[; 22]"
	@test -f build/knowledge.db || $(PY) -m orientation.cli kb
	@$(PY) -m orientation.cli orient "$(Q)"

report: $(STAMP) ## Observatory report → build/report/ (FROM=2026-10-01 TO=2026-10-31 DEP=53, all optional: last full month)
	@test -n "$$KB_DATABASE_URL" || test -f build/knowledge.db || $(PY) -m orientation.cli kb
	$(PY) -m orientation.observatory report $(if $(FROM),--from "$(FROM)") $(if $(TO),--to "$(TO)") $(if $(DEP),--dep "$(DEP)")

report-demo: $(STAMP) kb ## Simulated events in their own database, and their report → build/report-demo/
	$(PY) -m orientation.observatory demo

review-demo: $(STAMP) kb train ## Simulated conversations with the real bot, for the review page /revue (starts make run's servers if none answers)
	$(PY) scripts/review_demo.py

lookup: $(STAMP) ## Rasa's lookup tables (data/nlu/lexique.yml) from orientation/language/lexique.yml
	$(PY) -m orientation.cli lookup data/nlu/lexique.yml

communes: ## Refresh knowledge/communes/ from @etalab/decoupage-administratif (needs npm)
	$(PY) scripts/refresh_communes.py

train: $(STAMP) ## Train the Rasa model if data, domain or config changed
	scripts/train_if_needed.sh

validate: $(STAMP) ## rasa data validate, failing on warnings
	$(RASA) data validate --fail-on-warnings

run: $(STAMP) kb train ## Install, build, train if needed, start the bot and the web page
	scripts/run.sh

shell: $(STAMP) kb train ## Chat with the bot in the terminal
	scripts/run.sh --shell

# NLU floors on the held-out set (written without looking at the training data).
MIN_INTENT_F1 ?= 0.93
MIN_ENTITY_F1 ?= 0.88

# Two at a time, each output printed whole when its part ends: the training (about
# 100 s) runs beside the checks that need no model; the NLU floors start as soon as the
# model is there, beside the rest of those checks; the end-to-end tests come last.
test: $(STAMP) lint ## Run all tests (lint, engine, knowledge, actions, end-to-end, web page, NLU floors)
	$(MAKE) --no-print-directory -j2 -Otarget test-with-servers nlu-floors DATA_VALIDATED_BESIDE=1 AFTER_PURE_TESTS=1

ifeq ($(AFTER_PURE_TESTS),1)
test-with-servers: test-without-model
endif

test-without-model: $(STAMP) validate kb kb-export-check ## The tests that need no trained model (data, engine, knowledge, actions)
	$(PY) scripts/check_heldout_disjoint.py
	$(PY) -m pytest -q -m unit tests

nlu-floors: $(STAMP) train ## Held-out NLU scores against their floors, and the tests that load the model
	$(PY) scripts/evaluate_nlu.py --quiet --min-intent-f1 $(MIN_INTENT_F1) --min-entity-f1 $(MIN_ENTITY_F1)
	$(PY) -m pytest -q -m model tests

test-with-servers: $(STAMP) kb train ## The end-to-end and web page tests, against the real servers
	$(PY) -m pytest -q -m "not unit and not model" tests

lint: $(STAMP) ## ruff: lint and format check (`ruff format .` fixes the format)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test-fast: $(STAMP) ## The edit-test loop: pure-Python tests only (no server, no training, no slow properties)
	$(PY) -m pytest -q -m "unit and not slow" -p no:warnings tests

evaluate: $(STAMP) kb train ## NLU scores on the held-out set, then the scripted conversations through the real servers (reports in build/evaluation/)
	$(PY) scripts/evaluate_nlu.py
	$(PY) scripts/evaluate_conversations.py

benchmark: $(STAMP) kb train ## Print timings: orientation queries, kb build, REST turns vs a default Rasa pipeline
	$(PY) scripts/benchmark.py

benchmark-kb: $(STAMP) ## Knowledge-base figures only (today's and a synthetic national base): no training
	$(PY) scripts/benchmark.py --no-rest

clean: ## Remove built files (models, databases, results)
	rm -rf build models results .rasa

# ---- Production profile (README "Production") --------------------------------
PROD := $(PY) scripts/prod/prodstack.py
.PHONY: prod prod-status prod-stop purge forget test-prod benchmark-prod

prod: $(STAMP) train ## Production profile at http://127.0.0.1:8000 under supervisord: PostgreSQL, Redis, 2 Rasa, 2 action servers, 2 pages, nginx
	scripts/prod/install-packages.sh
	$(PROD) up

prod-status: ## One line per production process: NAME PID PORT
	@$(PROD) status

prod-stop: ## Stop what `make prod` started
	$(PROD) stop

purge: ## Delete stored conversation events older than RETENTION_DAYS (default 30)
	@$(PROD) purge

forget: ## Delete one stored conversation: make forget SENDER=<conversation id>
	@test -n "$(SENDER)" || { echo "Usage : make forget SENDER=<identifiant de la conversation>"; exit 2; }
	@$(PROD) forget "$(SENDER)"

test-prod: $(STAMP) train ## Production profile: every route and the page tests through nginx, kill -9 of each process, outages, lock race, security, retention
	scripts/prod/install-packages.sh
	PROD_TESTS=1 $(PY) -m pytest -q -s -p no:cacheprovider tests/prod  # -s: prints the measured figures

benchmark-prod: $(STAMP) kb train ## Print 50 concurrent conversations through nginx vs make run's single process, 1 vs 2 cores
	scripts/prod/install-packages.sh
	$(PY) scripts/prod/benchmark_prod.py
