"""Arguments that must be refused, one test per kind of mistake.

Every message names the argument, the value given and what was expected;
none of these may turn into a silent NaN, a wrong answer or numpy's own
internal error message. The checks live in ``derivations.validation``.
"""

import math

import numpy as np
import pytest

from derivations import (
    check_gradient,
    cross_entropy,
    cross_entropy_grad,
    cross_entropy_with_grad,
    linear_cross_entropy,
    numerical_gradient,
    softmax,
    softmax_backward,
)
from derivations.gradcheck import forward_difference, numerical_jacobian

LOSSES = [cross_entropy, cross_entropy_grad, cross_entropy_with_grad]
Z = np.array([[1.0, 2.0, 3.0], [0.5, 0.1, 0.2]])


# ------------------------------------------------------------ ignore_index


@pytest.mark.parametrize("fn", LOSSES)
@pytest.mark.parametrize("bad", [True, False, 1.0, -100.0, None, "1", np.array([1]), [1]])
def test_ignore_index_must_be_an_integer(fn, bad):
    # True == 1 and 1.0 == 1 would silently skip every row of class 1
    with pytest.raises(TypeError, match=r"ignore_index must be an integer.*got " + type(bad).__name__):
        fn(Z, np.array([1, 2]), ignore_index=bad)


def test_numpy_integer_ignore_index_is_accepted():
    # row 0 (class 1) is skipped: the mean is row 1's loss alone
    loss = cross_entropy(Z, np.array([1, 2]), ignore_index=np.int8(1))
    assert loss == pytest.approx(math.log(np.exp(Z[1]).sum()) - Z[1, 2], rel=1e-14)


def test_ignore_index_beyond_int64_is_refused():
    with pytest.raises(ValueError, match="ignore_index must fit in int64"):
        cross_entropy(Z, np.array([1, 2]), ignore_index=2**70)


# ------------------------------------------------------- unsigned targets


@pytest.mark.parametrize("fn", LOSSES)
@pytest.mark.parametrize("value", [2**64 - 100, 2**63 + 5, 2**63])
def test_unsigned_targets_do_not_wrap_into_ignore_index(fn, value):
    # cast to int64, 2**64 - 100 becomes -100, the default ignore_index
    t = np.array([value, 1], dtype=np.uint64)
    with pytest.raises(ValueError, match=f"class target {value} is out of range for 3 classes"):
        fn(Z, t)


def test_unsigned_targets_in_range_work():
    t = np.array([2, 0], dtype=np.uint64)
    assert cross_entropy(Z, t) == cross_entropy(Z, np.array([2, 0]))


def test_unsigned_word_targets_do_not_wrap():
    h, W = np.ones((1, 2)), np.ones((3, 2))
    with pytest.raises(ValueError, match=f"word target {2**64 - 1} is out of range for 3 words"):
        linear_cross_entropy(h, W, np.array([2**64 - 1], dtype=np.uint64))


# ------------------------------------------------------ negative weights


@pytest.mark.parametrize("fn", LOSSES)
@pytest.mark.parametrize("target", [np.array([0, 1]), np.array([[0.2, 0.8, 0.0], [1.0, 0.0, 0.0]])])
def test_negative_class_weights_are_refused(fn, target):
    # a clamped loss of 0 beside a non-zero gradient: refused, so they never disagree
    with pytest.raises(ValueError, match=r"weight must be non-negative, got -1.0 for class 0"):
        fn(Z, target, weight=np.array([-1.0, 1.0, 1.0]))


def test_zero_weights_keep_loss_and_gradient_consistent():
    w = np.array([0.0, 2.0, 1.0])
    t = np.array([0, 1])
    loss, g = cross_entropy_with_grad(Z, t, weight=w, reduction="sum")
    # only row 1 counts: 2 * -log softmax(Z[1])[1]
    expected = 2 * -(Z[1, 1] - math.log(np.exp(Z[1]).sum()))
    assert loss == pytest.approx(expected, rel=1e-14)
    num = numerical_gradient(lambda v: float(cross_entropy(v, t, weight=w, reduction="sum")), Z)
    np.testing.assert_allclose(g, num, atol=1e-8)


# ----------------------------------------------------- overflowing casts


@pytest.mark.parametrize("fn", LOSSES)
def test_targets_that_overflow_float32_are_named_as_overflow(fn):
    t = np.array([[1e39, 0.0, 0.0], [0.0, 1.0, 0.0]])  # finite in float64
    with pytest.raises(ValueError, match=r"the value 1e\+39 overflows float32") as info:
        fn(Z.astype(np.float32), t)
    assert "infinity" not in str(info.value)


@pytest.mark.parametrize("fn", LOSSES)
def test_weights_that_overflow_float32_are_named_as_overflow(fn):
    with pytest.raises(ValueError, match=r"weight: the value 1e\+39 overflows float32"):
        fn(Z.astype(np.float32), np.array([0, 1]), weight=np.array([1e39, 1.0, 1.0]))


def test_a_real_infinity_is_still_called_one():
    with pytest.raises(ValueError, match="weight contains an infinity"):
        cross_entropy(Z, np.array([0, 1]), weight=np.array([np.inf, 1.0, 1.0]))


def test_linear_inputs_that_overflow_float32():
    h = np.ones((2, 2), dtype=np.float32)
    W = np.array([[1e39, 0.0], [0.0, 0.0]])  # float64, would make h, W float64: fine
    loss, dh, dW = linear_cross_entropy(h, W, np.array([0, 1]))
    assert dh.dtype == np.float64 and np.isfinite(loss)


# ---------------------------------------------- np.matrix and masked arrays


@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")
@pytest.mark.parametrize("fn", LOSSES)
def test_matrix_logits_behave_as_the_array(fn):
    got = fn(np.matrix(Z), np.array([0, 1]), reduction="none")
    want = fn(Z, np.array([0, 1]), reduction="none")
    for a, b in zip(*(x if isinstance(x, tuple) else (x,) for x in (got, want))):
        assert type(a) is np.ndarray
        np.testing.assert_array_equal(a, b)


@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")
def test_matrix_softmax_and_backward():
    p = softmax(np.matrix(Z))
    assert type(p) is np.ndarray
    np.testing.assert_array_equal(p, softmax(Z))
    dz = softmax_backward(np.matrix(p), np.matrix(np.ones_like(Z)))
    np.testing.assert_array_equal(dz, softmax_backward(p, np.ones_like(Z)))


@pytest.mark.parametrize(
    "call",
    [
        lambda m: softmax(m),
        lambda m: cross_entropy(m, np.array([0, 1])),
        lambda m: cross_entropy_grad(m, np.array([0, 1])),
        lambda m: cross_entropy(Z, np.ma.masked_array([0, 1], mask=[1, 0])),
        lambda m: softmax_backward(softmax(Z), m),
        lambda m: linear_cross_entropy(m, np.ones((4, 3)), np.array([0, 1])),
        lambda m: numerical_gradient(lambda v: float(v.sum()), m),
    ],
)
def test_masked_arrays_are_refused(call):
    # numpy would quietly compute with the hidden values
    m = np.ma.masked_array(Z, mask=[[0, 1, 0], [0, 0, 0]])
    with pytest.raises(TypeError, match="is a masked array; pass a plain array"):
        call(m)


# -------------------------------------------------- linear_cross_entropy


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_an_empty_batch_has_mean_zero(dtype):
    h, W = np.zeros((0, 3), dtype), np.ones((4, 3), dtype)
    loss, dh, dW = linear_cross_entropy(h, W, np.zeros(0, dtype=np.int64))
    assert loss == 0 and loss.dtype == dtype
    assert dh.shape == (0, 3) and dW.shape == (4, 3) and not dW.any()
    # the same convention as cross_entropy on an empty batch
    assert cross_entropy(np.zeros((0, 4), dtype), np.zeros(0, dtype=np.int64)) == 0


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_overflowing_logits_are_refused(dtype):
    big = np.finfo(dtype).max ** 0.5 * 4  # finite inputs, an infinite product
    h = np.full((2, 3), big, dtype=dtype)
    W = np.full((4, 3), big, dtype=dtype)
    with pytest.raises(ValueError, match=f"h @ W.T overflow {np.dtype(dtype)} in row 0"):
        linear_cross_entropy(h, W, np.array([0, 1]))


def test_large_but_representable_logits_are_fine():
    h = np.full((2, 1), 1e150)
    W = np.array([[1e150], [-1e150], [0.0]])
    loss, dh, dW = linear_cross_entropy(h, W, np.array([0, 2]))
    assert np.isfinite(loss) and np.isfinite(dh).all() and np.isfinite(dW).all()


def test_float32_gradients_stay_near_float64():
    # logits near 100, exact in float32: any difference is rounding after z
    rng = np.random.default_rng(3)
    N, V = 16, 4096
    h = np.ones((N, 2))
    h[:, 1] = rng.integers(-4, 5, N) / 4
    W = np.empty((V, 2))
    W[:, 0] = 100.0
    W[:, 1] = np.round(rng.normal(size=V) * 8 * 256) / 256
    t = rng.integers(0, V, N)
    h32, W32 = h.astype(np.float32), W.astype(np.float32)
    assert np.array_equal((h32 @ W32.T).astype(np.float64), h @ W.T)
    l64, dh64, dW64 = linear_cross_entropy(h, W, t)
    l32, dh32, dW32 = linear_cross_entropy(h32, W32, t)
    for got, want in ((dh32, dh64), (dW32, dW64)):
        assert np.abs(got - want).max() / np.abs(want).max() <= 2e-6
    assert abs(l32 - l64) / l64 <= 2e-6


# ---------------------------------------------------------- gradient checks

SQUARE = lambda v: float(np.sum(v**2))  # noqa: E731
X = np.array([1.0, -2.0])
DIFFERENCES = [numerical_gradient, forward_difference]


@pytest.mark.parametrize("fn", DIFFERENCES + [numerical_jacobian])
@pytest.mark.parametrize("eps", [math.inf, -math.inf, math.nan, 0.0, -1e-6])
def test_eps_must_be_positive_and_finite(fn, eps):
    f = SQUARE if fn is not numerical_jacobian else (lambda v: v**2)
    with pytest.raises(ValueError, match=r"eps must be a positive finite number, got"):
        fn(f, X, eps=eps)


@pytest.mark.parametrize("fn", DIFFERENCES + [numerical_jacobian])
@pytest.mark.parametrize("eps", ["1e-6", None, True, 1j, np.array([1e-6])])
def test_eps_must_be_a_number(fn, eps):
    with pytest.raises(TypeError, match=r"eps must be a positive number, got"):
        fn(SQUARE, X, eps=eps)


@pytest.mark.parametrize("fn", DIFFERENCES + [numerical_jacobian])
def test_complex_points_are_refused(fn):
    # float64(x) would drop the imaginary part without a word
    with pytest.raises(TypeError, match="x must hold real numbers, got dtype complex128"):
        fn(SQUARE, X + 1j)


@pytest.mark.parametrize("tol", [math.nan, -1e-6])
def test_tolerance_must_be_a_non_negative_number(tol):
    with pytest.raises(ValueError, match="tol must be a non-negative number"):
        check_gradient(SQUARE, X, 2 * X, tol=tol)


@pytest.mark.parametrize("tol", ["1e-6", None])
def test_tolerance_must_be_a_number(tol):
    with pytest.raises(TypeError, match="tol must be a non-negative number"):
        check_gradient(SQUARE, X, 2 * X, tol=tol)


@pytest.mark.parametrize("fn", DIFFERENCES)
@pytest.mark.parametrize(
    "f,kind,words",
    [
        (lambda v: None, TypeError, "f returned None; it must return the loss as a real number"),
        (lambda v: v**2, ValueError, r"f must return one number \(a scalar loss\), got an array of shape \(2,\)"),
        (lambda v: "0.5", TypeError, "f must return a real number, got str"),
        (lambda v: v[0] > 0, TypeError, "f returned a boolean"),
        (lambda v: 1j * v[0], TypeError, "f must return a real number, got complex"),
    ],
)
def test_what_f_returns_is_named(fn, f, kind, words):
    with pytest.raises(kind, match=words):
        fn(f, X)


@pytest.mark.parametrize("fn", DIFFERENCES)
def test_one_element_results_are_accepted(fn):
    np.testing.assert_allclose(fn(lambda v: np.array([np.sum(v**2)]), X), 2 * X, rtol=1e-6)


def test_f_that_raises_leaves_no_perturbation():
    x = np.array([1.0, 2.0])
    calls = []

    def f(v):
        calls.append(v.copy())
        if len(calls) == 2:
            raise RuntimeError("learner's bug")
        return float(v.sum())

    with pytest.raises(RuntimeError):
        numerical_gradient(f, x)
    np.testing.assert_array_equal(x, [1.0, 2.0])


def test_analytic_of_the_wrong_shape_is_named():
    with pytest.raises(ValueError, match=r"analytic must have x's shape \(2,\), got \(3,\)"):
        check_gradient(SQUARE, X, np.ones(3))


def test_f_must_be_callable():
    with pytest.raises(TypeError, match="f must be a function of x, got ndarray"):
        numerical_gradient(np.ones(2), X)
