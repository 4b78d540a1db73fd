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
SPEAKER_QUOTES = 10   # quotes listed under each of the most quoted speakers, newest first
INDEX_MAX = 500       # articles in the index; beyond it the page says how many more `newsbeam query` would list
ERRORS_MAX = 300      # distinct errors listed, likewise
# What a phone shows before a "N more" <details> (which needs no script): no section is screens of one table.
SHOWN = {"articles": 15, "feeds": 10, "errors": 10, "quotes": 6, "figures": 2, "speaker_quotes": 3}
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
        "speakers": (speakers := top_speakers(con, TOP_SPEAKERS)),
        "speaker_quotes": speaker_quotes(con, [sp["speaker_id"] for sp in speakers], SPEAKER_QUOTES),
        "speakers_left_out": one(f"SELECT count(*) FROM q WHERE speaker IS NOT NULL AND NOT ({_trusted(con)})"),
        "not_analysed": not_analysed(runs),
        "not_analysed_quotes": not_analysed(runs, "quotes"),
        "latest_quotes": latest_quotes_rows(con, LATEST_QUOTES),
        "figures": largest_figures(con),
        "feeds": feed_health(runs),
        "errors": distinct_errors(con, ERRORS_MAX),
        "error_kinds": _rows(con, "SELECT stage, error_kind, count(*) AS n, count(DISTINCT coalesce(url, feed_url)) "
                                  "AS urls FROM e GROUP BY ALL ORDER BY n DESC, stage, error_kind"),
        "articles": article_index(con, INDEX_MAX),
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


# "Most quoted" names only speakers the extractor is sure of: a person or an organisation (not a description
# such as "a spokeswoman" nor an unresolved pronoun) whose quote and speaker confidence is at least this. The
# confidence of a quote is the lower of its construction's and its speaker's measured precision (bench/attribution.py:
# quotes at 0.9 and above name the right speaker about 97 times in 100, named speakers named directly 98).
MOST_QUOTED_MIN_CONFIDENCE = 0.9


def _trusted(con) -> str:
    """SQL condition on q for a quote whose speaker may be shown in "Most quoted"."""
    columns = {d[0] for d in con.execute("SELECT * FROM q LIMIT 0").description}
    cond = f"coalesce(q.confidence, 0) >= {MOST_QUOTED_MIN_CONFIDENCE}"
    if "speaker_kind" in columns:   # written before schema v4: no kind to check
        cond += " AND q.speaker_kind IN ('person', 'organisation')"
    return cond


def not_analysed(runs: list[dict], task: str | None = None) -> dict:
    """Articles not analysed for lack of rules for their language, {language: articles}, summed over the runs'
    manifests: `not_analysed` (neither quotes nor figures), or with `task` ("quotes", "figures") those that
    task had no rules for (`not_analysed_by_task`)."""
    out: dict[str, int] = {}
    for run in runs:
        try:
            manifest = json.loads(run["manifest"] or "{}")
        except (TypeError, ValueError):
            continue
        if not isinstance(manifest, dict):
            continue
        by_task = manifest.get("not_analysed_by_task") or {}
        counts = manifest.get("not_analysed") if task is None else by_task.get(task)
        if isinstance(counts, dict):
            for lang, n in counts.items():
                if isinstance(n, int) and not isinstance(n, bool):
                    out[str(lang)] = out.get(str(lang), 0) + n
    return out


def top_speakers(con, limit: int) -> list[dict]:
    """The most quoted speakers, one row per person across the forms of their name (speaker_id, as
    in the `speakers` view): the name most often given, their titles, quotes, articles, first and
    last seen, and their latest quote with its article. Quotes whose speaker was not resolved to a
    name (an unresolved "he", "a spokesperson") count for no one, nor do those whose speaker is not sure
    enough (_trusted)."""
    return _rows(con, f"""
        SELECT q.speaker_id, mode(q.speaker) AS name,
               list(DISTINCT q.speaker_title) FILTER (WHERE q.speaker_title IS NOT NULL) AS titles,
               count(*) AS quotes, count(DISTINCT q.article_id) AS articles,
               min(coalesce(a.published_at, a.fetched_at)) AS first_seen,
               max(coalesce(a.published_at, a.fetched_at)) AS last_seen,
               arg_max(q.text, (coalesce(a.published_at, a.fetched_at), -q.start)) AS latest_quote,
               arg_max(a.url, (coalesce(a.published_at, a.fetched_at), -q.start)) AS latest_url,
               arg_max(a.title, (coalesce(a.published_at, a.fetched_at), -q.start)) AS latest_title
        FROM q JOIN a USING (article_id)
        WHERE q.speaker_id IS NOT NULL AND {_trusted(con)}
        GROUP BY q.speaker_id ORDER BY quotes DESC, articles DESC, name LIMIT ?""", [limit])


# Two quotes are the same when their words are (case, punctuation and quotation marks aside): a syndicated story.
QUOTE_KEY = "trim(regexp_replace(lower(q.text), '[^\\pL\\pN]+', ' ', 'g'))"
SEEN = "coalesce(a.published_at, a.fetched_at)"


def latest_quotes_rows(con, limit: int) -> list[dict]:
    """The latest quotes, each once however many articles carry it: its newest article, and how many
    articles it appears in."""
    return _rows(con, f"""
        SELECT arg_max(q.speaker, ({SEEN}, -q.start)) AS speaker,
               arg_max(q.speaker_title, ({SEEN}, -q.start)) AS speaker_title,
               arg_max(q.text, ({SEEN}, -q.start)) AS text,
               arg_max(a.title, ({SEEN}, -q.start)) AS title, arg_max(a.url, ({SEEN}, -q.start)) AS url,
               arg_max(a.source, ({SEEN}, -q.start)) AS source, max({SEEN}) AS seen_at,
               arg_max(q.start, ({SEEN}, -q.start)) AS start, count(DISTINCT q.article_id) AS articles
        FROM q JOIN a USING (article_id)
        GROUP BY {QUOTE_KEY} ORDER BY seen_at DESC, start, text LIMIT ?""", [limit])


def speaker_quotes(con, speaker_ids: list, limit: int) -> dict:
    """For each speaker of "Most quoted", the quotes counted there (_trusted), each once with how many
    articles carry it, newest first: {speaker_id: {"rows": [...] up to `limit`, "distinct": n}}."""
    if not speaker_ids:
        return {}
    rows = _rows(con, f"""
        WITH said AS (
            SELECT q.speaker_id, arg_max(q.text, ({SEEN}, -q.start)) AS text,
                   arg_max(a.title, ({SEEN}, -q.start)) AS title, arg_max(a.url, ({SEEN}, -q.start)) AS url,
                   max({SEEN}) AS seen_at, arg_max(q.start, ({SEEN}, -q.start)) AS start,
                   count(DISTINCT q.article_id) AS articles
            FROM q JOIN a USING (article_id)
            WHERE q.speaker_id IN ({", ".join("?" for _ in speaker_ids)}) AND {_trusted(con)}
            GROUP BY q.speaker_id, {QUOTE_KEY})
        SELECT *, count(*) OVER (PARTITION BY speaker_id) AS distinct_quotes FROM said
        QUALIFY row_number() OVER (PARTITION BY speaker_id ORDER BY seen_at DESC, start, text) <= ?
        ORDER BY speaker_id, seen_at DESC, start, text""", [*speaker_ids, limit])
    out: dict = {}
    for row in rows:
        out.setdefault(row["speaker_id"], {"rows": [], "distinct": row["distinct_quotes"]})["rows"].append(row)
    return out


def largest_figures(con) -> list[dict]:
    """The kinds with most figures, each with its largest figures: what they count and their sentence. The same
    figure (kind, amount, unit, what it counts) in several articles is one row saying in how many, with the
    sentence of the newest."""
    kinds = [r["kind"] for r in _rows(con, "SELECT kind, count(*) AS n FROM f WHERE kind IS NOT NULL AND kind NOT IN "
                                           f"({', '.join('?' for _ in SKIPPED_KINDS)}) GROUP BY kind "
                                           "ORDER BY n DESC, kind LIMIT ?", [*SKIPPED_KINDS, FIGURE_KINDS])]
    return [{"kind": kind, "rows": _rows(con, f"""
        SELECT arg_max(f.raw, ({SEEN}, -f.start)) AS raw, coalesce(f.value, f.high, f.low) AS amount, f.unit,
               arg_max(f.object, ({SEEN}, -f.start)) AS object, arg_max(f.sentence, ({SEEN}, -f.start)) AS sentence,
               arg_max(a.title, ({SEEN}, -f.start)) AS title, arg_max(a.url, ({SEEN}, -f.start)) AS url,
               count(DISTINCT f.article_id) AS articles
        FROM f JOIN a USING (article_id)
        WHERE f.kind = ? AND coalesce(f.value, f.high, f.low) IS NOT NULL
        GROUP BY coalesce(f.value, f.high, f.low), f.unit, lower(coalesce(f.object, ''))
        ORDER BY amount DESC, raw LIMIT ?""", [kind, FIGURES_PER_KIND])} for kind in kinds]


def article_index(con, limit: int) -> list[dict]:
    """The articles, newest first: title, link, source, when, and their quotes and figures."""
    return _rows(con, f"""
        WITH qn AS (SELECT article_id, count(*) AS n FROM q GROUP BY ALL),
             fn AS (SELECT article_id, count(*) AS n FROM f GROUP BY ALL)
        SELECT a.title, a.url, a.source, {SEEN} AS seen_at, a.published_at IS NULL AS fetched_only,
               coalesce(qn.n, 0) AS quotes, coalesce(fn.n, 0) AS figures
        FROM a LEFT JOIN qn USING (article_id) LEFT JOIN fn USING (article_id)
        ORDER BY seen_at DESC, a.title, a.url LIMIT ?""", [limit])


def distinct_errors(con, limit: int) -> list[dict]:
    """Errors, one row per URL (else feed), stage and kind across runs: how many times, in how many runs,
    first and last seen, the latest message. A dead link polled in five runs is one row counted 5."""
    return _rows(con, """
        SELECT coalesce(url, feed_url) AS url, stage, error_kind, count(*) AS n, count(DISTINCT run_id) AS runs,
               min(occurred_at) AS first, max(occurred_at) AS last, arg_max(message, occurred_at) AS message
        FROM e GROUP BY ALL ORDER BY n DESC, last DESC, url, stage, error_kind LIMIT ?""", [limit])


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


def breakable(text) -> str:
    """`text` (a URL) escaped, with a line-break opportunity (<wbr>) after each "/" and before each "?", "&"
    and "#": a long label wraps between its parts ("feeds/⏎business.xml"), never inside a word
    ("business.⏎xml"). The CSS breaks anywhere only a part wider than the whole line."""
    out = []
    for char in "" if text is None else str(text):
        if char in "?&#" and out:
            out.append("<wbr>")
        out.append(esc(char))
        if char == "/":
            out.append("<wbr>")
    return "".join(out).replace("/<wbr>/<wbr>", "//<wbr>")


def url_label(url) -> str:
    return breakable(short_url(url or ""))


def capped(items: list[str], shown: int, wrap, what: str, not_listed: int = 0) -> str:
    """The first `shown` items in `wrap` (items -> HTML); the rest in a <details> that says how many (it opens
    without script), and a line for those not listed at all."""
    out = wrap(items[:shown])
    if len(items) > shown:
        out += (f'<details class="more"><summary>{len(items) - shown:,} more {what}</summary>'
                f'{wrap(items[shown:])}</details>')
    if not_listed > 0:
        out += (f'<p class="note">{not_listed:,} more {what} not listed here; <code>newsbeam query</code> '
                'lists them all.</p>')
    return out


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def in_articles(n) -> str:
    """How many articles a quote or figure appears in, when more than one."""
    if not n or n < 2:
        return ""
    return f'<span class="spread" title="the same words in {n:,} articles">in {n:,} articles</span>'


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
        items.append(f'<li><span class="bar-label">{label(row["name"])}</span>'
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


def speakers_notes(left_out: int, not_analysed: dict | None = None) -> str:
    """What "Most quoted" leaves out: quotes whose speaker is not sure, and articles in languages without
    quote rules."""
    notes = []
    if left_out:
        notes.append(f"{left_out:,} quote{'s' if left_out != 1 else ''} left out: the speaker is a description "
                     "(“a spokeswoman”), unresolved, or not named with high confidence.")
    if not_analysed:
        total = sum(not_analysed.values())
        notes.append(f"{total:,} article{'s' if total != 1 else ''} not analysed for quotes: no rules for their "
                     f"language ({_by_language(not_analysed)}).")
    return "".join(f'<p class="note">{n}</p>' for n in notes)


def _by_language(counts: dict) -> str:
    return ", ".join(f"{esc(lang)} {n:,}" for lang, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def speakers_table(speakers: list[dict], left_out: int = 0, not_analysed: dict | None = None) -> str:
    """The most quoted, each name a link to their quotes (#speaker-N, speaker_quotes_section)."""
    notes = speakers_notes(left_out, not_analysed)
    if not speakers:
        return '<p class="empty">No quotes in this period.</p>' + notes
    rows = []
    for rank, s in enumerate(speakers, 1):
        titles = sorted(s["titles"] or [], key=len)[:2]
        rows.append(
            f'<tr><td class="num">{rank}</td>'
            f'<td class="speaker"><a href="#speaker-{rank}"><strong>{esc(s["name"])}</strong></a>'
            + (f'<span class="titles">{esc("; ".join(_clip(t, 60) for t in titles))}</span>' if titles else "")
            + f'</td><td class="num count">{s["quotes"]:,}</td><td class="num">{s["articles"]:,}</td>'
            f'<td class="quote"><span class="said">{esc(_clip(s["latest_quote"], 160))}</span>'
            f'<span class="source">{link(s["latest_url"], s["latest_title"] or "article")} · {when(s["last_seen"])}'
            f'</span></td></tr>')
    return ('<div class="table-wrap"><table class="speakers"><thead><tr><th class="num">#</th><th>Speaker</th>'
            '<th class="num">Quotes</th><th class="num">Articles</th><th>Latest quote</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>' + notes)


def speaker_quotes_section(speakers: list[dict], quotes: dict) -> str:
    """Each of "Most quoted" with their quotes (id speaker-N): a <details> whose summary names them; a link
    from "Most quoted" scrolls to it, and the CSS opens the one targeted where the browser can."""
    if not speakers:
        return '<p class="empty">No quotes in this period.</p>'
    blocks = []
    for rank, s in enumerate(speakers, 1):
        said = quotes.get(s["speaker_id"], {"rows": [], "distinct": 0})
        items = [f'<li><q>{esc(_clip(r["text"], 280))}</q> <span class="source">'
                 f'{link(r["url"], r["title"] or "article")} · {when(r["seen_at"])}</span>{in_articles(r["articles"])}'
                 '</li>' for r in said["rows"]]
        listed = capped(items, SHOWN["speaker_quotes"], lambda part: f'<ul class="said-list">{"".join(part)}</ul>',
                        "quotes", said["distinct"] - len(said["rows"]))
        blocks.append(f'<details class="speaker-quotes" id="speaker-{rank}"><summary><strong>{esc(s["name"])}'
                      f'</strong> <span class="muted">{plural(s["quotes"], "quote")} in '
                      f'{plural(s["articles"], "article")}</span>'
                      f'</summary>{listed}</details>')
    return "".join(blocks)


def latest_quotes(quotes: list[dict]) -> str:
    if not quotes:
        return '<p class="empty">No quotes in this period.</p>'
    # Direct quotes carry their own quotation marks; reported speech has none and reads as such.
    items = [f'<li><blockquote>{esc(_clip(q["text"], 240))}</blockquote>'
             f'<p class="who"><strong>{esc(q["speaker"] or "unattributed")}</strong>'
             + (f', {esc(_clip(q["speaker_title"], 60))}' if q["speaker_title"] else "")
             + f'</p><p class="source">{link(q["url"], q["title"] or q["url"])} · {esc(q["source"])} · '
               f'{when(q["seen_at"])}</p>{in_articles(q.get("articles"))}</li>' for q in quotes]
    return capped(items, SHOWN["quotes"], lambda part: f'<ol class="quotes">{"".join(part)}</ol>', "quotes")


def figures_section(kinds: list[dict]) -> str:
    if not kinds:
        return '<p class="empty">No figures in this period.</p>'
    cards = []
    for kind in kinds:
        rows = [f'<tr><td class="amount"><strong title="{esc(amount(r["amount"], r["unit"]))}">{esc(r["raw"])}</strong>'
                + (f'<span class="object">{esc(r["object"])}</span>' if r["object"] else "")
                + in_articles(r.get("articles"))
                + f'</td><td class="sentence">{_marked(r["sentence"], r["raw"])}'
                f'<span class="source">{link(r["url"], r["title"] or "article")}</span></td></tr>'
                for r in kind["rows"]]
        table = lambda part: ('<div class="table-wrap"><table><thead><tr><th>Amount, of what</th>'   # noqa: E731
                              f'<th>In the sentence</th></tr></thead><tbody>{"".join(part)}</tbody></table></div>')
        cards.append(f'<div class="card figures"><h3>{esc(kind["kind"].replace("_", " "))}</h3>'
                     f'{capped(rows, SHOWN["figures"], table, "figures")}</div>')
    return "".join(cards)


def articles_table(articles: list[dict], total: int, not_analysed: dict | None = None) -> str:
    """The articles, newest first: title (a link), source, day, quotes, figures."""
    note = ""
    if not_analysed:
        n = sum(not_analysed.values())
        note = (f'<p class="note">{n:,} article{"s" if n != 1 else ""} got neither quotes nor figures: no rules '
                f'for their language ({_by_language(not_analysed)}).</p>')
    if not articles:
        return '<p class="empty">No articles in this period.</p>' + note
    rows = [f'<tr><td class="title wide">{link(r["url"], r["title"] or short_url(r["url"] or ""))}</td>'
            f'<td class="source-name">{esc(r["source"])}</td>'
            f'<td class="when">{_day(r["seen_at"], r["fetched_only"])}</td>'
            f'<td class="num" data-label="quotes">{r["quotes"]:,}</td>'
            f'<td class="num" data-label="figures">{r["figures"]:,}</td></tr>' for r in articles]
    table = lambda part: ('<div class="table-wrap"><table class="articles stack"><thead><tr>'   # noqa: E731
                          '<th>Title</th><th>Source</th><th>Date</th><th class="num">Quotes</th>'
                          f'<th class="num">Figures</th></tr></thead><tbody>{"".join(part)}</tbody></table></div>')
    return capped(rows, SHOWN["articles"], table, "articles", total - len(articles)) + note


def _day(value, fetched_only: bool = False) -> str:
    if not isinstance(value, dt.datetime):
        return when(value)
    utc = value.astimezone(dt.timezone.utc)
    tip = f"{'fetched' if fetched_only else 'published'} {when(value)}"
    return f'<time datetime="{utc.isoformat()}" title="{esc(tip)}">{utc:%d %b %Y}</time>'


def feeds_table(feeds: list[dict]) -> str:
    if not feeds:
        return '<p class="empty">No runs in this period.</p>'
    rows = []
    for f in feeds:
        badge = "bad" if not f["ok"] else "quiet" if f["not_modified"] else "ok"
        rows.append(f'<tr><td class="feed wide">{url_label(f["feed_url"])}</td>'
                    f'<td><span class="badge {badge}">{esc(f["state"])}</span></td>'
                    f'<td class="num" data-label="new">{f["articles"]:,}</td>'
                    f'<td class="num" data-label="errors">{f["errors"]:,}</td>'
                    f'<td class="num" data-label="entries">{f["entries"]:,}</td>'
                    f'<td class="when optional">{when(f["last_run"])}</td>'
                    f'<td class="num optional">{f["total_articles"]:,}</td>'
                    f'<td class="num optional">{f["failed_polls"]}/{f["polls"]}</td></tr>')
    table = lambda part: ('<div class="table-wrap"><table class="feeds stack"><thead><tr><th>Feed</th>'   # noqa: E731
                          '<th>Last status</th><th class="num">New</th><th class="num">Errors</th>'
                          '<th class="num">Entries</th><th>Last polled</th><th class="num">Articles, all runs</th>'
                          f'<th class="num">Failed polls</th></tr></thead><tbody>{"".join(part)}</tbody></table></div>')
    return capped(rows, SHOWN["feeds"], table, "feeds")


def errors_table(errors: list[dict], kinds: list[dict] | None = None, total: int | None = None) -> str:
    """One row per URL, stage and kind across runs (distinct_errors), with a line per stage and kind above."""
    if not errors:
        return '<p class="empty">No errors in this period.</p>'
    summary = ""
    if kinds:
        summary = '<ul class="error-kinds">' + "".join(
            f'<li><code>{esc(k["error_kind"])}</code> at {esc(k["stage"])}: {k["n"]:,} time{"s" if k["n"] != 1 else ""}'
            f', {k["urls"]:,} URL{"s" if k["urls"] != 1 else ""}</li>' for k in kinds) + "</ul>"
    rows = [f'<tr><td class="url wide">{url_label(e["url"])}</td><td>{esc(e["stage"])}</td>'
            f'<td><code title="{esc(_clip(e["message"], 300))}">{esc(e["error_kind"])}</code></td>'
            f'<td class="num count" data-label="{"time" if e["n"] == 1 else "times"}">{e["n"]:,}</td>'
            f'<td class="when" data-label="first">{when(e["first"])}</td>'
            f'<td class="when" data-label="last">{when(e["last"])}</td></tr>' for e in errors]
    table = lambda part: ('<div class="table-wrap"><table class="errors stack"><thead><tr><th>URL</th>'   # noqa: E731
                          '<th>Stage</th><th>Kind</th><th class="num">Count</th><th>First seen</th><th>Last seen</th>'
                          f'</tr></thead><tbody>{"".join(part)}</tbody></table></div>')
    listed = sum(e["n"] for e in errors)
    rest = (total or listed) - listed
    note = (f'<p class="note">{rest:,} more error rows not listed here; <code>newsbeam query</code> lists them '
            'all.</p>' if rest > 0 else "")
    return summary + capped(rows, SHOWN["errors"], table, "errors") + note


def _clip(text: str | None, limit: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _marked(sentence: str | None, raw: str | None, context: int = 110) -> str:
    """The sentence around its figure (at most `context` characters either side, cut at a word), the
    figure highlighted."""
    sentence = " ".join((sentence or "").split())
    if raw and raw in sentence:
        before, _, after = sentence.partition(raw)
        if len(before) > context:
            before = "…" + before[-context:].split(" ", 1)[-1]
        if len(after) > context:
            after = after[:context].rsplit(" ", 1)[0] + "…"
        return f"{esc(before)}<mark>{esc(raw)}</mark>{esc(after)}"
    return esc(_clip(sentence, 2 * context))


SECTIONS = (("per-day", "Per day"), ("per-source", "Per source"), ("speakers", "Most quoted"),
            ("speaker-quotes", "Quotes by speaker"), ("latest-quotes", "Latest quotes"), ("figures", "Figures"),
            ("articles", "Articles"), ("feeds", "Feeds"), ("errors", "Errors"))


def section_index(counts: dict) -> str:
    """Links to every section (SECTIONS), with a count where one helps."""
    items = "".join(f'<li><a href="#{key}">{label}'
                    + (f' <span class="muted">{number(counts[key])}</span>' if counts.get(key) is not None else "")
                    + "</a></li>" for key, label in SECTIONS)
    return f'<nav class="toc" id="sections" aria-label="Sections"><ol>{items}</ol></nav>'


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
    speakers = data["speakers"]
    template = string.Template(resources.files("pipelines").joinpath("report_assets/report.html").read_text("utf-8"))
    return template.substitute(
        css=resources.files("pipelines").joinpath("report_assets/report.css").read_text("utf-8"),
        title=esc(f"newsbeam report: {os.path.basename(os.path.normpath(data['dataset']))}"),
        dataset=breakable(data["dataset"]),
        period=period,
        since=esc(f" · since {data['since']:%d %b %Y}" if data["since"] else ""),
        generated=when(data["generated_at"]),
        last_run=last_run,
        nav=section_index({"speakers": len(speakers), "articles": totals["articles"], "errors": len(data["errors"]),
                           "feeds": len(data["feeds"])}),
        tiles=tiles,
        day_chart=day_chart(data["per_day"], sources),
        source_heading="Articles per source" if by == "source" else "Articles per feed",
        source_chart=bar_chart(data["per_source"]["rows"], url_label if by == "feed" else esc),
        speakers=speakers_table(speakers, data.get("speakers_left_out", 0),
                                data.get("not_analysed_quotes") or data.get("not_analysed")),
        speaker_quotes=speaker_quotes_section(speakers, data.get("speaker_quotes", {})),
        latest_quotes=latest_quotes(data["latest_quotes"]),
        figures=figures_section(data["figures"]),
        articles=articles_table(data["articles"], totals["articles"], data.get("not_analysed")),
        feeds=feeds_table(data["feeds"]),
        errors=errors_table(data["errors"], data.get("error_kinds"), totals["errors"]),
    )


def _sources_by_count(per_day: list[dict]) -> list[dict]:
    counts: dict[str, int] = {}
    for r in per_day:
        counts[r["source"]] = counts.get(r["source"], 0) + r["n"]
    return [{"name": name, "n": n} for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
