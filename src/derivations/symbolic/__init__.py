"""Derivations as lists of steps that sympy checks one by one.

The framework has three parts, each in its own module:
:mod:`~derivations.symbolic.claims` (what claims are stated in: ``C``,
``D``, :func:`index` and shared terms), :mod:`~derivations.symbolic.prover`
(proving a claim, or refuting it with numbers) and
:mod:`~derivations.symbolic.steps` (:class:`Step`, :class:`Derivation`,
rendering and the registry :data:`DERIVATIONS`). Each remaining module
builds the derivation of one chapter, first :ref:`quotient-rule`, and
registers it on import; importing this package imports them all.

The package :mod:`derivations` does not import this one, so the numeric
code never pays for importing sympy.

Examples
--------
>>> from derivations.symbolic import DERIVATIONS
>>> DERIVATIONS["quotient-rule"]
Derivation('quotient-rule', 9 steps)
"""

# Importing each derivation module registers its derivations; each one
# imports the framework (claims, steps) itself, never this package.
from derivations.symbolic import (  # noqa: F401
    diagonal_only,
    kronecker_delta,
    matrix_frobenius,
    max_shift,
    quotient_rule,
    sigmoid_bce,
    toy_network,
    why_cross_entropy,
)
from derivations.symbolic.claims import C, D, index
from derivations.symbolic.prover import C_RANGE, SCOPES, plain_indices, prove
from derivations.symbolic.steps import DERIVATIONS, Derivation, Step, register

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
    "plain_indices",
    "prove",
]
