"""Event frames of general news constructions, one per test, on sentences written for the test."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def frames(extraction, kind: str) -> list[tuple]:
    """The events of a class as kind, agent, participants, counterparts, negated, modality."""
    return sorted((e.kind, e.agent, tuple(sorted(e.participants)), tuple(sorted(e.counterparts)), e.negated,
                   e.modality) for e in extraction.events if e.kind == kind)


def test_coordinated_travellers_make_one_visit_each(read):
    x = read("Olaf Scholz and Annalena Baerbock called in to Warsaw on their way home from Kyiv.\n")
    assert frames(x, "Visit") == [("Visit", "annalena-baerbock", (), ("poland",), False, "Asserted"),
                                  ("Visit", "olaf-scholz", (), ("poland",), False, "Asserted")]


def test_the_head_of_a_visiting_delegation_is_the_visitor(read):
    x = read("The deal was signed by Peruvian Energy Minister Oscar Vera and a visiting Bolivian delegation "
             "headed by Foreign Minister Rogelio Mayta.\n")
    assert frames(x, "Visit") == [("Visit", "rogelio-mayta", (), (), False, "Asserted")]


def test_the_arrival_of_someone_there_to_see_someone(read):
    x = read("Residents awaited the arrival of UN envoy Martin Griffiths, who was there to see Yemeni President "
             "Rashad al-Alimi.\n")
    assert frames(x, "Visit") == [("Visit", "martin-griffiths", (), ("rashad-al-alimi",), False, "Asserted")]


def test_a_pronoun_in_a_reported_clause_is_the_speaker(read):
    x = read("The Prime Minister, Anthony Albanese, has revealed he will go to Vietnam for a summit meeting with "
             "Vietnamese Prime Minister Pham Minh Chinh.\n")
    assert frames(x, "Visit") == [("Visit", "anthony-albanese", (), ("vietnam",), False, "Planned")]
    assert frames(x, "Meeting") == [("Meeting", None, ("anthony-albanese", "pham-minh-chinh"), (), False, "Planned")]


def test_the_two_leaders_are_the_pair_named_before(read):
    x = read("Anthony Albanese met Fumio Kishida in Tokyo on Monday. The two leaders met again in Canberra in June.\n",
             date="2023-03-15")
    places = sorted(e.place for e in x.events if e.kind == "Meeting"
                    and set(e.participants) == {"anthony-albanese", "fumio-kishida"})
    assert places == ["canberra", "tokyo"]


def test_coordinated_subjects_due_to_meet(read):
    x = read("Prime Minister Kishida and President Yoon are due to meet in Seoul this week.\n")
    assert frames(x, "Meeting") == [("Meeting", None, ("kishida", "yoon"), (), False, "Planned")]


def test_an_apposed_name_is_the_title_holder_that_meets(read):
    x = read("Spain's ambassador in Rabat, Ricardo Diez, was due to meet Prime Minister Aziz Akhannouch today.\n")
    assert frames(x, "Meeting") == [("Meeting", None, ("aziz-akhannouch", "ricardo-diez"), (), False, "Planned")]


def test_talking_to_a_party_is_a_meeting(read):
    x = read("Volkswagen is still talking to IG Metall about wages.\n")
    assert frames(x, "Meeting") == [("Meeting", None, ("ig-metall", "volkswagen"), (), False, "Asserted")]


def test_telling_a_meeting_of_officials_named_by_nationality(read):
    x = read("UN envoy Martin Griffiths has told a meeting of Saudi and Yemeni officials that the truce would hold.\n")
    assert frames(x, "Meeting") == [("Meeting", None, ("martin-griffiths", "saudi-arabia", "yemen"), (), False,
                                     "Asserted")]


def test_a_proposed_meeting_is_a_proposal_not_an_asserted_meeting(read):
    x = read("Brazil proposed a trilateral meeting of Brazil, Argentina and Chile.\n")
    assert frames(x, "Proposal") == [("Proposal", "brazil", (), (), False, "Asserted")]
    assert [e.modality for e in x.events if e.kind == "Meeting"] == ["Hypothetical"]


def test_a_ban_on_a_nationality_is_against_its_state(read):
    x = read("Chile banned Peruvian trawlers from its waters.\n")
    assert frames(x, "Suspension") == [("Suspension", "chile", (), ("peru",), False, "Asserted")]


def test_status_withdrawn_from_a_state(read):
    x = read("The European Union withdrew trade preferences status from Myanmar in 2024.\n")
    assert frames(x, "Suspension") == [("Suspension", "european-union", (), ("myanmar",), False, "Asserted")]


def test_outlawing_two_groups_is_two_suspensions(read):
    x = read("Mahmoud Abbas has outlawed the armed wings of Hamas and Islamic Jihad.\n")
    assert frames(x, "Suspension") == [("Suspension", "mahmoud-abbas", (), ("hamas",), False, "Asserted"),
                                       ("Suspension", "mahmoud-abbas", (), ("islamic-jihad",), False, "Asserted")]


def test_a_lifted_suspension_is_a_resumption_only(read):
    x = read("Zimbabwe's suspension was lifted after the elections.\n")
    assert frames(x, "Suspension") == []
    assert frames(x, "Resumption") == [("Resumption", None, (), ("zimbabwe",), False, "Asserted")]


def test_the_body_that_passes_a_bill_to_lift_a_ban_lifts_it(read):
    x = read("The US Senate approved legislation to lift the embargo on Cuba.\n")
    assert frames(x, "Resumption") == [("Resumption", "us-senate", (), ("cuba",), False, "Asserted")]


def test_rejected_offers_from_a_party_are_its_proposals(read):
    x = read("The miners rejected offers of a 20 pct raise from the mining company Vale.\n")
    assert frames(x, "Proposal") == [("Proposal", "vale", (), (), False, "Asserted")]


def test_a_refused_meeting_is_denied(read):
    x = read("Egypt refused to meet Israel.\n")
    assert frames(x, "Meeting") == [("Meeting", None, ("egypt", "israel"), (), True, "Asserted")]


def test_calling_something_in_a_place_is_no_visit(read):
    assert frames(read("Moscow earlier called the protests in Georgia a coup.\n"), "Visit") == []


def test_arriving_nowhere_named_is_no_visit(read):
    assert frames(read("Palestinian police arrived to arrest him.\n"), "Visit") == []


def test_talks_delayed_indefinitely_are_suspended(read):
    x = read("Thailand has delayed the border talks with Cambodia indefinitely.\n")
    assert frames(x, "Suspension") == [("Suspension", "thailand", (), ("cambodia",), False, "Asserted")]


def test_the_host_of_days_of_meetings_takes_part(read):
    x = read("Chancellor Olaf Scholz is to hold two days of meetings with the French Finance Minister, Bruno Le Maire, "
             "and the Italian Trade Minister, Adolfo Urso.\n")
    assert frames(x, "Meeting") == [("Meeting", None, ("bruno-le-maire", "olaf-scholz", "urso"), (), False, "Planned")]


def test_a_person_in_talks_with_bodies_takes_part(read):
    x = read("Hungarian central bank head Gyorgy Matolcsy, in talks in Washington last week with the International "
             "Monetary Fund and the World Bank, made his case.\n")
    assert frames(x, "Meeting") == [("Meeting", None, ("gyorgy-matolcsy", "international-monetary-fund", "world-bank"),
                                     (), False, "Asserted")]


def test_talks_with_one_side_alone_are_no_meeting(read):
    x = read("Analysts blamed Washington for obstructing talks with the World Bank and the International Monetary Fund.\n")
    assert frames(x, "Meeting") == []


def test_a_journey_for_talks_meets_the_host_state(read):
    x = read("The Ethiopian team will return to Nairobi for further negotiations.\n")
    assert frames(x, "Meeting") == [("Meeting", None, ("ethiopia", "kenya"), (), False, "Planned")]
    assert frames(x, "Visit") == [("Visit", "ethiopia", (), ("kenya",), False, "Planned")]


def test_readiness_to_meet_is_hypothetical_and_preparing_is_planned(read):
    ready = read("Pervez Musharraf says he is prepared to hold talks with Atal Behari Vajpayee in Nepal.\n")
    preparing = read("Pervez Musharraf is preparing to hold talks with Atal Behari Vajpayee in Nepal.\n")
    assert [e.modality for e in ready.events if e.kind == "Meeting"] == ["Hypothetical"]
    assert [e.modality for e in preparing.events if e.kind == "Meeting"] == ["Planned"]


def test_the_by_phrase_of_an_arrival_is_no_traveller(read):
    x = read("Kenya's trade minister Moses Kuria was greeted on arrival by Fumio Kishida.\n")
    assert [e.agent for e in x.events if e.kind == "Visit"] == ["moses-kuria"]


def test_calling_for_someone_to_act_is_a_proposal_to_them(read):
    x = read("The Arab League is calling for UN envoy Martin Griffiths to return to the region.\n")
    assert frames(x, "Proposal") == [("Proposal", "arab-league", (), ("martin-griffiths",), False, "Asserted")]


def test_advice_on_disputes_with_a_party_is_addressed_to_it(read):
    x = read("Armenia said today its disputes with Azerbaijan should be solved through negotiations.\n")
    assert frames(x, "Proposal") == [("Proposal", "armenia", (), ("azerbaijan",), False, "Asserted")]


def test_a_nationality_decision_to_downgrade_is_the_states(read):
    x = read("Bangladesh regrets the Indian decision to downgrade embassy representation.\n")
    assert frames(x, "Suspension") == [("Suspension", "india", (), (), False, "Asserted")]


def test_what_an_accord_is_aimed_at_is_hypothetical(read):
    x = read("The accord is aimed at restoring ties with Iran.\n")
    assert [(e.kind, e.modality) for e in x.events] == [("Resumption", "Hypothetical")]


def test_a_second_request_joined_to_the_first_is_requested_too(read):
    x = read("Egypt asked Israel to open the crossing and to lift the blockade on Gaza.\n")
    assert [(e.kind, e.modality) for e in x.events if e.kind == "Resumption"] == [("Resumption", "Hypothetical")]


def test_the_one_invited_to_visit_is_the_visitor(read):
    x = read("Vladimir Putin invited President Emmanuel Macron to visit Moscow next year.\n")
    assert frames(x, "Visit") == [("Visit", "emmanuel-macron", (), ("russia",), False, "Hypothetical")]


def test_a_meeting_after_which_something_could_happen_took_place(read):
    x = read("Coach Ange Postecoglou says he could sign a new contract after a meeting this morning with chairman "
             "Daniel Levy.\n")
    assert frames(x, "Meeting") == [("Meeting", None, ("ange-postecoglou", "daniel-levy"), (), False, "Asserted")]


def test_talks_after_which_something_will_happen_are_planned(read):
    x = read("Israel will decide after talks with Egypt.\n")
    assert frames(x, "Meeting") == [("Meeting", None, ("egypt", "israel"), (), False, "Planned")]


def test_what_a_speaker_said_it_would_do_is_planned(read):
    x = read("Armenia said it would suspend talks with Azerbaijan.\n")
    assert frames(x, "Suspension") == [("Suspension", "armenia", (), ("azerbaijan",), False, "Planned")]


def test_any_offer_is_hypothetical(read):
    x = read("Armenia said it would react constructively to any offer of talks.\n")
    assert [e.modality for e in x.events if e.kind == "Proposal"] == ["Hypothetical"]


def test_meeting_obligations_is_no_meeting(read):
    assert frames(read("Poland would meet its financial obligations to the United States.\n"), "Meeting") == []


def test_whoever_acts_during_a_trip_makes_it(read):
    x = read("Olaf Scholz spoke to reporters during a trip to India.\n")
    assert frames(x, "Visit") == [("Visit", "olaf-scholz", (), ("india",), False, "Asserted")]


def test_lifted_sanctions_on_a_state_readmit_it(read):
    x = read("The United States lifted sanctions on Cuba.\n")
    assert frames(x, "Suspension") == []
    assert frames(x, "Resumption") == [("Resumption", "united-states", (), ("cuba",), False, "Asserted")]


def test_being_somewhere_to_meet_is_a_visit_and_being_there_is_not(read):
    x = read("Dutch farm minister Gerrit Braks is in Washington today to meet with congressional officials.\n")
    assert frames(x, "Visit") == [("Visit", "gerrit-braks", (), ("united-states",), False, "Asserted")]
    assert frames(read("Emmanuel Macron is in Berlin.\n"), "Visit") == []


def test_advice_to_unnamed_leaders_is_a_proposal_and_a_forecast_is_not(read):
    x = read("President Ashraf Ghani objected to the plans, saying the interim leaders should be elected by Afghans.\n")
    assert frames(x, "Proposal") == [("Proposal", "ashraf-ghani", (), (), False, "Asserted")]
    assert frames(read("Kenya says prices should fall next year.\n"), "Proposal") == []


def test_ministers_from_a_bodys_member_states_act_for_the_body(read):
    x = read("Foreign ministers from the 27 EU member states issued a statement after talks in Brussels with "
             "Ukrainian Foreign Minister Dmytro Kuleba.\n")
    assert frames(x, "Meeting") == [("Meeting", None, ("dmytro-kuleba", "european-union"), (), False, "Asserted")]


def test_a_planned_and_a_held_meeting_of_the_same_pair_are_two_meetings(read):
    extraction = read("Prime Minister Jean Dupont will travel to Oslo next week for talks with Hans Weber. "
                      "The two leaders last met in Geneva in March.\n")
    meetings = sorted((e.modality, frozenset(e.participants)) for e in extraction.events if e.kind == "Meeting")
    pair = frozenset({"jean-dupont", "hans-weber"})
    assert meetings == [("Asserted", pair), ("Planned", pair)]


def test_hosting_people_is_a_meeting_with_them(read):
    x = read("Kenyan President William Ruto hosted Ethiopian Prime Minister Abiy Ahmed and Somali President "
             "Hassan Sheikh Mohamud in Nairobi on Sunday.\n")
    assert frames(x, "Meeting") == [("Meeting", None, ("abiy-ahmed", "hassan-sheikh-mohamud", "william-ruto"), (),
                                     False, "Asserted")]


def test_hosting_a_counterpart_no_one_named_is_a_meeting_with_the_state(read):
    x = read("Egyptian President Abdel Fattah al-Sisi hosted his Jordanian counterpart in Cairo.\n")
    assert frames(x, "Meeting") == [("Meeting", None, ("abdel-fattah-al-sisi", "jordan"), (), False, "Asserted")]


def test_hosting_a_summit_is_no_meeting_of_named_parties(read):
    x = read("Japan hosted the G7 summit in Hiroshima in May.\n")
    assert frames(x, "Meeting") == []


def test_arriving_in_a_capital_named_by_demonym_for_talks(read):
    x = read("Indian Foreign Minister Subrahmanyam Jaishankar arrived in the Kenyan capital on Monday for talks "
             "with President William Ruto.\n")
    assert [(e.agent, e.place, e.counterparts) for e in x.events if e.kind == "Visit"] == \
        [("subrahmanyam-jaishankar", "nairobi", ("william-ruto",))]


def test_arriving_in_a_capital_for_a_visit_is_a_visit_to_its_state(read):
    x = read("Anthony Albanese arrived in the Indonesian capital for a two-day visit.\n")
    assert [(e.agent, e.place, e.counterparts) for e in x.events if e.kind == "Visit"] == \
        [("anthony-albanese", "jakarta", ("indonesia",))]


@pytest.mark.parametrize("text, place", [
    ("Penny Wong and Wang Yi met on the sidelines of the ASEAN foreign ministers' meeting in Jakarta.\n", "jakarta"),
    ("Penny Wong met Wang Yi at the G20 summit in Bali.\n", "bali"),
])
def test_the_occasion_of_a_meeting_takes_no_part_in_it_but_gives_its_place(read, text, place):
    x = read(text)
    assert frames(x, "Meeting") == [("Meeting", None, ("penny-wong", "wang-yi"), (), False, "Asserted")]
    assert [e.place for e in x.events if e.kind == "Meeting"] == [place]


def test_a_meeting_with_someone_on_the_sidelines_is_still_held_by_the_subject(read):
    x = read("Penny Wong spoke on the sidelines of a meeting with Wang Yi.\n")
    assert frames(x, "Meeting") == [("Meeting", None, ("penny-wong", "wang-yi"), (), False, "Asserted")]


def test_coordinated_subjects_restoring_ties_restore_them_with_each_other(read):
    x = read("Ankara and Cairo restored full diplomatic ties after a decade of tension.\n")
    assert frames(x, "Resumption") == [("Resumption", "turkey", (), ("egypt",), False, "Asserted")]


def test_coordinated_subjects_suspending_aid_do_not_suspend_it_to_each_other(read):
    x = read("Britain and France suspended aid last year.\n")
    assert [e.counterparts for e in x.events if e.kind == "Suspension"] == [()]


def test_a_capital_the_gazetteer_cannot_choose_is_its_state(read):
    x = read("Chilean President Gabriel Boric arrived in the Bolivian capital on Monday.\n")
    assert [(e.agent, e.place, e.counterparts) for e in x.events if e.kind == "Visit"] == \
        [("gabriel-boric", "bolivia", ("bolivia",))]
