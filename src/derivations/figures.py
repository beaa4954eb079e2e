"""Figures whose alt text is written from the numbers they plot.

A figure cell's metadata (``mystnb: figure:``/``image: alt:``) holds fixed
alt text, which drifts from the data as soon as a measurement changes.
:class:`FigureWithAlt` shows the image as HTML with alt text that the cell
computes from the same numbers it plots; the figure's name and caption stay
in the metadata, so ``{numref}`` keeps working.
"""

import base64
import html
import io


class FigureWithAlt:
    """A matplotlib figure shown as an image whose alt text is ``alt``.

    The figure is rendered to PNG once and closed. Notebooks that show HTML
    get an ``<img>`` with the alt text; others get the PNG.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    alt : str
        What the figure shows, with its numbers (written from the data).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(figsize=(1, 1))
    >>> shown = FigureWithAlt(fig, 'A line from 0 to "1"')
    >>> shown._repr_html_()[:32], 'alt="A line from 0 to &quot;1&quot;"' in shown._repr_html_()
    ('<img src="data:image/png;base64,', True)
    """

    def __init__(self, fig, alt):
        import matplotlib.pyplot as plt  # only where figures are drawn: the package does not need matplotlib

        if not isinstance(alt, str) or not alt.strip():
            raise ValueError("a figure needs alt text that says what it shows")
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", bbox_inches="tight")
        plt.close(fig)
        self.png, self.alt = buffer.getvalue(), alt

    def _repr_png_(self):
        return self.png

    def _repr_html_(self):
        data = base64.b64encode(self.png).decode("ascii")
        alt = html.escape(self.alt, quote=True)
        return f'<img src="data:image/png;base64,{data}" alt="{alt}" style="max-width: 100%; height: auto">'
