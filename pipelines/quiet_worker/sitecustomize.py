"""Imported first by every Python process started with this directory on PYTHONPATH, which newsbeam
sets, unless --verbose is given, for the Beam worker processes of --direct_running_mode=multi_processing.
It acts only in those workers (Beam starts them with CONTROL_API_SERVICE_DESCRIPTOR set).

A worker writes to the terminal on its own: importing Beam warns ("apitools not found"), the harness
logs at INFO before --default_sdk_harness_log_level applies ("Logging handler created."), and a failed
bundle's traceback is printed as well as sent to the runner, which newsbeam reports in one line. So the
worker's stderr goes to /dev/null; its counts reach the launcher's progress line through files
(transforms/progress.py).
A worker that dies before reaching the runner shows only as its exit code: rerun with --verbose.
"""

import os

if "CONTROL_API_SERVICE_DESCRIPTOR" in os.environ:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)   # also what grpc's C core and Beam's print(..., file=sys.stderr) write
    os.close(devnull)
