"""What each figure in a sentence is about: its object, as a span of the text.

`attach_objects(text, sentence, figures)` fills `object` (a (start, end) span) on the figures of one
sentence that have none yet. Counts already carry their counted noun ("300,000 civilians") from the
reader; this module finds the rest with the fixed order of published rule systems, using word lists
instead of a parser so that it stays as fast as the rest of the extractor:

1. the unit itself for durations ("over five years" -> years); for ages, the person ("a 16-year-old
   boy", "Mr Okafor, 61", "children aged 10", "a man in his 40s");
2. the noun the figure is said of, before it: "a loss of R23.9 billion", "the deal, worth £6.2bn",
   "temperatures above 105F", "the turbines, each 260 metres tall";
3. the noun the figure modifies: "a 42-kilometre tunnel", "a $7bn takeover" (a change noun hands on
   to what changed: "a 2% rise in house prices" -> house prices);
4. the noun after the figure with of/in/for/on: "9 percent of its staff", "€800m in aid",
   "£30m for the midfielder", "60 miles off the coast";
5. the object of the governing verb: "cut its deposit rate by 0.25 points", "valuing the company at $11bn";
6. the object of the figure it is compared with ("revenue of $4.2 billion, up 7%", "from 164 to 211");
7. the subject of its clause: "Unemployment climbed to 5.2%".
"""

import bisect
import re

# A word, a number (with its hyphenated tail: "42-kilometre") or one punctuation mark.
_TOKEN_RE = re.compile(r"[A-Za-z0-9][\w'’&-]*(?:\.\d+)*|[^\s\w]")

_DETERMINERS = frozenset("""a an the its their his her our my your this that these those some each every all
both any no another""".split())
_FUNCTION = frozenset("""
of in on at for from to by with without about over under into onto across per as after before since until
during between among against through toward towards within around up down off out near via like amid despite
upon beyond behind below above along throughout including plus minus versus vs than
and or but nor so yet if because though although whether unless whereas while
which who whom whose what when where why how that then there here it they we he she i you them him us me
not only just also still even already very too ago later earlier now ever never again away back once
more less most least much many few several last next
""".split()) | _DETERMINERS
_VERBS = frozenset("""
is are was were be been being am has have had will would could should may might must can do does did shall
said says say told tell reported reports reporting expects expect forecast forecasts posted posts show shows
showed shown rose rise rises risen rising fell fall falls fallen falling climbed climb climbs jumped jump jumps
surged surge surges soared soar soars grew grow grows grown gained gain gains added add adds increased increase
increases dropped drop drops declined decline declines decreased decrease decreases slid slide slides slipped
slip slips plunged plunge plunges plummeted plummets tumbled tumble tumbles sank sink sinks shrank shrink
shrinks eased ease eases dipped dip dips cut cuts slumped slump slumps narrowed narrow narrows widened widen
widens hit hits reached reach reaches stood stand stands closed close closes totalled totaled
spent spend spends paid pay pays won win wins lost lose loses killed kill kills left leave leaves
made make makes took take takes gave give gives set sets put puts saw see sees got get gets ran run runs
topped top tops hold holds held keep keeps kept lifted lift lifts raised raise raises lowered lower lowers
edged edge edges carries carry carried handled handle handles recorded generate generates
lasts lasted covered covers came come comes went go goes became become bought buy buys sold sell sells
built build builds sent send sends brought bring brings found finds began begin begins wrote drove led meet met
chose sought fought caught struck threw spoke understood fined opens open opened starts start started ends end
ended plans plan planned aims aim aimed faces face faced includes include included stands
becomes remain remains remained stay stays stayed needs need needed want wants wanted mean means meant
""".split())
# Nouns that stand for the quantity or a part of a group: the object is what comes after their "of".
_LIGHT_NOUNS = frozenset("""number numbers total fleet group groups handful lot lots pair couple batch proportion
percentage share majority""".split())
# Nouns that describe the figure as a change or a level of something else named elsewhere.
# "in front of a crowd of 53,214": the noun before "of" is a place, not what the figure is about.
_PLACE_NOUNS = frozenset("front top middle end side back edge part rest bottom".split())
_CHANGE_NOUNS = frozenset("""increase increases rise rises fall falls drop drops decline declines gain gains jump
jumps growth cut cuts reduction reductions decrease decreases hike hikes surge slump dip change changes average
level levels high highs low lows peak figure figures sum""".split())
# Nouns spelled like verbs, taken as the head of a noun phrase after a modifier: "cognitive decline".
_VERB_LIKE_HEADS = _CHANGE_NOUNS | {"decline", "record", "forecast", "pay", "cost", "costs", "output", "spend"}
# Words after a figure that describe it, not a noun it modifies: "31% full", "2,000 metres deep".
_ADJECTIVES = frozenset("""full empty higher lower more less long tall deep wide high old thick away short ahead
behind up down off overall apiece each guaranteed net gross annually year-on-year month-on-month apart north south
east west north-east north-west south-east south-west northeast northwest southeast southwest""".split())
_SIZE_ADJECTIVES = frozenset("long tall deep wide high old thick across away".split())
# Words naming a time or a way of payment, which "in"/"for"/"on" after money does not buy.
_NOT_BOUGHT = frozenset("""year years month months week weeks day days quarter quarters half time times period
season decade total cash stock shares dollars euros pounds terms damages january february march april may june
july august september october november december monday tuesday wednesday thursday friday saturday sunday
morning afternoon evening night trading addition""".split())
_LY_WORDS = frozenset("""supply family italy assembly july monthly weekly daily yearly quarterly hourly elderly
early rally ally""".split())
_ING_NOUNS = frozenset("""spending funding financing housing lending borrowing training shipping building
manufacturing trading pricing mining farming fishing banking hiring schooling""".split())
_PARTICIPLES = frozenset("hidden taken given stolen written driven chosen seen shown grown known spent sent left kept"
                         " held paid lost won made".split())
# Hedges and fillers between a word and the figure it governs: "worth a reported £150,000".
_HEDGES = frozenset("""about around roughly some nearly almost just only than over under a an reported estimated
approximately much many little something like well further another minus mere whopping""".split())
# Two-word hedges whose words are not hedges alone: "up to", "at least", "as much as".
_HEDGE_PAIRS = frozenset([("up", "to"), ("at", "least"), ("at", "most"), ("more", "than"), ("less", "than"),
                          ("fewer", "than"), ("as", "much"), ("as", "many"), ("as", "little")])
_LENGTH_UNITS = frozenset("km m mi cm mm ft yd in nm".split())
_LOCATIVE_RE = re.compile(r"""(?:[ \t]+(?:(?:north|south|east|west)(?:-?(?:east|west))?(?:ward)?|short|outside
    |inland|offshore|upstream|downstream|away))?[ \t]+(?:of|off|above|below|from|beneath|under)[ \t]""", re.X | re.I)
_BOUGHT_RE = re.compile(r"(?:[ \t]+over[ \t]+(?:the[ \t]+(?:next|past|last)[ \t]+)?[\w-]+[ \t]+"
                        r"(?:years?|months?|weeks?|decades?))?[ \t]+(in|for|on|from|off|towards?)[ \t]", re.I)
_AUXILIARIES = frozenset("""is are was were be been has have had will would could should may might must can to
expected likely set due""".split())
_GOVERNING_WORDS = {"worth", "costing", "cost", "valued", "priced", "totalling", "totaling", "amounting",
                    "estimated"}
_BOUNDARY_RE = re.compile(r"""[;:]|[ \t][–—-][ \t]|,?[ \t]+(?:while|whereas|but|although|though|after|before|when
    |because|as|where|which|who|that)\b|,[ \t]+and\b
    |\b(?:said|says|say|added|warned|argued|showed|shows|found|finds|believes|estimated)\b""", re.X | re.I)
_FAMILY = {"money": "money", "percent": "percent", "percentage_point": "percent", "basis_point": "percent",
           "count": "count", "age": "age", "fraction": "share", "ratio": "share", "multiple": "share"}


def attach_objects(text: str, sentence: tuple[int, int], figures: list) -> None:
    """Fill `.object` on the figures of one sentence (in text order) that have none."""
    tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text, *sentence)]
    if not tokens:
        return
    finder = _Finder(text, sentence, tokens, figures)
    for i, figure in enumerate(figures):
        if figure.object is None or figure.kind == "duration" and figure.object[1] > figure.start:
            figure.object = finder.object_of(i)     # but "a week or two" keeps the unit noun named before it


class _Finder:
    def __init__(self, text, sentence, tokens, figures):
        self.text, self.sentence, self.tokens, self.figures = text, sentence, tokens, figures
        self.starts = [t[1] for t in tokens]
        self.boundaries = None
        self.in_figure = set()
        for f in figures:
            for j in range(bisect.bisect_left(self.starts, f.start), bisect.bisect_left(self.starts, f.end)):
                if not (f.object and f.object[0] <= self.starts[j] < f.object[1]):
                    self.in_figure.add(j)

    # ------------------------------------------------------------ token helpers

    def index_at(self, pos: int) -> int:
        """Index of the first token starting at or after `pos`."""
        return bisect.bisect_left(self.starts, pos)

    def word(self, j: int) -> str:
        return self.tokens[j][0].lower() if 0 <= j < len(self.tokens) else ""

    def is_noun_word(self, j: int, first: bool = False) -> bool:
        w = self.word(j)
        if not w or not w[0].isalnum() or j in self.in_figure or w in _FUNCTION or w in _VERBS:
            return False
        if not any(c.isalpha() for c in w):
            return not first and w.isdigit() and self.is_noun_word(j + 1)    # "the FTSE 100 index"
        if w.endswith("ly") and len(w) > 4 and w not in _LY_WORDS:
            return False
        if first or "-" in w or w in _ING_NOUNS or not (w.endswith(("ed", "ing")) and len(w) > 4):
            return True
        # "the voluntary living wage", "operating profit": an -ing word before a noun
        following = self.word(j + 1)
        return (w.endswith("ing") and following.isalpha() and following not in _FUNCTION and following not in _VERBS
                and not following.endswith(("ed", "ing")) and j + 1 not in self.in_figure)

    def noun_after(self, j: int, skip_determiner: bool = True) -> tuple[int, int] | None:
        """The noun phrase starting at token j (words up to a function word, verb or punctuation); a light
        noun ("the number of people") hands on to its "of" phrase."""
        if skip_determiner:
            while self.word(j) in _DETERMINERS or j in self.in_figure or self.word(j) in ("\"", "“", "‘", "'"):
                j += 1
        first = j
        while j < len(self.tokens) and j - first < 6 and (
                self.is_noun_word(j, first=j == first)
                or j > first and self.word(j) in _VERB_LIKE_HEADS and not self.word(j - 1).endswith("s")):
            j += 1                          # "median pay for", not "prices rise"
        if j == first:
            return None
        if self.word(j - 1) in _ADJECTIVES:
            j -= 1
            if j == first:
                return None
        if self.word(j - 1) in _LIGHT_NOUNS and self.word(j) == "of":
            inner = self.noun_after(j + 1)
            if inner:
                return inner
        return self.tokens[first][1], self.tokens[j - 1][2]

    def noun_before(self, j: int) -> tuple[int, int] | None:
        """The noun phrase ending at token j-1; "the driver of the lorry" -> driver (the head comes first)."""
        end = j
        k = j - 1
        if self.word(k).removesuffix("s") in _VERB_LIKE_HEADS and self.is_noun_word(k - 1, first=True) \
                and not self.word(k - 1).endswith("s"):
            k -= 1                          # "cognitive decline", "the world record"
        while k >= 0 and self.is_noun_word(k, first=self.word(k - 1) in _DETERMINERS):
            k -= 1
        if k == end - 1:
            return None
        if self.word(k) == "of" or self.word(k) in _DETERMINERS and self.word(k - 1) == "of":
            of = k if self.word(k) == "of" else k - 1
            outer = self.noun_before(of)
            if outer and self.word(self.index_at(outer[1]) - 1) not in _LIGHT_NOUNS | _PLACE_NOUNS:
                return outer
        if self.word(end - 1) in _LIGHT_NOUNS:
            return None
        return self.tokens[k + 1][1], self.tokens[end - 1][2]

    def skip_hedges_back(self, j: int) -> int:
        """Index just after the last token before j that is not a hedge ("worth a reported £5m")."""
        while j > 0:
            if (self.word(j - 2), self.word(j - 1)) in _HEDGE_PAIRS:
                j -= 2
            elif self.word(j - 1) in _HEDGES or self.word(j - 1) == "as" and self.word(j - 2) in ("much", "many"):
                j -= 1
            else:
                break
        return j

    # ------------------------------------------------------------ the rules, in order

    def object_of(self, i: int):
        figure = self.figures[i]
        first, after = self.index_at(figure.start), self.index_at(figure.end)
        kind = figure.kind
        if kind == "duration":
            return self.unit_word(figure)
        found = None
        if kind == "age":
            found = self.person(figure, first, after)
        if not found:
            found = self.before(figure, first, after)
        if not found and kind != "count":
            found = self.modified_noun(figure, after)
        if not found:
            found = self.after_preposition(figure, after)
        if found == "inherit":
            found = self.inherited(i, any_family=True)
            return found or self.subject(first)
        if not found:
            found = self.verb_object(first)
        if not found:
            found = self.inherited(i, any_family=False)
        if not found:
            found = self.subject(first)
        return found

    def unit_word(self, figure):
        """ "five years", "a 72-hour ceasefire": the unit noun as written."""
        m = re.search(r"[A-Za-z]+(?=\W*$)", self.text[figure.start:figure.end])
        return (figure.start + m.start(), figure.start + m.end()) if m else None

    def person(self, figure, first, after):
        """ "a 16-year-old boy", "Mr Okafor, 61,", "two boys aged 15", "children under five"."""
        raw = self.text[figure.start:figure.end].lower()
        if raw.endswith("old") and "-" in raw:
            return self.noun_after(after, skip_determiner=False)
        j = self.skip_hedges_back(first)
        if self.word(j - 1) in ("early", "mid", "late"):
            j -= 1
        if self.word(j - 1) in ("his", "her", "their") and self.word(j - 2) == "in":
            j -= 2                          # "a man in his 40s"
        if self.word(j - 1) in ("between", "and"):
            j -= 1
        if self.word(j - 1) in ("aged", "age"):
            j -= 1
        if self.word(j - 1) == "," or self.word(j - 1) in ("over", "under"):
            j -= 1
        return self.noun_before(j) or (None if raw.endswith("old") else "inherit")

    def modified_noun(self, figure, after):
        """ "a $48 billion package", "the 7.1-magnitude earthquake"; a change noun hands on to what
        changed ("a two-point reduction in national insurance") or to the figure it qualifies."""
        if after >= len(self.tokens) or self.tokens[after][1] - figure.end > 1:
            return None
        if self.word(after) in _CHANGE_NOUNS and self.word(after + 1) in ("in", "of", "to"):
            return self.noun_after(after + 2) or "inherit"     # "a two-point cut in fuel duty"
        if not self.is_noun_word(after, first=True) or self.word(after) in _ADJECTIVES:
            return None
        if self.text[figure.end:self.tokens[after][1]] not in (" ", "-"):
            return None
        word = self.word(after)
        participle = "-" not in word and (word.endswith("ed") or word in _PARTICIPLES)
        if participle or figure.kind != "money" and word in _NOT_BOUGHT:
            return None                     # "£100m hidden in", "8.5% year on year"
        found = self.noun_after(after, skip_determiner=False)
        if found and self.word(self.index_at(found[1])) in _VERBS and "-" not in self.text[figure.start:figure.end] \
                and self.text[found[1] - 1] == "s":
            return None                     # "than the 0.3% economists had expected": a clause's subject
        if found and self.word(self.index_at(found[1]) - 1) in _CHANGE_NOUNS:
            j = self.index_at(found[1])
            if self.word(j) in ("in", "of", "to"):
                return self.noun_after(j + 1) or "inherit"
            return "inherit"
        return found

    def after_preposition(self, figure, after):
        """ "9 percent of its staff", "€800 million in aid", "£30m for the midfielder", "60 miles off the coast"."""
        if self.word(after) == "of":
            if self.word(after + 1) in ("them", "those", "it"):
                return self.inherited_group(figure) or "inherit"
            j = after + 1
            while self.word(j) in _DETERMINERS or self.word(j).isdigit():
                j += 1                      # "112 of the 349 seats"
            return self.noun_after(j)
        if figure.kind == "money":
            m = _BOUGHT_RE.match(self.text, figure.end)
            if m:
                found = self.noun_after(self.index_at(m.end()))
                if found and self.text[found[0]:found[1]].split()[-1].lower() not in _NOT_BOUGHT \
                        and not (m.group(1).lower() == "in" and self.text[found[0]].isupper()):
                    return found            # not "in New York trading"
        if figure.kind == "measure" and figure.unit in _LENGTH_UNITS:
            m = _LOCATIVE_RE.match(self.text, figure.end)
            if m:
                return self.noun_after(self.index_at(m.end()))
        return None

    def before(self, figure, first, after):
        """The noun the figure is said of: "a loss of R23.9 billion", "the deal, worth £6.2bn",
        "temperatures above 105F", "the turbines, each 260 metres tall"."""
        j = self.skip_hedges_back(first)
        word = self.word(j - 1)
        if word in ("up", "down") and self.word(j - 2) == ",":
            return "inherit"                # "revenue of $4.2 billion, up 7%"
        if word in ("up", "down") and self.is_noun_word(j - 2):
            return self.noun_before(j - 1)  # "with sales up 4.1%"
        if word == "of" and (figure.kind != "count" or figure.object is None):
            found = self.noun_before(j - 1)
            if found:
                head = self.text[found[0]:found[1]].split()[-1].lower()
                k = self.index_at(found[0]) - 1
                while self.word(k) in _DETERMINERS:
                    k -= 1
                at_a_rate = head in ("rate", "pace", "speed", "clip") and self.word(k) == "at"
                return "inherit" if head in _CHANGE_NOUNS or at_a_rate else found   # "grew at an annual pace of"
            if self.word(j - 2) in _CHANGE_NOUNS or self.word(j - 2) in ("average", "rate"):
                return "inherit"
        if word in ("at", "to") and self.word(j - 2) in ("valued", "priced", "estimated", "amounting"):
            j, word = j - 1, self.word(j - 2)
        if word in _GOVERNING_WORDS:
            k = j - 1
            while self.word(k - 1) in _AUXILIARIES or self.word(k - 1) == ",":
                k -= 1                      # "the project had cost", "is expected to cost"
            return self.noun_before(k)
        if word in ("above", "below", "over", "under", "exceeding") and figure.kind in ("measure", "age"):
            return self.noun_before(j - 1)
        if self.word(after) in _SIZE_ADJECTIVES and figure.kind == "measure":
            k = j
            while self.word(k - 1) in (",", "each", "all", "both"):
                k -= 1
            return self.noun_before(k)
        return None

    def verb_object(self, first):
        """ "cut its deposit rate by 25 basis points", "valuing the company at $11.6 billion"."""
        j = self.skip_hedges_back(first)
        if self.word(j - 1) not in ("by", "at", "to"):
            return None
        found = self.noun_before(j - 1)
        if not found:
            return None
        k = self.index_at(found[0]) - 1
        while self.word(k) in _DETERMINERS or self.word(k).endswith(("'s", "’s")):
            k -= 1
        verb = self.word(k)
        if verb in _VERBS or verb.endswith(("ed", "ing")) and len(verb) > 4:
            return found
        return None

    def inherited(self, i: int, any_family: bool):
        """The object of the figure this one is compared with, in the same clause: "from 164 to 211 cases",
        "revenue of $4.2 billion, up 7%", "31.4% of the vote ... and the nationalists on 18.9%"."""
        figure = self.figures[i]
        family = _FAMILY.get(figure.kind, figure.unit)
        for previous in reversed(self.figures[:i]):
            if previous.object is None:
                continue
            if any_family and previous.kind != "duration" or _FAMILY.get(previous.kind, previous.unit) == family:
                if not any_family and self.new_subject_between(previous.end, figure.start):
                    return None
                return previous.object
        return None

    def inherited_group(self, figure):
        """ "1,200 homes ..., a third of them": the last counted group before the figure."""
        for previous in reversed(self.figures[:self.figures.index(figure)]):
            if previous.kind == "count" and previous.object is not None:
                return previous.object
        return None

    def clause_start(self, pos: int) -> int:
        """Where the clause holding `pos` starts: after the last boundary before it in its sentence."""
        start = self.sentence[0]
        if self.text[pos - 1:pos].isalnum():
            return self._scan_boundaries(start, pos)   # "...said" may end a boundary only where the text is cut
        if self.boundaries is None:   # the sentence's boundaries, found once for all its figures
            self.boundaries = [m.span() for m in _BOUNDARY_RE.finditer(self.text, *self.sentence)]
        for b_start, b_end in self.boundaries:
            if b_end > pos:   # one running across pos may match differently in the text cut at pos
                return self._scan_boundaries(start, pos) if b_start < pos else start
            start = b_end
        return start

    def _scan_boundaries(self, start: int, pos: int) -> int:
        for m in _BOUNDARY_RE.finditer(self.text, start, pos):
            start = m.end()
        return start

    def new_subject_between(self, a: int, b: int) -> bool:
        start = self.clause_start(b)
        return start > a and self.subject_at(start, b) is not None

    def subject(self, first: int):
        figure_start = self.tokens[first][1] if first < len(self.tokens) else self.sentence[1]
        start = self.clause_start(figure_start)
        found = self.subject_at(start, figure_start)
        if found is None and self.text[max(0, start - 5):start].lower().endswith(("which", "who")):
            j = self.index_at(start) - 1
            if self.word(j - 1) == ",":
                j -= 1
            found = self.noun_before(j)     # "mortgage rates, which have been above 5%"
        if found is None and start > self.sentence[0]:
            found = self.subject_at(self.sentence[0], figure_start)
        return found

    def subject_at(self, start: int, limit: int):
        """The first noun phrase of a clause, after any opening adverbial ("On Monday, ...", "in the most
        deprived areas the obesity rate was")."""
        j = self.index_at(start)
        while self.word(j) in ("\"", "“", "‘", "'", "(") or self.word(j + 1) == ",":
            j += 2 if self.word(j + 1) == "," else 1     # "However, ..."
        if self.word(j) in _FUNCTION - _DETERMINERS or self.word(j) == "according":
            k = j
            while k < len(self.tokens) and self.tokens[k][1] < limit and self.word(k) != ",":
                k += 1
            if self.word(k) == "," and self.tokens[k][1] < limit:
                j = k + 1
            else:
                k = j + 1
                while self.word(k) in _FUNCTION:
                    k += 1                  # "in the most deprived areas"
                opening = self.noun_after(k)
                if opening:
                    j = self.index_at(opening[1])
        found = self.noun_after(j)
        if not found or found[1] > limit:
            return None
        words = self.text[found[0]:found[1]].split()
        if len(words) == 1 and words[0].lower().endswith(("ed", "ing")):
            return None                     # "that ended on Sept. 30": a verb, the clause has no subject
        return found
