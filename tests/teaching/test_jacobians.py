"""The explicit softmax Jacobians and the elementwise "delta" of chapter 06.

Expected values come from central finite differences of softmax in float64,
from hand calculations, or from properties every softmax Jacobian has.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from derivations import numerical_gradient, relative_error, softmax, softmax_backward
from derivations.teaching.jacobians import (
    elementwise_delta,
    jacobian_batched,
    jacobian_loops,
    jacobian_vectorized,
    jvp_batched,
)

logit_rows = arrays(
    np.float64,
    st.integers(1, 6),
    elements=st.floats(-30, 30, allow_nan=False, allow_infinity=False),
)


def fd_jacobian(z):
    """J[i, j] = d softmax(z)_i / d z_j by central differences, row by row."""
    z = np.asarray(z, dtype=np.float64)
    return np.stack([numerical_gradient(lambda v, i=i: softmax(v)[i], z) for i in range(z.size)])


# --- the three Jacobians --------------------------------------------------------


def test_hand_calculation_two_classes():
    # p = (1/4, 3/4): p(1-p) = 3/16 on the diagonal, -p0 p1 = -3/16 off it
    want = np.array([[3 / 16, -3 / 16], [-3 / 16, 3 / 16]])
    p = np.array([0.25, 0.75])
    np.testing.assert_allclose(jacobian_loops(p), want, rtol=0, atol=1e-15)
    np.testing.assert_allclose(jacobian_vectorized(p), want, rtol=0, atol=1e-15)
    np.testing.assert_allclose(jacobian_batched(p[None])[0], want, rtol=0, atol=1e-15)


@pytest.mark.parametrize("jac", [jacobian_loops, jacobian_vectorized])
def test_matches_finite_differences(jac):
    rng = np.random.default_rng(6)
    z = rng.normal(scale=2.0, size=5)
    assert relative_error(jac(softmax(z)), fd_jacobian(z)) < 1e-8


def test_batched_matches_finite_differences_row_by_row():
    rng = np.random.default_rng(7)
    Z = rng.normal(scale=2.0, size=(4, 3))
    J = jacobian_batched(softmax(Z))
    assert J.shape == (4, 3, 3)
    for n in range(4):
        assert relative_error(J[n], fd_jacobian(Z[n])) < 1e-8


@settings(max_examples=60, deadline=None)
@given(logit_rows)
def test_three_ways_agree_and_have_jacobian_properties(z):
    p = softmax(z)
    J = jacobian_loops(p)
    np.testing.assert_allclose(jacobian_vectorized(p), J, rtol=0, atol=1e-15)
    np.testing.assert_allclose(jacobian_batched(p[None])[0], J, rtol=0, atol=1e-15)
    # probabilities always sum to 1, so no change of z changes their sum
    np.testing.assert_allclose(J.sum(axis=0), 0, atol=1e-15)
    np.testing.assert_allclose(J.sum(axis=1), 0, atol=1e-15)
    np.testing.assert_array_equal(J, J.T)
    # positive semidefinite: the Hessian of log-sum-exp
    assert np.linalg.eigvalsh(J).min() > -1e-12


def test_float32_stays_float32():
    p = softmax(np.array([[0.1, 0.2, 0.3]], dtype=np.float32))
    assert jacobian_loops(p[0]).dtype == np.float32
    assert jacobian_vectorized(p[0]).dtype == np.float32
    assert jacobian_batched(p).dtype == np.float32
    assert jvp_batched(p, np.ones_like(p)).dtype == np.float32


def test_fully_masked_row_has_zero_jacobian():
    # softmax returns a row of zeros when every logit is -inf; nothing can move it
    P = softmax(np.array([[-np.inf, -np.inf], [0.0, 0.0]]))
    J = jacobian_batched(P)
    np.testing.assert_array_equal(J[0], 0)
    np.testing.assert_allclose(J[1], [[0.25, -0.25], [-0.25, 0.25]])


# --- the Jacobian-vector product through the (N, C, C) Jacobian ---------------------


def test_jvp_batched_is_the_gradient_of_a_linear_loss():
    rng = np.random.default_rng(8)
    Z = rng.normal(size=(3, 4))
    dP = rng.normal(size=(3, 4))
    # L = sum(dP * softmax(Z)) has dL/dp = dP, so dL/dz is the backward pass
    fd = numerical_gradient(lambda v: float(np.sum(dP * softmax(v))), Z)
    got = jvp_batched(softmax(Z), dP)
    assert relative_error(got, fd) < 1e-8
    assert relative_error(got, softmax_backward(softmax(Z), dP)) < 1e-13


# --- the question's elementwise delta ------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(logit_rows)
def test_elementwise_delta_is_the_diagonal_p_one_minus_p(z):
    p = softmax(z)
    got = elementwise_delta(z)
    # e/o loses digits when one class holds nearly all the mass: absolute tolerance
    np.testing.assert_allclose(got, p * (1 - p), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(got, np.diag(jacobian_vectorized(p)), rtol=1e-9, atol=1e-12)


def test_elementwise_delta_fails_a_gradient_check():
    rng = np.random.default_rng(9)
    z = rng.normal(size=4)
    t = np.array([0.0, 1.0, 0.0, 0.0])

    def squared_error(v):
        return float(np.sum((softmax(v) - t) ** 2))

    dp = 2 * (softmax(z) - t)
    fd = numerical_gradient(squared_error, z)
    assert relative_error(elementwise_delta(z) * dp, fd) > 0.1
    assert relative_error(softmax_backward(softmax(z), dp), fd) < 1e-8


def test_elementwise_delta_limits_and_large_logits():
    # exp(800) overflows unshifted; the shifted formula is fine
    np.testing.assert_allclose(elementwise_delta(np.array([800.0, 800.0])), [0.25, 0.25])
    # a single class (o = 0) and a masked class (e = 0): p(1-p) = 0, no NaN
    np.testing.assert_array_equal(elementwise_delta(np.array([3.0])), [0.0])
    np.testing.assert_array_equal(elementwise_delta(np.array([0.0, -np.inf])), [0.0, 0.0])
    np.testing.assert_array_equal(elementwise_delta(np.array([[-np.inf, -np.inf]])), [[0.0, 0.0]])
    assert elementwise_delta(np.zeros((2, 3), dtype=np.float32)).dtype == np.float32


# --- bad input ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "fn, arg, err, match",
    [
        (jacobian_vectorized, np.array([1.0, 2.0]), ValueError, "sum to 1"),
        (jacobian_loops, np.array([1.5, -0.5]), ValueError, "negative"),
        (jacobian_vectorized, np.array([[0.5, 0.5]]), ValueError, r"shape \(C,\)"),
        (jacobian_batched, np.array([0.5, 0.5]), ValueError, r"shape \(N, C\)"),
        (jacobian_vectorized, np.array([np.nan, 1.0]), ValueError, "NaN"),
        (jacobian_vectorized, np.array([True, False]), TypeError, "booleans"),
        (jacobian_vectorized, np.array(["a", "b"]), TypeError, "real numbers"),
        (jacobian_vectorized, np.array([]), ValueError, "zero classes"),
        (elementwise_delta, np.array([np.nan, 1.0]), ValueError, "NaN"),
        (elementwise_delta, np.array([np.inf, 1.0]), ValueError, r"\+inf"),
    ],
)
def test_bad_input_is_named(fn, arg, err, match):
    with pytest.raises(err, match=match):
        fn(arg)


def test_jvp_batched_rejects_mismatched_or_nonfinite_upstream():
    P = np.array([[0.5, 0.5]])
    with pytest.raises(ValueError, match="same shape"):
        jvp_batched(P, np.ones((1, 3)))
    with pytest.raises(ValueError, match="dP contains an infinity"):
        jvp_batched(P, np.array([[np.inf, 0.0]]))
