// Helpers shared by every explorer.
//
// An explorer's ES module travels as a single string inside the widget state
// (that is what keeps it interactive on the static site, with no kernel), so
// it cannot import a sibling file. derivations.widgets._base therefore puts
// this file in front of each explorer's own module; the explorer files use
// these functions without importing them.
//
// The explorers call model.save_changes() after every change: in JupyterLab
// it sends the changed traits to the kernel; on the static site there is no
// kernel and the widget manager keeps the new state in the page.

const SVG_NS = "http://www.w3.org/2000/svg";
let dxCounter = 0;

/** A page-unique id, so that several explorers (or two views of one) never
 *  share the id that a <label for> points at. */
function dxId(prefix) {
  dxCounter += 1;
  return `${prefix}-${dxCounter}-${Math.random().toString(36).slice(2, 8)}`;
}

// In JupyterLab the notebook's command-mode shortcuts match any focused
// element that is not a text field, so they would take the arrow keys
// (and letters) meant for a slider, a select or a button. Lumino skips its
// shortcuts for elements marked data-lm-suppress-shortcuts.
const CONTROLS = new Set(["input", "select", "button", "textarea"]);

function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  if (CONTROLS.has(tag)) node.setAttribute("data-lm-suppress-shortcuts", "true");
  setAttrs(node, attrs);
  for (const child of [].concat(children)) {
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function svgEl(tag, attrs = {}, children = []) {
  const node = document.createElementNS(SVG_NS, tag);
  setAttrs(node, attrs);
  for (const child of [].concat(children)) {
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function setAttrs(node, attrs) {
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    node.setAttribute(key, value === true ? "" : String(value));
  }
}

/** Round for people: a true minus sign, no "-0.000", exponents for huge values. */
function fmt(x, digits = 3) {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "∞" : "−∞";
  let s = Math.abs(x) >= 1e4 ? x.toExponential(2) : x.toFixed(digits);
  if (/^-0(\.0*)?$/.test(s)) s = s.slice(1);
  return s.replace("-", "−");
}

/** A displayed number: a rounded label for people and, beside it, an
 *  <output name=...> holding the full-precision value (String(x) is the
 *  shortest decimal that round-trips the float64), which tests read. */
function numberOut(name, digits = 3) {
  const shown = el("span", { class: "dx-shown" });
  const out = el("output", { name, class: "dx-full", "aria-hidden": "true" });
  const wrap = el("span", { class: "dx-num" }, [shown, out]);
  return {
    el: wrap,
    set(x) {
      out.value = String(x);
      shown.textContent = fmt(x, digits);
    },
  };
}

/** A labelled <input type="range">. `label` may hold HTML made by this module. */
function rangeControl({ name, label, min, max, step, value, digits = 2 }) {
  const id = dxId(`dx-${name}`);
  const input = el("input", { type: "range", id, name, min, max, step, value });
  const readout = el("span", { class: "dx-readout", "aria-hidden": "true" });
  const lab = el("label", { for: id });
  lab.innerHTML = label;
  const show = () => { readout.textContent = fmt(Number(input.value), digits); };
  show();
  input.addEventListener("input", show);
  return { input, label: lab, readout, show };
}

function selectControl({ name, label, options, value }) {
  const id = dxId(`dx-${name}`);
  const select = el("select", { id, name });
  for (const opt of options) {
    select.append(el("option", { value: opt.value }, [opt.text]));
  }
  select.value = String(value);
  const lab = el("label", { for: id });
  lab.innerHTML = label;
  return { select, label: lab, field: el("span", { class: "dx-field" }, [lab, select]) };
}

/** The explorer's one polite live region, for screen readers. A change is
 *  announced ANNOUNCE_MS after the last one, so a held arrow key or a running
 *  descent is heard once, with the values it settled on, not once per step.
 *  `describe(touched)` words the state; `touched` names the control the
 *  reader moved last (null for a change that came from the kernel). */
const ANNOUNCE_MS = 500;

function announcer(root, describe, cleanups) {
  const region = el("p", { class: "dx-sr-only dx-live", "aria-live": "polite", "aria-atomic": "true" });
  root.append(region);
  let timer = null;
  let touched = null;
  const stop = () => clearTimeout(timer);
  cleanups.push(stop);
  return {
    touch(what) { touched = what; },
    soon() {
      stop();
      timer = setTimeout(() => {
        region.textContent = describe(touched);
        touched = null;
      }, ANNOUNCE_MS);
    },
  };
}

/** The box a table scrolls sideways in, on a narrow screen. While it scrolls
 *  it is a tab stop, so that a keyboard can scroll it too; a group named by
 *  the table's caption, so that the stop is announced as that table. */
function tableWrap(table, caption, cleanups) {
  caption.id = caption.id || dxId("dx-caption");
  const wrap = el("div", { class: "dx-table-wrap", role: "group", "aria-labelledby": caption.id }, [table]);
  if (typeof ResizeObserver === "undefined") return wrap;
  const check = () => {
    if (wrap.scrollWidth > wrap.clientWidth) wrap.tabIndex = 0;
    else wrap.removeAttribute("tabindex");
  };
  const ro = new ResizeObserver(check);
  ro.observe(wrap);
  ro.observe(table);
  cleanups.push(() => ro.disconnect());
  return wrap;
}

/** The index of the largest value. */
function argmax(a) {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i] > a[best]) best = i;
  return best;
}

function numberControl({ name, label, min, max, step, value }) {
  const id = dxId(`dx-${name}`);
  const input = el("input", { type: "number", id, name, min, max, step, value, inputmode: "decimal" });
  const lab = el("label", { for: id });
  lab.innerHTML = label;
  return { input, label: lab, field: el("span", { class: "dx-field" }, [lab, input]) };
}

// ---- the reader's language --------------------------------------------------
// The explorers are embedded once, in the English build, and every edition
// of the book reuses that state; so the page picks the language when it
// renders, from a table of every message in every language that the Python
// side sends as the read-only trait `_messages` (derivations/widgets/messages.py).

const LANGUAGES = ["en", "es", "id", "zh_CN"];
const BCP47 = { en: "en", es: "es", id: "id", zh_CN: "zh-CN" };
// an edition's <html lang>, lower-cased, or its primary subtag
const PAGE_LANGUAGES = { es: "es", id: "id", "zh-cn": "zh_CN", "zh-hans": "zh_CN", "zh-hans-cn": "zh_CN" };

/** The language an explorer speaks. A `language` the user chose (given to
 *  the constructor, or set in the kernel: `explicit`) wins; else the page's
 *  <html lang>, on an edition in Spanish, Indonesian or Chinese; else the
 *  trait's default (DERIVATIONS_LANGUAGE in the kernel, else English). */
function pickLanguage(language, explicit, pageLang) {
  if (explicit && LANGUAGES.includes(language)) return language;
  const tag = String(pageLang || "").toLowerCase();
  const page = PAGE_LANGUAGES[tag] ?? PAGE_LANGUAGES[tag.split("-")[0]];
  if (page) return page;
  return LANGUAGES.includes(language) ? language : "en";
}

/** A template's {name} placeholders filled from `values` (numbers already
 *  formatted by fmt, so they keep the decimal point in every language). */
function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

/** The explorer's words: t(id, values) is message `id` in the language
 *  pickLanguage chose, filled; t.lang is that language. An id missing from
 *  the table is a bug, and throws. */
function translator(model) {
  const lang = pickLanguage(model.get("language"), model.get("_language_explicit"), document.documentElement.lang);
  const table = model.get("_messages") || {};
  const t = (id, values = {}) => {
    const entry = table[id];
    if (!entry) throw new RangeError(`_messages: ${id}`);
    return fill(entry[lang] ?? entry.en, values);
  };
  t.lang = lang;
  return t;
}

/** A message as DOM: its HTML (<var>, <sub>, made by messages.py, never by a
 *  reader) parsed, and each {name} replaced by slots[name], a node (an
 *  <output>, say) or text. A placeholder never sits inside a tag. */
function richText(template, slots = {}) {
  const frag = document.createDocumentFragment();
  template.split(/\{(\w+)\}/).forEach((part, k) => {
    if (k % 2 === 1) {
      const v = part in slots ? slots[part] : `{${part}}`;
      frag.append(v instanceof Node ? v : document.createTextNode(String(v)));
    } else if (part) {
      const html = document.createElement("template");
      html.innerHTML = part;
      frag.append(html.content);
    }
  });
  return frag;
}

/** The widget made from one explorer's `render`: drawn again from scratch
 *  when the kernel changes the language, so that every label follows it. */
function explorerWidget(render) {
  return {
    render({ model, el: host }) {
      let cleanup = render({ model, el: host });
      // language and _language_explicit change together: one redraw
      const again = batched(() => {
        cleanup();
        host.replaceChildren();
        cleanup = render({ model, el: host });
      });
      const names = ["language", "_language_explicit"];
      names.forEach((name) => model.on(`change:${name}`, again));
      return () => {
        names.forEach((name) => model.off(`change:${name}`, again));
        cleanup();
      };
    },
  };
}

// ---- the arithmetic, in float64 like the Python side ----------------------

function sum(a) {
  let s = 0;
  for (const v of a) s += v;
  return s;
}

/** Softmax with the maximum subtracted first, so exp never overflows. */
function softmax(z) {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = sum(e);
  return e.map((v) => v / s);
}

/** log softmax by log-sum-exp: finite even where a probability underflows. */
function logSoftmax(z) {
  const m = Math.max(...z);
  const lse = Math.log(sum(z.map((v) => Math.exp(v - m))));
  return z.map((v) => v - m - lse);
}

/** The (C, C) softmax Jacobian diag(p) - p p^T. */
function softmaxJacobian(p) {
  return p.map((pi, i) => p.map((pj, j) => (i === j ? pi : 0) - pi * pj));
}

/** Resize a list to length n, keeping what is there and padding with `fill`. */
function resized(a, n, fill = 0) {
  return Array.from({ length: n }, (_, i) => (i < a.length ? a[i] : fill));
}

/** model.on with automatic removal when the view goes away. */
function listen(model, names, callback, cleanups) {
  for (const name of names) {
    const event = `change:${name}`;
    model.on(event, callback);
    cleanups.push(() => model.off(event, callback));
  }
}

const SUB = "₀₁₂₃₄₅₆₇₈₉";
function sub(n) {
  return String(n).split("").map((d) => SUB[Number(d)]).join("");
}

function legendItem(swatchClass, label) {
  return el("span", { class: "dx-legend-item" }, [el("span", { class: `dx-swatch ${swatchClass}` }), ...label]);
}

/** Follow the explorer's width (phone rotation, side panels) and redraw
 *  when it changes. The width comes from a ResizeObserver rather than from
 *  measuring during a redraw, which would force the browser to lay out the
 *  whole page in the middle of every slider move. */
function trackWidth(root, redraw, cleanups) {
  const size = { width: 0 };
  if (typeof ResizeObserver === "undefined") return size;
  const ro = new ResizeObserver((entries) => {
    const w = Math.round(entries[entries.length - 1].contentRect.width);
    if (w !== size.width) {
      size.width = w;
      redraw();
    }
  });
  ro.observe(root);
  cleanups.push(() => ro.disconnect());
  return size;
}

/** The width to draw a chart at: the explorer's own width, within limits
 *  (the widest size until the first measurement arrives). */
function chartWidth(size, min = 300, max = 640) {
  return Math.round(Math.min(max, Math.max(min, size.width || max)));
}

// ---- the parts every render() is made of -----------------------------------

/** The explorer's root element in the widget's host, and the plain object its
 *  build, draw, update and wire functions share: the model, the limits the
 *  Python side set (its constants, passed in as the read-only `limits`
 *  trait, so the two sides cannot drift apart), its words `t` (see
 *  translator), the cleanups to run when the view goes away and, with
 *  `tracksWidth`, the explorer's width. */
function mountExplorer(model, host, className, { tracksWidth = false } = {}) {
  const t = translator(model);
  // lang on the explorer itself: in JupyterLab it may differ from the page's
  const root = el("div", { class: `dx-explorer ${className}`, lang: BCP47[t.lang] });
  host.append(root);
  const s = { model, root, t, limits: model.get("limits"), cleanups: [] };
  // a chart drawn at the explorer's width is redrawn when the width changes
  if (tracksWidth) s.size = trackWidth(root, () => s.schedule(), s.cleanups);
  return s;
}

/** `update`, run once before the next frame however many times it was asked
 *  for: several traits often change together (C resizes z and soft_target),
 *  and the view should be redrawn once, after all of them have landed. */
function batched(update) {
  let pending = false;
  return () => {
    if (pending) return;
    pending = true;
    queueMicrotask(() => {
      pending = false;
      update();
    });
  };
}

/** Redraw (batched) and announce (debounced) whenever one of the traits
 *  `names` changes; draw the first view now; return the view's cleanup. */
function followModel(s, names, update) {
  const schedule = batched(update);
  s.schedule = schedule;
  listen(s.model, names, () => {
    schedule();
    s.live.soon();
  }, s.cleanups);
  update();
  return () => s.cleanups.forEach((f) => f());
}

/** Set one entry of the list trait `name` (`index` is j, or [i, j] in a
 *  nested list) and send the change. `length` resizes the list first: the
 *  soft target follows the number of logits. */
function setEntry(model, name, index, value, length) {
  const list = model.get(name);
  const next = structuredClone(length === undefined ? list : resized(list, length));
  const [i, j] = [].concat(index);
  if (j === undefined) next[i] = value;
  else next[i][j] = value;
  model.set(name, next);
  model.save_changes();
}

/** A row of range sliders, one per entry of the list trait `trait`: slider j
 *  is made from `spec(j)` (rangeControl's options), put in `box` as a
 *  .dx-slider-row (with `extra(j)` after its readout), and moving it tells
 *  the live region and sends the list with entry j changed. */
function sliderRow(s, { box, trait, kind, count, spec, rowClass = "dx-slider-row", extra, length }) {
  const controls = [];
  for (let j = 0; j < count; j++) {
    const c = rangeControl(spec(j));
    c.input.addEventListener("input", () => {
      s.live.touch({ kind, j });
      setEntry(s.model, trait, j, Number(c.input.value), length && length());
    });
    box.append(el("div", { class: rowClass }, [c.label, c.input, c.readout, ...(extra ? [extra(j)] : [])]));
    controls.push(c);
  }
  return controls;
}

/** A range control's value follows the model's, unless it already shows it
 *  (setting it anyway would fight a slider being dragged). */
function syncRange(control, value) {
  if (Number(control.input.value) !== value) control.input.value = value;
  control.show();
}

/** The options of a "number of classes" select: min .. max. */
function classCountOptions(min, max) {
  return Array.from({ length: max - min + 1 }, (_, k) => ({ value: k + min, text: k + min }));
}

/** A labelled range control in a .dx-field, as the controls bars show them. */
function rangeField(c) {
  return el("span", { class: "dx-field dx-field-range" }, [c.label, c.input, c.readout]);
}

/** Send a change made by one control: tell the live region, set, save. */
function sendInput(s, kind, name, value) {
  s.live.touch({ kind });
  s.model.set(name, value);
  s.model.save_changes();
}
