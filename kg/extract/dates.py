"""Dates as the text states them, resolved against the document date where it is known.

A date keeps only the parts the text (or the document date) fixes: `2015-05-07`,
`--05-07` when the year is unknown, `2008-08`, `--06`, `2014`.
"""
from __future__ import annotations

import datetime as dt
import re

MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december"]
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTH = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
LEAP_YEAR = 2000  # day arithmetic when the year is unknown


def month_of(name: str) -> int:
    """Month number of a month name.

    >>> month_of("Sept")
    9
    """
    return next(i for i, m in enumerate(MONTHS, 1) if m.startswith(name.lower()[:3]))


def parts(iso: str | None) -> tuple[int | None, int | None, int | None]:
    """(year, month, day) of a full or partial date.

    >>> parts("--05-07"), parts("2008-08"), parts("--06"), parts(None)
    ((None, 5, 7), (2008, 8, None), (None, 6, None), (None, None, None))
    """
    if not iso:
        return (None, None, None)
    match = re.match(r"^(\d{4})?(?:-?-(\d{2}))?(?:-(\d{2}))?$", iso)
    if not match:
        return (None, None, None)
    year, month, day = (int(g) if g else None for g in match.groups())
    return (year, month, day)


def render(year: int | None, month: int | None, day: int | None) -> str | None:
    """The ISO form of what is known.

    >>> render(2015, 5, 7), render(None, 5, 7), render(2008, 8, None), render(None, 6, None)
    ('2015-05-07', '--05-07', '2008-08', '--06')
    """
    if month is None:
        return f"{year:04d}" if year else None
    if day is None:
        return f"{year:04d}-{month:02d}" if year else f"--{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"


def resolve(text: str, anchor: str | None, ahead: bool = False) -> str | None:
    """The date a time expression names, given the document date `anchor`. A bare weekday
    names the nearest such day before the story of something done, and after it of
    something still to come (`ahead`): "met on Wednesday", "will meet on Wednesday".

    >>> resolve("May 7, 2015", None), resolve("on May 10", "--05-07"), resolve("in June", "--09-27")
    ('2015-05-07', '--05-10', '--06')
    >>> resolve("Thursday", "2015-05-09"), resolve("on Thursday", "--05-07"), resolve("in November", "2015-05-07")
    ('2015-05-07', '--05-07', '2014-11')
    >>> resolve("last year", "2015-05-07"), resolve("mid-March 2014", None), resolve("yesterday", None)
    ('2014', '2014-03', None)
    >>> resolve("on Wednesday", "2015-06-09"), resolve("on Wednesday", "2015-06-09", ahead=True)
    ('2015-06-03', '2015-06-10')
    >>> resolve("next Friday", "2015-06-09"), resolve("last Friday", "2015-06-09", ahead=True)
    ('2015-06-12', '2015-06-05')
    """
    low = text.lower().strip()
    ay, am, _ = parts(anchor)
    match = re.search(MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b", low)
    if match:
        month, day = month_of(match.group(1)), int(match.group(2))
        year = int(match.group(3)) if match.group(3) else ay
        return render(year, month, day) if 1 <= day <= 31 else None
    match = re.search(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + MONTH + r"(?:,?\s+(\d{4}))?\b", low)
    if match:
        day, month = int(match.group(1)), month_of(match.group(2))
        year = int(match.group(3)) if match.group(3) else ay
        return render(year, month, day) if 1 <= day <= 31 else None
    match = re.search(r"\b" + MONTH + r"(?:\s+(?:of\s+)?(\d{4}))?\b", low)
    if match:
        month = month_of(match.group(1))
        if match.group(2):
            return render(int(match.group(2)), month, None)
        year = None if ay is None else (ay if am is None or month <= am else ay - 1)
        return render(year, month, None)
    for word, shift in (("yesterday", -1), ("today", 0), ("tonight", 0), ("tomorrow", 1)):
        if re.search(rf"\b{word}\b", low):
            return shifted(anchor, shift)
    for i, name in enumerate(WEEKDAYS):
        if re.search(rf"\b{name}\b", low):
            told = re.search(r"\b(next|last)\s+" + name, low)
            return weekday_near(anchor, i, told.group(1) == "next" if told else ahead)
    match = re.search(r"\b(last|this|next)\s+year\b", low)
    if match and ay:
        return render(ay + {"last": -1, "this": 0, "next": 1}[match.group(1)], None, None)
    match = re.search(r"\b(1[89]\d\d|20\d\d)\b", low)
    if match:
        return match.group(1)
    return None


def shifted(anchor: str | None, days: int) -> str | None:
    """The anchor moved by whole days, keeping the year unknown if it was.

    >>> shifted("--03-01", -1), shifted("2001-12-31", 1)
    ('--02-29', '2002-01-01')
    """
    year, month, day = parts(anchor)
    if month is None or day is None:
        return None
    moved = dt.date(year or LEAP_YEAR, month, day) + dt.timedelta(days=days)
    return render(moved.year if year else None, moved.month, moved.day)


def weekday_near(anchor: str | None, weekday: int, ahead: bool) -> str | None:
    """The last such weekday on or before the anchor, or the first on or after it when `ahead`.

    Without a year the weekday cannot be placed; a wire dateline then dates the story's own
    day, which is the day its weekday refers to in the lead, so the anchor is kept.

    >>> weekday_near("2015-06-09", 2, False), weekday_near("2015-06-09", 2, True), weekday_near("2015-06-09", 1, True)
    ('2015-06-03', '2015-06-10', '2015-06-09')
    """
    year, month, day = parts(anchor)
    if month is None or day is None:
        return None
    if year is None:
        return anchor
    date = dt.date(year, month, day)
    if ahead:
        return (date + dt.timedelta(days=(weekday - date.weekday()) % 7)).isoformat()
    return (date - dt.timedelta(days=(date.weekday() - weekday) % 7)).isoformat()
