"""Sigmoid and binary cross-entropy (chapter sigmoid-bce), against oracles of their own.

Expected values come from elsewhere than the code under test: central finite
differences in float64, formulas written independently in Python floats,
numbers worked out by hand, a 50-digit mpmath reference written in another
form than the package's, properties that must hold (hypothesis), and, when
it is installed, PyTorch's loss and its autograd.
"""

import math

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from derivations import (
    binary_cross_entropy,
    binary_cross_entropy_grad,
    cross_entropy,
    cross_entropy_grad,
    numerical_gradient,
    sigmoid,
    softmax,
)
from derivations.binary import exact_binary_cross_entropy, naive_binary_cross_entropy
from derivations.coursework import check
from derivations.coursework.exercises import EXERCISES, MODULES
from derivations.symbolic import DERIVATIONS

# ---------------------------------------------------------------------------
# independent formulas
# ---------------------------------------------------------------------------


def loss_by_hand(z, t):
    """One entry's loss in Python floats, branch by branch (no numpy)."""
    if z >= 0:
        return (1 - t) * z + math.log1p(math.exp(-z))
    return -t * z + math.log1p(math.exp(z))


def mp_loss(z, t, digits=50):
    """-t log sigma(z) - (1 - t) log(1 - sigma(z)) in mpmath, sigma written out.

    The textbook form, evaluated with enough digits that 1 - sigma(z) does
    not round to 0: the working precision grows with |z|.
    """
    z, t = mpmath.mpf(float(z)), mpmath.mpf(float(t))
    extra = int(abs(z) / 2.3) + 10 if abs(z) < 1e5 else 0
    with mpmath.workdps(digits + extra):
        if abs(z) >= 1e5:  # sigma is 0 or 1 beyond every precision: use log(1 + e^-|z|) ~ e^-|z|
            tail = mpmath.exp(-abs(z))
            return +((1 - t) * z + tail if z > 0 else -t * z + tail)
        s = 1 / (1 + mpmath.exp(-z))
        return +(-t * mpmath.log(s) - (1 - t) * mpmath.log(1 - s))


def mp_sigmoid(z, digits=50):
    with mpmath.workdps(digits):
        return +(1 / (1 + mpmath.exp(-mpmath.mpf(float(z)))))


def ulps(value, exact, dtype):
    exact = float(exact)
    scale = max(abs(exact), float(np.finfo(dtype).tiny))
    return abs(float(value) - exact) / (float(np.finfo(dtype).eps) * scale)


# ---------------------------------------------------------------------------
# golden values by hand
# ---------------------------------------------------------------------------


def test_values_worked_by_hand():
    # z = 0: sigma = 1/2, the loss is log 2 for every target, the gradient 1/2 - t
    for t in (0.0, 0.3, 1.0):
        assert float(binary_cross_entropy(0.0, t)) == pytest.approx(math.log(2), rel=1e-15)
        assert float(binary_cross_entropy_grad(0.0, t)) == pytest.approx(0.5 - t, abs=1e-16)
    # z = log 3: sigma = 3/4; t = 1 gives log(4/3), t = 0 gives log 4
    z = math.log(3.0)
    assert float(sigmoid(z)) == pytest.approx(0.75, rel=1e-15)
    assert float(binary_cross_entropy(z, 1.0)) == pytest.approx(math.log(4 / 3), rel=1e-14)
    assert float(binary_cross_entropy(z, 0.0)) == pytest.approx(math.log(4.0), rel=1e-14)
    # the mean over four entries divides by 4, the sum does not
    zz = np.array([[0.0, z], [z, 0.0]])
    tt = np.array([[1.0, 1.0], [0.0, 0.0]])
    total = 2 * math.log(2) + math.log(4 / 3) + math.log(4.0)
    assert float(binary_cross_entropy(zz, tt, reduction="sum")) == pytest.approx(total, rel=1e-14)
    assert float(binary_cross_entropy(zz, tt)) == pytest.approx(total / 4, rel=1e-14)
    np.testing.assert_allclose(binary_cross_entropy_grad(zz, tt, reduction="sum"),
                               [[-0.5, -0.25], [0.75, 0.5]], atol=1e-15)
    np.testing.assert_allclose(binary_cross_entropy_grad(zz, tt), [[-0.125, -0.0625], [0.1875, 0.125]],
                               atol=1e-15)


def test_reduction_none_keeps_the_shape_and_the_gradient_is_of_the_sum():
    rng = np.random.default_rng(0)
    z, t = rng.normal(size=(3, 4, 2)), rng.random((3, 4, 2))
    per = binary_cross_entropy(z, t, reduction="none")
    assert per.shape == z.shape
    expected = np.vectorize(loss_by_hand)(z, t)
    np.testing.assert_allclose(per, expected, rtol=1e-14)
    np.testing.assert_array_equal(binary_cross_entropy_grad(z, t, reduction="none"),
                                  binary_cross_entropy_grad(z, t, reduction="sum"))


def test_scalar_input_gives_a_scalar():
    assert np.ndim(binary_cross_entropy(1.0, 0.0, reduction="none")) == 0
    assert np.ndim(binary_cross_entropy_grad(1.0, 0.0)) == 0
    assert np.ndim(sigmoid(1.0)) == 0


def test_empty_batch_has_mean_zero():
    z = np.zeros((0, 3))
    assert float(binary_cross_entropy(z, z)) == 0.0
    assert binary_cross_entropy_grad(z, z).shape == (0, 3)


# ---------------------------------------------------------------------------
# finite differences in float64
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("scale", [0.5, 3.0, 20.0])
def test_gradient_matches_central_differences(reduction, scale):
    rng = np.random.default_rng(int(scale * 10))
    z = rng.normal(0.0, scale, (5, 7))
    t = np.where(rng.random((5, 7)) < 0.3, rng.random((5, 7)), (rng.random((5, 7)) < 0.5).astype(float))

    def f(v):
        out = binary_cross_entropy(v, t, reduction=reduction)
        return float(np.sum(out))  # "none": the gradient is that of the sum

    fd = numerical_gradient(f, z, 1e-6)
    g = binary_cross_entropy_grad(z, t, reduction=reduction)
    # the differences of f carry its rounding, about eps |f| / h
    np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-9 * max(1.0, abs(f(z))))


def test_sigmoid_derivative_matches_central_differences():
    z = np.linspace(-30, 30, 121)
    h = 1e-6
    fd = (sigmoid(z + h) - sigmoid(z - h)) / (2 * h)
    s = sigmoid(z)
    np.testing.assert_allclose(s * (1 - s), fd, rtol=1e-6, atol=1e-9)


# ---------------------------------------------------------------------------
# accuracy against 50 digits, extreme logits included
# ---------------------------------------------------------------------------

EXTREMES_64 = [-1e300, -1e30, -1e4, -800.0, -40.0, -17.0, -1.0, -1e-8, 0.0, 1e-8, 1.0, 17.0, 40.0, 800.0,
               1e4, 1e30, 1e300]
EXTREMES_32 = [-1e30, -1e4, -800.0, -40.0, -17.0, -1.0, 0.0, 1.0, 17.0, 40.0, 800.0, 1e4, 1e30]


@pytest.mark.parametrize("dtype, values, limit", [(np.float64, EXTREMES_64, 2.0), (np.float32, EXTREMES_32, 1.0)])
@pytest.mark.parametrize("t", [0.0, 0.3, 0.5, 1.0])
def test_loss_within_ulps_of_50_digit_reference(dtype, values, limit, t):
    z = np.array(values, dtype=dtype)
    tt = np.full_like(z, t)
    loss = binary_cross_entropy(z, tt, reduction="none")
    assert loss.dtype == dtype and np.isfinite(loss).all()
    for a, b, value in zip(z, tt, loss):
        exact = mp_loss(a, b)
        assert ulps(value, exact, dtype) <= limit, (a, t, value, exact)


@pytest.mark.parametrize("dtype, values", [(np.float64, EXTREMES_64), (np.float32, EXTREMES_32)])
@pytest.mark.parametrize("t", [0.0, 0.3, 1.0])
def test_gradient_at_extreme_logits_against_50_digits(dtype, values, t):
    z = np.array(values, dtype=dtype)
    tt = np.full_like(z, t)
    g = binary_cross_entropy_grad(z, tt, reduction="sum")
    assert g.dtype == dtype and np.isfinite(g).all()
    for a, b, value in zip(z, tt, g):
        with mpmath.workdps(50):
            exact = mp_sigmoid(a) - mpmath.mpf(float(b))
        # absolute error of an eps against the gradient's scale of 1, and relative in the tails
        assert abs(float(value) - float(exact)) <= float(np.finfo(dtype).eps) * max(abs(float(exact)), 1e-300) \
            or abs(float(value) - float(exact)) <= float(np.finfo(dtype).eps), (a, t, value, exact)


def test_confident_correct_logit_keeps_its_tiny_gradient():
    # 1 - sigma(40) is 4.25e-18: sigma(z) - 1 computed naively is 0
    g = float(binary_cross_entropy_grad(40.0, 1.0, reduction="sum"))
    exact = float(mp_sigmoid(40.0) - 1)
    assert g == pytest.approx(exact, rel=1e-14)
    assert float(sigmoid(-40.0)) == pytest.approx(float(mp_sigmoid(-40.0)), rel=1e-14)


def test_exact_reference_of_the_chapter_agrees_with_the_tests_reference():
    for z in (-1e300, -40.0, -1.0, 0.0, 2.5, 40.0, 1e4, 1e300):
        for t in (0.0, 0.3, 1.0):
            a, b = exact_binary_cross_entropy(z, t), mp_loss(z, t)
            assert abs(a - b) <= mpmath.mpf(10) ** -40 * max(abs(b), mpmath.mpf(10) ** -300), (z, t)


def test_naive_formula_fails_where_the_chapter_says():
    with np.errstate(all="ignore"):
        for dtype, edge in ((np.float64, 37.0), (np.float32, 17.0)):
            z = np.array([edge - 1, edge], dtype=dtype)
            zero = naive_binary_cross_entropy(z, np.zeros(2, dtype))
            one = naive_binary_cross_entropy(z, np.ones(2, dtype))
            assert np.isfinite(zero[0]) and np.isinf(zero[1])
            assert np.isfinite(one[0]) and np.isnan(one[1])
            # the stable form is finite and right at both
            for a in z:
                assert ulps(binary_cross_entropy(a, dtype(0.0)), mp_loss(a, 0.0), dtype) <= 1.0


# ---------------------------------------------------------------------------
# the two-class softmax is a sigmoid of the difference (numbers, not sympy)
# ---------------------------------------------------------------------------


def test_two_class_softmax_equals_sigmoid_of_difference():
    rng = np.random.default_rng(2)
    Z = rng.normal(0.0, 5.0, (50, 2))
    t = rng.random(50)
    d = Z[:, 0] - Z[:, 1]
    np.testing.assert_allclose(softmax(Z)[:, 0], sigmoid(d), rtol=1e-13, atol=1e-300)
    T = np.stack([t, 1 - t], axis=1)
    np.testing.assert_allclose(cross_entropy(Z, T, reduction="none"),
                               binary_cross_entropy(d, t, reduction="none"), rtol=1e-12)
    g = cross_entropy_grad(Z, T, reduction="sum")
    gb = binary_cross_entropy_grad(d, t, reduction="sum")
    np.testing.assert_allclose(g, np.stack([gb, -gb], axis=1), atol=1e-15)


def test_multi_label_gradient_is_independent_per_label():
    # moving one logit changes only its own gradient entry: the Jacobian is diagonal
    z = np.array([[0.3, -1.2, 2.0]])
    t = np.array([[1.0, 0.0, 0.5]])
    before = binary_cross_entropy_grad(z, t, reduction="sum")
    z2 = z.copy()
    z2[0, 1] += 3.0
    after = binary_cross_entropy_grad(z2, t, reduction="sum")
    assert np.array_equal(before[0, [0, 2]], after[0, [0, 2]]) and before[0, 1] != after[0, 1]


# ---------------------------------------------------------------------------
# properties
# ---------------------------------------------------------------------------

finite_logits = st.floats(-1e300, 1e300, allow_nan=False, allow_infinity=False)
targets = st.floats(0.0, 1.0)
# multiples of 2^-20, for which 1 - t is exact (the symmetry needs that)
dyadic_targets = st.integers(0, 2**20).map(lambda k: k / 2**20)


@settings(max_examples=300, deadline=None)
@given(finite_logits, targets)
def test_loss_non_negative_and_gradient_in_unit_range(z, t):
    loss = float(binary_cross_entropy(z, t))
    g = float(binary_cross_entropy_grad(z, t))
    assert math.isfinite(loss) and loss >= 0.0
    assert -1.0 <= g <= 1.0


@settings(max_examples=300, deadline=None)
@given(finite_logits, dyadic_targets)
def test_symmetry_flipping_logit_and_label(z, t):
    a = float(binary_cross_entropy(z, t))
    b = float(binary_cross_entropy(-z, 1.0 - t))
    assert a == pytest.approx(b, rel=1e-12, abs=1e-300)
    ga = float(binary_cross_entropy_grad(z, t))
    gb = float(binary_cross_entropy_grad(-z, 1.0 - t))
    assert ga == pytest.approx(-gb, rel=1e-12, abs=1e-15)


@settings(max_examples=200, deadline=None)
@given(st.floats(-700, 700), targets)
def test_loss_agrees_with_the_formula_by_hand(z, t):
    assert float(binary_cross_entropy(z, t)) == pytest.approx(loss_by_hand(z, t), rel=1e-13, abs=1e-300)


@settings(max_examples=100, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 5)),
              elements=st.floats(-50, 50)))
def test_sigmoid_in_unit_interval_and_complement(z):
    s = sigmoid(z)
    assert ((s >= 0) & (s <= 1)).all()
    np.testing.assert_allclose(s + sigmoid(-z), 1.0, rtol=1e-15)


# ---------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("z, t, error, words", [
    (np.array([0.0, np.nan]), np.array([0.0, 1.0]), ValueError, "z contains NaN"),
    (np.array([0.0, np.inf]), np.array([0.0, 1.0]), ValueError, "z contains an infinity"),
    (np.zeros(3), np.array([0.0, 1.5, 1.0]), ValueError, "t must lie in [0, 1]"),
    (np.zeros(3), np.array([0.0, -0.5, 1.0]), ValueError, "got -0.5"),
    (np.zeros(2), np.array([0.0, np.nan]), ValueError, "t contains NaN"),
    (np.zeros((2, 3)), np.zeros((3, 2)), ValueError, "t must have the shape (2, 3)"),
    (np.array([True, False]), np.zeros(2), TypeError, "z must hold real numbers, not booleans"),
    (np.zeros(2), np.array([True, False]), TypeError, "t must hold real numbers, not booleans"),
    (np.array([1j, 0]), np.zeros(2), TypeError, "z must hold real numbers"),
    (np.zeros(2), np.array([0.5 + 1j, 0]), TypeError, "t must hold real numbers"),
    (np.zeros(2), ["a", "b"], TypeError, "t must hold real numbers"),
])
@pytest.mark.parametrize("fn", [binary_cross_entropy, binary_cross_entropy_grad])
def test_bad_input_is_refused_with_a_clear_message(fn, z, t, error, words):
    with pytest.raises(error) as info:
        fn(z, t)
    assert words in str(info.value)


@pytest.mark.parametrize("fn", [binary_cross_entropy, binary_cross_entropy_grad])
def test_unknown_reduction_is_refused(fn):
    with pytest.raises(ValueError, match="unknown reduction 'avg'"):
        fn(np.zeros(2), np.zeros(2), reduction="avg")


def test_sigmoid_refuses_nan_and_bools_but_takes_infinities():
    with pytest.raises(ValueError, match="NaN"):
        sigmoid(np.array([np.nan]))
    with pytest.raises(TypeError, match="booleans"):
        sigmoid(np.array([True]))
    np.testing.assert_array_equal(sigmoid(np.array([-np.inf, np.inf])), [0.0, 1.0])


def test_float32_target_value_that_overflows_is_refused():
    with pytest.raises(ValueError, match="overflows float32"):
        binary_cross_entropy(np.zeros(1, np.float32), np.array([1e40]))


def test_integer_logits_are_promoted_and_float32_kept():
    assert binary_cross_entropy(np.array([1, -2]), np.array([1, 0])).dtype == np.float64
    assert binary_cross_entropy_grad(np.zeros(2, np.float32), np.zeros(2)).dtype == np.float32


# ---------------------------------------------------------------------------
# the symbolic derivations
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["sigmoid-bce", "two-class-softmax", "stable-bce"])
def test_every_step_is_proved(name):
    d = DERIVATIONS[name]
    assert [title for title, ok in d.verify() if not ok] == []
    md = d.show()._repr_markdown_()
    assert md.count("✓") == len(d.steps)


def test_a_wrong_step_in_the_same_vocabulary_is_refuted():
    import sympy as sp

    from derivations.symbolic import Step
    from derivations.symbolic import sigmoid_bce as sb

    flipped = Step("sign flip", sp.Eq(sp.Derivative(sb.bce(sb.z, sb.t), sb.z), sb.t - sb.sigma(sb.z),
                                      evaluate=False), "x", scope="exact", expected=False)
    assert flipped.status == "refuted"
    twice = Step("sigma' twice", sp.Eq(sp.Derivative(sb.bce(sb.z, sb.t), sb.z),
                                       (sb.sigma(sb.z) - sb.t) * sb.sigma(sb.z) * (1 - sb.sigma(sb.z)),
                                       evaluate=False), "x", scope="exact", expected=False)
    assert twice.status == "refuted"


# ---------------------------------------------------------------------------
# the exercise: right answers written here pass, and the reference is right
# ---------------------------------------------------------------------------


def bce_exercise_by_hand(z, t):
    """Loops in Python floats, and the gradient by central differences of that loss."""
    z = np.asarray(z, dtype=np.float64)
    t = np.asarray(t, dtype=np.float64)
    N = z.shape[0]

    def loss(v):
        return math.fsum(loss_by_hand(a, b) for a, b in zip(v.ravel(), t.ravel())) / N

    # a step that z + h resolves: logits of 1e4 are known to about 1e-12
    return loss(z), numerical_gradient(loss, z, 1e-6 * max(1.0, float(np.abs(z).max())))


def bce_exercise_float32(z, t):
    """Everything in float32, with np.where for the two branches."""
    z = np.asarray(z, dtype=np.float32)
    t = np.asarray(t, dtype=np.float32)
    e = np.exp(-np.abs(z))
    loss = np.sum(np.maximum(z, 0) - z * t + np.log1p(e)) / z.shape[0]
    p = np.where(z >= 0, 1 / (1 + e), e / (1 + e))
    return loss, (p - t) / z.shape[0]


@pytest.mark.parametrize("fn", [bce_exercise_float32] + list(MODULES["binary_cross_entropy"].CORRECT))
def test_right_answers_pass(fn):
    for seed in range(4):
        result = check("binary_cross_entropy", fn, seed=seed)
        assert result.passed, result.message


def test_reference_matches_a_loss_by_hand_and_its_finite_differences():
    ex = EXERCISES["binary_cross_entropy"]
    for seed in range(3):
        for case in ex.cases(np.random.default_rng(seed)):
            loss, dz = ex.reference(*case.args)
            by_hand, fd = bce_exercise_by_hand(*case.args)
            assert float(loss) == pytest.approx(by_hand, rel=1e-12, abs=1e-12), case.name
            assert np.abs(dz - fd).max() <= 1e-6 * max(np.abs(fd).max(), 1.0), case.name


def test_every_draw_holds_the_separating_inputs():
    ex = EXERCISES["binary_cross_entropy"]
    for seed in (0, 5):
        cases = ex.cases(np.random.default_rng(seed))
        zs = [np.asarray(c.args[0]) for c in cases]
        ts = [np.asarray(c.args[1]) for c in cases]
        assert any(z.shape[0] == 1 for z in zs) and any(z.shape[1] == 1 for z in zs)
        assert any(z.shape[1] > 8 and (t.sum(axis=1) >= 2).all() for z, t in zip(zs, ts))
        assert any(z.max() > 1000 and z.min() < -1000 for z in zs)  # softplus overflows, sigmoid too
        assert any(((z > 36) & (z < 700)).any() for z in zs)  # 1 - sigmoid rounds to 0 in float64
        assert any(((t > 0) & (t < 1)).all() for t in ts)  # soft targets
        assert any(z.dtype == np.float32 for z in zs)


def test_the_stub_is_reported():
    def my_binary_cross_entropy(z, t):
        raise NotImplementedError("Student exercise: return (loss, dz)")

    assert check("binary_cross_entropy", my_binary_cross_entropy).not_implemented


# ---------------------------------------------------------------------------
# PyTorch, when installed
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_against_torch_and_its_autograd(dtype, reduction):
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    rng = np.random.default_rng(7)
    z = (rng.normal(0.0, 6.0, (6, 5)) * np.where(rng.random((6, 5)) < 0.2, 100.0, 1.0)).astype(dtype)
    t = np.where(rng.random((6, 5)) < 0.5, rng.random((6, 5)), (rng.random((6, 5)) < 0.5)).astype(dtype)
    zt = torch.tensor(z, requires_grad=True)
    loss_t = F.binary_cross_entropy_with_logits(zt, torch.tensor(t), reduction=reduction)
    loss_t.sum().backward()
    # torch forms log(1 + e^-|z|) with log, not log1p: losses below eps come out as 0
    rtol = 1e-12 if dtype == "float64" else 1e-5
    ours = binary_cross_entropy(z, t, reduction=reduction)
    assert np.asarray(ours).dtype == np.dtype(dtype)
    np.testing.assert_allclose(ours, loss_t.detach().numpy(), rtol=rtol, atol=1e-14 if dtype == "float64" else 1e-6)
    np.testing.assert_allclose(binary_cross_entropy_grad(z, t, reduction=reduction), zt.grad.numpy(),
                               rtol=rtol, atol=1e-15 if dtype == "float64" else 1e-7)
