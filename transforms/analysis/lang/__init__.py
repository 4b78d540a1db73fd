"""Language packs: what quotes and figures need to know about a language, kept as data.

One package per language, named by its ISO 639-1 code (`en`, `de`, ...). A pack has a `quotes`
module for the quote finder and a `figures` module for the figure finder; a language may have
either or both. A language without the module a task needs gets nothing from that task: no
quotes or figures are written in a language newsbeam cannot read (never English rules on other
text). Adding a language is adding a pack and its tests.
"""

import functools
import importlib
import importlib.util
import pkgutil

TASKS = ("quotes", "figures")


@functools.cache
def available(task: str) -> frozenset[str]:
    """The languages with a pack for `task` (quotes or figures)."""
    found = set()
    for info in pkgutil.iter_modules(__path__):
        if info.ispkg and importlib.util.find_spec(f"{__name__}.{info.name}.{task}") is not None:
            found.add(info.name)
    return frozenset(found)


@functools.cache
def pack(language: str | None, task: str):
    """The `task` module of `language`'s pack, or None when newsbeam has no rules for it."""
    code = (language or "").lower().split("-")[0]
    if code not in available(task):
        return None
    return importlib.import_module(f"{__name__}.{code}.{task}")
