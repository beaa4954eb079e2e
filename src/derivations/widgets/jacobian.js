// JacobianExplorer: the softmax Jacobian diag(p) - p p^T as a heatmap that
// follows the logits, with each row's sum beside it (always 0).

const J_C_MIN = 2;
const J_C_MAX = 10;
const J_Z_LIMIT = 10;
// |J_ij| <= 1/4 always (p(1-p) and p_i p_j both peak at 1/4): a fixed colour
// scale, so the colours mean the same thing while the logits move
const J_SCALE = 0.25;

function render({ model, el: host }) {
  const cleanups = [];
  const root = el("div", { class: "dx-explorer dx-jacobian" });
  host.append(root);

  const cSel = selectControl({
    name: "C",
    label: "Classes <var>C</var>",
    options: Array.from({ length: J_C_MAX - J_C_MIN + 1 }, (_, k) => ({ value: k + J_C_MIN, text: k + J_C_MIN })),
    value: model.get("z").length,
  });
  root.append(el("div", { class: "dx-controls" }, [cSel.field]));
  const zBox = el("fieldset", { class: "dx-sliders" });
  root.append(zBox);

  const table = el("table", { class: "dx-heatmap" });
  const caption = el("caption", {}, ["The softmax Jacobian ", el("var", {}, ["J"]), " = diag(", el("var", {}, ["p"]),
    ") − ", el("var", {}, ["p p"]), el("sup", {}, ["T"]), " and its row sums"]);
  root.append(tableWrap(table, caption, cleanups));
  root.append(el("p", { class: "dx-note" }, [
    "Entry (", el("var", {}, ["i"]), ", ", el("var", {}, ["j"]), ") is ∂p", el("sub", {}, ["i"]),
    "/∂z", el("sub", {}, ["j"]), " = p", el("sub", {}, ["i"]), "(δ", el("sub", {}, ["ij"]), " − p",
    el("sub", {}, ["j"]), "): positive on the diagonal (warm), negative off it (cool). ",
    "Each row sums to 0: adding one constant to every logit leaves softmax unchanged.",
  ]));

  let rows = null;
  const live = announcer(root, describeJacobian, cleanups);

  /** What a screen reader hears: the moved logit, its probability and its
   *  diagonal entry p(1 − p). */
  function describeJacobian(touched) {
    const z = model.get("z");
    const p = softmax(z);
    const j = touched && touched.kind === "z" ? touched.j : argmax(p);
    const entry = `p${j} = ${fmt(p[j], 2)}, diagonal entry J${j},${j} = ${fmt(p[j] * (1 - p[j]), 3)}`;
    if (touched && touched.kind === "z") return `z${j} = ${fmt(z[j], 1)}: ${entry}; every row sums to 0`;
    return `${z.length} classes, largest probability ${entry}`;
  }

  function build(C) {
    zBox.replaceChildren(el("legend", {}, ["Logits ", el("var", {}, ["z"]), " and probabilities ", el("var", {}, ["p"])]));
    const z = model.get("z");
    const sliders = [];
    for (let j = 0; j < C; j++) {
      const zc = rangeControl({
        name: `z${j}`, label: `<var>z</var>${sub(j)}`, min: -J_Z_LIMIT, max: J_Z_LIMIT, step: 0.1, value: z[j],
      });
      zc.input.addEventListener("input", () => {
        live.touch({ kind: "z", j });
        const next = model.get("z").slice();
        next[j] = Number(zc.input.value);
        model.set("z", next);
        model.save_changes();
      });
      const pOut = numberOut(`p${j}`);
      zBox.append(el("div", { class: "dx-slider-row dx-slider-row-p" }, [
        zc.label, zc.input, zc.readout, el("span", { class: "dx-p-label" }, ["p", sub(j), " = ", pOut.el]),
      ]));
      sliders.push({ zc, pOut });
    }
    table.classList.toggle("dx-heatmap-dense", C > 6);
    const head = el("tr", {}, [el("th", { scope: "col" }, [el("span", { class: "dx-corner" }, ["i \\ j"])])]);
    for (let j = 0; j < C; j++) head.append(el("th", { scope: "col" }, [String(j)]));
    head.append(el("th", { scope: "col", class: "dx-rowsum" }, ["row sum"]));
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
    table.replaceChildren(caption, el("thead", {}, [head]), body);
    rows = { sliders, cells, sums };
  }

  let pending = false;
  function update() {
    pending = false;
    const z = model.get("z");
    const C = z.length;
    if (!rows || rows.sliders.length !== C) build(C);
    cSel.select.value = String(C);
    const p = softmax(z);
    const J = softmaxJacobian(p);
    rows.sliders.forEach(({ zc, pOut }, j) => {
      if (Number(zc.input.value) !== z[j]) zc.input.value = z[j];
      zc.show();
      zc.input.setAttribute("aria-valuetext", `${fmt(z[j], 1)}, probability ${fmt(p[j], 2)}`);
      pOut.set(p[j]);
    });
    for (let i = 0; i < C; i++) {
      for (let j = 0; j < C; j++) {
        const { td, out } = rows.cells[i][j];
        const v = J[i][j];
        out.set(v);
        const alpha = Math.min(1, Math.abs(v) / J_SCALE) * 0.85;
        td.style.backgroundColor = `rgba(var(${v >= 0 ? "--dx-pos" : "--dx-neg"}), ${alpha.toFixed(3)})`;
      }
      rows.sums[i].set(sum(J[i]));
    }
  }
  function schedule() {
    if (!pending) {
      pending = true;
      queueMicrotask(update);
    }
  }

  cSel.select.addEventListener("change", () => {
    live.touch({ kind: "C" });
    model.set("z", resized(model.get("z"), Number(cSel.select.value)));
    model.save_changes();
  });
  listen(model, ["z"], () => {
    schedule();
    live.soon();
  }, cleanups);
  update();
  return () => cleanups.forEach((f) => f());
}

export default { render };
