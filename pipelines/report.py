"""`newsbeam report`: one self-contained HTML dashboard of a dataset, built from its DuckDB views.

Everything is inline (the stylesheet of report_assets/, charts as SVG drawn here, no script), so the
file opens offline, prints, and reads on a phone. Queries gather plain rows (gather); pure
functions turn rows into HTML (render).
"""

import datetime as dt
import html
import json
import os
import string
from importlib import resources

from pipelines.commands.run import feed_state

TOP_SPEAKERS = 15
LATEST_QUOTES = 12
FIGURES_PER_KIND = 5
FIGURE_KINDS = 6
SERIES = 6            # sources drawn in their own colour; the rest are "other"
SKIPPED_KINDS = ("ordinal",)   # "the fourth year" is a rank, not an amount worth ranking


# ---------------------------------------------------------------------------------------------
# Gathering rows


def write_report(directory: str, path: str, since: dt.date | None = None) -> str:
    """Write the report of `directory` to `path`; returns the path written."""
    from transforms.storage.views import connect
    con = connect(directory)
    try:
        data = gather(con, since)
    finally:
        con.close()
    data["dataset"] = directory
    page = render(data)
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    with open(path + ".tmp", "w", encoding="utf-8") as out:
        out.write(page)
    os.replace(path + ".tmp", path)
    return path


def _rows(con, sql: str, params: list = ()) -> list[dict]:
    cursor = con.execute(sql, list(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def gather(con, since: dt.date | None = None) -> dict:
    """Every section's rows. `since` keeps articles published (else fetched) on or after that day,
    their quotes and figures, and errors and runs since then."""
    try:
        con.execute("SET TimeZone = 'UTC'")   # days are UTC days, as the dataset's partitions
    except Exception:   # DuckDB without ICU has no time zones to set: it is UTC already
        pass
    day = since or dt.date(1, 1, 1)
    start = f"DATE '{day.isoformat()}'"   # a view takes no parameters; a date's ISO form is safe SQL
    con.execute("CREATE TEMP VIEW a AS SELECT *, CAST(coalesce(published_at, fetched_at) AS DATE) AS day "
                f"FROM articles WHERE CAST(coalesce(published_at, fetched_at) AS DATE) >= {start}")
    # _speaker_quotes: the quotes with speaker_id, NULL in a dataset written before it existed.
    con.execute("CREATE TEMP VIEW q AS SELECT * FROM _speaker_quotes SEMI JOIN a USING (article_id)")
    con.execute("CREATE TEMP VIEW f AS SELECT figures.* FROM figures SEMI JOIN a USING (article_id)")
    con.execute(f"CREATE TEMP VIEW e AS SELECT * FROM errors WHERE CAST(occurred_at AS DATE) >= {start}")
    runs = _rows(con, "SELECT run_id, kind, started_at, seconds, manifest FROM runs "
                      "WHERE CAST(started_at AS DATE) >= ? ORDER BY started_at, run_id", [day])
    one = lambda sql: con.execute(sql).fetchone()[0]   # noqa: E731
    return {
        "since": since,
        "generated_at": dt.datetime.now(dt.timezone.utc),
        "totals": {"articles": one("SELECT count(*) FROM a"), "sources": one("SELECT count(DISTINCT source) FROM a"),
                   "quotes": one("SELECT count(*) FROM q"), "speakers": one("SELECT count(DISTINCT speaker) FROM q"),
                   "figures": one("SELECT count(*) FROM f"), "errors": one("SELECT count(*) FROM e"),
                   "runs": len(runs)},
        "period": con.execute("SELECT min(day), max(day) FROM a").fetchone(),
        "per_day": _rows(con, "SELECT day, source, count(*) AS n FROM a GROUP BY ALL ORDER BY day"),
        "per_source": per_source(con),
        "speakers": top_speakers(con, TOP_SPEAKERS),
        "latest_quotes": _rows(con, "SELECT q.speaker, q.speaker_title, q.text, q.kind, a.title, a.url, a.source, "
                                    "coalesce(a.published_at, a.fetched_at) AS seen_at "
                                    "FROM q JOIN a USING (article_id) ORDER BY seen_at DESC, q.start LIMIT ?",
                               [LATEST_QUOTES]),
        "figures": largest_figures(con),
        "feeds": feed_health(runs),
        "errors": _rows(con, "SELECT stage, error_kind, count(*) AS n, max(occurred_at) AS last, "
                             "arg_max(url, occurred_at) AS example FROM e GROUP BY ALL ORDER BY n DESC, stage, "
                             "error_kind"),
        "last_run": runs[-1] if runs else None,
    }


def per_source(con) -> dict:
    """Articles per source; when they all come from one source, per feed, which then says more."""
    rows = _rows(con, "SELECT source AS name, count(*) AS n FROM a GROUP BY ALL ORDER BY n DESC, name")
    if len(rows) == 1:
        feeds = _rows(con, "SELECT feed_url AS name, count(*) AS n FROM a GROUP BY ALL ORDER BY n DESC, name")
        if len(feeds) > 1:
            return {"by": "feed", "rows": feeds}
    return {"by": "source", "rows": rows}


def top_speakers(con, limit: int) -> list[dict]:
    """The most quoted speakers, one row per person across the forms of their name (speaker_id, as
    in the `speakers` view): the name most often given, their titles, quotes, articles, first and
    last seen, and their latest quote with its article. Quotes whose speaker was not resolved to a
    name (an unresolved "he", "a spokesperson") count for no one."""
    return _rows(con, """
        SELECT mode(q.speaker) AS name,
               list(DISTINCT q.speaker_title) FILTER (WHERE q.speaker_title IS NOT NULL) AS titles,
               count(*) AS quotes, count(DISTINCT q.article_id) AS articles,
               min(coalesce(a.published_at, a.fetched_at)) AS first_seen,
               max(coalesce(a.published_at, a.fetched_at)) AS last_seen,
               arg_max(q.text, (coalesce(a.published_at, a.fetched_at), -q.start)) AS latest_quote,
               arg_max(a.url, (coalesce(a.published_at, a.fetched_at), -q.start)) AS latest_url,
               arg_max(a.title, (coalesce(a.published_at, a.fetched_at), -q.start)) AS latest_title
        FROM q JOIN a USING (article_id)
        WHERE q.speaker_id IS NOT NULL
        GROUP BY q.speaker_id ORDER BY quotes DESC, articles DESC, name LIMIT ?""", [limit])


def largest_figures(con) -> list[dict]:
    """The kinds with most figures, each with its largest figures: what they count and their sentence."""
    kinds = [r["kind"] for r in _rows(con, "SELECT kind, count(*) AS n FROM f WHERE kind IS NOT NULL AND kind NOT IN "
                                           f"({', '.join('?' for _ in SKIPPED_KINDS)}) GROUP BY kind "
                                           "ORDER BY n DESC, kind LIMIT ?", [*SKIPPED_KINDS, FIGURE_KINDS])]
    return [{"kind": kind, "rows": _rows(con, """
        SELECT f.raw, coalesce(f.value, f.high, f.low) AS amount, f.unit, f.object, f.qualifier, f.sentence,
               a.title, a.url
        FROM f JOIN a USING (article_id)
        WHERE f.kind = ? AND coalesce(f.value, f.high, f.low) IS NOT NULL
        ORDER BY amount DESC, f.raw LIMIT ?""", [kind, FIGURES_PER_KIND])} for kind in kinds]


def feed_health(runs: list[dict]) -> list[dict]:
    """Per feed, from the run manifests: its latest poll's state and counts, and its totals."""
    feeds: dict[str, dict] = {}
    for run in runs:
        manifest = json.loads(run["manifest"] or "{}")
        for feed in manifest.get("feeds", []):
            seen = feeds.setdefault(feed["feed_url"], {"feed_url": feed["feed_url"], "polls": 0, "failed_polls": 0,
                                                       "total_articles": 0})
            seen["polls"] += 1
            seen["failed_polls"] += bool(feed.get("error_kind"))
            seen["total_articles"] += feed.get("articles") or 0
            seen.update(last_run=run["started_at"], state=feed_state(feed), ok=not feed.get("error_kind"),
                        not_modified=feed.get("status") == "not_modified", entries=feed.get("entries") or 0,
                        articles=feed.get("articles") or 0, errors=feed.get("errors") or 0)
    return sorted(feeds.values(), key=lambda f: (f["ok"], f["feed_url"]))


# ---------------------------------------------------------------------------------------------
# Rendering (pure: rows in, HTML out)


PALETTE = ("#1f5fa8", "#d9822b", "#2e8b57", "#b8336a", "#7a5cc4", "#3b9fb0", "#8c8c8c")


def esc(value) -> str:
    return html.escape("" if value is None else str(value))


def link(url: str | None, text) -> str:
    """A link to an article, only for http(s) URLs (a feed could hand us javascript:)."""
    if url and url.split(":", 1)[0].lower() in ("http", "https"):
        return f'<a href="{esc(url)}" rel="noopener noreferrer">{esc(text)}</a>'
    return esc(text)


def number(n) -> str:
    return f"{n:,}" if isinstance(n, int) else esc(n)


def amount(value: float | None, unit: str | None) -> str:
    if value is None:
        return ""
    for size, suffix in ((1e12, " trillion"), (1e9, " billion"), (1e6, " million")):
        if abs(value) >= size:
            text = f"{value / size:,.1f}".removesuffix(".0") + suffix
            break
    else:
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{text} {unit}" if unit else text


def when(value) -> str:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc).strftime("%d %b %Y %H:%M UTC")
    if isinstance(value, dt.date):
        return value.strftime("%d %b %Y")
    return esc(value)


def short_url(url: str) -> str:
    """A URL without its scheme, for labels."""
    return url.split("://", 1)[-1]


def day_chart(per_day: list[dict], sources: list[str]) -> str:
    """Stacked columns: articles per day, one colour per source (the biggest SERIES, then "other").
    An SVG that scales to its box; each column says its numbers on hover."""
    if not per_day:
        return '<p class="empty">No articles in this period.</p>'
    days = sorted({r["day"] for r in per_day})
    first, last = days[0], days[-1]
    days = [first + dt.timedelta(d) for d in range((last - first).days + 1)]   # days without articles too
    named = sources[:SERIES]
    series = named + (["other"] if len(sources) > SERIES else [])
    counts = {(r["day"], r["source"] if r["source"] in named else "other"): 0 for r in per_day}
    for r in per_day:
        key = (r["day"], r["source"] if r["source"] in named else "other")
        counts[key] += r["n"]
    totals = {d: sum(counts.get((d, s), 0) for s in series) for d in days}
    top = max(totals.values()) or 1
    width, height, left, bottom, top_pad = 720, 260, 40, 28, 12
    step = (width - left - 8) / len(days)
    bar = max(step * 0.72, 1.5)
    scale = (height - bottom - top_pad) / _nice(top)
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="Articles per day, {esc(first)} to {esc(last)}">']
    for tick in _ticks(top):
        y = height - bottom - tick * scale
        parts.append(f'<line class="grid" x1="{left}" x2="{width - 4}" y1="{y:.1f}" y2="{y:.1f}"/>'
                     f'<text class="axis" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{tick}</text>')
    label_every = max(1, round(len(days) / 10))
    for i, day in enumerate(days):
        x = left + i * step + (step - bar) / 2
        y = height - bottom
        tip = [f"{day:%a %d %b}: {totals[day]} article(s)"]
        for colour, name in zip(PALETTE, series):
            n = counts.get((day, name), 0)
            if n:
                h = n * scale
                y -= h
                parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{colour}"/>')
                tip.append(f"{name}: {n}")
        parts.append(f'<rect class="hit" x="{left + i * step:.1f}" y="{top_pad}" width="{step:.1f}" '
                     f'height="{height - bottom - top_pad}"><title>{esc(chr(10).join(tip))}</title></rect>')
        if i % label_every == 0:
            parts.append(f'<text class="axis" x="{x + bar / 2:.1f}" y="{height - 10}" text-anchor="middle">'
                         f'{day:%d %b}</text>')
    parts.append("</svg>")
    legend = "".join(f'<li><span class="swatch" style="background:{c}"></span>{esc(name)}</li>'
                     for c, name in zip(PALETTE, series))
    return "".join(parts) + f'<ul class="legend">{legend}</ul>'


def bar_chart(rows: list[dict], label) -> str:
    """Horizontal bars, one per row (name, n), longest first; labels outside the SVG so they wrap."""
    if not rows:
        return '<p class="empty">No articles in this period.</p>'
    top = max(r["n"] for r in rows) or 1
    items = []
    for colour, row in zip(PALETTE * (len(rows) // len(PALETTE) + 1), rows):
        share = 100 * row["n"] / top
        items.append(f'<li><span class="bar-label">{esc(label(row["name"]))}</span>'
                     f'<svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" '
                     f'aria-label="{row["n"]} articles"><rect width="{share:.1f}" height="10" fill="{colour}"/></svg>'
                     f'<span class="bar-value">{row["n"]:,}</span></li>')
    return f'<ul class="bars">{"".join(items)}</ul>'


def _nice(top: int) -> int:
    """The top of the value axis: `top` rounded up to a tick."""
    return _ticks(top)[-1]


def _ticks(top: int) -> list[int]:
    """Round values from 0 to at least `top`, at most six of them."""
    for exponent in range(len(str(top)) + 1):
        for multiple in (1, 2, 5):
            step = multiple * 10 ** exponent
            if top / step <= 5:
                return list(range(0, top + step, step))
    return [0, top]


def speakers_table(speakers: list[dict]) -> str:
    if not speakers:
        return '<p class="empty">No quotes in this period.</p>'
    rows = []
    for rank, s in enumerate(speakers, 1):
        titles = sorted(s["titles"] or [], key=len)[:2]
        rows.append(
            f'<tr><td class="num">{rank}</td>'
            f'<td class="speaker"><strong>{esc(s["name"])}</strong>'
            + (f'<span class="titles">{esc("; ".join(_clip(t, 60) for t in titles))}</span>' if titles else "")
            + f'</td><td class="num count">{s["quotes"]:,}</td><td class="num">{s["articles"]:,}</td>'
            f'<td class="quote"><span class="said">{esc(_clip(s["latest_quote"], 160))}</span>'
            f'<span class="source">{link(s["latest_url"], s["latest_title"] or "article")} · {when(s["last_seen"])}'
            f'</span></td></tr>')
    return ('<div class="table-wrap"><table class="speakers"><thead><tr><th class="num">#</th><th>Speaker</th>'
            '<th class="num">Quotes</th><th class="num">Articles</th><th>Latest quote</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def latest_quotes(quotes: list[dict]) -> str:
    if not quotes:
        return '<p class="empty">No quotes in this period.</p>'
    # Direct quotes carry their own quotation marks; reported speech has none and reads as such.
    items = [f'<li><blockquote>{esc(_clip(q["text"], 240))}</blockquote>'
             f'<p class="who"><strong>{esc(q["speaker"] or "unattributed")}</strong>'
             + (f', {esc(_clip(q["speaker_title"], 60))}' if q["speaker_title"] else "")
             + f'</p><p class="source">{link(q["url"], q["title"] or q["url"])} · {esc(q["source"])} · '
               f'{when(q["seen_at"])}</p></li>' for q in quotes]
    return f'<ol class="quotes">{"".join(items)}</ol>'


def figures_section(kinds: list[dict]) -> str:
    if not kinds:
        return '<p class="empty">No figures in this period.</p>'
    cards = []
    for kind in kinds:
        rows = [f'<tr><td class="amount"><strong title="{esc(amount(r["amount"], r["unit"]))}">{esc(r["raw"])}</strong>'
                + (f'<span class="object">{esc(r["object"])}</span>' if r["object"] else "")
                + f'</td><td class="sentence">{_marked(r["sentence"], r["raw"])}'
                f'<span class="source">{link(r["url"], r["title"] or "article")}</span></td></tr>'
                for r in kind["rows"]]
        cards.append(f'<div class="card figures"><h3>{esc(kind["kind"].replace("_", " "))}</h3>'
                     '<div class="table-wrap"><table><thead><tr><th>Amount, of what</th>'
                     f'<th>In the sentence</th></tr></thead><tbody>{"".join(rows)}</tbody></table></div></div>')
    return "".join(cards)


def feeds_table(feeds: list[dict]) -> str:
    if not feeds:
        return '<p class="empty">No runs in this period.</p>'
    rows = []
    for f in feeds:
        badge = "bad" if not f["ok"] else "quiet" if f["not_modified"] else "ok"
        rows.append(f'<tr><td class="feed wide">{esc(short_url(f["feed_url"]))}</td>'
                    f'<td><span class="badge {badge}">{esc(f["state"])}</span></td>'
                    f'<td class="num" data-label="new">{f["articles"]:,}</td>'
                    f'<td class="num" data-label="errors">{f["errors"]:,}</td>'
                    f'<td class="num" data-label="entries">{f["entries"]:,}</td>'
                    f'<td class="when optional">{when(f["last_run"])}</td>'
                    f'<td class="num optional">{f["total_articles"]:,}</td>'
                    f'<td class="num optional">{f["failed_polls"]}/{f["polls"]}</td></tr>')
    return ('<div class="table-wrap"><table class="feeds stack"><thead><tr><th>Feed</th><th>Last status</th>'
            '<th class="num">New</th><th class="num">Errors</th><th class="num">Entries</th><th>Last polled</th>'
            '<th class="num">Articles, all runs</th><th class="num">Failed polls</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def errors_table(errors: list[dict]) -> str:
    if not errors:
        return '<p class="empty">No errors in this period.</p>'
    rows = [f'<tr><td>{esc(e["stage"])}</td><td><code>{esc(e["error_kind"])}</code></td>'
            f'<td class="num" data-label="times">{e["n"]:,}</td><td class="when">{when(e["last"])}</td>'
            f'<td class="url wide">{esc(short_url(e["example"] or ""))}</td></tr>' for e in errors]
    return ('<div class="table-wrap"><table class="errors stack"><thead><tr><th>Stage</th><th>Kind</th>'
            '<th class="num">Count</th><th>Last</th><th>Latest example</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def _clip(text: str | None, limit: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _marked(sentence: str | None, raw: str | None) -> str:
    """The sentence, its figure highlighted."""
    sentence = _clip(sentence, 300)
    if raw and raw in sentence:
        before, _, after = sentence.partition(raw)
        return f"{esc(before)}<mark>{esc(raw)}</mark>{esc(after)}"
    return esc(sentence)


def render(data: dict) -> str:
    """The whole page."""
    totals, (first, last) = data["totals"], data["period"]
    sources = [r["name"] for r in _sources_by_count(data["per_day"])]
    tiles = "".join(f'<div class="tile"><span class="value">{number(totals[key])}</span>'
                    f'<span class="label">{label}</span></div>'
                    for key, label in (("articles", "articles"), ("sources", "sources"), ("quotes", "quotes"),
                                       ("speakers", "speakers"), ("figures", "figures"), ("errors", "errors"),
                                       ("runs", "runs")))
    period = f"{when(first)} – {when(last)}" if first else "no articles yet"
    run = data["last_run"]
    last_run = (f'last run {esc(run["run_id"])} at {when(run["started_at"])} ({run["seconds"] or 0:.1f} s)'
                if run else "no runs yet")
    by = data["per_source"]["by"]
    template = string.Template(resources.files("pipelines").joinpath("report_assets/report.html").read_text("utf-8"))
    return template.substitute(
        css=resources.files("pipelines").joinpath("report_assets/report.css").read_text("utf-8"),
        title=esc(f"newsbeam report: {os.path.basename(os.path.normpath(data['dataset']))}"),
        dataset=esc(data["dataset"]),
        period=period,
        since=esc(f" · since {data['since']:%d %b %Y}" if data["since"] else ""),
        generated=when(data["generated_at"]),
        last_run=last_run,
        tiles=tiles,
        day_chart=day_chart(data["per_day"], sources),
        source_heading="Articles per source" if by == "source" else "Articles per feed",
        source_chart=bar_chart(data["per_source"]["rows"], short_url if by == "feed" else str),
        speakers=speakers_table(data["speakers"]),
        latest_quotes=latest_quotes(data["latest_quotes"]),
        figures=figures_section(data["figures"]),
        feeds=feeds_table(data["feeds"]),
        errors=errors_table(data["errors"]),
    )


def _sources_by_count(per_day: list[dict]) -> list[dict]:
    counts: dict[str, int] = {}
    for r in per_day:
        counts[r["source"]] = counts.get(r["source"], 0) + r["n"]
    return [{"name": name, "n": n} for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
