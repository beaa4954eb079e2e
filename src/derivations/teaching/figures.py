"""Figures for every reader: phone and desktop, light and dark, any colour vision.

Two ways to show a matplotlib figure on the site:

* :func:`show_figure` (use this): the chapter writes a ``draw(style)``
  function that draws the figure for one :class:`Style`; the helper calls it
  four times, for the wide (desktop) and the narrow (phone) layout in the
  light and the dark theme, and shows the four PNGs as one ``<figure>``
  output: a ``<picture>`` per theme whose ``<source media=...>`` switches to
  the narrow layout on small screens, and CSS (``_static/figures.css``)
  that shows the picture of the page's theme. Every drawing runs inside
  :func:`rc` for its style: the colour-blind-safe Okabe–Ito palette paired
  with line styles and markers, text and axes in the theme's ink, a
  transparent background, and no font below :data:`MIN_FONT_PT`.
  A chapter's figure cell then reads::

      def draw(style):
          fig, ax = plt.subplots(figsize=style.figsize, layout="constrained")
          for k, (label, ys) in enumerate(curves):
              ax.plot(xs, ys, label=label, **style.series(k))
          ax.legend()
          return fig

      show_figure(draw, alt=f"... written from the data ...",
                  wide=(7, 3.2), narrow=(3.6, 3.4))

  ``style.narrow`` lets ``draw`` change the layout for phones (panels
  stacked instead of side by side, shorter labels); ``style.ink``,
  ``style.muted``, ``style.faint`` and ``style.panel`` are the theme's
  colours for text, secondary text, faded marks and boxes;
  ``style.text_on(rgba)`` is the ink readable on a heatmap cell.

The rendered images carry what the browser tests measure
(``tests/browser/test_figures_rendered.py``): ``data-font`` is the smallest text of
the image as a fraction of its width (so its size on screen is that
fraction times the displayed width), and ``data-palette`` lists the colours
that tell the figure's categories apart (legend entries and ``categories=``),
which the tests pass through simulated deuteranopia and protanopia.
"""

from __future__ import annotations

import base64
import html
import io
import json
import re
from dataclasses import dataclass, field

from derivations import editions
from derivations.teaching import figure_text

#: The Okabe–Ito palette (Okabe and Ito 2008), distinguishable with every common colour vision.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
}
#: Series colours per theme, in the order figures use them. Ordered so that
#: neighbours stay far apart under deuteranopia and protanopia; on the dark
#: page sky blue replaces blue, which is too dark to read there.
PALETTES = {
    "light": tuple(OKABE_ITO[n] for n in (
        "blue", "orange", "bluish green", "reddish purple", "vermillion", "sky blue", "yellow")),
    "dark": tuple(OKABE_ITO[n] for n in (
        "sky blue", "orange", "bluish green", "reddish purple", "vermillion", "yellow", "blue")),
}
#: Line styles and markers paired with the palette, so no series is told by colour alone.
LINESTYLES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1, 1, 1)), (0, (1, 3)), (0, (8, 2)))
MARKERS = ("o", "s", "^", "D", "v", "P", "X")
#: Hatches for bars and areas, for the same reason.
HATCHES = ("", "//", "..", "xx", "\\\\", "++", "oo")
#: Colours of text and marks per theme: ink, muted (secondary text), faint (faded marks), panel (boxes).
INKS = {
    "light": {"ink": "#1a1a1a", "muted": "#555555", "faint": "#c8c8c8", "panel": "#f2f2f2"},
    "dark": {"ink": "#e6e6e6", "muted": "#b4b4b4", "faint": "#555555", "panel": "#2b2b2b"},
}
#: No text in a figure is drawn smaller than this (points).
MIN_FONT_PT = 8.0
#: The text column of the book at 390 CSS px (a phone) and what the smallest text must reach there.
PHONE_COLUMN_PX = 358
MIN_TEXT_PX = 9.0
#: Below this viewport width the narrow layout is shown.
NARROW_MEDIA = "(max-width: 640px)"
DPI = 150


@dataclass(frozen=True)
class Style:
    """What a ``draw`` function needs to know about the rendering it draws.

    Used in :ref:`puzzle`.

    Attributes
    ----------
    theme : {"light", "dark"}
    narrow : bool
        True for the phone layout.
    figsize : tuple of float
        Width and height in inches for this layout.
    language : str
        The language of the figure's words (one of the editions'); ``draw``
        writes each through :meth:`say`.
    """

    theme: str
    narrow: bool
    figsize: tuple
    language: str = "en"
    # every text :meth:`say` and :meth:`verbatim` gave out, which render() accepts
    said: set = field(default_factory=set, compare=False, repr=False)

    def say(self, english, **values):
        """The figure text ``english`` in this drawing's language (:mod:`~derivations.teaching.figure_text`).

        Examples
        --------
        >>> Style("light", False, (7, 3), "es").say("class {j}", j=3)
        'clase 3'
        """
        text = figure_text.say(english, self.language, **values)
        self.said.add(text)
        return text

    def verbatim(self, text):
        """``text`` as it is in every language: a code name or a symbol that reads the same in all.

        Examples
        --------
        >>> Style("light", False, (7, 3), "zh_CN").verbatim("logp")
        'logp'
        """
        self.said.add(text)
        return text

    @property
    def palette(self):
        """The series colours of this theme (:data:`PALETTES`)."""
        return PALETTES[self.theme]

    # the theme's neutral colours (:data:`INKS`), one property each
    ink, muted, faint, panel = (
        property(lambda self, key=key: INKS[self.theme][key], doc=f"The theme's {key} colour (:data:`INKS`).")
        for key in ("ink", "muted", "faint", "panel")
    )

    @property
    def diverging(self):
        """A diverging colormap for signed values: white-centred on light, dark-centred on dark."""
        return "RdBu_r" if self.theme == "light" else "berlin"

    @property
    def sequential(self):
        """A sequential colormap from the page's background colour to strong."""
        return "Blues" if self.theme == "light" else "cividis"

    @property
    def greys(self):
        """Greyscale images: dark ink on a light page, light ink on a dark one."""
        return "gray_r" if self.theme == "light" else "gray"

    def colour(self, k):
        """The ``k``-th series colour.

        Examples
        --------
        >>> Style("light", False, (7, 3)).colour(0), Style("dark", False, (7, 3)).colour(0)
        ('#0072B2', '#56B4E9')
        """
        return self.palette[k % len(self.palette)]

    def series(self, k, marker=False):
        """Keyword arguments for ``ax.plot`` that set series ``k`` apart by colour *and* line style.

        Examples
        --------
        >>> Style("light", False, (7, 3)).series(1, marker=True)
        {'color': '#E69F00', 'linestyle': '--', 'marker': 's'}
        """
        kw = {"color": self.colour(k), "linestyle": LINESTYLES[k % len(LINESTYLES)]}
        if marker:
            kw["marker"] = MARKERS[k % len(MARKERS)]
        return kw

    def bars(self, k):
        """Keyword arguments for ``ax.bar``: colour, hatch and an edge in the ink colour.

        Examples
        --------
        >>> Style("dark", True, (3, 3)).bars(1)["hatch"]
        '//'
        """
        return {"color": self.colour(k), "hatch": HATCHES[k % len(HATCHES)],
                "edgecolor": self.ink, "linewidth": 0.6}

    def text_on(self, rgba):
        """Black or white, whichever reads better on a cell of colour ``rgba``.

        Examples
        --------
        >>> s = Style("light", False, (7, 3))
        >>> s.text_on((0.0, 0.0, 0.3, 1.0)), s.text_on((1.0, 1.0, 0.9, 1.0))
        ('white', 'black')
        """
        r, g, b = (_linear(c) for c in rgba[:3])
        return "black" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.18 else "white"


def _linear(c):
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def rc(style):
    """matplotlib rcParams for ``style``: palette, ink, fonts, transparent background.

    Used in :ref:`puzzle`.

    Use as ``with matplotlib.rc_context(rc(style)):``; :func:`show_figure`
    does so around every ``draw``.

    Examples
    --------
    >>> params = rc(Style("dark", False, (7, 3)))
    >>> params["text.color"], params["savefig.transparent"], params["font.size"] >= MIN_FONT_PT
    ('#e6e6e6', True, True)
    """
    from cycler import cycler

    ink, muted = style.ink, style.muted
    size = 9.0
    # Chinese first: the words of a label that also holds $maths$ are drawn in the
    # first font alone (mathtext has no fallback), and WenQuanYi has Latin and
    # digits too; a glyph it lacks falls back to DejaVu Sans. The maths itself
    # keeps its DejaVu fonts in every language.
    fonts = [cjk_font(), "DejaVu Sans"] if style.language == "zh_CN" else ["DejaVu Sans"]
    return {
        "font.family": fonts,
        "font.size": size,
        "axes.titlesize": 10.0,
        "axes.labelsize": size,
        "xtick.labelsize": 8.5,
        "ytick.labelsize": 8.5,
        "legend.fontsize": 8.5,
        "legend.title_fontsize": 8.5,
        "figure.titlesize": 10.0,
        "text.color": ink,
        "axes.labelcolor": ink,
        "axes.edgecolor": muted,
        "axes.titlecolor": ink,
        "xtick.color": muted,
        "ytick.color": muted,
        "xtick.labelcolor": ink,
        "ytick.labelcolor": ink,
        "grid.color": style.faint,
        "axes.facecolor": "none",
        "figure.facecolor": "none",
        "savefig.facecolor": "none",
        "savefig.transparent": True,
        "legend.frameon": False,
        "legend.labelcolor": ink,
        "hatch.color": ink,
        "patch.edgecolor": ink,
        "lines.linewidth": 1.6,
        "axes.prop_cycle": cycler(color=list(style.palette)) + cycler(linestyle=list(LINESTYLES)),
        "image.cmap": "cividis",
    }


#: Words that read the same in every edition: code names, functions and units.
SAME_IN_EVERY_LANGUAGE = frozenset({
    "softmax", "exp", "log", "max", "min", "sum", "argmax", "logsumexp", "float", "NaN", "nan", "inf",
    "ulp", "ulps", "eps", "numpy", "torch", "BLAS", "CPU", "KiB", "MiB", "GiB", "ReLU", "JVP", "VJP",
})
_MATH = re.compile(r"(?<!\\)\$.*?(?<!\\)\$", re.S)
_WORD = re.compile(r"[^\W\d_]{3,}")


def words_left_in_english(fig, style):
    """The texts of ``fig`` that ``style.say`` did not write and that have words in them.

    Used in :ref:`puzzle`: :func:`render` refuses a figure with any, since
    the editions would show them in English. Maths, numbers and the words
    of :data:`SAME_IN_EVERY_LANGUAGE` are the same in every language.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> style = Style("light", False, (3, 2), "es")
    >>> fig, ax = plt.subplots()
    >>> _ = ax.set_xlabel(style.say("loss")); _ = ax.set_ylabel("loss"); _ = ax.set_title("$z_1$")
    >>> words_left_in_english(fig, style)
    ['loss']
    >>> plt.close(fig)
    """
    from matplotlib.text import Text

    left = []
    for artist in fig.findobj(Text):
        text = artist.get_text()
        if not artist.get_visible() or not text.strip() or text in style.said:
            continue
        if any(word not in SAME_IN_EVERY_LANGUAGE for word in _WORD.findall(_MATH.sub(" ", text))):
            left.append(text)
    return list(dict.fromkeys(left))


#: The font for Chinese figure text (Debian's fonts-wqy-microhei; make book installs it).
CJK_FONT = "WenQuanYi Micro Hei"
CJK_FONT_FILES = ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",)


def cjk_font():
    """The family name of the font that draws Chinese figure text, registered with matplotlib.

    Used by the Chinese edition's figures (see :ref:`puzzle`).

    Raises
    ------
    ValueError
        When the font is not installed, saying how to install it.
    """
    from matplotlib import font_manager

    if not any(f.name == CJK_FONT for f in font_manager.fontManager.ttflist):
        for path in CJK_FONT_FILES:
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError):
                continue
    if not any(f.name == CJK_FONT for f in font_manager.fontManager.ttflist):
        raise ValueError(f"Chinese figure text needs the font {CJK_FONT}: apt-get install fonts-wqy-microhei "
                         "(make book installs it)")
    return CJK_FONT


def heatmap(ax, M, style, *, vmin, vmax, cmap=None, fmt="{:.2f}", fontsize=8.5, **imshow):
    """``ax.imshow(M)`` with each cell's value written in it, in ink readable on the cell.

    Used in :ref:`puzzle`.

    The numbers carry the meaning, so the colours (``style.diverging`` by
    default) only help. Returns the image, for a colorbar.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> fig, ax = plt.subplots()
    >>> _ = heatmap(ax, np.array([[-1.0, 0.0]]), Style("light", False, (3, 2)), vmin=-1, vmax=1)
    >>> [(t.get_text(), t.get_color()) for t in ax.texts]
    [('-1.00', 'white'), ('0.00', 'black')]
    >>> plt.close(fig)
    """
    import matplotlib
    import numpy as np

    cmap = matplotlib.colormaps[cmap or style.diverging]
    norm = matplotlib.colors.Normalize(vmin=vmin, vmax=vmax)
    image = ax.imshow(M, cmap=cmap, norm=norm, **imshow)
    for (i, j), v in np.ndenumerate(np.asarray(M)):
        ax.text(j, i, fmt.format(v + 0.0), ha="center", va="center", fontsize=fontsize,
                color=style.text_on(cmap(norm(v))))
    return image


def smallest_text(fig):
    """The smallest font size (points) of the visible, non-empty text in ``fig``.

    Used in :ref:`puzzle`.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.set_title("t", fontsize=11); _ = ax.text(0, 0, "x", fontsize=7.5)
    >>> smallest_text(fig)
    7.5
    >>> plt.close(fig)
    """
    from matplotlib.text import Text

    fig.canvas.draw()  # tick labels exist only once drawn
    sizes = [t.get_fontsize() for t in fig.findobj(Text)
             if t.get_visible() and t.get_text().strip() and t.figure is not None]
    return min(sizes) if sizes else float("inf")


def legend_colours(fig):
    """The colours of the legend entries of ``fig``, as ``#rrggbb`` (no duplicates, in order).

    Used in :ref:`puzzle`.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([0, 1], color="#0072B2", label="a"); _ = ax.bar([0], [1], color="#E69F00", label="b")
    >>> _ = ax.legend(); legend_colours(fig)
    ['#0072b2', '#e69f00']
    >>> plt.close(fig)
    """
    from matplotlib.colors import to_hex

    legends = list(fig.legends) + [ax.get_legend() for ax in fig.axes if ax.get_legend()]
    found = []
    for legend in legends:
        for handle in legend.legend_handles:
            if hasattr(handle, "get_color") and not hasattr(handle, "get_facecolor"):
                colour = handle.get_color()
            elif hasattr(handle, "get_facecolor"):
                colour = handle.get_facecolor()
                colour = colour[0] if getattr(colour, "ndim", 1) == 2 else colour
            else:
                continue
            hexed = to_hex(colour)
            if hexed not in found:
                found.append(hexed)
    return found


@dataclass(frozen=True)
class Rendering:
    """One PNG of a figure: its bytes, pixel width, smallest text and category colours.

    Used in :ref:`puzzle`.
    """

    png: bytes
    width: int
    font_fraction: float
    palette: tuple

    @property
    def uri(self):
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


def render(draw, style, categories=()):
    """Call ``draw(style)`` inside :func:`rc` and render the figure it returns to PNG.

    Used in :ref:`puzzle`.

    Raises ``ValueError`` if any text is smaller than :data:`MIN_FONT_PT`, or
    if, in the narrow layout, the smallest text would be drawn below
    :data:`MIN_TEXT_PX` on a phone's :data:`PHONE_COLUMN_PX` column.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> def draw(style):
    ...     fig, ax = plt.subplots(figsize=style.figsize)
    ...     ax.plot([0, 1], label="a", **style.series(0)); ax.legend()
    ...     return fig
    >>> r = render(draw, Style("light", True, (3.6, 3)))
    >>> r.png[:4], r.palette, r.font_fraction * PHONE_COLUMN_PX >= MIN_TEXT_PX
    (b'\\x89PNG', ('#0072b2',), True)
    """
    import matplotlib
    import matplotlib.pyplot as plt
    from PIL import Image

    with matplotlib.rc_context(rc(style)):
        fig = draw(style)
        try:
            smallest = smallest_text(fig)
            palette = tuple(dict.fromkeys([*legend_colours(fig), *(c.lower() for c in categories)]))
            buffer = io.BytesIO()
            fig.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight", pad_inches=0.04)
            untranslated = words_left_in_english(fig, style)
        finally:
            plt.close(fig)
    if untranslated:
        raise ValueError(
            f"the figure's text {untranslated[0]!r} would stay in English in the editions: write it "
            "through style.say (derivations.teaching.figure_text), or style.verbatim for a code name")
    png = buffer.getvalue()
    width = Image.open(io.BytesIO(png)).size[0]
    if smallest < MIN_FONT_PT:
        raise ValueError(f"text of {smallest:g} pt in the {style.theme}, "
                         f"{'narrow' if style.narrow else 'wide'} figure; use at least {MIN_FONT_PT:g} pt")
    fraction = (smallest * DPI / 72) / width if smallest != float("inf") else 1.0
    if style.narrow and fraction * PHONE_COLUMN_PX < MIN_TEXT_PX:
        raise ValueError(
            f"on a phone the smallest text would be {fraction * PHONE_COLUMN_PX:.1f} px "
            f"(the narrow figure is {width / DPI:.1f} in wide); make it narrower or the text larger")
    return Rendering(png, width, fraction, palette)


class ThemedFigure:
    """What :func:`show_figure` returns: four renderings shown as one image with alt text, per language.

    Used in :ref:`puzzle`. ``renderings[lang][(layout, theme)]`` and
    ``alts[lang]``, the first language being the one shown in a notebook;
    when the book is built there is one entry per edition (see
    :mod:`derivations.editions`).
    """

    def __init__(self, renderings, alts):
        self.renderings, self.alts = renderings, alts

    @property
    def alt(self):
        """The alt text in the figure's first language."""
        return next(iter(self.alts.values()))

    def _img(self, lang, theme):
        shown = self.renderings[lang]
        wide, narrow = shown[("wide", theme)], shown[("narrow", theme)]
        alt = html.escape(self.alts[lang], quote=True)
        palette = html.escape(json.dumps(list(wide.palette)), quote=True)
        # the browser picks the source; data-font-* give each one's smallest text per pixel of width
        return (
            f'<picture class="dfig-{theme}">'
            f'<source media="{NARROW_MEDIA}" srcset="{narrow.uri}">'
            f'<img class="dfig dark-light" src="{wide.uri}" alt="{alt}" '
            f'data-theme-variant="{theme}" data-font-wide="{wide.font_fraction:.5f}" '
            f'data-font-narrow="{narrow.font_fraction:.5f}" data-palette="{palette}">'
            "</picture>"
        )

    def _repr_html_(self):
        return editions.html_in_languages({
            lang: f'<div class="dfig-figure">{self._img(lang, "light")}{self._img(lang, "dark")}</div>'
            for lang in self.renderings})

    def _repr_png_(self):
        return next(iter(self.renderings.values()))[("wide", "light")].png


def show_figure(draw, alt, *, wide=(7.0, 3.2), narrow=(3.6, 3.4), categories=(), language=None):
    """Render ``draw`` wide and narrow, light and dark, as one image with alt text ``alt``.

    Used in :ref:`puzzle`.

    Parameters
    ----------
    draw : callable
        ``draw(style)`` draws the figure for a :class:`Style` and returns the
        matplotlib Figure (made with ``figsize=style.figsize``). Its words go
        through ``style.say``, so that each edition shows them in its language.
    alt : str, Words or callable
        What the figure shows, with its numbers (written from the data): an
        English text of :mod:`~derivations.teaching.figure_text`, a
        :class:`~derivations.teaching.figure_text.Words`, or ``alt(lang)``
        returning the text in ``lang``.
    wide, narrow : tuple of float
        Figure sizes in inches for desktops and for phones. A narrow figure
        3.6 inches wide shows 8 pt text at about 11 CSS px on a phone.
    categories : sequence of str, optional
        Colours that tell categories apart and have no legend entry (e.g.
        highlighted paths), so the colour-vision tests check them too. Give
        them for the light theme; the dark theme's are the same palette
        positions (see :data:`PALETTES`).
    language : str, optional
        The language to draw in; by default ``DERIVATIONS_LANGUAGE``, else
        English. When the book is built, every edition's language
        (:func:`derivations.editions.languages`).

    Returns
    -------
    ThemedFigure

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from derivations.teaching.figure_text import Words
    >>> def draw(style):
    ...     fig, ax = plt.subplots(figsize=style.figsize)
    ...     ax.plot([0, 1], [0, 1], label=style.say("loss"), **style.series(0))
    ...     ax.legend()
    ...     return fig
    >>> shown = show_figure(draw, lambda lang: "A line rising from 0 to 1", wide=(4, 2), narrow=(3, 2))
    >>> page = shown._repr_html_()
    >>> page.count("<picture"), page.count('alt="A line rising from 0 to 1"'), NARROW_MEDIA in page
    (2, 2, True)
    >>> spanish = show_figure(draw, Words("class {j}", j=1), wide=(4, 2), narrow=(3, 2), language="es")
    >>> spanish.alt
    'clase 1'
    """
    langs = editions.languages(editions.language(language))
    alts = {lang: figure_text.alt_text(alt, lang) for lang in langs}

    def four(lang):
        out = {}
        for layout, size in (("wide", wide), ("narrow", narrow)):
            for theme in ("light", "dark"):
                style = Style(theme, layout == "narrow", tuple(size), lang)
                out[(layout, theme)] = render(draw, style, [in_theme(c, theme) for c in categories])
        return out

    drawn = _in_two_processes(four, langs)
    return ThemedFigure({lang: drawn[lang] for lang in langs}, alts)


def _in_two_processes(work, items):
    """``{item: work(item)}``, half the items done by a forked child where that can help.

    The book build draws each figure in four languages, one after the
    other in the chapter's kernel, while the machine's other core idles; a
    child forked with the kernel's whole state (``draw`` is a closure) draws
    half of them. Warnings the child meets are raised again here, and so is
    its exception, so that the build stays as strict as drawing in one
    process. The PNGs are the same bytes either way.
    """
    import os
    import pickle
    import warnings

    items = list(items)
    if len(items) < 2 or not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
        return {item: work(item) for item in items}
    mine, theirs = items[0::2], items[1::2]
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns, never touches the kernel's sockets
        os.close(read)
        try:
            import contextlib

            with warnings.catch_warnings(record=True) as caught, \
                    contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                warnings.simplefilter("always")
                result = ("done", {item: work(item) for item in theirs})
            result = (*result, [(str(w.message), w.category) for w in caught])
            payload = pickle.dumps(result)
        except BaseException as error:  # noqa: BLE001 - handed to the parent, which raises it
            try:
                payload = pickle.dumps(("failed", error, []))
            except Exception:
                payload = pickle.dumps(("failed", ValueError(f"{type(error).__name__}: {error}"), []))
        with os.fdopen(write, "wb") as pipe:
            pipe.write(payload)
        os._exit(0)
    os.close(write)
    try:
        done = {item: work(item) for item in mine}
    finally:
        with os.fdopen(read, "rb") as pipe:
            payload = pipe.read()
        os.waitpid(pid, 0)
    status, value, caught = pickle.loads(payload)
    for message, category in caught:
        warnings.warn(message, category, stacklevel=2)
    if status == "failed":
        raise value
    done.update(value)
    return done


def in_theme(colour, theme):
    """``colour``, a light-theme palette entry, as the entry at its position in ``theme``'s palette.

    Used in :ref:`puzzle`.

    Colours outside the light palette come back unchanged.

    Examples
    --------
    >>> in_theme("#0072B2", "dark"), in_theme("#E69F00", "dark"), in_theme("#123456", "dark")
    ('#56B4E9', '#E69F00', '#123456')
    """
    light = [c.lower() for c in PALETTES["light"]]
    if colour.lower() in light:
        return PALETTES[theme][light.index(colour.lower())]
    return colour
