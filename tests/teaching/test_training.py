"""Tests for derivations.teaching.training: data, models, gradients and optimisers.

Expected values come from hand calculations, central finite differences in
float64, numpy's eigen-decomposition, or properties that must hold.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from derivations.gradcheck import numerical_gradient, relative_error
from derivations.teaching.training import (
    accuracy,
    evaluate,
    fit_softmax_regression_lbfgs,
    gradient_descent,
    hidden_layer_forward,
    hidden_layer_init,
    hidden_layer_logits,
    hidden_layer_loss_grad,
    load_digits_split,
    make_monitor,
    pack,
    principal_components,
    softmax_regression_init,
    softmax_regression_logits,
    softmax_regression_loss_grad,
    standardize,
    toy_blobs,
    train_test_split,
    unpack,
)


def _fd_grads(loss_grad, params):
    """Central differences of the loss with respect to every parameter array."""
    out = {}
    for key in params:
        def f(v, key=key):
            return loss_grad({**params, key: v})[0]
        out[key] = numerical_gradient(f, params[key])
    return out


def _ce_by_hand(z, y):
    """Mean cross-entropy written out with a plain log-sum-exp loop."""
    total = 0.0
    for row, label in zip(z, y):
        m = max(row)
        total += m + np.log(sum(np.exp(v - m) for v in row)) - row[label]
    return total / len(y)


# ---------------------------------------------------------------- toy_blobs


def test_toy_blobs_shapes_and_types():
    X, y = toy_blobs(n_per_class=7, C=4, seed=2)
    assert X.shape == (28, 2) and X.dtype == np.float64
    assert y.shape == (28,) and y.dtype == np.int64
    assert np.bincount(y).tolist() == [7, 7, 7, 7]


def test_toy_blobs_is_deterministic_and_seeded():
    a, b = toy_blobs(seed=5), toy_blobs(seed=5)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert not np.allclose(toy_blobs(seed=5)[0], toy_blobs(seed=6)[0])


def test_toy_blobs_does_not_touch_global_random_state():
    np.random.seed(123)
    before = np.random.random()
    np.random.seed(123)
    toy_blobs()
    assert np.random.random() == before


def test_toy_blobs_centres_lie_on_the_circle():
    # with 4000 points per class the class means are within ~0.05 of the centres
    X, y = toy_blobs(n_per_class=4000, C=3, seed=0)
    for c in range(3):
        angle = 2 * np.pi * c / 3
        centre = 2 * np.array([np.cos(angle), np.sin(angle)])
        assert np.linalg.norm(X[y == c].mean(axis=0) - centre) < 0.06
        assert np.allclose(X[y == c].std(axis=0), 1.0, atol=0.05)


def test_toy_blobs_classes_overlap_a_little():
    # Some points lie nearer another class's centre, but most do not.
    X, y = toy_blobs()
    angles = 2 * np.pi * np.arange(3) / 3
    centres = 2 * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    nearest = np.argmin(((X[:, None, :] - centres[None]) ** 2).sum(-1), axis=1)
    wrong = np.mean(nearest != y)
    assert 0.0 < wrong < 0.15


@pytest.mark.parametrize(
    "kwargs, err",
    [
        ({"n_per_class": 0}, ValueError),
        ({"C": 1}, ValueError),
        ({"seed": -1}, ValueError),
        ({"n_per_class": 2.5}, TypeError),
        ({"C": True}, TypeError),
    ],
)
def test_toy_blobs_rejects_bad_arguments(kwargs, err):
    with pytest.raises(err):
        toy_blobs(**kwargs)


# ---------------------------------------------------------------- data


def test_train_test_split_is_a_seeded_partition():
    X = np.arange(40.0).reshape(20, 2)
    y = np.arange(20)
    Xa, Xb, ya, yb = train_test_split(X, y, 0.25, seed=1)
    assert len(ya) == 15 and len(yb) == 5
    assert sorted(np.concatenate([ya, yb]).tolist()) == list(range(20))
    # rows stay with their labels
    assert np.array_equal(Xa[:, 0], 2 * ya) and np.array_equal(Xb[:, 0], 2 * yb)
    again = train_test_split(X, y, 0.25, seed=1)
    assert np.array_equal(again[2], ya)
    assert not np.array_equal(train_test_split(X, y, 0.25, seed=2)[2], ya)


@pytest.mark.parametrize("frac", [0.0, 1.0, -0.1, 1.5])
def test_train_test_split_rejects_bad_fractions(frac):
    with pytest.raises(ValueError, match="test_fraction"):
        train_test_split(np.zeros((4, 1)), np.zeros(4, dtype=int), frac)


def test_train_test_split_rejects_mismatched_labels():
    with pytest.raises(ValueError, match="shape"):
        train_test_split(np.zeros((4, 1)), np.zeros(3, dtype=int))
    with pytest.raises(TypeError, match="integer"):
        train_test_split(np.zeros((4, 1)), np.zeros(4))


def test_standardize_by_hand():
    X_train = np.array([[0.0, 2.0, 7.0], [4.0, 2.0, 7.0], [2.0, 2.0, 7.0]])
    X_test = np.array([[6.0, 3.0, 7.0]])
    Xs, Xt, mean, scale = standardize(X_train, X_test)
    sd = np.sqrt(8 / 3)  # population deviation of 0, 4, 2
    assert np.allclose(mean, [2.0, 2.0, 7.0])
    assert np.allclose(scale, [sd, 1.0, 1.0])  # constant features keep scale 1
    assert np.allclose(Xs[:, 0], [-2 / sd, 2 / sd, 0.0])
    assert np.allclose(Xt, [[4 / sd, 1.0, 0.0]])  # training statistics, not the test's
    assert np.isfinite(Xs).all()


def test_standardize_rejects_nan_and_mismatch():
    with pytest.raises(ValueError, match="NaN"):
        standardize(np.array([[np.nan, 1.0]]))
    with pytest.raises(ValueError, match="features"):
        standardize(np.zeros((2, 2)), np.zeros((1, 3)))
    with pytest.raises(ValueError, match=r"\(N, D\)"):
        standardize(np.zeros(3))


def test_load_digits_split():
    Xa, Xb, ya, yb = load_digits_split(test_fraction=0.25, seed=0)
    assert Xa.shape[1] == Xb.shape[1] == 64
    assert len(ya) + len(yb) == 1797
    assert Xa.dtype == np.float64 and ya.dtype == np.int64
    assert set(ya.tolist()) == set(range(10))
    assert np.allclose(Xa.mean(axis=0), 0, atol=1e-12)
    sd = Xa.std(axis=0)
    assert np.all(np.isclose(sd, 1) | np.isclose(sd, 0))
    assert np.isfinite(Xb).all()


def test_principal_components_match_the_covariance_eigenvectors():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((200, 5)) @ rng.standard_normal((5, 5))
    V = principal_components(X, 3)
    assert np.allclose(V @ V.T, np.eye(3))
    evals, evecs = np.linalg.eigh(np.cov(X.T))
    top = evecs[:, ::-1][:, :3].T
    # equal up to the sign of each direction
    assert np.allclose(np.abs(np.sum(V * top, axis=1)), 1.0)
    with pytest.raises(ValueError, match="at most"):
        principal_components(X, 6)


def test_accuracy_by_hand():
    z = np.array([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7], [0.6, 0.4]])
    assert accuracy(z, np.array([1, 0, 0, 0])) == 0.75
    with pytest.raises(ValueError):
        accuracy(z, np.array([1, 0]))


# ---------------------------------------------------------------- softmax regression


def _small_problem(seed=0, N=6, D=4, C=3):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N, D))
    y = rng.integers(0, C, N)
    params = {"W": rng.standard_normal((C, D)), "b": rng.standard_normal(C)}
    return X, y, params


def test_softmax_regression_loss_by_hand():
    X, y, params = _small_problem()
    z = X @ params["W"].T + params["b"]
    loss, _ = softmax_regression_loss_grad(params, X, y)
    assert loss == pytest.approx(_ce_by_hand(z, y), rel=1e-12)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_softmax_regression_grad_matches_finite_differences(seed):
    X, y, params = _small_problem(seed)
    fg = lambda P: softmax_regression_loss_grad(P, X, y)
    _, grads = fg(params)
    fd = _fd_grads(fg, params)
    for key in params:
        assert relative_error(grads[key], fd[key]) < 1e-7


def test_softmax_regression_grad_with_soft_targets_that_do_not_sum_to_one():
    X, _, params = _small_problem(3)
    t = np.random.default_rng(9).uniform(0, 2, (6, 3))
    fg = lambda P: softmax_regression_loss_grad(P, X, t)
    _, grads = fg(params)
    fd = _fd_grads(fg, params)
    for key in params:
        assert relative_error(grads[key], fd[key]) < 1e-7


def test_softmax_regression_rejects_bad_params():
    X, y, params = _small_problem()
    with pytest.raises(ValueError, match="features"):
        softmax_regression_loss_grad(params, X[:, :3], y)
    with pytest.raises(ValueError, match="'b'"):
        softmax_regression_logits({"W": params["W"], "b": np.zeros(5)}, X)
    with pytest.raises(ValueError, match="NaN"):
        softmax_regression_logits({"W": params["W"] * np.nan, "b": params["b"]}, X)
    with pytest.raises(ValueError, match="missing"):
        softmax_regression_logits({"W": params["W"]}, X)


# ---------------------------------------------------------------- hidden layer


def test_hidden_layer_forward_by_hand():
    params = {
        "W1": np.array([[1.0, 0.0], [1.0, 1.0]]),
        "b1": np.array([0.0, -1.0]),
        "W2": np.array([[2.0, 0.0], [0.0, -1.0]]),
        "b2": np.array([0.5, 0.0]),
    }
    z, a = hidden_layer_forward(params, np.array([[0.5, 1.0]]))
    a_hand = np.tanh([0.5, 0.5])
    assert np.allclose(a, [a_hand])
    assert np.allclose(z, [[2 * a_hand[0] + 0.5, -a_hand[1]]])
    assert np.array_equal(hidden_layer_logits(params, np.array([[0.5, 1.0]])), z)


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("soft", [False, True])
def test_hidden_layer_grads_match_finite_differences(seed, soft):
    rng = np.random.default_rng(seed)
    N, D, H, C = 5, 3, 4, 3
    X = rng.standard_normal((N, D))
    t = rng.uniform(0, 1.5, (N, C)) if soft else rng.integers(0, C, N)
    params = hidden_layer_init(D, H, C, seed=seed)
    params["b1"] = rng.standard_normal(H) * 0.5  # away from the symmetric start
    params["b2"] = rng.standard_normal(C) * 0.5
    fg = lambda P: hidden_layer_loss_grad(P, X, t)
    _, grads = fg(params)
    fd = _fd_grads(fg, params)
    for key in params:
        assert grads[key].shape == params[key].shape
        assert relative_error(grads[key], fd[key]) < 1e-7, key


def test_hidden_layer_init_is_seeded_and_scaled():
    a, b = hidden_layer_init(400, 300, 10, seed=4), hidden_layer_init(400, 300, 10, seed=4)
    assert all(np.array_equal(a[k], b[k]) for k in a)
    assert a["W1"].std() == pytest.approx(1 / np.sqrt(400), rel=0.02)
    assert a["W2"].std() == pytest.approx(1 / np.sqrt(300), rel=0.05)
    assert not a["b1"].any() and not a["b2"].any()


def test_hidden_layer_rejects_bad_shapes():
    params = hidden_layer_init(3, 4, 2)
    with pytest.raises(ValueError, match="features"):
        hidden_layer_forward(params, np.zeros((2, 5)))
    with pytest.raises(ValueError, match="'b2'"):
        hidden_layer_forward({**params, "b2": np.zeros(3)}, np.zeros((2, 3)))
    with pytest.raises(TypeError, match="float"):
        hidden_layer_forward({**params, "W2": np.zeros((2, 4), dtype=int)}, np.zeros((2, 3)))


# ---------------------------------------------------------------- optimisers


def test_gradient_descent_on_a_quadratic_by_hand():
    # f(w) = 0.5 w^T A w - c^T w has its minimum at A^{-1} c
    A = np.array([[3.0, 1.0], [1.0, 2.0]])
    c = np.array([1.0, -1.0])
    fg = lambda P: (float(0.5 * P["w"] @ A @ P["w"] - c @ P["w"]), {"w": A @ P["w"] - c})
    start = {"w": np.zeros(2)}
    params, history = gradient_descent(fg, start, lr=0.2, steps=200)
    assert np.allclose(params["w"], np.linalg.solve(A, c), atol=1e-10)
    assert not start["w"].any()  # the starting point is not modified
    assert len(history["loss"]) == 201
    assert np.all(np.diff(history["loss"]) <= 1e-15)


def test_gradient_descent_records_the_monitor():
    X, y = toy_blobs(n_per_class=10)
    monitor = make_monitor(softmax_regression_logits, train=(X, y))
    _, history = gradient_descent(
        lambda P: softmax_regression_loss_grad(P, X, y),
        softmax_regression_init(2, 3), lr=0.5, steps=25, monitor=monitor, every=10,
    )
    assert history["step"].tolist() == [0, 10, 20, 25]
    assert history["train loss"][0] == pytest.approx(np.log(3))
    # the monitor's loss is the optimiser's loss at the same step
    assert np.allclose(history["train loss"], history["loss"][[0, 10, 20, 25]])
    assert history["train accuracy"][-1] > 0.8


def test_gradient_descent_reports_divergence():
    fg = lambda P: (float(P["w"][0] ** 2), {"w": 2 * P["w"]})
    # f = exp(w^2) with a step far too large: w explodes and exp overflows to inf
    explode = lambda P: (float(np.exp(P["w"][0] ** 2)), {"w": 2 * P["w"] * np.exp(P["w"] ** 2)})
    with np.errstate(over="ignore"), pytest.raises(ValueError, match="lr"):
        gradient_descent(explode, {"w": np.array([1.0])}, lr=10.0, steps=10)
    with pytest.raises(ValueError, match="lr"):
        gradient_descent(fg, {"w": np.array([1.0])}, lr=0.0, steps=3)


def test_softmax_regression_descent_decreases_the_loss_on_digits():
    X_train, X_test, y_train, y_test = load_digits_split()
    params, history = gradient_descent(
        lambda P: softmax_regression_loss_grad(P, X_train, y_train),
        softmax_regression_init(64, 10), lr=0.5, steps=60,
    )
    assert history["loss"][0] == pytest.approx(np.log(10))
    assert np.all(np.diff(history["loss"]) < 0)
    assert evaluate(softmax_regression_logits, params, X_test, y_test)[1] > 0.9


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 3), st.integers(1, 3)), min_size=1, max_size=4))
def test_pack_unpack_round_trip(shapes):
    rng = np.random.default_rng(len(shapes))
    params = {f"p{i}": rng.standard_normal(s) for i, s in enumerate(shapes)}
    back = unpack(pack(params), params)
    assert list(back) == list(params)
    assert all(np.array_equal(back[k], params[k]) for k in params)


def test_unpack_rejects_the_wrong_length():
    with pytest.raises(ValueError, match="length 3"):
        unpack(np.zeros(4), {"W": np.zeros((1, 2)), "b": np.zeros(1)})


def test_lbfgs_reaches_a_stationary_point_with_a_finite_optimum():
    X, y = toy_blobs(n_per_class=30, seed=1)  # overlapping classes: a finite optimum exists
    params, result = fit_softmax_regression_lbfgs(X, y, 3)
    _, grads = softmax_regression_loss_grad(params, X, y)
    assert np.abs(pack(grads)).max() < 1e-8
    # a stationary point of a convex function is a minimum: no nearby point is lower
    rng = np.random.default_rng(0)
    for _ in range(5):
        nudged = unpack(result.x + 1e-3 * rng.standard_normal(result.x.size), params)
        assert softmax_regression_loss_grad(nudged, X, y)[0] >= result.fun


def test_lbfgs_rejects_labels_beyond_C():
    with pytest.raises(ValueError, match="out of range"):
        fit_softmax_regression_lbfgs(np.zeros((3, 1)), np.array([0, 1, 3]), 3)
