"""The step-by-step backward pass of derivations.teaching.elementary (chapter 16).

Every gradient is held against an oracle that shares no code with it:
central finite differences in float64 of a loss written here from scratch
as a function of that one intermediate, the fused formula
(p - onehot(y)) / N, and, when PyTorch is installed, its autograd.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from derivations.teaching.elementary import (
    STEPS,
    backprop_steps,
    backward_steps,
    forward_steps,
    loss_from,
    pick_backward,
    sum_to_shape,
    torch_gradients,
)


def fd(f, x, eps=1e-6, relative=False):
    """Central differences of a scalar f at x, one entry at a time, in float64.

    ``relative`` scales the step by each entry's size, for positive
    quantities such as small probabilities, where a step of 1e-6 would not
    be small.
    """
    x = np.array(x, dtype=np.float64)
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        keep = x[i]
        step = eps * max(abs(keep), 1e-2) if relative else eps
        x[i] = keep + step
        up = f(x)
        x[i] = keep - step
        down = f(x)
        x[i] = keep
        g[i] = (up - down) / (2 * step)
    return g


def mean_ce(z, y):
    """The mean cross-entropy by log-sum-exp, row by row with math.fsum."""
    total = 0.0
    for row, label in zip(np.asarray(z, dtype=np.float64).tolist(), list(y)):
        m = max(row)
        total += m + math.log(math.fsum(math.exp(v - m) for v in row)) - row[label]
    return total / len(z)


def downstream(z, y):
    """L as a function of each intermediate, written here without the package.

    Each entry recomputes the loss from that intermediate on, holding the
    earlier ones at their values for ``z``.
    """
    z = np.asarray(z, dtype=np.float64)
    N = z.shape[0]
    rows = np.arange(N)
    m = z.max(axis=1, keepdims=True)
    e = np.exp(z - m)
    s = e.sum(axis=1, keepdims=True)
    r = 1.0 / s
    p = e * r
    logp = np.log(p)

    def from_p(v):
        return -np.log(v)[rows, y].mean()

    return {
        "picked": (logp[rows, y], lambda v: -v.mean()),
        "logp": (logp, lambda v: -v[rows, y].mean()),
        "p": (p, from_p),
        "r": (r, lambda v: from_p(e * v)),
        "s": (s, lambda v: from_p(e / v)),
        "e": (e, lambda v: from_p(v / v.sum(axis=1, keepdims=True))),
        "zs": (z - m, lambda v: from_p(np.exp(v) / np.exp(v).sum(axis=1, keepdims=True))),
        "m": (m, lambda v: from_p(np.exp(z - v) / np.exp(z - v).sum(axis=1, keepdims=True))),
        "z": (z, lambda v: mean_ce(v, y)),
    }


def batch(seed, N=5, C=7, scale=2.0):
    rng = np.random.default_rng(seed)
    return rng.normal(0.0, scale, (N, C)), rng.integers(0, C, N)


# --------------------------------------------------------------- every gradient


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("name", ["picked", "logp", "p", "r", "s", "e", "zs", "m", "z"])
def test_every_intermediate_matches_central_differences(seed, name):
    z, y = batch(seed)
    g = backprop_steps(z, y)["d" + name]
    value, loss = downstream(z, y)[name]
    expected = fd(loss, value, relative=name in ("p", "e", "s", "r"))
    assert g.shape == np.shape(value)
    scale = max(np.abs(expected).max(), 1.0)
    np.testing.assert_allclose(g, expected, rtol=1e-6, atol=1e-7 * scale)


def test_loss_from_agrees_with_the_hand_written_downstream_losses():
    z, y = batch(3)
    tape = forward_steps(z, y)
    for name, (value, loss) in downstream(z, y).items():
        if name == "z":
            continue
        moved = value * (1 + 0.01 * np.random.default_rng(4).normal(size=np.shape(value)))
        assert float(loss_from(tape, name, moved)) == pytest.approx(loss(moved), rel=1e-12)


def test_the_forward_pass_is_the_mean_cross_entropy():
    z, y = batch(5)
    assert float(forward_steps(z, y).L) == pytest.approx(mean_ce(z, y), rel=1e-13)


def test_de_has_two_contributions_and_needs_both():
    z, y = batch(6)
    tape = forward_steps(z, y)
    g = backward_steps(tape)
    via_p = g["dp"] * tape.r
    value, loss = downstream(z, y)["e"]
    expected = fd(loss, value, relative=True)
    np.testing.assert_allclose(g["de"], expected, atol=1e-7)
    # the first path alone is not the gradient; the second is ds, the same along each row
    assert np.abs(via_p - expected).max() > 1e-3
    np.testing.assert_allclose(g["de"] - via_p, np.broadcast_to(g["ds"], z.shape), atol=1e-15)


# ------------------------------------------------------------ the fused result


@pytest.mark.parametrize("seed", range(6))
def test_the_chain_collapses_to_p_minus_onehot_over_n(seed):
    z, y = batch(seed, N=int(seed) + 1, C=int(seed) + 2)
    N, C = z.shape
    e = np.exp(z - z.max(axis=1, keepdims=True))
    fused = (e / e.sum(axis=1, keepdims=True) - np.eye(C)[y]) / N
    np.testing.assert_allclose(backprop_steps(z, y)["dz"], fused, rtol=0, atol=1e-15)


def test_dzs_is_the_fused_gradient_too():
    z, y = batch(7)
    g = backprop_steps(z, y)
    np.testing.assert_allclose(g["dzs"], g["dz"], atol=1e-15)


# ----------------------------------------------------------------- the max shift


@pytest.mark.parametrize("dtype, bound", [(np.float64, 8), (np.float32, 8)])
def test_dm_is_zero_to_a_few_roundings(dtype, bound):
    rng = np.random.default_rng(8)
    eps = np.finfo(dtype).eps
    for _ in range(200):
        N, C = int(rng.integers(1, 9)), int(rng.integers(1, 60))
        z = rng.normal(0.0, 3.0, (N, C)).astype(dtype)
        dm = backprop_steps(z, rng.integers(0, C, N))["dm"]
        assert dm.shape == (N, 1)
        assert np.abs(dm).max() <= bound * eps / N


def test_any_shift_gives_the_same_loss():
    z, y = batch(9)
    tape = forward_steps(z, y)
    for shift in (-50.0, 0.0, 3.0, 200.0):
        assert float(loss_from(tape, "m", tape.m + shift)) == pytest.approx(float(tape.L), rel=1e-12)


def test_a_tie_for_the_maximum_changes_nothing():
    z = np.array([[2.0, 2.0, -1.0, 0.5], [1.0, 1.0, 1.0, 1.0]])
    y = np.array([2, 0])
    g = backprop_steps(z, y)
    np.testing.assert_allclose(g["dz"], fd(lambda v: mean_ce(v, y), z), atol=1e-9)
    assert np.abs(g["dm"]).max() <= 1e-16


def test_the_symbolic_derivation_proves_dm_is_zero_and_refutes_a_nonzero_one():
    import sympy as sp

    from derivations.symbolic import DERIVATIONS, Step
    from derivations.symbolic import max_shift as ms

    d = DERIVATIONS["max-shift"]
    assert all(ok for _, ok in d.verify())
    wrong = Step("dm is one", sp.Eq(sp.Derivative(ms.ell_m, ms.m), 1, evaluate=False), "x", expected=False)
    assert wrong.status == "refuted"


# -------------------------------------------------------- shapes and broadcasts


def test_every_gradient_has_the_shape_of_its_intermediate():
    z, y = batch(10, N=3, C=6)
    tape = forward_steps(z, y)
    g = backward_steps(tape)
    assert set(g) == {"d" + name for name in STEPS if name != "y"}
    for name in STEPS:
        assert g["d" + name].shape == np.shape(getattr(tape, name)), name
    assert g["dm"].shape == g["ds"].shape == g["dr"].shape == (3, 1)


def test_broadcast_forward_sum_backward():
    # r (N, 1) broadcast across C: dr is the row sum of dp * e, not dp * e
    z, y = batch(11)
    tape = forward_steps(z, y)
    g = backward_steps(tape)
    np.testing.assert_allclose(g["dr"], (g["dp"] * tape.e).sum(axis=1, keepdims=True), atol=0)
    np.testing.assert_allclose(g["dm"], -g["dzs"].sum(axis=1, keepdims=True), atol=0)
    # sum forward, broadcast backward: every entry of a row gets the same ds
    np.testing.assert_allclose(g["de"] - g["dp"] * tape.r, np.broadcast_to(g["ds"], z.shape), rtol=0, atol=1e-14)
    # the mean: each picked entry gets -1/N
    np.testing.assert_array_equal(g["dpicked"], np.full(z.shape[0], -1 / z.shape[0]))


@pytest.mark.parametrize("g_shape, shape, expected", [
    ((2, 3), (2, 1), [[3.0], [12.0]]),
    ((2, 3), (1, 3), [[3.0, 5.0, 7.0]]),
    ((2, 3), (3,), [3.0, 5.0, 7.0]),
    ((2, 3), (), 15.0),
    ((2, 3), (1, 1), [[15.0]]),
])
def test_sum_to_shape_sums_exactly_the_broadcast_axes(g_shape, shape, expected):
    g = np.arange(6.0).reshape(g_shape)
    out = sum_to_shape(g, shape)
    assert out.shape == shape
    np.testing.assert_array_equal(out, expected)
    # and it is the transpose of broadcasting: <broadcast(a), g> = <a, sum_to_shape(g)>
    a = np.random.default_rng(0).normal(size=shape)
    assert np.sum(np.broadcast_to(a, g_shape) * g) == pytest.approx(np.sum(a * out))


@pytest.mark.parametrize("shape", [(3, 1), (2, 2), (4,), (2, 3, 1)])
def test_sum_to_shape_refuses_shapes_that_cannot_broadcast(shape):
    with pytest.raises(ValueError, match="cannot come from broadcasting"):
        sum_to_shape(np.ones((2, 3)), shape)


# ---------------------------------------------------------------------- indexing


def test_repeated_labels_in_different_rows_each_get_their_gradient():
    z, _ = batch(12, N=6, C=4)
    y = np.array([2, 2, 2, 1, 2, 1])
    g = backprop_steps(z, y)
    expected = np.zeros_like(z)
    expected[np.arange(6), y] = -1 / 6
    np.testing.assert_array_equal(g["dlogp"], expected)
    np.testing.assert_allclose(g["dz"], fd(lambda v: mean_ce(v, y), z), atol=1e-9)


def test_pick_backward_adds_repeated_entries_where_plus_equals_loses_them():
    rows, cols = np.array([0, 0, 0, 1]), np.array([2, 2, 1, 0])
    dpicked = np.array([-0.25, -0.5, -1.0, -2.0])
    logp = np.random.default_rng(13).normal(size=(2, 3))
    expected = fd(lambda v: float(np.dot(dpicked, v[rows, cols])), logp)
    np.testing.assert_allclose(pick_backward(dpicked, (2, 3), rows, cols), expected, atol=1e-9)
    buffered = np.zeros((2, 3))
    buffered[rows, cols] += dpicked
    assert buffered[0, 2] != expected[0, 2]  # the trap the chapter shows is real


# ---------------------------------------------------------------------- bad input


@pytest.mark.parametrize("z, y, error, words", [
    (np.zeros(3), [0], ValueError, "shape \\(N, C\\)"),
    (np.zeros((2, 0)), [0, 0], ValueError, "zero classes"),
    (np.array([[0.0, np.nan]]), [0], ValueError, "NaN"),
    (np.array([[0.0, np.inf]]), [0], ValueError, "infinity"),
    (np.zeros((2, 3)), [0], ValueError, "shape \\(2,\\)"),
    (np.zeros((2, 3)), [0, 3], ValueError, "out of range for 3 classes"),
    (np.zeros((2, 3)), [0, -1], ValueError, "out of range"),
    (np.zeros((2, 3)), [0.0, 1.0], TypeError, "integer class labels"),
    (np.array([["a", "b"]]), [0], TypeError, "real numbers"),
    (np.array([[0.0, -800.0]]), [0], ValueError, "underflows to 0 in row 0"),
])
def test_bad_input_is_refused_with_a_reason(z, y, error, words):
    with pytest.raises(error, match=words):
        forward_steps(z, y)


def test_loss_from_refuses_an_unknown_intermediate():
    tape = forward_steps(np.zeros((1, 2)), [0])
    with pytest.raises(ValueError, match="unknown intermediate 'q'"):
        loss_from(tape, "q", 0.0)


def test_float32_stays_float32_and_agrees_with_float64():
    z, y = batch(14)
    g32 = backprop_steps(z.astype(np.float32), y)
    g64 = backprop_steps(z.astype(np.float32).astype(np.float64), y)
    for name, g in g32.items():
        assert g.dtype == np.float32, name
        np.testing.assert_allclose(g, g64[name], rtol=1e-4, atol=1e-6 * max(np.abs(g64[name]).max(), 1.0))


# ------------------------------------------------------------------- properties


@st.composite
def batches(draw):
    N = draw(st.integers(1, 6))
    C = draw(st.integers(1, 9))
    z = draw(st.lists(st.floats(-30, 30), min_size=N * C, max_size=N * C))
    y = draw(st.lists(st.integers(0, C - 1), min_size=N, max_size=N))
    return np.array(z).reshape(N, C), np.array(y)


@settings(max_examples=60, deadline=None)
@given(batches())
def test_property_rows_of_dz_sum_to_zero_and_match_the_fused_form(zy):
    z, y = zy
    N, C = z.shape
    g = backprop_steps(z, y)
    np.testing.assert_allclose(g["dz"].sum(axis=1), 0.0, atol=1e-15)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    fused = (e / e.sum(axis=1, keepdims=True) - np.eye(C)[y]) / N
    np.testing.assert_allclose(g["dz"], fused, atol=1e-15)
    assert np.abs(g["dm"]).max() <= 8 * np.finfo(float).eps / N


@settings(max_examples=40, deadline=None)
@given(batches(), st.floats(-500, 500))
def test_property_shifting_every_logit_changes_no_gradient(zy, c):
    z, y = zy
    a, b = backprop_steps(z, y), backprop_steps(z + c, y)
    for name in ("dlogp", "dp", "dr", "ds", "de", "dzs", "dz"):
        # dp, dr and ds depend on p and s only, which the shift does not move
        np.testing.assert_allclose(a[name], b[name], rtol=1e-9, atol=1e-12, err_msg=name)


# ---------------------------------------------------------------------- autograd


def test_every_gradient_matches_torch_autograd():
    torch = pytest.importorskip("torch")
    z, y = batch(15, N=6, C=9)
    y[:3] = 4  # repeated labels
    ours = backprop_steps(z, y)
    theirs = torch_gradients(z, y)
    assert set(theirs) == set(ours) - {"dL"}
    for name, g in theirs.items():
        assert g.shape == ours[name].shape, name
        np.testing.assert_allclose(ours[name], g, rtol=1e-12, atol=1e-15, err_msg=name)
    # and torch's own fused cross-entropy gives the same dz
    zt = torch.tensor(z, requires_grad=True)
    torch.nn.functional.cross_entropy(zt, torch.as_tensor(y)).backward()
    np.testing.assert_allclose(ours["dz"], zt.grad.numpy(), atol=1e-15)


def test_torch_gradients_is_none_without_torch(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_torch(name, *args, **kwargs):
        if name == "torch" or name.startswith("torch."):
            raise ImportError("no torch here")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_torch)
    assert torch_gradients(np.zeros((1, 2)), [0]) is None
