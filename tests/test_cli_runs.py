"""Whole `newsbeam` runs as a user starts them: the demo, its README queries, worker processes, a retry.

The slow half of the command's tests (tests/test_cli.py has the rest), in a file of its own so that
`make test`'s processes share them out (`--dist loadfile` keeps a file on one process).
"""

import os
import shlex
import socket
import subprocess

from pipelines.cli import main
from tests.test_cli import ROOT, newsbeam
from tests.test_pipeline import LOCAL
from transforms.storage.views import connect
from transforms.storage.runs import manifests
from transforms.analysis.speakers import speaker_id


def readme_queries(section: str, dataset: str) -> list[list[str]]:
    """The `newsbeam query` commands of one README section, as argument lists (without the program),
    on `dataset` instead of the README's newsbeam-demo."""
    text = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
    body = text.split(section, 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0]
    return [[arg.replace("newsbeam-demo", dataset) for arg in shlex.split(line)[1:]] for line in body.splitlines()
            if line.startswith(".venv/bin/newsbeam query ")]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_demo_serves_the_bundled_site_and_ingests_it(tmp_path):
    port = str(_free_port())   # a port of the test's own, so a busy default port can't change the URLs
    result = newsbeam("demo", "--output", str(tmp_path / "demo"), "--port", port)
    assert result.returncode == 0, result.stderr
    assert "Who said what" in result.stdout
    manifest, = manifests(str(tmp_path / "demo"))
    totals = manifest["totals"]
    assert len(manifest["feeds"]) == 3 and totals["feed_errors"] == 0
    assert totals["articles"] >= 30 and totals["duplicates"] >= 1 and totals["errors"] >= 1
    assert totals["articles"] + totals["duplicates"] + totals["errors"] == totals["entries"]
    assert manifest["rows"]["quotes"] > 50 and manifest["rows"]["figures"] > 50
    # The SSRF guard stays on: only the demo server's address is allowed.
    assert manifest["options"]["allow_private_network"] == ["127.0.0.1/32"]
    assert not manifest["options"].get("allow_private_hosts")
    report = tmp_path / "demo" / "report.html"
    assert f"Report: {report}" in result.stdout and "<svg" in report.read_text()
    # The commands the demo prints work when pasted into a new shell where it ran (no venv activated).
    printed = [line.strip() for line in result.stdout.splitlines() if " query --dataset " in line]
    assert len(printed) == 2 and not printed[0].startswith("newsbeam "), printed
    for line in printed:
        pasted = subprocess.run(["bash", "-c", line], capture_output=True, text=True, timeout=120, cwd=ROOT,
                                env={k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")})
        assert pasted.returncode == 0 and " row" in pasted.stdout.splitlines()[-1], pasted.stderr
    # The README's speaker queries, as written there, on this dataset.
    top_ten, one_person = readme_queries("### Who said what: speakers", str(tmp_path / "demo"))
    top = newsbeam(*top_ten)
    assert top.returncode == 0, top.stderr
    assert "(10 rows)" in top.stdout
    first = top.stdout.splitlines()[2]   # under the header and its rule: the most quoted person
    assert first.startswith("Kasia Nowak ") and "'Dr.'" in first and first.split()[-1] == "2", first
    # The German article's researcher is one person however it names her ("die Projektleiterin Dr. Johanna
    # Brink", then "Brink"), never "die Projektleiterin Dr"
    german = connect(str(tmp_path / "demo")).execute(
        "SELECT q.speaker, q.speaker_id, q.speaker_kind FROM quotes q JOIN articles a USING (article_id) "
        "WHERE a.language = 'de' AND q.speaker LIKE '%Brink'").fetchall()
    assert {s for s, _, _ in german} == {"die Projektleiterin Dr. Johanna Brink", "Brink"}, german
    assert {(sid, kind) for _, sid, kind in german} == {(speaker_id("Johanna Brink"), "person")}, german
    said = newsbeam(*one_person)
    assert said.returncode == 0, said.stderr
    assert "Replanted seagrass meadows" in said.stdout and "Orca pod returns" in said.stdout
    # The site comes back on the same port, hence the same URLs: the rerun adds nothing.
    again = newsbeam("demo", "--output", str(tmp_path / "demo"), "--port", port)
    assert again.returncode == 0, again.stderr
    assert f"0 new articles, {totals['articles'] + totals['duplicates']} duplicates" in again.stdout


def test_a_run_with_quoted_mixed_spans_stores_only_the_quoted_words_of_mixed_quotes(tmp_path):
    out = str(tmp_path / "demo")
    result = newsbeam("demo", "--output", out, "--port", str(_free_port()), "--mixed_quote_spans", "quoted")
    assert result.returncode == 0, result.stderr
    mixed = connect(out).execute("SELECT text, speaker FROM quotes WHERE kind = 'mixed'").fetchall()
    assert mixed, "the demo articles hold mixed quotes"
    assert all(text[0] in "\"“‘'«„" and text[-1] in "\"”’'»“" and speaker for text, speaker in mixed), mixed


def test_run_on_two_worker_processes_gives_the_same_result_without_beam_noise(site, tmp_path):
    feeds = [f"{site.base}/feeds/local.xml", f"{site.base}/feeds/regional.atom"]
    result = newsbeam("run", "--feeds", *feeds, "--output", str(tmp_path / "out"), *LOCAL,
                      "--direct_num_workers=2", "--direct_running_mode=multi_processing")
    assert result.returncode == 0, result.stderr
    assert "4 new articles, 1 duplicates, 3 failed" in result.stdout
    # The worker processes' start-up lines ("apitools not found", "Logging handler created.") stay hidden.
    assert not [line for line in result.stderr.splitlines() if "WARNING" in line or "INFO" in line], result.stderr


def test_retry_errors_fetches_only_what_failed_and_completes_the_dataset(tmp_path):
    from pipelines.site import serve
    from tests.conftest import FIXTURE_SITE
    broken = {"page": True}

    def sometimes(handler):
        if broken["page"]:
            return handler.reply(404, b"not yet", "text/plain")
        with open(os.path.join(FIXTURE_SITE, "news", "library-reopens.html"), "rb") as f:
            handler.reply(200, f.read(), "text/html; charset=utf-8")

    out = str(tmp_path / "out")
    with serve(FIXTURE_SITE, {"/news/missing-story.html": sometimes}) as site:
        assert main(["run", "--feeds", f"{site.base}/feeds/local.xml", "--output", out, *LOCAL]) == 0
        broken["page"] = False
        seen = len(site.requests)
        assert main(["run", "--retry-errors", out, *LOCAL]) == 0
        retried = [path for path in site.requests[seen:] if path.startswith("/news/")]
    assert sorted(retried) == ["/news/missing-story.html", "/news/server-error.html"]
    second = manifests(out)[-1]
    assert second["totals"] == {**second["totals"], "entries": 2, "articles": 1, "errors": 1}
    assert second["feeds_requested"] == []
