/* Fit the book to narrow screens (see phone.css).
 *
 * Tables: every cell gets its column's header text as data-label; a table
 * wider than its column is drawn as stacked cards (class phone-stacked).
 * Formulas: a display (or inline) formula wider than its column is scaled
 * down to fit, to no less than MIN_SCALE of its size; one that still does not
 * fit scrolls, marked by class phone-scrolls and a "scroll sideways" hint.
 * Everything is re-measured when the window changes size.
 */
(() => {
  "use strict";
  const MIN_SCALE = 0.7;

  const column = () => document.querySelector("article.bd-article") || document.body;
  const columnWidth = () => {
    const main = column(), style = getComputedStyle(main);
    return main.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  };

  const columnRight = () => {
    const main = column();
    return main.getBoundingClientRect().right - parseFloat(getComputedStyle(main).paddingRight);
  };

  // a header's text as read aloud: typeset formulas by their MathML text, not their TeX
  function readable(el) {
    const copy = el.cloneNode(true);
    copy.querySelectorAll("mjx-container").forEach((m) => {
      const mml = m.querySelector("mjx-assistive-mml");
      m.replaceWith(mml ? mml.textContent : "");
    });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  function labelCells(table) {
    const headers = [];
    const head = table.querySelector("thead tr");
    if (!head) return false;
    for (const th of head.children) {
      for (let k = 0; k < (th.colSpan || 1); k++) headers.push(readable(th));
    }
    for (const row of table.querySelectorAll("tbody tr")) {
      let col = 0;
      for (const cell of row.children) {
        cell.setAttribute("data-label", headers[col] || "");
        col += cell.colSpan || 1;
      }
    }
    return true;
  }

  function fitTables() {
    const width = columnWidth();
    for (const table of column().querySelectorAll("table")) {
      if (table.closest(".widget-subarea, .jupyter-widgets")) continue;
      if (!labelCells(table)) continue;
      table.classList.remove("phone-stacked");
      if (table.scrollWidth > width + 1) table.classList.add("phone-stacked");
    }
  }

  // the width a formula may take: its block's content box, inside the column
  function room(el, width) {
    const block = el.parentElement.closest("p, li, dd, dt, td, th, div, blockquote, section, article");
    if (!block) return width;
    const cs = getComputedStyle(block);
    return Math.min(width, block.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight));
  }

  function fitFormula(el, width) {
    el.style.fontSize = "";
    el.style.overflowX = "";
    el.style.maxWidth = "";
    el.classList.remove("phone-scrolls");
    const hint = el.nextElementSibling;
    if (hint && hint.classList.contains("phone-scroll-hint")) hint.remove();
    // display formulas are blocks (also the ones MyST puts in a span, inside a list)
    const block = getComputedStyle(el).display === "block";
    const sticksOut = () => el.getBoundingClientRect().right > columnRight() + 1;
    if (!block && sticksOut()) {
      // an inline formula glued to the word before it, "(\\(x\\)": give the line
      // a place to break before the formula
      const prev = el.previousSibling;
      if (!(prev && prev.nodeType === Node.TEXT_NODE && prev.data.endsWith("\u200b"))) el.before("\u200b");
    }
    const space = room(el, width);
    const needed = block ? el.scrollWidth : el.getBoundingClientRect().width;
    if (needed <= space + 1 && !sticksOut()) return;
    const size = parseFloat(getComputedStyle(el).fontSize);
    const scale = Math.min(1, Math.max(MIN_SCALE, (space - 2) / needed));
    el.style.fontSize = `${(size * scale).toFixed(2)}px`;
    // a header row is hidden when its table stacks; a hint there would be read as its text
    if (block && !el.closest("thead") && (el.scrollWidth > Math.min(el.clientWidth, space) + 1 || sticksOut())) {
      el.style.overflowX = "auto";
      el.style.maxWidth = `${space}px`;
      el.classList.add("phone-scrolls");
      const note = document.createElement("div");
      note.className = "phone-scroll-hint";
      note.textContent = "⟷ scroll sideways for the rest of the formula";
      note.style.maxWidth = `${space}px`;
      el.after(note);
    }
  }

  function fitFormulas() {
    const width = columnWidth();
    for (const el of column().querySelectorAll("mjx-container")) {
      if (el.closest(".widget-subarea, .jupyter-widgets")) continue;
      fitFormula(el, width);
    }
  }

  function fitAll() {
    fitTables();
    fitFormulas();
    document.documentElement.dataset.phoneFitted = "true";
  }

  let pending = null;
  window.addEventListener("resize", () => {
    clearTimeout(pending);
    pending = setTimeout(fitAll, 150);
  });
  function start() {
    const mj = window.MathJax;
    if (mj && mj.startup && mj.startup.promise) mj.startup.promise.then(fitAll);
    else fitAll();
  }
  // MathJax sets window.MathJax.startup only once its script has run
  if (document.readyState === "complete") start();
  else window.addEventListener("load", start);
})();
