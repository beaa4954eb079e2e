"""L2 regularisation (chapter 11, section l2-regularisation).

Expected values come from central differences in float64, the penalty
written out independently, numerical Hessians, and scikit-learn's
``LogisticRegression`` at ``C_sklearn = 1 / (2 lambda N)``.
"""

import numpy as np
import pytest
from scipy.optimize import minimize
from sklearn.linear_model import LogisticRegression

from derivations.gradcheck import numerical_gradient, relative_error
from derivations.teaching.training import (
    gradient_descent,
    load_digits_split,
    pack,
    softmax_regression_init,
    softmax_regression_l2_loss_grad,
    softmax_regression_loss_grad,
    unpack,
)


def _random_problem(seed, N=30, D=4, C=3):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N, D))
    y = rng.integers(0, C, size=N)
    params = {"W": rng.standard_normal((C, D)), "b": rng.standard_normal(C)}
    return params, X, y


def _separable(seed=0, per_class=15):
    """Three clusters far apart in the plane, plus a feature that is always 0."""
    rng = np.random.default_rng(seed)
    centres = np.array([[6.0, 0.0], [-3.0, 5.0], [-3.0, -5.0]])
    y = np.repeat(np.arange(3), per_class)
    X = centres[y] + 0.5 * rng.standard_normal((3 * per_class, 2))
    return np.hstack([X, np.zeros((len(y), 1))]), y


def _norm(arrays):
    return float(np.sqrt(sum(np.sum(v * v) for v in arrays.values())))


def _centred(v):
    return v - v.mean(axis=0)


def _fit_lbfgs(X, y, C, lam):
    """Minimise the book's penalised objective with scipy, fed the book's gradient."""
    like = softmax_regression_init(X.shape[1], C)

    def fun(theta):
        loss, grads = softmax_regression_l2_loss_grad(unpack(theta, like), X, y, lam)
        return loss, pack(grads)

    res = minimize(fun, pack(like), jac=True, method="L-BFGS-B",
                   options={"maxiter": 10_000, "gtol": 1e-12, "ftol": 1e-16, "maxcor": 30})
    return unpack(res.x, like)


# ------------------------------------------------------------------ loss and gradient


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("lam", [0.0, 0.01, 0.3, 2.0])
def test_gradient_matches_central_differences(seed, lam):
    params, X, y = _random_problem(seed)
    _, grads = softmax_regression_l2_loss_grad(params, X, y, lam)
    for key in params:
        def f(v, key=key):
            return softmax_regression_l2_loss_grad({**params, key: v}, X, y, lam)[0]
        assert relative_error(grads[key], numerical_gradient(f, params[key])) < 1e-7


def test_the_unpenalised_gradient_fails_the_check_when_lambda_is_positive():
    params, X, y = _random_problem(0)
    _, plain = softmax_regression_loss_grad(params, X, y)

    def f(v):
        return softmax_regression_l2_loss_grad({**params, "W": v}, X, y, 0.3)[0]

    assert relative_error(plain["W"], numerical_gradient(f, params["W"])) > 0.1


@pytest.mark.parametrize("lam", [0.0, 0.05, 1.5])
def test_penalty_is_lambda_times_the_squared_frobenius_norm_of_W_only(lam):
    params, X, y = _random_problem(1)
    plain, plain_grads = softmax_regression_loss_grad(params, X, y)
    loss, grads = softmax_regression_l2_loss_grad(params, X, y, lam)
    frobenius = np.linalg.norm(params["W"], "fro") ** 2
    assert loss - plain == pytest.approx(lam * frobenius, rel=1e-12, abs=1e-15)
    # the bias is not penalised: its gradient and the loss's dependence on it are unchanged
    np.testing.assert_array_equal(grads["b"], plain_grads["b"])
    shifted = {**params, "b": params["b"] + 5.0}  # the same shift for every class
    assert softmax_regression_l2_loss_grad(shifted, X, y, lam)[0] == pytest.approx(loss, rel=1e-12)


def test_a_step_is_weight_decay_plus_the_plain_step():
    params, X, y = _random_problem(2)
    lam, eta = 0.2, 0.3
    _, grads = softmax_regression_l2_loss_grad(params, X, y, lam)
    _, plain = softmax_regression_loss_grad(params, X, y)
    np.testing.assert_allclose(
        params["W"] - eta * grads["W"],
        (1 - 2 * eta * lam) * params["W"] - eta * plain["W"],
        rtol=1e-13, atol=1e-15,
    )


@pytest.mark.parametrize("lam, error", [(-0.1, ValueError), (np.nan, ValueError),
                                        (np.inf, ValueError), (True, TypeError), ("0.1", TypeError)])
def test_bad_lambda_is_refused(lam, error):
    params, X, y = _random_problem(0)
    with pytest.raises(error):
        softmax_regression_l2_loss_grad(params, X, y, lam)


# ------------------------------------------------------------------ the minimiser


def test_separable_data_without_penalty_has_growing_weights():
    X, y = _separable()
    _, hist = gradient_descent(
        lambda P: softmax_regression_l2_loss_grad(P, X, y, 0.0),
        softmax_regression_init(3, 3), lr=0.02, steps=4000,
        monitor=lambda P: {"norm": np.linalg.norm(P["W"])}, every=500)
    norms = hist["norm"][1:]
    assert all(a < b for a, b in zip(norms, norms[1:]))
    assert hist["loss"][-1] < 1e-3 * hist["loss"][0]


def test_with_a_penalty_descent_converges_to_one_bounded_minimiser():
    X, y = _separable()
    lam, C = 0.2, 3
    gram = np.hstack([X, np.ones((len(X), 1))])
    beta = 0.5 * np.linalg.eigvalsh(gram.T @ gram / len(X)).max()

    def loss_grad(P):
        return softmax_regression_l2_loss_grad(P, X, y, lam)

    start_b = {"W": 3.0 * np.random.default_rng(9).standard_normal((C, 3)),
               "b": np.array([4.0, -1.0, 0.5])}
    ends = []
    for start in (softmax_regression_init(3, C), start_b):
        P, hist = gradient_descent(loss_grad, start, lr=1 / (beta + 2 * lam), steps=6000)
        assert _norm(loss_grad(P)[1]) < 1e-9
        ends.append(P)
    # bounded by sqrt(log C / lambda) (from the start at zero)
    assert np.linalg.norm(ends[0]["W"]) <= np.sqrt(np.log(C) / lam)
    # unique: two starts, one minimiser (biases up to the common shift)
    np.testing.assert_allclose(ends[0]["W"], ends[1]["W"], atol=1e-8)
    np.testing.assert_allclose(_centred(ends[0]["b"]), _centred(ends[1]["b"]), atol=1e-8)


def _hessian(X, y, lam, params):
    like = params

    def grad(theta):
        return pack(softmax_regression_l2_loss_grad(unpack(theta, like), X, y, lam)[1])

    theta = pack(params)
    cols = []
    for m in range(theta.size):
        e = np.zeros_like(theta)
        e[m] = 1e-5
        cols.append((grad(theta + e) - grad(theta - e)) / 2e-5)
    H = np.array(cols)
    return (H + H.T) / 2


def test_penalised_objective_is_strictly_convex_but_for_the_bias_shift():
    X, y = _separable()
    C, D = 3, X.shape[1]
    params = {"W": 0.3 * np.random.default_rng(4).standard_normal((C, D)), "b": np.zeros(C)}
    lam = 0.05
    H = _hessian(X, y, lam, params)
    eig, vec = np.linalg.eigh(H)
    # one flat direction: the same shift of every bias
    shift = np.concatenate([np.zeros(C * D), np.ones(C) / np.sqrt(C)])
    assert abs(eig[0]) < 1e-7
    assert abs(vec[:, 0] @ shift) == pytest.approx(1, abs=1e-6)
    assert eig[1] > 1e-4
    # on the weights alone, the curvature is at least 2 lambda
    assert np.linalg.eigvalsh(H[: C * D, : C * D]).min() >= 2 * lam - 1e-7
    # without the penalty the zero feature and the class shift of W are flat as well
    flat = np.linalg.eigvalsh(_hessian(X, y, 0.0, params))
    assert (np.abs(flat) < 1e-7).sum() >= 3


def test_the_minimiser_satisfies_the_stationarity_conditions():
    X, y = _separable()
    lam, C, N = 0.05, 3, len(y)
    P = _fit_lbfgs(X, y, C, lam)
    z = X @ P["W"].T + P["b"]
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    t = np.eye(C)[y]
    np.testing.assert_allclose(P["W"], (t - p).T @ X / (2 * lam * N), atol=1e-9)
    np.testing.assert_allclose(P["W"].sum(axis=0), 0, atol=1e-9)  # columns sum to zero
    np.testing.assert_allclose(P["W"][:, 2], 0, atol=1e-12)  # the always-zero feature


# ------------------------------------------------------------------ scikit-learn


@pytest.fixture(scope="module")
def digits():
    X_train, _, y_train, _ = load_digits_split(test_fraction=0.25, seed=0)
    return X_train, y_train


@pytest.mark.parametrize("lam", [0.003, 0.01, 0.1])
def test_same_minimiser_as_scikit_learn(digits, lam):
    X, y = digits
    N, C = len(y), 10
    book = _fit_lbfgs(X, y, C, lam)
    clf = LogisticRegression(C=1 / (2 * lam * N), tol=1e-12, max_iter=100_000).fit(X, y)
    W_rel = np.abs(book["W"] - clf.coef_).max() / np.abs(clf.coef_).max()
    b_gap = _centred(book["b"]) - _centred(clf.intercept_)
    b_rel = np.abs(b_gap).max() / np.abs(_centred(clf.intercept_)).max()
    assert W_rel < 1e-4 and b_rel < 1e-4


def test_a_forgotten_factor_two_is_caught(digits):
    X, y = digits
    lam, N, C = 0.01, len(y), 10
    book = _fit_lbfgs(X, y, C, lam)
    wrong = LogisticRegression(C=1 / (lam * N), tol=1e-12, max_iter=100_000).fit(X, y)
    assert np.abs(book["W"] - wrong.coef_).max() / np.abs(wrong.coef_).max() > 1e-2
