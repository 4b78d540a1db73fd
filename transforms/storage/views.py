"""DuckDB views over the dataset: one per table, committed rows only, each once; and `speakers`."""

import os

from schemas import TABLES
from transforms.storage.layout import RUNS_TABLE, delta_schema, open_table, table_uri


def delta_extension() -> str:
    """The DuckDB `delta` extension shipped by the duckdb-extension-delta package (loaded by
    path: INSTALL would download it)."""
    import duckdb
    import duckdb_extension_delta
    root = os.path.join(os.path.dirname(duckdb_extension_delta.__file__), "extensions")
    path = os.path.join(root, f"v{duckdb.__version__}", "delta.duckdb_extension")
    if not os.path.exists(path):
        raise RuntimeError(f"no delta extension for DuckDB {duckdb.__version__} in {root}")
    return path


VIEWS = (*TABLES, "runs")


def connect(output: str):
    """An in-memory DuckDB with views articles, quotes, figures, errors and runs over DIR's Delta
    tables, and `speakers`, derived from quotes and articles.

    The views are one snapshot across tables: the commits in DIR/_runs when connecting, each row
    once. A commit's row in _runs is written after its rows in every table, and each row carries
    its commit_id, so a run (or window) shows in every table or in none, and one committed later
    does not show until the next connect."""
    import duckdb
    con = duckdb.connect()
    con.execute(f"LOAD '{_sql_str(delta_extension())}'")
    sources = {}
    for view in VIEWS:
        name = RUNS_TABLE if view == "runs" else view
        table = open_table(output, name)
        if table is not None and "://" in output:
            # On an object store, delta-rs lists the committed files with the credentials the run
            # used (AWS_*, GOOGLE_*), which DuckDB's delta_scan would need as DuckDB secrets.
            con.register(f"_{view}_files", table.to_pyarrow_dataset())
            sources[view] = f"_{view}_files"
        elif table is not None:
            sources[view] = f"delta_scan('{_sql_str(table_uri(output, name))}')"
        else:  # an empty table with the right columns, so queries still bind
            con.register(f"_{view}_empty", delta_schema(name).empty_table())
            sources[view] = f"_{view}_empty"
    con.execute(f"CREATE TEMP TABLE _visible AS SELECT run_id FROM {sources['runs']}")
    for view, source in sources.items():
        key = "run_id" if view == "runs" else "commit_id"
        columns = {row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}
        if key not in columns:   # a table last written before v4: every row in it was committed
            con.execute(f"CREATE VIEW {view} AS SELECT * FROM {source}")
            continue
        con.execute(f"CREATE VIEW {view} AS SELECT * FROM {source} "
                    f"WHERE {key} IS NULL OR {key} IN (SELECT run_id FROM _visible)")
    columns = {row[0] for row in con.execute("DESCRIBE quotes").fetchall()}
    # A dataset written before quotes.speaker_id has no such column until its next write.
    con.execute("CREATE VIEW _speaker_quotes AS SELECT * FROM quotes" if "speaker_id" in columns
                else "CREATE VIEW _speaker_quotes AS SELECT *, NULL::VARCHAR AS speaker_id FROM quotes")
    con.execute(SPEAKERS_VIEW)
    return con


# Who is quoted, across articles: one row per quotes.speaker_id (derived, nothing stored). The name shown is
# the most frequent form; titles are those the articles gave ("Secretary of State"); seen = publication time,
# else fetch time. Quotes from before speaker_id existed read it as NULL and are left out.
SPEAKERS_VIEW = """
CREATE VIEW speakers AS
SELECT q.speaker_id,
       mode(q.speaker) AS name,
       list(DISTINCT q.speaker ORDER BY q.speaker) AS variants,
       coalesce(list(DISTINCT q.speaker_title ORDER BY q.speaker_title) FILTER (WHERE q.speaker_title IS NOT NULL),
                []) AS titles,
       count(*) AS quotes,
       count(DISTINCT q.article_id) AS articles,
       min(coalesce(a.published_at, a.fetched_at)) AS first_seen,
       max(coalesce(a.published_at, a.fetched_at)) AS last_seen
FROM _speaker_quotes q LEFT JOIN articles a USING (article_id)
WHERE q.speaker_id IS NOT NULL
GROUP BY q.speaker_id
"""


def _sql_str(value: str) -> str:
    return value.replace("'", "''")
