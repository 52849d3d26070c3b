# Two commands: `make run` (set up and serve with demo data) and `make test`.
# `make run` serves with gunicorn, the production server (WORKERS processes on SQLite in
# WAL mode); `make dev` serves with Flask's reloader for working on the code.
PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 5000
WORKERS ?= 4
THREADS ?= 2
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app

# Moments the suite runs at again (ticking from there): a Jakarta year end, and a leap day
# early in the Jakarta morning, when the UTC date is still 28 February.
TEST_DATES ?= 2026-12-31T23:30:00+07:00 2028-02-29T06:00:00+07:00

.PHONY: run dev test test-fast test-dates setup translations lint extract-messages clean

run: setup
	@$(FLASK) lms accounts
	@echo "Melek: http://$(HOST):$(PORT)/ (gunicorn, $(WORKERS) workers)"
	PUBLIC_BASE_URL=$${PUBLIC_BASE_URL:-http://$(HOST):$(PORT)} $(BIN)/gunicorn \
	  --workers $(WORKERS) --threads $(THREADS) --bind $(HOST):$(PORT) \
	  --access-logfile - --graceful-timeout 30 app:app

# The development server: reloads on code changes, shows tracebacks in the browser.
dev: setup
	@$(FLASK) lms accounts
	PUBLIC_BASE_URL=$${PUBLIC_BASE_URL:-http://$(HOST):$(PORT)} $(FLASK) run --debug \
	  --host $(HOST) --port $(PORT)

setup: $(VENV)/.installed translations instance/secret_key
	$(FLASK) db upgrade
	$(FLASK) lms sync-courses
	@# Certificates print their check address: the one `make run` serves.
	PUBLIC_BASE_URL=$${PUBLIC_BASE_URL:-http://$(HOST):$(PORT)} $(FLASK) lms demo
	PUBLIC_BASE_URL=$${PUBLIC_BASE_URL:-http://$(HOST):$(PORT)} $(FLASK) lms issue-certificates

test: $(VENV)/.dev-installed translations
	$(BIN)/pytest
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
	  echo "== again on PostgreSQL ($$TEST_DATABASE_URL) =="; \
	  MELEK_TEST_DB=postgres $(BIN)/pytest; \
	else echo "TEST_DATABASE_URL not set: PostgreSQL run skipped (.ci/run sets it)."; fi
	@$(MAKE) --no-print-directory test-dates

# Everything but the browser tests.
test-fast: $(VENV)/.dev-installed translations
	$(BIN)/pytest -m "not browser"

# Nothing may depend on today's date: the suite again with the clock at each TEST_DATES.
test-dates: $(VENV)/.dev-installed translations
	@for when in $(TEST_DATES); do \
	  echo "== again with the clock at $$when"; \
	  MELEK_TEST_NOW=$$when $(BIN)/pytest -q || exit 1; \
	done

$(VENV)/.installed: requirements.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

translations: $(VENV)/.installed
	@$(BIN)/pybabel compile --statistics -f -d lms/translations 2>&1 | grep -v "^compiling" || true

extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o lms/translations/messages.pot .
	$(BIN)/pybabel update -i lms/translations/messages.pot -d lms/translations --no-fuzzy-matching

instance/secret_key:
	@mkdir -p instance
	@$(PYTHON) -c "import secrets; print(secrets.token_hex(32))" > $@
	@chmod 600 $@

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) instance/melek.db*
