"""kg installed as a user installs it (not editable), run from the checkout's own folder:
worker processes must find the ontology and the saved queries wherever kg is imported from."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, SEEDS


@pytest.mark.slow
def test_an_installed_kg_run_from_the_checkout_loads_with_two_workers(tmp_path):
    site = tmp_path / "site"
    built = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                            "--no-deps", "--target", str(site), str(ROOT)], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    assert (site / "kg" / "ontology" / "kg.ttl").is_file() and (site / "kg" / "queries" / "met-with.rq").is_file()
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for copy in range(8):  # more than one batch of 32, so the load starts two workers
        for seed in sorted(SEEDS.glob("*.txt")):
            shutil.copy(seed, corpus / f"{copy}-{seed.name}")
    env = {**os.environ, "PYTHONPATH": str(site)}
    store = tmp_path / "store"
    loaded = subprocess.run([str(site / "bin" / "kg"), "load", str(corpus), "--store", str(store), "--workers", "2"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.startswith("40 documents loaded"), loaded.stdout
    asked = subprocess.run([str(site / "bin" / "kg"), "query", "met-with", "--store", str(store), "--format", "csv"],
                           cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert asked.returncode == 0, asked.stderr
    assert "Sergey Lavrov" in asked.stdout
    imported = subprocess.run([sys.executable, "-c", "import kg; print(kg.__file__)"], cwd=tmp_path, env=env,
                              capture_output=True, text=True)
    assert imported.stdout.strip() == str(site / "kg" / "__init__.py")
