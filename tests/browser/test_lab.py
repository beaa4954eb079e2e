"""A learner in a real JupyterLab, started the way the README says: ``make lab``.

The server is ``make lab LAB_ARGS="--no-browser --port P --IdentityProvider.token=T"``
on copies in ``_build/lab-test`` (so a developer's own ``lab/`` is left alone),
with links pointing at the locally served build of the book. For chapters 1,
6, 11 and 13 a learner's copy is opened and run with Run All, and the test
asserts what a learner would see: MyST rendered (no raw roles, labels or
directives), solutions closed, no error output, the explorers answering, every
link to the book reaching a page that has the anchor, and ``book/`` untouched
after autosave. Then an exercise is done as a learner does it: a correct and
a wrong function typed into the stub, each followed by the check.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tools import lab, student

ROOT = Path(__file__).resolve().parents[2]
COPIES = ROOT / "_build" / "lab-test"
CHAPTERS = ["01_puzzle", "06_backward_any_loss", "11_training", "13_mistakes"]
AUTOSAVE_SECONDS = 120  # JupyterLab's default autosave interval

# What raw MyST looks like when a front end does not understand it.
RAW_MYST = [
    re.compile(r"\{(ref|numref|doc|eq|term|download)\}`"),
    re.compile(r"^\s*\(?[\w-]+\)=\s*$", re.M),
    re.compile(r"(`{3,}|:{3,})\s*\{[\w-]+\}"),
    re.compile(r"^\s*:(label|class|tags|name|pyobject):", re.M),
    re.compile(r"\{(exercise|solution|admonition|dropdown)(-start|-end)?\}"),
]

RUN_TIMES: dict[str, float] = {}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _git_status() -> str:
    return subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True).stdout


def _book_digest() -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((ROOT / "book").glob("*.md"))}


@pytest.fixture(scope="module")
def lab_server(site_url):
    """``make lab`` on fresh copies whose links point at the local site."""
    if COPIES.exists():
        import shutil

        shutil.rmtree(COPIES)
    port, token = _free_port(), secrets.token_hex(8)
    env = {**os.environ, "DERIVATIONS_BOOK_URL": site_url}
    # expose_app_in_browser: the test drives Lab's own commands (Run All) as the menus do
    # Its own settings and workspaces, so a developer's JupyterLab state plays no part.
    state = ROOT / "_build" / "lab-test-state"
    args = (
        f"--no-browser --port {port} --IdentityProvider.token={token} --LabApp.expose_app_in_browser=True"
        f" --LabApp.user_settings_dir={state / 'settings'} --LabApp.workspaces_dir={state / 'workspaces'}"
    )
    before = (_git_status(), _book_digest())
    log = open(ROOT / "_build" / "lab-test.log", "w")
    proc = subprocess.Popen(
        ["make", "lab", f"LAB_COPIES={COPIES}", f"LAB_ARGS={args}"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log_tail = (ROOT / "_build" / "lab-test.log").read_text()[-3000:]
            pytest.fail(f"make lab exited with {proc.returncode}: {log_tail}")
        try:
            with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(1)
    else:
        pytest.fail("JupyterLab did not answer within 180 s")
    started = time.monotonic()
    try:
        yield {"base": base, "token": token, "before": before, "started": started, "site": site_url}
    finally:
        os.killpg(proc.pid, 15)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
        log.close()


@pytest.fixture(scope="module")
def lab_page(browser, lab_server):
    """One browser page for the module; requests that would leave the machine are refused and recorded."""
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.console_errors = []
    page.on("console", lambda m: page.console_errors.append(m.text[:300]) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.console_errors.append(f"uncaught: {e}"))
    page.external_requests = []
    local = (lab_server["base"], lab_server["site"], "data:", "blob:", "about:")

    def route(route):
        if route.request.url.startswith(local):
            route.continue_()
        else:
            page.external_requests.append(route.request.url)
            route.abort("blockedbyclient")

    context.route("**/*", route)
    yield page
    context.close()


_KERNEL_IDLE = (
    "() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
    " const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;"
    " return !!k && k.status === 'idle'; }"
)


def _open(page, server, path):
    # ?reset: a fresh workspace, so only this notebook is open
    page.goto(f"{server['base']}/lab/tree/{path}?reset&token={server['token']}")
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", state="attached")
    page.wait_for_function(_KERNEL_IDLE, timeout=120_000)
    page.wait_for_timeout(2000)  # jupyterlab-myst renders the Markdown cells


def _close_all(page):
    page.keyboard.press("Escape")
    page.evaluate("() => window.jupyterapp && window.jupyterapp.commands.execute('application:close-all')")
    page.wait_for_timeout(1000)
    for button in page.locator(".jp-Dialog button.jp-mod-warn, .jp-Dialog button:has-text('Discard')").all():
        button.click()


SELECT_LAST_CELL = """() => {
  const nb = window.jupyterapp.shell.currentWidget.content;
  nb.activeCellIndex = nb.widgets.length - 1;
}"""


def _command(page, name, args=None):
    """Run a JupyterLab command as the menus do."""
    page.evaluate("([n, a]) => window.jupyterapp.commands.execute(n, a || {})", [name, args])


def _markdown_text(page) -> str:
    """What the rendered Markdown shows, in cells and in outputs, outside code blocks."""
    return page.evaluate(
        """() => [...document.querySelectorAll(
                '.jp-Notebook .jp-RenderedMarkdown, .jp-Notebook .jp-RenderedMySTMarkdown, .jp-Notebook .myst')]
              .map(e => {
                const c = e.cloneNode(true);
                c.querySelectorAll('pre, code').forEach(x => x.remove());
                return c.innerText;
              })
              .join('\\n')"""
    )


def _run_all(page):
    """Run > Run All Cells, from the menu; returns the seconds until every code cell ran."""
    start = time.monotonic()
    page.locator('.lm-MenuBar-itemLabel:text-is("Run")').click()
    page.locator('.lm-Menu-itemLabel:text-is("Run All Cells")').click()
    page.wait_for_timeout(1000)
    page.wait_for_function(
        "() => { const nb = window.jupyterapp.shell.currentWidget.content;"
        " return nb.widgets.filter(c => c.model.type === 'code').every(c => c.model.executionCount !== null); }",
        timeout=600_000,
    )
    page.wait_for_function(_KERNEL_IDLE, timeout=600_000)
    return time.monotonic() - start


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_a_chapter_runs_in_lab_as_it_reads_on_the_page(lab_page, lab_server, screenshot_dir, chapter):
    page = lab_page
    _open(page, lab_server, f"{chapter}.ipynb")
    assert page.evaluate("() => !!window.jupyterapp"), "JupyterLab did not start"

    # opening the copy changes nothing: no tab marked modified
    assert not page.locator(".jp-NotebookPanel.jp-mod-dirty, .lm-TabBar-tab.jp-mod-dirty").count(), \
        "the copy is marked modified right after opening"

    text = _markdown_text(page)
    assert len(text) > 500, "the Markdown cells did not render"
    for pattern in RAW_MYST:
        found = pattern.search(text)
        assert found is None, f"raw MyST in the rendered {chapter}: {found[0]!r}"

    # no solution is readable before a click
    full = (ROOT / "book" / f"{chapter}.md").read_text(encoding="utf-8")
    visible = student.normalise(page.inner_text(".jp-NotebookPanel .jp-Notebook"))
    pieces = student.solution_fragments({f"{chapter}.md": full})[f"{chapter}.md"]
    shown = [p for p in pieces if p in visible]
    assert not shown, f"solution text visible before a click: {shown[:3]}"
    n_solutions = len(student.solutions(full))
    assert page.locator(".jp-Notebook details:not([open])").count() >= n_solutions

    # hidden setup cells start collapsed, as on the page
    assert page.locator(".jp-CodeCell .jp-InputPlaceholder").count() >= 1, "the setup cell's code is shown"

    seconds = _run_all(page)
    RUN_TIMES[chapter] = seconds
    print(f"\n{chapter}: Run All took {seconds:.1f} s in JupyterLab")
    page.wait_for_timeout(1500)
    page.screenshot(path=str(screenshot_dir / f"lab-{chapter}.png"))

    errors = page.locator(
        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"], '
        '.jp-RenderedText[data-mime-type="application/vnd.jupyter.error"]'
    )
    assert errors.count() == 0, f"error output in {chapter}: {errors.first.inner_text()[:800]}"
    outputs = page.inner_text(".jp-Notebook")
    assert "Traceback" not in outputs
    assert "/work/" not in outputs and str(ROOT) not in outputs, "a build path is shown"
    if "NotImplementedError(" in full:
        assert "not implemented yet" in outputs, "an unfinished stub should get the verdict 'not implemented yet'"

    assert not page.external_requests, f"JupyterLab tried to reach other servers: {page.external_requests[:5]}"
    assert not page.console_errors, f"console errors: {page.console_errors[:5]}"

    # every link to the book reaches a page with the anchor
    hrefs = page.evaluate("() => [...document.querySelectorAll('.jp-Notebook a[href]')].map(a => a.href)")
    book_links = sorted({h for h in hrefs if h.startswith(lab_server["site"])})
    assert book_links or chapter == "13_mistakes" or "{ref}" not in full
    for href in book_links:
        url, _, anchor = href.partition("#")
        with urllib.request.urlopen(url, timeout=10) as r:
            assert r.status == 200, href
            html = r.read().decode("utf-8", "replace")
        if anchor:
            assert f'id="{anchor}"' in html, f"{href}: the page has no such anchor"
    others = [h for h in hrefs if not h.startswith((lab_server["site"], lab_server["base"])) and not h.startswith("#")]
    # links out of the book are only to its sources (not fetched: no network here)
    assert all(h.startswith("https://") for h in others), others

    # the explorers render, and moving a slider changes the value on the Python side
    if page.locator(".dx-explorer, .dx-root, [class*='dx-']").count():
        assert page.locator("input[type=range]").count() > 0, "an explorer rendered without its sliders"
        before = _python_side_state(page)
        slider = page.locator("input[type=range]").first
        slider.focus()
        for _ in range(5):
            page.keyboard.press("ArrowRight")
        page.wait_for_timeout(1500)
        after = _python_side_state(page)
        assert before != after, "moving a slider did not change the widget's state in the kernel"
    _close_all(page)


def _python_side_state(page) -> str:
    """The explorers' synced state as the kernel sees it, read by a cell added at the end."""
    code = (
        "import json as _j\n"
        "from ipywidgets.widgets.widget import _instances as _w\n"
        "print('STATE', _j.dumps(sorted([{k: v for k, v in w.get_state().items() if not k.startswith('_')} "
        "for w in _w.values() if type(w).__module__.startswith('derivations')], key=str), default=str))"
    )
    page.keyboard.press("Escape")
    page.evaluate(SELECT_LAST_CELL)
    _command(page, "notebook:insert-cell-below")
    page.evaluate(
        "code => { const nb = window.jupyterapp.shell.currentWidget.content;"
        " nb.activeCell.model.sharedModel.setSource(code); }",
        code,
    )
    _command(page, "notebook:run-cell")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.jp-OutputArea-output')].some(e => e.innerText.includes('STATE'))"
    )
    page.wait_for_timeout(500)
    texts = page.evaluate(
        "() => [...document.querySelectorAll('.jp-OutputArea-output')]"
        ".map(e => e.innerText).filter(t => t.includes('STATE'))"
    )
    state = texts[-1]
    # remove the probe again, as a learner would
    page.evaluate(SELECT_LAST_CELL)
    _command(page, "notebook:delete-cell")
    return state


def _cell_index(page, predicate_js, arg):
    return page.evaluate(
        "([p, a]) => { const nb = window.jupyterapp.shell.currentWidget.content;"
        " const f = new Function('c', 'a', p); return nb.widgets.findIndex(c => f(c, a)); }",
        [predicate_js, arg],
    )


def _run_as_source(page, index, source):
    """Replace the source of code cell ``index`` with ``source`` as a learner pastes it, and run it."""
    cells = page.locator(".jp-Notebook > .jp-Cell, .jp-Notebook .jp-WindowedPanel-viewport > .jp-Cell")
    editor = cells.nth(index).locator(".cm-content")
    editor.scroll_into_view_if_needed()
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    # as pasted text: typed key by key, the editor would add its own indentation
    page.keyboard.insert_text(source.strip("\n"))
    page.keyboard.press("Shift+Enter")
    return cells


def _type_into_stub(page, function, source):
    """Type ``source`` over the stub of ``function``, run it, then run its check; return the verdict."""
    stub = _cell_index(
        page, "return c.model.type === 'code' && /^def /.test(c.model.sharedModel.getSource())"
        " && c.model.sharedModel.getSource().startsWith('def ' + a + '(')", function,
    )
    assert stub >= 0, f"no stub for {function}"
    check = _cell_index(
        page, "return c.model.type === 'code' && c.model.sharedModel.getSource().includes('check(')"
        " && c.model.sharedModel.getSource().includes(a)", function,
    )
    assert check > stub, "the check comes after the stub"
    cells = _run_as_source(page, stub, source)
    page.wait_for_function(_KERNEL_IDLE)
    before = cells.nth(check).locator(".jp-OutputArea").inner_text()
    check_editor = cells.nth(check).locator(".cm-content")
    check_editor.scroll_into_view_if_needed()
    check_editor.click()
    page.keyboard.press("Shift+Enter")
    page.wait_for_timeout(500)
    page.wait_for_function(_KERNEL_IDLE, timeout=120_000)
    page.wait_for_function(
        "([i, old]) => { const c = window.jupyterapp.shell.currentWidget.content.widgets[i];"
        " const t = c.node.querySelector('.jp-OutputArea').innerText; return /[✓✗]/.test(t) && t !== old; }",
        arg=[check, before],
        timeout=120_000,
    )
    cells.nth(check).scroll_into_view_if_needed()
    return cells.nth(check).locator(".jp-OutputArea").inner_text()


CORRECT_SOFTMAX = """
def my_softmax(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)
"""

WRONG_SOFTMAX = """
def my_softmax(z):
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)
"""


def test_a_learner_does_the_exercise_and_reads_both_verdicts(lab_page, lab_server, screenshot_dir):
    page = lab_page
    _open(page, lab_server, "01_puzzle.ipynb")
    _run_all(page)
    good = _type_into_stub(page, "my_softmax", CORRECT_SOFTMAX)
    assert "✓" in good and "passed" in good, good
    page.screenshot(path=str(screenshot_dir / "lab-exercise-correct.png"))
    bad = _type_into_stub(page, "my_softmax", WRONG_SOFTMAX)
    assert "✗" in bad and "no-max-shift" in bad, bad
    assert "Read why" in bad
    page.screenshot(path=str(screenshot_dir / "lab-exercise-wrong.png"))
    link = page.locator(".jp-Notebook .derivations-check a[href]").last
    href = link.get_attribute("href")
    assert href.startswith(lab_server["site"]), href
    with urllib.request.urlopen(href.partition("#")[0], timeout=10) as r:
        assert r.status == 200
    _close_all(page)


def test_an_editions_student_notebook_speaks_its_language_in_lab(lab_page, lab_server, screenshot_dir):
    """The Spanish student notebook (make student): its first cell sets the language, so after Run All
    the figures and the explorers are in Spanish, and so is the verdict on a learner's wrong function."""
    written = student.write_notebooks(COPIES / "edition", ROOT, ["01_puzzle.md"], languages=("es",))
    assert COPIES / "edition" / "es" / "01_puzzle.ipynb" in written
    page = lab_page
    _open(page, lab_server, "edition/es/01_puzzle.ipynb")
    _run_all(page)
    errors = page.locator(".jp-Notebook .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert errors.count() == 0, errors.first.inner_text()
    alts = page.evaluate("() => [...document.querySelectorAll('.jp-Notebook .dfig-figure img')].map(i => i.alt)")
    assert alts and all(re.search(r"\b(de|las?|los?|una?|el)\b", a) for a in alts), alts
    assert not page.locator(".jp-Notebook template").count(), "a notebook holds one language only"
    bad = _type_into_stub(page, "my_softmax", WRONG_SOFTMAX)
    assert "todavía no es correcta" in bad and "no-max-shift" in bad, bad
    page.screenshot(path=str(screenshot_dir / "lab-edition-es-verdict.png"))
    href = page.locator(".jp-Notebook .derivations-check a[href]").last.get_attribute("href")
    assert href.startswith(lab_server["site"] + "es/"), href
    with urllib.request.urlopen(href.partition("#")[0], timeout=10) as r:
        assert r.status == 200
    _close_all(page)


def test_an_editions_lab_copy_speaks_its_language_in_lab(lab_page, lab_server, screenshot_dir):
    """The Chinese copy that an edition page's launch button opens (tools/lab.py copies --language zh_CN,
    as binder/postBuild and `make lab EDITION=zh_CN` run it): after Run All the figures' alt text and the
    explorer are in Chinese, a wrong function's verdict is too, and passing a result instead of the
    function is refused in Chinese."""
    report = lab.write_copies(COPIES / "zh_CN", lang="zh_CN", chapters=["01_puzzle.md"])
    assert report.written == [COPIES / "zh_CN" / "01_puzzle.ipynb"]
    page = lab_page
    _open(page, lab_server, "zh_CN/01_puzzle.ipynb")
    assert not page.locator(".lm-TabBar-tab.jp-mod-dirty").count(), "the copy is marked modified right after opening"
    _run_all(page)
    page.wait_for_timeout(1000)
    errors = page.locator(".jp-Notebook .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert errors.count() == 0, errors.first.inner_text()
    han = re.compile(r"[\u4e00-\u9fff]")
    alts = page.evaluate("() => [...document.querySelectorAll('.jp-Notebook .dfig-figure img')].map(i => i.alt)")
    assert alts and all(han.search(a) for a in alts), alts
    explorer = page.locator(".jp-Notebook .dx-explorer, .jp-Notebook .dx-root").first
    explorer.scroll_into_view_if_needed()
    assert han.search(explorer.inner_text()), explorer.inner_text()[:300]
    page.screenshot(path=str(screenshot_dir / "lab-edition-zh_CN-explorer.png"))
    bad = _type_into_stub(page, "my_softmax", WRONG_SOFTMAX)
    assert "还不正确" in bad and "no-max-shift" in bad, bad
    href = page.locator(".jp-Notebook .derivations-check a[href]").last.get_attribute("href")
    assert href.startswith(lab_server["site"] + "zh_CN/"), href
    # a learner's usual slip: the result of the function instead of the function
    _command(page, "notebook:insert-cell-below")
    new_cell = page.evaluate("() => window.jupyterapp.shell.currentWidget.content.activeCellIndex")
    _run_as_source(page, new_cell, 'check("softmax", my_softmax(np.zeros((2, 3))))')
    page.wait_for_timeout(500)
    page.wait_for_function(_KERNEL_IDLE, timeout=60_000)
    refused = page.locator(".jp-Notebook .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr'],"
                           " .jp-Notebook .jp-RenderedText[data-mime-type='application/vnd.jupyter.stderr']").last
    text = refused.inner_text()
    assert "TypeError" in text and "不带括号的 my_softmax" in text, text[-600:]
    _close_all(page)


def test_student_copies_open_in_lab_without_solutions(lab_page, lab_server):
    report = lab.write_copies(COPIES / "student", student_copy=True, chapters=["06_backward_any_loss.md"])
    assert report.written
    page = lab_page
    _open(page, lab_server, "student/06_backward_any_loss.ipynb")
    full = (ROOT / "book" / "06_backward_any_loss.md").read_text(encoding="utf-8")
    html_text = student.normalise(page.evaluate("() => document.querySelector('.jp-Notebook').textContent"))
    pieces = student.solution_fragments({"06_backward_any_loss.md": full})["06_backward_any_loss.md"]
    assert pieces and not [p for p in pieces if p in html_text]
    assert "Solution to" not in html_text
    _close_all(page)


def test_after_autosave_the_book_sources_are_untouched(lab_page, lab_server):
    """Runs last in this module: by then every copy has been run and edited."""
    wait = AUTOSAVE_SECONDS + 10 - (time.monotonic() - lab_server["started"])
    if wait > 0:
        time.sleep(wait)
    status, book = lab_server["before"]
    assert _book_digest() == book, "JupyterLab changed a file in book/"
    assert _git_status() == status, f"the working tree changed:\n{_git_status()}"
    # the copies themselves were saved by autosave, where they belong
    assert any(p.stat().st_mtime > time.time() - AUTOSAVE_SECONDS - 600 for p in COPIES.glob("*.ipynb"))
    print("\nRun All in JupyterLab: " + ", ".join(f"{c} {s:.1f} s" for c, s in RUN_TIMES.items()))
