# Two commands a newcomer needs: `make book` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
JB := $(VENV)/bin/jupyter-book
# -W: any warning fails; -n: every cross-reference must resolve
BUILD_FLAGS := -W -n --keep-going
PORT ?= 8000

.PHONY: locales msgfmt fonts setup book test test-fast lint test-torch golden bench-record lab serve clean chromium student assignments bench grade pdf tex

setup: $(VENV)/.installed node_modules/.installed

# The site serves MathJax, require.js and the widget manager itself (no CDN):
# npm installs exactly what package-lock.json pins; the build copies them in.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing: the site's MathJax and widget files come from npm (apt-get install -y npm)."; exit 1; }
	npm ci --no-audit --no-fund
	@touch $@

# After the English changes: extract the messages (.pot) and update the
# editions' catalogues, locales/<lang>/LC_MESSAGES/book/*.po (tools/locales.py).
# A changed paragraph comes back fuzzy or untranslated until it is translated.
locales: setup _build/.library-stamp
	$(PY) tools/locales.py extract

# Reinstall only when the requirements change.
# setup.py builds the compiled VJP (src/derivations/compiled.c) in place.
$(VENV)/.installed: requirements.txt pyproject.toml setup.py src/derivations/compiled.c src/derivations/compiled_rows.h src/derivations/compiled_ce.h
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

# The execution cache keys on the cells' code only, so a change to the package
# (its Python, or the explorers' JS and CSS) would leave stale outputs and stale
# embedded widgets in the site. Such a change clears the cache and the doctrees.
LIB_FILES := $(shell find src/derivations -type f \( -name '*.py' -o -name '*.js' -o -name '*.css' -o -name '*.c' -o -name '*.h' \) 2>/dev/null)
_build/.library-stamp: $(LIB_FILES)
	@if [ -d _build/.jupyter_cache ]; then echo "src/derivations changed: every chapter runs again."; fi
	@rm -rf _build/.jupyter_cache _build/.doctrees _build/jupyter_execute _build/editions
	@mkdir -p _build && touch $@

# English at the root of _build/html, then each edition (es, id, zh_CN) in
# _build/html/<lang>/ from locales/ (tools/locales.py): they reuse the English
# build's execution cache, so every chapter runs once.
book: setup fonts _build/.library-stamp
	$(JB) build . $(BUILD_FLAGS)
	$(PY) tools/locales.py build
	@echo
	@echo "The book is in _build/html. Open _build/html/index.html, or run: make serve"

# Test-only oracle (torch, CPU build), kept out of the book's own requirements
# and out of `make test`, which compares with torch's recorded outputs instead.
$(VENV)/.installed-test: requirements-test.txt $(VENV)/.installed
	$(PY) -m pip install --quiet --retries 1 --timeout 15 -r requirements-test.txt
	@touch $@

test: setup fonts chromium tex msgfmt
	$(PY) -m pytest

# The inner loop: every test but the book build, the browser, the PDF, kernels
# and timings (the `slow` ones, chosen in tests/conftest.py). Under 2 minutes.
test-fast: setup fonts msgfmt
	$(PY) -m pytest -m "not slow" -q

# ruff with the rules in pyproject.toml; tests/test_lint.py runs the same check.
lint: setup
	$(VENV)/bin/ruff check .

# The comparisons with live torch: the semantic cases, the check that
# tests/golden/ is current, and the hypothesis fuzz (about a minute).
test-torch: $(VENV)/.installed-test
	$(PY) -m pytest tests/test_losses_torch_semantics.py tests/test_losses_torch_fuzz.py
	$(PY) -m pytest tests/test_binary.py tests/teaching/test_elementary.py -k torch

# Record torch's outputs for `make test` (tests/golden/, see tools/golden.py).
golden: $(VENV)/.installed-test
	$(PY) tools/golden.py

# tests/test_locales.py counts each catalogue's messages with GNU msgfmt.
msgfmt:
	@command -v msgfmt >/dev/null || { \
	  echo "Installing Debian's gettext (msgfmt) for the editions' tests..."; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update && $$SUDO apt-get install -y gettext; \
	} || { echo "Could not install gettext: run 'apt-get install -y gettext' as root, then make test."; exit 1; }

# The Chinese edition's figures draw their words in WenQuanYi Micro Hei
# (derivations.teaching.figures.cjk_font); every build draws them.
fonts:
	@test -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc || { \
	  echo "Installing Debian's fonts-wqy-microhei for the Chinese figures..."; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update && $$SUDO apt-get install -y fonts-wqy-microhei; \
	} || { echo "Could not install the font: run 'apt-get install -y fonts-wqy-microhei' as root, then try again."; exit 1; }

# The browser tests drive Debian's chromium through Playwright (the pip package
# in requirements.txt). Never `playwright install`: it downloads browsers.
chromium:
	@test -x /usr/bin/chromium || { \
	  echo "Installing Debian's chromium for the browser tests..."; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update && $$SUDO apt-get install -y chromium; \
	} || { echo "Could not install chromium: run 'apt-get install -y chromium' as root, then make test."; exit 1; }
	@$(PY) -c "import playwright.sync_api" 2>/dev/null || { echo "The playwright package is missing: $(PY) -m pip install -r requirements.txt"; exit 1; }

# The printed book: Jupyter Book's LaTeX builder (xelatex, tools/book_pdf.py)
# into _build/latex/, as strict as `make book`, then _build/pdf/book.pdf.
pdf: setup fonts tex _build/.library-stamp
	$(JB) build . --builder pdflatex $(BUILD_FLAGS)
	@mkdir -p _build/pdf && cp _build/latex/book.pdf _build/pdf/book.pdf
	@echo
	@echo "The PDF is _build/pdf/book.pdf"

# TeX for the PDF and its tests, from Debian's packages when it is missing
# (about 370 MB, a minute or two; apt-get, so root or sudo): xelatex with the
# LaTeX packages Sphinx loads, FreeFont for the book's Unicode, latexmk, and
# poppler-utils (pdffonts, pdftotext, pdfimages) for tests/site/test_pdf.py.
TEX_PACKAGES := texlive-xetex texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended \
	fonts-freefont-otf latexmk poppler-utils
TEX_FILES := fncychap.sty titlesec.sty tabulary.sty newunicodechar.sty ucharclasses.sty unicode-math.sty
tex:
	@{ command -v xelatex && command -v latexmk && command -v pdffonts && command -v pdfimages && \
	   kpsewhich $(TEX_FILES) | [ $$(wc -l) = $(words $(TEX_FILES)) ] && \
	   fc-list FreeSerif | grep -q . ; } >/dev/null 2>&1 || { \
	  echo "Installing TeX from Debian's packages for the PDF..."; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(TEX_PACKAGES); \
	} || { echo "Could not install TeX: run 'apt-get install -y --no-install-recommends $(TEX_PACKAGES)' as root, then try again."; exit 1; }

# JupyterLab on the learner's own copies of the chapters (tools/lab.py): notebooks
# in lab/ (git-ignored), made from book/ and never written back to it. A copy the
# learner has edited is never overwritten. STUDENT=1 opens copies without the
# solutions (lab/student/); FRESH=1 sets edited copies aside and writes new
# ones; LAB_COPIES=dir puts the copies elsewhere. LAB_ARGS passes flags to jupyter lab, e.g.
#   make lab LAB_ARGS="--no-browser --port 8899 --IdentityProvider.token=abc"
# --allow-root: JupyterLab refuses to start as root without it (containers).
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings
LAB_ARGS ?=
STUDENT ?=
LAB_COPIES ?= lab
LAB_DIR := $(LAB_COPIES)$(if $(STUDENT),/student)
lab: setup fonts
	$(PY) tools/lab.py copies $(if $(STUDENT),--student) $(if $(FRESH),--fresh) $(if $(LAB_COPIES),--out $(LAB_COPIES)) $(if $(EDITION),--language $(EDITION))
	@mkdir -p $(LAB_SETTINGS)
	@cp binder/overrides.json $(LAB_SETTINGS)/overrides.json
	$(VENV)/bin/jupyter lab --ServerApp.ip=127.0.0.1 --allow-root --ServerApp.root_dir=$(LAB_DIR) $(LAB_ARGS)

# Coursework (see book/14_instructors.md). Student notebooks and a student site
# with every solution removed, checked for leftover solution text.
student: setup
	$(PY) tools/student.py all

# One otter-grader assignment per chapter: _build/assignments/<chapter>/{student,autograder}.
assignments: setup
	$(PY) tools/assignments.py

serve:
	@test -f _build/html/index.html || { echo "No built site: run make book first."; exit 1; }
	@echo "Serving the book at http://127.0.0.1:$(PORT)/ (Ctrl-C to stop)"
	$(PY) -m http.server $(PORT) --bind 127.0.0.1 --directory _build/html

# What each softmax backward pass costs (book/12_cost.md): prints a table and
# writes _build/bench/results.json. A few minutes; ratios, never pass/fail.
bench: setup
	$(PY) benchmarks/bench_costs.py --out _build/bench/results.json

# Record a run for chapter 12, which quotes the recorded numbers (on a quiet machine).
bench-record: setup
	$(PY) benchmarks/bench_costs.py --out src/derivations/data/bench_results.json

clean:
	rm -rf _build

# Grade a folder of submitted notebooks offline, without Docker, into a CSV
# gradebook (tools/grade.py; see book/14_instructors.md). ASSIGNMENT=<chapter>
# (or its number, e.g. 06) grades every notebook against that chapter; without
# it each notebook's own assignment is used. Missing assignments are built first.
#   make grade SUBMISSIONS=dir [ASSIGNMENT=06_backward_any_loss] [GRADEBOOK=file.csv]
SUBMISSIONS ?=
ASSIGNMENT ?=
GRADEBOOK ?=
grade: setup
	@test -n "$(SUBMISSIONS)" || { echo "Usage: make grade SUBMISSIONS=dir [ASSIGNMENT=chapter] [GRADEBOOK=file.csv]"; exit 2; }
	$(PY) tools/grade.py "$(SUBMISSIONS)" $(if $(ASSIGNMENT),--assignment "$(ASSIGNMENT)") $(if $(GRADEBOOK),--out "$(GRADEBOOK)")
