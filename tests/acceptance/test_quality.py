"""Extraction quality on the seeds, measured by the shared scorer through the saved queries."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import SHARED

SEED_F1_FLOOR = 0.95
SCORER = SHARED / "eval" / "score.py"


@pytest.mark.slow
def test_seed_score_stays_above_the_floor(kg, seeds_store, tmp_path):
    if not SCORER.exists():
        pytest.fail(f"the scorer is missing at {SCORER}")
    paths = {}
    for name in ("events", "entities", "positions"):
        result = kg("query", name, "--store", str(seeds_store), "--format", "json")
        assert result.exit_code == 0, result.stderr
        paths[name] = tmp_path / f"{name}.json"
        paths[name].write_text(result.stdout)
    report = subprocess.run([sys.executable, str(SCORER), "--gold", str(SHARED / "gold" / "seeds.json"),
                             "--events", str(paths["events"]), "--entities", str(paths["entities"]),
                             "--positions", str(paths["positions"]), "--json"],
                            capture_output=True, text=True, check=True)
    data = json.loads(report.stdout)
    assert data["micro"]["f1"] >= SEED_F1_FLOOR, data["micro"]
