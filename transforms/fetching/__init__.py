"""Getting pages over HTTP(S): the fetcher, its SSRF guard, politeness (robots.txt, per-host delay) and retries."""
