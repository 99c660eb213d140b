"""The spaCy pipeline, built once per process: the model (see `kg.models`) plus kg's own
components."""
from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator

import numpy
import spacy
from spacy.attrs import IS_SPACE
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from kg.errors import UsageError
from kg.nlp.model import model_name
from kg.lexicon.gazetteer import gazetteer

CHUNK_CHARS = 100_000
# what comes before the lead: blanks (page furniture blanked out by ingest), and a first
# line ending without a sentence's final punctuation (a headline) with the blanks after it
LEAD_IN = re.compile(r"\A\s*(?:[^\n]*[^\s.!?\"'\u201d\u2019)\]:;][ \t]*\n\s*)?(?=\S)")
SPACY_LABEL = {"Person": "PERSON", "Country": "GPE", "City": "GPE", "Region": "LOC",
               "Location": "LOC"}


@Language.component("kg_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Start a sentence after every newline: ingest leaves newlines only at real breaks.

    The tokenizer keeps a newline in a whitespace token of its own (a token's trailing
    whitespace is at most one space), so only those tokens are visited.
    """
    breaks = set()
    for i in numpy.flatnonzero(doc.to_array(IS_SPACE)).tolist():
        token = doc[i]
        if i and i not in breaks:
            token.is_sent_start = False
        if "\n" in token.text and i + 1 < len(doc):
            doc[i + 1].is_sent_start = True
            breaks.add(i + 1)
    return doc


def pipeline(requested: str | None = None) -> Language:
    """The model with the line-break and gazetteer components, loaded once per process
    whichever way it was asked for (by name, or as the default)."""
    return loaded_pipeline(model_name(requested))


@functools.lru_cache(maxsize=4)
def loaded_pipeline(name: str) -> Language:
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise UsageError(f"cannot load spaCy model {name!r}: is it installed?") from exc
    nlp.max_length = CHUNK_CHARS * 2
    nlp.add_pipe("kg_line_breaks", before="parser")
    nlp.add_pipe("kg_gazetteer", after="ner")
    return nlp


@Language.factory("kg_gazetteer")
def make_gazetteer_matcher(nlp: Language, name: str) -> "GazetteerMatcher":
    return GazetteerMatcher(nlp)


class GazetteerMatcher:
    """Adds gazetteer names to the model's entities, the longer span winning an overlap.

    "NATO-Russia Council" replaces the model's "NATO" and "Russia"; the model's "Michael
    Jordan" keeps its place against the country "Jordan".
    """

    def __init__(self, nlp: Language):
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.labels: dict[str, tuple[str, str]] = {}
        for entry in gazetteer():
            names = [n for n in (entry.label, *entry.aliases) if len(n) >= 2]
            self.matcher.add(entry.key, list(nlp.tokenizer.pipe(names)))
            self.labels[entry.key] = (SPACY_LABEL.get(entry.kind, "ORG"), entry.key)

    def __call__(self, doc: Doc) -> Doc:
        found = []
        for match_id, start, end in self.matcher(doc):
            label, key = self.labels[doc.vocab.strings[match_id]]
            found.append(Span(doc, start, end, label=label, kb_id=key))
        if found:
            doc.ents = filter_spans(list(doc.ents) + found)
        return doc


def parse(nlp: Language, texts: Iterable[str], batch_size: int = 32) -> Iterator[Doc]:
    """Parse texts in order; a text longer than the model takes is parsed in pieces cut at
    paragraph or sentence ends and joined back into one Doc with the same characters."""
    pieces: list[str] = []
    owners: list[int] = []
    for n, text in enumerate(texts):
        for piece in split_text(text):
            pieces.append(piece)
            owners.append(n)
    current: list[Doc] = []
    owner = 0
    for doc, n in zip(nlp.pipe(pieces, batch_size=batch_size), owners):
        if n != owner and current:
            yield joined(current)
            current = []
        owner = n
        current.append(doc)
    if current:
        yield joined(current)


def joined(docs: list[Doc]) -> Doc:
    return docs[0] if len(docs) == 1 else Doc.from_docs(docs, ensure_whitespace=False)


def split_text(text: str, limit: int = CHUNK_CHARS) -> list[str]:
    """Pieces of at most `limit` characters that join back to `text`, cut at a paragraph end,
    else a sentence end, else a space. What comes before the lead is a piece of its own:
    parsed with the lead, a headline's unfinished sentence pulls the lead's first word into
    it, and blanks before it put the model off the lead's first name, so that "Sergey Lavrov
    met" is then read without its subject.

    >>> split_text("One. Two. Three.", limit=10)
    ['One. Two. ', 'Three.']
    >>> split_text("Lavrov in Berlin\\n\\nSergey Lavrov met Steinmeier.\\nThey talked.")
    ['Lavrov in Berlin\\n\\n', 'Sergey Lavrov met Steinmeier.\\nThey talked.']
    >>> split_text("Lavrov met Steinmeier.\\nThey talked."), split_text("Talks\\n")
    (['Lavrov met Steinmeier.\\nThey talked.'], ['Talks\\n'])
    >>> split_text("   \\n\\nLavrov met Steinmeier.")
    ['   \\n\\n', 'Lavrov met Steinmeier.']
    """
    lead_in = LEAD_IN.match(text)
    pieces = [lead_in.group(0)] if lead_in else []
    text = text[lead_in.end():] if lead_in else text
    while len(text) > limit:
        window = text[:limit]
        cut = window.rfind("\n")
        if cut < limit // 2:
            cut = max(window.rfind(". "), window.rfind("? "), window.rfind("! "))
            cut = cut + 1 if cut >= limit // 2 else window.rfind(" ")
        if cut <= 0:
            cut = limit - 1
        pieces.append(text[:cut + 1])
        text = text[cut + 1:]
    pieces.append(text)
    return [p for p in pieces if p]
