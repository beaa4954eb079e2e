"""The claims chapters 06-08 make in prose, asserted on numbers.

If the package changes so that a sentence in those chapters stops being
true (a threshold moves, a path stops producing NaN, a solution's numbers
drift), a test here fails. Expected values are hand calculations, closed
forms, finite differences or properties; none comes from the code under test.
"""

import re
from pathlib import Path

import numpy as np
import pytest

from derivations import (
    check_gradient,
    cross_entropy,
    cross_entropy_grad,
    log_softmax,
    numerical_gradient,
    relative_error,
    softmax,
    softmax_backward,
)
from derivations.teaching.jacobians import elementwise_delta
from derivations.teaching.nodes import (
    fixed_softmax_node_backward,
    mse_loss,
    mse_loss_grad,
    prob_cross_entropy,
    prob_cross_entropy_grad,
    softmax_cross_entropy,
    softmax_cross_entropy_backward,
    softmax_then_cross_entropy_grad,
)

BOOK = Path(__file__).resolve().parents[2] / "book"
F32, F64 = np.finfo(np.float32), np.finfo(np.float64)

# --- chapter 06 ------------------------------------------------------------------


@pytest.mark.parametrize("C", [2, 10, 100])
def test_elementwise_error_is_one_over_C_at_equal_logits(C):
    # ex-loss-independent-backward-2: p = 1/C, <p, dp> = 0, so the error is 1/C
    z = np.zeros((1, C))
    t = np.eye(C)[[C // 2]]
    p = softmax(z)
    dp = mse_loss_grad(p, t)
    err = relative_error(elementwise_delta(z) * dp, softmax_backward(p, dp))
    assert err == pytest.approx(1 / C, rel=1e-12)


def test_two_classes_elementwise_is_always_half_of_the_gradient():
    rng = np.random.default_rng(61)
    for _ in range(20):
        z = rng.normal(scale=5.0, size=(1, 2))
        t = np.eye(2)[[rng.integers(2)]]
        p = softmax(z)
        dp = mse_loss_grad(p, t)
        np.testing.assert_allclose(
            elementwise_delta(z) * dp, 0.5 * softmax_backward(p, dp), rtol=1e-9, atol=1e-300
        )


def test_elementwise_backward_is_right_only_for_zero_upstream_gradient():
    # ex-loss-independent-backward-3 (b)
    rng = np.random.default_rng(62)
    z = rng.normal(size=(1, 5))
    p = softmax(z)
    np.testing.assert_array_equal(elementwise_delta(z) * 0.0, softmax_backward(p, np.zeros((1, 5))))
    for _ in range(50):
        dp = rng.normal(size=(1, 5))
        assert relative_error(elementwise_delta(z) * dp, softmax_backward(p, dp)) > 1e-3


def test_vjp_sums_to_zero_for_any_upstream_gradient():
    rng = np.random.default_rng(63)
    p = softmax(rng.normal(scale=3.0, size=(50, 7)))
    dp = rng.normal(scale=10.0, size=(50, 7))
    np.testing.assert_allclose(softmax_backward(p, dp).sum(axis=1), 0, atol=1e-12)


def test_wrong_axis_is_self_consistent_but_not_a_distribution():
    Z = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3], [1.0, 1.0, 3.0], [0.0, 0.2, 0.1]])
    P = softmax(Z, axis=0)
    assert not np.allclose(P.sum(axis=1), 1)
    np.testing.assert_allclose(P.sum(axis=0), 1)
    # the gradient of the wrong function is right, so a gradient check passes
    T = np.eye(3)[[0, 1, 2, 0]]
    dZ = softmax_backward(P, mse_loss_grad(P, T), axis=0)
    assert check_gradient(lambda v: mse_loss(softmax(v, axis=0), T), Z, dZ).passed
    # and an example's probabilities depend on another example
    Z2 = Z.copy()
    Z2[3] = [4.0, 0.0, 0.0]
    assert not np.allclose(softmax(Z, axis=0)[0], softmax(Z2, axis=0)[0])
    np.testing.assert_array_equal(softmax(Z)[0], softmax(Z2)[0])


# --- chapter 07 ------------------------------------------------------------------


def test_label_gradient_predicts_moving_target_mass_exactly():
    rng = np.random.default_rng(73)
    Z = rng.normal(size=(5, 4))
    T = np.eye(4)[[0, 1, 2, 3, 0]]
    _, dT = softmax_cross_entropy_backward(Z, T)
    moved = T.copy()
    moved[2, 2] -= 0.4
    moved[2, 0] += 0.4
    logp = Z[2] - Z[2].max() - np.log(np.exp(Z[2] - Z[2].max()).sum())
    hand = 0.4 * (logp[2] - logp[0]) / 5
    actual = softmax_cross_entropy(Z, moved) - softmax_cross_entropy(Z, T)
    assert actual == pytest.approx(hand, rel=1e-10)
    assert np.sum(dT * (moved - T)) == pytest.approx(hand, rel=1e-10)


def test_label_gradient_exercise_numbers():
    # ex-fused-vs-separate-2, the values printed in the solution
    g = -np.log([0.7, 0.2, 0.1])
    np.testing.assert_allclose(g, [0.357, 1.609, 2.303], atol=5e-4)
    assert g.mean() == pytest.approx(1.423, abs=5e-4)
    np.testing.assert_allclose(-(g - g.mean()), [1.066, -0.187, -0.880], atol=5e-4)


def test_loss_node_that_sends_the_logit_gradient_fails_the_check():
    rng = np.random.default_rng(74)
    Z = rng.normal(size=(10, 10))
    T = np.eye(10)[rng.integers(0, 10, size=10)]
    P = softmax(Z)
    wrong = fixed_softmax_node_backward(P, (P - T) / 10)
    right = fixed_softmax_node_backward(P, prob_cross_entropy_grad(P, T))
    loss = lambda v: prob_cross_entropy(softmax(v), T)  # noqa: E731
    assert not check_gradient(loss, Z, wrong).passed
    assert check_gradient(loss, Z, right).passed


@pytest.mark.parametrize("N", [2, 8, 33])
def test_missing_or_doubled_batch_mean_has_relative_error_one_minus_one_over_N(N):
    rng = np.random.default_rng(75)
    Z = rng.normal(size=(N, 4))
    T = rng.uniform(size=(N, 4))
    fd = numerical_gradient(lambda v: softmax_cross_entropy(v, T), Z)
    right, _ = softmax_cross_entropy_backward(Z, T)
    assert relative_error(right, fd) < 1e-7
    assert relative_error(right * N, fd) == pytest.approx(1 - 1 / N, rel=1e-6)
    assert relative_error(right / N, fd) == pytest.approx(1 - 1 / N, rel=1e-6)


# --- chapter 08 ------------------------------------------------------------------


def test_overflow_and_underflow_thresholds_in_the_table():
    with np.errstate(over="ignore", under="ignore"):
        assert np.isfinite(np.exp(709.7)) and np.isinf(np.exp(709.9))
        assert np.isfinite(np.exp(np.float32(88.7))) and np.isinf(np.exp(np.float32(88.8)))
        assert np.exp(np.float32(-103.9)) > 0 and np.exp(np.float32(-104.0)) == 0
        assert np.exp(-745.1) > 0 and np.exp(-745.2) == 0
    one = np.float32(1)
    assert one + np.exp(np.float32(-16.6)) > 1 and one + np.exp(np.float32(-16.7)) == 1
    assert 1.0 + np.exp(-36.7) > 1 and 1.0 + np.exp(-36.8) == 1
    # the same limits, as the chapter computes them from the format constants
    assert np.log(F32.max) == pytest.approx(88.72, abs=0.01)
    assert np.log(2) - np.log(F32.smallest_subnormal) == pytest.approx(103.97, abs=0.01)
    assert -np.log(F32.eps / 2) == pytest.approx(16.64, abs=0.01)
    assert -np.log(F64.eps / 2) == pytest.approx(36.74, abs=0.01)


def test_naive_softmax_overflows_and_the_shift_does_not():
    z = np.array([800.0, 799.0])
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(z)
        assert np.isnan(e / e.sum()).all()
    exact = np.array([np.e / (1 + np.e), 1 / (1 + np.e)])
    np.testing.assert_allclose(softmax(z), exact, rtol=1e-15)
    np.testing.assert_allclose(softmax(z.astype(np.float32)), exact, rtol=1e-6)


def test_log_of_softmax_is_infinite_where_log_sum_exp_is_not():
    z = np.array([0.0, -800.0])
    with np.errstate(divide="ignore"):
        assert np.isneginf(np.log(softmax(z))[1])
    np.testing.assert_array_equal(log_softmax(z), [0.0, -800.0])
    t = np.array([1.0, 0.0])
    for dtype, breaks in [(np.float32, 104.5), (np.float64, 745.5)]:
        zb = np.array([0.0, breaks], dtype=dtype)
        with np.errstate(divide="ignore"):
            assert np.isinf(-np.sum(t * np.log(softmax(zb))))
        # the true loss is log(1 + e^g), which is g to within e^-g
        assert float(cross_entropy(zb, t.astype(dtype))) == pytest.approx(breaks, rel=1e-6)


def test_masks_give_exact_zeros_and_no_nan():
    z = np.array([[0.0, 2.0, -np.inf, 1.0], [-np.inf] * 4])
    t = np.array([[0.0, 1.0, 0.0, 0.0], [0.0] * 4])
    p = softmax(z)
    assert p[0, 2] == 0 and (p[1] == 0).all()
    assert np.isneginf(log_softmax(z)[1]).all()
    loss = cross_entropy(z, t, reduction="none")
    assert loss[1] == 0 and np.isfinite(loss).all()
    g = cross_entropy_grad(z, t)
    assert g[0, 2] == 0 and (g[1] == 0).all() and np.isfinite(g).all()
    assert check_gradient(lambda v: float(cross_entropy(v, t)), z, g).passed
    # a target on a masked class costs +inf
    assert cross_entropy(z[:1], np.array([[0.0, 0.0, 1.0, 0.0]])) == np.inf


@pytest.mark.parametrize("dtype, threshold", [(np.float32, 16.64), (np.float64, 36.74)])
def test_confident_correct_textbook_loss_and_gradient_lose_every_digit_past_the_threshold(dtype, threshold):
    # Fig. 8.x: the loss by log-sum-exp, -log_softmax(z)_y, and the true class's
    # gradient p - 1 lose every digit once 1 + e^-g rounds to 1; cross_entropy
    # computes the loss as log1p of the other classes' share and keeps them all
    # (:ref:`loss-accuracy`).
    eps = float(np.finfo(dtype).eps)

    def errors(g):
        """Absolute and relative errors of the textbook loss, of cross_entropy and of the gradient."""
        g = float(dtype(g))  # the gap the float type holds: the exact values are of that gap
        z = np.array([[g, 0.0]], dtype=dtype)
        textbook = float(-log_softmax(z)[0, 0])
        loss = float(cross_entropy(z, np.array([0])))
        grad = float(cross_entropy_grad(z, np.array([0]))[0, 0])
        exact_loss, exact_grad = np.log1p(np.exp(-g)), -1 / (1 + np.exp(g))
        absolute = (abs(textbook - exact_loss), abs(grad - exact_grad))
        relative = (absolute[0] / exact_loss, absolute[1] / abs(exact_grad), abs(loss - exact_loss) / exact_loss)
        return absolute, relative

    # well below the threshold: relative error roughly eps times e^g
    for g in (threshold - 8, threshold - 4):
        _, relative = errors(g)
        assert max(relative[:2]) < 64 * eps * np.exp(g)
    # past it: the absolute error stays of the order of eps, but no digit is right
    past = [errors(g) for g in np.linspace(threshold + 1, threshold + 10, 10)]
    assert max(max(a) for a, _ in past) < 4 * eps
    assert np.median([r[0] for _, r in past]) >= 0.99
    assert np.median([r[1] for _, r in past]) >= 0.99
    # cross_entropy's loss keeps its digits at every gap
    assert max(r[2] for _, r in past) < 4 * eps


def test_log1p_keeps_float32_accuracy_until_the_subnormal_range():
    # ex-numerical-stability-3
    for g in (20.0, 50.0, 86.0):
        got = np.log1p(np.exp(np.float32(-g)))
        assert abs(float(got) - np.exp(-g)) / np.exp(-g) < 1e-6
    with np.errstate(under="ignore"):
        assert np.log1p(np.exp(np.float32(-103.5))) > 0
        assert np.log1p(np.exp(np.float32(-104.5))) == 0


def test_separate_route_gives_nan_in_float32_from_the_overflow_of_one_over_p():
    t = np.array([[1.0, 0.0]], dtype=np.float32)

    def raw_separate(g):
        z = np.array([[0.0, g]], dtype=np.float32)
        p = softmax(z)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            dp = -t / p
            return p * (dp - np.sum(p * dp, axis=1, keepdims=True))

    assert np.isfinite(raw_separate(88.0)).all()
    np.testing.assert_allclose(raw_separate(88.0), [[-1.0, 1.0]], atol=1e-6)
    for g in (89.0, 100.0, 120.0):
        assert np.isnan(raw_separate(g)[0, 0])
        z = np.array([[0.0, g]], dtype=np.float32)
        with pytest.raises(ValueError, match="underflowed"):
            softmax_then_cross_entropy_grad(z, t)
        np.testing.assert_allclose(cross_entropy_grad(z, t), [[-1.0, 1.0]], atol=1e-6)


# --- the pages themselves -----------------------------------------------------------

CHAPTERS = {
    "06_backward_any_loss.md": ("loss-independent-backward", ["batch-axis"], "softmax_backward"),
    "07_fused_vs_separate.md": ("fused-vs-separate", ["separate-node-bug", "batch-mean"], "cross_entropy_grad"),
    "08_stability.md": ("numerical-stability", ["overflow", "log-of-softmax"], "cross_entropy"),
}


@pytest.mark.parametrize("name", sorted(CHAPTERS))
def test_chapter_has_its_labels_and_exercise_format(name):
    text = (BOOK / name).read_text()
    top, sections, exercise = CHAPTERS[name]
    assert text.startswith("---\njupytext:\n")
    assert f"\n({top})=\n# " in text
    for label in sections:
        assert f"\n({label})=\n## " in text, label
    fn = f"my_{exercise}"
    stub = re.search(rf"def {fn}\(.*\):\n    raise NotImplementedError\(\"Student exercise: ", text)
    assert stub, "the stub must raise NotImplementedError"
    assert f'check("{exercise}", {fn})' in text
    # the solution sits between solution-start and solution-end, after the stub
    start = text.index(f"```{{solution-start}} ex-{exercise.replace('_', '-')}")
    end = text.index("```{solution-end}", start)
    assert stub.start() < start and f"def {fn}(" in text[start:end]
    derivation_exercises = re.findall(rf":label: ex-{top}-\d+", text)
    assert 2 <= len(derivation_exercises) <= 4
    assert "hide_solutions" not in text
