"""Two tiers: `pytest -m "not slow"` runs the unit tier, which never imports spaCy, in
seconds; plain `pytest` also runs the slow tier: the model over whole articles, and the
few tests that wait out a time limit on purpose.

The shared fixtures are in tests/conftest.py; this file only decides which tier a test is
in, and sits at the top so that it also sees the doctests of kg/.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
SPACY_PACKAGES = (ROOT / "kg" / "extract", ROOT / "kg" / "nlp")  # the only ones that import spaCy
ACCEPTANCE = ROOT / "tests" / "acceptance"  # every test there is marked slow
WITHOUT_SPACY = pytest.StashKey[bool]()


def within(path: Path, folders: tuple[Path, ...]) -> bool:
    return any(path == folder or folder in path.parents for folder in folders)


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """The unit tier does not collect the slow tier at all: importing its modules (and the
    doctest modules of the packages that use spaCy) would import spaCy."""
    if "not slow" in (config.getoption("markexpr") or "") and within(collection_path, SPACY_PACKAGES + (ACCEPTANCE,)):
        return True
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The doctests of the packages that use spaCy belong to the slow tier."""
    for item in items:
        if within(item.path, SPACY_PACKAGES):
            item.add_marker(pytest.mark.slow)


def pytest_collection_finish(session: pytest.Session) -> None:
    """A run without slow tests must not import spaCy: checked after collection and after each test."""
    unit_only = bool(session.items) and not any(item.get_closest_marker("slow") for item in session.items)
    session.config.stash[WITHOUT_SPACY] = unit_only
    if unit_only and "spacy" in sys.modules:
        raise pytest.UsageError("collecting the unit tier imported spaCy: a test module or a doctest "
                                "module imports it at the top")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item):
    yield
    if item.config.stash.get(WITHOUT_SPACY, False) and "spacy" in sys.modules:
        item.config.stash[WITHOUT_SPACY] = False  # said once, at the test that did it
        pytest.fail(f"{item.nodeid} imported spaCy, which the unit tier never does: "
                    "mark it slow and move it to tests/acceptance", pytrace=False)
