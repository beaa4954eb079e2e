"""The explorers in a real browser: on the built site, and in a bare harness.

On the built site (``built_site``/``site_url``/``page`` from conftest, every
request that leaves 127.0.0.1 aborted), each explorer is driven through its
own controls (range inputs filled and moved with the keyboard, options
selected, numbers typed, buttons clicked). The full-precision ``<output>``
values the page computes in JavaScript are compared with what
``derivations`` computes in Python for the same inputs, to 1e-6 relative.
The time from an input event to the updated page is measured and written to
``_build/screenshots/latency.json`` (reported, never asserted), and
screenshots in the light and dark themes, and at a phone's width, go to
``_build/screenshots/``.

The harness tests run the same ES modules with a stand-in for the widget
model (tests/widget_harness/), which needs no book build; they also check
that what the page sends back to a kernel is accepted by the Python side.
"""

from __future__ import annotations

import json
import shutil
import statistics
from pathlib import Path

import numpy as np
import pytest

from derivations.widgets import DescentExplorer, JacobianExplorer, LogitsExplorer, ToyNetworkExplorer

HARNESS = Path(__file__).resolve().parent.parent / "widget_harness"
RTOL = 1e-6

EXPLORERS = {
    "logits": (LogitsExplorer, ".dx-logits"),
    "jacobian": (JacobianExplorer, ".dx-jacobian"),
    "toy_network": (ToyNetworkExplorer, ".dx-toy"),
    "descent": (DescentExplorer, ".dx-descent"),
}
# where each explorer is placed in the book: after the static figure of its section
CHAPTER_OF = {
    "logits": ("book/01_puzzle.html", "puzzle-explorer"),
    "jacobian": ("book/02_quotient_rule.html", "jacobian-explorer"),
    "toy_network": ("book/04_toy_network.html", "toy-network-explorer"),
    "descent": ("book/11_training.html", "descent-explorer"),
}


def _anywidget_id(cls):
    return f"{cls.__module__}.{cls.__name__}"


# ------------------------------------------------------------------ page helpers


def read_outputs(page, root):
    """Every ``<output name=...>`` inside the explorer, as floats."""
    values = page.eval_on_selector_all(
        f"{root} output", "els => els.map(e => [e.getAttribute('name'), e.value])"
    )
    return {name: float(value) for name, value in values}


def input_value(page, root, name):
    return float(page.eval_on_selector(f"{root} [name='{name}']", "e => e.value"))


def close(actual, expected):
    np.testing.assert_allclose(np.asarray(actual, dtype=float), np.asarray(expected, dtype=float),
                               rtol=RTOL, atol=1e-12)


def wait_ready(page, root):
    page.wait_for_selector(f"{root} output[name='loss'], {root} output[name='rowsum0']", state="attached")


def measure_latency(page, selector, values, event="input"):
    """Milliseconds from dispatching ``event`` on ``selector`` to (a) the DOM
    updated (the explorers redraw in a microtask) and (b) the next painted
    frame, for each value in turn. Returns summary statistics."""
    samples = page.evaluate(
        """async ([selector, values, event]) => {
            const input = document.querySelector(selector);
            const out = [];
            for (const v of values) {
                const t0 = performance.now();
                if (event === "click") { input.click(); } else {
                    input.value = String(v);
                    input.dispatchEvent(new Event(event, { bubbles: true }));
                }
                await Promise.resolve();
                await Promise.resolve();
                const t1 = performance.now();
                await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
                out.push([t1 - t0, performance.now() - t0]);
            }
            return out;
        }""",
        [selector, list(values), event],
    )
    update = [s[0] for s in samples]
    frame = [s[1] for s in samples]
    q = lambda xs, f: sorted(xs)[min(len(xs) - 1, int(f * len(xs)))]  # noqa: E731
    return {
        "events": len(samples),
        "update_ms_median": round(statistics.median(update), 3),
        "update_ms_p95": round(q(update, 0.95), 3),
        "next_frame_ms_median": round(statistics.median(frame), 3),
        "next_frame_ms_p95": round(q(frame, 0.95), 3),
    }


def report_latency(screenshot_dir, key, numbers):
    path = screenshot_dir / "latency.json"
    data = json.loads(path.read_text()) if path.exists() else {}
    data[key] = numbers
    path.write_text(json.dumps(data, indent=2, sort_keys=True))
    print(f"latency {key}: {numbers}")


def set_theme(page, mode):
    # what the theme's own switch does: data-theme on <html>
    page.evaluate("m => { document.documentElement.dataset.theme = m; "
                  "document.documentElement.dataset.mode = m; }", mode)
    page.wait_for_timeout(100)


def shoot(page, root, screenshot_dir, name):
    page.locator(root).first.screenshot(path=str(screenshot_dir / f"{name}.png"))


# ------------------------------------------------------------ driving each explorer


def drive_logits(page, root):
    """Set every kind of control; return the explorer Python builds from the
    values the page's inputs ended up holding."""
    page.select_option(f"{root} select[name='C']", "10")
    page.wait_for_selector(f"{root} input[name='z9']")
    zs = [1.3, -2.7, 0.4, 3.9, -0.6, 2.2, -4.1, 0.0, 1.7, -1.1]
    for j, v in enumerate(zs):
        page.fill(f"{root} input[name='z{j}']", str(v))
    # the keyboard, as a reader without a mouse would: two steps up on z2
    page.focus(f"{root} input[name='z2']")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert input_value(page, root, "z2") == pytest.approx(0.6)  # 0.4 and two steps of 0.1
    page.select_option(f"{root} select[name='target']", "3")
    page.fill(f"{root} input[name='temperature']", "0.7")
    page.fill(f"{root} input[name='label_smoothing']", "0.15")
    return LogitsExplorer(
        z=[input_value(page, root, f"z{j}") for j in range(10)],
        target=3,
        temperature=input_value(page, root, "temperature"),
        label_smoothing=input_value(page, root, "label_smoothing"),
    )


def check_logits(page, root, ex):
    out = read_outputs(page, root)
    C = ex.C
    close([out[f"p{j}"] for j in range(C)], ex.p)
    close([out[f"t{j}"] for j in range(C)], ex.t)
    close([out[f"grad{j}"] for j in range(C)], ex.grad)
    close([out[f"diag{j}"] for j in range(C)], ex.diag_grad)
    close(out["loss"], ex.loss)
    close(out["tsum"], ex.t.sum())


def drive_logits_soft(page, root):
    page.select_option(f"{root} select[name='target']", "soft")
    page.wait_for_selector(f"{root} input[name='soft_target9']", state="visible")
    soft = [0.0, 0.25, 0.0, 0.6, 0.0, 0.0, 0.3, 0.0, 0.0, 0.1]  # sums to 1.25
    for j, v in enumerate(soft):
        page.fill(f"{root} input[name='soft_target{j}']", str(v))
    return LogitsExplorer(
        z=[input_value(page, root, f"z{j}") for j in range(10)],
        target=[input_value(page, root, f"soft_target{j}") for j in range(10)],
        temperature=input_value(page, root, "temperature"),
        label_smoothing=input_value(page, root, "label_smoothing"),
    )


def drive_jacobian(page, root):
    page.select_option(f"{root} select[name='C']", "10")
    page.wait_for_selector(f"{root} output[name='J9_9']", state="attached")
    zs = [0.5, -1.5, 2.4, 0.1, -0.3, 1.8, -2.2, 0.9, 3.1, -0.7]
    for j, v in enumerate(zs):
        page.fill(f"{root} input[name='z{j}']", str(v))
    page.focus(f"{root} input[name='z0']")
    page.keyboard.press("ArrowLeft")
    assert input_value(page, root, "z0") == pytest.approx(0.4)
    return JacobianExplorer(z=[input_value(page, root, f"z{j}") for j in range(10)])


def check_jacobian(page, root, ex):
    out = read_outputs(page, root)
    C = ex.C
    close([[out[f"J{i}_{j}"] for j in range(C)] for i in range(C)], ex.jacobian)
    close([out[f"p{j}"] for j in range(C)], ex.p)
    sums = np.array([out[f"rowsum{i}"] for i in range(C)])
    assert np.all(np.abs(sums) < 1e-12), sums  # each row sums to 0


def drive_toy(page, root):
    h = [0.7, -1.4, 2.1]
    w = [[0.3, -0.8], [1.2, 0.5], [-0.6, 0.9]]
    t = [0.35, 0.8]
    for i, v in enumerate(h):
        page.fill(f"{root} input[name='h{i + 1}']", str(v))
    for i in range(3):
        for j in range(2):
            page.fill(f"{root} input[name='w{i + 1}{j + 1}']", str(w[i][j]))
    for k, v in enumerate(t):
        page.fill(f"{root} input[name='t{k + 1}']", str(v))
    # arrow keys step a number field by its step (0.1)
    page.focus(f"{root} input[name='w21']")
    page.keyboard.press("ArrowUp")
    assert input_value(page, root, "w21") == pytest.approx(1.3)
    return ToyNetworkExplorer(
        h=[input_value(page, root, f"h{i + 1}") for i in range(3)],
        w=[[input_value(page, root, f"w{i + 1}{j + 1}") for j in range(2)] for i in range(3)],
        t=[input_value(page, root, f"t{k + 1}") for k in range(2)],
    )


def check_toy(page, root, ex):
    out = read_outputs(page, root)
    close([out["y1"], out["y2"]], ex.y)
    close([out["o1"], out["o2"]], ex.o)
    close(out["loss"], ex.loss)
    close([out["dL_do1"], out["dL_do2"]], ex.dL_do)
    close([out["dL_dy1"], out["dL_dy2"]], ex.dL_dy)
    close([out[f"dL_dh{i + 1}"] for i in range(3)], ex.dL_dh)
    close([[out[f"dL_dw{i + 1}{j + 1}"] for j in range(2)] for i in range(3)], ex.grad_w)
    close([[out[f"diag_dw{i + 1}{j + 1}"] for j in range(2)] for i in range(3)], ex.diag_grad_w)
    close([[out[f"do{k + 1}_dy{j + 1}"] for j in range(2)] for k in range(2)], ex.do_dy)
    close([[out[f"msg_y{j + 1}_o{k + 1}"] for j in range(2)] for k in range(2)], ex.edge_messages)
    close([out["path1"], out["path2"]], ex.paths_w21)
    close(out["path_sum"], ex.grad_w[1, 0])
    close(out["closed_form"], ex.grad_w[1, 0])
    close(out["diag_w21"], ex.diag_grad_w[1, 0])


def check_descent(page, root, ex):
    out = read_outputs(page, root)
    assert out["steps"] == ex.steps
    close([[out[f"W{c}_{d}"] for d in range(2)] for c in range(ex.C)], ex.W)
    close([out[f"b{c}"] for c in range(ex.C)], ex.b)
    close(out["loss"], ex.loss)
    close(out["accuracy"], ex.accuracy)


def drive_descent(page, root):
    page.fill(f"{root} input[name='lr']", "0.8")
    for _ in range(5):
        page.click(f"{root} button[name='step']")
    page.wait_for_function(
        f"document.querySelector(\"{root} output[name='steps']\").value === '5'")
    ex = DescentExplorer(lr=input_value(page, root, "lr"))
    ex.step(5)
    return ex


def run_descent(page, root, ex):
    """Run (200 steps, one per frame) and compare with 200 Python steps."""
    page.click(f"{root} button[name='run']")
    page.wait_for_function(
        f"document.querySelector(\"{root} output[name='steps']\").value === '205'", timeout=60_000)
    page.wait_for_function(f"document.querySelector(\"{root} button[name='run']\").textContent === 'Run'")
    ex.step(200)
    check_descent(page, root, ex)
    page.click(f"{root} button[name='reset']")
    ex.reset()
    check_descent(page, root, ex)


# ------------------------------------------------------------------ on the built site


def _pages_embedding(site, cls):
    ident = _anywidget_id(cls)
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if ident in p.read_text(errors="ignore"))


def _open_explorer(page, site_url, built_site, key):
    cls, root = EXPLORERS[key]
    pages = _pages_embedding(built_site, cls)
    assert pages, f"no page of {built_site} embeds a {cls.__name__}"
    page.goto(site_url + pages[0])
    wait_ready(page, root)
    return root, pages[0]


def _no_errors(page):
    assert page.console_errors == [], page.console_errors
    assert page.failed_requests == [], page.failed_requests
    assert page.external_requests == [], page.external_requests


@pytest.mark.parametrize("key", list(CHAPTER_OF))
def test_explorer_is_placed_after_its_static_figure(built_site, key):
    cls, _ = EXPLORERS[key]
    path, label = CHAPTER_OF[key]
    html_file = built_site / path
    assert html_file.exists(), f"{path} is not in the built site"
    html = html_file.read_text()
    assert _anywidget_id(cls) in html, f"{path} does not embed a {cls.__name__}"
    # the explorer comes after the section's static figure (for readers without JavaScript)
    section = html.find(f'id="{label}"')
    assert section >= 0, f"{path} has no section {label}"
    figure = html.find("<img", section)
    view = html.find("application/vnd.jupyter.widget-view+json", section)
    assert 0 <= figure < view, f"in {path}, the {cls.__name__} should follow the static figure of {label}"


def test_logits_explorer_on_the_site(page, site_url, built_site, screenshot_dir):
    root, where = _open_explorer(page, site_url, built_site, "logits")
    shoot(page, root, screenshot_dir, "explorer-logits-light")
    ex = drive_logits(page, root)
    check_logits(page, root, ex)
    # the latency of one slider move at C = 10, everything redrawn
    report_latency(screenshot_dir, "LogitsExplorer (C=10, z slider)",
                   measure_latency(page, f"{root} input[name='z4']", [(-1) ** k * 0.1 * k for k in range(40)]))
    ex = drive_logits(page, root)  # the measurement moved z4: set it again
    check_logits(page, root, ex)
    ex = drive_logits_soft(page, root)
    check_logits(page, root, ex)
    shoot(page, root, screenshot_dir, "explorer-logits-C10-soft-light")
    set_theme(page, "dark")
    shoot(page, root, screenshot_dir, "explorer-logits-C10-soft-dark")
    _no_errors(page)


# explorer: (drive, check, what the latency is of, the control it is measured on, the values typed there,
# the screenshots' name); each is driven, timed, driven again (the timing moved the control) and shot
DRIVEN = {
    "jacobian": (drive_jacobian, check_jacobian, "JacobianExplorer (C=10, z slider)", "z3",
                 [(-1) ** k * 0.1 * k for k in range(40)], "explorer-jacobian-C10"),
    "toy_network": (drive_toy, check_toy, "ToyNetworkExplorer (number field h2)", "h2",
                    [round(-2 + 0.1 * k, 1) for k in range(40)], "explorer-toy-network"),
}


@pytest.mark.parametrize("key", list(DRIVEN))
def test_explorer_driven_on_the_site(page, site_url, built_site, screenshot_dir, key):
    drive, check, what, control, values, shot = DRIVEN[key]
    root, _ = _open_explorer(page, site_url, built_site, key)
    check(page, root, drive(page, root))
    report_latency(screenshot_dir, what, measure_latency(page, f"{root} input[name='{control}']", values))
    check(page, root, drive(page, root))
    shoot(page, root, screenshot_dir, f"{shot}-light")
    set_theme(page, "dark")
    shoot(page, root, screenshot_dir, f"{shot}-dark")
    _no_errors(page)


def test_descent_explorer_on_the_site(page, site_url, built_site, screenshot_dir):
    root, _ = _open_explorer(page, site_url, built_site, "descent")
    ex = drive_descent(page, root)
    check_descent(page, root, ex)
    run_descent(page, root, ex)
    report_latency(screenshot_dir, "DescentExplorer (one step, click)",
                   measure_latency(page, f"{root} button[name='step']", range(30), event="click"))
    shoot(page, root, screenshot_dir, "explorer-descent-light")
    set_theme(page, "dark")
    shoot(page, root, screenshot_dir, "explorer-descent-dark")
    _no_errors(page)


@pytest.mark.parametrize("key", list(EXPLORERS))
def test_explorers_fit_a_phone(browser, site_url, built_site, screenshot_dir, key):
    cls, root = EXPLORERS[key]
    pages = _pages_embedding(built_site, cls)
    assert pages, f"no page of {built_site} embeds a {cls.__name__}"
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    try:
        page = context.new_page()
        page.goto(site_url + pages[0])
        wait_ready(page, root)
        box = page.locator(root).first.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390 + 0.5, box
        # nothing inside the explorer sticks out sideways (tables may scroll inside their own box)
        overflow = page.eval_on_selector(
            root, "r => [...r.querySelectorAll('*')].filter(e => !e.closest('.dx-table-wrap, .dx-full'))"
                  ".map(e => e.getBoundingClientRect())"
                  ".filter(b => b.width && b.right > window.innerWidth + 0.5).length")
        assert overflow == 0
        # every control has a label the browser can name it by
        unlabelled = page.eval_on_selector(
            root, "r => [...r.querySelectorAll('input, select, button')]"
                  ".filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')"
                  " && !e.textContent.trim())"
                  ".map(e => e.name)")
        assert unlabelled == []
        # a tall window, so the picture is not crossed by the page's sticky header
        page.set_viewport_size({"width": 390, "height": 3000})
        page.locator(root).first.screenshot(path=str(screenshot_dir / f"explorer-{key}-390.png"))
    finally:
        context.close()


# ------------------------------------------------------------------ in the harness


@pytest.fixture(scope="module")
def harness_url(tmp_path_factory, serve):
    """The harness page and, for each explorer, its ES module, CSS and state."""
    folder = tmp_path_factory.mktemp("widget-harness")
    for f in HARNESS.iterdir():
        shutil.copy(f, folder / f.name)
    for key, (cls, _) in EXPLORERS.items():
        state = cls().get_state()
        (folder / f"{key}.js").write_text(state.pop("_esm"))
        (folder / f"{key}.css").write_text(state.pop("_css"))
        (folder / f"{key}.state.json").write_text(json.dumps(state))

    with serve(folder) as url:
        yield url


@pytest.fixture
def harness(browser, harness_url, harness_pages):
    with harness_pages(browser, harness_url) as page:

        def open_(key):
            page.goto(f"{harness_url}index.html?w={key}")
            page.wait_for_selector("body[data-ready='1']")
            return page

        yield open_


def _sent(page):
    """The messages the page would have sent to a kernel, merged in order."""
    return page.evaluate("() => window.harness.model.sent")


def _replayed(page, replay):
    """``replay`` (a Python explorer) after every message the page sent: what a kernel would hold."""
    for message in _sent(page):
        replay.set_state(message)
    return replay


def test_harness_logits_and_what_it_sends(harness):
    page = harness("logits")
    root = ".dx-logits"
    ex = drive_logits(page, root)
    check_logits(page, root, ex)
    # replay what the page sent into a fresh Python explorer: same state, same numbers
    replay = _replayed(page, LogitsExplorer())
    for name in ["z", "target", "soft", "temperature", "label_smoothing"]:
        assert getattr(replay, name) == getattr(ex, name), name
    ex = drive_logits_soft(page, root)
    check_logits(page, root, ex)
    _replayed(page, replay)
    assert replay.soft and replay.soft_target == ex.soft_target
    close(replay.grad, ex.grad)
    # fewer classes: the page clamps the target and sends z, target and soft_target together
    page.select_option(f"{root} select[name='target']", "9")
    page.select_option(f"{root} select[name='C']", "4")
    _replayed(page, replay)
    assert replay.C == 4 and replay.target == 3
    check_logits(page, root, replay)
    assert page.errors == []


def test_harness_follows_changes_from_python(harness):
    # a kernel-side change reaches the page as change events on the model
    page = harness("logits")
    root = ".dx-logits"
    page.evaluate("""() => {
        const m = window.harness.model;
        m.set("z", [0.5, -0.25, 1.0, 2.0, -3.0]);
        m.set("soft_target", [0, 0, 0, 0, 1]);
        m.set("target", 4);
    }""")
    page.wait_for_selector(f"{root} input[name='z4']")
    check_logits(page, root, LogitsExplorer(z=[0.5, -0.25, 1.0, 2.0, -3.0], target=4))
    assert page.eval_on_selector(f"{root} select[name='C']", "e => e.value") == "5"


def test_harness_jacobian(harness):
    page = harness("jacobian")
    ex = drive_jacobian(page, ".dx-jacobian")
    check_jacobian(page, ".dx-jacobian", ex)
    replay = _replayed(page, JacobianExplorer())
    assert replay.z == ex.z
    assert page.errors == []


def test_harness_toy_network(harness):
    page = harness("toy_network")
    ex = drive_toy(page, ".dx-toy")
    check_toy(page, ".dx-toy", ex)
    # a half-typed number is not sent; the field is marked until it is complete
    before = len(_sent(page))
    page.fill(".dx-toy input[name='h1']", "")
    assert len(_sent(page)) == before
    page.focus(".dx-toy input[name='h1']")
    page.keyboard.type("-")
    assert len(_sent(page)) == before
    assert "dx-bad" in page.get_attribute(".dx-toy input[name='h1']", "class")
    page.fill(".dx-toy input[name='h1']", "9")  # outside [-5, 5]
    assert len(_sent(page)) == before
    assert "dx-bad" in page.get_attribute(".dx-toy input[name='h1']", "class")
    replay = _replayed(page, ToyNetworkExplorer())
    assert replay.synced_state() == ex.synced_state()
    assert page.errors == []


def test_harness_descent(harness):
    page = harness("descent")
    root = ".dx-descent"
    ex = drive_descent(page, root)
    check_descent(page, root, ex)
    replay = _replayed(page, DescentExplorer())
    close(replay.W, ex.W)
    assert replay.steps == 5 and len(replay.loss_history) == 6
    close(replay.loss_history[-1], ex.loss)
    run_descent(page, root, ex)
    assert page.errors == []
