"""decode_html, extract_article, article_from_entry, word_count, content_hash."""

import codecs
import glob
import gzip
import hashlib
import html as html_escape
import json
import os

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml import etree
from trafilatura.metadata import extract_author
from trafilatura.utils import load_html

from tests.conftest import shared_path
from transforms.extraction import articles
from transforms.extraction.articles import (MIN_ARTICLE_WORDS, NoBody, article_from_entry, content_hash, decode_html,
                                 extract_article, is_stamp, page_author, parse_page, repeats_itself, without_furniture,
                                 without_headline, word_count)
from transforms.extraction.trafilatura_speedups import stock_trafilatura

UNIT = os.path.join(os.path.dirname(__file__), "fixtures", "unit")
URL = "https://gazette.example/local/lighthouse-keeper"


def page(name: str) -> str:
    with open(os.path.join(UNIT, name), encoding="utf-8") as f:
        return f.read()


# --- decode_html --------------------------------------------------------------------------

def test_decode_html_uses_the_http_charset():
    body = "<p>Привет, мир</p>".encode("koi8_r")
    assert decode_html(body, "text/html; charset=KOI8-R") == "<p>Привет, мир</p>"


def test_decode_html_reads_latin1_label_as_windows_1252_for_curly_quotes():
    body = "<p>Caf\xe9 \u201cquoted\u201d \u2013 \u20ac5</p>".encode("cp1252")
    assert decode_html(body, "text/html; charset=ISO-8859-1") == "<p>Café “quoted” – €5</p>"


def test_decode_html_bom_beats_a_wrong_http_charset():
    body = codecs.BOM_UTF8 + "<p>Grüße</p>".encode("utf-8")
    text = decode_html(body, "text/html; charset=iso-8859-1")
    assert text == "<p>Grüße</p>"  # no BOM character left either


@pytest.mark.parametrize("bom,codec", [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")])
def test_decode_html_detects_utf16_by_bom(bom, codec):
    body = bom + "<p>Ærø færge</p>".encode(codec)
    assert decode_html(body) == "<p>Ærø færge</p>"


def test_decode_html_uses_meta_charset_when_http_gives_none():
    html = '<html><head><meta charset="windows-1251"></head><body><p>Новости дня</p></body></html>'
    assert decode_html(html.encode("cp1251"), "text/html") == html


def test_decode_html_reads_http_equiv_content_type_meta():
    html = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-15">'
            '</head><body><p>Prix: 5 \u20ac</p></body></html>')
    assert decode_html(html.encode("iso-8859-15")) == html


def test_decode_html_defaults_to_utf8():
    html = "<p>Straße, Ærø, 東京</p>"
    assert decode_html(html.encode("utf-8"), "text/html") == html


def test_decode_html_skips_an_unknown_charset_label():
    html = "<p>Smörgåsbord</p>"
    assert decode_html(html.encode("utf-8"), "text/html; charset=x-no-such-charset") == html


def test_decode_html_detects_unlabelled_latin1_text():
    html = ("<p>Die Bürger von Köln grüßen die Gäste aus Mönchengladbach. "
            "Schöne Grüße und frohe Weihnachten an alle Straßenbahnfahrer.</p>")
    text = decode_html(html.encode("latin-1"), "text/html")
    assert "Köln" in text and "grüßen" in text


def test_decode_html_latin1_label_survives_bytes_undefined_in_windows_1252():
    # 0x81/0x8D/0x8F/0x90/0x9D have no cp1252 character; browsers map them to C1 controls
    # and keep the rest of the page. The page must not turn into detector mojibake.
    body = b"<p>Caf\xe9 au lait \x8d and cr\xe8me</p>"
    text = decode_html(body, "text/html; charset=iso-8859-1")
    assert text.startswith("<p>Café au lait ")
    assert text.endswith(" and crème</p>")


# --- extract_article -------------------------------------------------------------------------

def test_extract_article_returns_body_text_without_page_furniture():
    art = extract_article(page("article.html"), URL)
    assert "one hundred and twelve steps" in art["text"]
    assert "volunteer group will take over the tours" in art["text"]
    assert "4 Quay Street" not in art["text"]  # footer
    assert word_count(art["text"]) >= MIN_ARTICLE_WORDS


def test_extract_article_reads_page_metadata():
    art = extract_article(page("article.html"), URL)
    assert art["title"] == "Lighthouse keeper retires after thirty years"
    assert art["authors"] == ["Mira Castell"]
    assert art["source"] == "Harlow Gazette"
    assert art["language"] == "en"
    assert art["description"] == "Edda Morland hands over the Harlow Point light."
    assert art["published_at"].startswith("2026-11-19")
    assert art["published_at"].endswith("+00:00")


def test_a_date_the_text_mentions_is_not_taken_for_the_publishing_date():
    paragraph = " ".join(["The harbour board met again to discuss the dredging plan and its costs for the town."] * 8)
    html = (f"<html><head><title>Harbour plan</title></head><body><article><h1>Harbour plan</h1><p>{paragraph}</p>"
            "<p>The first dredging was finished on 3 March 2019, the board recalled.</p></article></body></html>")
    assert extract_article(html, "https://news.example/harbour-plan")["published_at"] is None  # no guess
    dated = extract_article(html, "https://news.example/2024/05/02/harbour-plan")   # a date the URL states
    assert (dated["published_at"], dated["date_source"]) == ("2024-05-02T00:00:00+00:00", "url")


def test_extract_article_falls_back_to_host_and_html_lang_without_site_metadata():
    html = page("article.html").replace('<meta property="og:site_name" content="Harlow Gazette">', "")
    html = html.replace(" | Harlow Gazette", "").replace("Harlow Gazette, 4 Quay Street", "")
    html = html.replace('lang="en"', 'lang="nl"')
    art = extract_article(html, URL)
    assert art["source"] == "gazette.example"
    # The page says Dutch but its text is plainly English: the detector, sure of itself, overrides it.
    assert art["language"] == "en"


def test_extract_article_splits_several_authors():
    html = page("article.html").replace('content="Mira Castell"', 'content="Mira Castell; Jon Adeyemi and Lena Vos"')
    html = html.replace("By Mira Castell", "By Mira Castell, Jon Adeyemi and Lena Vos")
    art = extract_article(html, URL)
    assert art["authors"] == ["Mira Castell", "Jon Adeyemi", "Lena Vos"]


def test_the_author_comes_from_the_byline_when_no_meta_tag_names_one_and_not_from_a_pruned_part():
    html = page("article.html").replace('<meta name="author" content="Mira Castell">', "")
    html = html.replace("By Mira Castell", '<span class="byline">By Mira Castell<time>19 Nov</time></span>')
    html = html.replace("<body>", '<body><div class="comments"><span class="author">Troll Account</span></div>', 1)
    assert '<span class="byline">' in html and 'content="Mira Castell"' not in html
    assert extract_article(html, URL)["authors"] == ["Mira Castell"]


# page_author must equal trafilatura's extract_author on any page: random trees of the tags and
# classes both searches look at, with text and tails around them.
_TAGS = ["div", "span", "a", "p", "section", "time", "figure", "author", "address", "strong", "h3", "h4", "em"]
_ATTRS = st.sampled_from([
    "", ' class="author"', ' class="byline"', ' class="author-name"', ' class="comments"', ' class="date"',
    ' class="title"', ' class="sidebar"', ' class="quote"', ' class="print"', ' class="writer"', ' id="author"',
    ' id="comments"', ' itemprop="author"', ' rel="author"', ' data-component="Figure"', ' data-component="Byline"',
    ' class="meta-date author"',
    # every string the author expressions look for (page_author finds its candidates by them)
    *(f' class="{v}"' for v in ("BBL", "byl", "username", "screenname", "channel-name", "submitted-by", "posted-by",
                                 "journalist-name", "zuozhe", "bianji", "xiaobian", "AuthorName", "Byline")),
    ' id="zuozhe"', ' id="bianji"', ' id="xiaobian"', ' id="Author-box"', ' itemprop="author name"',
    ' data-testid="AuthorCard"', ' data-testid="AuthorURL"'])
_WORDS = st.sampled_from(["", "By", "Jane Roe", "and", "Sam", "Staff Reporter", "12 May", "Comments (3)", " "])


def _element(children):
    return st.builds(lambda tag, attrs, text, kids, tail: f"<{tag}{attrs}>{html_escape.escape(text)}{''.join(kids)}"
                     f"</{tag}>{html_escape.escape(tail)}",
                     st.sampled_from(_TAGS), _ATTRS, _WORDS, st.lists(children, max_size=4), _WORDS)


_TREES = st.recursive(st.builds(html_escape.escape, _WORDS), _element, max_leaves=25)


def test_the_byline_search_walks_the_page_once_with_this_trafilatura():
    # its attribute literals were read off this trafilatura's author expressions (a new version's are
    # checked against them, and the expressions are run as they are until they are read again)
    assert articles._AUTHOR_ELEMENT_TESTS is not None and len(articles._AUTHOR_ELEMENT_TESTS) == 3


@settings(max_examples=300, deadline=None)
@given(st.lists(_TREES, min_size=1, max_size=4))
def test_page_author_finds_what_trafilatura_finds_on_any_tree(parts):
    html = f"<html><body>{''.join(parts)}</body></html>"
    with stock_trafilatura():
        expected = extract_author(load_html(html))
    assert page_author(load_html(html)) == expected


# parse_page must give load_html's tree for any decoded page (decode_html never leaves surrogates).
_PAGE_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
_PAGE_PART = st.one_of(_PAGE_TEXT, st.sampled_from([
    "<p>", "</p>", "<div class='a'>", "</div>", "<br/>", "<!-- c -->", "<?pi x?>", "<script>var a='<p>';</script>",
    '<meta charset="iso-8859-1">', '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">',
    '<?xml version="1.0" encoding="latin-1"?>', "<!DOCTYPE html>", "<html>", "<html/>", "</html>", "<head>",
    "<body>", "&eacute;", "&#x1F600;", "\x00", "\ufeff", "é", "€", "😀", "<p>"]))


@settings(max_examples=300, deadline=None)
@given(st.lists(_PAGE_PART, max_size=30))
@example(["\xa0", "<!DOCTYPEHTML>", "0", "<A>"])   # Unicode white space before the doctype
def test_parse_page_gives_the_tree_load_html_gives(parts):
    html = "".join(parts)
    expected, tree = load_html(html), parse_page(html)
    assert (tree is None) == (expected is None)
    if tree is not None:
        assert etree.tostring(tree) == etree.tostring(expected)


def test_parse_page_and_page_author_match_trafilatura_on_real_pages():
    paths = sorted(glob.glob(os.path.join(shared_path("data", "extraction", "aeb", "html"), "*")))
    assert len(paths) > 100
    found = 0
    for path in paths:
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rb") as f:
            html = decode_html(f.read(), "text/html")
        assert etree.tostring(parse_page(html)) == etree.tostring(load_html(html)), path
        with stock_trafilatura():
            expected = extract_author(load_html(html))
        assert page_author(load_html(html)) == expected, path
        found += expected is not None
    assert found > 50   # the comparison covers pages with bylines, not only pages without


def test_extract_article_raises_nobody_for_a_teaser_page():
    with pytest.raises(NoBody):
        extract_article(page("teaser.html"), "https://gazette.example/video/storm")


def test_extract_article_raises_nobody_for_an_empty_page():
    with pytest.raises(NoBody):
        extract_article("<html><body></body></html>", URL)


# --- article_from_entry --------------------------------------------------------------------------

LONG = " ".join(f"word{i}" for i in range(MIN_ARTICLE_WORDS + 5))


def entry(**fields):
    base = {"link": "https://gazette.example/a", "title": "Tram opens", "summary": None, "content": None,
            "published_at": "2026-11-16T07:15:00+00:00", "authors": ["Mira Castell"], "tags": ["Transport"],
            "feed_url": "https://gazette.example/feed.xml", "feed_title": "Harlow Gazette"}
    base.update(fields)
    return base


def test_article_from_entry_prefers_full_content_over_summary():
    art = article_from_entry(entry(content=f"<p>{LONG}</p><p>Second paragraph.</p>", summary="<p>Short teaser.</p>"))
    assert art["text"] == f"{LONG}\nSecond paragraph."
    assert art["description"] == "Short teaser."
    assert art["title"] == "Tram opens"
    assert art["authors"] == ["Mira Castell"]
    assert art["tags"] == ["Transport"]
    assert art["published_at"] == "2026-11-16T07:15:00+00:00"
    assert art["source"] == "Harlow Gazette"
    assert art["language"] is None


def test_article_from_entry_uses_a_long_summary_when_there_is_no_content():
    art = article_from_entry(entry(summary=f"<p>{LONG}</p>"))
    assert art["text"] == LONG


def test_article_from_entry_source_falls_back_to_link_host():
    art = article_from_entry(entry(content=LONG, feed_title=None))
    assert art["source"] == "gazette.example"


def test_article_from_entry_cuts_description_to_500_characters():
    art = article_from_entry(entry(summary="x" * 900, content=LONG))
    assert art["description"] == "x" * 500


def test_article_from_entry_without_summary_has_no_description_and_empty_lists():
    art = article_from_entry(entry(content=LONG, authors=None, tags=None))
    assert art["description"] is None
    assert art["authors"] == [] and art["tags"] == []


def test_article_from_entry_rejects_a_teaser():
    with pytest.raises(NoBody):
        article_from_entry(entry(summary="<p>Four new tram stops open.</p>"))


def test_article_from_entry_rejects_an_entry_with_no_text():
    with pytest.raises(NoBody):
        article_from_entry(entry())


def test_article_from_entry_word_threshold_is_inclusive():
    exactly = " ".join(["word"] * MIN_ARTICLE_WORDS)
    assert word_count(article_from_entry(entry(content=exactly))["text"]) == MIN_ARTICLE_WORDS
    with pytest.raises(NoBody):
        article_from_entry(entry(content=" ".join(["word"] * (MIN_ARTICLE_WORDS - 1))))


# --- helpers ---------------------------------------------------------------------------------------

def test_word_count_splits_on_any_whitespace():
    assert word_count("one  two\nthree\tfour ") == 4
    assert word_count("") == 0
    assert word_count("   \n") == 0


def test_content_hash_is_sha1_of_utf8_text_and_sensitive_to_changes():
    assert content_hash("Café") == hashlib.sha1("Café".encode("utf-8")).hexdigest()
    assert content_hash("Café") != content_hash("Cafe")
    assert len(content_hash("")) == 40


@pytest.mark.parametrize("label_in", ["http", "meta"])
def test_decode_html_keeps_a_utf8_page_with_stray_bytes_as_utf8_with_replacement_characters(label_in):
    # As browsers (WHATWG) do: the UTF-8 label wins and each invalid byte becomes U+FFFD; the page
    # must not be re-read as Windows-1252 ("â‚¬14 million").
    body = ("<p>The council set aside €14 million for the ferry terminal.</p>".encode("utf-8")
            + b"<p>Stray \xff byte.</p>")
    content_type, head = ("text/html; charset=utf-8", b"") if label_in == "http" else ("text/html", b'<meta charset="utf-8">')
    text = decode_html(head + body, content_type)
    assert "€14 million" in text and "Stray \ufffd byte." in text


# --- the fast path against the page's own article text ------------------------------------------

def test_a_fast_extraction_much_shorter_than_the_pages_json_ld_article_body_is_redone_in_full():
    from transforms.extraction.articles import ARTICLE_BODY_RATIO, too_short
    assert too_short(" ".join(["w"] * 50), int(50 * ARTICLE_BODY_RATIO) + 1)
    assert not too_short(" ".join(["w"] * 90), 100)
    assert not too_short("w", 10)          # no articleBody worth the name: nothing to compare with


def test_extract_article_gives_the_new_metadata_fields():
    art = extract_article(page("article.html"), URL, fetched_at="2026-11-20T00:00:00+00:00")
    assert art["date_source"] == "meta"
    assert {"modified_at", "source_agency", "is_accessible_for_free", "section", "keywords", "image_url"} <= set(art)
    with pytest.raises(NoBody):
        extract_article(page("teaser.html"), "https://gazette.example/video/storm", fetched_at="2026-11-20T00:00:00Z")


# --- the publisher's own full text, and what a page puts around the article --------------------------

def test_a_page_showing_a_fraction_of_its_json_ld_article_body_gives_the_publishers_full_text():
    art = extract_article(page("article_body.html"), "https://gazette.example/harbour/lighthouse")
    assert art["text"].startswith("The lighthouse on the northern breakwater")
    assert art["text"].endswith("one step at a time.")                  # the last paragraph, not shown on the page
    assert art["text"].count("\n") == 6                                   # its paragraphs kept as lines
    assert "Read the whole story in our app" not in art["text"]


def test_an_article_body_given_twice_is_not_taken_for_the_full_text():
    html = page("article_body.html")
    start, end = html.index("{", html.index("ld+json")), html.index("</script>")
    ld = json.loads(html[start:end])
    ld["articleBody"] = ld["articleBody"] + "\n\n" + ld["articleBody"]
    art = extract_article(html[:start] + json.dumps(ld) + html[end:], "https://gazette.example/harbour/lighthouse")
    assert "one step at a time" not in art["text"]                       # the page's own two paragraphs
    assert "The lighthouse on the northern breakwater" in art["text"]


def test_repeats_itself():
    words = [f"w{i}" for i in range(100)]
    assert not repeats_itself(" ".join(words))
    assert repeats_itself(" ".join(words + words))
    assert not repeats_itself("")


@pytest.mark.parametrize("line,expected", [
    ("Stand: 22.04.2026, 06:00 Uhr", True),
    ("Published 18 November 2025", True),
    ("UPDATED: Tue., Nov. 19, 2025", True),
    ("Veröffentlicht am 3. März 2026 um 10:15", True),
    ("2026-03-02", True),
    ("— Harbour Trust (@harbourtrust) November 1, 2025", False),      # a social post's credit: its text
    ("Lighthouse Festival 2026", False),                               # a year alone is no date
    ("The trust met at 10:15 on Tuesday and agreed to pay for the new lens and the staircase.", False),
])
def test_is_stamp(line, expected):
    assert is_stamp(line) is expected


def test_without_furniture_drops_stamps_and_credits_at_the_top_and_read_also_lines_anywhere():
    text = "\n".join(["Stand: 22.04.2026, 06:00 Uhr", "- Von: Lena Hartmann, Omar Schulz",
                      "Von Hamburg bis Husum: die Küste wartet auf den Frühling", "First paragraph.", "Second paragraph.",
                      "Lesen Sie auch: Der Leuchtturm leuchtet wieder", "Third paragraph.", "Published 18 November 2025"])
    assert without_furniture(text, ["Gazette"]).splitlines() == [
        "Von Hamburg bis Husum: die Küste wartet auf den Frühling",      # a heading, not a credit
        "First paragraph.", "Second paragraph.", "Third paragraph.",
        "Published 18 November 2025"]                                    # past the top lines: the article's own


def test_without_furniture_drops_link_lines_of_every_form():
    text = "\n".join(["First paragraph.", "Click here to read the full ruling of the court.",
                      ">> Hier finden Sie alle Termine im Überblick", "FUNDA OLUNYE UDABA LAPHA | Kuvulwe ibhuloho",
                      "Second paragraph.", "The clerk said to click here and there on the form.", "a >> b"])
    assert without_furniture(text, []).splitlines() == [
        "First paragraph.", "Second paragraph.", "The clerk said to click here and there on the form.", "a >> b"]


# --- the headline at the top of the body ----------------------------------------------------------

HEADLINE_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Harbour Trust Buys the Old Lighthouse &amp; Its Keeper's Cottage | Gazette</title>
<meta property="og:title" content="Harbour Trust Buys the Old Lighthouse &amp; Its Keeper's Cottage">
</head><body>
<nav><a href="/">Home</a> <a href="/local">Local</a></nav>
<main><article>
{heading}
<p>{first}</p>
<p>The cottage, empty since the last keeper retired in 1987, will become a small museum of the
harbour's history, with the original lamp room opened to visitors on summer weekends.</p>
<p>Volunteers have already started clearing the garden and cataloguing the logbooks found in the attic.</p>
</article></main>
<footer>Gazette, all rights reserved</footer>
</body></html>"""
# the <h1> differs from og:title in case, spacing, punctuation and an entity written twice
H1 = "<h1>Harbour trust buys the old lighthouse &amp;amp; its keeper\u2019s  cottage!</h1>"
FIRST = ("The Harbour Trust has bought the old lighthouse on the northern breakwater and the keeper's cottage "
         "beside it for an undisclosed sum, ending a two-year search for a new owner.")


def test_the_headline_heading_the_body_is_not_kept_in_the_text():
    art = extract_article(HEADLINE_PAGE.format(heading=H1, first=FIRST), URL)
    assert art["title"] == "Harbour Trust Buys the Old Lighthouse & Its Keeper's Cottage"
    assert art["text"].splitlines()[0] == FIRST
    assert "lighthouse & its keeper" not in art["text"].lower()


def test_a_first_paragraph_that_only_starts_like_the_headline_is_kept():
    first = "Harbour trust buys the old lighthouse & its keeper\u2019s cottage, and the pier with them."
    art = extract_article(HEADLINE_PAGE.format(heading="", first=first), URL)
    assert art["text"].splitlines()[0] == first


@pytest.mark.parametrize("text,title,expected", [
    ("Ferry pier to be rebuilt\nThe council voted on Tuesday.", "Ferry Pier to Be Rebuilt", "The council voted on Tuesday."),
    ("FERRY PIER &amp; SEA WALL\nThe council voted.", "Ferry pier & sea wall", "The council voted."),
    ("Ferry pier to be rebuilt soon\nThe council voted.", "Ferry pier to be rebuilt",
     "Ferry pier to be rebuilt soon\nThe council voted."),                        # not the headline: kept
    ("The council voted.\nFerry pier to be rebuilt", "Ferry pier to be rebuilt",
     "The council voted.\nFerry pier to be rebuilt"),                             # only the first line
    ("Ferry pier to be rebuilt", "Ferry pier to be rebuilt", "Ferry pier to be rebuilt"),   # never empty
    ("!!!\nThe council voted.", "???", "!!!\nThe council voted."),              # no letters: nothing to compare
    ("Ferry pier\nThe council voted.", None, "Ferry pier\nThe council voted."),
    # the headline with the site's name after it, then alone; a title with its section after it
    ("Ferry pier to be rebuilt | Gazette live\nFerry pier to be rebuilt\nThe council voted.", "Ferry pier to be rebuilt",
     "The council voted."),
    ("Ferry pier to be rebuilt\nThe council voted.", "Ferry pier to be rebuilt - Local news", "The council voted."),
    # a kicker glued before the headline; not a sentence that happens to end like a short one
    ("Storm damageFerry pier to be rebuilt next spring\nThe council voted.", "Ferry pier to be rebuilt next spring",
     "The council voted."),
    ("We walked along the ferry pier\nThe council voted.", "Ferry pier", "We walked along the ferry pier\nThe council voted."),
    ("After two winters of storms and a long debate in the harbour board the ferry pier is to be rebuilt next spring\n"
     "The council voted.", "Ferry pier to be rebuilt next spring",
     "After two winters of storms and a long debate in the harbour board the ferry pier is to be rebuilt next spring\n"
     "The council voted."),
])
def test_without_headline(text, title, expected):
    assert without_headline(text, title) == expected


# --- a page its scripts write: the article only in their data ----------------------------------------

SCRIPT_PARAGRAPHS = [
    "The harbour board voted on Tuesday to rebuild the ferry pier that storms damaged last winter, at a cost "
    "the board put at four million over three years.",
    "Work starts in spring with the piles on the seaward side, and ferries will use the fishing quay until "
    "the new deck is ready, the board's chair told the meeting.",
    "Fishermen asked for a second landing stage during the works, and the board promised to study it before "
    "the contract is signed in March.",
]
SCRIPT_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Harbour Board Votes to Rebuild the Ferry Pier | Gazette</title>
<meta property="og:title" content="Harbour Board Votes to Rebuild the Ferry Pier">
</head><body><div id="root"></div>
<script>{script}</script>
</body></html>"""


def script_page(payload: dict, twice: bool = False) -> str:
    literal = json.dumps(payload).replace("<", "\\u003c")   # as JSON encoders write markup in a script
    if twice:   # a streamed payload: the JSON itself a string in a push call
        literal = json.dumps("7:" + literal)
    return SCRIPT_PAGE.format(script=f"self.__data.push({literal});")


def article_markup(paragraphs) -> str:
    return "<figure><figcaption>The pier after the storm</figcaption></figure>" + "".join(
        f"<p class=\"editor-p\">{p}</p>" for p in paragraphs)


@pytest.mark.parametrize("twice", [False, True])
def test_a_page_whose_article_is_only_in_its_script_data_gives_that_article(twice):
    payload = {"related": [{"title": "Tides", "teaser": "<p>High water at six.</p>"}],
               "article": {"title": "Harbour Board Votes to Rebuild the Ferry Pier",
                           "contentHtml": article_markup(SCRIPT_PARAGRAPHS)}}
    art = extract_article(script_page(payload, twice), URL)
    assert art["text"].splitlines() == SCRIPT_PARAGRAPHS
    assert art["title"] == "Harbour Board Votes to Rebuild the Ferry Pier"


def test_markup_in_script_data_that_is_not_the_pages_article_is_not_taken_for_it():
    other = ["A storm closed the coastal road overnight and the council sent crews to clear fallen trees and sand "
             "from the carriageway before the morning traffic.",
             "Buses ran on the inland route until noon, and the school in the village opened two hours late while "
             "parents waited for the road to reopen.",
             "The council said it would look again at the sea wall south of the village, which the waves topped for "
             "the third time this winter."]
    with pytest.raises(NoBody):
        extract_article(script_page({"recommended": {"contentHtml": article_markup(other)}}), URL)
