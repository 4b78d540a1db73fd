"""Events: every committed row of articles, quotes, figures and errors, once, after its commit.

The Delta log is the source of truth and its versions are the offsets. A follower (follower.py)
reads each table's log version by version (the commit files DIR/<table>/_delta_log/NNN.json,
the Delta protocol itself) and turns the rows a newsbeam commit appended into events, in Delta
version order per table, and only once the commit is complete (its row in DIR/_runs exists: what
makes it visible to readers). Versions that add no data (table creation, schema evolution,
OPTIMIZE, whose adds are dataChange=false, vacuum) publish nothing. A position is, per table, the
last Delta version published.

Destinations keep their own positions: `newsbeam tail --consumer NAME` in DIR/_events/NAME.json
(consumers.py, at-least-once to stdout), `newsbeam publish` in a Kafka topic written in the same
Kafka transaction as the events (kafka.py, exactly once for read_committed consumers).
docs/events.md describes the event schema.
"""

from transforms.events.follower import (EVENT_SCHEMA, Batch, Follower, LogGap, commit_of, event, json_row, json_value,
                                        parse_actions)

__all__ = ["EVENT_SCHEMA", "Batch", "Follower", "LogGap", "commit_of", "event", "json_row", "json_value", "parse_actions"]
