"""`newsbeam compact` and `newsbeam migrate`: housekeeping of a dataset directory, and what they print.

The work is transforms.dataset's (compact, migrate); this module takes the dataset's lease around
it and words the result.
"""

from transforms.dataset import DEFAULT_RETENTION_HOURS, Lease, compact, migrate

__all__ = ["DEFAULT_RETENTION_HOURS", "run_compact", "run_migrate", "format_stats"]


def run_compact(output: str, retention_hours: float = DEFAULT_RETENTION_HOURS) -> dict:
    """Compact, checkpoint and vacuum every table; holds the lease, so no run writes meanwhile
    (a vacuum with a short retention would delete a running run's uncommitted files)."""
    with Lease(output, "compact"):
        return compact(output, retention_hours)


def run_migrate(output: str) -> dict:
    with Lease(output, "migrate"):
        return migrate(output)


def format_stats(stats: dict) -> str:
    """The lines `newsbeam compact` prints."""
    lines = [f"compact {stats['output']} finished in {stats['seconds']:.1f}s "
             f"(files unused for {stats['retention_hours']:g} h deleted)"]
    for table, t in stats["tables"].items():
        lines.append(f"  {table}: files {t['files_removed']} merged into {t['files_added']}, "
                     f"{t['files_deleted']} deleted")
    return "\n".join(lines)
