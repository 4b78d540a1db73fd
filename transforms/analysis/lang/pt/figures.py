"""Portuguese figures: how Portuguese writes numbers, amounts, units and hedges (data for
transforms/analysis/pack_figures.py).

Read by the language-neutral reader in transforms/analysis/pack_figures.py (whose opening comment says what
each name means); this file only lists Portuguese spellings (Brazil and Portugal).
"""

ENGINE = "local"
DECIMAL = ","                # 1.234,5; 1 234,5

GLUED = False                # "vinte e três": words joined by "e"
UNIT_FIRST = False
CONNECTORS = {"e"}
NUMBERS = {
    "zero": 0, "um": 1, "uma": 1, "dois": 2, "duas": 2, "três": 3, "quatro": 4, "cinco": 5, "seis": 6, "sete": 7,
    "oito": 8, "nove": 9, "dez": 10, "onze": 11, "doze": 12, "treze": 13, "catorze": 14, "quatorze": 14,
    "quinze": 15, "dezesseis": 16, "dezasseis": 16, "dezessete": 17, "dezassete": 17, "dezoito": 18,
    "dezenove": 19, "dezanove": 19, "vinte": 20, "trinta": 30, "quarenta": 40, "cinquenta": 50, "cinqüenta": 50,
    "sessenta": 60, "setenta": 70, "oitenta": 80, "noventa": 90,
}
HUNDRED = {}
HUNDREDS = {
    "cem": 100, "cento": 100, "duzentos": 200, "duzentas": 200, "trezentos": 300, "trezentas": 300,
    "quatrocentos": 400, "quatrocentas": 400, "quinhentos": 500, "quinhentas": 500, "seiscentos": 600,
    "seiscentas": 600, "setecentos": 700, "setecentas": 700, "oitocentos": 800, "oitocentas": 800,
    "novecentos": 900, "novecentas": 900,
}
SCALES = {"mil": 1e3, "milhão": 1e6, "milhões": 1e6, "milhao": 1e6, "milhoes": 1e6, "bilhão": 1e9, "bilhões": 1e9,
          "bilião": 1e12, "biliões": 1e12, "trilhão": 1e12, "trilhões": 1e12}
SCALE_ABBREVIATIONS = {"mi": 1e6, "bi": 1e9, "mil": 1e3, "tri": 1e12}
# Plural scale words alone mean "very many", not one million: "milhões de pessoas" is no figure.
VAGUE_SCALES = {"milhões", "milhoes", "bilhões", "bilhoes", "biliões", "trilhões"}
ARTICLES = {"um", "uma"}
SPECIAL = {}
DOZEN = {"dúzia": 12, "dúzias": 12, "dezena": 10, "dezenas": 10, "centena": 100, "centenas": 100}
HALF = {"meio", "meia"}
FRACTIONS = {
    "meio": 2, "meios": 2, "terço": 3, "terços": 3, "quarto": 4, "quartos": 4, "quinto": 5, "quintos": 5,
    "sexto": 6, "sextos": 6, "sétimo": 7, "sétimos": 7, "oitavo": 8, "oitavos": 8, "nono": 9, "nonos": 9,
    "décimo": 10, "décimos": 10, "centésimo": 100, "centésimos": 100, "milésimo": 1e3, "milésimos": 1e3,
    "milionésimo": 1e6, "milionésimos": 1e6, "bilionésimo": 1e9, "bilionésimos": 1e9,
}
FRACTION_SUFFIXES = []
FRACTION_AFTER = {"avos"}       # "dois onze avos" = 2/11
DECIMAL_WORDS = {"vírgula", "ponto"}
FRACTION_AND = {"com"}         # "e" joins tens and units: "trinta e dois quintos" = 32/5
RATIO_WORDS = {"sobre", "em cada"}
MINUS_WORDS = {"menos"}

LINKERS = ["de"]
CURRENCIES = [
    (r"d[óo]lares canadenses|d[óo]lar canadense", "CAD"), (r"d[óo]lares australianos|d[óo]lar australiano", "AUD"),
    (r"d[óo]lares de Hong Kong", "HKD"), (r"d[óo]lares|d[óo]lar", "USD"), (r"reais|real", "BRL"),
    (r"euros?", "EUR"), (r"c[êe]ntimos?|centavos?", "cent"), (r"p[êe]nis|penies|pence|p[êe]ni", "pence"),
    (r"libras? esterlinas?", "GBP"), (r"libras?", "POUND"), (r"francos? su[íi]ços?", "CHF"), (r"francos?", "FRF"),
    (r"ienes|iene|yenes|yen", "JPY"), (r"yuans?|iuanes|iuane", "CNY"), (r"pesetas?", "ESP"),
    (r"florins|florim", "NLG"), (r"rupias?", "INR"), (r"rublos?", "RUB"), (r"pesos?", "MXN"),
]
UNITS = [
    (r"pontos? percentua(?:l|is)", "pp", "percentage_point"), (r"pontos?[ -]base", "bp", "basis_point"),
    (r"por ?cento", "%", "percent"),
    (r"quil[ôóo]metros? quadrados?", "km2", "measure"), (r"metros? quadrados?", "m2", "measure"),
    (r"metros? c[úu]bicos?", "m3", "measure"), (r"quil[ôóo]metros? por hora", "km/h", "measure"),
    (r"quil[ôóo]metros?|kil[ôóo]metros?", "km", "measure"), (r"cent[íi]metros?", "cm", "measure"),
    (r"mil[íi]metros?", "mm", "measure"), (r"metros?", "m", "measure"), (r"milhas?", "mi", "measure"),
    (r"p[ée]s c[úu]bicos?", "cu ft", "measure"), (r"p[ée]s|p[ée]", "ft", "measure"), (r"polegadas?", "in", "measure"),
    (r"jardas?", "yd", "measure"), (r"hectares?", "ha", "measure"), (r"acres?", "acre", "measure"),
    (r"toneladas? m[ée]tricas?|toneladas?|t m[ée]tricas?", "t", "measure"),
    (r"quilogramas?|quilos?", "kg", "measure"), (r"miligramas?", "mg", "measure"),
    (r"microgramas?", "μg", "measure"), (r"gramas?", "g", "measure"), (r"mililitros?", "ml", "measure"),
    (r"litros?", "l", "measure"), (r"gal[õo]es|gal[ãa]o", "gal", "measure"), (r"barris|barril", "bbl", "measure"),
    (r"on[çc]as?", "oz", "measure"), (r"graus? Celsius|graus? cent[íi]grados?", "degC", "measure"),
    (r"graus?", "degree", "measure"), (r"d[ée]cadas?", "decade", "duration"), (r"s[ée]culos?", "century", "duration"),
    (r"anos?", "year", "duration"), (r"meses|m[êe]s", "month", "duration"), (r"semanas?", "week", "duration"),
    (r"dias?", "day", "duration"), (r"horas?", "hour", "duration"), (r"minutos?", "minute", "duration"),
    (r"segundos?", "second", "duration"), (r"pontos?", "point", "measure"), (r"vezes", None, "multiple"),
]

QUALIFIERS = {
    "approximate": "cerca de|aproximadamente|quase|por volta de|em torno de|uns|umas|perto de|aprox.|mais ou menos",
    "more_than": "mais de|acima de|superior a|superiores a",
    "at_least": "pelo menos|no mínimo|ao menos",
    "less_than": "menos de|abaixo de|inferior a|inferiores a",
    "at_most": "até|no máximo",
}
RANGE_WORDS = {"a"}
RANGE_OPENERS = {"entre": "e"}
FROM_TO = {"de": "para"}    # a change from one amount to another: the first takes the unit of the second

MONTHS = ["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro",
          "novembro", "dezembro", "jan", "fev", "mar", "abr", "jun", "jul", "ago", "set", "out", "nov", "dez"]
TIME_AFTER = ["h", "hrs"]
TIME_BEFORE = ["às"]
REFERENCE_WORDS = ["n", "nº", "no", "número", "art", "artigo", "inciso", "capítulo", "página", "pág", "lei",
                   "decreto", "seção", "secção", "linha", "voo", "sala", "rua", "avenida", "rodovia", "br"]
DECADE_WORDS = ["anos"]          # the number after the plural of "year" names a decade
DATE_LINKERS = ["de"]
ORDINAL_DOT = False
