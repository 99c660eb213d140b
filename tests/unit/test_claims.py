"""Who says so, on the recorded seeds and on records built by hand: the outlet of a document,
the source of an event, the dates an office is attested on, and the saved queries claims,
relation and offices."""
from __future__ import annotations

import pyoxigraph as ox

from kg.ingest.text import document_from_bytes
from kg.rdf.quads import SOURCE_NS, document_quads, entity_iri
from kg.records import Entity, Event, Extraction, Position
from kg.vocab import KG, KG_NS, PREFIXES, RDF_TYPE, SKOS_PREF

from conftest import saved_query_rows

STORY = "Talks resume\n\nThe two ministers met in Geneva on Monday and agreed to talk again next week.\n"


def publisher(text: str, **meta: str) -> str | None:
    return document_from_bytes(text.encode(), "story.txt", meta=meta).publisher


def test_the_outlet_is_read_from_the_dateline_a_wire_credit_or_the_site_itself():
    assert publisher("Headline\n\nMOSCOW, June 6. /TASS/. " + STORY) == "TASS"
    assert publisher("Headline\n\nLONDON, Jan 5 (Reuters) - " + STORY) == "Reuters"
    assert publisher("Headline\n\n(AP) \u2014 " + STORY) == "AP"
    assert publisher(STORY + "\nPress TV\u2019s website can also be accessed at the following addresses:\n") == "Press TV"
    assert publisher(STORY + "\n REUTER\n&#3;") == "Reuter"


def test_a_sidecar_publisher_wins_and_a_photo_credit_names_no_outlet():
    assert publisher("Headline\n\nMOSCOW, June 6. /TASS/. " + STORY, publisher="Interfax") == "Interfax"
    assert publisher(STORY + "\u00a9 Sergei Bobylev/TASS\n" + STORY) is None
    assert publisher("Lavrov met Steinmeier on Thursday in Volgograd, Russia. \u00a9AP\n" + STORY) is None


def quads_of(extraction: Extraction) -> set[tuple]:
    return {(q.subject, q.predicate, q.object) for q in document_quads(extraction, "2015-05-07T00:00:00Z", "test")}


def test_an_event_names_its_source_and_an_unnamed_source_is_a_node_of_its_own_kind():
    document = document_from_bytes(STORY.encode(), "story.txt")
    named = Event("Suspension", "suspended", "s", 0, 10, agent="nato", according_to="sergey-lavrov")
    unnamed = Event("Suspension", "halted", "s", 20, 30, agent="turkey", anonymous_source="diplomatic sources")
    quads = quads_of(Extraction(document, events=(named, unnamed)))
    sources = {(s, o) for s, p, o in quads if p == KG.accordingTo}
    source = ox.NamedNode(f"{SOURCE_NS}{document.doc_id}/diplomatic-sources")
    assert {o for _, o in sources} == {entity_iri("sergey-lavrov"), source}
    assert {(source, RDF_TYPE, KG.AnonymousSource), (source, SKOS_PREF, ox.Literal("diplomatic sources", language="en"))} <= quads
    assert not any(s == source and p == RDF_TYPE and o == KG.Person for s, p, o in quads)


def test_a_document_points_at_its_outlet_and_an_office_at_the_date_that_attests_it():
    document = document_from_bytes(b"MOSCOW, June 6. /TASS/. " + STORY.encode(), "story.txt", date="2019-06-06")
    office = Position("alexander-grushko", "Deputy Foreign Minister", "russia", "s", 0, 10, attested="2019-06-06")
    extraction = Extraction(document, entities=(Entity("tass", "TASS", "NewsAgency"),), positions=(office,), outlet="tass")
    quads = quads_of(extraction)
    assert (ox.NamedNode("https://w3id.org/kg-news/doc/story"), KG.outlet, entity_iri("tass")) in quads
    attested = {o for s, p, o in quads if p == KG.attestedOn}
    assert attested == {ox.Literal("2019-06-06", datatype=ox.NamedNode(PREFIXES["xsd"] + "date"))}


def test_claims_give_lavrovs_claim_as_reported_by_tass(seeds_store):
    rows = saved_query_rows(seeds_store, "claims", source="sergey-lavrov")
    assert rows and {r["sourceName"] for r in rows} == {"Sergey Lavrov"}
    severance = [r for r in rows if r["type"] == "Suspension" and r["agent"] == "Russia" and r["negated"] == "true"]
    assert [r["outlet"] for r in severance] == ["TASS"]
    assert "not Russia that initiated the severance" in severance[0]["evidence"]
    assert {r["outlet"] for r in rows} == {"TASS", "Press TV", "RIA Novosti"}
    assert all(r["anonymous"] == "false" and r["onlyAnonymous"] == "false" for r in rows)


def test_relation_gives_the_nato_russia_steps_either_way_round(seeds_store):
    rows = saved_query_rows(seeds_store, "relation", a="nato", b="russia")
    steps = {(r["type"], r["agent"], r["what"]) for r in rows}
    assert ("Suspension", "NATO", "joint RNC activities") in steps  # through the joint council
    assert ("Suspension", "Russia", "all peacekeeping operations") in steps
    assert ("Suspension", "NATO", "all cooperation with Russia") in steps
    assert any(t == "Proposal" and "resuming military cooperation" in (w or "") for t, _, w in steps)
    assert {r["first"] for r in rows} == {"NATO"} and {r["second"] for r in rows} == {"Russia"}
    reversed_rows = saved_query_rows(seeds_store, "relation", a="russia", b="nato")
    assert {(r["type"], r["agent"], r["what"]) for r in reversed_rows} == steps
    undated = [r for r in rows if r["what"] == "all cooperation with Russia"]
    assert undated[0]["placed"] == "undated: its document's date" and undated[0]["date"] == "--06-06"
    assert undated[0]["state"] == "suspended by NATO since --06-06"
    assert "TASS according to Alexander Grushko" in undated[0]["sources"]


def test_offices_give_first_and_last_attestation_per_person(seeds_store):
    rows = saved_query_rows(seeds_store, "offices", person="sergey-lavrov")
    assert {r["holder"] for r in rows} == {"Sergey Lavrov"}
    minister = [r for r in rows if r["role"] == "Foreign Minister"]
    assert [(r["of"], r["first"], r["last"]) for r in minister] == [("Russia", "--05-07", "--05-20")]


def test_offices_on_a_date_keep_those_attested_around_it(tmp_path):
    from conftest import write_store
    nquads = "\n".join(
        f'<https://w3id.org/kg-news/position/p> <{KG_NS}{p}> {o} <https://w3id.org/kg-news/doc/{d}> .'
        for d, day in (("a", "2008-09-27"), ("b", "2012-03-01"))
        for p, o in (("attestedOn", f'"{day}"^^<http://www.w3.org/2001/XMLSchema#date>'), ("role", '"Foreign Minister"'),
                     ("holder", "<https://w3id.org/kg-news/entity/sergey-lavrov>"),
                     ("source", f"<https://w3id.org/kg-news/doc/{d}>"))) + "\n" + "\n".join(
        f'<https://w3id.org/kg-news/position/p> <{PREFIXES["rdf"]}type> <{KG_NS}Position> <https://w3id.org/kg-news/doc/{d}> .\n'
        f'<https://w3id.org/kg-news/doc/{d}> <{KG_NS}fileName> "{d}.txt" <https://w3id.org/kg-news/doc/{d}> .\n'
        f'<https://w3id.org/kg-news/entity/sergey-lavrov> <{PREFIXES["skos"]}prefLabel> "Sergey Lavrov"@en <https://w3id.org/kg-news/doc/{d}> .'
        for d in "ab")
    write_store(tmp_path / "store", nquads.encode())
    rows = saved_query_rows(tmp_path / "store", "offices")
    assert [(r["holder"], r["first"], r["last"]) for r in rows] == [("Sergey Lavrov", "2008-09-27", "2012-03-01")]
    assert len(saved_query_rows(tmp_path / "store", "offices", on="2010-01-01")) == 1
    assert saved_query_rows(tmp_path / "store", "offices", on="2015-01-01") == []


def test_a_party_that_stands_for_both_actors_stands_for_one_the_other_must_be_named(tmp_path):
    from conftest import write_store
    doc, ent, kg = "https://w3id.org/kg-news/doc/d", "https://w3id.org/kg-news/entity/", KG_NS
    envoy = f"<{ent}jan-kowal>"
    lines = [f'<{doc}> <{kg}fileName> "d.txt"', f'<{doc}> <{kg}published> "2020-03-01"^^<http://www.w3.org/2001/XMLSchema#date>',
             f'{envoy} <{PREFIXES["skos"]}prefLabel> "Jan Kowal"@en']
    for actor, name in (("ruritania", "Ruritania"), ("nato", "NATO")):  # the envoy holds an office of each
        lines += [f'<{ent}{actor}> <{kg}key> "{name.lower()}"', f'<{ent}{actor}> <{PREFIXES["skos"]}prefLabel> "{name}"@en',
                  f'{envoy} <{kg}holdsPosition> <https://w3id.org/kg-news/position/{actor}>',
                  f'<https://w3id.org/kg-news/position/{actor}> <{kg}ofOrganization> <{ent}{actor}>']
    for number, theme in ((1, "cooperation with NATO"), (2, "joint exercises")):
        event = f"<https://w3id.org/kg-news/event/d-{number}>"
        lines += [f"{event} <{RDF_TYPE.value}> <{kg}Suspension>", f"{event} <{kg}agent> {envoy}",
                  f'{event} <{kg}theme> "{theme}"', f"{event} <{kg}source> <{doc}>",
                  f'{event} <{kg}negated> "false"^^<http://www.w3.org/2001/XMLSchema#boolean>', f"{event} <{kg}modality> <{kg}Asserted>",
                  f'{event} <{kg}charStart> "{number * 10}"^^<http://www.w3.org/2001/XMLSchema#integer>']
    write_store(tmp_path / "store", "".join(f"{line} <{doc}> .\n" for line in lines).encode())
    rows = saved_query_rows(tmp_path / "store", "relation", a="nato", b="ruritania")
    # the envoy stands for Ruritania and NATO is named in what is at stake; "joint exercises"
    # names neither, and one envoy cannot stand for both sides; the state counts only steps
    # with a party on each side
    assert [(r["what"], r["agent"], r["state"]) for r in rows] == [
        ("cooperation with NATO", "Jan Kowal", "no reported break")]
