"""`kg load` and `kg extract` through click's CliRunner: the model over the seeds and over
short stories, into a real on-disk store and a real `oxigraph serve`."""
from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from conftest import SEEDS, canonical, quads_at, rows

pytestmark = pytest.mark.slow


def test_load_prints_a_summary_and_fills_one_graph_per_document(kg, fresh_location):
    store = fresh_location
    result = kg("load", str(SEEDS), "--store", store)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    summary = result.stdout.strip()
    assert summary.startswith("5 documents loaded, 0 unchanged,")
    for word in ("entities", "events", "triples", " s"):
        assert word in summary
    graphs = {q.graph_name.value for q in quads_at(store) if isinstance(q.graph_name, ox.NamedNode)}
    documents = {g for g in graphs if "/doc/" in g}
    assert len(documents) == 5


def test_loading_the_same_files_again_changes_nothing(kg, copy_location):
    before = canonical(quads_at(copy_location))
    result = kg("load", str(SEEDS), "--store", copy_location)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("0 documents loaded, 5 unchanged")
    assert canonical(quads_at(copy_location)) == before


def test_load_reads_standard_input(kg, fresh_location):
    text = "Russian Foreign Minister Sergey Lavrov met German Foreign Minister Frank-Walter Steinmeier in Volgograd on Thursday.\n"
    result = kg("load", "-", "--store", fresh_location, input=text)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("1 documents loaded")
    met = kg("query", "met-with", "--store", fresh_location, "--format", "json")
    pairs = {(r["who"], r["metWith"]) for r in rows(met.stdout)}
    assert pairs == {("Frank-Walter Steinmeier", "Sergey Lavrov")}


def test_a_bad_file_in_a_folder_does_not_stop_the_good_ones(kg, tmp_path, fresh_location):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("NATO suspended all cooperation with Russia in April.\n")
    (folder / "bad.txt").write_bytes(b"\x00\x01binary")
    store = fresh_location
    result = kg("load", str(folder), "--store", store)
    assert result.exit_code == 1
    assert result.stdout.startswith("1 documents loaded")
    assert "bad.txt" in result.stderr and "binary" in result.stderr
    suspensions = rows(kg("query", "suspensions", "--store", store, "--format", "json").stdout)
    assert [r["agent"] for r in suspensions] == ["NATO"]


def test_extract_prints_tables_and_json_lines_without_a_store(kg, tmp_path):
    seed = str(SEEDS / "003_c478da7ede625d0a.txt")
    table = kg("extract", seed)
    assert table.exit_code == 0, table.stderr
    assert table.stdout.startswith("== 003_c478da7ede625d0a.txt")
    assert "Dmitry Medvedev" in table.stdout and "Suspension" in table.stdout
    lines = kg("extract", seed, "--format", "jsonl").stdout.splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["document"] == "003_c478da7ede625d0a.txt"
    kinds = {e["kind"] for e in record["events"]}
    assert {"Suspension", "Proposal", "Statement"} <= kinds
    assert any(e["negated"] for e in record["events"] if e["kind"] == "Suspension")
    assert not (tmp_path / ".kg").exists()


def test_a_changed_document_replaces_its_graph(kg, tmp_path, fresh_location):
    article, store = tmp_path / "story.txt", fresh_location
    article.write_text("Chile suspended all cooperation with Peru.\n")
    assert kg("load", str(article), "--store", str(store)).exit_code == 0
    article.write_text("Chile resumed all cooperation with Peru.\n")
    second = kg("load", str(article), "--store", str(store))
    assert second.exit_code == 0, second.stderr
    assert second.stdout.startswith("1 documents loaded, 0 unchanged")
    kinds = kg("query", "SELECT ?k WHERE { ?e kg:source doc:story ; a ?k }", "--store", str(store), "--format", "csv")
    assert kinds.exit_code == 0, kinds.stderr
    assert kinds.stdout.split() == ["k", "https://w3id.org/kg-news/ontology#Resumption"]


def test_parallel_workers_write_the_same_quads(kg, tmp_path, fresh_location):
    folder = tmp_path / "in"
    folder.mkdir()
    for i, seed in enumerate(sorted(SEEDS.glob("*.txt")) * 8):
        (folder / f"{i:02d}_{seed.name}").write_bytes(seed.read_bytes())
    one, two = tmp_path / "one", fresh_location
    assert kg("load", str(folder), "--workers", "1", "--store", str(one)).exit_code == 0
    assert kg("load", str(folder), "--workers", "2", "--store", two).exit_code == 0
    strip = lambda path: canonical([q for q in quads_at(path) if q.predicate.value.rsplit("#")[-1] != "loadedAt"])
    assert strip(one) == strip(two)
