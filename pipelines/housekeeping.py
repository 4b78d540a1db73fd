"""`newsbeam compact` and `newsbeam migrate`: housekeeping of a dataset directory, and what they print.

The work is transforms.storage.housekeeping's (compact, migrate); this module starts it the way every
writer starts (pipelines.launch: the lease, then interrupted commits finished) and words the result.
"""

from transforms.storage.housekeeping import DEFAULT_RETENTION_HOURS, compact, migrate
from pipelines.launch import launch

__all__ = ["DEFAULT_RETENTION_HOURS", "run_compact", "run_migrate", "format_stats"]


def run_compact(output: str, retention_hours: float = DEFAULT_RETENTION_HOURS) -> dict:
    """Compact, checkpoint and vacuum every table; holds the lease, so no run writes meanwhile
    (a vacuum with a short retention would delete a running run's uncommitted files), and finishes an
    interrupted commit first, so vacuum never deletes files a pending commit still adds."""
    with launch(output, "compact"):
        return compact(output, retention_hours)


def run_migrate(output: str) -> dict:
    with launch(output, "migrate"):
        return migrate(output)


def format_stats(stats: dict) -> str:
    """The lines `newsbeam compact` prints."""
    lines = [f"compact {stats['output']} finished in {stats['seconds']:.1f}s "
             f"(files unused for {stats['retention_hours']:g} h deleted)"]
    for table, t in stats["tables"].items():
        lines.append(f"  {table}: files {t['files_removed']} merged into {t['files_added']}, "
                     f"{t['files_deleted']} deleted")
    return "\n".join(lines)
