"""The explorers' tests run in English unless a test says otherwise."""

import pytest


@pytest.fixture(autouse=True)
def _no_language_variable(monkeypatch):
    # the explorers' `language` defaults to DERIVATIONS_LANGUAGE; a reader's
    # own setting must not change what these tests expect
    monkeypatch.delenv("DERIVATIONS_LANGUAGE", raising=False)
