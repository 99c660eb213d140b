"""A new event class is data: declared in a copy of the ontology with one lexicon entry, it
is extracted from text, written with its shortcut, validated, and listed by the saved
queries, with no code change."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow
TRIGGER = '[] a kg:Trigger ; kg:lemma "shake" ; kg:evokes kg:Handshake ; kg:partOfSpeech "verb" .\n'


def kg(*args: str, env: dict) -> str:
    done = subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_class_added_to_the_ontology_flows_from_the_text_to_the_queries(tmp_path):
    ontology = tmp_path / "ontology"
    shutil.copytree(ROOT / "ontology", ontology, ignore=shutil.ignore_patterns("__*"))
    with (ontology / "kg.ttl").open("a", encoding="utf-8") as turtle:
        turtle.write((ROOT / "tests" / "data" / "handshake.ttl").read_text(encoding="utf-8"))
    with (ontology / "lexicon.ttl").open("a", encoding="utf-8") as lexicon:
        lexicon.write(TRIGGER)
    story = tmp_path / "story.txt"
    story.write_text("Sergey Lavrov shook hands with Frank-Walter Steinmeier in Volgograd on Thursday.\n",
                     encoding="utf-8")
    env = {**os.environ, "KG_ONTOLOGY": str(ontology)}
    store = str(tmp_path / "store")
    kg("load", str(story), "--store", store, env=env)
    rows = json.loads(kg("query", "events", "--store", store, "--format", "json", env=env))["results"]["bindings"]
    assert [(r["type"]["value"], sorted(r["participants"]["value"].split(" | "))) for r in rows] == [
        ("Handshake", ["Frank-Walter Steinmeier", "Sergey Lavrov"])]  # a GROUP_CONCAT has no order
    assert "kg:shookHandsWith" in kg("export", "--store", store, "--format", "turtle", env=env)
    assert kg("validate", "--store", store, env=env).startswith("valid")
