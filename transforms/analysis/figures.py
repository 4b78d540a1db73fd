"""Numeric figures in news text: counts, money, percentages, measures, ages, durations, ordinals.

`find_figures(text)` returns one dict per figure with its span, the value as a float (or a low/high
range), a normalised unit (ISO 4217 codes for money, "%" for percent, SI-style symbols for measures),
what the figure is about (`object`, with `object_start`/`object_end` into the text; see
transforms/analysis/figure_objects.py), how the amount is hedged (`qualifier`) and whether it is a change.

Rule-based and dependency-free so it can run on every article of a Beam pipeline: a handful of
precompiled regular expressions find candidate numbers; small lexicons read the currency, scale and
unit around each one; context rules drop numbers that are not figures (years, dates, times of day,
phone numbers, addresses, reference numbers such as "Game 7" or "iPhone 11", list enumerations, match
scores and vote tallies).
"""

import functools
import re

from transforms.analysis.figure_objects import _VERBS, attach_objects
from transforms.analysis.lang import pack as _language_pack
from transforms.analysis.lang.en import figures as _EN
from transforms.analysis.text import Sentences

# ---------------------------------------------------------------- number words

_UNITS_WORDS = _EN.UNITS_WORDS
_TENS_WORDS = _EN.TENS_WORDS
_SCALE_WORDS = _EN.SCALE_WORDS
_SCALE_ABBREVIATIONS = _EN.SCALE_ABBREVIATIONS
_SCALE_FACTORS = _EN.SCALE_FACTORS
_ORDINAL_WORDS = _EN.ORDINAL_WORDS
_DENOMINATORS = _EN.DENOMINATORS
_VAGUE = _EN.VAGUE
_VULGAR = _EN.VULGAR


def _alt(words):
    """Regex alternation, longest first so that "seventeen" is not read as "seven"."""
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


_WORD = _alt(list(_UNITS_WORDS) + list(_TENS_WORDS) + list(_SCALE_WORDS) + ["dozen"])
_ORD = _alt(_ORDINAL_WORDS)
_DEN = _alt(_DENOMINATORS)
# A decimal comma only before a scale word ("1,8 million d'euros"): elsewhere "1,8" is too likely a list.
_DECIMAL_COMMA = r"\d{1,3},\d{1,2}(?=\s?(?i:hundred|thousand|million|billion|trillion)(?![a-z]))"
# "and" joins number words only after a scale word ("two hundred and fifty"), not "four and five thousand".
_AND_AFTER_SCALE = "(?:" + "|".join(f"(?<={w})" for w in ("hundred", "thousand", "million", "billion", "dozen")) + ")"
_DIGITS = rf"{_DECIMAL_COMMA}|(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?|\.\d+"
_SCIENTIFIC = r"\d+(?:\.\d+)?\s?[×x]\s?10\^?[−-]?\d+"     # 1.99×10−30

# ---------------------------------------------------------------- currencies and units

_CURRENCY_PREFIX = _EN.CURRENCY_PREFIX
_PREFIX_CODES = _EN.PREFIX_CODES
_UNIT_TABLE = _EN.UNIT_TABLE
# One alternation over all spellings finds the unit; the table entry it came from is then found by
# trying the entries in order. A capturing group per entry would stop the regex engine from skipping
# alternatives on their first character and made unit look-up the slowest step of the extractor.
_UNIT_RE = re.compile(r"[\s-]?(?P<unit>" + "|".join(f"(?:{pattern})" for pattern, _, _ in _UNIT_TABLE)
                      + r")(?![A-Za-z0-9]|-\d)")   # not "two F-35 jets"
_UNIT_ENTRIES = [(re.compile(pattern), canon, kind) for pattern, canon, kind in _UNIT_TABLE]
_UNIT_SYMBOLS = frozenset("%$€£¢°º″μµ")
# Single-letter units that are accepted only attached to the number ("5h", "2L").
_ATTACHED_ONLY = {"hour", "l"}

# "$58.24 per barrel", "$3,500 a month", "10 cents per share": the denominator of a money rate.
_PER_RE = re.compile(r"""(?P<sep>\s+(?:per|an?|each)\s+|\s*(?:/|-a-|-per-)\s*)(?P<den>(?i:
    share|barrel|ounce|gallon|lit(?:re|er)|gram|kilo(?:gram)?|kg|tonne|ton|pound|lb
  | square\s+(?:foot|feet|met(?:re|er))|sq\.?\s?(?:ft|m)|sqm|acre|hectare
  | year|annum|month|week|day|hour|night|person|head|capita|unit|kwh|mwh|mmbtu|mile|km
))(?![A-Za-z])""", re.X)
_DENOMINATOR_CANON = {"share": "share", "barrel": "bbl", "ounce": "oz", "gallon": "gal", "litre": "l",
                      "liter": "l", "gram": "g", "kilo": "kg", "kilogram": "kg", "kg": "kg", "tonne": "t",
                      "ton": "ton", "pound": "lb", "lb": "lb", "square foot": "sq ft", "square feet": "sq ft",
                      "sq ft": "sq ft", "sqft": "sq ft", "square metre": "m2", "square meter": "m2",
                      "sq m": "m2", "sqm": "m2", "acre": "acre", "hectare": "ha", "year": "year",
                      "annum": "year", "month": "month", "week": "week", "day": "day", "hour": "hour",
                      "night": "night", "person": "person", "head": "person", "capita": "person",
                      "unit": "unit", "kwh": "kWh", "mwh": "MWh", "mmbtu": "MMBtu", "mile": "mi", "km": "km"}

# ---------------------------------------------------------------- candidate numbers

# One pass over the text finds every candidate: clock times, dates and phone numbers are matched
# too, so that their digits are consumed and never read as figures.
_CANDIDATE_RE = re.compile(rf"""
    (?P<skip>
        \d{{1,2}}:\d{{2}}(?::\d{{2}})?                               # 10:27, 4:39 (time, score)
      | \d{{1,4}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}(?!\d)                   # 12/25/2019, 2019-01-05
      | \+?\(?\d{{2,5}}\)?[\s.-]\d{{3,4}}[\s.-]\d{{3,4}}(?:[\s.-]\d{{2,4}})?(?![\d,.]\d)  # phones
      | (?<!\d)\d{{3}}-\d{{4}}(?!\d)
    )
  | (?<![A-Za-z])(?P<ratio>(?P<ratio_a>\d{{1,2}}|(?i:{_WORD}))\s+(?i:in|out\s+of)\s+(?P<ratio_b>\d+|(?i:{_WORD}))(?![\d,.]\d))
  | (?<![A-Za-z])(?P<fraction>(?i:(?P<numerator>{_WORD}|an?)[\s-](?P<denominator>{_DEN})|(?P<half>half)))(?![\w-])
  | (?P<slash>\d{{1,3}}\s?[/⁄]\s?\d{{1,4}})(?![\d/])
  | (?<![A-Za-z])(?P<ordinal>(?i:{_ORD})|\d+(?:st|nd|rd|th))(?![\w-])
  | (?<![A-Za-z])(?P<vague>(?i:(?:tens|hundreds)\s+of\s+(?:thousands|millions|billions)|dozens|scores|hundreds|thousands
                  |millions|billions|trillions|(?:several|a\s+few)\s+(?:hundred|thousand|million|billion)))
    (?![\w-])
  | (?:(?P<cur>{_CURRENCY_PREFIX})\s?)?
    (?P<sign>[-−+](?=[\d.]))?
    (?P<num>{_SCIENTIFIC}|{_DIGITS}|(?<![A-Za-z])(?i:(?:an?\s+(?=hundred|thousand|million|billion|trillion|dozen))?
        (?:{_WORD})(?:(?:[\s-]+|{_AND_AFTER_SCALE}\s+and\s+|\s+and\s+(?=a\s+half))(?:{_WORD}|a\s+half))*))
    (?P<vulgar>[½⅓⅔¼¾⅕⅛])?
    (?P<scale>(?:\s?(?i:hundred|thousand|million|billion|trillion|lakhs?|crores?))+(?![a-z])
             |\s?(?i:bn|bln|bil|mn|mln|mil|trn|tn)(?![A-Za-z])|[kKmMbB](?![A-Za-z])
             |\s[BM](?=\s+[a-z]+s\b))?           # "9 B users"
""", re.X)

_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
          r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
_MONTH_AFTER = re.compile(r"(?:st|nd|rd|th)?(?:\s+of)?\s+" + _MONTH + r"\b")
_CLOCK_AFTER = re.compile(r"\s?(?:[ap]\.?m\.?(?![A-Za-z])|o'clock|GMT|EST|EDT|PST|PDT|BST|CET|UTC)", re.I)
_ENUMERATION = re.compile(r"(?:^|\n)[ \t]*(?:[-*•][ \t]*)?\(?$")
_ENUM_MARK = re.compile(r"[.)][ \t]")
_STREET = re.compile(r"""(?:[-–]\d+)?(?:\s+(?:[NSEW]\.?|[A-Z][a-z]+|\d+(?:st|nd|rd|th))){0,3}\s+(?:St|Street|Rd|Road|Ave|Avenue
    |Blvd|Boulevard|Way|Lane|Ln|Drive|Dr|Place|Pl|Court|Ct|Terrace|Crescent|Highway|Hwy|Square|Parkway)\b\.?""",
                     re.X)
_REFERENCE_WORDS = _EN.REFERENCE_WORDS
_MONTHS = _EN.MONTHS
# Hedges written before the number, as lower-case word sequences.
_QUALIFIER_WORDS = _EN.QUALIFIER_WORDS
_SYMBOL_QUALIFIER = {"~": "approximate", "≈": "approximate", ">": "more_than", "≥": "at_least",
                     "<": "less_than", "≤": "at_most"}
_QUALIFIER_AFTER = re.compile(r"\s*(?:,\s*)?(?P<q>or\s+(?:more|above|higher|so|less|fewer|under|below)|\+)(?![\w])",
                              re.I)
_AFTER_QUALIFIER = {"more": "at_least", "above": "at_least", "higher": "at_least", "so": "approximate",
                    "less": "at_most", "fewer": "at_most", "under": "at_most", "below": "at_most",
                    "+": "at_least"}

_UP_WORDS = _EN.UP_WORDS
_DOWN_WORDS = _EN.DOWN_WORDS
_CHANGE_FILLERS = _EN.CHANGE_FILLERS
_CHANGE_AFTER = re.compile(r"[\s-]+(?:(?P<up>rise|increase|gain|jump|surge|rally|climb|advance|higher|hike"
                           r"|growth|up)|(?P<down>drop|fall|decline|decrease|loss|slide|plunge|cut|lower|down"
                           r"|slump|dip|reduction))\b", re.I)
_BOND_AFTER_RE = re.compile(r"[ \t]+(?:Treasury|Treasuries|treasury|treasuries|bonds?|notes?|gilts?|Bunds?|bunds?"
                            r"|yields?|JGBs?|OATs?|BTPs?)\b")
_US_SUFFIX_RE = re.compile(r"\s?(?:US|U\.S\.)(?![A-Za-z])")
_TIME_AGO_RE = re.compile(r"\s+(?:ago|earlier|before|later|prior)\b")
_APPOSITION_BEFORE_RE = re.compile(r"\b[A-Z][\w'’.-]+,\s$")
_APPOSITION_AFTER_RE = re.compile(r"\s*(?:[,)]|\.(?:\s|$))")
_BYLINE_RE = re.compile(r"(?:^|\n)[ \t]*By\s[^\n]*$")
_CAPITALISED_AFTER_RE = re.compile(r" ([A-Z]\w*)")
_FRACTION_UNIT_RE = re.compile(r"(?:\s+of)?\s+an?(?:\s+(?:US|U\.S\.|UK|imperial|metric))?(?=\s)")

# ---------------------------------------------------------------- counted noun phrases

_NP_RE = re.compile(r"(?:[ \t]+|-)?((?:[A-Za-z][A-Za-z'’.-]*(?:(?<=-)\d+)?|\d+[A-Za-z][\w-]*)(?:[ \t]+"
                    r"(?:[A-Za-z][A-Za-z'’-]*(?:(?<=-)\d+)?|\d+[A-Za-z]?[\w-]*)){0,5})")   # "COVID-19 tests"
_OF_NP_RE = re.compile(r"\s+of\s+(?:the\s+|an?\s+|its\s+|their\s+|his\s+|her\s+|our\s+|your\s+|those\s+|these\s+"
                       r"|all\s+|which\b|whom\b)?")
_STOP = frozenset("""
a an the this that these those his her its their our my your some any each every all both no other another such
which who whom whose what when where while why how than then there here it they we he she i you them him us me
of in on at for from to by with without about over under into onto across per as after before since until
during between among against through toward towards within around up down off out near via like amid despite
upon beyond behind below above along throughout including plus minus versus vs
and or but nor so yet if because though although whether unless whereas
is are was were be been being has have had do does did will would shall should can could may might must
says said say told according made make makes get gets got went go goes come came see saw seen took take
not only just also still even already very too ago later earlier now ever never
again away back each per cent percent here there once twice instead rather almost nearly around roughly
left remain remained remaining last next first second third
""".split())
_PLURAL_IRREGULAR = frozenset("""people men women children police personnel staff cattle sheep fish deer aircraft
feet teeth mice geese crew livestock offspring data media clergy folk youth""".split())
_NOT_PLURAL = frozenset("""is was has does his this its thus yes us bus gas plus news series species
always perhaps whereas across less unless various previous serious famous""".split())

_YEAR_RANGE = (1000, 2199)
_LETTERS_ANY_CASE_RE = re.compile(r"[A-Za-z]+")
_SCIENTIFIC_PARTS_RE = re.compile(r"([\d.]+)\s?[×x]\s?10\^?([−-]?\d+)")
_TOKEN_RE = re.compile(r"\S+")
_LEADING_INT_RE = re.compile(r"\d+")
_DIGITS_BEFORE_RE = re.compile(r"\d+$")
_SLASH_RE = re.compile(r"\s?[/⁄]\s?")
_WORD_END_RE = re.compile(r"[A-Za-z]+$")
_ORDINAL_NOUN_RE = re.compile(r"[ \t]+(?:(?P<streak>straight|consecutive|successive|running)[ \t]+)?"
                              r"(?P<noun>[A-Za-z]+)", re.I)
_ORDINAL_RUN_RE = re.compile(r"(?:[ \t]+(?P<noun>[a-z]+))?(?=[ \t]+(?:in[ \t]+a[ \t]+row|of[ \t]+the[ \t]+(?:season"
                             r"|year|campaign|tournament|series|championship))\b)")
_ORDINAL_NOUNS = frozenset("year term season month week day decade time generation anniversary".split())
_HALF_BLOCKERS = frozenset("first second latter former the this that last next each other top bottom back front one"
                           .split())
_HALF_SCALE_RE = re.compile(r"\s+an?\s+(million|billion|trillion|thousand|hundred|dozen)\b", re.I)
_HALF_NEXT_RE = re.compile(r"\s+(?:of|the|a|an|its|their|his|her|our|all|that|those|these|my|your)\b", re.I)


def _parse_words(text: str) -> tuple[float, int] | None:
    """Value of a number-word phrase ("twenty-two", "two hundred and fifty", "a dozen", "four and a half")
    and how many characters of it form a well-formed number."""
    total, current, end, last = 0.0, 0.0, 0, None
    for m in _LETTERS_ANY_CASE_RE.finditer(text):
        word = m.group().lower()
        if word in ("a", "an"):
            if last not in (None, "and"):
                break
            last = word
            continue
        if word == "and":
            last = word
            continue
        if word == "half":
            if last != "a" or total + current == 0:
                break
            current += 0.5
        elif word in _UNITS_WORDS:
            if last in ("unit", "a", "an") or (last == "tens" and _UNITS_WORDS[word] >= 10):
                break
            current += _UNITS_WORDS[word]
            last = "tens" if word in _TENS_WORDS else "unit"
        elif word in _TENS_WORDS:
            if last in ("unit", "tens", "a", "an"):
                break
            current += _TENS_WORDS[word]
            last = "tens"
        elif word == "dozen":
            current = (current or 1) * 12
            last = "scale"
        elif word in _SCALE_WORDS:
            scale = _SCALE_WORDS[word]
            if scale == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * scale
                current = 0
            last = "scale"
        else:
            break
        end = m.end()
        if last == "a":
            last = "unit"
    if end == 0:
        return None
    return total + current, end


def _parse_digits(raw: str) -> float:
    scientific = _SCIENTIFIC_PARTS_RE.fullmatch(raw)
    if scientific:
        return float(scientific.group(1)) * 10.0 ** int(scientific.group(2).replace("−", "-"))
    if _DECIMAL_COMMA_RE.fullmatch(raw):
        return float(raw.replace(",", "."))
    return float(raw.replace(",", ""))


_DECIMAL_COMMA_RE = re.compile(r"\d{1,3},\d{1,2}")


def _is_plural(word: str) -> bool:
    low = word.lower()
    if low in _PLURAL_IRREGULAR:
        return True
    if low in _NOT_PLURAL or low in _STOP or len(low) < 3:
        return False
    if low.endswith("men") and len(low) > 4:
        return True                         # "fishermen", "servicemen"
    return low.endswith("s") and not low.endswith(("ss", "us", "is", "'s", "’s"))


def _noun_phrase(text: str, pos: int, allow_singular: bool) -> tuple[int, int] | None:
    """The counted noun phrase starting at `pos` ("aid trucks", "European countries"): words up to the
    first function word, cut after the last plural noun (or after the first word for a singular count)."""
    m = _NP_RE.match(text, pos)
    if not m:
        return None
    words = []
    for w in _TOKEN_RE.finditer(m.group(1)):
        token = w.group().rstrip(".")
        low = token.lower()
        if low in ("and", "or") and words:
            continue                        # "digital and physical sales", "Kia and Hyundai vehicles"
        if low in _STOP or low.endswith("ly") and len(low) > 4 or not token or (token.isdigit() and not words):
            break
        words.append((token, m.start(1) + w.start(), m.start(1) + w.start() + len(token)))
        if _is_plural(token):
            break                           # the head noun: "aid trucks", not "adults reads"
    if not words:
        return None
    last = max((i for i, (w, _, _) in enumerate(words) if _is_plural(w)), default=None)
    if last is None:
        if not allow_singular or words[0][0].endswith(("ed", "ing")):
            return None
        last = 0
    return words[0][1], words[last][2]



def _unit_entry(text: str, start: int, end: int) -> tuple[str | None, str]:
    """Canonical unit and kind of the spelling text[start:end] found by _UNIT_RE."""
    # The table's one look-behind ("5h") sees a single character: with it, the spelling decides the entry.
    return _spelled_unit(text[start - 1:start] if start else "", text[start:end])


@functools.lru_cache(maxsize=4096)
def _spelled_unit(before: str, spelling: str) -> tuple[str | None, str]:
    text, start = before + spelling, len(before)
    for pattern, canon, kind in _UNIT_ENTRIES:
        if pattern.fullmatch(text, start):
            return canon, kind
    raise AssertionError(f"unit spelling without a table entry: {spelling!r}")


def _unit_at(text: str, pos: int):
    """The unit written right after the number ("km", " per cent", "-year-old"): (canon, kind, end)."""
    head = text[pos:pos + 2]
    if not head or not (head[0].isalpha() or head[0] in _UNIT_SYMBOLS
                        or head[0] in " -" and head[1:] and (head[1].isalpha() or head[1] in _UNIT_SYMBOLS)):
        return None                         # cheap exit for the common "2016," or "300 (": no unit here
    m = _UNIT_RE.match(text, pos)
    if not m:
        return None
    canon, kind = _unit_entry(text, *m.span("unit"))
    spelled = m.group("unit")
    if canon in _ATTACHED_ONLY and m.start("unit") > pos and len(spelled) == 1:
        return None
    if canon == "CODE":
        canon = spelled
    return canon, kind, m.end()


class _Figure:
    """A figure being read: mutable while context rules refine it, then turned into the output dict."""

    __slots__ = ("start", "end", "value", "low", "high", "kind", "unit", "object", "qualifier", "change",
                 "scale", "bare", "weak", "number_start")

    def __init__(self, start, end, value, kind="count", unit=None):
        self.start, self.end, self.value, self.kind, self.unit = start, end, value, kind, unit
        self.low = self.high = self.change = None
        self.object = None     # (start, end) of what the figure is about
        self.scale = None      # the multiplier of a scale word or abbreviation ("million", "bn"), if any
        self.qualifier = "exact"
        self.bare = False      # digits only: no currency, scale, unit or counted noun
        self.weak = False      # a number word with nothing counted: kept only as the start of a range
        self.number_start = start

    def as_dict(self, text: str, sentence: str) -> dict:
        object_start, object_end = self.object or (None, None)
        return {
            "start": self.start, "end": self.end, "raw": text[self.start:self.end],
            "value": self.value, "low": self.low, "high": self.high, "kind": self.kind, "unit": self.unit,
            "object": text[object_start:object_end] if self.object else None,
            "object_start": object_start, "object_end": object_end, "qualifier": self.qualifier,
            "approximate": self.qualifier in ("approximate", "vague"), "change": self.change,
            "sentence": sentence,
        }


# ---------------------------------------------------------------- context rules

def _last_words(text: str, pos: int, n: int, lower: bool = False) -> list[str]:
    """Up to `n` words right before `pos` (empty unless `pos` follows a space), opening brackets and quote
    marks stripped. Looking hedges and verbs up by word is much cheaper than end-anchored regexes."""
    chunk = text[max(0, pos - 48):pos]
    if not chunk or chunk[-1] not in " \t\xa0":
        return []
    words = [w.lstrip("(\"'“‘[") for w in chunk.split()[-n:]]
    return [w.lower() for w in words] if lower else words


def _is_date_or_time(text: str, start: int, end: int) -> bool:
    if start > 1 and text[start - 1] in "-–" and text[start - 2].isdigit():
        start = _DIGITS_BEFORE_RE.search(text, 0, start - 1).start()   # "September 16-19": check "16"
    before = _last_words(text, start, 2)
    if before and (before[-1].rstrip(".") in _MONTHS or before[-1] == "the" and before[0].rstrip(".") in _MONTHS):
        return True
    return bool(_MONTH_AFTER.match(text, end) or _CLOCK_AFTER.match(text, end))


def _is_enumeration(text: str, start: int, end: int) -> bool:
    """ "1. Preheat the oven", "(2) the court" at the start of a line."""
    return bool(_ENUM_MARK.match(text, end) and _ENUMERATION.search(text[max(0, start - 8):start]))


def _is_label(text: str, start: int, end: int) -> bool:
    """ "No. 10", "Game 7", "iPhone 11", "S&P 500", "575 Wilbraham Road", "junctions 9 and 11", "H.R. 4821",
    "call 101", a squad number in brackets ("Silva (9)"): a label, not an amount."""
    if text[max(0, start - 2):start].rstrip()[-1:] in ("#", "№") or _STREET.match(text, end):
        return True
    if text[start - 1:start] == "(" and text[end:end + 1] == ")" and _CAPITALISED_BEFORE_RE.search(text, 0, start):
        return True
    listed = _LISTED_AFTER_RE.search(text, max(0, start - 40), start)
    if listed and _is_reference_word(listed.group(1)):
        return True                         # the 11 of "junctions 9 and 11"
    before = _last_words(text, start, 1)
    if not before or text[start - 1] not in " \t":
        return False
    word = before[0]
    if _is_reference_word(word) or _INITIALS_RE.fullmatch(word) or word.lower() in _CALL_WORDS:
        return True
    return (word[:1].isalpha() and word[-1].isalnum() and any(c.isupper() for c in word)
            and word.lower() not in _STOP
            and not word.endswith(("'s", "’s")) and not _at_sentence_start(text, start - len(word) - 1))


_CAPITALISED_BEFORE_RE = re.compile(r"[A-Z][\w'’.-]*[ \t]\($")
_LISTED_AFTER_RE = re.compile(r"([A-Za-z]+)\.?[ \t]+\d+[ \t]*(?:,|and|or|&|to)[ \t]*$")
_INITIALS_RE = re.compile(r"(?:[A-Z]\.){2,3}")        # "H.R. 4821", "S.B. 12"
_CALL_WORDS = frozenset("call calling called dial dialling dialing ring ringing phone telephone text texting".split())


def _is_reference_word(word: str) -> bool:
    word = word.rstrip(".")
    return word in _REFERENCE_WORDS or word.endswith("s") and word[:-1] in _REFERENCE_WORDS


_NAMED_COUNT_RE = re.compile(r"(?:[ \t]+[A-Z0-9][\w-]*){1,2}[ \t]+([a-z]+)")
# "63,150 Model 3s", "12 Airbus A380s": a maker or line name, then a model code in the plural.
_NAMED_PLURAL_RE = re.compile(r"[ \t]+[A-Z][\w-]*[ \t]+[A-Z0-9](?:[\w-]*[0-9A-Z])?s(?![\w'’-])")


def _is_name_part(text: str, end: int) -> bool:
    """ "787 Dreamliner", "90049 ZIP Code", "11 Pro": a number followed by a capitalised singular word."""
    after = _CAPITALISED_AFTER_RE.match(text, end)
    if not after or _is_plural(after.group(1)):
        return False
    named = _NAMED_COUNT_RE.match(text, end)      # "150 Airbus A321neo jets": a count of a named model
    return not (named and _is_plural(named.group(1)) or _NAMED_PLURAL_RE.match(text, end))


def _at_sentence_start(text: str, pos: int) -> bool:
    before = text[max(0, pos - 3):pos].rstrip(" \t\"'“‘(")
    return not before or before[-1] in ".!?\n:;"


def _qualifier_before(text: str, start: int) -> str | None:
    stripped = text[max(0, start - 3):start].rstrip()
    if stripped and stripped[-1] in _SYMBOL_QUALIFIER:
        return _SYMBOL_QUALIFIER[stripped[-1]]
    if text[max(0, start - 4):start].lower() == "sub-":
        return "less_than"
    words = _last_words(text, start, 4, lower=True)
    for n in (4, 3, 2, 1):
        if len(words) >= n and tuple(words[-n:]) in _QUALIFIER_WORDS:
            return _QUALIFIER_WORDS[tuple(words[-n:])]
    return None


def _change_before(text: str, start: int) -> str | None:
    """ "rose 3%", "fell by about 200", "was up a further 2%": the figure is a change, up or down."""
    words = _last_words(text, start, 6, lower=True)
    while words and words[-1] in _CHANGE_FILLERS:
        words.pop()
    if not words:
        return None
    return "up" if words[-1] in _UP_WORDS else "down" if words[-1] in _DOWN_WORDS else None


def _object_after_of(text: str, pos: int) -> tuple[int, int] | None:
    """ "of voters", "of the best wireless speakers": the noun phrase after "of"."""
    m = _OF_NP_RE.match(text, pos)
    return _noun_phrase(text, m.end(), allow_singular=True) if m else None


def _noun_unit(phrase: str):
    """The unit a counted phrase ends in ("previous years", "rushing yards"), or None."""
    last = phrase.rsplit(None, 1)[-1]
    m = _UNIT_RE.fullmatch(" " + last)
    if not m:
        return None
    canon, kind = _unit_entry(m.string, *m.span("unit"))
    return (canon, kind) if kind in ("duration", "measure") and len(last) > 2 else None


# ---------------------------------------------------------------- readers, one per kind of candidate

def _read_ordinal(text: str, start: int, end: int) -> _Figure | None:
    """ "sixth year", "third term", "fifth straight win": ordinals that count something."""
    word = text[start:end].lower()
    value = float(_LEADING_INT_RE.match(word).group()) if word[0].isdigit() else _ORDINAL_WORDS.get(word)
    m = _ORDINAL_NOUN_RE.match(text, end)
    if not m or not value:
        return None
    noun = m.group("noun")
    if noun.lower() in _STOP:
        return None
    noun_span = m.span("noun")
    if m.group("streak") is None and (noun.lower() not in _ORDINAL_NOUNS or value == 1):
        run = _ORDINAL_RUN_RE.match(text, m.end())
        if not run or value == 1 or (run.group("noun") or "").lower() in _STOP:
            return None                     # "his 20th league goal of the season", "a seventh win in a row"
        noun_span = (noun_span[0], run.end("noun") if run.group("noun") else noun_span[1])
    figure = _Figure(start, noun_span[1], float(value), kind="ordinal")
    figure.object = noun_span
    return figure


def _read_fraction(text: str, m: re.Match) -> _Figure | None:
    """ "two-thirds of voters", "a quarter of", "half the money", "half a million"."""
    start, end = m.span("fraction")
    if m.group("half"):
        previous = _last_words(text, start, 1, lower=True)
        if previous and previous[0] in _HALF_BLOCKERS:   # "the first half of", "one half"
            return None
        scaled = _HALF_SCALE_RE.match(text, end)
        if scaled:
            figure = _Figure(start, scaled.end(), 0.5 * _SCALE_WORDS.get(scaled.group(1).lower(), 12))
            figure.scale = figure.value * 2
            return figure
        if not _HALF_NEXT_RE.match(text, end) and not _after_by(text, start):
            return None
        value = 0.5
    else:
        numerator = m.group("numerator").lower()
        top = 1 if numerator in ("a", "an") else _UNITS_WORDS.get(numerator)
        hyphenated = text[m.end("numerator")] == "-"
        if not top or not (hyphenated or _OF_NP_RE.match(text, end) or _after_by(text, start)):
            return _read_ordinal(text, *m.span("denominator"))
        value = top / _DENOMINATORS[m.group("denominator").lower()]
    return _fraction_of(text, _Figure(start, end, value, kind="fraction"))


def _after_by(text: str, start: int) -> bool:
    """ "rose by a third", "cut by about half": a fraction as the size of a change."""
    words = _last_words(text, start, 3, lower=True)
    while words and tuple(words[-1:]) in _QUALIFIER_WORDS:
        words.pop()
    return words[-1:] == ["by"]


def _fraction_of(text: str, figure: _Figure) -> _Figure:
    """What a fraction is of: a unit ("a quarter of a mile" = 0.25 mi) or a noun phrase ("of voters")."""
    unit_start = _FRACTION_UNIT_RE.match(text, figure.end)
    unit = unit_start and _unit_at(text, unit_start.end())
    if unit and unit[1] in ("measure", "duration", "percentage_point", "basis_point"):
        kind = "percent" if unit[1] in ("percentage_point", "basis_point") else unit[1]
        figure.unit, figure.kind, figure.end = _resolve_pound(unit[0], scaled=False), kind, unit[2]
        return figure
    figure.object = _object_after_of(text, figure.end)
    return figure


def _read_ratio(text: str, m: re.Match) -> _Figure | None:
    """ "one in three Germans", "9 out of 10 doctors"."""
    top, bottom = (_number_value(m.group(g)) for g in ("ratio_a", "ratio_b"))
    if not top or not bottom or top >= bottom:
        return None
    figure = _Figure(m.start(), m.end(), top / bottom, kind="fraction")
    found = _noun_phrase(text, m.end(), allow_singular=False)
    if found:
        figure.object, figure.end = found, found[1]
    return figure


def _read_slash_fraction(text: str, m: re.Match) -> _Figure | None:
    """ "1/16 of a pint" (but not "24/7" or a date)."""
    top, bottom = (float(x) for x in _SLASH_RE.split(m.group("slash")))
    if not (0 < top < bottom) or not _OF_NP_RE.match(text, m.end()):
        return None
    return _fraction_of(text, _Figure(m.start(), m.end(), top / bottom, kind="fraction"))


def _read_vague(text: str, m: re.Match) -> _Figure | None:
    """ "millions of refugees", "tens of thousands", "several hundred": value = lowest reading."""
    words = m.group("vague").lower().split()
    if words[0] in ("tens", "hundreds") and len(words) == 3:
        base = {"tens": 10, "hundreds": 100}[words[0]] * _VAGUE[words[2]][0]
        low, high = base, base * 10 - 1
    elif words[0] in ("several", "a"):
        scale = _SCALE_WORDS[words[-1]]
        low, high = (3 if words[0] == "several" else 2) * scale, 9 * scale
    else:
        low, high = _VAGUE[words[0]]
    figure = _Figure(m.start(), m.end(), float(low), kind="count")
    figure.low, figure.high, figure.qualifier, figure.scale = float(low), float(high), "vague", float(low)
    of = _OF_NP_RE.match(text, m.end())
    if of:
        unit = _unit_at(text, of.end() - 1)
        if unit and unit[1] in ("money", "measure", "duration"):
            figure.unit, figure.kind = _resolve_pound(unit[0], scaled=True), unit[1]
            figure.end = unit[2]
            return figure
        found = _noun_phrase(text, of.end(), allow_singular=False)
        if found:
            figure.object, figure.end = found, found[1]
            return figure
    elif words[0] in ("several", "a"):
        found = _noun_phrase(text, m.end(), allow_singular=False)
        if found:
            figure.object, figure.end = found, found[1]
            return figure
    return None


def _number_value(raw: str) -> float | None:
    if raw[0].isdigit():
        return _parse_digits(raw)
    parsed = _parse_words(raw)
    return parsed[0] if parsed and parsed[1] == len(raw) else None


def _resolve_pound(unit: str, scaled: bool) -> str:
    """ "pounds" is money with a scale ("5 million pounds"), a weight otherwise ("208 pounds")."""
    if unit != "POUND":
        return unit
    return "GBP" if scaled else "lb"


def _read_number(text: str, m: re.Match) -> _Figure | None:
    """Digits or number words with their currency, scale, unit, counted noun and hedges."""
    num, cur, sign = m.group("num"), m.group("cur"), m.group("sign")
    num_start, end = m.span("num")
    start = m.start("cur") if cur else m.start("sign") if sign else num_start
    if sign and not cur and start and text[start - 1].isalnum():
        sign, start = None, num_start       # "15-22": a hyphen between two numbers, not a minus sign
    before = text[start - 1] if start else " "
    if before.isalnum() or before == "_" or (not cur and not _clean_left_edge(text, start)):
        return None

    factor = None
    if num[0].isdigit() or num[0] == ".":
        value = _parse_digits(num)
        words = False
    else:
        parsed = _parse_words(num)
        if not parsed:
            return None
        value, consumed = parsed
        words = True
        if consumed < len(num):            # "one and two": keep the well-formed part only
            end = num_start + consumed
        last_word = num[:consumed].split()[-1].lower() if consumed else ""
        if _SCALE_WORDS.get(last_word, 0) >= 1e3:
            factor = _SCALE_WORDS[last_word]   # "seven thousand": lends its scale to "six to seven thousand"
    if end == m.end("num"):
        if m.group("vulgar"):
            value += _VULGAR[m.group("vulgar")]
            end = m.end("vulgar")
        if m.group("scale"):
            factor = _scale_factor(m.group("scale").strip(), cur)
            if factor is None and m.group("scale") == "m" and _counted_after(text, m.end("scale")):
                factor = 1e6                # "2.3m residents", "48m of its phones": million, not metres
            if factor:
                value *= factor
                end = m.end("scale")
    figure = _Figure(start, end, value)
    figure.number_start = num_start
    figure.scale = factor
    if sign in ("-", "−") or text[max(0, start - 6):start].lower() in ("minus ", "minus-"):
        figure.value = -value
    elif sign == "+":
        figure.change = "up"

    after = text[end:end + 1]
    if after == "s" and _DECADE_AGE_RE.search(text, max(0, start - 20), start) and value in (10, 20, 30, 40, 50, 60,
                                                                                          70, 80, 90, 100):
        figure.end = end + 1                # "a man in his 40s": aged 40 to 49
        figure.kind, figure.unit, figure.value, figure.low, figure.high = "age", "year", None, value, value + 9
        figure.qualifier = "approximate"
        return figure
    if after.isalpha() and _unit_at(text, end) is None:
        return None                         # "5G", "1990s", "9AB8": glued letters that are not a unit
    if after == "/" and text[end + 1:end + 2].isdigit():
        return None                         # "24/7"
    if _is_date_or_time(text, start, end) or _is_enumeration(text, num_start, end):
        return None

    figure.qualifier = _qualifier_before(text, start) or "exact"
    figure.change = figure.change or _change_before(text, start)
    if cur:
        figure.kind, figure.unit = "money", _PREFIX_CODES.get("".join(cur.split()).lower(), cur.strip())
    _read_unit(text, figure)
    if figure.change is None and figure.kind in ("percent", "percentage_point", "basis_point", "money"):
        after = _CHANGE_AFTER.match(text, figure.end)   # "a 3 percent drop", "a $2 rise"
        if after:
            figure.change = "up" if after.group("up") else "down"
    if figure.kind == "duration" and "-" in text[start:figure.end] and _BOND_AFTER_RE.match(text, figure.end):
        return None                         # "the 10-year Treasury note": the name of a bond
    if figure.unit is None and figure.kind != "multiple":
        if not _read_counted(text, figure, words, num):
            return None
    following = _QUALIFIER_AFTER.match(text, figure.end)
    if following and figure.qualifier == "exact":
        figure.qualifier = _AFTER_QUALIFIER[following.group("q").split()[-1].lower()]
        figure.end = following.end()
    return figure


def _clean_left_edge(text: str, start: int) -> bool:
    """False for numbers glued to a word on their left: "TA-35", "COVID-19", "mid-2019", "v1.2"."""
    if start < 2 or text[start - 1] not in "-.":
        return True
    word = _WORD_END_RE.search(text[max(0, start - 12):start - 1])
    if text[start - 1] == "-" and (text[start - 2].isdigit()
                                   or word and word.group().lower() in ("minus", "sub", "to", "now", "then")):
        return True                         # "15-22", "minus-5", "sub-7", "200,000 to-260,000", "her now-18"
    return not text[start - 2].isalnum()


_COUNTED_AFTER_RE = re.compile(r"[ \t]+(?:of[ \t]+(?:(?:the|its|their|his|her|our|these|those)[ \t]+)?)?([A-Za-z]+)")


def _counted_after(text: str, pos: int) -> bool:
    """A plural noun follows, directly or after "of": what a number with "m" counts ("0.8m barrels")."""
    m = _COUNTED_AFTER_RE.match(text, pos)
    return bool(m and _is_plural(m.group(1)))


def _scale_factor(scale: str, cur: str | None) -> float | None:
    low = scale.lower()
    if " " in low or low in _SCALE_FACTORS:
        factor = 1.0
        for word in low.split():
            factor *= _SCALE_FACTORS[word]
        return factor
    if scale in ("m", "b") and not cur:
        return None                         # "37m" is metres; a lone "b" is not a scale
    return _SCALE_ABBREVIATIONS[low]


def _read_unit(text: str, figure: _Figure) -> None:
    """Unit after the number, then a rate denominator ("$58.24 per barrel") and "of" + what is measured."""
    unit = _unit_at(text, figure.end)
    if unit and (figure.kind != "money" or unit[1] == "money"):   # "$1.25 sterling", "$1.14 EUR"
        canon, kind, figure.end = unit
        canon = _resolve_pound(canon, figure.scale or figure.kind == "money")
        figure.unit, figure.kind = (None if kind == "multiple" else canon), "money" if canon == "GBP" else kind
    if figure.unit == "USD":
        us = _US_SUFFIX_RE.match(text, figure.end)
        if us:
            figure.end = us.end()
    if figure.unit:
        _read_rate(text, figure)
        figure.object = _object_after_of(text, figure.end)
    elif figure.kind == "multiple":
        figure.object = _noun_phrase(text, figure.end, allow_singular=True)
    if figure.unit is None and _follows_age_word(text, figure.start, figure.value):
        figure.kind, figure.unit = "age", "year"


def _follows_age_word(text: str, start: int, value: float) -> bool:
    """ "aged 47", "aged between 22 and", "the age of 16", "children under five", "patients over 65"."""
    words = _last_words(text, start, 2, lower=True)
    return (words[-1:] in (["aged"], ["age"]) or words in (["age", "of"], ["ages", "of"], ["aged", "between"])
            or len(words) == 2 and words[0] in _PEOPLE and words[1] in ("over", "under")
            and 0 < value <= 120 and value == int(value))


_DECADE_AGE_RE = re.compile(r"\b(?:his|her|their|my|your|our)[ \t]+(?:(?:early|mid|late)[ \t-]+)?$", re.I)
_PEOPLE = frozenset("""children people adults patients men women boys girls kids pupils students residents
drivers players workers those anyone everyone""".split())


def _read_rate(text: str, figure: _Figure) -> None:
    m = _PER_RE.match(text, figure.end)
    if not m or _TIME_AGO_RE.match(text, m.end()):
        return
    # Only "per" and "/" make a rate: "£500 a year" and "$43 a share" are amounts in pounds and dollars.
    if m.group("sep").strip(" -").lower() in ("per", "/") and figure.kind in ("money", "measure"):
        den = " ".join(m.group("den").lower().replace(".", "").split())
        figure.unit = f"{figure.unit}/{_DENOMINATOR_CANON.get(den, den)}"
        figure.end = m.end()


def _read_counted(text: str, figure: _Figure, words: bool, num: str) -> bool:
    """A number without a unit: find what it counts, or decide whether it is a figure at all."""
    start, end = figure.start, figure.end
    bare_digits = not words and figure.kind == "count" and not figure.scale
    if bare_digits and (_is_year(num, figure.qualifier) or len(num) >= 10 and num.isdigit()):
        return False                        # a year, or a long identifier such as a tweet id
    found = _noun_phrase(text, end, allow_singular=figure.value == 1 and num.lower() in ("one", "1"))
    plural = found is not None and _is_plural(text[found[0]:found[1]].split()[-1])
    if bare_digits and (_is_label(text, start, end) or not plural and "." not in num and _is_name_part(text, end)):
        return False
    named = not plural and _NAMED_COUNT_RE.match(text, end)
    if named and _is_plural(named.group(1)):
        gap = text[end:named.end()]
        found = (end + len(gap) - len(gap.lstrip()), named.end())     # "150 Airbus A321neo jets"
    elif not plural and _NAMED_PLURAL_RE.match(text, end):
        named = _NAMED_PLURAL_RE.match(text, end)
        found = (end + len(named.group()) - len(named.group().lstrip()), named.end())   # "40 Boeing 737s"
    if not found and bare_digits and "." not in num:
        found = _compound_after(text, end)
    if found:
        noun_unit = _noun_unit(text[found[0]:found[1]])
        if noun_unit:
            figure.unit, figure.kind = noun_unit
        figure.object, figure.end = found, found[1]
        return True
    of = _object_after_of(text, end)
    if of:
        figure.object = of
        return True
    one_or_two = _ONE_OR_RE.search(text, max(0, start - 30), start)
    if one_or_two and figure.value in (2, 3) and one_or_two.group(1).lower() not in _STOP:
        figure.object = one_or_two.span(1)  # "a week or two", "another pick or two": two of that noun
        unit = _noun_unit(one_or_two.group(1))
        if unit:
            figure.unit, figure.kind = unit
        return True
    if words:
        figure.weak = True
        return True
    if _BYLINE_RE.search(text[max(0, start - 60):start]):
        return False                        # "By Jane Doe, 41": an age in a byline
    if (_APPOSITION_BEFORE_RE.search(text[max(0, start - 40):start]) and _APPOSITION_AFTER_RE.match(text, end)
            or _AGE_VERB_RE.search(text, max(0, start - 30), start) and _AGE_AFTER_RE.match(text, end)
            or _LIFE_EXPECTANCY_RE.search(text, max(0, start - 60), start) and _AGE_AFTER_RE.match(text, end)) \
            and 0 < figure.value < 120 and figure.value == int(figure.value):
        figure.kind, figure.unit = "age", "year"   # "Mr Okafor, 61,"; "she turned 40 on Monday", "he will be 35"
    figure.bare = bare_digits
    return True


_ONE_OR_RE = re.compile(r"\b(?:[Aa]n?|[Aa]nother|[Oo]ne)[ \t]+([a-z]+)[ \t]+or[ \t]+$")
_COMPOUND_RE = re.compile(r"(-|[ \t]+)([a-z]+(?:[ \t]+[a-z]+){0,3})(?![\w'’-])")


_COMPOUND_END_RE = re.compile(r"[ \t]*(?:[,;:)]|\.(?!\w))")


def _compound_after(text: str, end: int) -> tuple[int, int] | None:
    """ "an 11-member panel", "the 57-lap race", "the 11 member trade agreement": a number that modifies a
    noun as part of a compound; what it is about runs from the counted word to the compound's head."""
    m = _COMPOUND_RE.match(text, end)
    if not m:
        return None
    words = []
    for w in _TOKEN_RE.finditer(m.group(2)):
        low = w.group()
        if low in _STOP or low.endswith("ly") and len(low) > 4 \
                or words and (low in _VERBS or low.endswith(("ing", "ed"))):
            break                           # "a 9-member jury heard": the compound ends before the verb
        words.append(m.start(2) + w.end())
    if m.group(1) == "-":
        return (m.start(2), words[min(len(words), 2) - 1]) if words else None      # "9-member jury" + its head
    # Without the hyphen only a whole compound of two words or more that ends its clause: "the 11 member
    # trade agreement, dubbed ..." (not "22 de outubro de 2010", nor a lone word: "35 when").
    if len(words) < 2 or words[-1] != m.end(2) or not _COMPOUND_END_RE.match(text, m.end(2)) \
            or _UNIT_RE.match(text, end):
        return None
    return m.start(2), words[-1]


def _is_year(num: str, qualifier: str) -> bool:
    return len(num) == 4 and num.isdigit() and _YEAR_RANGE[0] <= int(num) <= _YEAR_RANGE[1] \
        and qualifier == "exact"


# ---------------------------------------------------------------- ranges

_RANGE_GAP_RE = re.compile(r"\s*(?:(?P<dash>[-–—])|(?P<to>to|through|and|or))[\s-]*$", re.I)


def _merge_ranges(text: str, figures: list[_Figure]) -> list[_Figure]:
    """ "15-22 mph": one figure with low/high. A range written in words ("between $62 and $68", "1 to 2
    thousand people", "three or four years") stays two figures, as news gold sets count them, but the first
    number borrows the unit, scale and counted noun of the second ("six to seven thousand fans" = 6,000 and
    7,000 fans), and a number after an age is an age too ("aged 15 and 16")."""
    out = []
    i = 0
    while i < len(figures):
        a = figures[i]
        b = figures[i + 1] if i + 1 < len(figures) else None
        merged = b is not None and _as_range(text, a, b)
        if merged and not _RANGE_GAP_RE.match(text[a.end:b.start]).group("dash"):
            out.extend(_written_range(a, b, merged))
            i += 2
            continue
        if merged:
            out.append(merged)
            i += 2
            continue
        if b is not None and _is_score(text, a, b):
            i += 2                          # "2-0", "89-89": a score, not a range
            continue
        out.append(a)
        i += 1
    return out


_PART_OF_RE = re.compile(r"\s+of\s+(?:the|its|their|his|her|our)\s+$")


def _lend_unit(text: str, a: _Figure, b: _Figure) -> None:
    """A bare number takes the unit of its neighbour: "from 14-18 mpg to 24" (after a range), "raised
    280 million of the 1.5 billion shekels" (a part of an amount)."""
    gap = text[a.end:b.start]
    if a.low is not None and a.unit and b.unit is None and b.object is None and b.value is not None \
            and gap.strip().lower() == "to" and b.value > a.high:
        b.kind, b.unit = a.kind, a.unit
    elif a.unit is None and a.object is None and a.value is not None and b.unit and b.value is not None \
            and _PART_OF_RE.match(gap) and a.value <= b.value:
        a.kind, a.unit = b.kind, b.unit


def _written_range(a: _Figure, b: _Figure, merged: _Figure) -> list[_Figure]:
    if b.unit is None and a.unit is not None and b.object is None:
        b.kind, b.unit = a.kind, a.unit     # "from 208 pounds to 193", "aged 15 and 16"
    # the first number's value, with the scale it borrowed: whichever end of the range is not the second's
    a.value = merged.low if merged.low != b.value or merged.low == merged.high else merged.high
    if a.unit is None:
        a.kind, a.unit, a.object = b.kind, b.unit, a.object or b.object
    a.weak = b.weak = False
    return [a, b]


# Match scores and vote tallies: "beat Phoenix 112-104", "won 6-4, 3-6, 7-6", "a 6-3 decision", "voted 312-98".
_SCORE_RE = re.compile(r"(?<![\w.,$€£¥-])\d{1,3}[-–]\d{1,3}(?![\w%°-]|[.,]\d)")
_SCORE_BEFORE_RE = re.compile(r"""\b(?:won|win|wins|winning|beat|beats|beating|lost|lose|loses|losing|defeated
    |defeating|drew|draw|drawing|voted|votes?|victory|lead|led|leading|leads|trail|trailed|trailing|edged|thrashed
    |routed|scored|scoreline|stood\s+at|ended|finished)(?:\s+(?:[A-Z][\w'’.-]*|by|at|in|on))*\s+$""", re.X)
_SCORE_AFTER_RE = re.compile(r"""\s+(?:[a-z]+\s+)?(?:win|wins|victory|victories|defeat|defeats|loss|lead|decision
    |vote|verdict|draw|scoreline|margin|majority|ruling|aggregate|home|away|result|thrashing|drubbing)\b""", re.X)


# A cricket total, runs for wickets: "reached 553 for six declared", "were 212 for 4 at stumps".
_INNINGS_RE = re.compile(r"""(?<![\w.,$€£¥-])\d{1,3}[ \t]+for[ \t]+
    (?:[1-9]|10|one|two|three|four|five|six|seven|eight|nine|ten)\b(?:[ \t]+(?P<declared>declared|dec\b\.?|wickets?))?""", re.X)
_INNINGS_BEFORE_RE = re.compile(r"\b(?:reached|scored|made|closed\s+on|ended\s+on|finished\s+on|were|was|resumed"
                                r"\s+on|reply|replied\s+with)\s+$")


_DIGIT_DASH_DIGIT_RE = re.compile(r"\d[-–]\d")


def _number_start(text: str, end: int) -> int:
    """Where the run of (up to 3) digits ending at `end` starts."""
    start = end
    while start > max(0, end - 3) and text[start - 1].isdigit():
        start -= 1
    return start


def _score_spans(text: str) -> list[tuple[int, int]]:
    """Spans of match scores, vote tallies and cricket totals. A cheap scan finds where one could be
    ("4-1", " for "); the full patterns run only there, which keeps this off the extractor's profile."""
    spans = []
    for hit in _DIGIT_DASH_DIGIT_RE.finditer(text):
        m = _SCORE_RE.match(text, _number_start(text, hit.start() + 1))
        if not m or m.end() < hit.end():
            continue
        start, end = m.span()
        counted = _COUNTED_AFTER_RE.match(text, end)
        if counted and _is_plural(counted.group(1)) and not _SCORE_AFTER_RE.match(text, end):
            continue                        # "won 25-30 seats": a range of seats
        if (spans and text[spans[-1][1]:start] in (", ", " ", "; ")
                or _SCORE_BEFORE_RE.search(text, max(0, start - 40), start)
                or _SCORE_AFTER_RE.match(text, end)):
            spans.append((start, end))
    at = text.find(" for ")
    while at != -1:
        m = _INNINGS_RE.match(text, _number_start(text, at))
        if m and (m.group("declared") or _INNINGS_BEFORE_RE.search(text, max(0, m.start() - 25), m.start())):
            spans.append(m.span())
        at = text.find(" for ", at + 1)
    return sorted(spans)


def _is_score(text: str, a: _Figure, b: _Figure) -> bool:
    return a.bare and b.bare and text[a.end:b.start] == "-" and a.value >= b.value


def _as_range(text: str, a: _Figure, b: _Figure) -> _Figure | None:
    gap = _RANGE_GAP_RE.match(text[a.end:b.start])
    if not gap or a.low is not None or b.low is not None or a.kind in ("ordinal", "fraction") \
            or b.kind in ("ordinal", "fraction"):
        return None
    opener = _last_words(text, a.start, 1, lower=True)[-1:] in (["between"], ["from"])
    word = (gap.group("to") or "").lower()
    a_value = a.value
    b_scale = b.scale or 1.0
    if (a.unit is None or a.unit == b.unit) and not a.scale and abs(a.value) < abs(b.value) / b_scale:
        a_value = a.value * b_scale     # "$89 to $93 billion", "1 to 2 thousand": the second one's scale
    if a.unit is None and a.object is None:
        unit_ok = True
    elif a.unit and b.unit is None and b.object is None:
        unit_ok = bool(opener) or a.kind == "age"
    else:
        unit_ok = (a.unit == b.unit or bool(a.unit and b.unit and b.unit.startswith(a.unit))
                   or bool(a.unit and b.unit and a.unit.startswith(b.unit))) and a.object is None
    if not unit_ok:
        return None
    if gap.group("dash"):
        if not a_value < b.value or not (a.bare or a.unit is None or a.unit == b.unit):
            return None
    elif word == "and":
        if _last_words(text, a.start, 1, lower=True) != ["between"] and a.kind != "age":
            return None                     # but "aged 15 and 16"
    elif word == "or":
        if a.unit is not None or a.object is not None or a_value >= b.value or b.value > 100:
            return None
    elif not opener and (a.unit is not None and a.change or a_value >= b.value):
        return None                         # "rose 2% to 5%": a change and a level; "leads 46% to 42%"
    low, high = sorted((a_value, b.value))
    fig = _Figure(a.start, b.end, None, kind=b.kind, unit=max(a.unit or "", b.unit or "", key=len) or None)
    fig.low, fig.high = low, high
    fig.object = b.object
    fig.qualifier = a.qualifier if a.qualifier != "exact" else "range"
    fig.change = a.change or b.change
    fig.number_start = a.number_start
    return fig


# ---------------------------------------------------------------- suspended hyphens

_SUSPENDED_RE = re.compile(r"-[ \t]*(?:,[ \t]*(?:(?:and|or|to)[ \t]+)?|(?:and|or|to|&)[ \t]+)$")
_HYPHENED_NUMBER_RE = re.compile(r"(?:[\d.,]+|[A-Za-z]+)-[A-Za-z]")


def _share_suspended_hyphens(text: str, figures: list[_Figure]) -> None:
    """ "four-, five- and six-cylinder engines", "a 12- or 16-week course": a number left hanging on a
    hyphen takes the unit, kind and counted noun of the last number of the list."""
    i = 0
    while i < len(figures):
        j = i
        while j + 1 < len(figures) and figures[j].unit is None and figures[j].object is None \
                and _SUSPENDED_RE.match(text[figures[j].end:figures[j + 1].start]):
            j += 1
        last = figures[j]
        if j > i and (last.unit or last.object) \
                and _HYPHENED_NUMBER_RE.match(text, last.number_start, last.end):
            for figure in figures[i:j]:
                figure.kind, figure.unit, figure.object = last.kind, last.unit, last.object
                figure.end += 1             # the hyphen
                figure.weak = figure.bare = False
        i = j + 1


# ---------------------------------------------------------------- parallel clauses

_PARALLEL_UNITS = frozenset(["%", "pp", "bp", "point"])


def _share_parallel_units(text: str, figures: list[_Figure]) -> None:
    """A bare number that repeats the role of an earlier figure of the sentence takes its unit: a second
    change ("the DAX rose 2 percent but the Nasdaq fell 1"), a second index level ("closed at 1,463.78
    points, while the TA-125 ended at 1,334.20"). Only shares and points: the units news text leaves out."""
    for i, figure in enumerate(figures):
        if not figure.bare or figure.unit is not None or figure.object is not None \
                or not _CLAUSE_END_RE.match(text, figure.end):
            continue
        level = _last_words(text, figure.start, 1, lower=True) == ["at"]
        for earlier in reversed(figures[:i]):
            if earlier.unit not in _PARALLEL_UNITS:
                continue
            if level and earlier.unit == "point" and _last_words(text, earlier.start, 1, lower=True) == ["at"] \
                    or figure.change and earlier.change and not level and abs(figure.value) <= 100:
                figure.unit, figure.kind, figure.bare = earlier.unit, earlier.kind, False
                break


_LIFE_EXPECTANCY_RE = re.compile(r"(?i:life[ \t]+expectancy)[^.;:!?]*$")   # "life expectancy for men is 73"
_AGE_VERB_RE = re.compile(r"(?:\b(?:turns|turned|turning|turn)|\b(?:[Hh]e|[Ss]he)[ \t]+(?:is|was|will[ \t]+be|would[ \t]+be"
                          r"|would[ \t]+have[ \t]+been|had[ \t]+just[ \t]+turned))[ \t]+$")
_AGE_AFTER_RE = re.compile(r"[ \t]*(?:[,;:)]|\.(?!\d)|$|[ \t]+(?:by|next|this|last|on|in|when|and|but|[a-z]{3,}ing)\b)")
_CLAUSE_END_RE = re.compile(r"[ \t]*(?:[,;:)]|\.(?!\d)|$)")


# ---------------------------------------------------------------- entry point

_DIGIT_ANCHOR_RE = re.compile(r"[0-9$€£¥₹₪₩₽½⅓⅔¼¾⅕⅛]+")
_LETTERS_RE = re.compile(r"[a-z]+")
_ANCHOR_WORDS = frozenset(list(_UNITS_WORDS) + list(_TENS_WORDS) + list(_SCALE_WORDS) + list(_ORDINAL_WORDS)
                          + list(_DENOMINATORS) + list(_VAGUE) + ["dozen", "tens"])
# Characters a candidate can start with before its anchor: currency prefixes ("US$", "HK $", "PS", "Y=", "Rs"),
# signs, phone brackets, "a"/"an"/"several" before a scale word.
_PREFIX_STARTS = frozenset("ABCDEGHIJKMNPRSTUYZ$€£¥₹₪₩₽+-−(.as")
_LOOKBACK = 10      # longest prefix a candidate can have before its digits or number word ("U.S. $", "several ")


def _anchors(text: str) -> list[int]:
    """Positions of digits, currency signs and number words: the only places a figure can be near.
    Scanning for these with cheap patterns, then matching the full grammar only around them, is what
    keeps the extractor at about a millisecond per article."""
    positions = [m.start() for m in _DIGIT_ANCHOR_RE.finditer(text)]
    low = text.lower()
    if len(low) != len(text):               # a few characters change length when lower-cased
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    for word in _ANCHOR_WORDS.intersection(_LETTERS_RE.findall(low)):
        at = low.find(word)
        while at != -1:
            if at == 0 or not low[at - 1].isalpha():
                positions.append(at)
            at = low.find(word, at + 1)
    return sorted(positions)


def _candidates(text: str, skipped: list[tuple[int, int]]):
    """Matches of the candidate grammar, left to right and non-overlapping, tried only near anchors and
    outside the `skipped` spans."""
    pos = 0
    skipped = list(reversed(skipped))
    for anchor in _anchors(text):
        while skipped and skipped[-1][1] <= anchor:
            skipped.pop()
        if skipped and skipped[-1][0] <= anchor:
            pos = max(pos, skipped[-1][1])
        if anchor < pos:
            continue
        for start in range(max(pos, anchor - _LOOKBACK), anchor + 1):
            if start != anchor and (text[start] not in _PREFIX_STARTS or start and text[start - 1].isalnum()):
                continue
            m = _CANDIDATE_RE.match(text, start)
            if m and m.end() > anchor:
                yield m
                pos = m.end()
                break


def find_figures(text: str, language: str | None = "en") -> list[dict]:
    """Every figure in `text`, sorted by start. See the module docstring for the fields. `language` is an
    ISO 639-1 code; a language without a figures pack gets no figures (never English rules on other text)."""
    if not isinstance(text, str):
        return []
    if language != "en":
        try:
            p = _language_pack(language if isinstance(language, str) else None, "figures")
            if p is None:
                return []
            if getattr(p, "ENGINE", "local") != "english":
                from transforms.analysis.pack_figures import find_pack_figures
                return find_pack_figures(text, p)
        except Exception:                    # never fail an article on a figure rule or a broken pack
            return []
    return _find_english(text)


def _find_english(text: str) -> list[dict]:
    figures = []
    for m in _candidates(text, _score_spans(text)):
        figure = _read_candidate(text, m)
        if figure is not None:
            figures.append(figure)
    _share_suspended_hyphens(text, figures)
    figures = [f for f in _merge_ranges(text, figures) if not f.weak]
    for a, b in zip(figures, figures[1:]):
        _lend_unit(text, a, b)
    kept, last_end, lines = [], -1, {}
    for figure in sorted(figures, key=lambda f: f.start):
        if figure.start < last_end:
            continue                        # inside the counted noun of the previous figure
        last_end = figure.end
        kept.append(figure)
    by_sentence = {}
    for figure in kept:
        by_sentence.setdefault(_sentence_span(text, figure.start, lines), []).append(figure)
    out = []
    for (start, end), in_sentence in by_sentence.items():
        _share_parallel_units(text, in_sentence)
        attach_objects(text, (start, end), in_sentence)
        out.extend(figure.as_dict(text, text[start:end]) for figure in in_sentence)
    return out


def _sentence_span(text: str, pos: int, lines: dict) -> tuple[int, int]:
    """Where the sentence around `pos` is. Sentences never cross a line break, so only that line is split."""
    line_start = text.rfind("\n", 0, pos) + 1
    if line_start not in lines:
        line_end = text.find("\n", pos)
        lines[line_start] = Sentences(text[line_start:line_end if line_end != -1 else len(text)])
    start, end = lines[line_start].span_at(pos - line_start)
    return line_start + start, line_start + end


def _read_candidate(text: str, m: re.Match) -> _Figure | None:
    if m.group("skip"):
        return None
    if m.group("ratio"):
        return _read_ratio(text, m)
    if m.group("fraction"):
        return _read_fraction(text, m)
    if m.group("slash"):
        return _read_slash_fraction(text, m)
    if m.group("ordinal"):
        return _read_ordinal(text, *m.span("ordinal"))
    if m.group("vague"):
        return _read_vague(text, m)
    return _read_number(text, m)
