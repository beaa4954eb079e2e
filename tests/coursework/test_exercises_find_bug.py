"""Chapter 13's find-the-bug exercises: the page's buggy code, its check, its fix.

For each exercise the buggy function is read from the chapter, both where it
is shown and where the learner's copy of it starts, and held to the exercise
module's registered wrong implementation, so the page and the check cannot
drift apart. The unchanged copy must fail and be named as its mistake, the
chapter's solution must pass with a verdict that says the bug is fixed,
plausible half-fixes must fail, and the references the checks compare with
are held to float64 finite differences of losses computed in Python floats.
"""

from __future__ import annotations

import inspect
import math
import re
from pathlib import Path

import numpy as np
import pytest

from derivations.coursework import EXERCISES, catalogue, check
from derivations.coursework.exercises import MODULES
from derivations.gradcheck import numerical_gradient
from tools import student

ROOT = Path(__file__).resolve().parents[2]
CHAPTER = ROOT / "book" / "13_mistakes.md"
SEEDS = [0, 1, 2, 3, 4, 5]

#: exercise id -> (exercise label in the chapter, buggy function's name, mistake it makes)
FIND_THE_BUG = {
    "find_bug_delta": ("ex-find-bug-delta", "softmax_delta", "diagonal-only-jacobian"),
    "find_bug_eye_node": ("ex-find-bug-eye-node", "softmax_node_backward", "batch-size-eye"),
    "find_bug_label_gradient": ("ex-find-bug-label-gradient", "softmax_loss_backward", "log-of-softmax"),
    "find_bug_unshifted_exp": ("ex-find-bug-unshifted-exp", "softmax_ce_grad", "no-max-shift"),
    "find_bug_batch_shift": ("ex-find-bug-batch-shift", "softmax_jacobians", "batch-max-shift"),
}


# ---------------------------------------------------------------------------
# Reading the chapter.
# ---------------------------------------------------------------------------


def _chapter():
    text = CHAPTER.read_text(encoding="utf-8")
    return text, text.splitlines(), student.fenced_blocks(text.splitlines())


def _between(blocks, start_name, label):
    """Index of the block that opens ``label`` with ``start_name``, and of its end block."""
    k = next(i for i, b in enumerate(blocks) if b.name == start_name and label in _block_text(b))
    end_name = start_name.replace("-start", "-end")
    return k, next(j for j in range(k + 1, len(blocks)) if blocks[j].name == end_name)


_LINES = None


def _block_text(b):
    return "\n".join(_LINES[b.start : b.end + 1])


def chapter_cells(exercise):
    """(shown buggy cell, learner's starting cell, solution cells, check cell) from the chapter."""
    global _LINES
    text, lines, blocks = _chapter()
    _LINES = lines
    label, name, _ = FIND_THE_BUG[exercise]
    function = EXERCISES[exercise].function
    cells = [(i, student.cell_source(lines, b)) for i, b in enumerate(blocks) if b.name == "code-cell"]
    shown = [src for _, src in cells if re.match(rf"^def {name}\(", src)]
    k, end = _between(blocks, "exercise-start", label)
    starting = [student.cell_source(lines, blocks[i]) for i in range(k + 1, end) if blocks[i].name == "code-cell"]
    s, s_end = _between(blocks, "solution-start", label)
    solution = [student.cell_source(lines, blocks[i]) for i in range(s + 1, s_end) if blocks[i].name == "code-cell"]
    after = [src for i, src in cells if i > s_end]
    check_cell = next(src for src in after if src.startswith("check("))
    assert len(shown) == 1, f"{exercise}: the buggy {name} is shown {len(shown)} times"
    assert len(starting) == 1 and starting[0].startswith(f"def {function}("), exercise
    assert len(solution) == 1 and solution[0].startswith(f"def {function}("), exercise
    return shown[0], starting[0], solution[0], check_cell


def define(source, name):
    """The function ``name`` that a chapter cell defines, run with numpy only."""
    namespace = {"np": np}
    exec(compile(source, f"<chapter 13: {name}>", "exec"), namespace)
    return namespace[name]


def module_source(fn):
    """A registered function's source without its decorator."""
    lines = inspect.getsource(fn).splitlines()
    return "\n".join(line for line in lines if not line.startswith("@"))


# ---------------------------------------------------------------------------
# The page and the package agree.
# ---------------------------------------------------------------------------


def test_every_find_the_bug_exercise_is_in_the_chapter_and_only_those_start_from_code():
    assert {ex for ex, e in EXERCISES.items() if e.starts_from is not None} == set(FIND_THE_BUG)
    text = CHAPTER.read_text(encoding="utf-8")
    section = text.split("(find-the-bug)=\n## Find the bug\n", 1)[1].split("\n## ", 1)[0]
    for exercise in FIND_THE_BUG:
        assert f'check("{exercise}", {EXERCISES[exercise].function})' in section


@pytest.mark.parametrize("exercise", list(FIND_THE_BUG))
def test_the_page_shows_the_registered_buggy_function(exercise):
    _, name, mistake = FIND_THE_BUG[exercise]
    ex = EXERCISES[exercise]
    shown, starting, _, _ = chapter_cells(exercise)
    assert ex.starts_from is MODULES[exercise].__dict__[name]
    assert shown == module_source(ex.starts_from)
    # the learner's cell is the same code under the my_ name, not a stub
    assert starting == shown.replace(f"def {name}(", f"def {ex.function}(", 1)
    assert "NotImplementedError" not in starting
    # it is registered as a wrong implementation, first among its exercise's, under its mistake
    first = next(w for w in catalogue.WRONG if w.exercise == exercise)
    assert first.fn is ex.starts_from and first.mistake == mistake


@pytest.mark.parametrize("exercise", list(FIND_THE_BUG))
def test_the_unchanged_copy_fails_and_is_named(exercise):
    _, _, mistake = FIND_THE_BUG[exercise]
    ex = EXERCISES[exercise]
    _, starting, _, _ = chapter_cells(exercise)
    fn = define(starting, ex.function)
    m = catalogue.MISTAKES[mistake]
    for seed in SEEDS:
        result = check(exercise, fn, seed=seed)
        assert not result.passed and result.mistake == mistake, result.message
        assert result.message.startswith(f"✗ {ex.function} is not right yet.")
        assert f"It behaves exactly like the known mistake [{mistake}]" in result.message
        assert f"Read why: {m.where}, {m.url()}" in result.message
        assert "Bug found and fixed" not in result.message


@pytest.mark.parametrize("exercise", list(FIND_THE_BUG))
def test_the_solution_passes_and_says_the_bug_is_fixed(exercise):
    ex = EXERCISES[exercise]
    _, _, solution, check_cell = chapter_cells(exercise)
    assert "derivations" not in solution  # the fixed function may use numpy only
    fn = define(solution, ex.function)
    for seed in SEEDS + [None]:
        result = check(exercise, fn, seed=seed)
        assert result.passed, result.message
        head, detail = result.message.splitlines()[:2]
        assert head.startswith(f"✓ Bug found and fixed: {ex.function} passed all ")
        assert detail == ex.passed_message != ""
    assert check_cell == f'check("{exercise}", {ex.function})'


def test_other_exercises_do_not_claim_a_bug_was_fixed():
    result = check("softmax", MODULES["softmax"].softmax_rows, seed=0)
    assert result.passed and "Bug found" not in result.message
    assert result.message.splitlines()[1].startswith("Cases: ")


def test_a_learner_who_raises_not_implemented_is_told_so():
    def gave_up(*args):
        raise NotImplementedError("Student exercise")

    for exercise in FIND_THE_BUG:
        result = check(exercise, gave_up)
        assert not result.passed and result.not_implemented


# ---------------------------------------------------------------------------
# Plausible fixes that stop half way: they must fail.
# ---------------------------------------------------------------------------


def _p(z):
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def delta_forgets_the_dot(z, dp):
    p = _p(z)
    return p * (dp - p)


def delta_mean_not_sum(z, dp):
    p = _p(z)
    return p * (dp - np.mean(p * dp, axis=-1, keepdims=True))


def node_mean_not_sum(p, dp):
    return p * (dp - np.mean(p * dp, axis=1, keepdims=True))


def node_eye_of_classes(p, dp):
    g = p * (np.eye(p.shape[1]) - p)
    return dp * g


def node_sums_the_elementwise_product(p, dp):
    g = p * (np.eye(p.shape[1]) - p)
    return np.sum(dp * g, axis=0, keepdims=True) * np.ones_like(p)


def label_clipped(z, t):
    p = _p(z)
    N = z.shape[0]
    return (p - t) / N, -np.log(np.clip(p, 1e-300, None)) / N


def label_nan_to_num(z, t):
    p = _p(z)
    N = z.shape[0]
    with np.errstate(divide="ignore"):
        return (p - t) / N, -np.nan_to_num(np.log(p)) / N


def label_sign_flipped(z, t):
    s = z - np.max(z, axis=1, keepdims=True)
    log_p = s - np.log(np.sum(np.exp(s), axis=1, keepdims=True))
    return (np.exp(log_p) - t) / len(z), log_p / len(z)


def unshifted_clipped(z, t):
    e = np.exp(np.clip(z, -700, 700))
    return (e / np.sum(e, axis=1, keepdims=True) - t) / z.shape[0]


def unshifted_row_mean(z, t):
    e = np.exp(z - np.mean(z, axis=1, keepdims=True))
    return (e / np.sum(e, axis=1, keepdims=True) - t) / z.shape[0]


def unshifted_no_keepdims(z, t):
    e = np.exp(z - np.max(z, axis=1))
    return (e / np.sum(e, axis=1, keepdims=True) - t) / z.shape[0]


def _stack(p):
    return p[:, :, None] * np.eye(p.shape[1]) - p[:, :, None] * p[:, None, :]


def batch_shift_by_column(z):
    e = np.exp(z - np.max(z, axis=0, keepdims=True))
    return _stack(e / np.sum(e, axis=1, keepdims=True))


def batch_shift_by_row_min(z):
    e = np.exp(z - np.min(z, axis=1, keepdims=True))
    return _stack(e / np.sum(e, axis=1, keepdims=True))


def batch_shift_no_keepdims(z):
    e = np.exp(z - np.max(z, axis=1))
    return _stack(e / np.sum(e, axis=1, keepdims=True))


HALF_FIXES = [
    ("find_bug_delta", delta_forgets_the_dot), ("find_bug_delta", delta_mean_not_sum),
    ("find_bug_eye_node", node_mean_not_sum), ("find_bug_eye_node", node_eye_of_classes),
    ("find_bug_eye_node", node_sums_the_elementwise_product),
    ("find_bug_label_gradient", label_clipped), ("find_bug_label_gradient", label_nan_to_num),
    ("find_bug_label_gradient", label_sign_flipped),
    ("find_bug_unshifted_exp", unshifted_clipped), ("find_bug_unshifted_exp", unshifted_row_mean),
    ("find_bug_unshifted_exp", unshifted_no_keepdims),
    ("find_bug_batch_shift", batch_shift_by_column), ("find_bug_batch_shift", batch_shift_by_row_min),
    ("find_bug_batch_shift", batch_shift_no_keepdims),
]


@pytest.mark.parametrize("exercise, fn", HALF_FIXES, ids=lambda v: getattr(v, "__name__", v))
def test_a_half_fix_fails(exercise, fn):
    for seed in SEEDS:
        result = check(exercise, fn, seed=seed)
        assert not result.passed, f"seed {seed}: {fn.__name__} passed"
        assert result.message.startswith("✗") and "Bug found" not in result.message


@pytest.mark.parametrize("exercise, fn, mistake", [
    ("find_bug_eye_node", node_eye_of_classes, "elementwise-jacobian"),
    ("find_bug_unshifted_exp", unshifted_no_keepdims, "missing-keepdims"),
    ("find_bug_batch_shift", batch_shift_no_keepdims, "missing-keepdims"),
])
def test_a_catalogued_half_fix_is_named(exercise, fn, mistake):
    for seed in SEEDS:
        assert check(exercise, fn, seed=seed).mistake == mistake


def test_the_eye_node_cases_hold_the_batch_sizes_that_expose_it():
    for seed in SEEDS:
        cases = EXERCISES["find_bug_eye_node"].cases(np.random.default_rng(seed))
        shapes = [np.shape(c.args[0]) for c in cases]
        assert any(N == 1 for N, _ in shapes)
        assert any(N == C > 1 for N, C in shapes)
        assert any(N > 1 and N != C for N, C in shapes)


def test_the_stability_cases_hold_the_inputs_that_expose_them():
    for seed in SEEDS:
        rng = np.random.default_rng(seed)
        z_exp = [np.asarray(c.args[0]) for c in EXERCISES["find_bug_unshifted_exp"].cases(rng)]
        assert any(z.max() > 710 for z in z_exp) and any(z.max() < -745 for z in z_exp)
        assert any(z.dtype == np.float32 and z.max() > 89 for z in z_exp)
        z_shift = [np.asarray(c.args[0]) for c in EXERCISES["find_bug_batch_shift"].cases(rng)]
        assert any(z.max() - z.max(axis=1).min() > 746 for z in z_shift)
        assert any(z.dtype == np.float32 and z.max() - z.max(axis=1).min() > 104 for z in z_shift)
        z_log = [np.asarray(c.args[0]) for c in EXERCISES["find_bug_label_gradient"].cases(rng)]
        assert any((z.max(axis=1) - z.min(axis=1)).min() > 746 for z in z_log)


# ---------------------------------------------------------------------------
# The references, against float64 finite differences of losses in Python floats.
# ---------------------------------------------------------------------------


def softmax_row(row):
    m = max(row)
    e = [math.exp(v - m) for v in row]
    s = math.fsum(e)
    return [v / s for v in e]


def log_softmax_row(row):
    m = max(row)
    lse = m + math.log(math.fsum(math.exp(v - m) for v in row))
    return [v - lse for v in row]


def mean_ce(z, t):
    return math.fsum(
        -math.fsum(tc * lp for tc, lp in zip(trow, log_softmax_row(zrow)))
        for zrow, trow in zip(np.asarray(z, float).tolist(), np.asarray(t, float).tolist())
    ) / len(z)


def _moderate_cases(exercise, seed):
    """The cases of a draw whose logits finite differences can handle in float64."""
    for case in EXERCISES[exercise].cases(np.random.default_rng(seed)):
        first = np.asarray(case.args[0], dtype=np.float64)
        if np.abs(first).max() < 50 and np.asarray(case.args[0]).dtype == np.float64:
            yield case


def _close(a, fd):
    assert np.abs(np.asarray(a) - fd).max() <= 1e-7 * max(np.abs(fd).max(), 1.0)


@pytest.mark.parametrize("seed", [0, 1])
def test_delta_reference_is_the_gradient_of_dp_dot_softmax(seed):
    ex = EXERCISES["find_bug_delta"]
    for case in _moderate_cases("find_bug_delta", seed):
        z, dp = case.args
        f = lambda v: math.fsum(  # noqa: E731
            g * p for grow, zrow in zip(np.atleast_2d(dp).tolist(), np.atleast_2d(v).tolist())
            for g, p in zip(grow, softmax_row(zrow))
        )
        _close(ex.reference(z, dp)[0], numerical_gradient(f, z, 1e-5))


@pytest.mark.parametrize("seed", [0, 1])
def test_node_reference_is_the_gradient_through_the_softmax_node(seed):
    ex = EXERCISES["find_bug_eye_node"]
    rng = np.random.default_rng(seed)
    for N, C in [(1, 4), (3, 5), (10, 10)]:
        z, dp = rng.normal(size=(N, C)), rng.normal(size=(N, C))
        p = np.array([softmax_row(row) for row in z.tolist()])
        f = lambda v: math.fsum(  # noqa: E731
            g * q for grow, zrow in zip(dp.tolist(), v.tolist()) for g, q in zip(grow, softmax_row(zrow))
        )
        _close(ex.reference(p, dp)[0], numerical_gradient(f, z, 1e-5))


@pytest.mark.parametrize("seed", [0, 1])
def test_label_gradient_reference_is_the_gradient_of_the_mean_loss(seed):
    ex = EXERCISES["find_bug_label_gradient"]
    for case in _moderate_cases("find_bug_label_gradient", seed):
        z, t = case.args
        dz, dt = ex.reference(z, t)
        _close(dz, numerical_gradient(lambda v: mean_ce(v, t), z, 1e-5))
        _close(dt, numerical_gradient(lambda v: mean_ce(z, v), np.asarray(t, float), 1e-5))


def test_label_gradient_reference_is_finite_where_a_probability_underflows():
    """-log p_c / N from log-sum-exp in Python floats, on the case that breaks the buggy node."""
    ex = EXERCISES["find_bug_label_gradient"]
    for seed in SEEDS:
        case = next(c for c in ex.cases(np.random.default_rng(seed)) if "800 below" in c.name)
        z, t = case.args
        _, dt = ex.reference(z, t)
        expected = np.array([[-v / len(z) for v in log_softmax_row(row)] for row in z.tolist()])
        assert np.isfinite(dt).all() and dt.max() > 700 / len(z)
        np.testing.assert_allclose(dt, expected, rtol=1e-12)


@pytest.mark.parametrize("seed", [0, 1])
def test_unshifted_exp_reference_is_the_gradient_of_the_mean_loss(seed):
    ex = EXERCISES["find_bug_unshifted_exp"]
    for case in _moderate_cases("find_bug_unshifted_exp", seed):
        z, t = case.args
        _close(ex.reference(z, t)[0], numerical_gradient(lambda v: mean_ce(v, t), z, 1e-5))


@pytest.mark.parametrize("seed", [0, 1])
def test_batch_shift_reference_is_the_jacobian_of_each_row(seed):
    ex = EXERCISES["find_bug_batch_shift"]
    for case in _moderate_cases("find_bug_batch_shift", seed):
        (z,) = case.args
        J = ex.reference(z)[0]
        N, C = z.shape
        for n in range(N):
            for i in range(C):
                fd = numerical_gradient(lambda v: softmax_row(v.tolist())[i], z[n], 1e-5)
                _close(J[n, i], fd)


def test_the_chapter_solutions_agree_with_finite_differences():
    """The fixes on the page, not only the references, on inputs of their own."""
    rng = np.random.default_rng(13)
    z, w = rng.normal(size=(4, 6)), rng.normal(size=(4, 6))
    t = np.eye(6)[rng.integers(0, 6, 4)]
    fixed = {ex: define(chapter_cells(ex)[2], EXERCISES[ex].function) for ex in FIND_THE_BUG}
    f = lambda v: math.fsum(  # noqa: E731
        g * q for grow, zrow in zip(w.tolist(), v.tolist()) for g, q in zip(grow, softmax_row(zrow))
    )
    _close(fixed["find_bug_delta"](z, w), numerical_gradient(f, z, 1e-5))
    p = np.array([softmax_row(row) for row in z.tolist()])
    _close(fixed["find_bug_eye_node"](p, w), numerical_gradient(f, z, 1e-5))
    dz, dt = fixed["find_bug_label_gradient"](z, t)
    _close(dz, numerical_gradient(lambda v: mean_ce(v, t), z, 1e-5))
    _close(dt, numerical_gradient(lambda v: mean_ce(z, v), t, 1e-5))
    _close(fixed["find_bug_unshifted_exp"](z, t), numerical_gradient(lambda v: mean_ce(v, t), z, 1e-5))
    J = fixed["find_bug_batch_shift"](z)
    _close(J[2, 3], numerical_gradient(lambda v: softmax_row(v.tolist())[3], z[2], 1e-5))


# ---------------------------------------------------------------------------
# The student copy: the buggy starting code stays, the fixes go.
# ---------------------------------------------------------------------------


def test_the_student_notebook_starts_from_the_buggy_code_without_the_fixes(tmp_path):
    import nbformat

    (path,) = student.write_notebooks(tmp_path, ROOT, ["13_mistakes.md"])
    nb = nbformat.read(path, as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    text = "\n".join(c.source for c in nb.cells)
    for exercise in FIND_THE_BUG:
        shown, starting, solution, check_cell = chapter_cells(exercise)
        assert shown in code and starting in code and check_cell in code
        assert solution not in text
        # the check comes after the starting copy, with no other definition in between
        fn = EXERCISES[exercise].function
        i = code.index(check_cell)
        defs = [j for j, s in enumerate(code[:i]) if re.search(rf"^def {fn}\(", s, re.M)]
        assert defs and code[defs[-1]] == starting
    assert "Hint" in text or "{hint}" in text
    assert not student.find_leaks(student.read_chapters(ROOT, ["13_mistakes.md"]), [path])
