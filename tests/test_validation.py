"""Bad input gets a clear ValueError or TypeError that names the problem."""

import numpy as np
import pytest

from derivations import (
    cross_entropy,
    cross_entropy_grad,
    log_softmax,
    softmax,
    softmax_backward,
    softmax_jacobian,
)

LOSSES = [cross_entropy, cross_entropy_grad]
FORWARDS = [softmax, log_softmax, softmax_jacobian]


@pytest.mark.parametrize("fn", FORWARDS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_nan_logits(fn, dtype):
    with pytest.raises(ValueError, match="NaN"):
        fn(np.array([[0.0, np.nan], [1.0, 2.0]], dtype=dtype))


@pytest.mark.parametrize("fn", FORWARDS)
def test_positive_infinite_logits(fn):
    with pytest.raises(ValueError, match=r"\+inf"):
        fn(np.array([0.0, np.inf]))


@pytest.mark.parametrize("fn", LOSSES)
def test_nan_logits_in_losses(fn):
    with pytest.raises(ValueError, match="NaN"):
        fn(np.array([[np.nan, 0.0]]), np.array([0]))
    # NaN next to a -inf mask in the same row is still found
    with pytest.raises(ValueError, match="NaN"):
        fn(np.array([[-np.inf, np.nan, 1.0]]), np.array([2]))


@pytest.mark.parametrize("fn", FORWARDS)
def test_zero_classes(fn):
    with pytest.raises(ValueError, match="zero classes"):
        fn(np.zeros((3, 0)))


@pytest.mark.parametrize("fn", LOSSES)
def test_zero_classes_in_losses(fn):
    with pytest.raises(ValueError, match="zero classes"):
        fn(np.zeros((2, 0)), np.zeros((2, 0)))


def test_scalar_logits():
    with pytest.raises(ValueError, match="class axis"):
        softmax(np.float64(3.0))


@pytest.mark.parametrize("bad", [np.array([True, False]), np.array(["a", "b"]), np.array([1 + 2j, 0j])])
def test_non_real_logits(bad):
    with pytest.raises(TypeError, match="real numbers"):
        softmax(bad)


def test_ragged_logits():
    with pytest.raises(TypeError, match="array of real numbers"):
        softmax([[1.0, 2.0], [3.0]])


def test_bad_axis():
    with pytest.raises(ValueError, match="out of range"):
        softmax(np.zeros((2, 3)), axis=2)
    with pytest.raises(TypeError, match="axis must be an integer"):
        softmax(np.zeros((2, 3)), axis=1.0)


def test_backward_mismatched_shapes():
    with pytest.raises(ValueError, match="same shape"):
        softmax_backward(np.full(3, 1 / 3), np.zeros(4))


def test_backward_nan_or_inf_upstream():
    p = np.array([0.5, 0.5])
    with pytest.raises(ValueError, match="finite"):
        softmax_backward(p, np.array([np.nan, 1.0]))
    with pytest.raises(ValueError, match="finite"):
        softmax_backward(p, np.array([np.inf, 1.0]))
    # an infinity facing a zero probability would give 0 * inf = NaN: also refused
    with pytest.raises(ValueError, match="finite"):
        softmax_backward(np.array([1.0, 0.0]), np.array([0.0, np.inf]))


@pytest.mark.parametrize("fn", LOSSES)
def test_logits_of_wrong_rank(fn):
    with pytest.raises(ValueError, match=r"shape \(C,\) or \(N, C\)"):
        fn(np.zeros((2, 3, 4)), np.zeros((2, 3, 4)))


@pytest.mark.parametrize("fn", LOSSES)
def test_integer_targets_wrong_shape(fn):
    with pytest.raises(ValueError, match=r"must have shape \(3,\)"):
        fn(np.zeros((3, 4)), np.array([0, 1]))
    # a one-hot matrix of integers is a likely slip: say to pass floats
    with pytest.raises(ValueError, match="pass floats"):
        fn(np.zeros((3, 4)), np.eye(3, 4, dtype=int))


@pytest.mark.parametrize("fn", LOSSES)
def test_probability_targets_wrong_shape(fn):
    with pytest.raises(ValueError, match="probability targets must have z's shape"):
        fn(np.zeros((3, 4)), np.full((3, 5), 0.2))


@pytest.mark.parametrize("fn", LOSSES)
@pytest.mark.parametrize("target", [4, -1, 100])
def test_integer_targets_out_of_range(fn, target):
    with pytest.raises(ValueError, match="out of range for 4 classes"):
        fn(np.zeros((2, 4)), np.array([0, target]))


@pytest.mark.parametrize("fn", LOSSES)
def test_negative_probability_targets(fn):
    with pytest.raises(ValueError, match="non-negative"):
        fn(np.zeros((1, 2)), np.array([[1.2, -0.2]]))


@pytest.mark.parametrize("fn", LOSSES)
def test_nan_probability_targets(fn):
    with pytest.raises(ValueError, match="NaN"):
        fn(np.zeros((1, 2)), np.array([[np.nan, 1.0]]))
    with pytest.raises(ValueError, match="infinity"):
        fn(np.zeros((1, 2)), np.array([[np.inf, 1.0]]))


@pytest.mark.parametrize("fn", LOSSES)
def test_boolean_targets(fn):
    with pytest.raises(TypeError, match="not booleans"):
        fn(np.zeros((2, 2)), np.array([True, False]))


@pytest.mark.parametrize("fn", LOSSES)
def test_weight_of_wrong_length(fn):
    with pytest.raises(ValueError, match=r"weight must have shape \(3,\)"):
        fn(np.zeros((2, 3)), np.array([0, 1]), weight=np.ones(2))
    with pytest.raises(ValueError, match="weight contains NaN"):
        fn(np.zeros((2, 3)), np.array([0, 1]), weight=np.array([1.0, np.nan, 1.0]))


@pytest.mark.parametrize("fn", LOSSES)
@pytest.mark.parametrize("reduction", ["avg", "Mean", None, ""])
def test_unknown_reduction(fn, reduction):
    with pytest.raises(ValueError, match="unknown reduction"):
        fn(np.zeros((2, 3)), np.array([0, 1]), reduction=reduction)


@pytest.mark.parametrize("fn", LOSSES)
@pytest.mark.parametrize("eps", [-0.1, 1.5, float("nan")])
def test_label_smoothing_out_of_range(fn, eps):
    with pytest.raises(ValueError, match=r"label_smoothing must lie in \[0, 1\]"):
        fn(np.zeros((2, 3)), np.array([0, 1]), label_smoothing=eps)


@pytest.mark.parametrize("fn", LOSSES)
def test_label_smoothing_not_a_number(fn):
    with pytest.raises(TypeError, match="label_smoothing must be a number"):
        fn(np.zeros((2, 3)), np.array([0, 1]), label_smoothing="0.1")


def test_valid_edges_are_accepted():
    # the ends of the allowed ranges are valid, and -inf is a mask, not an error
    z = np.array([[0.0, -np.inf, 1.0]])
    assert np.isfinite(cross_entropy(z, np.array([0]), label_smoothing=0.0))
    assert np.isfinite(cross_entropy(np.zeros((1, 3)), np.array([0]), label_smoothing=1.0))
    assert np.isfinite(cross_entropy(z, np.array([2]), weight=np.array([1.0, 1.0, 2.0])))


@pytest.mark.parametrize("fn", LOSSES)
def test_ignore_index_with_probability_targets(fn):
    with pytest.raises(ValueError, match="ignore_index applies to integer class targets only"):
        fn(np.zeros((1, 2)), np.array([[0.5, 0.5]]), ignore_index=3)
