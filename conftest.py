"""Doctests see numpy as ``np`` and the package's names, as a reader would."""

import numpy as np
import pytest

import derivations


@pytest.fixture(autouse=True)
def _doctest_namespace(doctest_namespace):
    doctest_namespace["np"] = np
    for name in derivations.__all__:
        doctest_namespace[name] = getattr(derivations, name)

# --doctest-modules would import each conftest.py as a module named "conftest",
# and two of them clash; they hold fixtures, not doctests.
collect_ignore_glob = ["tests/conftest.py", "tests/*/conftest.py"]
