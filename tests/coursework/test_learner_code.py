"""The checks against learners' code: every right answer passes, every wrong one is named.

The implementations live in ``tests/coursework/learner_code/``, written the way homework
answers are written. The check's references are themselves held up against
oracles that share no code with them: a loss computed with Python floats
row by row, its central finite differences in float64
(:func:`derivations.gradcheck.numerical_gradient`), and numbers worked out
by hand.
"""

import math

import learner_code
import numpy as np
import pytest

from derivations.coursework import EXERCISES, check
from derivations.coursework.exercises import MODULES
from derivations.gradcheck import numerical_gradient

CORPUS = learner_code.load()
RIGHT = [e for e in CORPUS if e.mistake is None]
WRONG = [e for e in CORPUS if e.mistake is not None]
SEEDS = [0, 1, 2, 3, 4, 5]


def _id(entry):
    return f"{entry.exercise}-{entry.targets or 'default'}-{entry.name}"


def test_the_corpus_covers_the_homework_layout_and_both_target_forms():
    loss = [e for e in CORPUS if e.exercise == "softmax_loss"]
    assert len([e for e in loss if e.mistake is None]) >= 5
    assert len({e.mistake for e in loss if e.mistake}) >= 12
    for exercise in ("cross_entropy", "cross_entropy_grad"):
        forms = {(e.targets, e.mistake is None) for e in CORPUS if e.exercise == exercise}
        assert {(None, True), ("labels", True), (None, False), ("labels", False)} <= forms


@pytest.mark.parametrize("entry", RIGHT, ids=_id)
def test_right_learner_code_is_accepted(entry):
    for seed in SEEDS + [None]:
        result = check(entry.exercise, entry.fn, seed=seed, targets=entry.targets)
        assert result.passed, result.message
        assert result.mistake is None and result.message.startswith("✓")


@pytest.mark.parametrize("entry", WRONG, ids=_id)
def test_wrong_learner_code_is_rejected_and_named(entry):
    for seed in SEEDS:
        result = check(entry.exercise, entry.fn, seed=seed, targets=entry.targets)
        assert not result.passed, f"seed {seed}: {entry.name} passed"
        assert result.mistake == entry.mistake, result.message
        assert result.message.startswith("✗")


# ---------------------------------------------------------------------------
# The references, against oracles of their own.
# ---------------------------------------------------------------------------


def loss_by_hand(W, X, y, reg, k):
    """Mean cross-entropy of X @ W, row by row in Python floats, plus k reg sum(W**2)."""
    W = np.asarray(W, dtype=np.float64)
    X = np.asarray(X, dtype=np.float64)
    total = 0.0
    for n in range(X.shape[0]):
        s = [math.fsum(float(X[n, d]) * float(W[d, c]) for d in range(W.shape[0])) for c in range(W.shape[1])]
        m = max(s)
        total += m + math.log(math.fsum(math.exp(v - m) for v in s)) - s[int(y[n])]
    return total / X.shape[0] + k * reg * math.fsum(float(w) ** 2 for w in W.ravel())


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("convention", [0, 1])
def test_softmax_loss_references_match_a_loss_by_hand_and_its_finite_differences(seed, convention):
    ex = EXERCISES["softmax_loss"]
    conv = ex.conventions[convention]
    k = (1.0, 0.5)[convention]
    for case in ex.cases(np.random.default_rng(seed), "labels"):
        W, X, y, reg = case.args
        loss, dW = conv.reference(*case.args)
        expected_loss = loss_by_hand(W, X, y, reg, k)
        assert float(loss) == pytest.approx(expected_loss, rel=1e-10, abs=1e-10), case.name
        W64 = np.asarray(W, dtype=np.float64)
        fd = numerical_gradient(lambda V: loss_by_hand(V, X, y, reg, k), W64, 1e-5)
        scale = max(np.abs(fd).max(), 1.0)
        assert np.abs(dW - fd).max() <= 1e-6 * scale, case.name


def test_softmax_loss_reference_on_numbers_worked_by_hand():
    # one example, one feature, two classes: scores (0, ln 3), so p = (1/4, 3/4)
    ref = MODULES["softmax_loss"].reference
    W = np.array([[0.0, math.log(3.0)]])
    X = np.array([[1.0]])
    loss, dW = ref(W, X, np.array([0]), 0.5)
    assert float(loss) == pytest.approx(math.log(4.0) + 0.5 * math.log(3.0) ** 2, rel=1e-14)
    np.testing.assert_allclose(dW, [[-0.75, 0.75 + math.log(3.0)]], rtol=1e-14)
    # W = 0: every class equally likely, the loss is log C
    rng = np.random.default_rng(1)
    X = rng.normal(size=(4, 3))
    y = np.array([0, 4, 4, 2])
    loss, dW = ref(np.zeros((3, 5)), X, y, 0.7)
    assert float(loss) == pytest.approx(math.log(5.0), rel=1e-14)
    np.testing.assert_allclose(dW, X.T @ (np.full((4, 5), 0.2) - np.eye(5)[y]) / 4, atol=1e-15)
    # and the half convention differs only in the penalty
    W = rng.normal(size=(3, 5))
    full, half = ref(W, X, y, 0.3), MODULES["softmax_loss"].reference_half(W, X, y, 0.3)
    assert float(full[0] - half[0]) == pytest.approx(0.15 * np.sum(W**2), rel=1e-12)
    np.testing.assert_allclose(full[1] - half[1], 0.3 * W, atol=1e-14)


def ce_by_hand(z, y):
    total = 0.0
    for row, label in zip(np.asarray(z, dtype=np.float64).tolist(), np.asarray(y).tolist()):
        m = max(row)
        total += m + math.log(math.fsum(math.exp(v - m) for v in row)) - row[label]
    return total / len(z)


@pytest.mark.parametrize("seed", [0, 1])
def test_label_references_match_a_loss_by_hand_and_its_finite_differences(seed):
    loss_ex, grad_ex = EXERCISES["cross_entropy"], EXERCISES["cross_entropy_grad"]
    for case in loss_ex.cases(np.random.default_rng(seed), "labels"):
        z, y = case.args
        loss = loss_ex.reference(*loss_ex.to_first_form(case.args))[0]
        assert float(loss) == pytest.approx(ce_by_hand(z, y), rel=1e-10, abs=1e-12), case.name
        dz = grad_ex.reference(*grad_ex.to_first_form(case.args))[0]
        fd = numerical_gradient(lambda v: ce_by_hand(v, y), np.asarray(z, dtype=np.float64), 1e-5)
        assert np.abs(dz - fd).max() <= 1e-6 * max(np.abs(fd).max(), 1.0), case.name


# ---------------------------------------------------------------------------
# The inputs that tell the real mistakes apart are in every draw.
# ---------------------------------------------------------------------------


def _logit_rows(exercise, case):
    if exercise == "softmax_loss":
        W, X, y, _ = case.args
        return np.asarray(X, np.float64) @ np.asarray(W, np.float64), np.asarray(y)
    return np.asarray(case.args[0], np.float64), np.asarray(case.args[1])


@pytest.mark.parametrize("exercise, targets", [
    ("softmax_loss", "labels"), ("cross_entropy", "labels"), ("cross_entropy_grad", "labels"),
    ("cross_entropy", "probabilities"), ("cross_entropy_grad", "probabilities"),
])
@pytest.mark.parametrize("seed", [0, 7])
def test_every_draw_holds_the_separating_inputs(exercise, targets, seed):
    ex = EXERCISES[exercise]
    cases = ex.cases(np.random.default_rng(seed), targets)
    rows = [_logit_rows(exercise, case) for case in cases]
    labels = targets == "labels"
    shapes = [z.shape for z, _ in rows]
    assert any(N == 1 for N, _ in shapes)
    assert {1, 2} <= {C for _, C in shapes} and any(C > 8 for _, C in shapes)
    assert any(1e3 <= np.abs(z).max() for z, _ in rows)  # overflows an unshifted exp
    assert any(np.ptp(z.max(axis=1)) > 745 and np.abs(z).max() < 700 for z, _ in rows)  # per-batch shift
    assert any((z.max(axis=1) < 0).all() for z, _ in rows)  # all-negative logits
    if labels:
        underflow = [(z[np.arange(len(y)), y] - z.max(axis=1)).min() < -745 for z, y in rows if z.shape[1] > 1]
        assert any(underflow)  # p_y underflows
        assert any(y.max() < z.shape[1] - 1 for z, y in rows)  # the top class is absent
        assert any(y.dtype == np.int32 for _, y in rows) and any(y.dtype == np.int64 for _, y in rows)
    else:
        # a probability underflows in rows whose maxima are moderate
        assert any((z - z.max(axis=1, keepdims=True)).min() < -745 and np.abs(z.max(axis=1)).max() < 100
                   for z, _ in rows)
    if exercise == "softmax_loss":
        assert any(case.args[0].shape[1] > case.args[0].shape[0] for case in cases)  # C > D
        assert any(case.args[3] == 0 for case in cases) and any(case.args[3] > 0.01 for case in cases)
        assert any(case.args[0].dtype == np.float32 for case in cases)
