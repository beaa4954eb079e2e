"""The exercise self-checks: right answers pass, every catalogued mistake is named.

The correct implementations below are written independently of the package
and of each other (loops, einsum, in place, float32 inside, log-sum-exp,
lists), and some compute the gradient by central finite differences of the
loss, so that the checker's reference values are themselves checked
against an oracle that shares no code with them.
"""

import math
import re

import learner_code
import numpy as np
import pytest
from test_binary import bce_exercise_by_hand, bce_exercise_float32

from derivations import chapters
from derivations.coursework import EXERCISES, NOT_IMPLEMENTED, CheckResult, catalogue, check
from derivations.coursework.exercises import MODULES

SEEDS = [0, 1, 2, 3, 4, 5, 6, 7]


# ---------------------------------------------------------------------------
# Correct implementations, several per exercise, written differently.
# ---------------------------------------------------------------------------


def softmax_vectorised(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def softmax_loops(z):
    out = []
    for row in np.asarray(z, dtype=float).tolist():
        m = max(row)
        e = [math.exp(v - m) for v in row]
        s = sum(e)
        out.append([v / s for v in e])
    return out  # a list of lists


def softmax_in_place_float32(z):
    z = np.array(z, dtype=np.float32)
    z -= z.max(axis=-1, keepdims=True)
    np.exp(z, out=z)
    z /= np.einsum("nc->n", z)[:, None]
    return z


def softmax_via_logsumexp(z):
    m = np.max(z, axis=1, keepdims=True)
    lse = m + np.log(np.sum(np.exp(z - m), axis=1, keepdims=True))
    return np.exp(z - lse)


def jacobian_formula(z):
    p = softmax_vectorised(np.asarray(z)[None, :])[0]
    return np.diag(p) - np.outer(p, p)


def jacobian_loops(z):
    p = softmax_loops(np.asarray(z)[None, :])[0]
    C = len(p)
    return [[p[i] * ((1.0 if i == j else 0.0) - p[j]) for j in range(C)] for i in range(C)]


def jacobian_einsum_float32(z):
    p = softmax_in_place_float32(np.asarray(z)[None, :])[0]
    return np.einsum("i,ij->ij", p, np.eye(len(p), dtype=np.float32)) - np.einsum("i,j->ij", p, p)


def log_softmax_lse(z):
    m = z.max(axis=-1, keepdims=True)
    return z - m - np.log(np.exp(z - m).sum(axis=-1, keepdims=True))


def log_softmax_loops(z):
    rows = []
    for row in np.asarray(z, dtype=float):
        m = max(row)
        lse = m + math.log(sum(math.exp(v - m) for v in row))
        rows.append([v - lse for v in row])
    return np.array(rows)


def log_softmax_in_place_float32(z):
    z = np.array(z, dtype=np.float32)
    z -= z.max(axis=1, keepdims=True)
    z -= np.log(np.exp(z).sum(axis=1, keepdims=True))
    return z


def backward_vjp(p, dp):
    return p * (dp - np.sum(p * dp, axis=-1, keepdims=True))


def backward_explicit_jacobian(p, dp):
    out = np.empty_like(p, dtype=np.float64)
    for n in range(p.shape[0]):
        J = np.diag(p[n]) - np.outer(p[n], p[n])
        out[n] = J.T @ dp[n]
    return out


def backward_einsum_float32(p, dp):
    p, dp = np.float32(p), np.float32(dp)
    J = np.einsum("ni,ij->nij", p, np.eye(p.shape[1], dtype=np.float32)) - np.einsum("ni,nj->nij", p, p)
    return np.einsum("nij,ni->nj", J, dp)


def ce_grad_fused(z, t):
    p = softmax_vectorised(z)
    return (p * t.sum(axis=1, keepdims=True) - t) / z.shape[0]


def ce_grad_loops(z, t):
    N, C = z.shape
    p = softmax_loops(z)
    return [[(p[n][c] * sum(t[n]) - t[n][c]) / N for c in range(C)] for n in range(N)]


def ce_grad_in_place_float32(z, t):
    g = softmax_in_place_float32(z)
    g *= np.float32(t).sum(axis=1, keepdims=True)
    g -= np.float32(t)
    g /= len(g)
    return g


def ce_grad_finite_differences(z, t):
    """The gradient by central differences of the loss: an oracle sharing no formula."""
    z = np.asarray(z, dtype=np.float64)
    t = np.asarray(t, dtype=np.float64)

    def loss(v):
        m = v.max(axis=1, keepdims=True)
        logp = v - m - np.log(np.exp(v - m).sum(axis=1, keepdims=True))
        return -np.sum(t * logp) / v.shape[0]

    return central_difference_loop(loss, z, 1e-5)


def ce_lse(z, t):
    m = z.max(axis=1)
    lse = m + np.log(np.exp(z - m[:, None]).sum(axis=1))
    return np.mean(t.sum(axis=1) * lse - (t * z).sum(axis=1))


def ce_loops(z, t):
    logp = log_softmax_loops(z)
    total = 0.0
    for n in range(len(logp)):
        total -= sum(float(t[n][c]) * logp[n][c] for c in range(len(logp[n])))
    return total / len(logp)


def ce_einsum_float32(z, t):
    logp = log_softmax_in_place_float32(z)
    return -np.einsum("nc,nc->", np.float32(t), logp) / np.float32(len(z))


def toy_outer(h, W, t):
    y = W.T @ h
    p = softmax_vectorised(y[None, :])[0]
    return np.outer(h, p * t.sum() - t)


def toy_both_paths(h, W, t):
    """dE/dw_ij = h_i sum_k dE/dy_k-path: each output k reached through y_j, summed."""
    y = W.T @ h
    p = softmax_loops(y[None, :])[0]
    D, C = W.shape
    g = np.zeros((D, C))
    for i in range(D):
        for j in range(C):
            # sum over the outputs k: -t_k (delta_kj - p_j), the log-derivative of p_k
            g[i, j] = h[i] * sum(-t[k] * ((1.0 if k == j else 0.0) - p[j]) for k in range(C))
    return g


def toy_einsum_float32(h, W, t):
    h, W, t = np.float32(h), np.float32(W), np.float32(t)
    p = softmax_in_place_float32((W.T @ h)[None, :])[0]
    return np.einsum("i,j->ij", h, p * t.sum() - t)


def linear_vectorised(X, W, b, t):
    dz = ce_grad_fused(X @ W.T + b, t)
    return dz.T @ X, dz.sum(axis=0)


def linear_loops(X, W, b, t):
    N = X.shape[0]
    dW, db = np.zeros_like(W, dtype=np.float64), np.zeros(W.shape[0])
    for n in range(N):
        z = W @ X[n] + b
        p = softmax_loops(z[None, :])[0]
        dz = (np.array(p) * t[n].sum() - t[n]) / N
        dW += np.outer(dz, X[n])
        db += dz
    return [dW, db]  # a list, not a tuple


def linear_einsum_float32(X, W, b, t):
    X, W, b, t = (np.float32(a) for a in (X, W, b, t))
    dz = ce_grad_in_place_float32(np.einsum("nd,cd->nc", X, W) + b, t)
    return np.einsum("nc,nd->cd", dz, X), np.einsum("nc->c", dz)


def mean_ce(z, t):
    m = z.max(axis=1, keepdims=True)
    return -np.sum(t * (z - m - np.log(np.exp(z - m).sum(axis=1, keepdims=True)))) / z.shape[0]


def linear_finite_differences(X, W, b, t):
    X, W, b, t = (np.asarray(a, dtype=np.float64) for a in (X, W, b, t))
    dW = central_difference_loop(lambda V: mean_ce(X @ V.T + b, t), W, 1e-5)
    db = central_difference_loop(lambda v: mean_ce(X @ W.T + v, t), b, 1e-5)
    return dW, db


def hidden_vectorised(X, W1, b1, W2, b2, t):
    a = np.tanh(X @ W1.T + b1)
    dz = ce_grad_fused(a @ W2.T + b2, t)
    du = dz @ W2 * (1 - a * a)
    return du.T @ X, du.sum(0), dz.T @ a, dz.sum(0)


def hidden_float32(X, W1, b1, W2, b2, t):
    X, W1, b1, W2, b2, t = (np.float32(v) for v in (X, W1, b1, W2, b2, t))
    u = np.einsum("nd,hd->nh", X, W1) + b1
    a = np.tanh(u)
    dz = ce_grad_in_place_float32(np.einsum("nh,ch->nc", a, W2) + b2, t)
    du = np.einsum("nc,ch->nh", dz, W2) / np.cosh(u) ** 2  # tanh' = sech^2
    return np.einsum("nh,nd->hd", du, X), du.sum(0), np.einsum("nc,nh->ch", dz, a), dz.sum(0)


def hidden_finite_differences(X, W1, b1, W2, b2, t):
    X, W1, b1, W2, b2, t = (np.asarray(v, dtype=np.float64) for v in (X, W1, b1, W2, b2, t))
    params = [W1, b1, W2, b2]

    def loss_of(k):
        def loss(v):
            ps = list(params)
            ps[k] = v
            a = np.tanh(X @ ps[0].T + ps[1])
            return mean_ce(a @ ps[2].T + ps[3], t)

        return loss

    return tuple(central_difference_loop(loss_of(k), params[k], 1e-5) for k in range(4))


def central_difference_loop(f, x, eps):
    """Central differences entry by entry; ``eps`` is one step, or an array of a step per entry."""
    x = np.array(x, dtype=np.float64)
    steps = np.broadcast_to(np.asarray(eps, dtype=np.float64), x.shape)
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        keep, h = x[i], steps[i]
        x[i] = keep + h
        up = f(x)
        x[i] = keep - h
        down = f(x)
        x[i] = keep
        g[i] = (up - down) / (2 * h)
    return g


def central_difference_basis(f, x, eps):
    x = np.asarray(x, dtype=np.float64)
    basis = np.eye(x.size).reshape((x.size,) + x.shape)
    return np.array([(f(x + eps * e) - f(x - eps * e)) / (2 * eps) for e in basis]).reshape(x.shape)


def central_difference_list(f, x, eps):
    x = np.asarray(x, dtype=np.float64)
    flat = x.ravel().tolist()
    out = []
    for i in range(len(flat)):
        up, down = list(flat), list(flat)
        up[i] += eps
        down[i] -= eps
        out.append((f(np.reshape(up, x.shape)) - f(np.reshape(down, x.shape))) / (2 * eps))
    return np.reshape(out, x.shape).tolist()  # lists of Python floats, i.e. float64


def smoothing_formula(labels, C, eps):
    return (1 - eps) * np.eye(C)[labels] + eps / C


def smoothing_loops(labels, C, eps):
    return [[eps / C + (1 - eps if c == y else 0.0) for c in range(C)] for y in labels]


def smoothing_in_place(labels, C, eps):
    t = np.full((len(labels), C), eps / C)
    t[np.arange(len(labels)), labels] += 1 - eps
    return t


def lse_online(z, chunk):
    N, C = z.shape
    m = np.full(N, -np.inf)
    s = np.zeros(N)
    for start in range(0, C, chunk):
        block = np.asarray(z[:, start : start + chunk], dtype=np.float64)
        m_new = np.maximum(m, block.max(axis=1))
        s = s * np.exp(m - m_new) + np.exp(block - m_new[:, None]).sum(axis=1)
        m = m_new
    return m + np.log(s)


def lse_row_loops(z, chunk):
    out = []
    for row in np.asarray(z, dtype=float).tolist():
        m, s = -math.inf, 0.0
        for start in range(0, len(row), chunk):
            block = row[start : start + chunk]
            m_new = max(m, max(block))
            s = s * math.exp(m - m_new) + sum(math.exp(v - m_new) for v in block)
            m = m_new
        out.append(m + math.log(s))
    return out


def lse_padded_float32(z, chunk):
    """Pads to a whole number of blocks with -inf, which adds exp(-inf) = 0."""
    z = np.asarray(z, dtype=np.float32)
    N, C = z.shape
    pad = (-C) % chunk
    zp = np.concatenate([z, np.full((N, pad), -np.inf, dtype=np.float32)], axis=1)
    blocks = zp.reshape(N, -1, chunk)
    m = np.full(N, -np.inf, dtype=np.float32)
    s = np.zeros(N, dtype=np.float32)
    for k in range(blocks.shape[1]):
        m_new = np.maximum(m, blocks[:, k].max(axis=1))
        s = s * np.exp(m - m_new) + np.exp(blocks[:, k] - m_new[:, None]).sum(axis=1)
        m = m_new
    return m + np.log(s)


def softmax_loss_finite_differences(W, X, y, reg):
    """Loss by loops over examples and classes with math.log; dW by central differences of it."""
    W = np.asarray(W, dtype=np.float64)
    X = np.asarray(X, dtype=np.float64)

    def loss(V):
        total = 0.0
        for n in range(X.shape[0]):
            s = [float(X[n] @ V[:, c]) for c in range(V.shape[1])]
            m = max(s)
            total += m + math.log(sum(math.exp(v - m) for v in s)) - s[int(y[n])]
        return total / X.shape[0] + reg * float(np.sum(V * V))

    return loss(W), central_difference_loop(loss, W, 1e-5)


def backprop_steps_finite_differences(z, y):
    """Each intermediate's gradient by central differences of the rest of the chain, from it to the loss."""
    z = np.asarray(z, dtype=np.float64)
    N = z.shape[0]
    rows = np.arange(N)
    m = z.max(axis=1, keepdims=True)
    zs = z - m
    e = np.exp(zs)
    s = e.sum(axis=1, keepdims=True)
    r = 1 / s
    p = e * r
    logp = np.log(p)
    # the loss as a function of one intermediate, the others upstream of it held fixed
    from_logp = lambda v: -v[rows, y].mean()  # noqa: E731
    from_p = lambda v: from_logp(np.log(v))  # noqa: E731
    from_r = lambda v: from_p(e * v)  # noqa: E731
    from_s = lambda v: from_r(1 / v)  # noqa: E731
    from_e = lambda v: from_p(v * (1 / v.sum(axis=1, keepdims=True)))  # noqa: E731
    from_zs = lambda v: from_e(np.exp(v))  # noqa: E731
    from_m = lambda v: from_zs(z - v)  # noqa: E731
    from_z = lambda v: from_zs(v - v.max(axis=1, keepdims=True))  # noqa: E731
    points = [(from_logp, logp), (from_p, p), (from_r, r), (from_s, s), (from_e, e), (from_zs, zs), (from_m, m),
              (from_z, z)]
    # Entries under 1e-2 get a step scaled down with them: a probability of 5e-5
    # under a 1e-6 step is off by 1e-4 (the third derivative of log is 2/p^3).
    steps = [1e-6 * max(1.0, float(np.abs(x).max()) * 1e-3) * np.clip(np.abs(x) / 1e-2, 1e-3, 1.0) for _, x in points]
    return tuple(central_difference_loop(f, x, h) for (f, x), h in zip(points, steps))


def backprop_steps_loops(z, y):
    """The backward pass row by row and class by class, with math.exp and plain floats."""
    z = np.asarray(z, dtype=np.float64)
    N, C = z.shape
    out = [np.zeros((N, C)), np.zeros((N, C)), np.zeros((N, 1)), np.zeros((N, 1)), np.zeros((N, C)),
           np.zeros((N, C)), np.zeros((N, 1)), np.zeros((N, C))]
    dlogp, dp, dr, ds, de, dzs, dm, dz = out
    for n in range(N):
        row = [float(v) for v in z[n]]
        top = max(row)
        ex = [math.exp(v - top) for v in row]
        total = sum(ex)
        prob = [v / total for v in ex]
        k = int(y[n])
        dlogp[n, k] = -1.0 / N
        dp[n, k] = dlogp[n, k] / prob[k]
        dr[n, 0] = sum(dp[n, c] * ex[c] for c in range(C))
        ds[n, 0] = -dr[n, 0] / total**2
        for c in range(C):
            de[n, c] = dp[n, c] / total + ds[n, 0]
            dzs[n, c] = de[n, c] * ex[c]
        dm[n, 0] = -sum(dzs[n, c] for c in range(C))
        for c in range(C):
            dz[n, c] = dzs[n, c] + (dm[n, 0] if c == row.index(top) else 0.0)
    return tuple(out)


TESTED_HERE = {
    "softmax": [softmax_vectorised, softmax_loops, softmax_in_place_float32, softmax_via_logsumexp],
    "softmax_jacobian": [jacobian_formula, jacobian_loops, jacobian_einsum_float32],
    "log_softmax": [log_softmax_lse, log_softmax_loops, log_softmax_in_place_float32],
    "softmax_backward": [backward_vjp, backward_explicit_jacobian, backward_einsum_float32],
    "cross_entropy_grad": [ce_grad_fused, ce_grad_loops, ce_grad_in_place_float32, ce_grad_finite_differences],
    "softmax_loss": [softmax_loss_finite_differences],
    "cross_entropy": [ce_lse, ce_loops, ce_einsum_float32],
    "toy_network_grads": [toy_outer, toy_both_paths, toy_einsum_float32],
    "linear_softmax_grads": [linear_vectorised, linear_loops, linear_einsum_float32, linear_finite_differences],
    "hidden_layer_grads": [hidden_vectorised, hidden_float32, hidden_finite_differences],
    "central_difference": [central_difference_loop, central_difference_basis, central_difference_list],
    "label_smoothing": [smoothing_formula, smoothing_loops, smoothing_in_place],
    "chunked_logsumexp": [lse_online, lse_row_loops, lse_padded_float32],
    "binary_cross_entropy": [bce_exercise_by_hand, bce_exercise_float32],
    "backprop_steps": [backprop_steps_loops, backprop_steps_finite_differences],
}

# A find-the-bug exercise's independent fixes are learners' edits of its buggy code,
# kept with the other learners' code in tests/coursework/learner_code/find_the_bug.py.
for _entry in learner_code.load():
    if EXERCISES[_entry.exercise].starts_from is not None and _entry.mistake is None:
        TESTED_HERE.setdefault(_entry.exercise, []).append(_entry.fn)

#: The implementations written here, and those each exercise's module keeps with it.
CORRECT = {ex: TESTED_HERE.get(ex, []) + list(MODULES[ex].CORRECT) for ex in EXERCISES}
CORRECT_LABELS = {ex: list(getattr(MODULES[ex], "CORRECT_LABELS", [])) for ex in EXERCISES}


def test_every_exercise_has_correct_implementations():
    for ex in EXERCISES:
        assert len(CORRECT[ex]) >= 2, ex
        assert ex in TESTED_HERE, (
            f"{ex}: no implementation written independently of its module; write one right answer "
            f"in TESTED_HERE here, so that the module's reference is not the only judge of itself"
        )


@pytest.mark.parametrize(
    "exercise, fn", [(ex, fn) for ex, fns in CORRECT.items() for fn in fns], ids=lambda v: getattr(v, "__name__", v)
)
def test_correct_implementations_pass_on_repeated_calls(exercise, fn):
    for _ in range(3):  # fresh random inputs each time
        result = check(exercise, fn)
        assert result.passed, result.message
        assert result.mistake is None
        assert result.message.startswith("✓")


@pytest.mark.parametrize(
    "exercise, fn",
    [(ex, fn) for ex, fns in CORRECT_LABELS.items() for fn in fns],
    ids=lambda v: getattr(v, "__name__", v),
)
def test_correct_label_implementations_pass(exercise, fn):
    for seed in SEEDS[:3]:
        result = check(exercise, fn, targets="labels", seed=seed)
        assert result.passed, result.message
        assert "integer" in result.message  # the verdict says which targets it was given


def _every_wrong_implementation():
    for ex in EXERCISES.values():
        for form in list(ex.targets) or [None]:
            for w in catalogue.wrong_implementations(ex.id, targets=form):
                yield form, w


@pytest.mark.parametrize(
    "form, wrong", list(_every_wrong_implementation()), ids=lambda v: v.name if hasattr(v, "name") else str(v)
)
def test_every_catalogued_mistake_fails_and_is_named(form, wrong):
    for seed in SEEDS:
        result = check(wrong.exercise, wrong.fn, seed=seed, targets=form)
        assert not result.passed
        assert result.mistake == wrong.mistake, result.message
        m = catalogue.MISTAKES[wrong.mistake]
        assert f"[{wrong.mistake}]" in result.message
        assert m.text in result.message
        assert f"Read why: {m.where}, {m.url()}" in result.message
        assert "{ref}" not in result.message  # plain text: no MyST role
        assert "behaves exactly like" in result.message


def test_every_mistake_has_a_wrong_implementation_and_every_exercise_a_mistake():
    assert {w.mistake for w in catalogue.WRONG} == set(catalogue.MISTAKES)
    assert {w.exercise for w in catalogue.WRONG} == set(EXERCISES)


def test_every_exercise_module_is_found_and_the_exercises_follow_the_chapters():
    from pathlib import Path

    import derivations.coursework.exercises as package

    files = {p.stem for p in Path(package.__file__).parent.glob("*.py") if not p.stem.startswith("_")} - {"base"}
    assert set(EXERCISES) == files  # no hand-kept list can forget one
    numbers = [int(Path(ex.chapter).name[:2]) for ex in EXERCISES.values()]
    assert numbers == sorted(numbers)
    # chapter 13 poses its five find-the-bug exercises in this order
    book = (Path(package.__file__).parents[4] / "book" / "13_mistakes.md").read_text(encoding="utf-8")
    in_chapter = sorted((ex for ex in EXERCISES if ex.startswith("find_bug")), key=lambda ex: book.index(f'"{ex}"'))
    assert [ex for ex in EXERCISES if ex.startswith("find_bug")] == in_chapter


def test_a_mistake_of_one_exercise_is_catalogued_in_its_module():
    for module in MODULES.values():
        for m in getattr(module, "MISTAKES", []):
            assert catalogue.MISTAKES[m.id] is m
            assert {w.exercise for w in catalogue.WRONG if w.mistake == m.id} == {module.EXERCISE.id}


def test_a_mistake_cannot_be_catalogued_twice():
    m = catalogue.MISTAKES["no-max-shift"]
    with pytest.raises(ValueError, match="catalogued twice"):
        catalogue.gather([m])


# ---------------------------------------------------------------------------
# Right only for one-hot targets: must not pass.
# ---------------------------------------------------------------------------


def one_hot_only_grad(z, t):
    return (softmax_vectorised(z) - t) / len(z)


def one_hot_only_loss(z, t):
    return -np.mean(log_softmax_lse(z)[np.arange(len(z)), t.argmax(axis=1)])


def one_hot_only_toy(h, W, t):
    return np.outer(h, softmax_vectorised((W.T @ h)[None, :])[0] - t)


def one_hot_only_linear(X, W, b, t):
    dz = (softmax_vectorised(X @ W.T + b) - t) / len(X)
    return dz.T @ X, dz.sum(axis=0)


def one_hot_only_hidden(X, W1, b1, W2, b2, t):
    a = np.tanh(X @ W1.T + b1)
    dz = (softmax_vectorised(a @ W2.T + b2) - t) / len(X)
    du = dz @ W2 * (1 - a**2)
    return du.T @ X, du.sum(0), dz.T @ a, dz.sum(0)


@pytest.mark.parametrize(
    "exercise, fn",
    [
        ("cross_entropy_grad", one_hot_only_grad),
        ("cross_entropy", one_hot_only_loss),
        ("toy_network_grads", one_hot_only_toy),
        ("linear_softmax_grads", one_hot_only_linear),
        ("hidden_layer_grads", one_hot_only_hidden),
    ],
)
def test_right_only_for_one_hot_targets_fails(exercise, fn):
    for seed in SEEDS:
        result = check(exercise, fn, seed=seed)
        assert not result.passed
        assert result.mistake == "assumes-one-hot", result.message
        # the one-hot case itself is passed, so the verdict rests on the soft targets
        assert "soft target" in result.message


def test_one_hot_only_gradient_is_right_on_one_hot_targets():
    """The one-hot-only function is not simply wrong: it fails only where rows do not sum to 1."""
    rng = np.random.default_rng(3)
    z = rng.normal(size=(4, 3))
    t = np.eye(3)[[0, 2, 1, 1]]
    expected = ce_grad_finite_differences(z, t)
    np.testing.assert_allclose(one_hot_only_grad(z, t), expected, atol=1e-8)


# ---------------------------------------------------------------------------
# Functions that do not return an answer.
# ---------------------------------------------------------------------------


def test_stub_is_reported_as_not_implemented():
    def my_softmax(z):
        raise NotImplementedError("Student exercise: return softmax over the last axis")

    result = check("softmax", my_softmax)
    assert not result.passed and result.mistake is None
    assert NOT_IMPLEMENTED in result.message
    assert "replace the `raise NotImplementedError` in the stub" in result.message
    assert "my_softmax" in result.message


@pytest.mark.parametrize("exercise", list(EXERCISES))
def test_every_exercise_reports_a_stub(exercise):
    def stub(*args):
        raise NotImplementedError

    assert NOT_IMPLEMENTED in check(exercise, stub).message


def test_raising_function_fails_and_says_what_it_raised():
    def broken(z):
        raise KeyError("oops")

    result = check("softmax", broken)
    assert not result.passed
    assert "raised KeyError" in result.message and "oops" in result.message


def test_none_fails():
    result = check("log_softmax", lambda z: None)
    assert not result.passed
    assert "returned None" in result.message and "return" in result.message


def test_wrong_shape_fails_with_both_shapes():
    result = check("softmax", lambda z: softmax_vectorised(z).sum(axis=1))
    assert not result.passed
    assert re.search(r"has shape \(\d+,\); expected \(\d+, \d+\)", result.message), result.message


def test_nan_fails():
    result = check("cross_entropy_grad", lambda z, t: np.full(z.shape, np.nan))
    assert not result.passed
    assert "contains NaN" in result.message


def test_inf_fails():
    result = check("cross_entropy", lambda z, t: np.inf)
    assert not result.passed
    assert "contains inf" in result.message


def test_wrong_number_of_outputs_fails():
    result = check("linear_softmax_grads", lambda X, W, b, t: linear_vectorised(X, W, b, t)[0])
    assert not result.passed
    assert "should return 2 arrays (dW, db)" in result.message


def test_non_numeric_output_fails():
    result = check("softmax", lambda z: np.array([["a"] * z.shape[1]] * z.shape[0]))
    assert not result.passed
    assert "not an array of real numbers" in result.message


def test_central_difference_must_be_float64():
    result = check("central_difference", lambda f, x, eps: np.float32(central_difference_loop(f, x, eps)))
    assert not result.passed
    assert "float64" in result.message


def test_wrong_but_unknown_mistake_gets_no_diagnosis():
    # A fixed seed: on about 2 seeds in 30 with N = 2, halving happens to look
    # like a partial sum-over-everything (the two rows' sums nearly equal).
    result = check("softmax", lambda z: softmax_vectorised(z) * 0.5, seed=1)
    assert not result.passed and result.mistake is None
    assert "No catalogued mistake matches" in result.message
    assert chapters.chapter_url("book/01_puzzle.md") in result.message


def test_two_mistakes_at_once_are_partly_diagnosed():
    # transposed dW and no 1/N on db
    def two_bugs(X, W, b, t):
        dz = ce_grad_fused(X @ W.T + b, t)
        return X.T @ dz, dz.sum(axis=0) * len(X)

    result = check("linear_softmax_grads", two_bugs, seed=11)
    assert not result.passed
    assert result.mistake in {"transposed-weight-grad", "missing-batch-mean"}
    assert "second problem" in result.message


def test_steps_in_the_input_dtype_fail_only_on_float32_and_integer_x():
    w = catalogue.wrong_implementations("central_difference", "float32-steps")[0]
    result = check("central_difference", w.fn, seed=5)
    assert "On float32 x" in result.message
    assert "It also fails on 1 more of the 5 cases: integer x" in result.message


# ---------------------------------------------------------------------------
# Fresh inputs, seeds, and the interface.
# ---------------------------------------------------------------------------


def recording(fn, store):
    def wrapped(*args):
        store.append([np.array(a, copy=True) for a in args if isinstance(a, np.ndarray)])
        return fn(*args)

    return wrapped


def test_inputs_differ_between_calls():
    first, second = [], []
    check("cross_entropy_grad", recording(ce_grad_fused, first))
    check("cross_entropy_grad", recording(ce_grad_fused, second))
    assert len(first) == len(second) > 0
    assert not all(
        a.shape == b.shape and np.array_equal(a, b) for x, y in zip(first, second) for a, b in zip(x, y)
    )


def test_a_seed_repeats_the_inputs():
    first, second = [], []
    check("softmax_backward", recording(backward_vjp, first), seed=42)
    check("softmax_backward", recording(backward_vjp, second), seed=42)
    assert all(np.array_equal(a, b) for x, y in zip(first, second) for a, b in zip(x, y))


def test_edge_cases_are_in_every_draw():
    seen = []
    check("cross_entropy", recording(ce_lse, seen), seed=9)
    shapes = [args[0].shape for args in seen]
    assert any(N == 1 for N, _ in shapes)
    assert any(C == 2 for _, C in shapes)
    assert any(N != C for N, C in shapes)
    assert any(np.abs(args[0]).max() > 1000 for args in seen)
    assert any(args[0].dtype == np.float32 for args in seen)
    sums = np.concatenate([args[1].sum(axis=1) for args in seen])
    assert np.any(np.abs(sums - 1) > 0.2)


def test_inputs_are_copies_so_in_place_edits_do_no_harm():
    def mutating(z):
        z -= z.max(axis=1, keepdims=True)
        np.exp(z, out=z)
        z /= z.sum(axis=1, keepdims=True)
        return z

    assert check("softmax", mutating).passed


def test_unknown_exercise_lists_the_ids():
    with pytest.raises(ValueError) as info:
        check("softmaxx", softmax_vectorised)
    for exercise in EXERCISES:
        assert exercise in str(info.value)


def test_not_a_function():
    with pytest.raises(TypeError, match="my_softmax"):
        check("softmax", np.zeros(3))


def test_displays():
    good = check("softmax", softmax_vectorised)
    bad = check("cross_entropy_grad", one_hot_only_grad)
    assert isinstance(good, CheckResult) and bool(good) and not bool(bad)
    assert repr(good) == good.message
    assert "✓" in good._repr_html_() and "#2e7d32" in good._repr_html_()
    html = bad._repr_html_()
    url = chapters.chapter_url("book/10_beyond_one_hot.md", "soft-targets")
    assert "✗" in html
    assert f'href="{url}"' in html
    assert re.search(r"<code[^>]*>soft-targets</code>", html)
    md = bad._repr_markdown_()
    assert md.startswith("**✗") and f"]({url})" in md


def test_display_escapes_html():
    def my_fn(z):
        raise ValueError("<script>alert(1)</script>")

    html = check("softmax", my_fn)._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html


# ---------------------------------------------------------------------------
# The catalogue and the book
# ---------------------------------------------------------------------------

ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("m", list(catalogue.MISTAKES.values()), ids=lambda m: m.id)
def test_explanations_fit_a_table_cell(m):
    # chapter 13 renders the catalogue as a Markdown table: a bare "|" ends the cell
    # (write |z| as \lvert z \rvert), and a line break ends the row
    assert "|" not in m.explanation and "\n" not in m.explanation, m.id
    assert "\\" not in m.text and "$" not in m.text, m.id  # the plain text has no TeX left



@pytest.mark.parametrize("m", list(catalogue.MISTAKES.values()), ids=lambda m: m.id)
def test_each_mistake_is_explained_where_it_says(m):
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", m.id)
    assert m.title and m.explanation.endswith(".")
    assert not re.search(r"[$\\{}`]", m.text), m.text
    chapter = ROOT / m.chapter
    if not chapter.is_file():
        pytest.skip(f"{m.chapter} is not written yet")
    assert f"({m.label})=" in chapter.read_text(encoding="utf-8"), f"no ({m.label})= in {m.chapter}"
    assert catalogue.section_title(m.label), f"no heading after ({m.label})="
    assert m.where.startswith('"') and m.where.endswith(f", chapter {int(chapter.name[:2])}")


def test_links_are_absolute_by_default(monkeypatch):
    monkeypatch.delenv(chapters.URL_VARIABLE, raising=False)
    m = catalogue.MISTAKES["no-max-shift"]
    assert m.url() == chapters.PUBLISHED_URL + "book/08_stability.html#overflow"
    result = check("softmax", wrong_softmax_unshifted, seed=2)
    assert f"Read why: {m.where}, {chapters.PUBLISHED_URL}book/08_stability.html#overflow" in result.message
    table = catalogue.catalogue_markdown()
    assert "{ref}" not in table
    assert f"]({chapters.PUBLISHED_URL}book/08_stability.html#overflow)" in table


def test_links_follow_the_book_url_variable(monkeypatch):
    monkeypatch.setenv(chapters.URL_VARIABLE, "http://localhost:8000")
    assert catalogue.MISTAKES["no-max-shift"].url() == "http://localhost:8000/book/08_stability.html#overflow"
    assert "{ref}" not in catalogue.catalogue_markdown()
    monkeypatch.setenv(chapters.URL_VARIABLE, "../")  # inside the book build
    assert catalogue.MISTAKES["no-max-shift"].url() == "../book/08_stability.html#overflow"
    assert "{ref}`overflow`" in catalogue.catalogue_markdown()


def wrong_softmax_unshifted(z):
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def test_mistake_links_land_on_their_sections(built_site):
    """Every section link of the catalogue names a page of the built book with an element of that id."""
    for m in catalogue.MISTAKES.values():
        target = built_site / (m.chapter[: -len(".md")] + ".html")
        if not target.is_file():
            pytest.fail(f"{m.id}: {m.chapter} is not a page of the built book")
        assert f'id="{m.label}"' in target.read_text(encoding="utf-8"), m.url()
        assert m.url().endswith(f"{m.chapter[:-3]}.html#{m.label}")


# ---------------------------------------------------------------------------
# A learner's function cannot hang or end the check.
# ---------------------------------------------------------------------------


def test_an_endless_loop_hits_the_time_limit():
    import time

    def my_softmax(z):
        while True:
            pass

    start = time.monotonic()
    result = check("softmax", my_softmax, timeout=0.5)
    assert time.monotonic() - start < 10  # generous: the machine is shared
    assert not result.passed and result.timed_out and result.mistake is None
    assert "time limit" in result.message and "0.5 s" in result.message


def test_a_long_sleep_hits_the_time_limit():
    import time

    def my_softmax(z):
        time.sleep(100)

    start = time.monotonic()
    result = check("softmax", my_softmax, timeout=0.5)
    assert time.monotonic() - start < 10
    assert result.timed_out and "time limit" in result.message


def test_the_time_limit_comes_from_the_environment(monkeypatch):
    def my_softmax(z):
        while True:
            pass

    monkeypatch.setenv("DERIVATIONS_CHECK_TIMEOUT", "0.3")
    result = check("softmax", my_softmax)
    assert result.timed_out and "0.3 s" in result.message
    monkeypatch.setenv("DERIVATIONS_CHECK_TIMEOUT", "soon")
    with pytest.raises(ValueError, match="DERIVATIONS_CHECK_TIMEOUT"):
        check("softmax", softmax_vectorised)


@pytest.mark.parametrize("bad", [0, -1.0])
def test_a_time_limit_must_be_positive(bad):
    with pytest.raises(ValueError, match="positive"):
        check("softmax", softmax_vectorised, timeout=bad)


def test_system_exit_is_a_failed_case_not_the_end():
    import sys

    def my_softmax(z):
        sys.exit(3)

    result = check("softmax", my_softmax)
    assert not result.passed and not result.timed_out
    assert "sys.exit()" in result.message


def test_printed_output_is_captured_and_shown_briefly(capsys):
    def my_softmax(z):
        print("shape of z:", z.shape)
        return softmax_vectorised(z)

    result = check("softmax", my_softmax)
    assert result.passed
    assert capsys.readouterr().out == ""  # nothing reached the real stdout
    shown = [line for line in result.message.splitlines() if "shape of z:" in line]
    assert 1 <= len(shown) <= 5
    assert re.search(r"It printed \d+ lines; the first 5:", result.message)


def test_stub_sets_not_implemented():
    def stub(z):
        raise NotImplementedError("Student exercise: ...")

    result = check("softmax", stub)
    assert result.not_implemented and not result.passed and not result.timed_out
    assert "not implemented yet" in result.message


def test_bad_targets_value_names_the_allowed_ones():
    with pytest.raises(ValueError) as info:
        check("cross_entropy", ce_lse, targets="onehot")
    assert "'probabilities'" in str(info.value) and "'labels'" in str(info.value)


def test_a_spinning_function_is_stopped_after_its_time_limit():
    import threading
    import time

    def my_softmax(z):
        while True:
            pass

    before = set(threading.enumerate())
    check("softmax", my_softmax, timeout=0.3)
    workers = [t for t in threading.enumerate() if t not in before and t.name == "derivations-check"]
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(t.is_alive() for t in workers):
        time.sleep(0.05)
    assert not any(t.is_alive() for t in workers)


def test_keyboard_interrupt_still_interrupts():
    def my_softmax(z):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        check("softmax", my_softmax)


@pytest.mark.parametrize("exercise, targets, allowed", [
    ("softmax", "labels", "takes no targets"),
    ("softmax_loss", "probabilities", "only as 'labels'"),
])
def test_a_target_form_the_exercise_does_not_take(exercise, targets, allowed):
    with pytest.raises(ValueError, match=allowed):
        check(exercise, softmax_vectorised, targets=targets)


def test_each_target_exercise_says_which_form_it_was_given():
    good = check("cross_entropy", ce_lse)
    assert good.targets == "probabilities" and "need not sum to 1" in good.message
    bad = check("cross_entropy", lambda z, y: 1.2345)
    assert 'targets=\'labels\'' in bad.message  # the hint for label-based code


def test_one_coincidence_names_no_mistake():
    # With this seed the constant 1.2345 lands within the loose tolerance of
    # the all-logits-near--800 case of "divided by classes", and nowhere else.
    bad = check("cross_entropy", lambda z, y: 1.2345, seed=2477583488)
    assert bad.mistake is None and "No catalogued mistake matches" in bad.message


# ---------------------------------------------------------------------------
# Naming is not fooled by NaN and inf.
# ---------------------------------------------------------------------------


def test_nan_everywhere_names_no_mistake():
    for exercise, fn in [("cross_entropy", lambda z, t: np.nan),
                         ("cross_entropy_grad", lambda z, t: np.full(z.shape, np.nan)),
                         ("softmax", lambda z: np.full(z.shape, np.inf))]:
        for seed in SEEDS[:3]:
            result = check(exercise, fn, seed=seed)
            assert not result.passed and result.mistake is None, result.message


def test_nan_from_another_cause_is_not_called_an_overflow():
    """NaN wherever |z| > 100 and a wrong constant elsewhere: non-finite where the missing
    max shift is, but also where it is not, and wrong where it is right."""

    def my_cross_entropy(z, t):
        return np.nan if np.abs(z).max() > 100 else 0.5

    for seed in SEEDS[:4]:
        result = check("cross_entropy", my_cross_entropy, seed=seed)
        assert not result.passed and result.mistake is None, result.message


def test_nan_in_other_entries_does_not_agree():
    """Agreement on NaN needs NaN in the same entries, not just somewhere."""

    def my_softmax(z):
        p = softmax_vectorised(z)
        p[:, 0] = np.nan  # the first class always NaN
        return p

    result = check("softmax", my_softmax, seed=1)
    assert not result.passed and result.mistake is None, result.message


# --------------------------------------------------- learners' own edge cases

def _stable_softmax(z):
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _stable_log_softmax(z):
    z = np.asarray(z, dtype=np.float64)
    m = z.max(axis=-1, keepdims=True)
    return z - m - np.log(np.exp(z - m).sum(axis=-1, keepdims=True))


def _wrong_where(condition, right):
    """``right``, except off by 0.01 on the inputs where ``condition(z)`` holds."""

    def my_function(z):
        out = right(z)
        return out + 0.01 if condition(np.asarray(z)) else out

    return my_function


@pytest.mark.parametrize(
    "where,condition",
    [
        ("C = 1", lambda z: z.shape[-1] == 1),
        ("more than 8 classes", lambda z: z.shape[-1] > 8),
        ("all logits negative", lambda z: bool((z < -100).all())),
    ],
)
@pytest.mark.parametrize("exercise", ["softmax", "log_softmax"])
def test_a_function_wrong_only_at_an_edge_fails(exercise, where, condition):
    fn = _wrong_where(condition, _stable_softmax if exercise == "softmax" else _stable_log_softmax)
    stable = _stable_log_softmax if exercise == "log_softmax" else _stable_softmax
    assert check(exercise, _wrong_where(lambda z: False, stable)).passed
    for seed in range(5):
        assert not check(exercise, fn, seed=seed).passed, where


@pytest.mark.parametrize("exercise", ["softmax_backward", "softmax_jacobian", "label_smoothing"])
def test_every_draw_has_one_class_and_many_classes(exercise):
    seen = []

    def spy(*args):
        seen.append(args)
        return EXERCISES[exercise].reference(*args)

    for seed in range(3):
        seen.clear()
        check(exercise, spy, seed=seed)
        counts = [a[1] if exercise == "label_smoothing" else np.shape(a[0])[-1] for a in seen]
        assert 1 in counts and max(counts) > 8


def test_softmax_draws_include_all_negative_rows():
    seen = []
    check("softmax", recording(_stable_softmax, seen), seed=4)
    assert any((args[0] < -700).all() for args in seen)
    assert any(args[0].shape[-1] == 1 for args in seen)
    assert any(args[0].shape[-1] > 8 for args in seen)


def test_pure_python_exp_without_the_shift_is_named():
    # math.exp raises OverflowError, and 0 / 0 ZeroDivisionError, where
    # numpy's exp gives inf and NaN: the same missing max shift
    def my_softmax(z):
        rows = []
        for row in np.atleast_2d(z):
            e = [math.exp(v) for v in row]
            total = sum(e)
            rows.append([v / total for v in e])
        return np.array(rows)

    result = check("softmax", my_softmax, seed=1)
    assert not result.passed
    assert result.mistake == "no-max-shift"
    assert "OverflowError" in result.message or "ZeroDivisionError" in result.message


def test_pure_python_cross_entropy_loops_without_the_shift_are_named():
    def my_cross_entropy(z, y):
        total = 0.0
        for row, label in zip(np.atleast_2d(z), y):
            s = sum(math.exp(v) for v in row)
            total += -math.log(math.exp(row[label]) / s)
        return total / len(y)

    result = check("cross_entropy", my_cross_entropy, targets="labels", seed=2)
    assert not result.passed and result.mistake is not None
    assert "shift" in result.message or "overflow" in result.message.lower()


def test_an_error_raised_only_for_float32_is_reported_per_case():
    def my_softmax(z):
        if np.asarray(z).dtype == np.float32:
            raise TypeError("float32 is not supported")
        return _stable_softmax(z)

    result = check("softmax", my_softmax, seed=0)
    assert not result.passed and not result.not_implemented
    assert "On float32 logits" in result.message
    assert "it raised TypeError: float32 is not supported" in result.message
    assert "It also fails on 1 more" in result.message
