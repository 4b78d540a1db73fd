"""English figures: the words and spellings the English figure reader knows (data for transforms/analysis/figures.py).

English keeps its own reader (ENGINE = "english"): the rules around these tables were tuned on English news
and stay in transforms/analysis/figures.py; the word lists, unit spellings and hedges live here.
"""

ENGINE = "english"

# ---------------------------------------------------------------- number words

UNITS_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS_WORDS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
              "eighty": 80, "ninety": 90}
SCALE_WORDS = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
SCALE_ABBREVIATIONS = {"k": 1e3, "mn": 1e6, "mln": 1e6, "mil": 1e6, "m": 1e6, "bn": 1e9, "bln": 1e9, "bil": 1e9,
                       "b": 1e9, "tn": 1e12, "trn": 1e12}
# Indian scale words, only after a number: "₹1.5 lakh crore" = 1.5 x 10^5 x 10^7.
SCALE_FACTORS = {**SCALE_WORDS, "lakh": 1e5, "lakhs": 1e5, "crore": 1e7, "crores": 1e7}
ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "hundredth": 100,
}
DENOMINATORS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4,
                "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6, "seventh": 7, "sevenths": 7,
                "eighth": 8, "eighths": 8, "ninth": 9, "ninths": 9, "tenth": 10, "tenths": 10}
# Plural scale words used on their own ("millions of refugees"): lowest value and the next scale up.
VAGUE = {"dozens": (24, 144), "scores": (20, 400), "hundreds": (100, 1e3), "thousands": (1e3, 1e6),
         "millions": (1e6, 1e9), "billions": (1e9, 1e12), "trillions": (1e12, 1e15)}
VULGAR = {"½": 0.5, "⅓": 1 / 3, "⅔": 2 / 3, "¼": 0.25, "¾": 0.75, "⅕": 0.2, "⅛": 0.125}

# ---------------------------------------------------------------- currencies and units

CURRENCY_PREFIX = r"""
    US\s?\$ | U\.S\.\s?\$ | \$US | AU?\$ | AU\s\$ | \$A(?=\d) | CA?\$ | CA\s\$ | NZ\s?\$ | HK\s?\$ | S\$ | R\$ | CN¥
  | \$ | € | £ | ¥ | Y= | ₹ | ₪ | ₩ | ₽ | Rs\.? | PS(?=\d) | RM(?=\d)
  | R(?=\d[\d,.]*\s?(?:billion|million|trillion|bn|mn|tn|m)\b)          # South African rand: R23.9 billion
  | (?:USD|EUR|GBP|JPY|CNY|RMB|INR|AUD|CAD|NZD|HKD|SGD|CHF|ZAR|ILS|NIS|MYR|KRW|RUB|BRL|MXN|SEK|NOK|DKK|PLN
    |TRY|SAR|AED)(?=\s?[\d.])
"""
PREFIX_CODES = {"$": "USD", "us$": "USD", "u.s.$": "USD", "$us": "USD", "a$": "AUD", "au$": "AUD",
                "$a": "AUD", "c$": "CAD", "ca$": "CAD", "nz$": "NZD", "hk$": "HKD", "s$": "SGD",
                "r$": "BRL", "cn¥": "CNY", "€": "EUR", "£": "GBP", "ps": "GBP", "¥": "JPY", "y=": "JPY",
                "₹": "INR", "rs": "INR", "rs.": "INR", "r": "ZAR", "₪": "ILS", "₩": "KRW", "₽": "RUB",
                "rm": "MYR",
                "rmb": "CNY", "nis": "ILS"}

# (regex, canonical unit, kind). Order matters: longer and more specific spellings first.
# (?i:...) marks spellings matched in any case; symbols such as "m", "W" or "C" are case-sensitive.
UNIT_TABLE = [
    # money written after the number
    (r"(?i:(?:US|U\.S\.|American)\s+dollars?)", "USD", "money"),
    (r"(?i:Australian\s+dollars?)", "AUD", "money"), (r"(?i:Canadian\s+dollars?)", "CAD", "money"),
    (r"(?i:New\s+Zealand\s+dollars?)", "NZD", "money"), (r"(?i:Hong\s+Kong\s+dollars?)", "HKD", "money"),
    (r"(?i:Singapore(?:an)?\s+dollars?)", "SGD", "money"), (r"(?i:Taiwan(?:ese)?\s+dollars?)", "TWD", "money"),
    (r"(?i:dollars?)", "USD", "money"), (r"(?i:(?:d['’])?euros?)", "EUR", "money"),   # "1,8 million d'euros"
    (r"(?i:pounds?\s+sterling|sterling)", "GBP", "money"),
    (r"(?i:Swedish\s+(?:crowns?|kronor|krona))", "SEK", "money"),
    (r"(?i:Norwegian\s+(?:crowns?|kroner|krone))", "NOK", "money"),
    (r"(?i:Czech\s+(?:crowns?|korunas?))", "CZK", "money"),
    (r"(?i:(?:Danish\s+)?(?:crowns?|kroner|krone))", "DKK", "money"),
    (r"(?i:(?:Swiss\s+)?francs?)", "CHF", "money"), (r"(?i:(?:Japanese\s+)?yen)", "JPY", "money"),
    (r"(?i:yuan|renminbi)", "CNY", "money"), (r"(?i:(?:Indian\s+)?rupees?)", "INR", "money"),
    (r"(?i:(?:new\s+)?(?:Israeli\s+)?shekels?)", "ILS", "money"), (r"(?i:ringgit)", "MYR", "money"),
    (r"(?i:roubles?|rubles?)", "RUB", "money"), (r"(?i:rand)", "ZAR", "money"),
    (r"(?i:(?:Mexican\s+)?pesos?)", "MXN", "money"), (r"(?i:naira)", "NGN", "money"),
    (r"(?i:(?:Turkish\s+)?liras?)", "TRY", "money"), (r"(?i:rupiah)", "IDR", "money"),
    (r"(?i:baht)", "THB", "money"), (r"(?i:dirhams?)", "AED", "money"), (r"(?i:riyals?)", "SAR", "money"),
    (r"(?i:zloty(?:s)?)", "PLN", "money"), (r"(?i:forints?)", "HUF", "money"),
    (r"(?i:kuna)|kn", "HRK", "money"), (r"(?i:hryvnias?)", "UAH", "money"),
    (r"(?i:bitcoins?)", "BTC", "money"), (r"(?i:won)(?=\s*\()", "KRW", "money"),
    (r"USD|EUR|GBP|JPY|CNY|INR|AUD|CAD|NZD|HKD|SGD|CHF|ZAR|ILS|MYR|KRW|RUB|BRL|MXN|SEK|NOK|DKK|PLN|TRY",
    "CODE", "money"),
    (r"€", "EUR", "money"), (r"£", "GBP", "money"), (r"\$", "USD", "money"),
    (r"(?i:cents?)|¢", "cent", "money"), (r"(?i:pence)|p(?!\.?m\b)", "pence", "money"),
    (r"(?i:sen)", "sen", "money"),
    # shares and rates
    (r"(?i:percentage[\s-]points?|percent(?:age)?\s+pts?|ppts?)|pp", "pp", "percentage_point"),
    (r"(?i:basis[\s-]points?|bps|bp)", "bp", "basis_point"),
    (r"%|(?i:per[\s-]?cent|pct|pc)", "%", "percent"),
    # sports statistics per game: "21.4 ppg"
    (r"(?i:points?\s+(?:per|a)\s+game|ppg)", "point/game", "measure"),
    (r"(?i:rebounds?\s+(?:per|a)\s+game|rpg)", "rebound/game", "measure"),
    (r"(?i:assists?\s+(?:per|a)\s+game|apg)", "assist/game", "measure"),
    # baseball: "2.3 WAR", "a 3.45 ERA" (upper case only: "war" and "era" are words)
    (r"WAR", "wins above replacement", "measure"), (r"ERA", "earned run average", "measure"),
    (r"(?i:points?|pts)", "point", "measure"),
    # speed, economy, flow
    (r"(?i:kilomet(?:re|er)s?\s+(?:per|an|a)\s+hour|km/hr?|kph|kmh|kmph)", "km/h", "measure"),
    (r"(?i:miles?\s+(?:per|an|a)\s+hour|mph)", "mph", "measure"),
    (r"(?i:miles?\s+(?:per|a)\s+gallon|mpg)", "mpg", "measure"),
    (r"(?i:met(?:re|er)s?\s+per\s+second)|m/s", "m/s", "measure"), (r"(?i:knots?)", "knot", "measure"),
    (r"(?i:barrels?(?:\s+(?:per|a)\s+|-a-|-per-)day|bpd)|b/d", "bbl/day", "measure"),
    # area and volume
    (r"(?i:square\s+kilomet(?:re|er)s?|sq\.?\s?km)|km2|km²", "km2", "measure"),
    (r"(?i:square\s+met(?:re|er)s?|sq\.?\s?m|sqm)|m2|m²", "m2", "measure"),
    (r"(?i:square\s+miles?|sq\.?\s?mi)", "sq mi", "measure"),
    (r"(?i:square\s+(?:feet|foot)|sq\.?\s?ft|sqft)", "sq ft", "measure"),
    (r"(?i:cubic\s+(?:feet|foot)|cu\.?\s?ft)", "cu ft", "measure"),
    (r"(?i:cubic\s+met(?:re|er)s?)|m3|m³", "m3", "measure"),
    (r"(?i:hectares?)|ha", "ha", "measure"), (r"(?i:acres?)", "acre", "measure"),
    # length
    (r"(?i:kilomet(?:re|er)s?|kms?)", "km", "measure"), (r"(?i:centimet(?:re|er)s?)|cm", "cm", "measure"),
    (r"(?i:millimet(?:re|er)s?)|mm", "mm", "measure"),
    (r"(?i:micromet(?:re|er)s?|microns?)|[μµ]m", "um", "measure"),
    (r"(?i:nanomet(?:re|er)s?)|nm", "nm", "measure"), (r"(?i:light[\s-]years?)", "ly", "measure"),
    (r"(?i:met(?:re|er)s?)|m", "m", "measure"), (r"(?i:miles?)", "mi", "measure"),
    (r"(?i:yards?|yds?)", "yd", "measure"), (r"(?i:feet|foot|ft)", "ft", "measure"),
    (r"(?i:inch(?:es)?)|″", "in", "measure"),
    # mass (torque first: "pound-feet", "lb-ft")
    (r"(?i:pound[\s-](?:feet|foot)|lb\.?[\s-]ft\.?|foot[\s-]pounds?)", "lb-ft", "measure"),
    (r"(?i:kilo(?:gram(?:me)?)?s?|kgs?)", "kg", "measure"), (r"(?i:milligram(?:me)?s?)|mg", "mg", "measure"),
    (r"(?i:microgram(?:me)?s?|mcg)|μg", "ug", "measure"), (r"(?i:gram(?:me)?s?)|g", "g", "measure"),
    (r"(?i:(?:metric\s+)?tonnes?|metric\s+tons?)", "t", "measure"), (r"(?i:tons?)", "ton", "measure"),
    (r"(?i:lbs?)", "lb", "measure"), (r"(?i:pounds?)", "POUND", "measure"), (r"(?i:ounces?)|oz", "oz", "measure"),
    (r"(?i:gigatons?|gigatonnes?)|Gt", "Gt", "measure"),
    # volume
    (r"(?i:millilit(?:re|er)s?)|ml|mL", "ml", "measure"), (r"(?i:lit(?:re|er)s?)|L|l", "l", "measure"),
    (r"(?i:gallons?)", "gal", "measure"), (r"(?i:pints?)", "pint", "measure"), (r"(?i:quarts?)", "quart", "measure"),
    (r"(?i:barrels?)|bbl", "bbl", "measure"),
    # temperature and angle
    (r"(?i:degrees?\s+(?:celsius|centigrade|C)|celsius|centigrade)|[°º]\s?C|deg\s?C|C", "degC", "measure"),
    (r"(?i:degrees?\s+(?:fahrenheit|F)|fahrenheit)|[°º]\s?F|deg\s?F|F", "degF", "measure"),
    (r"(?i:degrees?)|°", "degree", "measure"),
    # age and time
    (r"(?i:years?[\s-]old|-?years?-old|yo)", "year", "age"),
    (r"(?i:months?[\s-]old|months?-old)", "month", "age"),
    (r"(?i:weeks?[\s-]old|weeks?-old)", "week", "age"), (r"(?i:days?[\s-]old|days?-old)", "day", "age"),
    (r"(?i:decades?)", "decade", "duration"), (r"(?i:centuries|century)", "century", "duration"),
    (r"(?i:years?|yrs?)", "year", "duration"), (r"(?i:months?)", "month", "duration"),
    (r"(?i:weeks?|wks?)", "week", "duration"), (r"(?i:days?)", "day", "duration"),
    (r"(?i:hours?|hrs?)|(?<=\d)h", "hour", "duration"), (r"(?i:minutes?|mins?)", "minute", "duration"),
    (r"(?i:milliseconds?)|ms", "ms", "duration"), (r"(?i:seconds?|secs?)", "second", "duration"),
    # energy, power, electricity
    (r"(?i:kilowatt[\s-]hours?)|kWh|KWh", "kWh", "measure"), (r"(?i:megawatt[\s-]hours?)|MWh", "MWh", "measure"),
    (r"(?i:gigawatt[\s-]hours?)|GWh", "GWh", "measure"), (r"(?i:terawatt[\s-]hours?)|TWh", "TWh", "measure"),
    (r"(?i:kilowatts?)|kW|KW", "kW", "measure"), (r"(?i:megawatts?)|MW", "MW", "measure"),
    (r"(?i:gigawatts?)|GW", "GW", "measure"), (r"(?i:terawatts?)|TW", "TW", "measure"),
    (r"(?i:watts?)|W", "W", "measure"), (r"(?i:brake\s+horsepower|bhp)", "bhp", "measure"),
    (r"(?i:horsepower|hp)|PS", "hp", "measure"), (r"(?i:kilocalories|kcal|calories?)", "kcal", "measure"),
    (r"(?i:kilovolts?)|kV", "kV", "measure"), (r"(?i:volts?)|V", "V", "measure"),
    (r"(?i:amps?|amperes?)", "A", "measure"),
    (r"(?i:milliamp(?:ere)?[\s-]hours?)|mAh", "mAh", "measure"),
    (r"(?i:newton[\s-]met(?:re|er)s?)|Nm|N·m", "N·m", "measure"),
    # data, frequency, pressure, concentration, sound
    (r"(?i:terabytes?)|TB", "TB", "measure"), (r"(?i:gigabytes?)|GB", "GB", "measure"),
    (r"(?i:megabytes?)|MB", "MB", "measure"), (r"(?i:kilobytes?)|KB|kB", "kB", "measure"),
    (r"(?i:gigabits?\s+per\s+second|gbps)", "Gbps", "measure"),
    (r"(?i:megabits?\s+per\s+second|mbps)", "Mbps", "measure"),
    (r"(?i:gigahertz|ghz)", "GHz", "measure"), (r"(?i:megahertz|mhz)", "MHz", "measure"),
    (r"(?i:kilohertz|khz)", "kHz", "measure"), (r"(?i:hertz|hz)", "Hz", "measure"),
    (r"(?i:gigapascals?|gpa)", "GPa", "measure"), (r"(?i:megapascals?|mpa)", "MPa", "measure"),
    (r"(?i:kilopascals?|kpa)", "kPa", "measure"), (r"(?i:psi)", "psi", "measure"),
    (r"(?i:parts?[\s-]per[\s-]million|ppm)", "ppm", "measure"),
    (r"(?i:parts?[\s-]per[\s-]billion|ppb)", "ppb", "measure"),
    (r"(?i:decibels?)|dB", "dB", "measure"), (r"(?i:rpm|revolutions\s+per\s+minute)", "rpm", "measure"),
    (r"(?i:megapixels?)|MP", "megapixel", "measure"), (r"(?i:carats?)", "carat", "measure"),
    (r"(?i:magnitude)", "magnitude", "measure"),
    (r"(?i:times|-?fold)", None, "multiple"),
]

# ---------------------------------------------------------------- labels and dates

REFERENCE_WORDS = frozenset("""No no Nos nos Number number Art Article article Section section Chapter chapter
Rule rule Page page p pp Room room Flight flight Route route Highway Interstate Unit unit Game game Channel channel
Model model Version version Level level Stage stage Phase phase Episode episode Season Category category Grade grade
Gate gate Platform platform Track track Lot lot Apt Suite Box Vol vol Issue issue Class class Type type Week Day
Ward ward District district Bill Proposition Prop Title Act Amendment Formula Tier tier Row row Seat seat Pier
Terminal Zone zone Term Hole hole Junction junction Exit exit ISO Nasdaq NASDAQ Nikkei FTSE DAX CAC ASX STOXX Stoxx
KOSPI Kospi TSX Sensex Nifty IBEX MIB Russell SP sp""".split())
MONTHS = frozenset("""Jan January Feb February Mar March Apr April May Jun June Jul July Aug August Sep Sept
September Oct October Nov November Dec December""".split())

# ---------------------------------------------------------------- hedges

QUALIFIER_WORDS = {
    tuple(phrase.split()): qualifier
    for qualifier, phrases in {
       "approximate": "some|about|around|roughly|approximately|approx.|approx|circa|c.|an estimated|estimated"
                      "|nearly|almost|close to|barely|in the region of|the best part of",
       "more_than": "more than|over|above|exceeding|in excess of|upwards of|greater than|north of|higher than"
                    "|over than",
       "at_least": "at least|no fewer than|no less than|a minimum of|not less than",
       "less_than": "less than|fewer than|under|below|shy of|lower than",
       "at_most": "at most|up to|a maximum of|no more than|not more than",
    }.items()
    for phrase in phrases.split("|")
}

# ---------------------------------------------------------------- changes

UP_WORDS = frozenset("""rose rise rises risen rising up increased increase increases increasing gained gain gains
gaining climbed climb climbs climbing jumped jump jumps jumping surged surge surges surging soared soar soars
soaring grew grow grows growing grown advanced advance advances advancing added add adds adding rallied rally
rallies boosted boost boosts spiked spike spikes widened widen widens higher expanded expand expands""".split())
DOWN_WORDS = frozenset("""fell fall falls fallen falling down dropped drop drops dropping declined decline declines
declining decreased decrease decreases decreasing lost lose loses losing slid slide slides sliding slipped slip
slips slipping plunged plunge plunges plunging plummeted plummet plummets plummeting tumbled tumble tumbles
tumbling sank sink sinks sunk shed sheds shedding eased ease eases easing dipped dip dips cut cuts slumped slump
slumps shrank shrink shrinks shrunk contracted contract contracts lower narrowed narrow narrows retreated
retreat retreats""".split())
# Words that may stand between a change verb and its figure: "rose by about", "fell a further".
CHANGE_FILLERS = frozenset("""by of a an just only some about around roughly nearly almost more less than over
under another further additional sharp steep""".split())
