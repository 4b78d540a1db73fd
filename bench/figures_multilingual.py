"""Figures in other languages: value F1 and value+unit F1 per language on a multilingual gold file.

    .venv/bin/python bench/figures_multilingual.py [GOLD] [--part all|tune|held]

GOLD defaults to ../shared/data/figures/numbers_multilingual_dev.jsonl (one document a line with `lang`).
`--part tune` keeps the even-numbered documents of each language (0, 2, 4, ... in file order: the part the rules
were tuned on), `--part held` the odd-numbered ones (held out); the file is ordered by kind of case, so
alternating keeps the mix of plain numbers, money, percentages and measures the same in both parts.
Each document is read with find_figures(text, language=doc["lang"]); the gold is split by language into
temporary files and scored with the shared scorer (score_figures.py --json).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from transforms.analysis.figures import find_figures  # noqa: E402

SHARED = os.path.join(os.path.dirname(ROOT), "shared")
GOLD = os.path.join(SHARED, "data", "figures", "numbers_multilingual_dev.jsonl")
SCORER = os.path.join(SHARED, "eval", "score_figures.py")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", nargs="?", default=GOLD)
    parser.add_argument("--part", choices=("all", "tune", "held"), default="all")
    parser.add_argument("--scorer", default=SCORER)
    args = parser.parse_args(argv)
    if not os.path.exists(args.gold):
        print(f"skipped: {args.gold} not found (the gold data lives beside the repository)")
        return 0
    by_lang = {}
    with open(args.gold, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                doc = json.loads(line)
                by_lang.setdefault(doc["lang"], []).append(doc)
    print(f"{'lang':<5} {'docs':>5} {'value_F1':>9} {'unit_F1':>8} {'ms/doc':>7}")
    with tempfile.TemporaryDirectory() as tmp:
        for lang, docs in sorted(by_lang.items()):
            docs = docs[0::2] if args.part == "tune" else docs[1::2] if args.part == "held" else docs
            gold_path, pred_path = os.path.join(tmp, f"{lang}.gold.jsonl"), os.path.join(tmp, f"{lang}.pred.jsonl")
            started = time.perf_counter()
            with open(gold_path, "w", encoding="utf-8") as g, open(pred_path, "w", encoding="utf-8") as p:
                for doc in docs:
                    g.write(json.dumps(doc, ensure_ascii=False) + "\n")
                    figures = find_figures(doc["text"], language=lang)
                    p.write(json.dumps({"id": doc["id"], "figures": figures}, ensure_ascii=False) + "\n")
            elapsed = (time.perf_counter() - started) / max(1, len(docs)) * 1000
            run = subprocess.run([sys.executable, args.scorer, gold_path, pred_path, "--json"],
                                 capture_output=True, text=True, check=True)
            res = json.loads(run.stdout)
            value, unit = res["levels"]["value"]["f1"], res["levels"]["value_unit"]["f1"]
            print(f"{lang:<5} {len(docs):>5} {value:>9.3f} {unit:>8.3f} {elapsed:>7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
