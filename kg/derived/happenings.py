"""Happenings: one node per real-world event, linking the reports of it in every document.

Outlets report the same meeting in their own words, dates and forms of date; counting
event nodes counts articles. A happening gathers the reports that share the event class
and the same parties (agent, participants and counterparts, as linked entity IRIs; the
place is not a party), whose dates are compatible and whose places are compatible.

How reports are grouped, for one class and one set of parties (a key):

1. Each report's date is completed from its document's date first: `--05-07` in a
   document of 2015 is 2015-05-07 (or the year next to it, whichever is within six
   months of the document).
2. Reports that fix a day (after completion) form happenings in date order: a report
   joins the happening begun by the earliest report at most one day before it, otherwise
   it begins a new one. Within a happening, reports at different places are different
   happenings; one without a place joins the place most of the others give.
3. Reports of a less exact date (a month, a year, a day without a year, none) and
   denials then join the compatible happening nearest their document's date; an undated
   report in a dated document only looks a week back and a day ahead. An asserted or
   planned report that finds none begins a happening of its own; a denial that finds
   none is dropped, as are hypothetical and conditional reports, which never say that
   anything happened.

Reports that disagree keep their own values in their own documents; the happening
records each disagreement (the date, or whether it happened at all) with the values and
the documents that give each. A single report is a happening: the one account of it, so
that counts of contacts include meetings only one outlet reported.

Everything here depends only on the set of reports, never on the order they arrived in,
and the happening's IRI is a hash of its class, parties, place and earliest date.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from kg.extract.dates import LEAP_YEAR, parts, render
from kg.rdf.quads import date_literal
from kg.store import Store
from kg.vocab import HAPPENINGS_GRAPH, KG, KG_NS, RDF_TYPE, XSD

GRAPH = HAPPENINGS_GRAPH
HAPPENING_NS = "https://w3id.org/kg-news/happening/"
CLASSES = ("Meeting", "Visit", "Suspension", "Resumption", "Agreement", "Recognition")
"""The event classes whose reports are matched into happenings: those identified by who
and when. Statements, proposals and accusations are identified by what was said, which
matching by parties and date would merge."""
PARTY_ROLES = ("agent", "participant", "counterpart")
MAKERS = ("Asserted", "Planned", "Attempted")  # modalities that say a happening took or takes place
NEAR_DAYS = 1  # reports of dates at most this far apart are one happening that disagrees on its date
LOOKBACK_DAYS = 7  # how far back an undated report in a dated document looks for its happening
HALF_YEAR = 183
PARTY_PATH = "|".join(f"<{KG_NS}{role}>" for role in PARTY_ROLES)


@dataclass(frozen=True)
class Report:
    """One event node of one document, as matching sees it: IRIs as strings, the date as
    stored and the document's own date."""

    iri: str
    kind: str
    parties: tuple[str, ...]
    source: str
    negated: bool = False
    modality: str = "Asserted"
    date: str | None = None
    place: str | None = None
    published: str | None = None

    @property
    def when(self) -> str | None:
        return completed(self.date, self.published)

    @property
    def makes_happening(self) -> bool:
        return not self.negated and self.modality in MAKERS

    @property
    def denies(self) -> bool:
        """Whether it says the happening did not, or will not, take place ("would not meet" says neither)."""
        return self.negated and self.modality in MAKERS


@dataclass(frozen=True)
class Reading:
    """One value of a disputed field, and the documents that give it."""

    value: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Disagreement:
    field: str
    readings: tuple[Reading, ...]


@dataclass(frozen=True)
class Happening:
    iri: str
    kind: str
    parties: tuple[str, ...]
    reports: tuple[str, ...]
    earliest: str | None = None
    latest: str | None = None
    place: str | None = None
    disagreements: tuple[Disagreement, ...] = ()


# ---------------------------------------------------------------- dates

def completed(date: str | None, published: str | None) -> str | None:
    """The report's date with the year its document's date gives, when the text left it out:
    the year that puts the day within half a year of the document.

    >>> completed("--05-07", "2015-05-08"), completed("--12-30", "2016-01-02"), completed("--05-07", None)
    ('2015-05-07', '2015-12-30', '--05-07')
    >>> completed("--01-05", "2015-12-30"), completed("2014-11", "2015-05-07"), completed(None, "2015-05-07")
    ('2016-01-05', '2014-11', None)
    """
    year, month, day = parts(date)
    anchor_year, anchor_month, anchor_day = parts(published)
    if date is None or year is not None or month is None or anchor_year is None:
        return date
    anchor = dt.date(anchor_year, anchor_month or 7, anchor_day or 1)
    for candidate in (anchor_year, anchor_year - 1, anchor_year + 1):
        moved = day_of(render(candidate, month, day or 15))
        if moved and abs((moved - anchor).days) <= HALF_YEAR:
            return render(candidate, month, day)
    return render(anchor_year, month, day)


def day_of(value: str | None) -> dt.date | None:
    """The day a full date names; None for a partial one.

    >>> day_of("2015-05-07"), day_of("--05-07"), day_of("2015-02-30")
    (datetime.date(2015, 5, 7), None, None)
    """
    year, month, day = parts(value)
    if year is None or month is None or day is None:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def fits(value: str | None, day: dt.date, slack: int = NEAR_DAYS) -> bool:
    """Whether a date of any precision can name a day within `slack` days of `day`.

    >>> d = dt.date(2015, 5, 7)
    >>> fits("--05-08", d), fits("2015-05", d), fits("2014", d), fits(None, d), fits("--05-10", d)
    (True, True, False, True, False)
    """
    year, month, dom = parts(value)
    if value is None:
        return True
    for near in (day + dt.timedelta(days=shift) for shift in range(-slack, slack + 1)):
        if (year in (None, near.year) and month in (None, near.month) and dom in (None, near.day)):
            return True
    return False


def agree(a: str | None, b: str | None) -> bool:
    """Whether two dates say nothing against each other: every part both give is the same.

    >>> agree("2015-05-07", "--05-07"), agree("2015-05", "2015-05-07"), agree("2015-05-07", "2015-05-08")
    (True, True, False)
    """
    return all(x is None or y is None or x == y for x, y in zip(parts(a), parts(b)))


def exactness(value: str | None) -> int:
    """How many of year, month and day a date gives.

    >>> exactness("2015-05-07"), exactness("--05-07"), exactness("2015"), exactness(None)
    (3, 2, 1, 0)
    """
    return sum(part is not None for part in parts(value))


# ---------------------------------------------------------------- grouping

def key_of(kind: str, parties: Iterable[str]) -> str:
    """The key a deriver refresh is asked for: the class and the sorted parties.

    >>> key_of("Meeting", ["https://e/b", "https://e/a"])
    'Meeting https://e/a https://e/b'
    """
    return " ".join((kind, *sorted(set(parties))))


def split_key(key: str) -> tuple[str, tuple[str, ...]]:
    """The class and parties a key names.

    >>> split_key('Meeting https://e/a https://e/b')
    ('Meeting', ('https://e/a', 'https://e/b'))
    """
    kind, *parties = key.split(" ")
    return kind, tuple(parties)


class Group:
    """Reports gathered into one happening while grouping."""

    def __init__(self, first: Report):
        self.reports = [first]

    @property
    def days(self) -> list[dt.date]:
        return sorted(day for day in (day_of(r.when) for r in self.reports if r.makes_happening) if day)

    @property
    def place(self) -> str | None:
        places = Counter(r.place for r in self.reports if r.place and r.makes_happening)
        return min(places, key=lambda p: (-places[p], p)) if places else None

    def admits(self, report: Report) -> bool:
        """Whether a report of an inexact date, or a denial, can be one of these reports."""
        if report.place and self.place and report.place != self.place:
            return False
        days = self.days
        if days:
            when = report.when
            if when is None:
                return undated_fits(report.published, days)
            return any(fits(when, day) for day in days)
        if report.when is None:
            return all(near(report.published, r.when or r.published) for r in self.reports)
        return all(agree(report.when, r.when) and (r.when or near(r.published, report.when)) for r in self.reports)

    def distance(self, report: Report) -> int:
        """Days from the report's document to these reports, for choosing the nearest."""
        anchor, days = day_of(report.published), self.days
        return min(abs((anchor - day).days) for day in days) if anchor and days else 0


def undated_fits(published: str | None, days: list[dt.date]) -> bool:
    """Whether an undated report in a document of this date can tell of one of these days:
    news tells of the last few days, not of a year before.

    >>> undated_fits("2015-05-08", [dt.date(2015, 5, 7)]), undated_fits("2015-06-30", [dt.date(2015, 5, 7)])
    (True, False)
    >>> undated_fits(None, [dt.date(2015, 5, 7)]), undated_fits("--05-09", [dt.date(2015, 5, 7)])
    (True, True)
    """
    return any(-NEAR_DAYS <= days_after(published, day.isoformat()) <= LOOKBACK_DAYS for day in days)


def days_after(later: str | None, earlier: str | None) -> int:
    """Days from one date to another, by month and day alone when either lacks its year;
    0 when either lacks its day (nothing is known against them).

    >>> days_after("2015-05-08", "2015-05-07"), days_after("--05-08", "2014-05-01"), days_after("2015", "--01-01")
    (1, 7, 0)
    """
    (ly, lm, ld), (ey, em, ed) = parts(later), parts(earlier)
    if None in (lm, ld, em, ed):
        return 0
    if ly is None or ey is None:
        ly = ey = LEAP_YEAR
    try:
        return (dt.date(ly, lm, ld) - dt.date(ey, em, ed)).days
    except ValueError:
        return 0


def near(a: str | None, b: str | None) -> bool:
    """Whether two undated reports' documents are close enough in date to tell of one happening.

    >>> near("--09-27", "--06-06"), near("2015-05-08", "2015-05-05"), near(None, "2015-05-05")
    (False, True, True)
    """
    return abs(days_after(a, b)) <= LOOKBACK_DAYS


def dated_groups(reports: list[Report]) -> list[Group]:
    """Reports that fix a day, grouped: each group spans at most NEAR_DAYS from its first
    report, and is split by place."""
    groups: list[list[Report]] = []
    for report in sorted(reports, key=lambda r: (day_of(r.when), r.iri)):
        if groups and (day_of(report.when) - day_of(groups[-1][0].when)).days <= NEAR_DAYS:
            groups[-1].append(report)
        else:
            groups.append([report])
    return [split for group in groups for split in by_place(group)]


def by_place(reports: list[Report]) -> list[Group]:
    """One group per place the reports give; those giving none join the commonest place."""
    places = Counter(r.place for r in reports if r.place)
    if not places:
        return [grouped(reports)]
    main = min(places, key=lambda p: (-places[p], p))
    return [grouped([r for r in reports if (r.place or main) == place]) for place in sorted(places)]


def grouped(reports: list[Report]) -> Group:
    group = Group(reports[0])
    group.reports += reports[1:]
    return group


def groups_of(reports: Iterable[Report]) -> list[Group]:
    """The reports of one key, grouped into happenings (see the module's description)."""
    reports = list(reports)
    exact = [r for r in reports if r.makes_happening and day_of(r.when)]
    rest = [r for r in reports if r not in exact and (r.denies or r.makes_happening)]
    groups = dated_groups(exact)
    for report in sorted(rest, key=lambda r: (r.negated, -exactness(r.when), r.when or "", r.iri)):
        fitting = [g for g in groups if g.admits(report)]
        if fitting:
            min(fitting, key=lambda g: (g.distance(report), -len(g.reports), g.days[:1])).reports.append(report)
        elif report.makes_happening:
            groups.append(Group(report))
    return groups


def happenings(reports: Iterable[Report]) -> list[Happening]:
    """The happenings a set of reports makes, whatever order they come in.

    >>> a = Report("e:1", "Meeting", ("x", "y"), "d:1", date="2015-05-07")
    >>> b = Report("e:2", "Meeting", ("x", "y"), "d:2", date="--05-08", published="2015-05-08")
    >>> c = Report("e:3", "Meeting", ("x", "y"), "d:3", date="2015-05-14")
    >>> [(len(h.reports), h.earliest, h.latest) for h in happenings([c, b, a])]
    [(2, '2015-05-07', '2015-05-08'), (1, '2015-05-14', '2015-05-14')]
    """
    by_key: dict[str, list[Report]] = {}
    for report in reports:
        by_key.setdefault(key_of(report.kind, report.parties), []).append(report)
    found = [happening_of(group) for key in sorted(by_key) for group in groups_of(by_key[key])]
    return sorted((h for h in found if h is not None), key=lambda h: h.iri)


def happening_of(group: Group) -> Happening | None:
    """The happening one group of reports makes; none when nothing in it says it happened."""
    reports = sorted(group.reports, key=lambda r: r.iri)
    makers = [r for r in reports if r.makes_happening]
    if not makers:
        return None
    days = group.days
    if days:
        earliest, latest = days[0].isoformat(), days[-1].isoformat()
    else:
        earliest = latest = min((r.when for r in makers if r.when), key=lambda w: (-exactness(w), w), default=None)
    first = reports[0]
    anchor = earliest or min((r.published or "" for r in makers), default="")
    digest = hashlib.sha1("|".join((first.kind, *first.parties, group.place or "", anchor)).encode()).hexdigest()
    return Happening(HAPPENING_NS + digest[:16], first.kind, first.parties, tuple(r.iri for r in reports),
                     earliest, latest, group.place, disagreements(reports))


def disagreements(reports: list[Report]) -> tuple[Disagreement, ...]:
    """What the reports of one happening say against each other: its date, and whether it happened."""
    found = []
    makers = [r for r in reports if r.makes_happening]
    dates = sorted({r.when for r in makers if r.when})
    if any(not agree(a, b) for a in dates for b in dates):
        found.append(Disagreement("date", tuple(Reading(d, sources(r for r in makers if r.when == d))
                                                for d in dates)))
    denials = [r for r in reports if r.denies]
    if denials:
        found.append(Disagreement("occurred", (Reading("false", sources(denials)), Reading("true", sources(makers)))))
    return tuple(found)


def sources(reports: Iterable[Report]) -> tuple[str, ...]:
    return tuple(sorted({r.source for r in reports}))


# ---------------------------------------------------------------- to RDF

def happening_triples(happening: Happening) -> list[tuple]:
    """The statements of one happening in the happenings graph."""
    node = ox.NamedNode(happening.iri)
    out = [(node, RDF_TYPE, KG.Happening), (node, KG.eventClass, KG[happening.kind])]
    out += [(node, KG.involves, ox.NamedNode(p)) for p in happening.parties]
    out += [(node, KG.report, ox.NamedNode(r)) for r in happening.reports]
    if happening.earliest:
        out += [(node, KG.earliestDate, date_literal(happening.earliest)),
                (node, KG.latestDate, date_literal(happening.latest))]
    if happening.place:
        out.append((node, KG.happenedAt, ox.NamedNode(happening.place)))
    for disagreement in happening.disagreements:
        point = ox.NamedNode(f"{happening.iri}/{disagreement.field}")
        out += [(node, KG.disagreement, point), (point, RDF_TYPE, KG.Disagreement),
                (point, KG.field, ox.Literal(disagreement.field))]
        for reading in disagreement.readings:
            value = ox.NamedNode(f"{point.value}/{hashlib.sha1(reading.value.encode()).hexdigest()[:8]}")
            out += [(point, KG.reading, value), (value, RDF_TYPE, KG.Reading),
                    (value, KG.value, value_term(disagreement.field, reading.value))]
            out += [(value, KG.source, ox.NamedNode(s)) for s in reading.sources]
    return out


def value_term(field: str, value: str) -> ox.Literal:
    """A reading's value as a literal: whether it happened, or a date.

    >>> value_term("occurred", "false").datatype.value, value_term("date", "--05-07").datatype.value
    ('http://www.w3.org/2001/XMLSchema#boolean', 'http://www.w3.org/2001/XMLSchema#gMonthDay')
    """
    if field == "occurred":
        return ox.Literal(value, datatype=ox.NamedNode(XSD + "boolean"))
    return date_literal(value)


# ---------------------------------------------------------------- the store

def affected(store: Store, graphs: list[str]) -> frozenset[str]:
    """The keys of every report of a matched class in these documents."""
    docs = " ".join(f"<{g}>" for g in graphs)
    rows = store.query(f"""SELECT ?e ?c ?x WHERE {{ VALUES ?g {{ {docs} }}
        GRAPH ?g {{ ?e <{KG_NS}source> ?g ; a ?c ; {PARTY_PATH} ?x }} }}""")
    matched = {KG_NS + name for name in CLASSES}
    parties: dict[tuple[str, str], set[str]] = {}
    for row in rows:
        if row["c"].value in matched:
            parties.setdefault((row["e"].value, row["c"].value[len(KG_NS):]), set()).add(row["x"].value)
    return frozenset(key_of(kind, found) for (_, kind), found in parties.items())


def refresh(store: Store, keys: frozenset[str]) -> None:
    """Rewrite the happenings of these keys from the reports now in the store, in one update."""
    old, new = [], []
    for key in sorted(keys):
        old += stored_happenings(store, key)
        new += happenings(reports_of(store, key))
    if not old and not new:
        return
    store.update(rewrite(old, new))


def reports_of(store: Store, key: str) -> list[Report]:
    """The reports of one key, found from its parties so that the cost is that of their
    events, not of the store: every statement of the events that name all the parties, then
    their documents' dates. (Each property is read from the event's statements here, since
    an OPTIONAL per property makes the store read that property across every graph.)"""
    kind, parties = split_key(key)
    bound = " ".join(f"?e {PARTY_PATH} <{p}> ." for p in parties)
    statements: dict[str, dict[str, list[str]]] = {}
    graphs: dict[str, str] = {}
    for row in store.query(f"SELECT ?e ?g ?p ?o WHERE {{ GRAPH ?g {{ {bound} ?e ?p ?o }} }}"):
        event = row["e"].value
        statements.setdefault(event, {}).setdefault(row["p"].value, []).append(row["o"].value)
        graphs[event] = row["g"].value
    events = {event: said for event, said in statements.items()
              if KG_NS + kind in said.get(RDF_TYPE.value, ()) and party_set(said) == parties}
    published = published_dates(store, sorted({graphs[event] for event in events}))
    return [Report(event, kind, parties, graphs[event], said.get(KG_NS + "negated") == ["true"],
                   first(said, "modality", KG_NS + "Asserted")[len(KG_NS):], first(said, "date"),
                   first(said, "place"), published.get(graphs[event])) for event, said in events.items()]


def party_set(said: dict[str, list[str]]) -> tuple[str, ...]:
    """The parties of an event, from its statements by property IRI.

    >>> party_set({KG_NS + "participant": ["e:b", "e:a"], KG_NS + "place": ["e:c"], KG_NS + "agent": ["e:a"]})
    ('e:a', 'e:b')
    """
    return tuple(sorted({party for role in PARTY_ROLES for party in said.get(KG_NS + role, ())}))


def first(said: dict[str, list[str]], local: str, default: str | None = None) -> str | None:
    """The smallest value of one kg: property among an event's statements (the shapes allow one)."""
    return min(said.get(KG_NS + local, ()), default=default)


def published_dates(store: Store, graphs: list[str]) -> dict[str, str]:
    """The date of each of these documents that has one."""
    if not graphs:
        return {}
    docs = " ".join(f"<{g}>" for g in graphs)
    rows = store.query(f"SELECT ?g ?d WHERE {{ VALUES ?g {{ {docs} }} GRAPH ?g {{ ?g <{KG_NS}published> ?d }} }}")
    return {row["g"].value: row["d"].value for row in rows}


def stored_happenings(store: Store, key: str) -> list[str]:
    """The happenings of one key in the happenings graph now."""
    kind, parties = split_key(key)
    bound = " ; ".join(f"<{KG_NS}involves> <{p}>" for p in parties)
    rows = store.query(f"""SELECT ?h ?x WHERE {{ GRAPH <{GRAPH}> {{
        ?h {bound} ; <{KG_NS}eventClass> <{KG_NS}{kind}> ; <{KG_NS}involves> ?x }} }}""")
    involved: dict[str, set[str]] = {}
    for row in rows:
        involved.setdefault(row["h"].value, set()).add(row["x"].value)
    return sorted(h for h, found in involved.items() if tuple(sorted(found)) == parties)


def rewrite(old: list[str], new: list[Happening]) -> str:
    """One SPARQL update that drops these happenings, with their disagreements, and writes the new ones."""
    graph = f"<{GRAPH}>"
    steps = []
    if old:
        nodes = " ".join(f"<{h}>" for h in old)
        disagreement, reading = f"<{KG_NS}disagreement>", f"<{KG_NS}reading>"
        steps += [f"DELETE {{ GRAPH {graph} {{ ?n ?p ?o }} }} WHERE {{ VALUES ?h {{ {nodes} }} "
                  f"GRAPH {graph} {{ ?h {path} ?n . ?n ?p ?o }} }}"
                  for path in (f"{disagreement}/{reading}", disagreement)]
        steps.append(f"DELETE {{ GRAPH {graph} {{ ?h ?p ?o }} }} WHERE {{ VALUES ?h {{ {nodes} }} "
                     f"GRAPH {graph} {{ ?h ?p ?o }} }}")
    if new:
        triples = [ox.Triple(*t) for h in new for t in happening_triples(h)]
        steps.append(f"INSERT DATA {{ GRAPH {graph} {{\n"
                     f"{ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode()}}} }}")
    return " ;\n".join(steps)
