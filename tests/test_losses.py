"""cross_entropy and cross_entropy_grad.

Golden values are worked out by hand in the comments; gradients are checked
against central finite differences in float64 for every combination of
target kind, weight, ignore_index, reduction and label smoothing.
"""

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from derivations import cross_entropy, cross_entropy_grad, numerical_gradient, relative_error

LOG = math.log


# ---------------------------------------------------------------- golden values

def test_golden_integer_targets():
    z = np.array([[0.0, 0.0], [0.0, LOG(3.0)]])
    # row 0: p = (1/2, 1/2), target 0 -> log 2;  row 1: p = (1/4, 3/4), target 1 -> log 4/3
    np.testing.assert_allclose(cross_entropy(z, np.array([0, 1]), reduction="none"), [LOG(2), LOG(4 / 3)])
    np.testing.assert_allclose(cross_entropy(z, np.array([0, 1])), (LOG(2) + LOG(4 / 3)) / 2)
    np.testing.assert_allclose(cross_entropy(z, np.array([0, 1]), reduction="sum"), LOG(2) + LOG(4 / 3))
    # gradient of the mean: (p - onehot) / 2
    np.testing.assert_allclose(
        cross_entropy_grad(z, np.array([0, 1])), [[-0.25, 0.25], [0.125, -0.125]], rtol=1e-14
    )


def test_golden_single_row():
    z = np.array([0.0, LOG(3.0)])
    np.testing.assert_allclose(cross_entropy(z, np.array(0)), LOG(4.0))
    np.testing.assert_allclose(cross_entropy_grad(z, np.array(0)), [0.25 - 1, 0.75])
    assert np.ndim(cross_entropy(z, np.array(0), reduction="none")) == 0


def test_golden_weighted_mean():
    z = np.array([[0.0, 0.0], [0.0, LOG(3.0)]])
    w = np.array([1.0, 3.0])
    # torch's weighted mean: (w[0] log 2 + w[1] log 4/3) / (w[0] + w[1])
    expected = (1 * LOG(2) + 3 * LOG(4 / 3)) / 4
    np.testing.assert_allclose(cross_entropy(z, np.array([0, 1]), weight=w), expected)
    np.testing.assert_allclose(
        cross_entropy(z, np.array([0, 1]), weight=w, reduction="none"), [LOG(2), 3 * LOG(4 / 3)]
    )


def test_golden_ignore_index():
    z = np.array([[0.0, 0.0], [0.0, LOG(3.0)], [5.0, -5.0]])
    t = np.array([0, -100, 1])
    # the ignored middle row adds nothing and does not count in the mean
    row2 = LOG(1 + math.exp(10.0))  # -log(e^-5 / (e^5 + e^-5))
    np.testing.assert_allclose(cross_entropy(z, t), (LOG(2) + row2) / 2)
    g = cross_entropy_grad(z, t)
    np.testing.assert_array_equal(g[1], [0.0, 0.0])
    # a custom ignore_index
    np.testing.assert_allclose(cross_entropy(z, np.array([0, 7, 1]), ignore_index=7), (LOG(2) + row2) / 2)


def test_golden_label_smoothing():
    z = np.array([0.0, LOG(3.0)])
    # eps = 0.2, C = 2: smoothed target (0.9, 0.1) for class 0
    expected = -(0.9 * LOG(0.25) + 0.1 * LOG(0.75))
    np.testing.assert_allclose(cross_entropy(z, np.array(0), label_smoothing=0.2), expected)
    np.testing.assert_allclose(cross_entropy_grad(z, np.array(0), label_smoothing=0.2), [0.25 - 0.9, 0.75 - 0.1])


def test_golden_soft_targets_not_summing_to_one():
    z = np.array([0.0, LOG(3.0)])
    t = np.array([0.0, 2.0])
    # loss -2 log(3/4); gradient p * sum(t) - t = (1/2, 3/2) - (0, 2)
    np.testing.assert_allclose(cross_entropy(z, t), -2 * LOG(0.75))
    g = cross_entropy_grad(z, t)
    np.testing.assert_allclose(g, [0.5, -0.5], rtol=1e-14)
    # ... which is not p - t
    assert not np.allclose(g, np.array([0.25, 0.75]) - t)


def test_soft_target_mean_divides_by_N_even_with_weights():
    z = np.array([[0.0, 0.0], [0.0, 0.0]])
    t = np.array([[1.0, 0.0], [0.0, 1.0]])
    w = np.array([2.0, 6.0])
    # per row: -w_c log(1/2); torch divides soft-target losses by N = 2, not by the weights
    np.testing.assert_allclose(cross_entropy(z, t, weight=w), (2 + 6) * LOG(2) / 2)


# ---------------------------------------------------------------- finite differences, all combinations

def _case(kind, N, C, rng, ignore):
    if kind == "int":
        t = rng.integers(0, C, size=N)
        if ignore and N > 1:
            t[0] = -100
        return t
    t = rng.random((N, C)) * 2  # soft targets whose rows do not sum to 1
    return t


COMBOS = list(
    itertools.product(
        ["int", "prob"],  # target kind
        [False, True],  # weight
        [False, True],  # use ignore_index
        ["mean", "sum", "none"],
        [0.0, 0.3],  # label smoothing
        [False, True],  # single row (C,)
    )
)


@pytest.mark.parametrize("kind,weighted,ignore,reduction,eps,single", COMBOS)
def test_gradient_matches_finite_differences(kind, weighted, ignore, reduction, eps, single):
    rng = np.random.default_rng(COMBOS.index((kind, weighted, ignore, reduction, eps, single)))
    N, C = (1, 5) if single else (4, 5)
    z = rng.normal(scale=2.0, size=(N, C))
    t = _case(kind, N, C, rng, ignore and not single)
    if single:
        z = z[0]
        t = t[0] if kind == "prob" else np.array(t[0])
    kw = dict(reduction=reduction, label_smoothing=eps)
    if weighted:
        kw["weight"] = rng.random(C) + 0.5

    def total(v):
        out = cross_entropy(v, t, **kw)
        # with reduction "none" the gradient is that of the sum of the per-row losses
        return float(np.sum(out))

    numeric = numerical_gradient(total, z)
    analytic = cross_entropy_grad(z, t, **kw)
    assert analytic.shape == z.shape
    assert relative_error(analytic, numeric) < 1e-7


@settings(max_examples=80, deadline=None)
@given(
    N=st.integers(1, 5),
    C=st.integers(1, 6),
    scale=st.floats(0.1, 20.0),
    seed=st.integers(0, 2**32 - 1),
    soft=st.booleans(),
    eps=st.sampled_from([0.0, 0.1, 1.0]),
)
def test_gradient_property(N, C, scale, seed, soft, eps):
    rng = np.random.default_rng(seed)
    z = rng.normal(scale=scale, size=(N, C))
    t = rng.random((N, C)) * 3 if soft else rng.integers(0, C, size=N)
    numeric = numerical_gradient(lambda v: float(cross_entropy(v, t, label_smoothing=eps)), z, eps=1e-5)
    analytic = cross_entropy_grad(z, t, label_smoothing=eps)
    scale_of = max(np.abs(numeric).max(), 1e-3)
    assert np.abs(analytic - numeric).max() / scale_of < 1e-5


def test_gradient_rows_sum_to_zero_for_normalised_targets():
    # for targets summing to 1, p - t sums to 0 over classes: the softmax is shift invariant
    rng = np.random.default_rng(3)
    z = rng.normal(size=(6, 4))
    t = rng.dirichlet(np.ones(4), size=6)
    np.testing.assert_allclose(cross_entropy_grad(z, t).sum(axis=-1), 0.0, atol=1e-15)


# ---------------------------------------------------------------- dtypes, extremes, masks

@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_huge_logits_finite_and_correct(dtype):
    z = np.array([[1e4, -1e4], [-1e4, 1e4]], dtype=dtype)
    t = np.array([0, 0])
    # row 0 is right with certainty (loss 0); row 1 is wrong by 2e4
    losses = cross_entropy(z, t, reduction="none")
    assert losses.dtype == dtype
    np.testing.assert_allclose(losses, [0.0, 2e4], atol=1e-3)
    g = cross_entropy_grad(z, t, reduction="sum")
    assert g.dtype == dtype
    np.testing.assert_allclose(g, [[0.0, 0.0], [-1.0, 1.0]], atol=1e-6)
    # soft targets at the same scale
    ts = np.array([[0.5, 0.5], [0.5, 0.5]], dtype=dtype)
    assert np.all(np.isfinite(cross_entropy(z, ts, reduction="none")))
    np.testing.assert_allclose(cross_entropy_grad(z, ts, reduction="sum"), [[0.5, -0.5], [-0.5, 0.5]], atol=1e-6)


def test_masked_class_has_exactly_zero_gradient():
    z = np.array([[0.0, -np.inf, LOG(3.0)]])
    t = np.array([2])
    np.testing.assert_allclose(cross_entropy(z, t), LOG(4 / 3))
    g = cross_entropy_grad(z, t)
    assert g[0, 1] == 0.0
    np.testing.assert_allclose(g[0], [0.25, 0.0, -0.25])
    # label smoothing puts target mass on the masked class: loss is +inf, not NaN
    assert cross_entropy(z, t, label_smoothing=0.1) == np.inf
    assert np.all(np.isfinite(cross_entropy_grad(z, t, label_smoothing=0.1)))


def test_target_on_masked_class_gives_infinite_loss():
    z = np.array([0.0, -np.inf])
    assert cross_entropy(z, np.array(1)) == np.inf


def test_fully_masked_row():
    z = np.array([[0.0, 0.0], [-np.inf, -np.inf]])
    losses = cross_entropy(z, np.array([0, 1]), reduction="none")
    assert losses[1] == np.inf and np.isfinite(losses[0])
    g = cross_entropy_grad(z, np.array([0, 1]))
    np.testing.assert_array_equal(g[1], [0.0, 0.0])
    # ignored, it contributes nothing at all
    np.testing.assert_allclose(cross_entropy(z, np.array([0, -100])), LOG(2))


def test_all_targets_ignored_gives_zero_not_nan():
    z = np.array([[1.0, 2.0]])
    assert cross_entropy(z, np.array([-100])) == 0.0
    np.testing.assert_array_equal(cross_entropy_grad(z, np.array([-100])), [[0.0, 0.0]])


def test_inputs_are_not_modified():
    z = np.array([[1.0, 2.0, 3.0]])
    t = np.array([[0.2, 0.3, 0.5]])
    z0, t0 = z.copy(), t.copy()
    cross_entropy(z, t, label_smoothing=0.1)
    cross_entropy_grad(z, t, label_smoothing=0.1)
    np.testing.assert_array_equal(z, z0)
    np.testing.assert_array_equal(t, t0)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_loss_is_never_negative(dtype):
    # confident, correct predictions: the exact loss is log(1 + e^-g + e^-1.5g) >= 0,
    # and rounding in float32 must not push it below 0
    gaps = np.linspace(0, 60, 241)
    z = np.stack([gaps, np.zeros_like(gaps), -gaps / 2], axis=1).astype(dtype)
    t = np.zeros(len(gaps), dtype=int)
    losses = cross_entropy(z, t, reduction="none")
    assert (losses >= 0).all()
    exact = np.log1p(np.exp(-gaps) + np.exp(-1.5 * gaps))
    # absolute rounding is about eps * |z| (|z| up to 60): 1e-13 in float64
    np.testing.assert_allclose(losses, exact, atol=2e-7 if dtype == np.float32 else 1e-13)
