// ToyNetworkExplorer: the two-output network y = W^T h, o = softmax(y),
// L = -sum_k t_k log o_k drawn as a computational graph. Every edge shows
// its value and the gradient that flows back along it; the two paths from L
// to w_21 are highlighted and summed.

function computeToy(h, w, t) {
  const y = [0, 1].map((j) => sum(h.map((hi, i) => w[i][j] * hi)));
  const o = softmax(y);
  const logo = logSoftmax(y);
  const loss = -sum(t.map((tk, k) => (tk === 0 ? 0 : tk * logo[k])));
  const dLdo = t.map((tk, k) => -tk / o[k]);
  // do_k/dy_j = o_k (delta_kj - o_j): both entries of each column matter
  const dody = o.map((ok, k) => o.map((oj, j) => (k === j ? ok : 0) - ok * oj));
  // the gradient carried back along the edge y_j -> o_k
  const msg = dody.map((row, k) => row.map((d, j) => dLdo[k] * d));
  const tsum = sum(t);
  // dL/dy_j = o_j sum(t) - t_j: the two messages into y_j, added and simplified
  const dLdy = o.map((oj, j) => oj * tsum - t[j]);
  const dLdw = h.map((hi) => dLdy.map((g) => hi * g));
  // the asker's dL/dw_ij = -t_j (1 - o_j) h_i, from the Jacobian's diagonal alone
  const diag = h.map((hi) => o.map((oj, j) => -t[j] * (1 - oj) * hi));
  const dLdh = w.map((row) => sum(row.map((wij, j) => wij * dLdy[j])));
  const path1 = dLdo[0] * dody[0][0] * h[1];
  const path2 = dLdo[1] * dody[1][0] * h[1];
  return { y, o, loss, dLdo, dody, msg, dLdy, dLdw, diag, dLdh, path1, path2 };
}

/** What a screen reader hears after a change: the field that changed, the
 *  output o1, the loss and the gradient of the weight that field names
 *  (w21, the weight of the two paths, for the other fields). */
function describeToy(say, h, w, t, touched) {
  const r = computeToy(h, w, t);
  const m = touched ? /^w(\d)(\d)$/.exec(touched.name) : null;
  const [i, j] = m ? [Number(m[1]), Number(m[2])] : [2, 1];
  const state = say("toy.say", { o: fmt(r.o[0], 2), loss: fmt(r.loss, 3), i, j, g: fmt(r.dLdw[i - 1][j - 1], 3) });
  if (!touched) return state;
  return say("toy.say_field", { name: touched.name, value: fmt(touched.value, 2), state });
}

// ---- build: the DOM, once -------------------------------------------------------

/** A number field that commits only complete numbers in min .. max (a
 *  half-typed "-" waits, marked invalid) and hands them to `onValue`. */
function numberField(s, { name, label, min, max, step, onValue }) {
  const c = numberControl({ name, label, min, max, step, value: 0 });
  c.input.addEventListener("input", () => {
    const v = c.input.valueAsNumber;
    const ok = Number.isFinite(v) && v >= min && v <= max;
    c.input.classList.toggle("dx-bad", !ok);
    c.input.setAttribute("aria-invalid", ok ? "false" : "true");
    if (!ok) return;
    s.live.touch({ name, value: v });
    onValue(v);
  });
  return c;
}

/** One fieldset of number fields, one per entry of the list trait `trait`
 *  (`index` is i, or [i, j] for w), named after the maths: 1-based, like w_21. */
function fieldGroup(s, { trait, indices, min, max, step, box }) {
  return indices.map((index) => {
    const ks = [].concat(index).map((k) => k + 1);
    const c = numberField(s, {
      name: `${trait}${ks.join("")}`, label: `<var>${trait}</var>${ks.map(sub).join("")}`, min, max, step,
      onValue: (v) => setEntry(s.model, trait, index, v),
    });
    box.append(c.field);
    return { input: c.input, index };
  });
}

function buildToyInputs(s) {
  const HW = s.limits.HW_LIMIT;
  const legend = (id) => el("legend", {}, [richText(s.t(id))]);
  const hBox = el("fieldset", { class: "dx-inputs" }, [legend("toy.legend_h")]);
  const wBox = el("fieldset", { class: "dx-inputs dx-inputs-w" }, [legend("toy.legend_w")]);
  const tBox = el("fieldset", { class: "dx-inputs" }, [legend("toy.legend_t")]);
  const hw = { min: -HW, max: HW, step: 0.1 };
  s.fields = {
    h: fieldGroup(s, { trait: "h", indices: [0, 1, 2], box: hBox, ...hw }),
    w: fieldGroup(s, { trait: "w", indices: [[0, 0], [0, 1], [1, 0], [1, 1], [2, 0], [2, 1]], box: wBox, ...hw }),
    t: fieldGroup(s, { trait: "t", indices: [0, 1], box: tBox, min: 0, max: 1, step: 0.05 }),
  };
  s.root.append(el("div", { class: "dx-input-groups" }, [hBox, wBox, tBox]));
}

function buildToyGraph(s) {
  const { t } = s;
  s.graph = svgEl("svg", { class: "dx-graph", role: "img", "aria-label": t("toy.graph_label") });
  s.root.append(s.graph);
  s.root.append(el("p", { class: "dx-legend" }, [
    legendItem("dx-swatch-value", [t("toy.legend_value")]),
    legendItem("dx-swatch-grad", [t("toy.legend_grad")]),
    legendItem("dx-swatch-path", [richText(t("toy.legend_path"))]),
  ]));
}

/** The two paths to w_21 and their sum, as sentences. */
function buildToyPaths(s, o) {
  const { t } = s;
  const path = (k) => el("p", {}, [richText(t("toy.path"), {
    k: sub(k), formula: `(∂L/∂o${sub(k)})(∂o${sub(k)}/∂y₁)(∂y₁/∂w₂₁)`, value: o(`path${k}`),
  })]);
  s.root.append(el("div", { class: "dx-paths" }, [
    path(1),
    path(2),
    el("p", { class: "dx-total" }, [richText(t("toy.sum"), {
      sum: o("path_sum"), sep: el("span", { class: "dx-sep" }, [" = "]),
      closed_form: el("span", {}, ["h₂(o₁(t₁ + t₂) − t₁) = ", o("closed_form")]),
    })]),
    el("p", { class: "dx-note" }, [richText(t("toy.note"), { value: o("diag_w21") })]),
  ]));
}

const th = (scope, text) => el("th", { scope }, [text]);

/** Every weight's gradient, and every node's value and gradient. */
function buildToyTables(s, o) {
  const { t } = s;
  const gradCaption = el("caption", {}, [t("toy.grad_caption")]);
  const gradHeads = ["i", "∂L/∂wᵢ₁", "∂L/∂wᵢ₂", t("toy.diag_head", { ij: "ᵢ₁" }), t("toy.diag_head", { ij: "ᵢ₂" })];
  const gradTable = el("table", { class: "dx-table" }, [
    gradCaption,
    el("thead", {}, [el("tr", {}, gradHeads.map((h) => th("col", h)))]),
    el("tbody", {}, [0, 1, 2].map((i) => el("tr", {}, [
      th("row", String(i + 1)),
      el("td", {}, [o(`dL_dw${i + 1}1`)]), el("td", {}, [o(`dL_dw${i + 1}2`)]),
      el("td", {}, [o(`diag_dw${i + 1}1`)]), el("td", {}, [o(`diag_dw${i + 1}2`)]),
    ]))),
  ]);
  const nodeRow = (label, value, grad) => el("tr", {}, [th("row", label), el("td", {}, [value]), el("td", {}, [grad])]);
  const nodeCaption = el("caption", {}, [t("toy.node_caption")]);
  const nodeTable = el("table", { class: "dx-table" }, [
    nodeCaption,
    el("thead", {}, [el("tr", {}, [t("toy.node"), t("toy.value"), t("toy.node_grad")].map((h) => th("col", h)))]),
    el("tbody", {}, [
      ...[1, 2].map((j) => nodeRow(`y${sub(j)}`, o(`y${j}`), o(`dL_dy${j}`))),
      ...[1, 2].map((k) => nodeRow(`o${sub(k)}`, o(`o${k}`), o(`dL_do${k}`))),
      nodeRow("L", o("loss"), "1"),
    ]),
  ]);
  s.root.append(el("div", { class: "dx-tables" }, [
    tableWrap(gradTable, gradCaption, s.cleanups), tableWrap(nodeTable, nodeCaption, s.cleanups),
  ]));
}

function buildToyOutputs(s) {
  s.out = {};
  const o = (name, digits = 4) => (s.out[name] = numberOut(name, digits)).el;
  buildToyPaths(s, o);
  buildToyTables(s, o);
  // the edge labels in the graph carry outputs too, created once and moved
  s.edgeOut = {};
  for (let k = 1; k <= 2; k++) {
    for (let j = 1; j <= 2; j++) s.edgeOut[`do${k}_dy${j}`] = numberOut(`do${k}_dy${j}`);
    for (let j = 1; j <= 2; j++) s.edgeOut[`msg_y${j}_o${k}`] = numberOut(`msg_y${j}_o${k}`);
  }
  for (let i = 1; i <= 3; i++) s.edgeOut[`dL_dh${i}`] = numberOut(`dL_dh${i}`);
  // the graph shows these rounded; their full values sit here, out of sight
  s.root.append(el("div", { class: "dx-full", "aria-hidden": "true" }, Object.values(s.edgeOut).map((x) => x.el)));
}

// ---- draw: the graph --------------------------------------------------------------
// Columns h | w | y | o | L. Each weight is a box between its h and its y,
// so the edges that carry labels (w -> y, y -> o, o -> L) can be placed
// where they do not collide; the h -> w edges, which must cross, carry none.

/** The graph's layout at width W, and the lists its parts are drawn into. */
function graphLayout(W) {
  return {
    X: { h: 0.065 * W, w: 0.27 * W, y: 0.49 * W, o: 0.74 * W, L: 0.93 * W },
    yRow: [98, 308],
    hRow: [98, 203, 308],
    // boxes for w_i1 above (feeding y_1), for w_i2 below (feeding y_2)
    wRow: (i, j) => (j === 0 ? 40 : 250) + 58 * i,
    R: 22,
    BW: Math.min(84, Math.max(64, 0.15 * W)),
    edges: [], labels: [], nodes: [],
  };
}

const gLine = (g, x1, y1, x2, y2, cls) => g.edges.push(svgEl("line", { x1, y1, x2, y2, class: cls }));
const gText = (g, x, y, cls, s, anchor = "middle") =>
  g.labels.push(svgEl("text", { x, y, class: cls, "text-anchor": anchor }, [s]));

function gCircle(g, x, y, name, value, grad, onPath) {
  const { R } = g;
  g.nodes.push(svgEl("circle", { cx: x, cy: y, r: R, class: onPath ? "dx-node dx-node-path" : "dx-node" }));
  g.nodes.push(svgEl("text", { x, y: y + 4, class: "dx-node-value", "text-anchor": "middle" }, [fmt(value, 2)]));
  g.nodes.push(svgEl("text", { x, y: y - R - 6, class: "dx-node-name", "text-anchor": "middle" }, [name]));
  if (grad !== null) {
    g.nodes.push(svgEl("text", { x, y: y + R + 15, class: "dx-edge-grad", "text-anchor": "middle" }, [fmt(grad, 2)]));
  }
}

/** h -> w -> y: each weight a two-line box, its name and value, then dL/dw_ij. */
function drawWeights(g, r, w) {
  const { X, hRow, yRow, wRow, R, BW } = g;
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 2; j++) {
      const onPath = i === 1 && j === 0;
      gLine(g, X.h + R, hRow[i], X.w - BW / 2, wRow(i, j), "dx-edge dx-edge-thin");
      gLine(g, X.w + BW / 2, wRow(i, j), X.y - R, yRow[j], onPath ? "dx-edge dx-edge-path" : "dx-edge");
      const x = X.w, y = wRow(i, j);
      g.nodes.push(svgEl("rect", {
        x: x - BW / 2, y: y - 18, width: BW, height: 36, rx: 4,
        class: onPath ? "dx-node dx-node-path" : "dx-node",
      }));
      g.nodes.push(svgEl("text", { x, y: y - 3, class: onPath ? "dx-w-name dx-on-path" : "dx-w-name", "text-anchor": "middle" },
        [`w${sub(i + 1)}${sub(j + 1)} ${fmt(w[i][j], 2)}`]));
      g.nodes.push(svgEl("text", { x, y: y + 13, class: "dx-edge-grad", "text-anchor": "middle" }, [fmt(r.dLdw[i][j], 3)]));
    }
  }
}

/** y -> o: the local derivative (top) and the gradient carried back (bottom);
 *  o -> L: dL/do_k. */
function drawOutputEdges(g, r) {
  const { X, yRow, hRow } = g;
  for (let j = 0; j < 2; j++) {
    for (let k = 0; k < 2; k++) {
      gLine(g, X.y, yRow[j], X.o, yRow[k], j === 0 ? "dx-edge dx-edge-path" : "dx-edge");
      const f = j === k ? 0.5 : 0.4;
      const x = X.y + f * (X.o - X.y);
      const yMid = yRow[j] + f * (yRow[k] - yRow[j]);
      // horizontal edges are labelled above the line, clear of the nodes' own labels
      const base = j === k ? yMid - 22 : yMid - 4;
      gText(g, x, base, `dx-edge-value${j === 0 ? " dx-on-path" : ""}`, fmt(r.dody[k][j], 3));
      gText(g, x, base + 15, "dx-edge-grad", fmt(r.msg[k][j], 3));
    }
  }
  for (let k = 0; k < 2; k++) {
    gLine(g, X.o, yRow[k], X.L, hRow[1], "dx-edge dx-edge-path");
    const x = X.o + 0.5 * (X.L - X.o);
    const y = yRow[k] + 0.5 * (hRow[1] - yRow[k]);
    gText(g, x + 6, k === 0 ? y - 10 : y + 20, "dx-edge-grad", fmt(r.dLdo[k], 3), "start");
  }
}

function drawGraph(s, r, h, w) {
  const W = chartWidth(s.size, 360, 720);
  s.graph.setAttribute("viewBox", `0 0 ${W} 400`);
  const g = graphLayout(W);
  drawWeights(g, r, w);
  drawOutputEdges(g, r);
  for (let i = 0; i < 3; i++) gCircle(g, g.X.h, g.hRow[i], `h${sub(i + 1)}`, h[i], r.dLdh[i], false);
  for (let j = 0; j < 2; j++) gCircle(g, g.X.y, g.yRow[j], `y${sub(j + 1)}`, r.y[j], r.dLdy[j], j === 0);
  for (let k = 0; k < 2; k++) gCircle(g, g.X.o, g.yRow[k], `o${sub(k + 1)}`, r.o[k], r.dLdo[k], true);
  gCircle(g, g.X.L, g.hRow[1], "L", r.loss, null, true);
  s.graph.replaceChildren(...g.edges, ...g.nodes, ...g.labels);
}

// ---- update: the fields and every number, from the model --------------------------

function setToyOutputs(s, r, h, t) {
  const { out, edgeOut } = s;
  for (let j = 0; j < 2; j++) {
    out[`y${j + 1}`].set(r.y[j]);
    out[`dL_dy${j + 1}`].set(r.dLdy[j]);
    out[`o${j + 1}`].set(r.o[j]);
    out[`dL_do${j + 1}`].set(r.dLdo[j]);
  }
  out.loss.set(r.loss);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 2; j++) {
      out[`dL_dw${i + 1}${j + 1}`].set(r.dLdw[i][j]);
      out[`diag_dw${i + 1}${j + 1}`].set(r.diag[i][j]);
    }
    edgeOut[`dL_dh${i + 1}`].set(r.dLdh[i]);
  }
  for (let k = 0; k < 2; k++) {
    for (let j = 0; j < 2; j++) {
      edgeOut[`do${k + 1}_dy${j + 1}`].set(r.dody[k][j]);
      edgeOut[`msg_y${j + 1}_o${k + 1}`].set(r.msg[k][j]);
    }
  }
  out.path1.set(r.path1);
  out.path2.set(r.path2);
  out.path_sum.set(r.path1 + r.path2);
  out.closed_form.set(h[1] * (r.o[0] * (t[0] + t[1]) - t[0]));
  out.diag_w21.set(r.diag[1][0]);
}

function updateToy(s) {
  const h = s.model.get("h");
  const w = s.model.get("w");
  const t = s.model.get("t");
  const r = computeToy(h, w, t);
  const values = { h, w, t };
  // leave a field alone while its text still means the model's value
  for (const [trait, group] of Object.entries(s.fields)) {
    for (const { input, index } of group) {
      const [i, j] = [].concat(index);
      const v = j === undefined ? values[trait][i] : values[trait][i][j];
      if (input.valueAsNumber !== v) input.value = v;
    }
  }
  setToyOutputs(s, r, h, t);
  drawGraph(s, r, h, w);
}

// ---- wire: the fields wire themselves as they are built ----------------------------

function render({ model, el: host }) {
  const s = mountExplorer(model, host, "dx-toy", { tracksWidth: true });
  buildToyInputs(s);
  buildToyGraph(s);
  buildToyOutputs(s);
  // the live region goes last in the explorer; the fields' handlers above
  // reach it only once the reader types
  s.live = announcer(s.root, (touched) => describeToy(s.t, model.get("h"), model.get("w"), model.get("t"), touched),
    s.cleanups);
  return followModel(s, ["h", "w", "t"], () => updateToy(s));
}

export default explorerWidget(render);
