"""Extraction quality on the seed articles: `kg evaluate` with the model, against the seeds' reference
shipped in tests/data, so it runs in a fresh clone with nothing beside it."""
from __future__ import annotations

import json

import pytest

from conftest import ROOT

SEEDS_GOLD = ROOT / "tests" / "data" / "seeds-gold.json"
pytestmark = pytest.mark.slow


def test_the_seeds_score_as_the_shared_scorer_measures_them(kg):
    result = kg("evaluate", str(SEEDS_GOLD), str(ROOT / "seeds"), "--json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["micro"]["f1"] >= 0.95, report["micro"]
    assert report["entities"]["split_into_several_iris"] == []
    assert report["positions"]["found"] == {"right": 8, "total": 8}
    assert report["dates"]["right"] == report["dates"]["total"] > 0
    assert report["unmatched_documents"] == []
    text = kg("evaluate", str(SEEDS_GOLD), str(ROOT / "seeds"))
    assert text.exit_code == 0 and text.stdout.splitlines()[-1].startswith("micro P ")
