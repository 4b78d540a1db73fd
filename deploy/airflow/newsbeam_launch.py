"""`newsbeam run` as a Python file, for runners of Beam Python files (Airflow's Beam operator).

BeamRunPythonPipelineOperator starts `python3 [py_options] <py_file> --runner=... --key=value ...`;
this file turns that into `newsbeam run --runner=... --key=value ...`, with the same exit codes
(0 finished, 1 could not complete, 2 usage error) and the run summary on stdout.
Needs newsbeam installed in the interpreter that runs it.
"""

import sys

from pipelines.cli import main

if __name__ == "__main__":
    sys.exit(main(["run", *sys.argv[1:]]))
