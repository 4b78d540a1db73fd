"""The enrichment stages: articles -> quotes, articles -> figures, each in the article's language.

An article in a language newsbeam has no rules for (or of unknown language) gets no rows from a
stage; the stage says so on its `not_analysed` output, one manifest fact per article and task
({"fact": "not_analysed", "task", "language", "article_id"}), which the run's manifest counts."""

import functools

import apache_beam as beam
from apache_beam import pvalue

from schemas import PARTITION_COLUMN
from transforms import progress
from transforms.analysis.by_language import UNKNOWN, code_of, figures_in, quotes_in
from transforms.analysis.quotes import DEFAULT_MIN_CONFIDENCE
from transforms.extraction.language import decide_language
from transforms.records import ERRORS, exception_row
from transforms.urls import record_id

NOT_ANALYSED = "not_analysed"


# Declared, so Beam need not infer it by walking the extractors' bytecode (a second per graph).
@beam.typehints.with_output_types(dict)
class _FindFn(beam.DoFn):
    """Runs one pure extractor over each article and stamps its rows with ids and the partition."""

    def __init__(self, table: str, id_field: str, find, run_id: str):
        self.table, self.id_field, self.find, self.run_id = table, id_field, find, run_id

    def process(self, article):
        try:
            language = language_of(article)
            found = self.find(article["text"], language)
        except Exception as exc:  # an extractor bug must cost one article's rows, not the run
            progress.count("errors")
            yield pvalue.TaggedOutput(ERRORS, exception_row(
                self.run_id, f"extract_{self.table}", article["url"], exc, kind="extractor_failed",
                feed_url=article["feed_url"], payload={"article_id": article["article_id"], "url": article["url"]}))
            return
        if found is None:   # no rules for the article's language: nothing written, counted in the manifest
            yield pvalue.TaggedOutput(NOT_ANALYSED, {
                "fact": NOT_ANALYSED, "task": self.table, "article_id": article["article_id"],
                "language": code_of(language) or UNKNOWN})
            return
        progress.count(self.table, len(found))
        for row in found:
            yield {
                **row,
                self.id_field: record_id(article["article_id"], self.table, row["start"], row["end"]),
                "article_id": article["article_id"],
                "run_id": self.run_id,
                PARTITION_COLUMN: article[PARTITION_COLUMN],
            }


class ExtractQuotes(beam.PTransform):
    """Articles -> quote rows (who said what) in each article's language, with `errors` and
    `not_analysed` (the articles in a language without quote rules)."""

    def __init__(self, run_id: str, min_confidence: float = DEFAULT_MIN_CONFIDENCE, mixed_spans: str = "clause"):
        super().__init__()
        self.run_id, self.min_confidence, self.mixed_spans = run_id, min_confidence, mixed_spans

    def expand(self, articles):
        find = functools.partial(_quotes_of, min_confidence=self.min_confidence, mixed_spans=self.mixed_spans)
        return articles | "FindQuotes" >> beam.ParDo(
            _FindFn("quotes", "quote_id", find, self.run_id)).with_outputs(ERRORS, NOT_ANALYSED, main="quotes")


class ExtractFigures(beam.PTransform):
    """Articles -> figure rows (numbers and what they count) in each article's language, with
    `errors` and `not_analysed` (the articles in a language without figure rules)."""

    def __init__(self, run_id: str):
        super().__init__()
        self.run_id = run_id

    def expand(self, articles):
        return articles | "FindFigures" >> beam.ParDo(
            _FindFn("figures", "figure_id", figures_in, self.run_id)).with_outputs(ERRORS, NOT_ANALYSED, main="figures")


def language_of(article: dict) -> str | None:
    """The article's language; one without (a row from before languages were decided, or made by
    hand) is read in the language the text is confidently detected in, else none (not analysed)."""
    return article.get("language") or decide_language([], article.get("text") or "")


def _quotes_of(text: str, language: str | None, min_confidence: float, mixed_spans: str) -> list[dict] | None:
    return quotes_in(text, language, min_confidence, mixed_spans)
