"""`Graph.load` through the Python API, and `kg extract --format json`: the model over the seeds."""
from __future__ import annotations

import json

import pytest

import kg

from conftest import SEEDS

pytestmark = pytest.mark.slow


def test_a_graph_loads_articles_and_answers_about_them(tmp_path):
    with kg.open(tmp_path / "store") as graph:
        report = graph.load(SEEDS, workers=1)
        assert (report.documents, report.skipped, report.failures) == (5, 0, ())
        again = graph.load([str(SEEDS)], workers=1)
        assert (again.documents, again.skipped) == (0, 5)
        pairs = {frozenset((row["who"], row["metWith"])) for row in graph.query("met-with")}
        assert frozenset(("Frank-Walter Steinmeier", "Sergey Lavrov")) in pairs
        missing = graph.load(tmp_path / "nothing.txt")
        assert missing.documents == 0 and "no such file" in missing.failures[0][1]


def test_extract_json_is_one_list_of_the_articles():
    from click.testing import CliRunner

    from kg.cli import main
    seeds = sorted(SEEDS.glob("*.txt"))[:2]
    result = CliRunner().invoke(main, ["extract", *map(str, seeds), "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    records = json.loads(result.stdout)
    assert [record["document"] for record in records] == [seed.name for seed in seeds]
    assert all(record["events"] for record in records)
