"""Happenings: one node per real-world event, linking the reports of it in every document.

Outlets report the same meeting in their own words, dates and forms of date; counting
event nodes counts articles. A happening gathers the reports that share the event class
and the same parties (agent, participants and counterparts, as linked entity IRIs; the
place is not a party), whose dates are compatible and whose places are compatible.

How reports are grouped, for one class and one set of parties:

1. Each report's date is completed from its document's date first: `--05-07` in a
   document of 2015 is 2015-05-07 (or the year next to it, whichever is within six
   months of the document).
2. Reports that fix a day (after completion) form happenings in date order: a report
   joins the happening begun by the earliest report at most one day before it, otherwise
   it begins a new one. Within a happening, reports at different places are different
   happenings (a city and its state, or a place the gazetteer does not locate, are one
   place); one without a place joins the place most of the others give.
3. Reports of a less exact date (a month, a year, a day without a year, none) and
   denials then join the compatible happening nearest their document's date; an undated
   report in a dated document only looks a week back and a day ahead. An asserted or
   planned report that finds none begins a happening of its own; a denial that finds
   none is dropped, as are hypothetical and conditional reports, which never say that
   anything happened. A report joins only happenings of its own month or the months
   either side (its period: see `period_of`).

Then a group of reports naming one party more than another group of the same class, on
the same day and at the same place, joins that group's happening (`attachments`): the
outlet that names a third participant tells of the same meeting.

Reports that disagree keep their own values in their own documents; the happening
records each disagreement (the date, whether it happened at all, who took part) with the values and
the documents that give each. A single report is a happening: the one account of it, so
that counts of contacts include meetings only one outlet reported.

Everything here depends only on the set of reports, never on the order they arrived in,
and the happening's IRI is a hash of its class, parties, place and earliest date.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import pyoxigraph as ox

from kg.derived import LOOKUPS_PER_QUERY, chunks
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
MAX_JOINING = 4  # reports naming more parties than this are matched with the same parties only
MIN_JOINED = 2  # a happening others join names at least this many parties: one party alone is too common a core
LOOKBACK_DAYS = 7  # how far back an undated report in a dated document looks for its happening
HALF_YEAR = 183
LOOSE = "-"  # the period of a report whose year is unknown: it may join a happening of any period
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
    region: tuple[str, ...] = ()  # the places that hold its place (a city's state)
    located: bool = True  # whether the gazetteer places its place (in a state, or holding cities)

    @cached_property
    def when(self) -> str | None:
        return completed(self.date, self.published)

    @cached_property
    def period(self) -> str:
        return period_of(self.when, self.published)

    @cached_property
    def key(self) -> str:
        return key_of(self.kind, self.period, self.parties)

    @cached_property
    def filings(self) -> tuple[str, ...]:
        """The keys it is filed under: its own, and each of its parties but one, so that a
        report naming one party more than the others is found with them."""
        fewer = ([key_of(self.kind, self.period, set(self.parties) - {p}) for p in self.parties]
                 if MIN_JOINED < len(self.parties) <= MAX_JOINING else [])
        return (self.key, *fewer)

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
    period: str = "-"

    @property
    def key(self) -> str:
        return key_of(self.kind, self.period, self.parties)


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


# ---------------------------------------------------------------- periods

def period_of(when: str | None, published: str | None) -> str:
    """The month a report is filed under, so that matching reads a few months of a pair's
    reports instead of all of them: its date's month, else (undated, or a bare year in
    a document of that year) its document's month. A bare year told in a document of
    another year is filed under that year; a report whose year is known neither from
    itself nor from its document is LOOSE.

    >>> period_of("2015-05-07", None), period_of("2015-05", "2015-06-01"), period_of("2014", "2014-03-02")
    ('2015-05', '2015-05', '2014-03')
    >>> period_of("2008", "2014-03-02"), period_of(None, "2014-03-02"), period_of(None, "2014")
    ('2008', '2014-03', '2014')
    >>> period_of("--05-07", None), period_of(None, "--05-20"), period_of(None, None)
    ('-', '-', '-')
    """
    year, month, _ = parts(when)
    anchor_year, anchor_month, _ = parts(published)
    if year is not None and month is not None:
        return f"{year:04d}-{month:02d}"
    if when is not None and year is None:
        return LOOSE
    if year is not None and year != anchor_year:
        return f"{year:04d}"
    if anchor_year is None:
        return LOOSE
    return f"{anchor_year:04d}-{anchor_month:02d}" if anchor_month else f"{anchor_year:04d}"


def month_index(period: str) -> int | None:
    """Months since year 0 for a "YYYY-MM" period; None for a year or LOOSE.

    >>> month_index("2015-05") - month_index("2014-12"), month_index("2015"), month_index(LOOSE)
    (5, None, None)
    """
    year, month, _ = parts(period)
    return year * 12 + month - 1 if year is not None and month is not None else None


def adjacent(a: str, b: str) -> bool:
    """Whether reports filed under these periods may tell of one happening: the same or
    neighbouring months, the same bare year; a LOOSE report may join anything.

    >>> adjacent("2015-05", "2015-06"), adjacent("2015-05", "2015-07"), adjacent("2015", "2015-05")
    (True, False, False)
    >>> adjacent("2008", "2008"), adjacent(LOOSE, "2015-05")
    (True, True)
    """
    if LOOSE in (a, b):
        return True
    x, y = month_index(a), month_index(b)
    if x is None or y is None:
        return a == b
    return abs(x - y) <= 1


def neighbours(period: str) -> tuple[str, ...]:
    """The periods whose happenings a report filed under this one can join: its own and,
    for a month, the months either side.

    >>> neighbours("2015-01"), neighbours("2008")
    (('2014-12', '2015-01', '2015-02'), ('2008',))
    """
    index = month_index(period)
    if index is None:
        return (period,)
    return tuple(f"{i // 12:04d}-{i % 12 + 1:02d}" for i in (index - 1, index, index + 1))


# ---------------------------------------------------------------- grouping

def key_of(kind: str, period: str, parties: Iterable[str]) -> str:
    """The key reports and happenings are filed under: class, period, sorted parties.

    >>> key_of("Meeting", "2015-05", ["https://e/b", "https://e/a"])
    'Meeting 2015-05 https://e/a https://e/b'
    """
    return " ".join((kind, period, *sorted(set(parties))))


def split_key(key: str) -> tuple[str, str, tuple[str, ...]]:
    """The class, period and parties a key names.

    >>> split_key('Meeting 2015-05 https://e/a https://e/b')
    ('Meeting', '2015-05', ('https://e/a', 'https://e/b'))
    """
    kind, period, *parties = key.split(" ")
    return kind, period, tuple(parties)


def compatible(a: Report, b: Report) -> bool:
    """Whether two reports' places can be one place: the same, or one within the other
    (Volgograd and Russia); a report without a place, or at a place the gazetteer does not
    locate (a palace, a hotel), fits any.

    >>> v = Report("e:1", "Meeting", (), "d:1", place="volgograd", region=("russia",))
    >>> r, g = Report("e:2", "Meeting", (), "d:2", place="russia"), Report("e:3", "Meeting", (), "d:3", place="geneva")
    >>> palace = Report("e:5", "Meeting", (), "d:5", place="elysee-palace", located=False)
    >>> compatible(v, r), compatible(r, v), compatible(v, g), compatible(g, Report("e:4", "Meeting", (), "d:4"))
    (True, True, False, True)
    >>> compatible(palace, g)
    True
    """
    if not a.place or not b.place or not a.located or not b.located:
        return True
    return a.place == b.place or a.place in b.region or b.place in a.region


def narrowest(reports: Iterable[Report]) -> Report | None:
    """The report giving the most exact of the places most reports agree on."""
    placed = [r for r in reports if r.place]
    if not placed:
        return None
    return min(placed, key=lambda r: (-sum(compatible(r, o) for o in placed), -len(r.region), r.place))


class Group:
    """Reports gathered into one happening while grouping, and the period it is filed under."""

    def __init__(self, reports: list[Report], period: str):
        self.reports = reports
        self.period = period

    @property
    def days(self) -> list[dt.date]:
        return sorted(day for day in (day_of(r.when) for r in self.reports if r.makes_happening) if day)

    @property
    def place(self) -> str | None:
        found = narrowest(r for r in self.reports if r.makes_happening)
        return found.place if found else None

    def admits(self, report: Report) -> bool:
        """Whether a report of an inexact date, or a denial, can be one of these reports."""
        if not adjacent(report.period, self.period):
            return False
        if not all(compatible(report, r) for r in self.reports if r.makes_happening):
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
    report, is filed under that report's month, and is split by place."""
    groups: list[list[Report]] = []
    for report in sorted(reports, key=lambda r: (day_of(r.when), r.iri)):
        if groups and (day_of(report.when) - day_of(groups[-1][0].when)).days <= NEAR_DAYS:
            groups[-1].append(report)
        else:
            groups.append([report])
    return [split for group in groups for split in by_place(group)]


def by_place(reports: list[Report]) -> list[Group]:
    """One group per place the reports give that holds no other place given; a report at
    a wider place (the state of the city), at a place the gazetteer does not locate, or at
    none joins the commonest place within it."""
    region = {r.place: r.region for r in reports if r.place and r.located}
    narrow = sorted(p for p in region if not any(p in region[q] for q in region))
    if len(narrow) <= 1:
        return [grouped(reports)]
    count = Counter(r.place for r in reports if r.place)
    weight = {p: sum(n for q, n in count.items() if q == p or q in region[p]) for p in narrow}
    members: dict[str, list[Report]] = {p: [] for p in narrow}
    for report in reports:
        fitting = [p for p in narrow if not report.place or not report.located or report.place == p
                   or report.place in region[p]]
        members[min(fitting, key=lambda p: (-weight[p], p))].append(report)
    return [grouped(found) for found in members.values() if found]


def grouped(reports: list[Report]) -> Group:
    """Reports that fix a day, as a group filed under the month of the earliest."""
    return Group(reports, period_of(min(day_of(r.when) for r in reports).isoformat(), None))


def groups_of(reports: Iterable[Report]) -> list[Group]:
    """The reports of one class and set of parties, grouped into happenings (see the module's description)."""
    reports = list(reports)
    exact = [r for r in reports if r.makes_happening and day_of(r.when)]
    rest = [r for r in reports if r not in exact and (r.denies or r.makes_happening)]
    groups = dated_groups(exact)
    for report in sorted(rest, key=lambda r: (r.negated, -exactness(r.when), r.when or "", r.iri)):
        fitting = [g for g in groups if g.admits(report)]
        if fitting:
            min(fitting, key=lambda g: (g.distance(report), -len(g.reports), g.days[:1])).reports.append(report)
        elif report.makes_happening:
            groups.append(Group([report], report.period))
    return groups


def happenings(reports: Iterable[Report]) -> list[Happening]:
    """The happenings a set of reports makes, whatever order they come in.

    >>> a = Report("e:1", "Meeting", ("x", "y"), "d:1", date="2015-05-07")
    >>> b = Report("e:2", "Meeting", ("x", "y"), "d:2", date="--05-08", published="2015-05-08")
    >>> c = Report("e:3", "Meeting", ("x", "y"), "d:3", date="2015-05-14")
    >>> [(len(h.reports), h.earliest, h.latest, h.period) for h in happenings([c, b, a])]
    [(2, '2015-05-07', '2015-05-08', '2015-05'), (1, '2015-05-14', '2015-05-14', '2015-05')]
    """
    by_set: dict[tuple[str, tuple[str, ...]], list[Report]] = {}
    for report in reports:
        by_set.setdefault((report.kind, report.parties), []).append(report)
    groups = {kind_parties: groups_of(by_set[kind_parties]) for kind_parties in sorted(by_set)}
    isolated = {kind_parties for kind_parties, found in by_set.items()
                if len(kind_parties[1]) > MAX_JOINING or any(r.period == LOOSE for r in found)}
    joined = attachments(groups, isolated)
    found = []
    for (kind, parties), these in groups.items():
        for index, group in enumerate(these):
            if ((kind, parties), index) not in joined:
                others = [groups[s][i] for (s, i), to in joined.items() if to == ((kind, parties), index)]
                found.append(happening_of(group, parties, others))
    return sorted((h for h in found if h is not None), key=lambda h: h.iri)


GroupId = tuple[tuple[str, tuple[str, ...]], int]  # (class and parties, index among their groups)


def attachments(groups: dict[tuple[str, tuple[str, ...]], list[Group]],
                isolated: set[tuple[str, tuple[str, ...]]]) -> dict[GroupId, GroupId]:
    """For each group that joins another's happening, the group whose happening it joins: a
    report that names a third participant is the same happening as the one naming a party
    fewer, and says so as a disagreement.

    A group joins the coinciding group (see `coincide`) of its parties but one that has the
    most reports, and with it whatever that group joins. Groups join only groups of at least
    MIN_JOINED parties; groups of more than MAX_JOINING parties, or of parties a report of
    unknown year names, stand alone."""
    def smaller(of: tuple[str, tuple[str, ...]]) -> list[tuple[str, tuple[str, ...]]]:
        kind, parties = of
        below = [(kind, tuple(p for p in parties if p != x)) for x in parties] if len(parties) > MIN_JOINED else []
        return [s for s in below if s in groups and s not in isolated]

    joins: dict[GroupId, GroupId] = {}
    for of, these in groups.items():
        if of in isolated:
            continue
        for index, group in enumerate(these):
            coinciding = [(s, i) for s in smaller(of) for i, g in enumerate(groups[s]) if coincide(group, g)]
            if coinciding:
                joins[(of, index)] = min(coinciding, key=lambda gid: (-len(groups[gid[0]][gid[1]].reports), gid))
    roots = {}
    for gid in joins:
        root = joins[gid]
        while root in joins:
            root = joins[root]
        roots[gid] = root
    return roots


def coincide(group: Group, other: Group) -> bool:
    """Whether every report saying a group's happening took place fits another group: the
    dates and places fit, and the months are neighbours."""
    makers = [r for r in group.reports if r.makes_happening]
    return bool(makers) and all(other.admits(r) for r in makers)


def happening_of(group: Group, parties: tuple[str, ...], joining: Iterable[Group] = ()) -> Happening | None:
    """The happening one group of reports makes, with the groups naming one party more that
    join it; none when nothing in it says it happened."""
    whole = Group(group.reports + [r for g in joining for r in g.reports], group.period)
    reports = sorted(whole.reports, key=lambda r: r.iri)
    makers = [r for r in reports if r.makes_happening]
    if not makers:
        return None
    days = whole.days
    if days:
        earliest, latest = days[0].isoformat(), days[-1].isoformat()
    else:
        earliest = latest = min((r.when for r in makers if r.when), key=lambda w: (-exactness(w), w), default=None)
    kind, place = reports[0].kind, whole.place
    anchor = earliest or min((r.published or "" for r in makers), default="")
    digest = hashlib.sha1("|".join((kind, *parties, place or "", anchor)).encode()).hexdigest()
    return Happening(HAPPENING_NS + digest[:16], kind, parties, tuple(r.iri for r in reports),
                     earliest, latest, place, disagreements(reports), group.period)


def disagreements(reports: list[Report]) -> tuple[Disagreement, ...]:
    """What the reports of one happening say against each other: its date, whether it
    happened, and who took part (the parties each report names, space-separated IRIs)."""
    found = []
    makers = [r for r in reports if r.makes_happening]
    dates = sorted({r.when for r in makers if r.when})
    if any(not agree(a, b) for a in dates for b in dates):
        found.append(Disagreement("date", tuple(Reading(d, sources(r for r in makers if r.when == d))
                                                for d in dates)))
    denials = [r for r in reports if r.denies]
    if denials:
        found.append(Disagreement("occurred", (Reading("false", sources(denials)), Reading("true", sources(makers)))))
    named = sorted({r.parties for r in makers})
    if len(named) > 1:
        found.append(Disagreement("participants", tuple(Reading(" ".join(p), sources(r for r in makers if r.parties == p))
                                                        for p in named)))
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
    out.append((node, KG.matchKey, ox.Literal(happening.key)))
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
    if field == "participants":
        return ox.Literal(value)
    return date_literal(value)


# ---------------------------------------------------------------- the store
#
# Every report of a matched class is filed in the happenings graph under its key
# (`<event> kg:matchKey "Meeting 2015-05 <a> <b>"`), and so is every happening (under the
# period it is filed under). A change to some documents refreshes, for each key their
# reports bear on, the happenings filed under that month and the months either side: each
# is recomputed from the reports filed under the three months around it, found by exact
# lookups of their keys, so the cost is that of a few months of one pair, not of the
# store. A pair with LOOSE reports (no year known) is recomputed whole, from all its reports.

MATCH_KEY = KG_NS + "matchKey"


def affected(store: Store, graphs: list[str]) -> frozenset[str]:
    """The keys of every report of a matched class in these documents."""
    return frozenset(r.key for r in reports_in(store, graphs))


def refresh(store: Store, before: frozenset[str], graphs: list[str]) -> None:
    """Rewrite the happenings the changed documents' reports bore on and bear on, and file
    those reports, in one update."""
    changed = reports_in(store, graphs)
    if not before and not changed:
        return
    gathered = Gathered(store, changed)
    owners, loose = plan(before | {r.key for r in changed})
    gathered.around(owners)
    larger = owners
    while larger:  # groups naming one party more may join these happenings, and so may those naming one more again
        larger = naming_one_more(gathered.found.values(), larger) - owners
        owners |= larger
        gathered.around(larger)
    loose |= {(r.kind, r.parties) for r in gathered.found.values() if r.period == LOOSE}
    old, new, whole = set(), [], set()
    for kind, parties in sorted(loose):  # parties some report of unknown year names, now or before
        everything = reports_of(store, kind, parties)
        old |= set(stored_happenings(store, kind, parties))
        if any(r.period == LOOSE for r in everything):
            whole.add((kind, parties))
            new += [h for h in happenings(everything) if h.parties == parties]
        else:
            extra = {key_of(kind, around, parties) for r in everything for around in neighbours(r.period)} - owners
            owners |= extra
            gathered.around(extra)
    computed: dict[str, list[Happening]] = {}
    for happening in happenings(gathered.found.values()):
        computed.setdefault(happening.key, []).append(happening)
    stored: dict[str, set[str]] = {}
    for node, keys in gathered.filed.items():
        for key in keys if node.startswith(HAPPENING_NS) else ():
            stored.setdefault(key, set()).add(node)
    for key in sorted(owners):
        kind, period, parties = split_key(key)
        if (kind, parties) not in whole:
            old |= stored.get(key, set())
            new += computed.get(key, [])
    update = rewrite(sorted(old), new, gathered.stale, changed)
    if update:
        store.update(update)


class Gathered:
    """The reports and happenings read so far while refreshing: those filed under the keys
    looked up, and the changed documents' reports (which are not filed yet)."""

    def __init__(self, store: Store, changed: list[Report]):
        self.store, self.looked = store, set()
        self.filed: dict[str, set[str]] = {}
        self.found = {r.iri: r for r in changed}

    def around(self, owners: Iterable[str]) -> None:
        """Read what the happenings filed under these keys are computed from."""
        wanted = sorted({k for key in owners for k in window(key)} - self.looked)
        self.looked |= set(wanted)
        filed = filed_under(self.store, wanted)
        for node, keys in filed.items():
            self.filed.setdefault(node, set()).update(keys)
        unread = sorted(e for e in filed if not e.startswith(HAPPENING_NS) and e not in self.found)
        self.found.update((r.iri, r) for r in reports_by_iri(self.store, unread))

    @property
    def stale(self) -> set[tuple[str, str]]:
        """Filings of reports no longer stored, or no longer filed so."""
        return {(e, k) for e, ks in self.filed.items() if not e.startswith(HAPPENING_NS)
                for k in ks if e not in self.found or k not in self.found[e].filings}


def naming_one_more(reports: Iterable[Report], keys: set[str]) -> set[str]:
    """The keys of the reports that name the parties of one of these keys and one more, in
    its month or a month either side: the months whose happenings they bear on.

    >>> sorted(naming_one_more([Report("e:1", "Meeting", ("a", "b", "c"), "d:1", date="2015-05-07")], {"Meeting 2015-06 a b"}))
    ['Meeting 2015-04 a b c', 'Meeting 2015-05 a b c', 'Meeting 2015-06 a b c']
    """
    wanted = set(keys)
    found = set()
    for report in reports:
        if not MIN_JOINED < len(report.parties) <= MAX_JOINING or report.period == LOOSE:
            continue
        around = neighbours(report.period)
        fewer = [tuple(p for p in report.parties if p != x) for x in report.parties]
        if any(key_of(report.kind, month, these) in wanted for these in fewer for month in around):
            found |= {key_of(report.kind, month, report.parties) for month in around}
    return found


def plan(keys: Iterable[str]) -> tuple[set[str], set[tuple[str, tuple[str, ...]]]]:
    """The keys whose happenings to recompute, and the parties of reports of unknown year: a
    report bears on the happenings of its month and the months either side, of its own
    parties and of every part of them (whose happenings it may join).

    >>> owners, loose = plan(["Meeting 2015-05 e:a e:b e:c", "Visit - e:a"])
    >>> sorted(owners)[:4], len(owners), loose
    (['Meeting 2015-04 e:a e:b', 'Meeting 2015-04 e:a e:b e:c', 'Meeting 2015-04 e:a e:c', 'Meeting 2015-04 e:b e:c'], 12, {('Visit', ('e:a',))})
    """
    owners, loose = set(), set()
    for key in keys:
        kind, period, parties = split_key(key)
        if period == LOOSE:
            loose.add((kind, parties))
            continue
        owners |= {key_of(kind, around, these) for around in neighbours(period) for these in parts_of(parties)}
    return owners, loose


def parts_of(parties: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The parties and every non-empty part of them whose happenings a report may join.

    >>> parts_of(("a", "b")), len(parts_of(("a", "b", "c", "d"))), parts_of(tuple("abcde"))
    ([('a', 'b')], 11, [('a', 'b', 'c', 'd', 'e')])
    >>> parts_of(("a", "b", "c"))
    [('a', 'b', 'c'), ('a', 'b'), ('a', 'c'), ('b', 'c')]
    """
    if len(parties) > MAX_JOINING or len(parties) <= MIN_JOINED:
        return [parties]
    return [tuple(p for p, keep in zip(parties, mask) if keep)
            for mask in sorted(itertools.product((1, 0), repeat=len(parties)), key=lambda m: (-sum(m), [-b for b in m]))
            if sum(mask) >= MIN_JOINED]


def window(key: str) -> tuple[str, ...]:
    """The keys of the reports a key's happenings are computed from: for its parties and its
    parties but one (the groups it may join), its month and those either side, and the
    LOOSE reports (of unknown year) of each.

    >>> window("Meeting 2015-05 e:a")
    ('Meeting 2015-04 e:a', 'Meeting 2015-05 e:a', 'Meeting 2015-06 e:a', 'Meeting - e:a')
    >>> len(window("Meeting 2015-05 e:a e:b")), len(window("Meeting 2015-05 e:a e:b e:c"))
    (4, 16)
    """
    kind, period, parties = split_key(key)
    sets = [parties] + ([tuple(p for p in parties if p != x) for x in parties]
                        if MIN_JOINED < len(parties) <= MAX_JOINING else [])
    return tuple(key_of(kind, around, these) for these in sets for around in (*neighbours(period), LOOSE))


def filed_under(store: Store, keys: list[str]) -> dict[str, set[str]]:
    """The reports and happenings filed under these keys, with the keys they are filed under."""
    found: dict[str, set[str]] = {}
    for part in chunks(keys, LOOKUPS_PER_QUERY):
        branches = " UNION ".join(f"{{ ?x <{MATCH_KEY}> {ox.Literal(k)} BIND({n} AS ?i) }}" for n, k in enumerate(part))
        for row in store.query(f"SELECT ?x ?i WHERE {{ GRAPH <{GRAPH}> {{ {branches} }} }}"):
            found.setdefault(row["x"].value, set()).add(part[int(row["i"].value)])
    return found


def reports_in(store: Store, graphs: list[str]) -> list[Report]:
    """The reports of a matched class in these documents, as stored now."""
    if not graphs:
        return []
    docs = " ".join(f"<{g}>" for g in graphs)
    return reports_from(store, store.query(
        f"SELECT ?e ?g ?p ?o WHERE {{ VALUES ?g {{ {docs} }} GRAPH ?g {{ ?e <{KG_NS}source> ?g ; ?p ?o }} }}"))


def reports_by_iri(store: Store, events: list[str]) -> list[Report]:
    """These events as reports, those still stored."""
    found = []
    for part in chunks(events, LOOKUPS_PER_QUERY * 4):
        nodes = " ".join(f"<{e}>" for e in part)
        found += reports_from(store, store.query(
            f"SELECT ?e ?g ?p ?o WHERE {{ VALUES ?e {{ {nodes} }} GRAPH ?g {{ ?e <{KG_NS}source> ?g ; ?p ?o }} }}"))
    return found


def reports_of(store: Store, kind: str, parties: tuple[str, ...]) -> list[Report]:
    """Every report of one class and set of parties, found from the parties so that the cost
    is that of their events, not of the store."""
    bound = " ".join(f"?e {PARTY_PATH} <{p}> ." for p in parties)
    reports = reports_from(store, store.query(
        f"SELECT ?e ?g ?p ?o WHERE {{ GRAPH ?g {{ {bound} ?e <{KG_NS}source> ?g ; ?p ?o }} }}"))
    return [r for r in reports if r.kind == kind and r.parties == parties]


def reports_from(store: Store, rows: Iterable) -> list[Report]:
    """Reports from rows of ?e ?g ?p ?o, with their documents' dates and the regions of their places.
    (Each property is read from the event's statements here, since an OPTIONAL per property
    makes the store read that property across every graph.)"""
    statements: dict[str, dict[str, list[str]]] = {}
    graphs: dict[str, str] = {}
    for row in rows:
        event = row["e"].value
        statements.setdefault(event, {}).setdefault(row["p"].value, []).append(row["o"].value)
        graphs[event] = row["g"].value
    kinds = {event: kind_of(said) for event, said in statements.items()}
    events = {event: said for event, said in statements.items() if kinds[event] and party_set(said)}
    published = published_dates(store, sorted({graphs[event] for event in events}))
    regions, located = regions_of(store, sorted({p for said in events.values() for p in said.get(KG_NS + "place", ())}))
    found = []
    for event, said in events.items():
        place = first(said, "place")
        found.append(Report(event, kinds[event], party_set(said), graphs[event],
                            said.get(KG_NS + "negated") == ["true"],
                            first(said, "modality", KG_NS + "Asserted")[len(KG_NS):], first(said, "date"),
                            place, published.get(graphs[event]), regions.get(place, ()), place in located))
    return found


def kind_of(said: dict[str, list[str]]) -> str | None:
    """The matched class an event is of, if any.

    >>> kind_of({RDF_TYPE.value: [KG_NS + "Event", KG_NS + "Meeting"]}), kind_of({RDF_TYPE.value: [KG_NS + "Proposal"]})
    ('Meeting', None)
    """
    types = said.get(RDF_TYPE.value, ())
    return next((name for name in CLASSES if KG_NS + name in types), None)


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


def regions_of(store: Store, places: list[str]) -> tuple[dict[str, tuple[str, ...]], set[str]]:
    """The places that hold each of these (a city's state, and its state's), from the
    gazetteer, and which of these it locates at all (in a state, or holding cities)."""
    if not places:
        return {}, set()
    nodes = " ".join(f"<{p}>" for p in places)
    rows = store.query(f"""SELECT DISTINCT ?x ?r ?held WHERE {{ VALUES ?x {{ {nodes} }}
        {{ GRAPH ?o {{ ?x <{KG_NS}partOf> ?r }} }} UNION
        {{ SELECT ?x (SAMPLE(?y) AS ?held) WHERE {{ VALUES ?x {{ {nodes} }} GRAPH ?o {{ ?y <{KG_NS}partOf> ?x }} }}
           GROUP BY ?x }} }}""")
    held: dict[str, set[str]] = {}
    located = set()
    for row in rows:
        located.add(row["x"].value)
        if row["r"] is not None:
            held.setdefault(row["x"].value, set()).add(row["r"].value)
    regions = {place: tuple(sorted(held[place] | {r for h in held[place] for r in held.get(h, ())})) for place in held}
    return regions, located


def stored_happenings(store: Store, kind: str, parties: tuple[str, ...]) -> list[str]:
    """The happenings of one class and set of parties in the happenings graph now."""
    bound = " ; ".join(f"<{KG_NS}involves> <{p}>" for p in parties)
    rows = store.query(f"""SELECT ?h ?x WHERE {{ GRAPH <{GRAPH}> {{
        ?h {bound} ; <{KG_NS}eventClass> <{KG_NS}{kind}> ; <{KG_NS}involves> ?x }} }}""")
    involved: dict[str, set[str]] = {}
    for row in rows:
        involved.setdefault(row["h"].value, set()).add(row["x"].value)
    return sorted(h for h, found in involved.items() if tuple(sorted(found)) == parties)


def rewrite(old: list[str], new: list[Happening], stale: set[tuple[str, str]], changed: list[Report]) -> str:
    """One SPARQL update that drops these happenings, with their disagreements, and stale
    filings, then writes the new happenings and files the changed reports."""
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
    if stale:
        gone = " ".join(f"<{e}> <{MATCH_KEY}> {ox.Literal(k)} ." for e, k in sorted(stale))
        steps.append(f"DELETE DATA {{ GRAPH {graph} {{ {gone} }} }}")
    triples = [ox.Triple(*t) for h in new for t in happening_triples(h)]
    triples += [ox.Triple(ox.NamedNode(r.iri), ox.NamedNode(MATCH_KEY), ox.Literal(k)) for r in changed for k in r.filings]
    if triples:
        steps.append(f"INSERT DATA {{ GRAPH {graph} {{\n"
                     f"{ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode()}}} }}")
    return " ;\n".join(steps)
