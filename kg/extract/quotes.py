"""Direct quotations: where their marks open and close. Who said them is
`kg.extract.attribution`'s question."""
from __future__ import annotations

import re
from dataclasses import dataclass

OPENERS = {"\u201c": "\u201d", "\u201e": "\u201d", "\u00ab": "\u00bb"}
QUOTE_MARK = re.compile("[\"" + "".join(OPENERS) + "".join(OPENERS.values()) + "]")
MIN_WORDS = 3


@dataclass(frozen=True)
class Quote:
    """A quoted passage: its words and where they are (inside the marks)."""

    start: int
    end: int
    text: str
    whole_paragraph: bool


def quote_spans(text: str) -> list[Quote]:
    """Quoted passages of three words or more, paragraph by paragraph.

    A quotation left open at the end of a paragraph runs to the paragraph's end, as in
    multi-paragraph quotes.

    >>> [q.text for q in quote_spans('He said "we will meet them soon" and left. A \u201cfrozen\u201d tie.')]
    ['we will meet them soon']
    """
    quotes = []
    offset = 0
    for paragraph in text.split("\n"):
        quotes += _paragraph_quotes(paragraph, offset)
        offset += len(paragraph) + 1
    return quotes


def _paragraph_quotes(paragraph: str, offset: int) -> list[Quote]:
    found = []
    for start, end in _quoted_ranges(paragraph):
        body = paragraph[start:end]
        stripped = body.strip()
        if len(re.findall(r"\w+", stripped)) < MIN_WORDS:
            continue
        lead = len(body) - len(body.lstrip())
        text = stripped.rstrip(",")
        begin = offset + start + lead
        rest = (paragraph[:max(start - 1, 0)] + paragraph[end + 1:]).strip(" .,:;\"")
        found.append(Quote(begin, begin + len(text), text, not rest))
    return found


def _quoted_ranges(paragraph: str) -> list[tuple[int, int]]:
    """Where quotations start and end in a paragraph, inner text only.

    Curly marks say which way they face. A straight mark opens when it follows a space (or
    starts the paragraph) and is followed by a word, and closes otherwise; a quotation that
    is never closed runs to the next opening mark or the end of the paragraph.

    >>> p = '"One two three. "Four five six," he said.'
    >>> [p[a:b] for a, b in _quoted_ranges(p)]
    ['One two three. ', 'Four five six,']
    """
    marks = []
    for found in QUOTE_MARK.finditer(paragraph):
        i, char = found.start(), found.group()
        if char in OPENERS:
            marks.append((i, "open"))
        elif char in OPENERS.values():
            marks.append((i, "close"))
        elif char == '"':
            before = paragraph[i - 1] if i else " "
            after = paragraph[i + 1] if i + 1 < len(paragraph) else " "
            opens = (before.isspace() or before in "([-\u2014:") and not after.isspace()
            marks.append((i, "open" if opens else "close"))
    ranges = []
    start = None
    for i, kind in marks:
        if kind == "open":
            if start is not None:
                ranges.append((start, i))
            start = i + 1
        elif start is not None:
            ranges.append((start, i))
            start = None
    if start is not None:
        ranges.append((start, len(paragraph)))
    return ranges
