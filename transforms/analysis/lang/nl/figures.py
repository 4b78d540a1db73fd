"""Dutch figures: how Dutch writes numbers, amounts, units and hedges (data for
transforms/analysis/pack_figures.py).

Read by the language-neutral reader in transforms/analysis/pack_figures.py (whose opening comment says what
each name means); this file only lists Dutch spellings.
"""

ENGINE = "local"
DECIMAL = ","                # 1.234,5

GLUED = True                 # "drieëntwintig", "tweehonderd", "zeshonderdenachtenzeventig"
UNIT_FIRST = True            # "drie-en-twintig": the unit before the tens
CONNECTORS = {"en", "ën"}
NUMBERS = {
    "nul": 0, "een": 1, "één": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8,
    "negen": 9, "tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14, "vijftien": 15, "zestien": 16,
    "zeventien": 17, "achttien": 18, "negentien": 19, "twintig": 20, "dertig": 30, "veertig": 40, "vijftig": 50,
    "zestig": 60, "zeventig": 70, "tachtig": 80, "negentig": 90,
}
HUNDRED = {"honderd": 100}
HUNDREDS = {}
SCALES = {"duizend": 1e3, "miljoen": 1e6, "miljoenen": 1e6, "miljard": 1e9, "miljarden": 1e9, "biljoen": 1e12,
          "biljoenen": 1e12}
SCALE_ABBREVIATIONS = {"mln": 1e6, "mld": 1e9, "mrd": 1e9, "dzd": 1e3}
# Plural scale words alone mean "very many", not one million: "miljoenen mensen" is no figure.
VAGUE_SCALES = {"miljoenen", "miljarden", "biljoenen"}
ARTICLES = {"een"}           # "één" (with accents) is the number
SPECIAL = {"anderhalf": 1.5, "anderhalve": 1.5, "driekwart": 0.75}
DOZEN = {"dozijn": 12, "dozijnen": 12, "gros": 144, "tiental": 10, "tientallen": 10, "honderdtal": 100}
HALF = {"half", "halve"}
FRACTIONS = {
    "half": 2, "halve": 2, "derde": 3, "derden": 3, "kwart": 4, "vierde": 4, "vierden": 4, "vijfde": 5,
    "vijfden": 5, "zesde": 6, "zesden": 6, "zevende": 7, "achtste": 8, "achtsten": 8, "negende": 9, "tiende": 10,
    "tienden": 10, "twintigste": 20, "honderdste": 100, "honderdsten": 100, "duizendste": 1e3, "miljoenste": 1e6,
}
FRACTION_SUFFIXES = ["sten", "ste"]   # "eenentwintigste"
DECIMAL_WORDS = {"komma"}
FRACTION_AND = {"en"}
RATIO_WORDS = {"op", "van de"}
MINUS_WORDS = {"min", "minus"}

LINKERS = []
CURRENCIES = [
    (r"Canadese dollars?", "CAD"), (r"Australische dollars?", "AUD"), (r"Amerikaanse dollars?|dollars?", "USD"),
    (r"euro['’]?s?", "EUR"), (r"eurocent|cent", "cent"), (r"pond sterling|Britse pond", "GBP"), (r"pond", "POUND"),
    (r"pence|penny", "pence"), (r"Zwitserse frank(?:en)?|frank(?:en)?", "CHF"), (r"yen", "JPY"),
    (r"yuan", "CNY"), (r"gulden[s]?", "NLG"), (r"roepies?", "INR"), (r"roebel[s]?", "RUB"), (r"kronen|kroon", "SEK"),
]
UNITS = [
    (r"procentpunten|procentpunt", "pp", "percentage_point"), (r"basispunten|basispunt", "bp", "basis_point"),
    (r"procent|percent|pct", "%", "percent"),
    (r"vierkante kilometers?", "km2", "measure"), (r"vierkante meters?", "m2", "measure"),
    (r"kubieke meters?", "m3", "measure"), (r"kilometers? per uur", "km/h", "measure"),
    (r"kilometers?", "km", "measure"), (r"centimeters?", "cm", "measure"), (r"millimeters?", "mm", "measure"),
    (r"meters?", "m", "measure"), (r"mijlen|mijl", "mi", "measure"), (r"kubieke voet", "cu ft", "measure"),
    (r"voet", "ft", "measure"), (r"inch(?:es)?|duim", "in", "measure"), (r"hectares?", "ha", "measure"),
    (r"acres?", "acre", "measure"), (r"metrische ton(?:nen)?|ton(?:nen)?", "t", "measure"),
    (r"kilogram(?:men)?|kilo['’]?s?", "kg", "measure"), (r"milligram(?:men)?", "mg", "measure"),
    (r"microgram(?:men)?", "μg", "measure"), (r"gram(?:men)?", "g", "measure"), (r"milliliters?", "ml", "measure"),
    (r"liters?", "l", "measure"), (r"gallons?", "gal", "measure"), (r"vaten|vat", "bbl", "measure"),
    (r"theelepels?", "tsp", "measure"), (r"graden Celsius|graden", "degC", "measure"),
    (r"decennia|decennium", "decade", "duration"), (r"eeuwen|eeuw", "century", "duration"),
    (r"jaren|jaar", "year", "duration"), (r"maanden|maand", "month", "duration"), (r"weken|week", "week", "duration"),
    (r"dagen|dag", "day", "duration"), (r"uren|uur", "hour", "duration"), (r"minuten|minuut", "minute", "duration"),
    (r"seconden|seconde", "second", "duration"), (r"punten|punt", "point", "measure"), (r"keer|maal", None, "multiple"),
]

QUALIFIERS = {
    "approximate": "ongeveer|circa|ca.|zo'n|rond|rond de|rondom|bijna|pakweg|omstreeks|nagenoeg|zowat|plusminus"
                   "|ongeveer een|om en nabij",
    "more_than": "meer dan|ruim|boven de|bijna|over de",
    "at_least": "minstens|ten minste|tenminste|minimaal|op zijn minst",
    "less_than": "minder dan|nog geen|onder de|krap",
    "at_most": "tot|tot wel|maximaal|hooguit|ten hoogste|tot aan|hoogstens",
}
RANGE_WORDS = {"tot"}
RANGE_OPENERS = {"tussen": "en"}
FROM_TO = {"van": "naar"}    # a change from one amount to another: the first takes the unit of the second

MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december", "jan", "feb", "mrt", "apr", "jun", "jul", "aug", "sep", "sept", "okt", "nov", "dec"]
TIME_AFTER = ["uur", "u"]
TIME_BEFORE = ["om"]
REFERENCE_WORDS = ["nr", "nummer", "art", "artikel", "lid", "hoofdstuk", "pagina", "blz", "p", "wet", "sectie",
                   "lijn", "vlucht", "zaal", "spoor", "kamer", "straat", "weg", "snelweg", "a", "n"]
DECADE_WORDS = ["jaren"]          # the number after the plural of "year" names a decade
DATE_LINKERS = []
ORDINAL_DOT = False
