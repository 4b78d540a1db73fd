"""Direct quotes attributed by the words at their edges, for languages whose pack names this finder
(`FINDER = "quote_edges"`: French, Spanish).

Where German needs the verb-second clause reading of `reported_speech.py`, these languages put a speaker
as a noun phrase with lower-case common nouns ("le préfet de police", "el portavoz del Gobierno") next to a
verb of saying, simple or compound ("a déclaré", "ha dicho"), and that verb next to the quotation. So a
quotation is attributed only where its edges say who speaks, and nowhere else (a wrong speaker is worse
than none):
- after it, a cue and its subject: `« Q », a déclaré le ministre`, `« Q », affirme-t-elle`,
  `«Q» —dijo la alcaldesa—`, `« Q », selon la police`; a cue without a subject (Spanish drops it) goes on
  with the speaker of the quote just before, or else with the subject the sentence before opens with
  (`El abogado, Xosé Carballo, anunció ... . «Q», señaló.`);
- inside it, a cue set between commas or dashes splits it in two with that speaker: `« Q1, reconnaît-il.
  Q2 »`, `«Q1 —aseguró el entrenador—, Q2»`;
- before it, a clause with a cue: `Le préfet a indiqué : « Q »`, `Sophie Lenoir, maire de Lyon, a
  déclaré : « Q »` (of a name and a description between commas, the name), `X a qualifié la décision
  de « Q »`, `Selon X, « Q »`;
- a sentence that is only a quotation, right after an attributed one: the same speaker;
- otherwise no speaker; and a quotation nobody is said to speak that is short (a term in quote marks) or
  short and inside a sentence of other words (a title, a name) is no quote.
Quote marks, sentences and words are read as `reported_speech.py` reads them, from the same pack
constants. Speakers are the mention as written; a pronoun is resolved for `speaker_id` to the speaker just
before when the genders agree.
"""

from __future__ import annotations

import functools

import regex as re

from transforms.analysis.reported_speech import (_emit, _Mention, _pair_marks, _paragraphs, _prepared, _sentences,
                                                 _words)
from transforms.analysis.speakers import speaker_id as _speaker_id

__all__ = ["find_quotes"]

_DASHES = "—–"
_INCISE_END = re.compile(r"[.,;—–]")
_GAP_CHARS = " \u00a0\u202f,"   # what may stand between a quotation and a cue after it (with one dash)
_MAX_NP = 12                     # words in a speaker noun phrase
_SHORT = 4                       # fewer words than this, unattributed: a term in quote marks, not a quotation
_EMBEDDED = 8                    # and fewer than this inside a sentence of other words: a title or a name


class _Edges:
    """A pack's constants in the shapes this finder needs (built once per pack)."""

    def __init__(self, mod):
        g = lambda name: frozenset(w.lower() for w in getattr(mod, name, ()))  # noqa: E731
        self.structure = _prepared(mod)   # quote marks, sentence ends, abbreviations
        self.cues = g("CUE_VERBS")
        self.participles = g("CUE_PARTICIPLES")
        self.auxiliaries = g("AUXILIARIES")
        self.according = g("ACCORDING_WORDS")
        self.fillers = g("CUE_FILLERS")
        self.clitics = g("OBJECT_CLITICS")
        self.pronouns = dict(getattr(mod, "PRONOUNS", {}))
        self.determiners = g("DETERMINERS")
        self.male_det, self.female_det = g("MALE_DETERMINERS"), g("FEMALE_DETERMINERS")
        self.elided = tuple(getattr(mod, "ELIDED_DETERMINERS", ()))
        self.elided_links = tuple(getattr(mod, "ELIDED_LINKS", ()))
        self.links = g("NAME_LINKS")
        self.stops = g("NP_STOPS")
        self.adverb_endings = tuple(getattr(mod, "ADVERB_ENDINGS", ()))
        self.roles = g("ROLES")
        self.female_roles = g("FEMALE_ROLES")
        self.org_heads = g("ORG_HEADS")
        self.adjunct_starts = g("ADJUNCT_STARTS")
        self.opinion = g("OPINION_WORDS")
        self.adjunct_or_stop = self.adjunct_starts | self.stops
        self.verbs = self.cues | self.participles | self.auxiliaries
        self.np_tails = self.links | self.determiners   # never the last word of a speaker


@functools.lru_cache(maxsize=16)
def _edges(mod) -> _Edges:
    return _Edges(mod)


def find_quotes(text: str, pack, min_confidence: float = 0.5) -> list[dict]:
    """Direct quotes of `text` with the speakers their edges name, read with the language `pack`; [] on
    anything unusable (a quote finder must never break the pipeline)."""
    try:
        if not isinstance(text, str) or not text.strip() or pack is None:
            return []
        out = _find(text, _edges(pack))
        return [q for q in out if q["confidence"] >= min_confidence]
    except Exception:
        return []


def _find(text: str, ek: _Edges) -> list[dict]:
    out: list[dict] = []
    index = 0
    for ps, pe in _paragraphs(text):
        quotes = _pair_marks(text, ps, pe, ek.structure)
        sentences = _sentences(text, ps, pe, quotes, ek.structure)
        last, last_sentence = None, -10   # a voice does not carry across paragraphs
        prev, prev_quoted = None, False   # the sentence before, in this paragraph, and whether it quoted
        qi = 0
        for ss, se in sentences:
            index += 1
            sq = []
            while qi < len(quotes) and quotes[qi][0] < se:
                if quotes[qi][0] >= ss:
                    sq.extend(_incise(text, *quotes[qi], ek))
                qi += 1
            if not sq:
                prev, prev_quoted = (ss, se), False
                continue
            before_in_sentence: _Mention | None = None
            alone = _only_quotations(text, ss, se, sq)   # the sentence is nothing but its quotations
            for n, (qs, qe, inner) in enumerate(sq):
                clause_start = sq[n - 1][1] if n else ss
                cue, span, carry = inner or _after(text, qe, se, ek) or _before(text, clause_start, qs, ek) or \
                    (None, None, False)
                m = _mention(text, span, ek, last) if span else None
                if m is None and carry:
                    m = before_in_sentence or (last if index - last_sentence <= 1 else None)
                    if m is None and prev is not None and last is None:
                        # "X defendió la rebaja. «Q», afirmó.": the subject of the sentence before speaks
                        span = _opening_subject(text, *prev, ek)
                        m = _mention(text, span, ek, None) if span and _speaks(text, span, ek) else None
                if m is None and cue is None and n == 0 and alone:
                    if index - last_sentence == 1:
                        m = last   # "« Q1 », a dit X. « Q2 »": X goes on
                    elif prev is not None and not prev_quoted:
                        # "Leur porte-parole, Jonathan Pelletier, habite ici depuis 1996. « Q »": that person
                        span = _opening_subject(text, *prev, ek)
                        m = _mention(text, span, ek, None) if span and _speaks(text, span, ek) else None
                if m is None and cue is None and len(_words(text, qs + 1, qe - 1)) < (_SHORT if alone else _EMBEDDED):
                    continue   # a term, a title or a name in quote marks: nobody is said to speak it
                conf = 0.9 if m is not None else 0.6
                _emit(out, text, qs, qe, "direct", m, cue, text[ss:se], conf)
                out[-1]["speaker_id"] = _speaker_id(m.resolved) if m is not None and m.resolved else None
                if m is not None:
                    last, last_sentence, before_in_sentence = m, index, m
            prev, prev_quoted = (ss, se), True
    return out


def _incise(text, qs, qe, ek: _Edges):
    """A quotation, or its two halves around a cue set inside it: `« Q1, reconnaît-il. Q2 »`,
    `«Q1 —aseguró el entrenador—, Q2»`. Each is (start, end, attribution or None)."""
    ws = _words(text, qs + 1, qe - 1)
    for k in range(1, len(ws) - 1):
        gap = text[ws[k - 1][2]:ws[k][1]].replace(" ", "")
        if gap not in (",", ",—") and not (gap and gap in _DASHES):
            continue
        j, cue, pronoun = _verb_group(text, ws, k, ek)
        if cue is None or ws[k][0].lower() in ek.according:
            continue
        span = pronoun or _np(text, ws, _past_adjunct(ws, j, ek), qe, ek)
        end = (pronoun[1] if pronoun else span[1]) if span else ws[j - 1][2]
        close = _INCISE_END.search(text, end, min(qe - 1, end + 60))
        after = text[end:close.start()].split() if close else ()
        if close is None or after and after[0].lower() not in ek.adjunct_or_stop:
            continue   # the cue closes with punctuation, after an adjunct at most ("la cineasta en la rueda de
            # prensa—."), and words of the quotation follow
        rest = close.end()
        while rest < qe - 1 and (text[rest].isspace() or text[rest] in ".,;—–"):
            rest += 1
        if rest >= qe - 1:
            continue
        first_end = ws[k - 1][2]
        return [(qs, first_end, (cue, span, span is None)), (rest, qe, (cue, span, span is None))]
    return [(qs, qe, None)]


def _only_quotations(text, ss, se, sq) -> bool:
    pos = ss
    for qs, qe, *_ in sq:
        if text[pos:qs].strip(" \u00a0.,;:!?—–-"):
            return False
        pos = qe
    return not text[pos:se].strip(" \u00a0.,;:!?—–-")


# ------------------------------------------------------------------ after the quotation

def _after(text, qe, se, ek: _Edges):
    """`« Q », a déclaré X` / `« Q », affirme-t-il` / `«Q» —dijo X—` / `« Q », selon X`: (cue, speaker span,
    carry) or None. carry: a cue without a subject, the voice of the quote before goes on."""
    i = qe
    while i < se and text[i] in _GAP_CHARS:
        i += 1
    dash = i < se and text[i] in _DASHES
    if dash:
        i += 1
        while i < se and text[i].isspace():
            i += 1
    if not dash and "," not in text[qe:i] and text[qe - 2:qe - 1] not in ",!?":
        return None   # "« Q » est une ..." goes on with the sentence: no cue here
    ws = _words(text, i, se)
    if not ws or ws[0][1] != i:
        return None
    k = 0
    while k < len(ws) - 1 and ws[k][0].lower() in ek.clitics:   # "« Q », lui a répondu la ministre"
        k += 1
    k, cue, pronoun = _verb_group(text, ws, k, ek)
    if cue is None:
        return None
    if pronoun is not None:
        return cue, pronoun, False
    span = _np(text, ws, _past_adjunct(ws, k, ek), se, ek)
    return cue, span, span is None and cue.lower() not in ek.according


def _past_adjunct(ws, k, ek: _Edges) -> int:
    """Word k, or the word after a short adjunct between a cue and its subject: "a déclaré à la tribune le
    médiateur", "detalló a LA NACION el fiscal", "a raconté en riant le jeune attaquant"."""
    if k >= len(ws) or ws[k][0].lower() not in ek.adjunct_starts:
        return k
    for j in range(k + 1, min(len(ws), k + 6)):
        if _determined(ws[j][0].lower(), ek) and ws[j - 1][0].lower() not in ek.links and \
                ws[j - 1][0].lower() not in ek.adjunct_starts:
            return j
    return k


def _verb_group(text, ws, k, ek: _Edges):
    """A cue starting at word k: (index after it, cue text, inverted pronoun span or None), or (k, None, None).
    "a déclaré", "a-t-il déclaré", "affirme-t-elle", "ha dicho", "selon", "dijo"."""
    if k >= len(ws):
        return k, None, None
    w, s, _ = ws[k]
    lw = w.lower()
    head, pron = _inverted(w, s, ek)
    if lw in ek.according:
        return k + 1, w, None
    if head in ek.auxiliaries:
        j = k + 1
        while j < len(ws) and ws[j][0].lower() in ek.fillers:
            j += 1
        if j < len(ws) and ws[j][0].lower() in ek.participles:
            return j + 1, f"{w} {ws[j][0]}", pron
        return k, None, None
    if head in ek.cues and w[:1].islower():
        return k + 1, w if pron is None else w[:len(head)], pron
    return k, None, None


def _inverted(w: str, s: int, ek: _Edges):
    """"affirme-t-elle" -> ("affirme", span of "elle"); any other word -> (the word, None)."""
    if "-" not in w:
        return w.lower(), None
    parts = w.split("-")
    if parts[-1].lower() in ek.pronouns:
        return parts[0].lower(), (s + len(w) - len(parts[-1]), s + len(w))
    return w.lower(), None


# ------------------------------------------------------------------ before the quotation

def _before(text, cs, qs, ek: _Edges):
    """A clause before the quotation, from cs, that holds a cue: its subject, (cue, span, carry) or None.
    `X a déclaré : « Q »`, `X a qualifié ... de « Q »`, `Selon X, « Q »`, `Et d'ajouter : « Q »` (carry)."""
    ws = _words(text, cs, qs)
    if not ws:
        return None
    for k in range(len(ws)):
        if ws[k][0].lower() in ek.according:
            span = _np(text, ws, k + 1, qs, ek)
            if span and text[span[1]:qs].count(",") <= 1:   # not "Selon X, ..., et des affiches « Q »"
                return ws[k][0], span, False
    k = _last_cue(text, ws, ek)
    if k is None:
        # "Le bourgmestre, Thierry Collard, est formel : « Q »": a clause ending in a colon whose subject is
        # a person speaks without a verb of saying ("Le bilan est lourd : « Q »" names nobody)
        if text[cs:qs].rstrip().endswith(":"):
            span = _opening_subject(text, cs, qs, ek)
            if span is not None and _speaks(text, span, ek):
                return "", span, False
        return None
    _, cue, pronoun = _verb_group(text, ws, k, ek)
    if pronoun is not None:
        return cue, pronoun, False
    span = _subject(text, ws, k, ek)
    return cue, span, span is None


def _last_cue(text, ws, ek: _Edges):
    """Index of the verb group of the last cue among the words: the auxiliary of a compound form."""
    found = None
    for k, (w, _, _) in enumerate(ws):
        if not w[:1].islower():
            continue   # a verb of saying is written in lower case
        lw = w.lower()
        head, _ = _inverted(w, 0, ek)
        if (lw in ek.cues or head in ek.cues) and not (
                k and ws[k - 1][0].lower() in ek.determiners and not text[ws[k - 1][2]:ws[k][1]].strip()):
            found = k   # not "la sentencia", "une note"
        elif lw in ek.participles:
            j = k - 1
            while j >= 0 and ws[j][0].lower() in ek.fillers:
                j -= 1
            aux = ws[j][0].lower() if j >= 0 else ""
            if j >= 0 and (aux in ek.auxiliaries or aux.split("'")[-1] in ek.auxiliaries or
                           _inverted(ws[j][0], 0, ek)[0] in ek.auxiliaries):   # "a", "l'a", "s'est", "a-t-il"
                found = j
    return found


def _subject(text, ws, k, ek: _Edges):
    """The subject of the clause whose verb group starts at word k: the noun phrase before it, past leading
    adverbials ("Jeudi, le préfet a indiqué"), before an apposition ("Sophie Lenoir, maire de Lyon, a
    déclaré"); a pronoun ("Il a ajouté"). None when the clause names none."""
    j = k
    while j > 0 and ws[j - 1][0].lower() in ek.clitics:   # "Il nous a déclaré"
        j -= 1
    if j == 0:
        return None
    segments, seg = [], [0]
    for n in range(1, j):
        gap = text[ws[n - 1][2]:ws[n][1]].strip()
        if "," in gap or gap and gap in _DASHES:
            segments.append((seg[0], n))
            seg = [n]
    segments.append((seg[0], j))
    if "," not in text[ws[j - 1][2]:ws[j][1]]:
        a, _ = segments[-1]
        return _np(text, ws, a, ws[j][1], ek, whole=(a, j))
    # "Sophie Lenoir, maire de Lyon, a déclaré", "La portavoz, Elena Villalba, ha dicho", "Jeudi, X, ...":
    # of the phrases between commas, a name before a description
    found = [(a, b) for a, b in segments if not _adverbial(ws[a][0], ek) and _np(text, ws, a, ws[b - 1][2], ek,
                                                                                 whole=(a, b))]
    named = [(a, b) for a, b in found if not _determined(ws[a][0].lower(), ek) and ws[a][0][:1].isupper()]
    if not (named or found):
        return None
    a, b = (named or found)[0]
    return ws[a][1], ws[b - 1][2]


def _opening_subject(text, ss, se, ek: _Edges):
    """The noun phrase a clause opens with, past adverbials between commas ("Joint au téléphone, le
    président, Étienne Bourassa, ..."), or the holder of "Pour X, ..." / "Para X, ..."; None otherwise."""
    ws = _words(text, ss, se)
    k = 0
    while k < len(ws):
        if ws[k][0].lower() in ek.opinion:
            span = _np(text, ws, k + 1, se, ek)
            return span if span and "," in text[span[1]:span[1] + 2] else None
        if not _adverbial(ws[k][0], ek):
            return _np(text, ws, k, se, ek)
        while k + 1 < len(ws) and "," not in text[ws[k][2]:ws[k + 1][1]]:   # to the end of the adverbial
            k += 1
        k += 1
    return None


def _speaks(text, span, ek: _Edges) -> bool:
    """Whether a mention can be said to speak without a verb of saying: a named person or a role."""
    m = _mention(text, span, ek, None)
    return m.kind == "person" or m.title is not None


def _adverbial(w: str, ek: _Edges) -> bool:
    lw = w.lower()
    return lw in ek.stops or _adverb(lw, "", ek)


def _adverb(lw: str, before: str, ek: _Edges) -> bool:
    """"visiblement", "finalmente"; not a noun after its article ("du gouvernement", "el parlamento")."""
    return lw.endswith(ek.adverb_endings) and len(lw) > 6 and before not in ek.np_tails


# ------------------------------------------------------------------ speakers

def _np(text, ws, k, limit, ek: _Edges, whole=None):
    """A speaker noun phrase at word k: a pronoun, or a determiner or a capitalised word, then its nouns,
    adjectives, names and "de ..." complements, up to punctuation, a preposition, an adverb or a verb; a name
    after a comma joins a description ("le ministre de l'Intérieur, Gérald Darmanin"). With `whole` (a
    clause's subject: words a..b) every word up to b must belong to it."""
    if k >= len(ws):
        return None
    w0, s0, e0 = ws[k]
    lw0 = w0.lower()
    if lw0 in ek.pronouns:
        return (s0, e0) if whole is None or whole[1] == k + 1 else None
    if not (_determined(lw0, ek) or w0[:1].isupper() or lw0 in ek.roles):
        return None
    if lw0 in ek.stops or lw0 in ek.verbs:
        return None
    end, n = e0, k + 1
    stop = whole[1] if whole else len(ws)
    while n < stop and n - k < _MAX_NP:
        w, s, e = ws[n]
        lw = w.lower()
        if lw.startswith(ek.elided_links) and not text[end:s].strip():
            end, n = e, n + 1   # "le météorologue d'Environnement Canada"
            continue
        if text[end:s].strip() or lw in ek.stops or lw in ek.verbs or lw in ek.pronouns or \
                _adverb(lw, ws[n - 1][0].lower(), ek) or \
                _determined(lw, ek) and lw not in ek.links and ws[n - 1][0].lower() not in ek.links and \
                not (w[:1].isupper() and ws[n - 1][0][:1].isupper()):   # "Martine Le Goff" goes on
            # a determiner after the noun opens another phrase: "el ministro el lunes", not "de la CGT"
            break
        end, n = e, n + 1
    while n - 1 > k and ws[n - 1][0].lower() in ek.np_tails:   # "le ministre de"
        n -= 1
        end = ws[n - 1][2]
    if whole and n < whole[1]:
        return None
    if whole is None and n < len(ws) and text[end:ws[n][1]].strip() == "," and _name(text, ws[k:n], ek) is None:
        m = n + (ws[n][0].lower() in ek.roles)   # ", Gérald Darmanin", ", general Hernán Salcedo" joins it
        while m < len(ws) and m - n < 5 and (ws[m][0][:1].isupper() or ws[m][0].lower() in ek.links) and \
                (m == n or not text[ws[m - 1][2]:ws[m][1]].strip()):
            m += 1
        if m > n and ws[m - 1][0][:1].isupper() and \
                (m == len(ws) or text[ws[m - 1][2]:ws[m][1]].strip()[:1] in ".,;)"):
            end = ws[m - 1][2]
    return s0, end


def _determined(lw: str, ek: _Edges) -> bool:
    return lw in ek.determiners or lw.startswith(ek.elided)


def _mention(text, span, ek: _Edges, last: _Mention | None) -> _Mention:
    """The mention text[span] classified: a pronoun (resolved to the last speaker of its gender), a person
    (with the name for speaker_id), an organisation or a description."""
    s, e = span
    mention = text[s:e]
    ws = _words(text, s, e)
    low = [w.lower() for w, _, _ in ws]
    if len(ws) == 1 and low[0] in ek.pronouns:
        return _pronoun(mention, s, e, ek.pronouns[low[0]], last)
    gender = "m" if low[0] in ek.male_det else "f" if low[0] in ek.female_det else None
    title = next((w for w, _, _ in ws if w.lower() in ek.roles), None)
    if title and gender is None and title.lower() in ek.female_roles:
        gender = "f"
    name = _name(text, ws, ek)
    if not title and (any(w in ek.org_heads for w in low) or name is None and _determined(low[0], ek) and any(
            w.isupper() and len(w) > 1 for w, _, _ in ws[1:])):
        # "la police", "la SNCF", "el Gobierno": named for speaker_id only by its capitals ("Policía Nacional")
        m = _Mention(mention, s, e, "organisation", "n", None, mention)
        m.resolved = _name(text, ws[1:], ek) if _determined(low[0], ek) else name
        return m
    m = _Mention(mention, s, e, "person" if name else "description", gender, title)
    m.resolved = name
    return m


def _pronoun(mention, s, e, gender, last: _Mention | None) -> _Mention:
    """"il", "ella": the last speaker when it is a named person of that gender, or of no known gender quoted
    just before (the caller keeps `last` within the paragraph's reach); else nobody named."""
    m = _Mention(mention, s, e, "unresolved", gender)
    if last is not None and last.kind == "person" and last.resolved and last.gender in (None, gender):
        m.kind, m.resolved = "person", last.resolved
    return m


def _name(text, ws, ek: _Edges) -> str | None:
    """The person's name in a mention, where it is sure: a mention that starts with it ("Sophie Lenoir, maire
    de Lyon"), a name after a role ("le ministre Gérald Darmanin") or after a comma ("le ministre de
    l'Intérieur, Gérald Darmanin"). None for a description whose capitals name a place or an office ("le
    président de la République"): a wrong name is worse than none."""
    def run(k):
        out = []
        while k < len(ws) and (ws[k][0][:1].isupper() and ws[k][0].lower() not in ek.roles or
                               out and ws[k][0].lower() in ek.links and k + 1 < len(ws)) and \
                (not out or not text[ws[k - 1][2]:ws[k][1]].strip()):
            out.append(ws[k][0])
            k += 1
        while out and out[-1].lower() in ek.links:
            out.pop()
        return " ".join(out) or None
    if not ws:
        return None
    w0 = ws[0][0].lower()
    if not _determined(w0, ek) and w0 not in ek.roles and w0 not in ek.pronouns:
        return run(0)
    for k in range(1, len(ws)):
        gap = text[ws[k - 1][2]:ws[k][1]]
        if "," in gap or ws[k - 1][0].lower() in ek.roles and not gap.strip():
            found = run(k)
            if found and (k + len(found.split()) == len(ws) or "," in gap):
                return found
    return None
