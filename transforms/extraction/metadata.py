"""Article metadata as the publisher states it: pure functions over a parsed page (an lxml tree).

Sources, in order of trust (README, "Article metadata"):
  schema.org JSON-LD (`NewsArticle` and kin, also inside `@graph`, arrays and `mainEntity`),
  OpenGraph and `article:*` / Dublin Core / named <meta> tags, the article's <h1> and <time>,
  the page's <title> and, for dates, the URL.
Nothing here fetches or guesses from the body text: trafilatura's own searches (a byline element,
htmldate) are the caller's last resort (transforms/extraction/articles.py).
"""

import html
from functools import lru_cache
import json
import re
import unicodedata
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

# --- JSON-LD -----------------------------------------------------------------------------------

ARTICLE_TYPES = frozenset({
    "newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
    "backgroundnewsarticle", "reviewnewsarticle", "askpublicnewsarticle", "blogposting", "liveblogposting",
    "satiricalarticle", "scholarlyarticle", "techarticle", "report", "socialmediaposting", "claimreview",
    "review", "advertisercontentarticle"})
PAGE_TYPES = frozenset({"webpage", "itempage", "collectionpage", "medicalwebpage"})
_CDATA = re.compile(r"^\s*(?:<!--|//\s*<!\[CDATA\[|<!\[CDATA\[)|(?:-->|//\s*\]\]>|\]\]>)\s*$")


def _types(node: dict) -> set[str]:
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.rsplit("/", 1)[-1].lower() for k in kinds if isinstance(k, str)}


def parse_json_ld(text: str):
    """One <script type="application/ld+json"> to Python, leniently: comments and CDATA wrappers,
    raw control characters, a trailing semicolon. None when it is not JSON."""
    text = _CDATA.sub("", text or "").strip().rstrip(";")
    if not text:
        return None
    try:
        return json.loads(text, strict=False)
    except ValueError:
        pass
    try:   # several objects one after another, or trailing junk: the first whole value
        return json.JSONDecoder(strict=False).raw_decode(text)[0]
    except ValueError:
        return None


# --- the page's elements ---------------------------------------------------------------------------

PAGE_TAGS = ("script", "meta", "title", "h1", "time", "link")


def page_elements(tree) -> dict[str, list]:
    """The elements the metadata is read from (<script>, <meta>, <title>, <h1>, <time>, <link>), by tag
    in page order: one walk of the page instead of one per kind (a walk costs about 0.1 ms a page)."""
    found: dict[str, list] = {tag: [] for tag in PAGE_TAGS}
    for element in tree.iter(*PAGE_TAGS):
        found[element.tag].append(element)
    return found


def json_ld_nodes(scripts) -> list[dict]:
    """Every JSON-LD object of the page's <script> elements, flattened: arrays, @graph and nested
    mainEntity objects."""
    nodes: list[dict] = []

    def walk(value, depth=0):
        if depth > 6:
            return
        if isinstance(value, list):
            for item in value:
                walk(item, depth + 1)
        elif isinstance(value, dict):
            nodes.append(value)
            for key in ("@graph", "mainEntity", "itemListElement"):
                if key in value:
                    walk(value[key], depth + 1)

    for script in scripts:
        if "ld+json" in (script.get("type") or "").lower():
            walk(parse_json_ld(script.text))
    return nodes


def article_node(nodes: list[dict]) -> dict | None:
    """The node that describes the article: a NewsArticle (or kin), the one with most to say;
    else a WebPage carrying a headline or a publishing date."""
    best, best_score = None, 0
    for node in nodes:
        kinds = _types(node)
        if kinds & ARTICLE_TYPES:
            score = 10 + sum(k in node for k in ("headline", "author", "datePublished", "articleBody"))
            score += 2 * bool(kinds & {"newsarticle", "reportagenewsarticle", "analysisnewsarticle",
                                       "opinionnewsarticle", "liveblogposting"})
        elif kinds & PAGE_TYPES and ("headline" in node or "datePublished" in node):
            score = 1 + sum(k in node for k in ("headline", "author", "datePublished"))
        else:
            continue
        if score > best_score:
            best, best_score = node, score
    return best


def node_index(nodes: list[dict]) -> dict[str, dict]:
    """@id -> node, to resolve references such as {"@id": ".../#/schema/person/…"}."""
    return {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str) and len(n) > 1}


def _resolve(value, index):
    if isinstance(value, dict) and set(value) <= {"@id", "@type"} and value.get("@id") in index:
        return index[value["@id"]]
    return value


def _text(value) -> str | None:
    """A JSON-LD string (or the first of a list, or an object's name) cleaned: entities decoded,
    whitespace collapsed."""
    if isinstance(value, list):
        value = next((v for v in value if v), None)
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value")
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        return None
    return clean_text(str(value)) or None


def clean_text(value: str) -> str:
    """Entities decoded (twice-escaped ones too), tags dropped, whitespace collapsed."""
    value = html.unescape(html.unescape(value)) if "&" in value else value
    if "<" in value:
        value = re.sub(r"<[^>]{0,200}>", " ", value)
    return " ".join(value.split())


# --- meta tags ------------------------------------------------------------------------------

def meta_tags(metas) -> dict[str, list[str]]:
    """<meta property|name|itemprop=… content=…> by lower-cased key, values in page order."""
    tags: dict[str, list[str]] = {}
    for meta in metas:
        content = meta.get("content")
        if content is None or not content.strip():
            continue
        for attr in ("property", "name", "itemprop"):
            key = meta.get(attr)
            if key:
                tags.setdefault(key.strip().lower(), []).append(content.strip())
    return tags


def _meta_named(metas, name: str) -> str | None:
    for meta in (m for m in metas if m.get("name") == name):
        value = clean_text(meta.get("content") or "")
        if value:
            return value
    return None


def _first(tags: dict, *keys) -> str | None:
    for key in keys:
        for value in tags.get(key, ()):
            value = clean_text(value)
            if value:
                return value
    return None


# --- title -----------------------------------------------------------------------------------

# Separators between a headline and a site name or section: a bar (also the Korean letter used as
# one, and full-width forms), a dash or a bullet between spaces, a full-width colon at the end.
_SEPARATOR = re.compile(r"\s*[|｜ㅣ]\s*|\s+[-–—·•*:»/]\s+|\s*：\s*(?=[^：]{1,30}$)|\s*-\s*(?=[^-\s][^-]{0,20}$)")
_DATE_SEGMENT = re.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$")
_BY_SEGMENT = re.compile(r"^(?:by|von|par|por|di|av|door)\s+\S", re.I)


@lru_cache(maxsize=4096)
def text_key(value: str) -> str:
    """What a site name is compared by: letters and digits only, case-folded, Latin letters without
    their accents (a host name has none: "Público" on publico.es)."""
    value = unicodedata.normalize("NFKD", value or "").casefold()
    kept = [c for i, c in enumerate(value) if not (unicodedata.combining(c) and i and value[i - 1] < "\u0250")]
    return "".join(c for c in unicodedata.normalize("NFC", "".join(kept)) if c.isalnum())


_SECOND_LEVEL = {"co", "com", "org", "net", "ac", "gov", "ne", "or", "go", "edu", "gob", "nic", "mil"}


def site_names(tags: dict, nodes: list[dict], url: str) -> list[str]:
    """The names a site goes by on its pages: og:site_name, application-name, the JSON-LD publisher and
    WebSite, its host name without www and the host's main label (globalnews.ca -> globalnews)."""
    names = []
    for key in ("og:site_name", "application-name", "apple-mobile-web-app-title", "twitter:site", "publisher",
                "al:android:app_name", "al:ios:app_name"):
        names += tags.get(key, [])
    for node in nodes:
        kinds = _types(node)
        if kinds & {"website", "newsmediaorganization", "organization"}:
            names.append(_text(node.get("name")) or "")
            names += [n for n in (node.get("alternateName") if isinstance(node.get("alternateName"), list)
                                  else [node.get("alternateName")]) if isinstance(n, str)]
        publisher = node.get("publisher") if kinds & ARTICLE_TYPES else None
        if publisher:
            names.append(_text(publisher) or "")
    host = (urlsplit(url).hostname or "").lower()
    host = host[4:] if host.startswith("www.") else host
    if host:
        names.append(host)
        labels = host.split(".")
        # the registered name: globalnews.ca -> globalnews, ilanganews.co.za -> ilanganews (not "co")
        second_level = len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL
        names.append(labels[-3] if second_level else labels[-2] if len(labels) >= 2 else labels[0])
    return [n.lstrip("@") for n in names if n and n.strip()]


def _site_like(segment: str, sites: list[str]) -> bool:
    key = text_key(segment)
    if not key:
        return True
    if _DATE_SEGMENT.match(segment.strip()) or _BY_SEGMENT.match(segment.strip()):
        return True
    for site in sites:
        skey = text_key(site)
        if not skey:
            continue
        if key == skey or (len(key) >= 3 and key in skey) or (len(skey) >= 4 and skey in key and len(key) <= 2 * len(skey) + 8):
            return True
    return False


def strip_site(title: str, sites: list[str], sections: list[str] = (), topics: list[str] = ()) -> str:
    """A title without the site name (or a section, a date, a "by" credit) before or after it:
    "Headline - National | Globalnews.ca" -> "Headline - National" (the section goes when the
    page names it a section elsewhere: see page_sections, or another candidate says so). A topic
    (a keyword of the page) goes only from between the headline and the site's name ("Headline |
    Harbours | Courier")."""
    title = clean_text(title)
    section_keys = {text_key(s) for s in sections if s} - {""}
    topic_keys = {text_key(s) for s in topics if s} - {""}
    after_site = False
    for _ in range(6):
        parts = _named_tail(title, sites, section_keys) or _split_once(title, last=True)
        if parts and _site_like(parts[1], sites):
            title, after_site = parts[0], True
            continue
        if parts and len(parts[0]) > len(parts[1]) and (text_key(parts[1]) in section_keys
                                                        or after_site and text_key(parts[1]) in topic_keys):
            title = parts[0]
            continue
        parts = _split_once(title, last=False)
        if parts and _site_like(parts[0], sites) and len(parts[1]) > len(parts[0]):
            title = parts[1]
            continue
        break
    return title.strip()


def _named_tail(title: str, sites: list[str], section_keys: set[str]):
    """(head, name) when the title ends in a site's or section's name written with a hyphen of its own
    ("… - n-tv.de" is not "… - n" and "tv.de", "… - Schleswig-Holstein" not "… - Schleswig" and
    "Holstein"): the widest such tail among the last separators."""
    keys = {text_key(s) for s in sites} | section_keys
    for m in reversed(list(_SEPARATOR.finditer(title))[-3:]):
        head, tail = title[:m.start()].strip(), title[m.end():].strip()
        if head and _SEPARATOR.search(tail) and text_key(tail) in keys:
            return head, tail
    return None


def _split_once(title: str, last: bool):
    matches = list(_SEPARATOR.finditer(title))
    if not matches:
        return None
    m = matches[-1] if last else matches[0]
    head, tail = title[:m.start()].strip(), title[m.end():].strip()
    if not head or not tail:
        return None
    return head, tail


def _h1s(h1_elements) -> list[str]:
    out = []
    for h1 in h1_elements:
        text = clean_text("".join(h1.itertext()))
        if text:
            out.append(text)
    return out


def headline_h1(h1s: list[str], titles: list[str], sites: list[str] = ()) -> str | None:
    """The <h1> that holds the headline: the first one another title of the page contains (a page may
    open with an <h1> naming the site or a section), else the first that is not the site's name."""
    keys = [text_key(t) for t in titles]
    for h1 in h1s:
        key = text_key(h1)
        if len(key) >= 12 and any(key in k for k in keys):
            return h1
    return next((h1 for h1 in h1s if not _site_like(h1, sites)), None)


_QUOTE_MARKS = tuple("\"“”„«»‘’‚'")


def _uncut(title: str, candidates: list[str | None]) -> str | None:
    """The whole headline when `title` is cut short where it quotes: a meta tag whose content holds a
    quote mark the page did not escape ends there (content="Sieger und "royaler Besuch"" reads "Sieger
    und "), and another title of the page goes on from it with that quote mark."""
    for candidate in candidates:
        whole = clean_text(candidate or "")
        if len(whole) > len(title) and whole.startswith(title) and whole[len(title):].lstrip().startswith(_QUOTE_MARKS):
            return whole
    return None


def reconcile_title(candidates: list[str | None], sites: list[str], sections: list[str] = (),
                    witness: str | None = None, topics: list[str] = ()) -> str | None:
    """The headline: the first candidate (in order of trust), without its site name, and without a
    section or teaser part that the `witness` (the headline of another source) shows is not part
    of the headline ("Headline - National" when the JSON-LD headline says "Headline")."""
    stripped = (strip_site(c, sites, sections, topics) for c in candidates if c and clean_text(c))
    title = next((c for c in stripped if c), None)     # stripped one by one: only the first is needed
    if title is None:
        return None
    whole = _uncut(title, candidates)
    if whole is not None:
        title = strip_site(whole, sites, sections, topics) or title
    witness = strip_site(witness, sites, sections, topics) if witness else None
    others = {text_key(witness): witness} if witness else {}
    for _ in range(3):
        head = _split_once(title, last=True)
        tail = _split_once(title, last=False)
        if head and text_key(head[0]) in others and len(text_key(head[0])) >= 12:
            title = head[0]
        elif tail and text_key(tail[1]) in others and len(text_key(tail[1])) >= 12 and _site_like(tail[0], sites):
            title = tail[1]
        else:
            break
    return title


# --- authors ------------------------------------------------------------------------------------

AGENCIES = {_k: name for name, aliases in {
    "dpa": ["dpa", "deutsche presse-agentur", "deutsche presseagentur", "dpa-afx", "dpa/lno", "dpa/lby", "dpa/lnw"],
    "AP": ["ap", "associated press", "the associated press"],
    "Reuters": ["reuters", "thomson reuters"],
    "AFP": ["afp", "agence france-presse", "agence france presse", "afp deutschland"],
    "SDA": ["sda", "keystone-sda", "keystone-ats", "ats", "sda/ats"],
    "APA": ["apa", "austria presse agentur"],
    "KNA": ["kna", "katholische nachrichten-agentur"],
    "epd": ["epd", "evangelischer pressedienst"],
    "EFE": ["efe", "agencia efe"],
    "Europa Press": ["europa press"],
    "ANSA": ["ansa"],
    "Anadolu": ["anadolu ajansı", "anadolu agency", "aa"],
    "PA": ["pa", "pa media", "press association"],
    "AAP": ["aap", "australian associated press"],
    "Canadian Press": ["the canadian press", "canadian press", "cp"],
    "Bloomberg": ["bloomberg", "bloomberg news"],
    "UPI": ["upi"],
    "Xinhua": ["xinhua"],
    "TASS": ["tass"],
    "Kyodo": ["kyodo", "kyodo news"],
    "Yonhap": ["yonhap"],
    "ANP": ["anp"],
    "Belga": ["belga"],
    "NTB": ["ntb"],
    "TT": ["tt"],
    "Ritzau": ["ritzau"],
    "PAP": ["pap"],
    "Lusa": ["lusa"],
    "PTI": ["pti"],
    "IANS": ["ians"],
    "ANI": ["ani"],
    "CNA": ["cna"],
}.items() for _k in (text_key(a) for a in aliases)}

_LEADING_BY = re.compile(r"^\s*(?:by|von|from|par|por|di|da|av|door|przez|от|napisal[ao]?|text:|texto:|autor:|author:)\s*:?\s+",
                         re.I)
_INNER_BY = re.compile(r"^[^,;]{1,40}?\s(?:[Bb]y|[Vv]on|[Pp]ar|[Pp]or)\s+(?=[A-ZÀ-Ý])")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"https?://\S+|www\.\S+")
# a journalist's role ("Reporter", "Chefredakteurin": German compounds end in the role)
_ROLES = (r"(?:journalist(?:in)?|[^\W\d_]*reporter(?:in)?|[^\W\d_]*redakteur(?:in)?|[^\W\d_]*korrespondent(?:in)?|"
          r"correspondent|editor|redaktion|photographer|fotograf(?:in)?|senior\s+\w+|staff\s+writer|"
          r"autor(?:in)?|contributor|columnist|kolumnist(?:in)?)\b")
_ROLE_WORD = re.compile(r"\b" + _ROLES, re.I)
# a role after the name, also with a word or two before it ("…, Political Reporter")
_ROLE_TAIL = re.compile(r"\s*(?:[/|]\s*|,\s*|\s[-–—]\s*)(?:[^\W\d_]+\s+){0,2}" + _ROLES + ".*$", re.I)
_CJK_ROLE = re.compile(r"\s*(?:기자|특파원|記者|特派員|论说委员|編集委員)\s*$")
# a Korean credit: the names (two to four syllables, several joined by a middle dot) right before the
# reporter's role; a dateline's place ("서울=", "순천, 광양") may stand before them
_KO_CREDIT = re.compile(r"(?<![가-힣])((?:[가-힣]{2,4}\s*[·ㆍ]\s*)*[가-힣]{2,4})\s*(?:기자|특파원|선임기자|논설위원)(?![가-힣])")
# "and N others" after a credited name: a count of unnamed co-authors, not part of the name
_OTHERS = re.compile(r"\s*(?:외|등)\s*\d+\s*(?:명|인)\s*$|\s+(?:and|und|et|y|e)\s+\d+\s+"
                     r"(?:others?|more|weitere|autres|otros|altri)\s*$", re.I)
_DATE_TAIL = re.compile(r"\s*[,|]?\s*(?:\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{4}-\d{2}-\d{2}|updated|aktualisiert|published).*$",
                        re.I)
_SPLIT = re.compile(r"\s*(?:;|\s+(?:and|und|&|y|et|e|og|och|en|i|és|ve|и)\s+|,\s*(?:and|und|&|y|et|e)\s+|,\s*|\s+·\s+"
                    r"|\s*[/|]\s*|\s+[-–—]\s+)\s*")
_ORG_WORDS = re.compile(r"\b(?:news|nachrichten|redaktion|newsroom|online|zeitung|times|post|press|presse|media|verlag|"
                        r"magazin|magazine|agentur|agency|team|staff|desk|tv|radio|rundfunk|gmbh|ltd|inc|group|"
                        r"editorial|correspondents?|reporters?|bureau|service|digital|daily|tribune|journal|herald)\b"
                        r"|\.(?:com|de|at|ch|co|org|net|uk|fr|it|es|no|be|nl|pl)\b", re.I)


def agency_of(name: str) -> str | None:
    """The news agency a credit names ("dpa", "AP", "Reuters", …), else None."""
    return AGENCIES.get(text_key(name))


def clean_author(name: str) -> str | None:
    """A credited name as written, without "By"/"Von", e-mail, profile URL, role or date."""
    if not name:
        return None
    name = clean_text(name)
    if re.fullmatch(r"(?:https?://|www\.)\S+", name) or name.startswith("("):
        return None
    name = re.sub(r"[(\[]\s*[)\]]", " ", _EMAIL.sub(" ", _URL.sub(" ", name)))
    name = _LEADING_BY.sub("", name)
    name = _ROLE_TAIL.sub("", name)
    name = _DATE_TAIL.sub("", name)
    name = _CJK_ROLE.sub("", _OTHERS.sub("", name))
    name = re.sub(r"\s*\([^)]*\)\s*$|\s*\([^)]*$", "", name)
    inner = _INNER_BY.search(name)
    if inner:                                          # "Capital Von Jane Roe": the credit after the word
        name = name[inner.end():]
    name = name.strip(" ,;:|/-–—·•*\"'")
    if not name or len(name) > 80 or not any(c.isalpha() for c in name):
        return None
    return " ".join(name.split())


def _looks_like_person(name: str, sites: list[str]) -> bool:
    if agency_of(name) or _site_like(name, sites) or _ORG_WORDS.search(name) or _site_account(name, sites) \
            or _ROLE_WORD.search(name):
        return False
    words = name.split()
    if not any(ord(c) > 0x2E7F for c in name):       # Latin, Cyrillic, Greek…: two to five words
        return 2 <= len(words) <= 5 and all(w[:1].isupper() or w.lower() in _PARTICLES for w in words)
    return 1 <= len(words) <= 3                       # CJK names are written without spaces


def _site_account(name: str, sites: list[str]) -> bool:
    """A site's own account, named after it plus an initial or two ("Ilanga D" on Ilanga News):
    a word opening a site name and nothing else but initials."""
    words = name.split()
    long = [w for w in words if len(text_key(w)) > 2]
    return len(words) > 1 and len(long) == 1 and len(text_key(long[0])) >= 4 and any(
        text_key(site).startswith(text_key(long[0])) for site in sites)


_PARTICLES = {"de", "da", "van", "von", "der", "den", "del", "della", "di", "du", "la", "le", "bin", "al", "el", "ten",
              "zu", "y", "dos", "das", "do", "of", "ter", "mac", "st."}


def split_authors(value: str, sites: list[str]) -> list[str]:
    """One credit string to names: "A, B and C", "A; B", "A und B", "A / dpa", "A | B"; split only where
    every part is a person's name or an agency ("Le Figaro et AFP" stays whole), but for an
    organisation's name, a role or a dateline's place beside the names ("A, Courier", "A, Sports
    Editor", "A and B, Nairobi"), which go; "Surname, Given" turned round."""
    value = clean_text(value)
    value = _LEADING_BY.sub("", value)
    korean = [n for m in _KO_CREDIT.finditer(value) for n in re.split(r"\s*[·ㆍ,]\s*", m.group(1))]
    if korean:          # "순천, 광양 구현모 기자": the name is what stands right before the role, a place before it
        return _unique(korean)
    parts = [p for p in _SPLIT.split(value) if p and p.strip()]
    if len(parts) > 1:
        cleaned = [clean_author(p) for p in parts]
        cleaned = [c for c in cleaned if c]
        if cleaned and all(_looks_like_person(c, sites) or agency_of(c) for c in cleaned):
            return cleaned
        # "Ana Roe, Courier", "Ana Roe, Sports Editor", "Ana Roe - Nairobi": besides the names, the site's or
        # another organisation's name, a role, or a dateline's one-word place after them
        last = len(cleaned) - 1
        kept = [c for i, c in enumerate(cleaned) if agency_of(c) or not (
            _site_like(c, sites) or _ORG_WORDS.search(c) or _ROLE_WORD.search(c) or i == last and len(c.split()) == 1)]
        if kept and all(_looks_like_person(c, sites) or agency_of(c) for c in kept) \
                and any(_looks_like_person(c, sites) for c in kept):
            return kept
        # "Surname, Given" (one word each side): the name written the other way round
        if "," in value and ";" not in value and value.count(",") == 1:
            family, given = (p.strip() for p in value.split(","))
            if len(family.split()) == 1 and len(given.split()) <= 2 and given[:1].isupper():
                return [f"{given} {family}"]
        semi = [clean_author(p) for p in value.split(";")]
        if len(semi) > 1 and all(semi):
            return [n for p in semi for n in split_authors(p, sites)]
    name = clean_author(value)
    return [name] if name else []


def _ld_author_names(node: dict, index: dict) -> list[tuple[str, str]]:
    """(name, kind) of a JSON-LD article's authors; kind is person | organization | unknown."""
    out = []
    for key in ("author", "creator"):
        values = node.get(key)
        if values is None:
            continue
        for value in values if isinstance(values, list) else [values]:
            value = _resolve(value, index)
            if isinstance(value, str):
                out.append((value, "unknown"))
            elif isinstance(value, dict):
                name = value.get("name") or value.get("byline") or value.get("alternateName")
                if isinstance(name, list):
                    name = next((n for n in name if isinstance(n, str)), None)
                if not isinstance(name, str) and value.get("givenName"):
                    name = f"{value.get('givenName')} {value.get('familyName') or ''}"
                if isinstance(name, str):
                    kinds = _types(value)
                    kind = "person" if "person" in kinds else "organization" if kinds & {
                        "organization", "newsmediaorganization", "corporation"} else "unknown"
                    out.append((name, kind))
        if out:
            break
    return out


AUTHOR_META = ("author", "article:author", "og:author", "dc.creator", "dcterms.creator", "dc.contributor", "byl",
               "parsely-author", "sailthru.author", "cxenseparse:author", "citation_author", "articleauthor",
               "article:author_name", "lp.article:author", "dable:author")


def page_authors(node: dict | None, index: dict, tags: dict, sites: list[str], byline=None) -> tuple[list[str], list[str]]:
    """(authors, agencies): see _page_authors."""
    return _page_authors(node, index, tags, sites, byline)[:2]


def _page_authors(node: dict | None, index: dict, tags: dict, sites: list[str], byline=None):
    """(authors, agencies, whether the authors are people or agencies, not an organisation's fallback). Authors: the people credited, as written (agencies the page credits as
    authors stay with them); an organisation only when no person or agency is named. Sources in
    order: JSON-LD, author meta tags, the byline (`byline`: a callable giving trafilatura's)."""
    sources = []
    if node is not None:
        sources.append(_ld_author_names(node, index))
    sources.append([(v, "unknown") for key in AUTHOR_META for v in tags.get(key, [])])
    if byline is not None:
        sources.append("byline")
    fallback: list[str] = []
    agencies: list[str] = []
    for source in sources:
        searched = source == "byline"     # trafilatura's search of the page, not a statement of the markup
        if searched:
            found = byline()
            source = [(found, "unknown")] if found else []
        people, orgs = [], []
        for raw, kind in source:
            if not isinstance(raw, str):
                continue
            names = split_authors(raw, sites) if kind != "organization" else [n for n in [clean_author(raw)] if n]
            for name in names:
                if agency_of(name) and not _site_like(name, sites):   # on its own site an agency is the publisher
                    people.append(name)
                    agencies.append(agency_of(name))
                elif kind == "organization" or not (_looks_like_person(name, sites) or kind == "person" and not (
                        _site_like(name, sites) or _site_account(name, sites) or _ORG_WORDS.search(name))):
                    orgs.append(name)
                else:
                    people.append(name)
        people = _unique(people)
        if people:
            return people, _unique(agencies), True
        if orgs and not fallback and (not searched or any(_site_like(o, sites) for o in orgs)):
            # what the search finds that is no person ("Startseite", "Name") is believed only as the site's name
            fallback = _unique(orgs)
    return fallback[:1], _unique(agencies), False


_BODY_BYLINE_SPLIT = re.compile(r"\s*[/;,]\s*|\s+(?:and|und|&|et|y|og|och|en|e|i)\s+")


_LIST_MARK = re.compile(r"^[-–•·*]\s+")


def body_byline(text: str, sites: list[str], headline: str | None = None, lines: int = 3,
                marked_lines: int = 6) -> list[str]:
    """The people a byline in the article's text credits, for a page whose markup names no person
    (an organisation at most): one of the first `lines` lines (of the first `marked_lines` when it
    opens with "By"/"Von:", also as a list item) that holds nothing but one to three names
    ("Mohloai Mpesi", "MTHOBISI SITHOLE", "Ana Lindqvist/Tomas Brenner"), each two to four
    capitalised words in an alphabet written with spaces, not part of the headline (a kicker) and
    with no digit or sentence punctuation."""
    headline_key = text_key(headline or "")
    for i, line in enumerate([l.strip() for l in text.splitlines() if l.strip()][:max(lines, marked_lines)]):
        names = byline_names(line, sites, marked_only=i >= lines)
        if names and not (headline_key and text_key(" ".join(names)) in headline_key):
            return names
    return []


def byline_names(line: str, sites: list[str], marked_only: bool = False) -> list[str]:
    """The names a byline line of the text credits ("Von: Ana Lindqvist, Tomas Brenner", "MTHOBISI
    SITHOLE"), [] when the line is anything else; `marked_only`: only a line opening with "By"/"Von"."""
    line = _LIST_MARK.sub("", clean_text(line))
    value = _LEADING_BY.sub("", line)
    if marked_only and value == line:
        return []
    if not value or len(value) > 80 or any(c.isdigit() for c in value) or value[-1] in ".!?:…\"'»“”":
        return []
    if any(ord(c) > 0x2E7F for c in value):
        return []
    names = [clean_author(p) for p in _BODY_BYLINE_SPLIT.split(value) if p.strip()]
    if 1 <= len(names) <= 3 and all(n and 2 <= len(n.split()) <= 4 and all(w.isalpha() or w.strip(".-'").isalpha()
                                                                          for w in n.split())
                                    and _looks_like_person(n, sites) for n in names):
        return names
    return []


def _unique(names: list[str]) -> list[str]:
    seen, out = set(), []
    for n in names:
        k = text_key(n)
        if k and k not in seen:
            seen.add(k)
            out.append(n)
    return out


# --- dates ---------------------------------------------------------------------------------------

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*"
                  r"(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?", re.I)
_URL_DATE = re.compile(r"(?<![\d])(20\d{2}|19\d{2})[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])(?![\d])")


def parse_date(value) -> datetime | None:
    """An ISO 8601-like timestamp ("2024-05-03T14:24:00.000Z", "2023-04-28 18:11:01.0",
    "2023-04-28T19:50:30+0200", "2024-04-30") to a datetime: aware when the text gives an offset,
    naive otherwise (a bare date is naive midnight). None for anything else."""
    if not isinstance(value, str):
        return None
    m = _ISO.search(value.strip()[:40])
    if not m:
        return None
    year, month, day, hour, minute, second, fraction, zone = m.groups()
    try:
        dt = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0),
                      int((fraction or "0")[:6].ljust(6, "0")))
    except ValueError:
        return None
    if zone:
        zone = zone.upper()
        if zone in ("Z", "UTC", "GMT"):
            return dt.replace(tzinfo=timezone.utc)
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
        if offset > timedelta(hours=14):
            return None
        return dt.replace(tzinfo=timezone(sign * offset))
    if hour is None:
        return dt.replace(tzinfo=None)    # a bare date
    return dt


def _has_time(value: str) -> bool:
    m = _ISO.search(value.strip()[:40])
    return bool(m and m.group(4) is not None)


PUBLISHED_META = ("article:published_time", "og:published_time", "og:article:published_time", "datepublished",
                  "date", "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date", "publish-date",
                  "publishdate", "pubdate", "article.published", "sailthru.date", "parsely-pub-date",
                  "cxenseparse:recs:publishtime", "date.available", "citation_publication_date",
                  "article_date_original", "original-publish-date", "release_date")
MODIFIED_META = ("article:modified_time", "og:updated_time", "og:modified_time", "datemodified", "dc.date.modified",
                 "dcterms.modified", "last-modified", "lastmod", "article.updated", "lastupdate")


def _times(time_elements) -> list[str]:
    """<time datetime> values, those marked as the publishing date first."""
    marked, rest = [], []
    for t in time_elements:
        value = t.get("datetime") or ""
        if not _ISO.search(value):
            continue
        flags = " ".join(filter(None, (t.get("itemprop"), t.get("pubdate"), t.get("class"), t.get("data-type"))))
        if "pubdate" in t.attrib or re.search(r"datepublished|publish|created", flags, re.I):
            marked.append(value)
        elif not re.search(r"modif|update", flags, re.I):
            rest.append(value)
    return marked + rest[:1]


def page_dates(node: dict | None, tags: dict, time_elements, url: str, fetched_at: datetime | None):
    """(published_at, modified_at, date_source) in UTC. published_at from, in order: JSON-LD
    datePublished (dateCreated), the publishing-date meta tags, <time>, the URL; never after
    `fetched_at` (a later date is skipped for the next source). A time without an offset takes the
    offset another date on the page states for the same clock time, else it is read as UTC; a bare
    date is midnight UTC. date_source: json-ld | meta | time | url | None."""
    candidates: list[tuple[str, str]] = []
    if node is not None:
        for key in ("datePublished", "dateCreated", "uploadDate"):
            v = node.get(key)
            if isinstance(v, list):
                v = next((x for x in v if isinstance(x, str)), None)
            if isinstance(v, str):
                candidates.append(("json-ld", v))
                break
    for key in PUBLISHED_META:
        candidates += [("meta", v) for v in tags.get(key, [])[:1]]
    candidates += [("time", v) for v in _times(time_elements)]
    offsets = [d.utcoffset() for _, v in candidates if (d := parse_date(v)) is not None and d.tzinfo is not None]
    published, source = None, None
    for origin, value in candidates:
        dt = _to_utc(value, candidates, offsets)
        if dt is None or (fetched_at is not None and dt > fetched_at + timedelta(minutes=5)):
            continue
        published, source = dt, origin
        break
    if published is None:
        m = _URL_DATE.search(urlsplit(url or "").path)
        if m:
            try:
                dt = datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)), tzinfo=timezone.utc)
                if fetched_at is None or dt <= fetched_at:
                    published, source = dt, "url"
            except ValueError:
                pass
    modified = None
    mod_candidates = []
    if node is not None and isinstance(node.get("dateModified"), str):
        mod_candidates.append(node["dateModified"])
    for key in MODIFIED_META:
        mod_candidates += tags.get(key, [])[:1]
    for value in mod_candidates:
        dt = _to_utc(value, candidates, offsets)
        if dt is None or (fetched_at is not None and dt > fetched_at + timedelta(minutes=5)):
            continue
        if published is not None and dt < published:
            continue
        modified = dt
        break
    return published, modified, source


def _to_utc(value: str, candidates, offsets) -> datetime | None:
    dt = parse_date(value)
    if dt is None:
        return None
    if dt.tzinfo is None:
        if not _has_time(value):
            return dt.replace(tzinfo=timezone.utc)           # a bare date
        # the clock time of another date on the page that states its offset
        for _, other in candidates:
            o = parse_date(other)
            if o is not None and o.tzinfo is not None and o.replace(tzinfo=None) == dt.replace(microsecond=0) \
                    .replace(microsecond=o.microsecond):
                return o.astimezone(timezone.utc)
        for o in offsets:
            return dt.replace(tzinfo=timezone(o)).astimezone(timezone.utc) if o is not None else dt
        return dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc)


# --- the rest -------------------------------------------------------------------------------------

def accessible_for_free(node: dict | None) -> bool | None:
    """schema.org isAccessibleForFree of the article (or of a part it declares), None when unstated."""
    if node is None:
        return None
    values = [node.get("isAccessibleForFree")]
    parts = node.get("hasPart")
    for part in parts if isinstance(parts, list) else [parts]:
        if isinstance(part, dict):
            values.append(part.get("isAccessibleForFree"))
    for value in values:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("true", "false", "yes", "no"):
            return value.strip().lower() in ("true", "yes")
    return None


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    if isinstance(value, dict):
        return _strings(value.get("name"))
    return []


def page_section(node: dict | None, tags: dict) -> str | None:
    for value in _strings(node.get("articleSection") if node else None) + tags.get("article:section", []):
        value = clean_text(value)
        if value:
            return value
    return None


def page_sections(node: dict | None, tags: dict, nodes: list[dict], url: str) -> list[str]:
    """The names the page gives its sections, which a title may carry after the headline ("… | Sport
    | Site"): the declared articleSection and article:section, the breadcrumb's items but the last
    (often the headline itself) and the folders of the URL's path ("/nachrichten/landespolitik/…")."""
    names = _strings(node.get("articleSection") if node else None) + tags.get("article:section", [])
    for trail in (n for n in nodes if "breadcrumblist" in _types(n)):
        crumbs = trail.get("itemListElement")
        for crumb in crumbs[:-1] if isinstance(crumbs, list) else []:
            if isinstance(crumb, dict):
                names += _strings(crumb.get("name") or crumb.get("item"))
    folders = [f for f in urlsplit(url or "").path.rstrip("/").split("/")[:-1]
               if f and not any(c.isdigit() for c in f)]
    names += [f.replace("-", " ") for f in folders]
    return _unique([clean_text(n) for n in names if clean_text(n)])


def page_keywords(node: dict | None, tags: dict) -> list[str]:
    raw = _strings(node.get("keywords") if node else None)
    if not raw:
        raw = tags.get("article:tag", []) or tags.get("news_keywords", []) or tags.get("keywords", [])
    words = []
    for value in raw:
        parts = value.split(",") if len(raw) == 1 or "," in value else [value]
        words += [clean_text(p) for p in parts]
    return _unique([w for w in words if w and len(w) <= 100])[:50]


def page_image(node: dict | None, tags: dict, index: dict) -> str | None:
    if node is not None:
        image = _resolve(node.get("image"), index)
        if isinstance(image, list):
            image = _resolve(image[0], index) if image else None
        if isinstance(image, dict):
            image = image.get("url") or image.get("contentUrl")
        if isinstance(image, str) and image.strip().startswith(("http", "//")):
            return image.strip()
    return _first(tags, "og:image", "og:image:url", "og:image:secure_url", "twitter:image", "twitter:image:src")


def page_canonical(links, tags: dict) -> str | None:
    for link in links:
        if "canonical" in (link.get("rel") or "").lower().split() and (link.get("href") or "").startswith("http"):
            return link.get("href").strip()
    return _first(tags, "og:url")


def extract_metadata(tree, url: str, fetched_at: datetime | None = None, byline=None) -> dict:
    """Everything above for one page: title, authors, source_agency, published_at, modified_at,
    date_source, is_accessible_for_free, section, keywords, image_url, canonical_url, site_name,
    description. `byline` is a callable for the last-resort author search."""
    elements = page_elements(tree)
    nodes = json_ld_nodes(elements["script"])
    node = article_node(nodes)
    index = node_index(nodes) if nodes else {}
    tags = meta_tags(elements["meta"])
    sites = site_names(tags, nodes, url)
    section = page_section(node, tags)
    # the headline as the markup states it: JSON-LD, else a <meta name="headline"> (not itemprop: some
    # themes put the subtitle there)
    headline = (_text(node.get("headline")) if node else None) or _meta_named(elements["meta"], "headline")
    og_title = _first(tags, "og:title")
    titles = [og_title, headline, _first(tags, "twitter:title")]
    # the <title> of the <head> (not an <svg>'s), else the first
    head_title = next((t for t in elements["title"] if t.getparent() is not None and t.getparent().tag == "head"),
                      next(iter(elements["title"]), None))
    page_title = clean_text("".join(head_title.itertext())) if head_title is not None else None
    h1 = headline_h1(_h1s(elements["h1"]), [t for t in titles + [page_title] if t], sites)
    titles += [h1, page_title]
    if node is not None and not any(titles[:3]):
        titles.insert(0, _text(node.get("name")))
    # the witness of what belongs to the headline: the JSON-LD headline, unless it is itself the
    # title read (no og:title), then the <h1> ("Headline | Sport" in JSON-LD, "Headline" in the <h1>)
    witness = headline if og_title else h1 or headline
    keywords = page_keywords(node, tags)
    title = reconcile_title(titles, sites, page_sections(node, tags, nodes, url), witness, keywords)
    authors, agencies, people = _page_authors(node, index, tags, sites, byline)
    published, modified, date_source = page_dates(node, tags, elements["time"], url, fetched_at)
    site = _first(tags, "og:site_name", "application-name")
    body = article_body(node)
    return {
        "title": title,
        "authors": authors,
        "source_agency": ", ".join(agencies) or None,
        "published_at": published,
        "modified_at": modified,
        "date_source": date_source,
        "is_accessible_for_free": accessible_for_free(node),
        "section": section,
        "keywords": keywords,
        "image_url": page_image(node, tags, index),
        "canonical_url": page_canonical(elements["link"], tags),
        "site_name": site,
        "description": _first(tags, "og:description", "description", "twitter:description")
                       or (_text(node.get("description")) if node else None),
        "authors_are_people": people,   # False: an organisation at most (see body_byline)
        "site_names": sites,
        "article_body_words": len(body.split()),
        "article_body": body,
    }


def article_body(node: dict | None) -> str:
    """The JSON-LD articleBody as text: entities decoded, tags dropped, its paragraphs kept as lines."""
    value = node.get("articleBody") if node else None
    if not isinstance(value, str):
        return ""
    value = html.unescape(value) if "&" in value else value
    value = re.sub(r"<(?:br|/p|/div|/h\d|/li)\b[^>]{0,200}>", "\n", value, flags=re.I)
    value = re.sub(r"<[^>]{0,200}>", " ", value)
    return "\n".join(" ".join(line.split()) for line in value.splitlines() if line.strip())
