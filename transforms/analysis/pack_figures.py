"""The figure finder for languages read from a pack: German, French, Spanish, Portuguese, Italian and Dutch.

`find_pack_figures(text, pack)` returns the same dicts as `transforms.analysis.figures.find_figures` (which
dispatches here for every language whose figures pack does not ask for the English engine). The reader is
language-neutral: everything that differs between languages is data in the pack
(transforms/analysis/lang/<code>/figures.py), described below.
"""

import bisect
import functools
import re
import unicodedata
from re import _constants as _sre, _parser as _sre_parser

from transforms.analysis.figures import _SYMBOL_QUALIFIER, _Figure, _alt, _sentence_span

# German, French, Spanish, Portuguese, Italian and Dutch are read by one language-neutral reader driven by
# the language's pack (transforms/analysis/lang/<code>/figures.py). A pack lists, as data:
#   DECIMAL                the decimal mark of digits ("," : 1.234,5 / 1 234,5); dots, spaces, narrow no-break
#                          spaces and apostrophes group thousands
#   NUMBERS, HUNDRED, HUNDREDS, SCALES, CONNECTORS, GLUED, UNIT_FIRST
#                          number words: values below 100, the word for "hundred" (a multiplier), whole hundreds
#                          ("doscientos"), scale words ("Millionen", "mil"), the words joining them ("und", "y",
#                          "et"), whether compounds are written as one word ("dreiundzwanzig") and whether the
#                          unit is said before the tens ("drei-und-zwanzig")
#   SCALE_ABBREVIATIONS    "Mio.", "Mrd.", "M€" after digits
#   VAGUE_SCALES           plural scale words that alone mean "very many" ("Millionen Menschen"), not one million
#   ARTICLES               words for "one" that are read as one only before a scale, currency or unit ("un", "ein")
#   SPECIAL, DOZEN, HALF, AND_A_HALF, FRACTIONS, DECIMAL_WORDS, RATIO_WORDS, MINUS_WORDS
#                          "anderthalb"; "Dutzend"; "demi"; "einhalb" glued after a number ("sechseinhalb");
#                          fraction denominators ("Drittel", "tercios"); "Komma"; "1 sur 3"; "min 5"
#   CURRENCIES, UNITS, LINKERS, CURRENCY_BEFORE
#                          currency and unit spellings after the number (symbols are shared, below); words between
#                          a scale and the unit ("millions de dollars"); currency words written before the number
#                          (True: all of them, or a regex of those that are)
#   QUALIFIERS, RANGE_WORDS, RANGE_OPENERS, FROM_TO
#                          hedges before the number; "bis", "à"; "zwischen ... und"; "von ... auf" (a change)
#   MONTHS, DATE_LINKERS, TIME_AFTER, TIME_BEFORE, REFERENCE_WORDS, ORDINAL_DOT, ORDINAL_ARTICLES, DECADE_WORDS
#                          what makes a number a date, a time of day, a reference ("Nr. 5", "art. 3"), an ordinal
#                          or a decade ("los años 80")
#   OBJECTS (optional)     how to find what a figure counts; without it objects stay empty

_SPACES = " \u00a0\u202f\u2009"
# Symbols read the same way in every language: (regex, canonical unit, kind); case-sensitive.
_SHARED_UNITS = [
    (r"%", "%", "percent"), (r"‰", "‰", "percent"),
    (r"US\s?\$|\$\s?US(?:D)?|USD", "USD", "money"), (r"C\$|CA\$|CAD", "CAD", "money"), (r"A\$|AU\$|AUD", "AUD", "money"),
    (r"HK\$|HKD", "HKD", "money"), (r"R\$|BRL", "BRL", "money"), (r"\$\s?c(?![\w$])", "CAD", "money"),
    (r"\$", "USD", "money"), (r"€|EUR", "EUR", "money"), (r"£|GBP", "GBP", "money"), (r"¥|JPY", "JPY", "money"),
    (r"₹|INR", "INR", "money"), (r"CHF", "CHF", "money"), (r"CNY|RMB", "CNY", "money"), (r"¢", "cent", "money"),
    (r"km²|km2|km\^2", "km2", "measure"), (r"m²|m2|m\^2", "m2", "measure"), (r"m³|m3|m\^3", "m3", "measure"),
    (r"cm³|cm3|cc", "cm³", "measure"), (r"km/h", "km/h", "measure"), (r"km", "km", "measure"),
    (r"cm", "cm", "measure"), (r"mm", "mm", "measure"), (r"[μµu]m", "um", "measure"), (r"dm", "dm", "measure"),
    (r"hm", "hm", "measure"), (r"m", "m", "measure"), (r"kg", "kg", "measure"), (r"mg", "mg", "measure"),
    (r"[μµu]g", "μg", "measure"), (r"g", "g", "measure"), (r"t", "t", "measure"), (r"ml", "ml", "measure"),
    (r"cl", "cl", "measure"), (r"[lL]", "l", "measure"), (r"ha", "ha", "measure"), (r"°C|° C", "degC", "measure"),
    (r"°F", "degF", "measure"), (r"°", "degree", "measure"), (r"kWh", "kWh", "measure"), (r"MWh", "MWh", "measure"),
    (r"GWh", "GWh", "measure"), (r"TWh", "TWh", "measure"), (r"kW", "kW", "measure"), (r"MW", "MW", "measure"),
    (r"GW", "GW", "measure"), (r"TB", "TB", "measure"), (r"GB", "GB", "measure"), (r"MB", "MB", "measure"),
    (r"[kK]B", "kB", "measure"), (r"mph", "mph", "measure"), (r"rad", "rad", "measure"), (r"in", "in", "measure"),
    (r"ft", "ft", "measure"), (r"mi", "mi", "measure"), (r"oz", "oz", "measure"), (r"lbs?", "lb", "measure"),
    (r"bhp", "bhp", "measure"), (r"hp", "hp", "measure"),
    (r"(?i:terabytes?)", "TB", "measure"), (r"(?i:gigabytes?)", "GB", "measure"),
    (r"(?i:megabytes?)", "MB", "measure"), (r"(?i:kilobytes?)", "kB", "measure"),
]
_SYMBOL_AFTER_SPACE = frozenset(["%", "‰", "€", "$", "£", "¥", "₹", "¢", "°"])     # "5 °C" is the usual spacing
_LOCAL_SKIP_RE = re.compile(r"""(?=[\d+])(?:     # every pattern starts with a digit or "+": fail fast elsewhere
    \d{1,2}[:.]\d{2}(?=[ \t]?(?i:uhr|h|heures?|horas?|uur|ore)\b)        # 10.30 Uhr, 10:30 h
  | \d{1,2}[ \t]?h[ \t]?\d{2}(?!\d)                                     # 10h30
  | \d+:\d+(?::\d+)?                                                    # 10:30, 2:1 (a time or a score)
  | \d{1,2}\.[ \t]?\d{1,2}\.(?:[ \t]?(?:\d{4}|\d{2}(?!\d)))?(?![\d,])    # 1.10.2024, 3.10., 3. 10. 2024
  | \d{1,4}[/-]\d{1,2}[/-]\d{2,4}(?!\d)                                 # 2024-10-01, 1/10/2024
  | \+\d{1,3}(?:[ \t./-]?\(?\d+\)?){2,}                                 # +49 30 1234567
  | (?<!\d)0\d{1,4}[ \t]?[/-][ \t]?\d{3,}(?:[ \t-]\d{2,})*               # 030/1234567
  | (?<!\d)0\d{1,3}(?:[ \t.]\d{2,4}){2,}(?![\d,])                       # 06 12 34 56 78, 030 1234 5678
  | (?<![\d.,])0\d{2,4}[ \t]\d{5,8}(?![\d.,])                              # 030 1234567
  | (?<![\d.,])\d{2,3}(?=(?:[ \t]\d{2,3})*[ \t]\d{2}(?!\d))(?:[ \t]\d{2,3}){3,}(?![\d.,])   # 91 123 45 67
  # a decimal or a thousands group split by a stray space ("monté 4. 8 %", "80, 000 spectateurs"): neither part
  # is the figure, and which one it is cannot be known for sure (a list item "1. 50 Euro" starts a line)
  | (?<=[^\d.,\n])\d{1,3}(?:\.[ \t]\d{1,2}|[ \t]\.[ \t]\d+)(?![\d.,])
  | (?<![\d.,])\d{1,3},[ \t]000(?![\d.,])
)""", re.X)
_LOCAL_DIGITS_RE = re.compile(r"""(?=[-−+\d,])(?<![\w.,])(?:(?P<sign>[-−+])(?=[\d,]))?(?P<num>
    \d{1,3}(?:,\d{3})+\.\d+                         # 1,111.11 (written the English way)
  | [1-9]\d{0,2}(?:\.\d{3})+(?:,\d+)?(?![\d.])       # 1.234.567,5
  | \d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?![\d])(?:,\d+)?   # 1 234 567,5
  | \d{1,3}(?:['’]\d{3})+(?:[.,]\d+)?               # 1'234.5
  | \d+(?:[.,]\d+)?
  | ,\d+                                             # ,08
)(?P<exp>[eE][+-]?\d+(?![\w])|\^[+-]*\d+)?
(?:(?P<slash>[ \t]?[/⁄][ \t]?\d{1,3})(?![\d/⁄]))?           # 3/4, 3⁄4 (the fraction slash)
""", re.X)
_DIGIT_RUN_RE = re.compile(r"\d+")
_SKIP_FOLLOWERS = frozenset(":./-h \t")     # what follows the first digits of every _LOCAL_SKIP_RE pattern ...
_SKIP_COMMA_FOLLOWERS = frozenset([", ", ",\t"])    # ... but "80, 000", where a comma and a space do
_LOCAL_WORD_RE = re.compile(r"[^\W\d_]+")
_WORD_CHAR_RE = re.compile(r"[^\W\d_]")
_ENGLISH_DIGITS_RE = re.compile(r"\d{1,3}(?:,\d{3})+\.\d+")          # 1,111.11
_DOT_GROUPED_RE = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+(?:,\d+)?")    # 1.234.567,5
_CLOCK_RE = re.compile(r"\d{1,2}[.,]\d{2}")
_UP_TO_2_DIGITS_RE = re.compile(r"\d{1,2}")
_UP_TO_3_DIGITS_RE = re.compile(r"\d{1,3}")
_DOT_THEN_RE = re.compile(r"\.[ \t\u00a0]+\S")
_DOT_WORD_RE = re.compile(r"\.[ \t\u00a0]+([^\W\d_]+)")
_CLAUSE_END_RE = re.compile(r"[ \t]*(?:[.,;!?)]|$)")
_USD_TAIL_RE = re.compile(r"[ \t]+(?:usd|us)\b", re.I)
_WORD_BEFORE_RE = re.compile(r"(?<![^\W\d_])([^\W\d_]+)[ \t]+$")
_MIXED_FRACTION_RE = re.compile(r"[ \t]+(?:(?:e|y|et|und|en|and)[ \t]+)?(\d{1,2})[ \t]?[/⁄][ \t]?(\d{1,3})"
                                r"(?![\d/⁄])")                                 # 2 1/4, 7 3 / 4
_PREFIX_CURRENCY_RE = re.compile(r"""(?:(?<![\w.])(?P<code>(?i:US|U\.S\.|C|CA|AU|HK|NZ)|A|R|S)[ \t]?(?=\$)|(?<![\w$]))
    (?P<sym>\$|€|£|¥|₹|(?:USD|EUR|GBP|CHF|JPY|CAD|AUD|INR|CNY)(?![\w]))[ \t]?$""", re.X)
_PREFIX_CODES_LOCAL = {"us": "USD", "u.s.": "USD", "c": "CAD", "ca": "CAD", "a": "AUD", "au": "AUD", "hk": "HKD",
                       "nz": "NZD", "r": "BRL", "s": "SGD"}
_SYMBOL_CODES = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR"}
_MAJOR_MINOR = {"USD": "cent", "EUR": "cent", "CAD": "cent", "AUD": "cent", "GBP": "pence", "CHF": "Rappen"}


_FOLDED = {}

_CHARS_SEEN = set()
_CHARS_UNSAFE = {"Σ"}       # letters the candidate search cannot read (see _lowered_text)


@functools.cache
def _accented() -> dict:
    """Lower-case Latin letters with accents by the letter they fold to: "u" -> "úùûüū..."."""
    found = {}
    for code in list(range(0xC0, 0x250)) + list(range(0x1E00, 0x1F00)):
        c = chr(code).lower()
        if len(c) == 1 and _WORD_CHAR_RE.match(c):
            f = "".join(x for x in unicodedata.normalize("NFD", c) if not unicodedata.combining(x))
            if len(f) == 1 and f != c:
                found.setdefault(f, set()).add(c)
    return {f: "".join(sorted(chars)) for f, chars in found.items()}


def _unsafe_letter(c: str) -> bool:
    """A letter the candidate search cannot read: it lowers to more than one character, or folds to a letter the
    search does not know as an accented form of it ("Σ" lowers by context)."""
    if c in _CHARS_UNSAFE:
        return True
    if not _WORD_CHAR_RE.match(c):
        return False
    low = c.lower()
    f = "".join(x for x in unicodedata.normalize("NFD", low) if not unicodedata.combining(x))
    return len(low) != 1 or len(f) != 1 or not _WORD_CHAR_RE.match(f) or f != low and low not in _accented().get(f, "")


def _lowered_text(text: str) -> str | None:
    """`text` in lower case with every offset kept, for the candidate search, or None when a letter of it is
    unsafe (then every word is read instead)."""
    try:
        text.encode("cp1252")               # Western European letters and punctuation only: all safe (a test checks)
        return text.lower()                 # and far quicker to find out than by looking at every character
    except UnicodeEncodeError:
        pass
    chars = set(text)
    for c in chars - _CHARS_SEEN:
        if _unsafe_letter(c):
            _CHARS_UNSAFE.add(c)
        _CHARS_SEEN.add(c)
    if not _CHARS_UNSAFE.isdisjoint(chars):
        return None
    return text.lower()


_UNIT_SEPARATORS = frozenset(" \t\u00a0\u202f-")   # what unit_re allows between the number and the unit


def _ascii_first(pattern: str) -> frozenset | None:
    """The ASCII characters a match of `pattern` can start with, or None when that is not known (the pattern may
    match the empty string, or uses something this does not read). Character classes are tested with the regex
    engine itself, so case-insensitive matching is exactly the engine's."""
    every = frozenset(map(chr, range(128)))
    try:
        parsed = _sre_parser.parse(pattern)
    except Exception:
        return None

    def matching(source, ignore_case):
        rx = re.compile(source, re.I if ignore_case else 0)
        return frozenset(x for x in every if rx.match(x))

    def sequence(items, ignore_case):
        found = set()
        for op, av in items:
            chars, nullable = element(op, av, ignore_case)
            found |= chars
            if not nullable:
                return found, False
        return found, True

    def element(op, av, ignore_case):
        if op is _sre.LITERAL:
            return matching(re.escape(chr(av)), ignore_case), False
        if op is _sre.IN:
            parts = []
            for iop, iav in av:
                if iop is _sre.LITERAL:
                    parts.append(re.escape(chr(iav)))
                elif iop is _sre.RANGE:
                    parts.append(re.escape(chr(iav[0])) + "-" + re.escape(chr(iav[1])))
                else:
                    return every, False
            return matching("[" + "".join(parts) + "]", ignore_case), False
        if op is _sre.BRANCH:
            found, nullable = set(), False
            for branch in av[1]:
                chars, empty = sequence(branch, ignore_case)
                found |= chars
                nullable = nullable or empty
            return found, nullable
        if op is _sre.SUBPATTERN:
            _, add, delete, items = av
            return sequence(items, (ignore_case or bool(add & re.I)) and not delete & re.I)
        if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
            low, _, items = av
            chars, empty = sequence(items, ignore_case)
            return chars, empty or low == 0
        if op in (_sre.ASSERT, _sre.ASSERT_NOT, _sre.AT):
            return set(), True
        if op in (_sre.NOT_LITERAL, _sre.ANY):
            return every, False
        return every, True                  # anything else: unknown

    chars, nullable = sequence(parsed, bool(parsed.state.flags & re.I))
    return None if nullable else frozenset(chars)


def _trie(words) -> str:
    """A regex matching `words` written with or without accents, as a trie (the regex engine tries far fewer
    branches than with a plain alternation)."""
    trie = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def letter(ch):
        variants = _accented().get(ch)
        return f"[{re.escape(ch + variants)}]" if variants else re.escape(ch)

    def build(node):
        alts = [letter(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" in node:
            body = f"(?:{body})?"
        return body

    return build(trie)


def _fold(word: str) -> str:
    """Lower case without accents: "três" -> "tres", "ün" -> "un" (but "ß" stays)."""
    folded = _FOLDED.get(word)
    if folded is None:
        if word.isascii():
            folded = word.lower()
        else:
            folded = "".join(c for c in unicodedata.normalize("NFD", word.lower()) if not unicodedata.combining(c))
        if len(_FOLDED) > 200_000:          # words of a long-running pipeline: keep the cache bounded
            _FOLDED.clear()
        _FOLDED[word] = folded
    return folded


class _Local:
    """A language pack compiled for reading: lexicons with accent-free variants and the unit pattern."""

    def __init__(self, p):
        self.p = p
        self.morphs = {}
        for table, kind in ((getattr(p, "NUMBERS", {}), "num"), (getattr(p, "HUNDRED", {}), "hund"),
                            (getattr(p, "HUNDREDS", {}), "hunds"), (getattr(p, "SCALES", {}), "scale"),
                            (getattr(p, "SPECIAL", {}), "special"), (getattr(p, "DOZEN", {}), "dozen")):
            for word, value in table.items():
                self._add(word, (kind, value))
        for word in getattr(p, "ARTICLES", ()):
            self.morphs.setdefault(word.lower(), ("num", 1))
            self.morphs.setdefault(_fold(word), ("num", 1))
        for word in getattr(p, "HALF", ()):
            self._add(word, ("half", 0.5))
        for word in getattr(p, "AND_A_HALF", ()):
            self._add(word, ("andhalf", 0.5))
        for word in getattr(p, "CONNECTORS", ()):
            self._add(word, ("conn", 0))
        self.articles = {_fold(w) for w in getattr(p, "ARTICLES", ())}
        self.fractions = {_fold(w): v for w, v in getattr(p, "FRACTIONS", {}).items()}
        # "thousandth", "millionth": a number glued before them multiplies them ("veintemilésimos" = 1/20000)
        self.power_fractions = sorted(((w, v) for w, v in self.fractions.items() if v >= 1000),
                                      key=lambda wv: -len(wv[0]))
        self.fraction_suffixes = [_fold(w) for w in getattr(p, "FRACTION_SUFFIXES", ())]
        self.ambiguous = {w.lower() for w in getattr(p, "AMBIGUOUS", ())}
        self.avos = {_fold(w) for w in getattr(p, "FRACTION_AFTER", ())}
        self.raw_articles = {w.lower() for w in getattr(p, "ARTICLES", ())}
        self.decimal_words = {_fold(w) for w in getattr(p, "DECIMAL_WORDS", ())}
        self.fraction_and = {_fold(w) for w in getattr(p, "FRACTION_AND", ())}
        self.ratio_words = {tuple(_fold(w).split()) for w in getattr(p, "RATIO_WORDS", ())}
        self.ratio_most_words = max(map(len, self.ratio_words), default=0)
        self.minus_words = {_fold(w) for w in getattr(p, "MINUS_WORDS", ())}
        self.glued = getattr(p, "GLUED", False)
        self.unit_first = getattr(p, "UNIT_FIRST", False)
        self.connectors = {_fold(w) for w in getattr(p, "CONNECTORS", ())}
        self.connector_word_re = re.compile(r"[ \t]+(?:" + "|".join(map(re.escape, self.connectors))
                                            + r")[ \t]+([^\W\d_]+)") if self.connectors else None
        conns = "|".join(map(re.escape, self.connectors | self.fraction_and)) or "(?!)"
        self.minor_re = re.compile(rf"[ \t]+(?:(?:{conns})[ \t]+)?(?:(\d{{1,2}})(?!\d)|([^\W\d_]+(?:[ \t]+(?:{conns})"
                                   rf"[ \t]+[^\W\d_]+)?))", re.I)
        self.scale_abbreviations = {_fold(k): v for k, v in getattr(p, "SCALE_ABBREVIATIONS", {}).items()}
        self.vague_scales = {_fold(w) for w in getattr(p, "VAGUE_SCALES", ())}
        abbreviations = _alt(self.scale_abbreviations) or "(?!)"
        self.scale_abbr_re = re.compile(rf"[ \t\u00a0]?(?i:({abbreviations}))(?:\.|(?![^\W\d_]))")
        self.k_re = re.compile(r"[ \t]?(?:(k)(?![\w])|M(?=[€$£]))")     # 5k, 3 M€ (mega before a currency sign)
        entries = [(pattern, canon, kind) for pattern, canon, kind in getattr(p, "UNITS", [])]
        entries += [(pattern, canon, "money") for pattern, canon in getattr(p, "CURRENCIES", [])]
        # Words first (case-insensitive), then the shared symbols (case-sensitive); longest spelling wins.
        self.unit_entries = [(re.compile(f"(?i:{pattern})"), canon, kind) for pattern, canon, kind in entries]
        self.unit_entries += [(re.compile(pattern), canon, kind) for pattern, canon, kind in _SHARED_UNITS]
        self.unit_re = self._unit_regex(tuple(range(len(self.unit_entries))))
        # The whole alternation is slow to fail, and most numbers are followed by no unit: one regex per ASCII
        # character holds only the entries that can start with it (and those that can start with a separator or
        # whose first characters are not known), in the same order, so it finds what the whole one finds.
        # Each is compiled when first needed.
        firsts = [_ascii_first(entry[0].pattern) for entry in self.unit_entries]
        anywhere = [i for i, f in enumerate(firsts) if f is None or f & _UNIT_SEPARATORS]
        self.unit_entries_by_char = {}
        for c in map(chr, range(128)):
            chosen = tuple(i for i, f in enumerate(firsts) if i in anywhere or c in f)
            if chosen:
                self.unit_entries_by_char[c] = chosen
        self.unit_re_by_char = {}
        self.currency_before_re = None
        before = getattr(p, "CURRENCY_BEFORE", False)
        if before:                          # True: every currency word; a regex: only those spellings
            words = before if isinstance(before, str) \
                else "|".join(pattern for pattern, _ in getattr(p, "CURRENCIES", []))
            self.currency_before_re = re.compile(rf"(?<![\w$])(?i:{words})[ \t]$")
        linkers = getattr(p, "LINKERS", [])
        self.linker_re = re.compile(r"[ \t]+(?:" + "|".join(linkers) + r")(?=[ \t$€£])|[ \t]+(?:d['’])(?=\w)", re.I) \
            if linkers else None
        self.qualifiers = {tuple(_fold(phrase).split()): q for q, phrases in getattr(p, "QUALIFIERS", {}).items()
                           for phrase in phrases.split("|")}
        self.qualifier_ends = {phrase[-1] for phrase in self.qualifiers if phrase}
        self.range_words = {_fold(w) for w in getattr(p, "RANGE_WORDS", ())}
        self.range_openers = {_fold(k): _fold(v) for k, v in getattr(p, "RANGE_OPENERS", {}).items()}
        self.from_to = {_fold(k): _fold(v) for k, v in getattr(p, "FROM_TO", {}).items()}
        self.range_gap_most = 2 * max(map(len, [*self.range_words, *self.range_openers.values(),
                                                *self.from_to.values(), "-"]))
        self.months = {_fold(m) for m in getattr(p, "MONTHS", ())}
        # "nov", "oct": a month written short (the start of another spelling), so "nov." is no sentence end
        self.month_abbreviations = {m for m in self.months if any(o != m and o.startswith(m) for o in self.months)}
        self.time_after = {_fold(w) for w in getattr(p, "TIME_AFTER", ())}
        self.time_before = {_fold(w) for w in getattr(p, "TIME_BEFORE", ())}
        self.references = {_fold(w) for w in getattr(p, "REFERENCE_WORDS", ())}
        self.date_linkers = {_fold(w) for w in getattr(p, "DATE_LINKERS", ())}
        self.decade_words = {_fold(w) for w in getattr(p, "DECADE_WORDS", ())}
        self.ordinal_dot = getattr(p, "ORDINAL_DOT", False)
        self.ordinal_articles = {_fold(w) for w in getattr(p, "ORDINAL_ARTICLES", ())}
        self.objects = getattr(p, "OBJECTS", None)
        if self.objects:
            self.object_after = {w.lower() for w in self.objects.get("after_amount", ())}
            self.object_determiners = {w.lower() for w in self.objects.get("determiners", ())}
            self.object_said_of = [re.compile(r"([A-ZÄÖÜ][\w-]*)[ \t]+"
                                              + r"[ \t]+".join(map(re.escape, w.lower().split())) + r"[ \t]+$")
                                   for w in self.objects.get("said_of", ())]
            self.not_nouns = set(self.objects.get("not_nouns", ())) | {m.capitalize() for m in self.months}
        self.segment = functools.lru_cache(maxsize=8192)(self._segment)
        # Where a number word may start, found in the lower-cased text: a word that is (with or without accents)
        # a lexicon entry, the first part of a hyphenated one ("quatre" of "quatre-vingt") or, in languages that
        # glue compounds, a run of entries ("dreihundertzwei"). Only these words and the two after each are read.
        # A connector alone ("und") starts no number: it is read only after a number word, as one of its two.
        entries = {w for w in list(self.morphs) + list(self.hyphen_heads) if _LOCAL_WORD_RE.fullmatch(w)}
        starts = re.escape("".join(sorted({c for w in entries for c in w[0] + _accented().get(w[0], "")})))
        connectors = {w for w in entries if self.morphs.get(w, ("",))[0] == "conn" and w not in self.hyphen_heads}
        not_alone = rf"(?!(?:{_trie(connectors)})(?![^\W\d_]))" if connectors else ""
        self.candidate_re = re.compile(rf"(?=[{starts}])(?<![^\W\d_]){not_alone}(?:{_trie(entries)})"
                                       + ("+" if self.glued else "") + r"(?![^\W\d_])") if entries else None

    @functools.cached_property
    def hyphen_heads(self):
        """What comes before a "-" in a hyphenated lexicon entry: "quatre" and "quatre-vingt" of "quatre-vingt-dix"."""
        heads = set()
        for word in self.morphs:
            parts = word.split("-")
            heads.update("-".join(parts[:k]) for k in range(1, len(parts)))
        return frozenset(heads)

    def _add(self, word, entry):
        self.morphs[word.lower()] = entry
        self.morphs.setdefault(_fold(word), entry)

    def _segment(self, word: str):
        """The morphs a (lower-cased, accent-free) word is made of, or None: "dreihundertzwei" -> drei, hundert,
        zwei. Only languages that glue compounds split words; the others need the whole word in the lexicon."""
        if word in self.morphs:
            return (word,)
        if not self.glued or len(word) > 80:
            return None
        best = [None] * (len(word) + 1)
        best[0] = ()
        for i in range(len(word)):
            if best[i] is None:
                continue
            for j in range(len(word), i, -1):
                piece = word[i:j]
                if piece in self.morphs and (best[j] is None or len(best[j]) > len(best[i]) + 1):
                    best[j] = best[i] + (piece,)
        found = best[len(word)]
        if found and (self.morphs[found[0]][0] == "conn" or self.morphs[found[-1]][0] == "conn"):
            return None                     # "achten" is not "acht" + "en"
        return found

    def fraction_value(self, word: str):
        """The denominator a fraction word names: "Drittel" -> 3, "veinticincoavos" -> 25, "dosmilésimos" -> 2000."""
        if word in self.fractions:
            return self.fractions[word]
        for power, value in self.power_fractions:
            if word.endswith(power) and len(word) > len(power) + 1:
                stem = word[:-len(power)]
                morphs = self.segment(stem)
                parsed = _parse_local_words(self, [(stem, 0, len(stem), morphs)], 0) if morphs else None
                if parsed and parsed[0] >= 2 and parsed[0] == int(parsed[0]):
                    return parsed[0] * value
        for suffix in self.fraction_suffixes:
            if word.endswith(suffix) and len(word) > len(suffix) + 2:
                stem = word[:-len(suffix)]
                for candidate in (stem, stem + "a", stem + "e"):
                    morphs = self.segment(candidate)
                    if morphs:
                        parsed = _parse_local_words(self, [(candidate, 0, len(candidate), morphs)], 0)
                        if parsed and parsed[0] >= 3 and parsed[0] == int(parsed[0]):
                            return parsed[0]
        return None

    @functools.cached_property
    def number_words(self):
        """A lexicon word for each value below 100: the morph a reader of "unième" needs."""
        found = {}
        for word, (kind, value) in self.morphs.items():
            if kind == "num":
                found.setdefault(value, word)
        return found

    def ordinal_unit(self, word: str):
        """The value below 100 of an ordinal or fraction word: "unième" -> 1, "cinquièmes" -> 5, or None."""
        value = self.fractions.get(word)
        if value is not None:
            return value if value < 100 else None
        for suffix in self.fraction_suffixes:
            if word.endswith(suffix) and len(word) > len(suffix) and word not in self.morphs:
                stem = word[:-len(suffix)]
                for candidate in (stem, stem + "e", stem + "a"):
                    entry = self.morphs.get(candidate)
                    if entry and entry[0] == "num":
                        return entry[1]
        return None

    def _unit_regex(self, entries: tuple):
        return re.compile(r"(?:[ \t\u00a0\u202f]|-(?=[^\W\d_]))?(?:"
                          + "|".join(f"(?P<u{i}>{self.unit_entries[i][0].pattern})" for i in entries)
                          + r")(?![^\W\d_]|\d)")

    def unit_at(self, text: str, pos: int):
        """(canonical unit, kind, end, start of the spelling) of the unit written at pos, or None."""
        c = text[pos:pos + 1]
        if c in _UNIT_SEPARATORS:
            c = text[pos + 1:pos + 2]
        if not c:
            return None
        if c.isascii():
            unit_re = self.unit_re_by_char.get(c)
            if unit_re is None:
                if c not in self.unit_entries_by_char:
                    return None             # no unit starts with it
                unit_re = self.unit_re_by_char[c] = self._unit_regex(self.unit_entries_by_char[c])
        else:
            unit_re = self.unit_re
        m = unit_re.match(text, pos)
        if not m:
            return None
        i = int(m.lastgroup[1:])            # the entry's group closes last (after any group inside it)
        _, canon, kind = self.unit_entries[i]
        return canon, kind, m.end(), m.start(m.lastgroup)


@functools.cache
def _local_rules(p) -> _Local:
    return _Local(p)


class _Num:
    """A number as written, before its context is read: digits or words, with its value."""

    __slots__ = ("start", "end", "value", "words", "article", "scaled", "raw_digits", "fraction", "half", "parts")

    def __init__(self, start, end, value, words=False, article=False, scaled=None, raw_digits=None,
                 fraction=False):
        self.start, self.end, self.value, self.words, self.article = start, end, value, words, article
        self.scaled, self.raw_digits, self.fraction = scaled, raw_digits, fraction
        self.half, self.parts = False, None


def _local_digits_value(m: re.Match, decimal: str) -> float | None:
    raw = m.group("num")
    for space in _SPACES + "'’":
        raw = raw.replace(space, "")
    if _ENGLISH_DIGITS_RE.fullmatch(raw):
        value = float(raw.replace(",", ""))
    elif decimal == ",":
        if _DOT_GROUPED_RE.fullmatch(raw):
            raw = raw.replace(".", "")
        value = float(raw.replace(",", "."))
    else:
        value = float(raw.replace(",", ""))
    exp = m.group("exp")
    if exp:
        if exp[0] in "eE":
            value *= 10.0 ** int(exp[1:])
        else:
            power = exp[1:]
            negative = power.count("-") % 2 == 1
            power = int(power.lstrip("+-"))
            if abs(power) > 300 or value == 0 and negative:
                return None
            value = value ** (-power if negative else power)
    if m.group("sign") in ("-", "−"):
        value = -value
    slash = m.group("slash")
    if slash:
        bottom = float(slash.strip(" \t/⁄"))
        if not bottom or exp or not value < bottom:
            return None
        value = value / bottom
    return value


def _parse_local_words(rules: _Local, tokens: list, i: int, stop: int | None = None):
    """Read a number from the word tokens starting at i: (value, next token index, info) or None.
    Tokens are (folded word, start, end, morphs). Ill-formed sequences ("drei vier") end the number."""
    stack = []                  # (value, scale) of groups already closed by a scale word
    good = None
    cur, last, conn, last_scale, half_pending = 0.0, None, False, 0.0, False
    small = last_value = 0.0            # the units and tens since the last hundred or scale word
    j, end_token = i, None
    n = len(tokens) if stop is None else stop
    while j < n:
        word, _, _, morphs = tokens[j]
        if morphs is None:
            break
        if j > i and tokens[j][1] - tokens[j - 1][2] > 3:
            break
        saved = (list(stack), cur, last, conn, last_scale)
        ok = True
        only_conn = True
        for k, piece in enumerate(morphs):
            kind, value = rules.morphs[piece]
            if kind != "conn":
                only_conn = False
            if kind == "conn":
                if last is None:
                    ok = False
                    break
                conn = True
                continue
            if kind == "num":
                cls = "unit" if value < 10 else "teen" if value < 20 else "tens"
                if last in (None, "hund", "scale", "hunds"):
                    pass
                elif last == "tens" and cls == "unit" and cur % 100 % 10 == 0 and not rules.unit_first:
                    pass
                elif last == "tens" and cls == "teen" and cur % 100 in (60, 80):
                    pass                    # soixante-douze, quatre-vingt-dix
                elif last == "teen" and cls == "unit" and last_value == 10 and not rules.unit_first:
                    pass                    # dix-sept
                elif last == "unit" and cls == "tens" and rules.unit_first and conn:
                    pass                    # drei-und-zwanzig
                else:
                    ok = False
                    break
                cur += value
                small += value
                last, last_value = cls, value
            elif kind == "hund":
                if last in ("hund", "hunds") or cur % 1000 >= 100:
                    ok = False
                    break
                cur = (cur % 1000 or 1) * value + (cur - cur % 1000)
                last, small = "hund", 0.0
            elif kind == "hunds":
                if last not in (None, "scale"):
                    ok = False
                    break
                cur += value
                last, small = "hunds", 0.0
            elif kind in ("scale", "dozen"):
                if last == "scale" and value <= last_scale and kind == "scale":
                    ok = False
                    break
                if kind == "dozen":
                    cur = cur - small + (small or (cur if last == "half" else 1)) * value if last != "half" \
                        else cur * value
                    last, small = "hund", 0.0
                    continue
                x = cur
                while stack and stack[-1][1] < value:
                    x += stack.pop()[0]
                stack.append(((x or 1) * value, value))
                cur, last, last_scale, small = 0.0, "scale", value, 0.0
            elif kind == "half":
                if half_pending:
                    ok = False
                    break
                nxt = tokens[j + 1][3] if k == len(morphs) - 1 and j + 1 < n else morphs[k + 1:]
                next_scale = bool(nxt) and rules.morphs[nxt[0]][0] == "scale"
                if last == "scale" and conn and next_scale:
                    cur, last, half_pending = 0.5, "half", True           # "un milliard et demi million"
                elif last == "scale" and conn:
                    stack.append((0.5 * last_scale, last_scale / 10))    # "3 millions et demi"
                    last = "halfdone"
                elif last is None or last == "unit" and small == 1 and (j > i and tokens[j - 1][0] in rules.articles
                                                                     or not stack and tokens[i][0] in rules.articles):
                    cur, last, half_pending = 0.5, "half", True           # "ein halbes Dutzend"
                elif last in ("unit", "teen", "tens", "hund", "hunds") and conn:
                    cur += 0.5                                            # "vier und halb" (rare)
                    last = "halfdone"
                else:
                    ok = False
                    break
            elif kind == "andhalf":             # "sechseinhalb": the number before it and a half
                if last not in ("unit", "teen", "tens", "hund", "hunds"):
                    ok = False
                    break
                cur += 0.5
                small += 0.5
                last = "andhalf"
            elif kind == "special":             # "anderthalb": a scale may follow, not another number
                if last is not None:
                    ok = False
                    break
                cur, small, last = value, value, "special"
            conn = False if kind != "conn" else conn
        if ok and only_conn:
            # a connector word between numbers: keep going only if a number follows
            if j + 1 < n and tokens[j + 1][3] is not None and tokens[j + 1][1] - tokens[j][2] <= 3:
                j += 1
                continue
            stack, cur, last, conn, last_scale = saved
            break
        if not ok:
            stack, cur, last, conn, last_scale = saved
            break
        if half_pending and last != "half":
            half_pending = False
        if last != "half":
            end_token, good = j, (cur + sum(v for v, _ in stack), last_scale)
        j += 1
        if last == "halfdone":
            break
    if end_token is None:
        return None
    value, last_scale = good
    return value, end_token + 1, {"article": end_token == i, "scaled": last_scale or None,
                                  "scale_only": rules.morphs[tokens[i][3][0]][0] in ("scale", "dozen")
                                  and all(rules.morphs[m][0] in ("scale", "dozen", "half", "conn")
                                          for t in tokens[i:end_token + 1] for m in t[3]),
                                  "half": last == "halfdone"}


def _word_tokens(text: str, rules: _Local) -> list:
    """The words the number reader needs, in order, as (folded word, start, end, morphs or None): every word that
    may be (part of) a number and the two words after each, which end it or add to it ("zwei Drittel", "zwei
    Komma drei"). Words farther from any number are left out: nothing reads them, and reading every word of an
    article was most of the time spent on it."""
    if rules.candidate_re is None:
        return []
    lowered = _lowered_text(text)
    anchors = (0,) if lowered is None else [m.start() for m in rules.candidate_re.finditer(lowered)]
    tokens, last, covered = [], None, 0
    segment, heads, morphs_table, folded = rules.segment, rules.hyphen_heads, rules.morphs, _FOLDED.get
    for anchor in anchors:
        if anchor < covered:
            continue
        remaining = 2
        covered = len(text)
        for m in _LOCAL_WORD_RE.finditer(text, anchor):
            raw = m.group()
            word = folded(raw) or _fold(raw)
            start, end = m.span()
            if last is not None and last[0] in heads and text[last[2]:start] in ("-", " ") \
                    and f"{last[0]}-{word}" in morphs_table:
                joined = f"{last[0]}-{word}"            # "quatre-vingt", "quatre vingt"
                last = tokens[-1] = (joined, last[1], end, (joined,))
                remaining = 2
                continue
            morphs = segment(word)
            last = (word, start, end, morphs)
            tokens.append(last)
            if morphs is not None or word in heads:
                remaining = 2
            elif lowered is not None:
                remaining -= 1
                if not remaining:
                    covered = end
                    break
    return tokens


def _skipped_spans(text: str, runs: list) -> list:
    """The spans _LOCAL_SKIP_RE.finditer(text) finds (dates, times, phone numbers), tried only where one can start:
    a run of digits followed by one of _SKIP_FOLLOWERS (or after a "+"), at its first digit or its last four (the
    patterns that may start inside a run read at most four digits before that character). Scanning the whole text
    with the regex was much slower."""
    spans, last = [], 0
    for s, e in runs:
        if e <= last:
            continue
        plus = s > 0 and text[s - 1] == "+"
        if not plus and text[e:e + 1] not in _SKIP_FOLLOWERS and text[e:e + 2] not in _SKIP_COMMA_FOLLOWERS:
            continue
        for p in ([s - 1] if plus else []) + [s] + list(range(max(s + 1, e - 4), e)):
            m = _LOCAL_SKIP_RE.match(text, p) if p >= last else None
            if m:
                spans.append(m.span())
                last = m.end()
                break
    return spans


def _digit_matches(text: str, runs: list) -> list:
    """What _LOCAL_DIGITS_RE.finditer(text) finds, tried only where a match can start: at a run of digits or up to
    two characters before it (a sign, a comma: "-,5")."""
    found, last = [], 0
    for s, _ in runs:
        for p in range(max(last, s - 2), s + 1):
            m = _LOCAL_DIGITS_RE.match(text, p)
            if m:
                found.append(m)
                last = m.end()
                break
    return found


def _local_numbers(text: str, rules: _Local, skipped: list, runs: list) -> list:
    """Every number written in digits or words, with fractions, decimal words and scale words read."""
    numbers = []

    skip_starts = [a for a, _ in skipped]

    def inside_skip(start):                 # the spans are sorted and do not overlap
        i = bisect.bisect_right(skip_starts, start) - 1
        return i >= 0 and start < skipped[i][1]

    def right_after_skip(start):            # only spaces between a skipped span and start
        i = bisect.bisect_right(skip_starts, start) - 1
        return i >= 0 and text[skipped[i][1]:start].strip(_SPACES) == ""

    for m in _digit_matches(text, runs):
        if inside_skip(m.start()):
            continue
        value = _local_digits_value(m, rules.p.DECIMAL)
        if value is None:
            continue
        numbers.append(_Num(m.start(), m.end(), value, raw_digits=m.group("num"), fraction=bool(m.group("slash"))))
    tokens = _word_tokens(text, rules)
    i = 0
    while i < len(tokens):
        word, start, end, morphs = tokens[i]
        if morphs is None or inside_skip(start):
            i += 1
            continue
        compound = _compound_ordinal(text, rules, tokens, i)
        if compound:                        # "le vingt et unième siècle": an ordinal
            i = compound[1]
            continue
        parsed = _parse_local_words(rules, tokens, i)
        if parsed is None:
            i += 1
            continue
        value, j, info = parsed
        first = text[start:end].lower()
        num = _Num(start, tokens[j - 1][2], value, words=True,
                   article=info["article"] and (first in rules.raw_articles or first in rules.ambiguous),
                   fraction=0 < value < 1)
        num.scaled = (info["scaled"] or value) if info["scale_only"] else info["scaled"]
        if info["scale_only"]:
            num.article = "scale"
            if rules.morphs[tokens[i][3][0]][0] == "dozen" and j == i + 1:
                num.article = "dozen"                   # "des douzaines de maisons": dozens, not twelve
                num.scaled = None
            num.half = info["half"]
        j = _local_word_tail(text, rules, tokens, j, num, i)
        numbers.append(num)
        i = j
    numbers.sort(key=lambda n: n.start)
    # digits followed by a scale word: "300 Milliarden", "2,5 millones", "6,65 mil millones"
    out = []
    for num in numbers:
        if out and num.article in ("scale", "dozen") and out[-1].scaled is None \
                and text[out[-1].end:num.start].strip(_SPACES) == "":
            prev = out[-1]
            if num.half:                                # "3 millions et demi"
                prev.value = (prev.value + 0.5) * num.scaled
            else:
                prev.value *= num.value
            prev.scaled, prev.end = num.scaled, num.end
            prev.fraction = prev.fraction or num.fraction
            continue
        if num.article == "scale" and right_after_skip(num.start):
            continue                                    # "1 . 6 miliardo": the scale of a number not read
        if num.article == "scale" and _fold(_LOCAL_WORD_RE.match(text, num.start).group()) in rules.vague_scales:
            continue                                    # "Millionen Menschen": very many, not one million
        if num.article == "scale":
            num.article = False
        if num.article == "dozen":
            num.article = True
        if out and out[-1].words and num.words and num.fraction and 0 < num.value < 1 and not out[-1].fraction \
                and out[-1].value >= 1 and out[-1].value == int(out[-1].value) and not out[-1].article \
                and text[out[-1].end:num.start] == " ":
            if num.parts and num.parts[1] >= 1000 and num.parts[0] >= 2:
                out[-1].value /= num.parts[0] * num.parts[1]   # "três dois milésimos" = 3/2000, not 3 + 2/1000
                out[-1].fraction = True
            else:
                out[-1].value += num.value                # "twintig drie vijfde" = 20 3/5
            out[-1].end = num.end
            continue
        out.append(num)
    return out


def _compound_ordinal(text: str, rules: _Local, tokens: list, j: int, spaced: bool = False):
    """(value, next token) of an ordinal of several words starting at token j, whose last word carries the
    ordinal ending and is joined by a hyphen or a connector: "vingt et unième" (21), "trente-deuxièmes" (32);
    or None. "quatre vingtièmes" (no hyphen) is four twentieths, "cinq centièmes" five hundredths; but after
    "un" (spaced) a space joins too: "un vingt cinquième" is one twenty-fifth."""
    for k in range(j + 1, min(j + 4, len(tokens))):
        if tokens[k - 1][3] is None:
            return None
        gap = text[tokens[k - 1][2]:tokens[k][1]]
        if gap != "-" and not (gap == " " and (spaced or tokens[k - 1][0] in rules.connectors)):
            continue
        unit = rules.ordinal_unit(tokens[k][0]) if tokens[k][3] is None else None
        if unit is None:
            continue
        word = rules.number_words.get(unit)
        pieces = tokens[j:k] + [(word, tokens[k][1], tokens[k][2], (word,))] if word else None
        parsed = _parse_local_words(rules, pieces, 0) if pieces else None
        if parsed and parsed[1] == len(pieces):
            return parsed[0], k + 1
        return None
    return None


_FRACTION_LINKS = frozenset("""de des du d del dei degli delle della di da do dos das van der von of en em por per
pour sur op in a y e et und""".split())


def _local_word_tail(text, rules, tokens, j, num, i=None):
    """After a number in words: a fraction ("zwei Drittel", "tres veinteavos", "dois onze avos"), a decimal
    word ("zwei Komma drei") or a fraction added with a connector ("trois et un cinquième", "cent et trois
    quarts", "cinq millions et trois quarts")."""
    n = len(tokens)
    near = j < n and tokens[j][1] - num.end <= 2
    compound = _compound_ordinal(text, rules, tokens, j, num.article and num.value == 1) if near else None
    if compound:                            # "trois vingt-cinquièmes" = 3/25, "un vingt et unième" = 1/21
        k = compound[1]
        if not (num.article and k < n and tokens[k][1] - tokens[k - 1][2] == 1 and text[tokens[k][1]].islower()
                and tokens[k][0] not in _FRACTION_LINKS):           # not "un vingt-cinquième anniversaire"
            num.value /= compound[0]
            num.end, num.fraction, num.article = tokens[k - 1][2], True, False
        return k
    slashed = j < n and text[num.end:tokens[j][1]].strip(_SPACES) == "/"      # "vijf / achtste"
    den = rules.fraction_value(tokens[j][0]) if near or slashed else None
    if den and num.article and j + 1 < n and tokens[j + 1][1] - tokens[j][2] == 1 \
            and text[tokens[j + 1][1]].islower() and tokens[j + 1][0] not in _FRACTION_LINKS \
            and rules.morphs.get(tokens[j + 1][0], ("",))[0] != "scale" and not rules.unit_at(text, tokens[j][2]):
        den = None                          # "un cinquième mandat", "un quinto piso": an ordinal, not a fraction
    if den and (tokens[j][3] is None or rules.morphs[tokens[j][3][0]][0] == "half"):
        conn = None
        if i is not None:
            conn = max((c for c in range(i + 1, j - 1) if tokens[c][0] in rules.fraction_and
                        and tokens[c][3] is not None and rules.morphs[tokens[c][3][0]][0] == "conn"), default=None)
        whole = _parse_local_words(rules, tokens, i, conn) if conn is not None else None
        part = _parse_local_words(rules, tokens, conn + 1) if conn is not None else None
        # where numbers are written as one word, a word of its own before the fraction is its numerator:
        # "tweehonderd drie vijfde" = 200 3/5 (203/5 would be "tweehonderddrie vijfde")
        split = conn is None and rules.glued and i is not None and j - i >= 2 \
            and text[tokens[j - 2][2]:tokens[j - 1][1]] == " "
        if split:
            whole, part = _parse_local_words(rules, tokens, i, j - 1), _parse_local_words(rules, tokens, j - 1, j)
        if whole and part and whole[1] == (conn if conn is not None else j - 1) and part[1] == j:
            last_morph = tokens[conn - 1][3][-1] if conn is not None else None
            scale = rules.morphs[last_morph][1] if last_morph and rules.morphs[last_morph][0] == "scale" else 1
            num.value = whole[0] + part[0] / den * scale   # "cent et trois quarts" = 100 + 3/4
        else:
            num.parts = (num.value, den)
            num.value = (num.value or 1) / den
        num.end, num.fraction, num.article = tokens[j][2], True, False
        return j + 1
    if near and rules.avos and tokens[j][3] is not None:
        parsed = _parse_local_words(rules, tokens, j)
        k = parsed[1] if parsed else n
        if k < n and tokens[k][0] in rules.avos and tokens[k][1] - tokens[k - 1][2] <= 2 and parsed[0]:
            num.value = num.value / parsed[0]                # "dois onze avos" = 2/11, "três vinte e um avos" = 3/21
            num.end, num.fraction, num.article = tokens[k][2], True, False
            return k + 1
    if near and (tokens[j][0] in rules.decimal_words or tokens[j][0] in rules.fraction_and) and j + 1 < n \
            and tokens[j + 1][3] is not None:
        parsed = _parse_local_words(rules, tokens, j + 1)
        if parsed:
            value, k, _ = parsed
            den = rules.fraction_value(tokens[k][0]) if k < n and tokens[k][1] - tokens[k - 1][2] <= 2 else None
            if den:
                last_morph = tokens[j - 1][3][-1] if tokens[j - 1][3] else None
                scale = rules.morphs[last_morph][1] if last_morph and rules.morphs[last_morph][0] == "scale" else 1
                num.value += value / den * scale            # "trois et un cinquième", "cinco trilhões com três quartos"
                num.end, num.article = tokens[k][2], False
                return k + 1
            if tokens[j][0] in rules.fraction_and and value != int(value):
                num.value += value                          # "once con uno y medio"
                num.end, num.article = tokens[k - 1][2], False
                return k
            if tokens[j][0] in rules.decimal_words:
                digits = ""
                while parsed:
                    value, k, _ = parsed
                    digits += str(int(value))
                    end = tokens[k - 1][2]
                    parsed = _parse_local_words(rules, tokens, k) if k < n and tokens[k][1] - end <= 2 else None
                num.value = float(f"{int(num.value)}.{digits}")
                num.end, num.article = end, False
                return k
    return j


_BEFORE_WORDS_RE = re.compile(r"[^\W\d_]+\.?|[§#°º]|\S")


def _words_before(text: str, pos: int, n: int) -> list[str]:
    """Up to n folded words right before pos (punctuation other than "." and "'" ends the look-back)."""
    if n <= 4:
        return list(_four_words_before(text, pos)[-n:]) if n else []
    return _read_words_before(text, pos, n)


@functools.lru_cache(maxsize=1024)
def _four_words_before(text: str, pos: int) -> tuple:
    """_words_before for n=4, kept: the same look-back is asked for by several rules (a str keeps its hash, so
    the key costs little)."""
    return tuple(_read_words_before(text, pos, 4))


def _read_words_before(text: str, pos: int, n: int) -> list[str]:
    chunk = text[max(0, pos - 60):pos]
    words = _BEFORE_WORDS_RE.findall(chunk)
    out = []
    for w in reversed(words):
        if len(out) == n:
            break
        if not (w[0].isalpha() or w in ("§", "#", "°", "º")):
            break
        out.append(_fold(w))
    return list(reversed(out))


_NEXT_WORD_RE = re.compile(r"[ \t\u00a0]*(\.)?[ \t\u00a0]*(?:(?:de|del|di|of)[ \t]+)?([^\W\d_]+)")
_DAY_RE = re.compile(r"(?:[1-9]|[12]\d|3[01])(?:\.(?:19|20)\d\d)?")       # 13; 1.1990 (a day and a year)
_DECADE_RE = re.compile(r"[1-9]0")
_WORD_AFTER_RE = re.compile(r"[ \t\u00a0]?([^\W\d_]+)")
_ORDINAL_SUFFIX_RE = re.compile(r"(?:er|ère|e|ème|eme|º|ª|°|o|a|de|ste|st|nd|rd|th)(?![^\W\d_])")


def _local_context_drop(text: str, rules: _Local, num: _Num) -> bool:
    """True when the number is a date, a time, a year, an ordinal or a reference, not a figure."""
    start, end = num.start, num.end
    after = text[end:end + 30]
    before_words = _words_before(text, start, 3)
    prev = before_words[-1] if before_words else ""
    if prev.rstrip(".") in rules.references or text[max(0, start - 3):start].strip(_SPACES)[-1:] in ("§", "#", "°", "º") \
            or prev in ("n°", "nº"):
        return True
    nxt = _NEXT_WORD_RE.match(after)
    if nxt and _fold(nxt.group(2)) in rules.months and not num.words:
        return True                         # 3. Oktober, le 3 octobre, 3 de octubre
    if nxt and num.words and 0 <= num.value <= 24 and num.value == int(num.value) and not nxt.group(1) \
            and _fold(nxt.group(2)) in rules.time_after and rules.unit_at(text, end) is None:
        return True                         # "gegen acht Uhr" (not "acht uur", which may be a duration)
    if not num.words:
        if prev in rules.months or len(before_words) >= 2 and before_words[-1] in rules.date_linkers \
                and before_words[-2] in rules.months:
            return True                     # Oktober 2024, octubre de 2024
        if prev[-1:] == "." and prev[:-1] in rules.month_abbreviations and _DAY_RE.fullmatch(num.raw_digits or ""):
            return True                     # oct. 13, nov. 15, 1999 (the English order, in translated text)
        if prev in rules.decade_words and _DECADE_RE.fullmatch(num.raw_digits or ""):
            return True                     # los años 80, les années 90
        m = _WORD_AFTER_RE.match(after)
        if m and _fold(m.group(1)) in rules.time_after and (num.value == int(num.value) or ("." in (num.raw_digits or "")
                                                                                      or "," in (num.raw_digits or ""))) \
                and 0 <= num.value < 25:
            return True                     # 14 Uhr, 10 h
        if prev in rules.time_before and _CLOCK_RE.fullmatch(num.raw_digits or ""):
            return True                     # um 10.30
        if rules.ordinal_dot and _DOT_THEN_RE.match(after) and _UP_TO_3_DIGITS_RE.fullmatch(num.raw_digits or ""):
            word = _DOT_WORD_RE.match(after)
            if word and (word.group(1)[0].islower() or prev in rules.ordinal_articles):
                return True                 # der 3. Platz, am 3. Tag
        if after[:1] == ")" and text[max(0, start - 1):start] != "(" and _UP_TO_2_DIGITS_RE.fullmatch(text[start:end]):
            return True                     # "1) ... 2) ...": an enumeration
        if _ORDINAL_SUFFIX_RE.match(after) \
                and not rules.unit_at(text, end):
            return True                     # 1er, 3e, 2º, 3ª
        if _WORD_CHAR_RE.match(after) and not rules.unit_at(text, end) and not rules.scale_abbr_re.match(text, end) \
                and not rules.k_re.match(text, end):
            return True                     # 5G, 1990er
    return False


def _local_year(text: str, rules: _Local, num: _Num) -> bool:
    raw = num.raw_digits or ""
    return len(raw) == 4 and raw.isdigit() and 1000 <= num.value <= 2199


def _local_qualifier(text: str, rules: _Local, start: int) -> str | None:
    words = _words_before(text, start, 4)
    words = [w.rstrip(".") if not w.endswith("ca.") else w for w in words]
    if words and words[-1] not in rules.qualifier_ends and words[-1].rstrip(".") not in rules.qualifier_ends:
        words = []                          # no hedge ends with the word before the number (most numbers)
    for n in (4, 3, 2, 1):
        if len(words) >= n:
            for candidate in (tuple(words[-n:]), tuple(w.rstrip(".") for w in words[-n:])):
                if candidate in rules.qualifiers:
                    return rules.qualifiers[candidate]
    stripped = text[max(0, start - 3):start].rstrip()
    if stripped and stripped[-1] in _SYMBOL_QUALIFIER:
        return _SYMBOL_QUALIFIER[stripped[-1]]
    return None


def _read_local(text: str, rules: _Local, num: _Num) -> _Figure | None:
    """A number with its currency, scale, unit and hedges, or None when it is not a figure."""
    if num.article and not num.fraction and not num.scaled and rules.unit_at(text, num.end) is None \
            and not _PREFIX_CURRENCY_RE.search(text, max(0, num.start - 8), num.start) \
            and not (rules.currency_before_re and rules.currency_before_re.search(text, max(0, num.start - 30),
                                                                              num.start)):
        return None                         # "ein", "un" with no unit or currency: an article (as below, sooner)
    if _local_context_drop(text, rules, num):
        return None
    start, end, value = num.start, num.end, num.value
    scale = num.scaled
    if not num.words and scale is None:
        m = rules.scale_abbr_re.match(text, end)
        if m:
            scale = rules.scale_abbreviations[_fold(m.group(1))]
            value, end = value * scale, m.end()
        else:
            m = rules.k_re.match(text, end)
            if m:
                scale = 1e3 if m.group(1) else 1e6
                value, end = value * scale, m.end()
    if scale:
        half = rules.connector_word_re.match(text, end) if rules.connector_word_re else None
        if half and rules.morphs.get(_fold(half.group(1)), ("",))[0] == "half":
            value += 0.5 * scale            # "3 millions et demi"
            end = half.end()
    if not num.words:
        mixed = _MIXED_FRACTION_RE.match(text, end)
        if mixed and 0 < int(mixed.group(1)) < int(mixed.group(2)) and not num.fraction and value == int(value):
            value += int(mixed.group(1)) / int(mixed.group(2))    # 2 1/4
            end = mixed.end()
    figure = _Figure(start, end, value)
    figure.scale = scale
    figure.number_start = start
    if num.fraction:
        figure.kind = "fraction"
    # the unit: right after the number, or after a linker once a scale word was read ("millions de dollars")
    unit = rules.unit_at(text, end)
    if unit is None and rules.linker_re and (scale or num.fraction):
        link = rules.linker_re.match(text, end)
        if link:
            unit = rules.unit_at(text, link.end())
            if unit is None and text[link.end():link.end() + 1] in "$€£":
                unit = rules.unit_at(text, link.end())
    if unit and unit[3] > end and text[end] in _SPACES and unit[0] is not None and not text[unit[3]].isalnum() \
            and text[unit[3]] not in _SYMBOL_AFTER_SPACE:
        unit = None                         # "5 ' s", not a unit symbol after a space
    if unit and unit[3] > end and text[unit[3]:unit[3] + 1].isalpha() and len(text[unit[3]:unit[2]]) <= 1 \
            and text[unit[3]].islower() and unit[1] == "measure" and num.words:
        unit = None                         # "tres m" after number words: too likely a word
    cur = _PREFIX_CURRENCY_RE.search(text, max(0, start - 8), start)
    if cur and not (unit and unit[1] == "money"):
        code = (cur.group("code") or "").lower()
        sym = cur.group("sym")
        figure.kind, figure.unit = "money", _PREFIX_CODES_LOCAL.get(code) if code else _SYMBOL_CODES.get(sym, sym.upper())
        if code and figure.unit is None:
            figure.unit = "USD"
        figure.start = cur.start()
    elif rules.currency_before_re and not unit:
        before = rules.currency_before_re.search(text, max(0, start - 30), start)
        if before:
            canon = rules.unit_at(" " + before.group().strip(), 0)
            if canon and canon[1] == "money":
                figure.kind, figure.unit, figure.start = "money", canon[0], before.start()
    if unit and figure.unit is None or unit and unit[1] == "money" and figure.kind == "money":
        canon, kind, unit_end, _ = unit
        if canon == "POUND":
            canon, kind = ("GBP", "money") if scale or figure.kind == "money" else ("lb", "measure")
        figure.end = unit_end
        if kind == "multiple":
            figure.kind = "multiple"
        else:
            figure.unit = canon
            figure.kind = "percent" if kind in ("percentage_point", "basis_point") else kind
        if canon == "USD":
            tail = _USD_TAIL_RE.match(text, figure.end)
            if tail:
                figure.end = tail.end()
    if figure.kind == "money" and figure.unit in _MAJOR_MINOR and not scale:
        _local_minor(text, rules, figure)
    if num.article and figure.unit is None and not scale and not num.fraction:
        return None                         # "un", "ein" alone: an article
    if figure.unit is None and figure.kind == "count" and not num.words and not scale and _local_year(text, rules, num):
        return None
    figure.qualifier = _local_qualifier(text, rules, figure.start) or "exact"
    minus = _WORD_BEFORE_RE.search(text[max(0, figure.start - 12):figure.start])
    if minus and _fold(minus.group(1)) in rules.minus_words and value > 0 and figure.qualifier == "exact":
        figure.value = -figure.value        # "min vijf procent"
        figure.start -= len(minus.group())
    return figure


def _local_minor(text: str, rules: _Local, figure: _Figure) -> None:
    """ "15 Dollar und 15 Cent", "15 dollars 50", "3 euros con 99 céntimos": the cents join the amount."""
    m = rules.minor_re.match(text, figure.end)
    if not m or figure.value != int(figure.value):
        return
    pos = m.end()
    if m.group(1):
        cents = int(m.group(1))
    else:                                   # "dertien euro en vijfenveertig cent"
        tokens = [(_fold(w.group()), w.start(), w.end(), rules.segment(_fold(w.group())))
                  for w in _LOCAL_WORD_RE.finditer(m.group(2))]
        parsed = _parse_local_words(rules, tokens, 0)
        if not parsed or parsed[1] != len(tokens) or not 0 < parsed[0] < 100 or parsed[0] != int(parsed[0]):
            return
        cents = int(parsed[0])
        if not rules.unit_at(text, pos) and not _CLAUSE_END_RE.match(text[pos:pos + 2]):
            return
    unit = rules.unit_at(text, pos)
    if unit and unit[0] in ("cent", "pence", "Rappen"):
        figure.value += cents / 100
        figure.end = unit[2]
    elif unit is None and _CLAUSE_END_RE.match(text[pos:pos + 2]):
        figure.value += cents / 100
        figure.end = pos


def _local_ratio(text: str, rules: _Local, a: _Num, b: _Num) -> bool:
    if not rules.ratio_words:
        return False
    words = text[a.end:b.start].split(None, rules.ratio_most_words)   # the gap may be long: split only its start
    if not words or len(words) > rules.ratio_most_words:
        return False
    return tuple(map(_fold, words)) in rules.ratio_words and (a.value or 0) < (b.value or 0)


def find_pack_figures(text: str, p) -> list[dict]:
    """Every figure in `text` read with the language pack `p` (a figures module), sorted by start."""
    rules = _local_rules(p)
    runs = [m.span() for m in _DIGIT_RUN_RE.finditer(text)]
    skipped = _skipped_spans(text, runs)
    numbers = _local_numbers(text, rules, skipped, runs)
    # "1 sur 3", "uno sobre tres": a ratio read as a fraction
    merged = []
    for num in numbers:
        if merged and _local_ratio(text, rules, merged[-1], num) and num.value:
            first = merged[-1]
            first.value, first.end, first.fraction, first.article = first.value / num.value, num.end, True, False
            continue
        merged.append(num)
    figures = []
    last_end = -1
    for num in merged:
        if num.start < last_end:
            continue
        figure = _read_local(text, rules, num)
        if figure is None:
            continue
        figures.append(figure)
        last_end = figure.end
    figures = _local_ranges(text, rules, figures)
    lines, out = {}, []
    by_sentence = {}
    for figure in figures:
        span = _sentence_span(text, figure.start, lines)
        while span[1] < figure.end and span[1] < len(text):   # "3 Mio. Euro": the split after "Mio." is wrong
            following = _sentence_span(text, span[1] + 1 if text[span[1]:span[1] + 1].isspace() else span[1], lines)
            if following[1] <= span[1]:
                break
            span = (span[0], following[1])
        if by_sentence and span[0] < next(reversed(by_sentence))[1]:
            last = next(reversed(by_sentence))
            span = (last[0], max(span[1], last[1]))
            by_sentence[span] = by_sentence.pop(last)
        by_sentence.setdefault(span, []).append(figure)
    for (start, end), in_sentence in by_sentence.items():
        if rules.objects:
            _local_objects(text, rules, in_sentence)
        out.extend(figure.as_dict(text, text[start:end]) for figure in in_sentence)
    return out


def _local_ranges(text: str, rules: _Local, figures: list) -> list:
    """ "10 bis 20 Prozent", "entre 3 et 5 millions d'euros", "10-20 %": the first number takes the scale and
    unit of the second; both keep their own span (as written ranges do in English)."""
    for a, b in zip(figures, figures[1:]):
        gap = text[a.end:b.start].strip(_SPACES)
        if len(gap) > rules.range_gap_most:     # no range word is that long: do not fold a stretch of text
            continue
        word = _fold(gap)
        opener = _words_before(text, a.start, 1)
        is_range = word in ("-", "–", "—") or word in rules.range_words \
            or opener and opener[0] in rules.range_openers and word == rules.range_openers[opener[0]]
        change = opener and opener[0] in rules.from_to and word == rules.from_to[opener[0]]
        if change and a.unit is None and b.unit is not None and not a.scale:
            a.unit, a.kind = b.unit, b.kind  # "von 800 auf 950 Euro": a change, both in euros
            continue
        if not is_range or a.unit and b.unit and a.unit != b.unit or a.kind == "fraction":
            continue
        if a.unit is None and b.unit is not None:
            a.unit, a.kind = b.unit, b.kind
        if b.scale and not a.scale and abs(a.value) < abs(b.value) / b.scale:
            a.value *= b.scale
            a.scale = b.scale
        if a.value is not None and b.value is not None and a.value < b.value:
            for f in (a, b):
                f.low, f.high = a.value, b.value
    return figures


def _local_objects(text: str, rules: _Local, figures: list) -> None:
    """What a figure counts, for languages whose pack says how (German, where nouns are capitalised): the noun
    after a count ("1.200 Menschen", "300 neue Wohnungen"), the noun after a preposition following an amount
    ("40.000 Euro für die Sanierung", "30 Prozent der Stimmen"), or the noun the amount is said of ("ein Umsatz
    von 3 Millionen Euro"). Anything less clear stays empty: a wrong object is worse than none."""
    for figure in figures:
        if figure.object is not None or figure.kind == "duration":
            continue
        after = text[figure.end:figure.end + 80]
        found = None
        if figure.unit is None and figure.kind == "count":
            m = _DE_COUNTED_RE.match(after)
            if m and all(w.endswith(_DE_ADJECTIVE_ENDINGS) for w in m.group(1).split()) \
                    and m.group(2) not in rules.not_nouns:
                found = m.span(2)
        else:
            m = _DE_AFTER_AMOUNT_RE.match(after)
            if m and m.group(1).lower() in rules.object_after \
                    and (m.group(2) is None or m.group(2).lower() in rules.object_determiners) \
                    and (m.group(3) is None or m.group(3).endswith(_DE_ADJECTIVE_ENDINGS)) \
                    and m.group(4) not in rules.not_nouns:
                found = m.span(4)
        if found:
            figure.object = (figure.end + found[0], figure.end + found[1])
            continue
        start = figure.start
        words = _words_before(text, start, 4)
        for n in (4, 3, 2, 1):              # step over a hedge: "ein Umsatz von rund 3 Millionen Euro"
            if len(words) >= n and tuple(words[-n:]) in rules.qualifiers:
                start = text.rfind(text[:start].split()[-n], 0, start)
                break
        before = text[max(0, start - 60):start]
        for said in rules.object_said_of:
            m = said.search(before)
            if m and m.group(1) not in rules.not_nouns:
                figure.object = (start - len(before) + m.start(1), start - len(before) + m.end(1))
                break


_DE_ADJECTIVE_ENDINGS = ("e", "en", "er", "es", "em")
_DE_COUNTED_RE = re.compile(r"[ \t]+((?:[a-zäöüß][\w-]*[ \t]+){0,2})([A-ZÄÖÜ][\w-]*)")
_DE_AFTER_AMOUNT_RE = re.compile(r"[ \t]+([^\W\d_]+)[ \t]+(?:([^\W\d_]+)[ \t]+)?(?:([a-zäöüß][\w-]*)[ \t]+)?"
                                 r"([A-ZÄÖÜ][\w-]*)")
