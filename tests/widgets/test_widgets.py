"""The explorers' Python side: inputs, outputs and what is synced to the page.

Expected values come from hand calculations, from formulas written out here
independently of the package, and from central finite differences in float64.
"""

import json

import numpy as np
import pytest
import traitlets
from hypothesis import given, settings
from hypothesis import strategies as st

from derivations import numerical_gradient, relative_error
from derivations.teaching.training import toy_blobs
from derivations.widgets import DescentExplorer, JacobianExplorer, LogitsExplorer, ToyNetworkExplorer


def _softmax_by_hand(v):
    e = np.exp(v - np.max(v))
    return e / e.sum()


def _loss_by_hand(z, t, T):
    """-sum t log softmax(z / T), written out with nothing from the package."""
    zT = np.asarray(z, dtype=np.float64) / T
    m = zT.max()
    logp = zT - m - np.log(np.sum(np.exp(zT - m)))
    return float(-np.sum(t * logp))


# ---------------------------------------------------------------- LogitsExplorer


def test_logits_hand_values():
    # z = [0, log 3]: p = [1/4, 3/4]; one-hot on class 1; L = -log(3/4)
    ex = LogitsExplorer(z=[0.0, np.log(3.0)], target=1)
    np.testing.assert_allclose(ex.p, [0.25, 0.75], rtol=1e-15)
    np.testing.assert_allclose(ex.grad, [0.25, -0.25], rtol=1e-15)
    np.testing.assert_allclose(ex.diag_grad, [0.0, -0.25], rtol=1e-15)
    assert ex.loss == pytest.approx(np.log(4 / 3), rel=1e-14)


def test_diagonal_only_is_the_askers_formula_and_is_wrong():
    z = np.array([1.5, -0.3, 0.2, 0.9])
    ex = LogitsExplorer(z=z, target=2)
    p = _softmax_by_hand(z)
    t = np.eye(4)[2]
    # (-t_j / p_j) * p_j (1 - p_j), term by term as the asker wrote it
    np.testing.assert_allclose(ex.diag_grad, (-t / p) * p * (1 - p), rtol=1e-14, atol=1e-300)
    assert np.all(ex.diag_grad[t == 0] == 0)  # it never pushes a wrong class
    true = numerical_gradient(lambda v: _loss_by_hand(v, t, 1.0), z)
    assert relative_error(ex.grad, true) < 1e-8
    assert relative_error(ex.diag_grad, true) > 0.1


@pytest.mark.parametrize("T", [0.1, 0.37, 1.0, 2.5, 5.0])
@pytest.mark.parametrize("eps", [0.0, 0.1, 1.0])
def test_logits_grad_matches_finite_differences_with_temperature_and_smoothing(T, eps):
    z = np.array([0.7, -1.2, 2.1, 0.05, -0.4])
    ex = LogitsExplorer(z=z, target=3, temperature=T, label_smoothing=eps)
    t = (1 - eps) * np.eye(5)[3] + eps / 5
    np.testing.assert_allclose(ex.t, t, rtol=1e-15)
    np.testing.assert_allclose(ex.p, _softmax_by_hand(z / T), rtol=1e-13)
    assert ex.loss == pytest.approx(_loss_by_hand(z, t, T), rel=1e-12)
    numeric = numerical_gradient(lambda v: _loss_by_hand(v, t, T), z, eps=1e-6)
    # the gradient is with respect to z, so it carries the 1/T of z / T
    assert relative_error(ex.grad, numeric) < 1e-7
    np.testing.assert_allclose(ex.diag_grad, -t * (1 - ex.p) / T, rtol=1e-14)


def test_soft_target_that_does_not_sum_to_one():
    z = np.array([0.3, 1.1, -0.8])
    t = np.array([0.5, 0.9, 0.0])  # sums to 1.4
    ex = LogitsExplorer(z=z, target=t, temperature=2.0)
    assert ex.soft and ex.soft_target == [0.5, 0.9, 0.0]
    p = _softmax_by_hand(z / 2)
    np.testing.assert_allclose(ex.grad, (p * 1.4 - t) / 2, rtol=1e-13)
    numeric = numerical_gradient(lambda v: _loss_by_hand(v, t, 2.0), z)
    assert relative_error(ex.grad, numeric) < 1e-7


@settings(max_examples=60, deadline=None)
@given(
    z=st.lists(st.floats(-10, 10), min_size=2, max_size=10),
    T=st.floats(0.1, 5.0),
    eps=st.floats(0.0, 1.0),
    data=st.data(),
)
def test_logits_properties(z, T, eps, data):
    C = len(z)
    target = data.draw(st.integers(0, C - 1))
    ex = LogitsExplorer(z=z, target=target, temperature=T, label_smoothing=eps)
    assert ex.p.sum() == pytest.approx(1.0, abs=1e-12)
    assert ex.t.sum() == pytest.approx(1.0, abs=1e-12)
    # softmax is unchanged by adding a constant to every logit, so the
    # gradient has no component along (1, ..., 1)
    assert abs(ex.grad.sum()) < 1e-12 / T + 1e-15
    assert ex.loss >= -1e-12
    assert np.all(ex.diag_grad <= 0)


def test_changing_C_keeps_logits_and_clamps_the_target():
    ex = LogitsExplorer(z=[1.0, 2.0, 3.0], target=2)
    ex.C = 5
    assert ex.z == [1.0, 2.0, 3.0, 0.0, 0.0]
    assert ex.soft_target == [0.0, 0.0, 1.0, 0.0, 0.0]
    ex.C = 2
    assert ex.z == [1.0, 2.0] and ex.target == 1 and len(ex.soft_target) == 2
    ex.z = [0.0] * 4  # a new length through z itself does the same
    assert ex.C == 4 and len(ex.soft_target) == 4


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"z": [1.0]}, ValueError, "at least 2"),
        ({"z": np.zeros(11)}, ValueError, "at most 10"),
        ({"z": [0.0, np.nan]}, ValueError, "finite"),
        ({"z": [0.0, 10.5]}, ValueError, "at most 10"),
        ({"z": ["a", "b"]}, TypeError, "real numbers"),
        ({"z": [[0.0, 1.0]]}, ValueError, "one-dimensional"),
        ({"target": 3}, ValueError, "0..2"),
        ({"target": -1}, ValueError, "0..2"),
        ({"target": True}, ValueError, "soft target"),
        ({"target": [0.2, 0.8]}, ValueError, "shape (3,)"),
        ({"target": [0.2, -0.1, 0.9]}, ValueError, "at least 0"),
        ({"target": [0.2, 1.5, 0.9]}, ValueError, "at most 1"),
        ({"temperature": 0.0}, ValueError, "temperature"),
        ({"temperature": -1.0}, ValueError, "temperature"),
        ({"temperature": float("nan")}, ValueError, "finite"),
        ({"temperature": "hot"}, TypeError, "real number"),
        ({"label_smoothing": 1.5}, ValueError, "at most 1"),
        ({"label_smoothing": -0.1}, ValueError, "at least 0"),
    ],
)
def test_logits_bad_input_raises(kwargs, error, words):
    args = {"z": [1.0, 2.0, 3.0], "target": 0, **kwargs}
    with pytest.raises(error, match=words.replace("(", r"\(").replace(")", r"\)")):
        LogitsExplorer(**args)


@pytest.mark.parametrize(
    "name, value, error",
    [
        ("target", 7, ValueError),
        ("soft_target", [0.5, 0.5], ValueError),
        ("temperature", 6.0, ValueError),
        ("label_smoothing", True, TypeError),
        ("z", [0.0, float("inf"), 1.0], ValueError),
    ],
)
def test_logits_bad_trait_assignment_raises_and_keeps_state(name, value, error):
    ex = LogitsExplorer(z=[1.0, 2.0, 3.0], target=0)
    before = ex.synced_state()
    with pytest.raises(error):
        setattr(ex, name, value)
    assert ex.synced_state() == before


@pytest.mark.parametrize("bad", [1, 11, True, 2.5])
def test_logits_bad_C(bad):
    ex = LogitsExplorer()
    with pytest.raises((ValueError, TypeError), match="C must"):
        ex.C = bad


def test_logits_synced_state_is_the_pages_input():
    ex = LogitsExplorer(z=np.array([0.5, -1.0, 2.0]), target=1, temperature=0.5, label_smoothing=0.2)
    state = ex.synced_state()
    assert set(state) == {"z", "target", "soft", "soft_target", "temperature", "label_smoothing", "limits", "language"}
    # plain JSON: numpy scalars would not survive the trip to the browser
    assert json.loads(json.dumps(state)) == state
    assert state["z"] == [0.5, -1.0, 2.0] and all(type(v) is float for v in state["z"])
    assert state == {
        "z": [0.5, -1.0, 2.0], "target": 1, "soft": False, "soft_target": [0.0, 1.0, 0.0],
        "temperature": 0.5, "label_smoothing": 0.2,
        # the ranges the docstring gives, for the page's controls
        "limits": {"C_MIN": 2, "C_MAX": 10, "Z_LIMIT": 10.0, "T_MIN": 0.1, "T_MAX": 5.0},
        # DERIVATIONS_LANGUAGE is unset here (conftest.py): English
        "language": "en",
    }
    full = ex.get_state()
    assert "export default" in full["_esm"] and "function softmax" in full["_esm"]
    # the ranges come from the limits trait, not from a copy in the ES module
    for name in ["C_MIN", "C_MAX", "Z_LIMIT", "T_MIN", "T_MAX"]:
        assert f"const {name}" not in full["_esm"]
    assert ".dx-explorer" in full["_css"]


def test_logits_accepts_what_the_page_sends():
    # the page changes C by sending the resized z, target and soft_target
    # together, as one message, with JSON numbers (ints where the value is whole)
    ex = LogitsExplorer(z=[1.0, 2.0, 3.0], target=2)
    ex.set_state({"target": 1, "soft_target": [1, 0], "z": [1, 2]})
    assert ex.z == [1.0, 2.0] and ex.target == 1 and ex.soft_target == [1.0, 0.0]
    ex.set_state({"soft": True, "soft_target": [0.25, 0.5]})
    np.testing.assert_allclose(ex.grad, _softmax_by_hand(np.array([1.0, 2.0])) * 0.75 - [0.25, 0.5])
    with pytest.raises(ValueError, match="at least 2"):
        ex.set_state({"z": [1]})
    assert ex.z == [1.0, 2.0]


# -------------------------------------------------------------- JacobianExplorer


def test_jacobian_matches_finite_differences_and_rows_sum_to_zero():
    z = np.array([1.2, -0.4, 0.3, 2.0, -1.5])
    ex = JacobianExplorer(z=z)
    numeric = np.stack([numerical_gradient(lambda v, i=i: _softmax_by_hand(v)[i], z) for i in range(5)])
    assert relative_error(ex.jacobian, numeric) < 1e-8
    np.testing.assert_allclose(ex.row_sums, 0.0, atol=1e-15)
    np.testing.assert_allclose(ex.jacobian, ex.jacobian.T, atol=0)
    p = _softmax_by_hand(z)
    np.testing.assert_allclose(np.diag(ex.jacobian), p * (1 - p), rtol=1e-13)
    np.testing.assert_allclose(ex.p, p, rtol=1e-14)


def test_jacobian_C_and_bad_input():
    ex = JacobianExplorer(z=[0.0, 0.0])
    np.testing.assert_array_equal(ex.jacobian, [[0.25, -0.25], [-0.25, 0.25]])
    ex.C = 4
    assert ex.z == [0.0, 0.0, 0.0, 0.0]
    np.testing.assert_allclose(np.diag(ex.jacobian), 3 / 16)
    assert ex.synced_state() == {"z": [0.0] * 4, "limits": {"C_MIN": 2, "C_MAX": 10, "Z_LIMIT": 10.0}, "language": "en"}
    for bad, error in [([0.0], ValueError), ([0.0, np.inf], ValueError), ([0.0, -11.0], ValueError)]:
        with pytest.raises(error):
            ex.z = bad
    with pytest.raises(ValueError, match="C must"):
        ex.C = 12


# ------------------------------------------------------------ ToyNetworkExplorer


def _toy_loss(h, w, t):
    y = np.asarray(w).T @ np.asarray(h)
    return _loss_by_hand(y, np.asarray(t), 1.0)


@pytest.mark.parametrize("t", [[1.0, 0.0], [0.0, 1.0], [0.3, 0.7], [0.6, 0.9]])
def test_toy_network_gradients_by_finite_differences(t):
    h = np.array([0.8, -1.3, 0.4])
    w = np.array([[0.5, -0.2], [1.1, 0.3], [-0.7, 0.9]])
    ex = ToyNetworkExplorer(h=h, w=w, t=t)
    t = np.array(t)
    num_w = numerical_gradient(lambda v: _toy_loss(h, v, t), w)
    assert relative_error(ex.grad_w, num_w) < 1e-8
    num_h = numerical_gradient(lambda v: _toy_loss(v, w, t), h)
    assert relative_error(ex.dL_dh, num_h) < 1e-8
    y = w.T @ h
    num_y = numerical_gradient(lambda v: _loss_by_hand(v, t, 1.0), y)
    assert relative_error(ex.dL_dy, num_y) < 1e-8
    o = _softmax_by_hand(y)
    # L as a function of o alone: -sum t log o
    num_o = numerical_gradient(lambda v: float(-np.sum(t * np.log(v))), o, eps=1e-8)
    assert relative_error(ex.dL_do, num_o) < 1e-6
    assert ex.loss == pytest.approx(_toy_loss(h, w, t), rel=1e-13)


def test_toy_network_two_paths_to_w21():
    h = np.array([0.8, -1.3, 0.4])
    w = np.array([[0.5, -0.2], [1.1, 0.3], [-0.7, 0.9]])
    t = np.array([0.3, 0.7])
    ex = ToyNetworkExplorer(h=h, w=w, t=t)
    o = _softmax_by_hand(w.T @ h)
    path1, path2 = ex.paths_w21
    # by hand: (-t1/o1) o1 (1 - o1) h2 and (-t2/o2)(-o2 o1) h2
    assert path1 == pytest.approx(-t[0] * (1 - o[0]) * h[1], rel=1e-13)
    assert path2 == pytest.approx(t[1] * o[0] * h[1], rel=1e-13)
    closed = h[1] * (o[0] * (t[0] + t[1]) - t[0])
    assert path1 + path2 == pytest.approx(closed, rel=1e-12)
    assert ex.grad_w[1, 0] == pytest.approx(closed, rel=1e-12)
    # the diagonal-only derivation keeps the first path alone
    assert ex.diag_grad_w[1, 0] == pytest.approx(path1, rel=1e-13)
    np.testing.assert_allclose(ex.diag_grad_w, -np.outer(h, t * (1 - o)), rtol=1e-13)
    # what each y -> o edge carries back, summed over o, is dL/dy
    np.testing.assert_allclose(ex.edge_messages.sum(axis=0), ex.dL_dy, rtol=1e-12, atol=1e-15)


def test_toy_network_synced_state_and_bad_input():
    ex = ToyNetworkExplorer()
    state = ex.synced_state()
    assert set(state) == {"h", "w", "t", "limits", "language"}
    assert state["limits"] == {"HW_LIMIT": 5.0}
    assert json.loads(json.dumps(state)) == state
    assert np.array(state["w"]).shape == (3, 2)
    for name, bad, error in [
        ("h", [1.0, 2.0], ValueError),
        ("h", [1.0, 2.0, 6.0], ValueError),
        ("w", np.zeros((2, 3)), ValueError),
        ("w", [[0.0, 0.0], [0.0, np.nan], [0.0, 0.0]], ValueError),
        ("t", [-0.1, 1.0], ValueError),
        ("t", [0.5, 1.2], ValueError),
        ("t", [True, False], TypeError),
    ]:
        with pytest.raises(error):
            setattr(ex, name, bad)
    assert ex.synced_state() == state


# ---------------------------------------------------------------- DescentExplorer


def _mean_ce(W, b, X, y):
    z = X @ W.T + b
    m = z.max(axis=1, keepdims=True)
    logp = z - m - np.log(np.exp(z - m).sum(axis=1, keepdims=True))
    return float(-np.mean(logp[np.arange(len(y)), y]))


def test_descent_uses_toy_blobs_and_starts_uniform():
    ex = DescentExplorer()
    X, y = toy_blobs()
    np.testing.assert_array_equal(ex.X, X)
    np.testing.assert_array_equal(ex.y, y)
    assert ex.C == 3 and ex.steps == 0
    assert ex.loss == pytest.approx(np.log(3), rel=1e-14)  # W = 0, b = 0
    assert ex.loss_history == [pytest.approx(np.log(3), rel=1e-14)]


def test_descent_gradients_by_finite_differences():
    ex = DescentExplorer(lr=0.3)
    ex.step(3)  # away from the symmetric start
    X, y = np.array(ex.X), np.array(ex.y)
    W, b = np.array(ex.W), np.array(ex.b)
    dW, db = ex.gradients()
    assert relative_error(dW, numerical_gradient(lambda v: _mean_ce(v, b, X, y), W)) < 1e-7
    assert relative_error(db, numerical_gradient(lambda v: _mean_ce(W, v, X, y), b)) < 1e-7


def test_descent_step_is_one_gradient_step():
    ex = DescentExplorer(lr=0.7)
    ex.step(2)
    X, y = np.array(ex.X), np.array(ex.y)
    W, b = np.array(ex.W), np.array(ex.b)
    gW = numerical_gradient(lambda v: _mean_ce(v, b, X, y), W)
    gb = numerical_gradient(lambda v: _mean_ce(W, v, X, y), b)
    ex.step()
    assert relative_error(ex.W, W - 0.7 * gW) < 1e-8
    assert relative_error(ex.b, b - 0.7 * gb) < 1e-8
    assert ex.steps == 3
    assert len(ex.loss_history) == 4
    assert ex.loss_history[-1] == pytest.approx(_mean_ce(np.array(ex.W), np.array(ex.b), X, y), rel=1e-13)


def test_descent_steps_reduce_the_loss():
    # the Hessian of the mean cross-entropy in (W, b) is at most
    # (1/2) lambda_max(A^T A / N) with A = [X, 1], because that of softmax
    # cross-entropy in z is diag(p) - p p^T <= I / 2; a step of at most
    # 1 / (that bound) must lower the loss every time (smooth, convex)
    ex = DescentExplorer()
    A = np.hstack([np.array(ex.X), np.ones((len(ex.X), 1))])
    smooth = 0.5 * np.linalg.eigvalsh(A.T @ A / len(A)).max()
    ex.lr = min(5.0, 1.0 / smooth)
    ex.step(50)
    history = np.array(ex.loss_history)
    assert np.all(np.diff(history) < 0)
    assert history[-1] < 0.5 * history[0]
    assert ex.accuracy > 0.8


def test_descent_reset_and_synced_state():
    ex = DescentExplorer()
    ex.step(4)
    state = ex.synced_state()
    assert set(state) == {"X", "y", "W", "b", "lr", "steps", "loss_history", "limits", "language"}
    assert state["limits"] == {"LR_MIN": 0.01, "LR_MAX": 5.0}
    assert json.loads(json.dumps(state)) == state
    ex.reset()
    assert ex.W == [[0.0, 0.0]] * 3 and ex.b == [0.0] * 3 and ex.steps == 0
    assert ex.loss_history == [pytest.approx(np.log(3), rel=1e-14)]


def test_descent_accepts_what_the_page_sends():
    # after stepping in the browser the page sends W, b, steps and the curve
    ex = DescentExplorer()
    ex.set_state({"W": [[1, 0], [0, 1], [-1, -1]], "b": [0, 0.5, 0], "steps": 7, "loss_history": [1.1, 0.9]})
    assert ex.W == [[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0]] and ex.b == [0.0, 0.5, 0.0]
    assert ex.loss == pytest.approx(_mean_ce(np.array(ex.W), np.array(ex.b), np.array(ex.X), np.array(ex.y)))
    with pytest.raises(ValueError, match="shape"):
        ex.set_state({"W": [[1, 0], [0, 1]]})


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"X": np.zeros((4, 3)), "y": np.array([0, 1, 0, 1])}, ValueError, r"shape \(N, 2\)"),
        ({"X": np.zeros((4, 2)), "y": np.array([0, 1, 0])}, ValueError, "one label per row"),
        ({"X": np.zeros((4, 2)), "y": np.array([0, 0, 0, 0])}, ValueError, "2 to 8 classes"),
        ({"X": np.zeros((4, 2)), "y": np.array([0, 1, -1, 1])}, ValueError, "negative label -1"),
        ({"X": np.zeros((4, 2), dtype=bool), "y": np.array([0, 1, 0, 1])}, TypeError, "not booleans"),
        ({"X": np.zeros((4, 2)), "y": np.array([0.0, 1.0, 0.0, 1.0])}, TypeError, "integer class labels"),
        ({"X": np.full((2, 2), np.nan), "y": np.array([0, 1])}, ValueError, "finite"),
        ({"X": np.zeros((1001, 2)), "y": np.arange(1001) % 2}, ValueError, "1000"),
        ({"X": np.zeros((4, 2))}, ValueError, "both X and y"),
        ({"lr": 0.0}, ValueError, "lr"),
        ({"lr": 9.0}, ValueError, "lr"),
    ],
)
def test_descent_bad_input_raises(kwargs, error, words):
    with pytest.raises(error, match=words):
        DescentExplorer(**kwargs)


def test_descent_data_are_fixed_and_step_count_checked():
    ex = DescentExplorer()
    with pytest.raises(traitlets.TraitError, match="read-only"):
        ex.X = [[0.0, 0.0]]
    for bad in [0, -2]:
        with pytest.raises(ValueError, match="at least 1"):
            ex.step(bad)
    for bad in [1.5, True, None]:
        with pytest.raises(TypeError, match="positive integer"):
            ex.step(bad)
    with pytest.raises(ValueError, match="negative"):
        ex.steps = -1


# ------------------------------------------------ refused changes keep the state
#
# traitlets undoes a change of several traits (set_state, what the page calls;
# hold_trait_notifications) only when a check raises a TraitError. After a
# refused change every public value must be what it was, and the state must
# stay strict JSON (no NaN, no infinity), which is what the static site embeds.

OUTPUTS = {
    LogitsExplorer: ["C", "p", "t", "loss", "grad", "diag_grad"],
    JacobianExplorer: ["C", "p", "jacobian", "row_sums"],
    ToyNetworkExplorer: ["y", "o", "loss", "dL_do", "do_dy", "edge_messages", "dL_dy", "grad_w", "dL_dh",
                         "diag_grad_w", "paths_w21"],
    DescentExplorer: ["C", "loss", "accuracy", "diverged", "gradients"],
}
INPUTS = {
    LogitsExplorer: ["z", "target", "soft", "soft_target", "temperature", "label_smoothing"],
    JacobianExplorer: ["z"],
    ToyNetworkExplorer: ["h", "w", "t"],
    DescentExplorer: ["W", "b", "lr", "steps", "loss_history", "X", "y"],
}


def _explorer(cls):
    """An explorer away from its defaults, so that a partial change would show."""
    if cls is LogitsExplorer:
        return LogitsExplorer(z=[1.0, 2.0, 3.0], target=2, temperature=1.5, label_smoothing=0.1)
    if cls is DescentExplorer:
        ex = DescentExplorer(lr=0.4)
        ex.step(3)
        return ex
    return cls()


def _everything(ex):
    """The synced state and every public output, as plain values."""
    out = {"state": ex.synced_state()}
    # anywidget makes each instance's class a subclass of the explorer's
    (names,) = [names for cls, names in OUTPUTS.items() if isinstance(ex, cls)]
    for name in names:
        value = getattr(ex, name)
        out[name] = value() if callable(value) else value
    return out


def _strict_json(ex):
    return json.dumps(ex.get_state(), allow_nan=False)


NAN, INF = float("nan"), float("inf")
W_OK = [[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0]]

REFUSED = [
    # (explorer, change, the argument the message names)
    (LogitsExplorer, {"target": 3}, "target"),
    (LogitsExplorer, {"target": -1}, "target"),
    (LogitsExplorer, {"target": True}, "target"),
    (LogitsExplorer, {"target": 1.0}, "target"),
    # the class the target names no longer exists, though the target is the one held
    (LogitsExplorer, {"z": [1.0, 2.0], "target": 2}, "target"),
    (LogitsExplorer, {"soft": True, "soft_target": [0.5, 0.5]}, "soft_target"),
    (LogitsExplorer, {"z": [0.5, 0.5], "target": 1, "soft_target": [0.2, 0.3, 0.5]}, "soft_target"),
    (LogitsExplorer, {"temperature": 2.0, "z": [0.0, NAN, 1.0]}, "z"),
    (LogitsExplorer, {"label_smoothing": 0.2, "z": [0.0, INF, 1.0]}, "z"),
    (LogitsExplorer, {"z": ["a", "b"]}, "z"),
    (LogitsExplorer, {"z": [[0.0, 1.0], [1.0]]}, "z"),
    (LogitsExplorer, {"label_smoothing": True}, "label_smoothing"),
    (LogitsExplorer, {"temperature": None}, "temperature"),
    (LogitsExplorer, {"temperature": 10**400}, "temperature"),
    (JacobianExplorer, {"z": [0.0]}, "z"),
    (JacobianExplorer, {"z": [0.0, NAN]}, "z"),
    (JacobianExplorer, {"z": [True, False]}, "z"),
    (JacobianExplorer, {"z": "abc"}, "z"),
    (JacobianExplorer, {"z": [0.0, 11.0]}, "z"),
    (ToyNetworkExplorer, {"h": [0.0, 1.0, 2.0], "t": [0.5]}, "t"),
    (ToyNetworkExplorer, {"h": [0.0, 1.0, 2.0], "w": [[0.0, 0.0], [0.0, 0.0], [0.0, NAN]]}, "w"),
    (ToyNetworkExplorer, {"t": [True, False]}, "t"),
    (ToyNetworkExplorer, {"h": [1.0, 2.0, 9.0]}, "h"),
    (ToyNetworkExplorer, {"w": np.zeros((2, 3)).tolist()}, "w"),
    (DescentExplorer, {"W": W_OK, "b": [0.0, 0.5]}, "b"),
    (DescentExplorer, {"W": W_OK, "steps": True}, "steps"),
    (DescentExplorer, {"W": W_OK, "steps": -3}, "steps"),
    (DescentExplorer, {"lr": NAN}, "lr"),
    (DescentExplorer, {"lr": 9.0}, "lr"),
    (DescentExplorer, {"steps": 9, "loss_history": [1.0, NAN]}, "loss_history"),
    (DescentExplorer, {"loss_history": [1.0, -INF]}, "loss_history"),
    (DescentExplorer, {"loss_history": "1.0"}, "loss_history"),
    (DescentExplorer, {"b": [None, 0.0, 0.0]}, "b"),
    # finite parameters whose logits overflow float64 on the data: no loss to show
    (DescentExplorer, {"W": [[1e308, 1e308]] * 3}, "W"),
]


@pytest.mark.parametrize("cls, change, name", REFUSED,
                         ids=[f"{c.__name__}-{n}-{i}" for i, (c, _, n) in enumerate(REFUSED)])
def test_refused_set_state_changes_nothing(cls, change, name):
    ex = _explorer(cls)
    before = _everything(ex)
    with pytest.raises(traitlets.TraitError, match=name) as info:
        ex.set_state(change)
    # the package's own kinds of error too, so `except ValueError` still works
    assert isinstance(info.value, (ValueError, TypeError)), type(info.value)
    np.testing.assert_equal(_everything(ex), before)
    _strict_json(ex)


@pytest.mark.parametrize("cls, change", [
    (LogitsExplorer, {"limits": {"C_MIN": 2, "C_MAX": 99}}),
    (JacobianExplorer, {"z": [0.0, 1.0], "limits": {}}),
    (DescentExplorer, {"limits": {"LR_MIN": 0.0, "LR_MAX": 50.0}}),
])
def test_the_limits_are_not_the_pages_to_send(cls, change):
    # the Python constants the page's controls read: read-only, like the data
    ex = _explorer(cls)
    before = _everything(ex)
    with pytest.raises(traitlets.TraitError, match="limits is read-only"):
        ex.set_state(change)
    np.testing.assert_equal(_everything(ex), before)


def test_refused_value_message_says_what_was_given_and_expected():
    ex = LogitsExplorer(z=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"soft_target must have one entry per class \(3\), got 2: \[0.25, 0.75\]"):
        ex.set_state({"soft_target": [0.25, 0.75]})
    with pytest.raises(TypeError, match="temperature must be a real number, got str 'hot'"):
        ex.temperature = "hot"


def test_the_page_is_sent_what_a_refused_change_kept():
    # the page's model already holds the refused values; it must be told the kept ones
    ex = ToyNetworkExplorer()
    kept = ex.synced_state()
    sent = []
    ex._send = lambda msg, buffers=None: sent.append(msg)
    with pytest.raises(traitlets.TraitError):
        ex.set_state({"h": [0.0, 1.0, 2.0], "t": [0.5]})
    updates = [m for m in sent if m["method"] == "update"]
    assert updates and updates[-1]["state"] == {"h": kept["h"], "t": kept["t"]}


def test_a_held_change_that_does_not_fit_together_is_undone():
    # with notifications held, traitlets checks target against z once both are
    # set; the new z has no class 2, so neither change may stay
    ex = LogitsExplorer(z=[1.0, 2.0, 3.0], target=0)
    before = _everything(ex)
    with pytest.raises(traitlets.TraitError, match="0..1"):
        with ex.hold_trait_notifications():
            ex.target = 2
            ex.z = [1.0, 2.0]
    np.testing.assert_equal(_everything(ex), before)
    # one at a time is fine: fewer classes clamp the target
    ex.target = 2
    ex.z = [1.0, 2.0]
    assert ex.target == 1 and len(ex.soft_target) == 2
    assert ex.loss == pytest.approx(_loss_by_hand([1.0, 2.0], np.array([0.0, 1.0]), 1.0), rel=1e-14)


# ------------------------------------------------------- the data are read-only


def test_descent_data_cannot_be_replaced_by_any_route():
    ex = DescentExplorer()
    X, y = toy_blobs()
    loss = ex.loss
    other_X, other_y = [[0.0, 0.0], [1.0, 1.0]], [0, 1]
    routes = [
        lambda: ex.set_state({"X": other_X}),
        lambda: ex.set_state({"y": other_y}),
        lambda: ex.set_state({"X": other_X, "y": other_y, "W": W_OK}),
        lambda: ex.set_state({"X": X.tolist()}),  # the page never sends the data, not even unchanged
        lambda: ex.set_trait("X", other_X),
        lambda: ex.set_trait("y", np.zeros(len(y), dtype=int)),
        lambda: DescentExplorer.X.set(ex, other_X),
    ]

    def held():
        with ex.hold_trait_notifications():
            ex.set_trait("y", [1 - v for v in y.tolist()])

    routes.append(held)
    for route in routes:
        with pytest.raises(traitlets.TraitError, match="read-only"):
            route()
    with pytest.raises(traitlets.TraitError, match="read-only"):
        ex.X = other_X
    with pytest.raises(TypeError):  # nor in place
        ex.X[0] = (0.0, 0.0)
    np.testing.assert_array_equal(ex.X, X)
    np.testing.assert_array_equal(ex.y, y)
    assert ex.W == [[0.0, 0.0]] * 3 and ex.loss == loss
    # what the page gets: the same data, as JSON arrays
    state = json.loads(_strict_json(ex))
    assert state["X"] == X.tolist() and state["y"] == y.tolist()


# --------------------------------------------------------- a descent that diverges


def test_divergent_descent_keeps_strict_json_and_says_it_diverged():
    X, y = toy_blobs()
    X = X * 1e154
    # by hand: from W = 0, b = 0 (p = 1/3 everywhere) one step gives
    # W1 = -lr * (p - onehot)^T X / N; at lr = 5 the logits X W1^T are past
    # float64's 1.8e308, at lr = 0.01 they are not
    G = (np.full((len(y), 3), 1 / 3) - np.eye(3)[y]) / len(y)
    with np.errstate(over="ignore", invalid="ignore"):
        assert not np.isfinite(X @ (-5.0 * G.T @ X).T).all()
        assert np.isfinite(X @ (-0.01 * G.T @ X).T).all()

    calm = DescentExplorer(X=X, y=y, lr=0.01)
    calm.step(20)
    assert not calm.diverged and None not in calm.loss_history
    _strict_json(calm)

    ex = DescentExplorer(X=X, y=y, lr=5.0)
    ex.step(20)
    state = json.loads(_strict_json(ex))  # no NaN or Infinity in the JSON
    # the overflowing step is counted and its loss is None; no step after it
    assert state["steps"] == 1 and state["loss_history"] == [pytest.approx(np.log(3), rel=1e-14), None]
    assert ex.diverged
    # the parameters stay at their last finite values, so the outputs still work
    assert ex.W == [[0.0, 0.0]] * 3 and ex.b == [0.0] * 3
    assert ex.loss == pytest.approx(np.log(3), rel=1e-14)
    assert all(np.isfinite(g).all() for g in ex.gradients())
    ex.step(5)
    assert ex.steps == 1 and len(ex.loss_history) == 2
    # what the page sends after an overflow (a JSON null) is accepted
    replay = DescentExplorer(X=X, y=y, lr=5.0)
    replay.set_state({"steps": 1, "loss_history": state["loss_history"]})
    assert replay.diverged
    ex.reset()
    assert not ex.diverged and ex.loss_history == [pytest.approx(np.log(3), rel=1e-14)]


@pytest.mark.parametrize("bad", [[1.0, NAN], [INF], [0.5, -1.0], [None, "0.3"], [[1.0]]])
def test_loss_history_holds_finite_losses_or_none(bad):
    ex = DescentExplorer()
    before = ex.loss_history
    with pytest.raises(traitlets.TraitError, match=r"loss_history\[\d\]"):
        ex.loss_history = bad
    assert ex.loss_history == before
    ex.loss_history = [1.25, 0, None]
    assert ex.loss_history == [1.25, 0.0, None] and ex.diverged
    _strict_json(ex)


# ------------------------------------------------------------- junk from the page

_leaf = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(-12, 12),
    st.integers(-3, 12),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.booleans(),
    st.none(),
    st.text(max_size=3),
)
_junk = st.recursive(
    _leaf,
    lambda inner: st.lists(inner, max_size=11) | st.dictionaries(st.text(max_size=2), inner, max_size=2),
    max_leaves=24,
)

def _floats(lo, hi, n_min, n_max):
    return st.lists(st.floats(lo, hi), min_size=n_min, max_size=n_max)


def _shaped(lo, hi, rows, cols):
    """Mostly the shape a trait takes, sometimes one entry more or less."""
    exact = st.lists(_floats(lo, hi, cols, cols), min_size=rows, max_size=rows)
    return st.one_of(exact, exact, st.lists(_floats(lo, hi, cols - 1, cols + 1), min_size=rows - 1, max_size=rows + 1))


# values near what each trait accepts, on both sides of its limits
_near = {
    "z": _floats(-11, 11, 1, 11),
    "target": st.integers(-1, 11),
    "soft": st.one_of(st.booleans(), st.integers(0, 2)),
    "soft_target": _floats(-0.1, 1.1, 1, 11),
    "temperature": st.floats(0, 6),
    "label_smoothing": st.floats(-0.1, 1.1),
    "h": st.one_of(_floats(-6, 6, 3, 3), _floats(-6, 6, 2, 4)),
    "w": _shaped(-6, 6, 3, 2),
    "t": st.one_of(_floats(-0.1, 1.1, 2, 2), _floats(-0.1, 1.1, 1, 3)),
    "W": st.one_of(_shaped(-30, 30, 3, 2), _shaped(-1e308, 1e308, 3, 2)),
    "b": st.one_of(_floats(-30, 30, 3, 3), _floats(-30, 30, 2, 4)),
    "lr": st.floats(0, 6),
    "steps": st.integers(-2, 10**6),
    "loss_history": st.lists(st.one_of(st.floats(0, 5), st.none(), st.floats()), max_size=5),
}


def _is_finite_output(value):
    if isinstance(value, tuple):  # paths_w21, gradients()
        return all(_is_finite_output(v) for v in value)
    return bool(np.isfinite(np.asarray(value, dtype=float)).all())


@settings(max_examples=300, deadline=None)
@given(cls=st.sampled_from(list(INPUTS)), data=st.data())
def test_junk_from_the_page_leaves_a_valid_or_unchanged_explorer(cls, data):
    ex = _explorer(cls)
    names = data.draw(st.lists(st.sampled_from(INPUTS[cls] + ["not_a_trait"]), min_size=1, max_size=4, unique=True))
    # two parts near the limits to one of junk, so that some changes are taken
    change = {name: data.draw(st.one_of(_near.get(name, _junk), _near.get(name, _junk), _junk), label=name)
              for name in names}
    before = _everything(ex)
    try:
        ex.set_state(change)
    except traitlets.TraitError:
        np.testing.assert_equal(_everything(ex), before)
    else:
        state = ex.synced_state()
        for name, value in change.items():
            if name in state:
                assert state[name] == value, name  # taken as sent (ints as floats)
        for name, value in _everything(ex).items():
            if name != "state":
                assert _is_finite_output(value), name
        if cls is LogitsExplorer:
            assert len(ex.soft_target) == ex.C and 0 <= ex.target < ex.C
    _strict_json(ex)
