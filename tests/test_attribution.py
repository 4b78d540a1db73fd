"""Speaker attribution: the right person or no name. On the project's own canonical-speaker articles
(tests/fixtures/attribution/articles.jsonl, written for the project) and on short texts of our own."""

import json
import os

import pytest

from transforms.analysis.quotes import find_quotes

FIXTURE = os.path.join(os.path.dirname(__file__), "fixtures", "attribution", "articles.jsonl")
KINDS = {"person", "organisation", "description", "unresolved"}


def articles():
    with open(FIXTURE, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def the(quotes, fragment):
    found = [q for q in quotes if fragment in q["text"]]
    assert len(found) == 1, (fragment, [q["text"] for q in quotes])
    return found[0]


def _surname_match(pred, gold):
    """A light form of the scorer's canonical rule: equal, or the same last word."""
    p, g = (pred or "").lower().split(), (gold or "").lower().split()
    return bool(p and g) and (p == g or p[-1] == g[-1])


def test_the_fixture_set_is_in_the_gold_format_and_large_enough():
    docs = articles()
    assert len(docs) >= 30
    for d in docs:
        assert set(d) == {"id", "text", "speaker_level", "quotes"} and d["speaker_level"] == "canonical"
        for q in d["quotes"]:
            assert d["text"][q["start"]:q["end"]] == q["text"] and q["kind"] in ("direct", "mixed", "indirect")


def test_no_wrong_person_named_on_the_fixture_set():
    """Of the quotes given a person's name that match a gold quote, every one names the right person."""
    named = right = 0
    for d in articles():
        found = find_quotes(d["text"])
        for g in d["quotes"]:
            for q in found:
                overlap = min(q["end"], g["end"]) - max(q["start"], g["start"])
                if overlap > 0.5 * (g["end"] - g["start"]) and q["speaker_kind"] == "person":
                    named += 1
                    right += any(_surname_match(q["speaker"], part) for part in g["speaker"].split(" and ")) \
                        or _surname_match(q["speaker"], g["speaker"])
    assert named >= 30 and right == named


def test_every_quote_has_a_speaker_kind_and_org():
    for d in articles():
        for q in find_quotes(d["text"]):
            assert q["speaker_kind"] in KINDS
            assert q["speaker_org"] is None or isinstance(q["speaker_org"], str)
            assert (q["speaker"] is None) == (q["speaker_kind"] == "unresolved")
            assert 0.0 <= q["confidence"] <= 1.0


def test_a_spokeswoman_for_an_organisation_is_that_description_not_the_scientist_named_before():
    text = ('Soil scientist Maren Kold tested the fields near Ostby.\n\n'
            '"The levels are safe," Kold said.\n\n'
            '"We will keep testing every month," a spokeswoman for the Ostby Water Board said.')
    q = the(find_quotes(text), "every month")
    assert q["speaker_kind"] == "description" and q["speaker"] == "a spokeswoman for the Ostby Water Board"
    assert q["speaker_org"] == "Ostby Water Board"


def test_the_company_in_a_description_is_the_company_named_before():
    text = ('Nordvik Foods Ltd recalled its fish cakes on Monday. Chemist Ola Strand found the fault.\n\n'
            '"Customers will get a full refund," a spokesman for the company said.')
    q = the(find_quotes(text), "refund")
    assert q["speaker_kind"] == "description" and q["speaker_org"] == "Nordvik Foods Ltd"
    assert "Strand" not in q["speaker"]


def test_the_office_said_is_never_a_person():
    text = ('Councillor Piet Laan asked for a new crossing.\n\n'
            '"It is dangerous every morning," Laan said.\n\n'
            'The office said the request would be studied.')
    for q in find_quotes(text):
        if "studied" in q["text"]:
            assert q["speaker_kind"] != "person"


def test_an_organisations_spokeswoman_is_not_the_ecologist_named_before():
    text = ('Ecologist Vera Lund counted the frogs.\n\n"There are fewer every year," Lund said.\n\n'
            '"The survey continues," the museum\'s spokeswoman said.')
    q = the(find_quotes(text), "survey continues")
    assert q["speaker_kind"] == "description" and "Lund" not in q["speaker"]


def test_a_description_before_a_name_gives_the_name():
    text = '"I built my first canoe at nine," says the self-taught Ada Brenner.'
    q = the(find_quotes(text), "first canoe")
    assert q["speaker"] == "Ada Brenner" and q["speaker_kind"] == "person"


def test_a_place_is_never_the_he():
    text = ('Dr. Ravi Menon runs a clinic on the coast.\n\n'
            'But if Nova Scotia returns to the old system, the clinic could close.\n\n'
            '"We would lose our doctors," he said.')
    assert the(find_quotes(text), "lose our doctors")["speaker"] == "Ravi Menon"


def test_an_unresolvable_pronoun_names_nobody():
    q = the(find_quotes('"The roof leaks every winter," she said.'), "roof leaks")
    assert q["speaker"] is None and q["speaker_kind"] == "unresolved" and q["speaker_id"] is None


def test_it_said_after_an_organisation_is_the_organisation():
    text = ('The ministry said on Monday that buses would run late.\n\n'
            'It said that the drivers were ill.')
    q = the(find_quotes(text), "drivers were ill")
    assert q["speaker"] is not None and "ministry" in q["speaker"].lower()


@pytest.mark.parametrize("text, fragment, speaker", [
    ('Dana Brook and Eli Stone argued at the gate.\n\n"It is closed," Dana Brook said.\n\n'
     '"It was open yesterday," Eli Stone said.\n\n"Not any more," Brook said.', "Not any more", "Dana Brook"),
    ('"The water came in fast," said farmer Omar Reid, 54.\n\n"We lost the barn," he said.', "barn", "Omar Reid"),
])
def test_dialogue_each_quote_closed_by_its_own_speaker(text, fragment, speaker):
    assert the(find_quotes(text), fragment)["speaker"] == speaker


# Round 2 of issue 28: each rule with a text where it applies and one where it must not.

def test_he_after_a_person_introduced_with_an_age_is_that_person():
    text = ('Tom Varga has run the Harlow gym for eleven years. He says membership doubled.\n\n'
            'Classes also produced results for Harlow baker Jon Eckert, 61. "I used to get out of breath," he says.')
    assert the(find_quotes(text), "out of breath")["speaker"] == "Jon Eckert"


def test_he_keeps_the_subject_when_the_person_named_after_is_not_introduced():
    text = ('Tom Varga has run the Harlow gym for eleven years. He thanked Jon Eckert for the loan.\n\n'
            '"We would have closed without it," he says.')
    assert the(find_quotes(text), "closed without it")["speaker"] == "Tom Varga"


def test_a_sentence_opening_with_a_person_introduces_a_quote_after_a_colon():
    text = ('The director, Dr. Paul Ostrow, says waiting times have fallen.\n\n'
            'Nadia Serra, the senior nurse, is more cautious: "We have the same number of nurses."')
    assert the(find_quotes(text), "same number")["speaker"] == "Nadia Serra"


def test_a_quote_after_the_narration_turned_to_a_woman_is_not_the_man_quoted_before():
    text = ('Mayor Karl Endres spoke on Monday. "The boats are full," he said.\n\n'
            'Lena Brook runs the cafe by the pier. She opens at six every day.\n\n'
            'Her worry is simple: the last boat leaves too early.\n\n'
            '"People cannot stay for dinner."')
    q = the(find_quotes(text), "stay for dinner")
    assert q["speaker"] != "Karl Endres" and q["speaker_kind"] == "unresolved"


def test_a_quote_without_cue_still_continues_its_speaker():
    text = 'Mayor Karl Endres spoke on Monday. "The boats are full," he said.\n\n"We need a second ferry."'
    assert the(find_quotes(text), "second ferry")["speaker"] == "Karl Endres"


@pytest.mark.parametrize("text, fragment, speaker, org", [
    ('Ruth Kemal with the Vessen Health Authority says there are many reasons for the delays.', "many reasons",
     "Ruth Kemal", "Vessen Health Authority"),
    ('Piet Dahl, Harlow MP, said he would raise the pipeline in parliament next week.', "pipeline", "Piet Dahl", None),
    ('Anya Roth, the co-founder with her brother of Roth Cheese, a dairy based in Eastholm, N.S., says exports had '
     'fallen by a quarter.', "exports", "Anya Roth", "Roth Cheese"),
    ('Nadia Jamil runs the programme. "It helped many of them," she said.\n\n'
     'For his part, Dan Moss, who still has the phone he was given, said he found a flat. On Oct. 1, he moved in.\n\n'
     '"It feels warm. Nobody can bother you."', "feels warm", "Dan Moss", None),
])
def test_the_person_is_found_past_appositions_and_organisations(text, fragment, speaker, org):
    q = the(find_quotes(text), fragment)
    assert (q["speaker"], q["speaker_kind"], q["speaker_org"]) == (speaker, "person", org)


def test_an_indefinite_description_named_right_after_is_that_person():
    text = ('A Harlow youth football coach says he is overwhelmed by the letters his team wrote for him.\n\n'
            'Marco Pell said the club would frame the letters.')
    assert the(find_quotes(text), "overwhelmed")["speaker"] == "Marco Pell"


@pytest.mark.parametrize("text", [
    # someone else named in between
    'A Harlow youth football coach says he is overwhelmed by the letters.\n\nHis captain, Ivo Berg, wrote most of '
    'them.\n\nMarco Pell said the club would frame them.',
    # a spokesperson is one of many who may speak for the organisation
    'A Harlow Rovers spokesman says the club is overwhelmed by the letters.\n\nMarco Pell said the club would frame '
    'them.',
])
def test_an_indefinite_description_keeps_its_words_when_the_name_after_is_not_sure(text):
    q = the(find_quotes(text), "overwhelmed")
    assert q["speaker_kind"] == "description" and "Pell" not in q["speaker"]


def test_kin_descriptions_and_their_named_appositions():
    text = ('Tom Lee runs a bakery in Harlow.\n\n"He never takes a day off," said Lee\'s partner, Mia Chen.\n\n'
            '"It\'s always been like this," said Lee\'s dad.')
    named, dad = the(find_quotes(text), "day off"), the(find_quotes(text), "always been")
    assert (named["speaker"], named["speaker_kind"], named["speaker_title"]) == ("Mia Chen", "person", "Lee's partner")
    assert (dad["speaker"], dad["speaker_kind"], dad["speaker_org"]) == ("Lee's dad", "description", None)


def test_two_people_named_together_are_both_and_later_quotes_one_of_them():
    text = ('Ana Ruiz and Tom Lee said the market would reopen on Friday.\n\n'
            '"We are ready," Ruiz said. "The stalls are built."')
    quotes = find_quotes(text)
    assert the(quotes, "reopen")["speaker"] == "Ana Ruiz and Tom Lee"
    assert the(quotes, "stalls")["speaker"] == "Ana Ruiz"


def test_an_inverted_cue_with_a_group_gives_the_group_as_written():
    text = ('Dr. Ana Solberg leads the trial.\n\n'
            '"The microbes break down the residue in weeks," said the researchers at the Alvera Research Centre.')
    q = the(find_quotes(text), "microbes")
    assert q["text"].startswith('"The microbes')
    assert (q["speaker"], q["speaker_kind"], q["speaker_org"]) == (
        "the researchers at the Alvera Research Centre", "description", "Alvera Research Centre")


def test_a_participle_cue_is_not_followed_by_its_subject():
    text = ('Senator Ruth Vale spoke on the radio.\n\n'
            '"We need answers," Vale said, suggesting a few questions, including, "Who paid for the bridge?"')
    assert the(find_quotes(text), "Who paid")["speaker"] == "Ruth Vale"


@pytest.mark.parametrize("text, fragment", [
    ('"I don\'t know any carmaker that makes money here," the lanky, bespectacled professor said.', "carmaker"),
    ('"There is a tried method in politics," University of the Harbour Valley political scientist Tom Reed said.',
     "tried method"),
])
def test_long_or_comma_separated_speakers_after_a_quote_are_found(text, fragment):
    assert the(find_quotes(text), fragment)["speaker"] in ("the lanky, bespectacled professor", "Tom Reed")


def test_rules_switched_off_for_ablation_are_restored():
    from transforms.analysis import quotes
    assert not quotes._OFF and len(quotes.RULES) == len(set(quotes.RULES))
