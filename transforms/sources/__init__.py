"""Where entries come from: feeds (RSS/Atom/OPML, discovery), sitemaps, web archives."""
