"""German quotes through the language-independent finder and the `de` pack (sentences written for these tests)."""

import pytest

from transforms.analysis.lang import pack
from transforms.analysis.reported_speech import find_quotes
from transforms.analysis.speakers import speaker_id

DE = pack("de", "quotes")
KEYS = {"text", "start", "end", "speaker", "speaker_title", "speaker_start", "speaker_end", "cue", "kind",
        "sentence", "confidence", "speaker_id", "speaker_kind", "speaker_org"}


def quotes(text):
    found = find_quotes(text, DE)
    for q in found:
        assert set(q) == KEYS
        assert text[q["start"]:q["end"]] == q["text"]
        if q["speaker"] is not None:
            assert text[q["speaker_start"]:q["speaker_end"]] == q["speaker"]
        assert 0.0 <= q["confidence"] <= 1.0
    assert found == sorted(found, key=lambda q: q["start"])
    return found


def one(text, kind=None):
    found = [q for q in quotes(text) if kind is None or q["kind"] == kind]
    assert len(found) == 1, found
    return found[0]


def test_pack_is_registered():
    assert DE is not None and pack("de-AT", "quotes") is DE
    assert pack("en", "quotes") is None or pack("en", "quotes").__name__.endswith("en.quotes")


def test_direct_cue_after_with_title_and_exact_offsets():
    text = "„Wir werden die Steuern nicht erhöhen“, sagte Finanzminister Karl Weber am Montag in Berlin."
    q = one(text)
    assert q["kind"] == "direct"
    assert (q["start"], q["end"]) == (0, text.index("“") + 1)
    assert q["speaker"] == "Finanzminister Karl Weber"
    assert q["speaker_start"] == text.index("Finanzminister")
    assert q["cue"] == "sagte"
    assert q["speaker_kind"] == "person"
    assert q["speaker_id"] == speaker_id("Finanzminister Karl Weber")


def test_direct_guillemets_cue_before_with_colon():
    text = "Die Sprecherin des Innenministeriums, Petra Lang, erklärte: »Die Lage ist unter Kontrolle.«"
    q = one(text)
    assert q["kind"] == "direct" and q["text"] == "»Die Lage ist unter Kontrolle.«"
    assert q["speaker"].startswith("Die Sprecherin")
    assert q["cue"] == "erklärte"


def test_direct_cue_before_subject_after_verb():
    text = "Am Dienstag sagte die Bürgermeisterin Sabine Kraus: „Die Brücke wird im Mai eröffnet.“"
    q = one(text)
    assert q["speaker"] == "die Bürgermeisterin Sabine Kraus"


def test_direct_so_x():
    text = "„Das Projekt kommt viel zu spät“, so der Vorsitzende des Mieterbundes."
    q = one(text)
    assert q["cue"] == "so"
    assert q["speaker"] == "der Vorsitzende des Mieterbundes"
    assert q["speaker_kind"] == "description"


def test_separable_cue_after_quote():
    text = "„Die Preise steigen weiter“, fügte der Ökonom Jan Busch hinzu."
    q = one(text)
    assert q["speaker"] == "der Ökonom Jan Busch"


def test_quote_after_quote_keeps_speaker():
    text = ("„Wir haben alles versucht“, sagte Trainer Olaf Brandt nach dem Spiel. "
            "„Am Ende hat uns die Kraft gefehlt.“")
    found = quotes(text)
    assert [q["kind"] for q in found] == ["direct", "direct"]
    assert found[1]["speaker"] == "Trainer Olaf Brandt"


def test_laut_x_indirect():
    text = "Laut Nachrichtenagentur dpa wurden bei dem Unfall drei Menschen verletzt."
    q = one(text)
    assert q["kind"] == "indirect"
    assert q["text"] == "wurden bei dem Unfall drei Menschen verletzt"
    assert q["speaker"] == "Nachrichtenagentur dpa"
    assert q["speaker_kind"] == "organisation"


def test_x_zufolge():
    text = "Der Polizei zufolge war der Fahrer des Lastwagens nicht angeschnallt."
    q = one(text)
    assert q["kind"] == "indirect" and q["cue"] == "zufolge"
    assert q["speaker"] == "Der Polizei"


def test_nach_angaben_von():
    text = "Nach Angaben der Feuerwehr brach das Feuer gegen Mitternacht in der Küche aus."
    q = one(text)
    assert q["kind"] == "indirect"
    assert "Feuerwehr" in q["speaker"]
    assert q["text"].startswith("brach das Feuer")


def test_indirect_dass_clause():
    text = "Ministerpräsidentin Anna Berg sagte, dass die Schulen am Montag wieder öffnen."
    q = one(text)
    assert q["kind"] == "indirect"
    assert q["text"] == "dass die Schulen am Montag wieder öffnen"
    assert q["speaker"] == "Ministerpräsidentin Anna Berg"


def test_indirect_konjunktiv_organisation_man():
    text = "Die Firma teilte mit, man werde das Werk in Bremen Ende des Jahres schließen."
    q = one(text)
    assert q["kind"] == "indirect"
    assert q["text"] == "man werde das Werk in Bremen Ende des Jahres schließen"
    assert q["speaker"] == "Die Firma" and q["speaker_kind"] == "organisation"


def test_konjunktiv_continuation_and_gender_resolution():
    text = ("Thomas Krüger traf am Abend in Hamburg ein. Anna Berg sprach danach mit Journalisten. "
            "Er sagte, die Verhandlungen seien gescheitert. Es gebe keine Einigung mit den Gewerkschaften. "
            "Sie sagte: „Wir kämpfen weiter.“")
    found = quotes(text)
    kinds = [q["kind"] for q in found]
    assert kinds == ["indirect", "indirect", "direct"]
    first, cont, direct = found
    assert first["speaker"] == "Er" and first["speaker_start"] == text.index("Er sagte")
    assert first["speaker_id"] == speaker_id("Thomas Krüger")
    assert cont["text"] == "Es gebe keine Einigung mit den Gewerkschaften"
    assert cont["speaker"] == "Er"
    assert direct["speaker"] == "Sie" and direct["speaker_id"] == speaker_id("Anna Berg")


def test_quoted_word_in_reported_speech():
    text = "Der Bundeskanzler nannte den Vorschlag einen „Irrweg“."
    q = one(text)
    assert q["kind"] == "direct" and q["text"] == "„Irrweg“"
    assert q["speaker"] == "Der Bundeskanzler"


def test_names_and_titles_in_marks_are_not_quotes():
    assert quotes("Die Zeitung „Neue Post“ erscheint seit 1990 in Köln.") == []
    assert quotes("Der Film „Die letzte Fahrt“ läuft ab Donnerstag in den Kinos.") == []


def test_text_without_quotes():
    text = ("Der Stadtrat hat am Mittwoch den Haushalt für das kommende Jahr beschlossen. "
            "Die Sitzung dauerte fünf Stunden.")
    assert quotes(text) == []


@pytest.mark.parametrize("bad", [None, "", "   \n ", 42, b"\x00\x01", "\x00\x01\x02\x03\x04" * 50,
                                 "\ufffd\ufffd\ufffd%%%###" * 30, "„", "„“", "„ „ „ “", "sagte, sagte: „"])
def test_garbage_input(bad):
    assert find_quotes(bad, DE) == [] or isinstance(find_quotes(bad, DE), list)
    if bad is None or not isinstance(bad, str) or not bad.strip() or "\x00" in bad or "\ufffd" in bad:
        assert find_quotes(bad, DE) == []


def test_no_pack_gives_nothing():
    assert find_quotes("„Das ist gut“, sagte er.", None) == []


def test_min_confidence_filters():
    text = "Der Bundeskanzler nannte den Vorschlag einen „Irrweg“."
    assert find_quotes(text, DE, min_confidence=0.95) == []


def test_according_phrase_inside_sentence_gives_the_rest():
    text = "Der Verdächtige wurde nach Angaben der Polizei in einem Hotel am Stadtrand festgenommen."
    found = [q for q in quotes(text) if q["kind"] == "indirect"]
    assert any(q["text"] == "in einem Hotel am Stadtrand festgenommen" for q in found)
    assert all("Polizei" in q["speaker"] for q in found)


def test_nach_eigenen_angaben_with_adjective():
    text = "Nach eigenen Angaben hat der Verein im vergangenen Jahr zweihundert neue Mitglieder gewonnen."
    q = one(text, "indirect")
    assert q["text"].startswith("hat der Verein")
    assert q["speaker"] == "eigenen Angaben"


def test_genitive_owner_with_possessive():
    text = "Nach Angaben seines Anwalts hat der Sänger die Vorwürfe nie bestritten."
    q = one(text, "indirect")
    assert q["speaker"] == "Angaben seines Anwalts"
    assert q["text"] == "hat der Sänger die Vorwürfe nie bestritten"


def test_wie_x_berichtete_tail_without_konjunktiv():
    text = "Wie die Lokalzeitung berichtete, bleibt das Freibad in diesem Sommer geschlossen."
    q = one(text, "indirect")
    assert q["text"] == "bleibt das Freibad in diesem Sommer geschlossen"
    assert q["speaker"] == "die Lokalzeitung"


def test_infinitive_clause_after_cue():
    text = "Der Bürgermeister kündigte am Montag an, die Gebühren im nächsten Jahr nicht zu erhöhen."
    q = one(text, "indirect")
    assert q["text"] == "die Gebühren im nächsten Jahr nicht zu erhöhen"
    assert q["speaker"] == "Der Bürgermeister"


def test_dies_berichtete_gives_the_pronoun_span():
    text = ("Im Hafen ist am Morgen ein Frachter auf Grund gelaufen. "
            "Dies berichtete die Küstenwache am Nachmittag.")
    q = [q for q in quotes(text) if q["text"] == "Dies"]
    assert len(q) == 1 and q[0]["kind"] == "indirect"
    assert q[0]["speaker"] == "die Küstenwache"


def test_heisst_es_in_names_the_document():
    text = "„Die Anlage wird im Herbst stillgelegt“, heißt es in der Mitteilung des Betreibers."
    q = one(text, "direct")
    assert q["speaker"].startswith("der Mitteilung")
    text = "In der Erklärung des Vorstands heißt es: „Wir halten an dem Standort fest.“"
    q = one(text, "direct")
    assert q["speaker"].startswith("der Erklärung")


def test_opening_adverb_is_not_a_speaker():
    text = "Damit sagte der Trainer: „Wir müssen geduldiger spielen.“"
    q = one(text, "direct")
    assert q["speaker"] == "der Trainer"


def test_object_first_takes_the_subject_after_the_verb():
    text = "Den Vorschlag der Opposition nannte Ministerin Karin Vogt einen „teuren Irrweg“."
    q = one(text, "direct")
    assert q["speaker"] == "Ministerin Karin Vogt"


def test_subject_of_sentence_without_cue_verb():
    text = "Die Gewerkschaft verlangte eine Untersuchung der „unhaltbaren Zustände in den Lagern“."
    q = one(text, "direct")
    assert q["speaker"] == "Die Gewerkschaft"


def test_quoted_phrase_in_reported_speech_takes_the_subject_after_the_verb():
    text = "Am Montag erklärte der Sprecher der Stadt, die Lage sei „völlig unter Kontrolle“."
    q = one(text, "direct")
    assert q["speaker"] == "der Sprecher der Stadt"
    assert q["speaker_start"] == text.index("der Sprecher")


def test_cue_before_comma_has_no_subject_after_it():
    text = "Das Ministerium erklärte, ein solcher Schritt sei eine „innere Angelegenheit“ des Landes."
    q = one(text, "direct")
    assert q["speaker"] == "Das Ministerium"


def test_so_x_after_reported_speech():
    text = "Die Preise würden im Herbst „deutlich steigen“, so der Ökonom Jan Busch."
    found = quotes(text)
    direct = [q for q in found if q["kind"] == "direct"]
    assert len(direct) == 1 and direct[0]["speaker"] == "der Ökonom Jan Busch"
    assert any(q["kind"] == "indirect" and q["speaker"] == "der Ökonom Jan Busch" for q in found)


def test_passive_agent_is_the_speaker():
    text = "Der Plan wird von der Gewerkschaft als „glatte Zumutung“ bezeichnet."
    q = one(text, "direct")
    assert q["speaker"] == "der Gewerkschaft"


def test_reported_speech_continues_with_the_same_speaker():
    text = ("Die Ministerin Anna Berg sagte, die Schulen blieben geöffnet. "
            "Der Unterricht sei „vollständig gesichert“.")
    q = one(text, "direct")
    assert q["speaker"] == "Die Ministerin Anna Berg"
    assert q["speaker_start"] == 0


def test_relative_clause_between_subject_and_cue():
    text = "Karl Weber, der die Firma seit 1990 leitet, sagte am Abend: „Wir bleiben in der Stadt.“"
    q = one(text, "direct")
    assert q["speaker"] == "Karl Weber"


def test_article_after_leading_particle_opens_the_subject():
    text = "Auch die Bürgermeisterin Sabine Kraus äußerte Bedenken: „Das geht zu schnell.“"
    q = one(text, "direct")
    assert q["speaker"] == "die Bürgermeisterin Sabine Kraus"


# ------------------------------------------------------------------ round 4

def test_verb_final_cue_with_joined_particle():
    text = "Wie die Sprecherin Petra Lang mitteilte, sei die Brücke „ab sofort gesperrt“."
    q = one(text, "direct")
    assert q["speaker"] == "die Sprecherin Petra Lang"


def test_quoted_name_after_article_is_the_source():
    text = "„Der neue Tarif ist ein schlechter Scherz für alle Kunden“, schreibt die „Stadtpost“."
    q = one(text, "direct")
    assert q["speaker"] == "die „Stadtpost“"


def test_possessive_opinion_noun_before_nach():
    text = "Seiner Ansicht nach „ist das ein schwarzer Tag“ für die Region."
    q = one(text, "direct")
    assert q["speaker"] == "Seiner Ansicht"


def test_und_coordination_shares_the_subject():
    text = "Als die Polizei kam, schlug der Mann um sich und rief: „Lasst mich sofort raus!“"
    q = one(text, "direct")
    assert q["speaker"] == "der Mann"


def test_relative_clause_before_cue_and_missing_comma():
    text = "Im Brief, den Karl Weber an die Stadt geschickt hat, erklärt er: „Ich trete zurück.“"
    assert one(text, "direct")["speaker"] == "er"
    text = "Als ihm das Urteil verkündet worden war sagte er: „Ich bin unschuldig.“"
    assert one(text, "direct")["speaker"] == "er"


def test_aus_x_hiess_es_names_the_source():
    text = "Aus Paris hieß es, das Vorgehen sei „eine schwere Verletzung“ des Abkommens."
    q = one(text, "direct")
    assert q["speaker"] in ("Aus Paris", "Paris")


def test_present_plural_cue_after_noun_subject():
    text = "Die Kläger sagen, das Gericht habe den Fall „nie richtig geprüft“."
    found = quotes(text)
    assert [q["speaker"] for q in found if q["kind"] == "direct"] == ["Die Kläger"]
    ind = [q for q in found if q["kind"] == "indirect"]
    assert len(ind) == 1 and ind[0]["text"].startswith("das Gericht habe")
    # after a modal it is an infinitive, not a cue
    assert not [q for q in quotes("Die Kläger wollen sagen, wer gewinnt.") if q["kind"] == "indirect"]


def test_reported_sentence_with_quoted_phrase_is_reported_too():
    text = ("Der Minister Karl Weber sagte, die Lage sei ernst. "
            "Es drohe „eine schwere Krise“ im Winter.")
    found = quotes(text)
    ind = [q for q in found if q["kind"] == "indirect"]
    assert any(q["text"].startswith("Es drohe „eine schwere Krise“") for q in ind)


def test_according_phrase_with_adjective_is_not_reported():
    text = "Nach Angaben der örtlichen Polizei wurden bei dem Unfall drei Menschen verletzt."
    q = one(text, "indirect")
    assert q["text"] == "wurden bei dem Unfall drei Menschen verletzt"
    assert q["speaker"] == "Angaben der örtlichen Polizei"
    text = "Behördlichen Angaben zufolge starben am Montag zwei Menschen."
    q = one(text, "indirect")
    assert q["text"] == "starben am Montag zwei Menschen"


def test_reported_clause_ends_before_coordinated_main_clause():
    text = "Der Wetterdienst meldete, dass der Regen anhalte und warnte vor neuen Überschwemmungen."
    q = one(text, "indirect")
    assert q["text"] == "dass der Regen anhalte"


def test_reported_continuation_starts_after_head_clause():
    text = ("Der Minister Karl Weber sagte, die Lage sei ernst. "
            "Er zeigte sich offen für einen Plan, der die Kosten senken solle.")
    ind = [q for q in quotes(text) if q["kind"] == "indirect"]
    assert ind[-1]["text"] == "der die Kosten senken solle"
