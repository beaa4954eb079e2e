"""softmax, log_softmax, softmax_jacobian and softmax_backward.

Expected values come from hand calculation, finite differences in float64,
or properties every softmax must have; never from the functions under test.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from derivations import (
    log_softmax,
    numerical_gradient,
    relative_error,
    softmax,
    softmax_backward,
    softmax_jacobian,
)

DTYPES = [np.float32, np.float64]


def logits(dtype=np.float64, max_rows=6, max_classes=8, bound=50.0):
    """(N, C) finite logits."""
    shapes = hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=max_classes)
    shapes = shapes.filter(lambda s: s[0] <= max_rows)
    elems = st.floats(-bound, bound, allow_nan=False, width=32 if dtype == np.float32 else 64)
    return hnp.arrays(dtype, shapes, elements=elems)


# ---------------------------------------------------------------- golden values

def test_golden_two_classes():
    # exp(0) : exp(log 3) = 1 : 3
    np.testing.assert_allclose(softmax(np.array([0.0, math.log(3.0)])), [0.25, 0.75], rtol=1e-15)


def test_golden_uniform():
    np.testing.assert_allclose(softmax(np.array([2.0, 2.0, 2.0, 2.0])), [0.25] * 4, rtol=1e-15)


def test_golden_log_softmax():
    # log(e / (e + e^2 + e^3)) = 1 - log(e + e^2 + e^3), worked out by hand
    lse = math.log(math.e + math.e**2 + math.e**3)
    np.testing.assert_allclose(log_softmax(np.array([1.0, 2.0, 3.0])), [1 - lse, 2 - lse, 3 - lse], rtol=1e-14)


def test_golden_jacobian():
    # p = (1/4, 3/4): diagonal p(1-p) = 3/16, off-diagonal -p0 p1 = -3/16
    J = softmax_jacobian(np.array([0.0, math.log(3.0)]))
    np.testing.assert_allclose(J, [[3 / 16, -3 / 16], [-3 / 16, 3 / 16]], rtol=1e-14)


def test_golden_backward():
    # p = (1/4, 3/4), dp = (1, 0): <p, dp> = 1/4, dz = p * (dp - 1/4) = (3/16, -3/16)
    dz = softmax_backward(np.array([0.25, 0.75]), np.array([1.0, 0.0]))
    np.testing.assert_allclose(dz, [3 / 16, -3 / 16], rtol=1e-15)


# ---------------------------------------------------------------- properties

@pytest.mark.parametrize("dtype", DTYPES)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_rows_sum_to_one(dtype, data):
    z = data.draw(logits(dtype))
    p = softmax(z)
    assert p.dtype == dtype
    assert np.all((p >= 0) & (p <= 1))
    tol = 1e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(p.sum(axis=-1), 1.0, atol=tol)


@settings(max_examples=60, deadline=None)
@given(z=logits(), shift=st.floats(-1e3, 1e3))
def test_shift_invariance(z, shift):
    np.testing.assert_allclose(softmax(z + shift), softmax(z), rtol=1e-9, atol=1e-15)


@settings(max_examples=60, deadline=None)
@given(z=logits(bound=30.0))
def test_log_softmax_is_log_of_softmax(z):
    # within this range nothing underflows, so the naive formula is a valid reference
    p = np.exp(z - z.max(axis=-1, keepdims=True))
    p /= p.sum(axis=-1, keepdims=True)
    np.testing.assert_allclose(log_softmax(z), np.log(p), rtol=1e-10, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(z=logits(max_rows=3, max_classes=6))
def test_jacobian_rows_sum_to_zero_and_symmetric(z):
    J = softmax_jacobian(z)
    assert J.shape == z.shape + (z.shape[-1],)
    np.testing.assert_allclose(J.sum(axis=-1), 0.0, atol=1e-14)
    np.testing.assert_allclose(J, np.swapaxes(J, -1, -2), atol=1e-16)


@settings(max_examples=40, deadline=None)
@given(z=logits(max_rows=1, max_classes=6, bound=5.0))
def test_jacobian_matches_finite_differences(z):
    z = z[0]
    C = z.size
    numeric = np.stack([numerical_gradient(lambda v, i=i: softmax(v)[i], z, eps=1e-5) for i in range(C)])
    # entries can be as small as 1e-3; rounding in the differences then limits agreement to ~1e-7
    assert relative_error(softmax_jacobian(z), numeric) < 1e-6


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_backward_equals_jacobian_transpose_product(data):
    z = data.draw(logits(max_rows=4, max_classes=7))
    dp = data.draw(hnp.arrays(np.float64, z.shape, elements=st.floats(-10, 10)))
    p = softmax(z)
    expected = np.einsum("nij,ni->nj", softmax_jacobian(z), dp)
    np.testing.assert_allclose(softmax_backward(p, dp), expected, atol=1e-12)


def test_backward_matches_finite_differences_of_any_loss():
    rng = np.random.default_rng(0)
    z = rng.normal(size=5)
    target = rng.normal(size=5)
    # a loss that is not cross-entropy: squared error on the probabilities
    loss = lambda v: float(np.sum((softmax(v) - target) ** 2))
    dp = 2 * (softmax(z) - target)
    numeric = numerical_gradient(loss, z)
    assert relative_error(softmax_backward(softmax(z), dp), numeric) < 1e-8


def test_axis_argument():
    rng = np.random.default_rng(1)
    z = rng.normal(size=(4, 3))
    np.testing.assert_allclose(softmax(z, axis=0), softmax(z.T).T, rtol=1e-15)
    np.testing.assert_allclose(log_softmax(z, axis=0), log_softmax(z.T).T, rtol=1e-15)
    dp = rng.normal(size=(4, 3))
    np.testing.assert_allclose(
        softmax_backward(softmax(z, axis=0), dp, axis=0), softmax_backward(softmax(z.T), dp.T).T, rtol=1e-14
    )


def test_integer_logits_become_float64():
    p = softmax(np.array([0, 0]))
    assert p.dtype == np.float64
    np.testing.assert_array_equal(p, [0.5, 0.5])


# ---------------------------------------------------------------- extremes and masks

@pytest.mark.parametrize("dtype", DTYPES)
def test_huge_logits_are_finite_and_correct(dtype):
    z = np.array([1e4, -1e4, 1e4 - math.log(3.0)], dtype=dtype)
    p = softmax(z)
    assert np.all(np.isfinite(p))
    # classes 0 and 2 share the mass 1 : 1/3 (in float32, 1e4 - log 3 rounds, so compare loosely)
    rtol = 1e-3 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(p, [0.75, 0.0, 0.25], rtol=rtol, atol=1e-30)
    lp = log_softmax(z)
    assert np.all(np.isfinite(lp))
    np.testing.assert_allclose(lp[1], -2e4 - math.log(4 / 3), rtol=1e-6)


def test_exp_800_would_overflow_but_softmax_does_not():
    with np.errstate(over="ignore"):
        assert np.isinf(np.exp(np.float64(800)))
    np.testing.assert_allclose(softmax(np.array([800.0, 800.0 + math.log(3.0)])), [0.25, 0.75], rtol=1e-12)


def test_log_softmax_where_log_of_softmax_underflows():
    z = np.array([0.0, -800.0])
    with np.errstate(divide="ignore"):
        assert np.isneginf(np.log(softmax(z))[1])
    assert log_softmax(z)[1] == -800.0


def test_negative_infinity_masks_a_class():
    p = softmax(np.array([0.0, -np.inf, 0.0]))
    np.testing.assert_array_equal(p, [0.5, 0.0, 0.5])
    lp = log_softmax(np.array([0.0, -np.inf]))
    assert lp[0] == 0.0 and np.isneginf(lp[1])


def test_fully_masked_row_is_defined():
    z = np.array([[0.0, 1.0], [-np.inf, -np.inf]])
    p = softmax(z)
    np.testing.assert_array_equal(p[1], [0.0, 0.0])
    np.testing.assert_allclose(p[0].sum(), 1.0)
    lp = log_softmax(z)
    assert np.all(np.isneginf(lp[1]))
    J = softmax_jacobian(z)
    np.testing.assert_array_equal(J[1], np.zeros((2, 2)))
    dz = softmax_backward(p, np.ones_like(p))
    np.testing.assert_array_equal(dz[1], [0.0, 0.0])
