// Accessibility fixes that need the running page. Jupyter Book links every
// .js in _static/ into every page; tools/book_site.py fixes the markup and
// tests/browser/test_a11y.py measures the site with axe-core.
(() => {
  "use strict";

  // The theme gives a code block or an output that scrolls sideways a tab
  // stop, so that a keyboard can scroll it, but it measures only what shows
  // when the page loads. Code inside a closed "Show code cell source" or a
  // closed dropdown is measured here once it opens (WCAG 2.1.1).
  const SCROLLERS = "pre, .cell_output > .output, .pst-scrollable-table-container";

  function focusScrollers(root) {
    for (const box of root.querySelectorAll(SCROLLERS)) {
      if (box.scrollWidth > box.clientWidth || box.scrollHeight > box.clientHeight) box.tabIndex = 0;
    }
  }

  function afterLayout(root) {
    requestAnimationFrame(() => focusScrollers(root));
  }

  // <details> (hidden cells): toggle does not bubble, so listen while capturing
  document.addEventListener("toggle", (event) => {
    if (event.target.open) afterLayout(event.target);
  }, true);

  // sphinx-togglebutton's dropdowns (hints, solutions) open on a click on
  // their title, which their own handler has seen before this one
  document.addEventListener("click", (event) => {
    const dropdown = event.target instanceof Element && event.target.closest(".toggle");
    if (dropdown) afterLayout(dropdown);
  });

  // tools/book_site.py makes the colour-mode button's icons decorative, so
  // its name is all a screen reader hears: let it say which mode is on.
  const MODES = { light: "light", dark: "dark", auto: "system setting" };

  function nameModeButtons() {
    const mode = document.documentElement.dataset.mode || "auto";
    for (const button of document.querySelectorAll(".theme-switch-button")) {
      button.setAttribute("aria-label", `Color mode: ${MODES[mode] || mode}`);
    }
  }

  new MutationObserver(nameModeButtons).observe(document.documentElement, {
    attributes: true, attributeFilter: ["data-mode"],
  });
  document.addEventListener("DOMContentLoaded", nameModeButtons);
})();
