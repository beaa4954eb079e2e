"""Graph nodes of chapters 06-07: losses on probabilities, the fused node,
the separate softmax node's bug and its repair.

Every gradient is compared with central finite differences in float64; other
expected values are hand calculations or independent formulas.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from derivations import check_gradient, numerical_gradient, relative_error, softmax, softmax_backward
from derivations.teaching.jacobians import jvp_batched
from derivations.teaching.nodes import (
    buggy_softmax_node_backward,
    fixed_softmax_node_backward,
    mse_loss,
    mse_loss_grad,
    prob_cross_entropy,
    prob_cross_entropy_grad,
    softmax_cross_entropy,
    softmax_cross_entropy_backward,
    softmax_then_cross_entropy_grad,
)


def batch(seed, N, C, scale=2.0):
    rng = np.random.default_rng(seed)
    z = rng.normal(scale=scale, size=(N, C))
    t = rng.uniform(0, 1, size=(N, C))  # soft, rows do not sum to 1
    return z, t


def one_hot(labels, C):
    return np.eye(C)[labels]


# --- the two losses on probabilities ----------------------------------------------


def test_mse_hand_values():
    p = np.array([[0.25, 0.75], [0.5, 0.5]])
    t = np.array([[0.0, 1.0], [1.0, 0.0]])
    # row 0: 1/16 + 1/16; row 1: 1/4 + 1/4; mean over 2 rows
    assert mse_loss(p, t) == pytest.approx((0.125 + 0.5) / 2, abs=1e-15)
    np.testing.assert_allclose(mse_loss_grad(p, t), [[0.25, -0.25], [-0.5, 0.5]], atol=1e-15)


def test_loss_gradients_match_finite_differences_in_p():
    _, t = batch(1, 3, 4)
    p = softmax(batch(2, 3, 4)[0])
    assert check_gradient(lambda v: mse_loss(v, t), p, mse_loss_grad(p, t)).passed
    assert check_gradient(lambda v: prob_cross_entropy(v, t), p, prob_cross_entropy_grad(p, t)).passed


@pytest.mark.parametrize("loss, grad", [(mse_loss, mse_loss_grad), (prob_cross_entropy, prob_cross_entropy_grad)])
def test_any_loss_through_one_softmax_backward(loss, grad):
    # the claim of chapter 06: the softmax backward does not need to know the loss
    z, t = batch(3, 4, 5)
    dz = softmax_backward(softmax(z), grad(softmax(z), t))
    assert check_gradient(lambda v: loss(softmax(v), t), z, dz).passed


def test_prob_cross_entropy_hand_value_and_zero_probabilities():
    p = np.array([[0.5, 0.5], [0.25, 0.75]])
    want = (np.log(2) + np.log(4 / 3)) / 2
    assert prob_cross_entropy(p, np.eye(2)) == pytest.approx(want, rel=1e-14)
    # 0 log 0 = 0, but a target on a zero probability costs +inf
    assert prob_cross_entropy(np.array([[1.0, 0.0]]), np.array([[1.0, 0.0]])) == 0.0
    assert prob_cross_entropy(np.array([[1.0, 0.0]]), np.array([[0.0, 1.0]])) == np.inf


def test_prob_cross_entropy_grad_refuses_an_infinite_gradient():
    with pytest.raises(ValueError, match="infinite at row 0, class 1"):
        prob_cross_entropy_grad(np.array([[1.0, 0.0]]), np.array([[0.0, 1.0]]))
    # float32: 1 / 1e-39 is above the largest float32 (3.4e38), so -t/p overflows
    p32 = np.array([[1.0, 1e-39]], dtype=np.float32)
    assert p32[0, 1] > 0
    with pytest.raises(ValueError, match="underflowed"):
        prob_cross_entropy_grad(p32, np.array([[0.0, 1.0]]))
    # the same numbers are fine in float64
    assert np.isfinite(prob_cross_entropy_grad(p32.astype(np.float64), np.array([[0.0, 1.0]]))).all()


# --- the fused node ---------------------------------------------------------------


def test_fused_forward_hand_value():
    z = np.array([[0.0, 0.0], [0.0, np.log(3.0)]])
    assert softmax_cross_entropy(z, np.eye(2)) == pytest.approx((np.log(2) + np.log(4 / 3)) / 2, rel=1e-14)


@pytest.mark.parametrize("dL", [1.0, -2.5])
def test_fused_backward_both_outputs_match_finite_differences(dL):
    z, t = batch(4, 5, 3)
    dz, dt = softmax_cross_entropy_backward(z, t, dL)
    assert check_gradient(lambda v: dL * softmax_cross_entropy(v, t), z, dz).passed
    assert check_gradient(lambda v: dL * softmax_cross_entropy(z, v), t, dt).passed


def test_fused_backward_is_the_homework_formula_for_one_hot_labels():
    rng = np.random.default_rng(5)
    z = rng.normal(size=(6, 10))
    t = one_hot(rng.integers(0, 10, size=6), 10)
    dz, dt = softmax_cross_entropy_backward(z, t)
    # (softmax - labels) / N and -log(softmax) / N, written out independently
    e = np.exp(z - z.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(dz, (p - t) / 6, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(dt, -np.log(p) / 6, rtol=1e-12)


def test_fused_label_gradient_stays_finite_where_log_of_softmax_would_not():
    z = np.array([[0.0, -800.0]])
    _, dt = softmax_cross_entropy_backward(z, np.array([[1.0, 0.0]]))
    # -log p_1 = 800 exactly (log-sum-exp), whereas p_1 = exp(-800) rounds to 0
    np.testing.assert_allclose(dt, [[0.0, 800.0]], atol=1e-12)
    assert softmax(z)[0, 1] == 0.0


def test_fused_equals_separate_path_cancellation():
    z, t = batch(6, 4, 6)
    fused, _ = softmax_cross_entropy_backward(z, t)
    p = softmax(z)
    assert relative_error(softmax_then_cross_entropy_grad(z, t), fused) < 1e-13
    assert relative_error(jvp_batched(p, prob_cross_entropy_grad(p, t)), fused) < 1e-13


def test_masked_logits_in_the_fused_node():
    z = np.array([[0.0, -np.inf, 0.0]])
    t = np.array([[1.0, 0.0, 0.0]])
    assert softmax_cross_entropy(z, t) == pytest.approx(np.log(2))
    dz, dt = softmax_cross_entropy_backward(z, t)
    np.testing.assert_allclose(dz, [[-0.5, 0.0, 0.5]])
    assert dt[0, 1] == np.inf and np.isfinite(dt[0, [0, 2]]).all()


# --- the separate node's bug and the repair ------------------------------------------


def test_buggy_node_gives_a_wrong_gradient_when_batch_equals_classes():
    z, t = batch(7, 3, 3)
    p = softmax(z)
    dp = prob_cross_entropy_grad(p, t)
    got = buggy_softmax_node_backward(p, dp)
    assert got.shape == (3, 3)
    res = check_gradient(lambda v: prob_cross_entropy(softmax(v), t), z, got)
    assert not res.passed and res.error > 0.1


def test_buggy_node_with_one_example_is_silently_diagonal_only():
    z, t = batch(8, 1, 4)
    p = softmax(z)
    dp = mse_loss_grad(p, t)
    np.testing.assert_allclose(buggy_softmax_node_backward(p, dp), dp * p * (1 - p), rtol=1e-14)


def test_buggy_node_raises_a_broadcast_error_when_batch_differs_from_classes():
    p = softmax(batch(9, 4, 3)[0])
    with pytest.raises(ValueError, match="broadcast"):
        buggy_softmax_node_backward(p, np.ones_like(p))


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 5), st.integers(1, 5), st.integers(0, 2**32 - 1))
def test_fixed_node_passes_the_gradient_check_for_any_shape(N, C, seed):
    z, t = batch(seed, N, C)
    p = softmax(z)
    dz = fixed_softmax_node_backward(p, mse_loss_grad(p, t))
    fd = numerical_gradient(lambda v: mse_loss(softmax(v), t), z)
    # central differences round off about 1e-16 * |L| / eps ~ 1e-10 in absolute terms, which is
    # more than 1e-7 of a gradient near 1e-5 (seed 13, N=1, C=2): an absolute floor, not a looser rtol
    np.testing.assert_allclose(dz, fd, rtol=1e-7, atol=1e-9)


# --- float32: fused stays finite where the separate path cannot -----------------------


def test_confident_wrong_prediction_in_float32():
    z = np.array([[0.0, 120.0]], dtype=np.float32)  # true class 0 gets p = e^-120
    t = np.array([[1.0, 0.0]], dtype=np.float32)
    assert softmax(z)[0, 0] == 0.0  # e^-120 is below the smallest float32
    with pytest.raises(ValueError, match="underflowed"):
        softmax_then_cross_entropy_grad(z, t)
    dz, _ = softmax_cross_entropy_backward(z, t)
    assert dz.dtype == np.float32
    np.testing.assert_allclose(dz, [[-1.0, 1.0]], rtol=0, atol=1e-7)


# --- bad input --------------------------------------------------------------------


def test_bad_input_is_named():
    p = np.array([[0.5, 0.5]])
    with pytest.raises(ValueError, match=r"shape \(N, C\)"):
        mse_loss(np.array([0.5, 0.5]), np.array([0.0, 1.0]))
    with pytest.raises(ValueError, match="shape"):
        mse_loss_grad(p, np.zeros((1, 3)))
    with pytest.raises(ValueError, match="negative"):
        prob_cross_entropy(np.array([[1.5, -0.5]]), np.eye(2)[:1])
    with pytest.raises(ValueError, match="non-negative"):
        softmax_cross_entropy(np.zeros((1, 2)), np.array([[-1.0, 2.0]]))
    with pytest.raises(ValueError, match="t contains NaN"):
        softmax_cross_entropy_backward(np.zeros((1, 2)), np.array([[np.nan, 1.0]]))
    with pytest.raises(ValueError, match="z contains NaN"):
        softmax_cross_entropy(np.array([[np.nan, 0.0]]), np.eye(2)[:1])
    with pytest.raises(TypeError, match="dL"):
        softmax_cross_entropy_backward(np.zeros((1, 2)), np.eye(2)[:1], dL="1")
    with pytest.raises(ValueError, match="dL must be finite"):
        softmax_cross_entropy_backward(np.zeros((1, 2)), np.eye(2)[:1], dL=np.inf)
    with pytest.raises(ValueError, match="sum to 1"):
        fixed_softmax_node_backward(np.array([[2.0, 3.0]]), np.ones((1, 2)))
    with pytest.raises(ValueError, match="dp contains"):
        fixed_softmax_node_backward(p, np.array([[np.inf, 0.0]]))
    with pytest.raises(ValueError, match="same shape"):
        buggy_softmax_node_backward(p, np.ones((1, 3)))
