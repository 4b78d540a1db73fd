"""Article body and metadata on fundus_dev: newsbeam next to stock trafilatura, scored by score_articles.py.

    .venv/bin/python bench/articles.py [--out DIR] [--errors [A|B]]

For every page of ../shared/data/extraction/fundus_dev (gold title, authors, publishing date and body of
fundus' per-publisher parsers) it runs
  newsbeam      transforms.extraction.articles.extract_article (what `newsbeam run` keeps of a page:
                title, authors, published_at, text), the page's crawl date as the fetch time
  trafilatura   stock trafilatura's bare_extraction with its default settings and metadata
writes one prediction file each (DIR/newsbeam.jsonl, DIR/trafilatura.jsonl), runs
../shared/eval/score_articles.py on them (its summary line is printed as it comes), and prints per
language group (de, en, other) title, authors F1, date and body F1 of both, then the same for a split of
the publishers into two halves A and B (by a hash of the publisher's name: rules tuned while looking
at A are checked on B, publishers never looked at). --errors lists newsbeam's wrong titles, authors,
dates and bodies under F1 0.9 (--errors A: of half A only). Skips cleanly without ../shared.
"""

import argparse
import gzip
import hashlib
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
SHARED = os.path.join(os.path.dirname(ROOT), "shared")
FUNDUS = os.path.join(SHARED, "data", "extraction", "fundus_dev")
SCORER = os.path.join(SHARED, "eval", "score_articles.py")

import trafilatura  # noqa: E402

from transforms.extraction.articles import NoBody, decode_html, extract_article  # noqa: E402
from transforms.extraction.trafilatura_speedups import stock_trafilatura  # noqa: E402


def load_index() -> list[dict]:
    with open(os.path.join(FUNDUS, "index.jsonl"), encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def page_html(rec: dict) -> str:
    with gzip.open(os.path.join(FUNDUS, rec["file"]), "rb") as f:
        return decode_html(f.read(), "text/html")


def fetch_time(rec: dict) -> str | None:
    crawl = rec.get("crawl_date")
    return crawl.replace(" ", "T") + ("" if "+" in crawl[10:] else "+00:00") if crawl else None


def newsbeam_prediction(rec: dict, html: str) -> dict:
    try:
        art = extract_article(html, rec["url"], fetched_at=fetch_time(rec))
    except NoBody:
        return {"id": rec["id"], "text": "", "title": None, "authors": [], "date": None}
    return {"id": rec["id"], "text": art["text"], "title": art["title"], "authors": art["authors"],
            "date": art["published_at"]}


def trafilatura_prediction(rec: dict, html: str) -> dict:
    with stock_trafilatura():
        doc = trafilatura.bare_extraction(html, url=rec["url"], with_metadata=True)
    if doc is None:
        return {"id": rec["id"], "text": "", "title": None, "authors": [], "date": None}
    authors = [a.strip() for a in (doc.author or "").split(";") if a.strip()]
    return {"id": rec["id"], "text": doc.text or "", "title": doc.title, "authors": authors, "date": doc.date}


def load_scorer():
    spec = importlib.util.spec_from_file_location("score_articles", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def half(publisher: str) -> str:
    return "A" if hashlib.sha1(publisher.encode()).digest()[0] % 2 == 0 else "B"


def figures(scorer, recs, preds) -> dict:
    res = scorer.score_system(recs, preds)
    return {"pages": len(recs), "title": res["title"], "authors": res["authors"], "date": res["date"],
            "body": res["body"]}


def table(scorer, label_recs, systems):
    print(f"{'':14} {'pages':>5}  {'title':>13}  {'authors F1':>13}  {'date':>13}  {'body F1':>13}")
    print(f"{'':14} {'':>5}  " + "  ".join(f"{'nb':>6} {'traf':>6}" for _ in range(4)))
    for label, recs in label_recs:
        if not recs:
            continue
        rows = [figures(scorer, recs, preds) for preds in systems]
        cells = "  ".join(f"{rows[0][k]:6.3f} {rows[1][k]:6.3f}" for k in ("title", "authors", "date", "body"))
        print(f"{label:14} {len(recs):5d}  {cells}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", help="where to write the prediction files (default: a temporary folder)")
    ap.add_argument("--errors", nargs="?", const="AB", choices=("A", "B", "AB"),
                    help="list newsbeam's wrong titles, authors, dates and poor bodies (of half A or B only: "
                         "look at the half you tune on)")
    a = ap.parse_args()
    if not os.path.exists(os.path.join(FUNDUS, "index.jsonl")):
        print(f"skipped: {FUNDUS} not found")
        return 0
    recs = load_index()
    out = a.out or tempfile.mkdtemp(prefix="newsbeam-articles-")
    os.makedirs(out, exist_ok=True)
    preds = {"newsbeam": {}, "trafilatura": {}}
    seconds = {"newsbeam": 0.0, "trafilatura": 0.0}
    for rec in recs:
        html = page_html(rec)
        for name, fn in (("newsbeam", newsbeam_prediction), ("trafilatura", trafilatura_prediction)):
            started = time.perf_counter()
            preds[name][rec["id"]] = fn(rec, html)
            seconds[name] += time.perf_counter() - started
    for name, by_id in preds.items():
        path = os.path.join(out, f"{name}.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            for p in by_id.values():
                f.write(json.dumps(p, ensure_ascii=False) + "\n")
        line = subprocess.run([sys.executable, SCORER, os.path.join(FUNDUS, "index.jsonl"), path],
                              capture_output=True, text=True).stdout.strip().splitlines()
        print(f"{name:12} {seconds[name]:6.1f} s  {line[-1] if line else '(scorer printed nothing)'}")
    print(f"predictions in {out}\n")
    scorer = load_scorer()
    systems = [preds["newsbeam"], preds["trafilatura"]]
    group = scorer.lang_group
    print("by language group (nb = newsbeam, traf = stock trafilatura)")
    table(scorer, [(g, [r for r in recs if group(r["lang"]) == g]) for g in ("de", "en", "other")] + [("all", recs)],
          systems)
    print("\nby publisher half (A: tuned on, B: held out)")
    split = []
    for h in ("A", "B"):
        part = [r for r in recs if half(r["publisher"]) == h]
        split.append((f"{h} ({len({r['publisher'] for r in part})} publ.)", part))
        split += [(f"  {h} {g}", [r for r in part if group(r["lang"]) == g]) for g in ("de", "en", "other")]
    table(scorer, split, systems)
    if a.errors:
        print("\nnewsbeam's misses")
        for rec in (r for r in recs if half(r["publisher"]) in a.errors):
            p, g = preds["newsbeam"][rec["id"]], rec["gold"]
            if g.get("title") and scorer.norm(p["title"]) != scorer.norm(g["title"]):
                print(f"TITLE  {half(rec['publisher'])} {rec['id']}: {p['title']!r} != {g['title']!r}")
            ga = {scorer.norm(x) for x in g.get("authors") or []}
            if ga and ga != {scorer.norm(x) for x in p["authors"]}:
                print(f"AUTHOR {half(rec['publisher'])} {rec['id']}: {p['authors']} != {g['authors']}")
            gd = scorer.gold_date(rec)
            if gd and not scorer.date_ok(gd, p["date"]):
                print(f"DATE   {half(rec['publisher'])} {rec['id']}: {p['date']} != {gd}")
            f1 = scorer.body_prf(g["body"], p["text"])[2]
            if f1 < 0.9:
                print(f"BODY   {half(rec['publisher'])} {rec['id']}: F1 {f1:.2f} "
                      f"(trafilatura {scorer.body_prf(g['body'], preds['trafilatura'][rec['id']]['text'])[2]:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
