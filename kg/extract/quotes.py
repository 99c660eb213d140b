"""Direct quotations and who said them.

The attribution may follow the quote ("...," Lavrov said), precede it (Lavrov said: "..."),
split it ("...," he said, "..."), or be carried over from the paragraph before, when a
paragraph is nothing but a quotation.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

SPEECH_VERBS = {"say", "tell", "add", "note", "stress", "point", "state", "explain", "insist",
                "warn", "remark", "declare", "announce", "comment", "emphasize", "emphasise",
                "underline", "write", "reply", "respond", "claim", "argue", "assert", "accuse",
                "describe", "call", "hail", "quote", "conclude", "admit", "acknowledge", "urge",
                "vow", "caution", "observe", "recall", "complain"}
OPENERS = {"\u201c": "\u201d", "\u201e": "\u201d", "\u00ab": "\u00bb"}
MIN_WORDS = 3


@dataclass(frozen=True)
class Quote:
    """A quoted passage: its words and where they are (inside the marks)."""

    start: int
    end: int
    text: str
    paragraph_start: int
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
    i = 0
    n = len(paragraph)
    while i < n:
        char = paragraph[i]
        closer = OPENERS.get(char) or ('"' if char == '"' else None)
        if closer is None:
            i += 1
            continue
        end = paragraph.find(closer, i + 1)
        if closer == '"' and end == -1:
            end = n
        elif end == -1:
            alt = paragraph.find('"', i + 1)
            end = alt if alt != -1 else n
        body = paragraph[i + 1:end]
        stripped = body.strip()
        if len(re.findall(r"\w+", stripped)) >= MIN_WORDS:
            lead = len(body) - len(body.lstrip())
            start = offset + i + 1 + lead
            text = stripped.rstrip(",")
            rest = (paragraph[:i] + paragraph[end + 1:]).strip(" .,:;")
            found.append(Quote(start, start + len(text), text, offset, not rest))
        i = end + 1
    return found


def speaker_token(doc: Doc, quote: Quote) -> Token | None:
    """The subject of the speech verb that introduces or follows the quote."""
    after = _speech_verb_after(doc, quote)
    if after is not None:
        return _subject(after)
    before = _speech_verb_before(doc, quote)
    if before is not None:
        return _subject(before)
    return None


def _tokens_between(doc: Doc, start: int, end: int) -> list[Token]:
    return [t for t in doc if start <= t.idx < end]


def _speech_verb_after(doc: Doc, quote: Quote) -> Token | None:
    paragraph_end = doc.text.find("\n", quote.end)
    paragraph_end = len(doc.text) if paragraph_end == -1 else paragraph_end
    window = _tokens_between(doc, quote.end, paragraph_end)[:12]
    for token in window:
        if token.text in ("\u201c", "\u00ab") or (token.text == '"' and token.idx > quote.end + 1 and _opens(doc, token)):
            break
        if token.lemma_.lower() in SPEECH_VERBS and token.pos_ in ("VERB", "AUX"):
            return token
    return None


def _opens(doc: Doc, token: Token) -> bool:
    return token.i + 1 < len(doc) and not doc[token.i + 1].is_punct and token.whitespace_ == ""


def _speech_verb_before(doc: Doc, quote: Quote) -> Token | None:
    first = next((t for t in doc if t.idx >= quote.start), None)
    if first is None:
        return None
    sent = first.sent
    for ancestor in first.ancestors:
        if ancestor.i < sent.start:
            break
        if ancestor.lemma_.lower() in SPEECH_VERBS and ancestor.pos_ in ("VERB", "AUX") and ancestor.idx < quote.start:
            return ancestor
    candidates = [t for t in sent if t.idx < quote.start and t.lemma_.lower() in SPEECH_VERBS and t.pos_ == "VERB"]
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
