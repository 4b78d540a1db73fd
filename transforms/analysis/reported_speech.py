"""Quotes in any language with a pack: direct quotes in quote marks, reported (indirect) speech, speakers.

`find_quotes(text, pack)` is language-independent: everything it knows about a language comes from the pack
module (`transforms.analysis.lang.<code>.quotes`): quote marks, verbs and phrases of saying, the verb forms
that mark reported speech (the German Konjunktiv), pronouns with gender, roles and organisation heads.

Per paragraph one pass pairs the quote marks; per sentence the quotes are attributed:
- after the quote, a cue verb and its speaker (`„Q“, sagte der Sprecher`), or "so X" (`„Q“, so X`);
- before it, a cue clause ending in a colon (`X sagte: „Q“`, `Am Montag sagte X: „Q“`);
- a quoted phrase inside a sentence takes the sentence's cue (`X sagte, es gebe „Q“`, `laut X`, `X zufolge`);
- a quotation standing alone as a sentence: the speaker of the sentence before when it attributed a quote,
  else that sentence's subject when it can be a speaker (`X verurteilte ... . „Q“`), else none;
- otherwise the speaker of the quotes just before (a quote after a quote goes on with the same voice), unless
  the sentence has a subject of its own that is no speaker (`Die Brücke gilt als „…“`).
Reported speech: a clause after a cue verb and a comma that is a "dass" clause or holds a reported-speech verb
form (`X sagte, er habe ...`), the rest of a sentence after `Laut X` / `X zufolge` / `Nach Angaben von X`, and
the reported-speech sentences that follow without a cue of their own (one span per run of them; a few
sentences away they keep no speaker), a main clause before an inverted cue or "so X" (`..., berichtet X.`),
and the sentence before `Dies berichtete X` (with the pronoun as a span of its own).
Speed: quote marks and sentence ends are found by regex, and a sentence without a quote mark and without any
word a rule keys on (`_Pack.triggers`) is skipped whole.
Speakers are the mention as written (`Er`, `der Sprecher`); a pronoun is resolved to the last person of its
gender for `speaker_id` and `speaker_kind`.
"""

from __future__ import annotations

import bisect
import functools

import regex as re

from transforms.analysis.speakers import speaker_id as _speaker_id
from transforms.analysis.text import trimmed_spans

__all__ = ["find_quotes"]

_KEYS = ("text", "start", "end", "speaker", "speaker_title", "speaker_start", "speaker_end", "cue", "kind",
         "sentence", "confidence", "speaker_id", "speaker_kind", "speaker_org")
# a word, with inner hyphens, apostrophes and a dot before a small letter or digit ("3.5"); written
# as runs rather than one character per repetition, which the regex engine reads about twice as fast
_WORD = re.compile(r"[\p{L}\p{N}][\p{L}\p{N}'’-]*(?:\.[\p{Ll}\p{N}][\p{L}\p{N}'’-]*)*")
_SPACE_PUNCT = re.compile(r"[\s,;:]*")
_TERMINAL = re.compile(r"[.!?…]")
_COMMA = re.compile(r"\s*,?\s*")   # the gap after a quotation: its comma, if any
# Punctuation before a closing quote mark that stands for the comma before an inverted cue („Q,“ sagte X).
_INNER_COMMA = ",!?."


class _Pack:
    """A pack's constants in the shapes the finder needs (built once per pack)."""

    def __init__(self, mod):
        g = lambda name, default: getattr(mod, name, default)  # noqa: E731
        self.pairs = dict(g("QUOTE_PAIRS", {"\"": "\""}))
        self.inner = dict(g("INNER_QUOTE_PAIRS", {}))
        self.abbrev = frozenset(a.lower() for a in g("ABBREVIATIONS", ()))
        self.ordinal_dot = bool(g("ORDINAL_DOT", False))
        self.cues = frozenset(w.lower() for w in g("CUE_VERBS", ()))
        self.separable = {}
        for particle, forms in g("SEPARABLE_CUES", {}).items():
            for f in forms.split():
                self.separable.setdefault(f.lower(), set()).add(particle.lower())
        self.fillers = frozenset(g("CUE_FILLERS", ()))
        self.so = frozenset(g("SO_WORDS", ()))
        self.according_prefixes = tuple(sorted((p.lower() for p in g("ACCORDING_PREFIXES", ())), key=len,
                                               reverse=True))
        self.according_suffixes = frozenset(g("ACCORDING_SUFFIXES", ()))
        self.according_nouns = frozenset(g("ACCORDING_NOUNS", ()))
        # the long ones also end compounds ("nach Polizeiangaben")
        self.according_compounds = tuple(n for n in self.according_nouns if len(n) >= 7)
        self.according_words = frozenset(g("ACCORDING_WORDS", ()))
        self.according_pronouns = frozenset(g("ACCORDING_PRONOUNS", ()))
        self.according_preps = frozenset(g("ACCORDING_PREPOSITIONS", ()))
        self.own_words = frozenset(g("OWN_WORDS", ()))
        self.quoted_subject_cues = frozenset(g("QUOTED_SUBJECT_CUES", ()))
        self.addressees = tuple(g("ADDRESSEE_NOUNS", ()))
        self.genitive = frozenset(g("GENITIVE_DETERMINERS", ()))
        self.anaphoric = frozenset(g("ANAPHORIC_CONTENT", ()))
        self.dies_reach = int(g("ANAPHORIC_REACH", 0))
        self.prepositions = frozenset(g("PREPOSITIONS", ()))
        self.impersonal_verbs = frozenset(g("IMPERSONAL_VERBS", ()))
        self.source_preps = frozenset(g("SOURCE_PREPOSITIONS", ()))
        self.topic_preps = frozenset(g("TOPIC_PREPOSITIONS", ()))
        self.inf_marker = g("INFINITIVE_MARKER", "")
        self.purpose = frozenset(g("PURPOSE_WORDS", ()))
        self.inf_endings = tuple(g("INFINITIVE_ENDINGS", ("n",)))
        self.sep_prefixes = tuple(g("SEPARABLE_PREFIXES", ()))
        self.impersonal = tuple(g("IMPERSONAL_CUES", ()))
        self.konj = frozenset(g("KONJUNKTIV", ())) - frozenset(g("AMBIGUOUS_KONJUNKTIV", ()))
        self.konj1 = self.konj - frozenset(g("KONJUNKTIV_II", ()))
        self.first_person = frozenset(g("FIRST_PERSON", ()))
        self.konj_reach = int(g("KONJUNKTIV_REACH", 1))
        self.that = frozenset(g("THAT_WORDS", ()))
        self.clause_cues = self.cues | frozenset(g("CLAUSE_CUE_VERBS", ()))
        self.pronouns = dict(g("PRONOUNS", {}))
        self.determiners = frozenset(g("DETERMINERS", ()))
        self.male_det = frozenset(g("MALE_DETERMINERS", ()))
        self.female_det = frozenset(g("FEMALE_DETERMINERS", ()))
        self.roles = tuple(g("ROLE_SUFFIXES", ()))
        self.female_endings = tuple(g("FEMALE_ROLE_ENDINGS", ()))
        self.person_nouns = tuple(g("PERSON_NOUNS", ()))
        self.source_nouns = tuple(g("SOURCE_NOUNS", ()))
        self.abstract_endings = tuple(g("ABSTRACT_NOUN_ENDINGS", ()))
        self.hearsay_modals = frozenset(g("HEARSAY_MODALS", ()))
        self.opinion_preps = frozenset(g("OPINION_PREPOSITIONS", ()))
        self.perfect_auxiliaries = frozenset(g("PERFECT_AUXILIARIES", ()))
        self.participle_endings = tuple(g("PARTICIPLE_ENDINGS", ()))
        self.participle_prefixes = tuple(g("PARTICIPLE_PREFIXES", ()))
        self.weak_participle_endings = tuple(g("WEAK_PARTICIPLE_ENDINGS", ()))
        self.bare_participle_endings = tuple(g("BARE_PARTICIPLE_ENDINGS", ()))
        self.org_heads = tuple(g("ORG_HEADS", ()))
        # short heads ("ag", "rat", "amt") only as whole words, never as the end of a compound ("Vorschlag")
        self.org_suffixes = tuple(h for h in self.org_heads if len(h) >= 4)
        self.male_first = frozenset(g("MALE_FIRST", ()))
        self.female_first = frozenset(g("FEMALE_FIRST", ()))
        self.not_speakers = frozenset(g("NOT_SPEAKERS", ()))
        self.nouns_capitalised = bool(g("NOUNS_CAPITALISED", False))
        self.name_titles = frozenset(t.rstrip(".") for t in g("NAME_TITLES", ()))
        self.personal_pronouns = frozenset(g("PERSONAL_PRONOUNS", ()))
        self.second_person = frozenset(g("SECOND_PERSON", ()))
        self.nominative_pronouns = frozenset(g("NOMINATIVE_PRONOUNS", ()))
        self.openers = set(self.pairs)
        self.opener_re = re.compile("[" + re.escape("".join(self.pairs)) + "]")
        self.closer_re = {o: _closer_re(o, c) for o, c in self.pairs.items()}
        self.naming_words = frozenset(g("NAMING_WORDS", ()))
        self.auxiliaries = frozenset(g("AUXILIARIES", ()))
        self.nominative = frozenset(g("NOMINATIVE_DETERMINERS", ()))
        self.particles = frozenset(g("NAME_PARTICLES", ()))
        self.adverb_endings = tuple(g("ADVERB_ENDINGS", ()))
        self.leading = frozenset(g("LEADING_PARTICLES", ()))
        self.as_words = frozenset(g("AS_WORDS", ()))
        self.subordinators = frozenset(g("SUBORDINATORS", ())) | self.as_words | self.that
        self.as_so = self.as_words | self.so
        self.reflexives = frozenset(g("REFLEXIVES", ()))
        self.adj_endings = tuple(g("ADJECTIVE_ENDINGS", ()))
        self.genitive_preps = frozenset(g("GENITIVE_PREPOSITIONS", ()))
        self.subject_only = frozenset(g("SUBJECT_ONLY_DETERMINERS", ()))
        # the same opening a clause: "Der Landrat ..." (not "der", which may follow a preposition)
        self.subject_only_cap = frozenset(w[:1].upper() + w[1:] for w in self.subject_only)
        self.passive = frozenset(g("PASSIVE_AUXILIARIES", ()))
        self.agent_preps = frozenset(g("AGENT_PREPOSITIONS", ()))
        self.relatives = frozenset(g("RELATIVE_PRONOUNS", ()))
        self.conjunctions = frozenset(g("CONJUNCTIONS", ()))
        self.attr_adj = tuple(g("ATTRIBUTIVE_ADJECTIVE_ENDINGS", ()))
        self.plural_cues = frozenset(g("PLURAL_CUE_VERBS", ()))
        self.verbish = self.auxiliaries | self.clause_cues | self.konj | self.that | frozenset(self.separable)
        # every word a sentence rule keys on ("wie X sagte" needs a cue verb, "nach Angaben X" its noun): a
        # sentence without a quote mark and without any of them reports nothing and is skipped
        self.triggers = self.clause_cues | self.plural_cues | frozenset(self.separable) | self.konj | self.so | \
            frozenset(self.according_suffixes) | self.according_words | self.according_nouns | \
            self.according_pronouns | \
            self.impersonal_verbs | self.hearsay_modals
        self.first_names = self.male_first | self.female_first


def _closer_re(opener: str, closers: str):
    """The marks that close `opener`; a plain " closes a plain " only without a space before it (after a
    space it opens the next quotation)."""
    plain = closers.replace("\"", "")
    alts = [f"[{re.escape(plain)}]"] if plain else []
    if "\"" in closers:
        alts.append(r'(?<!\s)"' if opener == "\"" else '"')
    return re.compile("|".join(alts))


@functools.lru_cache(maxsize=32)
def _prepared(mod) -> _Pack:
    return _Pack(mod)


# ------------------------------------------------------------------ text structure

def _paragraphs(text: str):
    start = 0
    for m in re.finditer(r"\n", text):
        if m.start() > start:
            yield start, m.start()
        start = m.end()
    if start < len(text):
        yield start, len(text)


def _pair_marks(text: str, ps: int, pe: int, pk: _Pack) -> list[tuple[int, int]]:
    """Top-level quotations of a paragraph, marks included."""
    has_low = "„" in text[ps:pe]
    spans = []
    i = ps
    while True:
        m = pk.opener_re.search(text, i, pe)
        if m is None:
            return spans
        i = m.start()
        ch = text[i]
        if (ch == "“" and has_low) or (ch == "\"" and i + 1 < pe and text[i + 1].isspace()):
            i += 1
            continue
        c = pk.closer_re[ch].search(text, i + 1, pe)
        if c is not None and c.start() > i + 1:
            spans.append((i, c.end()))
            i = c.end()
        else:
            i += 1


def _sentences(text: str, ps: int, pe: int, quotes: list[tuple[int, int]], pk: _Pack) -> list[tuple[int, int]]:
    """Sentence spans of a paragraph; never inside a quotation (unless it ends there)."""
    out = []
    start = pos = ps
    for qs, qe in [*quotes, (pe, pe)]:
        for m in _TERMINAL.finditer(text, pos, qs):
            i = m.start()
            if _next_starts(text, i + 1, pe) and not (text[i] == "." and _no_stop(text, ps, i, pk)):
                out.append((start, i + 1))
                start = i + 1
        if qs >= pe:
            break
        # a quotation that ends a sentence: „… .“ Next, « … . » Next
        if _TERMINAL.match(text[qs:qe - 1].rstrip()[-1:]) and _next_starts(text, qe, pe):
            out.append((start, qe))
            start = qe
        pos = qe
    out.append((start, pe))
    return trimmed_spans(text, out)


def _next_starts(text: str, i: int, pe: int) -> bool:
    """After a full stop: space, then something that can start a sentence."""
    if i >= pe:
        return False
    if not text[i].isspace():
        # a missing space between two sentences ("sagte Merkel.Als ..."): a word of three letters or more, the
        # stop, a capitalised word ("3.Weltkrieg", "E.Online" and "faz.net" go on)
        return i + 1 < pe and text[i].isupper() and text[i + 1].islower() and \
            i >= 4 and text[i - 4:i - 1].isalpha()
    j = i
    while j < pe and text[j].isspace():
        j += 1
    return j < pe and (text[j].isupper() or text[j].isdigit() or text[j] in "„»«“\"‚(")


def _no_stop(text: str, ps: int, i: int, pk: _Pack) -> bool:
    """Whether the full stop at i closes an abbreviation, an initial or an ordinal number."""
    j = i
    while j > ps and (text[j - 1].isalnum()):
        j -= 1
    word = text[j:i]
    if not word:
        return False
    if word.lower() in pk.abbrev:
        return True
    if len(word) == 1 and word.isalpha() and word.isupper():
        return True   # an initial
    if pk.ordinal_dot and word.isdigit() and len(word) <= 2:
        # "am 3. Mai" goes on; "des Modells 3. Ein Sprecher sagte" ends: an article or pronoun opens a sentence
        nxt = _WORD.match(text, i + 1 + len(text[i + 1:i + 4]) - len(text[i + 1:i + 4].lstrip()))
        return not (nxt and nxt.group()[:1].isupper() and
                    (nxt.group().lower() in pk.determiners or nxt.group().lower() in pk.pronouns))
    return False


# ------------------------------------------------------------------ speakers

class _Mention:
    __slots__ = ("text", "start", "end", "kind", "gender", "title", "org", "resolved")

    def __init__(self, text, start, end, kind, gender, title=None, org=None, resolved=None):
        self.text, self.start, self.end = text, start, end
        self.kind, self.gender, self.title, self.org, self.resolved = kind, gender, title, org, resolved


@functools.lru_cache(maxsize=8)
def _text_words(text: str) -> tuple[tuple, list[int]]:
    """Every word of the text with its offsets, and the words' ends (for bisect)."""
    words = tuple((m.group(), m.start(), m.end()) for m in _WORD.finditer(text))
    return words, [w[2] for w in words]


@functools.lru_cache(maxsize=4096)
def _words(text: str, s: int, e: int) -> tuple:
    """The words of text[s:e] with their offsets, as the word pattern finds them in that span. Cached:
    the finder reads a sentence's words several times (cue, subject, Konjunktiv, persons), and a str
    caches its hash, so the key costs little. Taken from the text's words, read once: a word of the
    text inside the span is the same word in the span (its pattern looks ahead only at characters it
    then takes in); only a word cut by an end of the span is read again within the span."""
    words, ends = _text_words(text)
    i = bisect.bisect_right(ends, s)          # the first word ending after s
    j = bisect.bisect_right(ends, e, lo=i)    # the first word ending after e
    out = []
    if i < len(words) and words[i][1] < s:    # a word cut by s: read from s to its end (or e)
        out += [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text, s, min(words[i][2], e))]
        i += 1
    out += words[i:j] if i < j else ()
    if j < len(words) and words[j][1] < e and j >= i:   # a word cut by e: read from its start to e
        out += [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text, max(words[j][1], s), e)]
    return tuple(out)


def _outside(ws, spans) -> list:
    """The words not inside any of the spans (the sentence's quotations, in text order)."""
    if not spans:
        return list(ws)
    out, j = [], 0
    for w in ws:
        while j < len(spans) and spans[j][1] <= w[1]:
            j += 1
        if j == len(spans) or w[1] < spans[j][0]:
            out.append(w)
    return out


def _classify(text: str, s: int, e: int, pk: _Pack) -> _Mention:
    """What kind of speaker the mention text[s:e] is: a person, an organisation, a description, a pronoun."""
    mention = text[s:e]
    spans = _words(text, s, e)
    ws = [w for w, _, _ in spans]
    owner = owner_start = None
    for k in range(1, len(ws)):
        if ws[k].lower() in ("des", "der", "eines", "einer", "von", "vom") and k + 1 < len(ws) \
                and (ws[k + 1][:1].isupper() or k + 2 < len(ws) and ws[k + 2][:1].isupper() and
                     ws[k + 1].lower().endswith(pk.adj_endings)):
            # "der Sprecher des Innenministeriums": the head is before the genitive, its owner after
            owner, owner_start = " ".join(ws[k + 1:]), spans[k + 1][1]
            ws = ws[:k]
            break
    low = [w.lower() for w in ws]
    if len(ws) == 1 and low[0] in pk.pronouns:
        return _Mention(mention, s, e, "unresolved", pk.pronouns[low[0]])
    if len(ws) == 1 and low[0] in pk.personal_pronouns:
        return _Mention(mention, s, e, "unresolved", None)   # "Ich", "Wir": no one to resolve to
    if low and (low[-1] in pk.according_nouns or len(low) == 1 and low[0].endswith(pk.according_compounds)):
        # "Angaben der Polizei", "offiziellen Angaben": the owner speaks, if the phrase names one
        if owner is None:
            return _Mention(mention, s, e, "description", None)
        o = _classify(text, owner_start, e, pk)
        return _Mention(mention, s, e, o.kind, o.gender, o.title, o.org, o.resolved or o.text)
    head_words = [w for w in low if w not in pk.determiners]
    gender = None
    if low and low[0] in pk.male_det:
        gender = "m"
    elif low and low[0] in pk.female_det:
        gender = "f"
    caps = [w for w in ws if w[:1].isupper() and w.lower() not in pk.determiners]
    org = None
    for w in head_words:
        if w.endswith(pk.org_suffixes) or w in pk.org_heads:
            org = w
            break
    if org is None and len(head_words) == 1 and len(ws[-1]) >= 2 and ws[-1].isalpha() and ws[-1].isupper():
        org = head_words[0]   # an acronym alone is an organisation's name ("die FIFA", "der DGB")
    title = None
    for w in ws:
        lw = w.lower()
        if lw.endswith(pk.roles):
            title = w
            if lw.endswith(pk.female_endings) and gender is None:
                gender = "f"
            break
    first = next((w.lower() for w in caps if w.lower() in pk.male_first or w.lower() in pk.female_first), None)
    if first:
        gender = "m" if first in pk.male_first else "f"
    # A name: capitalised words that are not the role or organisation noun.
    name_words = [w for w in caps if w != title and w.lower() != org and w.lower() not in pk.name_titles]
    starts_det = bool(low) and low[0] in pk.determiners
    # after an article a known first name opens the name and the nouns before it are the role ("der Kämmerer
    # Paul Brandt" is Paul Brandt, with the id "Brandt" gets later)
    k = next((i for i, w in enumerate(name_words) if w.lower() == first), 0) if first and starts_det else 0
    if k:
        title = title or " ".join(name_words[:k])
        name_words = name_words[k:]
    if org and not title and not first:
        # its name without the article: "die Polizei", "Die Polizei" and "Polizei" are one organisation
        plain = text[_start_of(spans, caps[0]):e] if caps else mention
        return _Mention(mention, s, e, "organisation", "n", None, mention, plain)
    if name_words and (first or not starts_det or title):
        if starts_det and not first and title and len(name_words) == 0:
            return _Mention(mention, s, e, "description", gender, title, owner)
        # the name without article and title: "Bundeskanzlerin Angela Merkel" is Angela Merkel
        return _Mention(mention, s, e, "person", gender, title, None, text[_start_of(spans, name_words[0]):e])
    if title or starts_det:
        return _Mention(mention, s, e, "description", gender, title, owner)
    return _Mention(mention, s, e, "person", gender, title)


def _start_of(spans, word) -> int:
    return next(start for w, start, _ in spans if w == word)


def _addressed(text, s, e, ws, k, pk: _Pack) -> bool:
    """Whether the article ws[k] after the name text[s:e] opens the medium the name speaks to ("sagte Müller
    der Deutschen Presse-Agentur", "Weber sagte dem „Spiegel“"), not a genitive ("Experten der Marine")."""
    if not pk.addressees or ws[k - 1][0].lower() in pk.particles or _classify(text, s, e, pk).kind != "person":
        return False
    for w, _, _ in ws[k + 1:k + 4]:
        lw = w.lower()
        if lw.endswith(pk.addressees):
            return True
        if not (w[:1].isupper() and lw.endswith(pk.adj_endings)):
            return False   # only adjectives ("Deutschen", "Süddeutschen") before the medium's noun
    return False


def _title_stop(gap: str, before: str, word: str, pk: _Pack) -> bool:
    """Whether the gap between two words of a name is a title's stop: "Dr. Johanna Brink" goes on."""
    return gap.strip() == "." and before.lower() in pk.name_titles and word[:1].isupper()


def _np_after(text: str, i: int, limit: int, pk: _Pack, after_cue=False) -> tuple[int, int] | None:
    """A speaker noun phrase starting at i (after a cue verb): "der Sprecher des Ministeriums", "Müller", "er";
    after_cue: right after a verb of saying, where an article after a name is its addressee's."""
    ws = _words(text, i, limit)
    if not ws:
        return None
    w0, s0, e0 = ws[0]
    if text[i:s0].strip():
        named = _quoted_name(text, text.index(text[i:s0].strip()[0], i), limit, pk)
        return (i + len(text[i:s0]) - len(text[i:s0].lstrip()), named) if named else None
    if w0.lower() in pk.pronouns and w0.lower() != "man":
        return s0, e0
    end = None
    k = 0
    seen_noun = False
    while k < len(ws):
        w, s, e = ws[k]
        gap = text[end:s] if end is not None else ""
        if end is not None and not seen_noun and gap.strip() and gap.strip()[0] in pk.openers:
            # a name in quote marks after the article: die „Computerwoche“
            named = _quoted_name(text, text.index(gap.strip()[0], end), limit, pk)
            if named:
                return s0, named
        if end is not None and gap.strip() and not _title_stop(gap, ws[k - 1][0], w, pk):
            # an apposition after a comma (", Heike van Laak,") or a parenthesis: stop
            if gap.strip() == "(" and ")" in text[s:limit]:
                close = text.index(")", s)
                if close - s < 40:
                    end = close + 1
            break
        lw = w.lower()
        if seen_noun and w[:1].isdigit() and k + 1 < len(ws) and ws[k + 1][0][:1].isupper():
            break   # a count after the source ("laut UNO-Angaben 62 Zivilisten"), not part of its name
        if w[:1].isupper() or w[:1].isdigit() or _lower_name(w):
            seen_noun = True
            end = e
        elif (lw in pk.determiners or lw in pk.genitive) and (not seen_noun or lw in pk.genitive):
            if after_cue and seen_noun and lw in pk.determiners and _addressed(text, s0, end, ws, k, pk):
                break   # after a name an article opens the next phrase: "sagte Müller der Zeitung"
            if seen_noun and not (k + 1 < len(ws) and (ws[k + 1][0][:1].isupper() or
                                                      ws[k + 1][0].lower() not in pk.fillers)):
                break
            end = e if seen_noun else end
            if not seen_noun:
                end = e
        elif not seen_noun and lw not in pk.cues and (lw not in pk.fillers or k and ws[k - 1][0].lower() in
                                                      pk.determiners and lw not in pk.determiners):
            end = e   # an adjective (or an adverb) before the noun: "der ehemalige Minister", "einer gestern
            # verbreiteten Erklärung"
        elif seen_noun and lw.endswith(pk.attr_adj) and lw not in pk.verbish and \
                ws[k - 1][0].lower() in pk.genitive and k + 1 < len(ws) and \
                (ws[k + 1][0][:1].isupper() or ws[k + 1][0].lower().endswith(pk.attr_adj)):
            end = e   # an adjective after a genitive article: "Angaben der afghanischen Regierung"
        elif seen_noun and lw in pk.particles and k + 1 < len(ws) and ws[k + 1][0][:1].isupper() and \
                not ws[k - 1][0].lower().endswith(pk.org_heads):
            end = e   # "Ursula von der Leyen", not "laut Polizei zu Straftaten"
        elif seen_noun and lw in pk.genitive_preps and k + 2 < len(ws) and ws[k + 1][0].lower() in pk.determiners \
                and ws[k + 2][0][:1].isupper():
            end = e   # "Hauptmann X von der Marineinfanterie"
        elif seen_noun and len(lw) > 4 and lw.endswith("er") and lw not in pk.fillers and k + 1 < len(ws) \
                and ws[k + 1][0][:1].isupper() and not text[e:ws[k + 1][1]].strip():
            end = e   # a genitive plural without article: "Angaben informierter Kreise"
        elif seen_noun and lw in pk.org_heads and text[ws[k - 1][1]:ws[k - 1][2]].lower().endswith(pk.org_heads):
            end = e   # "Nachrichtenagentur dpa"
        else:
            break
        k += 1
    if not seen_noun or end is None:
        return None
    return s0, end


def _lower_name(w: str) -> bool:
    """A name written in lower case: a web address or a name with a particle or capital inside ("faz.net",
    "el-Baradei", "ai-Bericht", "iPhone")."""
    return w[:1].islower() and ("." in w or any(c.isupper() for c in w[1:]))


def _quoted_name(text, o, limit, pk: _Pack):
    """The end of a short capitalised name in quote marks opening at o ("„Computerwoche“"), or None."""
    if text[o] not in pk.openers or o + 1 >= limit or not text[o + 1].isupper():
        return None
    for c in range(o + 2, min(limit, o + 40)):
        if text[c] in pk.pairs[text[o]]:
            inner = text[o + 1:c]
            return c + 1 if len(inner.split()) <= 4 and not _TERMINAL.search(inner) else None
    return None


def _speakerlike(text, span, pk: _Pack) -> bool:
    """Whether a noun phrase can be a speaker: a person (a name, a role), an organisation, or er/sie."""
    w0 = _WORD.match(text, span[0])
    if w0 is not None and w0.group().lower() in pk.determiners and w0.group().lower() not in pk.nominative:
        return False   # "Den Vorschlag ...", "Dem Bericht ...": an object, not a subject
    m = _classify(text, span[0], span[1], pk)
    if m.kind == "unresolved":
        return m.gender in ("m", "f")
    if m.kind == "organisation" or m.title:
        return True
    heads = _head_words(text, span, pk)
    if _abstract(heads, pk):
        return False
    if m.kind == "description":
        # a person noun or a written source ("die Anwohner", "das Strafgesetzbuch"), or a noun with a name
        # after it ("der ugandische Schriftsteller Musa Okwanga")
        return any(w.lower().endswith(pk.person_nouns) or w.lower().endswith(pk.source_nouns)
                   for w in heads) or len(heads) >= 2
    # a name without an article, or after a noun ("der Schriftsteller Ali Oduya")
    return m.kind == "person" and w0 is not None and (w0.group().lower() not in pk.determiners or
                                                      len(_head_words(text, span, pk)) >= 2)


def _speaking_owner(text, span, pk: _Pack):
    """The owner of a noun phrase when it is a person who can speak ("Anna Weber" of "Das Fazit von Anna Weber",
    "des Ministers" of "Die Antwort des Ministers"), else None ("Die Pflichten der Union")."""
    ws = _words(text, span[0], span[1])
    for k in range(1, len(ws) - 1):
        if ws[k][0].lower() in pk.genitive or ws[k][0].lower() in pk.genitive_preps:
            owner = (ws[k + 1][1], span[1])
            return owner if _named_person(text, owner, pk) else None
    return None


def _named_person(text, span, pk: _Pack) -> bool:
    """Whether a noun phrase surely names someone: a role, a known first name, a person noun, or a name of two
    words ("Anna Weber", "den Theologen Hans Weber", "die Ministerin"); not a place or thing ("Berlin", "Lage")."""
    m = _classify(text, span[0], span[1], pk)
    heads = _head_words(text, span, pk)
    return bool(m.title) or any(w.lower() in pk.first_names for w in heads) or \
        m.kind == "description" and any(w.lower().endswith(pk.person_nouns) for w in heads) or \
        m.kind == "person" and len(heads) >= 2 and not _abstract(heads, pk)


def _abstract(heads, pk: _Pack) -> bool:
    """Whether a noun phrase's head words name a thing, not someone: an abstract noun among them and no person
    noun, written source or known first name ("Seine Zuversicht", "Die Äußerungen Hassemers")."""
    low = [w.lower() for w in heads]
    # (a short word is rather a name: "Reinhard Jung")
    return any(w.endswith(pk.abstract_endings) and len(w) >= 6 for w in low) and not any(
        w.endswith(pk.person_nouns) or w.endswith(pk.source_nouns) or w in pk.first_names for w in low)


def _head_words(text, span, pk: _Pack) -> list:
    """The capitalised words of a noun phrase before its owner ("die Anwohner" of "die Anwohner des Platzes")."""
    out = []
    for w, _, _ in _words(text, span[0], span[1]):
        if out and (w.lower() in pk.genitive or w.lower() in pk.genitive_preps):
            break   # (not the phrase's own article: "der" opens "Der Ermittler")
        if w[:1].isupper() and w.lower() not in pk.determiners:
            out.append(w)
    return out


# ------------------------------------------------------------------ clause subjects (V2 and verb-final clauses)

_QUOTED = re.compile(r"„[^“”\"]*[“”\"]|»[^«]*«|\"[^\"]*\"")


def _gap(text, ws, a):
    """The text between word a and word a + 1, a quotation in it reduced to its marks."""
    g = text[ws[a][2]:ws[a + 1][1]]
    if "„" in g or "»" in g or "\"" in g:
        g = _QUOTED.sub("„“", g)
    return g


def _np_word(w, pk: _Pack) -> bool:
    """Whether a word can sit inside a noun phrase (name, noun, article, particle, inflected adjective)."""
    lw = w.lower()
    if w[:1].isupper() or w[:1].isdigit():
        return True
    if lw in pk.determiners or lw in pk.genitive or lw in pk.particles or lw in pk.prepositions:
        return True
    if lw in pk.verbish or lw in pk.fillers or lw in pk.not_speakers:
        return False
    return lw.endswith(pk.adj_endings)


def _clause_start(text, ws, k, pk: _Pack) -> int:
    """Index of the first word of the clause holding word k: back to a comma (or colon, semicolon, dash)
    unless what lies before the comma is a noun phrase, an apposition of the subject ("Die Sprecherin, Heike
    van Laak, sagte"), or a relative clause right before the verb ("X, der ... gilt, sagte")."""
    b = k
    tail_np = True     # the words between the boundary and the verb are noun-phrase words
    while b > 0:
        gap = _gap(text, ws, b - 1)
        quoted = gap.strip() and gap.strip()[0] in "„“\"»«"
        if any(c in gap for c in ";:") or quoted and not _embeds(ws[b - 1][0], pk):
            return b
        if "," in gap or "–" in gap or "—" in gap or " - " in gap:
            a = b - 1
            while a > 0 and not any(c in _gap(text, ws, a - 1) for c in ",;:–—"):
                a -= 1
            if b == k and a > 0 and ws[a][0].lower() in pk.relatives and "," in _gap(text, ws, a - 1):
                b = a
                continue
            role = ws[a][0][:1].isupper() or ws[a][0].lower() in pk.determiners
            # the finite auxiliary right after the comma ends the Vorfeld ("X, Sprecher der Polizei, hat ... gesagt")
            tail_np = tail_np or ws[b][0].lower() in pk.auxiliaries
            if tail_np and all(_np_word(ws[j][0], pk) or j > a and "(" in _gap(text, ws, j - 1) or
                               role and ws[j][0].lower() in pk.conjunctions and j + 1 < b and
                               _np_word(ws[j + 1][0], pk) for j in range(a, b)) and \
                    ws[a][0].lower() not in pk.subordinators:
                # (an apposition of two roles: "X, Präsident der Universität und derzeitiger Vorsitzender der
                # Konferenz, sagte";
                # a word in brackets: "Jan Kowalski (parteilos)")
                b = a
                continue
            return b
        b -= 1
        if b < k and not _np_word(ws[b][0], pk):
            tail_np = False
    return 0


def _embeds(w, pk: _Pack) -> bool:
    """Whether a quotation right after word w is part of its clause ("als „…“ bezeichnet", "einen „…“ genannt")."""
    lw = w.lower()
    return lw in pk.naming_words or lw in pk.determiners or lw in pk.prepositions


def _skip_pp(ws, i, end, pk: _Pack) -> int:
    """After a preposition at i: the index after its noun phrase ("im Mai 2005", "in einer Rede")."""
    j = i + 1
    seen = False
    while j < end:
        w = ws[j][0]
        lw = w.lower()
        if w[:1].isupper() or w[:1].isdigit():
            seen = True
            j += 1
            continue
        if seen and lw not in pk.genitive and lw not in pk.particles:
            break
        if lw in pk.determiners or lw in pk.genitive or lw in pk.particles or \
                (not seen and _np_word(w, pk) and lw not in pk.prepositions):
            j += 1
            continue
        break
    return j


def _np_at(text, ws, i, end, pk: _Pack):
    """The subject-like noun phrase or pronoun that starts at word i, or None."""
    if i >= end:
        return None
    w, s, e = ws[i]
    lw = w.lower()
    if lw in pk.pronouns:
        return (s, e) if pk.pronouns[lw] in ("m", "f") else None
    if lw in pk.determiners and lw not in pk.nominative:
        return None
    if lw in pk.not_speakers and not (lw in pk.nominative and i + 1 < end and _np_word(ws[i + 1][0], pk)):
        return None
    if not (w[:1].isupper() or lw in pk.nominative):
        return None
    if lw in pk.prepositions or lw in pk.subordinators:
        return None
    if lw in pk.verbish and lw not in pk.nominative or i + 1 < end and ws[i + 1][0] in pk.second_person:
        return None   # a verb opening a conditional clause or a question ("Kämen sie dem nicht nach, ...",
        #               "Hatte er ...", "Glaubst du, ...")
    if lw not in pk.determiners and lw.endswith(pk.adverb_endings) and (i + 1 >= end or ws[i + 1][0].islower()):
        return None   # "Unmissverständlich sagte ...", "Passend zu ..."
    j = i + 1
    seen = w[:1].isupper() and lw not in pk.determiners
    while j < end:
        wj, sj, ej = ws[j]
        gap = text[ws[j - 1][2]:sj]
        if gap.strip() and gap.strip() not in ("(", ")", "-") and not _title_stop(gap, ws[j - 1][0], wj, pk):
            break
        lj = wj.lower()
        if wj.replace(".", "").replace(",", "").isdigit() and j + 1 < end and ws[j + 1][0][:1].isupper():
            break   # a number with its counted noun is the next phrase ("die Feuerwehr 40 Menschen")
        if wj[:1].isupper() or wj[:1].isdigit():
            seen = True
        elif seen and (lj in pk.genitive or lj in pk.particles or lj in pk.genitive_preps) and j + 1 < end:
            if lj in pk.determiners and _addressed(text, s, ws[j - 1][2], ws, j, pk):
                break   # after a name an article opens the next phrase: "sagte Müller der Zeitung"
        elif not seen and _np_word(wj, pk) and lj not in pk.prepositions:
            pass
        elif seen and _np_word(wj, pk) and lj not in pk.prepositions and j + 1 < end and \
                ws[j - 1][0].lower() in pk.genitive | pk.genitive_preps:
            pass
        else:
            break
        j += 1
    while j > i + 1 and not (ws[j - 1][0][:1].isupper() or ws[j - 1][0][:1].isdigit()):
        j -= 1
    if not seen:
        return None
    e = ws[j - 1][2]
    if text[e:e + 2].startswith(" (") and ")" in text[e:e + 40]:
        e = text.index(")", e) + 1
    elif text.count("(", s, e) > text.count(")", s, e) and text.startswith(")", e):
        e += 1   # a party or acronym in brackets closes: "Henning Scherf (SPD)"
    return s, e


def _mittelfeld_subject(text, ws, i, end, pk: _Pack):
    """The subject after the finite verb: skip adverbs, reflexives and prepositional phrases."""
    while i < end:
        w = ws[i][0]
        lw = w.lower()
        if lw in pk.prepositions and lw not in pk.nominative:
            i = _skip_pp(ws, i, end, pk)
            continue
        if lw in pk.fillers and lw not in pk.determiners or lw in pk.reflexives or \
                (lw in pk.not_speakers and lw not in pk.nominative and lw not in pk.pronouns) or \
                (w.islower() and lw.endswith(pk.adverb_endings) and lw not in pk.determiners):
            i += 1
            continue
        return _np_at(text, ws, i, end, pk)
    return None


def _clause_end(text, ws, k) -> int:
    end = k + 1
    while end < len(ws) and not any(c in _gap(text, ws, end - 1) for c in ",;:"):
        end += 1
    return min(end, len(ws))


def _passive(text, ws, a, k, pk: _Pack, before_cue=False) -> bool:
    """Whether the clause of the cue at k is passive (a passive inside a relative clause is not the cue's:
    "Im Bericht, der ... wurde, nannte X"); with before_cue, its auxiliary stands before the cue."""
    end = k if before_cue else _clause_end(text, ws, k)
    return bool(pk.passive) and any(w.lower() in pk.passive for w, _, _ in _outside_relatives(text, ws, a, end, pk))


def _passive_participle(w, pk: _Pack) -> bool:
    """A cue's participle whose passive subject is not the speaker ("aufgefordert"; not "zitiert")."""
    lw = w.lower()
    stem = next((lw[len(p):] for p in pk.sep_prefixes if lw.startswith(p + "ge")), lw)
    return lw not in pk.quoted_subject_cues and w[:1].islower() and (
        lw.endswith(pk.bare_participle_endings) or
        stem.startswith(pk.participle_prefixes) and stem.endswith(pk.participle_endings))


def _passive_agent(text, ws, a, k, pk: _Pack):
    """The agent of a passive clause ("wird von der Zeitung zitiert", "vom Wetterdienst als ... eingestuft")."""
    if not _passive(text, ws, a, k, pk):
        return None
    end = _clause_end(text, ws, k)
    for j in range(end - 2, a - 1, -1):   # the agent stands last, before the participle
        # not inside a name ("Hauptmann X von der Marine"), but after a common noun ("die Gefahr von
        # Waldbränden vom Wetterdienst"): one that follows a preposition or an article
        if ws[j][0].lower() in pk.agent_preps and (j == a or not ws[j - 1][0][:1].isupper() or j - 1 > a and (
                ws[j - 2][0].lower() in pk.prepositions or ws[j - 2][0].lower() in pk.determiners)):
            span = _np_at(text, ws, j + 1, end, pk)
            if span is None and ws[j + 1][0].lower() in pk.determiners and j + 2 < end:
                span = _np_at(text, ws, j + 2, end, pk)
                span = (ws[j + 1][1], span[1]) if span else None
            if span is not None and _speakerlike(text, span, pk):
                return span
    return None


def _finite(ws, a, k, pk: _Pack, text=None) -> int:
    """Index of the finite verb of the main clause from word a up to the cue at k."""
    sub = False
    for j in range(a + 1 if a < k and ws[a][0][:1].isupper() else a, k):
        lw = ws[j][0].lower()
        if text is not None and j > a and "," in text[ws[j - 1][2]:ws[j][1]]:
            sub = lw in pk.relatives or lw in pk.subordinators   # "Im Brief, den er geschickt hat, erklärt er"
        if not sub and (lw in pk.auxiliaries or lw in pk.cues or lw in pk.separable):
            return j
    return k


def _cue_subject(text, ws, k, pk: _Pack, prefer_speaker=True):
    """The subject of the clause whose verb is word k: the Vorfeld when it is a subject-like noun phrase
    ("Der Sprecher sagte", "Ein Kommentator schrieb"), else the first subject-like phrase after the finite
    verb ("Am Montag sagte der Sprecher", "Den Vorschlag nannte X"), or after the conjunction of a
    verb-final clause ("wie X mitteilte", "dass X gesagt habe")."""
    a = _clause_start(text, ws, k, pk)
    while a < k and ws[a][0].lower() in pk.leading:
        a += 1
    # "X wird von der Zeitung zitiert": X spoke, the agent only quotes
    agent = None if ws[k][0].lower() in pk.quoted_subject_cues else _passive_agent(text, ws, a, k, pk)
    if agent is not None:
        return agent
    if _passive_participle(ws[k][0], pk) and _passive(text, ws, a, k, pk, before_cue=True):
        return None   # the subject of a passive cue is spoken to or about ("Darin wird X aufgefordert, …")
    if a < k and ws[a][0].lower() in pk.subordinators and (
            k + 1 >= len(ws) or any(c in _gap(text, ws, k) for c in ",:;") or ws[k + 1][0].lower() in pk.verbish):
        # verb-final: "wie der Sprecher mitteilte", "dass Mindermann gefragt habe"
        return _mittelfeld_subject(text, ws, a + 1, k, pk)
    if a < k - 1 and ws[a][0].lower() in pk.subordinators and ws[k - 1][0].lower() in pk.auxiliaries and \
            not _gap(text, ws, k - 1).strip():
        # a verb-final clause without its comma before the main verb: "Als er verhaftet worden war sagte er"
        return _mittelfeld_subject(text, ws, k + 1, len(ws), pk)
    u = k - 1 if k - 1 > a and ws[k - 1][0].lower() in pk.conjunctions else \
        k - 2 if k - 2 > a and ws[k - 2][0].lower() in pk.conjunctions and ws[k - 1][0].lower() in pk.auxiliaries \
        else None
    if u is not None and not any(c in _gap(text, ws, u - 1) for c in ",;:"):
        # "X biss den Fluggast und rief": the clauses joined by "und" share the subject of the first one
        f0 = _finite(ws, a, u, pk, text) if ws[a][0][:1].isupper() else a
        if f0 == u:
            f0 = _guess_verb(ws[:u], a, pk)
        k0 = _last_cue(ws, pk, before=a) if any(w.lower() in pk.konj for w, _, _ in ws[a:u]) else None
        if k0 is not None:
            # "Er sagte, Europa brauche X und fügte hinzu": the first clause is reported; "und" joins the cue
            # to the verb of saying before it
            return _cue_subject(text, ws[:a], k0, pk, prefer_speaker)
        if f0 is not None and f0 < u:
            subj = _cue_subject(text, ws[:u], f0, pk, prefer_speaker)
            if subj is not None:
                return subj
    f = _finite(ws, a, k, pk, text) if a < k else k
    vor = _np_at(text, ws, a, f, pk) if a < f else None
    if vor is not None and vor[1] < ws[f][1]:
        # the phrase must fill the Vorfeld up to the verb (apart from an apposition)
        last = max(j for j in range(a, f) if ws[j][1] < vor[1])
        if any(w.lower() in pk.verbish for w, _, _ in _outside_relatives(text, ws, last + 1, f, pk)):
            vor = None
    end = len(ws)
    for j in range(f + 1, len(ws)):
        if "," in _gap(text, ws, j - 1) or ":" in _gap(text, ws, j - 1):
            end = j
            break
    mid = _mittelfeld_subject(text, ws, f + 1, end, pk) if f < len(ws) else None
    sep = pk.separable.get(ws[k][0].lower())
    if mid is not None and sep and any(w.lower() in sep for w, _, _ in _words(text, mid[0], mid[1])):
        mid = None   # the noun of the phrase itself ("sind der Auffassung, dass"), not its subject
    if vor is not None and mid is not None and f + 1 < len(ws) and mid[0] == ws[f + 1][1] and \
            ws[f + 1][0] in pk.nominative_pronouns:
        return mid   # "Kurz sagte er": a pronoun that is only ever a subject, right after the verb, is the subject
    if vor is not None and _classify(text, vor[0], vor[1], pk).kind == "description":
        vor = _apposed_name(text, ws, a, f, pk) or vor
    if vor is not None:
        # "Den Vorschlag nannte X": an unlikely speaker before the verb gives way to the phrase after it, but
        # not one whose article makes it the subject ("Der Landrat forderte alle Bürger auf")
        if mid is not None and prefer_speaker and not _speakerlike(text, vor, pk) and \
                _WORD.match(text, vor[0]).group() not in pk.subject_only_cap and (
                _speakerlike(text, mid, pk) or _WORD.match(text, mid[0]).group().lower() in pk.subject_only):
            return mid
        return None if _thing(text, vor, pk) else vor
    # after the verb a thing is its object ("und verglich die Situation mit ...")
    return None if mid is not None and _thing(text, mid, pk) else mid


def _apposed_name(text, ws, a, f, pk: _Pack):
    """A person's name set off by commas in the Vorfeld words a..f ("Der frühere Bürgermeister, Hans Weber,
    sagte"): the name, which says more than the role before it."""
    for j in range(a + 1, f):
        if "," in _gap(text, ws, j - 1) and ws[j][0][:1].isupper() and ws[j][0].lower() not in pk.determiners:
            span = _np_at(text, ws, j, f, pk)
            m = span and _classify(text, span[0], span[1], pk)
            if m and m.kind == "person" and len(_head_words(text, span, pk)) >= 2:
                return span
    return None


def _thing(text, span, pk: _Pack) -> bool:
    """Whether a noun phrase names a thing that cannot speak ("die Situation", "Die Einsicht in den Bericht")."""
    m = _classify(text, span[0], span[1], pk)
    return m.kind in ("person", "description") and not m.title and _abstract(_head_words(text, span, pk), pk)


def _opens_relative(text, ws, j, pk: _Pack) -> bool:
    """Whether word j opens a relative clause: after a comma, a relative pronoun, and the clause (up to the
    next comma) ends in a verb ("Müller, der die Firma leitet, sagte"; not the apposition ", dem Flügel der
    Partei zugehöriges Mitglied,")."""
    if not (j and ws[j][0].lower() in pk.relatives and "," in _gap(text, ws, j - 1)):
        return False
    e = j + 1
    while e < len(ws) and "," not in _gap(text, ws, e - 1):
        e += 1
    return e < len(ws) and e - 1 > j and ws[e - 1][0].islower()


def _outside_relatives(text, ws, lo, hi, pk: _Pack) -> list:
    """The words ws[lo:hi] outside relative clauses: a verb there is not the main clause's."""
    out, rel = [], False
    for j in range(lo, hi):
        if j and "," in _gap(text, ws, j - 1):
            rel = _opens_relative(text, ws, j, pk)
        if not rel:
            out.append(ws[j])
    return out


def _plural_cue(ws, k, pk: _Pack) -> bool:
    """A present plural verb of saying, which looks like an infinitive ("Kritiker sagen, ..."): a cue only as the
    finite verb right after a noun subject, not after an auxiliary, a modal or the infinitive marker."""
    if ws[k][0] not in pk.plural_cues or k == 0:
        return False
    j = k - 1
    while j > 0 and k - j <= 2 and ws[j][0].islower() and ws[j][0] in pk.not_speakers and \
            ws[j][0] not in pk.conjunctions:
        j -= 1   # an adverb after the subject: "Die Kläger hingegen sagen"
    p = ws[j][0]
    return p[:1].isupper() and p.lower() not in pk.auxiliaries and p.lower() not in pk.determiners and \
        p.lower() not in pk.not_speakers


def _find_cue(ws, pk: _Pack, clause_cues=False):
    """Index of the first cue verb among words."""
    cues = pk.clause_cues if clause_cues else pk.cues
    for k, (w, _, _) in enumerate(ws):
        lw = w.lower()
        if k and w[:1].isupper():
            continue   # a capitalised cue form inside a clause is a noun ("zur Frage", "in einem Schreiben")
        if lw in cues or _plural_cue(ws, k, pk) or (lw in pk.separable and any(
                x.lower() in pk.separable[lw] for x, _, _ in ws[k + 1:k + 12])):
            return k
    return None


# ------------------------------------------------------------------ the finder

def find_quotes(text: str, pack, min_confidence: float = 0.5) -> list[dict]:
    """Quotes in `text` found with the language `pack` (a module of constants); [] on anything unusable."""
    try:
        if not isinstance(text, str) or not text.strip() or pack is None:
            return []
        if sum(map(str.isalpha, text[:2000])) < 0.3 * min(len(text), 2000):
            return []
        return _find(text, _prepared(pack), min_confidence)
    except Exception:   # a quote finder must never break the pipeline
        return []


class _State:
    def __init__(self):
        self.last: _Mention | None = None          # speaker of the last quote
        self.last_sentence = -10                   # sentence index of the last attributed quote
        self.persons: list[_Mention] = []          # persons seen, for pronoun resolution
        self.last_indirect = -10                   # sentence index of the last reported-speech span
        self.plain: list[tuple[int, int]] = []     # the run of sentences just before, in the paragraph, that
                                                   # hold no quote mark and reported nothing
        self.prev: tuple | None = None             # the sentence just before: (start, end, its quotations)


def _mention(text, span, pk, state) -> _Mention | None:
    if span is None:
        return None
    m = _classify(text, span[0], span[1], pk)
    if m.kind == "unresolved" and m.gender is not None:
        for p in reversed(state.persons):
            if p.gender == m.gender or (m.gender == "f" and p.gender is None):
                m.resolved = p.resolved or p.text
                m.kind = "person"
                m.title = p.title
                break
    elif m.kind == "person":
        role = _role_before(text, span, pk) if m.title is None else None
        if role is not None:
            m.title, m.org, m.gender = role.title, role.org, m.gender or role.gender
        name = m.resolved or m.text
        if " " not in name:
            # a surname alone is the person the article named in full before ("Merkel": Angela Merkel)
            for p in reversed(state.persons):
                full = p.resolved or p.text
                if " " in full and full.split()[-1] == name:
                    m.resolved, m.gender, m.title = full, m.gender or p.gender, m.title or p.title
                    break
        if pk.nouns_capitalised and m.title is None and " " not in (m.resolved or m.text) and \
                not _named_somewhere(text, m.resolved or m.text, pk):
            # where every noun is capitalised, one word alone is a name only if the article also gives it with
            # another name or a title ("Registerauszug", "Bahnangaben", "Ausnahmen" are no persons)
            m.kind = "description"
            return m
        state.persons.append(m)
    return m


@functools.lru_cache(maxsize=256)
def _named_somewhere(text: str, word: str, pk: _Pack) -> bool:
    """Whether the article writes `word` as part of a longer name: after a first name, a title or another
    capitalised word inside a sentence ("Angela Merkel", "Fed-Vize Barr", "B.N. Suresh"), or before another
    capitalised word ("Liat Atzili"); or whether it is a known first name."""
    if word.lower() in pk.first_names:
        return True
    i = text.find(word)
    while i >= 0:
        end = i + len(word)
        if (i == 0 or not text[i - 1].isalnum()) and (end == len(text) or not text[end].isalnum()):
            before = _WORD_BEFORE.search(text, max(0, i - 60), i)
            after = _WORD_AFTER.match(text, end)
            for other, at in ((before, True), (after, False)):
                if other is not None and _names_with(text, other, at, pk):
                    return True
        i = text.find(word, end)
    return False


_WORD_BEFORE = re.compile(r"(?<![\p{L}\p{N}.])\p{Lu}[\p{L}-]*(?:\.\p{Lu}[\p{L}-]*)*\.?[ \t]+$")
_WORD_AFTER = re.compile(r"[ \t]+\p{Lu}[\p{L}-]+(?![\p{L}\p{N}])")


def _names_with(text: str, m, before: bool, pk: _Pack) -> bool:
    """Whether the capitalised word m next to a word makes a name with it: not an article, pronoun or adverb,
    not a word ending a sentence, and, before it, not a word that opens a sentence ("Große Sorge ...")."""
    other = m.group().strip()
    low = other.lower()
    if low in pk.determiners or low in pk.not_speakers or low in pk.pronouns or low in pk.personal_pronouns:
        return False
    if not before:
        return True
    if other.endswith(".") and not _no_stop(text, m.start(), m.start() + len(other) - 1, pk):
        return False   # a word ending a sentence ("... Stand. Arabische"), not an initial or a title ("B.N.", "Dr.")
    return not _opens_sentence(text, m.start(), pk)


def _opens_sentence(text: str, i: int, pk: _Pack) -> bool:
    """Whether the word at i may open a sentence: at the start, after a line break, a colon or an opening
    quote mark, or after a stop that ends no abbreviation or initial ("Prof. Dr. Siegfried" goes on)."""
    j = i
    while j > 0 and text[j - 1].isspace():
        j -= 1
    if j == 0 or "\n" in text[j:i] or text[j - 1] in "!?:„“\"»«":
        return True
    return text[j - 1] == "." and not _no_stop(text, 0, j - 1, pk)


def _role_before(text, span, pk: _Pack) -> _Mention | None:
    """The role a name stands in apposition to ("Die Sprecherin des Ministeriums, Petra Lang,"), if any."""
    lo = max(0, span[0] - 150)
    before = text[lo:span[0]].rstrip()
    if not before.endswith(","):
        return None
    cut = max(before.rfind(c, 0, len(before) - 1) for c in ",.;:!?„“»«") + 1
    ws = _words(text, lo + cut, lo + len(before) - 1)
    while ws and ws[0][0].lower() not in pk.determiners and (
            ws[0][0].lower() in pk.cues or ws[0][0].lower() in pk.reflexives or
            ws[0][0].lower() in pk.fillers):
        ws = ws[1:]   # after the quote: "„Q“, sagte (sich) der Sprecher der Polizei, Hans Weber"
    if not ws or ws[0][0].lower() not in pk.determiners:
        return None
    role = _classify(text, ws[0][1], ws[-1][2], pk)
    return role if role.kind == "description" and role.title else None


def _register_persons(text, ss, se, pk: _Pack, state: _State) -> None:
    """Persons named in the sentence by a known first name, for resolving later pronouns."""
    ws = _words(text, ss, se)
    for k, (w, s, e) in enumerate(ws[:-1]):
        lw = w.lower()
        if (lw in pk.male_first or lw in pk.female_first) and w[:1].isupper():
            j = k + 1
            while j < len(ws) and ws[j][0][:1].isupper() and not text[ws[j - 1][2]:ws[j][1]].strip():
                j += 1
            if j > k + 1:
                state.persons.append(_Mention(text[s:ws[j - 1][2]], s, ws[j - 1][2], "person",
                                              "m" if lw in pk.male_first else "f"))


def _may_report(low: set, pk: _Pack) -> bool:
    """Whether a sentence without quote marks, by its lower-cased words, can report speech at all."""
    return not pk.triggers.isdisjoint(low) or not pk.according_preps.isdisjoint(low) and \
        any(w.endswith(pk.according_compounds) for w in low)


def _find(text: str, pk: _Pack, min_conf: float) -> list[dict]:
    out: list[dict] = []
    state = _State()
    sent_index = 0
    for ps, pe in _paragraphs(text):
        quotes = _pair_marks(text, ps, pe, pk)
        sentences = _sentences(text, ps, pe, quotes, pk)
        qi = 0
        state.plain = []
        for ss, se in sentences:
            sent_index += 1
            sq = []
            while qi < len(quotes) and quotes[qi][0] < se:
                if quotes[qi][0] >= ss:
                    sq.append(quotes[qi])
                qi += 1
            low = {w.lower() for w, _, _ in _words(text, ss, se)}
            n = len(out)
            if sq or _may_report(low, pk):
                _sentence_quotes(text, ss, se, sq, pk, state, sent_index, out)
            state.plain = [] if sq or len(out) > n else [*state.plain, (ss, se)]
            state.prev = (ss, se, sq)
            if not pk.first_names.isdisjoint(low):
                _register_persons(text, ss, se, pk, state)
    out = [q for q in out if q["confidence"] >= min_conf]
    for q in out:
        q.pop("_cont", None)
    out.sort(key=lambda q: (q["start"], q["end"]))
    return out


def _speaker_fields(m: _Mention | None, cue) -> dict:
    if m is not None:
        name = m.resolved or m.text
        sid = _speaker_id(name) if m.kind in ("person", "organisation") else None
        kind_s = m.kind
    else:
        sid, kind_s = None, "unresolved"
    return {"speaker": m.text if m else None, "speaker_title": m.title if m else None,
            "speaker_start": m.start if m else None, "speaker_end": m.end if m else None, "cue": cue,
            "speaker_id": sid, "speaker_kind": kind_s, "speaker_org": m.org if m else None}


def _emit(out, text, s, e, kind, m: _Mention | None, cue, sentence, conf):
    out.append({"text": text[s:e], "start": s, "end": e, "kind": kind, "sentence": sentence,
                "confidence": round(conf, 2), **_speaker_fields(m, cue)})


def _post_attribution(text, qe, se, pk):
    """`„Q“, sagte X` / `„Q“, so X` after the quote: (cue, speaker span) or None."""
    i = _COMMA.match(text, qe, se).end()
    ws = _words(text, i, se)
    if not ws:
        return None
    w0 = ws[0][0].lower()
    if "," not in text[qe:i] and not (text[qe - 2] in _INNER_COMMA and ws[0][0].islower()):
        return None   # the comma may stand inside the marks, or a stop for it: „Q,“ sagte X / „Q!“ so X
    if w0 in pk.so:
        span = _np_after(text, ws[0][2] + 1, se, pk) if len(ws) > 1 else None
        return (ws[0][0], span) if span else None
    if len(ws) > 1 and f"{w0} {ws[1][0].lower()}" in pk.impersonal:
        # "„Q“, heißt es in der Mitteilung": the document speaks, if named
        k = 2
        if k < len(ws) and ws[k][0].lower() in pk.source_preps:
            span = _np_after(text, ws[k + 1][1], se, pk) if k + 1 < len(ws) else None
            return f"{ws[0][0]} {ws[1][0]}", span
        return f"{ws[0][0]} {ws[1][0]}", None
    if w0 in pk.cues or w0 in pk.separable:
        k = 1
        while k < len(ws) and (ws[k][0].lower() in pk.fillers and ws[k][0].lower() not in pk.determiners or
                               ws[k][0].lower() in pk.reflexives):
            k += 1   # "„Q“, äußerte sich der Chef": not the reflexive
        if k < len(ws):
            span = _np_after(text, ws[k][1], se, pk, after_cue=True)
            if span:
                return ws[0][0], _name_after_role(text, span, se, pk) or span
        return ws[0][0], None
    return None


def _bracketed(text, ss, qs, qe, sq, pk):
    """`X („Q“)`: a quotation in brackets right after a person's name is that person's ("der Leiter der Behörde,
    Mohammed ElBaradei („…“), und ..."): ("", speaker span) or None."""
    if not (text[ss:qs].rstrip().endswith("(") and text[qe:qe + 3].lstrip().startswith(")")):
        return None
    ws = _outside(_words(text, ss, qs), sq)
    j = len(ws) - 1
    while j > 0 and not _gap(text, ws, j - 1).strip():
        j -= 1   # back to the start of the run of words before the bracket
    for i in range(j, len(ws)):
        span = _np_at(text, ws, i, len(ws), pk)
        if span is not None and span[1] >= ws[-1][2]:
            span = (span[0], ws[-1][2])   # (not the bracket, which _np_at takes for a party's)
            return ("", span) if _named_person(text, span, pk) else None
    return None


_TO_COMMA = re.compile(r"[^,.;:!?]{0,60}?,\s*")


def _name_after_role(text, span, limit, pk: _Pack):
    """The name set off by commas after the role `span` ("sagte der Sprecher der Polizei, Hans Weber, am
    Montag"): it says more than the role, which becomes its title."""
    m = _TO_COMMA.match(text, span[1], limit)
    if not m or _classify(text, span[0], span[1], pk).kind != "description":
        return None
    between = _words(text, span[1], m.end())
    if between and (between[0][0].lower() not in pk.prepositions or
                    not all(_np_word(w, pk) or w[:1].isupper() for w, _, _ in between[1:])):
        return None   # only the rest of the role may stand before the comma ("der Chef der Agentur für Arbeit")
    ws = _words(text, m.end(), limit)
    if not ws or ws[0][1] != m.end() or not ws[0][0][:1].isupper() or ws[0][0].lower() in pk.determiners:
        return None
    name = _np_at(text, ws, 0, len(ws), pk)
    if name is None or text[name[1]:limit].strip()[:1] not in ("", ",", ".", "!", "?", "(") or \
            _classify(text, name[0], name[1], pk).kind != "person" or len(_head_words(text, name, pk)) < 2:
        return None
    return name


def _pre_attribution(text, ss, qs, pk, skip=()):
    """`X sagte: „Q“` before the quote: (cue, speaker span) or None."""
    before = text[ss:qs].rstrip()
    if not before.endswith(":"):
        return None
    ws = [w for w in _words(text, ss, ss + len(before)) if not any(a <= w[1] < b for a, b in skip)]
    if not ws:
        return None
    for k in range(len(ws) - 2, 0, -1):
        if ws[k][0].lower() in pk.so and "," in _gap(text, ws, k - 1):
            # "..., so X weiter: „Q“"; of a list ("so A, B und C: „Q“") the last one, next to the colon
            last = next((j for j in range(len(ws) - 2, k, -1) if ws[j][0].lower() in pk.conjunctions), k)
            span = _np_at(text, ws, last + 1, len(ws), pk)
            if span is not None and _speakerlike(text, span, pk):
                return ws[k][0], span
            break
    k = _last_cue(ws, pk)
    imp = next((j for j, (w, _, _) in enumerate(ws) if w.lower() in pk.impersonal_verbs), None)
    if imp is not None and (k is None or imp < k):
        k = imp   # "Auf der Website heißt es, warum man sich entschieden hat:": the source, not the reason's verb
    if k is None:
        # a colon without a listed verb: a bare label ("BKA-Präsident Ziercke:"), a subject before or after
        # an unlisted verb ("Das Fazit lautete:", "Den Unmut brachte X zum Ausdruck:"), a pronoun subject
        # ("Ministerin Petra Lang zur Reform:" names the topic after the label)
        t = next((j for j, (w, _, _) in enumerate(ws) if w.lower() in pk.topic_preps), len(ws))
        label = ws[:t]
        if label and len(label) <= 5 and ws[0][0][:1].isupper() and all(
                w[:1].isupper() or w.lower() in pk.determiners or w.lower() in pk.particles for w, _, _ in label) and \
                not any(w.lower() in pk.not_speakers or w.lower() in pk.conjunctions for w, _, _ in label) and \
                len(ws) - t <= 6 and not any(w.lower() in pk.verbish for w, _, _ in ws[t:]):
            return "", (ws[0][1], label[-1][2])
        verb = _guess_verb(ws, 0, pk, text)
        subj = _cue_subject(text, ws, verb, pk) if verb is not None else None
        if subj is not None and not _speakerlike(text, subj, pk):
            # without a verb of saying only someone says it: the owner of "Das Fazit von Anna Weber", nobody for
            # "Seine Zuversicht gründet sich auf ...:"
            subj = _speaking_owner(text, subj, pk)
        if subj is None:
            subj = next(((s_, e_) for w, s_, e_ in ws if w.lower() in pk.pronouns and
                         pk.pronouns[w.lower()] in ("m", "f")), None)
        return ("", subj) if subj else None
    w = ws[k][0]
    if w.lower() in pk.impersonal_verbs:
        return w, _source_place(text, ss, ss + len(before), ws, k, pk)
    return w, _cue_subject(text, ws, k, pk)


def _last_cue(ws, pk: _Pack, before=None):
    """Index of the last cue verb among words (before index `before`)."""
    found = None
    n = len(ws) if before is None else before
    for k in range(n):
        lw = ws[k][0].lower()
        if k and ws[k][0][:1].isupper():
            continue   # a noun ("Schreiben"), see _find_cue
        if lw in pk.clause_cues or _plural_cue(ws, k, pk) or (lw in pk.separable and any(
                x.lower() in pk.separable[lw] for x, _, _ in ws[k + 1:k + 12])):
            found = k
    return found


def _guess_verb(ws, a, pk: _Pack, text=None):
    """Index of the finite verb of a clause starting at word a: a listed verb form, or the first lower-case
    word after a noun that is no article, preposition or adverb; with the text, not the verb of a relative
    clause ("Der Ermittler, der als Zeuge gilt, will ...")."""
    rel = False
    for j in range(a + 1, min(len(ws), a + 16)):
        if text is not None and "," in _gap(text, ws, j - 1):
            rel = _opens_relative(text, ws, j, pk)
        if rel:
            continue
        w = ws[j][0]
        lw = w.lower()
        if lw in pk.verbish:
            return j
        if not w.islower() or lw in pk.determiners or lw in pk.genitive or lw in pk.particles or \
                lw in pk.prepositions or lw in pk.fillers or lw in pk.conjunctions or lw in pk.not_speakers or \
                lw in pk.personal_pronouns:
            continue
        p = ws[j - 1][0]
        if p.lower() in pk.determiners or p.lower() in pk.prepositions:
            continue
        if p[:1].isupper() or p[:1].isdigit() or p.lower() in pk.pronouns:
            return j
    return None


def _sentence_cue(text, ss, se, pk, skip):
    """The cue of a sentence: (cue, speaker span, kind, cue start, cue end) for a verb of saying with its
    subject ("verb"), "laut X" / "nach Angaben von X" ("according"), "X zufolge" ("according") ; or None."""
    ws = _outside(_words(text, ss, se), skip)
    low = [w.lower() for w, _, _ in ws]
    for k, lw in enumerate(low):
        # "..., so X(, ...)": the source named after a comma
        if lw in pk.so and k < len(ws) - 1 and ("," in _gap(text, ws, k - 1) if k else
                                                  text[ss:ws[0][1]].rstrip().endswith(",")):
            # (also right after an opening quotation: "„Q“, so X, ...")
            span = _np_at(text, ws, k + 1, len(ws), pk)
            # a noun phrase that ends the sentence is the source whatever it is ("..., so die Tonbandstimme.")
            if span and (_speakerlike(text, span, pk) or not text[span[1]:se].strip(" .!?\"“»)")):
                after = text[span[1]:span[1] + 12].lstrip()
                if not after or after[0] in ",.;:!?\"“»" or _WORD.match(after) and \
                        _WORD.match(after).group().lower() in pk.fillers:
                    return ws[k][0], span, "so", ws[k][1], span[1]
    for k, lw in enumerate(low):
        if lw in pk.according_suffixes and k > 0:
            # "X zufolge": the noun phrase before
            j = k - 1
            while j > 0 and (ws[j - 1][0][:1].isupper() or low[j - 1] in pk.determiners or
                             (low[j - 1] in pk.particles or low[j - 1] in pk.genitive_preps) and
                             ws[j][0][:1].isupper() or
                             (low[j - 1].endswith(pk.attr_adj) and low[j - 1] not in pk.verbish)) and \
                    text[ws[j - 1][2]:ws[j][1]].strip() in ("", "(", ")", ") ("):
                j -= 1   # back over "Angaben des Instituts von Athen", "des Verbandes (VDR)"
                if low[j] in pk.determiners and low[j] not in pk.genitive:
                    break   # an article that is no genitive opens the phrase ("mit 40 Zentimetern | den Plänen")
            end = ws[k - 1][2] + (text[ws[k - 1][2]:ws[k][1]].strip() == ")")
            if low[j] in pk.own_words:   # "eigenen Angaben zufolge": the clause's own subject
                return ws[k][0], _own_source(text, ws, j, k, pk), "according", ws[j][1], ws[k][2]
            return ws[k][0], (ws[j][1], end), "according", ws[j][1], ws[k][2]
    for k, lw in enumerate(low):
        if lw in pk.according_words and k + 1 < len(ws):
            span = _np_after(text, ws[k][2], se, pk)   # from the word's end: a quoted name is not in ws
            if span:
                return ws[k][0], span, "according", ws[k][1], span[1]
        if lw in pk.according_preps and k >= 2 and low[k - 1] in pk.according_nouns and \
                (low[k - 2] in pk.genitive or low[k - 2] in pk.determiners) and \
                not text[ws[k - 2][2]:ws[k - 1][1]].strip() and not text[ws[k - 1][2]:ws[k][1]].strip():
            # "Seiner Ansicht nach", "ihrer Meinung nach", "dem Vernehmen nach": the owner and the noun are the
            # source
            return ws[k][0], (ws[k - 2][1], ws[k - 1][2]), "according", ws[k - 2][1], ws[k][2]
        if lw in pk.according_preps and k + 1 < len(ws):
            j = k + 1
            if low[j] not in pk.according_nouns and j + 1 < len(ws) and low[j + 1] in pk.according_nouns and \
                    (ws[j][0].islower() or ws[j][0].endswith("s") and ws[j][0][:1].isupper()):
                j += 1   # "nach eigenen Angaben", "nach Schäubles Idee"
            elif low[j] in pk.determiners and j + 2 < len(ws) and ws[j + 1][0].islower() and \
                    low[j + 1].endswith(pk.adj_endings) and low[j + 2] in pk.according_nouns:
                j += 2   # "nach einer norwegischen Studie"
            if j == k + 2 and low[k + 1] in pk.own_words and low[j] in pk.according_nouns:
                # "nach eigenen Angaben": the source is the subject of the clause, not the phrase
                return ws[k][0], _own_source(text, ws, k, j, pk), "according", ws[k][1], ws[j][2]
            if low[j] in pk.according_nouns or j == k + 1 and low[j].endswith(pk.according_compounds):
                span = _np_after(text, ws[j][1], se, pk) if j == k + 1 else (ws[k + 1][1], ws[j][2])
                if span and j > k + 1:
                    span2 = _np_after(text, ws[j][1], se, pk)
                    span = (span[0], span2[1]) if span2 else span
                if span:
                    return ws[k][0], span, "according", ws[k][1], span[1]
    for k, lw in enumerate(low):
        # "Wie der Sprecher mitteilte, ...": the speaker between "wie" and the verb
        if lw in pk.as_words and k + 2 < len(ws) and (low[k + 1] in pk.determiners or ws[k + 1][0][:1].isupper()):
            # (a relative clause on the speaker does not count: "Wie X, der ... war, dazu feststellt")
            clause = _outside_relatives(text, ws, k + 1, len(ws), pk)[:15]
            j = _find_cue(clause, pk, clause_cues=True)
            if j is not None:
                span = _np_after(text, ws[k + 1][1], clause[j][1], pk)
                if span:
                    return clause[j][0], span, "as", ws[k][1], clause[j][2]
    k = _find_cue(ws, pk, clause_cues=True)
    if k is None:
        # "Demnach sei ...", "..., wonach er ... habe": the source is the sentence before, not named here
        k = next((j for j, lw in enumerate(low) if lw in pk.according_pronouns), None)
        return None if k is None else (ws[k][0], None, "according", ws[k][1], ws[k][2])
    if low[k] in pk.impersonal_verbs:
        return ws[k][0], _source_place(text, ss, se, ws, k, pk), "verb", ws[k][1], ws[k][2]
    return ws[k][0], _cue_subject(text, ws, k, pk), "verb", ws[k][1], ws[k][2]


def _own_source(text, ws, a, b, pk: _Pack):
    """The subject of a clause whose words a..b say "by its own account" ("nach eigenen Angaben", "eigenen
    Angaben zufolge"): after the verb when the phrase fills the Vorfeld, else the clause's subject."""
    if a == 0:
        return _mittelfeld_subject(text, ws, b + 2, _clause_end(text, ws, b + 1), pk)
    v = _guess_verb(ws, 0, pk, text)
    return _cue_subject(text, ws, v, pk) if v is not None else None


def _source_place(text, ss, se, ws, k, pk):
    """The written source of an impersonal cue: "heißt es in der Erklärung", "Auf der Website heißt es"."""
    low = [w.lower() for w, _, _ in ws]
    for j in range(k + 1, min(k + 4, len(ws) - 1)):
        if low[j] in pk.source_preps:
            return _np_after(text, ws[j + 1][1], se, pk)
    if low[0] in pk.source_preps and len(ws) > 1:
        return _np_after(text, ws[1][1], ws[k][1], pk)
    return None


def _has_konj(text, s, e, pk, skip=(), strong=False) -> bool:
    """Whether text[s:e], outside the quotations in skip, holds a Konjunktiv form: a verb, so in lower case
    unless it opens the range ("Sitze" is a noun), and not next to the first person ("ich habe")."""
    forms = pk.konj1 if strong else pk.konj
    ws = _outside(_words(text, s, e), skip)
    for k, (w, _, _) in enumerate(ws):
        if w.lower() in forms and (k == 0 or w.islower()) and \
                not (k and ws[k - 1][0].lower() in pk.first_person) and \
                not (k + 1 < len(ws) and ws[k + 1][0].lower() in pk.first_person):
            return True
    return False


def _zu_infinitive(text, s, e, pk) -> bool:
    """Whether the clause text[s:e] ends in an infinitive with its marker ("... zu haben", "... vorzugehen")."""
    ws = _WORD.findall(text, s, min(e, s + 400))
    if len(ws) < 2 or not pk.inf_marker:
        return False
    last = ws[-1].lower()
    if ws[-2].lower() == pk.inf_marker and last.endswith(pk.inf_endings):
        return True
    return any(last.startswith(p + pk.inf_marker) and last.endswith(pk.inf_endings) and len(last) > len(p) + 4
               for p in pk.sep_prefixes)


def _reported_start(text, a, b, pk: _Pack, sq=()):
    """Where the reported part of a sentence begins: after the comma that closes a head clause without a
    reported-speech verb form ("Bereits im Juli meldete X, dass ...", "Er zeigte sich offen für eine Idee, die ...
    solle")."""
    ws = _outside(_words(text, a, b), sq)
    if any(k and w.lower() in pk.konj and "," in text[ws[k - 1][2]:s] for k, (w, s, _) in enumerate(ws)):
        return a   # the verb right after a comma is the main clause's: "Die Straßen, die ..., müssten ..."
    last_comma = None
    for k, (w, s, e) in enumerate(ws):
        if k and "," in text[ws[k - 1][2]:s]:
            last_comma = k
        if w.lower() in pk.konj:
            if last_comma is not None and last_comma >= 2:
                return ws[last_comma][1]
            return a
    return a


def _trim(text, s, e):
    while s < e and text[s] in " ,;:–—-":
        s += 1
    while e > s and (text[e - 1] in " .,;:" or text[e - 1].isspace()):
        e -= 1
    return s, e


def _clip(text, a, b, pk: _Pack, sq=()):
    """The end of a reported clause: before a semicolon, a closing "(X berichtete)", a trailing "wie X schreibt"
    and a coordinated main clause with a verb of its own ("..., dass es regne und warnte vor ...")."""
    for qs, _ in sq:
        if a < qs < b and text[a:qs].rstrip().endswith(":"):
            return _trim(text, a, a + len(text[a:qs].rstrip()))   # "..., es werde: „Q“": the quote is its own
    ws = _outside(_words(text, a, b), sq)
    for k in range(1, len(ws) - 1):
        w, s, e = ws[k]
        lw = w.lower()
        gap = text[ws[k - 1][2]:s]
        if ";" in gap and not any(x <= ws[k - 1][2] < y for x, y in sq):
            return _trim(text, a, ws[k - 1][2] + gap.index(";"))
        if lw in pk.conjunctions and not gap.strip() and k + 1 < len(ws):
            nxt = ws[k + 1][0].lower()
            if nxt in pk.cues or nxt in pk.clause_cues and nxt not in pk.auxiliaries:
                return _trim(text, a, s)
        if "," in gap and w.islower() and (lw in pk.auxiliaries or lw in pk.clause_cues) and lw not in pk.konj and \
                not any(x < ws[k - 1][2] < y for x, y in sq):
            # the main clause goes on after a reported clause put first ("Die Hoffnung, er werde gesund,
            # wurde enttäuscht"; "Er sagte, er sei unschuldig, erklärte ...")
            return _trim(text, a, ws[k - 1][2] + gap.index(","))
        if lw in pk.as_so and "," in gap and k + 1 < len(ws):
            rest = ws[k + 1:]
            if len(rest) <= 6 and rest[-1][0].lower() in pk.clause_cues:
                return _trim(text, a, ws[k - 1][2])
    tail = text[a:b].rstrip()
    if tail.endswith(")") and "(" in tail:
        o = tail.rindex("(")
        inner = _WORD.findall(tail[o:])
        if inner and any(w.lower() in pk.clause_cues for w in inner) and o > 10:
            return _trim(text, a, a + o)
    return a, b


def _indirect(text, ss, se, sq, pk: _Pack, state: _State, si: int, out: list, sc, prev_ls=None) -> bool:
    """Reported speech in the sentence: a clause after the cue ("sagte, er habe ..."), the rest of a sentence
    after "Laut X", or a reported-speech sentence continuing the last speaker. Returns whether one was found."""
    sentence = text[ss:se]
    if sc is not None and sc[1] is not None and sc[2] == "verb" and not sq:
        # "Dies berichtete X": the pronoun stands for the reported content before it
        first = _WORD.match(text, ss)
        if first and first.group().lower() in pk.anaphoric and \
                not text[first.end():sc[3]].strip() and sc[1][0] > sc[3]:
            m = _mention(text, sc[1], pk, state)
            if m is not None and state.prev is not None and state.prev[2]:
                # „Q.“ Das sagte X: a quotation standing alone just before is X's
                ps, pe, psq = state.prev
                if not _outside(_words(text, ps, pe), psq):
                    for q in out:
                        if q["kind"] == "direct" and q["speaker"] is None and ps <= q["start"] < pe:
                            q.update(_speaker_fields(m, sc[0]))
            run = state.plain[-pk.dies_reach:] if pk.dies_reach else []
            if run:
                # what it stands for: the plain sentences just before it (ANAPHORIC_REACH of them), one span
                a, b = run[0][0], run[-1][1]
                _emit(out, text, a, b, "indirect", m, sc[0], text[a:b], 0.55)
            _emit(out, text, first.start(), first.end(), "indirect", m, sc[0], sentence, 0.6)
            state.last, state.last_sentence, state.last_indirect = m or state.last, si, si
            return True
    if sc is not None and (sc[1] is not None or sc[2] == "verb" or sc[0].lower() in pk.according_pronouns):
        cue, span, kind, cs, ce = sc
        if kind == "as":
            # "Wie X berichtete, TAIL" / "HEAD, wie X mitteilte, TAIL": both parts are reported
            comma = text.find(",", ce, se)
            if comma >= 0 and not text[ce:comma].strip(" )") or (comma >= 0 and len(text[ce:comma]) < 25):
                m = _mention(text, span, pk, state)
                if cs > ss + 1 and text[ss:cs].rstrip().endswith(","):
                    a, b = _trim(text, ss, cs)
                    if b - a > 10:
                        _emit(out, text, a, b, "indirect", m, cue, sentence, 0.55)
                a, b = _trim(text, comma + 1, se)
                if b - a > 10 and not any(q[0] <= a < q[1] for q in sq):
                    _emit(out, text, a, b, "indirect", m, cue, sentence, 0.6)
                    state.last, state.last_sentence, state.last_indirect = m or state.last, si, si
                    return True
        if kind in ("verb", "as"):
            # the clause after the cue: "X sagte (am Montag), (dass) CLAUSE"
            for c in _clause_commas(text, ce, se, sq, pk):
                head = text[ce:c]
                particle_ok = True
                sep = pk.separable.get(cue.lower())
                if sep and not any(x.lower() in sep for x in _WORD.findall(head)):
                    particle_ok = cue.lower() in pk.cues
                cs2 = c + 1
                first = _WORD.match(text, cs2 + len(text[cs2:se]) - len(text[cs2:se].lstrip()))
                fw = first.group().lower() if first else ""
                # a clause of cause, time or purpose ("weil ...", "um ... zu") is not what was said
                plain = (fw not in pk.subordinators or fw in pk.as_words) and fw not in pk.purpose
                if particle_ok and (fw in pk.that or plain and (
                        _has_konj(text, cs2, se, pk) or _zu_infinitive(text, cs2, se, pk) or
                        _zu_infinitive(text, cs2, _comma_or(text, cs2, se), pk))):
                    a, b = _trim(text, cs2, se)
                    a, b = _clip(text, a, b, pk, sq)
                    if b - a > 10:
                        m = _mention(text, span, pk, state)
                        _emit(out, text, a, b, "indirect", m, cue, sentence, 0.7 if fw in pk.that else 0.65)
                        state.last, state.last_sentence, state.last_indirect = m or state.last, si, si
                        return True
            # the clause before it: "CLAUSE, sagte X."
            before = text[ss:cs].rstrip()
            a, b = _trim(text, ss, len(before) + ss)
            first = _WORD.match(text, a)
            # a main clause before the verb, its speaker after it ("CLAUSE, berichtet Reuters."): reported
            # even without Konjunktiv; a subordinate clause there ("Als er kam, sagte er") is not
            inverted = span is not None and span[0] > cs and first is not None and \
                first.group().lower() not in pk.subordinators and "," not in _QUOTED.sub("", text[a:b]) and \
                not any(q[0] < b <= q[1] for q in sq)
            if before.endswith(",") and cs - ss > 15 and not any(q[0] <= a and b <= q[1] for q in sq) and \
                    (inverted or _has_konj(text, ss, cs, pk, sq)):
                m = _mention(text, span, pk, state)
                _emit(out, text, a, b, "indirect", m, cue, sentence, 0.6)
                state.last, state.last_sentence, state.last_indirect = m or state.last, si, si
                return True
        elif kind == "so":
            m = _mention(text, span, pk, state)
            found = False
            a, b = _trim(text, ss, cs)
            # "CLAUSE, so X.": the clause is the content, Konjunktiv or not (not when it is one quotation)
            if b - a > 15 and not any(q[0] <= a and b <= q[1] for q in sq):
                _emit(out, text, a, b, "indirect", m, cue, sentence, 0.6)
                found = True
            a, b = _trim(text, ce, se)
            if b - a > 15 and _has_konj(text, a, b, pk, sq):
                _emit(out, text, a, b, "indirect", m, cue, sentence, 0.55)
                found = True
            if found:
                state.last, state.last_sentence, state.last_indirect = m, si, si
                return True
        elif kind == "according" and (se - ce > 15 or cs - ss > 15) and \
                not any(ss <= q[0] and q[1] >= se - 2 for q in sq):
            m = _mention(text, span, pk, state)
            head = cs - ss
            if head > 1 and span is not None:
                # the part before is reported too ("Es handele sich, ersten Angaben zufolge, um ..."), from the
                # start of a relative or subordinate clause it opens ("..., das nach Angaben der Werft nicht
                # fertig wurde": "das"), else from the sentence start ("Weil ..., ist es laut X schwer, ...")
                a, b = _trim(text, _clause_opening(text, ss, cs, sq, pk), cs)
                bare = pk.fillers | pk.not_speakers | pk.relatives | pk.subordinators
                if b > a and not text[ss:cs].rstrip().endswith(",") and not all(
                        w.lower() in bare for w, _, _ in _words(text, a, b)):
                    # (a pronoun or adverb alone reports nothing: "das | nach Angaben der Werft", "Auch | dem
                    # Korrespondenten zufolge")
                    _emit(out, text, a, b, "indirect", m, cue, sentence, 0.55)
            start = ce
            if not text[ss:cs].strip():
                # the phrase opens the sentence: its verb comes right after it, the source's name may be longer
                # than the noun phrase read ("Nach Angaben des Fonds MIF der Bank IADB sandten Migranten ...")
                start = _verb_second(text, ce, se, pk) or ce
            a, b = _trim(text, start, se)
            a, b = _clip(text, a, b, pk, sq)
            if b > a:   # also a short rest ("Die Ursache ist nach Angaben der Polizei unklar.")
                _emit(out, text, a, b, "indirect", m, cue, sentence, 0.6)
            state.last, state.last_sentence, state.last_indirect = m or state.last, si, si
            return True
    if prev_ls is None:
        prev_ls = state.last_sentence
    adjacent = state.last is not None and si - prev_ls == 1
    going_on = state.last_indirect == si - 1 and out and out[-1]["kind"] == "indirect" and out[-1].get("_cont")
    # a Konjunktiv I sentence reports speech even a few sentences after its speaker (then it is given none)
    if sc is None and si - prev_ls <= pk.konj_reach and (
            _has_konj(text, ss, se, pk, sq, strong=True) or going_on and _has_konj(text, ss, se, pk, sq)):
        first = _WORD.match(text, ss)
        if first and first.group().lower() in pk.that:
            return False
        a, b = _trim(text, ss, se)
        a = _reported_start(text, a, b, pk, sq)
        prev = out[-1] if out else None
        if prev is not None and prev["kind"] == "indirect" and state.last_indirect == si - 1 and \
                prev.get("_cont") and not text[prev["end"]:a].strip(" .!?\n") and "\n" not in text[prev["end"]:a]:
            prev["end"] = b
            prev["text"] = text[prev["start"]:b]
        else:
            _emit(out, text, a, b, "indirect", state.last if adjacent else None, None, sentence, 0.55)
            out[-1]["_cont"] = True
        if adjacent:
            state.last_sentence = si
        state.last_indirect = si
        return True
    if sc is None and not sq and _hearsay(text, ss, se, pk):
        # "Der Täter soll geflohen sein": a claim passed on without its source, so without a speaker
        a, b = _trim(text, ss, se)
        _emit(out, text, a, b, "indirect", None, None, sentence, 0.55)
        state.last_indirect = si
        return True
    return False


def _hearsay(text, ss, se, pk: _Pack) -> bool:
    """Whether a sentence reports a claim by a modal of hearsay with a perfect infinitive at its end ("soll ...
    gesagt haben", "sollen ... verhaftet worden sein"), not a plan ("soll ... gebaut werden")."""
    ws = _words(text, ss, se)
    if len(ws) < 4 or ws[-1][0] not in pk.perfect_auxiliaries or text[ws[-1][2]:se].strip(" .!?") or \
            not any(w in pk.hearsay_modals for w, _, _ in ws[1:-2]):
        return False
    participle = ws[-2][0]
    return participle.islower() and participle.endswith(pk.participle_endings)


def _comma_or(text, i, se) -> int:
    """The first comma from i, else se: an infinitive clause may end there, before a relative clause ("..., die
    Gebühr zu erheben, die ... gilt")."""
    c = text.find(",", i, se)
    return se if c < 0 else c


def _clause_opening(text, ss, cs, sq, pk: _Pack) -> int:
    """The start of the last relative or subordinate clause before cs ("..., das" / "..., da" / "..., von dem"),
    else ss."""
    ws = _outside(_words(text, ss, cs), sq)
    for k in range(len(ws) - 1, 0, -1):
        lw = ws[k][0].lower()
        if "," in text[ws[k - 1][2]:ws[k][1]] and (
                lw in pk.relatives or lw in pk.subordinators or
                lw in pk.prepositions and k + 1 < len(ws) and ws[k + 1][0].lower() in pk.relatives):
            return ws[k][1]
    return ss


def _verb_second(text, i, se, pk: _Pack):
    """Where the finite verb after a sentence-opening phrase starts: past the rest of a long name (capitalised
    words, numbers, articles, particles, adjectives, an apposition), the first word that is a listed verb form or
    follows a noun; None when it cannot be told."""
    ws = _words(text, i, se)
    for k, (w, s, _) in enumerate(ws[:14]):
        lw = w.lower()
        if lw in pk.verbish and w.islower():
            return s
        if w[:1].isupper() or w[:1].isdigit() or lw in pk.determiners or lw in pk.genitive or \
                lw in pk.particles or lw in pk.genitive_preps or lw.endswith(pk.attr_adj):
            continue
        if k and (ws[k - 1][0][:1].isupper() or ws[k - 1][0][:1].isdigit()) and lw not in pk.prepositions and \
                lw not in pk.conjunctions and lw not in pk.fillers and lw not in pk.not_speakers:
            return s
        return None
    return None


def _clause_commas(text, ce, se, sq, pk: _Pack):
    """The commas after a cue verb that may open its reported clause: the first one, and after it those that
    only close an apposition or adverbial without a verb ("gab der Leiter, Andreas Huber, bekannt, dass")."""
    c = text.find(",", ce, se)
    while c >= 0 and c - ce < 120 and not any(q[0] < c < q[1] for q in sq):
        yield c
        nxt = text.find(",", c + 1, se)
        if nxt < 0 or any(w.lower() in pk.verbish or w.lower() in pk.that for w, _, _ in _words(text, c + 1, nxt)):
            return
        c = nxt


def _head_end(text, ss, se, sq) -> int:
    """The end of a sentence's first clause: its first comma outside the quotations, else the sentence end.
    A Konjunktiv only after it ("X sieht einen „Angriff“, es stehe ...") leaves the head clause its own
    subject: the sentence does not simply go on with the last speaker."""
    i = ss
    for qs, qe in [*sq, (se, se)]:
        c = text.find(",", i, qs)
        if c >= 0:
            return c
        i = qe
    return se


def _is_quotation(text: str, qs: int, qe: int, attributed: bool, context: bool, pk: _Pack) -> float:
    """How likely the quoted span text[qs:qe] is a quotation rather than a name or title (0..1).

    A quote with its own cue is one; so is a phrase in lower case (a word quoted from a speaker) or a whole
    quoted sentence. A capitalised short span is a name or title ("die Zeitung „Die Welt“") unless the
    sentence reports speech and calls something by it ("nannte es einen „Wortbruch“")."""
    content = text[qs + 1:qe - 1]
    ws = _WORD.findall(content)
    if not ws:
        return 0.0
    n = len(ws)
    term = bool(_TERMINAL.search(content[-2:]))
    lower = content[:1].islower()
    if attributed:
        return 0.9 if (n >= 3 or term or lower) else 0.4
    prev = _WORD.findall(text[max(0, qs - 40):qs])
    prev = prev[-1].lower() if prev else ""
    name_like = text[qe:qe + 3].lstrip().startswith("(") or (prev.endswith(pk.org_heads) and not lower)
    if name_like:
        return 0.3
    if lower:
        if context or n >= 4:
            return 0.8
        return 0.55 if n >= 2 else 0.3
    if n >= 4:
        return 0.8 if term else 0.6 if context else 0.35
    if context and prev in pk.naming_words:
        return 0.55
    return 0.2


def _speech_context(text, ss, se, sq, pk: _Pack) -> bool:
    """Whether the sentence, outside its quote marks, reports speech."""
    ws = _outside(_words(text, ss, se), sq)
    for k, (w, s, _) in enumerate(ws):
        lw = w.lower()
        if lw in pk.clause_cues or lw in pk.konj or lw in pk.according_suffixes or lw in pk.according_words:
            return True
        if lw in pk.separable and any(x.lower() in pk.separable[lw] for x, _, _ in ws[k + 1:k + 12]):
            return True
    return False


def _embedded_speaker(text, ss, se, qs, sq, sc, pk: _Pack):
    """The speaker of a quotation inside a sentence without its own attribution: the "laut X" source, the
    subject of the nearest verb of saying (before the quote, else after it), or the subject of the main
    clause when it can be a speaker. Returns (cue, span, whether the sentence's subject is someone or something
    else that cannot be the speaker: then the last speaker is not the speaker either)."""
    ws = _outside(_words(text, ss, se), sq)
    n = sum(1 for w in ws if w[1] < qs)
    if sc is not None and sc[2] in ("according", "as", "so") and sc[1] is not None:
        if sc[2] == "so" and sc[3] > qs:
            # "..., zumal X betont hatte, der Angeklagte sei „…“, ..., so Y": a quotation in the reported clause
            # of a verb of saying is that verb's subject's, not the closing source's
            k = _last_cue(ws, pk, before=n)
            subj = k is not None and _reported_clause(text, ws[k][2], qs, pk) and _cue_subject(text, ws, k, pk)
            if subj:
                return ws[k][0], subj, False
        return sc[0], sc[1], False
    k = _last_cue(ws, pk, before=n)
    if k is None:
        k2 = _find_cue(ws[n:], pk, clause_cues=True)
        k = None if k2 is None else n + k2
    if k is not None:
        if ws[k][0].lower() in pk.impersonal_verbs:
            return ws[k][0], _source_place(text, ss, se, ws, k, pk), False
        subj = _cue_subject(text, ws, k, pk)
        if subj is not None:
            return ws[k][0], subj, False
        if _passive_clause(text, ws, pk):
            # "X wird von Y als „…“ bezeichnet": Y; without an agent nobody is named
            return ws[k][0], _passive_agent(text, ws, 0, k, pk), True
    if not ws:
        return None, None, False
    v = _guess_verb(ws, 0, pk, text)
    if v is None:
        return None, None, False
    subj = _cue_subject(text, ws, v, pk)
    if subj is not None and _passive_clause(text, ws, pk) and not _after_agent_preposition(subj, ws, pk):
        return None, None, True   # the subject of a passive is acted on ("X wurde als „…“ bezeichnet"); its
        # agent ("von Kritikern") is the one who speaks
    if subj is not None and _speakerlike(text, subj, pk):
        return None, subj, False
    # a subject that is no speaker ("Die Wiener Linien gelten als „…“"), but not a pronoun that may be one
    return None, None, subj is not None and _classify(text, subj[0], subj[1], pk).kind != "unresolved"


def _reported_clause(text, ce, qs, pk: _Pack) -> bool:
    """Whether a quotation at qs stands in the clause reported by the verb of saying ending at ce: a comma
    opens that clause after the verb (and its auxiliary: "betont hatte,"), and no colon, semicolon or coordinated
    main clause ("..., aber") comes before the quote."""
    between = text[ce:qs]
    verb_end = between.split(",")[0].split()
    return "," in between and all(w.lower() in pk.auxiliaries for w in verb_end) and \
        not any(c in between for c in ":;") and not any(
        w.lower() in pk.conjunctions and "," in text[ce:s] for w, s, _ in _words(text, ce, qs))


def _opinion_holder(text, ss, se, sq, pk: _Pack):
    """The person whose view a sentence opening with "Für X" gives ("Für den Minister ist das ein „Fehler“");
    not a place or thing ("Für Berlin ist das ein „Meilenstein“")."""
    ws = _outside(_words(text, ss, se), sq)
    if len(ws) < 3 or ws[0][0].lower() not in pk.opinion_preps:
        return None
    span = _np_after(text, ws[0][2], se, pk)
    return span if span is not None and _named_person(text, span, pk) else None


def _after_agent_preposition(span, ws, pk: _Pack) -> bool:
    """Whether the noun phrase at span follows "von"/"vom": the agent of a passive, not its subject."""
    before = [w for w, _, e in ws if e <= span[0]]
    return bool(before) and before[-1].lower() in pk.agent_preps


def _passive_clause(text, ws, pk: _Pack) -> bool:
    """Whether the main clause (up to its first comma, outside relative clauses) is passive: a passive
    auxiliary and a participle ending it ("Vergleiche werden gezogen", "Er wurde als „…“ bezeichnet")."""
    end = next((j for j in range(1, len(ws)) if "," in _gap(text, ws, j - 1)), len(ws))
    main = _outside_relatives(text, ws, 0, end, pk)
    if len(main) < 3 or not any(w.lower() in pk.passive for w, _, _ in main[:-1]):
        return False
    last = main[-1][0]
    return last.islower() and (last.endswith(pk.weak_participle_endings) or
                               last.startswith(pk.participle_prefixes) and last.endswith(pk.participle_endings))


def _prev_subject(text, pk: _Pack, state: _State) -> _Mention | None:
    """The speaker named in the sentence before: its cue's speaker, else the subject of its main clause, when it
    can be a speaker (a person, an organisation, a role or group of people); else None."""
    if state.prev is None:
        return None
    ss, se, sq = state.prev
    if text[ss:se].rstrip(" \"“”»«").endswith("?"):
        return None   # a question before the quotation: it answers, and the question names no one who answers
    sc = _sentence_cue(text, ss, se, pk, sq)
    span = sc[1] if sc is not None else None
    if span is None:
        ws = _outside(_words(text, ss, se), sq)
        v = _guess_verb(ws, 0, pk, text) if ws else None
        span = _cue_subject(text, ws, v, pk) if v is not None else None
    if span is None or not _speakerlike(text, span, pk):
        return None
    return _mention(text, span, pk, state)


def _sentence_quotes(text, ss, se, sq, pk: _Pack, state: _State, si: int, out: list):
    sentence = text[ss:se]
    sc = _sentence_cue(text, ss, se, pk, sq)
    prev_ls = state.last_sentence
    context = None
    for qs, qe in sq:
        post = _bracketed(text, ss, qs, qe, sq, pk) or _post_attribution(text, qe, se, pk)
        pre = None if post else _pre_attribution(text, ss, qs, pk, sq)
        att = post or pre
        if att is None and context is None:
            context = _speech_context(text, ss, se, sq, pk)
        conf = _is_quotation(text, qs, qe, att is not None, bool(context), pk)
        if conf < 0.5:
            continue
        cue, m = None, None
        holder = None if att or sc is not None else _opinion_holder(text, ss, se, sq, pk)
        if att:
            cue = att[0] or None
            m = _mention(text, att[1], pk, state)
        elif holder is not None:
            m = _mention(text, holder, pk, state)
        elif sc is None and state.last is not None and si - state.last_sentence <= 3 and \
                _has_konj(text, ss, se, pk, sq, strong=si - state.last_sentence > 1) and \
                _has_konj(text, ss, _head_end(text, ss, se, sq), pk, sq):
            # reported speech going on without a cue: the same speaker (right after the report a Konjunktiv II
            # form carries it too: "Laut Polizei habe ... . Dies hätten die Beamten „…“ verhindert.")
            m = state.last
        else:
            cue, span, other = _embedded_speaker(text, ss, se, qs, sq, sc, pk)
            if span is not None:
                m = _mention(text, span, pk, state)
            elif state.last_sentence != si - 1 and not _outside(_words(text, ss, se), sq):
                # a quotation standing alone after a sentence about someone ("X verurteilte ... . „Q“"):
                # the subject of that sentence speaks; when it names nobody, nobody is sure
                m = _prev_subject(text, pk, state)
            elif state.last is not None and si - state.last_sentence <= 3 and not other:
                m = state.last
        if m is not None:
            state.last = m
            state.last_sentence = si
        _emit(out, text, qs, qe, "direct", m, cue, sentence, conf)
    _indirect(text, ss, se, sq, pk, state, si, out, sc, prev_ls)
    if sc is not None and sc[1] is not None and state.last_sentence != si:
        m = _mention(text, sc[1], pk, state)
        state.last, state.last_sentence = m, si
