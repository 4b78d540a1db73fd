"""Cost of quote and figure extraction against trafilatura's, per article, on the AEB pages.

    .venv/bin/python bench/extractors.py [--repeat N] [--languages]

Times, per page of ../shared/data/extraction/aeb, best of N passes with the contenders taking
turns (the machine is shared: a ratio measured in one run is what to compare):

  trafilatura            its full call with the project's settings and metadata, as it comes
  extraction (stock)     newsbeam's extract_article with trafilatura as it comes
  extraction             newsbeam's extract_article with trafilatura_speedups (what the pipeline runs)
  metadata               its metadata steps on the parsed page: extract_metadata (JSON-LD, meta tags, <h1>,
                         <time>, the URL) with trafilatura's byline search where the page names no author,
                         and htmldate's reading of its markup where it states no date
  quotes, figures        find_quotes and find_figures on the extracted texts

and prints each extractor's ratio to trafilatura (target <= 0.10 each, issues 13 and 14) and to
newsbeam's extraction, and the two together (the older budget, <= 0.15); and the metadata's share
of newsbeam's extraction (target <= 0.10, issue 31), with its three parts: extract_metadata itself,
trafilatura's byline search (page_author, on the pages whose markup names no person) and htmldate
(on the pages stating no date).

--languages times the same on ../shared/data/extraction/fundus_dev (pages of many publishers in
many languages), by the page's language: trafilatura against quotes + figures as the pipeline runs
them (the rules of the article's language; nothing for a language without rules), target <= 0.15 in
every language.
"""

import argparse
import glob
import gzip
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
AEB = os.path.join(os.path.dirname(ROOT), "shared", "data", "extraction", "aeb", "html")

import trafilatura  # noqa: E402

from transforms.analysis.by_language import figures_in, quotes_in  # noqa: E402
from htmldate import find_date  # noqa: E402
from trafilatura.settings import set_date_params  # noqa: E402

from transforms.extraction.articles import (EXTRACT_SETTINGS, NoBody, decode_html, extract_article,  # noqa: E402
                                            page_author, parse_page)
from transforms.extraction.metadata import extract_metadata  # noqa: E402
from transforms.analysis.figures import find_figures  # noqa: E402
from transforms.analysis.quotes import find_quotes  # noqa: E402
from transforms.extraction.trafilatura_speedups import stock_trafilatura  # noqa: E402


def wall_time(fn, items) -> float:
    """Wall time of `fn` over all items."""
    started = time.perf_counter()
    for item in items:
        fn(item)
    return time.perf_counter() - started


def extract_or_empty(html: str) -> str:
    try:
        return extract_article(html, "https://example.com/")["text"]
    except NoBody:
        return ""


def extract_with_stock_trafilatura(html: str) -> str:
    with stock_trafilatura():
        return extract_or_empty(html)


def metadata_of(tree) -> None:
    """The metadata steps of extract_article on a parsed page (parsing is the body's cost too)."""
    meta = extract_metadata(tree, "https://example.com/", byline=lambda: page_author(tree))
    if meta["published_at"] is None:
        find_date(tree, **set_date_params(extensive=False), url="https://example.com/")


def metadata_parts(trees, repeat: int) -> dict[str, tuple[float, int]]:
    """Best-of-`repeat` seconds of each part of metadata_of over the pages it runs on, and how many."""
    metas = [extract_metadata(tree, "https://example.com/") for tree in trees]
    parts = {"extract_metadata": (lambda tree: extract_metadata(tree, "https://example.com/"), trees),
             "byline search": (page_author, [t for t, m in zip(trees, metas) if not m["authors_are_people"]]),
             "htmldate": (lambda tree: find_date(tree, **set_date_params(extensive=False), url="https://example.com/"),
                          [t for t, m in zip(trees, metas) if m["published_at"] is None])}
    best = dict.fromkeys(parts, float("inf"))
    for _ in range(repeat):
        for name, (fn, items) in parts.items():
            best[name] = min(best[name], wall_time(fn, items))
    return {name: (best[name], len(items)) for name, (_, items) in parts.items()}


def trafilatura_full_call(html: str) -> None:
    with stock_trafilatura():
        trafilatura.bare_extraction(html, url="https://example.com/", with_metadata=True, **EXTRACT_SETTINGS)


def by_language(repeat: int) -> int:
    """quotes + figures against trafilatura on fundus_dev, per language of the page."""
    import json
    from collections import defaultdict
    root = os.path.join(os.path.dirname(ROOT), "shared", "data", "extraction", "fundus_dev")
    index = os.path.join(root, "index.jsonl")
    if not os.path.exists(index):
        print(f"skipped: {index} not found (the benchmark corpus lives in ../shared)")
        return 0
    groups = defaultdict(list)
    for line in open(index, encoding="utf-8"):
        page = json.loads(line)
        html = decode_html(gzip.open(os.path.join(root, page["file"])).read(), "text/html; charset=utf-8")
        try:
            article = extract_article(html, page["url"])
        except NoBody:
            continue
        groups[article["language"] or "unknown"].append((html, article["text"], article["language"]))
    print(f"fundus_dev by the language newsbeam gave each page, best of {repeat}")
    print(f"{'language':10s} {'pages':>5s} {'trafilatura':>12s} {'quotes+figures':>15s} {'ratio':>6s}")
    for language, items in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        pages = [html for html, _, _ in items]
        analysis = [(text, lang) for _, text, lang in items]
        best = {"trafilatura": float("inf"), "analysis": float("inf")}
        for _ in range(repeat):
            best["trafilatura"] = min(best["trafilatura"], wall_time(trafilatura_full_call, pages))
            best["analysis"] = min(best["analysis"], wall_time(
                lambda item: (quotes_in(item[0], item[1]), figures_in(item[0], item[1])), analysis))
        ratio = best["analysis"] / best["trafilatura"]
        print(f"{language:10s} {len(items):5d} {1000 * best['trafilatura'] / len(items):9.2f} ms "
              f"{1000 * best['analysis'] / len(items):12.2f} ms {ratio:6.3f}  "
              f"(target <= 0.15: {'met' if ratio <= 0.15 else 'NOT met'})")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--languages", action="store_true", help="fundus_dev by language (see above)")
    args = parser.parse_args()
    if args.languages:
        return by_language(args.repeat)
    paths = sorted(glob.glob(os.path.join(AEB, "*.html.gz")))
    if not paths:
        print(f"skipped: no pages under {AEB} (the benchmark corpus lives in ../shared)")
        return 0
    pages = [decode_html(gzip.open(p).read(), "text/html; charset=utf-8") for p in paths]
    texts = [extract_or_empty(html) for html in pages]
    trees = [parse_page(html) for html in pages]
    n = len(pages)
    # The contenders take turns in each pass, so a burst of load on the shared machine hits them alike.
    contenders = {"trafilatura": (trafilatura_full_call, pages),
                  "extraction (stock)": (extract_with_stock_trafilatura, pages),
                  "extraction": (extract_or_empty, pages), "metadata": (metadata_of, trees),
                  "quotes": (find_quotes, texts),
                  "figures": (find_figures, texts)}
    best = dict.fromkeys(contenders, float("inf"))
    for _ in range(args.repeat):
        for name, (fn, items) in contenders.items():
            best[name] = min(best[name], wall_time(fn, items))
    words = sum(len(t.split()) for t in texts) / n
    print(f"{n} pages, {words:.0f} words per extracted article, best of {args.repeat}")
    for name, seconds in best.items():
        print(f"{name:20s} {1000 * seconds / n:7.2f} ms/article")
    print(f"extraction / extraction (stock) = {best['extraction'] / best['extraction (stock)']:.3f}  "
          f"(trafilatura_speedups; the texts are the same, tests/test_trafilatura_speedups.py)")
    for name in ("quotes", "figures"):
        ratio = best[name] / best["trafilatura"]
        print(f"{name} / trafilatura = {ratio:.3f}  (target <= 0.10: {'met' if ratio <= 0.10 else 'NOT met'}), "
              f"/ newsbeam's extraction = {best[name] / best['extraction']:.3f}")
    ratio = best["metadata"] / best["extraction"]
    print(f"metadata / newsbeam's extraction = {ratio:.3f}  (target <= 0.10: {'met' if ratio <= 0.10 else 'NOT met'})"
          f", / trafilatura = {best['metadata'] / best['trafilatura']:.3f}")
    print("  metadata's parts: " + ", ".join(f"{name} {1000 * seconds / n:.2f} ms/article ({pages} pages)"
                                             for name, (seconds, pages) in metadata_parts(trees, args.repeat).items()))
    ratio = (best["quotes"] + best["figures"]) / best["trafilatura"]
    print(f"(quotes + figures) / trafilatura = {ratio:.3f}  (target <= 0.15: {'met' if ratio <= 0.15 else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
