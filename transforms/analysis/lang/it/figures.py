"""Italian figures: how Italian writes numbers, amounts, units and hedges (data for
transforms/analysis/pack_figures.py).

Read by the language-neutral reader in transforms/analysis/pack_figures.py (whose opening comment says what
each name means); this file only lists Italian spellings.
"""

ENGINE = "local"
DECIMAL = ","                # 1.234,5

GLUED = True                 # "duecentoquarantatré", "trentuno" (elided "trent" + "uno"), "tremila"
UNIT_FIRST = False
CONNECTORS = {"e"}
NUMBERS = {
    "zero": 0, "uno": 1, "un": 1, "una": 1, "due": 2, "tre": 3, "tré": 3, "quattro": 4, "cinque": 5, "sei": 6,
    "sette": 7, "otto": 8, "nove": 9, "dieci": 10, "undici": 11, "dodici": 12, "tredici": 13, "quattordici": 14,
    "quindici": 15, "sedici": 16, "diciassette": 17, "diciotto": 18, "diciannove": 19,
    "venti": 20, "vent": 20, "trenta": 30, "trent": 30, "quaranta": 40, "quarant": 40, "cinquanta": 50,
    "cinquant": 50, "sessanta": 60, "sessant": 60, "settanta": 70, "settant": 70, "ottanta": 80, "ottant": 80,
    "novanta": 90, "novant": 90,
}
HUNDRED = {"cento": 100, "cent": 100}
HUNDREDS = {}
SCALES = {"mille": 1e3, "mila": 1e3, "milione": 1e6, "milioni": 1e6, "miliardo": 1e9, "miliardi": 1e9,
          "bilione": 1e12, "bilioni": 1e12}
SCALE_ABBREVIATIONS = {"mln": 1e6, "mld": 1e9, "mrd": 1e9, "mld.": 1e9}
# Plural scale words alone mean "very many", not one million: "milioni di persone" is no figure.
VAGUE_SCALES = {"milioni", "miliardi", "bilioni"}
ARTICLES = {"un", "una"}
# Words that are also common words ("sei" = you are, "venti" = winds): read only with a unit, scale or currency.
AMBIGUOUS = {"sei", "venti"}
SPECIAL = {}
DOZEN = {"dozzina": 12, "dozzine": 12, "decina": 10, "decine": 10, "centinaio": 100, "centinaia": 100}
HALF = {"mezzo", "mezza"}
FRACTIONS = {
    "mezzo": 2, "mezzi": 2, "terzo": 3, "terzi": 3, "quarto": 4, "quarti": 4, "quinto": 5, "quinti": 5,
    "sesto": 6, "sesti": 6, "settimo": 7, "settimi": 7, "ottavo": 8, "ottavi": 8, "nono": 9, "noni": 9,
    "decimo": 10, "decimi": 10, "centesimo": 100, "centesimi": 100, "millesimo": 1e3, "millesimi": 1e3,
    "milionesimo": 1e6, "milionesimi": 1e6, "miliardesimo": 1e9, "miliardesimi": 1e9, "bilionesimo": 1e12,
    "bilionesimi": 1e12,
}
FRACTION_SUFFIXES = ["esimi", "esimo", "esime", "esima"]   # "ventesimi"
DECIMAL_WORDS = {"virgola", "punto"}
FRACTION_AND = {"e"}
RATIO_WORDS = {"su"}
MINUS_WORDS = {"meno"}

LINKERS = ["di"]
CURRENCY_BEFORE = True       # "dollari 996"
CURRENCIES = [
    (r"dollari canadesi|dollaro canadese", "CAD"), (r"dollari australiani|dollaro australiano", "AUD"),
    (r"dollari di Hong Kong", "HKD"), (r"dollari|dollaro", "USD"), (r"euro", "EUR"), (r"centesimi", "cent"),
    (r"pence|penny", "pence"), (r"sterline|sterlina|lire sterline", "GBP"), (r"libbre|libbra", "POUND"),
    (r"franchi svizzeri|franco svizzero", "CHF"), (r"franchi|franco", "FRF"), (r"yen", "JPY"),
    (r"yuan", "CNY"), (r"pesetas?", "ESP"), (r"fiorini|fiorino", "NLG"), (r"rupie|rupia", "INR"),
    (r"rubli|rublo", "RUB"), (r"lire|lira", "ITL"),
]
UNITS = [
    (r"punti percentuali|punto percentuale", "pp", "percentage_point"), (r"punti base|punti-base", "bp", "basis_point"),
    (r"per ?cento|percentuale", "%", "percent"),
    (r"chilometri quadrati|chilometro quadrato", "km2", "measure"),
    (r"metri quadrati|metri quadri|metro quadrato|metro quadro", "m2", "measure"),
    (r"metri cubi|metro cubo", "m3", "measure"), (r"chilometri orari|chilometri all['’]ora", "km/h", "measure"),
    (r"chilometri|chilometro", "km", "measure"), (r"centimetri|centimetro", "cm", "measure"),
    (r"millimetri|millimetro", "mm", "measure"), (r"metri|metro", "m", "measure"), (r"miglia|miglio", "mi", "measure"),
    (r"piedi cubi", "cu ft", "measure"), (r"piedi|piede", "ft", "measure"), (r"pollici|pollice", "in", "measure"),
    (r"ettari|ettaro", "ha", "measure"), (r"acri|acro", "acre", "measure"),
    (r"tonnellate(?: metriche)?|tonnellata(?: metrica)?", "t", "measure"),
    (r"chilogrammi|chilogrammo|chili|chilo", "kg", "measure"), (r"milligrammi", "mg", "measure"),
    (r"microgrammi", "μg", "measure"), (r"grammi|grammo", "g", "measure"), (r"millilitri", "ml", "measure"),
    (r"litri|litro", "l", "measure"), (r"galloni|gallone", "gal", "measure"), (r"barili|barile", "bbl", "measure"),
    (r"once|oncia", "oz", "measure"), (r"gradi centigradi|gradi Celsius", "degC", "measure"),
    (r"gradi|grado", "degree", "measure"), (r"decenni|decennio", "decade", "duration"),
    (r"secoli|secolo", "century", "duration"), (r"anni|anno", "year", "duration"), (r"mesi|mese", "month", "duration"),
    (r"settimane|settimana", "week", "duration"), (r"giorni|giorno", "day", "duration"),
    (r"ore|ora", "hour", "duration"), (r"minuti|minuto", "minute", "duration"),
    (r"secondi|secondo", "second", "duration"), (r"punti|punto", "point", "measure"), (r"volte", None, "multiple"),
]

QUALIFIERS = {
    "approximate": "circa|quasi|intorno a|intorno ai|intorno alle|attorno a|attorno ai|all'incirca|pressappoco"
                   "|pressoché|sui|sulle|ca.",
    "more_than": "più di|piu di|oltre|sopra i|sopra le|superiore a",
    "at_least": "almeno|non meno di|perlomeno",
    "less_than": "meno di|sotto i|sotto le|inferiore a",
    "at_most": "fino a|al massimo|non più di|fino ai|fino alle",
}
RANGE_WORDS = {"a"}
RANGE_OPENERS = {"tra": "e", "fra": "e", "dal": "al"}          # "dal 5 al 10 %"

MONTHS = ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre",
          "novembre", "dicembre", "genn", "febbr", "apr", "giu", "lug", "ago", "sett", "ott", "nov", "dic"]
TIME_AFTER = ["h"]
TIME_BEFORE = ["ore", "alle"]
REFERENCE_WORDS = ["n", "nr", "numero", "art", "articolo", "comma", "capitolo", "pagina", "pag", "legge", "decreto",
                   "sezione", "linea", "volo", "sala", "via", "piazza", "corso", "binario", "statale", "ss"]
DECADE_WORDS = ["anni"]          # the number after the plural of "year" names a decade
DATE_LINKERS = ["del"]
ORDINAL_DOT = False
