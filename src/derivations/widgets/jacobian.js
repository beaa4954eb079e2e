// JacobianExplorer: the softmax Jacobian diag(p) - p p^T as a heatmap that
// follows the logits, with each row's sum beside it (always 0).

// |J_ij| <= 1/4 always (p(1-p) and p_i p_j both peak at 1/4): a fixed colour
// scale, so the colours mean the same thing while the logits move
const J_SCALE = 0.25;

/** What a screen reader hears: the moved logit, its probability and its
 *  diagonal entry p(1 − p). */
function describeJacobian(t, z, touched) {
  const p = softmax(z);
  const j = touched && touched.kind === "z" ? touched.j : argmax(p);
  const entry = t("jacobian.say_entry", { j, p: fmt(p[j], 2), d: fmt(p[j] * (1 - p[j]), 3) });
  if (touched && touched.kind === "z") return t("jacobian.say_z", { j, z: fmt(z[j], 1), entry });
  return t("jacobian.say_kernel", { C: z.length, entry });
}

// ---- build: the DOM, once (the sliders and the heatmap whenever C changes) ---

function buildJacobian(s) {
  const { C_MIN, C_MAX } = s.limits;
  const { t } = s;
  s.cSel = selectControl({
    name: "C", label: t("common.classes_label"), options: classCountOptions(C_MIN, C_MAX), value: s.model.get("z").length,
  });
  s.root.append(el("div", { class: "dx-controls" }, [s.cSel.field]));
  s.zBox = el("fieldset", { class: "dx-sliders" });
  s.root.append(s.zBox);
  s.table = el("table", { class: "dx-heatmap" });
  s.caption = el("caption", {}, [richText(t("jacobian.caption"))]);
  s.root.append(tableWrap(s.table, s.caption, s.cleanups));
  s.root.append(el("p", { class: "dx-note" }, [richText(t("jacobian.note"))]));
}

/** One slider per logit, each with its probability beside it. */
function buildJacobianSliders(s, C) {
  const Z = s.limits.Z_LIMIT;
  s.zBox.replaceChildren(el("legend", {}, [richText(s.t("jacobian.legend"))]));
  const z = s.model.get("z");
  const pOuts = Array.from({ length: C }, (_, j) => numberOut(`p${j}`));
  const zcs = sliderRow(s, {
    box: s.zBox, trait: "z", kind: "z", count: C, rowClass: "dx-slider-row dx-slider-row-p",
    spec: (j) => ({ name: `z${j}`, label: `<var>z</var>${sub(j)}`, min: -Z, max: Z, step: 0.1, value: z[j] }),
    extra: (j) => el("span", { class: "dx-p-label" }, ["p", sub(j), " = ", pOuts[j].el]),
  });
  return zcs.map((zc, j) => ({ zc, pOut: pOuts[j] }));
}

/** The C x C heatmap's cells and the row sums beside them. */
function buildHeatmap(s, C) {
  s.table.classList.toggle("dx-heatmap-dense", C > 6);
  const head = el("tr", {}, [el("th", { scope: "col" }, [el("span", { class: "dx-corner" }, ["i \\ j"])])]);
  for (let j = 0; j < C; j++) head.append(el("th", { scope: "col" }, [String(j)]));
  head.append(el("th", { scope: "col", class: "dx-rowsum" }, [s.t("jacobian.row_sum")]));
  const body = el("tbody");
  const cells = [];
  const sums = [];
  for (let i = 0; i < C; i++) {
    const tr = el("tr", {}, [el("th", { scope: "row" }, [String(i)])]);
    const row = [];
    for (let j = 0; j < C; j++) {
      const out = numberOut(`J${i}_${j}`, 2);
      const td = el("td", { class: "dx-cell" }, [out.el]);
      tr.append(td);
      row.push({ td, out });
    }
    const sumOut = numberOut(`rowsum${i}`, 2);
    tr.append(el("td", { class: "dx-rowsum" }, [sumOut.el]));
    body.append(tr);
    cells.push(row);
    sums.push(sumOut);
  }
  s.table.replaceChildren(s.caption, el("thead", {}, [head]), body);
  return { cells, sums };
}

// ---- draw and update: the heatmap's colours and numbers from the model --------

function drawHeatmap(s, J) {
  J.forEach((Ji, i) => {
    Ji.forEach((v, j) => {
      const { td, out } = s.rows.cells[i][j];
      out.set(v);
      const alpha = Math.min(1, Math.abs(v) / J_SCALE) * 0.85;
      td.style.backgroundColor = `rgba(var(${v >= 0 ? "--dx-pos" : "--dx-neg"}), ${alpha.toFixed(3)})`;
    });
    s.rows.sums[i].set(sum(Ji));
  });
}

function updateJacobian(s) {
  const z = s.model.get("z");
  const C = z.length;
  if (!s.rows || s.rows.sliders.length !== C) s.rows = { sliders: buildJacobianSliders(s, C), ...buildHeatmap(s, C) };
  s.cSel.select.value = String(C);
  const p = softmax(z);
  s.rows.sliders.forEach(({ zc, pOut }, j) => {
    syncRange(zc, z[j]);
    zc.input.setAttribute("aria-valuetext", s.t("common.logit_valuetext", { z: fmt(z[j], 1), p: fmt(p[j], 2) }));
    pOut.set(p[j]);
  });
  drawHeatmap(s, softmaxJacobian(p));
}

// ---- wire ----------------------------------------------------------------------

function render({ model, el: host }) {
  const s = mountExplorer(model, host, "dx-jacobian");
  buildJacobian(s);
  s.live = announcer(s.root, (touched) => describeJacobian(s.t, model.get("z"), touched), s.cleanups);
  s.cSel.select.addEventListener("change", () => {
    s.live.touch({ kind: "C" });
    model.set("z", resized(model.get("z"), Number(s.cSel.select.value)));
    model.save_changes();
  });
  return followModel(s, ["z"], () => updateJacobian(s));
}

export default explorerWidget(render);
