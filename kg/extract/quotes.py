"""Direct quotations and who said them.

The attribution may follow the quote ("...," Lavrov said), precede it (Lavrov said: "..."),
split it ("...," he said, "..."), or be carried over from the paragraph before, when a
paragraph is nothing but a quotation.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from kg.lexicon.words import words

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


def speaker_token(doc: Doc, text: str, quote: Quote) -> Token | None:
    """The subject of the speech verb that introduces or follows the quote."""
    after = _speech_verb_after(doc, text, quote)
    if after is not None:
        return _subject(after)
    before = _speech_verb_before(doc, quote)
    if before is not None:
        return _subject(before)
    return None


def _tokens_between(doc: Doc, start: int, end: int, limit: int) -> list[Token]:
    """The first `limit` tokens that start between two character offsets."""
    span = doc.char_span(start, end, alignment_mode="expand") if end > start else None
    return [t for t in span[:limit + 1] if t.idx >= start][:limit] if span is not None else []


def _speech_verb_after(doc: Doc, text: str, quote: Quote) -> Token | None:
    paragraph_end = text.find("\n", quote.end)
    paragraph_end = len(text) if paragraph_end == -1 else paragraph_end
    window = _tokens_between(doc, quote.end, min(paragraph_end, quote.end + 400), 12)
    closed = quote.text.rstrip("\"'\u201d\u2019 ")[-1:] in (".", "!", "?")
    for token in window:
        if closed and token.is_sent_start and token.idx > quote.end + 2:
            break  # a quote that ended its sentence is not attributed by the next one
        if token.text in ("\u201c", "\u00ab") or (token.text == '"' and token.idx > quote.end + 1 and _opens(doc, token)):
            break
        if token.lemma_.lower() in words().speech_verbs and token.pos_ in ("VERB", "AUX"):
            return token
    return None


def _opens(doc: Doc, token: Token) -> bool:
    return token.i + 1 < len(doc) and not doc[token.i + 1].is_punct and token.whitespace_ == ""


def _speech_verb_before(doc: Doc, quote: Quote) -> Token | None:
    span = doc.char_span(quote.start, quote.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    first = span[0]
    sent = first.sent
    for ancestor in first.ancestors:
        if ancestor.i < sent.start:
            break
        if ancestor.lemma_.lower() in words().speech_verbs and ancestor.pos_ in ("VERB", "AUX") and ancestor.idx < quote.start:
            return ancestor
    candidates = [t for t in sent if t.idx < quote.start and t.lemma_.lower() in words().speech_verbs and t.pos_ == "VERB"]
    return candidates[-1] if candidates else None


def _subject(verb: Token) -> Token | None:
    current = verb
    for _ in range(3):
        for child in current.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                if child.dep_ == "nsubjpass":
                    agents = [g for c in current.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
                    return agents[0] if agents else child
                return child
        if current.dep_ in ("conj", "advcl", "xcomp") and current.head is not current:
            current = current.head
            continue
        break
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ == "by":
            for obj in child.children:
                return obj
    return None
