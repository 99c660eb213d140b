"""The benchmark's replayed stores: 50 articles replayed from one template through kg's
writer, each under a fresh document with its own event IRIs and entities drawn from the mix."""
from __future__ import annotations

import dataclasses
import doctest
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.rdf.quads import document_quads
from kg.records import Document, Entity, Event, Extraction, Position
from kg.store import open_store
from kg.vocab import DOC_NS, ENT_NS, EVENT_NS

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import replay  # noqa: E402
import stores  # noqa: E402

TEXT = "NATO suspended contacts with Russia. Anna Novak met Boris Petrov in Moscow."
TEMPLATE = Extraction(
    Document("t", "t.txt", TEXT, "h0", published="2021-10-18"),
    entities=(Entity("nato", "NATO", "Alliance"), Entity("russia", "Russia", "Country", "Q159"),
              Entity("anna-novak", "Anna Novak", "Person"), Entity("boris-petrov", "Boris Petrov", "Person"),
              Entity("moscow", "Moscow", "City")),
    events=(Event("Suspension", "suspended", TEXT[:36], 5, 14, agent="nato", counterparts=("russia",),
                  theme="contacts"),
            Event("Meeting", "met", TEXT[37:], 48, 51, participants=("anna-novak", "boris-petrov"), place="moscow",
                  date="--10-17")),
    positions=(Position("anna-novak", "Foreign Minister", "russia", TEXT[37:], 37, 47),))
ARTICLES = 50


@pytest.fixture(scope="module")
def mix() -> replay.Mix:
    return replay.actor_mix([TEMPLATE], size=40)


@pytest.fixture(scope="module")
def replayed_store(tmp_path_factory, mix) -> Path:
    folder = tmp_path_factory.mktemp("replayed") / "store"
    replay.write_store(folder, [TEMPLATE], mix, ARTICLES)
    return folder


def document_graph_quads(folder: Path) -> set[ox.Quad]:
    with open_store(folder) as store:
        return {q for q in store.quads() if q.graph_name.value.startswith(DOC_NS)}


def test_the_store_holds_each_replayed_article_as_kg_writes_it(replayed_store, mix):
    articles = replay.articles([TEMPLATE], mix, ARTICLES)
    assert document_graph_quads(replayed_store) == {q for a in articles
                                                   for q in document_quads(a, replay.STAMP, replay.VERSION)}
    with open_store(replayed_store) as store:
        assert len(store.documents()) == ARTICLES


def test_filling_a_pattern_gives_what_kg_writes_for_the_replayed_records(mix):
    pattern = replay.Pattern(TEMPLATE)
    for number in range(ARTICLES):
        filled = pattern.filled(number, mix)
        article = replay.replayed(TEMPLATE, number, mix)
        assert set(ox.parse(filled.nquads, format=ox.RdfFormat.N_QUADS)) == set(document_quads(article, replay.STAMP,
                                                                                                 replay.VERSION))
        assert filled.entities == tuple(e.key for e in article.entities)


def test_later_articles_move_their_dates_on_by_a_day_every_hundred_articles(mix):
    pattern = replay.Pattern(TEMPLATE)
    number = 3 * replay.ARTICLES_PER_DAY
    filled = set(ox.parse(pattern.filled(number, mix).nquads, format=ox.RdfFormat.N_QUADS))
    article = replay.replayed(TEMPLATE, number, mix)
    assert filled == set(document_quads(article, replay.STAMP, replay.VERSION))
    assert (TEMPLATE.document.published, article.document.published) == ("2021-10-18", "2021-10-21")
    undated = dataclasses.replace(TEMPLATE, document=dataclasses.replace(TEMPLATE.document, published=None))
    assert replay.replayed(undated, number, mix).document.published == replay.moved(replay.ARCHIVE_START, 3)
    assert set(ox.parse(replay.Pattern(undated).filled(number, mix).nquads, format=ox.RdfFormat.N_QUADS)) == set(
        document_quads(replay.replayed(undated, number, mix), replay.STAMP, replay.VERSION))


def test_every_article_has_its_own_document_and_events(replayed_store):
    quads = document_graph_quads(replayed_store)
    assert len({q.graph_name for q in quads}) == ARTICLES
    events = {q.subject.value for q in quads if q.subject.value.startswith(EVENT_NS)}
    assert len(events) == ARTICLES * len(TEMPLATE.events)


def test_entities_are_drawn_from_the_mix_distinct_within_an_article(mix):
    keys = {a.key for actors in mix.actors.values() for a in actors}
    for article in replay.articles([TEMPLATE], mix, ARTICLES):
        drawn = [e.key for e in article.entities]
        assert len(set(drawn)) == len(drawn) and set(drawn) <= keys
        assert [e.kind for e in article.entities] == [e.kind for e in TEMPLATE.entities]
        assert article.events[0].agent == drawn[0] and article.events[0].counterparts == (drawn[1],)
        assert article.positions[0].person == drawn[2] and article.positions[0].of == drawn[1]


def test_labels_follow_the_keys_and_the_head_is_drawn_most(mix):
    labels = {a.key: a.label for actors in mix.actors.values() for a in actors}
    people = [e for a in replay.articles([TEMPLATE], mix, 500) for e in a.entities if e.kind == "Person"]
    assert all(labels[e.key] == e.label for e in people)
    counts = {key: sum(1 for e in people if e.key == key) for key in labels}
    head, *rest = mix.actors["Person"]
    assert counts[head.key] > max(counts[a.key] for a in rest[1:])
    assert mix.actors["Alliance"][0].label == "NATO" and len(mix.actors["Alliance"]) > 1


def test_a_smaller_store_is_the_start_of_a_larger_one(mix):
    assert list(replay.articles([TEMPLATE], mix, 20)) == list(replay.articles([TEMPLATE], mix, ARTICLES))[:20]


def test_the_baseline_binds_a_parameter_as_the_query_convention_says():
    store = ox.Store()
    store.extend(document_quads(TEMPLATE, replay.STAMP, replay.VERSION))
    query = "SELECT ?e WHERE {\n  ?e a kg:Suspension .\n  #[actor] ?e kg:agent ?actor .\n}"
    rows = {actor: len(list(store.query(stores.bound_text(query, {"actor": f"<{ENT_NS}{actor}>"} if actor else {}),
                                        use_default_graph_as_union=True)))
            for actor in ("nato", "russia", None)}
    assert rows == {"nato": 1, "russia": 0, None: 1}


@pytest.mark.parametrize("module", [replay, stores])
def test_bench_doctests(module):
    assert doctest.testmod(module).failed == 0
