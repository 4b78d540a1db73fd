"""Unit tests for transforms.analysis.figures. Every fixture sentence here was written for these tests."""

import random

import pytest

from transforms.analysis.figures import find_figures

KEYS = {"start", "end", "raw", "value", "low", "high", "kind", "unit", "object", "object_start", "object_end",
        "qualifier", "approximate", "change", "sentence"}


def only(text: str) -> dict:
    figures = find_figures(text)
    assert len(figures) == 1, figures
    return figures[0]


def values(text: str) -> list:
    return [f["value"] if f["value"] is not None else (f["low"], f["high"]) for f in find_figures(text)]


# ---------------------------------------------------------------- output shape

def test_every_figure_has_exactly_the_documented_keys_and_a_consistent_span():
    text = "Officials said some 12,500 residents fled, and the repairs will cost $3.4 billion."
    figures = find_figures(text)
    assert len(figures) == 2
    for figure in figures:
        assert set(figure) == KEYS
        assert text[figure["start"]:figure["end"]] == figure["raw"]
        assert figure["sentence"] == text


def test_figures_are_sorted_by_start_and_carry_their_own_sentence():
    text = "The ferry carried 240 passengers. It was 35 metres long and cost £8m."
    figures = find_figures(text)
    assert [f["start"] for f in figures] == sorted(f["start"] for f in figures)
    assert figures[0]["sentence"] == "The ferry carried 240 passengers."
    assert figures[-1]["sentence"] == "It was 35 metres long and cost £8m."


def test_text_without_numbers_gives_no_figures():
    assert find_figures("The minister spoke at length about the harbour.") == []
    assert find_figures("") == []


# ---------------------------------------------------------------- counts and objects

def test_hedged_count_keeps_the_counted_noun_and_approximate_qualifier():
    figure = only("Some 300,000 civilians remain trapped in the eastern districts.")
    assert (figure["value"], figure["kind"], figure["unit"]) == (300000, "count", None)
    assert figure["object"] == "civilians"
    assert figure["qualifier"] == "approximate" and figure["approximate"] is True


def test_an_estimated_count_is_approximate():
    figure = only("The flooding has displaced an estimated 400,000 people this spring.")
    assert figure["value"] == 400000 and figure["object"] == "people" and figure["qualifier"] == "approximate"


def test_multiword_counted_noun_phrase_stops_before_the_verb():
    figure = only("A convoy of 20 aid trucks was waiting at the border.")
    assert figure["value"] == 20 and figure["object"] == "aid trucks" and figure["qualifier"] == "exact"


def test_more_than_gives_a_lower_bound():
    figure = only("More than 1,000 soldiers crossed the river overnight.")
    assert figure["value"] == 1000 and figure["qualifier"] == "more_than" and figure["object"] == "soldiers"


@pytest.mark.parametrize("text, qualifier", [
    ("At least 45 passengers were hurt.", "at_least"),
    ("Fewer than 30 firms applied.", "less_than"),
    ("The hall seats up to 900 guests.", "at_most"),
    ("Around 60 volunteers turned up.", "approximate"),
    ("Exactly 17 boats returned.", "exact"),
])
def test_qualifier_words_before_a_count(text, qualifier):
    assert only(text)["qualifier"] == qualifier


def test_number_words_with_hyphens_are_read():
    figure = only("The club signed twenty-two players in the summer.")
    assert figure["value"] == 22 and figure["object"] == "players"


def test_a_dozen_is_twelve():
    figure = only("Police arrested a dozen protesters near the embassy.")
    assert figure["value"] == 12 and figure["object"] == "protesters"


def test_compound_number_words_with_scale():
    assert only("Organisers expect three thousand runners.")["value"] == 3000
    assert only("The fund raised two hundred and fifty donations.")["value"] == 250


def test_one_with_a_singular_noun_is_a_count():
    figure = only("Only one bridge survived the storm.")
    assert figure["value"] == 1 and figure["object"] == "bridge"


def test_pronoun_one_is_not_a_figure():
    assert find_figures("No one expected the vote to pass, and each one of them said so.") == []


def test_one_of_the_takes_the_noun_after_of():
    figure = only("It was one of the worst droughts on record.")
    assert figure["value"] == 1 and "droughts" in figure["object"]


# ---------------------------------------------------------------- vague amounts

def test_tens_of_thousands_is_a_vague_range():
    figure = only("Tens of thousands of workers marched through the capital.")
    assert (figure["low"], figure["high"]) == (10000, 99999)
    assert figure["qualifier"] == "vague" and figure["approximate"] is True
    assert figure["object"] == "workers"


def test_millions_of_refugees_is_vague_from_one_million():
    figure = only("The war has displaced millions of refugees.")
    assert figure["value"] == 1e6 and figure["low"] == 1e6 and figure["high"] > 1e6
    assert figure["object"] == "refugees" and figure["qualifier"] == "vague"


def test_vague_amount_of_money_takes_the_currency():
    figure = only("The fraud cost investors hundreds of millions of dollars.")
    assert figure["kind"] == "money" and figure["unit"] == "USD" and figure["low"] == 1e8


def test_plural_scale_word_without_of_is_not_a_figure():
    assert find_figures("Supporters came by the thousands.") == []


# ---------------------------------------------------------------- money

@pytest.mark.parametrize("text, value, unit", [
    ("The bridge will cost $1.2 billion.", 1.2e9, "USD"),
    ("Investors pledged US$45 million.", 45e6, "USD"),
    ("The club paid €40m for the striker.", 40e6, "EUR"),
    ("Tickets cost £15 each.", 15, "GBP"),
    ("The bank lent ¥300bn to exporters.", 300e9, "JPY"),
    ("The deal is worth EUR 2.5 billion.", 2.5e9, "EUR"),
    ("The company earned 4.2 million Canadian dollars.", 4.2e6, "CAD"),
    ("She was fined 5,000 euros.", 5000, "EUR"),
    ("The licence costs A$99 a year.", 99, "AUD"),
    ("The licence costs A$99 per year.", 99, "AUD/year"),
    ("The firm was valued at 12 billion yuan.", 12e9, "CNY"),
])
def test_money_with_symbols_codes_and_words(text, value, unit):
    figure = only(text)
    assert figure["kind"] == "money" and figure["value"] == pytest.approx(value) and figure["unit"] == unit


def test_cents_and_pence_stay_in_their_subunit():
    assert [(f["value"], f["unit"]) for f in find_figures("Shares rose 12 cents, then 4p.")] == \
        [(12, "cent"), (4, "pence")]


def test_price_per_unit_is_a_rate():
    figure = only("Crude traded at $71.40 per barrel on Monday.")
    assert figure["value"] == 71.4 and figure["unit"] == "USD/bbl"


def test_a_million_dollar_house():
    figure = only("They bought a million dollar house.")
    assert figure["value"] == 1e6 and figure["unit"] == "USD"


# ---------------------------------------------------------------- percentages and changes

@pytest.mark.parametrize("text", ["Turnout was 3.5%.", "Turnout was 3.5 per cent.", "Turnout was 3.5 percent.",
                                  "Turnout was 3.5pc."])
def test_percent_spellings_normalise_to_the_percent_sign(text):
    figure = only(text)
    assert (figure["value"], figure["unit"], figure["kind"]) == (3.5, "%", "percent")


def test_percentage_points_are_their_own_unit():
    figure = only("The party's lead narrowed by 2.5 percentage points.")
    assert figure["unit"] == "pp" and figure["kind"] == "percentage_point" and figure["change"] == "down"


@pytest.mark.parametrize("text, change", [
    ("Exports rose 3% in March.", "up"),
    ("The index fell by 200 points.", "down"),
    ("Sales were up about 19 per cent.", "up"),
    ("Shares slid 0.8% before the bell.", "down"),
    ("The FTSE gained +0.4% by noon.", "up"),
])
def test_change_direction(text, change):
    assert only(text)["change"] == change


def test_a_level_after_a_change_is_not_itself_a_change():
    rise, level = find_figures("Profit rose 8% to $2.1 billion.")
    assert rise["change"] == "up" and level["change"] is None and level["value"] == 2.1e9


# ---------------------------------------------------------------- fractions, ordinals, multiples

def test_two_thirds_of_voters_is_a_fraction_with_an_object():
    figure = only("Nearly two-thirds of voters backed the plan.")
    assert figure["kind"] == "fraction" and figure["value"] == pytest.approx(2 / 3)
    assert figure["object"] == "voters"


def test_half_of_and_one_in_three():
    assert only("Half of the staff work remotely.")["value"] == 0.5
    figure = only("One in three adults reads the paper.")
    assert figure["value"] == pytest.approx(1 / 3) and figure["object"] == "adults"


def test_half_a_million_is_a_count():
    assert only("Half a million tourists visited.")["value"] == 500000


def test_fraction_of_a_unit_is_a_measure():
    figure = only("The final climb was a quarter of a mile.")
    assert figure["value"] == 0.25 and figure["unit"] == "mi"


def test_ordinals_that_count_a_period_are_figures():
    figure = only("The drought is now in its sixth year.")
    assert (figure["value"], figure["kind"], figure["object"], figure["unit"]) == (6, "ordinal", "year", None)
    assert only("She is seeking a third term.")["value"] == 3
    assert only("The team lost for the fifth straight game.")["object"] == "game"


def test_ordinals_that_only_rank_are_not_figures():
    assert find_figures("The first convoy left before the second convoy arrived.") == []


def test_times_is_a_multiple_without_unit():
    figure = only("The shares trade at 14 times earnings.")
    assert figure["kind"] == "multiple" and figure["unit"] is None and figure["value"] == 14


# ---------------------------------------------------------------- measures, ages, durations

@pytest.mark.parametrize("text, value, unit", [
    ("The queue stretched 5 km.", 5, "km"),
    ("The parcel weighed 2.3kg.", 2.3, "kg"),
    ("The tower is 330 metres tall.", 330, "m"),
    ("Winds reached 120mph.", 120, "mph"),
    ("The car tops out at 250 km/h.", 250, "km/h"),
    ("It was 41C in the shade.", 41, "degC"),
    ("The plant produces 600 megawatts.", 600, "MW"),
    ("The flat covers 85 sq m.", 85, "m2"),
    ("The farm spans 300 hectares.", 300, "ha"),
    ("The battery holds 5,000mAh.", 5000, "mAh"),
    ("The boat is 40 feet long.", 40, "ft"),
    ("The field produces 52,000 barrels a day.", 52000, "bbl/day"),
])
def test_measures_have_normalised_units(text, value, unit):
    figure = only(text)
    assert figure["value"] == value and figure["unit"] == unit and figure["kind"] == "measure"


def test_pounds_are_money_with_a_scale_and_weight_without():
    assert only("The club spent 30 million pounds.")["unit"] == "GBP"
    assert only("He lost 20 pounds over the winter.")["unit"] == "lb"


def test_ages():
    figure = only("A 34-year-old man was arrested.")
    assert (figure["value"], figure["kind"], figure["unit"]) == (34, "age", "year")
    assert only("The rocks are 400 million years old.")["value"] == 4e8


def test_durations():
    figure = only("He was jailed for three years.")
    assert (figure["value"], figure["kind"], figure["unit"]) == (3, "duration", "year")


def test_hyphenated_duration_used_as_an_adjective_is_a_duration_about_its_unit():
    figure = only("The firm signed a five-year deal with the league.")
    assert (figure["value"], figure["unit"], figure["object"]) == (5, "year", "year")


def test_negative_numbers():
    assert only("Overnight it fell to minus 12 degrees Celsius.")["value"] == -12
    assert only("The team finished on -5 yards.")["value"] == -5


# ---------------------------------------------------------------- ranges

@pytest.mark.parametrize("text, low, high, unit", [
    ("Speeds of 15-22 mph were recorded.", 15, 22, "mph"),
    ("The tank holds 40–55 litres.", 40, 55, "l"),
])
def test_hyphenated_ranges_have_low_and_high(text, low, high, unit):
    figure = only(text)
    assert figure["value"] is None and (figure["low"], figure["high"]) == (low, high)
    assert figure["unit"] == unit


@pytest.mark.parametrize("text, first, second, unit", [
    ("Between 10 and 20 people were hurt.", 10, 20, None),
    ("Prices range from $370,000 to $5.5 million.", 370000, 5.5e6, "USD"),
    ("Analysts expect $89 to $93 billion.", 89e9, 93e9, "USD"),
    ("There were 1 to 2 thousand people.", 1000, 2000, None),
    ("About six to seven thousand fans came.", 6000, 7000, None),
    ("The repairs take three or four weeks.", 3, 4, "week"),
    ("Fees rose from 5 to 7 per cent.", 5, 7, "%"),
])
def test_a_range_in_words_is_two_figures_the_first_borrowing_unit_and_scale(text, first, second, unit):
    figures = find_figures(text)
    assert [f["value"] for f in figures] == [first, second]
    assert [f["unit"] for f in figures] == [unit, unit]


def test_separate_values_joined_by_to_after_a_change_are_not_a_range():
    assert values("Revenue climbed 4% to 9% of the market.") == [4, 9]


def test_a_poll_result_read_high_to_low_is_two_values_not_a_range():
    assert values("The mayor leads her rival 46 percent to 42 percent.") == [46, 42]


# ---------------------------------------------------------------- things that are not figures

@pytest.mark.parametrize("text", [
    "The treaty was signed on September 14, 2016.",
    "The unrest began in March 2011.",
    "Voting closes on 8 July.",
    "The meeting starts at 10:30 a.m. on Monday.",
    "The train leaves at 5pm.",
    "Call 0800 555 0199 or (212) 555-1234 for details.",
    "She lives at 42 Harbour Road in the old town.",
    "The shop is at 9 E 71st St.",
    "Reference No. 4471 was cited in the ruling.",
    "He wore the number 10 shirt.",
    "Game 7 is on Sunday.",
    "The new iPhone 15 went on sale.",
    "The S&P 500 closed higher.",
    "The side won 2-0 at home.",
    "In 1998 the plant closed.",
    "Inflation was a problem in the 1970s.",
    "The COVID-19 rules ended.",
    "The F-16 jets flew over.",
    "Unemployment stayed high through mid-2019.",
    "The postcode is M21 9AB.",
    "He visited the 90210 ZIP Code.",
    "The survey ran September 16-19 across the state.",
    "See the post with id 1183499116076687360 for details.",
])
def test_not_figures(text):
    assert find_figures(text) == []


def test_list_enumerations_are_not_figures():
    text = "Steps:\n1. Open the valve.\n2) Close the door.\n(3) Wait."
    assert find_figures(text) == []


def test_byline_age_is_not_a_figure_but_a_named_persons_age_in_text_is():
    assert find_figures("By Jane Porter, 41\nThe council met on Tuesday.") == []
    figure = only("The coach, Ray Dunmore, 66, said the team was ready.")
    assert (figure["value"], figure["kind"], figure["unit"]) == (66, "age", "year")


def test_year_with_a_qualifier_is_a_count():
    assert only("More than 1500 delegates attended.")["value"] == 1500


# ---------------------------------------------------------------- robustness

FRAGMENTS = ["$", "€", "£", "1,000", "3.5", "%", " per cent", "two-thirds", " of ", "million", "m", "bn", "-",
             "–", " to ", "between ", " and ", "a ", "dozen", "tens", "thousands", "sixth", " year", ":", "/",
             "12", "0", ".", ",", "(", ")", "\n", "No.", "Game ", "minus", "~", "+", "½", "×10", "−3", "PS", "Y=",
             "US", " a ", "barrel", "years old", "half", "one", " in ", "three", "'s", "pm", "p", "k", "x", " "]


def test_never_raises_on_random_fragments():
    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(0, 14)))
        for figure in find_figures(text):
            assert text[figure["start"]:figure["end"]] == figure["raw"]


@pytest.mark.parametrize("text", ["\x00", "9" * 5000, "1," * 2000, "$" * 100 + "5", "½½½", "٣٤٥", "𝟙𝟚",
                                  "1e309", "10^-400", "1.99×10−400 kg", "a " * 3000 + "dozen"])
def test_never_raises_on_odd_input(text):
    assert isinstance(find_figures(text), list)


def test_non_string_input_gives_no_figures():
    assert find_figures(None) == []


@pytest.mark.parametrize("text, value, unit", [
    ("Les travaux ont coûté 1,8 million d'euros.", 1.8e6, "EUR"),
    ("About 2,5 billion people live there.", 2.5e9, None),
    ("It cost $1,250 million.", 1.25e9, "USD"),
])
def test_a_decimal_comma_before_a_scale_word_is_a_decimal_point(text, value, unit):
    [figure] = find_figures(text)
    assert figure["value"] == pytest.approx(value) and figure["unit"] == unit


def test_a_comma_between_small_numbers_elsewhere_still_separates_them():
    assert [f["value"] for f in find_figures("They had 1,2 and 3 children.")] == [1, 2, 3]


def test_a_bare_number_takes_the_unit_after_a_range_or_of_the_amount_it_is_part_of():
    assert [f["unit"] for f in find_figures("Ranges grew from 300-350 km to 420 in a decade.")][:2] == ["km", "km"]
    assert [f["unit"] for f in find_figures("They have paid 40 million of the 90 million euros owed.")] == \
        ["EUR", "EUR"]


def test_an_ordinal_in_a_run_counts_its_noun():
    assert [(f["value"], f["object"]) for f in find_figures("It was her 14th race win of the season.")] == \
        [(14, "race win")]
    assert [(f["value"], f["object"]) for f in find_figures("They lost a sixth match in a row.")] == [(6, "match")]


def test_and_joins_number_words_only_after_a_scale_word():
    assert values("Between four and five thousand people marched.") == [4000, 5000]
    assert values("Two hundred and fifty people came.") == [250]
    assert values("It took four and a half hours.") == [4.5]


def test_bil_and_bln_are_billions():
    assert values("The deal values the firm at RM2.3bil.") == [2.3e9]


# ---------------------------------------------------------------- suspended hyphens, "now-" before a number

def test_numbers_left_on_a_hyphen_share_the_unit_or_noun_of_the_last_one():
    figures = find_figures("The range offers two-, three- and four-door bodies.")
    assert [(f["value"], f["object"]) for f in figures] == [(2, "door bodies"), (3, "door bodies"), (4, "door bodies")]
    figures = find_figures("Trainees pick a 10- or 14-week course.")
    assert [(f["value"], f["unit"], f["kind"]) for f in figures] == [(10, "week", "duration"), (14, "week", "duration")]
    assert [f["raw"] for f in figures] == ["10-", "14-week"]


def test_a_number_after_now_or_then_and_a_hyphen_is_read():
    figure = only("She moved in with her now-7 month-old son.")
    assert (figure["value"], figure["unit"], figure["kind"]) == (7, "month", "age")
    assert only("The then-41-year-old mayor resigned.")["value"] == 41


def test_a_count_of_a_named_model_in_the_plural():
    figure = only("The carrier retired 14 Airbus A340s this spring.")
    assert (figure["value"], figure["object"]) == (14, "Airbus A340s")
    assert find_figures("The lab sits at 12 Mercer Street.") == []


def test_a_number_in_a_compound_is_about_the_compound():
    figure = only("A 9-member jury heard the case.")
    assert (figure["value"], figure["object"], figure["raw"]) == (9, "member jury", "9-member jury")
    assert only("The 6 nation defence pact, signed in May, expires soon.")["object"] == "nation defence pact"
    assert only("He was 35 when he left.")["object"] is None      # one word after a space is not a compound
    assert only("Stir in 4 tbsp brown sugar syrup and serve.")["raw"] == "4"   # not the end of its clause


def test_a_noun_or_two_counts_two_of_that_noun():
    figure = only("The repairs should take a month or two.")
    assert (figure["value"], figure["unit"], figure["kind"], figure["object"]) == (2, "month", "duration", "month")
    figure = only("The club hopes to sign another striker or two.")
    assert (figure["value"], figure["kind"], figure["object"]) == (2, "count", "striker")


def test_a_bare_number_in_a_parallel_clause_takes_the_share_or_points_of_its_counterpart():
    figures = find_figures("Copper climbed 3 percent, while zinc slipped 2.")
    assert [(f["value"], f["unit"]) for f in figures] == [(3, "%"), (2, "%")]
    figures = find_figures("The Hang Seng closed at 18,204.5 points and the Straits Times finished at 3,210.8.")
    assert [(f["value"], f["unit"]) for f in figures] == [(18204.5, "point"), (3210.8, "point")]
    figures = find_figures("Revenue grew 4% and the chain added 250 to its payroll.")
    assert [(f["value"], f["unit"]) for f in figures] == [(4, "%"), (250, None)]


def test_an_age_after_turned_or_after_he_or_she_is():
    assert (only("The founder turned 60 on Friday.")["kind"], only("She will be 19 next month.")["kind"]) == ("age", "age")
    assert only("He was 2 under par.")["kind"] == "count"


def test_a_life_expectancy_is_an_age():
    figures = find_figures("Life expectancy for women there is now 84, up from 79.")
    assert [(f["value"], f["kind"], f["unit"]) for f in figures] == [(84, "age", "year"), (79, "age", "year")]
    assert find_figures("Life expectancy fell in 9 of the 30 wards.")[0]["kind"] == "count"


def test_baseball_statistics_have_units_and_the_words_do_not():
    assert only("The closer was worth 1.8 WAR last season.")["unit"] == "wins above replacement"
    assert only("She finished with a 2.91 ERA.")["unit"] == "earned run average"
    assert only("The town lost 40 war veterans.")["unit"] is None


def test_a_counted_noun_may_carry_a_number_and_a_model_code_is_not_a_unit():
    figure = only("Clinics ran thousands of MERS-12 swabs last week.")
    assert figure["object"] == "MERS-12 swabs"
    figure = only("The navy bought three F-18 aircraft.")
    assert (figure["value"], figure["unit"], figure["object"]) == (3, None, "F-18 aircraft")
