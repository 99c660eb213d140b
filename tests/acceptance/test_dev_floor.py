"""Extraction on the 68 annotated dev stories stays above its floor.

The stories' text comes from packages (`../shared/eval/fetch_dev.py` writes them to
$TMPDIR/kg-dev-docs) and the reference is `../shared/gold/dev.json`, beside the project, so
this test runs where they are. `KG_DEV_STORIES` (a folder) and `KG_DEV_GOLD` (the reference)
name them elsewhere; a test run that names them and does not find them fails.
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest

from conftest import ROOT

FLOOR = 0.89  # micro F1 over events and quotes; the extractor measures 0.91
ASKED = bool(os.environ.get("KG_DEV_STORIES") or os.environ.get("KG_DEV_GOLD"))
STORIES = Path(os.environ.get("KG_DEV_STORIES") or Path(tempfile.gettempdir()) / "kg-dev-docs")
GOLD = Path(os.environ.get("KG_DEV_GOLD") or ROOT.parent / "shared" / "gold" / "dev.json")
PRESENT = GOLD.is_file() and len(list(STORIES.glob("*.txt"))) >= 68

pytestmark = pytest.mark.slow

if ASKED or PRESENT:
    def test_dev_stories_score_above_the_floor(kg):
        assert GOLD.is_file(), f"KG_DEV_GOLD: no reference at {GOLD}"
        assert len(list(STORIES.glob("*.txt"))) >= 68, \
            f"KG_DEV_STORIES: {STORIES} does not hold the 68 dev stories (run ../shared/eval/fetch_dev.py)"
        result = kg("evaluate", str(GOLD), str(STORIES), "--json")
        assert result.exit_code == 0, result.stderr
        report = json.loads(result.stdout)
        assert report["micro"]["f1"] >= FLOOR, report["micro"]
