"""DuckDB query time on a Delta table of many small commits vs the same rows after `newsbeam compact`.

    .venv/bin/python bench/compact.py                       # 1,000,000 quote rows in 2,000 commits, 30 dates
    .venv/bin/python bench/compact.py --rows 200000 --commits 400 --repeat 5
    .venv/bin/python bench/compact.py --keep DIR            # keep both datasets: DIR and DIR-compacted

Generates synthetic quote rows (schemas.QUOTES: speakers from a pool of invented names with
a Zipf-like spread, titles, cues, quote texts of 6-60 words from a news vocabulary (a pool of
50,000), their sentence, offsets, confidence) spread over --partitions dates and committed exactly
as the pipeline commits them (transforms.storage.files.write_data_file, then commit(): one file and one
Delta commit per simulated run, --commits of them). The dataset is copied, the copy compacted
with pipelines.housekeeping.run_compact (optimize + checkpoint + vacuum, retention 0; timed once), and
each query is timed on both (best of --repeat, the repeats interleaved uncompacted / compacted so
machine noise hits both alike); it prints both times, the ratio uncompacted / compacted, and
whether the answers are identical.

Queries (plain DuckDB with the delta extension, delta_scan('DIR/quotes'), a fresh connection per
timing so nothing is cached between runs):
  speakers  SELECT speaker, count(*), avg(length(text)) ... GROUP BY speaker ORDER BY 2 DESC LIMIT 20
  per date  SELECT date, count(*) ... GROUP BY date ORDER BY date
  count     SELECT count(*)

Writes only into temp dirs (removed at the end unless --keep). Needs no ../shared. Exit code 0
(it is a measurement).
"""

import argparse
import datetime as dt
import hashlib
import itertools
import os
import random
import shutil
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import duckdb  # noqa: E402

from pipelines.housekeeping import format_stats, run_compact  # noqa: E402
from transforms.storage.runs import build_manifest
from transforms.storage.commit import commit
from transforms.storage.views import delta_extension
from transforms.storage.files import write_data_file

FIRST = ("Amara Bjorn Carmen Dmitri Elif Fatima Gareth Hana Ines Jonas Kofi Leila Mateo Nadia Olu Priya "
         "Quentin Rosa Sven Tariq Ulla Vikram Wen Ximena Yusuf Zofia Anders Beatriz Chidi Dara").split()
LAST = ("Okonkwo Halvorsen Moreau Nakamura Petrov Ferreira Lindqvist Achebe Novak Castillo Brennan Haddad "
        "Kowalski Mbeki Rossi Sato Varga Whitfield Yilmaz Zhou Adeyemi Berg Costa Duarte Eriksen").split()
TITLES = [None, None, "Minister of Transport", "chief executive", "harbour master", "spokesperson",
          "professor of marine biology", "mayor", "union representative", "head of research", "economist"]
CUES = ["said", "said", "told reporters", "added", "warned", "according to", "argued", "announced", "wrote"]
KINDS = ["direct", "direct", "mixed", "indirect"]
WORDS = ("the ferry port council budget wind farm jobs housing prices rail link harbour fishing quota tourism "
         "season record profit recall battery pilot aquifer drought storm forecast telescope migration study "
         "we will not accept this plan and expect the government to act quickly because families are waiting "
         "for answers while costs keep rising across the region this year next year over the coming months "
         "it is a significant step forward for everyone who depends on the coast").split()


def speakers(rng: random.Random, n: int = 600) -> tuple[list[str], list[float]]:
    names = sorted({f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(n * 3)})[:n]
    rng.shuffle(names)
    return names, [1 / (rank + 1) ** 0.8 for rank in range(len(names))]  # a few speakers quoted a lot


def quote_rows(rng: random.Random, start: int, count: int, run_id: str, names, cum_weights, texts) -> list[dict]:
    rows = []
    for n, speaker, text in zip(range(start, start + count), rng.choices(names, cum_weights=cum_weights, k=count),
                                rng.choices(texts, k=count)):
        cue = rng.choice(CUES)
        offset = rng.randint(0, 8000)
        rows.append({
            "quote_id": hashlib.sha1(b"q%d" % n).hexdigest()[:16],
            "article_id": hashlib.sha1(b"a%d" % (n // 8)).hexdigest()[:16],
            "text": text, "speaker": speaker, "speaker_title": rng.choice(TITLES),
            "speaker_start": offset + len(text) + 3, "speaker_end": offset + len(text) + 3 + len(speaker),
            "cue": cue, "kind": rng.choice(KINDS), "start": offset, "end": offset + len(text),
            "sentence": f"\u201c{text}\u201d {speaker} {cue}.", "confidence": round(rng.uniform(0.4, 0.99), 2),
            "run_id": run_id,
        })
    return rows


def generate(out: str, rows: int, commits: int, partitions: int, seed: int = 7) -> None:
    """`commits` simulated runs, each committing one file of rows/commits rows, round-robin over the dates."""
    rng = random.Random(seed)
    names, weights = speakers(rng)
    cum_weights = list(itertools.accumulate(weights))
    texts = [" ".join(rng.choices(WORDS, k=rng.randint(6, 60))).capitalize() + "." for _ in range(50_000)]
    day0 = dt.date(2026, 1, 1)
    dates = [(day0 + dt.timedelta(days=d)).isoformat() for d in range(partitions)]
    per_commit, made = rows // commits, 0
    for r in range(commits):
        run_id = (dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(hours=r)).strftime(
            "%Y%m%dT%H%M%SZ") + f"{r:04x}"
        count = per_commit if r < commits - 1 else rows - made
        written = write_data_file(out, "quotes", dates[r % partitions], run_id,
                                  quote_rows(rng, made, count, run_id, names, cum_weights, texts))
        facts = [{"fact": "file", **written}]
        manifest = build_manifest({"run_id": run_id, "started_at": dt.datetime.now(dt.timezone.utc).isoformat()},
                                  facts)
        commit(out, {"commit_id": run_id, "files": facts, "feed_states": [], "manifest": manifest})
        made += count


def queries(out: str) -> dict[str, str]:
    source = f"delta_scan('{os.path.abspath(out)}/quotes')"
    return {
        "speakers": f"SELECT speaker, count(*), round(avg(length(text)), 6) FROM {source} "
                    "GROUP BY speaker ORDER BY 2 DESC, 1 LIMIT 20",
        "per date": f"SELECT date, count(*) FROM {source} GROUP BY date ORDER BY date",
        "count": f"SELECT count(*) FROM {source}",
    }


def timed(sql: str) -> tuple[float, list]:
    con = duckdb.connect()  # fresh: nothing cached from the previous timing
    con.execute(f"LOAD '{delta_extension()}'")
    started = time.perf_counter()
    result = con.execute(sql).fetchall()
    seconds = time.perf_counter() - started
    con.close()
    return seconds, result


def data_files(out: str) -> list[str]:
    return [os.path.join(d, f) for d, _, fs in os.walk(os.path.join(out, "quotes")) if "_delta_log" not in d
            for f in fs if f.endswith(".parquet")]


def parquet_bytes(out: str) -> int:
    return sum(os.path.getsize(f) for f in data_files(out))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--commits", type=int, default=2_000, help="simulated runs, one file and commit each")
    parser.add_argument("--partitions", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", metavar="DIR", help="build the dataset in DIR (must not exist), its compacted copy in DIR-compacted, keep both")
    args = parser.parse_args(argv)

    out = args.keep or tempfile.mkdtemp(prefix="newsbeam-compact-bench-")
    if args.keep:
        os.makedirs(out)
    try:
        started = time.perf_counter()
        generate(out, args.rows, args.commits, args.partitions)
        size = parquet_bytes(out)
        print(f"generated {args.rows:,} quote rows in {args.commits:,} commits ({len(data_files(out)):,} files) over "
              f"{args.partitions} dates "
              f"({size / 1e6:.1f} MB) in {time.perf_counter() - started:.1f}s; duckdb {duckdb.__version__}, "
              f"{os.cpu_count()} cpu(s), best of {args.repeat}")
        compacted = out + "-compacted"
        shutil.copytree(out, compacted)

        stats = run_compact(compacted, retention_hours=0)
        print(format_stats(stats))
        print(f"compaction: {stats['seconds']:.2f}s for {args.rows:,} rows, {len(data_files(out)):,} -> "
              f"{len(data_files(compacted)):,} files, {size / 1e6:.1f} MB -> {parquet_bytes(compacted) / 1e6:.1f} MB")

        # Repeats interleaved (uncompacted, compacted, uncompacted, ...) so noise hits both alike.
        before, after = queries(out), queries(compacted)
        best = {(side, name): float("inf") for side in ("before", "after") for name in before}
        answers = {}
        for _ in range(args.repeat):
            for name in before:
                for side, sql in (("before", before[name]), ("after", after[name])):
                    seconds, answers[side, name] = timed(sql)
                    best[side, name] = min(best[side, name], seconds)

        print(f"\n{'query':10s} {'uncompacted':>12s} {'compacted':>12s} {'speed-up':>9s}  same answer")
        for name in before:
            t0, t1 = best["before", name], best["after", name]
            same = answers["before", name] == answers["after", name]
            print(f"{name:10s} {t0 * 1000:10.1f}ms {t1 * 1000:10.1f}ms {t0 / t1:8.1f}x  {'yes' if same else 'NO'}")
        if any(answers["before", n] != answers["after", n] for n in before):
            print("ERROR: answers differ after compaction")
    finally:
        if not args.keep:
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(out + "-compacted", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
