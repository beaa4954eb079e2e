"""derivations.teaching.figures: the palette, the rc style, the four renderings, and the chapters' use of them."""

from __future__ import annotations

import io
import re
from itertools import combinations
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from derivations.teaching import figures  # noqa: E402
from derivations.teaching.figures import PALETTES, Style, render, show_figure  # noqa: E402

BOOK = Path(__file__).resolve().parents[2] / "book"

# Machado, Oliveira and Fernandes (2009), severity 1, on linear RGB.
CVD = {
    "protanopia": np.array([[0.152286, 1.052583, -0.204868],
                            [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968],
                              [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
}
MIN_DELTA_E = 15.0


def _linear(rgb):
    c = np.asarray(rgb, float) / 255
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _lab(linear):
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ linear
    xyz = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def _hex(colour):
    return [int(colour[i:i + 2], 16) for i in (1, 3, 5)]


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("vision", [None, *CVD])
def test_palette_entries_stay_apart_under_colour_blindness(theme, vision):
    labs = []
    for colour in PALETTES[theme]:
        lin = _linear(_hex(colour))
        if vision:
            lin = np.clip(CVD[vision] @ lin, 0, 1)
        labs.append(_lab(lin))
    closest = min(np.linalg.norm(a - b) for a, b in combinations(labs, 2))
    assert closest >= MIN_DELTA_E, f"{theme} palette under {vision}: two entries {closest:.1f} apart"


def _draw_lines(style):
    fig, ax = plt.subplots(figsize=style.figsize)
    for k in range(3):
        ax.plot([0, 1], [k, k + 1], label=style.verbatim(f"s{k}"), **style.series(k))
    ax.legend()
    ax.set_xlabel("x")
    return fig


def test_series_differ_by_line_style_as_well_as_colour():
    style = Style("light", False, (4, 3))
    kws = [style.series(k, marker=True) for k in range(len(PALETTES["light"]))]
    assert len({kw["linestyle"] if isinstance(kw["linestyle"], str) else repr(kw["linestyle"])
                for kw in kws}) == len(kws)
    assert len({kw["marker"] for kw in kws}) == len(kws)
    assert len({style.bars(k)["hatch"] for k in range(4)}) == 4


def test_dark_rendering_is_transparent_with_light_ink():
    r = render(_draw_lines, Style("dark", False, (4, 3)))
    image = np.asarray(Image.open(io.BytesIO(r.png)).convert("RGBA"))
    assert image[0, 0, 3] == 0 and image[-1, -1, 3] == 0, "the page shows through the background"
    opaque = image[image[..., 3] > 200][:, :3]
    grey = opaque[(np.ptp(opaque, axis=1) < 8)]  # text and axes, not the coloured lines
    assert grey.mean() > 150, "text and axes of the dark rendering are light"


def test_legend_colours_are_recorded_for_the_colour_vision_tests():
    r = render(_draw_lines, Style("dark", False, (4, 3)))
    assert r.palette == tuple(c.lower() for c in PALETTES["dark"][:3])


def test_small_text_is_refused():
    def draw(style):
        fig, ax = plt.subplots(figsize=style.figsize)
        ax.text(0.5, 0.5, style.verbatim("tiny"), fontsize=6)
        return fig

    with pytest.raises(ValueError, match="6 pt"):
        render(draw, Style("light", False, (4, 3)))


def test_a_wide_figure_offered_as_the_phone_layout_is_refused():
    # 8 pt text on a 7-inch figure would be drawn at about 5.7 px on a phone
    with pytest.raises(ValueError, match="on a phone the smallest text would be"):
        render(_draw_lines, Style("light", True, (7, 3)))


def test_narrow_text_reaches_the_phone_minimum():
    r = render(_draw_lines, Style("light", True, (3.6, 3)))
    assert r.font_fraction * figures.PHONE_COLUMN_PX >= figures.MIN_TEXT_PX


def test_show_figure_emits_both_themes_and_both_layouts():
    calls = []

    def draw(style):
        calls.append((style.theme, style.narrow, style.figsize))
        return _draw_lines(style)

    page = show_figure(draw, 'Three "rising" lines', wide=(5, 3), narrow=(3.6, 3))._repr_html_()
    assert sorted(calls) == [("dark", False, (5, 3)), ("dark", True, (3.6, 3)),
                             ("light", False, (5, 3)), ("light", True, (3.6, 3))]
    assert page.count('class="dfig-light"') == 1 and page.count('class="dfig-dark"') == 1
    assert page.count(f'<source media="{figures.NARROW_MEDIA}"') == 2
    assert page.count('alt="Three &quot;rising&quot; lines"') == 2
    # the font fractions the browser tests read
    fractions = [float(x) for x in re.findall(r'data-font-(?:wide|narrow)="([\d.]+)"', page)]
    assert len(fractions) == 4 and all(f > 0 for f in fractions)


def test_show_figure_needs_alt_text():
    with pytest.raises(ValueError, match="alt text"):
        show_figure(_draw_lines, "  ")


def test_text_on_picks_the_readable_ink():
    style = Style("light", False, (4, 3))
    cmap = matplotlib.colormaps["RdBu_r"]
    assert style.text_on(cmap(0.0)) == "white"   # deep blue
    assert style.text_on(cmap(0.5)) == "black"   # white centre


def _figure_cells(path):
    text = path.read_text(encoding="utf-8")
    return [c for c in re.findall(r"```\{code-cell\}[^\n]*\n(.*?)```", text, re.S) if "figure:" in c]


CHAPTERS_WITH_FIGURES = sorted(p for p in BOOK.glob("*.md") if _figure_cells(p))


@pytest.mark.parametrize("path", CHAPTERS_WITH_FIGURES, ids=lambda p: p.stem)
def test_every_chapter_figure_goes_through_show_figure(path):
    for cell in _figure_cells(path):
        name = re.search(r"name: (\S+)", cell).group(1)
        assert "show_figure(" in cell, f"{name} is not drawn by derivations.teaching.figures.show_figure"
        assert "plt.show()" not in cell and ":    alt:" not in cell, name
        assert not re.search(r'"tab:\w+"|cmap="(RdBu_r|Blues|gray_r)"', cell), (
            f"{name} names colours of one theme; take them from the style")
