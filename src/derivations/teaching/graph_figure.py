"""The two-output toy network of :ref:`toy-network` as a computational graph.

The network is ``y_j = sum_i w_ij h_i``, ``o = softmax(y)`` and
``L = -sum_j t_j log o_j``. This module holds three things:

* the graph itself (which node feeds which), as plain data,
* the numbers on it: forward values, the local derivative on every edge, and
  the gradient of ``L`` at every node obtained by *summing over paths*, the
  rule the chapter derives, and
* a matplotlib drawing that highlights every path from ``L`` back to one
  weight.
"""

from dataclasses import dataclass

import numpy as np

from derivations.softmax import log_softmax
from derivations.validation import as_finite_reals, as_int

#: colours of the highlighted paths, in the order :func:`paths` returns them
#: (Okabe–Ito orange, blue, reddish purple, bluish green: apart under every colour vision;
#: a dark-theme drawing takes the entries at the same positions of its palette)
PATH_COLOURS = ("#e69f00", "#0072b2", "#cc79a7", "#009e73")
#: colour of an edge that lies on more than one highlighted path (the light theme's ink)
SHARED_COLOUR = "#1a1a1a"
#: line styles of the highlighted paths, so they differ by more than colour
PATH_STYLES = ("-", "--", "-.", ":")


@dataclass(frozen=True)
class ToyGraph:
    """Nodes, their drawing positions, their labels and the forward edges.

    Used in :ref:`toy-network`.
    """

    D: int
    C: int
    nodes: tuple
    positions: dict
    labels: dict
    edges: tuple


def toy_graph(D=3, C=2):
    """The computational graph of the toy network with ``D`` inputs and ``C`` outputs.

    Nodes are named ``h1..hD``, ``w11..wDC`` (``w_ij`` joins ``h_i`` to
    ``y_j``), ``y1..yC``, ``o1..oC`` and ``L``. Every edge points forward,
    from an input of a computation to its result. Each ``y_k`` feeds *every*
    ``o_j``: softmax couples its outputs, and those cross edges are the ones
    a diagonal-only derivation forgets. Drawn in :ref:`toy-network`.

    Examples
    --------
    >>> g = toy_graph()
    >>> len(g.nodes), len(g.edges)
    (14, 18)
    >>> [e for e in g.edges if e[1] == "o1"]
    [('y1', 'o1'), ('y2', 'o1')]
    """
    # node names like "w21" use one digit per index
    D, C = as_int(D, "D", minimum=1, maximum=9), as_int(C, "C", minimum=1, maximum=9)
    h = [f"h{i}" for i in range(1, D + 1)]
    w = [f"w{i}{j}" for j in range(1, C + 1) for i in range(1, D + 1)]
    y = [f"y{j}" for j in range(1, C + 1)]
    o = [f"o{j}" for j in range(1, C + 1)]
    nodes = tuple(h + w + y + o + ["L"])

    edges = []
    for j in range(1, C + 1):
        for i in range(1, D + 1):
            edges.append((f"h{i}", f"y{j}"))
            edges.append((f"w{i}{j}", f"y{j}"))
    for j in range(1, C + 1):
        for k in range(1, C + 1):
            edges.append((f"y{k}", f"o{j}"))
    for j in range(1, C + 1):
        edges.append((f"o{j}", "L"))

    # One column on the left: the weights into y_1 above the inputs, the
    # remaining weights below, so that each weight sits next to its y_j and
    # no weight edge crosses another.
    step = 0.55
    above = [f"w{i}1" for i in range(1, D + 1)]
    below = [f"w{i}{j}" for j in range(2, C + 1) for i in range(1, D + 1)]
    column = above + h + below
    top = (len(column) - 1) / 2 * step
    positions = {name: (0.0, top - k * step) for k, name in enumerate(column)}
    y_top = (C - 1) / 2 * 2.0
    for j in range(1, C + 1):
        height = y_top - (j - 1) * 2.0
        positions[f"y{j}"] = (2.6, height)
        positions[f"o{j}"] = (4.3, height)
    positions["L"] = (6.0, 0.0)

    labels = {name: _tex(name) for name in nodes}
    return ToyGraph(D, C, nodes, positions, labels, tuple(edges))


def _tex(name):
    if name == "L":
        return "$L$"
    return f"${name[0]}_{{{name[1:]}}}$"


def paths(graph, start, end="L"):
    """Every forward path from ``start`` to ``end``, as tuples of names.

    The chain rule through a graph sums one product of local
    derivatives per path (see :ref:`toy-network`), so these are the
    terms of ``dL/d(start)``.

    Examples
    --------
    >>> paths(toy_graph(), "w21")
    [('w21', 'y1', 'o1', 'L'), ('w21', 'y1', 'o2', 'L')]
    >>> len(paths(toy_graph(), "h2"))   # via y1 or y2, then o1 or o2
    4
    """
    for name in (start, end):
        if name not in graph.nodes:
            raise ValueError(f"unknown node {name!r}; the graph has "
                             f"{', '.join(graph.nodes)}")
    successors = {n: [] for n in graph.nodes}
    for a, b in graph.edges:
        successors[a].append(b)

    found = []

    def walk(path):
        if path[-1] == end:
            found.append(tuple(path))
            return
        for nxt in successors[path[-1]]:
            walk(path + [nxt])

    walk([start])  # the graph is acyclic, so the walk ends
    return found


@dataclass(frozen=True)
class ToyNetworkValues:
    """Numbers on the toy graph: node values, edge derivatives, node gradients.

    Used in :ref:`toy-network`.

    ``value[n]`` is the forward value of node ``n``; ``local[(a, b)]`` is the
    local derivative ``d b / d a`` on edge ``a -> b``; ``grad[n]`` is
    ``dL/dn``, the sum over every path from ``n`` to ``L`` of the product of
    the local derivatives along it.
    """

    graph: ToyGraph
    value: dict
    local: dict
    grad: dict

    def weight_grad(self):
        """``dL/dW`` as a (D, C) array, ``[i-1, j-1]`` holding ``dL/dw_ij``.

        Examples
        --------
        >>> v = toy_network_values([1.0, 2.0], [[0.0, 0.0], [0.0, 0.0]], [1.0, 0.0])
        >>> v.weight_grad()           # h (o - t)^T with o = (1/2, 1/2)
        array([[-0.5,  0.5],
               [-1. ,  1. ]])
        """
        D, C = self.graph.D, self.graph.C
        return np.array([[self.grad[f"w{i}{j}"] for j in range(1, C + 1)] for i in range(1, D + 1)])

    def path_terms(self, start):
        """``(path, product)`` for each path from ``start`` to ``L``.

        Examples
        --------
        >>> v = toy_network_values([1.0, 2.0], [[0.0, 0.0], [0.0, 0.0]], [0.5, 0.5])
        >>> [(p[2], round(term, 6)) for p, term in v.path_terms("w21")]   # they cancel
        [('o1', -0.5), ('o2', 0.5)]
        """
        return [(path, path_product(self.local, path)) for path in paths(self.graph, start)]


def path_product(local, path):
    """Product of the local derivatives along ``path``.

    One path, one term of the chain rule, as in :ref:`toy-network`.

    Examples
    --------
    >>> local = {("a", "b"): 2.0, ("b", "c"): -3.0}
    >>> path_product(local, ("a", "b", "c"))
    -6.0
    """
    prod = 1.0
    for edge in zip(path[:-1], path[1:]):
        prod *= local[edge]
    return prod


def toy_network_values(h, W, t):
    """Forward values, local derivatives and path-sum gradients of the toy network.

    ``y = W^T h`` (so ``w_ij`` joins ``h_i`` to ``y_j``), ``o = softmax(y)``,
    ``L = -sum_j t_j log o_j``. Every gradient is a sum over paths of
    products of the local derivatives

    * ``dy_j/dw_ij = h_i`` and ``dy_j/dh_i = w_ij``,
    * ``do_j/dy_k = o_j (delta_jk - o_k)`` (every ``y_k`` reaches every ``o_j``),
    * ``dL/do_j = -t_j / o_j``,

    which is how :ref:`toy-network` obtains
    ``dL/dw_21 = h_2 (o_1 (t_1 + t_2) - t_1)``.

    Parameters
    ----------
    h : array_like of float, shape (D,)
    W : array_like of float, shape (D, C)
    t : array_like of float, shape (C,)
        Non-negative targets; they need not sum to 1.

    Returns
    -------
    ToyNetworkValues

    Examples
    --------
    >>> v = toy_network_values([0.5, 1.5, -1.0], [[0.2, -0.4], [0.6, 0.1], [-0.3, 0.5]], [0.0, 1.0])
    >>> round(v.value["y1"], 6), round(v.value["o1"], 4)
    (1.3, 0.8641)
    >>> [round(term, 4) for _, term in v.path_terms("w21")]   # path via o1, path via o2
    [0.0, 1.2962]
    """
    h = as_finite_reals(h, "h")
    W = as_finite_reals(W, "W")
    t = as_finite_reals(t, "t")
    if h.ndim != 1:
        raise ValueError(f"h must be a vector of shape (D,), got shape {h.shape}")
    if W.ndim != 2 or W.shape[0] != h.shape[0]:
        raise ValueError(f"W must have shape (D, C) = ({h.shape[0]}, C) to match h, got {W.shape}")
    if t.shape != (W.shape[1],):
        raise ValueError(f"t must have shape (C,) = ({W.shape[1]},) to match W, got {t.shape}")
    if (t < 0).any():
        raise ValueError("t must be non-negative")
    D, C = W.shape
    graph = toy_graph(D, C)

    y = W.T @ h
    log_o = log_softmax(y)
    o = np.exp(log_o)
    if (o[t > 0] == 0).any():
        raise ValueError("a target class has probability 0 (its logit is far below the others); L is infinite")

    value = {"L": float(-np.sum(t * log_o))}
    for i in range(D):
        value[f"h{i + 1}"] = float(h[i])
        for j in range(C):
            value[f"w{i + 1}{j + 1}"] = float(W[i, j])
    for j in range(C):
        value[f"y{j + 1}"] = float(y[j])
        value[f"o{j + 1}"] = float(o[j])

    local = {}
    for j in range(C):
        for i in range(D):
            local[(f"h{i + 1}", f"y{j + 1}")] = float(W[i, j])
            local[(f"w{i + 1}{j + 1}", f"y{j + 1}")] = float(h[i])
        for k in range(C):
            # the i != j entries -o_j o_k are the cross edges of the graph
            local[(f"y{k + 1}", f"o{j + 1}")] = float(o[j] * ((j == k) - o[k]))
        # t_j = 0 contributes exactly 0 even if o_j has underflowed
        local[(f"o{j + 1}", "L")] = float(-t[j] / o[j]) if t[j] else 0.0

    grad = {n: sum(path_product(local, p) for p in paths(graph, n)) for n in graph.nodes if n != "L"}
    grad["L"] = 1.0
    return ToyNetworkValues(graph, value, local, grad)


def _fmt(x):
    x = x + 0.0  # turns -0.0 into 0.0: a path that carries nothing shows as 0.00
    return f"{x:.2f}" if abs(x) >= 0.005 or x == 0 else f"{x:.1e}"


def draw_toy_network(values=None, *, weight="w21", ax=None, style=None):
    """Draw the toy network's graph with every path from ``L`` to ``weight`` highlighted.

    Each highlighted path gets its own colour (:data:`PATH_COLOURS`) and line
    style (:data:`PATH_STYLES`); an edge on several paths is drawn solid in
    :data:`SHARED_COLOUR`; all other edges are faded. Every edge is a patch
    whose ``gid`` is ``"edge:a->b"`` and whose label is ``"path 1"``,
    ``"path 2"``, ``"shared"`` or ``"other"``, so the figure can be inspected
    as data. With ``values`` (from :func:`toy_network_values`) each node
    shows its value, each highlighted edge its local derivative, and a note
    adds up the paths. Drawn in :ref:`toy-network` and
    :ref:`toy-network-explorer`.

    Parameters
    ----------
    values : ToyNetworkValues, optional
        Numbers to write on the graph; without them only the structure is drawn.
    weight : str
        The weight whose paths to highlight, e.g. ``"w21"``.
    ax : matplotlib Axes, optional
        Where to draw; a new figure of ``style.figsize`` (7 x 4.2 inches
        without a style) by default.
    style : derivations.teaching.figures.Style, optional
        The theme's colours, and ``style.narrow`` for the phone layout, in
        which the graph runs from top (inputs) to bottom (``L``). Pass it from
        a :func:`derivations.teaching.figures.show_figure` draw function;
        the legend's words are then in ``style.language`` (their translations
        are in :mod:`derivations.teaching.figure_text.ch04`).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = draw_toy_network()
    >>> sorted(p.get_gid() for p in fig.axes[0].patches if p.get_label() == "shared")
    ['edge:w21->y1']
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    >>> from derivations.teaching.figures import Style
    >>> fig = draw_toy_network(style=Style("dark", True, (3.6, 4.6)))
    >>> xs, ys = zip(*[p.center for p in fig.axes[0].patches if hasattr(p, "center")])
    >>> max(ys) - min(ys) > max(xs) - min(xs)    # on a phone the graph runs downwards
    True
    >>> plt.close(fig)
    >>> fig = draw_toy_network(style=Style("light", False, (7, 4.2), "es"))
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    ['camino 1', 'camino 2', 'común a ambos']
    >>> plt.close(fig)
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Circle, FancyArrowPatch

    from derivations.teaching.figures import INKS, Style, in_theme

    style = style or Style("light", False, (7, 4.2))
    ink = INKS[style.theme]
    path_colours = [in_theme(c.upper(), style.theme) for c in PATH_COLOURS]
    shared_colour = ink["ink"]
    grad_colour = style.colour(3)  # reddish purple
    graph = values.graph if values is not None else toy_graph()
    if not (weight in graph.nodes and weight.startswith("w")):
        raise ValueError(f"weight must name a weight node such as 'w21', got {weight!r}")
    if ax is None:
        fig, ax = plt.subplots(figsize=style.figsize, layout="constrained")
    else:
        fig = ax.figure

    highlighted = paths(graph, weight)
    on_paths = {}
    for k, path in enumerate(highlighted):
        for edge in zip(path[:-1], path[1:]):
            on_paths.setdefault(edge, []).append(k)

    # the layout is worked out left to right; on a phone it is turned to run downwards
    def place(x, y):
        return (y, -x * 0.9) if style.narrow else (x, y)

    flat, radius = graph.positions, 0.2
    pos = {n: place(*xy) for n, xy in flat.items()}
    for a, b in graph.edges:
        ks = on_paths.get((a, b), [])
        if len(ks) > 1:
            colour, label, width, z, ls = shared_colour, "shared", 2.6, 3, "-"
        elif ks:
            k = ks[0] % len(path_colours)
            colour, label, width, z, ls = path_colours[k], f"path {ks[0] + 1}", 2.6, 3, PATH_STYLES[k]
        else:
            colour, label, width, z, ls = ink["faint"], "other", 1.0, 1, "-"
        arrow = FancyArrowPatch(
            pos[a], pos[b], arrowstyle="-|>", mutation_scale=11, lw=width, color=colour,
            linestyle=ls, shrinkA=radius * 72 * 0.62, shrinkB=radius * 72 * 0.62, zorder=z,
            gid=f"edge:{a}->{b}", label=label,
        )
        ax.add_patch(arrow)
        if values is not None and ks:
            (xa, ya), (xb, yb) = flat[a], flat[b]
            # diagonals cross their mirror image half way: label them nearer the head
            f = 0.5 if ya == yb or xa == 0.0 else 0.72
            mx, my = xa + f * (xb - xa), ya + f * (yb - ya)
            # step off the line, away from the middle of the figure
            length = np.hypot(xb - xa, yb - ya)
            nx, ny = -(yb - ya) / length, (xb - xa) / length
            side = 1.0 if (ya + yb >= 0) == (ny >= 0) else -1.0
            ax.text(*place(mx + side * 0.2 * nx, my + side * 0.2 * ny), _fmt(values.local[(a, b)]),
                    color=colour, fontsize=9, ha="center", va="center", zorder=6,
                    bbox=dict(boxstyle="round,pad=0.12", fc=ink["panel"], ec="none", alpha=0.9))

    on_any = {n for path in highlighted for n in path}
    for name in graph.nodes:
        x, y = pos[name]
        strong = name in on_any
        ax.add_patch(Circle((x, y), radius, fc=ink["panel"] if strong else "none",
                            ec=ink["ink"] if strong else ink["muted"], lw=1.4 if strong else 0.8, zorder=4))
        ax.text(x, y, graph.labels[name], ha="center", va="center", fontsize=10, zorder=5,
                color=ink["ink"] if strong else ink["muted"])
        if values is not None:
            _node_numbers(ax, values, graph, name, (x, y), strong, style, radius, grad_colour)

    if values is not None:
        terms = values.path_terms(weight)
        total = values.grad[weight]
        parts = " + ".join(f"({_fmt(term)})" for _, term in terms)
        lab = graph.labels[weight].strip("$")
        note = f"$\\partial L/\\partial {lab}$ = {parts}\n= {_fmt(total)}"
        if style.narrow:
            ax.text(0.0, min(p[1] for p in pos.values()) - 0.6, note, ha="center", va="top", fontsize=9.5,
                    bbox=dict(boxstyle="round,pad=0.3", fc=ink["panel"], ec=ink["muted"]))
        else:
            ax.text(6.3, min(p[1] for p in pos.values()) - 0.2, note, ha="right", va="top", fontsize=9.5,
                    bbox=dict(boxstyle="round,pad=0.3", fc=ink["panel"], ec=ink["muted"]))
    else:
        for k, _ in enumerate(highlighted):
            kk = k % len(path_colours)
            ax.plot([], [], color=path_colours[kk], ls=PATH_STYLES[kk], lw=2.6,
                    label=style.say("path {n}", n=k + 1))
        shared = style.say("on both paths") if len(highlighted) == 2 else style.say("shared")
        ax.plot([], [], color=shared_colour, lw=2.6, label=shared)
        ax.legend(loc="lower right", fontsize=8.5, frameon=False, handles=ax.lines)

    xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
    if style.narrow:
        ax.set_xlim(min(xs) - 0.45, max(xs) + 0.45)
        ax.set_ylim(min(ys) - (1.4 if values is not None else 0.5), max(ys) + 0.55)
    else:
        ax.set_xlim(-0.75, 6.4)
        ax.set_ylim(min(ys) - 0.45, max(ys) + 0.45)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig


def _node_numbers(ax, values, graph, name, xy, strong, style, radius, grad_colour):
    """A node's value and, on a highlighted path, its gradient, placed clear of the edges."""
    from derivations.teaching.figures import INKS

    muted = INKS[style.theme]["muted"]
    x, y = xy
    text = _fmt(values.value[name])
    grad = ""
    if strong and name != "L":
        grad = f"$\\partial L/\\partial {graph.labels[name].strip('$')}$ = {_fmt(values.grad[name])}"
    is_input = graph.positions[name][0] == 0.0
    if style.narrow:
        if is_input:  # the top row: values above the nodes
            ax.text(x, y + radius + 0.05, text, ha="center", va="bottom", fontsize=8.5, color=muted, rotation=90)
            return
        if name == "L":  # below L, where no edge arrives
            ax.text(x, y - radius - 0.05, text, ha="center", va="top", fontsize=8.5, color=muted)
            return
        # beside the node, on the outer side (edges run up, down and across the middle):
        # the value above, the gradient below
        side, ha = (-1.0, "right") if x < 0 else (1.0, "left")
        ax.text(x + side * (radius + 0.06), y + 0.14, text, ha=ha, va="center", fontsize=8.5, color=muted)
        if grad:
            ax.text(x + side * (radius + 0.06), y - 0.16, grad, ha=ha, va="center", fontsize=8.5,
                    color=grad_colour)
        return
    if is_input:
        ax.text(x - radius - 0.08, y, text, ha="right", va="center", fontsize=8.5, color=muted)
        return
    if name == "L":
        # right of L: above it the edge labels of o1 -> L would crowd the value
        ax.text(x + radius + 0.06, y, text, ha="left", va="center", fontsize=8.5, color=muted)
    elif y > 0 and grad:
        # room above the upper nodes only: stack the gradient over the value
        ax.text(x, y + radius + 0.06, grad, ha="center", va="bottom", fontsize=8.5, color=grad_colour, zorder=6)
        ax.text(x, y + radius + 0.32, text, ha="center", va="bottom", fontsize=8.5, color=muted)
    else:
        ax.text(x, y + radius + 0.06, text, ha="center", va="bottom", fontsize=8.5, color=muted)
        if grad:
            ax.text(x, y - radius - 0.06, grad, ha="center", va="top", fontsize=8.5, color=grad_colour)
