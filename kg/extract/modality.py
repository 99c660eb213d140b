"""Negation and modality: whether the text denies an event and how it presents it
(asserted, planned, attempted, conditional, hypothetical), read from the trigger's own
clause and the verbs that govern it ("did not propose", "failed to conclude", "is planning
to hold", "if talks resume").
"""
from __future__ import annotations

from spacy.tokens import Token

from kg.extract.syntax import cleft_focus
from kg.lexicon.words import words


def governing_chain(trigger: Token) -> list[Token]:
    """The trigger and the verbs whose complement it is ('failed to give', 'decided to suspend')."""
    chain = [trigger]
    current = trigger
    while current.dep_ in ("xcomp", "pcomp", "pobj", "acl", "dobj", "ccomp", "prep") and current.head is not current:
        current = current.head
        chain.append(current)
        if len(chain) > 4:
            break
    return chain


def negated(trigger: Token) -> bool:
    """Whether the text denies the event: 'did not', 'never', 'failed to', 'no proposals'."""
    w = words()
    for token in governing_chain(trigger)[:3]:
        if any(c.dep_ == "neg" for c in token.children):
            return True
        if token is not trigger and token.lemma_.lower() in w.negating_verbs and not \
                (token.lemma_.lower() in w.response_verbs and not trigger.pos_.startswith("V")):
            return True  # "rejected the offer": a response denies no offer, "refused to meet" denies a meeting
        if token.dep_ == "prep" or (token.dep_ == "pobj" and token is not trigger):
            break
    if any(c.lower_ in w.negating_determiners and c.dep_ in ("det", "neg", "advmod") for c in trigger.children):
        return True
    for token in governing_chain(trigger)[:3]:
        if any(c.dep_ == "nsubj" and c.lower_ in w.cleft_pronouns for c in token.children) and cleft_focus(token) is not None:
            return any(c.dep_ == "neg" for c in token.head.children)
    if trigger.dep_ == "relcl" or trigger.head.dep_ == "relcl":
        verb = trigger if trigger.dep_ == "relcl" else trigger.head
        noun = verb.head
        if any(c.dep_ == "neg" for c in noun.children) or any(c.dep_ == "neg" for c in noun.head.children if noun.dep_ == "attr"):
            return True
    return False


def is_reported(verb: Token) -> bool:
    """Whether a clause is what a speech verb reports ("said it would ban X and cut Y")."""
    clause = verb.head if verb.dep_ == "conj" else verb
    return clause.dep_ == "ccomp" and clause.head.lemma_.lower() in words().speech_verbs


def modality(trigger: Token) -> str:
    """How the text presents the event."""
    w = words()
    for child in trigger.children:
        if child.dep_ in ("relcl", "acl"):
            aux = {c.lower_ for c in child.children if c.dep_ in ("aux", "auxpass")}
            if aux & w.future_auxiliaries or child.lemma_.lower() in w.planning_words:
                return "Planned"
    if any(c.dep_ == "det" and c.lower_ in w.hypothetical_words for c in trigger.children):
        return "Hypothetical"  # "any offer"
    chain = governing_chain(trigger)
    if trigger.dep_ == "conj" and trigger.head.pos_ in ("VERB", "AUX"):
        chain += governing_chain(trigger.head)  # "asked him to stop X and to lift Y": both are asked for
    done = next((i for i, t in enumerate(chain) if t.dep_ == "prep" and t.lower_ in w.completed_prepositions), None)
    later = chain[done:] if done is not None else []
    chain = chain[:done] if done is not None else chain  # "could sign after a meeting": the meeting took place
    for token in chain:
        if any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in w.conditional_markers for m in c.children)
               for c in token.children):
            return "Conditional"
    for token in chain:
        lemma = token.lemma_.lower()
        aux = {c.lower_ for c in token.children if c.dep_ in ("aux", "auxpass")}
        if any(c.dep_ == "mark" and c.lower_ in w.conditional_markers for c in token.children):
            return "Conditional"
        if token.dep_ == "advcl" and any(c.lower_ in w.conditional_markers for c in token.children):
            return "Conditional"
        if lemma in w.attempting_words and token is not trigger:
            return "Attempted"
        hypothetical = (lemma in w.hypothetical_words or token.lower_ in w.hypothetical_words) and \
            (token.pos_ != "NOUN" or lemma in w.hypothetical_nouns)  # "is prepared to", not "is preparing to"
        if aux & w.reported_future_auxiliaries and is_reported(token):
            return "Planned"  # "said it would suspend talks"
        if (hypothetical and token is not trigger) or aux & w.modal_auxiliaries:
            return "Hypothetical"
        if lemma in w.planning_words and token is not trigger or aux & w.future_auxiliaries:
            return "Planned"
        if token.lower_ in w.planned_copulas and any(c.dep_ == "xcomp" for c in token.children):
            return "Planned"
    if any(c.dep_ == "aux" and c.lower_ == "to" for c in trigger.children) and trigger.head.lemma_.lower() == "be":
        return "Planned"
    if any(c.dep_ == "aux" and c.lower_ in w.future_auxiliaries for t in later for c in t.children):
        return "Planned"  # "will act after talks": the talks are still to come
    return "Asserted"
