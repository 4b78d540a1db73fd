"""French and Spanish quotes through the edge finder and the `fr`/`es` packs (sentences written for these tests)."""

import json
import os
import subprocess
import sys

import pytest
from hypothesis import given, settings, strategies as st

from transforms.analysis.by_language import quotes_in
from transforms.analysis.lang import pack
from transforms.analysis.speakers import speaker_id

KEYS = {"text", "start", "end", "speaker", "speaker_title", "speaker_start", "speaker_end", "cue", "kind",
        "sentence", "confidence", "speaker_id", "speaker_kind", "speaker_org"}
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCORER = os.path.join(os.path.dirname(ROOT), "shared", "eval", "score_quotes.py")


def quotes(text, lang):
    found = quotes_in(text, lang)
    for q in found:
        assert set(q) == KEYS
        assert text[q["start"]:q["end"]] == q["text"]
        if q["speaker"] is not None:
            assert text[q["speaker_start"]:q["speaker_end"]] == q["speaker"]
    return found


def speakers(text, lang):
    return [(q["text"], q["speaker"]) for q in quotes(text, lang)]


def test_both_packs_name_the_edge_finder():
    assert pack("fr", "quotes").FINDER == pack("es", "quotes").FINDER == "quote_edges"
    assert pack("fr-CA", "quotes") is pack("fr", "quotes") and pack("es-MX", "quotes") is pack("es", "quotes")


@pytest.mark.parametrize("text, speaker, cue", [
    ("« Nous ne céderons pas », a déclaré le ministre de l'Intérieur jeudi.", "le ministre de l'Intérieur",
     "a déclaré"),
    ("« Le texte est injuste », affirme le secrétaire général de la CGT.", "le secrétaire général de la CGT",
     "affirme"),
    ("« C'est une victoire », a-t-il lancé devant la presse.", "il", "a-t-il lancé"),
    ("« Nous rouvrirons lundi », explique-t-elle.", "elle", "explique"),
    ("« Nous ne céderons pas », a répliqué le maire.", "le maire", "a répliqué"),
    ("« Deux blessés ont été hospitalisés », selon la police.", "la police", "selon"),
    ("Le préfet de police a indiqué : « La situation est sous contrôle. »", "Le préfet de police", "a indiqué"),
    ("Jeudi, la procureure de Nantes a précisé : « L'enquête est ouverte. »", "la procureure de Nantes",
     "a précisé"),
    ("Sophie Lenoir, maire de Lyon, a déclaré : « Les écoles rouvriront lundi. »", "Sophie Lenoir", "a déclaré"),
    ("Selon le syndicat, « la moitié des salariés sont en grève ».", "le syndicat", "Selon"),
    ("Le syndicat a qualifié la décision de « scandaleuse ».", "Le syndicat", "a qualifié"),
])
def test_french_speakers_at_the_edges_of_a_quotation(text, speaker, cue):
    (q,) = quotes(text, "fr")
    assert (q["speaker"], q["cue"]) == (speaker, cue)
    assert q["text"][0] == "«"


@pytest.mark.parametrize("text, speaker, cue", [
    ("«No vamos a subir los impuestos», dijo el ministro de Hacienda el lunes.", "el ministro de Hacienda", "dijo"),
    ("«El puente estará listo en marzo» —ha asegurado la concejala de Obras—.", "la concejala de Obras",
     "ha asegurado"),
    ("La alcaldesa declaró: «Las obras terminarán en marzo».", "La alcaldesa", "declaró"),
    ("“Es un día histórico para la ciudad”, afirmó ella tras la votación.", "ella", "afirmó"),
    ("Según la Policía Nacional, «no hay indicios de delito».", "la Policía Nacional", "Según"),
])
def test_spanish_speakers_at_the_edges_of_a_quotation(text, speaker, cue):
    (q,) = quotes(text, "es")
    assert (q["speaker"], q["cue"]) == (speaker, cue)


def test_a_cue_inside_a_quotation_splits_it_and_names_both_halves():
    fr = "« Nous avons perdu une bataille, reconnaît-il. Mais la saison est encore longue. »"
    es = "«Saldremos a ganar desde el primer minuto —aseguró el entrenador—, porque en casa somos fuertes»."
    assert speakers(fr, "fr") == [("« Nous avons perdu une bataille", "il"),
                                  ("Mais la saison est encore longue. »", "il")]
    assert speakers(es, "es") == [("«Saldremos a ganar desde el primer minuto", "el entrenador"),
                                  ("porque en casa somos fuertes»", "el entrenador")]


def test_a_verb_of_saying_inside_a_quotation_without_comma_or_dash_does_not_split_it():
    text = "«Nadie dijo que fuera fácil, pero lo logramos juntos», afirmó la entrenadora."
    assert speakers(text, "es") == [("«Nadie dijo que fuera fácil, pero lo logramos juntos»", "la entrenadora")]


def test_of_a_name_and_a_description_between_commas_the_name_speaks():
    text = ("Du côté du syndicat, la secrétaire générale adjointe, Inès Marchal, a déclaré : "
            "« Les salariés attendent des réponses. »")
    (q,) = quotes(text, "fr")
    assert q["speaker"] == "Inès Marchal" and q["speaker_id"] == speaker_id("Inès Marchal")


def test_a_cue_without_subject_after_a_sentence_about_someone_names_that_someone():
    text = ("El abogado defensor, Andrés Quiroga, anunció que recurrirá la sentencia. "
            "«Mi cliente actuó en defensa propia», señaló a los periodistas.")
    (q,) = quotes(text, "es")
    assert q["speaker"] == "El abogado defensor, Andrés Quiroga" and q["speaker_id"] == speaker_id("Andrés Quiroga")


def test_a_cue_word_after_an_article_is_a_noun_not_a_cue():
    text = "La fiscal calificó la sentencia de «un paso atrás para las víctimas»."
    assert speakers(text, "es") == [("«un paso atrás para las víctimas»", "La fiscal")]


def test_a_name_after_a_description_joins_it_and_gives_the_speaker_id():
    text = "« Nous tiendrons le calendrier », a déclaré la maire, Hélène Moreau, à l'issue du vote."
    (q,) = quotes(text, "fr")
    assert q["speaker"] == "la maire, Hélène Moreau"
    assert q["speaker_kind"] == "person" and q["speaker_id"] == speaker_id("Hélène Moreau")


def test_a_pronoun_takes_the_name_before_it_only_when_the_gender_agrees():
    agree = "« Nous rouvrirons », a déclaré la maire, Hélène Moreau. « Le budget est voté », a-t-elle ajouté."
    other = "« Nous rouvrirons », a déclaré le maire, Paul Roux. « Le budget est voté », a-t-elle ajouté."
    assert quotes(agree, "fr")[1]["speaker_id"] == speaker_id("Hélène Moreau")
    second = quotes(other, "fr")[1]
    assert second["speaker"] == "elle" and second["speaker_id"] is None and second["speaker_kind"] == "unresolved"


def test_spanish_drops_the_subject_and_the_speaker_goes_on():
    text = "«Es la obra más importante», dijo el alcalde, Javier Ortega. «Los vecinos la esperan», añadió."
    assert [s for _, s in speakers(text, "es")] == ["el alcalde, Javier Ortega"] * 2


def test_a_quotation_standing_alone_after_an_attributed_one_keeps_its_speaker_and_only_then():
    goes_on = "« Nous ne céderons pas », a déclaré le ministre. « C'est une question de principe pour nous. »"
    alone = "Le vote a eu lieu lundi. « C'est une question de principe pour nous. »"
    assert [s for _, s in speakers(goes_on, "fr")] == ["le ministre", "le ministre"]
    assert [s for _, s in speakers(alone, "fr")] == [None]


def test_a_quotation_in_a_new_paragraph_does_not_inherit_a_voice():
    text = "« Nous ne céderons pas », a déclaré le ministre.\n« C'est une question de principe pour nous. »"
    assert [s for _, s in speakers(text, "fr")] == ["le ministre", None]


def test_a_term_in_quote_marks_nobody_is_said_to_speak_is_no_quote():
    assert quotes("Le projet « Grand Lac » a été présenté lundi.", "fr") == []
    assert quotes("El plan «Renove» fue aprobado ayer.", "es") == []


def test_no_speaker_is_invented_from_a_verb_that_is_not_one_of_saying():
    text = "« Le train arrive en gare dans cinq minutes », est écrit sur le panneau de la gare depuis des années."
    assert [s for _, s in speakers(text, "fr")] == [None]


NAMES = st.sampled_from(["Hélène Moreau", "Paul Roux", "Amélie Garnier", "Karim Benali", "Jean-Luc Ferrand"])
ROLES = st.sampled_from(["maire", "ministre de la Santé", "porte-parole du gouvernement", "directrice de l'usine"])
CUES = st.sampled_from(["a déclaré", "a affirmé", "a expliqué", "a souligné", "affirme", "explique", "a précisé"])
WORDS = st.lists(st.sampled_from("nous allons ouvrir le site fermer la ligne rien ne change demain les élus".split()),
                 min_size=4, max_size=12)


@given(NAMES, ROLES, CUES, WORDS, st.booleans())
@settings(max_examples=80, deadline=None)
def test_random_french_attributions_name_the_person_and_give_their_id(name, role, cue, words, before):
    quote = " ".join(words).capitalize()
    det = "la" if role.startswith("directrice") else "le"
    if before:
        text = f"{name}, {role}, {cue} : « {quote}. »"
        expected = name
    else:
        text = f"« {quote} », {cue} {det} {role}, {name}, devant la presse."
        expected = f"{det} {role}, {name}"
    (q,) = quotes(text, "fr")
    assert q["speaker"] == expected
    assert q["speaker_id"] == speaker_id(name)


# Marks, punctuation and cue words in any order: quotations open and close anywhere, cues stand anywhere.
PIECES = [*"«»“”\"—–,.:;!?\n-'", "\u00a0", "nous ne céderons pas sur ce point", "a déclaré", "affirme-t-elle", "dijo",
          "selon", "Según", "le maire", "la ministre, Ana Ruiz,", "s'est dit", "que", "de", "Il", "«", "»"]
MESS = st.lists(st.sampled_from(PIECES), max_size=40).map(" ".join)


@given(MESS, st.sampled_from(["fr", "es"]))
@settings(max_examples=300, deadline=None)
def test_any_mess_of_marks_and_cues_gives_well_formed_quotes_and_never_an_error(text, lang):
    from transforms.analysis.quote_edges import _edges, _find   # _find: find_quotes would hide an exception
    found = _find(text, _edges(pack(lang, "quotes")))
    for q in found:
        assert text[q["start"]:q["end"]] == q["text"] and q["text"]
        if q["speaker"] is not None:
            assert text[q["speaker_start"]:q["speaker_end"]] == q["speaker"] and q["speaker"].strip()
            assert not (q["start"] <= q["speaker_start"] < q["end"]) or q["cue"]   # inside only as an incise


@pytest.mark.skipif(not os.path.exists(SCORER), reason="needs ../shared (the quote scorer)")
def test_bench_scores_the_annotated_paragraphs_of_both_languages(tmp_path):
    result = subprocess.run([sys.executable, os.path.join(ROOT, "bench", "quotes_fr_es.py"), "--keep", str(tmp_path)],
                            capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    scores = [line for line in result.stdout.splitlines() if line.startswith("quotes:")]
    assert len(scores) == 8   # tune, check, fresh and fresh2 of each language
    assert len([line for line in result.stdout.splitlines() if line.startswith("named speakers:")]) == 8
    for name in ("pred_fr_fresh2.jsonl", "pred_es_fresh2.jsonl"):
        rows = [json.loads(line) for line in open(tmp_path / name, encoding="utf-8")]
        assert sum(len(r["quotes"]) for r in rows) > 0
