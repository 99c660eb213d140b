"""Who said a quotation: a sieve, in the manner of CoreNLP's quote attributor.

Each quotation goes through the steps in order of how reliable they are, and the first that
names a speaker wins:

1. a speech verb whose clause holds or adjoins the quotation, and its subject ("...," he
   said; said Mr X; X told reporters: "..."; according to X);
2. for a quotation with no speech verb of its own, the speaker of the quotation it continues
   (the mark reopened after a sentence or paragraph break), or of the attributed quotation
   it runs into ('"A. "B," Mr X said.');
3. the subject of the previous sentence's speech verb ('X says the talks failed. "..."');
4. the last person who spoke or acted (else the last speaker, a body), for a quotation
   that makes up its whole sentence or paragraph.

The subject found is then resolved as any noun phrase is: a name, a pronoun, a title. Nobody
named inside a quotation is its speaker, and an anonymous source ("officials said") is no
speaker at all, but a source of its own kind, known by how the text describes it.

The same cues say who an event is reported from: the speaker of the quotation it stands in,
the speech verb whose reported clause holds it ("X said NATO had suspended ..."), or
"according to X" in its clause. An event with none of them the outlet reports in its own voice.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from kg.extract.coreference import Context, Coreference
from kg.extract.quotes import Quote
from kg.lexicon.words import words

ONLY_MARKS = re.compile(r"[\s\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e.,;:!?\u2014-]*")
SPEECH_VERB, CONTINUED, PREVIOUS_SENTENCE, LAST_PERSON = (
    "speech verb", "continues a quotation", "previous sentence's speech verb", "the last person who spoke or acted")
REPORTED_CLAUSE = ("ccomp", "parataxis")  # how a speech verb takes the clause it reports


@dataclass(frozen=True)
class Cue:
    """What attributes a quotation in the text: a speech verb (or 'according to') and the
    head of its subject, when it has one outside any quotation."""

    verb: Token
    subject: Token | None


@dataclass(frozen=True)
class Attribution:
    """The speaker a quotation is given to and the sieve step that found it; without a
    speaker, why none was found."""

    speaker: str | None
    rule: str
    cue: Cue | None = None
    problem: str = ""
    anonymous: str | None = None  # how the text names a source it does not identify


class Attributor:
    """The sieve over one document's quotations, read in text order."""

    def __init__(self, doc: Doc, text: str, quotes: list[Quote], quoted: set[int], coreference: Coreference):
        self.doc, self.text, self.quotes, self.quoted = doc, text, quotes, quoted
        self.coreference = coreference
        self.cues = [speech_cue(doc, text, q, quoted) for q in quotes]
        self.speakers: list[str | None] = [None] * len(quotes)
        self.unnamed: list[str | None] = [None] * len(quotes)

    def attribute(self, i: int, context: Context, last_speaker: str | None) -> Attribution:
        """The speaker of quotation `i`; those before it must have been attributed."""
        found = self.sieve(i, context, last_speaker)
        self.speakers[i] = found.speaker
        self.unnamed[i] = found.anonymous
        return found

    def source_of(self, trigger: Token, context: Context) -> Attribution | None:
        """Who the text reports an event from, or None when it reports the event in its own
        voice. A trigger inside a quotation is the speaker's; the quotations of its sentence
        have been attributed before its events are read."""
        if trigger.i in self.quoted:
            i = next((j for j, q in enumerate(self.quotes) if q.start <= trigger.idx < q.end), None)
            if i is None or not (self.speakers[i] or self.unnamed[i]):
                return None
            return Attribution(self.speakers[i], "inside a quotation", anonymous=self.unnamed[i])
        verb = reporting_verb(trigger, self.quoted)
        if verb is None:
            return None
        found = self.resolved(Cue(verb, outside(subject_of(verb), self.quoted)), f"reported by '{verb.text}'", context)
        return found if found.speaker or found.anonymous else None

    def sieve(self, i: int, context: Context, last_speaker: str | None) -> Attribution:
        """The answer of the first step that applies, in order of reliability."""
        for step in (self.own_speech_verb, self.continued_quotation, self.previous_sentence, self.last_person):
            found = step(i, context, last_speaker)
            if found is not None:
                return found
        return Attribution(None, SPEECH_VERB, problem="no speech verb near it, and it does not stand alone "
                                                      "to continue the last speaker")

    def own_speech_verb(self, i: int, context: Context, last_speaker: str | None) -> Attribution | None:
        cue = self.cues[i]
        return self.resolved(cue, f"{SPEECH_VERB} '{cue.verb.text}'", context) if cue is not None else None

    def continued_quotation(self, i: int, context: Context, last_speaker: str | None) -> Attribution | None:
        """The speaker of the quotation this one reopens, or of the attributed one it runs into."""
        if i and adjoining(self.text, self.quotes[i - 1], self.quotes[i]) and self.speakers[i - 1]:
            return Attribution(self.speakers[i - 1], f"{CONTINUED} before it")
        after = self.cues[i + 1] if i + 1 < len(self.quotes) else None
        if after is not None and adjoining(self.text, self.quotes[i], self.quotes[i + 1]):
            found = self.resolved(after, f"{CONTINUED} after it, by its speech verb '{after.verb.text}'", context)
            return found if found.speaker else None
        return None

    def previous_sentence(self, i: int, context: Context, last_speaker: str | None) -> Attribution | None:
        """For a quotation that is its own sentence, who spoke in the sentence before."""
        if not stands_alone(self.doc, self.text, self.quotes[i]):
            return None
        previous = self.previous_sentence_cue(self.quotes[i])
        if previous is None:
            return None
        rule = f"{PREVIOUS_SENTENCE} '{previous.verb.text}'"
        earlier = [self.speakers[j] for j in range(i) if self.cues[j] is not None and self.cues[j].verb == previous.verb]
        if earlier and earlier[-1]:
            return Attribution(earlier[-1], rule, previous)
        return self.resolved(previous, rule, context)

    def last_person(self, i: int, context: Context, last_speaker: str | None) -> Attribution | None:
        """For a quotation that is its own sentence or paragraph, the last person who spoke or
        acted (a person who spoke counts as having acted), else the last speaker."""
        if not (self.quotes[i].whole_paragraph or stands_alone(self.doc, self.text, self.quotes[i])):
            return None
        speaker = context.person or last_speaker
        return Attribution(speaker, LAST_PERSON, problem="" if speaker else "no speech verb near it and no earlier speaker")

    def resolved(self, cue: Cue, rule: str, context: Context) -> Attribution:
        """The entity the cue's subject names: a person before the state or body beside him."""
        if cue.subject is None:
            return Attribution(None, rule, cue, f"the speech verb '{cue.verb.text}' has no subject outside the quotation")
        if self.anonymous(cue.subject):
            return Attribution(None, rule, cue, f"'{cue.subject.text}' is an anonymous source",
                               anonymous=description(cue.subject))
        subject = cue.subject
        if subject.lemma_.lower() in words().statement_nouns:
            issuer = self.issuer(subject, context)
            if issuer is None:
                return Attribution(None, rule, cue, f"the {subject.text} names no one who issued it")
            return Attribution(issuer, f"{rule}, by the issuer of the {subject.lower_}", cue)
        named = named_person(subject, self.coreference)
        keys = [named] if named else self.coreference.actors(subject, context)
        entities = self.coreference.mentions.entities
        people = [k for k in keys if entities.get(k) and entities[k].kind == "Person"]
        key = (people or keys or [None])[0]
        if key is None and context.person and self.describes_person(subject):
            return Attribution(context.person, f"{rule}, a description of the last person", cue)
        if key is None:
            return Attribution(None, rule, cue, f"the subject of the speech verb, '{subject.text}', names no entity")
        return Attribution(self.full_name(key), rule, cue)

    def describes_person(self, subject: Token) -> bool:
        """'The Louisiana Democrat said', 'the Russian minister said': a definite description
        by an office or a capitalized noun, which news uses for someone named before."""
        definite = any(c.lower_ == "the" and c.dep_ == "det" for c in subject.children)
        described = subject.lower_ in words().state_role_words or (subject.text[:1].isupper() and subject.pos_ == "PROPN")
        return definite and described and subject.tag_ in ("NN", "NNP") and subject.i not in self.coreference.mentions.token_key

    def issuer(self, statement: Token, context: Context) -> str | None:
        """Who issued a statement: 'a Foreign Ministry statement', 'a statement from X',
        X's statement; for 'the statement', the issuer of the last one named."""
        found = self.named_issuer(statement, context)
        if found is not None or not any(c.lower_ == "the" for c in statement.children):
            return found
        lemma = statement.lemma_.lower()
        earlier = [t for t in self.doc[:statement.sent.start] if t.lemma_.lower() == lemma and t.i not in self.quoted]
        return next((k for t in reversed(earlier) for k in [self.named_issuer(t, context)] if k), None)

    def named_issuer(self, statement: Token, context: Context) -> str | None:
        owners = [c for c in statement.children if c.dep_ in ("compound", "poss", "nmod")]
        owners += [o for c in statement.children if c.dep_ == "prep" and c.lower_ in ("from", "by", "of")
                   for o in c.children if o.dep_ == "pobj"]
        for owner in owners:
            keys = self.coreference.actors(owner, context)
            if keys:
                return keys[0]
        demonyms = [self.coreference.mentions.demonym_key.get(c.i) for c in statement.children if c.dep_ == "amod"]
        return next((k for k in demonyms if k), None)  # 'the Greek statement'

    def anonymous(self, subject: Token) -> bool:
        """'A source said', 'officials said': a speaker the text does not name."""
        if subject.lemma_.lower() not in words().anonymous_sources and subject.lower_ not in words().anonymous_sources:
            return False
        token_key = self.coreference.mentions.token_key
        named = subject.i in token_key or any(c.i in token_key and c.dep_ in ("appos", "compound", "poss")
                                              for c in subject.children)
        definite = any(c.lower_ == "the" for c in subject.children) and subject.tag_ == "NN"
        return not named and not definite

    def full_name(self, key: str) -> str:
        """A person named by a given name alone ('Sir Allan') is the one person of the
        document whose full name starts with it."""
        entities = self.coreference.mentions.entities
        entity = entities.get(key)
        if entity is None or entity.kind != "Person" or " " in entity.label:
            return key
        fuller = [k for k, e in entities.items()
                  if e.kind == "Person" and k != key and e.label.split()[0] == entity.label and " " in e.label]
        return fuller[0] if len(fuller) == 1 else key

    def previous_sentence_cue(self, quote: Quote) -> Cue | None:
        """The last speech verb of the sentence before the quotation's, with its subject."""
        first = self.doc.char_span(quote.start, quote.end, alignment_mode="expand")
        if first is None or len(first) == 0 or first[0].sent.start == 0:
            return None
        previous = self.doc[first[0].sent.start - 1].sent
        verbs = [t for t in previous if t.i not in self.quoted and is_speech_verb(t)]
        for verb in reversed(verbs):
            subject = outside(subject_of(verb), self.quoted)
            if subject is not None:
                return Cue(verb, subject)
        return None


def named_person(subject: Token, coreference: Coreference) -> str | None:
    """The person a subject names through its appositive or its passive agent: 'the UN's
    envoy to Kabul, Ahmed Fawzi, says', 'the position was spelt out by Raanan Gissin'."""
    entities, token_key = coreference.mentions.entities, coreference.mentions.token_key
    if subject.dep_ == "nsubjpass":
        candidates = [o for c in subject.head.children if c.dep_ == "agent" for o in c.children if o.dep_ == "pobj"]
    elif subject.pos_ == "NOUN":
        candidates = [t for t in subject.subtree if t.dep_ == "appos"]
    else:
        return None
    keys = [token_key.get(t.i) for t in candidates]
    return next((k for k in keys if k and entities[k].kind == "Person"), None)


def adjoining(text: str, before: Quote, after: Quote) -> bool:
    """Two quotations with nothing but marks and spaces between: the mark reopened.

    >>> t = '"One two three. "Four five six."'
    >>> adjoining(t, Quote(1, 15, "One two three.", False), Quote(17, 31, "Four five six.", False))
    True
    """
    return ONLY_MARKS.fullmatch(text[before.end:after.start]) is not None


def stands_alone(doc: Doc, text: str, quote: Quote) -> bool:
    """A quotation that makes up its whole sentence continues the previous speaker's words."""
    span = doc.char_span(quote.start, quote.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    first, last = span[0].sent, span[-1].sent
    return ONLY_MARKS.fullmatch(text[first.start_char:quote.start] + text[quote.end:last.end_char]) is not None


def description(subject: Token) -> str:
    """How the text names an unnamed source: its head noun with the words that qualify it
    ('diplomatic sources', 'western officials'), in lower case unless a name."""
    words = [t for t in subject.lefts if t.dep_ in ("amod", "compound", "nmod")] + [subject]
    return " ".join(t.text if t.pos_ == "PROPN" or t.text.isupper() else t.lower_ for t in words)


def reporting_verb(trigger: Token, quoted: set[int]) -> Token | None:
    """The speech verb (or 'according') an event's trigger is reported through: up the parse
    from the trigger, an 'according to' phrase on its way, or a speech verb whose reported
    clause it is part of ('officials said NATO suspended ...', '..., Lavrov said')."""
    node = trigger
    for _ in range(8):
        according = next((c for c in node.children if _according(c) and c.i not in quoted), None)
        if according is not None:
            return according
        head = node.head
        if head is node or head.i < node.sent.start:
            return None
        if node.dep_ in REPORTED_CLAUSE and is_speech_verb(head) and head.i not in quoted:
            return head
        node = head
    return None


def is_speech_verb(token: Token) -> bool:
    return token.lemma_.lower() in words().speech_verbs and token.pos_ in ("VERB", "AUX")


def outside(token: Token | None, quoted: set[int]) -> Token | None:
    """The token, unless it stands inside a quotation."""
    return token if token is not None and token.i not in quoted else None


def speech_cue(doc: Doc, text: str, quote: Quote, quoted: set[int]) -> Cue | None:
    """The speech verb (or 'according to') that introduces or follows a quotation in its own
    sentence, and its subject."""
    verb = _speech_verb_after(doc, text, quote) or _speech_verb_before(doc, quote, quoted)
    if verb is None:
        return None
    return Cue(verb, outside(subject_of(verb), quoted))


def _tokens_between(doc: Doc, start: int, end: int, limit: int) -> list[Token]:
    """The first `limit` tokens that start between two character offsets."""
    span = doc.char_span(start, end, alignment_mode="expand") if end > start else None
    return [t for t in span[:limit + 1] if t.idx >= start][:limit] if span is not None else []


def _speech_verb_after(doc: Doc, text: str, quote: Quote) -> Token | None:
    paragraph_end = text.find("\n", quote.end)
    paragraph_end = len(text) if paragraph_end == -1 else paragraph_end
    ending = "," if text.startswith(",", quote.end) else quote.text.rstrip("\"'\u201d\u2019 ")[-1:]
    if ending == ".":
        return None  # a quotation that ended its sentence is not attributed by the next one
    closed = ending in ("!", "?")  # '"...?" he asked': the attribution follows at once
    window = _tokens_between(doc, quote.end, min(paragraph_end, quote.end + 400), 4 if closed else 20)
    for token in window:
        if token.is_sent_start and token.idx > quote.end + 2 and (closed or doc[token.i - 1].text in (".", "!", "?")):
            break  # the next sentence's verb attributes its own words
        if token.text in ("\u201c", "\u00ab") or (token.text == '"' and token.idx > quote.end + 1 and _opens(doc, token)):
            break
        if is_speech_verb(token) or _according(token):
            return token
    return None


def _opens(doc: Doc, token: Token) -> bool:
    return token.i + 1 < len(doc) and not doc[token.i + 1].is_punct and token.whitespace_ == ""


def _according(token: Token) -> bool:
    return token.lower_ == "according" and any(c.lower_ == "to" for c in token.children)


def _speech_verb_before(doc: Doc, quote: Quote, quoted: set[int]) -> Token | None:
    span = doc.char_span(quote.start, quote.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    first = span[0]
    sent = first.sent
    for ancestor in first.ancestors:
        if ancestor.i < sent.start:
            break
        if is_speech_verb(ancestor) and ancestor.idx < quote.start and ancestor.i not in quoted:
            return ancestor
    candidates = [t for t in sent if t.idx < quote.start and t.i not in quoted
                  and ((t.lemma_.lower() in words().speech_verbs and t.pos_ == "VERB") or _according(t))]
    return candidates[-1] if candidates else None


def subject_of(verb: Token) -> Token | None:
    """Who speaks: the subject of the speech verb (climbing 'and said', 'saying'), the agent
    of a passive, the one quoted 'as saying', or the object of 'according to'."""
    if _according(verb):
        return next((o for c in verb.children if c.lower_ == "to" for o in c.children if o.dep_ == "pobj"), None)
    if any(c.lower_ == "as" and any(is_speech_verb(g) for g in c.children) for c in verb.children):
        # 'PAP quoted him as saying', 'he was quoted as saying': the one quoted speaks
        quoted = next((c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")), None)
        if quoted is not None:
            return quoted
    current = verb
    for _ in range(3):
        subjects = [c for c in current.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects:
            child = min(subjects, key=lambda c: abs(c.i - current.i))  # of two, the one nearer is the name
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
