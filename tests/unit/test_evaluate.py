"""`kg evaluate`: reading a reference, the matching rules, and the scores of a store."""
from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import ROOT
from kg.errors import KgError, ReferenceInvalid
from kg.evaluate import evaluate_store, read_reference
from kg.evaluate.matching import FoundEvent, Names
from kg.evaluate.reference import Reference, reference_from_json
from kg.evaluate.report import Counts, Tally
from kg.evaluate.scoring import score
from kg import derived
from kg.rdf.quads import document_iri, document_quads
from kg.records import Document, Entity, Event, Extraction, Position
from kg.store import open_store

SEEDS_GOLD = ROOT / "tests" / "data" / "seeds-gold.json"

ENTITIES = {
    "Sergey Lavrov": {"type": "Person", "aliases": ["Lavrov", "Sergei Lavrov"]},
    "Frank-Walter Steinmeier": {"type": "Person", "aliases": ["Steinmeier"]},
    "Russia": {"type": "Location", "aliases": []},
    "Moscow": {"type": "Location", "aliases": []},
    "NATO": {"type": "Organization", "aliases": ["North Atlantic Treaty Organization"]},
    "Georgia": {"type": "Location", "aliases": []},
    "Berlin": {"type": "Location", "aliases": []},
}
LAVROV_SAYS = "We will not talk to NATO now"
STEINMEIER_SAYS = "Dialogue remains the only way forward"


def reference_json(**document) -> dict:
    """A reference of one story, `story.txt`, with the given fields."""
    story = {"entities": ["Sergey Lavrov", "Russia", "NATO", "Georgia"], "events": [], "quotes": [], **document}
    return {"about": "written for the tests", "entities": ENTITIES, "metonyms": {"Moscow": "Russia"},
            "positions": [{"person": "Sergey Lavrov", "role": "foreign minister", "of": "Russia"}],
            "documents": {"story.txt": story}}


def reference_of(**document) -> Reference:
    return reference_from_json(reference_json(**document))


def written(tmp_path: Path, data: dict | str) -> Path:
    path = tmp_path / "gold.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


# ------------------------------------------------------------------ reading the reference

@pytest.mark.parametrize("content, problem", [
    ('{"entities": {', "not JSON"),
    ("[1, 2]", "must be a JSON object"),
    (json.dumps({"entities": {}}), "missing key 'documents'"),
    (json.dumps({"entities": {"X": {"aliases": []}}, "documents": {}}), "missing key 'type' in entity 'X'"),
    (json.dumps(reference_json(events=[{"type": "Meeting", "participants": ["Sergey Lavrov", "Lavroff"]}])),
     "'Lavroff', which is not declared in 'entities'"),
    (json.dumps(reference_json(events=[{"type": "Meeting"}])), "missing key 'participants'"),
    (json.dumps(reference_json(events=[{"type": "Meting", "participants": []}])), "type 'Meting'"),
    (json.dumps(reference_json(quotes=[{"speaker": "Putin", "text": "no"}])), "'Putin', which is not declared"),
    (json.dumps(reference_json(events=[{"type": "Visit", "agent": "Sergey Lavrov", "optional": "yes"}])),
     "optional must be true or false"),
])
def test_a_broken_reference_is_refused_in_one_line_naming_the_file(tmp_path, content, problem):
    path = written(tmp_path, content)
    with pytest.raises(ReferenceInvalid) as caught:
        read_reference(path)
    message = str(caught.value)
    assert message.startswith(str(path)) and problem in message and "\n" not in message


def test_an_unreadable_reference_is_named(tmp_path):
    with pytest.raises(ReferenceInvalid, match=f"cannot read reference {tmp_path / 'none.json'}"):
        read_reference(tmp_path / "none.json")


def test_the_reference_reads_into_records(tmp_path):
    reference = read_reference(written(tmp_path, reference_json(
        events=[{"type": "Suspension", "agent": "Russia", "counterpart": ["NATO"], "theme": "cooperation",
                 "date": "2008-08", "optional": True}],
        quotes=[{"speaker": "Sergey Lavrov", "text": LAVROV_SAYS}])))
    (story,) = reference.documents
    (event,) = story.events
    assert (story.name, event.type, event.agent, event.counterparts, event.date, event.optional, event.negated) == \
        ("story.txt", "Suspension", "Russia", ("NATO",), "2008-08", True, False)
    assert story.quotes[0].speaker == "Sergey Lavrov"
    assert reference.metonyms == (("Moscow", "Russia"),)


def test_the_shared_seed_reference_reads_whole():
    reference = read_reference(SEEDS_GOLD)
    assert len(reference.documents) == 5 and len(reference.positions) == 8


# ------------------------------------------------------------------ the matching rules

def found(kind: str, **fields) -> FoundEvent:
    return FoundEvent(f"event-{kind}-{len(fields)}", kind, source="story.txt", **fields)


def scores(reference: Reference, *events: FoundEvent) -> dict[str, Counts]:
    return dict(score(reference, list(events), [], []).per_type)


def test_a_meeting_matches_on_the_set_of_everyone_named():
    reference = reference_of(events=[{"type": "Meeting", "participants": ["Sergey Lavrov", "Frank-Walter Steinmeier"]}])
    assert scores(reference, found("Meeting", participants=("Steinmeier", "Lavrov")))["Meeting"] == Counts(tp=1)
    assert scores(reference, found("Meeting", agent="Sergei Lavrov", counterpart="Steinmeier"))["Meeting"] == Counts(tp=1)
    assert scores(reference, found("Meeting", participants=("Lavrov",)))["Meeting"] == Counts(fp=1, fn=1)
    assert scores(reference, found("Meeting", participants=("Lavrov", "Steinmeier", "NATO")))["Meeting"] == Counts(fp=1, fn=1)


def test_a_capital_stands_for_its_state_when_it_acts():
    reference = reference_of(events=[{"type": "Suspension", "agent": "Russia", "counterpart": ["NATO"]}])
    assert scores(reference, found("Suspension", agent="Moscow", counterpart="the NATO"))["Suspension"] == Counts(tp=1)
    assert scores(reference, found("Suspension", agent="Russia", counterpart="Georgia"))["Suspension"] == Counts(fp=1, fn=1)
    assert scores(reference, found("Suspension", agent="Kremlin"))["Suspension"] == Counts(fp=1, fn=1)


def test_negation_must_agree():
    reference = reference_of(events=[{"type": "Proposal", "agent": "NATO", "negated": True}])
    assert scores(reference, found("Proposal", agent="NATO", negated=True))["Proposal"] == Counts(tp=1)
    assert scores(reference, found("Proposal", agent="NATO"))["Proposal"] == Counts(fp=1, fn=1)


def test_optional_events_cost_nothing_found_or_missed():
    reference = reference_of(events=[{"type": "Visit", "agent": "Sergey Lavrov", "place": "Berlin", "optional": True}])
    assert scores(reference)["Visit"] == Counts()
    assert scores(reference, found("Visit", agent="Lavrov", counterpart="Berlin"))["Visit"] == Counts()


def test_a_second_event_for_the_same_one_is_a_duplicate_not_a_false_positive():
    reference = reference_of(events=[{"type": "Suspension", "agent": "Russia", "theme": "military cooperation"}])
    report = score(reference, [found("Suspension", agent="Russia", theme="military cooperation"),
                               found("Suspension", agent="Moscow", theme="talks")], [], [])
    assert dict(report.per_type)["Suspension"] == Counts(tp=1) and report.duplicate_events == 1


def test_dates_agree_on_every_part_the_reference_gives():
    reference = reference_of(events=[{"type": "Suspension", "agent": "Russia", "date": "--08-20"},
                                     {"type": "Resumption", "agent": "Russia", "date": "2009-03"}])
    report = score(reference, [found("Suspension", agent="Russia", date="2008-08-20"),
                               found("Resumption", agent="Russia", date="--03")], [], [])
    assert report.dates == Tally(1, 2)


def test_a_quote_matches_by_word_overlap_and_speaker():
    reference = reference_of(quotes=[{"speaker": "Sergey Lavrov", "text": LAVROV_SAYS}])
    said = f"{LAVROV_SAYS}, he said"
    assert scores(reference, found("Statement", agent="Lavrov", theme=said))["Statement"] == Counts(tp=1)
    assert scores(reference, found("Statement", agent="Lavrov", theme="not talk now"))["Statement"] == Counts(fn=1)
    assert scores(reference, found("Statement", agent="Steinmeier", theme=said))["Statement"] == Counts(fp=1, fn=1)
    assert scores(reference, found("Statement", theme=said))["Statement"] == Counts(fn=1)


def test_labels_fold_case_accents_dashes_and_a_leading_the():
    names = Names.of(reference_of())
    assert names.entity("the north atlantic treaty organization") == "NATO"
    assert names.entity("Frank Walter Steinmeier") == names.entity("Frank–Walter Steinmeier") == "Frank-Walter Steinmeier"
    assert names.entity("Sérgei Lavrov") == "Sergey Lavrov"


# ------------------------------------------------------------------ scoring a store

STORY = Document("story", "story.txt", "text", "hash")


def event(kind: str, **fields) -> Event:
    return Event(kind, trigger="said", sentence=f"A sentence with a {kind}.", start=0, end=10, **fields)


STORY_EXTRACTION = Extraction(
    STORY,
    entities=(Entity("sergey-lavrov", "Sergey Lavrov", "Person"),
              Entity("lavrov", "Lavrov", "Person"),
              Entity("frank-walter-steinmeier", "Frank-Walter Steinmeier", "Person"),
              Entity("moscow", "Moscow", "City"), Entity("russia", "Russia", "Organization"),
              Entity("nato", "NATO", "Alliance"), Entity("berlin", "Berlin", "City")),
    events=(event("Meeting", participants=("sergey-lavrov", "frank-walter-steinmeier")),
            event("Suspension", agent="moscow", counterparts=("nato",), theme="cooperation with NATO"),
            event("Proposal", agent="nato", theme="talks", negated=True),
            event("Visit", agent="sergey-lavrov", place="berlin"),
            event("Statement", agent="sergey-lavrov", theme=LAVROV_SAYS, quote=LAVROV_SAYS),
            event("Statement", agent="sergey-lavrov", theme=STEINMEIER_SAYS, quote=STEINMEIER_SAYS)),
    positions=(Position("sergey-lavrov", "Foreign Minister", "russia", "Lavrov, Russia's foreign minister.", 0, 9),))

STORY_REFERENCE = {
    "events": [{"type": "Meeting", "participants": ["Sergey Lavrov", "Frank-Walter Steinmeier"]},
               {"type": "Suspension", "agent": "Russia", "counterpart": ["NATO"], "theme": "cooperation"},
               {"type": "Proposal", "agent": "NATO", "theme": "talks"},
               {"type": "Visit", "agent": "Sergey Lavrov", "place": "Berlin", "optional": True}],
    "quotes": [{"speaker": "Sergey Lavrov", "text": LAVROV_SAYS},
               {"speaker": "Frank-Walter Steinmeier", "text": STEINMEIER_SAYS}],
}


@pytest.fixture
def story_store(tmp_path) -> Path:
    """A store holding one hand-built story, written as `kg load` writes it."""
    path = tmp_path / "store"
    nquads = ox.serialize(document_quads(STORY_EXTRACTION, "2026-01-01T00:00:00Z", "kg test"),
                          format=ox.RdfFormat.N_QUADS)
    with open_store(path, write=True) as store:
        store.ensure_ontology()
        derived.write_documents(store, [(document_iri(STORY.doc_id).value, nquads)])
    return path


def test_a_store_is_scored_through_the_saved_queries(story_store):
    with open_store(story_store) as store:
        report = evaluate_store(reference_of(**STORY_REFERENCE), store)
    per_type = dict(report.per_type)
    assert (per_type["Meeting"], per_type["Suspension"], per_type["Proposal"], per_type["Visit"]) == \
        (Counts(tp=1), Counts(tp=1), Counts(fp=1, fn=1), Counts())
    assert per_type["Statement"] == Counts(tp=1, fp=1, fn=1)
    assert report.micro == Counts(tp=3, fp=2, fn=2)
    assert report.entities.found == Tally(3, 4) and report.entities.missing == ("Georgia",)
    assert report.entities.split == ("Sergey Lavrov",)
    assert dict(report.entities.wrong_type) == {"Russia": ("Organization",)}
    assert report.positions.found == Tally(1, 1)
    assert report.unmatched_documents == ()
    assert {(m.type, m.agent, m.expected_speaker) for m in report.false_positives} == \
        {("Proposal", "NATO", None), ("Statement", "Sergey Lavrov", "Frank-Walter Steinmeier")}
    assert {(m.type, m.text) for m in report.misses} == {("Proposal", "talks"), ("Statement", STEINMEIER_SAYS)}
    assert next(m for m in report.false_positives if m.type == "Proposal").evidence == "A sentence with a Proposal."


def test_stories_that_match_no_loaded_file_are_left_out_and_named(story_store):
    data = reference_json(**STORY_REFERENCE)
    data["documents"]["other.txt"] = {"entities": ["Georgia"], "events": [{"type": "Meeting", "participants": ["Russia", "Georgia"]}]}
    with open_store(story_store) as store:
        report = evaluate_store(reference_from_json(data), store)
    assert report.unmatched_documents == ("other.txt",) and report.micro == Counts(tp=3, fp=2, fn=2)


def test_no_loaded_story_in_the_reference_is_a_failure(story_store):
    data = reference_json()
    data["documents"] = {"other.txt": data["documents"]["story.txt"]}
    with open_store(story_store) as store, pytest.raises(KgError, match="none of the 1 stories") as caught:
        evaluate_store(reference_from_json(data), store)
    assert caught.value.exit_code == 1


# ------------------------------------------------------------------ the command

def test_a_broken_reference_exits_1_before_anything_is_loaded(kg, tmp_path):
    result = kg("evaluate", str(written(tmp_path, "{")), str(tmp_path / "no-such-folder"))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"kg: error: {tmp_path / 'gold.json'}: not JSON") and result.stderr.count("\n") == 1


def test_evaluate_needs_articles(kg, tmp_path):
    result = kg("evaluate", str(written(tmp_path, reference_json())))
    assert result.exit_code == 2 and "PATH" in result.stderr


def test_articles_that_cannot_be_loaded_are_named(kg, tmp_path):
    result = kg("evaluate", str(SEEDS_GOLD), str(tmp_path / "no-such-folder"))
    assert result.exit_code == 1
    assert result.stderr == f"kg: error: nothing was loaded: {tmp_path / 'no-such-folder'}: no such file or folder\n"

