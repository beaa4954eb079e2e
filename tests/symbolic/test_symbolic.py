"""The symbolic framework and the derivations of chapters puzzle, quotient-rule
and kronecker-delta.

The framework is tested on claims whose truth is known independently (hand
algebra), true and false, so that both verdicts are shown to be earned. The
derivations are tested for what the book says about them: every step of the
correct ones is proved, the asker's fails at exactly the step that drops the
i != j terms, and what the page shows is what was verified.
"""

import re

import numpy as np
import pytest
import sympy as sp

from derivations.symbolic import (
    DERIVATIONS,
    C,
    D,
    Derivation,
    Step,
    index,
    register,
)
from derivations.symbolic import kronecker_delta as kd
from derivations.symbolic import quotient_rule as qr

ALL_NAMES = ["quotient-rule", "kronecker-delta", "two-output-network", "matrix-frobenius", "diagonal-only"]
CORRECT = [n for n in ALL_NAMES if n != "diagonal-only"]
MARK_GENERAL = "✓ verified for general C"
MARK_SMALL_C = "✓ verified for C = 2, …, 6"

z = sp.IndexedBase("z", real=True)
t = sp.IndexedBase("t", real=True)
j, k, u = index("j k u")


def softmax_j(a):
    return sp.exp(z[a]) / sp.Sum(sp.exp(z[u]), (u, 1, C))


# ----------------------------------------------------------------------------
# the framework on claims with known answers
# ----------------------------------------------------------------------------


def test_true_general_claim_is_proved():
    # d/dz_j sum_k z_k^3 = 3 z_j^2, by hand
    step = Step("cubes", sp.Eq(sp.Derivative(sp.Sum(z[k] ** 3, (k, 1, C)), z[j]), 3 * z[j] ** 2, evaluate=False), "x")
    assert step.verify() is True
    assert step.status == "proved"
    assert step.mark == MARK_GENERAL
    assert step.scope_text == "verified for general C"


def test_false_general_claim_is_refuted_with_numbers():
    # the diagonal entry is p_j (1 - p_j), not p_j: a wrong claim must fail
    wrong = Step(
        "a wrong diagonal",
        sp.Eq(sp.Derivative(softmax_j(j), z[j]), softmax_j(j), evaluate=False),
        r"\partial p_j / \partial z_j = p_j",
        expected=False,
    )
    assert wrong.verify() is False
    assert wrong.status == "refuted"
    assert wrong.mark.startswith("✗ refuted")
    # the counterexample names a class count and the two differing sides
    assert "C = 2" in wrong.detail and "left side" in wrong.detail


def test_off_by_a_constant_is_refuted():
    # sum_{k=1}^C 1 = C, so C + 1 is wrong for every C
    step = Step("count", sp.Eq(sp.Sum(1, (k, 1, C)), C + 1, evaluate=False), "x")
    assert step.verify() is False
    assert step.status == "refuted"


def test_small_c_scope_proves_and_refutes():
    def softmax_sums_to_one(c):
        zs = sp.symbols(f"a1:{c + 1}", real=True)
        total = sum(sp.exp(a) for a in zs)
        return sp.Eq(sum(sp.exp(a) / total for a in zs), 1, evaluate=False)

    def softmax_sums_to_two(c):
        eq = softmax_sums_to_one(c)
        return sp.Eq(eq.lhs, 2, evaluate=False)

    good = Step("sum", softmax_sums_to_one, "x", scope="C=2..6")
    bad = Step("sum", softmax_sums_to_two, "x", scope="C=2..6", expected=False)
    assert good.verify() and good.mark == MARK_SMALL_C
    assert good.scope_text == "checked for C = 2, ..., 6"
    assert not bad.verify() and bad.status == "refuted"


def test_small_c_claim_failing_only_at_large_c_is_refuted():
    # true for C <= 4, false from C = 5 on: checking 2..6 must catch it
    def claim(c):
        return sp.Eq(sp.Integer(min(c, 4)), sp.Integer(c), evaluate=False)

    step = Step("caps", claim, "x", scope="C=2..6", expected=False)
    assert step.verify() is False
    assert "C = 5" in step.detail


def test_matrix_claims_compare_every_entry():
    a, b = sp.symbols("a b")
    same = Step("m", sp.Eq(sp.Matrix([a + b, a * b]), sp.Matrix([b + a, b * a]), evaluate=False), "x", scope="exact")
    differ = Step("m", sp.Eq(sp.Matrix([a + b, a * b]), sp.Matrix([b + a, a + b]), evaluate=False), "x", scope="exact")
    assert same.verify() and same.mark == "✓ verified symbolically"
    assert not differ.verify() and differ.status == "refuted"


def test_index_ranges_settle_piecewise_conditions():
    # sympy alone leaves Piecewise((t_k, k <= C), (0, True)); indices are in range
    step = Step(
        "delta",
        sp.Eq(sp.Sum(t[j] * sp.KroneckerDelta(j, k), (j, 1, C)), t[k], evaluate=False),
        "x",
    )
    assert step.verify()
    # a second size, D, is also taken to be at least 1
    m, r = index("m r", upper=D)
    w = sp.IndexedBase("w")
    step_d = Step("d", sp.Eq(sp.Derivative(sp.Sum(w[m] ** 2, (m, 1, D)), w[r]), 2 * w[r], evaluate=False), "x")
    assert step_d.verify()


def test_one_index_name_with_two_ranges_is_rejected():
    # i in 1..C and i in 1..D in one claim would make range facts ambiguous
    (i_c,) = (index("i"),)
    i_d = index("i", upper=D)
    w = sp.IndexedBase("w")
    step = Step("clash", sp.Eq(w[i_c] + w[i_d], 2 * w[i_c], evaluate=False), "x")
    with pytest.raises(ValueError, match="two ranges"):
        step.verify()


def test_verification_is_cached():
    calls = []

    def claim(c):
        calls.append(c)
        return sp.Eq(sp.Integer(c), sp.Integer(c), evaluate=False)

    step = Step("cached", claim, "x", scope="C=2..6")
    assert step.verify() and step.verify() and step.mark
    assert calls == [2, 3, 4, 5, 6]


@pytest.mark.parametrize(
    "kwargs, error",
    [
        (dict(title="a", claim=sp.Eq(1, 1, evaluate=False), latex="x", scope="all C"), ValueError),
        (dict(title="a", claim=lambda c: sp.Eq(c, c), latex="x"), TypeError),
        (dict(title="a", claim=sp.Eq(1, 1, evaluate=False), latex="x", scope="C=2..6"), TypeError),
        (dict(title="a", claim="1 = 1", latex="x"), TypeError),
        (dict(title="a", claim=sp.Eq(1, 1, evaluate=False), latex="  "), ValueError),
    ],
)
def test_bad_steps_are_rejected(kwargs, error):
    with pytest.raises(error):
        Step(**kwargs)


def test_bad_derivations_are_rejected():
    with pytest.raises(ValueError, match="no steps"):
        Derivation("empty", "Empty", [])
    with pytest.raises(TypeError, match="Step objects"):
        Derivation("bad", "Bad", ["not a step"])
    with pytest.raises(TypeError, match="Derivation"):
        register("not a derivation")


def test_register_adds_by_name():
    d = Derivation("test-only", "T", [Step("s", sp.Eq(1, 1, evaluate=False), "1 = 1", scope="exact")])
    try:
        assert register(d) is d
        assert DERIVATIONS["test-only"] is d
    finally:
        DERIVATIONS.pop("test-only", None)


def test_importing_the_package_does_not_import_sympy():
    import subprocess
    import sys

    code = "import sys, derivations; print('sympy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_framework_is_imported_one_way():
    # the derivations import claims/prover/steps, never the package that imports them;
    # the package only re-exports and defines nothing itself
    import ast
    from pathlib import Path

    import derivations.symbolic as package

    folder = Path(package.__file__).parent
    for path in folder.glob("*.py"):
        tree = ast.parse(path.read_text())
        sources = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        if path.name != "__init__.py":
            assert "derivations.symbolic" not in sources, path.name
    init = ast.parse((folder / "__init__.py").read_text())
    assert not [n for n in init.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))]


def test_prove_reports_a_counterexample_it_can_be_checked_against():
    from derivations.symbolic import prove

    x = sp.Symbol("x", positive=True)
    assert prove(sp.Eq(sp.exp(2 * sp.log(x)), x**2, evaluate=False), "exact") == ("proved", None)
    # x**2 = 2x holds only at x = 2 among positive x: a random point refutes it
    status, (_, lhs, rhs, point) = prove(sp.Eq(x**2, 2 * x, evaluate=False), "exact")
    assert status == "refuted"
    value = float(point.removeprefix("x = "))
    assert lhs == pytest.approx(value**2, rel=1e-4) and rhs == pytest.approx(2 * value, rel=1e-4)


# ----------------------------------------------------------------------------
# the registered derivations
# ----------------------------------------------------------------------------


def test_all_five_derivations_are_registered():
    assert set(ALL_NAMES) <= set(DERIVATIONS)


@pytest.mark.parametrize("name", CORRECT)
def test_every_step_of_a_correct_derivation_is_proved(name):
    results = DERIVATIONS[name].verify()
    assert results, name
    failed = [title for title, ok in results if not ok]
    assert failed == []
    assert all(s.expected for s in DERIVATIONS[name].steps)


def test_the_asker_derivation_fails_at_exactly_the_dropped_terms():
    d = DERIVATIONS["diagonal-only"]
    results = d.verify()
    failed = [title for title, ok in results if not ok]
    assert failed == [r"Through $o_j$ alone: the terms of every $o_k$ with $k \neq j$ are dropped"]
    # and that is the step marked as meant to fail, refuted by numbers
    (wrong,) = [s for s in d.steps if not s.expected]
    assert wrong.title == failed[0] and wrong.status == "refuted"
    assert d.unexpected() == []
    # the correct ingredients the asker used are all there and proved
    proved = {title for title, ok in results if ok}
    assert "The loss's derivative with respect to one output" in proved
    assert "The diagonal entry of the softmax Jacobian (quotient rule)" in proved
    assert "One weight feeds one logit" in proved


def test_the_refuted_step_is_wrong_for_the_reason_the_book_gives():
    # independently of the framework: the true dE/dz_j minus the asker's
    # diagonal term is exactly the i != j sum, o_j * sum_{i != j} t_i
    c = 3
    zs = sp.symbols("z1:4", real=True)
    ts = sp.symbols("t1:4", positive=True)
    denominator = sum(sp.exp(a) for a in zs)
    o = [sp.exp(a) / denominator for a in zs]
    E = -sum(ti * sp.log(oi) for ti, oi in zip(ts, o))
    for jj in range(c):
        true = sp.diff(E, zs[jj])
        asker = -ts[jj] * (1 - o[jj])
        dropped = o[jj] * sum(ts[i] for i in range(c) if i != jj)
        assert sp.simplify(true - asker - dropped) == 0


def test_every_step_reaches_a_verdict():
    # no step of the book is left "unproven": each is proved or refuted
    for name in ALL_NAMES:
        for s in DERIVATIONS[name].steps:
            assert s.status in ("proved", "refuted")


@pytest.mark.parametrize("name", ["quotient-rule", "kronecker-delta", "diagonal-only"])
def test_show_renders_every_step_with_its_verdict(name):
    d = DERIVATIONS[name]
    md = d.show()._repr_markdown_()
    for n, s in enumerate(d.steps, 1):
        assert s.latex.strip() in md
        assert f"Step {n}. {s.title}" in md
        assert (s.mark if s.verify() else s.detail[1:]) in md
    # one display block per step
    assert md.count("$$") == 2 * len(d.steps)
    # the plain-text form lists every verdict too
    assert len(repr(d.show()).splitlines()) == len(d.steps) + 1


def test_show_marks_come_from_verification():
    shown = DERIVATIONS["diagonal-only"].show()._repr_markdown_()
    assert shown.count("✗ REFUTED") == 1
    assert shown.count("✓ verified for general C") == len(DERIVATIONS["diagonal-only"].steps) - 1
    # a step that fails though it was expected to hold is flagged on the page
    oops = Step("oops", sp.Eq(sp.Integer(1), sp.Integer(2), evaluate=False), "1 = 2", scope="exact")
    bad = Derivation("bad", "Bad", [oops])
    text = bad.show()._repr_markdown_()
    assert "✗ REFUTED" in text and "expected to hold" in text


def test_a_refuted_step_is_marked_by_more_than_colour():
    # a quotation block set apart from the proved steps, a verdict in words,
    # and the numbers of its counterexample: z and t, not only C and j
    shown = DERIVATIONS["diagonal-only"].show()._repr_markdown_()
    blocks = [b for b in shown.split("\n\n") if b.startswith(">")]
    assert len(blocks) == 1
    block = blocks[0]
    assert "this step is wrong" in block and "reproduced on purpose" in block
    assert all(line.startswith(">") for line in block.splitlines())
    assert re.search(r"with t = \(-?[\d.]+, -?[\d.]+\), z = \(-?[\d.]+, -?[\d.]+\)", block)
    # proved steps stay outside any quotation block
    assert all("✓" not in b for b in blocks)


def test_the_counterexample_numbers_refute_the_step():
    # re-evaluate the refuted step of the diagonal-only derivation at the printed z and t:
    # the asker's dE/dz_j = -t_j (1 - o_j) against the true tau o_j - t_j
    step = next(s for s in DERIVATIONS["diagonal-only"].steps if not s.verify())
    m = re.search(r"C = (\d+), j = (\d+), with t = \(([^)]*)\), z = \(([^)]*)\)", step.detail)
    C, j = int(m[1]), int(m[2]) - 1
    t = np.array([float(v) for v in m[3].split(",")])
    z = np.array([float(v) for v in m[4].split(",")])
    assert len(t) == len(z) == C
    o = np.exp(z) / np.exp(z).sum()
    left, right = (float(v) for v in re.search(r"left side is (\S+) and the right side (\S+)", step.detail).groups())
    assert {round(left, 3), round(right, 3)} == {round(-t[j] * (1 - o[j]), 3), round(t.sum() * o[j] - t[j], 3)}


def test_show_can_render_a_range_of_steps():
    d = DERIVATIONS["quotient-rule"]
    part = d.show(2, 4)._repr_markdown_()
    assert "Step 2." in part and "Step 4." in part
    assert "Step 1." not in part and "Step 5." not in part
    assert part.count("$$") == 2 * 3
    assert d.show(5)._repr_markdown_().count("$$") == 2 * (len(d.steps) - 4)
    for bad, error in [((0, 2), ValueError), ((3, 2), ValueError), ((1, 99), ValueError), ((1.0, 2), TypeError)]:
        with pytest.raises(error):
            d.show(*bad)


def test_scopes_used_by_the_book():
    # chapter quotient-rule shows both kinds of verification
    scopes = {s.scope for s in DERIVATIONS["quotient-rule"].steps}
    assert scopes == {"general", "C=2..6"}
    assert {s.scope for s in DERIVATIONS["kronecker-delta"].steps} == {"general"}


# ----------------------------------------------------------------------------
# the claims checked numerically as well, independently of sympy's verdict
# ----------------------------------------------------------------------------


def _numeric(expr, c, where, values):
    from derivations.symbolic import plain_indices

    expr, _ = plain_indices(expr)
    expr = expr.xreplace({C: c, D: 2}).doit().subs(where).doit()
    return float(sp.N(expr.xreplace(values)))


def test_kronecker_steps_hold_on_numbers():
    # evaluate both sides of each general step at C = 4 and random values
    rng = np.random.default_rng(3)
    c = 4
    values = {}
    for base in (kd.z, kd.t, kd.h, kd.b):
        for q in range(1, c + 1):
            values[base[q]] = float(rng.uniform(0.1, 1.0) if base is kd.t else rng.normal())
    for a in range(1, 3):
        for q in range(1, c + 1):
            values[kd.w[a, q]] = float(rng.normal())
    for s in kd.STEPS:
        lhs, rhs = s.claim.args
        plain = {sp.Symbol(n, integer=True): v for n, v in zip(["i", "j", "k", "d", "y"], (2, 3, 4, 1, 2))}
        a = _numeric(lhs, c, plain, values)
        b = _numeric(rhs, c, plain, values)
        assert a == pytest.approx(b, rel=1e-9, abs=1e-12), s.title


def test_quotient_rule_off_diagonal_claim_matches_finite_differences():
    # the C = 4 instance of the i != j claim, checked against numpy
    from derivations import numerical_gradient, softmax

    zv = np.array([0.3, -1.2, 2.0, 0.5])
    p = softmax(zv)
    eq = qr.STEPS[3].claim(4)
    values = {qr.z[q + 1]: zv[q] for q in range(4)}
    lhs = [float(sp.N(e.doit().xreplace(values))) for e in eq.lhs]
    pairs = [(a, b) for a in range(4) for b in range(4) if a != b]
    fd = {(a, b): numerical_gradient(lambda v: softmax(v)[a], zv)[b] for a, b in pairs}
    for (a, b), value in zip(pairs, lhs):
        assert value == pytest.approx(fd[a, b], abs=1e-8)
        assert value == pytest.approx(-p[a] * p[b], abs=1e-12)
