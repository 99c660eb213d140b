"""A property that holds for any input: reading and extracting never crash."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.errors import InputError

from conftest import TEXT

pytestmark = pytest.mark.slow
NEWSY = st.lists(st.sampled_from(["NATO", "Russia", "suspended", "met", "talks", "with", "the", '"', "\u201c",
                                  "\u201d", "said", "Lavrov", "Moscow", ".", ",", "\n", "not", "\u00a9", "/TASS/",
                                  "MOSCOW, May 7.", "he", "his counterpart", "Foreign Minister", "\u0000", "\t",
                                  "\u202e", "\u05e9\u05dc\u05d5\u05dd", "\U0001f600"]),
                 max_size=60).map(" ".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(TEXT, NEWSY))
def test_reading_and_extracting_never_raise(read, text):
    try:
        extraction = read(text)
    except InputError:
        return  # empty, binary-looking or not English: refused with a message, which is fine
    for event in extraction.events:
        assert 0 <= event.start <= event.end <= len(extraction.document.text)
