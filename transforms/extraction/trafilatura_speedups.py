"""trafilatura, faster, selecting and returning exactly what it does: two changes to how it runs.

**Guarded regular-expression tests.** trafilatura selects boilerplate with XPath expressions like
`.//*[self::div][re:test(@class, 'a|b')]`. libxml2 evaluates an EXSLT `re:test` by calling back into
Python for every element it looks at, and those callbacks were about half of newsbeam's extraction
time on the AEB pages. A guarded test first asks libxml2, in C, whether it can be true at all:

    re:test(@class, 'post[-_]text|article-?body')
    -> ((@class) and (contains(@class, 'post') or contains(@class, 'article')) and re:test(...))

- the attribute must exist (an absent one reads as '', which the pattern must not match), and
- it must hold one of the literals every match of the pattern contains (case-sensitive patterns
  with few such literals only: a long list of `contains` costs more than the callback).

The test itself stays, so a guarded expression selects exactly what the original does: the guards
only skip calls whose answer is known to be false.

**Element classes chosen in C.** lxml.html picks the Python class of each element trafilatura
touches (HtmlElement, or FormElement and four others for form tags) with a lookup written in
Python, called for every element proxy: 1,700 calls a page. The same choice made by lxml's own
lookup tables costs no Python call.

`install()` puts both in place in trafilatura's modules and parser; `stock_trafilatura()` puts the
originals back for a block (benchmarks measure against the library as its users get it). On the
AEB pages newsbeam's extraction takes 0.77 to 0.89 of its time with stock trafilatura
(bench/extractors.py prints the ratio; bench/README.md has the figures).
"""

import contextlib
import itertools
import re
import sys
from re import _constants as sre  # the parser of the running Python: the patterns are read as re reads them
from re import _parser as sre_parse

from lxml import etree
from lxml.etree import XPath, XPathSyntaxError
from lxml.html import HtmlComment, HtmlElement, HtmlElementClassLookup, HtmlEntity, HtmlProcessingInstruction

REGEXP_NS = "http://exslt.org/regular-expressions"
# re:test(ATTRIBUTES, 'PATTERN'[, 'FLAGS']) with attributes as `@a` or `@a|@b`
_REGEX_TEST = re.compile(r"(?<![\w.:-])re:test\(\s*(@[\w-]+(?:\s*\|\s*@[\w-]+)*)\s*,\s*'([^']*)'\s*(?:,\s*'([^']*)'\s*)?\)")
# More literals than this make the `contains` guard dearer than the callback it saves: unlimited, one
# expression's 60 literals made it 2.6x slower; any limit from 2 to 16 gave the same XPath time on
# the AEB pages (0.73-0.77 of stock, literal guards alone), and 6 sits in that range.
MAX_GUARD_CONTAINS = 6
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)


def required_literals(pattern: str) -> frozenset[str] | None:
    """Strings one of which is in every string that `re.search(pattern, ...)` matches; None when
    the pattern gives none (a case-insensitive one, say). A string holding another of the set
    is left out: the shorter one is in every string the longer one is in."""
    try:
        parsed = sre_parse.parse(pattern)
    except re.error:
        return None
    if parsed.state.flags & re.IGNORECASE:
        return None
    found = _needed(list(parsed))
    return frozenset(s for s in found if not any(o != s and o in s for o in found)) if found else None


def _needed(items) -> set[str] | None:
    """For a parsed sequence: a set of strings one of which every match contains, the one whose
    shortest string is longest among those found; None when none is known."""
    best: set[str] | None = None

    def consider(candidates):
        nonlocal best
        if candidates and (best is None or min(map(len, candidates)) > min(map(len, best))):
            best = candidates

    run = ""
    for op, value in items + [(None, None)]:
        if op is sre.LITERAL:
            run += chr(value)   # consecutive literals are one piece of every match
            continue
        consider({run} if run else None)
        run = ""
        if op is sre.SUBPATTERN:
            _group, add_flags, _del_flags, body = value
            if not add_flags & re.IGNORECASE:
                consider(_needed(list(body)))
        elif op is sre.BRANCH:
            branches = [_needed(list(branch)) for branch in value[1]]
            if all(branches):
                consider(set().union(*branches))
        elif op in _REPEATS and value[0] >= 1:
            consider(_needed(list(value[2])))
    return best


def _xpath_string(text: str) -> str | None:
    """`text` as an XPath 1.0 string literal (which has no escapes); None if it holds both quotes."""
    if "'" not in text:
        return f"'{text}'"
    return f'"{text}"' if '"' not in text else None


def _guarded_test(match: re.Match) -> str:
    attributes, pattern, flags = match.group(1), match.group(2), match.group(3) or ""
    test = match.group(0)
    try:   # compiled as lxml compiles it
        if re.compile(pattern, re.UNICODE | (re.IGNORECASE if "i" in flags else 0)).search("") is not None:
            return test   # an absent attribute reads as '', which this pattern matches: no guard holds
    except (re.error, ValueError):
        return test
    names = [name.strip() for name in attributes.split("|")]
    guards = ["(" + " or ".join(names) + ")"]
    literals = None if "i" in flags else required_literals(pattern)
    quoted = [_xpath_string(s) for s in sorted(literals or ())]
    if quoted and None not in quoted and len(quoted) * len(names) <= MAX_GUARD_CONTAINS:
        # For `@a|@b` each attribute on its own, so the guard holds whichever one re:test reads.
        guards.append("(" + " or ".join(f"contains({name}, {q})" for name in names for q in quoted) + ")")
    return "(" + " and ".join(guards + [test]) + ")"


def guard_regex_tests(path: str) -> str:
    """The XPath expression `path` with each `re:test` on attributes behind its guards."""
    return _REGEX_TEST.sub(_guarded_test, path)


def guarded(expression: XPath) -> XPath:
    """A compiled expression selecting what `expression` (with EXSLT regular expressions bound to
    `re`, as trafilatura's are) selects; itself when there is nothing to guard."""
    path = guard_regex_tests(expression.path)
    if path == expression.path:
        return expression
    try:
        return XPath(path, namespaces={"re": REGEXP_NS})
    except (XPathSyntaxError, ValueError):   # a literal lxml can't take (a control character, say)
        return expression


def html_element_classes() -> etree.ElementNamespaceClassLookup:
    """lxml.html's choice of element classes (HtmlElementClassLookup: the form classes by tag name in
    any case, HtmlElement for other elements, the Html classes of comments, PIs and entities) made
    from lxml's tables in C. Names are looked up in no namespace, which is where the HTML parser puts
    every element and trafilatura makes its own; unlike lxml.html's, a namespaced `form` made by
    code would get HtmlElement."""
    by_tag = etree.ElementNamespaceClassLookup(etree.ElementDefaultClassLookup(
        element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity))
    registry = by_tag.get_namespace(None)
    for tag, element_class in HtmlElementClassLookup()._element_classes.items():
        for spelling in itertools.product(*((c.lower(), c.upper()) for c in tag)):
            registry["".join(spelling)] = element_class   # lxml.html lower-cases the tag before its lookup
    return by_tag


# (module or list, name or index, original, guarded) for every expression install() changed
_installed: list[tuple] = []
_STOCK_CLASSES = HtmlElementClassLookup()   # what lxml.html.HTMLParser sets on trafilatura's parser
_FAST_CLASSES = html_element_classes()


def _places():
    """Where trafilatura's modules hold compiled expressions: module names and list entries."""
    for name, module in list(sys.modules.items()):
        if name != "trafilatura" and not name.startswith("trafilatura."):
            continue
        for attribute, value in list(vars(module).items()):
            if isinstance(value, XPath):
                yield module, attribute, value
            elif isinstance(value, list):
                for index, item in enumerate(value):
                    if isinstance(item, XPath):
                        yield value, index, item


def _put(place, key, value) -> None:
    if isinstance(place, list):
        place[key] = value
    else:
        setattr(place, key, value)


def install() -> int:
    """Guard the regular-expression tests of every expression trafilatura's modules hold (lists are
    shared between its modules, so they are changed in place) and give its HTML parser the C lookup.
    Idempotent; returns how many expressions are guarded."""
    from trafilatura.utils import HTML_PARSER   # loads trafilatura, and the modules holding the expressions
    done = {id(new) for *_, new in _installed}
    made = {id(old): new for _, _, old, new in _installed}
    for place, key, expression in list(_places()):
        if id(expression) in done:
            continue
        new = made.get(id(expression)) or guarded(expression)
        if new is expression:
            continue
        made[id(expression)] = new
        done.add(id(new))
        _put(place, key, new)
        _installed.append((place, key, expression, new))   # keeps the original alive, so ids stay unique
    HTML_PARSER.set_element_class_lookup(_FAST_CLASSES)
    return len(done)


def as_written(expression: XPath) -> XPath:
    """The expression as trafilatura wrote it (before install() guarded it)."""
    return next((old for *_, old, new in _installed if new is expression), expression)


@contextlib.contextmanager
def stock_trafilatura():
    """trafilatura as it comes for the duration of the block, then newsbeam's speed-ups again. It
    changes trafilatura's modules for the whole process: for benchmarks and tests, not while other
    threads extract, and not nested (the inner block's end would bring the speed-ups back)."""
    from trafilatura.utils import HTML_PARSER
    for place, key, old, _new in _installed:
        _put(place, key, old)
    HTML_PARSER.set_element_class_lookup(_STOCK_CLASSES)
    try:
        yield
    finally:
        for place, key, _old, new in _installed:
            _put(place, key, new)
        if _installed:   # install() has run
            HTML_PARSER.set_element_class_lookup(_FAST_CLASSES)
