"""The lexicon as data: ontology/lexicon.ttl read into triggers and word lists, no model."""
from __future__ import annotations

import shutil

import pyoxigraph as ox
import pytest

from kg.errors import KgError
from kg.lexicon.words import lexicon, read_lexicon
from kg.vocab import KG, KG_NS

from conftest import ROOT

LEXICON = ROOT / "ontology" / "lexicon.ttl"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"


def with_lines(tmp_path, *lines: str) -> str:
    """A copy of the shipped lexicon with Turtle lines added at its end."""
    path = tmp_path / "lexicon.ttl"
    shutil.copy(LEXICON, path)
    with path.open("a", encoding="utf-8") as out:
        out.write("\n" + "\n".join(lines) + "\n")
    return str(path)


def test_triggers_by_part_of_speech():
    triggers = read_lexicon(str(LEXICON)).triggers
    assert [t.kind for t in triggers.verbs["meet"]] == ["Meeting"]
    assert triggers.nouns["talks"] == "Meeting" and triggers.nouns["offer"] == "Proposal"
    assert triggers.phrasal["put"] == {"forward": "Proposal"}
    assert {"meet", "talks", "put", "lift"} <= triggers.words
    assert "said" not in triggers.words and "hold" not in triggers.words


def test_conditions_a_trigger_carries():
    triggers = read_lexicon(str(LEXICON)).triggers
    (lift,) = triggers.verbs["lift"]
    assert lift.kind == "Resumption" and {"embargo", "sanctions"} <= lift.objects
    (cut,) = triggers.verbs["cut"]
    assert cut.relative_clause_suffices and "ties" in cut.objects and "budget" not in cut.objects
    assert triggers.clause_auxiliaries("say") == frozenset({"should", "must", "ought"})
    assert triggers.clause_auxiliaries("meet") is None


def test_hosting_is_a_meeting_only_with_a_party_as_object():
    described = read_lexicon(str(LEXICON))
    (host,) = described.triggers.verbs["host"]
    assert host.kind == "Meeting" and host.party_object and host.objects is None
    assert not any(t.party_object for t in described.triggers.verbs["meet"])
    words = described.words
    assert {"counterpart", "delegation"} <= words.guest_words
    assert {"summit", "conference"} <= words.occasion_words and "counterpart" not in words.occasion_words
    assert {"margin", "sideline"} <= words.sideline_nouns and words.capital_nouns == frozenset({"capital"})


def test_agree_is_a_planning_word_and_a_trigger_only_with_an_accord():
    described = read_lexicon(str(LEXICON))
    assert "agree" in described.words.planning_words
    if "Agreement" in KG:
        (agree,) = described.triggers.verbs["agree"]
        assert agree.kind == "Agreement" and "treaty" in agree.objects


def test_word_lists_are_frozen_sets_of_lower_case_words():
    words = read_lexicon(str(LEXICON)).words
    assert "officials" in words.group_nouns and "'ll" in words.future_auxiliaries
    assert words.body_nouns["bloc"] == frozenset({"Alliance", "InternationalOrganization"})
    assert words.member_bodies == frozenset({"Alliance", "InternationalOrganization", "Council"})
    assert all(isinstance(v, frozenset) and all(w == w.lower() for w in v)
               for k, v in vars(words).items() if k not in ("body_nouns", "member_bodies"))


def test_the_lexicon_in_use_is_read_once():
    assert lexicon() is lexicon()


def test_an_added_trigger_is_read(tmp_path):
    path = with_lines(tmp_path, '[] a kg:Trigger ; kg:lemma "Parley" ; kg:evokes kg:Meeting ; kg:partOfSpeech "verb" .')
    assert [t.kind for t in read_lexicon(path).triggers.verbs["parley"]] == ["Meeting"]


def test_a_trigger_for_a_class_the_ontology_lacks_is_left_out(tmp_path):
    path = with_lines(tmp_path, '[] a kg:Trigger ; kg:lemma "wed" ; kg:evokes kg:Wedding ; kg:partOfSpeech "verb" .')
    assert "wed" not in read_lexicon(path).triggers.words


@pytest.mark.parametrize("line, message", [
    ('[] a kg:Trigger ; kg:lemma "meet" ; kg:evokes kg:Meeting .', "kg:partOfSpeech"),
    ('[] a kg:Trigger ; kg:lemma "meet" ; kg:evokes kg:Meeting ; kg:partOfSpeech "adverb" .', "kg:partOfSpeech"),
    ('[] a kg:Trigger ; kg:lemma "sign" ; kg:objectIn kg:nothing ; kg:evokes kg:Meeting ; kg:partOfSpeech "verb" .',
     "kg:nothing"),
    ("kg:x kg:word", "could not be read"),
])
def test_a_malformed_lexicon_is_the_users_error(tmp_path, line, message):
    with pytest.raises(KgError, match=message):
        read_lexicon(with_lines(tmp_path, line))


def test_a_missing_word_list_is_named(tmp_path):
    path = tmp_path / "lexicon.ttl"
    text = LEXICON.read_text(encoding="utf-8").replace("kg:groupNouns a kg:WordList", "kg:groupNounz a kg:WordList")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KgError, match="kg:groupNouns"):
        read_lexicon(str(path))


def test_every_term_the_lexicon_introduces_is_declared_there_with_a_label_and_a_comment():
    triples = list(ox.parse(path=str(LEXICON), format=ox.RdfFormat.TURTLE))
    declared = {t.subject.value for t in triples if t.predicate.value == RDF_TYPE}
    used = {t.predicate.value for t in triples} | {t.object.value for t in triples if t.predicate.value == RDF_TYPE}
    introduced = {iri for iri in used if iri.startswith(KG_NS) and iri[len(KG_NS):] not in KG}
    assert introduced and introduced <= declared
    for iri in introduced | {t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode)}:
        about = {t.predicate.value for t in triples if t.subject.value == iri}
        assert {RDFS + "label", RDFS + "comment"} <= about, iri
