"""Extraction: a parsed document in, its entities, events and offices out.

Sentences are read in order so that pronouns and titles can point back to what the
document has already introduced: the last person who spoke or acted, the last body that
acted.
"""
from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Doc, Span, Token

from kg.extract.attribution import Attribution, Attributor, named_person
from kg.extract.coreference import Context, Coreference
from kg.extract.events import EventReader
from kg.extract.syntax import conjuncts, root_subjects, within
from kg.extract.linking import GazetteerIndex, gazetteer_index, link_mentions, slug
from kg.extract.mentions import Mentions
from kg.extract.offices import Offices
from kg.extract.quotes import Quote, quote_spans
from kg.lexicon.words import words
from kg.records import Document, Event, Extraction, Rejection

TERMINAL = re.compile(r"[.!?\"'\u201d\u2019)]\s*$")


def extract(doc: Doc, document: Document) -> Extraction:
    """Read one parsed document: its names linked, its offices read, then its sentences in order."""
    reader = event_reader(doc, document)
    coreference = reader.coreference
    mentions, index = coreference.mentions, coreference.index
    text = doc.text  # built from the tokens on every access: read it once
    quotes = quote_spans(text)
    quoted_tokens = {t.i for q in quotes for t in doc.char_span(q.start, q.end, alignment_mode="expand") or ()}
    context = Context()
    subjects = root_subjects(doc)
    attributor = Attributor(doc, text, quotes, quoted_tokens, coreference)
    reader.reporter = lambda trigger, at: reported_by(attributor, trigger, at)
    events: list[Event] = []
    rejections: list[Rejection] = []
    pending = 0
    last_speaker = None
    for sent in doc.sents:
        if not text[sent.start_char:sent.end_char].strip():
            continue
        sentence_subjects = [doc[i] for i in within(subjects, sent) if i not in quoted_tokens]
        while pending < len(quotes) and quotes[pending].start < sent.end_char:
            quote = quotes[pending]
            before = replace(context)  # who acted in this sentence before the quotation counts too
            update_context([t for t in sentence_subjects if t.idx < quote.start], coreference, before, [])
            statement = read_statement(doc, text, quote, attributor.attribute(pending, before, last_speaker))
            pending += 1
            if isinstance(statement, Rejection):
                rejections.append(statement)
            else:
                events.append(statement)
                last_speaker = statement.agent
                if mentions.entities.get(statement.agent) and mentions.entities[statement.agent].kind == "Person":
                    context.person = statement.agent
        if is_heading(sent, text):
            continue
        found = reader.read(sent, context, quoted_tokens)
        events += found
        update_context(sentence_subjects, coreference, context, found)
    events, merged = merge_duplicates(events)
    rejections += [Rejection(e.kind, e.trigger, e.sentence, e.start, e.end, "the same frame as an earlier event, merged")
                   for e in merged]
    used = {k for e in events for k in (e.agent, e.place, e.according_to, *e.participants, *e.counterparts) if k}
    positions = [replace(p, attested=document.published)
                 for p in coreference.offices.with_states(coreference.states.dominant())]
    used |= {k for p in positions for k in (p.person, p.of) if k}
    for key in sorted(used - set(mentions.entities)):
        if key in index.by_key:  # a state named only by its demonym ("Afghan officials")
            mentions.add_known(index.by_key[key])
    outlet = outlet_entity(document.publisher, mentions, index)
    entities = mentions.described()
    offices = {}
    for position in positions:
        offices.setdefault((position.person, position.role, position.of), position)
    rejections += reader.rejections
    return Extraction(document=document, entities=entities, events=tuple(events),
                      positions=tuple(offices.values()),
                      rejections=tuple(sorted(rejections, key=lambda r: (r.start, r.kind, r.trigger))),
                      outlet=outlet)


def outlet_entity(publisher: str | None, mentions: Mentions, index: GazetteerIndex) -> str | None:
    """The entity of the outlet that published the document: the gazetteer's when it knows
    the name, else an organization of that name, so it is described like any other."""
    if not publisher:
        return None
    entry = index.lookup(publisher)
    if entry is not None:
        return mentions.add_known(entry)
    return mentions.add(slug(publisher), " ".join(publisher.split()), "NewsAgency")


def reported_by(attributor: Attributor, trigger: Token, context: Context) -> tuple[str | None, str | None]:
    """The entity an event is reported from, or how the text names its unnamed source."""
    found = attributor.source_of(trigger, context)
    return (found.speaker, found.anonymous) if found is not None else (None, None)


def event_reader(doc: Doc, document: Document) -> EventReader:
    """The reader of a document's events, over its linked names and offices."""
    index, vocabulary = gazetteer_index(), words()
    mentions = link_mentions(doc, document, index, vocabulary)
    offices = Offices(doc, mentions, index, vocabulary)
    coreference = Coreference(mentions, offices, index, vocabulary)
    entry = index.lookup(document.dateline_place) if document.dateline_place else None
    return EventReader(doc, coreference, document.published, entry.key if entry else None)


def read_statement(doc: Doc, text: str, quote: Quote, attribution: Attribution) -> Event | Rejection:
    """A Statement for a quotation, by the speaker the sieve found; a Rejection saying why
    when it found none."""
    words = " ".join(quote.text.split()[:8])
    if attribution.speaker is None:
        return Rejection("Statement", words, quote.text, quote.start, quote.end,
                         f"unresolved speaker ({attribution.rule}): {attribution.problem}")
    first = doc.char_span(quote.start, quote.end, alignment_mode="expand")
    if first is None or len(first) == 0:
        return Rejection("Statement", words, quote.text, quote.start, quote.end, "the quotation is not in the parsed text")
    verb = attribution.cue.verb if attribution.cue is not None else None
    sent_start = first[0].sent.start_char
    sent_end = max(first[-1].sent.end_char, verb.sent.end_char if verb is not None else 0)
    sentence = text[sent_start:sent_end].strip()
    return Event(kind="Statement", trigger=verb.text if verb is not None else "said",
                 sentence=sentence, start=sent_start, end=sent_end, agent=attribution.speaker,
                 theme=quote.text, quote=quote.text, date=None, rule=attribution.rule)


def is_heading(sent: Span, text: str) -> bool:
    """A headline, caption or standfirst: a line that ends without sentence punctuation."""
    body = text[sent.start_char:sent.end_char].rstrip()  # the span's own text, without building it
    if TERMINAL.search(body.strip()):
        return False
    end = sent.start_char + len(body)
    following = text[end:end + 200].lstrip(" \t")
    return following.startswith("\n") or (not following.strip() and not text[end:].strip())


def update_context(subjects: list[Token], coreference: Coreference, context: Context, events: list[Event]) -> None:
    """Remember who acted in this sentence (its events, the subjects of its main clauses),
    for pronouns in the next ones."""
    entities = coreference.mentions.entities
    for event in events:
        if event.agent and entities.get(event.agent):
            if entities[event.agent].kind == "Person":
                context.person = event.agent
            else:
                context.body = event.agent
    for token in subjects:
        people = [coreference.actor(t, context) for t in [token, *conjuncts(token)]]
        people = [k for k in people if k and entities.get(k) and entities[k].kind == "Person"]
        if len(people) >= 2:
            context.group = tuple(people)
        key = named_person(token, coreference) or coreference.actor(token, context)
        if key and entities.get(key):
            if entities[key].kind == "Person":
                context.person = key
            else:
                context.body = key


def merge_duplicates(events: list[Event]) -> tuple[list[Event], list[Event]]:
    """One event per distinct happening: the same frame read twice keeps its first reading,
    with a date or place the later one adds. Also returns the later readings merged away."""
    out: list[Event] = []
    merged: list[Event] = []
    for event in events:
        if event.kind == "Statement":
            out.append(event)
            continue
        key = frame_key(event)
        for i, seen in enumerate(out):
            if seen.kind != "Statement" and frame_key(seen) == key and compatible(seen.date, event.date):
                according_to = seen.according_to or event.according_to  # a named source before an unnamed one
                out[i] = replace(seen, date=seen.date if seen.date and len(seen.date) >= len(event.date or "") else event.date,
                                 place=seen.place or event.place, according_to=according_to,
                                 anonymous_source=None if according_to else seen.anonymous_source or event.anonymous_source)
                merged.append(event)
                break
        else:
            out.append(event)
    return out, merged


def frame_key(event: Event) -> tuple:
    """What makes two readings one happening: the same class, actors, negation and modality
    (a meeting the story reports as held and one it reports as planned are two meetings)."""
    actors = frozenset((event.agent, *event.participants, *event.counterparts)) - {None}
    return (event.kind, actors, event.negated, event.modality)


def compatible(a: str | None, b: str | None) -> bool:
    """Two dates that could be the same day.

    >>> compatible("2015-05-07", "--05-07"), compatible("--05-10", "--05-07"), compatible(None, "--06")
    (True, False, True)
    """
    if not a or not b:
        return True
    from kg.extract.dates import parts
    return all(x is None or y is None or x == y for x, y in zip(parts(a), parts(b)))
