"""Score the quote and figure extractors on the gold data in ../shared with the official scorers.

    .venv/bin/python bench/quality.py [--train]

Then bench/attribution.py's lines: speaker accuracy, end-to-end F1 and named-speaker precision on
each half of ggt_dev, PolNeAR dev and the project's own set; --train adds the reliability tables.

Runs `newsbeam extract` on the documents only (id, text and the language), exactly as a user would,
then ../shared/eval/score_quotes.py and score_figures.py on the predictions. A gold document's `lang`
is passed on; the English gold files have none and are passed "en" (they are English: left to
detection, 32 of NewsQuant's 295 short sentences and 1 of objects_dev's 150 are too short to tell
and would go unanalysed, bench/languages.py). numbers_multilingual is scored per language, each
language's documents in a gold file of their own. Skips cleanly without ../shared.
"""

import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared")
MULTILINGUAL = "data/figures/numbers_multilingual_dev.jsonl"
# (label, gold file, scorer, extra `newsbeam extract` arguments, only the documents in this language)
GOLD = [
    ("seed quotes", "data/seed_gold.jsonl", "score_quotes.py"),
    ("seed quotes, quoted words", "data/seed_gold.jsonl", "score_quotes.py",
     "--mixed_quote_spans quoted --min_quote_confidence 0.75"),
    ("seed figures", "data/seed_gold.jsonl", "score_figures.py"),
    ("PolNeAR dev quotes", "data/quotes/polnear_dev.jsonl", "score_quotes.py"),
    ("ggt_dev quotes", "data/quotes/ggt_dev.jsonl", "score_quotes.py"),
    ("NewsQuant dev figures", "data/figures/newsquant_dev.jsonl", "score_figures.py"),
    ("objects_dev figures", "data/figures/objects_dev.jsonl", "score_figures.py"),
    ("de_wikinews dev quotes", "data/quotes/de_wikinews_dev.jsonl", "score_quotes.py"),
    *((f"multilingual {code} figures", MULTILINGUAL, "score_figures.py", "", code)
      for code in ("de", "fr", "es", "pt", "it", "nl")),
    # French and Spanish quotes: no public gold here, newsbeam's own held-out paragraphs (bench/quotes_fr_es.py)
    *((f"own {code} {part} quotes", os.path.join(ROOT, "tests", "fixtures", "quotes", f"{code}_{part}.jsonl"),
       "score_quotes.py") for code in ("fr", "es") for part in ("check", "fresh2")),
]
TRAIN = [("PolNeAR train quotes", "data/quotes/polnear_train.jsonl", "score_quotes.py"),
         ("de_wikinews train quotes", "data/quotes/de_wikinews_train.jsonl", "score_quotes.py")]
# Gold files without `lang` whose documents are all English.
ENGLISH = {"data/seed_gold.jsonl", "data/quotes/polnear_dev.jsonl", "data/quotes/polnear_train.jsonl",
           "data/quotes/ggt_dev.jsonl", "data/figures/newsquant_dev.jsonl", "data/figures/objects_dev.jsonl"}


def score(label: str, gold: str, scorer: str, workdir: str, extra: str = "", only: str | None = None) -> str:
    name = os.path.relpath(gold, SHARED)
    docs, preds = os.path.join(workdir, "docs.jsonl"), os.path.join(workdir, "preds.jsonl")
    if only is not None:   # one language's documents as a gold file of their own
        part = os.path.join(workdir, "gold.jsonl")
        with open(gold, encoding="utf-8") as fin, open(part, "w", encoding="utf-8") as fout:
            fout.writelines(line for line in fin if json.loads(line).get("lang") == only)
        gold = part
    with open(gold, encoding="utf-8") as fin, open(docs, "w", encoding="utf-8") as fout:
        for line in fin:
            doc = json.loads(line)
            lang = doc.get("lang") or ("en" if name in ENGLISH else None)
            fout.write(json.dumps({"id": doc["id"], "text": doc["text"], **({"lang": lang} if lang else {})}) + "\n")
    subprocess.run([sys.executable, "-m", "pipelines.cli", "extract", "--input", docs, "--output", preds, *extra.split()],
                   cwd=ROOT, check=True, capture_output=True)
    result = subprocess.run([sys.executable, os.path.join(SHARED, "eval", scorer), gold, preds],
                            capture_output=True, text=True, check=True)
    lines = result.stdout.strip().splitlines()
    by_kind = [line for line in lines if line.startswith("IoU>=0.8 recall by gold kind")]
    # German indirect speech is half of what the gold marks: its recall is shown too.
    show_kinds = by_kind and (extra or "de_wikinews" in name)
    return f"{label:26s} {lines[-1]}" + (f"\n{'':26s} {by_kind[0]}" if show_kinds else "")


def main(argv: list[str]) -> int:
    if not os.path.isdir(os.path.join(SHARED, "data")):
        print(f"skipped: {SHARED}/data not found (the gold data lives beside the repository)")
        return 0
    sets = GOLD + (TRAIN if "--train" in argv else [])
    with tempfile.TemporaryDirectory() as workdir:
        for label, gold, scorer, *extra in sets:
            print(score(label, os.path.join(SHARED, gold), scorer, workdir, *extra), flush=True)
    # Attribution (speakers): ggt_dev's two halves, named-speaker precision, PolNeAR dev, the
    # project's own set; with --train the reliability tables (confidence -> measured precision).
    print("\nattribution (bench/attribution.py):", flush=True)
    subprocess.run([sys.executable, os.path.join(ROOT, "bench", "attribution.py"),
                    "--sets", "ggt,polnear,own,seed" + (",train" if "--train" in argv else "")], cwd=ROOT, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
