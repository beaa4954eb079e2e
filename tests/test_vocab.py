"""linear_cross_entropy: the chunked loss over a vocabulary equals the one through the logits.

The reference materialises the (N, V) logits ``h W^T`` and applies the plain
formulas, written out here; gradients are also checked against central
finite differences in float64, and the memory saving is measured with
tracemalloc (memory, unlike time, is deterministic enough to assert).
"""

import numpy as np
import pytest

from derivations import linear_cross_entropy, numerical_gradient, relative_error
from derivations.teaching.roofline import peak_memory


def reference(h, W, t):
    """Loss, dh, dW through the full logits, in float64."""
    h, W = h.astype(np.float64), W.astype(np.float64)
    N = len(h)
    z = h @ W.T
    m = z.max(axis=1, keepdims=True)
    lse = m[:, 0] + np.log(np.exp(z - m).sum(axis=1))
    loss = np.mean(lse - z[np.arange(N), t])
    dz = np.exp(z - lse[:, None])
    dz[np.arange(N), t] -= 1
    dz /= N
    return loss, dz @ W, dz.T @ h


def problem(N, V, d, seed, scale=1.0, dtype=np.float64):
    rng = np.random.default_rng(seed)
    h = (scale * rng.normal(size=(N, d))).astype(dtype)
    W = rng.normal(size=(V, d)).astype(dtype)
    t = rng.integers(0, V, size=N)
    return h, W, t


@pytest.mark.parametrize(
    "N, V, d, chunk",
    [(1, 1, 1, 1), (3, 5, 2, 1), (4, 10, 3, 3), (4, 10, 3, 10), (4, 10, 3, 64), (7, 33, 5, 8), (16, 257, 8, 32)],
)
def test_matches_the_logits_route_in_float64(N, V, d, chunk):
    h, W, t = problem(N, V, d, seed=N * V + chunk)
    loss, dh, dW = linear_cross_entropy(h, W, t, chunk_size=chunk)
    ref = reference(h, W, t)
    assert abs(float(loss) - ref[0]) <= 1e-12 * max(1.0, abs(ref[0]))
    assert relative_error(dh, ref[1]) < 1e-12
    assert relative_error(dW, ref[2]) < 1e-12


def test_every_chunk_size_gives_the_same_answer():
    h, W, t = problem(6, 50, 4, seed=1)
    answers = [linear_cross_entropy(h, W, t, chunk_size=c) for c in (1, 7, 16, 49, 50, 51, 1000)]
    for loss, dh, dW in answers[1:]:
        assert abs(float(loss) - float(answers[0][0])) < 1e-13
        assert relative_error(dh, answers[0][1]) < 1e-13
        assert relative_error(dW, answers[0][2]) < 1e-13


def test_gradients_match_finite_differences():
    h, W, t = problem(3, 7, 4, seed=2)
    _, dh, dW = linear_cross_entropy(h, W, t, chunk_size=3)
    num_dh = numerical_gradient(lambda x: float(linear_cross_entropy(x, W, t, chunk_size=3)[0]), h)
    num_dW = numerical_gradient(lambda x: float(linear_cross_entropy(h, x, t, chunk_size=3)[0]), W)
    assert relative_error(dh, num_dh) < 1e-8
    assert relative_error(dW, num_dW) < 1e-8


def test_loss_by_hand():
    # logits rows (0, log 3, 0) and (0, 0, 0): losses -log(3/5) and log 3
    h = np.array([[1.0, 0.0], [0.0, 1.0]])
    W = np.array([[0.0, 0.0], [np.log(3.0), 0.0], [0.0, 0.0]])
    loss, _, _ = linear_cross_entropy(h, W, np.array([1, 0]), chunk_size=1)
    assert abs(float(loss) - (np.log(5 / 3) + np.log(3)) / 2) < 1e-15


def test_huge_logits_stay_finite():
    # logits in the thousands: the running maximum keeps every exp in range,
    # including when a later chunk raises the maximum by hundreds
    h, W, t = problem(5, 40, 3, seed=3, scale=400.0)
    loss, dh, dW = linear_cross_entropy(h, W, t, chunk_size=6)
    ref = reference(h, W, t)
    assert np.isfinite(float(loss)) and np.all(np.isfinite(dh)) and np.all(np.isfinite(dW))
    assert abs(float(loss) - ref[0]) <= 1e-12 * abs(ref[0])
    assert relative_error(dh, ref[1]) < 1e-11
    assert relative_error(dW, ref[2]) < 1e-11


def test_float32_in_float32_out_and_close_to_float64():
    h, W, t = problem(32, 3000, 16, seed=4, dtype=np.float32)
    loss, dh, dW = linear_cross_entropy(h, W, t, chunk_size=512)
    assert dh.dtype == dW.dtype == np.float32 and np.asarray(loss).dtype == np.float32
    ref = reference(h, W, t)
    assert abs(float(loss) - ref[0]) < 1e-5 * abs(ref[0])
    assert relative_error(dh, ref[1]) < 1e-5
    assert relative_error(dW, ref[2]) < 1e-5


def test_integer_inputs_become_float64():
    loss, dh, dW = linear_cross_entropy([[1, 0]], [[0, 0], [1, 1]], np.array([1]))
    assert dh.dtype == dW.dtype == np.float64
    assert abs(float(loss) - np.log(1 + np.exp(-1))) < 1e-15


def test_inputs_are_not_modified():
    h, W, t = problem(4, 9, 3, seed=5)
    h0, W0, t0 = h.copy(), W.copy(), t.copy()
    linear_cross_entropy(h, W, t, chunk_size=2)
    np.testing.assert_array_equal(h, h0)
    np.testing.assert_array_equal(W, W0)
    np.testing.assert_array_equal(t, t0)


@pytest.mark.parametrize(
    "args, kwargs, error, match",
    [
        ((np.zeros(3), np.zeros((4, 3)), np.zeros(1, int)), {}, ValueError, r"h must have shape \(N, d\)"),
        ((np.zeros((2, 3)), np.zeros(3), np.zeros(2, int)), {}, ValueError, r"W must have shape \(V, d\)"),
        ((np.zeros((2, 3)), np.zeros((4, 5)), np.zeros(2, int)), {}, ValueError, "same d"),
        ((np.zeros((2, 3)), np.zeros((0, 3)), np.zeros(2, int)), {}, ValueError, "at least one word"),
        ((np.zeros((2, 3), bool), np.zeros((4, 3)), np.zeros(2, int)), {}, TypeError, "h must hold real numbers"),
        ((np.zeros((2, 3)), np.zeros((4, 3), complex), np.zeros(2, int)), {}, TypeError, "W must hold real"),
        ((np.full((2, 3), np.nan), np.zeros((4, 3)), np.zeros(2, int)), {}, ValueError, "h contains NaN"),
        ((np.zeros((2, 3)), np.full((4, 3), np.inf), np.zeros(2, int)), {}, ValueError, "W contains an infinity"),
        ((np.zeros((2, 3)), np.zeros((4, 3)), np.zeros(2)), {}, TypeError, "integer word indices"),
        ((np.zeros((2, 3)), np.zeros((4, 3)), np.zeros(3, int)), {}, ValueError, r"shape \(2,\)"),
        ((np.zeros((2, 3)), np.zeros((4, 3)), np.array([0, 4])), {}, ValueError, "out of range"),
        ((np.zeros((2, 3)), np.zeros((4, 3)), np.array([-1, 0])), {}, ValueError, "out of range"),
        ((np.zeros((2, 3)), np.zeros((4, 3)), np.zeros(2, int)), {"chunk_size": 0}, ValueError, "positive"),
        ((np.zeros((2, 3)), np.zeros((4, 3)), np.zeros(2, int)), {"chunk_size": 2.5}, TypeError, "integer"),
        ((np.zeros((2, 3)), np.zeros((4, 3)), np.zeros(2, int)), {"chunk_size": True}, TypeError, "integer"),
    ],
)
def test_bad_input_is_refused(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        linear_cross_entropy(*args, **kwargs)


def test_peak_memory_is_an_eighth_of_the_logits_route():
    # the sizes of the issue: N = 2048 rows, V = 32768 words, d = 256 features
    from derivations import cross_entropy_with_grad

    N, V, d = 2048, 32768, 256
    h, W, t = problem(N, V, d, seed=6, dtype=np.float32)

    def through_logits():
        z = h @ W.T  # (N, V): 256 MiB
        loss, dz = cross_entropy_with_grad(z, t)  # and its gradient, as big
        return loss, dz @ W, dz.T @ h

    naive = peak_memory(through_logits)
    chunked = peak_memory(lambda: linear_cross_entropy(h, W, t, chunk_size=2048))
    assert naive >= 2 * N * V * 4  # the logits and their gradient were there
    assert chunked <= naive / 8, f"chunked peak {chunked / 2**20:.0f} MiB vs {naive / 2**20:.0f} MiB"
