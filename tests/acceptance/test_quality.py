"""Extraction quality on the seeds against the reference in tests/data/seeds-gold.json,
through the saved queries: scored by the shared scorer where ../shared/eval/score.py is
present, else by how many rows each contract query gives."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import DATA, SHARED, rows

pytestmark = pytest.mark.slow
SEED_F1_FLOOR = 0.95
SCORER = SHARED / "eval" / "score.py"
GOLD = DATA / "seeds-gold.json"
COUNT_TOLERANCE = 0.2


@pytest.mark.slow
def test_seed_score_stays_above_the_floor(kg, seeds_store, tmp_path):
    if not SCORER.exists() and os.environ.get("KG_REQUIRE_SHARED") == "1":
        pytest.fail(f"KG_REQUIRE_SHARED=1 but the scorer is missing at {SCORER}")
    paths = {}
    for name in ("events", "entities", "positions"):
        result = kg("query", name, "--store", str(seeds_store), "--format", "json")
        assert result.exit_code == 0, result.stderr
        paths[name] = tmp_path / f"{name}.json"
        paths[name].write_text(result.stdout)
    if not SCORER.exists():
        check_counts({name: rows(path.read_text()) for name, path in paths.items()})
        return
    report = subprocess.run([sys.executable, str(SCORER), "--gold", str(GOLD),
                             "--events", str(paths["events"]), "--entities", str(paths["entities"]),
                             "--positions", str(paths["positions"]), "--json"],
                            capture_output=True, text=True, check=True)
    data = json.loads(report.stdout)
    assert data["micro"]["f1"] >= SEED_F1_FLOOR, data["micro"]


def check_counts(found: dict[str, list[dict[str, str]]]) -> None:
    """Each contract query gives as many rows as the reference has items, give or take a fifth:
    events and quotes, entities, and offices with the state or body they are of (as every
    reference office names one)."""
    gold = json.loads(GOLD.read_text())
    documents = gold["documents"].values()
    expected = {"events": sum(len(d["events"]) + len(d["quotes"]) for d in documents),
                "entities": len(gold["entities"]), "positions": len(gold["positions"])}
    counted = {"events": len(found["events"]), "entities": len(found["entities"]),
               "positions": sum(1 for row in found["positions"] if "of" in row)}
    for name, n in expected.items():
        assert abs(counted[name] - n) <= COUNT_TOLERANCE * n, (name, counted[name], n)
