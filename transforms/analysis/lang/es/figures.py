"""Spanish figures: how Spanish writes numbers, amounts, units and hedges (data for
transforms/analysis/pack_figures.py).

Read by the language-neutral reader in transforms/analysis/pack_figures.py (whose opening comment says what
each name means); this file only lists Spanish spellings.
"""

ENGINE = "local"
DECIMAL = ","                # 1.234,5; 1 234,5

GLUED = False                # "veintitrés" is one word of the lexicon; "treinta y dos" three words
UNIT_FIRST = False
CONNECTORS = {"y"}
NUMBERS = {
    "cero": 0, "uno": 1, "un": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
    "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12, "trece": 13, "catorce": 14, "quince": 15,
    "dieciséis": 16, "diecisiete": 17, "dieciocho": 18, "diecinueve": 19, "veinte": 20, "veintiuno": 21,
    "veintiún": 21, "veintiuna": 21, "veintidós": 22, "veintitrés": 23, "veinticuatro": 24, "veinticinco": 25,
    "veintiséis": 26, "veintisiete": 27, "veintiocho": 28, "veintinueve": 29, "treinta": 30, "cuarenta": 40,
    "cincuenta": 50, "sesenta": 60, "setenta": 70, "ochenta": 80, "noventa": 90,
}
# The tens above twenty and their units may also be written as one word with "i" (RAE): "treintaicinco",
# "cuarentaidós".
NUMBERS.update({f"{tens}i{unit}": NUMBERS[tens] + NUMBERS[unit]
                for tens in ("treinta", "cuarenta", "cincuenta", "sesenta", "setenta", "ochenta", "noventa")
                for unit in ("uno", "un", "una", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve")})
HUNDRED = {}
HUNDREDS = {
    "cien": 100, "ciento": 100, "doscientos": 200, "doscientas": 200, "trescientos": 300, "trescientas": 300,
    "cuatrocientos": 400, "cuatrocientas": 400, "quinientos": 500, "quinientas": 500, "seiscientos": 600,
    "seiscientas": 600, "setecientos": 700, "setecientas": 700, "ochocientos": 800, "ochocientas": 800,
    "novecientos": 900, "novecientas": 900,
}
SCALES = {"mil": 1e3, "millón": 1e6, "millones": 1e6, "millardo": 1e9, "millardos": 1e9, "billón": 1e12,
          "billones": 1e12}
SCALE_ABBREVIATIONS = {"mill": 1e6, "mdd": 1e6, "mll": 1e6}
# Plural scale words alone mean "very many", not one million: "millones de personas" is no figure.
VAGUE_SCALES = {"millones", "millardos", "billones"}
ARTICLES = {"un", "una"}
SPECIAL = {}
DOZEN = {"docena": 12, "docenas": 12, "decena": 10, "decenas": 10, "centenar": 100, "centenares": 100}
HALF = {"medio", "media"}
FRACTIONS = {
    "medio": 2, "medios": 2, "tercio": 3, "tercios": 3, "cuarto": 4, "cuartos": 4, "quinto": 5, "quintos": 5,
    "sexto": 6, "sextos": 6, "séptimo": 7, "séptimos": 7, "octavo": 8, "octavos": 8, "noveno": 9, "novenos": 9,
    "décimo": 10, "décimos": 10, "centésimo": 100, "centésimos": 100, "centésima": 100, "centésimas": 100,
    "milésimo": 1e3, "milésimos": 1e3, "milésima": 1e3, "milésimas": 1e3, "millonésimo": 1e6, "millonésimos": 1e6,
    "millonésima": 1e6, "millonésimas": 1e6, "billonésimo": 1e12, "billonésimos": 1e12, "billonésima": 1e12,
    "billonésimas": 1e12,
}
FRACTION_SUFFIXES = ["avos", "avo", "avas", "ava"]      # "veinteavos", "veinticincoavo"
DECIMAL_WORDS = {"coma", "punto", "con"}
FRACTION_AND = {"con"}         # "y" joins tens and units: "treinta y dos quintos" = 32/5
RATIO_WORDS = {"sobre", "de cada"}
MINUS_WORDS = {"menos"}

LINKERS = ["de"]
CURRENCIES = [
    (r"d[óo]lares canadienses|d[óo]lar canadiense", "CAD"), (r"d[óo]lares australianos|d[óo]lar australiano", "AUD"),
    (r"d[óo]lares de Hong Kong", "HKD"), (r"d[óo]lares|d[óo]lar", "USD"), (r"euros?", "EUR"),
    (r"c[ée]ntimos?|centavos?", "cent"), (r"peniques?", "pence"), (r"libras? esterlinas?", "GBP"),
    (r"libras?", "POUND"), (r"francos? suizos?", "CHF"), (r"francos?", "FRF"), (r"yenes|yen", "JPY"),
    (r"yuanes|yuan", "CNY"), (r"pesetas?", "ESP"), (r"flor[íi]n|florines", "NLG"), (r"rupias?", "INR"),
    (r"pesos? mexicanos?|pesos?", "MXN"), (r"reales|real", "BRL"), (r"rublos?", "RUB"),
]
UNITS = [
    (r"puntos? porcentuales?", "pp", "percentage_point"), (r"puntos? b[áa]sicos?", "bp", "basis_point"),
    (r"por ?ciento|por cien", "%", "percent"),
    (r"kil[óo]metros? cuadrados?", "km2", "measure"), (r"metros? cuadrados?", "m2", "measure"),
    (r"metros? c[úu]bicos?", "m3", "measure"), (r"kil[óo]metros? por hora", "km/h", "measure"),
    (r"kil[óo]metros?", "km", "measure"), (r"cent[íi]metros?", "cm", "measure"), (r"mil[íi]metros?", "mm", "measure"),
    (r"metros?", "m", "measure"), (r"millas?", "mi", "measure"), (r"pies? c[úu]bicos?", "cu ft", "measure"),
    (r"pies?", "ft", "measure"), (r"pulgadas?", "in", "measure"), (r"yardas?", "yd", "measure"),
    (r"hect[áa]reas?", "ha", "measure"), (r"acres?", "acre", "measure"),
    (r"toneladas? m[ée]tricas?|toneladas?", "t", "measure"), (r"kilogramos?|kilos?", "kg", "measure"),
    (r"miligramos?", "mg", "measure"), (r"microgramos?", "μg", "measure"), (r"gramos?", "g", "measure"),
    (r"mililitros?", "ml", "measure"), (r"litros?", "l", "measure"), (r"galones|gal[óo]n", "gal", "measure"),
    (r"barriles|barril", "bbl", "measure"), (r"onzas?", "oz", "measure"), (r"grados? cent[íi]grados?|grados? Celsius",
                                                                         "degC", "measure"),
    (r"grados?", "degree", "measure"), (r"d[ée]cadas?", "decade", "duration"), (r"siglos?", "century", "duration"),
    (r"años?", "year", "duration"), (r"meses|mes", "month", "duration"), (r"semanas?", "week", "duration"),
    (r"d[íi]as?", "day", "duration"), (r"horas?", "hour", "duration"), (r"minutos?", "minute", "duration"),
    (r"segundos?", "second", "duration"), (r"puntos?", "point", "measure"), (r"veces", None, "multiple"),
]

QUALIFIERS = {
    "approximate": "cerca de|alrededor de|unos|unas|aproximadamente|casi|en torno a|aprox.|más o menos|del orden de",
    "more_than": "más de|mas de|por encima de|superior a|superiores a",
    "at_least": "al menos|por lo menos|como mínimo|no menos de",
    "less_than": "menos de|por debajo de|inferior a|inferiores a",
    "at_most": "hasta|como máximo|no más de",
}
RANGE_WORDS = {"a"}
RANGE_OPENERS = {"entre": "y", "del": "al"}          # "del 5 al 10 %"

MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "setiembre",
          "octubre", "noviembre", "diciembre", "ene", "feb", "mar", "abr", "jun", "jul", "ago", "sept", "sep",
          "oct", "nov", "dic"]
TIME_AFTER = ["h", "hrs"]
TIME_BEFORE = ["las"]
REFERENCE_WORDS = ["n", "no", "nº", "núm", "número", "art", "artículo", "apartado", "capítulo", "página", "pág",
                   "ley", "decreto", "sección", "línea", "vuelo", "sala", "calle", "avenida", "ruta", "título"]
DECADE_WORDS = ["años"]          # the number after the plural of "year" names a decade
DATE_LINKERS = ["de", "del"]
ORDINAL_DOT = False
