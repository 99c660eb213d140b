"""The installed `kg` command as a real process, loading (which starts the model)."""
from __future__ import annotations

import pytest

from conftest import SEEDS, rows, run

pytestmark = pytest.mark.slow


def test_load_then_query_as_processes(tmp_path):
    store = str(tmp_path / "store")
    loaded = run("load", str(SEEDS), "--store", store)
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.startswith("5 documents loaded")
    met = run("query", "met-with", "--store", store, "--format", "json")
    assert met.returncode == 0, met.stderr
    pairs = {frozenset((r["who"], r["metWith"])) for r in rows(met.stdout)}
    assert any({"Sergey Lavrov", "Frank-Walter Steinmeier"} <= {n.replace("Sergei", "Sergey") for n in p} for p in pairs)


def test_bad_input_never_prints_a_traceback(tmp_path):
    result = run("load", str(tmp_path / "missing"), "--store", str(tmp_path / "s"))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[0].startswith("kg: error:")
    assert "Traceback" not in result.stderr
