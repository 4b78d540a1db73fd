"""German figures: how German writes numbers, amounts, units and hedges (data for
transforms/analysis/pack_figures.py).

Read by the language-neutral reader in transforms/analysis/pack_figures.py (whose opening comment says what
each name means); this file only lists German spellings.
"""

ENGINE = "local"

# 1.234,5 and 1 234,5: a dot or a space groups thousands, a comma marks the decimals.
DECIMAL = ","

# Number words, lower case. Compounds are written as one word ("dreihundertvierundzwanzig"): GLUED.
GLUED = True
UNIT_FIRST = True            # "vierundzwanzig": the unit comes before the tens, joined by a connector
CONNECTORS = {"und"}
NUMBERS = {
    "null": 0, "eins": 1, "ein": 1, "eine": 1, "zwei": 2, "zwo": 2, "drei": 3, "vier": 4, "fünf": 5, "fuenf": 5,
    "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "elf": 11, "zwölf": 12, "zwoelf": 12,
    "dreizehn": 13, "vierzehn": 14, "fünfzehn": 15, "fuenfzehn": 15, "sechzehn": 16, "siebzehn": 17,
    "achtzehn": 18, "neunzehn": 19, "zwanzig": 20, "dreißig": 30, "dreissig": 30, "vierzig": 40,
    "fünfzig": 50, "fuenfzig": 50, "sechzig": 60, "siebzig": 70, "achtzig": 80, "neunzig": 90,
}
HUNDRED = {"hundert": 100}
HUNDREDS = {}
SCALES = {"tausend": 1e3, "million": 1e6, "millionen": 1e6, "milliarde": 1e9, "milliarden": 1e9,
          "billion": 1e12, "billionen": 1e12}
# Written after digits, with or without a dot: "2,5 Mio. Euro", "3 Mrd", "40 Tsd."
SCALE_ABBREVIATIONS = {"mio": 1e6, "mrd": 1e9, "mill": 1e6, "md": 1e9, "tsd": 1e3, "bio": 1e12}
# Plural scale words alone mean "very many", not one million: "Millionen Menschen" is no figure.
VAGUE_SCALES = {"millionen", "milliarden", "billionen"}
# Read as one only before a scale word, a currency or a unit: "eine Million", "einen Euro" (not "ein Haus").
ARTICLES = {"ein", "eine", "einen", "einem", "einer", "eines"}
# Whole words with a value of their own.
SPECIAL = {"anderthalb": 1.5, "dreiviertel": 0.75}
# Glued after a number, adds one half: "eineinhalb", "sechseinhalb Stunden", "dreieinhalbtausend".
AND_A_HALF = {"einhalb"}
DOZEN = {"dutzend": 12, "dutzende": 12}
HALF = {"halb", "halbe", "halbes", "halben", "halber"}
# Fraction words: the denominator ("zwei Drittel", "drei Viertel").
FRACTIONS = {"halbe": 2, "drittel": 3, "viertel": 4, "fünftel": 5, "sechstel": 6, "siebtel": 7, "achtel": 8,
             "neuntel": 9, "zehntel": 10, "zwanzigstel": 20, "hundertstel": 100, "tausendstel": 1000,
             "millionstel": 1e6}
FRACTION_SUFFIXES = ["stel", "tel"]   # "fünfundzwanzigstel"
DECIMAL_WORDS = {"komma"}
FRACTION_AND = {"und"}             # "fünf und drei Viertel"
MINUS_WORDS = {"minus"}
RATIO_WORDS = set()

# Currencies written after the number (or before it: "EUR 40"), as regexes matched case-insensitively.
CURRENCIES = [
    (r"US[- ]?Dollars?|amerikanische[n]? Dollars?", "USD"), (r"kanadische[n]? Dollars?", "CAD"),
    (r"australische[n]? Dollars?", "AUD"), (r"neuseeländische[n]? Dollars?", "NZD"),
    (r"Hongkong[- ]?Dollars?", "HKD"), (r"Singapur[- ]?Dollars?", "SGD"), (r"Taiwan[- ]?Dollars?", "TWD"),
    (r"Dollars?|USD|US\$", "USD"), (r"Euro[- ]?Cents?|Cents?", "cent"), (r"Euros?|EUR|€", "EUR"),
    (r"Pfund Sterling|britische[n]? Pfund", "GBP"), (r"ägyptische[n]? Pfund", "EGP"), (r"Pfund", "POUND"),
    (r"Pence|Pennys?", "pence"), (r"Schweizer Franken|Franken|CHF|Fr\.", "CHF"), (r"Rappen", "Rappen"),
    (r"japanische[n]? Yen|Yen|Jen", "JPY"), (r"chinesische[n]? (?:Yuan|Renminbi)|Yuan|Renminbi", "CNY"),
    (r"indische[n]? Rupien|Rupien|Rupie", "INR"), (r"russische[n]? Rubel|Rubel", "RUB"),
    (r"dänische[n]? Kronen?", "DKK"), (r"norwegische[n]? Kronen?", "NOK"), (r"tschechische[n]? Kronen?", "CZK"),
    (r"schwedische[n]? Kronen?|Kronen|Krone", "SEK"), (r"polnische[n]? Z[lł]oty|Z[lł]otys?", "PLN"),
    (r"türkische[n]? Lira|Lira|Lire", "TRY"), (r"ungarische[n]? Forint|Forint", "HUF"),
    (r"südafrikanische[n]? Rand|Rand", "ZAR"), (r"südkoreanische[n]? Won|Won", "KRW"),
    (r"mexikanische[n]? Pesos?", "MXN"), (r"argentinische[n]? Pesos?", "ARS"),
    (r"brasilianische[n]? Real|Reais", "BRL"),
    (r"israelische[n]? (?:Schekel|Shekel)|Schekel|Shekel", "ILS"), (r"Bitcoins?", "BTC"),
]
# "Dollar 5", "Euro 40" are rare in German but read; not words that are also common nouns before a number
# ("am Rand 5 Meter", "in Franken 3 Tote").
CURRENCY_BEFORE = r"US-Dollars?|Dollars?|Euros?|Schweizer Franken"
# Units written after the number: (regex, canonical unit, kind). Symbols are shared by all languages.
UNITS = [
    (r"Prozentpunkte?n?", "pp", "percentage_point"), (r"Basispunkte?n?", "bp", "basis_point"),
    (r"Prozent|vom Hundert|v\. ?H\.|vH|[-‑]prozentig(?:e[nmrs]?)?", "%", "percent"),    # "eine 50-prozentige"
    (r"Promille", "‰", "percent"),
    (r"Quadratkilometer[n]?", "km2", "measure"), (r"Quadratmeter[n]?", "m2", "measure"),
    (r"Kubikmeter[n]?", "m3", "measure"), (r"Kilometer[n]? pro Stunde|Stundenkilometer[n]?", "km/h", "measure"),
    (r"Kilometer[n]?", "km", "measure"), (r"Zentimeter[n]?", "cm", "measure"), (r"Millimeter[n]?", "mm", "measure"),
    (r"Meter[n]?", "m", "measure"), (r"Meilen|Meile", "mi", "measure"), (r"Fuß", "ft", "measure"),
    (r"Zoll", "in", "measure"), (r"Hektar", "ha", "measure"), (r"Tonnen|Tonne", "t", "measure"),
    (r"Kilogramm|Kilo", "kg", "measure"), (r"Gramm", "g", "measure"), (r"Milligramm", "mg", "measure"),
    (r"Liter[n]?", "l", "measure"), (r"Milliliter[n]?", "ml", "measure"), (r"Gallonen|Gallone", "gal", "measure"),
    (r"Barrel", "bbl", "measure"), (r"Unzen|Unze", "oz", "measure"),
    (r"Grad Celsius|Grad", "degC", "measure"), (r"Kilowattstunden|Kilowattstunde", "kWh", "measure"),
    (r"Megawatt", "MW", "measure"), (r"Gigawatt", "GW", "measure"), (r"Kilowatt", "kW", "measure"),
    (r"Watt", "W", "measure"), (r"PS", "hp", "measure"),
    (r"Jahre alt|Jahre jung", "year", "age"), (r"jährige[nr]?|-jährige[nrs]?", "year", "age"),
    (r"Jahrzehnte[n]?|Jahrzehnt", "decade", "duration"), (r"Jahrhunderte[n]?|Jahrhundert", "century", "duration"),
    (r"Jahren|Jahre|Jahr", "year", "duration"), (r"Monaten|Monate|Monat", "month", "duration"),
    (r"Wochen|Woche", "week", "duration"), (r"Tagen|Tage|Tag", "day", "duration"),
    (r"Stunden|Stunde", "hour", "duration"), (r"Minuten|Minute", "minute", "duration"),
    (r"Sekunden|Sekunde", "second", "duration"), (r"Punkte[n]?|Zähler", "point", "measure"),
    (r"[-‑]?fache[nrs]?|mal", None, "multiple"),
]
# Words between a scale word and its currency or unit: none in German ("3 Millionen Euro").
LINKERS = []

# Hedges before the number, lower case.
QUALIFIERS = {
    "approximate": "rund|etwa|ca.|ca|circa|zirka|ungefähr|annähernd|gut|an die|schätzungsweise|um die|knapp|fast"
                   "|beinahe|nahezu",
    "more_than": "mehr als|über|weit über|oberhalb von",
    "at_least": "mindestens|wenigstens|nicht weniger als",
    "less_than": "weniger als|unter|unterhalb von",
    "at_most": "bis zu|höchstens|maximal|nicht mehr als",
}
# Ranges: "10 bis 20 Prozent", "zwischen 10 und 20 Prozent", "von 10 auf 20" is a change (two figures).
RANGE_WORDS = {"bis"}
RANGE_OPENERS = {"zwischen": "und"}
FROM_TO = {"von": "auf"}    # a change from one amount to another: the first takes the unit of the second

# Context that makes a number something else than a figure.
MONTHS = ["januar", "jänner", "februar", "feber", "märz", "april", "mai", "juni", "juli", "august", "september",
          "oktober", "november", "dezember", "jan", "feb", "mär", "apr", "jun", "jul", "aug", "sep", "sept", "okt",
          "nov", "dez"]
TIME_AFTER = ["uhr", "h"]                    # "10.30 Uhr", "14 Uhr"
TIME_BEFORE = ["um", "gegen", "ab"]          # "um 10.30", only with a clock-like number
REFERENCE_WORDS = ["nr", "nummer", "art", "artikel", "abs", "absatz", "paragraf", "paragraph", "kapitel", "seite",
                   "s", "ziffer", "buchst", "bd", "band", "heft", "linie", "gleis", "zimmer", "raum", "haus",
                   "tor", "platz", "kw", "az", "drucksache", "bundesstraße", "b", "a", "ice", "ic", "flug"]
# "der 3. Platz", "am 3. Tag": digits with a dot before a word are an ordinal.
ORDINAL_DOT = True
ORDINAL_ARTICLES = ["der", "die", "das", "den", "dem", "des", "am", "im", "zum", "zur", "beim", "vom", "ab", "seit",
                    "bis", "jeder", "jede", "jedes"]

# What a figure counts: the noun after it ("1.200 Menschen"), or after a preposition following an amount
# ("40.000 Euro für die Sanierung", "30 Prozent der Stimmen"), or the noun it is said of ("ein Umsatz von
# 3 Millionen Euro"). German nouns are capitalised, which is what makes this safe enough to do.
OBJECTS = {
    "after_amount": ["für", "fürs", "in", "an", "der", "des", "von", "vom", "zur", "zum", "ihres", "ihrer", "seines",
                     "seiner", "unserer", "unseres", "aller"],
    "determiners": ["der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "eines",
                    "seine", "seiner", "seinen", "seines", "ihre", "ihrer", "ihren", "ihres", "unsere", "unseres",
                    "diese", "dieser",
                    "diesen", "alle", "aller"],
    "said_of": ["von", "in höhe von", "auf", "um"],
    "not_nouns": ["Euro", "Dollar", "Prozent", "Uhr", "Jahre", "Jahren", "Jahr", "Millionen", "Milliarden",
                  "Mio", "Mrd", "Franken", "Pfund", "Cent", "Grad", "Punkte", "Prozentpunkte",
                  # change nouns: the figure is a change of something named elsewhere ("ein Plus von 12 Prozent")
                  "Plus", "Minus", "Anstieg", "Rückgang", "Zuwachs", "Steigerung", "Erhöhung", "Senkung", "Verlust",
                  "Gewinn", "Wert", "Höhe", "Summe", "Betrag", "Niveau", "Rekord", "Durchschnitt"],
}
