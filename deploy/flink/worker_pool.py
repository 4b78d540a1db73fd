"""A Beam Python worker pool for `--environment_type=EXTERNAL`, bound to 127.0.0.1 only.

Beam's own `python -m apache_beam.runners.worker.worker_pool_main` listens on every interface
(anyone who reaches the port can run code in it), lets a second pool bind the same port
without an error, and starts each SDK worker as plain `python` from PATH. This one binds
127.0.0.1, refuses a port in use, puts its own interpreter's directory first on PATH so workers
run in the same virtualenv (where newsbeam is installed), and stops its workers on SIGTERM.

    python deploy/flink/worker_pool.py --port 50000
"""

import argparse
import logging
import os
import signal
import subprocess
import sys
import time


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=50000)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    # Workers are started as `python -c ...`: make that this interpreter (sys.executable keeps the
    # venv path, so its directory is the venv's bin).
    os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")

    import grpc
    from apache_beam.portability.api import beam_fn_api_pb2_grpc
    from apache_beam.runners.worker.worker_pool_main import BeamFnExternalWorkerPoolServicer
    from apache_beam.utils import thread_pool_executor

    server = grpc.server(thread_pool_executor.shared_unbounded_instance(),
                         options=[("grpc.so_reuseport", 0),
                                  ("grpc.http2.max_pings_without_data", 0),
                                  ("grpc.http2.max_ping_strikes", 0)])
    pool = BeamFnExternalWorkerPoolServicer(use_process=True)
    beam_fn_api_pb2_grpc.add_BeamFnExternalWorkerPoolServicer_to_server(pool, server)
    try:
        port = server.add_insecure_port(f"{args.host}:{args.port}")
    except RuntimeError as exc:  # grpc raises when it cannot bind
        print(f"worker pool: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    if not port:
        print(f"worker pool: cannot listen on {args.host}:{args.port} (in use?)", file=sys.stderr)
        return 1
    server.start()
    logging.info("worker pool on %s:%d, python %s", args.host, port, sys.executable)

    def stop(signum, _frame):
        logging.info("signal %d: stopping %d worker(s)", signum, len(pool._worker_processes))
        server.stop(0)
        workers = list(pool._worker_processes.values())
        for process in workers:
            process.terminate()
        deadline = time.monotonic() + 5
        for process in workers:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    sys.exit(main())
