"""Every figure of the book, as a reader sees it: on a phone, on a desktop, in the dark, colour-blind.

Figures are drawn by ``derivations.teaching.figures.show_figure``, whose images carry
their smallest text as a fraction of the image width (``data-font-wide``,
``data-font-narrow``) and the colours that tell their categories apart
(``data-palette``). In chromium, with the site served locally:

* the text of every figure is at least ``MIN_TEXT_PX`` CSS px at 390 and at
  1280 px wide (its fraction times the width the image is drawn at);
* the phone gets the narrow layout and the desktop the wide one;
* in the dark theme the dark rendering is shown, with no light panel behind
  or around it (pixels sampled from a screenshot of the figure and its margin);
* under simulated deuteranopia and protanopia (an SVG ``feColorMatrix``
  applied to the image's pixels through a canvas filter), the colours of its
  categories stay at least ``MIN_DELTA_E`` apart (CIE76), for every figure.
"""

from __future__ import annotations

import io
import re

import numpy as np
import pytest
from PIL import Image
from test_site import CHAPTERS, _theme, _visit

MIN_TEXT_PX = 9.0
# a little below the palette's 15 (tests/teaching/test_figures.py): anti-aliased edges blur the samples
MIN_DELTA_E = 12.0
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
FIGURE_IMAGES = r"""
() => Array.from(document.querySelectorAll('article.bd-article figure img')).map(img => {
  const r = img.getBoundingClientRect();
  const narrow = img.currentSrc && img.currentSrc !== img.src;
  const fraction = parseFloat(img.dataset[narrow ? 'fontNarrow' : 'fontWide']);
  return {
    figure: (img.closest('figure') || {}).id || '?',
    shown: r.width > 0 && r.height > 0,
    helper: img.classList.contains('dfig'),
    theme: img.dataset.themeVariant || null,
    layout: narrow ? 'narrow' : 'wide',
    width: r.width,
    textPx: fraction * r.width,
  };
})
"""

# The figure's pixels, then the same pixels through each simulated colour vision;
# for each palette colour, the mean simulated colour where the image has it.
CVD_SAMPLES = r"""
async (figureId) => {
  const matrices = {
    protanopia: '0.152286 1.052583 -0.204868 0 0  0.114503 0.786281 0.099216 0 0  '
              + '-0.003882 -0.048116 1.051998 0 0  0 0 0 1 0',
    deuteranopia: '0.367322 0.860646 -0.227968 0 0  0.280085 0.672501 0.047413 0 0  '
                + '-0.011820 0.042940 0.968881 0 0  0 0 0 1 0',
  };
  if (!document.getElementById('cvd-filters')) {
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.id = 'cvd-filters';
    svg.setAttribute('style', 'position:absolute;width:0;height:0');
    svg.innerHTML = Object.entries(matrices).map(([name, m]) =>
      `<filter id="cvd-${name}" color-interpolation-filters="linearRGB">` +
      `<feColorMatrix type="matrix" values="${m}"/></filter>`).join('');
    document.body.appendChild(svg);
  }
  const img = Array.from(document.querySelectorAll(`figure#${figureId} img.dfig`))
    .find(i => i.getBoundingClientRect().width > 0);
  if (!img) return null;
  await img.decode();
  const w = img.naturalWidth, h = img.naturalHeight;
  const pixels = filter => {
    const canvas = document.createElement('canvas');
    canvas.width = w; canvas.height = h;
    const ctx = canvas.getContext('2d', {willReadFrequently: true});
    ctx.filter = filter;
    ctx.drawImage(img, 0, 0);
    return ctx.getImageData(0, 0, w, h).data;
  };
  const palette = JSON.parse(img.dataset.palette || '[]').map(c =>
    [1, 3, 5].map(i => parseInt(c.slice(i, i + 2), 16)));
  const plain = pixels('none');
  const where = palette.map(() => []);
  for (let p = 0; p < plain.length; p += 4) {
    if (plain[p + 3] < 250) continue;
    palette.forEach((c, k) => {
      const d = Math.abs(plain[p] - c[0]) + Math.abs(plain[p + 1] - c[1]) + Math.abs(plain[p + 2] - c[2]);
      if (d <= 6 && where[k].length < 4000) where[k].push(p);
    });
  }
  const out = {palette: img.dataset.palette, counts: where.map(x => x.length), seen: {}};
  for (const name of ['none', ...Object.keys(matrices)]) {
    const data = name === 'none' ? plain : pixels(`url(#cvd-${name})`);
    out.seen[name] = where.map(ps => {
      const sum = [0, 0, 0];
      ps.forEach(p => { sum[0] += data[p]; sum[1] += data[p + 1]; sum[2] += data[p + 2]; });
      return sum.map(s => s / Math.max(ps.length, 1));
    });
  }
  return out;
}
"""


def _lab(rgb):
    c = np.asarray(rgb, float) / 255
    lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ lin
    xyz = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def _figures(page):
    return [f for f in page.evaluate(FIGURE_IMAGES) if f["shown"]]


@pytest.mark.parametrize("width", [PHONE, DESKTOP], ids=["390", "1280"])
@pytest.mark.parametrize("path", CHAPTERS)
def test_figure_text_is_readable(page, site_url, path, width):
    page.set_viewport_size(width)
    _visit(page, site_url, path)
    shown = _figures(page)
    if not shown:
        pytest.skip(f"{path} has no figures")
    problems = [f"{f['figure']}: not drawn by show_figure" for f in shown if not f["helper"]]
    problems += [f"{f['figure']}: smallest text {f['textPx']:.1f} px (at {f['width']:.0f} px wide)"
                 for f in shown if f["helper"] and f["textPx"] < MIN_TEXT_PX]
    expected = "narrow" if width is PHONE else "wide"
    problems += [f"{f['figure']}: the {f['layout']} layout at {width['width']} px"
                 for f in shown if f["helper"] and f["layout"] != expected]
    assert not problems, f"{path} at {width['width']} px:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("path", CHAPTERS)
def test_dark_theme_shows_dark_figures_without_light_panels(page, site_url, path):
    _theme(page, "dark")
    page.set_viewport_size(DESKTOP)
    _visit(page, site_url, path)
    shown = _figures(page)
    if not shown:
        pytest.skip(f"{path} has no figures")
    problems = [f"{f['figure']}: shows the {f['theme']} rendering" for f in shown if f["theme"] != "dark"]
    for f in shown:
        img = next(i for i in page.locator(f"figure#{f['figure']} img").all() if i.is_visible())
        img.scroll_into_view_if_needed()
        box = img.bounding_box()
        margin = 12
        shot = page.screenshot(clip={"x": max(box["x"] - margin, 0), "y": box["y"] - margin,
                                     "width": box["width"] + 2 * margin, "height": box["height"] + 2 * margin})
        rgb = np.asarray(Image.open(io.BytesIO(shot)).convert("RGB"), float) / 255
        luminance = rgb @ np.array([0.2126, 0.7152, 0.0722])
        ring = np.concatenate([luminance[:margin // 2].ravel(), luminance[-margin // 2:].ravel(),
                               luminance[:, :margin // 2].ravel(), luminance[:, -margin // 2:].ravel()])
        light = float((luminance > 0.75).mean())
        if ring.mean() > 0.2:
            problems.append(f"{f['figure']}: a light frame around the figure (mean luminance {ring.mean():.2f})")
        if light > 0.12:
            problems.append(f"{f['figure']}: {light:.0%} of the figure is light (a light panel?)")
    assert not problems, f"{path} (dark):\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("path", CHAPTERS)
def test_figure_categories_survive_colour_blindness(page, site_url, path, mode):
    _theme(page, mode)
    page.set_viewport_size(DESKTOP)
    _visit(page, site_url, path)
    shown = _figures(page)
    if not shown:
        pytest.skip(f"{path} has no figures")
    problems, checked = [], 0
    for f in shown:
        result = page.evaluate(CVD_SAMPLES, f["figure"])
        if result is None:
            problems.append(f"{f['figure']}: no show_figure image")
            continue
        palette = re.findall(r"#[0-9a-f]{6}", result["palette"])
        if len(palette) < 2:
            continue  # one colour or a continuous map: the numbers and labels carry the meaning
        present = [k for k, n in enumerate(result["counts"]) if n >= 20]
        missing = [palette[k] for k in range(len(palette)) if k not in present]
        if missing:
            problems.append(f"{f['figure']}: palette colours {missing} are not drawn in the image")
        seen = result["seen"]
        # the filter must change colours, or the test would pass on an unfiltered image
        assert any(np.abs(np.subtract(seen["deuteranopia"][k], seen["none"][k])).max() > 10 for k in present)
        for vision in ("deuteranopia", "protanopia"):
            labs = {palette[k]: _lab(seen[vision][k]) for k in present}
            for i, a in enumerate(present):
                for b in present[i + 1:]:
                    d = float(np.linalg.norm(labs[palette[a]] - labs[palette[b]]))
                    if d < MIN_DELTA_E:
                        problems.append(f"{f['figure']}: {palette[a]} and {palette[b]} are {d:.1f} apart "
                                        f"under {vision}")
        checked += 1
    assert not problems, f"{path} ({mode}):\n  " + "\n  ".join(problems)
