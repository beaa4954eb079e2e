"""The two-output toy network (chapter toy-network) and the matrix form
(chapter matrix-form): symbolic steps, numeric claims, and the graph figure.

Every expected gradient here comes from central finite differences of a loss
written out directly in numpy in this file, or from a hand calculation, never
from the code under test.
"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
import sympy as sp

from derivations import numerical_gradient
from derivations.symbolic import DERIVATIONS, Step
from derivations.symbolic import matrix_frobenius as mf
from derivations.symbolic import toy_network as tn
from derivations.teaching.graph_figure import (
    PATH_COLOURS,
    SHARED_COLOUR,
    draw_toy_network,
    path_product,
    paths,
    toy_graph,
    toy_network_values,
)

# ----------------------------------------------------------------------------
# independent references
# ----------------------------------------------------------------------------


# central differences in float64; the checker itself is tested against
# hand-derived gradients in tests/test_gradcheck.py
central_difference = numerical_gradient


def log_softmax_ref(v):
    v = np.asarray(v, dtype=np.float64)
    m = v.max(axis=-1, keepdims=True)
    return v - m - np.log(np.exp(v - m).sum(axis=-1, keepdims=True))


def toy_loss(h, W, t):
    """L = -sum_j t_j log softmax(W^T h)_j, W of shape (D, C)."""
    return float(-np.sum(t * log_softmax_ref(W.T @ h)))


def layer_loss(W, p, b, t):
    """E = -sum_i t_i log softmax(W p + b)_i, W of shape (C, D)."""
    return float(-np.sum(t * log_softmax_ref(W @ p + b)))


H0 = np.array([0.5, 1.5, -1.0])
W0 = np.array([[0.2, -0.4], [0.6, 0.1], [-0.3, 0.5]])


# ----------------------------------------------------------------------------
# the symbolic derivations
# ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["two-output-network", "matrix-frobenius"])
def test_every_step_verifies(name):
    derivation = DERIVATIONS[name]
    results = derivation.verify()
    assert len(results) >= 8
    failed = [title for title, ok in results if not ok]
    assert failed == []
    assert all(step.expected for step in derivation.steps)
    assert all(step.status == "proved" for step in derivation.steps)


def test_toy_network_steps_are_exact_and_matrix_steps_say_their_reach():
    assert {s.scope for s in tn.STEPS} == {"exact"}
    scopes = [s.scope for s in mf.STEPS]
    assert "general" in scopes and "C=2..6" in scopes
    # the whole-layer steps cannot be stated for symbolic C: they are the explicit ones
    explicit = {s.title for s in mf.STEPS if s.scope == "C=2..6"}
    assert any("whole layer" in title for title in explicit)
    assert any("Read off the gradient" in title for title in explicit)


def test_toy_network_one_path_alone_is_refuted():
    # the diagonal-only answer: dL/dw21 = path through o1 only
    wrong = Step(
        "one path only",
        sp.Eq(sp.Derivative(tn.L_of_w, tn.w[2, 1]), tn._path1_w, evaluate=False),
        r"\text{one path}",
        scope="exact",
        expected=False,
    )
    assert not wrong.verify()
    assert wrong.status == "refuted"


def test_toy_network_one_hot_shortcut_needs_normalised_targets():
    # without t1 + t2 = 1 the shortcut h2 (o1 - t1) is wrong
    wrong = Step(
        "shortcut for any t",
        sp.Eq(tn.h[2] * (tn.o[1] * (tn.t[1] + tn.t[2]) - tn.t[1]), tn.h[2] * (tn.o[1] - tn.t[1]), evaluate=False),
        r"\text{shortcut}",
        scope="exact",
        expected=False,
    )
    assert wrong.status == "refuted"


def test_matrix_form_without_target_mass_is_refuted():
    def claim(c):
        _, pv, tv, _, yv, G = mf._layer(c)
        return sp.Eq(G, yv * pv.T - tv * pv.T, evaluate=False)

    wrong = Step("drop 1^T t", claim, r"\text{y p^T - t p^T}", scope="C=2..6", expected=False)
    assert wrong.status == "refuted"


def test_moving_a_factor_without_transposing_it_is_refuted():
    # A : (M B) = (M^T A) : B; dropping the transpose is the classic slip
    def move(c):
        A, B, M = mf._mat("A", c, mf.D), mf._mat("B", c, mf.D), mf._mat("M", c, c)
        return sp.Eq(mf.frob(A, M * B), mf.frob(M * A, B), evaluate=False)

    assert Step("no transpose", move, r"x", scope="C=2..6", expected=False).status == "refuted"


def test_frob_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="equal shapes"):
        mf.frob(sp.ones(2, 3), sp.ones(3, 2))


# ----------------------------------------------------------------------------
# the numeric claims of chapter toy-network
# ----------------------------------------------------------------------------


def test_toy_values_by_hand():
    v = toy_network_values(H0, W0, [0.0, 1.0])
    # y1 = 0.2*0.5 + 0.6*1.5 + (-0.3)*(-1) = 1.3; y2 = -0.2 + 0.15 - 0.5 = -0.55
    assert v.value["y1"] == pytest.approx(1.3)
    assert v.value["y2"] == pytest.approx(-0.55)
    o1 = 1 / (1 + np.exp(-(1.3 + 0.55)))
    assert v.value["o1"] == pytest.approx(o1)
    assert v.value["L"] == pytest.approx(-np.log(1 - o1))
    # t = (0, 1): the o1 path carries nothing, the o2 path everything: h2 * o1
    (path1, term1), (path2, term2) = v.path_terms("w21")
    assert path1 == ("w21", "y1", "o1", "L") and term1 == 0.0
    assert path2 == ("w21", "y1", "o2", "L") and term2 == pytest.approx(1.5 * o1)


def test_dl_dw21_is_h2_times_o1_minus_t1_for_one_hot_targets():
    rng = np.random.default_rng(4)
    for hot in (0, 1):
        h, W = rng.normal(size=3), rng.normal(size=(3, 2))
        t = np.eye(2)[hot]
        o = np.exp(log_softmax_ref(W.T @ h))
        fd = central_difference(lambda Wv: toy_loss(h, Wv, t), W)
        assert fd[1, 0] == pytest.approx(h[1] * (o[0] - t[0]), rel=1e-7, abs=1e-9)
        assert toy_network_values(h, W, t).grad["w21"] == pytest.approx(fd[1, 0], rel=1e-7, abs=1e-9)


def test_soft_targets_need_the_t1_plus_t2_factor():
    h, t = H0, np.array([0.7, 0.9])  # sums to 1.6
    o = np.exp(log_softmax_ref(W0.T @ h))
    fd = central_difference(lambda Wv: toy_loss(h, Wv, t), W0)
    general = h[1] * (o[0] * (t[0] + t[1]) - t[0])
    assert fd[1, 0] == pytest.approx(general, rel=1e-7)
    assert abs(fd[1, 0] - h[1] * (o[0] - t[0])) > 0.1  # the one-hot shortcut is off here


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("shape", [(3, 2), (4, 3), (2, 5)])
def test_path_sums_match_finite_differences(seed, shape):
    rng = np.random.default_rng(seed)
    D, C = shape
    h, W, t = rng.normal(size=D), rng.normal(size=(D, C)), rng.uniform(0, 1, size=C)
    v = toy_network_values(h, W, t)
    fd_W = central_difference(lambda Wv: toy_loss(h, Wv, t), W)
    fd_h = central_difference(lambda hv: toy_loss(hv, W, t), h)
    np.testing.assert_allclose(v.weight_grad(), fd_W, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose([v.grad[f"h{i + 1}"] for i in range(D)], fd_h, rtol=1e-6, atol=1e-8)
    fd_y = central_difference(lambda yv: float(-np.sum(t * log_softmax_ref(yv))), W.T @ h)
    np.testing.assert_allclose([v.grad[f"y{j + 1}"] for j in range(C)], fd_y, rtol=1e-6, atol=1e-8)


def test_weight_gradient_is_an_outer_product():
    # dL/dw_dj = h_d (o_j tau - t_j), the hand-derived closed form
    t = np.array([0.2, 0.5])
    v = toy_network_values(H0, W0, t)
    o = np.array([v.value["o1"], v.value["o2"]])
    np.testing.assert_allclose(v.weight_grad(), np.outer(H0, o * t.sum() - t), rtol=1e-12)


def test_zero_target_with_underflowed_probability_contributes_zero():
    v = toy_network_values([1.0, 0.0, 0.0], [[0.0, -2000.0], [0.0, 0.0], [0.0, 0.0]], [1.0, 0.0])
    assert v.value["o2"] == 0.0
    assert v.local[("o2", "L")] == 0.0
    assert np.isfinite(v.weight_grad()).all()


def test_path_product_multiplies_along_the_path():
    assert path_product({("a", "b"): 3.0, ("b", "c"): 0.5, ("c", "d"): -2.0}, ("a", "b", "c", "d")) == -3.0


@pytest.mark.parametrize(
    "h, W, t, error, match",
    [
        ([1.0, 2.0], [[1.0, 2.0]], [1.0, 0.0], ValueError, "W must have shape"),
        ([[1.0]], [[1.0, 2.0]], [1.0, 0.0], ValueError, "h must be a vector"),
        ([1.0], [[1.0, 2.0]], [1.0, 0.0, 0.0], ValueError, "t must have shape"),
        ([np.nan], [[1.0, 2.0]], [1.0, 0.0], ValueError, "h contains NaN"),
        ([1.0], [[np.inf, 2.0]], [1.0, 0.0], ValueError, "W contains an infinity"),
        ([1.0], [[1.0, 2.0]], [-1.0, 0.0], ValueError, "non-negative"),
        ([1.0], [[1.0, 2.0]], ["a", "b"], TypeError, "real numbers"),
        ([True], [[1.0, 2.0]], [1.0, 0.0], TypeError, "real numbers"),
        ([1.0], [[-2000.0, 0.0]], [1.0, 0.0], ValueError, "probability 0"),
    ],
)
def test_toy_network_values_rejects_bad_input(h, W, t, error, match):
    with pytest.raises(error, match=match):
        toy_network_values(h, W, t)


# ----------------------------------------------------------------------------
# the graph and its figure
# ----------------------------------------------------------------------------


def test_graph_structure():
    g = toy_graph()
    assert set(g.nodes) == {"h1", "h2", "h3", "w11", "w21", "w31", "w12", "w22", "w32",
                            "y1", "y2", "o1", "o2", "L"}
    # 6 h->y, 6 w->y, 4 y->o (softmax couples every pair), 2 o->L
    assert len(g.edges) == 18 and len(set(g.edges)) == 18
    assert {e for e in g.edges if e[0].startswith("y")} == {
        ("y1", "o1"), ("y1", "o2"), ("y2", "o1"), ("y2", "o2")}
    assert set(g.positions) == set(g.nodes)
    assert len(set(g.positions.values())) == len(g.nodes)  # no two nodes drawn on top of each other


def test_paths_to_each_weight_and_input():
    g = toy_graph()
    assert paths(g, "w21") == [("w21", "y1", "o1", "L"), ("w21", "y1", "o2", "L")]
    assert paths(g, "w12") == [("w12", "y2", "o1", "L"), ("w12", "y2", "o2", "L")]
    assert len(paths(g, "h2")) == 4
    assert len(paths(toy_graph(3, 3), "w21")) == 3  # one path per output
    assert paths(g, "L") == [("L",)]
    with pytest.raises(ValueError, match="unknown node"):
        paths(g, "w99")


@pytest.mark.parametrize(
    "D, C, error", [(0, 2, ValueError), (3, 10, ValueError), (2.5, 2, TypeError), (True, 2, TypeError)]
)
def test_toy_graph_rejects_bad_sizes(D, C, error):
    with pytest.raises(error):
        toy_graph(D, C)


def _edges_by_label(fig):
    out = {}
    for patch in fig.axes[0].patches:
        gid = patch.get_gid() or ""
        if gid.startswith("edge:"):
            a, b = gid[len("edge:"):].split("->")
            out.setdefault(patch.get_label(), set()).add((a, b))
    return out


def test_figure_highlights_both_paths_to_w21():
    fig = draw_toy_network()
    try:
        edges = _edges_by_label(fig)
        assert edges["shared"] == {("w21", "y1")}
        assert edges["path 1"] == {("y1", "o1"), ("o1", "L")}
        assert edges["path 2"] == {("y1", "o2"), ("o2", "L")}
        assert len(edges["other"]) == 18 - 5
        colours = {}
        for patch in fig.axes[0].patches:
            if (patch.get_gid() or "").startswith("edge:") and patch.get_label() != "other":
                colours.setdefault(patch.get_label(), set()).add(matplotlib.colors.to_hex(patch.get_edgecolor()))
        assert colours == {"shared": {SHARED_COLOUR}, "path 1": {PATH_COLOURS[0]}, "path 2": {PATH_COLOURS[1]}}
    finally:
        plt.close(fig)


def test_figure_with_values_writes_the_path_sum():
    v = toy_network_values(H0, W0, [0.0, 1.0])
    fig = draw_toy_network(v, weight="w12")
    try:
        edges = _edges_by_label(fig)
        assert edges["shared"] == {("w12", "y2")}
        texts = [tx.get_text() for tx in fig.axes[0].texts]
        total = v.grad["w12"]
        assert any(f"= {total:.2f}" in s and "partial" in s for s in texts)
        # every local derivative on a highlighted edge is written on the figure
        for edge in edges["path 1"] | edges["path 2"] | edges["shared"]:
            assert f"{v.local[edge]:.2f}" in texts
    finally:
        plt.close(fig)


def test_figure_rejects_a_non_weight():
    with pytest.raises(ValueError, match="weight node"):
        draw_toy_network(weight="y1")


# ----------------------------------------------------------------------------
# the numeric claims of chapter matrix-form
# ----------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(4))
def test_matrix_gradient_matches_finite_differences_for_soft_targets(seed):
    rng = np.random.default_rng(seed)
    C, D = 4, 3
    W, p, b = rng.normal(size=(C, D)), rng.normal(size=D), rng.normal(size=C)
    t = rng.uniform(0, 1, size=C)  # does not sum to 1
    y = np.exp(log_softmax_ref(W @ p + b))
    formula = t.sum() * np.outer(y, p) - np.outer(t, p)   # (1^T t) y p^T - t p^T
    fd = central_difference(lambda Wv: layer_loss(Wv, p, b, t), W)
    assert formula.shape == W.shape == (C, D)
    np.testing.assert_allclose(formula, fd, rtol=1e-6, atol=1e-8)
    # the transposed answer has the wrong shape, and is wrong even when square
    assert np.outer(p, t.sum() * y - t).shape == (D, C)


def test_transposed_gradient_is_wrong_even_when_square():
    rng = np.random.default_rng(7)
    C = D = 3
    W, p, b, t = rng.normal(size=(C, D)), rng.normal(size=D), rng.normal(size=C), np.array([0.0, 1.0, 0.0])
    y = np.exp(log_softmax_ref(W @ p + b))
    fd = central_difference(lambda Wv: layer_loss(Wv, p, b, t), W)
    right, transposed = np.outer(y - t, p), np.outer(p, y - t)
    np.testing.assert_allclose(right, fd, rtol=1e-6, atol=1e-8)
    assert np.max(np.abs(transposed - fd)) > 0.05


def test_batched_weight_gradient_matches_finite_differences():
    rng = np.random.default_rng(11)
    N, C, D = 5, 3, 4
    X, W, b = rng.normal(size=(N, D)), rng.normal(size=(C, D)), rng.normal(size=C)
    T = rng.uniform(0, 1, size=(N, C))

    def mean_loss(Wv, bv):
        return float(np.mean(-np.sum(T * log_softmax_ref(X @ Wv.T + bv), axis=1)))

    P = np.exp(log_softmax_ref(X @ W.T + b))
    tau = T.sum(axis=1)
    G = (np.diag(tau) @ P - T) / N
    np.testing.assert_allclose(G.T @ X, central_difference(lambda Wv: mean_loss(Wv, b), W), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(G.sum(axis=0), central_difference(lambda bv: mean_loss(W, bv), b), rtol=1e-6, atol=1e-8)
    # the same as summing the single-example outer products (tau_n y_n - t_n) x_n^T / N
    outer_sum = sum(np.outer(tau[n] * P[n] - T[n], X[n]) for n in range(N)) / N
    np.testing.assert_allclose(G.T @ X, outer_sum, rtol=1e-12)
