/* Search results without raw TeX.
 *
 * Sphinx's search page builds each result's snippet from the page's HTML
 * source, where formulas are still TeX (\(C\), \[ ... \]): MathJax has not
 * run there. Before the snippet is taken, every formula is replaced by a
 * plain-text reading of it (\frac{a}{b} -> a/b, \partial -> ∂, no
 * delimiters), so "\(C\) classes" reads "C classes".
 */
(() => {
  "use strict";
  const SYMBOLS = {
    partial: "∂", sum: "Σ", prod: "Π", top: "ᵀ", odot: "⊙", cdot: "·", times: "×",
    le: "≤", leq: "≤", ge: "≥", geq: "≥", ne: "≠", neq: "≠", approx: "≈", to: "→",
    rightarrow: "→", Rightarrow: "⇒", implies: "⇒", mapsto: "↦", infty: "∞", in: "∈",
    lVert: "‖", rVert: "‖", Vert: "‖", lvert: "|", rvert: "|", vert: "|", mid: "|",
    langle: "⟨", rangle: "⟩", nabla: "∇", pm: "±", ldots: "…", cdots: "…", dots: "…",
    alpha: "α", beta: "β", gamma: "γ", delta: "δ", Delta: "Δ", varepsilon: "ε", epsilon: "ε",
    eta: "η", theta: "θ", lambda: "λ", mu: "μ", pi: "π", rho: "ρ", sigma: "σ", Sigma: "Σ",
    tau: "τ", phi: "φ", varphi: "φ", psi: "ψ", omega: "ω", Omega: "Ω", ell: "ℓ",
    quad: " ", qquad: " ", left: "", right: "", big: "", Big: "", bigl: "", bigr: "",
    Bigl: "", Bigr: "", displaystyle: "", limits: "", nolimits: "",
  };

  /** A plain-text reading of a TeX formula, good enough for a search snippet. */
  function texToText(tex) {
    let s = tex.replace(/^\s*(\\\(|\\\[|\$\$?)/, "").replace(/(\\\)|\\\]|\$\$?)\s*$/, "");
    s = s.replace(/\\(?:begin|end)\{[^}]*\}(\{[^}]*\})?/g, " ");
    let before;
    do {  // innermost first: \frac{a}{b} -> (a)/(b)
      before = s;
      s = s.replace(/\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}/g, "($1)/($2)");
      s = s.replace(/\\(?:operatorname|mathrm|mathbf|mathit|mathbb|mathcal|text|textrm|boldsymbol|hat|bar|tilde|vec|underbrace|overbrace)\s*\{([^{}]*)\}/g, "$1");
      s = s.replace(/\\sqrt\s*\{([^{}]*)\}/g, "√($1)");
    } while (s !== before);
    // font commands that take one letter without braces: \mathbf 1
    s = s.replace(/\\(?:mathbf|mathrm|mathit|mathbb|mathcal|boldsymbol)\s+/g, "");
    s = s.replace(/\\\\/g, " ").replace(/&/g, " ");
    s = s.replace(/\\([A-Za-z]+)/g, (m, name) => (name in SYMBOLS ? SYMBOLS[name] : name));
    s = s.replace(/\\[,;:! ]/g, " ").replace(/\\([{}_%#$])/g, "$1");
    s = s.replace(/[{}]/g, "");
    s = s.replace(/\((\w)\)\/\((\w)\)/g, "$1/$2");  // (1)/(N) -> 1/N
    return s.replace(/\s+/g, " ").trim();
  }
  window.derivationsTexToText = texToText;

  function patch() {
    if (typeof Search === "undefined" || !Search.htmlToText || Search.htmlToText.plainMaths) return;
    const original = Search.htmlToText;
    const plain = (htmlString, anchor) => {
      const doc = new DOMParser().parseFromString(htmlString, "text/html");
      doc.querySelectorAll(".math, span.math, div.math").forEach((el) => {
        el.textContent = ` ${texToText(el.textContent)} `;
      });
      return original(doc.documentElement.outerHTML, anchor);
    };
    plain.plainMaths = true;
    Search.htmlToText = plain;
  }
  // searchtools.js defines Search after this file on search.html, and
  // queries on DOMContentLoaded: patch at the start of that event
  document.addEventListener("DOMContentLoaded", patch);
})();
