"""`kg load` with the model into a real `oxigraph serve` and on a real local Dask cluster."""
from __future__ import annotations

import subprocess
import time

import pytest

from conftest import KG, SEEDS, canonical, oxigraph_server, quads_at, rows, server_quads
from test_reliability_load import corpus

pytestmark = pytest.mark.slow


def without_load_times(quads) -> list:
    return [q for q in quads if q.predicate.value.rsplit("#")[-1] != "loadedAt"]


def test_server_answers_the_contract_queries_as_the_disk_store_does(kg, seeds_store, tmp_path):
    with oxigraph_server(tmp_path / "data") as url:
        loaded = kg("load", str(SEEDS), "--store", url)
        assert loaded.exit_code == 0, loaded.stderr
        assert loaded.stdout.startswith("5 documents loaded")
        for name in ("events", "entities", "positions", "met-with"):
            remote = kg("query", name, "--store", url, "--format", "json")
            local = kg("query", name, "--store", str(seeds_store), "--format", "json")
            assert remote.exit_code == 0, remote.stderr
            assert local.exit_code == 0, local.stderr
            assert rows(remote.stdout) == rows(local.stdout), name
        assert canonical(without_load_times(server_quads(url))) == canonical(without_load_times(quads_at(seeds_store)))
        again = kg("load", str(SEEDS), "--store", url)
        assert again.stdout.startswith("0 documents loaded, 5 unchanged")


@pytest.mark.slow
def test_a_server_stopped_mid_load_holds_only_whole_documents(tmp_path):
    folder = corpus(tmp_path / "in", 300)
    reference = tmp_path / "ref"
    subprocess.run([KG, "load", str(folder), "--store", str(reference), "--quiet"], check=True)
    expected = graphs(quads_at(reference))
    data = tmp_path / "data"
    with oxigraph_server(data) as url:
        process = subprocess.Popen([KG, "load", str(folder), "--store", url, "--workers", "1"],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        while len(graphs(server_quads(url))) < 20 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.2)
    out, err = process.communicate(timeout=120)  # the server is gone: the load must stop
    assert process.returncode == 1, out
    assert err.startswith("kg: error: SPARQL server") and len(err.strip().splitlines()) == 1
    with oxigraph_server(data) as url:
        partial = graphs(server_quads(url))
        assert 0 < len(partial) < len(expected)
        for graph, quads in partial.items():
            assert quads == expected[graph], f"{graph} is not whole"
        again = subprocess.run([KG, "load", str(folder), "--store", url], capture_output=True, text=True)
        assert again.returncode == 0, again.stderr
        assert graphs(server_quads(url)) == expected


def graphs(quads) -> dict[str, set]:
    out: dict[str, set] = {}
    for quad in without_load_times(quads):
        if "/doc/" in str(quad.graph_name):
            out.setdefault(quad.graph_name.value, set()).add(quad)
    return {g: q for g, q in out.items() if q}


def test_a_local_dask_cluster_writes_the_same_graph_as_a_local_load(kg, seeds_store, tmp_path):
    store = tmp_path / "dask"
    result = kg("load", str(SEEDS), "--cluster", "local:2", "--store", str(store))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("5 documents loaded")
    assert canonical(without_load_times(quads_at(store))) == canonical(without_load_times(quads_at(seeds_store)))
