"""The gate between an article's language and the rules that read it: quotes and figures are only
found in a language newsbeam has rules for (DESIGN.md, "Languages"; never English rules on other text).

quotes_in and figures_in are pure: the rows found, [] when there are none, and None when newsbeam has
no rules for the language (unknown included): then nothing is written and the article is counted as
not analysed. English quotes come from transforms/analysis/quotes.py (English has no quotes pack);
other languages' quotes from the finder their quotes pack names: transforms/analysis/reported_speech.py
(German), transforms/analysis/quote_edges.py (`FINDER = "quote_edges"`: French, Spanish);
figures from transforms/analysis/figures.py for English and each language with a figures pack.
"""

from transforms.analysis import lang

UNKNOWN = "unknown"   # how an article without a language is counted


def code_of(language: str | None) -> str | None:
    """ "de-AT" -> "de"; None for nothing."""
    if not isinstance(language, str):
        return None
    code = language.strip().lower().replace("_", "-").split("-")[0]
    return code or None


def has_rules(language: str | None, task: str) -> bool:
    """Whether newsbeam can run `task` ("quotes" or "figures") on text in `language`."""
    code = code_of(language)
    if code is None:
        return False
    return code == "en" or lang.pack(code, task) is not None


def tasks_without_rules(language: str | None) -> tuple[str, ...]:
    """The tasks newsbeam has no rules for in `language` (all of them for an unknown language)."""
    return tuple(task for task in lang.TASKS if not has_rules(language, task))


def quotes_in(text: str, language: str | None, min_confidence: float | None = None,
              mixed_spans: str = "clause") -> list[dict] | None:
    """The quotes of `text` in `language`, or None when newsbeam has no quote rules for it.
    `min_confidence` None is each finder's own default; `mixed_spans` is English's (quotes.py)."""
    code = code_of(language)
    if code is None:
        return None
    if code == "en":
        from transforms.analysis.quotes import find_quotes
        settings = {"mixed_spans": mixed_spans}
        if min_confidence is not None:
            settings["min_confidence"] = min_confidence
        return find_quotes(text, **settings)
    quotes_pack = lang.pack(code, "quotes")
    if quotes_pack is None:
        return None
    if getattr(quotes_pack, "FINDER", None) == "quote_edges":
        from transforms.analysis.quote_edges import find_quotes
    else:
        from transforms.analysis.reported_speech import find_quotes
    if min_confidence is None:
        return find_quotes(text, quotes_pack)
    return find_quotes(text, quotes_pack, min_confidence=min_confidence)


def figures_in(text: str, language: str | None) -> list[dict] | None:
    """The figures of `text` in `language`, or None when newsbeam has no figure rules for it."""
    code = code_of(language)
    if not has_rules(code, "figures"):
        return None
    from transforms.analysis.figures import find_figures
    return find_figures(text, language=code)
