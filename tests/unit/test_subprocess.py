"""The installed `kg` command as a real process."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import SEEDS, rows

KG = str(Path(sys.executable).with_name("kg"))


def run(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([KG, *args], capture_output=True, text=True, timeout=300, **kwargs)


def test_load_then_query_as_processes(tmp_path):
    store = str(tmp_path / "store")
    loaded = run("load", str(SEEDS), "--store", store)
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.startswith("5 documents loaded")
    met = run("query", "met-with", "--store", store, "--format", "json")
    assert met.returncode == 0, met.stderr
    pairs = {frozenset((r["who"], r["metWith"])) for r in rows(met.stdout)}
    assert any({"Sergey Lavrov", "Frank-Walter Steinmeier"} <= {n.replace("Sergei", "Sergey") for n in p} for p in pairs)


def test_query_imports_only_what_it_uses(seeds_store):
    env = dict(os.environ, PYTHONPROFILEIMPORTTIME="1")
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "kg", "query", "met-with",
                             "--store", str(seeds_store)], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    imported = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in result.stderr.splitlines() if "|" in line}
    assert "pyoxigraph" in imported
    assert "spacy" not in imported and "rdflib" not in imported and "thinc" not in imported
    assert "http" not in imported  # the HTTP client is for a store on a server


def test_bad_input_never_prints_a_traceback(tmp_path):
    result = run("load", str(tmp_path / "missing"), "--store", str(tmp_path / "s"))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[0].startswith("kg: error:")
    assert "Traceback" not in result.stderr
