"""French and Spanish quotes against newsbeam's own annotated paragraphs: the scorer's summary per language and part.

    .venv/bin/python bench/quotes_fr_es.py [--part tune|check|fresh|fresh2|all] [--keep DIR]

No public gold exists here for these languages, so tests/fixtures/quotes/{fr,es}_<part>.jsonl were written
for newsbeam: invented news paragraphs with their direct quotations and speakers as written, annotated by
helper sessions that never saw the finder's rules. In the order they were used:
  tune    the rules were written from its errors;
  check   written with `tune` from the same list of patterns (new wording of known constructions);
          scored, never read;
  fresh   written later by another session in free journalistic style, without that list; scored once
          (the first figures in bench/README.md), then its errors were read and rules added from them;
  fresh2  written like `fresh` by a third session; scored once, at the end, never read: the honest figure.
Each document is read through `by_language.quotes_in(text, lang)`, the path `newsbeam run` takes, and
scored with the shared scorer at mention level (score_quotes.py); the named-speaker precision (of the
matched quotes given a speaker, the share whose speaker is right) is printed too.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from quotes_de import write_and_score  # noqa: E402  (bench/, the script's own directory)
from transforms.analysis.by_language import quotes_in  # noqa: E402

DATA = os.path.join(ROOT, "tests", "fixtures", "quotes")
SCORER = os.path.join(os.path.dirname(ROOT), "shared", "eval", "score_quotes.py")
PARTS = ("tune", "check", "fresh", "fresh2")


def run(lang: str, part: str, keep: str | None, scorer: str) -> None:
    gold = os.path.join(DATA, f"{lang}_{part}.jsonl")
    with open(gold, encoding="utf-8") as f:
        docs = [json.loads(line) for line in f if line.strip()]
    t0 = time.process_time()
    preds = [(d["id"], quotes_in(d["text"], lang) or []) for d in docs]
    ms = (time.process_time() - t0) * 1000 / max(1, len(docs))
    out_dir = keep or tempfile.mkdtemp(prefix="quotes_fr_es_")
    res = write_and_score(gold, preds, os.path.join(out_dir, f"pred_{lang}_{part}.jsonl"), scorer)
    print(f"== {lang} {part}: {len(docs)} documents, {ms:.2f} ms CPU/document")
    for line in res.stdout.strip().splitlines():
        if line.startswith("quotes:"):
            print(line)
    if res.returncode:
        print(res.stderr, file=sys.stderr)
        return
    named, right = named_speakers(docs, dict(preds), scorer)
    print(f"named speakers: {right}/{named} right ({right / max(1, named):.3f})")


def named_speakers(docs, preds, scorer) -> tuple[int, int]:
    """Of the quotes matched to a gold quote (IoU >= 0.8, the scorer's own matching) that were given a
    speaker: how many, and how many of those the scorer counts right."""
    sys.path.insert(0, os.path.dirname(scorer))
    import score_quotes as sq
    named = right = 0
    for d in docs:
        text = d["text"]
        for g in d["quotes"]:
            gold_span = sq.norm_span(text, g["start"], g["end"])
            match = next((p for p in preds[d["id"]]
                          if sq.iou(gold_span, sq.norm_span(text, p["start"], p["end"])) >= 0.8), None)
            if match is None or not match["speaker"]:
                continue
            named += 1
            right += sq.speaker_ok("mention", {"speaker": g["speaker"] or "",
                                               "speaker_spans": [tuple(x) for x in g["speaker_spans"]]},
                                   {"speaker": match["speaker"],
                                    "speaker_span": (match["speaker_start"], match["speaker_end"])})
    return named, right


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--part", choices=(*PARTS, "all"), default="all")
    ap.add_argument("--keep", help="write the predictions into this directory")
    ap.add_argument("--scorer", default=SCORER)
    a = ap.parse_args()
    if not os.path.exists(a.scorer):
        print(f"skipped: {a.scorer} not found (the scorer lives beside the repository)")
        return
    for lang in ("fr", "es"):
        for part in (PARTS if a.part == "all" else (a.part,)):
            run(lang, part, a.keep, a.scorer)


if __name__ == "__main__":
    main()
