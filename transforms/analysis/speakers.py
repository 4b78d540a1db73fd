"""Speakers across articles: a stable id for the canonical speaker of a quote.

Quote extraction gives each quote the full name the article introduced ("Kerry" -> "John Kerry"), so the
same person quoted in several articles carries one name; its normalised form (no titles, accents, case or
punctuation) hashed gives `quotes.speaker_id`, which the DuckDB view `speakers` groups on. Organisations get
one the same way. Unresolved speakers ("he", "a spokesperson", "the post") get none: they name nobody; nor does a pair quoted
together ("Ana Ruiz and Tom Lee").
"""

from __future__ import annotations

import functools
import hashlib
import unicodedata

import regex as re

__all__ = ["speaker_id", "normalise_speaker"]

# Leading words that are titles, roles or articles, never part of who someone is.
_TITLES = frozenset("""the mr mrs ms miss mx dr prof sen rep gov lt gen col maj capt sgt adm rev sir dame lord lady hon
president vice premier prime minister mayor chief justice judge senator governor secretary state coach officer
commissioner director professor pope king queen prince princess chairman chairwoman chair speaker leader ambassador
attorney general spokesman spokeswoman spokesperson candidate nominee sheriff detective representative congressman
congresswoman councillor councilman councilwoman delegate deputy former acting interim mp mpp const constable insp
supt cpl""".split())
# Last words that make "X and Y" one organisation ("Harlow Bread and Butter Company").
_ORG_TAILS = frozenset("""company co corp corporation inc ltd llc group association society council institute
foundation partners sons brothers bank trust union party club""".split())
_SUFFIXES = frozenset("jr sr ii iii iv".split())
_PRONOUNS = frozenset("he she they it we i you".split())
_TOKEN = re.compile(r"[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*")


def normalise_speaker(name: str | None) -> str | None:
    """The key of a canonical speaker name: "Secretary of State John Kerry" and "John Kerry" -> "john kerry";
    None for a pronoun or a description ("the spokesman", "a citizen")."""
    if not name or not name.strip():
        return None
    first = name.strip()[0]
    if not first.isupper() and not first.isdigit():
        return None   # a description, not a name
    parts = name.split(" and ")
    if len(parts) == 2 and all(len(p.split()) >= 2 and p.split()[0][:1].isupper() for p in parts) \
            and parts[1].split()[-1].lower().strip(".") not in _ORG_TAILS:
        return None   # two people quoted together ("Ana Ruiz and Tom Lee"): neither one alone
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.split(r"[,(;]|\s[-–—]\s", text, maxsplit=1)[0]   # an apposition is not the name
    words = [w.lower().replace("’", "'") for w in _TOKEN.findall(text)]
    if words and words[-1].endswith("'s"):
        words[-1] = words[-1][:-2]
    # "Secretary of State John Kerry": titles, and the "of" joining two of them.
    while len(words) > 1 and (words[0] in _TITLES or (words[0] == "of" and words[1] in _TITLES)):
        words.pop(0)
    while len(words) > 1 and words[-1] in _SUFFIXES:
        words.pop()
    if not words or (len(words) == 1 and words[0] in _PRONOUNS):
        return None
    return " ".join(words)


@functools.lru_cache(maxsize=8192)   # articles repeat their speakers
def speaker_id(name: str | None) -> str | None:
    """A short stable id of the speaker (16 hex digits of the sha1 of the normalised name), or None."""
    key = normalise_speaker(name)
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16] if key else None
