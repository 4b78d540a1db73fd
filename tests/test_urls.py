"""canonical_url, article_id and record_id: one identity per article, whatever the link looks like."""

import re
from urllib.parse import urlsplit

from transforms.urls import article_id, canonical_url, record_id


def test_canonical_url_lowercases_scheme_and_host_but_not_path():
    assert canonical_url("HTTPS://News.Example.COM/Local/Story") == "https://news.example.com/Local/Story"


def test_canonical_url_drops_default_ports_only():
    assert canonical_url("http://example.com:80/a") == "http://example.com/a"
    assert canonical_url("https://example.com:443/a") == "https://example.com/a"
    assert canonical_url("http://example.com:8080/a") == "http://example.com:8080/a"
    # 443 is only default for https
    assert canonical_url("http://example.com:443/a") == "http://example.com:443/a"


def test_canonical_url_drops_fragment_and_bare_question_mark():
    assert canonical_url("https://example.com/a?#comments") == "https://example.com/a"


def test_canonical_url_removes_tracking_parameters_case_insensitively():
    url = "https://example.com/a?UTM_Source=rss&utm_medium=feed&fbclid=abc&gclid=1&mc_cid=2&id=7"
    assert canonical_url(url) == "https://example.com/a?id=7"


def test_canonical_url_keeps_non_tracking_parameters_and_sorts_them():
    assert canonical_url("https://example.com/a?page=2&id=7") == canonical_url("https://example.com/a?id=7&page=2")
    assert urlsplit(canonical_url("https://example.com/a?page=2&id=7")).query == "id=7&page=2"


def test_canonical_url_keeps_blank_query_values():
    assert canonical_url("https://example.com/a?preview=&id=1") == "https://example.com/a?id=1&preview="


def test_canonical_url_gives_root_path_to_bare_host():
    assert canonical_url("https://example.com") == "https://example.com/"


def test_canonical_url_strips_surrounding_whitespace():
    assert canonical_url("  https://example.com/a \n") == "https://example.com/a"


def test_canonical_url_keeps_credentials_with_lowercased_host():
    assert canonical_url("https://user:pw@Example.com/a") == "https://user:pw@example.com/a"


def test_canonical_url_keeps_ipv6_host_bracketed():
    # urlsplit().hostname strips the brackets; rebuilding "host:port" without them gives
    # "http://::1:8080/x", which is not a URL any more (its port and host can't be told apart).
    canonical = canonical_url("http://[::1]:8080/news/a")
    assert canonical == "http://[::1]:8080/news/a"
    assert urlsplit(canonical).port == 8080


def test_canonical_url_is_idempotent():
    for url in ("HTTP://Example.com:80/a/b?z=1&utm_term=x&a=2#top", "https://example.com", "http://h:81/?b=&a=1"):
        once = canonical_url(url)
        assert canonical_url(once) == once


def test_article_id_is_16_hex_digits():
    assert re.fullmatch(r"[0-9a-f]{16}", article_id("https://example.com/a"))


def test_article_id_is_the_same_for_links_to_the_same_article():
    base = article_id("https://example.com/story?id=4")
    assert article_id("HTTPS://EXAMPLE.com:443/story?utm_source=rss&id=4#x") == base


def test_article_id_differs_for_different_articles():
    assert article_id("https://example.com/story?id=4") != article_id("https://example.com/story?id=5")
    assert article_id("https://example.com/Story") != article_id("https://example.com/story")


def test_record_id_is_stable_and_depends_on_every_part():
    a = record_id("art1", 10, 20)
    assert re.fullmatch(r"[0-9a-f]{16}", a)
    assert record_id("art1", 10, 20) == a
    assert record_id("art1", 10, 21) != a


def test_record_id_part_boundaries_matter():
    # joining with a separator keeps ("ab", "c") distinct from ("a", "bc")
    assert record_id("ab", "c") != record_id("a", "bc")
