"""Cost of quote and figure extraction against trafilatura's, per article, on the AEB pages.

    .venv/bin/python bench/extractors.py [--repeat N]

Times, per page of ../shared/data/extraction/aeb, best of N passes with the contenders taking
turns (the machine is shared: a ratio measured in one run is what to compare):

  trafilatura            its full call with the project's settings and metadata, as it comes
  extraction (stock)     newsbeam's extract_article with trafilatura as it comes
  extraction             newsbeam's extract_article with trafilatura_speedups (what the pipeline runs)
  quotes, figures        find_quotes and find_figures on the extracted texts

and prints each extractor's ratio to trafilatura (target <= 0.10 each, issues 13 and 14) and to
newsbeam's extraction, and the two together (the older budget, <= 0.15).
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

from transforms.extraction.articles import EXTRACT_SETTINGS, NoBody, decode_html, extract_article  # noqa: E402
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


def trafilatura_full_call(html: str) -> None:
    with stock_trafilatura():
        trafilatura.bare_extraction(html, url="https://example.com/", with_metadata=True, **EXTRACT_SETTINGS)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    paths = sorted(glob.glob(os.path.join(AEB, "*.html.gz")))
    if not paths:
        print(f"skipped: no pages under {AEB} (the benchmark corpus lives in ../shared)")
        return 0
    pages = [decode_html(gzip.open(p).read(), "text/html; charset=utf-8") for p in paths]
    texts = [extract_or_empty(html) for html in pages]
    n = len(pages)
    # The contenders take turns in each pass, so a burst of load on the shared machine hits them alike.
    contenders = {"trafilatura": (trafilatura_full_call, pages),
                  "extraction (stock)": (extract_with_stock_trafilatura, pages),
                  "extraction": (extract_or_empty, pages), "quotes": (find_quotes, texts),
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
    ratio = (best["quotes"] + best["figures"]) / best["trafilatura"]
    print(f"(quotes + figures) / trafilatura = {ratio:.3f}  (target <= 0.15: {'met' if ratio <= 0.15 else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
