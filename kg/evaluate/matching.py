"""When something kg found counts as something the reference holds.

The rules are those of the extraction scorer kg is measured with, so both give the same
figures: labels compare after folding case, accents, dashes and a leading "the";
a capital acting for its state counts as the state; a meeting is its set of parties; a
quote is found by word overlap and speaker.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from kg.evaluate.reference import Reference, ReferenceEvent, ReferencePosition

QUOTE_OVERLAP = 0.6  # share of a quote's words a statement must carry
UNKNOWN = "?"  # marks a label that names no reference entity


@dataclass(frozen=True)
class FoundEvent:
    """One row of the `events` saved query: labels as kg prints them."""

    event: str
    type: str
    agent: str | None = None
    participants: tuple[str, ...] = ()
    counterpart: str | None = None
    theme: str | None = None
    negated: bool = False
    date: str | None = None
    place: str | None = None
    source: str | None = None
    evidence: str | None = None


@dataclass(frozen=True)
class FoundEntity:
    """One row of the `entities` saved query."""

    entity: str
    type: str
    label: str


@dataclass(frozen=True)
class FoundPosition:
    """One row of the `positions` saved query."""

    person: str
    role: str
    of: str | None = None


def folded(label: str) -> str:
    """A label with case, accents, curly quotes, dashes, punctuation and a leading "the"
    folded away, so that the variants of one name compare equal.

    >>> folded("The Russia–NATO Council"), folded("Sergéy  Lavrov"), folded("U.S.")
    ('russia nato council', 'sergey lavrov', 'u s')
    """
    plain = "".join(c for c in unicodedata.normalize("NFKD", label) if not unicodedata.combining(c))
    plain = plain.replace("\u2019", "'").replace("\u2018", "'").casefold().strip()
    plain = re.sub(r"^the\s+", "", plain)
    plain = re.sub(r"[\s\-\u2010-\u2015_./]+", " ", plain)
    plain = re.sub(r"[^\w' ]", "", plain)
    return " ".join(plain.split())


def words(text: str) -> list[str]:
    """The words of a text, folded.

    >>> words("Lavrov's \\"reset\\" — now!")
    ['lavrov', 's', 'reset', 'now']
    """
    return re.findall(r"\w+", folded(text))


def word_overlap(reference_text: str, found_text: str) -> float:
    """The share of the reference text's words that the found text carries.

    >>> word_overlap("we will not talk", "He said: we will talk."), word_overlap("", "x")
    (0.75, 0.0)
    """
    wanted = words(reference_text)
    if not wanted:
        return 0.0
    present = set(words(found_text))
    return sum(word in present for word in wanted) / len(wanted)


def date_parts(value: str | None) -> tuple[int | None, int | None, int | None]:
    """Year, month and day of a full or partial ISO date; None where it gives none.

    >>> date_parts("2015-05-07"), date_parts("--05-07"), date_parts("2008-08"), date_parts("--06")
    ((2015, 5, 7), (None, 5, 7), (2008, 8, None), (None, 6, None))
    """
    match = re.match(r"(\d{4})?(?:--?(\d{2}))?(?:-(\d{2}))?", (value or "").strip())
    year, month, day = (int(part) if part else None for part in match.groups())
    return year, month, day


def dates_agree(reference_date: str, found_date: str | None) -> bool:
    """Whether a found date has every part the reference gives (a missing date never agrees).

    >>> dates_agree("--05-07", "2015-05-07"), dates_agree("2015-05-07", "--05-07"), dates_agree("2015", None)
    (True, False, False)
    """
    found = date_parts(found_date)
    if found == (None, None, None):
        return False
    return all(wanted is None or wanted == part for wanted, part in zip(date_parts(reference_date), found))


def local_name(iri: str) -> str:
    """The last segment of an IRI, or the value itself.

    >>> local_name("https://w3id.org/kg-news/ontology#Meeting"), local_name("Meeting")
    ('Meeting', 'Meeting')
    """
    return re.split(r"[#/]", iri.rstrip("/#"))[-1]


def coarse_type(class_name: str) -> str:
    """Person, Organization or Location for a class, or the class's own name.

    >>> coarse_type("https://w3id.org/kg-news/ontology#Country"), coarse_type("Alliance"), coarse_type("Ship")
    ('Location', 'Organization', 'Ship')
    """
    name = local_name(class_name).lower()
    if name in ("person", "agent_person", "human"):
        return "Person"
    if any(word in name for word in ("country", "city", "place", "location", "region", "gpe", "state",
                                     "settlement", "territory")):
        return "Location"
    if any(word in name for word in ("organi", "alliance", "council", "body", "agency", "group", "media",
                                     "programme", "program", "institution")):
        return "Organization"
    return local_name(class_name)


@dataclass(frozen=True)
class Names:
    """Which reference entity a label printed by kg names."""

    entity_by_label: dict[str, str]
    stands_for: dict[str, str]

    @classmethod
    def of(cls, reference: Reference) -> "Names":
        by_label: dict[str, str] = {}
        for entity in reference.entities:
            for name in (entity.name, *entity.aliases):
                by_label.setdefault(folded(name), entity.name)
        return cls(by_label, dict(reference.metonyms))

    def entity(self, label: str | None) -> str | None:
        """The reference entity a label names; a label naming none keeps its folded form,
        marked, so that it never equals an entity and two spellings of it still agree.

        >>> names = Names({"nato": "NATO", "moscow": "Moscow"}, {"Moscow": "Russia"})
        >>> names.entity("the Nato"), names.entity("Kremlin"), names.entity(None)
        ('NATO', '?kremlin', None)
        """
        if not label:
            return None
        key = folded(label)
        return self.entity_by_label.get(key, UNKNOWN + key)

    def actor(self, label: str | None) -> str | None:
        """The entity a label names when it acts: a capital stands for its state.

        >>> Names({"moscow": "Moscow"}, {"Moscow": "Russia"}).actor("Moscow")
        'Russia'
        """
        name = self.entity(label)
        return self.stands_for.get(name, name) if name else None


def actors(found: FoundEvent, names: Names) -> set[str]:
    """Everyone a found event names as taking part: agent, counterpart and participants."""
    named = {names.actor(found.agent), names.actor(found.counterpart), *map(names.actor, found.participants)}
    return {name for name in named if name}


def event_matches(wanted: ReferenceEvent, found: FoundEvent, names: Names) -> bool:
    """Whether a found event is the reference event, leaving theme, date and place aside."""
    if wanted.type != found.type or wanted.negated != found.negated:
        return False
    if wanted.type == "Meeting":
        return actors(found, names) == {names.actor(p) for p in wanted.participants}
    if wanted.agent:
        return (names.actor(found.agent) == names.actor(wanted.agent)
                and counterpart_allowed(wanted, found, names))
    named = actors(found, names)
    return bool(named) and named <= {names.actor(p) for p in wanted.parties}


def counterpart_allowed(wanted: ReferenceEvent, found: FoundEvent, names: Names) -> bool:
    """A found counterpart must be one the reference allows (for a visit, the place too);
    none found, or none given, always passes."""
    allowed = {names.actor(c) for c in wanted.counterparts}
    if wanted.type == "Visit" and wanted.place:
        allowed.add(names.actor(wanted.place))
    return found.counterpart is None or not allowed or names.actor(found.counterpart) in allowed


def closeness(wanted: ReferenceEvent, found: FoundEvent, names: Names) -> float:
    """How well a matching event fits: words of the theme it carries, plus half a point
    each for an agreeing date and place."""
    text = f"{found.theme or ''} {found.evidence or ''}"
    return (word_overlap(wanted.theme, text)
            + 0.5 * bool(wanted.date and dates_agree(wanted.date, found.date))
            + 0.5 * bool(wanted.place and names.entity(found.place) == names.entity(wanted.place)))


def carries_quote(quote_text: str, statement: FoundEvent) -> bool:
    """Most of the quote's words are in the statement (its words or sentence), and enough of
    the statement's words are the quote.

    >>> said = FoundEvent("e", "Statement", theme="we will not talk to them", evidence="")
    >>> carries_quote("We will not talk to them now", said), carries_quote("a different matter", said)
    (True, False)
    """
    theme = statement.theme or ""
    return (bool(theme)
            and word_overlap(quote_text, f"{theme} {statement.evidence or ''}") >= QUOTE_OVERLAP
            and word_overlap(theme, quote_text) >= QUOTE_OVERLAP / 2)


def holds_position(wanted: ReferencePosition, found: FoundPosition, names: Names) -> bool:
    """Same person and body, the reference role within the found one, and "deputy" in both or neither.

    >>> names = Names({"sergey lavrov": "Sergey Lavrov", "lavrov": "Sergey Lavrov", "russia": "Russia"}, {})
    >>> minister = ReferencePosition("Sergey Lavrov", "foreign minister", "Russia")
    >>> holds_position(minister, FoundPosition("Lavrov", "Foreign Minister", "Russia"), names)
    True
    >>> holds_position(minister, FoundPosition("Lavrov", "Deputy Foreign Minister", "Russia"), names)
    False
    """
    wanted_role, found_role = folded(wanted.role), folded(found.role)
    return (names.entity(found.person) == names.entity(wanted.person)
            and names.actor(found.of) == names.actor(wanted.of)
            and wanted_role in found_role
            and ("deputy" in wanted_role) == ("deputy" in found_role))
