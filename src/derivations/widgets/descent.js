// DescentExplorer: full-batch gradient descent on softmax regression over a
// 2-D data set. Step, run or reset; the decision regions and the loss curve
// redraw after every step. The arithmetic mirrors DescentExplorer.step in
// derivations/widgets/descent.py, divergence included: a step whose
// parameters or loss overflow float64 is counted with a loss of null (JSON
// has no NaN or Infinity, so the state stays valid for the kernel and the
// static site), W and b keep their last finite values, and no further step
// is taken until Reset.

const RUN_STEPS = 200; // one run: this many steps, one per animation frame
const GRID = 90; // decision regions are evaluated on GRID x GRID points
const SHAPES = ["circle", "square", "triangle", "diamond", "circle", "square", "triangle", "diamond"];

/** Mean cross-entropy and its gradients for z = X W^T + b. */
function lossAndGrads(X, y, W, b) {
  const N = X.length;
  const C = b.length;
  const dW = W.map((row) => row.map(() => 0));
  const db = b.map(() => 0);
  let loss = 0;
  for (let n = 0; n < N; n++) {
    const x = X[n];
    const z = W.map((w, c) => w[0] * x[0] + w[1] * x[1] + b[c]);
    const logp = logSoftmax(z);
    loss -= logp[y[n]];
    // dL/dz for this row: (p - onehot(y)) / N, the 1/N from the mean
    for (let c = 0; c < C; c++) {
      const g = (Math.exp(logp[c]) - (c === y[n] ? 1 : 0)) / N;
      dW[c][0] += g * x[0];
      dW[c][1] += g * x[1];
      db[c] += g;
    }
  }
  return { loss: loss / N, dW, db };
}

/** Whether every number of a (nested) list is finite. */
function allFinite(a) {
  return a.every((v) => (Array.isArray(v) ? allFinite(v) : Number.isFinite(v)));
}

/** A loss curve that ends in null: the last step overflowed float64. */
function hasDiverged(history) {
  return history.length > 0 && history[history.length - 1] === null;
}

/** The predicted class and how sure the model is: 0 when every class ties
 *  (as at W = 0, b = 0), 1 when p puts all its mass on one class. */
function prediction(W, b, x0, x1) {
  const z = W.map((w, c) => w[0] * x0 + w[1] * x1 + b[c]);
  const p = softmax(z);
  let best = 0;
  for (let c = 1; c < p.length; c++) if (p[c] > p[best]) best = c;
  const C = p.length;
  return { c: best, sure: (p[best] - 1 / C) / (1 - 1 / C) };
}

/** The share of the points whose class the model predicts. */
function accuracyOf(X, y, W, b) {
  let correct = 0;
  for (let n = 0; n < X.length; n++) if (argmaxClass(W, b, X[n][0], X[n][1]) === y[n]) correct += 1;
  return correct / X.length;
}

/** What a screen reader hears after a step, a run, a reset or a new
 *  learning rate (`touched`): the step, the loss and the accuracy. */
function describeDescent(t, model, X, y, touched) {
  const steps = model.get("steps");
  if (hasDiverged(model.get("loss_history"))) return t("descent.say_diverged", { steps });
  const W = model.get("W");
  const b = model.get("b");
  const where = t("descent.say_where", {
    steps, loss: fmt(lossAndGrads(X, y, W, b).loss, 3), accuracy: fmt(accuracyOf(X, y, W, b), 2),
  });
  return touched ? t("descent.say_lr", { lr: fmt(model.get("lr"), 2), where }) : t("descent.say_at", { where });
}

function argmaxClass(W, b, x0, x1) {
  let best = 0;
  let bestZ = -Infinity;
  for (let c = 0; c < b.length; c++) {
    const z = W[c][0] * x0 + W[c][1] * x1 + b[c];
    if (z > bestZ) {
      bestZ = z;
      best = c;
    }
  }
  return best;
}

function parseColor(css) {
  // "#rrggbb" from a CSS variable, as [r, g, b]
  const m = /#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})/i.exec(css);
  return m ? [1, 2, 3].map((k) => parseInt(m[k], 16)) : [128, 128, 128];
}

function drawMarker(ctx, shape, x, y, r) {
  ctx.beginPath();
  if (shape === "square") {
    ctx.rect(x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7);
  } else if (shape === "triangle") {
    ctx.moveTo(x, y - r * 1.1);
    ctx.lineTo(x + r, y + r * 0.8);
    ctx.lineTo(x - r, y + r * 0.8);
    ctx.closePath();
  } else if (shape === "diamond") {
    ctx.moveTo(x, y - r * 1.2);
    ctx.lineTo(x + r * 1.1, y);
    ctx.lineTo(x, y + r * 1.2);
    ctx.lineTo(x - r * 1.1, y);
    ctx.closePath();
  } else {
    ctx.arc(x, y, r, 0, 2 * Math.PI);
  }
  ctx.fill();
  ctx.stroke();
}

// ---- build: the DOM, once -----------------------------------------------------

function buildDescentControls(s) {
  const { LR_MIN, LR_MAX } = s.limits;
  const { t } = s;
  s.stepBtn = el("button", { type: "button", name: "step" }, [t("descent.step")]);
  s.runBtn = el("button", { type: "button", name: "run", "aria-pressed": "false" }, [t("descent.run")]);
  s.resetBtn = el("button", { type: "button", name: "reset" }, [t("descent.reset")]);
  s.lr = rangeControl({
    name: "lr", label: t("descent.lr_label"), min: LR_MIN, max: LR_MAX, step: 0.01, value: s.model.get("lr"),
  });
  s.root.append(el("div", { class: "dx-controls" }, [s.stepBtn, s.runBtn, s.resetBtn, rangeField(s.lr)]));
  s.out = {};
  s.o = (name, digits = 4) => (s.out[name] = numberOut(name, digits)).el;
  s.root.append(el("p", { class: "dx-summary" }, [
    richText(t("descent.steps_out"), { steps: s.o("steps", 0) }), el("span", { class: "dx-sep" }, [" · "]),
    richText(t("descent.loss_out"), { loss: s.o("loss") }), el("span", { class: "dx-sep" }, [" · "]),
    richText(t("descent.accuracy_out"), { accuracy: s.o("accuracy", 3) }),
  ]));
  // shown when the loss overflowed: says what happened and what to do
  s.divergedNote = el("p", { class: "dx-note dx-diverged", hidden: true });
  s.root.append(s.divergedNote);
}

/** A class's marker in the legend, the shape drawMarker gives its points. */
function legendMarker(s, c) {
  const icon = svgEl("svg", { class: "dx-marker", viewBox: "-6 -6 12 12", width: 14, height: 14, "aria-hidden": "true" });
  const mark = SHAPES[c] === "square" ? svgEl("rect", { x: -4.2, y: -4.2, width: 8.4, height: 8.4 })
    : SHAPES[c] === "triangle" ? svgEl("polygon", { points: "0,-5.4 5,4 -5,4" })
    : SHAPES[c] === "diamond" ? svgEl("polygon", { points: "0,-5.6 5.2,0 0,5.6 -5.2,0" })
    : svgEl("circle", { r: 4.8 });
  mark.setAttribute("style", `fill: var(--dx-class-${c})`);
  icon.append(mark);
  return el("span", { class: "dx-legend-item" }, [icon, s.t("descent.legend_class", { c })]);
}

function buildDescentFigures(s) {
  s.canvas = el("canvas", { class: "dx-regions", role: "img", "aria-label": s.t("descent.regions_label") });
  s.curve = svgEl("svg", { class: "dx-curve", role: "img", "aria-label": s.t("descent.curve_label") });
  s.root.append(el("div", { class: "dx-descent-figs" }, [s.canvas, s.curve]));
  s.root.append(el("p", { class: "dx-legend" }, Array.from({ length: s.C }, (_, c) => legendMarker(s, c))));
}

/** W and b: full values for programs, a compact table for people. */
function buildParameterTable(s) {
  const { o } = s;
  const rows = Array.from({ length: s.C }, (_, c) => el("tr", {}, [
    el("th", { scope: "row" }, [String(c)]),
    el("td", {}, [o(`W${c}_0`, 3)]), el("td", {}, [o(`W${c}_1`, 3)]), el("td", {}, [o(`b${c}`, 3)]),
  ]));
  const caption = el("caption", {}, [richText(s.t("descent.params_caption"))]);
  s.root.append(tableWrap(el("table", { class: "dx-table" }, [
    caption,
    el("thead", {}, [el("tr", {}, [s.t("common.class"), "W·,₀", "W·,₁", "b"].map((h) => el("th", { scope: "col" }, [h])))]),
    el("tbody", {}, rows),
  ]), caption, s.cleanups));
}

/** The extent of the picture: the data's bounding square plus a margin. */
function dataExtent(X) {
  const xs = X.map((p) => p[0]);
  const ys = X.map((p) => p[1]);
  return {
    cx: (Math.min(...xs) + Math.max(...xs)) / 2,
    cy: (Math.min(...ys) + Math.max(...ys)) / 2,
    half: Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys)) / 2 + 0.5,
  };
}

// ---- draw: the decision regions and the loss curve --------------------------------

/** GRID x GRID predictions as an image: each point in its class's colour,
 *  shaded by confidence, so a region appears as the model commits to it. */
function regionImage(W, b, { cx, cy, half }, rgb) {
  const img = new ImageData(GRID, GRID);
  for (let r = 0; r < GRID; r++) {
    for (let q = 0; q < GRID; q++) {
      const x0 = cx - half + ((q + 0.5) / GRID) * 2 * half;
      const x1 = cy + half - ((r + 0.5) / GRID) * 2 * half;
      const { c, sure } = prediction(W, b, x0, x1);
      const k = 4 * (r * GRID + q);
      img.data[k] = rgb[c][0];
      img.data[k + 1] = rgb[c][1];
      img.data[k + 2] = rgb[c][2];
      img.data[k + 3] = Math.round(120 * sure);
    }
  }
  return img;
}

function drawRegions(s, W, b) {
  const { canvas, X, y, extent: { cx, cy, half } } = s;
  const side = chartWidth(s.size, 260, 400);
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.round(side * dpr);
  canvas.height = Math.round(side * dpr);
  canvas.style.width = `${side}px`;
  canvas.style.height = `${side}px`;
  const ctx = canvas.getContext("2d");
  const style = getComputedStyle(s.root);
  const colors = Array.from({ length: s.C }, (_, c) => style.getPropertyValue(`--dx-class-${c}`).trim());
  // the regions: GRID x GRID predictions, scaled up smoothly
  const off = new OffscreenCanvas(GRID, GRID);
  off.getContext("2d").putImageData(regionImage(W, b, s.extent, colors.map(parseColor)), 0, 0);
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(off, 0, 0, canvas.width, canvas.height);
  const px = (v) => ((v - (cx - half)) / (2 * half)) * canvas.width;
  const py = (v) => ((cy + half - v) / (2 * half)) * canvas.height;
  ctx.lineWidth = 1 * dpr;
  // outlined in the text colour: markers stand out from their own class's region
  ctx.strokeStyle = getComputedStyle(s.root).getPropertyValue("--dx-fg").trim() || "#222";
  for (let n = 0; n < X.length; n++) {
    ctx.fillStyle = colors[y[n]];
    drawMarker(ctx, SHAPES[y[n]], px(X[n][0]), py(X[n][1]), 4.5 * dpr);
  }
}

function drawCurve(s, history) {
  const { curve } = s;
  const W = chartWidth(s.size, 260, 400);
  const H = 180;
  curve.setAttribute("viewBox", `0 0 ${W} ${H}`);
  curve.style.maxWidth = `${W}px`;
  const left = 40, right = 10, top = 18, bottom = 26;
  // null marks a loss that overflowed: the curve stops there and says so
  const finite = history.filter((v) => Number.isFinite(v));
  const top0 = Math.max(...finite, 1e-12);
  const n = Math.max(history.length - 1, 1);
  const px = (k) => left + (k / n) * (W - left - right);
  const py = (v) => top + (1 - v / top0) * (H - top - bottom);
  const pts = history.flatMap((v, k) => (Number.isFinite(v) ? [`${px(k).toFixed(1)},${py(v).toFixed(1)}`] : []))
    .join(" ");
  const overflow = history.length > 0 && !Number.isFinite(history[history.length - 1]);
  const marks = overflow ? [
    svgEl("line", { x1: px(n), x2: px(n), y1: top, y2: H - bottom, class: "dx-axis dx-overflow-line" }),
    svgEl("text", { x: px(n) - 4, y: top + 14, class: "dx-tick dx-overflow", "text-anchor": "end" }, [s.t("descent.overflow")]),
  ] : [];
  curve.replaceChildren(
    svgEl("text", { x: W - right, y: 12, class: "dx-axis-title", "text-anchor": "end" }, [s.t("descent.training_loss")]),
    svgEl("line", { x1: left, x2: W - right, y1: H - bottom, y2: H - bottom, class: "dx-axis" }),
    svgEl("line", { x1: left, x2: left, y1: top, y2: H - bottom, class: "dx-axis" }),
    svgEl("text", { x: left - 5, y: top + 4, class: "dx-tick", "text-anchor": "end" }, [fmt(top0, 2)]),
    svgEl("text", { x: left - 5, y: H - bottom + 4, class: "dx-tick", "text-anchor": "end" }, ["0"]),
    svgEl("text", { x: W - right, y: H - 6, class: "dx-tick", "text-anchor": "end" }, [s.t("descent.axis_step", { n: history.length - 1 })]),
    svgEl("polyline", { points: pts, class: "dx-loss-line" }),
    ...marks,
  );
}

// ---- stepping ------------------------------------------------------------------------

/** One step; false if the descent has diverged (then nothing more happens). */
function stepOnce(s) {
  const { model, X, y } = s;
  if (hasDiverged(model.get("loss_history"))) return false;
  const eta = model.get("lr");
  const W0 = model.get("W");
  const b0 = model.get("b");
  const g = lossAndGrads(X, y, W0, b0);
  const W = W0.map((row, c) => row.map((v, d) => v - eta * g.dW[c][d]));
  const b = b0.map((v, c) => v - eta * g.db[c]);
  const after = allFinite(W) && allFinite(b) ? lossAndGrads(X, y, W, b) : null;
  const ok = after !== null && Number.isFinite(after.loss) && allFinite(after.dW) && allFinite(after.db);
  if (ok) {
    model.set("W", W);
    model.set("b", b);
  }
  model.set("steps", model.get("steps") + 1);
  model.set("loss_history", [...model.get("loss_history"), ok ? after.loss : null]);
  return ok;
}

function setRunning(s, on) {
  s.runBtn.textContent = s.t(on ? "descent.pause" : "descent.run");
  s.runBtn.setAttribute("aria-pressed", on ? "true" : "false");
  if (!on) {
    s.running = 0;
    if (s.frame !== null) cancelAnimationFrame(s.frame);
    s.frame = null;
    s.model.save_changes();
  }
}

/** One frame of a run: a step, until RUN_STEPS are done or the descent diverges. */
function tick(s) {
  s.frame = null;
  if (s.running <= 0 || !s.root.isConnected || !stepOnce(s)) {
    setRunning(s, false);
    return;
  }
  s.running -= 1;
  // the kernel (if any) hears about progress every 20 steps, not every frame
  if (s.running % 20 === 0) s.model.save_changes();
  s.frame = requestAnimationFrame(() => tick(s));
}

function reset(s) {
  const { model } = s;
  setRunning(s, false);
  const W = model.get("W").map((row) => row.map(() => 0));
  const b = model.get("b").map(() => 0);
  model.set("W", W);
  model.set("b", b);
  model.set("steps", 0);
  model.set("loss_history", [lossAndGrads(s.X, s.y, W, b).loss]);
  model.save_changes();
}

// ---- update: the numbers and the pictures, from the model --------------------------

function updateDescent(s) {
  const { model, out } = s;
  const W = model.get("W");
  const b = model.get("b");
  const g = lossAndGrads(s.X, s.y, W, b);
  out.steps.set(model.get("steps"));
  out.loss.set(g.loss);
  out.accuracy.set(accuracyOf(s.X, s.y, W, b));
  for (let c = 0; c < s.C; c++) {
    out[`W${c}_0`].set(W[c][0]);
    out[`W${c}_1`].set(W[c][1]);
    out[`b${c}`].set(b[c]);
  }
  syncRange(s.lr, model.get("lr"));
  const history = model.get("loss_history");
  const diverged = hasDiverged(history);
  s.stepBtn.disabled = diverged;
  s.runBtn.disabled = diverged;
  s.divergedNote.hidden = !diverged;
  s.divergedNote.textContent = diverged ? s.t("descent.diverged_note", { steps: model.get("steps") }) : "";
  drawCurve(s, history.length ? history : [g.loss]);
  drawRegions(s, W, b);
}

// ---- wire: the buttons and the slider ------------------------------------------------

function wireDescent(s) {
  s.running = 0; // steps left in the current run
  s.frame = null;
  s.stepBtn.addEventListener("click", () => {
    stepOnce(s);
    s.model.save_changes();
  });
  s.runBtn.addEventListener("click", () => {
    if (s.running > 0) {
      setRunning(s, false);
    } else {
      s.running = RUN_STEPS;
      setRunning(s, true);
      s.frame = requestAnimationFrame(() => tick(s));
    }
  });
  s.resetBtn.addEventListener("click", () => reset(s));
  s.lr.input.addEventListener("input", () => sendInput(s, "lr", "lr", Number(s.lr.input.value)));
  s.cleanups.push(() => {
    if (s.frame !== null) cancelAnimationFrame(s.frame);
  });
}

function render({ model, el: host }) {
  const s = mountExplorer(model, host, "dx-descent", { tracksWidth: true });
  Object.assign(s, { X: model.get("X"), y: model.get("y"), C: model.get("b").length });
  s.extent = dataExtent(s.X);
  buildDescentControls(s);
  // heard once a step, a reset or a whole run is over, not every frame
  s.live = announcer(s.root, (touched) => describeDescent(s.t, model, s.X, s.y, touched), s.cleanups);
  buildDescentFigures(s);
  buildParameterTable(s);
  wireDescent(s);
  return followModel(s, ["W", "b", "steps", "lr", "loss_history"], () => updateDescent(s));
}

export default explorerWidget(render);
