"""French figures: how French writes numbers, amounts, units and hedges (data for
transforms/analysis/pack_figures.py).

Read by the language-neutral reader in transforms/analysis/pack_figures.py (whose opening comment says what
each name means); this file only lists French spellings.
"""

ENGINE = "local"
DECIMAL = ","                # 1 234,5 (space or narrow no-break space between thousands), 1.234,5

GLUED = False                # "vingt-trois", "deux cent trois": words joined by hyphens or spaces
UNIT_FIRST = False
CONNECTORS = {"et"}
NUMBERS = {
    "zéro": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8,
    "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16,
    "vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60, "septante": 70, "huitante": 80,
    "octante": 80, "nonante": 90, "quatre-vingt": 80, "quatre-vingts": 80,
}
HUNDRED = {"cent": 100, "cents": 100}
HUNDREDS = {}
SCALES = {"mille": 1e3, "mil": 1e3, "million": 1e6, "millions": 1e6, "milliard": 1e9, "milliards": 1e9,
          "billion": 1e12, "billions": 1e12}
SCALE_ABBREVIATIONS = {"md": 1e9, "mds": 1e9, "mrd": 1e9, "mrds": 1e9, "mio": 1e6, "mios": 1e6, "mln": 1e6}
# Plural scale words alone mean "very many", not one million: "des millions de personnes" is no figure.
VAGUE_SCALES = {"millions", "milliards", "billions"}
ARTICLES = {"un", "une"}
SPECIAL = {}
DOZEN = {"douzaine": 12, "douzaines": 12, "dizaine": 10, "dizaines": 10, "centaine": 100, "centaines": 100}
HALF = {"demi", "demie"}
FRACTIONS = {
    "demi": 2, "demie": 2, "demis": 2, "tiers": 3, "quart": 4, "quarts": 4, "cinquième": 5, "sixième": 6,
    "septième": 7, "huitième": 8, "neuvième": 9, "dixième": 10, "onzième": 11, "douzième": 12, "vingtième": 20,
    "trentième": 30, "centième": 100, "millième": 1e3, "millionième": 1e6, "milliardième": 1e9,
    "billionième": 1e12,
    **{w + "s": v for w, v in {"cinquième": 5, "sixième": 6, "septième": 7, "huitième": 8, "neuvième": 9,
                               "dixième": 10, "vingtième": 20, "centième": 100, "millième": 1e3,
                               "millionième": 1e6, "milliardième": 1e9, "billionième": 1e12}.items()},
}
FRACTION_SUFFIXES = ["ièmes", "ième"]   # "vingt et unième", "trentième"
DECIMAL_WORDS = {"virgule"}
FRACTION_AND = {"et"}
RATIO_WORDS = {"sur"}
MINUS_WORDS = set()

LINKERS = ["de", "des"]      # "3 millions de dollars", "1,5 million d'euros"
CURRENCIES = [
    (r"dollars? canadiens?", "CAD"), (r"dollars? australiens?", "AUD"), (r"dollars? (?:de )?Hong Kong", "HKD"),
    (r"dollars? américains?|dollars?", "USD"), (r"euros?", "EUR"), (r"centimes?|cents", "cent"),
    (r"livres? sterling", "GBP"), (r"livres?", "POUND"), (r"pence|penny", "pence"),
    (r"francs? suisses?|CHF", "CHF"), (r"francs? CFA", "XOF"), (r"francs?", "FRF"), (r"yens?", "JPY"),
    (r"yuans?", "CNY"), (r"roupies?", "INR"), (r"roubles?", "RUB"), (r"pesetas?", "ESP"), (r"florins?", "NLG"),
    (r"couronnes?", "SEK"), (r"dinars?", "DZD"), (r"dirhams?", "MAD"),
]
UNITS = [
    (r"points? de pourcentage", "pp", "percentage_point"), (r"points? de base", "bp", "basis_point"),
    (r"pour[ -]?cent|pourcentages?", "%", "percent"),
    (r"kilom[èe]tres? carr[ée]s?", "km2", "measure"), (r"m[èe]tres? carr[ée]s?", "m2", "measure"),
    (r"m[èe]tres? cubes?", "m3", "measure"), (r"kilom[èe]tres? (?:à l['’]heure|par heure|heure)", "km/h", "measure"),
    (r"kilom[èe]tres?", "km", "measure"), (r"centim[èe]tres?", "cm", "measure"), (r"millim[èe]tres?", "mm", "measure"),
    (r"d[ée]cim[èe]tres?", "dm", "measure"), (r"hectom[èe]tres?", "hm", "measure"), (r"m[èe]tres?", "m", "measure"),
    (r"milles", "mi", "measure"), (r"pieds? cubes?", "cu ft", "measure"), (r"pieds?", "ft", "measure"),
    (r"pouces?", "in", "measure"), (r"verges?", "yd", "measure"), (r"hectares?", "ha", "measure"),
    (r"acres?", "acre", "measure"), (r"tonnes? m[ée]triques?|tonnes?", "t", "measure"),
    (r"kilogrammes?|kilos?", "kg", "measure"), (r"milligrammes?", "mg", "measure"),
    (r"microgrammes?", "μg", "measure"), (r"grammes?", "g", "measure"), (r"millilitres?", "ml", "measure"),
    (r"litres?", "l", "measure"), (r"gallons?", "gal", "measure"), (r"barils?", "bbl", "measure"),
    (r"onces?", "oz", "measure"), (r"degr[ée]s? Celsius", "degC", "measure"), (r"degr[ée]s?", "degree", "measure"),
    (r"d[ée]cennies?", "decade", "duration"), (r"si[èe]cles?", "century", "duration"),
    (r"ans|années?|an", "year", "duration"), (r"mois", "month", "duration"), (r"semaines?", "week", "duration"),
    (r"jours?", "day", "duration"), (r"heures?", "hour", "duration"), (r"minutes?", "minute", "duration"),
    (r"secondes?", "second", "duration"), (r"points?", "point", "measure"), (r"fois", None, "multiple"),
]

QUALIFIERS = {
    "approximate": "environ|près de|près d'|presque|quelque|autour de|approximativement|à peu près|aux alentours de"
                   "|plus ou moins|quasiment|grosso modo|env.",
    "more_than": "plus de|plus d'|au-delà de|supérieur à|dépassant|au-dessus de",
    "at_least": "au moins|au minimum|pas moins de|pas moins d'",
    "less_than": "moins de|moins d'|inférieur à|en dessous de|en deçà de",
    "at_most": "jusqu'à|au plus|au maximum|pas plus de|pas plus d'",
}
RANGE_WORDS = {"à"}
RANGE_OPENERS = {"entre": "et"}

MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre", "janv", "févr", "avr", "juil", "sept", "oct", "nov", "déc"]
TIME_AFTER = ["h"]
TIME_BEFORE = []
REFERENCE_WORDS = ["n", "no", "numéro", "art", "article", "alinéa", "al", "chapitre", "page", "p", "ligne", "section",
                   "titre", "tome", "vol", "salle", "quai", "porte", "route", "autoroute", "rn", "rd", "loi", "décret",
                   "arrêté", "annexe", "chambre", "bâtiment", "rue"]
DECADE_WORDS = ["années"]          # the number after the plural of "year" names a decade
DATE_LINKERS = []
ORDINAL_DOT = False
