"""German quote extraction against the de_wikinews gold files: the scorer's summary for train and dev.

    .venv/bin/python bench/quotes_de.py [--split train|dev|both] [--keep DIR]

Runs `transforms.analysis.reported_speech.find_quotes` with the `de` pack over each gold document's id and
text only, writes the predictions to a temporary file and prints `score_quotes.py`'s summary (and the
indirect recall line), plus the CPU time (time.process_time) spent per article: the machine may be shared,
and a `speakers:` line on what the scorer does not see (speaker ids, source phrases typed person).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from transforms.analysis.lang import pack  # noqa: E402
from transforms.analysis.reported_speech import find_quotes  # noqa: E402

SHARED = os.path.join(os.path.dirname(ROOT), "shared")
DATA = os.path.join(SHARED, "data", "quotes")
SCORER = os.path.join(SHARED, "eval", "score_quotes.py")
SOURCE_PHRASE_NOUNS = frozenset(pack("de", "quotes").ACCORDING_NOUNS)
PRONOUNS = frozenset(pack("de", "quotes").PRONOUNS)
FIELDS = ("start", "end", "text", "speaker", "cue", "kind", "speaker_start", "speaker_end")


def write_and_score(gold: str, preds: list[tuple[str, list[dict]]], path: str, scorer: str = SCORER):
    """Write predictions ([(doc id, quotes)]) as the scorer reads them to path and run the scorer on them."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        for i, qs in preds:
            f.write(json.dumps({"id": i, "quotes": [{k: q[k] for k in FIELDS} for q in qs]},
                               ensure_ascii=False) + "\n")
    return subprocess.run([sys.executable, scorer, gold, path], capture_output=True, text=True)


def run(split: str, keep: str | None) -> None:
    gold = f"{DATA}/de_wikinews_{split}.jsonl"
    docs = []
    with open(gold, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            docs.append((d["id"], d["text"]))
    de = pack("de", "quotes")
    t0 = time.process_time()
    preds = [(i, find_quotes(t, de)) for i, t in docs]
    ms = (time.process_time() - t0) * 1000 / max(1, len(docs))
    out_dir = keep or tempfile.mkdtemp(prefix="quotes_de_")
    res = write_and_score(gold, preds, os.path.join(out_dir, f"pred_{split}.jsonl"))
    lines = res.stdout.strip().splitlines()
    print(f"== {split}: {len(docs)} articles, {ms:.2f} ms CPU/article")
    for line in lines:
        if "recall by gold kind" in line or line.startswith("quotes:"):
            print(line)
    if res.returncode:
        print(res.stderr, file=sys.stderr)
    print(speaker_ids_line(preds))


def speaker_ids_line(preds: list[tuple[str, list[dict]]]) -> str:
    """What the scorer does not see of the speakers: how many carry a speaker_id, how many are source phrases
    typed as a person ("Angaben der Polizei"), how often one name gets several ids within an article, and how
    many different single words are typed person (a word alone is a name only if the article says so:
    "Registerauszug" is none; print them with NEWSBEAM_LIST_ONE_WORD=1 to read them)."""
    named = with_id = phrase_as_person = split = 0
    one_word = set()
    for _, quotes in preds:
        ids_by_name = {}
        for q in quotes:
            if q["speaker"] is None:
                continue
            named += 1
            last = q["speaker"].split()[-1].strip("()")
            phrase_as_person += q["speaker_kind"] == "person" and last.lower() in SOURCE_PHRASE_NOUNS
            if q["speaker_kind"] == "person" and " " not in q["speaker"].strip() and \
                    q["speaker"].lower() not in PRONOUNS:
                one_word.add(q["speaker"])
            if q["speaker_id"]:
                with_id += 1
                ids_by_name.setdefault(last, set()).add(q["speaker_id"])
        split += sum(len(ids) > 1 for ids in ids_by_name.values())
    return (f"speakers: {with_id} of {named} with a speaker_id, {phrase_as_person} source phrases typed person, "
            f"{split} names with several ids in one article, {len(one_word)} single words typed person"
            + (f" ({' '.join(sorted(one_word))})" if os.environ.get("NEWSBEAM_LIST_ONE_WORD") else ""))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=("train", "dev", "both"), default="both")
    ap.add_argument("--keep", help="write the predictions into this directory")
    a = ap.parse_args()
    if not os.path.isdir(DATA):
        print(f"skipped: {DATA} not found (the gold data lives beside the repository)")
        return
    for split in (("train", "dev") if a.split == "both" else (a.split,)):
        run(split, a.keep)


if __name__ == "__main__":
    main()
