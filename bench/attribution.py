"""Speaker attribution quality, measured so that it generalises.

    .venv/bin/python bench/attribution.py [--sets ggt,polnear,own,seed,train] [--errors A|B|polnear|own] [--ablate] [--json]

Runs transforms.analysis.quotes.find_quotes directly on the documents of the gold files in ../shared (the
texts only) and scores them with the official scorer's own matching (../shared/eval/score_quotes.py):

- ggt_dev split by article into half A (even lines) and half B (odd lines): speaker_acc, e2e F1, direct F1
  (the headline IoU >= 0.8 F1) and named-speaker precision, each half on its own, so that a rule written
  from one half's errors is checked on the other;
- PolNeAR dev, the same figures (speaker at mention level: the predicted speaker span overlaps the gold
  mention);
- the project's own canonical-speaker set, tests/fixtures/attribution/articles.jsonl (written for the project);
- the seed article (../shared/data/seed_gold.jsonl, `seed`): quotes found with the right speaker and kind, in the
  quoted-words convention, out of its 16;
- reliability tables (`train`: PolNeAR train and ggt_dev): per confidence bucket, the measured precision of the
  quote span (matches any gold quote) and of the speaker (of matched quotes, the speaker is right);
- `--ablate`: each rule of transforms.analysis.quotes.RULES switched off in turn, with the change it makes
  (all rules on minus that one off) on half A, half B and PolNeAR dev: a rule written from one half's errors
  is kept only if it does not hurt the other.

Without ../shared (a fresh clone without the gold data) it says so and exits 0.

Named-speaker precision: of the matched quotes (any gold kind) whose speaker is a person's name
(speaker_kind "person"), the share naming the right person by the scorer's rules. A wrong name is worse
than none: this is the figure the newsroom relies on.
"""

import argparse
import importlib.util
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
SHARED = os.path.join(os.path.dirname(ROOT), "shared")
OWN = os.path.join(ROOT, "tests", "fixtures", "attribution", "articles.jsonl")

from transforms.analysis import quotes as quotes_module  # noqa: E402
from transforms.analysis.quotes import find_quotes  # noqa: E402


def _scorer():
    spec = importlib.util.spec_from_file_location("score_quotes", os.path.join(SHARED, "eval", "score_quotes.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def predict(gold: dict, sq, min_confidence=None) -> dict:
    """Predictions in the scorer's internal form, with the extra fields kept."""
    out = {}
    for did, doc in gold.items():
        text = doc["text"]
        qs = find_quotes(text) if min_confidence is None else find_quotes(text, min_confidence)
        out[did] = [{"span": sq.norm_span(text, q["start"], q["end"]), "speaker": q["speaker"] or "",
                     "speaker_span": (q["speaker_start"], q["speaker_end"]) if q["speaker_start"] is not None else None,
                     "kind": q["kind"], "q": q} for q in qs]
    return out


def figures(gold: dict, preds: dict, sq) -> dict:
    res = sq.score(gold, preds)
    h = res["levels"]["iou"]
    named = named_ok = 0
    for did, doc in gold.items():
        G, P = doc["quotes"], preds.get(did, [])
        for gi, pi in sq.greedy_match(G, P, "iou"):
            p = P[pi]
            if p["q"].get("speaker_kind", "person" if p["speaker"][:1].isupper() else "") == "person" and p["speaker"]:
                named += 1
                named_ok += sq.speaker_ok(doc["level"], G[gi], p)
    return {"P": h["precision"], "R": h["recall"], "F1": h["f1"], "speaker_acc": h["speaker_acc"],
            "e2e_F1": h["e2e_f1"], "named_prec": named_ok / named if named else 0.0, "named": named,
            "docs": res["docs"], "gold": res["gold_direct"]}


def line(label: str, f: dict) -> str:
    return (f"{label:18s} P={f['P']:.3f} R={f['R']:.3f} direct_F1={f['F1']:.3f} speaker_acc={f['speaker_acc']:.3f} "
            f"e2e_F1={f['e2e_F1']:.3f} named_prec={f['named_prec']:.3f} (named={f['named']}, docs={f['docs']}, "
            f"gold direct={f['gold']})")


def halves(gold: dict) -> tuple[dict, dict]:
    """Half A: the articles on even lines of the file; half B: odd lines."""
    a = {k: v for k, v in gold.items() if v["line"] % 2 == 1}   # line numbers start at 1: line 1 is index 0
    b = {k: v for k, v in gold.items() if v["line"] % 2 == 0}
    return a, b


BUCKETS = ((0.0, 0.8), (0.8, 0.85), (0.85, 0.9), (0.9, 0.95), (0.95, 1.01))


def reliability(gold: dict, preds: dict, sq) -> list[tuple]:
    """(bucket, predictions, span precision, speaker precision on matched, speaker-confidence rows)."""
    rows = {b: [0, 0, 0] for b in BUCKETS}
    spk_rows = {b: [0, 0] for b in BUCKETS}
    for did, doc in gold.items():
        G, P = doc["quotes"], preds.get(did, [])
        matched = dict((pi, gi) for gi, pi in sq.greedy_match(G, P, "iou"))
        for pi, p in enumerate(P):
            c = p["q"]["confidence"]
            b = next(b for b in BUCKETS if b[0] <= c < b[1])
            rows[b][0] += 1
            if pi in matched:
                rows[b][1] += 1
                ok = sq.speaker_ok(doc["level"], G[matched[pi]], p)
                rows[b][2] += ok
                sc = p["q"].get("speaker_confidence")
                if sc is not None:
                    sb = next(b for b in BUCKETS if b[0] <= sc < b[1])
                    spk_rows[sb][0] += 1
                    spk_rows[sb][1] += ok
    return [(b, n, m / n if n else None, ok / m if m else None, spk_rows[b]) for b, (n, m, ok) in rows.items()]


def print_reliability(label: str, table: list) -> None:
    print(f"\nreliability, {label} (confidence bucket: predictions, span precision, speaker precision of matched;"
          f" speaker_confidence bucket: matched, speaker precision)")
    for (lo, hi), n, sp, spk, (sn, sok) in table:
        fmt = lambda x: "  -  " if x is None else f"{x:.3f}"
        print(f"  [{lo:.2f},{min(hi, 1.0):.2f})  quote conf: n={n:5d} span_prec={fmt(sp)} speaker_prec={fmt(spk)}"
              f"   | speaker conf: n={sn:5d} speaker_prec={fmt(sok / sn if sn else None)}")


SEED = os.path.join(SHARED, "data", "seed_gold.jsonl")


def seed_right(sq) -> tuple[int, int]:
    """(quotes right, gold quotes) on the seed article: matched, same kind, right speaker (quoted-words spans)."""
    gold = sq.load_gold(SEED)
    right = total = 0
    for doc in gold.values():
        found = find_quotes(doc["text"], min_confidence=0.75, mixed_spans="quoted")
        preds = [{"span": sq.norm_span(doc["text"], q["start"], q["end"]), "kind": q["kind"],
                  "speaker": q["speaker"] or "", "speaker_span": (q["speaker_start"], q["speaker_end"])} for q in found]
        total += len(doc["quotes"])
        right += sum(1 for gi, pi in sq.greedy_match(doc["quotes"], preds, "iou")
                     if preds[pi]["kind"] == doc["quotes"][gi]["kind"] and sq.speaker_ok(doc["level"], doc["quotes"][gi], preds[pi]))
    return right, total


def ablate(data: dict, sq) -> list[tuple]:
    """(rule, {set: (speaker_acc, e2e_F1, named_prec, direct_F1) change when the rule is on}) per rule."""
    keys = [k for k in ("A", "B", "polnear") if k in data]
    pick = lambda f: (f["speaker_acc"], f["e2e_F1"], f["named_prec"], f["F1"])
    full = {k: pick(figures(data[k], predict(data[k], sq), sq)) for k in keys}
    rows = []
    for rule in quotes_module.RULES:
        quotes_module._OFF.clear()
        quotes_module._OFF.add(rule)
        try:
            off = {k: pick(figures(data[k], predict(data[k], sq), sq)) for k in keys}
        finally:
            quotes_module._OFF.clear()
        rows.append((rule, {k: tuple(a - b for a, b in zip(full[k], off[k])) for k in keys}))
    return rows


def main(argv) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sets", default="ggt,polnear,own,seed,train", help="comma list of ggt, polnear, own, seed, train")
    ap.add_argument("--ablate", action="store_true", help="the change each rule makes on halves A, B and PolNeAR dev")
    ap.add_argument("--errors", help="print speaker errors of one set: A, B, polnear or own")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if not os.path.isdir(os.path.join(SHARED, "data")):
        print(f"skipped: {SHARED}/data not found")
        return 0
    sq = _scorer()
    sets = set(args.sets.split(","))
    report = {}
    ggt = sq.load_gold(os.path.join(SHARED, "data", "quotes", "ggt_dev.jsonl"))
    data = {}
    if "ggt" in sets or args.errors in ("A", "B") or args.ablate:
        a, b = halves(ggt)
        data["A"], data["B"] = a, b
    if "polnear" in sets or args.errors == "polnear" or args.ablate:
        data["polnear"] = sq.load_gold(os.path.join(SHARED, "data", "quotes", "polnear_dev.jsonl"))
    if ("own" in sets or args.errors == "own") and os.path.exists(OWN):
        data["own"] = sq.load_gold(OWN)
    preds = {}
    for key, gold in data.items():
        preds[key] = predict(gold, sq)
        report[key] = figures(gold, preds[key], sq)
        if not args.json:
            print(line({"A": "ggt_dev half A", "B": "ggt_dev half B", "polnear": "PolNeAR dev",
                        "own": "own set"}[key], report[key]), flush=True)
    if "seed" in sets and os.path.exists(SEED):
        right, total = seed_right(sq)
        report["seed"] = {"right": right, "quotes": total}
        if not args.json:
            print(f"seed article       {right}/{total} quotes with the right speaker and kind")
    if args.ablate:
        rows = ablate(data, sq)
        report["ablation"] = {rule: d for rule, d in rows}
        if not args.json:
            print("\nablation: change made by each rule (on minus off): speaker_acc / e2e_F1 / named_prec / direct_F1")
            for rule, d in rows:
                print(f"  {rule:17s} " + "   ".join(
                    f"{k}: " + " ".join(f"{x:+.3f}" for x in v) for k, v in d.items()))
    if "train" in sets:
        pt = sq.load_gold(os.path.join(SHARED, "data", "quotes", "polnear_train.jsonl"))
        for label, gold in (("PolNeAR train", pt), ("ggt_dev", ggt)):
            table = reliability(gold, predict(gold, sq, 0.0), sq)
            report["reliability " + label] = [[list(b), n, sp, spk, s] for b, n, sp, spk, s in table]
            if not args.json:
                print_reliability(label, table)
    if args.errors:
        gold = data[args.errors]
        for did, doc in gold.items():
            G, P = doc["quotes"], preds[args.errors].get(did, [])
            for gi, pi in sq.greedy_match(G, P, "iou"):
                g, p = G[gi], P[pi]
                if not sq.speaker_ok(doc["level"], g, p):
                    t = doc["text"]
                    s, e = p["q"]["start"], p["q"]["end"]
                    print(f"--- {did} [{g['kind']}] gold={g['speaker']!r} pred={p['speaker']!r} "
                          f"kind={p['q'].get('speaker_kind')} conf={p['q'].get('speaker_confidence')}\n"
                          f"    ...{t[max(0, s - 150):s]}[[{t[s:e][:150]}]]{t[e:e + 150]}...".replace("\n", " / "))
    if args.json:
        print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
