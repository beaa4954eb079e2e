"""Why cross-entropy (chapter 3, section why-cross-entropy): each claim checked twice.

Once by sympy, through the registered derivation, and once on numbers with a
formula that shares no code with the book: scipy's entropy and KL divergence,
scipy's categorical (one-draw multinomial) log-probability, scipy's
logsumexp under central differences, and expectations written out as sums
over the classes.
"""

import re
from pathlib import Path

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special, stats

from derivations import cross_entropy, cross_entropy_grad, softmax
from derivations.gradcheck import numerical_gradient, relative_error
from derivations.symbolic import DERIVATIONS, Step
from derivations.symbolic import why_cross_entropy as w

CHAPTER = Path(__file__).resolve().parents[2] / "book" / "03_kronecker_delta.md"


def _distributions(seed, n, C):
    return np.random.default_rng(seed).dirichlet(np.ones(C), size=n)


# ------------------------------------------------------------------ sympy


def test_the_derivation_is_registered_and_every_step_is_proved():
    d = DERIVATIONS["why-cross-entropy"]
    assert d is w.DERIVATION
    assert len(d.steps) == 9
    assert [title for title, ok in d.verify() if not ok] == []
    assert all(s.expected for s in d.steps)


@pytest.mark.parametrize(
    "claim, scope",
    [
        # the KL term with the wrong sign
        (sp.Eq(w.cross_entropy, w.entropy - w.kl, evaluate=False), "general"),
        # observed minus expected instead of expected minus observed
        (sp.Eq(sp.Derivative(-(sp.Sum(w.z[w.k] * w.t[w.k], (w.k, 1, w.C)) - w.A), w.z[w.j]),
               w.t[w.j] - w.p(w.j), evaluate=False), "general"),
        # the Hessian's diagonal alone, the puzzle's mistake one order up
        (sp.Eq(sp.Derivative(w.A, w.z[w.i], w.z[w.j]),
               w.p(w.i) * sp.KroneckerDelta(w.i, w.j), evaluate=False), "general"),
        # a wrong derivative in Gibbs' inequality
        (sp.Eq(sp.Derivative(w.gibbs_gap, w.x), (w.x + 1) / w.x, evaluate=False), "exact"),
    ],
)
def test_wrong_versions_of_the_steps_are_refuted(claim, scope):
    step = Step("a wrong variant", claim, "x", scope=scope, expected=False)
    assert step.status == "refuted"


def test_the_chapter_shows_every_step_once():
    text = CHAPTER.read_text(encoding="utf-8")
    shown = re.findall(r'DERIVATIONS\["why-cross-entropy"\]\.show\((\d+), (\d+)\)', text)
    covered = [n for a, b in shown for n in range(int(a), int(b) + 1)]
    assert sorted(covered) == list(range(1, len(DERIVATIONS["why-cross-entropy"].steps) + 1))
    assert "(why-cross-entropy)=" in text
    # the section comes before the chapter's own derivation
    assert text.index("(why-cross-entropy)=") < text.index('DERIVATIONS["kronecker-delta"]')


# ------------------------------------------------------------------ likelihood


@pytest.mark.parametrize("seed", range(5))
def test_log_likelihood_of_a_data_set_is_minus_N_times_the_mean_loss(seed):
    rng = np.random.default_rng(seed)
    N, C = 40, 5
    z = rng.normal(scale=3.0, size=(N, C))
    y = rng.integers(0, C, size=N)
    o = softmax(z)
    log_lik = sum(stats.multinomial.logpmf(np.eye(C)[y[n]], 1, o[n]) for n in range(N))
    assert log_lik == pytest.approx(-N * float(cross_entropy(z, y)), rel=1e-12)


def test_surprisal_is_minus_log_of_the_observed_probability():
    z = np.array([2.0, -1.0, 0.5])
    for y in range(3):
        # log o_y from the log-partition, written independently
        expected = special.logsumexp(z) - z[y]
        assert float(cross_entropy(z, np.array(y))) == pytest.approx(expected, rel=1e-14)


# ------------------------------------------------------------------ KL divergence


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), C=st.integers(2, 12))
def test_cross_entropy_is_entropy_plus_kl(seed, C):
    t = _distributions(seed, 20, C)
    o = _distributions(seed + 1, 20, C)
    H_cross = cross_entropy(np.log(o), t, reduction="none")
    independent = stats.entropy(t, axis=1) + stats.entropy(t, o, axis=1)
    np.testing.assert_allclose(H_cross, independent, rtol=1e-12, atol=1e-13)


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), C=st.integers(2, 12))
def test_kl_is_non_negative_and_zero_only_at_the_target(seed, C):
    t = _distributions(seed, 50, C)
    o = _distributions(seed + 7, 50, C)
    assert (stats.entropy(t, o, axis=1) > 0).all()
    np.testing.assert_allclose(stats.entropy(t, t, axis=1), 0, atol=1e-15)


def test_log_x_is_at_most_x_minus_1():
    x = np.concatenate([np.logspace(-8, 8, 2001), [1.0]])
    gap = x - 1 - np.log(x)
    assert gap.min() >= 0
    assert gap[-1] == 0


@pytest.mark.parametrize("t", [[0.6, 0.25, 0.1, 0.05], [0.25] * 4, [0.97, 0.01, 0.01, 0.01]])
def test_gradient_descent_on_the_logits_finds_the_target(t):
    t = np.array(t)
    z = np.zeros(len(t))
    for _ in range(20_000):
        z -= 2.0 * cross_entropy_grad(z, t)  # step 1/beta, beta = 1/2
    np.testing.assert_allclose(softmax(z), t, atol=1e-12)
    # the minimum value is the target's entropy
    assert float(cross_entropy(z, t)) == pytest.approx(stats.entropy(t), rel=1e-12)


def test_a_one_hot_target_has_no_finite_minimiser():
    t = np.array([0.0, 1.0, 0.0])
    z = np.zeros(3)
    losses, gaps = [], []
    for step in range(1, 5001):
        z -= 2.0 * cross_entropy_grad(z, t)
        if step in (10, 100, 1000, 5000):
            losses.append(float(cross_entropy(z, t)))
            gaps.append(z[1] - max(z[0], z[2]))
    assert all(a > b > 0 for a, b in zip(losses, losses[1:]))
    assert all(a < b for a, b in zip(gaps, gaps[1:]))


# ------------------------------------------------------------------ exponential family


@pytest.mark.parametrize("seed", range(4))
def test_gradient_of_the_log_partition_is_the_expected_onehot(seed):
    z = np.random.default_rng(seed).normal(scale=2.0, size=6)
    grad_A = numerical_gradient(special.logsumexp, z)
    o = np.exp(z - special.logsumexp(z))  # the model's distribution, not the book's softmax
    expected_onehot = sum(o[k] * np.eye(6)[k] for k in range(6))  # E_{k~o}[onehot(k)]
    assert relative_error(grad_A, expected_onehot) < 1e-8


@pytest.mark.parametrize("y", range(5))
def test_nll_gradient_is_expected_minus_observed(y):
    z = np.array([0.3, -1.2, 2.0, 0.0, 0.7])

    def nll(v):
        return special.logsumexp(v) - v[y]

    o = np.exp(z - special.logsumexp(z))
    expected_minus_observed = o - np.eye(5)[y]
    assert relative_error(numerical_gradient(nll, z), expected_minus_observed) < 1e-8
    # and the book's fused gradient is the same vector
    assert relative_error(cross_entropy_grad(z, np.array(y)), expected_minus_observed) < 1e-12


def test_hessian_of_the_log_partition_is_the_covariance_of_the_onehot():
    z = np.array([1.0, -0.5, 0.3, 2.0])
    C = len(z)
    hessian = np.stack([
        numerical_gradient(lambda v, j=j: float(np.exp(v[j] - special.logsumexp(v))), z)
        for j in range(C)
    ])
    o = np.exp(z - special.logsumexp(z))
    E_TT = sum(o[k] * np.outer(np.eye(C)[k], np.eye(C)[k]) for k in range(C))
    E_T = sum(o[k] * np.eye(C)[k] for k in range(C))
    covariance = E_TT - np.outer(E_T, E_T)
    assert relative_error(hessian, covariance) < 1e-7
    assert np.linalg.eigvalsh(covariance).min() > -1e-15  # positive semi-definite: convex
