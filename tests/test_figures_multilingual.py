"""Figures in German, French, Spanish, Portuguese, Italian and Dutch. Every sentence here was written for these
tests; each language is read with its own pack (transforms/analysis/lang/<code>/figures.py)."""

import random

import pytest

from transforms.analysis.figures import find_figures

KEYS = {"start", "end", "raw", "value", "low", "high", "kind", "unit", "object", "object_start", "object_end",
        "qualifier", "approximate", "change", "sentence"}
LANGUAGES = ("de", "fr", "es", "pt", "it", "nl")


def read(text: str, language: str) -> list[tuple]:
    """(value, unit) of every figure, after checking the output shape."""
    figures = find_figures(text, language=language)
    for figure in figures:
        assert set(figure) == KEYS
        assert text[figure["start"]:figure["end"]] == figure["raw"]
    return [(round(f["value"], 6) if f["value"] is not None else None, f["unit"]) for f in figures]


def only(text: str, language: str) -> dict:
    figures = find_figures(text, language=language)
    assert len(figures) == 1, figures
    return figures[0]


# ---------------------------------------------------------------- digits as each language writes them

@pytest.mark.parametrize("language,text,expected", [
    ("de", "Der Verein zählt 40.000 Mitglieder.", [(40000, None)]),
    ("de", "Die Anlage kostet 1.234,5 Euro.", [(1234.5, "EUR")]),
    ("de", "Im Jahr kamen 50.000 Besucher.", [(50000, None)]),
    ("de", "Gemessen wurden 2,357 Meter.", [(2.357, "m")]),
    ("fr", "La ville compte 1 234 567 habitants.", [(1234567, None)]),
    ("fr", "Le stade accueille 45\u202f000 spectateurs.", [(45000, None)]),
    ("fr", "Le budget atteint 12\u00a0500,75 euros.", [(12500.75, "EUR")]),
    ("es", "La empresa vendió 1.234.567 unidades.", [(1234567, None)]),
    ("es", "El índice subió 3,25 puntos.", [(3.25, "point")]),
    ("pt", "O governo gastou 4.800 reais.", [(4800, "BRL")]),
    ("it", "Il comune ha 12.345 abitanti.", [(12345, None)]),
    ("nl", "De gemeente telt 1.234 inwoners en 0,5 procent werkloosheid.", [(1234, None), (0.5, "%")]),
    ("de", "Das Gehalt beträgt 1'234.50 Franken.", [(1234.5, "CHF")]),
    ("fr", "Le loyer est de 1'250.50 francs suisses.", [(1250.5, "CHF")]),
])
def test_decimal_commas_and_thousands_separators(language, text, expected):
    assert read(text, language) == expected


# ---------------------------------------------------------------- scale words and abbreviations

@pytest.mark.parametrize("language,text,expected", [
    ("de", "Der Konzern verdiente 2,5 Mio. Euro.", [(2.5e6, "EUR")]),
    ("de", "Bund gibt 3 Mrd. Euro aus.", [(3e9, "EUR")]),
    ("de", "Das Werk kostet 1,2 Milliarden Euro und beschäftigt 4 Millionen Menschen.", [(1.2e9, "EUR"), (4e6, None)]),
    ("fr", "L'État investit 1,8 milliard d'euros.", [(1.8e9, "EUR")]),
    ("fr", "La dette atteint 3 milliards de dollars.", [(3e9, "USD")]),
    ("es", "El plan cuesta 6,5 mil millones de euros.", [(6.5e9, "EUR")]),
    ("es", "Se perdieron 2 millones de dólares.", [(2e6, "USD")]),
    ("pt", "O banco lucrou 3,4 bilhões de reais e 2 milhões de dólares.", [(3.4e9, "BRL"), (2e6, "USD")]),
    ("it", "Lo Stato spende 4 miliardi di euro e 7 milioni di dollari.", [(4e9, "EUR"), (7e6, "USD")]),
    ("nl", "Het kabinet trekt 2 miljard euro uit voor 3 miljoen huishoudens.", [(2e9, "EUR"), (3e6, None)]),
])
def test_scale_words_and_abbreviations(language, text, expected):
    assert read(text, language) == expected


# ---------------------------------------------------------------- number words

@pytest.mark.parametrize("language,text,value", [
    ("de", "Es kamen dreiundzwanzig Gäste.", 23),
    ("de", "Sie zählten einhunderteinunddreißig Stimmen.", 131),
    ("de", "Das Dorf hat zweitausendvierhundert Einwohner.", 2400),
    ("fr", "Nous avons vu vingt-trois bateaux.", 23),
    ("fr", "Il reste soixante-dix-sept places.", 77),
    ("fr", "Ils ont planté quatre-vingt-dix-neuf arbres.", 99),
    ("fr", "On compte deux cent cinquante élèves.", 250),
    ("es", "Llegaron veintitrés barcos.", 23),
    ("es", "Quedan trescientos cuarenta y siete asientos.", 347),
    ("es", "Hay dos mil quinientos votos.", 2500),
    ("pt", "Chegaram vinte e três navios.", 23),
    ("pt", "Foram quinhentos e doze votos.", 512),
    ("it", "Sono arrivati ventitré ospiti.", 23),
    ("it", "Abbiamo contato duecentoquarantotto voti.", 248),
    ("it", "In piazza c'erano tremila persone.", 3000),
    ("nl", "Er kwamen drieëntwintig gasten.", 23),
    ("nl", "We telden zeshonderdachtenzeventig stemmen.", 678),
    ("nl", "Het dorp heeft tweeduizend inwoners.", 2000),
])
def test_spelled_out_numbers_compound_as_each_language_does(language, text, value):
    assert [v for v, _ in read(text, language)] == [value]


@pytest.mark.parametrize("language,text,value", [
    ("de", "Es gibt anderthalb Millionen Anträge.", 1.5e6),
    ("de", "Zwei Drittel der Befragten stimmten zu.", 2 / 3),
    ("fr", "La population est de 3 millions et demi.", 3.5e6),
    ("fr", "Les trois quarts des élèves.", 0.75),
    ("es", "Dos tercios de los votantes.", round(2 / 3, 6)),
    ("es", "Vendieron media docena de casas.", 6),
    ("pt", "Eles juntaram três milhões e meio.", 3.5e6),
    ("it", "Due terzi degli elettori.", round(2 / 3, 6)),
    ("nl", "Twee derde van de leden.", round(2 / 3, 6)),
    ("nl", "Er kwamen anderhalf miljoen bezoekers.", 1.5e6),
])
def test_fractions_and_halves(language, text, value):
    assert [round(v, 6) for v, _ in read(text, language)] == [round(value, 6)]


def test_articles_are_not_the_number_one_unless_they_count_something():
    assert read("Ein Mann kam mit einem Hund.", "de") == []
    assert read("Il a acheté une maison.", "fr") == []
    assert read("Compró una casa.", "es") == []
    assert read("Een man liep naar huis.", "nl") == []
    assert read("Das kostet eine Million Euro.", "de") == [(1e6, "EUR")]
    assert read("Hast du einen Euro?", "de") == [(1, "EUR")]
    assert read("Cela coûte un milliard d'euros.", "fr") == [(1e9, "EUR")]
    assert read("Slechts één kandidaat.", "nl") == [(1, None)]


# ---------------------------------------------------------------- currencies and units

@pytest.mark.parametrize("language,text,expected", [
    ("de", "Das Ticket kostet 15 Dollar, das Menü 40 € und der Wein 12 Pfund Sterling.",
     [(15, "USD"), (40, "EUR"), (12, "GBP")]),
    ("fr", "Le billet coûte 15 dollars, le menu 40 € et le vin 12 livres sterling.",
     [(15, "USD"), (40, "EUR"), (12, "GBP")]),
    ("es", "El billete cuesta 15 dólares y el menú 40 euros.", [(15, "USD"), (40, "EUR")]),
    ("pt", "O bilhete custa 15 dólares e o menu 40 euros.", [(15, "USD"), (40, "EUR")]),
    ("it", "Il biglietto costa 15 dollari e il menù 40 euro.", [(15, "USD"), (40, "EUR")]),
    ("nl", "Het kaartje kost 15 dollar en het menu 40 euro.", [(15, "USD"), (40, "EUR")]),
    ("es", "La entrada cuesta $ 8,50 y la cena US$ 20.", [(8.5, "USD"), (20, "USD")]),
    ("de", "Der Preis lag bei 15 Dollar und 15 Cent.", [(15.15, "USD")]),
])
def test_currencies(language, text, expected):
    assert read(text, language) == expected


@pytest.mark.parametrize("language,text,expected", [
    ("de", "Die Quote stieg auf 5,2 Prozent, die Strecke ist 12 Kilometer lang.", [(5.2, "%"), (12, "km")]),
    ("fr", "Le taux atteint 5,2 pour cent et la piste mesure 12 kilomètres.", [(5.2, "%"), (12, "km")]),
    ("es", "La tasa llegó al 5,2 por ciento y se recogieron 300 toneladas.", [(5.2, "%"), (300, "t")]),
    ("pt", "A taxa subiu 5,2 por cento numa estrada de 12 quilômetros.", [(5.2, "%"), (12, "km")]),
    ("it", "Il tasso è salito al 5,2 per cento su 12 chilometri.", [(5.2, "%"), (12, "km")]),
    ("nl", "Het cijfer steeg tot 5,2 procent over 12 kilometer.", [(5.2, "%"), (12, "km")]),
    ("de", "Die Wohnung hat 85 Quadratmeter und 3 %.", [(85, "m2"), (3, "%")]),
])
def test_units(language, text, expected):
    assert read(text, language) == expected


# ---------------------------------------------------------------- ranges and hedges

@pytest.mark.parametrize("language,text,qualifier", [
    ("de", "Rund 1.200 Menschen demonstrierten.", "approximate"),
    ("de", "Etwa 300 Gäste kamen.", "approximate"),
    ("de", "Knapp 500 Stimmen fehlten.", "approximate"),
    ("de", "Mehr als 40 Schulen schlossen.", "more_than"),
    ("de", "Bis zu 90 Züge fallen aus.", "at_most"),
    ("fr", "Environ 300 personnes sont venues.", "approximate"),
    ("fr", "Près de 300 personnes sont venues.", "approximate"),
    ("fr", "Plus de 300 personnes sont venues.", "more_than"),
    ("es", "Cerca de 300 personas vinieron.", "approximate"),
    ("es", "Alrededor de 300 personas vinieron.", "approximate"),
    ("es", "Más de 300 personas vinieron.", "more_than"),
    ("pt", "Cerca de 300 pessoas vieram.", "approximate"),
    ("pt", "Mais de 300 pessoas vieram.", "more_than"),
    ("it", "Circa 300 persone sono arrivate.", "approximate"),
    ("it", "Oltre 300 persone sono arrivate.", "more_than"),
    ("nl", "Ongeveer 300 mensen kwamen.", "approximate"),
    ("nl", "Ruim 300 mensen kwamen.", "more_than"),
    ("nl", "Meer dan 300 mensen kwamen.", "more_than"),
])
def test_approximations(language, text, qualifier):
    figure = only(text, language)
    assert figure["value"] == 300 or figure["value"] in (1200, 500, 40, 90)
    assert figure["qualifier"] == qualifier


@pytest.mark.parametrize("language,text", [
    ("de", "Die Preise steigen um 3 bis 5 Prozent."),
    ("de", "Die Preise steigen zwischen 3 und 5 Prozent."),
    ("fr", "Les prix augmentent de 3 à 5 %."),
    ("fr", "Les prix augmentent entre 3 et 5 %."),
    ("es", "Los precios suben entre 3 y 5 por ciento."),
    ("pt", "Os preços sobem entre 3 e 5 por cento."),
    ("it", "I prezzi salgono tra 3 e 5 per cento."),
    ("nl", "De prijzen stijgen tussen 3 en 5 procent."),
    ("nl", "De prijzen stijgen 3-5 procent."),
])
def test_ranges_share_the_unit_of_their_second_number(language, text):
    figures = find_figures(text, language=language)
    assert [(f["value"], f["unit"]) for f in figures] == [(3, "%"), (5, "%")]
    assert (figures[0]["low"], figures[0]["high"]) == (3, 5)


def test_a_range_borrows_the_scale_of_its_second_number():
    assert read("Sie kosten 2 bis 3 Millionen Euro.", "de") == [(2e6, "EUR"), (3e6, "EUR")]
    assert read("Entre 3 et 5 millions d'euros.", "fr") == [(3e6, "EUR"), (5e6, "EUR")]


# ---------------------------------------------------------------- what is not a figure

@pytest.mark.parametrize("language,text", [
    ("de", "Die Sitzung beginnt um 10.30 Uhr."),
    ("de", "Wir treffen uns um 14 Uhr."),
    ("de", "Am 3. Oktober 2024 war Feiertag."),
    ("de", "Die Frist endet am 1.10.2024."),
    ("de", "Das Spiel endete 2:1."),
    ("de", "Nach § 5 Abs. 2 und Art. 3 Nr. 7 ist das erlaubt."),
    ("de", "Er belegte den 3. Platz."),
    ("de", "Rufen Sie 030/1234567 an oder +49 30 1234567."),
    ("fr", "La réunion commence à 10h30."),
    ("fr", "Nous partons le 3 octobre 2024."),
    ("fr", "Le match s'est terminé 2:1."),
    ("fr", "Selon l'article 12 de la loi."),
    ("fr", "Appelez le 01 23 45 67 89."),
    ("es", "La reunión empieza a las 10.30."),
    ("es", "Llegó el 3 de octubre de 2024."),
    ("es", "Según el artículo 12 de la ley."),
    ("pt", "A reunião começa às 10h30."),
    ("pt", "Chegou em 3 de outubro de 2024."),
    ("pt", "Segundo o artigo 12 da lei."),
    ("it", "La riunione inizia alle 10.30."),
    ("it", "È arrivato il 3 ottobre 2024."),
    ("it", "Secondo l'articolo 12 della legge."),
    ("nl", "De vergadering begint om 10.30 uur."),
    ("nl", "Hij kwam op 3 oktober 2024."),
    ("nl", "Volgens artikel 12 van de wet."),
    ("nl", "De wedstrijd eindigde in 2:1."),
])
def test_times_dates_years_phones_scores_and_references_are_not_figures(language, text):
    assert find_figures(text, language=language) == []


# ---------------------------------------------------------------- German objects

@pytest.mark.parametrize("text,obj", [
    ("Rund 1.200 Menschen demonstrierten in Berlin.", "Menschen"),
    ("Die Stadt baut 300 neue Wohnungen.", "Wohnungen"),
    ("Die Gemeinde gibt 40.000 Euro für die Sanierung aus.", "Sanierung"),
    ("Die Partei erhielt 30 Prozent der Stimmen.", "Stimmen"),
    ("Der Konzern meldete einen Umsatz von 3 Millionen Euro.", "Umsatz"),
])
def test_german_objects(text, obj):
    assert only(text, "de")["object"] == obj


def test_german_change_nouns_and_changes_from_one_amount_to_another():
    figures = find_figures("Die Miete steigt von 800 auf 950 Euro, ein Plus von 19 Prozent.", language="de")
    assert [(f["value"], f["unit"]) for f in figures] == [(800, "EUR"), (950, "EUR"), (19, "%")]
    assert figures[2]["object"] is None          # "Plus" is the change, not what changed
    assert only("Sie zahlen über 40 Prozent ihres Einkommens.", "de")["object"] == "Einkommens"


def test_other_languages_leave_the_object_empty_rather_than_guess():
    for language, text in (("fr", "1 200 personnes ont manifesté."), ("es", "Llegaron 1.200 personas."),
                           ("pt", "Chegaram 1.200 pessoas."), ("it", "Sono arrivate 1.200 persone."),
                           ("nl", "Er kwamen 1.200 mensen.")):
        assert only(text, language)["object"] is None


# ---------------------------------------------------------------- languages and robustness

def test_english_is_the_default_and_other_languages_do_not_use_english_rules():
    assert [f["value"] for f in find_figures("Some 40,000 people came.")] == [40000]
    assert [f["value"] for f in find_figures("Rund 40.000 Menschen kamen.", language="de")] == [40000]
    assert [f["value"] for f in find_figures("Rund 40.000 Menschen kamen.", language="en")] == [40.0]


def test_an_unknown_language_gets_no_figures():
    assert find_figures("Zaidi ya watu 300 walikuja.", language="sw") == []
    assert find_figures("300 people", language=None) == []
    assert find_figures("300 people", language="xx-YY") == []


def test_region_codes_use_the_language_pack():
    assert read("Rund 40.000 Menschen kamen.", "de-AT") == [(40000, None)]


def test_sentences_and_sorted_spans():
    text = "Der Bau kostet 3 Mio. Euro. Es kamen 200 Gäste."
    figures = find_figures(text, language="de")
    assert [f["start"] for f in figures] == sorted(f["start"] for f in figures)
    assert figures[0]["sentence"] == "Der Bau kostet 3 Mio. Euro."
    assert figures[1]["sentence"] == "Es kamen 200 Gäste."


@pytest.mark.parametrize("language", LANGUAGES)
def test_never_raises_on_odd_input(language):
    rng = random.Random(7)
    alphabet = "0123456789.,:;/-+ \u00a0\u202f'’$€£%^eE()§ und et y e en mil Mio. Millionen millones un une ein"
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        for figure in find_figures(text, language=language):
            assert text[figure["start"]:figure["end"]] == figure["raw"]
    for odd in ("", " ", "1" * 500, "9^999", "1e400", ",", "-", "½", "\x00", None, 12):
        find_figures(odd, language=language)


# ---------------------------------------------------------------- which words are read (speed must not change output)

@pytest.mark.parametrize("language,text,expected", [
    ("de", "Es kamen ZWÖLF Gäste, dann zwőlf, dann und zwanzig.", [("ZWÖLF", 12), ("zwőlf", 12), ("zwanzig", 20)]),
    ("de", "zweihundert Menschen und zwei Drittel der Stimmen, zwei Komma fünf Prozent.",
     [("zweihundert", 200), ("zwei Drittel", 2 / 3), ("zwei Komma fünf Prozent", 2.5)]),
    ("fr", "Il y avait quatre-vingt-dix personnes et Quatre Vingt Dix euros.",
     [("quatre-vingt-dix", 90), ("Quatre Vingt Dix euros", 90)]),
    ("es", "Son VEINTIÚN euros y tres cuartos de hora.", [("VEINTIÚN euros", 21), ("tres cuartos de hora", 0.75)]),
    ("nl", "Er waren drieëntwintig mensen en twee derde van de stemmen.",
     [("drieëntwintig", 23), ("twee derde", 2 / 3)]),
])
def test_number_words_in_any_case_and_accent_with_what_follows_them(language, text, expected):
    got = [(f["raw"], f["value"]) for f in find_figures(text, language=language)]
    assert [raw for raw, _ in got] == [raw for raw, _ in expected]
    assert [value for _, value in got] == pytest.approx([value for _, value in expected])


def test_text_the_word_search_cannot_lower_is_read_word_by_word_with_the_same_result():
    # "Σ" lowers differently at the end of a word: such texts are read word by word instead
    plain = "SA: zweihundert Menschen und zwei Drittel der Stimmen, zwei Komma fünf Prozent."
    greek = "ΣΑ" + plain[2:]
    def spans(text):
        return [(f["start"], f["end"], f["value"], f["unit"]) for f in find_figures(text, language="de")]
    assert spans(greek) == spans(plain) and len(spans(plain)) == 3


# ---------------------------------------------------------------- German: halves glued to a number, currency names

@pytest.mark.parametrize("text,expected", [
    ("Die Sitzung dauerte sechseinhalb Stunden.", [(6.5, "hour")]),
    ("Der Zuschlag beträgt zwölfeinhalb Prozent.", [(12.5, "%")]),
    ("Es kamen dreieinhalbtausend Besucher.", [(3500, None)]),
    ("Der Bau kostet siebeneinhalb Millionen Euro.", [(7.5e6, "EUR")]),
    ("Es gibt eineinhalb Millionen Anträge und zweieinhalb Tage Zeit.", [(1.5e6, None), (2.5, "day")]),
])
def test_german_and_a_half_glued_to_a_number(text, expected):
    assert read(text, "de") == expected


def test_german_and_a_half_needs_a_number_before_it():
    assert read("Das Wort einhalb allein ist keine Zahl.", "de") == []


@pytest.mark.parametrize("text,expected", [
    ("Die Aktie kostet 10 US-Dollars, die Anleihe 20 US Dollar.", [(10, "USD"), (20, "USD")]),
    ("Ein Brötchen kostet 45 Euro-Cent.", [(45, "cent")]),
    ("Der Flug kostet 900 dänische Kronen oder 1.300 schwedische Kronen.", [(900, "DKK"), (1300, "SEK")]),
    ("Sie zahlten 500 südafrikanische Rand und 80 Hongkong-Dollar.", [(500, "ZAR"), (80, "HKD")]),
    ("Er bekam 30.000 mexikanische Pesos und 2 Bitcoins.", [(30000, "MXN"), (2, "BTC")]),
    ("Der Satz liegt bei 19 vH.", [(19, "%")]),
])
def test_german_currency_names(text, expected):
    assert read(text, "de") == expected


def test_german_words_read_as_a_currency_before_the_number_are_only_currency_words():
    assert read("Es kostet Dollar 5.", "de") == [(5, "USD")]
    assert read("Am Rand 5 Zelte, in Franken 3 Zelte.", "de") == [(5, None), (3, None)]


# ---------------------------------------------------------------- the fraction slash

@pytest.mark.parametrize("language,text,expected", [
    ("de", "Das Rezept braucht 2⁄3 Liter und 1 1⁄2 Tassen.", [(round(2 / 3, 6), "l"), (1.5, None)]),
    ("fr", "Ajoutez 3⁄4 de la farine.", [(0.75, None)]),
    ("nl", "Voeg 1⁄2 liter toe.", [(0.5, "l")]),
])
def test_the_fraction_slash_is_read_as_a_slash(language, text, expected):
    assert read(text, language) == expected


# ---------------------------------------------------------------- speed shortcuts find what the plain way finds

def test_dates_times_phones_and_numbers_are_found_where_the_whole_text_scan_finds_them():
    from transforms.analysis import pack_figures as pf
    rng = random.Random(11)
    alphabet = list("0123456789" * 4 + ",.:/-+h \t()'’^eE%x") + ["Uhr", " h", "−", "\u00a0", "\u202f", "⁄", "٣"]
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 24)))
        runs = [m.span() for m in pf._DIGIT_RUN_RE.finditer(text)]
        assert pf._skipped_spans(text, runs) == [m.span() for m in pf._LOCAL_SKIP_RE.finditer(text)], text
        assert [m.span() for m in pf._digit_matches(text, runs)] == \
            [m.span() for m in pf._LOCAL_DIGITS_RE.finditer(text)], text


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_unit_after_a_number_is_the_one_the_whole_unit_pattern_finds(language):
    import importlib
    from transforms.analysis import pack_figures as pf
    rules = pf._local_rules(importlib.import_module(f"transforms.analysis.lang.{language}.figures"))
    words = ["Prozent", "pour cent", "por ciento", "per cento", "procent", "Euro", "euros", "dollars", "Dollar",
             "km", "m²", "°C", "kg", "Mio", "-fache", "mal", "veces", "x", "ans", "Jahre", "anni", "jaar", "%", "$",
             "€", "£", "CHF", "US$", "R$", "tonnes", "Tonnen", "hectares", "litros", "h", "Uhr", "ägyptische Pfund",
             "libras esterlinas", "sterline", "pond", "Ärzte", "über", "été", "Élèves", "-Stunden"]
    rng = random.Random(3)
    for _ in range(3000):
        gap, word, tail = rng.choice(["", " ", "\u00a0", "-", "  "]), rng.choice(words), rng.choice(["", " ", "s", "."])
        text = "5" + gap + word + tail
        m = rules.unit_re.match(text, 1)
        expected = None
        if m:
            i = int(m.lastgroup[1:])
            expected = (rules.unit_entries[i][1], rules.unit_entries[i][2], m.end(), m.start(m.lastgroup))
        assert rules.unit_at(text, 1) == expected, text


def test_western_european_text_is_lowered_at_once_as_no_letter_of_it_needs_care():
    from transforms.analysis import pack_figures as pf
    letters = bytes(range(256)).decode("cp1252", errors="ignore")
    assert [c for c in letters if pf._unsafe_letter(c)] == []
    assert pf._lowered_text("Größe: ŒUVRE „Zwölf“ – 5 €") == "größe: œuvre „zwölf“ – 5 €"
    assert pf._lowered_text("ΣΑ zwölf") is None


def test_ratios_and_cents_after_a_long_stretch_of_text():
    filler = " Das ist ein langer Satz ohne Zahlen." * 30
    assert read("1 sur 3 répond." + filler, "fr")[0] == (round(1 / 3, 6), None)
    assert read("Uno de cada tres votantes." + filler, "es")[0] == (round(1 / 3, 6), None)
    assert read("Het kost dertien euro en vijfenveertig cent." + filler, "nl") == [(13.45, "EUR")]
    assert read("Es kamen 3 Gäste." + filler + " Dann 4 Millionen Euro und eine halbe Stunde.", "de") == \
        [(3, None), (4e6, "EUR"), (0.5, "hour")]


@pytest.mark.parametrize("language,text,expected", [
    ("de", "Die Bank hält eine 50-prozentige Beteiligung.", [(50, "%")]),
    ("de", "Sie forderten eine 20-prozentige Erhöhung.", [(20, "%")]),
    ("de", "Dreiviertel der Mitglieder stimmten zu.", [(0.75, None)]),
    ("de", "Nach einer dreiviertel Stunde war es vorbei.", [(0.75, "hour")]),
    ("de", "Er kaufte anderthalb Dutzend Eier.", [(18, None)]),
    ("nl", "Hij kocht anderhalf dozijn eieren.", [(18, None)]),
])
def test_percent_adjectives_three_quarters_and_a_half_dozen(language, text, expected):
    assert read(text, language) == expected


def test_an_hour_said_in_words_before_uhr_is_a_time_not_a_figure():
    assert read("Gegen elf Uhr kamen zwölf Helfer.", "de") == [(12, None)]
    assert read("Die Schicht dauerte elf Stunden.", "de") == [(11, "hour")]
    assert read("Het werk duurde acht uur.", "nl") == [(8, "hour")]     # "uur" is also a duration


# ---------------------------------------------------------------- fractions whose denominator is several words

@pytest.mark.parametrize("language,text,value", [
    ("es", "La dosis es de tres dosmilésimos del total.", 3 / 2000),          # a number glued to "milésimos"
    ("pt", "Sobraram três dois milésimos do lote.", 3 / 2000),               # not 3 + 2/1000
    ("pt", "Couberam-lhe três vinte e um avos da herança.", 3 / 21),         # "avos" after a number of three words
    ("es", "Le tocaron cien treintaicincoavos.", 100 / 35),                   # "treintaicinco": one word with "i"
    ("fr", "Il a reçu trois vingt-cinquièmes de la somme.", 3 / 25),          # not 3 and 20/5
    ("fr", "Il a reçu un vingt et unième du butin.", 1 / 21),
    ("nl", "Het dorp kreeg tweehonderd drie vijfde.", 200.6),                 # the last word is the numerator
    ("nl", "Er bleef vijf / achtste over.", 5 / 8),
])
def test_fractions_whose_denominator_is_written_in_several_words(language, text, value):
    assert only(text, language)["value"] == pytest.approx(value)


def test_the_tens_and_units_written_as_one_word_with_i_in_spanish():
    assert read("Pagó cuarentaidós euros por treintaiún días.", "es") == [(42, "EUR"), (31, "day")]


def test_an_ordinal_of_several_words_is_not_a_figure():
    assert read("Le vingt et unième siècle commence.", "fr") == []
    assert read("Elle a fini à la vingt-deuxième place.", "fr") == []
    assert read("Il fête son vingt-cinquième anniversaire avec 40 amis.", "fr") == [(40, None)]


# ---------------------------------------------------------------- numbers broken by a stray space

@pytest.mark.parametrize("language,text,expected", [
    ("fr", "Le chiffre d'affaires est monté de 4. 8 % à 13 milliards d'euros.", [(13e9, "EUR")]),
    ("it", "Il deficit è di 1 . 6 miliardi, contro 2,5 miliardi di euro.", [(2.5e9, "EUR")]),
    ("es", "El estadio pasó a 80, 000 espectadores y costó 60.000 euros.", [(60000, "EUR")]),
    ("de", "Die Quote stieg um 3. 5 Prozent auf 12 Prozent.", [(12, "%")]),
])
def test_a_decimal_or_thousands_group_split_by_a_space_gives_no_wrong_figure(language, text, expected):
    assert read(text, language) == expected


def test_a_list_item_number_at_the_start_of_a_line_is_not_a_split_decimal():
    assert read("Kosten:\n1. 50 Euro für das Ticket", "de") == [(1, None), (50, "EUR")]


@pytest.mark.parametrize("language,text,expected", [
    ("it", "Titoli al 7 3 / 4 % con scadenza nel 2030.", [(7.75, "%")]),
    ("es", "Los bonos rinden 5 1 / 2 % al año.", [(5.5, "%")]),
])
def test_a_mixed_fraction_with_spaces_around_the_slash(language, text, expected):
    assert read(text, language) == expected


# ---------------------------------------------------------------- dates, phones, decades

@pytest.mark.parametrize("language,text", [
    ("es", "Los bonos vencen el nov. 15, 2030, según el banco."),
    ("es", "El índice cayó en oct. 13 sin aviso."),
    ("fr", "La séance du déc. 4 fut annulée."),
    ("de", "Am 3. 5. 2024 begann die Messe."),
    ("de", "Rufen Sie unter 030 1234567 an."),
    ("es", "Llame al tel. 91 123 45 67 para reservar."),
    ("es", "La música de los años 80 vuelve."),
    ("fr", "La mode des années 90 revient."),
    ("it", "Le canzoni degli anni 60 tornano."),
    ("nl", "De muziek uit de jaren 70 is terug."),
    ("pt", "A moda dos anos 80 voltou."),
])
def test_more_dates_phones_and_decades_are_not_figures(language, text):
    assert find_figures(text, language=language) == []


def test_a_month_with_a_dot_before_a_large_number_keeps_the_number():
    assert read("En oct. 2.500 personas firmaron.", "es") == [(2500, None)]


# ---------------------------------------------------------------- units and scales

@pytest.mark.parametrize("language,text,expected", [
    ("de", "Es wurde -5 °C kalt.", [(-5, "degC")]),
    ("fr", "Il fait 25 °C à l'ombre.", [(25, "degC")]),
    ("es", "El motor da 52 bhp.", [(52, "bhp")]),
    ("fr", "Le club a un budget de 3 M€.", [(3e6, "EUR")]),
    ("fr", "La mairie a versé 12M$ au club.", [(12e6, "USD")]),
])
def test_degrees_after_a_space_horsepower_and_mega_before_a_currency_sign(language, text, expected):
    assert read(text, language) == expected


@pytest.mark.parametrize("language,text", [
    ("es", "La inflación irá del 5 al 10 %."),
    ("it", "L'inflazione andrà dal 5 al 10 %."),
])
def test_ranges_opened_by_from_the(language, text):
    figures = find_figures(text, language=language)
    assert [(f["value"], f["unit"], f["low"], f["high"]) for f in figures] == [(5, "%", 5, 10), (10, "%", 5, 10)]


@pytest.mark.parametrize("language,text,expected", [
    ("de", "Millionen Menschen sahen zu, 2 Millionen zahlten.", [(2e6, None)]),
    ("fr", "Des milliards d'euros ont fui, dont trois millions vers la Suisse.", [(3e6, None)]),
    ("es", "Millones de personas votaron; mil millones de dólares se gastaron.", [(1e9, "USD")]),
    ("it", "Milioni di persone guardano la partita.", []),
    ("nl", "Miljoenen mensen keken naar de wedstrijd.", []),
    ("pt", "Milhões de pessoas assistiram a 5 milhões de anúncios.", [(5e6, None)]),
])
def test_a_plural_scale_word_alone_means_very_many_not_one_million(language, text, expected):
    assert read(text, language) == expected


def test_a_full_month_name_ending_a_sentence_does_not_make_the_next_number_a_date():
    assert read("Das Fest war im Mai. 5 Besucher kamen trotzdem.", "de") == [(5, None)]
