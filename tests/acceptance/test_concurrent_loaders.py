"""Several `kg load` processes, each on its own part of a corpus, into one `oxigraph serve`."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from bench.corpus import write_corpus
from conftest import KG, SEEDS, canonical, oxigraph_server, quads_at, server_quads
from test_remote_load import without_load_times

pytestmark = pytest.mark.slow
LOADERS = 3


def test_three_loaders_on_parts_of_a_corpus_write_what_one_loader_writes(tmp_path):
    articles = sorted(SEEDS.glob("*.txt")) + write_corpus(tmp_path / "generated", 15)
    parts = [tmp_path / f"part{i}" for i in range(LOADERS)]
    for i, article in enumerate(articles):
        parts[i % LOADERS].mkdir(exist_ok=True)
        shutil.copy(article, parts[i % LOADERS])
    reference = tmp_path / "reference"
    subprocess.run([KG, "load", *map(str, parts), "--store", str(reference), "--quiet"], check=True, timeout=600)
    with oxigraph_server(tmp_path / "data") as url:
        loaders = [subprocess.Popen([KG, "load", str(part), "--store", url, "--workers", "1"],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for part in parts]
        outcomes = [loader.communicate(timeout=600) for loader in loaders]
        assert [loader.returncode for loader in loaders] == [0] * LOADERS, outcomes
        loaded = server_quads(url)
    file_names = [q.object.value for q in loaded if q.predicate.value.endswith("#fileName")]
    assert sorted(file_names) == sorted(article.name for article in articles)  # each document once
    assert canonical(without_load_times(loaded)) == canonical(without_load_times(quads_at(reference)))
