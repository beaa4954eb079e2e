"""The softmax layer of the derivation chapters (derivations.teaching.network).

Expected gradients come from central finite differences of a loss written
out here in plain numpy, or from hand calculations; never from the functions
under test.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from derivations import numerical_gradient
from derivations.teaching.network import (
    diagonal_only_logit_grad,
    diagonal_only_weight_grad,
    layer_loss,
    layer_weight_grad,
    linear_logits,
    logit_grad,
    weight_grad,
)

# central differences in float64; the checker itself is tested against
# hand-derived gradients in tests/test_gradcheck.py
central_difference = numerical_gradient


def plain_loss(z, t):
    """-sum t log softmax(z) for one row, written out directly."""
    e = np.exp(z - z.max())
    return float(-np.sum(t * np.log(e / e.sum())))


# ----------------------------------------------------------------------------
# hand calculations
# ----------------------------------------------------------------------------


def test_logit_grad_by_hand():
    # z = (0, log 3): p = (1/4, 3/4)
    z = np.array([0.0, np.log(3.0)])
    assert np.allclose(logit_grad(z, np.array([1.0, 0.0])), [0.25 - 1, 0.75])
    # soft target with tau = 0.5: 0.5 p - t
    assert np.allclose(logit_grad(z, np.array([0.25, 0.25])), [0.125 - 0.25, 0.375 - 0.25])


def test_diagonal_only_by_hand():
    z = np.array([0.0, np.log(3.0)])
    # -t (1 - p): class 0 has t = 0 and gets nothing at all
    got = diagonal_only_logit_grad(z, np.array([0.0, 1.0]))
    assert np.array_equal(got, [0.0, -0.25])
    assert not np.signbit(got[0])


def test_linear_logits_and_weight_grad_by_hand():
    h = np.array([1.0, -2.0])
    W = np.array([[1.0, 2.0, 0.0], [0.5, 0.0, -1.0]])
    b = np.array([0.0, 1.0, 0.0])
    assert np.allclose(linear_logits(h, W, b), [1 - 1, 2 + 1, 0 + 2])
    assert np.allclose(weight_grad(h, np.array([1.0, 0.0, -1.0])), [[1, 0, -1], [-2, 0, 2]])


def test_loss_by_hand():
    # equal logits: E = tau log C
    W = np.zeros((2, 4))
    t = np.array([0.5, 0.0, 1.0, 0.0])
    assert layer_loss(np.array([1.0, 3.0]), W, None, t) == pytest.approx(1.5 * np.log(4))


# ----------------------------------------------------------------------------
# against finite differences
# ----------------------------------------------------------------------------


@pytest.mark.parametrize("C", [2, 3, 7])
@pytest.mark.parametrize("kind", ["one-hot", "soft"])
def test_logit_grad_matches_finite_differences(C, kind):
    rng = np.random.default_rng(C)
    z = rng.normal(scale=2.0, size=C)
    t = np.eye(C)[1] if kind == "one-hot" else rng.uniform(0, 2, size=C)
    expected = central_difference(lambda v: plain_loss(v, t), z)
    assert np.allclose(logit_grad(z, t), expected, atol=1e-7)


def test_layer_weight_grad_matches_finite_differences():
    rng = np.random.default_rng(1)
    D, C = 3, 4
    h, W, b = rng.normal(size=D), rng.normal(size=(D, C)), rng.normal(size=C)
    t = np.array([0.0, 0.0, 1.0, 0.0])
    expected = central_difference(lambda V: plain_loss(h @ V + b, t), W)
    assert np.allclose(layer_weight_grad(h, W, b, t), expected, atol=1e-7)


def test_batch_weight_grad_is_the_gradient_of_the_mean():
    rng = np.random.default_rng(2)
    N, D, C = 5, 3, 4
    H, W, b = rng.normal(size=(N, D)), rng.normal(size=(D, C)), rng.normal(size=C)
    T = rng.uniform(size=(N, C))

    def mean_loss(V):
        return np.mean([plain_loss(H[n] @ V + b, T[n]) for n in range(N)])

    assert layer_loss(H, W, b, T) == pytest.approx(mean_loss(W))
    assert np.allclose(layer_weight_grad(H, W, b, T), central_difference(mean_loss, W), atol=1e-7)


def test_diagonal_only_disagrees_with_finite_differences():
    rng = np.random.default_rng(4)
    D, C = 3, 4
    h, W = rng.normal(size=D), rng.normal(size=(D, C))
    t = np.eye(C)[2]
    true = central_difference(lambda V: plain_loss(h @ V, t), W)
    asker = diagonal_only_weight_grad(h, W, None, t)
    # every column with t_j = 0 is zero in the asker's version, not in the truth
    for col in (0, 1, 3):
        assert np.all(asker[:, col] == 0)
        assert np.abs(true[:, col]).max() > 1e-3
    # its zeros are +0.0, so that they print as 0 rather than -0
    assert not np.signbit(asker[:, [0, 1, 3]]).any()
    # the hot class's column is right: there t_j = tau, and both agree
    assert np.allclose(asker[:, 2], true[:, 2], atol=1e-7)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(-20, 20), min_size=2, max_size=8),
    st.integers(0, 100),
)
def test_gradient_rows_sum_to_zero_for_normalised_targets(zs, seed):
    # adding a constant to every logit changes nothing, so dE/dz sums to 0;
    # the asker's gradient sums to -(1 - p_c) instead
    z = np.array(zs)
    C = z.size
    t = np.eye(C)[seed % C]
    assert abs(logit_grad(z, t).sum()) < 1e-12
    p_c = np.exp(z[seed % C] - z.max()) / np.exp(z - z.max()).sum()
    assert diagonal_only_logit_grad(z, t).sum() == pytest.approx(-(1 - p_c), abs=1e-12)


def test_large_logits_stay_finite():
    z = np.array([1000.0, 0.0, -1000.0])
    t = np.array([0.0, 1.0, 0.0])
    assert np.allclose(logit_grad(z, t), [1.0, -1.0, 0.0])
    h, W = np.array([1.0]), np.array([[1000.0, 0.0, -1000.0]])
    assert layer_loss(h, W, None, t) == pytest.approx(1000.0)


# ----------------------------------------------------------------------------
# bad input
# ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: logit_grad(np.zeros(3), np.zeros(4)), ValueError, "shape"),
        (lambda: logit_grad(np.zeros(3), np.array([1.0, -1.0, 0.0])), ValueError, "non-negative"),
        (lambda: logit_grad(np.array([0.0, np.nan]), np.zeros(2)), ValueError, "NaN"),
        (lambda: logit_grad(np.zeros(2), np.array([np.inf, 0.0])), ValueError, "infinity"),
        (lambda: logit_grad(np.zeros((2, 2, 2)), np.zeros((2, 2, 2))), ValueError, r"\(C,\) or \(N, C\)"),
        (lambda: logit_grad(np.array(["a", "b"]), np.zeros(2)), TypeError, "real numbers"),
        (lambda: diagonal_only_logit_grad(np.zeros(2), np.ones(3)), ValueError, "shape"),
        (lambda: linear_logits(np.zeros(3), np.zeros((2, 4))), ValueError, "h must have shape"),
        (lambda: linear_logits(np.zeros(2), np.zeros(4)), ValueError, r"W must have shape \(D, C\)"),
        (lambda: linear_logits(np.zeros(2), np.zeros((2, 4)), np.zeros(3)), ValueError, "b must have shape"),
        (lambda: linear_logits(np.zeros(2), np.zeros((2, 0))), ValueError, "zero columns"),
        (lambda: linear_logits(np.array([np.nan, 0.0]), np.zeros((2, 2))), ValueError, "h contains NaN"),
        (lambda: weight_grad(np.zeros((3, 2)), np.zeros((4, 5))), ValueError, "same N"),
        (lambda: weight_grad(np.zeros(3), np.zeros((4, 5))), ValueError, "same N"),
        (lambda: layer_loss(np.zeros(2), np.zeros((2, 3)), None, np.zeros(2)), ValueError, "shape"),
        (lambda: weight_grad([True, False], np.zeros(2)), TypeError, "booleans"),
    ],
)
def test_bad_input_raises_clear_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()
