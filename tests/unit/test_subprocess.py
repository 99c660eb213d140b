"""The installed `kg` command as a real process."""
from __future__ import annotations

import os
import subprocess
import sys


def test_query_imports_only_what_it_uses(seeds_store):
    env = dict(os.environ, PYTHONPROFILEIMPORTTIME="1")
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "kg", "query", "met-with",
                             "--store", str(seeds_store)], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    imported = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in result.stderr.splitlines() if "|" in line}
    assert "pyoxigraph" in imported
    assert "spacy" not in imported and "rdflib" not in imported and "thinc" not in imported
    assert "http" not in imported  # the HTTP client is for a store on a server
