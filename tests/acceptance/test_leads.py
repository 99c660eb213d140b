"""A story's headline and lead as the loader parses them, with the model: the headline a
sentence of its own, names on either side of it whole, and a weekday placed before or
after the story's date by whether the event is done or still to come."""
from __future__ import annotations

import pytest

from kg.extract.document import extract
from kg.ingest.text import document_from_bytes
from kg.nlp.pipeline import parse

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def story(nlp):
    """Extract from a story as `kg load` parses it."""
    def _story(text: str, date: str):
        document = document_from_bytes(text.encode("utf-8"), "story.txt", date=date)
        return extract(next(parse(nlp, [document.text])), document)
    return _story


def meeting(extraction):
    (event,) = [e for e in extraction.events if e.kind == "Meeting"]
    return event


def test_a_name_opening_the_lead_under_a_headline_is_read(story):
    x = story("Top diplomats confer in Austria\n\nSergey Lavrov and John Kerry held talks in Vienna on June 3.\n",
              "2015-06-04")
    event = meeting(x)
    assert (set(event.participants), event.date) == ({"sergey-lavrov", "john-kerry"}, "2015-06-03")


def test_the_headline_last_name_and_the_lead_first_name_are_two_people(story):
    x = story("Kerry sees Wang Yi\n\nVIENNA (Meridian News) - John Kerry met Chinese Foreign Minister Wang Yi "
              "in Vienna on June 2.\n", "2015-06-02")
    assert set(meeting(x).participants) == {"john-kerry", "wang-yi"}
    assert {e.key for e in x.entities if e.kind == "Person"} == {"john-kerry", "wang-yi"}


@pytest.mark.parametrize(("lead", "date"), [
    ("Javad Zarif will meet Laurent Fabius in Paris on Wednesday.", "2015-06-10"),
    ("Javad Zarif is to meet Laurent Fabius in Paris on Wednesday.", "2015-06-10"),
    ("Javad Zarif plans to meet Laurent Fabius in Paris on Wednesday.", "2015-06-10"),
    ("Javad Zarif met Laurent Fabius in Paris on Wednesday.", "2015-06-03"),
])
def test_a_weekday_lies_ahead_of_a_planned_meeting_and_behind_a_held_one(story, lead, date):
    assert meeting(story(lead + "\n", "2015-06-09")).date == date


def test_a_name_opening_the_lead_after_blanked_page_furniture_is_read(story):
    x = story("Second Berlin meeting\n\nSergey Lavrov met Frank-Walter Steinmeier in Berlin on Friday.\n", "2015-06-12")
    assert set(meeting(x).participants) == {"sergey-lavrov", "frank-walter-steinmeier"}


@pytest.mark.parametrize("byline", [
    "By Maria Keller, staff correspondent",
    "By Maria Keller and Jon Lee | Updated 12:03",
    "Maria Keller, staff reporter",
    "By Meridian News staff",
])
def test_a_lead_under_a_byline_is_read_and_the_reporter_is_no_entity(story, byline):
    x = story(f"Leaders meet in a capital\n\n{byline}\n\nSergey Lavrov met Frank-Walter Steinmeier in Berlin on Monday.\n\n"
              "They talked about Ukraine.\n", "2024-02-10")
    assert set(meeting(x).participants) == {"sergey-lavrov", "frank-walter-steinmeier"}
    assert {e.key for e in x.entities if e.kind == "Person"} == {"sergey-lavrov", "frank-walter-steinmeier"}


def test_the_outlet_credited_before_the_lead_is_the_outlet_and_no_party(story):
    x = story("Lavrov: 'No progress'\n\n(Meridian News) - Russian Foreign Minister Sergey Lavrov met U.S. Secretary "
              "of State John Kerry at the weekend in Geneva.\n", "2024-02-19")
    assert set(meeting(x).participants) == {"sergey-lavrov", "john-kerry"}
    assert (x.outlet, {e.key: e.kind for e in x.entities}["meridian-news"]) == ("meridian-news", "NewsAgency")


def test_a_journey_to_a_capital_named_by_its_state_is_a_visit_there(story):
    x = story("Lavrov in Berlin\n\nSergey Lavrov arrived in the German capital on Monday for talks on Ukraine.\n",
              "2024-03-05")
    (visit,) = [e for e in x.events if e.kind == "Visit"]
    assert (visit.agent, visit.place, visit.counterparts) == ("sergey-lavrov", "berlin", ("germany",))


def test_a_full_name_the_model_misses_is_read_by_the_surname_it_tags_later(story):
    x = story("Leaders meet\n\nRecep Tayyip Erdogan met Vladimir Putin in Sochi on Monday.\n\n"
              "Erdogan said the talks had gone well.\n", "2024-03-05")
    assert set(meeting(x).participants) == {"recep-tayyip-erdogan", "vladimir-putin"}
