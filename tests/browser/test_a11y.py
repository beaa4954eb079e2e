"""Accessibility of the built book, measured with axe-core in a real browser.

* Every page (the list test_site.py visits), in the light and the dark theme,
  with every hidden cell and dropdown opened so that what they hide is
  measured too: no axe violation of impact "serious" or "critical".
* Every explorer after it has been driven (every kind of control used), in
  both themes and at a phone's width: the same.
* Every explorer by keyboard alone: Tab reaches each of its controls, each
  with a visible focus ring; a key changes a value and the numbers follow;
  the explorer's one polite live region says what changed, once, about half
  a second after the last key, and not once per key.

axe-core is the npm package pinned in package-lock.json (``npm ci``); it is
injected into each page from ``node_modules`` and never served by the site.
A failure lists each rule, its impact, the elements (CSS selectors) and
axe's help text. Screenshots of each explorer with the keyboard's focus ring
go to ``_build/screenshots/explorer-<name>-focus-<theme>.png``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_explorers import (
    EXPLORERS,
    _open_explorer,
    drive_descent,
    drive_jacobian,
    drive_logits,
    drive_logits_soft,
    drive_toy,
    read_outputs,
)
from test_site import PAGES, _theme, _visit

from tools.book_site import accessible_html

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("critical", "serious")
MODES = ["light", "dark"]
ANNOUNCE_MS = 500  # the explorers' debounce (common.js)

AXE_RUN = """
async (context) => {
  const result = await axe.run(context || document, { resultTypes: ["violations"] });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary })),
  }));
}
"""

# Hidden cells are <details>; sphinx-togglebutton's dropdowns (hints,
# solutions) open by their button. Both, so that their content is measured;
# then wait out the 0.3 s fade-in that sphinx-togglebutton plays, since axe
# would measure the contrast of text still half transparent.
OPEN_EVERYTHING = """
async () => {
  document.querySelectorAll("details").forEach((d) => { d.open = true; });
  document.querySelectorAll("button.toggle-button[aria-expanded='false']").forEach((b) => b.click());
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  // (an endless animation, a spinner say, never finishes: not waited for)
  const finite = document.getAnimations().filter((a) => a.effect.getComputedTiming().endTime !== Infinity);
  await Promise.all(finite.map((a) => a.finished.catch(() => null)));
}
"""


def run_axe(page, context: str | None = None) -> list[dict]:
    """axe's violations on the page (or inside the elements ``context`` selects)."""
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: `npm ci` installs axe-core from package-lock.json.", pytrace=False)
    page.add_script_tag(path=str(AXE))
    return page.evaluate(AXE_RUN, context)


def blocking(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in BLOCKING]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} [{v['impact']}]: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:10]:
            summary = " ".join(node["summary"].split())
            lines.append(f"    {node['target']}\n        {summary[:300]}")
        if len(v["nodes"]) > 10:
            lines.append(f"    ... and {len(v['nodes']) - 10} more elements")
    return "\n".join(lines)


def assert_no_blocking(violations: list[dict], where: str) -> None:
    found = blocking(violations)
    assert not found, f"{where}: axe violations at impact serious or critical:\n" + describe(found)


# -- the fixes at build time, without a browser -------------------------------------


def test_controls_are_named_by_the_text_they_show():
    page = (
        '<button class="btn search-button-field search-button__button pst-js-only" title="Search" '
        'aria-label="Search" data-bs-toggle="tooltip">'
        '<i class="theme-switch fa-solid fa-sun fa-lg" data-mode="light" title="Light"></i>'
        '<summary aria-label="Toggle hidden content">'
        '<div id="pst-primary-sidebar" class="bd-sidebar-primary bd-sidebar">'
        '<button class="btn btn-sm pst-navbar-icon search-button" aria-label="Search">'
    )
    fixed = accessible_html(page)
    assert 'search-button-field search-button__button pst-js-only" title="Search" data-bs' in fixed
    assert 'data-mode="light"></i>' in fixed
    assert "<summary>" in fixed
    assert 'id="pst-primary-sidebar" class="bd-sidebar-primary bd-sidebar" role="complementary" aria-label=' in fixed
    # the icon-only search button has no text to be named by: its label stays
    assert 'search-button" aria-label="Search"' in fixed
    assert accessible_html(fixed) == fixed


# -- every page -------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("path", PAGES)
def test_page_passes_axe(page, site_url, path, mode):
    _theme(page, mode)
    _visit(page, site_url, path)
    assert page.evaluate("document.documentElement.dataset.theme") == mode, f"{path}: not in the {mode} theme"
    page.evaluate(OPEN_EVERYTHING)
    assert_no_blocking(run_axe(page), f"{path} ({mode} theme, hidden content opened)")


# -- every explorer, after it has been used -----------------------------------------


def _drive(page, key, root):
    """Use every kind of control the explorer has (test_explorers' drivers)."""
    if key == "logits":
        drive_logits(page, root)
        drive_logits_soft(page, root)  # the soft-target sliders appear
    elif key == "jacobian":
        drive_jacobian(page, root)  # ten classes: the widest heatmap
    elif key == "toy_network":
        drive_toy(page, root)
        page.fill(f"{root} input[name='h1']", "9")  # out of range: marked invalid
    else:
        drive_descent(page, root)


@pytest.mark.parametrize("width", [1200, 390])
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("key", list(EXPLORERS))
def test_explorer_passes_axe_after_use(page, site_url, built_site, key, mode, width):
    page.set_viewport_size({"width": width, "height": 900})
    _theme(page, mode)
    root, where = _open_explorer(page, site_url, built_site, key)
    _drive(page, key, root)
    page.wait_for_timeout(ANNOUNCE_MS + 300)  # the live region has spoken
    assert_no_blocking(run_axe(page, root), f"{key} explorer on {where} ({mode} theme, {width} px)")


# -- every explorer by keyboard alone ---------------------------------------------

# per explorer: the control to move, the key, the output that must follow, and
# what the live region must then say (the moved value, as the page rounds it)
KEYBOARD = {
    "logits": ("input[name='z1']", "ArrowRight", "p1", lambda v: f"z1 = {_fmt(v, 1)}: p1 = "),
    "jacobian": ("input[name='z0']", "ArrowLeft", "J0_0", lambda v: f"z0 = {_fmt(v, 1)}: p0 = "),
    "toy_network": ("input[name='w21']", "ArrowUp", "path_sum", lambda v: f"w21 = {_fmt(v, 2)}: o1 = "),
    "descent": ("button[name='step']", "Enter", "loss", None),
}
PRESSES = 3

CONTROLS = """
(root) => [...document.querySelector(root).querySelectorAll("input, select, button, [tabindex='0']")]
  .filter((e) => !e.disabled && e.getClientRects().length > 0)
  .map((e) => e.name || e.className)
"""

# The focused element, and whether a ring shows around it: an outline or a
# box shadow, and the outline's contrast against the page behind it.
FOCUSED = """
(root) => {
  const e = document.activeElement;
  const inside = !!e && e !== document.body && !!e.closest(root);
  const cs = getComputedStyle(e);
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map((x) => {
    x /= 255;
    return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
  })
    .reduce((s, x, i) => s + x * [0.2126, 0.7152, 0.0722][i], 0);
  let bg = [255, 255, 255];
  for (let a = e.parentElement; a; a = a.parentElement) {
    const c = rgb(getComputedStyle(a).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) { bg = c.slice(0, 3); break; }
  }
  const [hi, lo] = [lum(rgb(cs.outlineColor)), lum(bg)].sort((a, b) => b - a);
  return {
    inside, name: e.name || e.className || e.tagName,
    outline: cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) >= 1,
    shadow: cs.boxShadow !== "none",
    contrast: (hi + 0.05) / (lo + 0.05),
    focusVisible: e.matches(":focus-visible"),
  };
}
"""

# Counts every change of the live region's text, with the time of the last
# change and of the last key pressed.
WATCH_LIVE = """
(root) => {
  const region = document.querySelector(root).querySelector("[aria-live]");
  window.dxLive = { changes: 0, changedAt: 0, keyAt: 0 };
  new MutationObserver(() => { dxLive.changes += 1; dxLive.changedAt = performance.now(); })
    .observe(region, { childList: true, characterData: true, subtree: true });
  document.addEventListener("keydown", () => { dxLive.keyAt = performance.now(); }, true);
}
"""


def _fmt(x: float, digits: int) -> str:
    """Python's version of common.js's fmt: a true minus sign, no "-0.0"."""
    s = f"{x:.{digits}f}"
    if float(s) == 0:
        s = s.lstrip("-")
    return s.replace("-", "\u2212")


def _enter(page, root):
    """Put the focus just before the explorer's first control, where Tab from
    the text above it arrives: on the explorer's box itself (tabindex -1
    keeps that box out of the Tab order)."""
    page.eval_on_selector(root, "r => { r.tabIndex = -1; r.focus(); }")


def _tab_through(page, root) -> list[dict]:
    """Tab from the top of the explorer until the focus leaves it."""
    stops = []
    for _ in range(120):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED, root)
        if not focused["inside"]:
            return stops
        stops.append(focused)
    pytest.fail(f"the focus never left {root} after 120 presses of Tab")


def _tab_to(page, root, selector):
    _enter(page, root)
    for _ in range(120):
        page.keyboard.press("Tab")
        if page.eval_on_selector(f"{root} {selector}", "e => e === document.activeElement"):
            return
    pytest.fail(f"Tab never reached {root} {selector}")


def _assert_tab_order(page, root, key, mode):
    _enter(page, root)
    stops = _tab_through(page, root)
    controls = page.evaluate(CONTROLS, root)
    reached = [s["name"] for s in stops]
    assert sorted(reached) == sorted(controls), f"{key}: Tab reached {reached}, the controls are {controls}"
    unringed = [s["name"] for s in stops if not (s["focusVisible"] and (s["outline"] or s["shadow"]))]
    assert not unringed, f"{key} ({mode}): no visible focus ring on {unringed}"
    faint = [f"{s['name']} {s['contrast']:.2f}" for s in stops if s["outline"] and s["contrast"] < 3]
    assert not faint, f"{key} ({mode}): focus rings under 3:1 against the page: {faint}"


def _live_text(page, root):
    return page.eval_on_selector(root, "r => r.querySelector('[aria-live]').textContent")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("key", list(KEYBOARD))
def test_explorer_by_keyboard_alone(page, site_url, built_site, screenshot_dir, key, mode):
    _theme(page, mode)
    root, where = _open_explorer(page, site_url, built_site, key)
    regions = page.eval_on_selector(
        root, "r => [...r.querySelectorAll('[aria-live]')].map(e => e.getAttribute('aria-live'))"
    )
    assert regions == ["polite"], f"{key}: expected one polite live region, found {regions}"
    _assert_tab_order(page, root, key, mode)

    selector, press, output, expected = KEYBOARD[key]
    _tab_to(page, root, selector)
    before = read_outputs(page, root)[output]
    page.evaluate(WATCH_LIVE, root)
    for _ in range(PRESSES):
        page.keyboard.press(press)
    after = read_outputs(page, root)[output]
    assert after != before, f"{key}: {PRESSES} x {press} on {selector} left {output} at {before}"

    page.wait_for_function("() => dxLive.changes > 0", timeout=5_000)
    page.wait_for_timeout(ANNOUNCE_MS + 300)  # time for any further announcement
    live = page.evaluate("() => dxLive")
    text = _live_text(page, root)
    assert live["changes"] == 1, f"{key}: the live region changed {live['changes']} times for {PRESSES} keys: {text!r}"
    waited = live["changedAt"] - live["keyAt"]
    assert waited >= ANNOUNCE_MS - 50, f"{key}: announced {waited:.0f} ms after the last key, before the pause"
    if expected is not None:
        value = float(page.eval_on_selector(f"{root} {selector}", "e => e.value"))
        assert expected(value) in text, f"{key}: the live region says {text!r}"
    else:
        steps = int(read_outputs(page, root)["steps"])
        assert f"step {steps}, loss {_fmt(after, 3)}" in text, f"{key}: the live region says {text!r}"

    # the ring, for people to look at; a tall window, so that the page's
    # sticky header does not cross the picture of a tall explorer
    page.set_viewport_size({"width": 1200, "height": 3000})
    _tab_to(page, root, selector)
    page.locator(root).first.screenshot(path=str(screenshot_dir / f"explorer-{key}-focus-{mode}.png"))
