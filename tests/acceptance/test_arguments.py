"""Event arguments read through the per-class table, agreements, and a lexicon a user extends."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from kg.extract.arguments import GENERIC, argument_reader
from kg.extract.coreference import Context
from kg.extract.document import event_reader
from kg.ingest.text import document_from_bytes

from conftest import ROOT

pytestmark = pytest.mark.slow

def frame_as(nlp, text: str, kind: str, trigger: str):
    """The frame a class's table entry reads around the token `trigger`, whatever the lexicon says."""
    document = document_from_bytes(text.encode("utf-8"), "test.txt")
    doc = nlp(document.text)
    reader = event_reader(doc, document)
    token = next(t for t in doc if t.text == trigger)
    theme = reader.theme_root(token) if argument_reader(kind).has_theme else None
    return reader.frame(token, kind, theme, token.sent, Context(), False)


def test_a_class_without_an_entry_is_read_with_the_generic_reader(nlp):
    assert argument_reader("Recognition") is GENERIC
    event = frame_as(nlp, "Ireland recognised Kosovo together with Spain in Madrid.\n", "Recognition", "recognised")
    assert (event.agent, event.participants, event.counterparts) == ("ireland", ("ireland", "spain"), ("kosovo",))
    assert (event.theme, event.place) == ("Kosovo", "madrid")


def test_agreement_parties_are_participants_without_an_agent(nlp):
    event = frame_as(nlp, "Kenya and Ethiopia signed a water treaty with Somalia.\n", "Agreement", "signed")
    assert event.agent is None and event.counterparts == ()
    assert set(event.participants) == {"kenya", "ethiopia", "somalia"}
    assert event.theme == "a water treaty with Somalia"


def test_an_agreement_needs_two_parties(nlp):
    assert frame_as(nlp, "Kenya signed a water treaty.\n", "Agreement", "signed") is None


def test_meeting_entry_needs_two_participants(nlp):
    assert frame_as(nlp, "Jean Dupont met in Geneva.\n", "Meeting", "met") is None
    event = frame_as(nlp, "Jean Dupont met Hans Weber in Geneva.\n", "Meeting", "met")
    assert (event.agent, set(event.participants)) == (None, {"jean-dupont", "hans-weber"})


def test_table_entries_say_what_nests_and_what_splits():
    assert argument_reader("Proposal").theme_nests and not argument_reader("Agreement").theme_nests
    assert argument_reader("Suspension").one_per_counterpart and argument_reader("Resumption").parties_on_theme
    assert argument_reader("Visit").read_inside_themes and not argument_reader("Visit").has_theme


def ontology_copy(tmp_path, *lexicon_lines: str):
    """The ontology folder copied, with lines added to its lexicon."""
    folder = tmp_path / "ontology"
    shutil.copytree(ROOT / "ontology", folder, ignore=shutil.ignore_patterns("__*"))
    with (folder / "lexicon.ttl").open("a", encoding="utf-8") as out:
        out.write("\n" + "\n".join(lexicon_lines) + "\n")
    return folder


def extract_with(ontology, tmp_path, texts: dict[str, str]) -> dict[str, list[dict]]:
    """Events per file, from `kg extract` run as a process with KG_ONTOLOGY naming `ontology`."""
    folder = tmp_path / "texts"
    folder.mkdir()
    for name, text in texts.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    env = dict(os.environ, KG_ONTOLOGY=str(ontology))
    result = subprocess.run([sys.executable, "-m", "kg", "extract", str(folder), "--format", "jsonl"],
                            capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    return {r["document"].removesuffix(".txt"): r["events"] for r in records}


def test_a_trigger_added_to_the_lexicon_is_extracted_without_code(tmp_path, read):
    text = "Jean Dupont parleyed with Hans Weber in Geneva on Monday.\n"
    assert read(text).events == ()
    ontology = ontology_copy(tmp_path, '[] a kg:Trigger ; kg:lemma "parley" ; kg:evokes kg:Meeting ; kg:partOfSpeech "verb" .')
    (event,) = extract_with(ontology, tmp_path, {"parley": text})["parley"]
    assert (event["kind"], event["trigger"], event["place"]) == ("Meeting", "parleyed", "geneva")
    assert set(event["participants"]) == {"jean-dupont", "hans-weber"}


def test_agreements_signed_concluded_and_reached(tmp_path):
    events = extract_with(ontology_copy(tmp_path), tmp_path, {
        "signed": "Kenya and Ethiopia signed a water treaty with Somalia in Nairobi.\n",
        "passive": "The treaty was signed by Kenya and Ethiopia.\n",
        "concluded": "Canada did not conclude a trade accord with Mexico.\n",
        "letter": "Jean Dupont signed the letter in Geneva.\n",
        "planned": "Kenya and Ethiopia agreed to meet in Nairobi.\n",
        "nested": "Egypt and Sudan signed a deal to restore direct flights between Cairo and Khartoum.\n",
    })

    def agreements(name: str) -> list[tuple]:
        return [(frozenset(e["participants"]), e["agent"], e["negated"]) for e in events[name] if e["kind"] == "Agreement"]

    assert agreements("signed") == [(frozenset({"kenya", "ethiopia", "somalia"}), None, False)]
    assert agreements("passive") == [(frozenset({"kenya", "ethiopia"}), None, False)]
    assert agreements("concluded") == [(frozenset({"canada", "mexico"}), None, True)]
    assert events["letter"] == []
    assert [(e["kind"], e["modality"]) for e in events["planned"]] == [("Meeting", "Planned")]
    assert agreements("nested") == [(frozenset({"egypt", "sudan"}), None, False)]
    resumed = [(e["agent"], e["counterparts"]) for e in events["nested"] if e["kind"] == "Resumption"]
    assert resumed == [("egypt", ["sudan"])]  # read as it is without agreements: the deal's theme does not take it in
