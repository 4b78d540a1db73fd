"""Sentence boundaries in article text, shared by the quote and figure extractors."""

import bisect

import regex as re

# Words that end in a full stop without ending the sentence.
_ABBREVIATIONS = frozenset("""
mr mrs ms dr prof sen rep gov gen lt col maj capt sgt adm cmdr pres st jr sr rev hon
vs etc inc corp co ltd no nos vol fig approx est dept univ assn bros ave blvd
jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.g i.e a.m p.m
""".split())

_ABBREVIATION_ALT = "|".join(sorted((re.escape(a) for a in _ABBREVIATIONS), key=len, reverse=True))
# A sentence end: terminal punctuation (optionally closing quotes/brackets) before space and not before a
# lower-case word ("the U.S. economy"), where a lone full stop must not close an abbreviation or an initial
# ("Jeffrey L. Harrigian"); or a line break; or a double quote mark, which the splitter tracks so as not to
# end a sentence inside a quotation.
_TOKEN = re.compile(
    rf"""(?:[.!?…]+[\"'”’)\]]+|[.!?…]*[!?…][.!?…]*|\.{{2,}}|(?<!(?:^|[^\w.])(?i:{_ABBREVIATION_ALT}|\p{{L}}))\.)"""
    r"(?=\s)(?!\s{0,3}\p{Ll})|\n|[\"“”]")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Split text into sentences; returns (start, end) offsets with surrounding space trimmed.

    A line break always ends a sentence (news text puts a paragraph on a line); terminal punctuation ends
    one unless it closes an abbreviation, the next word is lower-case, or a double quote opened earlier in
    the paragraph is still open ('"It was bad. Think of that," she said.' is one sentence).
    """
    spans = []
    start = 0
    in_quote = False
    for match in _TOKEN.finditer(text):
        tok = match.group()
        if tok == "\n":
            in_quote = False
            spans.append((start, match.end()))
            start = match.end()
            continue
        if tok in "\"“”":
            # A straight quote opens when nothing is open; curly quotes say which they are, except an
            # opener typed for a closer ('"It is,“ he said').
            s = match.start()
            typo_close = tok == "“" and s > 0 and not text[s - 1].isspace() and not text[s + 1:s + 2].isalnum()
            in_quote = (tok == "“" and not typo_close) or (tok == '"' and not in_quote)
            continue
        if tok[-1] in "\"”":
            in_quote = False   # the end punctuation closes the quotation: '... of that."'
        elif in_quote:
            continue
        end = match.end()
        spans.append((start, end))
        start = end
    spans.append((start, len(text)))
    return trimmed_spans(text, spans)


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


def trimmed_spans(text: str, spans) -> list[tuple[int, int]]:
    """`spans` of `text` without their leading and trailing white space; empty ones dropped."""
    trimmed = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            trimmed.append((s, e))
    return trimmed
