"""Interactive explorers for the book, built as anywidgets.

Each works as an ordinary widget in JupyterLab (its traits sync with the
kernel) and stays interactive on the static site, where its ES module does
the arithmetic in the browser.
"""

from derivations.widgets.descent import DescentExplorer
from derivations.widgets.jacobian import JacobianExplorer
from derivations.widgets.logits import LogitsExplorer
from derivations.widgets.toy_network import ToyNetworkExplorer

__all__ = ["LogitsExplorer", "JacobianExplorer", "ToyNetworkExplorer", "DescentExplorer"]
