"""The enrichment stages: articles -> quotes, articles -> figures."""

import functools

import apache_beam as beam
from apache_beam import pvalue

from schemas import PARTITION_COLUMN
from transforms import progress
from transforms.analysis.figures import find_figures
from transforms.analysis.quotes import DEFAULT_MIN_CONFIDENCE, find_quotes
from transforms.records import ERRORS, exception_row
from transforms.urls import record_id


# Declared, so Beam need not infer it by walking the extractors' bytecode (a second per graph).
@beam.typehints.with_output_types(dict)
class _FindFn(beam.DoFn):
    """Runs one pure extractor over each article and stamps its rows with ids and the partition."""

    def __init__(self, table: str, id_field: str, find, run_id: str):
        self.table, self.id_field, self.find, self.run_id = table, id_field, find, run_id

    def process(self, article):
        try:
            found = self.find(article["text"])
        except Exception as exc:  # an extractor bug must cost one article's rows, not the run
            progress.count("errors")
            yield pvalue.TaggedOutput(ERRORS, exception_row(
                self.run_id, f"extract_{self.table}", article["url"], exc, kind="extractor_failed",
                feed_url=article["feed_url"], payload={"article_id": article["article_id"], "url": article["url"]}))
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
    """Articles -> quote rows (who said what), with `errors`."""

    def __init__(self, run_id: str, min_confidence: float = DEFAULT_MIN_CONFIDENCE, mixed_spans: str = "clause"):
        super().__init__()
        self.run_id, self.min_confidence, self.mixed_spans = run_id, min_confidence, mixed_spans

    def expand(self, articles):
        find = functools.partial(find_quotes, min_confidence=self.min_confidence, mixed_spans=self.mixed_spans)
        return articles | "FindQuotes" >> beam.ParDo(
            _FindFn("quotes", "quote_id", find, self.run_id)).with_outputs(ERRORS, main="quotes")


class ExtractFigures(beam.PTransform):
    """Articles -> figure rows (numbers and what they count), with `errors`."""

    def __init__(self, run_id: str):
        super().__init__()
        self.run_id = run_id

    def expand(self, articles):
        return articles | "FindFigures" >> beam.ParDo(
            _FindFn("figures", "figure_id", find_figures, self.run_id)).with_outputs(ERRORS, main="figures")
