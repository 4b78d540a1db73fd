"""The `newsbeam` command as a user meets it: exit codes, one-line usage errors, real subprocesses."""

import json
import os
import socket
import subprocess
import sys
import time

import pytest

from pipelines.cli import main
from tests.test_pipeline import LOCAL
from transforms.storage.views import connect
from transforms.storage.runs import manifests

NEWSBEAM = [sys.executable, "-m", "pipelines.cli"]
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def newsbeam(*args, **kwargs):
    return subprocess.run([*NEWSBEAM, *args], capture_output=True, text=True, cwd=ROOT, timeout=300, **kwargs)


@pytest.mark.parametrize("args, message", [
    (["run", "--output", "x"], "--feeds is required"),
    (["run", "--feeds", "http://feeds.test/a.xml"], "--dataset is required"),
    (["run", "--feeds", "no-such-file.txt", "--output", "x"], "neither an http(s) URL nor a readable file"),
    (["run", "--feeds", "http://feeds.test/a.xml", "--output", "x", "--direct_num_wrokers=2"], "unknown option"),
    (["frobnicate"], "unknown command"),
    (["query", "--data", "no-such-dir", "SELECT 1"], "is not a directory"),
    (["run", "--feeds", "http://feeds.test/a.xml", "--output", "/dev/null/out"], "cannot create --dataset"),
    (["stream", "--output", "x"], "--feeds and --dataset are required"),
    (["stream", "--feeds", "http://feeds.test/a.xml", "--dataset", "x", "--runner", "DirectRunner"],
     "--runner DirectRunner cannot run a stream"),
    (["compact", "a", "--dataset", "b"], "two dataset directories given"),
    (["report"], "--dataset DIR is required"),
    (["run", "--feeds", "http://feeds.test/a.xml", "--dataset", "x", "--retry_errors", "y"],
     "--retry_errors y retries into that dataset, not --dataset x"),
    (["run", "--feeds", "http://feeds.test/a.xml", "--output", "x", "--fetch_threads", "many"],
     "argument --fetch_threads: invalid int value: 'many'"),
    (["demo", "--mixed_quote_spans", "words"], "argument --mixed_quote_spans: invalid choice: 'words'"),
    (["run", "--feeds", "http://feeds.test/a.xml", "--output", "x", "--connect_timeout", "-1"],
     "--connect_timeout must be greater than 0"),
    (["run", "--feeds", "http://feeds.test/a.xml", "--output", "x", "--total_timeout", "nan"],
     "--total_timeout must be greater than 0"),
    (["demo", "--min_quote_confidence", "5"], "--min_quote_confidence is a precision between 0 and 1"),
    (["stream", "--feeds", "http://feeds.test/a.xml", "--output", "x", "--window", "0"],
     "--window must be greater than 0"),
    (["stream", "--feeds", "http://feeds.test/a.xml", "--output", "x", "--max_bundle_time_mills", "0"],
     "--max_bundle_time_mills must be greater than 0"),
])
def test_user_mistakes_exit_2_with_one_line_that_says_what_to_fix(args, message, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err
    if args[0] != "frobnicate":   # an unknown command also lists the commands
        assert len(err.strip().splitlines()) == 1, err


def test_run_from_a_text_file_of_feeds_prints_a_summary_and_exits_0(site, tmp_path):
    sources = tmp_path / "feeds.txt"
    sources.write_text(f"# two feeds\n{site.base}/feeds/local.xml\n\n{site.base}/feeds/regional.atom  # syndicated\n")
    result = newsbeam("run", "--feeds", str(sources), "--output", str(tmp_path / "out"), *LOCAL)
    assert result.returncode == 0, result.stderr
    assert "4 new articles, 1 duplicates, 3 failed" in result.stdout
    assert "Traceback" not in result.stderr and "apitools" not in result.stderr
    manifest, = manifests(str(tmp_path / "out"))
    assert [f["feed_url"] for f in manifest["feeds"]] == [f"{site.base}/feeds/local.xml",
                                                          f"{site.base}/feeds/regional.atom"]


def test_run_accepts_an_opml_file_and_beam_options(site, tmp_path):
    opml = tmp_path / "feeds.opml"
    opml.write_text(f'<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>'
                    f'<outline text="Local" xmlUrl="{site.base}/feeds/local.xml"/></body></opml>')
    assert main(["run", "--feeds", str(opml), "--output", str(tmp_path / "out"), "--direct_num_workers=1", *LOCAL]) == 0


def test_a_run_whose_runner_is_unreachable_exits_1_with_a_message(site, tmp_path):
    result = newsbeam("run", "--feeds", f"{site.base}/feeds/local.xml", "--output", str(tmp_path / "out"),
                      "--runner=PortableRunner", "--job_endpoint=127.0.0.1:9", "--job_server_timeout=2")
    assert result.returncode == 1
    assert "the run could not complete" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_failed_run_with_verbose_shows_the_traceback_instead_of_the_hint(site, tmp_path):
    result = newsbeam("run", "--feeds", f"{site.base}/feeds/local.xml", "--output", str(tmp_path / "out"),
                      "--runner=PortableRunner", "--job_endpoint=127.0.0.1:9", "--job_server_timeout=2", "--verbose")
    assert result.returncode == 1
    assert "the run could not complete" in result.stderr and "Traceback" in result.stderr
    assert "rerun with --verbose" not in result.stderr


def test_repeated_feeds_flags_add_up_and_a_run_id_is_not_reused(site, tmp_path):
    out = str(tmp_path / "out")
    result = newsbeam("run", "--feeds", f"{site.base}/feeds/local.xml", "--feeds", f"{site.base}/feeds/regional.atom",
                      "--output", out, "--run_id", "first", *LOCAL)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("/feeds/") == 2
    again = newsbeam("run", "--feeds", f"{site.base}/feeds/local.xml", "--output", out, "--run_id", "first", *LOCAL)
    assert again.returncode == 2 and "--run_id first is already taken" in again.stderr


def test_retrying_a_dataset_with_no_failures_says_so_and_exits_0(tmp_path, capsys):
    (tmp_path / "_runs").mkdir()
    assert main(["run", "--retry-errors", str(tmp_path)]) == 0
    assert "nothing to retry" in capsys.readouterr().out


def test_query_prints_a_table_csv_or_json(site, tmp_path):
    out = str(tmp_path / "out")
    assert main(["run", "--feeds", f"{site.base}/feeds/local.xml", "--output", out, *LOCAL]) == 0
    sql = "SELECT title FROM articles ORDER BY title LIMIT 2"
    table = newsbeam("query", "--data", out, sql)
    assert table.returncode == 0 and "Café owner wins regional award" in table.stdout and "(2 rows)" in table.stdout
    as_csv = newsbeam("query", "--data", out, "--format", "csv", sql)
    assert as_csv.stdout.splitlines()[0] == "title"
    titles = ["Café owner wins regional award", "Council approves new ferry terminal"]
    as_json = newsbeam("query", "--data", out, "--format", "json", sql)
    assert [record["title"] for record in json.loads(as_json.stdout)] == titles   # one JSON document
    as_jsonl = newsbeam("query", "--data", out, "--format", "jsonl", sql)
    assert [json.loads(line)["title"] for line in as_jsonl.stdout.splitlines()] == titles
    bad = newsbeam("query", "--data", out, "SELECT nope FROM articles")
    assert bad.returncode == 2 and "nope" in bad.stderr and "Traceback" not in bad.stderr
    # DuckDB's whole message, not its first line: the candidate it suggests, the caret under the error.
    typo = newsbeam("query", "--data", out, "SELECT author FROM articles")
    assert typo.returncode == 2 and 'Candidate bindings: "authors"' in typo.stderr, typo.stderr
    syntax = newsbeam("query", "--data", out, "SELEC title FROM articles")
    assert syntax.returncode == 2 and "LINE 1:" in syntax.stderr and "^" in syntax.stderr, syntax.stderr


def test_extract_writes_predictions_and_names_bad_lines(tmp_path):
    docs = tmp_path / "docs.jsonl"
    docs.write_text(json.dumps({"id": "a", "text": '"We will win," Ada Brook said. Turnout rose 4%.'}) + "\n"
                    + "{not json\n"
                    + json.dumps({"id": "b", "text": 12}) + "\n")
    preds = tmp_path / "preds.jsonl"
    result = newsbeam("extract", "--input", str(docs), "--output", str(preds))
    assert result.returncode == 0
    assert f"{docs}:2: skipped" in result.stderr and f"{docs}:3: skipped" in result.stderr
    lines = [json.loads(line) for line in preds.read_text().splitlines()]
    assert [line["id"] for line in lines] == ["a"]
    assert lines[0]["quotes"][0]["speaker"] == "Ada Brook"
    assert any(f["value"] == 4 and f["unit"] == "%" for f in lines[0]["figures"])


def test_extract_can_span_mixed_quotes_as_the_quoted_words(tmp_path):
    docs = tmp_path / "docs.jsonl"
    docs.write_text(json.dumps({"id": "a", "text": 'Mayor Ada Brook spoke.\n\nBrook said the flood was "a disaster."'}))
    clause, quoted = tmp_path / "clause.jsonl", tmp_path / "quoted.jsonl"
    assert newsbeam("extract", "--input", str(docs), "--output", str(clause)).returncode == 0
    assert newsbeam("extract", "--input", str(docs), "--output", str(quoted), "--mixed_quote_spans", "quoted").returncode == 0
    assert [q["text"] for q in json.loads(clause.read_text())["quotes"]] == ['the flood was "a disaster."']
    assert [q["text"] for q in json.loads(quoted.read_text())["quotes"]] == ['"a disaster."']
    bad = newsbeam("extract", "--input", str(docs), "--output", "-", "--mixed_quote_spans", "words")
    assert bad.returncode == 2 and "invalid choice" in bad.stderr and "Traceback" not in bad.stderr


def test_extract_skips_a_line_that_is_not_utf8_and_refuses_to_overwrite_its_input(tmp_path):
    docs = tmp_path / "docs.jsonl"
    docs.write_bytes(b'\xef\xbb\xbf{"id": "a", "text": "\\"We win,\\" Ada Brook said."}\n'
                     b'{"id": "b", "text": "caf\xe9"}\n{"id": "c", "text": "none here"}\n')
    result = newsbeam("extract", "--input", str(docs), "--output", "-")
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["a", "c"]   # the BOM is not JSON
    assert f"{docs}:2: skipped: UnicodeDecodeError" in result.stderr
    for output, message in ((str(docs), "is the --input file"), (str(tmp_path), "cannot write --output")):
        bad = newsbeam("extract", "--input", str(docs), "--output", output)
        assert bad.returncode == 2 and message in bad.stderr and len(bad.stderr.splitlines()) == 1, bad.stderr
    assert docs.read_bytes().count(b"\n") == 3


def test_query_refuses_blank_sql_and_a_directory_that_is_not_a_dataset(tmp_path, capsys):
    (tmp_path / "_runs").mkdir()
    assert main(["query", "--data", str(tmp_path), "-- only a comment"]) == 2
    assert "no SQL statement" in capsys.readouterr().err
    assert main(["query", "--data", str(tmp_path / "_runs"), "SELECT 1"]) == 2
    assert "not a newsbeam dataset" in capsys.readouterr().err
    assert main(["query", "--data", str(tmp_path), "--format", "json", "SELECT 'nan'::DOUBLE AS x"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"x": None}]   # JSON has no NaN


def test_a_silenced_beam_worker_hides_its_noise_and_still_reports_its_counts(monkeypatch, tmp_path):
    """What pipelines/quiet_worker does to a Beam worker process (one started with
    CONTROL_API_SERVICE_DESCRIPTOR set) when --verbose is off: Beam's warnings, INFO lines and
    printed tracebacks are dropped; its counts still reach the launcher's progress spool."""
    from pipelines.commands.common import quiet_worker_processes
    from transforms.progress import SPOOL_ENV, read_totals
    monkeypatch.setenv("PYTHONPATH", os.environ.get("PYTHONPATH", ""))   # restored after the test
    quiet_worker_processes()
    worker = ("import logging, sys\n"
              "logging.warning('apitools not found')\n"
              "print('Traceback (most recent call last): ...', file=sys.stderr)\n"
              "from transforms import progress\n"
              "progress.count('pages_fetched', 7)\n")
    env = {**os.environ, SPOOL_ENV: str(tmp_path), "PYTHONPATH": os.environ["PYTHONPATH"] + os.pathsep + ROOT}
    beam_worker = subprocess.run([sys.executable, "-c", worker], capture_output=True, text=True, cwd=ROOT,
                                 env={**env, "CONTROL_API_SERVICE_DESCRIPTOR": "url: 'localhost:1'"}, timeout=60)
    assert beam_worker.returncode == 0 and beam_worker.stderr == "", beam_worker.stderr
    assert read_totals(str(tmp_path)) == {"pages_fetched": 7}
    other = subprocess.run([sys.executable, "-c", worker], capture_output=True, text=True, cwd=ROOT, env=env,
                           timeout=60)
    assert "apitools not found" in other.stderr and "Traceback" in other.stderr   # other processes untouched
    assert read_totals(str(tmp_path)) == {"pages_fetched": 14}


def test_flag_spelling_turns_hyphens_into_underscores_only_for_known_options():
    from pipelines.spelling import flag_spelling
    names = {"--allow_private_hosts", "--per_host_delay"}
    assert flag_spelling(["--allow-private-hosts", "--per-host-delay=0", "--direct-num-workers=2", "-h", "x-y"],
                         names) == ["--allow_private_hosts", "--per_host_delay=0", "--direct-num-workers=2", "-h", "x-y"]
    assert flag_spelling(["--", "--per-host-delay"], names) == ["--", "--per-host-delay"]   # after --: arguments


def test_newsbeams_own_options_take_hyphens_or_underscores(site, tmp_path):
    out = str(tmp_path / "out")
    assert main(["run", "--feeds", f"{site.base}/feeds/local.xml", "--dataset", out, "--allow-private-hosts",
                 "--per-host-delay=0", "--retry-base-delay", "0.01", "--quiet"]) == 0
    assert len(manifests(out)) == 1


def test_help_shows_every_default(capsys):
    for command, default in (("run", "--connect_timeout S"), ("stream", "--poll_interval S"),
                             ("query", "--format {table,csv,json,jsonl}"), ("report", "--output FILE"),
                             ("compact", "--retention_hours RETENTION_HOURS")):
        assert main([command, "--help"]) == 0
        out = capsys.readouterr().out
        assert default in out, out
    assert main(["run", "--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    for shown in ("(default: 5.0)", "(default: 16)", "(default: 0.6)", "(default: 10.0)", "--dataset DIR, --output DIR"):
        assert shown in out
    assert main(["stream", "--help"]) == 0 and "(default: 300.0)" in capsys.readouterr().out
    assert main(["query", "--help"]) == 0 and "(default: table)" in capsys.readouterr().out


def test_the_dataset_directory_has_one_name_across_commands_and_the_old_ones_still_work(site, tmp_path, capsys):
    out = str(tmp_path / "out")
    assert main(["run", "--feeds", f"{site.base}/feeds/local.xml", "--dataset", out, *LOCAL, "--quiet"]) == 0
    sql = "SELECT count(*) AS n FROM articles"
    capsys.readouterr()
    for flag in ("--dataset", "--data"):
        assert main(["query", flag, out, "--format", "csv", sql]) == 0
        assert capsys.readouterr().out.splitlines() == ["n", "4"]
    for args in (["compact", "--dataset", out], ["compact", out], ["report", out, "--output", str(tmp_path / "r.html")]):
        assert main(args) == 0, args
    assert (tmp_path / "r.html").exists()
    # --retry_errors alone retries into --dataset; --retry-errors DIR (the old form) names it. The two
    # failed pages fail again: nothing ingested because everything failed, exit 3.
    assert main(["run", "--retry_errors", "--dataset", out, *LOCAL, "--quiet"]) == 3
    assert main(["run", "--retry-errors", out, *LOCAL, "--quiet"]) == 3
    assert [m["entries_retried"] for m in manifests(out)] == [0, 2, 2]


def test_extract_exits_1_when_no_line_could_be_read(tmp_path):
    docs = tmp_path / "docs.jsonl"
    docs.write_text("{not json\n" + json.dumps({"id": "b"}) + "\n")
    result = newsbeam("extract", "--input", str(docs), "--output", str(tmp_path / "preds.jsonl"))
    assert result.returncode == 1
    assert "0 documents, 2 skipped" in result.stderr and f"no document could be read from {docs}" in result.stderr
    # Each bad line and the last line name the format expected.
    assert f'{docs}:1: skipped: not a JSON object' in result.stderr and f'{docs}:2: skipped: no "text"' in result.stderr
    assert 'JSON lines, one {"id": ..., "text": "..."} object a line' in result.stderr
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    assert newsbeam("extract", "--input", str(empty), "--output", "-").returncode == 0   # nothing to read is no failure


def test_a_dataset_another_process_writes_fails_with_exit_1_naming_that_process(tmp_path, capsys):
    from transforms.storage.lease import Lease
    out = str(tmp_path / "out")
    (tmp_path / "out" / "_runs").mkdir(parents=True)
    with Lease(out, "run"):
        for command in ("run", "stream"):
            assert main([command, "--feeds", "https://harbour.example/feed.xml", "--dataset", out]) == 1
            err = capsys.readouterr().err
            assert f"newsbeam {command}: {out} is being written by another newsbeam run" in err
            assert f"(PID {os.getpid()} on {socket.gethostname()}, running since " in err
            assert "streaming runner" not in err and "--verbose" not in err and len(err.splitlines()) == 1
        assert main(["compact", out]) == 1
        assert f"(PID {os.getpid()} on " in capsys.readouterr().err


def test_the_holder_of_a_dataset_is_named_as_a_process_with_its_start_on_this_host():
    from pipelines.commands.common import name_the_holder, process_started
    started = process_started(os.getpid())
    assert started is not None and abs(time.time() - started.timestamp()) < 3600
    here = name_the_holder(f"d is being written by another newsbeam run ({socket.gethostname()}:{os.getpid()}:0a1b); "
                           "try again when it has finished")
    assert here.startswith(f"d is being written by another newsbeam run (PID {os.getpid()} on {socket.gethostname()}, "
                           f"running since {started:%Y-%m-%d %H:%M}")
    assert name_the_holder("d is busy (worker-7:42:ff00); later") == "d is busy (PID 42 on worker-7); later"


def test_a_run_where_every_source_failed_exits_3_and_the_summary_says_how_to_allow_a_private_host(site, tmp_path):
    """Without --allow_private_hosts the SSRF guard refuses 127.0.0.1: the run commits its error rows
    and exits 3 (completed, nothing ingested), so a scheduler does not stay green; the summary counts
    every error row and names the option that would allow the host."""
    out = str(tmp_path / "out")
    result = newsbeam("run", "--feeds", f"{site.base}/feeds/local.xml", "--output", out, "--per_host_delay=0")
    assert result.returncode == 3, result.stderr
    assert "nothing was ingested: every source failed" in result.stderr and "Traceback" not in result.stderr
    assert "error rows 1: blocked_address 1" in result.stdout and "--allow_private_hosts" in result.stdout
    (run,) = manifests(out)
    assert run["error_kinds"] == {"blocked_address": 1} and run["totals"]["error_rows"] == 1
    with connect(out) as con:   # the runs table counts the error row too, not only failed entries
        assert con.execute("SELECT errors, feed_errors FROM runs").fetchall() == [(1, 1)]
    # A run whose feed was read and had nothing new is a success.
    assert main(["run", "--feeds", f"{site.base}/feeds/local.xml", "--output", out, *LOCAL]) == 0
    assert main(["run", "--feeds", f"{site.base}/feeds/local.xml", "--output", out, *LOCAL]) == 0


def test_run_help_starts_with_an_example_and_groups_options_by_concern(capsys):
    assert main(["run", "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("example:\n  newsbeam run --feeds ")
    titles = [line[:-1] for line in out.splitlines() if line.endswith(":") and not line.startswith(" ")]
    assert titles[:1] == ["example"] and titles[-5:] == ["sources", "dataset", "fetching", "extraction",
                                                        "runner and output"], titles
    fetching = out[out.index("\nfetching:"):out.index("\nextraction:")]
    assert "--allow_private_hosts" in fetching and "--feeds" not in fetching
