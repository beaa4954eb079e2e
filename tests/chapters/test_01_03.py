"""The numeric claims that chapters puzzle, quotient-rule and kronecker-delta
make in their prose, checked independently of the package.

Expected values come from central finite differences (written here, in
float64) of losses written out here in plain numpy, or from hand algebra.
"""

import numpy as np
import pytest

from derivations import numerical_gradient, softmax_jacobian
from derivations.teaching.network import (
    diagonal_only_logit_grad,
    diagonal_only_weight_grad,
    layer_weight_grad,
    logit_grad,
)

# the values the chapters use
H = np.array([0.8, -0.4, 1.2])
W = np.array([[0.5, -0.3, 0.8, 0.1], [-0.2, 0.4, 0.3, -0.6], [0.7, 0.2, -0.5, 0.3]])
Z4 = np.array([1.5, 0.5, -0.5, 0.0])


# central differences in float64; the checker itself is tested against
# hand-derived gradients in tests/test_gradcheck.py
fd = numerical_gradient


def probs(z):
    e = np.exp(z - np.max(z))
    return e / e.sum()


def loss(z, t):
    """E = -sum t log softmax(z), straight from the definition."""
    return float(-np.sum(t * np.log(probs(z))))


# ----------------------------------------------------------------------------
# chapter puzzle
# ----------------------------------------------------------------------------


def test_asker_gradient_is_zero_where_the_true_gradient_is_not():
    t = np.array([0.0, 0.0, 1.0, 0.0])
    true = fd(lambda V: loss(H @ V, t), W)
    asker = diagonal_only_weight_grad(H, W, None, t)
    for j in (0, 1, 3):  # the classes with t_j = 0
        assert np.all(asker[:, j] == 0)
        # the truth is h_d o_j, with the sign of h_d and nowhere near zero
        assert np.all(np.abs(true[:, j]) > 0.04)
        assert np.array_equal(np.sign(true[:, j]), np.sign(H))
    # the target class's column agrees
    assert np.allclose(asker[:, 2], true[:, 2], atol=1e-8)
    # the correct gradient agrees everywhere
    assert np.allclose(layer_weight_grad(H, W, None, t), true, atol=1e-8)


def test_dropped_terms_are_exactly_the_off_diagonal_sum():
    # dE/dz = diagonal term + sum over i != j, built from the Jacobian written
    # out by hand (not from softmax_jacobian), against finite differences
    z = H @ W
    t = np.array([0.0, 0.0, 1.0, 0.0])
    o = probs(z)
    J = np.array([[o[i] * ((i == j) - o[j]) for j in range(4)] for i in range(4)])
    dE_do = -t / o
    diagonal = dE_do * np.diag(J)
    dropped = dE_do @ (J - np.diag(np.diag(J)))
    assert np.allclose(diagonal + dropped, fd(lambda v: loss(v, t), z), atol=1e-8)
    assert np.allclose(diagonal, diagonal_only_logit_grad(z, t))
    # for a one-hot target the dropped terms are o_j off the target, 0 on it
    assert np.allclose(dropped, np.where(t == 1, 0.0, o))


def test_asker_agrees_only_where_all_target_mass_sits_on_the_class():
    # exercise ex-puzzle-2: the difference is o_j * sum_{k != j} t_k
    rng = np.random.default_rng(11)
    z = rng.normal(size=5)
    t = np.array([0.0, 0.3, 0.0, 0.0, 0.0])
    true = fd(lambda v: loss(v, t), z)
    asker = diagonal_only_logit_grad(z, t)
    assert asker[1] == pytest.approx(true[1], abs=1e-8)
    assert np.all(np.abs(np.delete(asker - true, 1)) > 1e-3)


def test_asker_step_lowers_one_example_but_can_climb_a_batch():
    # exercise ex-puzzle-3: per example g . grad = (1 - o_y)^2 > 0 ...
    z = np.array([2.0, 1.0, 0.1])
    t = np.array([0.0, 1.0, 0.0])
    g = diagonal_only_logit_grad(z, t)
    true = fd(lambda v: loss(v, t), z)
    assert g @ true == pytest.approx((1 - probs(z)[1]) ** 2, rel=1e-6)
    # ... but over a batch sharing the weights it can point uphill
    Hb = np.array([[2.53762985, -1.2242608], [4.17848804, -0.56157471], [3.01808953, -0.18862595],
                   [3.86141937, 0.40550327], [4.13021149, -1.0667438]])
    Wb = np.array([[-0.3323815, 0.90037563, 0.56987984], [0.64520179, 0.18159115, -0.77252282]])
    Tb = np.eye(3)[[1, 2, 0, 1, 1]]

    def mean_loss(V):
        return np.mean([loss(Hb[n] @ V, Tb[n]) for n in range(len(Hb))])

    asker_dW = diagonal_only_weight_grad(Hb, Wb, None, Tb)
    assert np.sum(asker_dW * fd(mean_loss, Wb)) < 0
    assert mean_loss(Wb - 1e-3 * asker_dW) > mean_loss(Wb)


def test_figure_values_of_the_bar_chart():
    # fig-puzzle-bars: z = (2, 1, 0.1), target class 0
    z = np.array([2.0, 1.0, 0.1])
    t = np.array([1.0, 0.0, 0.0])
    o = probs(z)
    assert np.allclose(o, [0.659, 0.242, 0.099], atol=1e-3)
    assert np.allclose(logit_grad(z, t), fd(lambda v: loss(v, t), z), atol=1e-8)
    assert np.allclose(diagonal_only_logit_grad(z, t), [o[0] - 1, 0, 0])


# ----------------------------------------------------------------------------
# chapter quotient-rule
# ----------------------------------------------------------------------------


def test_two_case_jacobian_equals_finite_differences():
    o = probs(Z4)
    J_cases = np.empty((4, 4))
    for i in range(4):
        for j in range(4):
            J_cases[i, j] = o[i] * (1 - o[j]) if i == j else -o[i] * o[j]
    J_fd = np.stack([fd(lambda v: probs(v)[i], Z4) for i in range(4)])
    assert np.allclose(J_cases, J_fd, atol=1e-9)
    assert np.allclose(softmax_jacobian(Z4), J_fd, atol=1e-9)


def test_jacobian_properties_stated_in_the_chapter():
    J = softmax_jacobian(Z4)
    assert np.allclose(J, J.T)
    assert np.allclose(J.sum(axis=0), 0) and np.allclose(J.sum(axis=1), 0)
    assert np.all(np.diag(J) > 0) and np.all(J[~np.eye(4, dtype=bool)] < 0)
    # positive semidefinite, rank C - 1, null space the constant vectors
    eig = np.linalg.eigvalsh(J)
    assert eig.min() > -1e-12 and np.sum(eig > 1e-12) == 3
    assert np.allclose(J @ np.ones(4), 0)
    # the heatmap's alt text: diagonal from about 0.24 (class 0) to 0.07 (class 2)
    assert np.diag(J)[0] == pytest.approx(0.24, abs=0.005)
    assert np.diag(J)[2] == pytest.approx(0.07, abs=0.005)
    assert J[0, 1] == pytest.approx(-0.12, abs=0.005)


def test_two_classes_are_a_sigmoid():
    # ex-quotient-rule-2
    z = np.array([0.7, -0.4])
    s = 1 / (1 + np.exp(-(z[0] - z[1])))
    assert probs(z)[0] == pytest.approx(s)
    assert np.allclose(softmax_jacobian(z), s * (1 - s) * np.array([[1, -1], [-1, 1]]))


def test_o_minus_t_only_for_targets_summing_to_one():
    o = probs(Z4)
    onehot = np.array([0.0, 0.0, 1.0, 0.0])
    assert np.allclose(o - onehot, fd(lambda v: loss(v, onehot), Z4), atol=1e-8)
    soft = np.array([0.5, 0.0, 1.0, 0.5])
    true = fd(lambda v: loss(v, soft), Z4)
    assert not np.allclose(o - soft, true, atol=1e-3)
    assert np.allclose(o * soft.sum() - soft, true, atol=1e-8)


# ----------------------------------------------------------------------------
# chapter kronecker-delta
# ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "t",
    [
        np.array([0.5, 0.0, 1.5, 0.5]),  # tau = 2.5, as in the chapter
        np.array([0.1, 0.2, 0.0, 0.05]),  # tau < 1
        np.array([0.0, 0.0, 1.0, 0.0]),  # one-hot
    ],
)
def test_tau_p_minus_t_for_soft_targets(t):
    expected = fd(lambda v: loss(v, t), Z4)
    tau = t.sum()
    assert np.allclose(tau * probs(Z4) - t, expected, atol=1e-8)
    assert np.allclose(logit_grad(Z4, t), expected, atol=1e-8)
    # and the gradient sums to zero whatever tau is (ex-kronecker-delta-3)
    assert abs(expected.sum()) < 1e-8


def test_log_softmax_jacobian_is_identity_minus_ones_times_o():
    o = probs(Z4)

    def log_o(v):
        m = v.max()
        return v - m - np.log(np.sum(np.exp(v - m)))

    J_fd = np.stack([fd(lambda v: log_o(v)[j], Z4) for j in range(4)])
    assert np.allclose(J_fd, np.eye(4) - np.outer(np.ones(4), o), atol=1e-9)


def test_sign_flip_climbs_the_loss():
    t = np.array([0.0, 0.0, 1.0, 0.0])
    o = probs(Z4)
    E0 = loss(Z4, t)
    for eta in (0.1, 1.0, 3.0):
        assert loss(Z4 - eta * (o - t), t) < E0
        assert loss(Z4 - eta * (t - o), t) > E0
    # the figure's alt text
    assert E0 == pytest.approx(2.55, abs=0.01)
    assert loss(Z4 - 3 * (o - t), t) == pytest.approx(0.2, abs=0.03)
    assert loss(Z4 - 3 * (t - o), t) == pytest.approx(6.7, abs=0.05)
    # first order: dE = +eta ||o - t||^2 for the flipped step
    eta = 1e-5
    change = loss(Z4 - eta * (t - o), t) - E0
    assert change == pytest.approx(eta * np.sum((o - t) ** 2), rel=1e-3)


def test_weight_gradient_h_times_tau_o_minus_t():
    t = np.array([0.5, 0.0, 1.5, 0.5])
    b = np.array([0.1, 0.0, -0.2, 0.3])
    expected = fd(lambda V: loss(H @ V + b, t), W)
    z = H @ W + b
    assert np.allclose(np.outer(H, t.sum() * probs(z) - t), expected, atol=1e-8)
    assert np.allclose(layer_weight_grad(H, W, b, t), expected, atol=1e-8)
    # the matrix answer's form, (1't) y p' - t p' for W stored (C, D), is the transpose
    y = probs(z)
    assert np.allclose((t.sum() * np.outer(y, H) - np.outer(t, H)).T, expected, atol=1e-8)


def test_bias_gradient_equals_logit_gradient():
    # ex-kronecker-delta-2
    t = np.array([0.2, 0.0, 0.7, 0.4])
    expected = fd(lambda bb: loss(H @ W + bb, t), np.zeros(4))
    assert np.allclose(logit_grad(H @ W, t), expected, atol=1e-8)
