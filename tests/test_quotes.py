"""Unit tests for transforms.analysis.quotes.find_quotes, on fixture texts written for these tests."""

import random

import pytest

from transforms.analysis.quotes import DEFAULT_MIN_CONFIDENCE, find_quotes

KEYS = {"start", "end", "text", "speaker", "speaker_title", "speaker_start", "speaker_end", "cue", "kind",
        "sentence", "confidence", "speaker_id", "speaker_kind", "speaker_org", "speaker_confidence"}


def quote_with(quotes, fragment):
    """The one quote whose text contains fragment."""
    found = [q for q in quotes if fragment in q["text"]]
    assert len(found) == 1, (fragment, [q["text"] for q in quotes])
    return found[0]


def mention(text, q):
    return text[q["speaker_start"]:q["speaker_end"]]


def test_every_quote_has_the_documented_keys_and_consistent_offsets():
    text = ('Mayor Lena Okafor opened the new bridge on Friday.\n\n'
            '"This bridge ties the two halves of our town together," Okafor said.')
    quotes = find_quotes(text)
    assert quotes
    for q in quotes:
        assert set(q) == KEYS
        assert text[q["start"]:q["end"]] == q["text"]
        assert 0.0 <= q["confidence"] <= 1.0
        assert q["kind"] in ("direct", "mixed", "indirect")
        assert q["start"] >= 0 and q["end"] <= len(text)
    assert [q["start"] for q in quotes] == sorted(q["start"] for q in quotes)


def test_quote_then_surname_said_is_direct_and_resolves_to_full_name():
    text = ('Mayor Lena Okafor opened the new bridge on Friday.\n\n'
            '"This bridge ties the two halves of our town together," Okafor said.')
    q = quote_with(find_quotes(text), "This bridge")
    assert q["kind"] == "direct"
    assert q["text"] == '"This bridge ties the two halves of our town together,"'
    assert q["speaker"] == "Lena Okafor"
    assert mention(text, q) == "Okafor"
    assert q["cue"] == "said"
    assert q["sentence"].startswith('"This bridge')


def test_said_before_speaker_keeps_the_apposition_as_title():
    text = '"We expect delays until spring," said Tomas Reyes, a spokesman for the transit agency.'
    q = quote_with(find_quotes(text), "We expect delays")
    assert q["kind"] == "direct"
    assert q["speaker"] == "Tomas Reyes"
    assert q["speaker_title"] == "a spokesman for the transit agency"
    assert mention(text, q) == "Tomas Reyes"


def test_a_relative_clause_after_the_name_is_not_a_title():
    text = ('"The pier needs a new deck," said Olga Brandt, a civil engineer who surveyed it last year.\n'
            'Piet Maas, whose ferry service stopped in June, said he had lost most of his summer trade.')
    engineer = quote_with(find_quotes(text), "The pier needs")
    assert (engineer["speaker"], engineer["speaker_title"]) == ("Olga Brandt", "a civil engineer")
    ferryman = quote_with(find_quotes(text), "he had lost")
    assert (ferryman["speaker"], ferryman["speaker_title"]) == ("Piet Maas", None)


def test_role_written_before_the_name_becomes_the_title():
    text = 'Harbor authority director Ines Valdez said: "The port will reopen on Monday."'
    q = quote_with(find_quotes(text), "The port will reopen")
    assert q["kind"] == "direct"
    assert q["speaker"] == "Ines Valdez"
    assert q["speaker_title"] == "Harbor authority director"


def test_speaker_told_reporters_introduces_a_direct_quote():
    text = 'Council member Ada Brandt told reporters "the budget is balanced for the first time in years."'
    q = quote_with(find_quotes(text), "the budget is balanced")
    assert q["kind"] == "direct"
    assert q["speaker"] == "Ada Brandt"
    assert q["cue"] == "told"


def test_quote_split_by_the_cue_gives_two_spans_with_one_speaker():
    text = ('Farmer Joel Whitfield looked at the sky.\n\n'
            '"The rain came too late," he said, "and the harvest is half of what we hoped."')
    quotes = [q for q in find_quotes(text) if q["kind"] == "direct"]
    assert [q["text"] for q in quotes] == ['"The rain came too late,"',
                                            '"and the harvest is half of what we hoped."']
    assert {q["speaker"] for q in quotes} == {"Joel Whitfield"}
    assert mention(text, quotes[0]) == "he"


def test_uncued_quote_continues_the_previous_speaker():
    text = ('"The vote will be close," Senator Mara Quist said after the session. "But we will see."')
    quotes = find_quotes(text)
    follow = quote_with(quotes, "But we will see")
    assert follow["kind"] == "direct"
    assert follow["speaker"] == "Mara Quist"
    assert follow["cue"] is None


def test_multi_paragraph_quote_gives_one_span_per_paragraph_and_one_speaker():
    text = ('Engineer Paul Ostrander described the failure in detail.\n\n'
            '"The first valve stuck at dawn. Nobody noticed for an hour.\n\n'
            '"By then the pressure had doubled," Ostrander said.')
    quotes = [q for q in find_quotes(text) if q["kind"] == "direct"]
    assert len(quotes) == 2
    assert quotes[0]["text"] == '"The first valve stuck at dawn. Nobody noticed for an hour.'
    assert quotes[1]["text"] == '"By then the pressure had doubled,"'
    assert {q["speaker"] for q in quotes} == {"Paul Ostrander"}


def test_pronoun_resolves_to_the_person_of_matching_gender():
    text = ('Maria Lindqvist, the head of the union, met Peter Hale, the plant manager, on Tuesday.\n\n'
            '"We did not reach a deal," she said.')
    q = quote_with(find_quotes(text), "We did not reach")
    assert q["speaker"] == "Maria Lindqvist"
    assert mention(text, q) == "she"


def test_role_noun_resolves_to_the_person_introduced_with_that_role():
    text = ('Jonas Ferreira, spokesman for the fire department, described the blaze.\n\n'
            'Crews worked through the night.\n\n'
            '"Nobody was hurt," the spokesman said.')
    q = quote_with(find_quotes(text), "Nobody was hurt")
    assert q["speaker"] == "Jonas Ferreira"
    assert mention(text, q) == "the spokesman"


def test_news_organisation_can_be_the_speaker():
    text = 'The deal collapsed late on Sunday.\n\n"Talks are over for now," the Daily Ledger reported.'
    q = quote_with(find_quotes(text), "Talks are over")
    assert q["kind"] == "direct"
    assert "Daily Ledger" in q["speaker"]
    assert q["cue"] == "reported"


def test_according_to_attributes_the_quote():
    text = '"Prices will keep rising through the winter," according to Helga Brun, an economist at the bank.'
    q = quote_with(find_quotes(text), "Prices will keep rising")
    assert q["kind"] == "direct"
    assert "Helga Brun" in q["speaker"]
    assert q["cue"] == "according to"


def test_quoted_fragment_in_reported_speech_is_a_mixed_quote_over_the_clause():
    text = ('Inspector Rosa Albescu visited the flooded district.\n\n'
            'Albescu said the situation was "very serious" after the storm.')
    q = quote_with(find_quotes(text), "very serious")
    assert q["kind"] == "mixed"
    assert q["text"] == 'the situation was "very serious" after the storm'
    assert q["speaker"] == "Rosa Albescu"
    assert q["cue"] == "said"


def test_said_that_clause_is_an_indirect_quote():
    text = ('Coach Dana Whitlow spoke after the match.\n\n'
            'Whitlow said that the team would train twice a day before the final.')
    q = quote_with(find_quotes(text), "the team would train")
    assert q["kind"] == "indirect"
    assert q["text"] == "that the team would train twice a day before the final"   # PolNeAR keeps "that"
    assert q["speaker"] == "Dana Whitlow"


def test_reported_clause_ends_before_a_second_report():
    text = ('Coach Dana Whitlow spoke after the match.\n\n'
            'Whitlow said the squad had trained hard all season and insisted that nobody would be dropped.')
    q = quote_with(find_quotes(text, min_confidence=0.6), "the squad had trained")
    assert q["text"] == "the squad had trained hard all season"


def test_words_after_the_cue_that_are_an_adverbial_are_not_a_reported_clause():
    text = 'Mayor Lena Okafor said during a long interview on local radio on Monday.'
    assert find_quotes(text, min_confidence=0.0) == []


def test_confidence_is_per_construction_and_the_cut_off_can_be_lowered():
    text = ('Coach Dana Whitlow spoke after the match.\n\n'
            'Whitlow explained that the team would train twice a day, weather permitting, before the final.')
    assert find_quotes(text) == []   # "explained that" with a comma inside is below the default cut-off
    q = quote_with(find_quotes(text, min_confidence=0.6), "the team would train")
    assert q["kind"] == "indirect"
    assert 0.6 <= q["confidence"] < DEFAULT_MIN_CONFIDENCE
    direct = find_quotes('"We will win," said Coach Dana Whitlow.')[0]
    assert direct["confidence"] > q["confidence"]


@pytest.mark.parametrize("cue", ["said", "explained that"])
def test_a_clause_that_runs_plainly_to_its_sentence_end_is_more_confident(cue):
    intro = 'Coach Dana Whitlow spoke after the match.\n\n'
    clear = quote_with(find_quotes(f"{intro}Whitlow {cue} the team would train twice a day.", 0.6), "the team")
    with_joint = f"{intro}Whitlow {cue} the team would train twice a day, and the captain agreed."
    unclear = quote_with(find_quotes(with_joint, 0.6), "the team")
    assert clear["confidence"] >= DEFAULT_MIN_CONFIDENCE > unclear["confidence"]


def test_a_clause_joined_only_by_and_or_but_is_kept_whole_at_the_default_cut_off():
    intro = 'Coach Dana Whitlow spoke after the match.\n\n'
    indirect = quote_with(find_quotes(f"{intro}Whitlow said the pitch was poor and the fans deserved better."),
                          "the pitch")
    assert (indirect["kind"], indirect["text"]) == ("indirect", "the pitch was poor and the fans deserved better")
    mixed = quote_with(find_quotes(f'{intro}Whitlow said that the referee was "out of his depth" but the result stood.'),
                       "out of his depth")
    assert mixed["kind"] == "mixed"
    assert mixed["text"] == 'that the referee was "out of his depth" but the result stood'
    assert indirect["speaker"] == mixed["speaker"] == "Dana Whitlow"
    # The same words cut at a comma leave the clause's end in doubt: below the default cut-off.
    assert find_quotes(f"{intro}Whitlow said the pitch was poor, and the fans deserved better.") == []


def test_a_quote_with_several_sentences_stays_in_one_sentence():
    text = 'Ilse Vogt left the ward. "It was bad. Think of that," she said.'
    q = quote_with(find_quotes(text), "It was bad")
    assert q["text"] == '"It was bad. Think of that,"'
    assert q["sentence"] == '"It was bad. Think of that," she said.'
    assert q["speaker"] == "Ilse Vogt"


def test_one_or_two_word_scare_quotes_are_not_quotes():
    text = 'The so-called "smart" meters were installed across the "old town" last year.'
    assert find_quotes(text) == []


def test_unattributed_quotation_is_not_reported():
    text = 'The museum opened a show called "Light and Water in the Northern Towns" this week.'
    assert find_quotes(text) == []


@pytest.mark.parametrize("opening, closing", [("“", "”"), ("«", "»"), ("„", "“"), ('"', '"')])
def test_quote_mark_styles_are_recognised(opening, closing):
    text = f'{opening}We will rebuild the school by autumn,{closing} said Principal Anna Ferrant.'
    q = quote_with(find_quotes(text), "We will rebuild")
    assert q["kind"] == "direct"
    assert q["text"] == f"{opening}We will rebuild the school by autumn,{closing}"
    assert q["speaker"] == "Anna Ferrant"


def test_single_quotes_in_a_headline_are_quote_marks_but_apostrophes_are_not():
    text = "Minister Karl Dessen says 'the worst is over' for farmers in the '90s-style drought"
    quotes = find_quotes(text, min_confidence=0.6)
    assert len(quotes) == 1
    assert "'the worst is over'" in quotes[0]["text"]
    assert quotes[0]["speaker"] == "Karl Dessen"


def test_nested_quotes_stay_inside_the_outer_quote():
    text = '"When they shouted \'shame,\' I left the room," said Omar Lindgren.'
    quotes = find_quotes(text)
    assert len(quotes) == 1
    assert quotes[0]["text"] == '"When they shouted \'shame,\' I left the room,"'
    assert quotes[0]["speaker"] == "Omar Lindgren"


@pytest.mark.parametrize("text", [
    "", " ", "\n\n\n", '"', '“', '""', '“”', "'", "«", '" " " "', '"unclosed quote said he',
    "said said said", ": : :", "\x00\x01\ufeff", "he said,", '“a” “b” “c”', "—" * 50,
    '"Q," said', '"Q," according to', ', he said, "', "A" * 10000,
])
def test_never_raises_on_odd_input(text):
    quotes = find_quotes(text)
    assert isinstance(quotes, list)
    for q in quotes:
        assert text[q["start"]:q["end"]] == q["text"]


def test_never_raises_on_random_text_built_from_quote_marks_and_cue_words():
    rng = random.Random(7)
    pieces = ['"', "“", "”", "‘", "’", "'", "«", "»", "„", " said ", " he ", " the spokesman ", "Mr. Smith",
              ", ", ". ", ":", "\n\n", "according to ", "told reporters ", "Ann Lee", " that "]
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        for q in find_quotes(text):
            assert text[q["start"]:q["end"]] == q["text"]


def test_non_string_input_gives_no_quotes():
    assert find_quotes(None) == []
    assert find_quotes(b'"bytes," he said') == []


def test_long_article_is_handled():
    paragraph = ('"The plan is working," said Governor Elena Marsh. She said the state would add 300 jobs. '
                 'Critics called it "a gimmick for the cameras."\n\n')
    text = paragraph * 400
    quotes = find_quotes(text)
    assert len([q for q in quotes if q["kind"] == "direct"]) == 400
    assert all(text[q["start"]:q["end"]] == q["text"] for q in quotes)


def test_name_set_off_by_commas_before_the_cue_is_the_speaker():
    for text in ('In a statement, Piet Andersen, a spokesman for the port authority, said: "The cranes are safe."',
                 'The port\'s spokesman, Piet Andersen, said: "The cranes are safe."',
                 'Sen. Piet Andersen, R-Ore., said: "The cranes are safe."'):
        q = quote_with(find_quotes(text), "The cranes are safe")
        assert q["kind"] == "direct"
        assert q["speaker"] == "Piet Andersen", text


def test_participle_or_second_verb_takes_the_subject_of_the_sentence():
    for text in ('Mayor Ines Boulder praised the new bridge on Friday, saying, "It will change the valley."',
                 'Mayor Ines Boulder looked at the crowd and said, "It will change the valley."'):
        q = quote_with(find_quotes(text), "It will change the valley")
        assert q["kind"] == "direct"
        assert q["speaker"] == "Ines Boulder", text


def test_quote_right_after_its_cue_is_direct_whatever_follows():
    text = 'Ines Boulder said, "We will see," when asked whether the bridge would open in May.'
    q = quote_with(find_quotes(text), "We will see")
    assert q["kind"] == "direct"
    assert q["text"] == '"We will see,"'


def test_quote_after_a_colon_with_its_own_attribution_is_direct():
    text = 'The memo was blunt about the budget: "We cannot pay for the second tunnel," Ines Boulder wrote.'
    q = quote_with(find_quotes(text), "We cannot pay")
    assert q["kind"] == "direct"
    assert q["speaker"] == "Ines Boulder"


def test_attribution_makes_a_quote_whole_without_end_punctuation():
    text = '"The valley needs the bridge" Ines Boulder said after the vote.'
    q = quote_with(find_quotes(text), "The valley needs")
    assert q["kind"] == "direct"
    assert q["speaker"] == "Ines Boulder"


def test_plural_subject_with_a_base_form_verb_after_the_quote():
    text = '"The data do not support the plan," the two engineers conclude in their report.'
    q = quote_with(find_quotes(text), "The data do not")
    assert q["kind"] == "direct"
    assert q["cue"] == "conclude"


def test_curly_quotes_nested_in_straight_quotes_do_not_end_the_quote():
    text = '"The plan is not about “saving money” at all. It is about safety," Ines Boulder said.'
    q = quote_with(find_quotes(text), "The plan is not")
    assert q["text"] == '"The plan is not about “saving money” at all. It is about safety,"'


def test_opening_curly_mark_typed_as_a_closer():
    text = '“It is unusual,“ said Ines Boulder, an engineer. “We rarely see it.”'
    quotes = find_quotes(text)
    assert [q["text"] for q in quotes] == ["“It is unusual,“", "“We rarely see it.”"]
    assert all(q["speaker"] == "Ines Boulder" for q in quotes)


def test_that_before_a_time_noun_does_not_open_a_reported_clause():
    text = 'Ines Boulder announced that same day a plan for the new bridge over the river.'
    assert find_quotes(text, min_confidence=0.6) == []


def test_speaker_of_a_place_is_named_without_the_place():
    text = '"The river is rising," said Ines Boulder of Vermont, a hydrologist.'
    assert quote_with(find_quotes(text), "The river")["speaker"] == "Ines Boulder"


def test_doubled_consonant_cue_inflection():
    text = '"I was nervous," Ines Boulder admitted.'
    assert quote_with(find_quotes(text), "I was nervous")["cue"] == "admitted"


def test_a_cue_that_introduces_a_quote_finds_its_speaker_across_an_aside():
    text = ('Senator Mara Quell spoke to the committee on Tuesday.\n\n'
            'But Sen. Mara Quell (D-Ore.), noting the size of the deficit, said, "We cannot wait another year."')
    q = quote_with(find_quotes(text), "We cannot wait")
    assert q["kind"] == "direct"
    assert q["speaker"] == "Mara Quell"
    assert q["cue"] == "said"


def test_what_a_speaker_vowed_to_do_is_an_indirect_quote():
    text = ('Mayor Lena Okafor toured the harbour.\n\n'
            'Okafor vowed on Monday to rebuild every pier before the winter storms.')
    q = quote_with(find_quotes(text), "rebuild every pier")
    assert q["kind"] == "indirect"
    assert q["text"] == "to rebuild every pier before the winter storms"   # PolNeAR keeps "to"
    assert q["speaker"] == "Lena Okafor"
    assert q["cue"] == "vowed"


def test_a_participle_cue_reports_for_the_subject_of_its_sentence():
    text = ('Governor Ines Marlow spoke in the capital.\n\n'
            'Marlow defended the budget on Tuesday, adding that the state would keep paying teachers '
            '"whatever the markets say."')
    q = quote_with(find_quotes(text, min_confidence=0.6), "whatever the markets")
    assert q["kind"] == "mixed"
    assert q["speaker"] == "Ines Marlow"
    assert q["cue"] == "adding"


def test_mixed_quotes_can_be_spanned_as_the_quoted_words_alone():
    text = ('Inspector Rosa Albescu visited the flooded district.\n\n'
            'Albescu said the damage was "very serious" and the repairs "urgent, and overdue."')
    clause = quote_with(find_quotes(text, 0.6), "very serious")
    assert clause["text"].startswith("the damage")
    quoted = [q for q in find_quotes(text, 0.6, mixed_spans="quoted") if q["kind"] == "mixed"]
    assert [q["text"] for q in quoted] == ['"very serious"', '"urgent, and overdue."']
    assert {q["speaker"] for q in quoted} == {"Rosa Albescu"}
    assert all(text[q["start"]:q["end"]] == q["text"] for q in quoted)
    with pytest.raises(ValueError, match="mixed_spans"):
        find_quotes(text, mixed_spans="words")


def test_the_seed_article_gives_all_16_quotes_with_speaker_and_kind_in_the_quoted_words_convention():
    import json
    import sys

    from tests.conftest import shared_path
    gold_path = shared_path("data", "seed_gold.jsonl")
    sys.path.insert(0, shared_path("eval"))
    import score_quotes
    gold = score_quotes.load_gold(gold_path)
    for doc in gold.values():
        found = find_quotes(doc["text"], min_confidence=0.75, mixed_spans="quoted")
        preds = [{"span": score_quotes.norm_span(doc["text"], q["start"], q["end"]), "kind": q["kind"],
                  "speaker": q["speaker"] or "", "speaker_span": (q["speaker_start"], q["speaker_end"])}
                 for q in found]
        matched = score_quotes.greedy_match(doc["quotes"], preds, "iou")
        right = [gi for gi, pi in matched if preds[pi]["kind"] == doc["quotes"][gi]["kind"]
                 and score_quotes.speaker_ok(doc["level"], doc["quotes"][gi], preds[pi])]
        # "A Syrian opposition politician said ... He said ... ¶ "Q," George Sabra told Reuters": the
        # description is the person named right after it (see test_a_description_named_right_after_...).
        assert len(doc["quotes"]) == 16 and len(right) == 16, json.dumps(found, indent=1)[:2000]


@pytest.mark.parametrize("text", [
    'After meeting Tom Brandt, the senator, noting the size of the deficit, said, "We cannot wait."',
    'Under pressure from investors, the company, citing new data, said, "It works."',
    'World War I ended, and the senator, noting the date, said, "It was long."',
    'The senator spoke on Tuesday, adding that the bill "ignores the poor."',
])
def test_no_speaker_is_guessed_from_a_word_that_does_not_open_the_sentence_as_its_subject(text):
    assert find_quotes(text, min_confidence=0.6) == []


def test_a_promise_verb_before_a_prepositional_to_is_not_a_promise():
    intro = 'Mayor Lena Okafor spoke.\n\n'
    q = quote_with(find_quotes(f"{intro}Okafor vowed to the crowd that taxes would fall next year."), "taxes")
    assert q["text"] == "that taxes would fall next year"
    assert find_quotes(f"{intro}Okafor pledged to the voters of the harbour district a new pier.", 0.6) == []


def test_quoted_words_inside_two_clauses_are_reported_once_for_the_inner_speaker():
    text = ('Mayor Lena Okafor and Dan Jones spoke.\n\n'
            'Okafor called the plan "a disaster" and said that Jones called it "dire".')
    quoted = find_quotes(text, 0.6, mixed_spans="quoted")
    assert [(q["text"], q["speaker"]) for q in quoted] == [('"a disaster"', "Lena Okafor"), ('"dire"', "Dan Jones")]


# ---------------------------------------------------------------- canonical speakers (salience, roles, owners)

def speaker_of(text, fragment):
    return quote_with(find_quotes(text), fragment)["speaker"]


def test_a_pronoun_follows_the_subject_just_named_not_the_last_quoted_speaker():
    text = ('"The harbour needs dredging," said Mayor Lena Okafor.\n\n'
            'Mr. Tomas Ferreira, who runs the ferry, said the delays cost him customers every week.\n\n'
            '"We lose a sailing a day when the tide is low," he said.')
    assert speaker_of(text, "sailing") == "Tomas Ferreira"


def test_a_pronoun_skips_a_subject_of_the_other_gender():
    text = ('Councillor Grace Mbeki opened the hearing.\n\n'
            'Ferreira told the panel the ferry would stop in winter.\n\n'
            '"We cannot plan a season like this," she said.')
    assert speaker_of(text, "season") == "Grace Mbeki"


def test_a_quote_paragraph_without_a_cue_belongs_to_the_person_just_reported_speaking():
    text = ('"Rents keep rising," said tenant organiser Ravi Menon.\n\n'
            'Housing Minister Carla Duarte says her office is drafting new rules.\n\n'
            '"We expect to publish them before the summer."')
    assert speaker_of(text, "publish them") == "Carla Duarte"


def test_a_description_is_the_person_just_named():
    text = ('Arlo Finch has taught in the valley for forty years.\n\n'
            '"Every child here learns to swim," says the retired teacher.')
    assert speaker_of(text, "swim") == "Arlo Finch"


def test_an_organisation_noun_and_it_are_the_organisation_reported_before():
    text = ('Brightwell Energy said on Monday that it would close two plants.\n\n'
            '"The decision was not taken lightly," the company said in a statement.\n\n'
            '"We will support every worker," it said.')
    assert speaker_of(text, "lightly") == "Brightwell Energy"
    assert speaker_of(text, "every worker") == "Brightwell Energy"


def test_a_statement_speaks_for_its_owner():
    text = ('Health Minister Carla Duarte announced the closure of two clinics on Friday.\n\n'
            '"This was a difficult choice," her statement read.')
    assert speaker_of(text, "difficult") == "Carla Duarte"


def test_a_place_or_employer_before_a_name_is_not_part_of_it():
    text = '"We will be back next season," said Harlow\'s Bo Lindqvist after the match.'
    assert speaker_of(text, "next season") == "Bo Lindqvist"


def test_a_titled_one_word_name_is_a_person():
    text = ('Hereditary Chief Tenaks said the camp would stay.\n\n'
            '"We are not going anywhere," he said.')
    assert speaker_of(text, "anywhere") == "Tenaks"


def test_two_people_of_one_surname_keep_their_own_names():
    text = ('Dana Oduya and her husband Felix Oduya run the bakery.\n\n'
            '"We open at five," Felix Oduya said.\n\n'
            '"And we close when the bread runs out," Dana Oduya said.')
    quotes = find_quotes(text)
    assert quote_with(quotes, "five")["speaker"] == "Felix Oduya"
    assert quote_with(quotes, "bread")["speaker"] == "Dana Oduya"
    assert quote_with(quotes, "five")["speaker_id"] != quote_with(quotes, "bread")["speaker_id"]


def test_link_lines_and_photo_captions_hold_no_quotes():
    text = ('The council met on Tuesday.\n\n'
            'READ MORE: Mayor Lena Okafor says the ferry will run all winter\n\n'
            'Mayor Lena Okafor said the budget would be balanced by spring. (Ivo Marsh/Harlow Gazette)\n\n'
            '"We kept our promise," Okafor said.')
    assert [q["text"] for q in find_quotes(text, 0.6)] == ['"We kept our promise,"']


def test_single_words_in_quotes_without_a_cue_are_terms_not_quotes():
    text = ('"We kept our promise," Okafor said.\n\n'
            'Other words on the list are "synergy," "pivot," "circle back" and "bandwidth."')
    assert [q["text"] for q in find_quotes(text)] == ['"We kept our promise,"']


def test_a_place_is_never_what_he_or_she_refers_to():
    text = ('Ravi Menon has farmed in Upper Vale for thirty years.\n\n'
            'Upper Vale lost half its orchards to the frost.\n\n'
            '"I have never seen a spring like it," he said.')
    assert speaker_of(text, "spring like it") == "Ravi Menon"


def test_a_name_inside_a_quotation_is_not_the_article_subject():
    text = ('Dana Oduya, who runs the bakery, said the flour price had doubled.\n\n'
            '"Felix Oduya warned us in March," her statement read.')
    assert speaker_of(text, "warned us") == "Dana Oduya"


def test_a_pronoun_after_according_to_a_long_role_and_name_is_that_person():
    text = ('"The numbers are wrong," said Mayor Lena Okafor.\n\n'
            'The plan may have been sold on the wrong grounds, according to former Harlow Port Authority '
            'chair Ivo Brandt.\n\n'
            '"We promised jobs and built car parks," he said.')
    assert speaker_of(text, "car parks") == "Ivo Brandt"


def test_a_phrase_after_a_preposition_before_a_colon_is_not_a_speaker():
    text = ('"We will reopen in May," Arlo Finch said. Then, after a pause: "Maybe June."')
    assert speaker_of(text, "June") == "Arlo Finch"


def test_a_name_inside_an_apposition_is_not_a_subject():
    text = ('Ravi Menon, who founded Blue Heron Works, a boat builder in the harbour, says orders have doubled.\n\n'
            '"We cannot hire fast enough," he said.')
    assert speaker_of(text, "hire fast") == "Ravi Menon"


def test_a_person_in_a_photo_caption_is_not_what_a_pronoun_refers_to():
    text = ('Arlo Finch says the harbour wall will not survive another winter.\n\n'
            'Ivo Brandt, a retired engineer, looks at the wall in March. ( HARLOW GAZETTE FILE PHOTO )\n\n'
            '"It is older than the town hall," he says.')
    assert speaker_of(text, "town hall") == "Arlo Finch"


def test_his_office_speaks_for_him():
    text = ('Premier Tomas Ferreira did not attend the vote on Thursday.\n\n'
            '"The premier was meeting flood victims," his office said in a statement.')
    assert speaker_of(text, "flood victims") == "Tomas Ferreira"


def test_an_inverted_attribution_makes_its_speaker_salient_but_a_written_title_does_not():
    text = ('"We will rebuild," said Mayor Lena Okafor.\n\n'
            'The bakery will reopen in a month, adds Dana Oduya. "We can borrow the money," she says.\n\n'
            'Dana Oduya also co-wrote Baking With Lena, a book of harbour recipes. "It sold out twice," she says.')
    quotes = find_quotes(text)
    assert quote_with(quotes, "borrow")["speaker"] == "Dana Oduya"
    assert quote_with(quotes, "sold out")["speaker"] == "Dana Oduya"


def test_they_after_two_people_named_together_is_both():
    text = ('"The pier is safe," said Mayor Lena Okafor.\n\n'
            'Ana Ruiz and Tom Lee said they had watched the pier crack all summer.\n\n'
            '"Nobody came to look at it," they said.')
    assert speaker_of(text, "Nobody came") == "Ana Ruiz and Tom Lee"


def test_it_as_an_object_does_not_make_a_person_an_organisation():
    text = ('Olive grower Beatriz Sola said she would try it on more of her land next year.\n\n'
            'The centre said the microbes were harmless to people and animals.')
    assert [q["speaker"] for q in find_quotes(text) if "microbes" in q["text"]] in ([], ["centre"], ["The centre"], ["the centre"])


def test_a_reported_clause_closed_by_its_source_is_whole():
    """', according to the Herald' after a reported clause names where the report comes from, as
    ', he said' names the speaker: the clause is kept at the default confidence, its speaker the
    subject of the cue."""
    text = ('Councillor Mira Osei conceded to colleagues in private that the ferry budget would not balance, '
            'according to the Harbour Herald. Still, she said she would present it on Monday.')
    found = {q["text"]: q for q in find_quotes(text)}
    clause = found["that the ferry budget would not balance"]
    assert (clause["kind"], clause["speaker"]) == ("indirect", "Mira Osei")


def test_a_clause_that_opens_its_sentence_and_is_closed_by_its_cue_is_reported_speech():
    """'CLAUSE, she said.' reports CLAUSE as 'She said CLAUSE.' does; the speaker is resolved as any
    subject ('she' -> the person just named); a longer tail than a short adverbial is another shape."""
    text = ('Councillor Mira Osei spent the winter on the ferry question.\n\n'
            'The crossing will run until March whatever the budget brings, she said on Monday.\n\n'
            'The harbour is quiet now, she said, and the gulls have gone south for the winter.')
    found = {q["text"]: q for q in find_quotes(text)}
    clause = found["The crossing will run until March whatever the budget brings"]
    assert (clause["kind"], clause["speaker"]) == ("indirect", "Mira Osei")
    assert not any(t.startswith("The harbour is quiet now") for t in found)
