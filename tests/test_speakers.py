"""Speakers across articles: quotes.speaker_id and the DuckDB view `speakers`, on fixture articles of our own
written as Delta tables with transforms.storage and read back through connect()."""

import datetime as dt

import pytest

from transforms.storage.runs import build_manifest
from transforms.storage.commit import commit
from transforms.storage.views import connect
from transforms.storage.files import write_data_file
from transforms.analysis.quotes import find_quotes
from transforms.analysis.speakers import normalise_speaker, speaker_id

UTC = dt.timezone.utc

# One person under three forms in three articles, a second person, and two people of one surname.
ARTICLES = {
    "k1": (17, "Secretary of State John Kerry arrived in Oslo on Monday for two days of talks.\n\n"
               "\"We have a lot of work to do before spring,\" Kerry said.\n\n"
               "His deputy, Anna Berg, was more cautious.\n\n"
               "\"It will take months, not weeks,\" she said."),
    "k2": (18, "John Kerry spoke to reporters in Geneva after the second round.\n\n"
               "\"The talks went well and we will meet again,\" he said."),
    "k3": (19, "\"Nobody leaves this table unhappy,\" said Secretary of State John Kerry on Wednesday."),
    "c1": (19, "Mayor Ruth Castell and her brother, Tom Castell, a bus driver, disagree about the new tram line.\n\n"
               "\"It is a waste of money and nobody asked us,\" Tom Castell said.\n\n"
               "\"It is the future of this town,\" Ruth Castell said."),
}


def _article(aid, day, text):
    return {"article_id": aid, "url": f"https://gazette.example/{aid}", "canonical_url": f"https://gazette.example/{aid}",
            "source": "Harlow Gazette", "title": aid, "published_at": dt.datetime(2026, 11, day, 8, 0, tzinfo=UTC),
            "text": text, "word_count": len(text.split()), "body_source": "page", "http_status": 200, "run_id": "run1"}


@pytest.fixture
def dataset(tmp_path):
    articles, quotes = {}, {}
    for aid, (day, text) in ARTICLES.items():
        date = f"2026-11-{day}"
        articles.setdefault(date, []).append(_article(aid, day, text))
        for q in find_quotes(text):
            quotes.setdefault(date, []).append({**q, "quote_id": f"{aid}-{q['start']}", "article_id": aid,
                                                "run_id": "run1"})
    files = [{"fact": "file", **write_data_file(str(tmp_path), table, date, "run1", rows)}
             for table, partitions in (("articles", articles), ("quotes", quotes)) for date, rows in partitions.items()]
    manifest = build_manifest({"run_id": "run1", "started_at": dt.datetime.now(UTC).isoformat()}, files)
    commit(str(tmp_path), {"commit_id": "run1", "files": files, "feed_states": [], "manifest": manifest})
    return str(tmp_path)


def test_names_normalise_without_titles_case_accents_or_possessives():
    assert normalise_speaker("Secretary of State John Kerry") == "john kerry"
    assert normalise_speaker("Mr. John Kerry") == "john kerry"
    assert normalise_speaker("José Núñez Jr.") == "jose nunez"
    assert normalise_speaker("Dana Oduya’s") == "dana oduya"
    assert speaker_id("John Kerry") == speaker_id("Secretary of State John Kerry") != speaker_id("John Kerrigan")


def test_pronouns_and_descriptions_name_nobody():
    for name in (None, "", "he", "She", "the spokesman", "a citizen", "his office"):
        assert speaker_id(name) is None


def test_organisations_get_an_id_too():
    assert speaker_id("The Harlow Transit Authority") == speaker_id("Harlow Transit Authority")


def test_one_person_under_several_forms_is_one_speaker_across_articles(dataset):
    con = connect(dataset)
    rows = con.execute("SELECT name, quotes, articles, titles, first_seen, last_seen FROM speakers "
                       "WHERE name LIKE '%Kerry%'").fetchall()
    assert len(rows) == 1
    name, quotes, articles, titles, first_seen, last_seen = rows[0]
    assert (name, quotes, articles) == ("John Kerry", 3, 3)
    assert "Secretary of State" in titles
    assert first_seen.day == 17 and last_seen.day == 19


def test_two_people_of_one_surname_in_one_article_stay_two_speakers(dataset):
    con = connect(dataset)
    names = {r[0] for r in con.execute("SELECT name FROM speakers WHERE name LIKE '%Castell%'").fetchall()}
    assert names == {"Ruth Castell", "Tom Castell"}


def test_a_pronoun_quote_counts_for_the_person_it_refers_to(dataset):
    con = connect(dataset)
    (quotes,), = con.execute("SELECT quotes FROM speakers WHERE name = 'Anna Berg'").fetchall()
    assert quotes == 1


def test_the_view_binds_on_an_empty_dataset(tmp_path):
    assert connect(str(tmp_path)).execute("SELECT count(*) FROM speakers").fetchall() == [(0,)]


def test_a_pair_quoted_together_is_neither_person_alone():
    assert speaker_id("Ana Ruiz and Tom Lee") is None
    assert speaker_id("Harlow Bread and Butter Company") is not None
