# The two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app portal
HOST ?= 127.0.0.1
PORT ?= 5000
VENDOR := static/vendor
CATALOGUES := $(wildcard portal/translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGUES:.po=.mo)

.PHONY: run test test-sqlite test-postgresql serve install assets translations migrate demo \
        worker bench extract-messages update-messages clean

run: install assets translations migrate
	@$(FLASK) portal demo --if-empty
	@echo "Serving on http://$(HOST):$(PORT) (Ctrl+C stops the server and the worker)"
	@trap 'kill 0' EXIT INT TERM; \
	  $(FLASK) portal worker & \
	  $(FLASK) run --host $(HOST) --port $(PORT)

# Both databases at once (two cores); each run's output is printed whole when it ends.
test: install assets translations
	@$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgresql

test-sqlite:
	@echo "== tests on SQLite"
	TEST_DATABASE=sqlite $(BIN)/pytest $(PYTEST_ARGS)

test-postgresql:
	@echo "== tests on PostgreSQL"
	TEST_DATABASE=postgresql $(BIN)/pytest $(PYTEST_ARGS)

# Production: gunicorn behind a TLS proxy, DATABASE_URL pointing at PostgreSQL.
serve: install assets translations
	PORTAL_ENV=production $(FLASK) db upgrade
	PORTAL_ENV=production $(FLASK) portal seed
	PORTAL_ENV=production $(BIN)/gunicorn -c gunicorn.conf.py "portal:create_app()"

# Public pages against a bare Flask app under the same gunicorn (uses wrk when installed).
bench: install assets translations
	$(BIN)/python bench/public_pages.py

worker: install translations
	$(FLASK) portal worker

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,redis]'
	@touch $@

assets: $(VENDOR)/.built

$(VENDOR)/.built: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)/utrecht $(VENDOR)/voorbeeld
	cp node_modules/@utrecht/component-library-css/dist/index.css $(VENDOR)/utrecht/index.css
	cp node_modules/@nl-design-system-unstable/voorbeeld-design-tokens/dist/theme.css \
	   $(VENDOR)/voorbeeld/theme.css
	@touch $@

translations: install $(COMPILED)

%.mo: %.po
	$(BIN)/pybabel compile --use-fuzzy -i $< -o $@ -l $(word 3,$(subst /, ,$<)) >/dev/null

migrate: install
	$(FLASK) db upgrade
	$(FLASK) portal seed

demo: install
	$(FLASK) portal demo

extract-messages: install
	$(BIN)/pybabel extract --ignore-dirs=".* node_modules .venv" -F babel.cfg -k _l -k lazy_gettext -o portal/translations/messages.pot --no-location --sort-output --omit-header .

update-messages: extract-messages
	$(BIN)/pybabel update -i portal/translations/messages.pot -d portal/translations --no-fuzzy-matching --ignore-obsolete --no-wrap

clean:
	rm -rf $(VENV) node_modules $(VENDOR) portal/translations/*/LC_MESSAGES/*.mo
