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
