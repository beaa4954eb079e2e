/*
 * Glue between the Jupyter widget manager and the rest of the book's pages.
 *
 * The book serves every front-end file itself (see tools/vendor_assets.py), so a
 * page never contacts a CDN. This script is loaded on pages that embed widget
 * state, after require.js and before @jupyter-widgets/html-manager's
 * embed-amd.js, all from the site's _vendor/ folder. It fixes three things the
 * widget manager would otherwise get wrong on a static, offline page:
 *
 * 1. Third-party widget modules. The manager asks require.js for a module
 *    such as "anywidget" and, if that fails, falls back to the URL in the
 *    `data-jupyter-widgets-cdn` attribute (a public CDN by default). We map
 *    "anywidget" to the local copy, and point the fallback at our own
 *    _vendor/ folder too, so an unknown module shows up as a local 404 in the
 *    browser's console instead of a silent request to the internet.
 *
 * 2. Fonts. The manager's bundled CSS finds its icon fonts relative to the
 *    URL that require.js reports for "@jupyter-widgets/base"; without a path
 *    for it that is the page's own folder, where the fonts do not exist.
 *
 * 3. MathJax. html-manager 1.0.x typesets widget labels with the MathJax 2
 *    API, `MathJax.Hub.Queue(["Typeset", MathJax.Hub, el])`, which throws
 *    under the MathJax 3 that the book loads. We add a small `Hub` that
 *    forwards those calls to MathJax 3's typesetPromise.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  // Absolute URL of the folder this file was served from (the site's _vendor/).
  var vendor = script.src.replace(/[?#].*$/, "").replace(/[^/]*$/, "");

  // Keep an explicit CDN attribute if the page set one; otherwise use ours.
  if (!script.hasAttribute("data-jupyter-widgets-cdn")) {
    script.setAttribute("data-jupyter-widgets-cdn", vendor + "widget-modules/");
  }

  if (typeof window.requirejs !== "function") {
    console.error("widgets-shim.js: require.js must be loaded before this file.");
    return;
  }
  window.requirejs.config({
    paths: {
      // Modules defined inside embed-amd.js resolve to its folder, so the
      // fonts that webpack placed beside it are found.
      "@jupyter-widgets": vendor + "html-manager",
      "@jupyter-widgets/html-manager/dist": vendor + "html-manager",
      anywidget: vendor + "anywidget/index",
    },
  });

  function installHub() {
    var mj = window.MathJax;
    // No MathJax on this page (no maths), or a MathJax 2 that has its own Hub.
    if (!mj || mj.Hub || !mj.startup) {
      return;
    }
    mj.Hub = {
      Queue: function () {
        Array.prototype.forEach.call(arguments, function (job) {
          if (typeof job === "function") {
            job();
            return;
          }
          if (!Array.isArray(job) || job[0] !== "Typeset") {
            return;
          }
          var el = job[2];
          // Chain on startup.promise so typesetting calls never overlap.
          mj.startup.promise = mj.startup.promise
            .then(function () {
              return mj.typesetPromise(el ? [el] : undefined);
            })
            .catch(function (err) {
              console.warn("widgets-shim.js: MathJax typesetting failed", err);
            });
        });
      },
    };
  }

  // MathJax is loaded with `defer`, so it has run by DOMContentLoaded; the
  // widget manager renders on window "load", which comes later.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", installHub);
  } else {
    installHub();
  }
})();
