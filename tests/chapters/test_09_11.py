"""The key claims of chapters 09-11 (gradient checking, beyond one-hot
targets, training), asserted so that a change to the package that breaks a
claim on the page fails the test suite, not just the reader.

Expected values come from hand calculations, Taylor coefficients, finite
differences, independent formulas and an independent library
(scikit-learn), never from the code under test alone.
"""

import numpy as np
import pytest
import scipy.optimize  # noqa: F401  (loaded before threadpool_limits, so that the limit reaches it)
from hypothesis import given, settings
from hypothesis import strategies as st
from threadpoolctl import threadpool_limits

from derivations import (
    check_gradient,
    cross_entropy,
    cross_entropy_grad,
    numerical_gradient,
    relative_error,
    softmax,
    softmax_backward,
)
from derivations.coursework.catalogue import wrong_implementations
from derivations.gradcheck import forward_difference, numerical_jacobian
from derivations.teaching.training import (
    accuracy,
    fit_softmax_regression_lbfgs,
    gradient_descent,
    hidden_layer_init,
    hidden_layer_logits,
    hidden_layer_loss_grad,
    load_digits_split,
    pack,
    principal_components,
    softmax_regression_init,
    softmax_regression_logits,
    softmax_regression_loss_grad,
    toy_blobs,
    unpack,
)

# ======================================================================
# Chapter 09: gradient checking
# ======================================================================


def test_forward_difference_error_is_first_order_with_the_taylor_coefficient():
    # f = sum exp(x): f' = f'' = exp(x), so the forward error is eps * exp(x) / 2 + O(eps^2)
    x = np.array([0.3, -1.0])
    f = lambda v: float(np.sum(np.exp(v)))
    for eps in (1e-3, 1e-4):
        err = forward_difference(f, x, eps) - np.exp(x)
        assert np.allclose(err / eps, np.exp(x) / 2, rtol=1e-2)


def test_central_difference_error_is_second_order_with_the_taylor_coefficient():
    # the central error is eps^2 * f''' / 6 + O(eps^4)
    x = np.array([0.3, -1.0])
    f = lambda v: float(np.sum(np.exp(v)))
    for eps in (1e-2, 3e-3):
        err = numerical_gradient(f, x, eps) - np.exp(x)
        assert np.allclose(err / eps**2, np.exp(x) / 6, rtol=1e-2)


def test_forward_difference_is_exact_up_to_a_eps_on_a_quadratic():
    # f = a x^2 + b x: the forward difference is f' + a eps exactly (ex-gradient-checking-1)
    a, b, x, eps = 1.5, -2.0, np.array([0.7]), 0.25
    f = lambda v: float(a * v[0] ** 2 + b * v[0])
    assert forward_difference(f, x, eps)[0] == pytest.approx(2 * a * 0.7 + b + a * eps, rel=1e-12)
    assert numerical_gradient(f, x, eps)[0] == pytest.approx(2 * a * 0.7 + b, rel=1e-12)


def test_forward_difference_leaves_its_input_alone_and_works_in_float64():
    x = np.array([1.0, 2.0], dtype=np.float32)
    before = x.copy()
    seen = []
    g = forward_difference(lambda v: seen.append(v.dtype) or float(np.sum(v**2)), x, 1e-6)
    assert np.array_equal(x, before)
    assert g.dtype == np.float64 and set(seen) == {np.dtype(np.float64)}
    assert np.allclose(g, [2.0, 4.0], atol=1e-5)
    with pytest.raises(ValueError, match="eps"):
        forward_difference(lambda v: 0.0, x, 0.0)


def test_numerical_jacobian_of_a_hand_differentiated_map():
    A = np.array([[1.0, 2.0, 0.0], [0.0, -1.0, 3.0]])
    x = np.array([0.5, -0.2, 1.5])
    J = numerical_jacobian(lambda v: A @ v + v[0] * v[2], x)
    expected = A + np.array([[x[2], 0.0, x[0]]] * 2)  # d(v0 v2) = (v2, 0, v0)
    assert J.shape == (2, 3)
    assert np.allclose(J, expected, atol=1e-9)


def test_numerical_jacobian_keeps_the_shapes_of_output_and_input():
    x = np.arange(6.0).reshape(2, 3)
    J = numerical_jacobian(lambda v: 2 * v, x)
    assert J.shape == (2, 3, 2, 3)
    assert np.allclose(J.reshape(6, 6), 2 * np.eye(6))
    with pytest.raises(ValueError, match="eps"):
        numerical_jacobian(lambda v: v, x, eps=-1.0)


def _median_errors(dtype, steps, K=32, C=5, seed=0):
    """The chapter's sweep: median relative error over K directions, per step."""
    rng = np.random.default_rng(seed)
    z, t = rng.standard_normal(C), np.eye(C)[2]
    v = rng.standard_normal((K, C))
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    slope = v @ (softmax(z) - t)  # p - t, by the formula of the Kronecker-delta chapter
    zd, vd, td = z.astype(dtype), v.astype(dtype), t.astype(dtype)
    h = steps.astype(dtype)[:, None, None]
    rows = np.broadcast_to(td, (len(steps) * K, C))
    g = lambda s: cross_entropy((zd + s * vd).reshape(-1, C), rows, reduction="none").reshape(len(steps), K)
    central = (g(h) - g(-h)) / (2 * h[:, :, 0])
    forward = (g(h) - cross_entropy(zd, td)) / h[:, :, 0]
    rel = lambda d: np.median(np.abs(d.astype(np.float64) - slope) / np.abs(slope), axis=1)
    return rel(forward), rel(central)


def test_the_v_shape_minimum_sits_where_the_error_model_puts_it():
    steps = np.logspace(-12, 0, 61)
    fwd64, cen64 = _median_errors(np.float64, steps)
    fwd32, cen32 = _median_errors(np.float32, steps)
    u64, u32 = np.finfo(np.float64).eps / 2, np.finfo(np.float32).eps / 2
    # minima on the scale u^(1/3) (central) and u^(1/2) (forward), within two decades
    assert 1e-2 * u64 ** (1 / 3) <= steps[cen64.argmin()] <= 1e2 * u64 ** (1 / 3)
    assert 1e-2 * u64**0.5 <= steps[fwd64.argmin()] <= 1e2 * u64**0.5
    assert 1e-2 * u32 ** (1 / 3) <= steps[cen32.argmin()] <= 1e2 * u32 ** (1 / 3)
    # float64 central differences reach ~1e-10; float32 cannot get below ~1e-6
    assert cen64.min() < 1e-9
    assert cen32.min() > 1e-7 and fwd32.min() > 1e-6
    # at eps = 1e-6 (the book's default) float64 central differences are at the floor
    assert cen64[np.argmin(np.abs(steps - 1e-6))] < 1e-8


def test_a_sum_of_softmax_check_cannot_tell_right_from_wrong():
    rng = np.random.default_rng(9)
    z = rng.standard_normal(5)
    p = softmax(z)
    ones = np.ones(5)
    # J^T 1 = 0 by hand: every backward of the form c * p * (dp - <p, dp>) returns 0
    for c in (1.0, -1.0, 2.0, 0.0):
        assert np.abs(c * softmax_backward(p, ones)).max() < 1e-15
    assert np.abs(numerical_gradient(lambda v: float(np.sum(softmax(v))), z)).max() < 1e-9
    # a random upstream vector separates them
    r = rng.standard_normal(5)
    f = lambda v: float(r @ softmax(v))
    assert check_gradient(f, z, softmax_backward(p, r)).passed
    for c in (-1.0, 2.0, 0.0):
        assert not check_gradient(f, z, c * softmax_backward(p, r)).passed
    assert not check_gradient(f, z, p * (1 - p) * r).passed  # the elementwise "delta"


def test_the_max_shift_is_not_a_kink_but_max_itself_is():
    z = np.array([1.0, 1.0, 1.0, -0.5, 0.2])
    t = np.eye(5)[2]
    res = check_gradient(lambda v: float(cross_entropy(v, t)), z, cross_entropy_grad(z, t))
    assert res.passed and res.error < 1e-8
    # one-sided moves of a tied entry: +eps raises max by eps, -eps leaves it: slope 1/2
    g = numerical_gradient(lambda v: float(np.max(v)), z)
    assert np.allclose(g, [0.5, 0.5, 0.5, 0.0, 0.0])


def test_a_relu_kink_halves_the_central_difference():
    rng = np.random.default_rng(3)
    C = 5
    V, t = rng.standard_normal((C, 4)), np.eye(C)[1]
    f = lambda h: float(cross_entropy(V @ np.maximum(h, 0.0), t))
    h = np.array([0.8, -0.4, 0.0, 3e-7])
    right = numerical_gradient(f, np.array([0.8, -0.4, 1e-3, 3e-7]), 1e-7)[2]  # slope just right of 0
    g = numerical_gradient(f, h, 1e-6)
    assert g[2] == pytest.approx(right / 2, rel=1e-3)
    analytic = (h > 0) * (V.T @ cross_entropy_grad(V @ np.maximum(h, 0.0), t))
    assert analytic[2] == 0.0
    assert not check_gradient(f, h, analytic).passed
    # away from the kink the same gradient is right
    h_far = np.array([0.8, -0.4, 0.5, 0.3])
    analytic_far = (h_far > 0) * (V.T @ cross_entropy_grad(V @ np.maximum(h_far, 0.0), t))
    assert check_gradient(f, h_far, analytic_far).passed


def test_relative_error_exposes_a_bug_that_absolute_error_hides():
    rng = np.random.default_rng(1)
    Z, T = rng.standard_normal((1, 5)), np.eye(5)[[2]]
    scale = 1e-9
    truth = numerical_gradient(lambda v: scale * float(cross_entropy(v, T)), Z)
    wrong = scale * (-T * (1 - softmax(Z)))  # the diagonal-only gradient
    assert np.abs(wrong - truth).max() < 1e-6
    assert relative_error(wrong, truth) > 0.1


def test_catalogued_gradient_bugs_fail_the_check_except_the_numerical_ones():
    rng = np.random.default_rng(0)
    Z, T = rng.standard_normal((4, 5)), rng.uniform(0, 1, (4, 5))
    f = lambda v: float(cross_entropy(v, T))
    wrongs = wrong_implementations("cross_entropy_grad")
    assert wrongs
    for w in wrongs:
        result = check_gradient(f, Z, w.fn(Z, T))
        if w.mistake in ("no-max-shift", "divide-by-p"):
            assert result.passed, w.mistake  # right formula, wrong only at extreme logits
        else:
            assert result.error > 1e-2, w.mistake


# ======================================================================
# Chapter 10: beyond one-hot targets
# ======================================================================


def test_soft_target_gradient_is_tau_p_minus_t():
    rng = np.random.default_rng(10)
    z = rng.standard_normal(3)
    t = np.array([2.0, 1.0, 0.0])
    fd = numerical_gradient(lambda v: float(cross_entropy(v, t)), z)
    p = softmax(z)
    assert relative_error(3 * p - t, fd) < 1e-8
    assert relative_error(p - t, fd) > 0.1
    assert abs(fd.sum()) < 1e-8  # gradients of functions of p sum to zero
    assert (p - t).sum() == pytest.approx(1 - 3)


def test_training_toward_weights_a_reaches_a_over_its_sum():
    # ex-beyond-one-hot-2: the minimiser of -sum a log p is p = a / sum(a)
    for a in (np.array([0.8, 0.04, 0.04, 0.04, 0.04]), np.array([1.0, 0.2, 0.2, 0.2, 0.2]),
              np.array([2.0, 1.0, 0.5])):
        res = scipy.optimize.minimize(
            lambda v: (float(cross_entropy(v, a)), cross_entropy_grad(v, a)),
            np.zeros(len(a)), jac=True, method="BFGS", options={"gtol": 1e-12},
        )
        assert np.allclose(softmax(res.x), a / a.sum(), atol=1e-6)


def test_label_smoothing_by_hand_and_by_finite_differences():
    C, eps = 5, 0.2
    labels = np.array([2, 0, 4])
    Z = np.random.default_rng(2).standard_normal((3, C))
    smoothed = np.full((3, C), eps / C)
    smoothed[np.arange(3), labels] += 1 - eps
    assert np.allclose(smoothed.sum(axis=1), 1)
    f = lambda v: float(cross_entropy(v, labels, label_smoothing=eps))
    # the loss is the mix (1 - eps) CE(onehot) + eps CE(uniform)
    logp = np.log(softmax(Z))
    mix = np.mean((1 - eps) * -logp[np.arange(3), labels] + eps * -logp.mean(axis=1))
    assert f(Z) == pytest.approx(mix, rel=1e-12)
    fd = numerical_gradient(f, Z)
    assert relative_error(cross_entropy_grad(Z, labels, label_smoothing=eps), fd) < 1e-8
    assert relative_error((softmax(Z) - smoothed) / 3, fd) < 1e-8


def test_the_catalogued_smoothing_slips_have_the_masses_the_chapter_states():
    C, eps = 5, 0.2
    masses = sorted(round(float(w.fn(np.array([2]), C, eps).sum()), 12)
                    for w in wrong_implementations("label_smoothing"))
    # 1 - eps/C, 1 (eps over C - 1), 1 + (C - 1) eps / C, 1 + (C - 1) eps
    assert masses == sorted([1 - eps / C, 1.0, 1 + (C - 1) * eps / C, 1 + (C - 1) * eps])


def test_class_weights_use_the_weighted_mean():
    rng = np.random.default_rng(4)
    N, C = 8, 3
    Z, y = rng.standard_normal((N, C)), rng.integers(0, C, N)
    w = np.array([1.0, 5.0, 0.5])
    ell = -np.log(softmax(Z)[np.arange(N), y])
    assert float(cross_entropy(Z, y, weight=w)) == pytest.approx((w[y] * ell).sum() / w[y].sum())
    assert float(cross_entropy(Z, y, weight=10 * w)) == pytest.approx(float(cross_entropy(Z, y, weight=w)))
    f = lambda v: float(cross_entropy(v, y, weight=w))
    assert relative_error(cross_entropy_grad(Z, y, weight=w), numerical_gradient(f, Z)) < 1e-8
    # one class only: the weighted mean is the plain mean, whatever its weight (ex-beyond-one-hot-4)
    y1 = np.full(N, 1)
    assert float(cross_entropy(Z, y1, weight=w)) == pytest.approx(float(cross_entropy(Z, y1)))


def test_reductions_differ_by_the_normaliser_only():
    rng = np.random.default_rng(8)
    N, C = 6, 4
    Z, y = rng.standard_normal((N, C)), rng.integers(0, C, N)
    w = np.array([0.5, 2.0, 1.0, 3.0])
    per_row = lambda v: cross_entropy(v, y, weight=w, reduction="none")
    # the per-row losses by hand: w[y_n] * -log p_{n, y_n}
    assert np.allclose(per_row(Z), w[y] * -np.log(softmax(Z)[np.arange(N), y]))
    fd = numerical_gradient(lambda v: float(per_row(v).sum()), Z)
    g_sum = cross_entropy_grad(Z, y, weight=w, reduction="sum")
    assert relative_error(g_sum, fd) < 1e-8
    assert np.array_equal(cross_entropy_grad(Z, y, weight=w, reduction="none"), g_sum)
    assert np.allclose(w[y].sum() * cross_entropy_grad(Z, y, weight=w), g_sum, rtol=1e-12)


def test_ignored_rows_count_for_nothing():
    rng = np.random.default_rng(5)
    N, C = 8, 3
    Z, y = rng.standard_normal((N, C)), rng.integers(0, C, N)
    y[[1, 5]] = -100
    kept = y != -100
    w = np.array([1.0, 5.0, 0.5])
    opts = dict(weight=w, label_smoothing=0.1)
    f = lambda v: float(cross_entropy(v, y, **opts))
    g = cross_entropy_grad(Z, y, **opts)
    assert np.all(g[~kept] == 0)
    assert f(Z) == pytest.approx(float(cross_entropy(Z[kept], y[kept], **opts)), rel=1e-12)
    assert relative_error(g, numerical_gradient(f, Z)) < 1e-8


def test_the_hessian_in_the_logits_is_tau_times_diag_p_minus_ppT():
    rng = np.random.default_rng(6)
    z = rng.standard_normal(4)
    t = np.array([0.0, 1.5, 0.5, 0.0])
    H_fd = numerical_jacobian(lambda v: cross_entropy_grad(v, t), z)
    p = softmax(z)
    H = 2.0 * (np.diag(p) - np.outer(p, p))
    assert np.abs(H_fd - H).max() < 1e-8
    evals = np.linalg.eigvalsh(H)
    assert evals[0] == pytest.approx(0, abs=1e-12) and evals[1] > 1e-3
    assert np.allclose(H @ np.ones(4), 0, atol=1e-14)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(-8, 8), min_size=2, max_size=8), st.integers(0, 2**32 - 1))
def test_the_softmax_jacobian_is_psd_with_eigenvalues_at_most_one_half(z, seed):
    p = softmax(np.array(z))
    J = np.diag(p) - np.outer(p, p)
    v = np.random.default_rng(seed).standard_normal(len(z))
    # v^T J v is the variance of v under p (computed independently here)
    mean = p @ v
    assert v @ J @ v == pytest.approx(p @ (v - mean) ** 2, abs=1e-12)
    evals = np.linalg.eigvalsh(J)
    assert evals.min() >= -1e-12
    assert evals.max() <= 0.5 + 1e-12


def test_softmax_regression_is_flat_along_a_shared_shift():
    X, y = toy_blobs(n_per_class=10)
    rng = np.random.default_rng(7)
    like = softmax_regression_init(2, 3)
    theta = rng.standard_normal(9) * 0.5
    params = unpack(theta, like)
    u, c = rng.standard_normal(2), rng.standard_normal()
    shifted = {"W": params["W"] + u, "b": params["b"] + c}
    loss = lambda P: softmax_regression_loss_grad(P, X, y)[0]
    assert loss(shifted) == pytest.approx(loss(params), rel=1e-13)
    grad = lambda th: pack(softmax_regression_loss_grad(unpack(th, like), X, y)[1])
    H = numerical_jacobian(grad, theta)
    evals = np.linalg.eigvalsh((H + H.T) / 2)
    # exactly D + 1 = 3 flat directions, every other direction curved upward
    assert np.sum(np.abs(evals) < 1e-7) == 3
    assert evals.min() > -1e-7 and np.sort(evals)[3] > 1e-3


# ======================================================================
# Chapter 11: training on real data
# ======================================================================


@pytest.fixture(scope="module")
def digits():
    return load_digits_split(test_fraction=0.25, seed=0)


def test_book_softmax_regression_matches_sklearn_on_principal_components(digits):
    """The chapter's claim: relative difference of the final training losses below 1e-8."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import log_loss

    X_train, _, y_train, _ = digits
    V = principal_components(X_train, 10)
    F = (X_train - X_train.mean(axis=0)) @ V.T
    with threadpool_limits(1):
        params, result = fit_softmax_regression_lbfgs(F, y_train, 10, gtol=1e-10)
        clf = LogisticRegression(C=np.inf, tol=1e-10, max_iter=10_000).fit(F, y_train)
    # a finite minimum: zero gradient at moderate weights, and the classes overlap
    assert np.abs(result.jac).max() < 1e-8
    assert np.abs(result.x).max() < 50
    assert accuracy(softmax_regression_logits(params, F), y_train) < 1
    sk_loss = log_loss(y_train, clf.predict_proba(F))
    assert abs(result.fun - sk_loss) / sk_loss < 1e-8
    # weights agree once the shift shared by all classes is removed
    centred = lambda W: W - W.mean(axis=0)
    assert np.abs(centred(params["W"]) - centred(clf.coef_)).max() < 1e-3


def test_the_full_pixel_training_set_is_separable(digits):
    X_train, _, y_train, _ = digits
    with threadpool_limits(1):
        params, result = fit_softmax_regression_lbfgs(X_train, y_train, 10, max_iter=200)
    assert accuracy(softmax_regression_logits(params, X_train), y_train) == 1.0
    losses = [softmax_regression_loss_grad({k: s * v for k, v in params.items()}, X_train, y_train)[0]
              for s in (0.125, 0.25, 0.5, 1.0)]
    assert all(a > b > 0 for a, b in zip(losses, losses[1:]))
    assert losses[-1] < 1e-6


def test_step_one_over_beta_bounds_the_curvature_and_descends(digits):
    # the Hessian of a small softmax regression never exceeds beta = lambda_max(X~^T X~ / N) / 2
    X, y = toy_blobs(n_per_class=8, seed=2)
    Xt = np.hstack([X, np.ones((len(X), 1))])
    beta = 0.5 * np.linalg.eigvalsh(Xt.T @ Xt / len(X)).max()
    like = softmax_regression_init(2, 3)
    grad = lambda th: pack(softmax_regression_loss_grad(unpack(th, like), X, y)[1])
    for seed in range(3):
        theta = np.random.default_rng(seed).standard_normal(9) * 0.3
        H = numerical_jacobian(grad, theta)
        assert np.linalg.eigvalsh((H + H.T) / 2).max() <= beta + 1e-6
    # and on the digits, the step 1/beta decreases the loss at every step
    X_train, _, y_train, _ = digits
    Xt = np.hstack([X_train, np.ones((len(X_train), 1))])
    beta = 0.5 * np.linalg.eigvalsh(Xt.T @ Xt / len(X_train)).max()
    with threadpool_limits(1):
        _, history = gradient_descent(
            lambda P: softmax_regression_loss_grad(P, X_train, y_train),
            softmax_regression_init(64, 10), lr=1 / beta, steps=100,
        )
    assert np.all(np.diff(history["loss"]) < 0)


def test_both_models_learn_the_digits(digits):
    X_train, X_test, y_train, y_test = digits
    with threadpool_limits(1):
        sr, _ = gradient_descent(lambda P: softmax_regression_loss_grad(P, X_train, y_train),
                                 softmax_regression_init(64, 10), lr=0.27, steps=150)
        nn, history = gradient_descent(lambda P: hidden_layer_loss_grad(P, X_train, y_train),
                                       hidden_layer_init(64, 32, 10, seed=0), lr=0.5, steps=150)
    assert accuracy(softmax_regression_logits(sr, X_test), y_test) > 0.9
    assert accuracy(hidden_layer_logits(nn, X_test), y_test) > 0.9
    assert history["loss"][0] > 2 * history["loss"][-1]


def test_the_first_descent_step_moves_each_class_toward_its_points():
    # At W = 0, p = 1/3 everywhere, so dW = (1/N) sum_n (1/3 - onehot(y_n)) x_n^T by hand
    X, y = toy_blobs()
    N, lr = len(X), 0.5
    P, _ = gradient_descent(lambda P: softmax_regression_loss_grad(P, X, y),
                            softmax_regression_init(2, 3), lr=lr, steps=1)
    onehot = np.eye(3)[y]
    expected_W = -lr * (1 / 3 - onehot).T @ X / N
    assert np.allclose(P["W"], expected_W)
    for c in range(3):  # each row points toward its class's mean (relative to the overall mean)
        direction = X[y == c].mean(axis=0) - X.mean(axis=0)
        assert P["W"][c] @ direction > 0
