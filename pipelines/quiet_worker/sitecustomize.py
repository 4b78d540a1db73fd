"""Imported first by every Python process started with this directory on PYTHONPATH, which newsbeam
sets for Beam's worker processes unless --verbose is given.

A worker's first log records come before Beam applies --default_sdk_harness_log_level: importing
Beam warns through the root logger ("apitools not found"), which makes Python install a stderr
handler, and the harness then logs at INFO ("Logging handler created."). A root handler that
discards records keeps that handler from being installed. The workers still send their logs to the
runner over the Fn API, where newsbeam's own logging settings decide what is shown.
"""

import logging

logging.getLogger().addHandler(logging.NullHandler())
