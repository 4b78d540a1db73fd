"""Imported first by every Python process started with this directory on PYTHONPATH, which newsbeam
sets, unless --verbose is given, for the Beam worker processes of --direct_running_mode=multi_processing.
It acts only in those workers (Beam starts them with CONTROL_API_SERVICE_DESCRIPTOR set).

A worker writes to the terminal before Beam applies --default_sdk_harness_log_level: importing Beam
warns through the root logger ("apitools not found"), the harness logs at INFO ("Logging handler
created."), and a failed bundle's traceback is printed to stderr as well as sent to the runner. The
runner already has all of it (the error in the bundle's response, logs over the Fn API), and
newsbeam reports a failure in one line, so the worker's own stderr is not needed.
"""

import logging
import os

if "CONTROL_API_SERVICE_DESCRIPTOR" in os.environ:
    logging.getLogger().addHandler(logging.NullHandler())   # no implicit stderr handler on the first warning
    # newsbeam's own progress line still reaches the terminal (transforms.progress writes here).
    os.environ["NEWSBEAM_TERMINAL_FD"] = str(os.dup(2))
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)   # also what grpc's C core and Beam's print(..., file=sys.stderr) write
    os.close(devnull)
