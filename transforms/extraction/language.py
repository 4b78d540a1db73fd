"""An article's language: what the page declares, checked against the text itself.

Quotes and figures are rules per language (transforms/analysis/lang): running English rules on
German text writes wrong values, so the language must be right or unknown (None), never a guess.
Pages declare a language in several places (<html lang>, the Content-Language header, og:locale,
JSON-LD inLanguage, <meta name="language">) and are often wrong: templates say "en" on every
page of a site in German. The text is checked with py3langid (langid.py's model, shipped inside
the package; bench/languages.py compares it with langdetect, pycld2, lingua and langid on the
fundus_dev pages: as accurate as any, 30-100x faster than the others' accurate modes).

decide_language(declared, text):
  - a declaration the detector's best guess agrees with is kept, however unsure the guess ("de-AT"
    -> "de"; the first such declaration when there are several);
  - a declaration the detector contradicts loses only to a sure detection (probability >= 0.98 on
    at least 100 letters: an article's text is far longer): a site declaring "en" on German pages;
    a declared language the detector does not know (Romansh, say) cannot be contradicted by it;
  - nothing declared (a feed entry, `newsbeam extract` without "lang"): a confident detection
    (>= 0.8 on at least 20 letters) gives the language, so English text without a declaration is
    "en"; a shorter or unsure text is unknown;
  - otherwise the first declaration (the detector is unsure: short text, a mix of languages), and
    None when nothing is declared: unknown, no quotes and no figures.
Measured by bench/languages.py: 127/127 on fundus_dev (the declarations alone: 97/127), and no
document of the English gold files detected as another language.
"""

import contextlib
import functools
import glob
import hashlib
import json
import lzma
import os
import re
import shutil
import tempfile
import threading

# The detector reads the beginning of the text: enough to decide, and the time stays flat on long
# pages (bench/languages.py: the same accuracy as the whole text).
MAX_CHARS = 2000
# With nothing declared, a detection counts on this many letters at least, with this probability:
# on the 1,389 short gold documents (NewsQuant, objects_dev, numbers_multilingual, de_wikinews) it
# named no wrong language (bar two gold quirks: English and Spanish text labelled "it" and "pt")
# and recognised 412 of the 445 English sentences (0.9: 393). Against a declaration a detection
# needs more: a wrong override is worse than keeping a declaration.
MIN_LETTERS, CONFIDENT = 20, 0.8
OVERRIDE_LETTERS, OVERRIDE_CONFIDENT = 100, 0.98

ISO_639_1 = frozenset("""
aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el
en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu
ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na
nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so
sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
""".split())
# Three-letter (ISO 639-2/3) codes pages use for the languages most seen in news, and retired codes.
_OTHER_CODES = {"eng": "en", "deu": "de", "ger": "de", "fra": "fr", "fre": "fr", "spa": "es", "por": "pt",
                "ita": "it", "nld": "nl", "dut": "nl", "swe": "sv", "pol": "pl", "dan": "da", "nor": "no",
                "nob": "nb", "nno": "nn", "fin": "fi", "rus": "ru", "ukr": "uk", "tur": "tr", "ces": "cs",
                "cze": "cs", "ell": "el", "gre": "el", "hun": "hu", "ron": "ro", "rum": "ro", "jpn": "ja",
                "zho": "zh", "chi": "zh", "kor": "ko", "ara": "ar", "heb": "he", "ind": "id", "cat": "ca",
                "ary": "ar", "arz": "ar", "iw": "he", "in": "id", "ji": "yi", "jw": "jv", "mo": "ro"}
# Codes that name one language for the purpose of agreeing (Norwegian Bokmål and Nynorsk are Norwegian).
_FAMILY = {"nb": "no", "nn": "no"}
_CODE = re.compile(r"^\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*\s*$")
_LETTER = re.compile(r"[^\W\d_]")


def normalise(code: str | None) -> str | None:
    """A language tag ("de-AT", "en_US", "ger", "DE") as its ISO 639-1 code, or None when it is not one."""
    if not isinstance(code, str):
        return None
    match = _CODE.match(code)
    if not match:
        return None
    primary = match.group(1).lower()
    primary = _OTHER_CODES.get(primary, primary)
    return primary if primary in ISO_639_1 else None


def family(code: str | None) -> str | None:
    return _FAMILY.get(code, code)


_lock = threading.Lock()


@functools.cache
def _identifier():
    return load_identifier()


def load_identifier():
    """py3langid's model with normalised probabilities (loaded once per process). The package ships it
    LZMA-compressed, and decompressing takes 0.7 s, paid again by every worker process and every
    `newsbeam` command; so the decompressed model is kept in the user's cache (68 MB) and read from
    there in 0.1 s. Where no cache can be written the package's own file is read as it is."""
    import numpy as np
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier
    from py3langid.modelio import _to_array
    cached = _decompressed_model(MODEL_DIR / MODEL_FILE)
    if cached is None:
        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    with np.load(cached, allow_pickle=False) as data:   # the arrays py3langid's load_model reads (0.4.0)
        return LanguageIdentifier(data["ptc"], data["pc"], data["classes"].tolist(), _to_array(data["nextmove"]),
                                  data["out_feat"].tolist(), norm_probs=True, tk_row=_to_array(data["nextmove_row"]))


def _decompressed_model(packaged) -> str | None:
    """The path of the packaged model decompressed in newsbeam's cache (NEWSBEAM_CACHE, as the Makefile's,
    default ~/.cache/newsbeam), written once, atomically (workers may start together); None when the
    cache cannot be written. Named by the packaged file's content (a reinstall of the same py3langid
    finds its copy; 4 ms), and a copy of another model is deleted once this one is written: 68 MB each."""
    with open(packaged, "rb") as f:
        digest = hashlib.file_digest(f, "sha256").hexdigest()[:16]
    folder = os.environ.get("NEWSBEAM_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "newsbeam")
    path = os.path.join(folder, f"py3langid-{digest}.npz")
    if os.path.exists(path):
        return path
    part = None
    try:
        os.makedirs(folder, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, suffix=".part", delete=False) as out, \
                lzma.open(packaged) as source:
            part = out.name
            shutil.copyfileobj(source, out, length=1 << 20)
        os.replace(part, path)
    except OSError:
        if part and os.path.exists(part):
            os.remove(part)   # a full disk: no half-written model left behind
        return None
    for other in glob.glob(os.path.join(glob.escape(folder), "py3langid-*.npz")):
        if other != path:
            with contextlib.suppress(OSError):
                os.remove(other)
    return path


def detect(text: str) -> tuple[str | None, float]:
    """(ISO 639-1 code, probability) of the text's beginning; (None, 0.0) for a text without letters."""
    sample = (text or "")[:MAX_CHARS]
    if not _LETTER.search(sample):
        return None, 0.0
    code, probability = _detector().classify(sample)
    return normalise(code), float(probability)


def _detector():
    with _lock:   # the first call loads the model; classify keeps no state and may run in threads
        return _identifier()


@functools.cache
def detectable() -> frozenset[str]:
    """The ISO 639-1 codes the detector knows: it can only contradict a declaration of one of them."""
    return frozenset(filter(None, map(normalise, _detector().nb_classes)))


def letters(text: str) -> int:
    return len(_LETTER.findall((text or "")[:MAX_CHARS]))


def confident_detection(text: str, min_letters: int = MIN_LETTERS, confident: float = CONFIDENT) -> str | None:
    """The detector's language when it is sure of it (enough letters, a high probability), else None."""
    if letters(text) < min_letters:
        return None
    code, probability = detect(text)
    return code if probability >= confident else None


def decide_language(declared: list[str | None], text: str) -> str | None:
    """The article's language (ISO 639-1) from what the page declares, most trusted first, and the
    text itself; None when neither is usable. See the module's docstring for the rule."""
    codes = list(dict.fromkeys(c for c in map(normalise, declared or []) if c))
    guess, probability = detect(text)
    if guess is not None:
        agreeing = next((c for c in codes if family(c) == family(guess)), None)
        if agreeing is not None:
            return agreeing
    if not codes:
        return guess if letters(text) >= MIN_LETTERS and probability >= CONFIDENT else None
    contradicted = family(codes[0]) in {family(c) for c in detectable()}
    if guess is not None and contradicted and letters(text) >= OVERRIDE_LETTERS and probability >= OVERRIDE_CONFIDENT:
        return guess
    return codes[0]


# --- what a page declares ------------------------------------------------------------------------

_META_LANGUAGE = ("content-language", "language", "dc.language", "dcterms.language")


def declared_languages(tree, content_language: str | None = None) -> list[str]:
    """The languages a page declares, most trusted first: <html lang> (or xml:lang), the HTTP
    Content-Language header, <meta http-equiv="content-language"> and <meta name="language">,
    og:locale, JSON-LD inLanguage. Raw tags as written; decide_language normalises them."""
    found = []
    if tree is None:
        return [content_language] if content_language else []
    root = tree.getroottree().getroot() if hasattr(tree, "getroottree") else tree
    for attribute in ("lang", "{http://www.w3.org/XML/1998/namespace}lang", "xml:lang"):
        if root.get(attribute):
            found.append(root.get(attribute))
            break
    if content_language:   # "de, en" names several: only a single language says something
        parts = [p.strip() for p in content_language.split(",") if p.strip()]
        if len(parts) == 1:
            found.append(parts[0])
    for meta in tree.iterfind(".//meta"):
        key = (meta.get("http-equiv") or meta.get("name") or meta.get("property") or meta.get("itemprop") or "").lower()
        content = meta.get("content")
        if not content:
            continue
        if key in _META_LANGUAGE or key == "inlanguage":
            found.append(content)
        elif key == "og:locale":
            found.append(content)
    for script in tree.iterfind('.//script[@type="application/ld+json"]'):
        found.extend(_json_ld_languages(script.text or ""))
    return [f.strip() for f in found if isinstance(f, str) and f.strip()]


def _json_ld_languages(source: str) -> list[str]:
    if "inLanguage" not in source:
        return []
    try:
        data = json.loads(source)
    except ValueError:
        return [m.group(1) for m in re.finditer(r'"inLanguage"\s*:\s*"([^"]{2,20})"', source)]
    found, stack = [], [data]
    while stack and len(found) < 10:
        item = stack.pop()
        if isinstance(item, dict):
            value = item.get("inLanguage")
            if isinstance(value, str):
                found.append(value)
            elif isinstance(value, dict) and isinstance(value.get("name"), str):
                found.append(value.get("alternateName") or value["name"])
            stack.extend(v for v in item.values() if isinstance(v, (dict, list)))
        elif isinstance(item, list):
            stack.extend(item)
    return found
