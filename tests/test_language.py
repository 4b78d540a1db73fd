"""An article's language (declared vs detected) and the gate that keeps rules to their language."""

import datetime as dt
import json
import subprocess
import sys

from pipelines.commands.run import not_analysed_lines
from transforms.analysis.by_language import figures_in, has_rules, quotes_in, tasks_without_rules
from transforms.extraction.articles import parse_page
from transforms.extraction.language import decide_language, declared_languages, load_identifier, normalise
from transforms.storage.runs import build_manifest

GERMAN = ("Die Stadt Lindenau baut eine neue Brücke über die Elster. Der Stadtrat hat am Montag 40.000 Euro "
          "für die Planung freigegeben, die Bauzeit soll drei Jahre betragen.")
ENGLISH = ("Councillors in Saltmarsh voted on Monday to build a new sea wall along the harbour front, after storms "
           "flooded the high street twice in the past year.")
SWEDISH = ("Kommunen öppnar en ny färjelinje till Norrholmen i vår. Färjan kostar 25 miljoner kronor och ska ta "
           "300 passagerare per tur, enligt kommunens beslut på tisdagen.")


SAMPLES = ["The council approved the budget on Monday after a long debate.",
           "Die Regierung hat am Montag neue Regeln beschlossen, sagte der Sprecher.",
           "Le gouvernement a présenté lundi un nouveau plan pour les hôpitaux.", "12 345", "Ok"]


def stock_identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def test_the_model_decompressed_once_into_the_cache_detects_as_the_packaged_one(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSBEAM_CACHE", str(tmp_path / "newsbeam"))
    (tmp_path / "newsbeam").mkdir()
    older = tmp_path / "newsbeam" / "py3langid-0123456789abcdef.npz"   # another model's copy (68 MB)
    older.write_bytes(b"")
    expected = [stock_identifier().classify(text) for text in SAMPLES]
    first = load_identifier()
    [cached] = (tmp_path / "newsbeam").glob("py3langid-*.npz")      # written by the first load, the older gone ...
    assert cached != older
    written = cached.stat().st_mtime_ns
    second = load_identifier()
    assert cached.stat().st_mtime_ns == written                       # ... and read by the next
    assert [first.classify(t) for t in SAMPLES] == [second.classify(t) for t in SAMPLES] == expected


def test_without_a_writable_cache_the_packaged_model_is_read(tmp_path, monkeypatch):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    monkeypatch.setenv("NEWSBEAM_CACHE", str(blocked))
    assert [load_identifier().classify(t) for t in SAMPLES] == [stock_identifier().classify(t) for t in SAMPLES]


def test_normalise_reads_the_tags_pages_write():
    assert [normalise(t) for t in ("de-AT", "en_US", "DE", "ger", "pt-BR", "zh-Hans-CN", "iw")] == [
        "de", "en", "de", "de", "pt", "zh", "he"]
    assert [normalise(t) for t in ("x-default", "und", "", None, "english", "zz", 7)] == [None] * 7


def test_a_declaration_the_text_agrees_with_is_kept_as_declared():
    assert decide_language(["de-AT"], GERMAN) == "de"
    assert decide_language(["nb"], "Regjeringen vil bruke 300 millioner kroner på nye veier i Nord-Norge, "
                                   "sier samferdselsministeren til avisen.") in ("nb", "no")
    # Several declarations: the one the text agrees with, even when a template's comes first.
    assert decide_language(["en", "de_DE"], GERMAN) == "de"


def test_a_sure_detection_overrides_a_wrong_declaration():
    assert decide_language(["en"], GERMAN) == "de"        # a template declaring English on German pages
    assert decide_language(["de"], ENGLISH) == "en"


def test_an_unsure_detector_leaves_the_declaration():
    assert decide_language(["de"], "Bayern 3:1") == "de"   # too short to contradict anything
    assert decide_language(["fr"], "") == "fr"
    # A language the detector does not know cannot be contradicted by it.
    assert decide_language(["rm"], "Il cussegl grond ha decidì da sustegnair il project cun 40 vuschs.") == "rm"


def test_nothing_declared_takes_a_confident_detection_or_nothing():
    assert decide_language([], ENGLISH) == "en"          # English text without a declaration is English
    assert decide_language([None, "x-default"], GERMAN) == "de"
    assert decide_language([], SWEDISH) == "sv"
    assert decide_language([], "Ok.") is None             # too short to tell: unknown, not a guess
    assert decide_language([], "12 345 678") is None
    assert decide_language([], "") is None


def test_declared_languages_reads_html_lang_header_meta_og_locale_and_json_ld():
    html = ('<html lang="en-GB"><head><meta http-equiv="Content-Language" content="de">'
            '<meta property="og:locale" content="fr_FR">'
            '<script type="application/ld+json">{"@type": "NewsArticle", "inLanguage": "es-ES"}</script>'
            '</head><body><p>x</p></body></html>')
    assert declared_languages(parse_page(html), "it, en") == ["en-GB", "de", "fr_FR", "es-ES"]   # two in the header: none
    assert declared_languages(parse_page(html), "nl") == ["en-GB", "nl", "de", "fr_FR", "es-ES"]
    assert declared_languages(parse_page("<html><body><p>nothing</p></body></html>")) == []
    assert declared_languages(None, "pl") == ["pl"]


def test_the_gate_runs_rules_only_in_their_language():
    assert quotes_in(SWEDISH, "sv") is None and figures_in(SWEDISH, "sv") is None
    assert quotes_in(ENGLISH, None) is None and figures_in(ENGLISH, None) is None
    assert tasks_without_rules(None) == ("quotes", "figures") and tasks_without_rules("sv") == ("quotes", "figures")
    assert has_rules("en", "quotes") and has_rules("en-GB", "figures") and has_rules("de", "figures")
    english = '"We cannot keep pumping water out of kitchens," Mayor Daniel Osei said. The wall costs $12 million.'
    assert [q["speaker"] for q in quotes_in(english, "en")] == ["Daniel Osei"]
    assert any(f["value"] == 12_000_000 and f["unit"] == "USD" for f in figures_in(english, "en"))
    assert [(f["raw"], f["value"], f["unit"]) for f in figures_in(GERMAN, "de")][0] == ("40.000 Euro", 40000, "EUR")
    # English rules never read German text: "40.000" is not forty here.
    assert not any(f["value"] == 40 for f in figures_in(GERMAN, "de"))


def test_german_quotes_come_from_the_german_pack():
    text = "„Wir haben keine andere Wahl“, sagte Bürgermeisterin Anna Becker nach der Sitzung am Montag."
    quotes = quotes_in(text, "de-DE")
    assert [q["text"] for q in quotes] == ["„Wir haben keine andere Wahl“"]
    assert "Anna Becker" in quotes[0]["speaker"]


def _not_analysed(task, language, article_id):
    return {"fact": "not_analysed", "task": task, "language": language, "article_id": article_id}


def test_the_manifest_counts_articles_without_rules_by_language_and_the_summary_says_so():
    facts = [_not_analysed(task, language, article_id) for task in ("quotes", "figures")
             for language, article_id in (("sv", "a1"), ("sv", "a2"), ("unknown", "a3"))]
    facts.append(_not_analysed("quotes", "fr", "a4"))   # French figures were found: only its quotes are missing
    manifest = build_manifest({"run_id": "r", "started_at": dt.datetime.now(dt.timezone.utc).isoformat()}, facts)
    assert manifest["not_analysed"] == {"sv": 2, "unknown": 1}
    assert manifest["not_analysed_by_task"] == {"quotes": {"fr": 1, "sv": 2, "unknown": 1},
                                                "figures": {"sv": 2, "unknown": 1}}
    assert not_analysed_lines(manifest) == [
        "  not analysed (no rules for the language): 3 articles (sv 2, unknown 1)",
        "  no quotes (no quote rules for the language): 1 article (fr 1)"]
    empty = build_manifest({"run_id": "r", "started_at": dt.datetime.now(dt.timezone.utc).isoformat()}, [])
    assert empty["not_analysed"] == {} and not_analysed_lines(empty) == []


def test_extract_reads_lang_or_detects_it_and_counts_what_it_could_not_analyse(tmp_path):
    docs = tmp_path / "docs.jsonl"
    lines = [{"id": "de", "text": GERMAN, "lang": "de"}, {"id": "en", "text": ENGLISH},
             {"id": "sv", "text": SWEDISH}, {"id": "short", "text": "Up 4%."},
             {"id": "forced", "text": "Up 4%.", "lang": "en"}, {"id": "bad", "text": GERMAN, "lang": "German!"}]
    docs.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "pipelines.cli", "extract", "--input", str(docs), "--output", "-"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    out = {p["id"]: p for p in map(json.loads, result.stdout.splitlines())}
    assert {k: p["language"] for k, p in out.items()} == {"de": "de", "en": "en", "sv": "sv", "short": None,
                                                          "forced": "en"}
    assert out["de"]["figures"][0]["value"] == 40000 and out["de"]["figures"][0]["unit"] == "EUR"
    assert out["sv"]["figures"] == [] and out["sv"]["not_analysed"] == ["quotes", "figures"]
    assert out["short"]["figures"] == [] and [f["value"] for f in out["forced"]["figures"]] == [4]
    assert "skipped: ValueError: 'lang' is not an ISO 639-1 language code: 'German!'" in result.stderr
    assert "not analysed (no rules for the language): 2 documents (sv 1, unknown 1)" in result.stderr
