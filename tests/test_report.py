"""`newsbeam report`: one self-contained HTML file from a demo-like dataset, checked as text and as
rendered by headless Chromium (the DOM, no console errors, no request, a phone's width, print)."""

import base64
import datetime as dt
import os
import re
import subprocess
import sys

import pytest

from pipelines.cli import main
from pipelines.commands.demo import DEMO_FEEDS
from pipelines.report import _ticks, day_chart, link, speakers_table
from pipelines.site import demo_site_dir, serve
from tests.browser import chromium, chromium_or_skip
from transforms.storage.views import connect

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NEWSBEAM = [sys.executable, "-m", "pipelines.cli"]


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    """The demo site ingested twice: the second run also polls a feed that is gone (a 404)."""
    directory = str(tmp_path_factory.mktemp("report") / "news")
    with serve(demo_site_dir()) as site:
        feeds = [f"{site.base}/{path}" for path in DEMO_FEEDS]
        options = ["--dataset", directory, "--allow_private_network", "127.0.0.1/32", "--per_host_delay", "0",
                   "--quiet"]
        assert main(["run", "--feeds", *feeds, *options]) == 0
        assert main(["run", "--feeds", *feeds, f"{site.base}/feeds/gone.xml", *options]) == 0
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


def test_the_report_is_one_file_that_needs_nothing_from_the_network(report):
    page = open(report, encoding="utf-8").read()
    assert "<script" not in page and "<link" not in page and "@import" not in page and "url(" not in page
    assert not re.search(r'\bsrc=', page)
    # Every href is an article's own link (http), never a resource the page loads.
    assert all(href.startswith("http") for href in re.findall(r'href="([^"]*)"', page))
    assert page.count('<svg class="chart"') == 1 and page.count('<svg class="bar"') == 3   # three feeds, one source


def test_the_report_shows_speakers_figures_feed_health_and_errors(dataset, report):
    page = open(report, encoding="utf-8").read()
    con = connect(dataset)
    (top_speaker, quotes), = con.execute("SELECT speaker, count(*) AS n FROM quotes GROUP BY speaker "
                                         "ORDER BY n DESC, speaker LIMIT 1").fetchall()
    speakers = re.search(r'<table class="speakers">.*?</table>', page, re.S).group(0)
    assert speakers.count("<tr>") == 1 + 15   # the header and the 15 most quoted
    assert f"<strong>{top_speaker}</strong>" in speakers and f'<td class="num count">{quotes}</td>' in speakers
    assert "Fire Chief" in speakers   # titles given to a speaker
    figures = re.search(r'id="figures".*?</section>', page, re.S).group(0)
    assert "<h3>count</h3>" in figures and "<mark>" in figures and "ordinal" not in figures
    assert '<span class="object">containers</span>' in figures   # what a figure counts
    feeds = re.search(r'<table class="feeds stack">.*?</table>', page, re.S).group(0)
    gone = re.search(r"<tr><td class=\"feed wide\">[^<]*gone\.xml</td>.*?</tr>", feeds).group(0)
    assert 'badge bad">http_404' in gone and "1/1</td>" in gone   # one poll, failed
    world = re.search(r"<tr><td class=\"feed wide\">[^<]*world\.xml</td>.*?</tr>", feeds).group(0)
    assert 'badge bad' not in world and "0/2</td>" in world         # two polls, none failed
    errors = re.search(r'<table class="errors stack">.*?</table>', page, re.S).group(0)
    assert "<td>fetch_feed</td><td><code>http_404</code></td>" in errors
    assert "<td>fetch_page</td><td><code>http_404</code></td>" in errors


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
            overflow: document.documentElement.scrollWidth - window.innerWidth,
        })""")
        assert dom["speakers"] == 15 and dom["firstSpeaker"]
        assert dom["dayColumns"] >= 7 and dom["chartWidth"] > 400 and dom["sourceBars"] == 3
        assert dom["quotes"] == 12 and dom["figureKinds"] == 6 and dom["feeds"] == 4
        assert dom["overflow"] <= 0
        page.screenshot(os.path.join(saved, "report-laptop.png"), 1366, 900)

        page.send("Emulation.setDeviceMetricsOverride", width=390, height=844, deviceScaleFactor=1, mobile=True)
        phone = page.evaluate("""({
            overflow: document.documentElement.scrollWidth - window.innerWidth,
            chartWidth: document.querySelector('#per-day svg.chart').getBoundingClientRect().width,
            speakers: document.querySelectorAll('table.speakers tbody tr').length,
            scrolled: [...document.querySelectorAll('.table-wrap')].filter(w => w.scrollWidth > w.clientWidth + 1)
                          .map(w => w.closest('section').id),
        })""")
        assert phone["overflow"] <= 0, phone    # nothing wider than the phone: no sideways scrolling
        assert phone["scrolled"] == [], phone   # not even inside a table
        assert 300 < phone["chartWidth"] <= 390 and phone["speakers"] == 15
        page.screenshot(os.path.join(saved, "report-phone.png"), 390, 844, mobile=True)

        pdf = page.send("Page.printToPDF", printBackground=True, paperWidth=8.27, paperHeight=11.69)
        document = base64.b64decode(pdf["data"])
        assert document.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page[^s]", document)) >= 2
        with open(os.path.join(saved, "report.pdf"), "wb") as out:
            out.write(document)

        requested = [e["params"]["request"]["url"] for e in page.events if e.get("method") == "Network.requestWillBeSent"]
        assert requested == [f"file://{report}"], requested   # the file alone: nothing from the network
        assert page.problems() == []
