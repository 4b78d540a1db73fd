"""Shared fixtures: a real HTTP server on 127.0.0.1 serving the fixture site, and paths to ../shared."""

import os

import pytest
from hypothesis import settings

# CI replays the same examples every run, so a landing is never decided by a random draw;
# on a developer's machine the property tests keep exploring new inputs.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

from pipelines.site import serve
from transforms.fetching.fetch import FetchConfig
from transforms.fetching.retry import RetryPolicy

HERE = os.path.dirname(__file__)
FIXTURE_SITE = os.path.join(HERE, "fixtures", "site")
SHARED = os.path.abspath(os.path.join(HERE, "..", "..", "shared"))


def _server_error(handler):
    handler.reply(500, b"internal error", "text/plain")


def _garbage(handler):
    handler.reply(200, bytes(range(256)) * 64, "application/octet-stream")


# Fetch settings for our own servers on 127.0.0.1: private addresses allowed, no politeness wait.
LOCAL_FETCH = FetchConfig(allow_private_hosts=True, per_host_delay=0, retry=RetryPolicy(base_delay=0.01))

FIXTURE_ROUTES = {
    "/news/server-error.html": _server_error,
    "/feeds/server-error.xml": _server_error,
    "/feeds/garbage.xml": _garbage,
}


@pytest.fixture(scope="module")
def site():
    """The fixture site on a free port, one per test module; `site.base`, `site.count(prefix)`.
    Tests that count requests compare counts before and after what they do."""
    with serve(FIXTURE_SITE, FIXTURE_ROUTES) as running:
        yield running


@pytest.fixture(scope="module")
def chaos():
    """The chaos site (tests/chaos.py: every way a feed or page can misbehave), one per test module."""
    from tests.chaos import serve_chaos
    with serve_chaos() as running:
        yield running


def shared_path(*parts: str) -> str:
    """A path under ../shared, or skip the test when the shared data isn't beside the repository."""
    path = os.path.join(SHARED, *parts)
    if not os.path.exists(path):
        pytest.skip(f"needs ../shared ({path} not found)")
    return path
