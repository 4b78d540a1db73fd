"""Pages to articles: body and metadata (trafilatura, with newsbeam's speed-ups)."""
