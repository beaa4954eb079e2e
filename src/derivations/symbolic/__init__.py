"""Derivations as lists of steps that sympy checks one by one.

A :class:`Step` pairs a claim (a sympy equation) with the LaTeX a reader
sees. :meth:`Step.verify` asks sympy to prove the claim; when it cannot, it
looks for a numeric counterexample, so a step is *proved*, *refuted* (with
the numbers that refute it) or, if neither succeeds, *unproven*.
:meth:`Derivation.show` renders every step together with the mark that
:meth:`Step.verify` earned at render time, so the page and the check cannot
drift apart.

Claims come in two scopes:

``"general"``
    One sympy equation valid for a symbolic number of classes ``C``: sums
    run over :func:`index` objects ``1..C`` and derivatives of such sums
    produce ``KroneckerDelta``. An index is always taken to lie in its
    range, which settles the ``Piecewise`` conditions sympy leaves behind.
``"C=2..6"``
    A callable ``C -> Eq`` that builds the claim for a concrete number of
    classes; it is proved separately for each ``C = 2, ..., 6``. Either side
    may be a sympy ``Matrix`` (compared entry by entry), which is how a
    claim "for every j" is stated for a concrete ``C``.

A third scope, ``"exact"``, is for claims with no class count at all (a
fixed small network): proved once, marked "verified symbolically".

The derivations themselves live in the submodules and register themselves
in :data:`DERIVATIONS` on import. The package :mod:`derivations` does not
import this module, so the numeric code never pays for importing sympy.

Examples
--------
>>> from derivations.symbolic import Step, C, index
>>> import sympy as sp
>>> z = sp.IndexedBase("z")
>>> j, k = index("j k")
>>> good = Step("d/dz_j of a sum", sp.Eq(sp.Derivative(sp.Sum(z[k] ** 2, (k, 1, C)), z[j]),
...             2 * z[j], evaluate=False), r"\\partial_j \\sum_k z_k^2 = 2 z_j")
>>> good.verify(), good.mark
(True, '✓ verified for general C')
>>> bad = Step("a wrong factor", sp.Eq(sp.Derivative(sp.Sum(z[k] ** 2, (k, 1, C)), z[j]),
...            z[j], evaluate=False), r"\\partial_j \\sum_k z_k^2 = z_j", expected=False)
>>> bad.verify(), bad.status
(False, 'refuted')
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import sympy as sp

__all__ = [
    "Step",
    "Derivation",
    "DERIVATIONS",
    "register",
    "C",
    "D",
    "index",
    "SCOPES",
    "C_RANGE",
]

#: The symbolic number of classes used by every "general" claim.
C = sp.Symbol("C", integer=True, positive=True)

#: The number of units in the layer below the logits (inputs to a weight matrix).
D = sp.Symbol("D", integer=True, positive=True)

#: The class counts a "C=2..6" claim is proved for.
C_RANGE = range(2, 7)

SCOPES = ("general", "C=2..6", "exact")

_SCOPE_TEXT = {
    "general": "verified for general C",
    "C=2..6": "checked for C = 2, ..., 6",
    "exact": "verified symbolically",
}
_PROVED_MARK = {
    "general": "✓ verified for general C",
    "C=2..6": "✓ verified for C = 2, …, 6",
    "exact": "✓ verified symbolically",
}


def index(names, upper=C):
    """Index symbols ``1..upper`` (``sympy.Idx``), one per name.

    Sums over these indices and derivatives with respect to entries such
    as ``z[j]`` are what "general C" claims are built from.

    Examples
    --------
    >>> from derivations.symbolic import index
    >>> i, j = index("i j")
    >>> i.lower, i.upper
    (1, C)
    """
    out = tuple(sp.Idx(n, (1, upper)) for n in names.replace(",", " ").split())
    return out[0] if len(out) == 1 else out


# --------------------------------------------------------------------------
# proving a claim
# --------------------------------------------------------------------------


def _plain_indices(expr):
    """Replace every ``Idx`` by an integer symbol; return it and the index ranges.

    ``Idx`` carries its range inside itself, so substituting a number for
    ``C`` would silently change the range of a bound index; plain symbols
    plus a separate table of ranges avoid that. Summation variables are
    recorded with their limits too.
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
    expr, ranges = _plain_indices(expr)
    for _ in range(2):  # a derivative can leave sums whose doit adds new conditions
        done = _safely(lambda e: e.doit(), expr)
        if done is None:
            return False
        expr = _drop_range_conditions(done, ranges | _plain_indices(done)[1])
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
            a, ranges = _plain_indices(sp.sympify(a))
            b, ranges_b = _plain_indices(sp.sympify(b))
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


# --------------------------------------------------------------------------
# the public objects
# --------------------------------------------------------------------------


@dataclass(eq=False)
class Step:
    """One line of a derivation: a claim for sympy and its LaTeX for the page.

    Parameters
    ----------
    title : str
        What the step does, in words.
    claim : sympy.Eq or callable
        For scope "general" or "exact", an ``Eq`` built with
        ``evaluate=False``; for scope "C=2..6", a function of the number of
        classes returning such an ``Eq``.
    latex : str
        The formula shown to the reader (without surrounding ``$$``).
    scope : {"general", "C=2..6", "exact"}
    expected : bool
        False only for a step that is *meant* to fail: a wrong step
        reproduced on purpose.
    """

    title: str
    claim: object
    latex: str
    scope: str = "general"
    expected: bool = True
    _status: str | None = field(default=None, init=False, repr=False)
    _detail: str = field(default="", init=False, repr=False)

    def __post_init__(self):
        if self.scope not in SCOPES:
            raise ValueError(f"unknown scope {self.scope!r}; expected one of {SCOPES}")
        if self.scope == "C=2..6":
            if not callable(self.claim):
                raise TypeError("a 'C=2..6' step needs a callable claim: C -> sympy Eq")
        elif callable(self.claim):
            raise TypeError(f"a {self.scope!r} step needs a sympy Eq as its claim, not a callable")
        else:
            _as_claim(self.claim)
        if not isinstance(self.latex, str) or not self.latex.strip():
            raise ValueError("a step needs the LaTeX of its claim")

    @property
    def scope_text(self) -> str:
        """How far the verification reaches, in words."""
        return _SCOPE_TEXT[self.scope]

    def _prove(self):
        claims = [self.claim(c) for c in C_RANGE] if self.scope == "C=2..6" else [self.claim]
        for claim in claims:
            diffs, _ = _difference(_as_claim(claim))
            if not all(_is_zero(sp.sympify(d)) for d in diffs):
                return False
        return True

    def _run(self):
        if self._status is not None:
            return
        if self._prove():
            self._status, self._detail = "proved", ""
            return
        found = _counterexample(self.claim, self.scope)
        if found is None:
            self._status = "unproven"
            self._detail = "sympy could not prove it, and no counterexample was found"
        else:
            where, a, b, point = found
            self._status = "refuted"
            at = f"{where}, with {point}" if point else where
            self._detail = f"at {at}, the left side is {a:.4g} and the right side {b:.4g}"

    def verify(self) -> bool:
        """True if sympy proves the claim (cached after the first call)."""
        self._run()
        return self._status == "proved"

    @property
    def status(self) -> str:
        """``"proved"``, ``"refuted"`` (a counterexample exists) or ``"unproven"``."""
        self._run()
        return self._status

    @property
    def detail(self) -> str:
        """The counterexample of a refuted step, or why a step is unproven."""
        self._run()
        return self._detail

    @property
    def mark(self) -> str:
        """The verdict shown beside the step on the page."""
        status = self.status
        if status == "proved":
            return _PROVED_MARK[self.scope]
        if status == "refuted":
            return f"✗ refuted: {self.detail}"
        return f"? not proven: {self.detail}"


def _failed_step(n, step):
    """A step sympy does not prove, set apart from the proved ones by more than colour.

    It stands in a quotation block (indented, with a rule beside it), its
    verdict says in words that the step is wrong, and the counterexample's
    numbers (the class count, the index, and the z and t it was evaluated
    at) follow, so that a reader without colour, or with a screen reader,
    meets the same warning.
    """
    if step.status == "refuted":
        verdict = "✗ REFUTED: this step is wrong"
    else:
        verdict = "? NOT PROVEN"
    note = " (it was expected to hold)" if step.expected else " (reproduced on purpose)"
    detail = step.detail[0].upper() + step.detail[1:]
    lines = [
        f"**Step {n}. {step.title}**",
        "",
        f"**{verdict}**{note}. {detail}.",
        "",
        "$$",
        step.latex.strip(),
        "$$",
    ]
    return "\n".join("> " + line if line else ">" for line in lines)


class _Rendered:
    """What :meth:`Derivation.show` returns: MyST markdown, plus plain text."""

    def __init__(self, markdown, text):
        self.markdown = markdown
        self.text = text

    def _repr_markdown_(self):
        return self.markdown

    def __repr__(self):
        return self.text

    def __str__(self):
        return self.markdown


@dataclass(eq=False)
class Derivation:
    """A named sequence of :class:`Step` objects.

    Parameters
    ----------
    name : str
        The key in :data:`DERIVATIONS`.
    title : str
    steps : list of Step
    intro : str
        Optional MyST shown above the steps.
    """

    name: str
    title: str
    steps: list
    intro: str = ""

    def __post_init__(self):
        if not self.steps:
            raise ValueError(f"derivation {self.name!r} has no steps")
        bad = [type(s).__name__ for s in self.steps if not isinstance(s, Step)]
        if bad:
            raise TypeError(f"the steps of a derivation must be Step objects, got {bad}")

    def verify(self) -> list[tuple[str, bool]]:
        """``(title, proved)`` for every step, in order."""
        return [(s.title, s.verify()) for s in self.steps]

    def unexpected(self) -> list[str]:
        """Titles of the steps whose verdict is not the one they expect."""
        return [s.title for s in self.steps if s.verify() != s.expected]

    def show(self, first=1, last=None):
        """Render the steps with their verdicts, for display in a notebook.

        The verdicts come from :meth:`Step.verify`, run now (or earlier in
        the same session), never from stored text.

        Parameters
        ----------
        first, last : int
            Show only steps ``first`` to ``last`` (numbered from 1, both
            included; ``last=None`` means to the end), so that a chapter can
            interleave parts of a derivation with its prose. The numbers
            shown stay those of the whole derivation, and the intro is shown
            only with step 1.
        """
        n_steps = len(self.steps)
        last = n_steps if last is None else last
        for name, value in (("first", first), ("last", last)):
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"{name} must be a step number (an int), got {type(value).__name__}")
        if not 1 <= first <= last <= n_steps:
            raise ValueError(
                f"steps {first} to {last} do not exist: {self.name!r} has steps 1 to {n_steps}"
            )
        md, text = [], [self.title]
        if self.intro and first == 1:
            md.append(self.intro.strip())
        for n, s in enumerate(self.steps[first - 1 : last], first):
            if s.verify():
                md.append(f"**Step {n}. {s.title}** &nbsp; **{s.mark}**\n\n$$\n{s.latex.strip()}\n$$")
            else:
                md.append(_failed_step(n, s))
            text.append(f"  {n}. {s.title}: {s.mark}")
        return _Rendered("\n\n".join(md) + "\n", "\n".join(text))

    def __repr__(self):
        return f"Derivation({self.name!r}, {len(self.steps)} steps)"


#: Every registered derivation, by name.
DERIVATIONS: dict[str, Derivation] = {}


def register(derivation: Derivation) -> Derivation:
    """Add ``derivation`` to :data:`DERIVATIONS` under its name and return it."""
    if not isinstance(derivation, Derivation):
        raise TypeError(f"register expects a Derivation, got {type(derivation).__name__}")
    DERIVATIONS[derivation.name] = derivation
    return derivation


# Each submodule builds one derivation and registers it on import.
from derivations.symbolic import quotient_rule  # noqa: E402,F401
from derivations.symbolic import kronecker_delta  # noqa: E402,F401
from derivations.symbolic import diagonal_only  # noqa: E402,F401
from derivations.symbolic import toy_network  # noqa: E402,F401
from derivations.symbolic import matrix_frobenius  # noqa: E402,F401
from derivations.symbolic import sigmoid_bce  # noqa: E402,F401
from derivations.symbolic import max_shift  # noqa: E402,F401
from derivations.symbolic import why_cross_entropy  # noqa: E402,F401
