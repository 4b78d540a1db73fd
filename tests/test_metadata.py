"""transforms/extraction/metadata.py: the article's metadata as the publisher states it, and how
extract_article and page_to_article use it. Fixture pages: tests/fixtures/metadata/ (written for
these tests)."""

import os
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import html as lxml_html

from transforms.extraction import metadata as md
from transforms.extraction.articles import extract_article
from transforms.ingest import page_to_article

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures", "metadata")
FETCHED = "2026-03-04T12:00:00+00:00"


def page(name: str) -> str:
    with open(os.path.join(FIXTURES, name), encoding="utf-8") as f:
        return f.read()


def tree(markup: str):
    return lxml_html.fromstring(markup)


# --- fixture pages through extract_article -------------------------------------------------------

def test_json_ld_graph_with_references_gives_every_field():
    art = extract_article(page("graph.html"), "https://courier.example/local/ferry-pier-rebuilt", fetched_at=FETCHED)
    assert art["title"] == "Ferry pier to be rebuilt after four-year dispute"   # og:title's "- Local | Site" gone
    assert art["authors"] == ["Ana Lindqvist"]                                 # resolved from the @graph's Person
    assert art["published_at"] == "2026-03-02T08:30:00+00:00"                  # +01:00 to UTC
    assert art["modified_at"] == "2026-03-02T10:05:00+00:00"
    assert art["date_source"] == "json-ld"
    assert art["section"] == "Local"
    assert art["keywords"] == ["harbour", "ferry", "council"]
    assert art["image_url"] == "https://courier.example/img/pier.jpg"          # JSON-LD before og:image
    assert art["canonical_url"] == "https://courier.example/local/ferry-pier-rebuilt"
    assert art["is_accessible_for_free"] is True
    assert art["source"] == "Bayside Courier"
    assert art["source_agency"] is None


def test_several_authors_are_split_cleaned_and_the_agency_kept_apart():
    art = extract_article(page("several_authors.html"), "https://courier.example/local/pier", fetched_at=FETCHED)
    assert art["authors"] == ["Ana Lindqvist", "Tomas Brenner", "Leila Haddad", "Jon Okafor", "dpa"]
    assert art["source_agency"] == "dpa"
    assert art["title"] == "Ferry pier to be rebuilt & sea wall repaired"     # entities decoded


def test_a_paywalled_article_is_flagged_and_its_teaser_kept():
    art = extract_article(page("paywalled.html"), "https://hafenbote.example/lokales/anleger", fetched_at=FETCHED)
    assert art["is_accessible_for_free"] is False
    assert art["text"].startswith("Der Hafenrat hat am Dienstagabend")          # the teaser, without the headline
    assert art["authors"] == ["Jana Petersen"]                                 # "Von" dropped
    assert art["section"] == "Lokales"
    assert art["published_at"] == "2026-03-02T06:15:00+00:00" and art["date_source"] == "meta"


def test_conflicting_dates_follow_the_order_of_trust_and_never_lie_after_the_fetch():
    art = extract_article(page("conflicting_dates.html"), "https://courier.example/2026/02/28/pier", fetched_at=FETCHED)
    # JSON-LD says 2099 (after the fetch): skipped; article:published_time is next in trust.
    assert art["published_at"] == "2026-03-02T08:30:00+00:00"
    assert art["date_source"] == "meta"
    assert art["modified_at"] == "2026-03-02T11:00:00+00:00"


def test_without_a_fetch_time_the_json_ld_date_is_taken():
    art = extract_article(page("conflicting_dates.html"), "https://courier.example/2026/02/28/pier")
    assert art["published_at"] == "2099-01-15T09:00:00+00:00" and art["date_source"] == "json-ld"


# --- page_to_article: the feed's date only when the page has none -------------------------------

def _page(html: str, feed_date: str | None):
    entry = {"article_id": "a1", "link": "https://courier.example/2026/02/28/pier",
             "canonical_url": "https://courier.example/2026/02/28/pier", "feed_url": "https://courier.example/feed.xml",
             "title": "Feed title", "published_at": feed_date, "authors": [], "tags": []}
    return {"entry": entry, "body": html.encode("utf-8"), "content_type": "text/html; charset=utf-8",
            "final_url": entry["link"], "fetched_at": FETCHED, "status": 200}


def test_page_date_wins_over_the_feed_date():
    row = page_to_article(_page(page("graph.html"), "2026-03-03T00:00:00+00:00"), "run1")
    assert row["published_at"] == "2026-03-02T08:30:00+00:00" and row["date_source"] == "json-ld"
    assert row["section"] == "Local" and row["is_accessible_for_free"] is True


def test_feed_date_when_the_page_states_none():
    html = page("graph.html").replace("datePublished", "x").replace("dateModified", "y")
    html = html.replace("https://courier.example/local/ferry-pier-rebuilt", "https://courier.example/local/pier")
    p = _page(html, "2026-03-03T07:00:00+00:00")
    p["entry"]["link"] = p["final_url"] = "https://courier.example/local/pier"
    row = page_to_article(p, "run1")
    assert row["date_source"] in ("feed", "page")
    if row["date_source"] == "feed":
        assert row["published_at"] == "2026-03-03T07:00:00+00:00"


# --- pure functions ---------------------------------------------------------------------------------

def test_json_ld_is_read_leniently_and_flattened():
    t = tree('<html><head><script type="application/ld+json"><!-- {"@graph": [{"@type": "WebSite", "name": "S"},'
             ' {"@type": "WebPage", "mainEntity": {"@type": "NewsArticle", "headline": "H\n1"}}]} --></script>'
             '</head><body></body></html>')
    nodes = md.json_ld_nodes(md.page_elements(t)["script"])
    node = md.article_node(nodes)
    assert node["headline"] == "H\n1"
    assert md.parse_json_ld("not json") is None


def test_page_elements_gathers_the_metadata_elements_of_head_and_body_in_page_order():
    t = tree('<html><head><title>Pier rebuilt | Courier</title><meta name="author" content="Ana Lindqvist">'
             '<script type="application/ld+json">{"@type": "WebSite", "name": "Courier"}</script></head><body>'
             '<svg><title>Share</title></svg><h1>Pier rebuilt</h1><time datetime="2026-03-02">2 March</time>'
             '<meta itemprop="author" content="Tomas Brenner"><link rel="canonical" href="https://courier.example/a">'
             '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Pier rebuilt"}</script>'
             '</body></html>')
    elements = md.page_elements(t)
    assert [m.get("content") for m in elements["meta"]] == ["Ana Lindqvist", "Tomas Brenner"]
    assert [n["@type"] for n in md.json_ld_nodes(elements["script"])] == ["WebSite", "NewsArticle"]
    assert ["".join(x.itertext()) for x in elements["title"]] == ["Pier rebuilt | Courier", "Share"]
    assert len(elements["h1"]) == len(elements["time"]) == len(elements["link"]) == 1
    meta = md.extract_metadata(t, "https://courier.example/a")
    assert meta["title"] == "Pier rebuilt" and meta["canonical_url"] == "https://courier.example/a"


@pytest.mark.parametrize("title,expected", [
    ("Headline of the day | Courier", "Headline of the day"),
    ("Headline of the day - Courier", "Headline of the day"),
    ("Courier: Headline of the day", "Courier: Headline of the day"),   # a colon is part of many headlines
    ("Headline of the day – DW – 28.04.2023", "Headline of the day"),
    ("Headline of the day | Courier | by Ana Lindqvist", "Headline of the day"),
    ("Headline of the day ㅣ 쿠리어", "Headline of the day"),
])
def test_strip_site(title, expected):
    assert md.strip_site(title, ["Courier", "DW", "쿠리어", "courier.example"]) == expected


def test_reconcile_title_drops_a_section_only_when_the_headline_witness_says_so():
    sites = ["Courier"]
    assert md.reconcile_title(["Pier rebuilt at last - National | Courier"], sites,
                              witness="Pier rebuilt at last") == "Pier rebuilt at last"
    assert md.reconcile_title(["Pier rebuilt at last - Latest news"], sites,
                              witness="Pier rebuilt at last - Latest news") == "Pier rebuilt at last - Latest news"


@pytest.mark.parametrize("raw,expected", [
    ("By Ana Lindqvist", ["Ana Lindqvist"]),
    ("Von Jana Petersen", ["Jana Petersen"]),
    ("Ana Lindqvist and Tomas Brenner", ["Ana Lindqvist", "Tomas Brenner"]),
    ("Ana Lindqvist, Tomas Brenner und Leila Haddad", ["Ana Lindqvist", "Tomas Brenner", "Leila Haddad"]),
    ("Ana Lindqvist; Tomas Brenner", ["Ana Lindqvist", "Tomas Brenner"]),
    ("Le Courier et AFP", ["Le Courier et AFP"]),               # not two people: kept as written
    ("Lindqvist, Ana", ["Ana Lindqvist"]),
    ("Ana Lindqvist und Tomas Brenner, Nairobi", ["Ana Lindqvist", "Tomas Brenner"]),
    ("Ana Lindqvist / Journalist", ["Ana Lindqvist"]),
    ("Ana Lindqvist (ana@courier.example)", ["Ana Lindqvist"]),
    ("https://courier.example/authors/ana", []),
    ("김민수 기자", ["김민수"]),
    ("By Ana Lindqvist, Political Reporter", ["Ana Lindqvist"]),        # a role of several words
    ("Ana Lindqvist - Harbour Correspondent", ["Ana Lindqvist"]),
    ("dpa/AFP", ["dpa", "AFP"]),                                         # a slash between credits
    ("Ana Lindqvist / dpa", ["Ana Lindqvist", "dpa"]),
    ("Ana Lindqvist | Tomas Brenner", ["Ana Lindqvist", "Tomas Brenner"]),
    ("Ana Lindqvist, Tomas Brenner, dpa", ["Ana Lindqvist", "Tomas Brenner", "dpa"]),   # an agency last stays
    ("Ana Lindqvist | Le Courier", ["Ana Lindqvist"]),                  # the site's name after the name
    ("Ana Lindqvist - Le Courier", ["Ana Lindqvist"]),
    ("Von Jana Petersen, Kiel", ["Jana Petersen"]),                      # a dateline's place after one name
    ("Le Courier, Kiel", ["Le Courier, Kiel"]),                          # no person: kept as written
    ("Ana Lindqvist, Sports Editor", ["Ana Lindqvist"]),                # a role is no second person
    ("Jana Petersen, Redakteurin Politik", ["Jana Petersen"]),
    ("Jana Petersen, stellvertretende Chefredakteurin", ["Jana Petersen"]),   # a compound ending in the role
    ("Ana Lindqvist, Harbour Radio", ["Ana Lindqvist"]),                # another organisation after the name
    ("Ana Lindqvist, Tomas Brenner - Harbour Correspondents", ["Ana Lindqvist", "Tomas Brenner"]),
])
def test_split_authors(raw, expected):
    assert md.split_authors(raw, ["Le Courier", "courier.example"]) == expected


def test_organisation_only_when_no_person_and_agencies_apart():
    node = {"@type": "NewsArticle", "author": [{"@type": "Organization", "name": "Courier"}]}
    assert md.page_authors(node, {}, {}, ["Courier"]) == (["Courier"], [])
    node["author"].append({"@type": "Person", "name": "Ana Lindqvist"})
    assert md.page_authors(node, {}, {}, ["Courier"]) == (["Ana Lindqvist"], [])
    node["author"].append({"@type": "Organization", "name": "Reuters"})
    assert md.page_authors(node, {}, {}, ["Courier"]) == (["Ana Lindqvist", "Reuters"], ["Reuters"])
    # a person in a meta tag beats an organisation in JSON-LD
    only_org = {"@type": "NewsArticle", "author": {"@type": "Organization", "name": "Courier"}}
    assert md.page_authors(only_org, {}, {"author": ["Ana Lindqvist"]}, ["Courier"])[0] == ["Ana Lindqvist"]


@pytest.mark.parametrize("value,expected", [
    ("2024-05-03T14:24:00.000Z", datetime(2024, 5, 3, 14, 24, tzinfo=timezone.utc)),
    ("2023-04-28T19:50:30+0200", datetime(2023, 4, 28, 19, 50, 30, tzinfo=timezone(timedelta(hours=2)))),
    ("2024-04-30", datetime(2024, 4, 30)),
    ("1h ago", None),
])
def test_parse_date(value, expected):
    assert md.parse_date(value) == expected


def test_a_time_without_offset_takes_the_offset_the_page_states_for_the_same_clock_time():
    t = tree('<html><head><meta name="date" content="2023-04-28T18:11:01+02:00"></head><body></body></html>')
    node = {"@type": "NewsArticle", "datePublished": "2023-04-28 18:11:01.0"}
    elements = md.page_elements(t)
    published, _, source = md.page_dates(node, md.meta_tags(elements["meta"]), elements["time"], "https://x.example/a", None)
    assert published == datetime(2023, 4, 28, 16, 11, 1, tzinfo=timezone.utc) and source == "json-ld"


def test_the_url_date_is_the_last_resort():
    published, modified, source = md.page_dates(None, {}, [], "https://x.example/2025/01/14/story", None)
    assert published == datetime(2025, 1, 14, tzinfo=timezone.utc) and source == "url" and modified is None


def test_accessible_for_free_reads_booleans_and_strings():
    assert md.accessible_for_free({"isAccessibleForFree": "False"}) is False
    assert md.accessible_for_free({"hasPart": [{"isAccessibleForFree": False}]}) is False
    assert md.accessible_for_free({"isAccessibleForFree": True}) is True
    assert md.accessible_for_free({}) is None and md.accessible_for_free(None) is None


# --- a byline only in the text, for pages whose markup names an organisation at most ----------------

def test_a_byline_line_in_the_text_names_the_authors_when_the_markup_names_only_the_site():
    art = extract_article(page("body_byline.html"), "https://courier.example/local/sea-wall", fetched_at=FETCHED)
    assert art["authors"] == ["Ana Lindqvist", "Tomas Brenner"]        # not ["Bayside Courier"]
    assert art["text"].startswith("Ana Lindqvist/Tomas Brenner\nWork on the damaged sea wall")   # byline kept, headline not


def test_the_markup_s_person_wins_over_a_name_line_in_the_text():
    html = page("body_byline.html").replace('{"@type": "Organization", "name": "Bayside Courier"}',
                                            '{"@type": "Person", "name": "Leila Haddad"}')
    art = extract_article(html, "https://courier.example/local/sea-wall", fetched_at=FETCHED)
    assert art["authors"] == ["Leila Haddad"]


@pytest.mark.parametrize("text,expected", [
    ("Ana Lindqvist\nThe harbour board voted on Tuesday.", ["Ana Lindqvist"]),
    ("By ANA LINDQVIST and TOMAS BRENNER\nThe harbour board voted.", ["ANA LINDQVIST", "TOMAS BRENNER"]),
    ("Pier rebuilt\nThe harbour board voted on Tuesday evening.\nAna Lindqvist", ["Ana Lindqvist"]),
    ("Neue Leipziger Schule\nJudy Lybke zeigt Bilder.", []),             # a kicker of the headline
    ("Bayside Courier\nThe harbour board voted.", []),                   # the site's own name
    ("Updated 12 March\nThe harbour board voted.", []),                  # digits: a date line
    ("One\nTwo\nThree\nAna Lindqvist", []),                              # past the first three lines
    ("완료 했습니다\n본문", []),                                          # not an alphabet of capitals
    ("Pier rebuilt\nFerry news\n- 3 min\n- Von: Ana Lindqvist, Tomas Brenner\nThe board voted.",
     ["Ana Lindqvist", "Tomas Brenner"]),                                # a credit that says so, as a list item
    ("One\nTwo\nThree\nFour\nFive\nSix\nBy Ana Lindqvist", []),             # past the first six lines
])
def test_body_byline(text, expected):
    got = md.body_byline(text, ["Bayside Courier", "courier.example"], headline="Neue Leipziger Schule: Judy Lybke")
    assert got == expected


def test_the_registered_name_of_a_host_under_a_second_level_suffix_is_a_site_name():
    assert "ilanganews" in md.site_names({}, [], "https://www.ilanganews.co.za/a")
    assert "globalnews" in md.site_names({}, [], "https://globalnews.ca/a")


def test_an_agency_on_its_own_site_is_the_publisher_and_the_text_s_credit_names_the_authors():
    art = extract_article(page("agency_own_site.html"), "https://faktencheck.dpa.example/2026/leuchtturm",
                          fetched_at=FETCHED)
    assert art["authors"] == ["Lena Hartmann", "Omar Schulz"] and art["source_agency"] is None
    assert "Von: Lena Hartmann" not in art["text"] and "Veröffentlicht am" not in art["text"]   # the page's furniture
    assert "Lesen Sie auch" not in art["text"] and "Abrissbaggers" in art["text"]


def test_an_agency_credited_on_another_site_stays_an_agency():
    node = {"@type": "NewsArticle", "author": {"@type": "Organization", "name": "dpa"}}
    assert md.page_authors(node, {}, {}, ["Bayside Courier", "courier.example"]) == (["dpa"], ["dpa"])
    assert md.page_authors(node, {}, {}, ["dpa Faktencheck", "faktencheck.dpa.example", "dpa"]) == (["dpa"], [])


def test_a_site_account_named_after_the_site_is_no_person_and_the_text_s_byline_names_the_author():
    art = extract_article(page("site_account.html"), "https://lakesideweekly.example/ferry", fetched_at=FETCHED)
    assert art["authors"] == ["MARA OKONKWO"]                                # not ["Lakeside D"]
    sites = ["Lakeside Weekly", "lakesideweekly.example", "lakesideweekly"]
    assert md.split_authors("Lakeside D", sites) == ["Lakeside D"]
    assert not md._looks_like_person("Lakeside D", sites) and md._looks_like_person("Lena Lakeside", sites)


# --- the headline when og:title is missing or carries furniture ---------------------------------------

def _title_of(markup: str, url: str = "https://courier.example/a") -> str | None:
    return md.extract_metadata(tree(markup), url)["title"]


def test_a_meta_named_headline_shows_what_the_og_title_adds_to_the_headline():
    # no JSON-LD; og:title and <title> carry "-Section ㅣ Site", <meta name="headline"> the headline alone
    markup = ('<html><head><title>Ferry pier rebuilt after dispute-Local ㅣ Courier</title>'
              '<meta property="og:title" content="Ferry pier rebuilt after dispute-Local ㅣ Courier">'
              '<meta name="headline" content="Ferry pier rebuilt after dispute"></head><body><p>x</p></body></html>')
    assert _title_of(markup) == "Ferry pier rebuilt after dispute"


def test_an_itemprop_headline_is_not_taken_for_the_headline():
    # a theme's itemprop="headline" may hold the subtitle: the <h1> and <title> name the headline
    markup = ('<html><head><title>Ferry pier rebuilt after dispute - Courier</title></head><body>'
              '<meta itemprop="headline" content="Council and harbour board agree">'
              '<h1>Ferry pier rebuilt after dispute</h1></body></html>')
    assert _title_of(markup) == "Ferry pier rebuilt after dispute"


def test_without_og_title_the_h1_witnesses_a_section_in_the_json_ld_headline():
    markup = ('<html><head><script type="application/ld+json">{"@type": "NewsArticle", '
              '"headline": "Ferry pier rebuilt after dispute | Local"}</script></head>'
              '<body><h1>Ferry pier rebuilt after dispute</h1></body></html>')
    assert _title_of(markup) == "Ferry pier rebuilt after dispute"


def test_an_og_title_cut_at_an_unescaped_quote_mark_gives_way_to_the_whole_headline():
    # the publisher wrote content="... und "royaler Besuch"": the attribute ends at the second quote mark
    markup = ('<html><head><title>Marathon: Sieger und "royaler Besuch" | Courier</title>'
              '<meta property="og:title" content="Marathon: Sieger und "royaler Besuch"">'
              '</head><body><h1>Marathon: Sieger und "royaler Besuch"</h1></body></html>')
    assert md.meta_tags(tree(markup).iter("meta"))["og:title"] == ["Marathon: Sieger und"]
    assert _title_of(markup) == 'Marathon: Sieger und "royaler Besuch"'
    # a headline the other titles only lengthen without a quote mark keeps the og:title
    markup = ('<html><head><meta property="og:title" content="Ferry pier rebuilt">'
              '</head><body><h1>Ferry pier rebuilt after dispute</h1></body></html>')
    assert _title_of(markup) == "Ferry pier rebuilt"


_WORDS = st.lists(st.text("abcdefghij", min_size=1, max_size=8), min_size=1, max_size=6).map(" ".join)


@given(head=_WORDS, quoted=_WORDS, mark=st.sampled_from(list("\"“„«‘")), letter=st.sampled_from(list("abcXYZ")))
def test_a_title_cut_before_a_quote_mark_is_made_whole_and_only_then(head, quoted, mark, letter):
    whole = f"{head} {mark}{quoted}{mark}"
    assert md.reconcile_title([head, whole], []) == whole            # cut where the quotation opens
    assert md.reconcile_title([head, f"{head} {letter}{quoted}"], []) == head   # only longer: kept as it is


def test_the_h1_holding_the_headline_wins_over_a_first_h1_naming_the_site():
    markup = ('<html><head><title>Ferry pier rebuilt after dispute | Courier</title></head><body>'
              '<h1>Courier Local</h1><h1>Ferry pier rebuilt after dispute</h1></body></html>')
    assert _title_of(markup) == "Ferry pier rebuilt after dispute"
    # none in another title: the first that is not the site's name (a logo or a label)
    h1s = ["*Courier* Local.", "Ferry pier rebuilt after dispute"]
    assert md.headline_h1(h1s, ["A different title for search engines"], ["Courier"]) == h1s[1]


@pytest.mark.parametrize("raw,expected", [
    ("박준석 기자 외 1명", ["박준석"]),                     # "reporter Park and 1 other"
    ("김민수 외 2명", ["김민수"]),
    ("Ana Lindqvist and 2 others", ["Ana Lindqvist"]),
    ("순천, 광양 구현모 기자 gu@courier.example", ["구현모"]),   # the dateline's places are no authors
    ("서울=홍길동 기자", ["홍길동"]),
    ("박준석·김태연 기자", ["박준석", "김태연"]),
])
def test_a_count_of_other_authors_and_a_dateline_s_places_are_no_names(raw, expected):
    assert md.split_authors(raw, ["Courier"]) == expected


def test_the_byline_search_s_find_that_is_no_person_is_believed_only_as_the_site_s_name():
    sites = ["Bayside Courier", "courier.example"]
    assert md.page_authors(None, {}, {}, sites, byline=lambda: "Startseite") == ([], [])     # a menu word
    assert md.page_authors(None, {}, {}, sites, byline=lambda: "Bayside Courier") == (["Bayside Courier"], [])
    assert md.page_authors(None, {}, {}, sites, byline=lambda: "Ana Lindqvist") == (["Ana Lindqvist"], [])
    # an organisation the markup states is still the fallback
    assert md.page_authors(None, {}, {"author": ["Harbour Desk"]}, sites, byline=lambda: "Startseite")[0] == \
        ["Harbour Desk"]


# --- a <title> that carries sections and topics around the headline ------------------------------

def test_a_section_the_url_or_breadcrumb_names_goes_from_between_the_headline_and_the_site():
    sites = ["Courier", "courier.example"]
    sections = md.page_sections(None, {}, [], "https://courier.example/sport/rudern/pier-regatta-cancelled")
    assert sections == ["sport", "rudern"]        # the folders, not the article's own slug
    assert md.strip_site("Regatta at the pier cancelled | Sport | Courier", sites, sections) == \
        "Regatta at the pier cancelled"
    # a segment nothing on the page names a section stays
    assert md.strip_site("Regatta at the pier cancelled | Sailing | Courier", sites, sections) == \
        "Regatta at the pier cancelled | Sailing"
    crumbs = md.json_ld_nodes(md.page_elements(tree(
        '<html><head><script type="application/ld+json">{"@type": "BreadcrumbList", "itemListElement": ['
        '{"@type": "ListItem", "name": "Courier"}, {"@type": "ListItem", "item": {"name": "News"}},'
        ' {"@type": "ListItem", "name": "Harbour"}, {"@type": "ListItem", "name": "Pier rebuilt"}]}'
        '</script></head><body></body></html>'))["script"])
    sections = md.page_sections(None, {}, crumbs, "https://courier.example/a1")
    assert sections == ["Courier", "News", "Harbour"]   # the last crumb is the article itself
    assert md.strip_site("Pier rebuilt after dispute - Harbour - News - Courier", sites, sections) == \
        "Pier rebuilt after dispute"


def test_a_site_or_section_name_with_a_hyphen_of_its_own_goes_whole():
    sites = ["n-tide.example", "Courier"]
    assert md.strip_site("Pier rebuilt after dispute - n-tide.example", sites) == "Pier rebuilt after dispute"
    assert md.strip_site("Pier rebuilt after dispute | Courier - Nord-Ostsee", sites, ["nord ostsee"]) == \
        "Pier rebuilt after dispute"


def test_a_topic_goes_only_from_between_the_headline_and_the_site():
    sites, topics = ["Courier"], ["Harbours", "Ferries"]
    assert md.strip_site("Pier rebuilt after dispute | Harbours | Courier", sites, topics=topics) == \
        "Pier rebuilt after dispute"
    assert md.strip_site("Pier rebuilt after dispute - Harbours", sites, topics=topics) == \
        "Pier rebuilt after dispute - Harbours"
    markup = ('<html><head><title>Pier rebuilt after dispute | Harbours | Courier</title>'
              '<meta property="og:site_name" content="Courier"><meta name="keywords" content="Harbours, pier">'
              '</head><body><p>x</p></body></html>')
    assert _title_of(markup) == "Pier rebuilt after dispute"


def test_a_site_name_is_matched_without_its_accents_as_a_host_name_writes_it():
    assert md.text_key("Crónica Sur") == md.text_key("cronicasur") == "cronicasur"
    assert md.strip_site("Pier rebuilt after dispute | Crónica", ["cronica.example", "cronica"]) == \
        "Pier rebuilt after dispute"
    assert md.text_key("한국일보") == "한국일보" and md.text_key("がっこう") == "がっこう"   # other scripts as written

