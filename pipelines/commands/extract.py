"""newsbeam extract: quotes and figures of plain-text documents, without Beam."""

import contextlib
import json
import os
import sys

from pipelines.commands.common import ArgParser, Failed, UsageError

SUMMARY = ("--input DOCS.jsonl --output PREDS.jsonl",
           "quotes and figures of plain-text documents")


def main(argv: list[str]) -> int:
    from pipelines.options import confidence_out_of_range
    from transforms.analysis.quotes import MIXED_SPANS
    parser = ArgParser(prog="newsbeam extract",
                       description='Find quotes and figures in plain-text documents: one JSON object per line, '
                                   '{"id": ..., "text": "...", "lang": "de"}, "lang" optional (an ISO 639-1 code '
                                   'such as en, de, fr; "de-AT" is read as de). Without "lang" the language is '
                                   "detected from the text; a text too short to tell, or in a language newsbeam "
                                   'has no rules for, gets no quotes and no figures ("not_analysed" in its '
                                   'prediction). Each prediction is {"id", "language", "quotes", "figures"}. '
                                   "Exits 1 when no line could be read.")
    parser.add_argument("--input", required=True,
                        help='JSON lines with "id", "text" and optionally "lang" (\'-\' for stdin)')
    parser.add_argument("--output", required=True, help="JSON lines of predictions ('-' for stdout)")
    parser.add_argument("--min_quote_confidence", type=float, default=None,
                        help="keep quotes whose construction is at least this precise (default 0.84: "
                             "direct quotes and the most reliable indirect ones)")
    parser.add_argument("--mixed_quote_spans", choices=MIXED_SPANS, default="clause",
                        help="span a mixed quote as its reported clause (default, as PolNeAR annotates it) "
                             "or as the quoted words alone")
    parser.add_argument("--verbose", action="store_true", help="log what happens")
    args = parser.parse_args(argv)
    problem = confidence_out_of_range(args.min_quote_confidence)
    if problem:
        raise UsageError(problem)
    if "-" not in (args.input, args.output) and os.path.realpath(args.input) == os.path.realpath(args.output):
        raise UsageError("--output is the --input file: writing it would erase the documents")
    # Lines are read as bytes and decoded one by one, so that a line that is not UTF-8 is skipped
    # like any other bad line; stdin and stdout are used, not closed.
    try:
        source = contextlib.nullcontext(sys.stdin.buffer) if args.input == "-" else open(args.input, "rb")
    except OSError as exc:
        raise UsageError(f"cannot read --input: {exc.strerror}: {args.input}") from None
    try:
        sink = contextlib.nullcontext(sys.stdout) if args.output == "-" else open(args.output, "w", encoding="utf-8")
    except OSError as exc:
        with source:
            raise UsageError(f"cannot write --output: {exc.strerror}: {args.output}") from None
    settings = {"mixed_spans": args.mixed_quote_spans}
    if args.min_quote_confidence is not None:
        settings["min_confidence"] = args.min_quote_confidence
    with source as lines, sink as out:
        done, failed, not_analysed = extract_lines(lines, out, settings, args.input)
    print(f"newsbeam extract: {done} documents, {failed} skipped", file=sys.stderr)
    if not_analysed:
        print("newsbeam extract: not analysed (no rules for the language): "
              f"{sum(not_analysed.values())} documents (" + ", ".join(f"{k} {v}" for k, v in sorted(
                  not_analysed.items(), key=lambda kv: (-kv[1], kv[0]))) + ")", file=sys.stderr)
    if failed and not done:
        raise Failed(f"no document could be read from {args.input}: it should hold JSON lines, one "
                     '{"id": ..., "text": "..."} object a line (see newsbeam extract --help)')
    return 0


class BadLine(ValueError):
    """A line that is not a document of the input format."""


def extract_lines(lines, out, settings: dict, name: str) -> tuple[int, int, dict]:
    """Predictions for each good line of `lines` written to `out`; (lines done, lines skipped,
    {language or "unknown": documents not analysed, newsbeam having no rules for their language})."""
    done = failed = 0
    not_analysed = {}
    for number, raw in enumerate(lines, 1):
        try:
            line = raw.decode("utf-8-sig")   # a BOM on the first line is not part of the JSON
            if not line.strip():
                continue
            try:
                doc = json.loads(line)
            except json.JSONDecodeError as exc:
                raise BadLine(f"not a JSON object ({exc.msg}): expected one per line, "
                              '{"id": ..., "text": "...", "lang": "de"}') from None
            if not isinstance(doc, dict) or "text" not in doc:
                raise BadLine('no "text": expected one JSON object per line, {"id": ..., "text": "..."}')
            text = doc["text"]
            if not isinstance(text, str):
                raise TypeError("'text' is not a string")
            prediction = predict(doc.get("id"), text, doc.get("lang"), settings)
        except (ValueError, KeyError, TypeError) as exc:   # UnicodeDecodeError is a ValueError
            failed += 1
            reason = exc if isinstance(exc, BadLine) else f"{type(exc).__name__}: {exc}"
            print(f"{name}:{number}: skipped: {reason}", file=sys.stderr)
            continue
        if len(prediction.get("not_analysed", ())) == 2:   # neither quotes nor figures: as the run manifest counts
            key = prediction["language"] or "unknown"
            not_analysed[key] = not_analysed.get(key, 0) + 1
        out.write(json.dumps(prediction, ensure_ascii=False) + "\n")
        done += 1
    return done, failed, not_analysed


def predict(doc_id, text: str, lang, settings: dict) -> dict:
    """One document's prediction in its language (given, else detected); `not_analysed` lists the
    tasks newsbeam has no rules for in that language. A "lang" that is not a language code is an error."""
    from transforms.analysis.by_language import figures_in, quotes_in
    from transforms.extraction.language import decide_language, normalise
    if lang is None:
        language = decide_language([], text)
    else:
        language = normalise(lang) if isinstance(lang, str) else None
        if language is None:
            raise ValueError(f"'lang' is not an ISO 639-1 language code: {lang!r}")
    quotes = quotes_in(text, language, settings.get("min_confidence"), settings.get("mixed_spans", "clause"))
    figures = figures_in(text, language)
    prediction = {"id": doc_id, "language": language, "quotes": quotes or [], "figures": figures or []}
    skipped = [task for task, found in (("quotes", quotes), ("figures", figures)) if found is None]
    if skipped:
        prediction["not_analysed"] = skipped
    return prediction
