"""`newsbeam report`: one self-contained HTML file from a demo-like dataset, checked as text and as
rendered by headless Chromium (the DOM, no console errors, no request, a phone's width, print); and from a
small dataset made here in DuckDB, for what the demo lacks (a dead link in five runs, a syndicated quote)."""

import base64
import datetime as dt
import html
import json
import os
import re
import subprocess
import sys

import duckdb
import pytest

from pipelines.cli import main
from pipelines.commands.demo import DEMO_FEEDS
from pipelines.report import SHOWN, SPEAKER_QUOTES, _ticks, breakable, day_chart, gather, link, render, speakers_table
from pipelines.site import demo_site_dir, serve
from tests.browser import chromium, chromium_or_skip
from transforms.storage.views import connect

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NEWSBEAM = [sys.executable, "-m", "pipelines.cli"]
# A feed that is gone (a 404), with a URL as long as real ones get: its label must wrap between its parts.
LONG_FEED = "feeds/regional/north-east-and-cumbria/business-and-economy-latest.xml?edition=international&format=rss"


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    """The demo site ingested twice: the second run also polls a feed that is gone (a 404)."""
    directory = str(tmp_path_factory.mktemp("report") / "news")
    with serve(demo_site_dir()) as site:
        feeds = [f"{site.base}/{path}" for path in DEMO_FEEDS]
        options = ["--dataset", directory, "--allow_private_network", "127.0.0.1/32", "--per_host_delay", "0",
                   "--quiet"]
        assert main(["run", "--feeds", *feeds, *options]) == 0
        assert main(["run", "--feeds", *feeds, f"{site.base}/{LONG_FEED}", *options]) == 0
    return directory


@pytest.fixture(scope="module")
def report(dataset, tmp_path_factory):
    path = str(tmp_path_factory.mktemp("html") / "report.html")
    result = subprocess.run([*NEWSBEAM, "report", dataset, "--output", path], capture_output=True, text=True,
                            cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"report of {dataset} -> {path}"
    return path


def artifacts() -> str:
    """Where CI keeps what tests leave for people to look at ($NEWSBEAM_ARTIFACTS, or .ci/artifacts)."""
    directory = os.environ.get("NEWSBEAM_ARTIFACTS") or os.path.join(ROOT, ".ci", "artifacts")
    os.makedirs(directory, exist_ok=True)
    ignore = os.path.join(directory, ".gitignore")
    if not os.path.exists(ignore):
        with open(ignore, "w") as f:
            f.write("*\n")
    return directory


def read(path: str) -> str:
    with open(path, encoding="utf-8") as f:
        return f.read()


def section(page: str, name: str) -> str:
    return re.search(rf'<section[^>]*\bid="{name}".*?</section>', page, re.S).group(0)


def text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def test_the_report_is_one_file_that_needs_nothing_from_the_network(report):
    page = read(report)
    assert "<script" not in page.lower() and "<link" not in page and "@import" not in page and "url(" not in page
    assert not re.search(r'\bsrc=', page) and "<iframe" not in page and "<object" not in page
    # Every href is an article's own link (http) or a jump within the page, never a resource the page loads.
    ids = set(re.findall(r'\bid="([^"]+)"', page))
    for href in re.findall(r'href="([^"]*)"', page):
        assert href.startswith(("http://", "https://")) or (href.startswith("#") and href[1:] in ids), href
    assert page.count('<svg class="chart"') == 1 and page.count('<svg class="bar"') == 3   # three feeds, one source


def test_a_section_index_at_the_top_links_every_section(report):
    page = read(report)
    nav = re.search(r'<nav class="toc" id="sections".*?</nav>', page, re.S).group(0)
    assert page.index(nav) < page.index('class="tiles"')    # first thing under the masthead
    sections = re.findall(r'<section[^>]*\bid="([^"]+)"', page)
    assert len(sections) == 9 and re.findall(r'href="#([^"]+)"', nav) == sections   # each, in the page's order
    assert page.count('<a class="up" href="#sections"') == len(sections)           # and each leads back


def test_the_article_index_lists_every_article_newest_first_with_its_quotes_and_figures(dataset, report):
    con = connect(dataset)
    truth = con.execute("""
        SELECT a.url, a.title, a.source,
               (SELECT count(*) FROM quotes q WHERE q.article_id = a.article_id),
               (SELECT count(*) FROM figures f WHERE f.article_id = a.article_id)
        FROM articles a ORDER BY coalesce(a.published_at, a.fetched_at) DESC, a.title, a.url""").fetchall()
    index = section(read(report), "articles")
    rows = re.findall(r'<tr><td class="title wide"><a href="([^"]+)"[^>]*>(.*?)</a></td><td class="source-name">'
                      r'(.*?)</td><td class="when"><time datetime="([^"]+)".*?</td><td class="num" '
                      r'data-label="quotes">(\d+)</td><td class="num" data-label="figures">(\d+)</td></tr>', index)
    assert [(html.unescape(u), html.unescape(t), html.unescape(src), int(q), int(f))
            for u, t, src, _, q, f in rows] == truth
    assert [r[3] for r in rows] == sorted((r[3] for r in rows), reverse=True)   # newest first
    assert any(q > 0 for *_, q, _ in truth) and len(truth) > SHOWN["articles"]
    # The first ones in view; the rest behind a "N more" that needs no script.
    assert f'<summary>{len(truth) - SHOWN["articles"]} more articles</summary>' in index
    assert index.index("</table>") < index.index("<details")
    assert index.count('<td class="title wide">', 0, index.index("<details")) == SHOWN["articles"]


def test_the_report_shows_speakers_figures_feed_health_and_errors(dataset, report):
    page = read(report)
    con = connect(dataset)
    (top_speaker, quotes), = con.execute("SELECT speaker, count(*) AS n FROM quotes WHERE confidence >= 0.9 "
                                         "AND speaker_kind IN ('person', 'organisation') GROUP BY speaker "
                                         "ORDER BY n DESC, speaker LIMIT 1").fetchall()
    speakers = re.search(r'<table class="speakers">.*?</table>', page, re.S).group(0)
    assert speakers.count("<tr>") == 1 + 15   # the header and the 15 most quoted
    assert f"<strong>{top_speaker}</strong>" in speakers and f'<td class="num count">{quotes}</td>' in speakers
    assert "Fire Chief" in speakers   # titles given to a speaker
    # The demo's French article is read with French rules now: nothing is left unanalysed, and its speaker
    # is the person the article names (the count of articles without rules is tested on tiny_report).
    assert "not analysed for quotes" not in page
    french = con.execute("SELECT q.speaker FROM quotes q JOIN articles a USING (article_id) "
                         "WHERE a.language = 'fr' ORDER BY q.start").fetchall()
    assert ("Yannick Le Goff",) in french
    figures = section(page, "figures")
    assert "<h3>count</h3>" in figures and "<mark>" in figures and "ordinal" not in figures
    assert '<span class="object">containers</span>' in figures   # what a figure counts
    feeds = re.search(r'<table class="feeds stack">.*?</table>', page, re.S).group(0)
    gone = re.search(r'<tr><td class="feed wide">[^"]*?format=rss</td>.*?</tr>', feeds).group(0)
    assert 'badge bad">http_404' in gone and "1/1</td>" in gone   # one poll, failed
    world = re.search(r'<tr><td class="feed wide">[^"]*?world\.xml</td>.*?</tr>', feeds).group(0)
    assert 'badge bad' not in world and "0/2</td>" in world         # two polls, none failed


def test_errors_are_one_row_per_url_stage_and_kind_across_runs(dataset, report):
    con = connect(dataset)
    truth = con.execute("SELECT coalesce(url, feed_url), stage, error_kind, count(*) FROM errors "
                        "GROUP BY ALL").fetchall()
    errors = section(read(report), "errors")
    rows = re.findall(r'<tr><td class="url wide">(.*?)</td><td>(.*?)</td><td><code[^>]*>(.*?)</code></td>'
                      r'<td class="num count" data-label="times?">(\d+)</td>', errors)
    assert sorted((text(u), s, k, int(n)) for u, s, k, n in rows) == sorted(
        (u.split("://", 1)[1], s, k, n) for u, s, k, n in truth)
    # The withdrawn story is fetched, and missing, in both runs: one row, counted twice.
    assert ("127.0.0.1", "fetch_page", "http_404", 2) in {(text(u).split(":")[0], s, k, int(n)) for u, s, k, n in rows
                                                          if "withdrawn-story" in u}
    assert sum(n for *_, n in truth) > len(truth)   # so the dataset does repeat an error


def test_each_most_quoted_speaker_links_to_their_quotes(dataset, report):
    page = read(report)
    con = connect(dataset)
    speakers = re.findall(r'<td class="speaker"><a href="#(speaker-\d+)"><strong>(.*?)</strong></a>.*?'
                          r'<td class="num count">(\d+)</td>', section(page, "speakers"))
    assert [anchor for anchor, *_ in speakers] == [f"speaker-{k}" for k in range(1, 16)]
    for anchor, name, quotes in speakers:
        block = re.search(rf'<details class="speaker-quotes" id="{anchor}"><summary><strong>(.*?)</strong>'
                          r'.*?</details>(?=<details class="speaker-quotes"|\s*</section>)', page, re.S)
        assert block and block.group(1) == name, anchor
        said = [m for m in re.findall(r"<li><q>(.*?)</q>.*?</li>", block.group(0))]
        assert len(said) == min(int(quotes), SPEAKER_QUOTES)   # the demo repeats no quote: one line each
        urls = {u for u, in con.execute(
            "SELECT DISTINCT a.url FROM quotes q JOIN articles a USING (article_id) WHERE q.confidence >= 0.9 AND "
            "q.speaker_kind IN ('person', 'organisation') AND q.speaker_id IN "
            "(SELECT speaker_id FROM quotes WHERE speaker = ?)", [html.unescape(name)]).fetchall()}
        assert {html.unescape(u) for u in re.findall(r'<a href="(http[^"]+)"', block.group(0))} == urls
        texts = {t for t, in con.execute("SELECT q.text FROM quotes q WHERE q.speaker_id IN (SELECT speaker_id FROM "
                                         "quotes WHERE speaker = ?)", [html.unescape(name)]).fetchall()}
        for shown in said:   # each one of theirs (clipped when long)
            assert any(t.startswith(html.unescape(shown).rstrip("…")) for t in texts), shown


def test_long_labels_wrap_between_the_parts_of_a_url():
    label = breakable("news.example/" + LONG_FEED)
    assert label == ("news.example/<wbr>feeds/<wbr>regional/<wbr>north-east-and-cumbria/<wbr>"
                     "business-and-economy-latest.xml<wbr>?edition=international<wbr>&amp;format=rss")
    assert breakable("https://a.example/x?y=<b>") == "https://<wbr>a.example/<wbr>x<wbr>?y=&lt;b&gt;"


def tiny_dataset() -> duckdb.DuckDBPyConnection:
    """The views report.gather reads, with what the demo lacks: one wire story (its quote and figure) in three
    papers, a dead link in five runs, and manifests counting articles in languages without rules."""
    con = duckdb.connect()
    con.execute("CREATE TABLE articles (article_id VARCHAR, url VARCHAR, feed_url VARCHAR, source VARCHAR, "
                "title VARCHAR, published_at TIMESTAMPTZ, fetched_at TIMESTAMPTZ)")
    con.execute("CREATE TABLE _speaker_quotes (quote_id VARCHAR, article_id VARCHAR, text VARCHAR, speaker VARCHAR, "
                "speaker_title VARCHAR, kind VARCHAR, start INTEGER, confidence DOUBLE, speaker_id VARCHAR, "
                "speaker_kind VARCHAR)")
    con.execute("CREATE TABLE figures (figure_id VARCHAR, article_id VARCHAR, raw VARCHAR, start INTEGER, "
                "value DOUBLE, low DOUBLE, high DOUBLE, kind VARCHAR, unit VARCHAR, object VARCHAR, qualifier VARCHAR, "
                "sentence VARCHAR)")
    con.execute("CREATE TABLE errors (error_id VARCHAR, run_id VARCHAR, stage VARCHAR, url VARCHAR, feed_url VARCHAR, "
                "error_kind VARCHAR, message VARCHAR, occurred_at TIMESTAMPTZ)")
    con.execute("CREATE TABLE runs (run_id VARCHAR, kind VARCHAR, started_at TIMESTAMPTZ, seconds DOUBLE, "
                "manifest VARCHAR)")
    marks = ("“We will rebuild the bridge,”", '"We will rebuild the bridge,"', "‘we will rebuild the bridge’")
    for i, (paper, said) in enumerate(zip(("Gazette", "Herald", "Courier"), marks), 1):
        at = f"2026-03-0{i} 08:00:00+00"
        con.execute("INSERT INTO articles VALUES (?, ?, 'https://wire.example/feed', ?, ?, ?, ?)",
                    [f"a{i}", f"https://{paper.lower()}.example/bridge", paper, f"Bridge in {paper}", at, at])
        con.execute("INSERT INTO _speaker_quotes VALUES (?, ?, ?, 'Ada Mayor', 'Mayor', 'direct', 10, 0.95, 'm1', "
                    "'person')", [f"q{i}", f"a{i}", said])
        con.execute("INSERT INTO figures VALUES (?, ?, '£2.4 billion', 40, 2.4e9, NULL, NULL, 'money', 'GBP', "
                    "'bridge', NULL, 'The bridge will cost £2.4 billion.')", [f"f{i}", f"a{i}"])
    con.execute("INSERT INTO _speaker_quotes VALUES ('q4', 'a3', 'Only the Courier has this', 'Ada Mayor', NULL, "
                "'direct', 90, 0.95, 'm1', 'person')")
    for day in range(1, 6):
        at = f"2026-03-0{day} 09:00:00+00"
        con.execute("INSERT INTO runs VALUES (?, 'batch', ?, 1.5, ?)", [f"r{day}", at, json.dumps(
            {"feeds": [], "not_analysed": {"fr": 2} if day < 3 else {},
             "not_analysed_by_task": {"quotes": {"fr": 2, "de": 1}} if day < 3 else {}})])
        con.execute("INSERT INTO errors VALUES (?, ?, 'fetch_page', 'https://wire.example/dead', "
                    "'https://wire.example/feed', 'http_404', 'HTTP 404', ?)", [f"e{day}", f"r{day}", at])
    con.execute("INSERT INTO errors VALUES ('e9', 'r5', 'fetch_feed', NULL, 'https://wire.example/feed', 'timeout', "
                "'timed out', '2026-03-05 09:00:01+00')")
    return con


def tiny_report() -> str:
    con = tiny_dataset()
    data = gather(con)
    data["dataset"] = "tiny"
    return render(data)


def test_a_dead_link_seen_in_five_runs_is_one_error_row_counted_five_times():
    errors = section(tiny_report(), "errors")
    rows = re.findall(r'<tr><td class="url wide">(.*?)</td><td>(.*?)</td><td><code[^>]*>(.*?)</code></td>'
                      r'<td class="num count" data-label="times?">(\d+)</td><td class="when" data-label="first">(.*?)'
                      r'</td><td class="when" data-label="last">(.*?)</td></tr>', errors)
    assert [(text(u), *rest) for u, *rest in rows] == [
        ("wire.example/dead", "fetch_page", "http_404", "5", "01 Mar 2026 09:00 UTC", "05 Mar 2026 09:00 UTC"),
        ("wire.example/feed", "fetch_feed", "timeout", "1", "05 Mar 2026 09:00 UTC", "05 Mar 2026 09:00 UTC")]
    assert "<li><code>http_404</code> at fetch_page: 5 times, 1 URL</li>" in errors


def test_a_quote_or_figure_in_several_articles_is_shown_once_saying_in_how_many():
    page = tiny_report()
    latest = section(page, "latest-quotes")
    assert latest.count("<li>") == 2 and latest.count("rebuild the bridge") == 1
    bridge = re.search(r"<li><blockquote>[^<]*rebuild the bridge.*?</li>", latest).group(0)
    assert "in 3 articles</span>" in bridge and "courier.example" in bridge   # the newest of the three
    assert "in 1 articles" not in page and "in 2 articles" not in page        # said only where it applies
    figures = section(page, "figures")
    assert figures.count("<mark>£2.4 billion</mark>") == 1 and "in 3 articles</span>" in figures
    said = re.search(r'<details class="speaker-quotes" id="speaker-1">.*?</details>', page, re.S).group(0)
    assert said.count("<li>") == 2 and "in 3 articles</span>" in said
    assert "4 quotes in 3 articles" in said   # Most quoted counts every quote


def test_articles_not_analysed_are_counted_by_language_from_the_manifests():
    page = tiny_report()
    assert "3 articles not analysed for quotes: no rules for their language (fr 4, de 2)" not in page
    assert "6 articles not analysed for quotes: no rules for their language (fr 4, de 2)." in section(page, "speakers")
    assert "4 articles got neither quotes nor figures: no rules for their language (fr 4)." in section(page, "articles")


def test_since_keeps_the_articles_of_those_days_and_their_quotes(dataset, tmp_path):
    day = dt.date(2026, 11, 22)
    path = str(tmp_path / "since.html")
    assert main(["report", "--dataset", dataset, "--since", day.isoformat(), "--output", path]) == 0
    con = connect(dataset)
    articles, quotes = con.execute(
        "SELECT count(DISTINCT a.article_id), count(q.quote_id) FROM articles a LEFT JOIN quotes q USING (article_id) "
        "WHERE a.published_at >= TIMESTAMPTZ '2026-11-22 00:00:00+00'").fetchone()
    total = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert 0 < articles < total
    page = open(path, encoding="utf-8").read()
    assert f'<span class="value">{articles}</span><span class="label">articles</span>' in page
    assert f'<span class="value">{quotes}</span><span class="label">quotes</span>' in page
    assert "since 22 Nov 2026" in page
    assert main(["report", "--dataset", dataset, "--since", "last week"]) == 2


def test_what_a_feed_says_is_text_and_only_http_links_are_links():
    assert link("javascript:alert(1)", "x") == "x"
    assert link("https://news.example/a?b=1&c=2", "A <b>") == (
        '<a href="https://news.example/a?b=1&amp;c=2" rel="noopener noreferrer">A &lt;b&gt;</a>')
    row = {"name": "<img src=x onerror=alert(1)>", "titles": ["<i>Mayor</i>"], "quotes": 2, "articles": 1,
           "latest_quote": '"It is <done>," she said.', "latest_url": "data:text/html,hi", "latest_title": "T",
           "last_seen": dt.datetime(2026, 11, 20, tzinfo=dt.timezone.utc)}
    html = speakers_table([row])
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html and "<i>" not in html
    assert "data:" not in html


def test_the_day_chart_has_a_column_for_every_day_and_draws_small_sources_as_other():
    start = dt.date(2026, 1, 1)
    per_day = [{"day": start + dt.timedelta(d), "source": f"site {d % 8}", "n": 1 + d % 3} for d in range(0, 60, 2)]
    svg = day_chart(per_day, [f"site {i}" for i in range(8)])
    assert svg.count('<rect class="hit"') == 59                    # 1 Jan to 28 Feb, days without articles too
    assert "<title>Fri 02 Jan: 0 article(s)</title>" in svg
    assert len(re.findall(r'text-anchor="middle">\d\d \w\w\w<', svg)) <= 12   # day labels thinned out
    legend = re.findall(r'</span>([^<]+)</li>', svg)
    assert legend == [f"site {i}" for i in range(6)] + ["other"]
    assert _ticks(7) == [0, 2, 4, 6, 8] and _ticks(1234) == [0, 500, 1000, 1500]


# Where the lines of each URL label break, as the pairs of characters either side of each break.
LINE_BREAKS = """[...document.querySelectorAll('.feed, .url, .bar-label')].map(el => {
    const chars = [], walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node; (node = walk.nextNode());)
        for (let i = 0; i < node.length; i++) {
            const range = document.createRange(); range.setStart(node, i); range.setEnd(node, i + 1);
            const box = range.getClientRects()[0];
            if (box) chars.push([node.data[i], box.top]);
        }
    const breaks = [];
    for (let i = 1; i < chars.length; i++)
        if (chars[i][1] > chars[i - 1][1] + 2) breaks.push(chars[i - 1][0] + chars[i][0]);
    return {label: el.textContent, breaks};
})"""


def sensible(pair: str) -> bool:
    """A URL label may break after "/" (or a hyphen), or before "?", "&" or "#"; never inside a word."""
    return pair[0] in "/-" or pair[1] in "?&#"


def test_the_report_renders_in_headless_chromium_on_a_laptop_and_a_phone_and_prints(report):
    browser = chromium_or_skip()
    saved = artifacts()
    with chromium(browser) as page:
        for domain in ("Page", "Runtime", "Log", "Network"):
            page.send(f"{domain}.enable")
        page.send("Emulation.setDeviceMetricsOverride", width=1366, height=900, deviceScaleFactor=1, mobile=False)
        page.send("Page.navigate", url=f"file://{report}")
        page.wait_for("Page.loadEventFired")
        dom = page.evaluate("""({
            speakers: document.querySelectorAll('table.speakers tbody tr').length,
            firstSpeaker: document.querySelector('table.speakers tbody tr strong').textContent,
            dayColumns: document.querySelectorAll('#per-day svg.chart rect:not(.hit)').length,
            chartWidth: document.querySelector('#per-day svg.chart').getBoundingClientRect().width,
            sourceBars: document.querySelectorAll('#per-source svg.bar rect').length,
            quotes: document.querySelectorAll('#latest-quotes li').length,
            figureKinds: document.querySelectorAll('#figures .card').length,
            feeds: document.querySelectorAll('table.feeds tbody tr').length,
            articles: document.querySelectorAll('#articles tbody tr').length,
            overflow: document.documentElement.scrollWidth - window.innerWidth,
        })""")
        assert dom["speakers"] == 15 and dom["firstSpeaker"]
        assert dom["dayColumns"] >= 7 and dom["chartWidth"] > 400 and dom["sourceBars"] == 3
        assert dom["quotes"] == 12 and dom["figureKinds"] == 6 and dom["feeds"] == 4 and dom["articles"] > 30
        assert dom["overflow"] <= 0
        labels = page.evaluate(LINE_BREAKS)
        assert [x for x in labels if not all(map(sensible, x["breaks"]))] == []
        page.screenshot(os.path.join(saved, "report-laptop.png"), 1366, 900)

        page.send("Emulation.setDeviceMetricsOverride", width=390, height=844, deviceScaleFactor=1, mobile=True)
        page.evaluate("window.scrollTo(0, 0)")
        phone = page.evaluate("""({
            overflow: document.documentElement.scrollWidth - window.innerWidth,
            chartWidth: document.querySelector('#per-day svg.chart').getBoundingClientRect().width,
            speakers: document.querySelectorAll('table.speakers tbody tr').length,
            scrolled: [...document.querySelectorAll('.table-wrap')].filter(w => w.scrollWidth > w.clientWidth + 1)
                          .map(w => w.closest('section').id),
            index: document.querySelector('#sections').getBoundingClientRect().bottom / innerHeight,
            screens: document.documentElement.scrollHeight / innerHeight,
            sections: Object.fromEntries([...document.querySelectorAll('main section[id]')].map(
                s => [s.id, s.getBoundingClientRect().height / innerHeight])),
        })""")
        assert phone["overflow"] <= 0, phone    # nothing wider than the phone: no sideways scrolling
        assert phone["scrolled"] == [], phone   # not even inside a table
        assert 300 < phone["chartWidth"] <= 390 and phone["speakers"] == 15
        # Navigable: the section index on the first screen, and no section many screens long.
        assert phone["index"] < 1 and max(phone["sections"].values()) < 3.5 and phone["screens"] < 12, phone
        labels = page.evaluate(LINE_BREAKS)
        assert [x for x in labels if not all(map(sensible, x["breaks"]))] == []
        long_feed = next(x for x in labels if x["label"].endswith("format=rss") and x["label"].startswith("127."))
        assert len(long_feed["breaks"]) >= 2, long_feed   # it did have to wrap
        page.screenshot(os.path.join(saved, "report-phone.png"), 390, 844, mobile=True)

        # "Most quoted" to a speaker's quotes: a link, no script in the page (the test clicks it).
        jump = page.evaluate("""(() => {
            const a = document.querySelector('table.speakers tbody tr a');
            a.click();
            const target = document.getElementById(location.hash.slice(1));
            const first = target.querySelector('li a');
            return {hash: location.hash, href: a.getAttribute('href'), name: a.textContent,
                    summary: target.querySelector('summary strong').textContent,
                    top: target.getBoundingClientRect().top / innerHeight,
                    visible: first.checkVisibility(), article: first.href};
        })()""")
        assert jump["hash"] == jump["href"] == "#speaker-1" and jump["summary"] == jump["name"], jump
        assert 0 <= jump["top"] < 0.5 and jump["visible"] and jump["article"].startswith("http"), jump

        pdf = page.send("Page.printToPDF", printBackground=True, paperWidth=8.27, paperHeight=11.69)
        document = base64.b64decode(pdf["data"])
        assert document.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page[^s]", document)) >= 2
        with open(os.path.join(saved, "report.pdf"), "wb") as out:
            out.write(document)

        requested = [e["params"]["request"]["url"] for e in page.events
                     if e.get("method") == "Network.requestWillBeSent"]
        assert requested == [f"file://{report}"], requested   # the file alone: nothing from the network
        assert page.problems() == []
