"""Coursework: the exercises, the check that judges a learner's code, and the mistakes it names.

- :mod:`.exercises`: one module per exercise (its cases, reference, wrong
  implementations and registry entry). Adding an exercise means adding a
  module there and a section to its chapter.
- :mod:`.engine`: :func:`check`, which runs a learner's function on an
  exercise's cases and judges it.
- :mod:`.catalogue`: the catalogued mistakes, with the chapter section
  that explains each.

A notebook needs one line::

    from derivations.coursework import check
"""

from derivations.coursework.engine import EXERCISES, NOT_IMPLEMENTED, CheckResult, check, fingerprints

__all__ = ["check", "CheckResult", "EXERCISES", "NOT_IMPLEMENTED", "fingerprints"]
