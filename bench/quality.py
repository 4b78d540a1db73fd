"""Score the quote and figure extractors on the gold data in ../shared with the official scorers.

    .venv/bin/python bench/quality.py [--train]

Runs `newsbeam extract` on the documents only (id + text), exactly as a user would, then
../shared/eval/score_quotes.py and score_figures.py on the predictions. Skips cleanly
without ../shared.
"""

import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared")
# (label, gold file, scorer, extra `newsbeam extract` arguments)
GOLD = [
    ("seed quotes", "data/seed_gold.jsonl", "score_quotes.py"),
    ("seed quotes, quoted words", "data/seed_gold.jsonl", "score_quotes.py",
     "--mixed_quote_spans quoted --min_quote_confidence 0.75"),
    ("seed figures", "data/seed_gold.jsonl", "score_figures.py"),
    ("PolNeAR dev quotes", "data/quotes/polnear_dev.jsonl", "score_quotes.py"),
    ("ggt_dev quotes", "data/quotes/ggt_dev.jsonl", "score_quotes.py"),
    ("NewsQuant dev figures", "data/figures/newsquant_dev.jsonl", "score_figures.py"),
    ("objects_dev figures", "data/figures/objects_dev.jsonl", "score_figures.py"),
]
TRAIN = [("PolNeAR train quotes", "data/quotes/polnear_train.jsonl", "score_quotes.py")]


def score(label: str, gold: str, scorer: str, workdir: str, extra: str = "") -> str:
    docs, preds = os.path.join(workdir, "docs.jsonl"), os.path.join(workdir, "preds.jsonl")
    with open(gold, encoding="utf-8") as fin, open(docs, "w", encoding="utf-8") as fout:
        for line in fin:
            doc = json.loads(line)
            fout.write(json.dumps({"id": doc["id"], "text": doc["text"]}) + "\n")
    subprocess.run([sys.executable, "-m", "pipelines.cli", "extract", "--input", docs, "--output", preds, *extra.split()],
                   cwd=ROOT, check=True, capture_output=True)
    result = subprocess.run([sys.executable, os.path.join(SHARED, "eval", scorer), gold, preds],
                            capture_output=True, text=True, check=True)
    lines = result.stdout.strip().splitlines()
    by_kind = [line for line in lines if line.startswith("IoU>=0.8 recall by gold kind")]
    return f"{label:26s} {lines[-1]}" + (f"\n{'':26s} {by_kind[0]}" if by_kind and extra else "")


def main(argv: list[str]) -> int:
    if not os.path.isdir(os.path.join(SHARED, "data")):
        print(f"skipped: {SHARED}/data not found (the gold data lives beside the repository)")
        return 0
    sets = GOLD + (TRAIN if "--train" in argv else [])
    with tempfile.TemporaryDirectory() as workdir:
        for label, gold, scorer, *extra in sets:
            print(score(label, os.path.join(SHARED, gold), scorer, workdir, *extra), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
