"""Proving a claim with sympy, or refuting it with numbers.

:func:`prove` is the whole surface: it tries progressively stronger
simplifications of ``lhs - rhs`` and, when none gives 0, looks for a
numeric counterexample over C = 2, ..., 6 and every value of the free
indices. A claim is thus *proved*, *refuted* (with the point that refutes
it) or *unproven*. :mod:`derivations.symbolic.steps` shows the verdicts;
the derivations are first shown in :ref:`quotient-rule`.

Claims come in three scopes:

``"general"``
    One sympy equation valid for a symbolic number of classes ``C``: sums
    run over :func:`~derivations.symbolic.claims.index` objects ``1..C``
    and derivatives of such sums produce ``KroneckerDelta``. An index is
    always taken to lie in its range, which settles the ``Piecewise``
    conditions sympy leaves behind.
``"C=2..6"``
    A callable ``C -> Eq`` that builds the claim for a concrete number of
    classes; it is proved separately for each ``C = 2, ..., 6``. Either side
    may be a sympy ``Matrix`` (compared entry by entry), which is how a
    claim "for every j" is stated for a concrete ``C``.
``"exact"``
    A claim with no class count at all (a fixed small network), proved once.
"""

from __future__ import annotations

import itertools

import numpy as np
import sympy as sp

from derivations.symbolic.claims import C, D

__all__ = ["SCOPES", "C_RANGE", "check_claim", "plain_indices", "prove"]

#: The class counts a "C=2..6" claim is proved for.
C_RANGE = range(2, 7)

SCOPES = ("general", "C=2..6", "exact")


def check_claim(claim, scope):
    """Raise unless ``claim`` is a claim of ``scope``; see the scopes above.

    The check a :class:`~derivations.symbolic.steps.Step` makes when it is
    built (:ref:`quotient-rule`), so that a malformed claim fails at import,
    not when the page is rendered.

    Examples
    --------
    >>> check_claim(sp.Eq(C, C, evaluate=False), "C=2..6")
    Traceback (most recent call last):
    ...
    TypeError: a 'C=2..6' step needs a callable claim: C -> sympy Eq
    """
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}; expected one of {SCOPES}")
    if scope == "C=2..6":
        if not callable(claim):
            raise TypeError("a 'C=2..6' step needs a callable claim: C -> sympy Eq")
    elif callable(claim):
        raise TypeError(f"a {scope!r} step needs a sympy Eq as its claim, not a callable")
    else:
        _as_claim(claim)


def prove(claim, scope):
    """Prove ``claim`` in ``scope``: ``(status, counterexample)``.

    ``status`` is ``"proved"``, ``"refuted"`` or ``"unproven"``; the
    counterexample of a refuted claim is ``(where, lhs, rhs, point)``: the
    class count and indices in words, the two sides' values there, and the
    other numbers used (``"z = (0.3, -1.2), t = ..."``); otherwise it is
    None. Every step of :ref:`quotient-rule` and the chapters after it is
    settled by this function.

    Examples
    --------
    >>> x = sp.Symbol("x", positive=True)
    >>> prove(sp.Eq(sp.log(x**2), 2 * sp.log(x), evaluate=False), "exact")
    ('proved', None)
    >>> status, (where, lhs, rhs, point) = prove(sp.Eq(x + 1, x, evaluate=False), "exact")
    >>> status, lhs - rhs
    ('refuted', 1.0)
    """
    check_claim(claim, scope)
    claims = [claim(c) for c in C_RANGE] if scope == "C=2..6" else [claim]
    if all(_is_zero(sp.sympify(d)) for one in claims for d in _difference(_as_claim(one))[0]):
        return "proved", None
    found = _counterexample(claim, scope)
    return ("unproven", None) if found is None else ("refuted", found)


# --------------------------------------------------------------------------
# the tactics
# --------------------------------------------------------------------------


def plain_indices(expr):
    """Replace every ``Idx`` by an integer symbol; return it and the index ranges.

    ``Idx`` carries its range inside itself, so substituting a number for
    ``C`` would silently change the range of a bound index; plain symbols
    plus a separate table of ranges avoid that. Summation variables are
    recorded with their limits too. Every claim from :ref:`quotient-rule` on
    goes through it before sympy simplifies or numbers are substituted.

    Examples
    --------
    >>> from derivations.symbolic.claims import index
    >>> j = index("j")
    >>> expr, ranges = plain_indices(sp.IndexedBase("z")[j])
    >>> expr, ranges
    (z[j], {j: (1, C)})
    >>> expr.atoms(sp.Idx)
    set()
    """
    ranges, swap = {}, {}
    for idx in expr.atoms(sp.Idx):
        plain = sp.Symbol(str(idx.label), integer=True)
        swap[idx] = plain
        if idx.lower is not None and idx.upper is not None:
            bounds = (idx.lower, idx.upper)
            if ranges.get(plain, bounds) != bounds:
                # one name, two ranges: settling conditions would be unsound
                raise ValueError(
                    f"index {plain} is used with two ranges, {ranges[plain]} and {bounds}; "
                    "give each range its own index name"
                )
            ranges[plain] = bounds
    expr = expr.xreplace(swap)
    for s in expr.atoms(sp.Sum):
        for var, lo, hi in s.limits:
            ranges[var] = (lo, hi)
    return expr, ranges


def _holds_in_range(rel, ranges):
    """True if the relation ``rel`` holds for every index inside its range.

    ``rel`` is linear in the indices (conditions such as ``C >= j``), so its
    smallest value over the box of index ranges sits at a corner; each corner
    value is a polynomial in the sizes (``C``, ``D``) that must be
    non-negative whenever every size is at least 1. Anything else is left
    undecided (None).
    """
    if not isinstance(rel, (sp.Ge, sp.Gt, sp.Le, sp.Lt)):
        return None
    gap = sp.expand(rel.gts - rel.lts)  # the relation says gap >= 0 (or > 0)
    idxs = [s for s in gap.free_symbols if s in ranges]
    if not idxs or any(sp.degree(gap, s) > 1 for s in idxs):
        return None
    strict = isinstance(rel, (sp.Gt, sp.Lt))
    for corner in itertools.product(*(ranges[s] for s in idxs)):
        value = gap.subs(dict(zip(idxs, corner)))
        # a size such as C or D is at least 1: write it as 1 + (something >= 0)
        sizes = [s for s in value.free_symbols if s.is_integer and s.is_positive]
        value = sp.expand(value.subs({s: 1 + sp.Symbol(f"_{s}", integer=True, nonnegative=True) for s in sizes}))
        ok = value.is_positive if strict else value.is_nonnegative
        if not ok:
            return None
    return True


def _settle_condition(cond, ranges):
    if cond is sp.true or cond is sp.false:
        return cond
    if isinstance(cond, sp.And):
        parts = [_settle_condition(a, ranges) for a in cond.args]
        return sp.true if all(p is sp.true for p in parts) else None
    return sp.true if _holds_in_range(cond, ranges) else None


def _drop_range_conditions(expr, ranges):
    """Replace each Piecewise whose first condition is an index-range fact.

    sympy answers ``sum_k f_k delta_jk`` with ``Piecewise((f_j, j <= C),
    (0, True))`` because it does not know that j is a class; every index
    here is one, so the first branch is the answer.
    """

    def settle(*args):
        for value, cond in args:
            verdict = _settle_condition(cond, ranges)
            if verdict is sp.true:
                return value
            if verdict is None:
                return sp.Piecewise(*args)
        return sp.Piecewise(*args)

    return expr.replace(lambda e: isinstance(e, sp.Piecewise), lambda e: settle(*e.args))


def _sum_height(expr):
    """How deeply Sums nest inside ``expr`` (0 when there is none)."""
    if isinstance(expr, sp.Sum):
        return 1 + _sum_height(expr.function)
    return max((_sum_height(a) for a in expr.args), default=0)


def _normal_sums(expr):
    """Bring every ``Sum`` to one canonical form, so equal sums cancel.

    A sum is split over the terms of its (expanded) body, factors that do not
    depend on the summation variable are pulled out, and the variable is
    renamed after how many sums nest inside it, so ``sum_u t_u`` and
    ``sum_j t_j`` become the same object wherever they stand.
    """
    if not expr.args:
        return expr
    if isinstance(expr, sp.Sum) and len(expr.limits) == 1:
        (var, lo, hi), = expr.limits
        body = _normal_sums(expr.function)
        total = 0
        for term in sp.Add.make_args(sp.expand(body)):
            inside, outside = [], []
            for f in sp.Mul.make_args(term):
                (inside if var in f.free_symbols else outside).append(f)
            if not inside:
                total += sp.Mul(*outside) * (hi - lo + 1)
                continue
            inner = sp.Mul(*inside)
            canon = sp.Symbol(f"_s{_sum_height(inner)}", integer=True)
            total += sp.Mul(*outside) * sp.Sum(inner.xreplace({var: canon}), (canon, lo, hi))
        return total
    return expr.func(*[_normal_sums(a) for a in expr.args])


def _atoms_as_symbols(expr):
    """Is ``expr`` zero as a rational function of its exp, log and Sum atoms?

    Each ``exp(n * x)`` becomes ``X**n`` for one positive symbol X per x,
    each ``log(.)`` and ``Sum(.)`` one more symbol. If the numerator of the
    result expands to 0, the expression is 0 whatever values those symbols
    take, so this can prove but never wrongly prove. On the long sums of
    exponentials that a concrete C produces it is far faster than
    ``simplify``.
    """
    table = {}

    def symbol_for(x):
        if x not in table:
            table[x] = sp.Dummy(positive=True)
        return table[x]

    def power(e):
        coeff, x = e.args[0].as_coeff_Mul()
        return symbol_for(x) ** coeff if coeff.is_Rational else symbol_for(e.args[0])

    expr = expr.replace(lambda e: isinstance(e, sp.exp), power)
    atoms = sorted(expr.atoms(sp.log, sp.Sum), key=sp.default_sort_key)
    expr = expr.xreplace({a: sp.Dummy() for a in atoms})
    numerator, _ = sp.together(expr).as_numer_denom()
    return sp.expand(numerator) == 0


def _safely(tactic, expr):
    try:
        return tactic(expr)
    except Exception:  # a sympy routine that gives up (or crashes) is one failed tactic
        return None


def _is_zero(expr):
    """Try progressively stronger simplifications; True once one gives 0."""
    expr, ranges = plain_indices(expr)
    for _ in range(2):  # a derivative can leave sums whose doit adds new conditions
        done = _safely(lambda e: e.doit(), expr)
        if done is None:
            return False
        expr = _drop_range_conditions(done, ranges | plain_indices(done)[1])
    if expr == 0:
        return True
    expr = _safely(lambda e: _normal_sums(sp.expand(sp.expand_log(e, force=True))), expr)
    if expr is None:
        return False
    if expr == 0:
        return True
    if _safely(_atoms_as_symbols, expr):
        return True
    return _safely(sp.simplify, expr) == 0


def _difference(claim):
    """``lhs - rhs`` as a list of scalar expressions (a Matrix entry by entry)."""
    lhs, rhs = claim.args if isinstance(claim, sp.Eq) else claim
    if isinstance(lhs, sp.MatrixBase) or isinstance(rhs, sp.MatrixBase):
        lhs, rhs = sp.Matrix(lhs), sp.Matrix(rhs)
        if lhs.shape != rhs.shape:
            raise ValueError(f"the two sides of the claim have shapes {lhs.shape} and {rhs.shape}")
        return list(lhs - rhs), (lhs, rhs)
    return [lhs - rhs], (lhs, rhs)


def _as_claim(claim):
    if isinstance(claim, sp.Eq):
        return claim
    if isinstance(claim, tuple) and len(claim) == 2:
        return claim
    raise TypeError(
        "a claim must be a sympy Eq (built with evaluate=False) or a (lhs, rhs) pair, "
        f"got {type(claim).__name__}"
    )


# --------------------------------------------------------------------------
# looking for a counterexample
# --------------------------------------------------------------------------

# bases whose entries are probabilities or targets: drawn from (0.05, 1) so
# that logarithms and divisions by them stay defined
_POSITIVE_BASES = {"t", "o", "y", "p", r"\hat{y}"}


def _numeric_value(expr, rng, values):
    """Evaluate ``expr`` (no free index, no C left) at concrete numbers.

    Every entry of an indexed base and every other free symbol gets a
    value, drawn once and remembered in ``values`` so that both sides of a
    claim see the same point.
    """
    expr = expr.doit()
    labels = {a.base.label for a in expr.atoms(sp.Indexed)}
    for atom in sorted(expr.atoms(sp.Indexed, sp.Symbol), key=sp.default_sort_key):
        if atom in values or atom in labels or (isinstance(atom, sp.Symbol) and atom.is_integer):
            continue
        name = str(atom.base.label if isinstance(atom, sp.Indexed) else atom)
        if name in _POSITIVE_BASES:
            values[atom] = sp.Rational(int(rng.integers(5, 100)), 100)
        else:
            values[atom] = sp.Rational(int(rng.integers(-200, 201)), 100)
    return complex(sp.N(expr.xreplace(values), 30))


def _counterexample(claim, scope, seed=0):
    """Return (where, lhs value, rhs value) at a point that refutes the claim, or None.

    Tries every C = 2, ..., 6 (a symbolic C is replaced by each), every
    value of the free indices, and one random point of the other symbols
    per C.
    """
    rng = np.random.default_rng(seed)
    class_counts = list(C_RANGE) if scope != "exact" else [None]
    for c in class_counts:
        eq = claim(c) if callable(claim) else _as_claim(claim)
        _, (lhs, rhs) = _difference(eq)
        pairs = list(zip(lhs, rhs)) if isinstance(lhs, sp.MatrixBase) else [(lhs, rhs)]
        sizes = {C: c, D: 3} if c is not None else {}
        values = {}
        for a, b in pairs:
            a, ranges = plain_indices(sp.sympify(a))
            b, ranges_b = plain_indices(sp.sympify(b))
            ranges |= ranges_b
            free = sorted((a.free_symbols | b.free_symbols) & set(ranges), key=str)
            spans = [range(1, int(sp.sympify(ranges[s][1]).subs(sizes)) + 1) for s in free]
            for point in itertools.product(*spans):
                where = dict(zip(free, point))
                # subs, not xreplace: a summation variable must keep its name
                a_num = _numeric_value(a.xreplace(sizes).subs(where, simultaneous=True), rng, values)
                b_num = _numeric_value(b.xreplace(sizes).subs(where, simultaneous=True), rng, values)
                if abs(a_num - b_num) > 1e-9 * (1 + abs(a_num) + abs(b_num)):
                    parts = [f"{s} = {v}" for s, v in sizes.items() if s is C] + [
                        f"{s} = {v}" for s, v in where.items()
                    ]
                    return ", ".join(parts), a_num.real, b_num.real, _point_text(values)
    return None


def _point_text(values):
    """The numbers a counterexample used, one vector a base: 'z = (0.3, -1.2), t = (0.45, 0.9)'.

    Entries of an indexed base (``z[1]``, ``z[2]``, ...) are listed as one
    vector in index order; other symbols by name.
    """
    vectors, scalars = {}, {}
    for atom, value in values.items():
        if isinstance(atom, sp.Indexed) and len(atom.indices) == 1 and atom.indices[0].is_Integer:
            vectors.setdefault(str(atom.base.label), {})[int(atom.indices[0])] = value
        else:
            scalars[str(atom)] = value
    parts = [
        f"{name} = ({', '.join(f'{float(v):g}' for _, v in sorted(entries.items()))})"
        for name, entries in sorted(vectors.items())
    ]
    parts += [f"{name} = {float(v):g}" for name, v in sorted(scalars.items())]
    return ", ".join(parts)


