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
                       description='Find quotes and figures in plain-text documents ({"id", "text"} per line). '
                                   "Exits 1 when no line could be read.")
    parser.add_argument("--input", required=True, help="JSON lines with id and text ('-' for stdin)")
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
        done, failed = extract_lines(lines, out, settings, args.input)
    print(f"newsbeam extract: {done} documents, {failed} skipped", file=sys.stderr)
    if failed and not done:
        raise Failed(f"no document could be read from {args.input}")
    return 0


def extract_lines(lines, out, settings: dict, name: str) -> tuple[int, int]:
    """Predictions for each good line of `lines` written to `out`; (lines done, lines skipped)."""
    from transforms.analysis.figures import find_figures
    from transforms.analysis.quotes import find_quotes
    done = failed = 0
    for number, raw in enumerate(lines, 1):
        try:
            line = raw.decode("utf-8-sig")   # a BOM on the first line is not part of the JSON
            if not line.strip():
                continue
            doc = json.loads(line)
            text = doc["text"]
            if not isinstance(text, str):
                raise TypeError("'text' is not a string")
            prediction = {"id": doc.get("id"), "quotes": find_quotes(text, **settings), "figures": find_figures(text)}
        except (ValueError, KeyError, TypeError) as exc:   # UnicodeDecodeError is a ValueError
            failed += 1
            print(f"{name}:{number}: skipped: {type(exc).__name__}: {exc}", file=sys.stderr)
            continue
        out.write(json.dumps(prediction, ensure_ascii=False) + "\n")
        done += 1
    return done, failed
