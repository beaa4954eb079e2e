// LogitsExplorer: drag the logits, watch softmax, the gradient and the
// asker's diagonal-only gradient. See derivations/widgets/logits.py for the
// definitions; this module recomputes them in the browser so that the
// explorer stays live on the static site.

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
// its value and what it moves most (describeLogits adds the loss), in the
// explorer's language `t`.
const LOGITS_SAY = {
  z: (t, s, r, j) => t("logits.say_z", { j, z: fmt(s.z[j], 1), p: fmt(r.p[j], 2) }),
  soft_target: (t, s, r, j) => t("logits.say_soft_target", { j, t: fmt(s.soft_target[j], 2), sum: fmt(r.tsum, 2) }),
  temperature: (t, s, r, j) => t("logits.say_temperature", { T: fmt(s.temperature, 2), j, p: fmt(r.p[j], 2) }),
  label_smoothing: (t, s) => t("logits.say_label_smoothing", { eps: fmt(s.label_smoothing, 2) }),
  target: (t, s, r) => (s.soft ? t("logits.soft")
    : t("logits.say_target", { k: s.target, p: fmt(r.p[s.target], 2) })),
  C: (t, s, r, j) => t("logits.say_classes", { C: r.C, j, p: fmt(r.p[j], 2) }),
  kernel: (t, s, r, j) => t("logits.say_kernel", { j, p: fmt(r.p[j], 2) }),
};

function describeLogits(t, state, touched) {
  const r = computeLogits(state);
  const own = touched && touched.j !== undefined && touched.j < r.C;
  const say = LOGITS_SAY[touched ? touched.kind : "kernel"];
  return t("logits.say_loss", { change: say(t, state, r, own ? touched.j : argmax(r.p)), loss: fmt(r.loss, 3) });
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

// ---- build: the DOM, once (the rows that depend on C, whenever C changes) ----

function buildLogitsControls(s) {
  const { C_MIN, C_MAX, T_MIN, T_MAX } = s.limits;
  const { t } = s;
  s.cSel = selectControl({
    name: "C", label: t("common.classes_label"), options: classCountOptions(C_MIN, C_MAX), value: s.model.get("z").length,
  });
  s.targetSel = selectControl({ name: "target", label: t("logits.target_label"), options: [], value: 0 });
  s.temp = rangeControl({
    name: "temperature", label: t("logits.temperature_label"),
    min: T_MIN, max: T_MAX, step: 0.05, value: s.model.get("temperature"),
  });
  s.smooth = rangeControl({
    name: "label_smoothing", label: t("logits.smoothing_label"),
    min: 0, max: 1, step: 0.01, value: s.model.get("label_smoothing"),
  });
  s.root.append(el("div", { class: "dx-controls" }, [
    s.cSel.field, s.targetSel.field, rangeField(s.temp), rangeField(s.smooth),
  ]));
  s.zBox = el("fieldset", { class: "dx-sliders" });
  s.softBox = el("fieldset", { class: "dx-sliders dx-soft" });
  s.root.append(s.zBox, s.softBox);
}

function buildLogitsFigure(s) {
  const { t } = s;
  s.chart = svgEl("svg", { class: "dx-chart", role: "img", "aria-label": t("logits.chart_label") });
  s.root.append(s.chart);
  s.root.append(el("p", { class: "dx-legend" }, [
    legendItem("dx-swatch-p", [richText(t("logits.legend_p"))]),
    legendItem("dx-swatch-t", [richText(t("logits.legend_t"))]),
    legendItem("dx-swatch-grad", [t("logits.legend_grad")]),
    legendItem("dx-swatch-diag", [t("logits.diag")]),
  ]));
  s.root.append(el("p", { class: "dx-note" }, [richText(t("logits.note"))]));
}

function buildLogitsTable(s) {
  const { t } = s;
  const table = el("table", { class: "dx-table" });
  const caption = el("caption", {}, [t("logits.caption")]);
  const heads = [t("common.class"), "p", "t′", "∂L/∂z", t("logits.diag")];
  const thead = el("thead", {}, [el("tr", {}, heads.map((h) => el("th", { scope: "col" }, [h])))]);
  s.tbody = el("tbody");
  table.append(caption, thead, s.tbody);
  s.root.append(tableWrap(table, caption, s.cleanups));
  s.lossOut = numberOut("loss", 4);
  s.tsumOut = numberOut("tsum", 3);
  s.root.append(el("p", { class: "dx-summary" }, [
    richText(t("logits.loss_line"), { loss: s.lossOut.el }),
    el("span", { class: "dx-sep" }, [" · "]),
    "Σ", el("var", {}, ["t′"]), " = ", s.tsumOut.el,
  ]));
}

/** The sliders, table rows and target options of C classes. */
function buildLogitsRows(s, C) {
  const { model } = s;
  const Z = s.limits.Z_LIMIT;
  s.zBox.replaceChildren(el("legend", {}, [richText(s.t("logits.legend_z"))]));
  s.softBox.replaceChildren(el("legend", {}, [richText(s.t("logits.legend_soft"))]));
  const z = model.get("z");
  const softTarget = resized(model.get("soft_target"), C);
  const zcs = sliderRow(s, {
    box: s.zBox, trait: "z", kind: "z", count: C,
    spec: (j) => ({ name: `z${j}`, label: `<var>z</var>${sub(j)}`, min: -Z, max: Z, step: 0.1, value: z[j] }),
  });
  const tcs = sliderRow(s, {
    box: s.softBox, trait: "soft_target", kind: "soft_target", count: C, length: () => model.get("z").length,
    spec: (j) => ({ name: `soft_target${j}`, label: `<var>t</var>${sub(j)}`, min: 0, max: 1, step: 0.01, value: softTarget[j] }),
  });
  s.tbody.replaceChildren();
  s.rows = zcs.map((zc, j) => {
    const out = { p: numberOut(`p${j}`), t: numberOut(`t${j}`), grad: numberOut(`grad${j}`), diag: numberOut(`diag${j}`) };
    s.tbody.append(el("tr", {}, [
      el("th", { scope: "row" }, [String(j)]),
      el("td", {}, [out.p.el]), el("td", {}, [out.t.el]),
      el("td", {}, [out.grad.el]), el("td", {}, [out.diag.el]),
    ]));
    return { zc, tc: tcs[j], out };
  });
  const opts = Array.from({ length: C }, (_, j) => el("option", { value: j }, [s.t("logits.option_class", { j })]));
  opts.push(el("option", { value: "soft" }, [s.t("logits.soft")]));
  s.targetSel.select.replaceChildren(...opts);
}

// ---- draw: the two bar charts, from a computed state -------------------------

const LOGITS_CHART = { H: 338, left: 44, right: 8, top1: 30, h1: 100, top2: 178, h2: 130 };

function tickLabel(x, y, text, anchor = "end") {
  return svgEl("text", { x, y, class: "dx-tick", "text-anchor": anchor }, [text]);
}

/** softmax p as bars, the target t′ as a mark on each. */
function drawProbabilities(parts, g, r) {
  const { left, right, top1, h1 } = LOGITS_CHART;
  parts.push(svgEl("text", { x: left, y: 14, class: "dx-axis-title" }, [g.t("logits.axis_p")]));
  parts.push(svgEl("line", { x1: left, x2: g.W - right, y1: top1 + h1, y2: top1 + h1, class: "dx-axis" }));
  parts.push(tickLabel(left - 6, top1 + 5, "1"), tickLabel(left - 6, top1 + h1 + 4, "0"));
  for (let j = 0; j < r.C; j++) {
    const x0 = left + j * g.band;
    const bh = h1 * Math.min(r.p[j], 1);
    parts.push(svgEl("rect", {
      x: x0 + g.band * 0.2, width: g.band * 0.6, y: top1 + h1 - bh, height: bh, class: "dx-bar-p",
    }));
    if (r.t[j] > 0) {
      const ty = top1 + h1 - h1 * Math.min(r.t[j], 1);
      parts.push(svgEl("line", { x1: x0 + g.band * 0.1, x2: x0 + g.band * 0.9, y1: ty, y2: ty, class: "dx-mark-t" }));
    }
    parts.push(tickLabel(x0 + g.band / 2, top1 + h1 + 16, String(j), "middle"));
  }
}

/** The correct and the diagonal-only gradient side by side, about 0. */
function drawGradients(parts, g, r) {
  const { left, right, top2, h2 } = LOGITS_CHART;
  // a symmetric axis that only grows (past 1) when the values need it,
  // so that the usual case keeps one fixed scale while dragging
  const scale = Math.max(1, ...r.grad.map(Math.abs), ...r.diag.map(Math.abs));
  const mid = top2 + h2 / 2;
  parts.push(svgEl("text", { x: left, y: top2 - 8, class: "dx-axis-title" }, [g.t("logits.axis_grad")]));
  parts.push(svgEl("line", { x1: left, x2: g.W - right, y1: mid, y2: mid, class: "dx-axis" }));
  parts.push(tickLabel(left - 6, top2 + 5, fmt(scale, 1)), tickLabel(left - 6, mid + 4, "0"),
    tickLabel(left - 6, top2 + h2 + 3, fmt(-scale, 1)));
  for (let j = 0; j < r.C; j++) {
    const x0 = left + j * g.band;
    for (const [v, cls, off] of [[r.grad[j], "dx-bar-grad", 0.12], [r.diag[j], "dx-bar-diag", 0.52]]) {
      const hh = (h2 / 2) * (Math.abs(v) / scale);
      parts.push(svgEl("rect", {
        x: x0 + g.band * off, width: g.band * 0.36, y: v >= 0 ? mid - hh : mid, height: hh, class: cls,
      }));
    }
    parts.push(tickLabel(x0 + g.band / 2, top2 + h2 + 18, String(j), "middle"));
  }
}

function drawLogits(s, r) {
  // one user unit per CSS pixel, so the labels keep their size on a phone
  const W = chartWidth(s.size);
  s.chart.setAttribute("viewBox", `0 0 ${W} ${LOGITS_CHART.H}`);
  const g = { W, band: (W - LOGITS_CHART.left - LOGITS_CHART.right) / r.C, t: s.t };
  const parts = [];
  drawProbabilities(parts, g, r);
  drawGradients(parts, g, r);
  s.chart.replaceChildren(...parts);
}

// ---- update: recompute from the model, refresh the controls and numbers ------

function updateLogits(s) {
  const state = readState(s.model);
  const r = computeLogits(state);
  if (!s.rows || s.rows.length !== r.C) buildLogitsRows(s, r.C);
  s.cSel.select.value = String(r.C);
  s.targetSel.select.value = state.soft ? "soft" : String(state.target);
  s.softBox.hidden = !state.soft;
  syncRange(s.temp, state.temperature);
  syncRange(s.smooth, state.label_smoothing);
  const softTarget = resized(state.soft_target, r.C);
  s.rows.forEach((row, j) => {
    syncRange(row.zc, state.z[j]);
    syncRange(row.tc, softTarget[j]);
    row.zc.input.setAttribute("aria-valuetext", s.t("common.logit_valuetext", { z: fmt(state.z[j], 1), p: fmt(r.p[j], 2) }));
    row.out.p.set(r.p[j]);
    row.out.t.set(r.t[j]);
    row.out.grad.set(r.grad[j]);
    row.out.diag.set(r.diag[j]);
  });
  s.lossOut.set(r.loss);
  s.tsumOut.set(r.tsum);
  drawLogits(s, r);
}

// ---- wire: what the controls send --------------------------------------------

function wireLogits(s) {
  const { model } = s;
  s.cSel.select.addEventListener("change", () => {
    s.live.touch({ kind: "C" });
    const C = Number(s.cSel.select.value);
    model.set("target", Math.min(model.get("target"), C - 1));
    model.set("soft_target", resized(model.get("soft_target"), C));
    model.set("z", resized(model.get("z"), C));
    model.save_changes();
  });
  s.targetSel.select.addEventListener("change", () => {
    s.live.touch({ kind: "target" });
    const v = s.targetSel.select.value;
    model.set("soft", v === "soft");
    if (v !== "soft") model.set("target", Number(v));
    model.save_changes();
  });
  s.temp.input.addEventListener("input", () => sendInput(s, "temperature", "temperature", Number(s.temp.input.value)));
  s.smooth.input.addEventListener("input", () => {
    sendInput(s, "label_smoothing", "label_smoothing", Number(s.smooth.input.value));
  });
}

function render({ model, el: host }) {
  const s = mountExplorer(model, host, "dx-logits", { tracksWidth: true });
  buildLogitsControls(s);
  buildLogitsFigure(s);
  buildLogitsTable(s);
  s.live = announcer(s.root, (touched) => describeLogits(s.t, readState(model), touched), s.cleanups);
  wireLogits(s);
  return followModel(s, ["z", "target", "soft", "soft_target", "temperature", "label_smoothing"], () => updateLogits(s));
}

export default explorerWidget(render);
