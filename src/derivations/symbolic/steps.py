"""Derivations as lists of steps, each shown with the verdict sympy gives it.

A :class:`Step` pairs a claim (a sympy equation, see
:mod:`derivations.symbolic.prover` for its scopes) with the LaTeX a reader
sees; :meth:`Step.verify` asks :func:`~derivations.symbolic.prover.prove`
for the verdict. :meth:`Derivation.show` renders every step together with
the mark it earned at render time, so the page and the check cannot drift
apart. The derivations register themselves in :data:`DERIVATIONS`; the
chapters, from :ref:`quotient-rule` on, show them from there.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from derivations.symbolic.prover import check_claim, prove
from derivations.validation import as_int

__all__ = ["Step", "Derivation", "DERIVATIONS", "register"]

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


@dataclass(eq=False)
class Step:
    """One line of a derivation: a claim for sympy and its LaTeX for the page.

    The unit every derivation is written in, from :ref:`quotient-rule` on.

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

    Examples
    --------
    >>> import sympy as sp
    >>> from derivations.symbolic.claims import C, index
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

    title: str
    claim: object
    latex: str
    scope: str = "general"
    expected: bool = True
    _status: str | None = field(default=None, init=False, repr=False)
    _detail: str = field(default="", init=False, repr=False)

    def __post_init__(self):
        check_claim(self.claim, self.scope)
        if not isinstance(self.latex, str) or not self.latex.strip():
            raise ValueError("a step needs the LaTeX of its claim")

    @property
    def scope_text(self) -> str:
        """How far the verification reaches, in words."""
        return _SCOPE_TEXT[self.scope]

    def _run(self):
        if self._status is not None:
            return
        self._status, found = prove(self.claim, self.scope)
        if self._status == "unproven":
            self._detail = "sympy could not prove it, and no counterexample was found"
        elif self._status == "refuted":
            where, a, b, point = found
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
    """A named sequence of :class:`Step` objects, as a chapter shows it.

    Each chapter with a derivation, from :ref:`quotient-rule` on, renders
    one with :meth:`show`.

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
        first = as_int(first, "first", "a step number (an int)")
        last = as_int(last, "last", "a step number (an int)")
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
    """Add ``derivation`` to :data:`DERIVATIONS` under its name and return it.

    Each derivation module registers its derivation on import, so that a
    chapter (from :ref:`quotient-rule` on) finds it by name.

    Examples
    --------
    >>> register("quotient-rule")
    Traceback (most recent call last):
    ...
    TypeError: register expects a Derivation, got str
    """
    if not isinstance(derivation, Derivation):
        raise TypeError(f"register expects a Derivation, got {type(derivation).__name__}")
    DERIVATIONS[derivation.name] = derivation
    return derivation
