// LogitsExplorer: drag the logits, watch softmax, the gradient and the
// asker's diagonal-only gradient. See derivations/widgets/logits.py for the
// definitions; this module recomputes them in the browser so that the
// explorer stays live on the static site.

const C_MIN = 2;
const C_MAX = 10;
const Z_LIMIT = 10;

function computeLogits(state) {
  const { z, target, soft, soft_target: softTarget, temperature: T, label_smoothing: eps } = state;
  const C = z.length;
  const raw = soft ? resized(softTarget, C) : z.map((_, j) => (j === target ? 1 : 0));
  const t = raw.map((v) => (1 - eps) * v + eps / C);
  const zT = z.map((v) => v / T);
  const p = softmax(zT);
  const logp = logSoftmax(zT);
  const tsum = sum(t);
  // 0 * log 0 counts as 0: a class without target mass adds nothing
  const loss = -sum(t.map((tj, j) => (tj === 0 ? 0 : tj * logp[j])));
  // dL/dz = (1/T) (p * sum(t) - t): the 1/T is the chain rule through z / T
  const grad = p.map((pj, j) => (pj * tsum - t[j]) / T);
  // the asker's dL/dz_j with only the Jacobian's diagonal: (-t_j/p_j) p_j (1 - p_j)
  const diag = p.map((pj, j) => (-t[j] * (1 - pj)) / T);
  return { C, t, p, loss, grad, diag, tsum };
}

// What a screen reader hears after a change, by the kind of control moved:
// its value and what it moves most (describeLogits adds the loss).
const LOGITS_SAY = {
  z: (s, r, j) => `z${j} = ${fmt(s.z[j], 1)}: p${j} = ${fmt(r.p[j], 2)}`,
  soft_target: (s, r, j) => `soft target t${j} = ${fmt(s.soft_target[j], 2)}: targets sum to ${fmt(r.tsum, 2)}`,
  temperature: (s, r, j) => `temperature ${fmt(s.temperature, 2)}: largest p${j} = ${fmt(r.p[j], 2)}`,
  label_smoothing: (s) => `label smoothing ${fmt(s.label_smoothing, 2)}`,
  target: (s, r) => (s.soft ? "soft target" : `target class ${s.target}: p${s.target} = ${fmt(r.p[s.target], 2)}`),
  C: (s, r, j) => `${r.C} classes: largest p${j} = ${fmt(r.p[j], 2)}`,
  kernel: (s, r, j) => `largest p${j} = ${fmt(r.p[j], 2)}`,
};

function describeLogits(state, touched) {
  const r = computeLogits(state);
  const own = touched && touched.j !== undefined && touched.j < r.C;
  const say = LOGITS_SAY[touched ? touched.kind : "kernel"];
  return `${say(state, r, own ? touched.j : argmax(r.p))}, loss ${fmt(r.loss, 3)}`;
}

function readState(model) {
  return {
    z: model.get("z"),
    target: model.get("target"),
    soft: model.get("soft"),
    soft_target: model.get("soft_target"),
    temperature: model.get("temperature"),
    label_smoothing: model.get("label_smoothing"),
  };
}

function render({ model, el: host }) {
  const cleanups = [];
  const root = el("div", { class: "dx-explorer dx-logits" });
  host.append(root);
  const size = trackWidth(root, () => schedule(), cleanups);

  // ---- controls that do not depend on C -----------------------------------
  const cSel = selectControl({
    name: "C",
    label: "Classes <var>C</var>",
    options: Array.from({ length: C_MAX - C_MIN + 1 }, (_, k) => ({ value: k + C_MIN, text: k + C_MIN })),
    value: model.get("z").length,
  });
  const targetSel = selectControl({ name: "target", label: "Target", options: [], value: 0 });
  const temp = rangeControl({
    name: "temperature", label: "Temperature <var>T</var>",
    min: 0.1, max: 5, step: 0.05, value: model.get("temperature"),
  });
  const smooth = rangeControl({
    name: "label_smoothing", label: "Label smoothing <var>ε</var>",
    min: 0, max: 1, step: 0.01, value: model.get("label_smoothing"),
  });
  root.append(el("div", { class: "dx-controls" }, [
    cSel.field,
    targetSel.field,
    el("span", { class: "dx-field dx-field-range" }, [temp.label, temp.input, temp.readout]),
    el("span", { class: "dx-field dx-field-range" }, [smooth.label, smooth.input, smooth.readout]),
  ]));

  const zBox = el("fieldset", { class: "dx-sliders" });
  const softBox = el("fieldset", { class: "dx-sliders dx-soft" });
  root.append(zBox, softBox);

  const chart = svgEl("svg", {
    class: "dx-chart", role: "img",
    "aria-label": "Bar charts of the softmax probabilities and of the two gradients for each class",
  });
  root.append(chart);
  root.append(el("p", { class: "dx-legend" }, [
    legendItem("dx-swatch-p", ["probability ", el("var", {}, ["p"])]),
    legendItem("dx-swatch-t", ["target ", el("var", {}, ["t′"])]),
    legendItem("dx-swatch-grad", ["correct ∂L/∂z"]),
    legendItem("dx-swatch-diag", ["diagonal-only"]),
  ]));
  root.append(el("p", { class: "dx-note" }, [
    "Diagonal-only keeps ∂p", el("sub", {}, ["j"]), "/∂z", el("sub", {}, ["j"]),
    " = p", el("sub", {}, ["j"]), "(1 − p", el("sub", {}, ["j"]), ") and drops every −p",
    el("sub", {}, ["i"]), "p", el("sub", {}, ["j"]),
    ": it is 0 for each class without target mass, so no wrong class is ever pushed down.",
  ]));

  const table = el("table", { class: "dx-table" });
  const caption = el("caption", {}, ["Per class: probability, target after smoothing, and the two gradients"]);
  const thead = el("thead", {}, [el("tr", {}, [
    el("th", { scope: "col" }, ["class"]),
    el("th", { scope: "col" }, ["p"]),
    el("th", { scope: "col" }, ["t′"]),
    el("th", { scope: "col" }, ["∂L/∂z"]),
    el("th", { scope: "col" }, ["diagonal-only"]),
  ])]);
  const tbody = el("tbody");
  table.append(caption, thead, tbody);
  root.append(tableWrap(table, caption, cleanups));

  const lossOut = numberOut("loss", 4);
  const tsumOut = numberOut("tsum", 3);
  root.append(el("p", { class: "dx-summary" }, [
    "Loss ", el("var", {}, ["L"]), " = ", lossOut.el,
    el("span", { class: "dx-sep" }, [" · "]),
    "Σ", el("var", {}, ["t′"]), " = ", tsumOut.el,
  ]));

  const live = announcer(root, (touched) => describeLogits(readState(model), touched), cleanups);

  // ---- rows that depend on C -----------------------------------------------
  let rows = null;

  function build(C) {
    zBox.replaceChildren(el("legend", {}, ["Logits ", el("var", {}, ["z"])]));
    softBox.replaceChildren(el("legend", {}, [
      "Soft target ", el("var", {}, ["t"]), " (need not sum to 1)",
    ]));
    tbody.replaceChildren();
    rows = [];
    const z = model.get("z");
    const softTarget = resized(model.get("soft_target"), C);
    for (let j = 0; j < C; j++) {
      const zc = rangeControl({
        name: `z${j}`, label: `<var>z</var>${sub(j)}`,
        min: -Z_LIMIT, max: Z_LIMIT, step: 0.1, value: z[j],
      });
      zc.input.addEventListener("input", () => {
        live.touch({ kind: "z", j });
        const next = model.get("z").slice();
        next[j] = Number(zc.input.value);
        model.set("z", next);
        model.save_changes();
      });
      zBox.append(el("div", { class: "dx-slider-row" }, [zc.label, zc.input, zc.readout]));

      const tc = rangeControl({
        name: `soft_target${j}`, label: `<var>t</var>${sub(j)}`,
        min: 0, max: 1, step: 0.01, value: softTarget[j],
      });
      tc.input.addEventListener("input", () => {
        live.touch({ kind: "soft_target", j });
        const next = resized(model.get("soft_target"), model.get("z").length);
        next[j] = Number(tc.input.value);
        model.set("soft_target", next);
        model.save_changes();
      });
      softBox.append(el("div", { class: "dx-slider-row" }, [tc.label, tc.input, tc.readout]));

      const out = {
        p: numberOut(`p${j}`), t: numberOut(`t${j}`),
        grad: numberOut(`grad${j}`), diag: numberOut(`diag${j}`),
      };
      tbody.append(el("tr", {}, [
        el("th", { scope: "row" }, [String(j)]),
        el("td", {}, [out.p.el]), el("td", {}, [out.t.el]),
        el("td", {}, [out.grad.el]), el("td", {}, [out.diag.el]),
      ]));
      rows.push({ zc, tc, out });
    }
    const opts = Array.from({ length: C }, (_, j) => el("option", { value: j }, [`class ${j} (one-hot)`]));
    opts.push(el("option", { value: "soft" }, ["soft target"]));
    targetSel.select.replaceChildren(...opts);
  }

  // ---- the picture -----------------------------------------------------------
  function draw(r) {
    // one user unit per CSS pixel, so the labels keep their size on a phone
    const W = chartWidth(size), H = 338;
    chart.setAttribute("viewBox", `0 0 ${W} ${H}`);
    const left = 44, right = 8, top1 = 30, h1 = 100, top2 = 178, h2 = 130;
    const band = (W - left - right) / r.C;
    const parts = [];
    parts.push(svgEl("text", { x: left, y: 14, class: "dx-axis-title" }, ["softmax p and target t′"]));
    parts.push(svgEl("line", { x1: left, x2: W - right, y1: top1 + h1, y2: top1 + h1, class: "dx-axis" }));
    parts.push(svgEl("text", { x: left - 6, y: top1 + 5, class: "dx-tick", "text-anchor": "end" }, ["1"]));
    parts.push(svgEl("text", { x: left - 6, y: top1 + h1 + 4, class: "dx-tick", "text-anchor": "end" }, ["0"]));
    for (let j = 0; j < r.C; j++) {
      const x0 = left + j * band;
      const bh = h1 * Math.min(r.p[j], 1);
      parts.push(svgEl("rect", {
        x: x0 + band * 0.2, width: band * 0.6, y: top1 + h1 - bh, height: bh, class: "dx-bar-p",
      }));
      if (r.t[j] > 0) {
        const ty = top1 + h1 - h1 * Math.min(r.t[j], 1);
        parts.push(svgEl("line", {
          x1: x0 + band * 0.1, x2: x0 + band * 0.9, y1: ty, y2: ty, class: "dx-mark-t",
        }));
      }
      parts.push(svgEl("text", {
        x: x0 + band / 2, y: top1 + h1 + 16, class: "dx-tick", "text-anchor": "middle",
      }, [String(j)]));
    }
    // a symmetric axis that only grows (past 1) when the values need it,
    // so that the usual case keeps one fixed scale while dragging
    const scale = Math.max(1, ...r.grad.map(Math.abs), ...r.diag.map(Math.abs));
    const mid = top2 + h2 / 2;
    parts.push(svgEl("text", { x: left, y: top2 - 8, class: "dx-axis-title" }, ["∂L/∂z: correct and diagonal-only"]));
    parts.push(svgEl("line", { x1: left, x2: W - right, y1: mid, y2: mid, class: "dx-axis" }));
    parts.push(svgEl("text", { x: left - 6, y: top2 + 5, class: "dx-tick", "text-anchor": "end" }, [fmt(scale, 1)]));
    parts.push(svgEl("text", { x: left - 6, y: mid + 4, class: "dx-tick", "text-anchor": "end" }, ["0"]));
    parts.push(svgEl("text", { x: left - 6, y: top2 + h2 + 3, class: "dx-tick", "text-anchor": "end" }, [fmt(-scale, 1)]));
    for (let j = 0; j < r.C; j++) {
      const x0 = left + j * band;
      const bars = [[r.grad[j], "dx-bar-grad", 0.12], [r.diag[j], "dx-bar-diag", 0.52]];
      for (const [v, cls, off] of bars) {
        const hh = (h2 / 2) * (Math.abs(v) / scale);
        parts.push(svgEl("rect", {
          x: x0 + band * off, width: band * 0.36, y: v >= 0 ? mid - hh : mid, height: hh, class: cls,
        }));
      }
      parts.push(svgEl("text", {
        x: x0 + band / 2, y: top2 + h2 + 18, class: "dx-tick", "text-anchor": "middle",
      }, [String(j)]));
    }
    chart.replaceChildren(...parts);
  }

  // ---- keeping the view in step with the model -------------------------------
  let pending = false;
  function update() {
    pending = false;
    const state = readState(model);
    const r = computeLogits(state);
    if (!rows || rows.length !== r.C) build(r.C);
    cSel.select.value = String(r.C);
    targetSel.select.value = state.soft ? "soft" : String(state.target);
    softBox.hidden = !state.soft;
    if (Number(temp.input.value) !== state.temperature) temp.input.value = state.temperature;
    if (Number(smooth.input.value) !== state.label_smoothing) smooth.input.value = state.label_smoothing;
    temp.show();
    smooth.show();
    const softTarget = resized(state.soft_target, r.C);
    rows.forEach((row, j) => {
      if (Number(row.zc.input.value) !== state.z[j]) row.zc.input.value = state.z[j];
      if (Number(row.tc.input.value) !== softTarget[j]) row.tc.input.value = softTarget[j];
      row.zc.show();
      row.tc.show();
      row.zc.input.setAttribute("aria-valuetext", `${fmt(state.z[j], 1)}, probability ${fmt(r.p[j], 2)}`);
      row.out.p.set(r.p[j]);
      row.out.t.set(r.t[j]);
      row.out.grad.set(r.grad[j]);
      row.out.diag.set(r.diag[j]);
    });
    lossOut.set(r.loss);
    tsumOut.set(r.tsum);
    draw(r);
  }
  // several traits often change together (C resizes z and soft_target):
  // redraw once, before the next frame, after all of them have landed
  function schedule() {
    if (!pending) {
      pending = true;
      queueMicrotask(update);
    }
  }

  cSel.select.addEventListener("change", () => {
    live.touch({ kind: "C" });
    const C = Number(cSel.select.value);
    model.set("target", Math.min(model.get("target"), C - 1));
    model.set("soft_target", resized(model.get("soft_target"), C));
    model.set("z", resized(model.get("z"), C));
    model.save_changes();
  });
  targetSel.select.addEventListener("change", () => {
    live.touch({ kind: "target" });
    const v = targetSel.select.value;
    if (v === "soft") {
      model.set("soft", true);
    } else {
      model.set("soft", false);
      model.set("target", Number(v));
    }
    model.save_changes();
  });
  temp.input.addEventListener("input", () => {
    live.touch({ kind: "temperature" });
    model.set("temperature", Number(temp.input.value));
    model.save_changes();
  });
  smooth.input.addEventListener("input", () => {
    live.touch({ kind: "label_smoothing" });
    model.set("label_smoothing", Number(smooth.input.value));
    model.save_changes();
  });

  listen(model, ["z", "target", "soft", "soft_target", "temperature", "label_smoothing"], () => {
    schedule();
    live.soon();
  }, cleanups);
  update();
  return () => cleanups.forEach((f) => f());
}

export default { render };
