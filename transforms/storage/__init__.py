"""The dataset: Delta Lake tables under one directory, one module per concern.

layout        where each table lives; opening, creating, reading tables (the one owner of the on-disk names)
files         uncommitted Parquet files written by workers
commit        a run's or window's files made visible, and recovery of an interrupted commit
runs          run manifests (DIR/_runs) and feed state (DIR/_state/feeds)
lease         one writer at a time (DIR/_lease)
views         DuckDB views over the committed rows
housekeeping  compact, checkpoint, vacuum; migrate the layout before Delta
faults        the runner tests' fault-injection seam
"""
