"""trafilatura_speedups: with the guarded expressions and the element class lookup in C, trafilatura
selects, builds and extracts exactly what it does as it comes, on random trees, on the fixture pages
and on real pages."""

import glob
import gzip
import html as html_escape
import os
import re

import pytest
import trafilatura
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml.etree import XPath
from trafilatura.utils import load_html

from tests.conftest import FIXTURE_SITE, shared_path
from transforms.extraction import trafilatura_speedups
from transforms.extraction.articles import NoBody, decode_html, extract_article
from transforms.extraction.trafilatura_speedups import guard_regex_tests, required_literals, stock_trafilatura

# --- required_literals ---------------------------------------------------------------------


@pytest.mark.parametrize("pattern,literals", [
    ("post[-_]text|article-?body", {"post", "article"}),
    ("^shar|social|share", {"shar", "social"}),           # "share" holds "shar": implied by it
    ("(^|\\s)link(\\s|$)", {"link"}),
    ("[Aa]uthor|screenname", {"uthor", "screenname"}),
    ("(?:^| )ad-", {"ad-"}),
    ("mvp-post-add-(?:box|wrap)", {"mvp-post-add-"}),
    ("(?:ab)+x?", {"ab"}),
    ("(?:ab)++", {"ab"}),
    ("(?=ab)c", {"c"}),
    ("(a)(?(1)b|c)", {"a"}),
    ("(?-i:ab)c", {"ab"}),
    ("(a)\\1", {"a"}),
])
def test_required_literals_of_patterns_like_trafilaturas(pattern, literals):
    assert required_literals(pattern) == literals


@pytest.mark.parametrize("pattern", ["cookie|(?i:consent)", "(?i)cookie", "a?b*", "x|[xy]", "^", "(", "", "(?>ab)",
                                     "(?<=ab)"])
def test_no_literals_when_a_match_need_not_hold_one(pattern):
    assert required_literals(pattern) is None


_ATOMS = st.sampled_from(["a", "b", "ab", "ba", "abc", "b-a", "é", "-", " ", "[ab]", "[^a]", ".", "\\d", "\\s", "^",
                          "$"])


def _compound(inner):
    return st.one_of(
        st.lists(inner, min_size=2, max_size=4).map("".join),
        st.lists(inner, min_size=2, max_size=3).map("|".join),
        inner.map(lambda x: f"(?:{x})"), inner.map(lambda x: f"({x})"), inner.map(lambda x: f"(?i:{x})"),
        st.tuples(inner, st.sampled_from(["?", "*", "+", "{1,2}", "{2}", "+?", "{0,1}"])).map(
            lambda t: f"(?:{t[0]}){t[1]}"))


_PATTERNS = st.recursive(_ATOMS, _compound, max_leaves=8)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(_PATTERNS, st.data())
def test_every_match_holds_one_of_the_required_literals(pattern, data):
    try:
        re.compile(pattern)
    except re.error:
        assume(False)
    literals = required_literals(pattern)
    assume(literals)
    text = data.draw(st.from_regex(pattern))
    assert re.search(pattern, text)
    assert any(literal in text for literal in literals), (pattern, text, literals)


# --- the guarded expressions -----------------------------------------------------------------


def test_a_guard_is_attribute_presence_then_literals_then_the_test_itself():
    assert guard_regex_tests("//p[re:test(@class, 'post-?body|story')]") == (
        "//p[((@class) and (contains(@class, 'post') or contains(@class, 'story')) and "
        "re:test(@class, 'post-?body|story'))]")
    # a union of attributes: each one on its own, as re:test may read either; no literals when
    # the pattern ignores case; no guard at all when an absent attribute ('') would match
    assert guard_regex_tests("//p[re:test(@id|@class, 'nav')]") == (
        "//p[((@id or @class) and (contains(@id, 'nav') or contains(@class, 'nav')) and re:test(@id|@class, 'nav'))]")
    assert guard_regex_tests("//p[re:test(@id, 'nav', 'i')]") == "//p[((@id) and re:test(@id, 'nav', 'i'))]"
    assert guard_regex_tests("//p[re:test(@id, 'x?')]") == "//p[re:test(@id, 'x?')]"


def _pairs():
    """(trafilatura's expression, its guarded copy) for every expression install() changed."""
    pairs = {id(new): (old, new) for _, _, old, new in trafilatura_speedups._installed}
    return list(pairs.values())


def test_install_is_idempotent_and_stock_trafilatura_puts_the_originals_back():
    def held():
        return {id(expression) for *_, expression in trafilatura_speedups._places()}

    olds, news = {id(old) for old, _ in _pairs()}, {id(new) for _, new in _pairs()}
    assert len(news) >= 15 and trafilatura_speedups.install() == len(news)
    assert "((@id) and (contains(@id, " in trafilatura.xpaths.BODY_XPATH[0].path
    assert news <= held() and not olds & held()
    with stock_trafilatura():
        assert olds <= held() and not news & held()
    assert news <= held() and not olds & held()


# Random trees from the tags and the words trafilatura's expressions look for, with the words
# glued, cased and placed at random, and the attributes in random order (re:test on `@a|@b` reads
# one of them).
_WORDS_IN_RULES = sorted({w for _, new in _pairs() for lit in re.findall(r"'([^']*)'", new.path)
                          for w in re.findall(r"[A-Za-z]+", lit)} | {"x", "main", "content"})
_TAGS = ["div", "section", "article", "main", "aside", "p", "span", "a", "list", "item", "details", "ol", "ul",
         "h1", "h2", "h4", "address", "strong", "footer", "script", "time", "figure", "author", "link"]
_VALUE = st.lists(st.tuples(st.sampled_from(["", "-", "_", " ", "__"]), st.sampled_from(_WORDS_IN_RULES),
                            st.booleans()), min_size=1, max_size=3).map(
    lambda parts: "".join(sep + (word.title() if up else word) for sep, word, up in parts))
_ATTRIBUTES = st.lists(st.tuples(st.sampled_from(["id", "class", "style", "role", "itemprop", "rel",
                                                  "data-component", "aria-hidden"]), _VALUE),
                       max_size=3, unique_by=lambda kv: kv[0])


def _element(children):
    return st.builds(lambda tag, attrs, kids: "<{0}{1}>t{2}</{0}>".format(
        tag, "".join(f' {k}="{html_escape.escape(v)}"' for k, v in attrs), "".join(kids)),
        st.sampled_from(_TAGS), _ATTRIBUTES, st.lists(children, max_size=4))


_TREES = st.recursive(st.just("w"), _element, max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(st.lists(_TREES, min_size=1, max_size=4))
def test_guarded_expressions_select_what_trafilaturas_select_on_any_tree(parts):
    tree = load_html(f"<html><body>{''.join(parts)}</body></html>")
    for old, new in _pairs():
        for context in (tree, tree[-1]):
            assert new(context) == old(context), old.path


def _extractions(pages):
    out = []
    for html in pages:
        try:
            out.append(extract_article(html, "https://news.example/story"))
        except NoBody as error:
            out.append(str(error))
    return out


def _same_with_and_without_guards(pages):
    guarded = _extractions(pages)
    with stock_trafilatura():
        stock = _extractions(pages)
    for page, mine, theirs in zip(pages, guarded, stock):
        assert mine == theirs, page[:200]
    # and each expression selects the same elements of a whole page, not only the same texts in the
    # end (on every third page: each stock expression takes milliseconds on a raw page)
    for page in pages[::3]:
        tree = load_html(page)
        if tree is not None:
            for old, new in _pairs():
                assert new(tree) == old(tree), old.path


def test_extraction_is_the_same_with_and_without_guards_on_the_fixture_pages():
    paths = sorted(glob.glob(os.path.join(FIXTURE_SITE, "**", "*.html"), recursive=True))
    assert len(paths) >= 5
    pages = []
    for path in paths:
        with open(path, "rb") as f:
            pages.append(decode_html(f.read()))
    _same_with_and_without_guards(pages)


def test_extraction_is_the_same_with_and_without_guards_on_real_pages():
    paths = sorted(glob.glob(os.path.join(shared_path("data", "extraction", "aeb", "html"), "*.html.gz")))
    assert len(paths) > 100
    pages = []
    for path in paths:
        with gzip.open(path, "rb") as f:
            pages.append(decode_html(f.read()))
    _same_with_and_without_guards(pages)


# --- element classes --------------------------------------------------------------------------

_MARKUP = st.one_of(st.sampled_from(["<form>", "<FORM action='x'>", "<Input name=a>", "<select><option>1</option>",
                                     "</select>", "<textarea>t</textarea>", "<LABEL for=a>l</LABEL>", "<label>",
                                     "</form>", "<p>", "</p>", "<div class='c'>", "</div>", "<svg:rect/>",
                                     "<my-widget>", "<br>", "<tExTaReA>", "<fOrM>"]),
                    st.text(alphabet="ab <>/=", max_size=8))


def _classes(html: str):
    tree = load_html(html)
    return None if tree is None else [(element.tag, type(element)) for element in tree.iter()]


@settings(max_examples=300, deadline=None)
@given(st.lists(_MARKUP, max_size=25))
def test_elements_get_the_classes_lxml_html_gives_them(parts):
    html = "<html><body>" + "".join(parts) + "</body></html>"
    mine = _classes(html)
    with stock_trafilatura():
        theirs = _classes(html)
    assert mine == theirs


def test_form_elements_keep_their_lxml_html_classes():
    from lxml.html import FormElement, InputElement, TextareaElement
    tree = load_html("<html><body><form><input name=q><TEXTAREA>x</TEXTAREA></form><p>t</p></body></html>")
    assert [type(e) for e in tree.iter("form", "input", "textarea")] == [FormElement, InputElement, TextareaElement]
    assert type(tree.find(".//p")).__name__ == "HtmlElement"
    # an element made in the tree by code, in any case, as lxml.html's lookup lower-cases the tag
    assert type(etree.SubElement(tree.find(".//body"), "sElEcT")).__name__ == "SelectElement"


def test_comments_get_lxml_htmls_class():
    # trafilatura's parser drops them (and HTML has no processing instructions: the parser makes
    # comments of them); a parser that keeps comments shows the lookup's fallback
    from lxml.html import HtmlComment, HtmlElementClassLookup
    html = b"<html><body><!-- note --><?pi x?><p>t</p></body></html>"
    kinds = []
    for lookup in (trafilatura_speedups.html_element_classes(), HtmlElementClassLookup()):
        parser = etree.HTMLParser()
        parser.set_element_class_lookup(lookup)
        kinds.append([type(node) for node in etree.fromstring(html, parser).iter()])
    assert kinds[0] == kinds[1]
    assert HtmlComment in kinds[0]


def test_an_expression_without_regex_tests_is_left_as_it_is():
    expression = XPath(".//div[@class='x']")
    assert trafilatura_speedups.guarded(expression) is expression
