"""Sentence boundaries in article text, shared by the quote and figure extractors."""

import bisect
import re

# Words that end in a full stop without ending the sentence.
_ABBREVIATIONS = frozenset("""
mr mrs ms dr prof sen rep gov gen lt col maj capt sgt adm cmdr pres st jr sr rev hon
vs etc inc corp co ltd no nos vol fig approx est dept univ assn bros ave blvd
jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.g i.e a.m p.m
""".split())

# A candidate end: terminal punctuation, optional closing quotes/brackets, then space.
_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)|\n\s*\n|\n")


def _is_abbreviation(text: str, dot: int) -> bool:
    """True when the full stop at `dot` closes an abbreviation or an initial."""
    start = dot
    while start > 0 and (text[start - 1].isalpha() or text[start - 1] == "."):
        start -= 1
    word = text[start:dot].lower()
    if len(word) == 1 and word.isalpha():  # an initial: "Jeffrey L. Harrigian"
        return True
    return word in _ABBREVIATIONS


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Split text into sentences; returns (start, end) offsets with surrounding space trimmed."""
    spans = []
    start = 0
    for match in _END.finditer(text):
        end = match.end()
        if text[match.start()] != "\n":
            if match.group() == "." and _is_abbreviation(text, match.start()):
                continue
            nxt = text[end:end + 3].lstrip()
            if nxt and nxt[0].islower():  # "the U.S. economy", "The government ... needs"
                continue
        spans.append((start, end))
        start = end
    spans.append((start, len(text)))
    trimmed = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            trimmed.append((s, e))
    return trimmed


class Sentences:
    """Sentence lookup by character offset, built once per text."""

    def __init__(self, text: str):
        self.text = text
        self.spans = sentence_spans(text)
        self._starts = [s for s, _ in self.spans]

    def index_at(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self._starts, pos) - 1)

    def span_at(self, pos: int) -> tuple[int, int]:
        if not self.spans:
            return (0, len(self.text))
        return self.spans[self.index_at(pos)]

    def sentence_at(self, pos: int) -> str:
        start, end = self.span_at(pos)
        return self.text[start:end]
