"""The fenced lease (transforms/storage/lease.py): one writer at a time, and a writer that stalled past
its expiry while another took over commits nothing. Real processes, frozen with SIGSTOP."""

import os
import signal
import subprocess
import sys
import time

import pytest

from pipelines.query import run_query
from tests.test_compact import article_rows, plan
from transforms.storage.commit import commit
from transforms.storage.lease import Fence, Lease, LeaseLost, _dead_here, check_fence, current_lease
from transforms.storage.runs import manifests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The frozen writer: takes a 2-second lease, says so, waits for the go file, then tries to commit a run.
FROZEN_WRITER = """
import os, sys, time
from tests.test_compact import article_rows, plan
from transforms.storage.commit import commit
from transforms.storage.lease import Lease, LeaseLost
output, go = sys.argv[1], sys.argv[2]
with Lease(output, "run", seconds=2) as lease:
    print("held", lease.generation, flush=True)
    while not os.path.exists(go):
        time.sleep(0.01)
    try:
        commit(output, plan(output, "frozen", {"articles": {"2026-11-20": article_rows("frozen", ["f1"])}}),
               lease.fence)
    except LeaseLost as exc:
        print("lost:", exc, flush=True)
        sys.exit(3)
print("committed", flush=True)
"""


def test_a_writer_frozen_past_its_expiry_loses_the_lease_to_a_second_and_commits_nothing(tmp_path):
    output, go = str(tmp_path / "out"), tmp_path / "go"
    frozen = subprocess.Popen([sys.executable, "-c", FROZEN_WRITER, output, str(go)], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                              env={**os.environ, "PYTHONPATH": ROOT})
    try:
        assert frozen.stdout.readline().split() == ["held", "1"]
        os.killpg(frozen.pid, signal.SIGSTOP)
        time.sleep(2.5)   # past the frozen holder's expiry: it cannot renew while stopped
        with Lease(output, "run") as second:
            assert second.generation == 2
            commit(output, plan(output, "second", {"articles": {"2026-11-20": article_rows("second", ["s1"])}}),
                   second.fence)
            os.killpg(frozen.pid, signal.SIGCONT)
            go.touch()
            assert frozen.wait(timeout=60) == 3
            out, err = frozen.stdout.read(), frozen.stderr.read()
            assert out.startswith("lost:") and "generation 1" in out, out + err
            assert current_lease(output)["holder"] == second.holder   # not taken back by the frozen one's renewal
    finally:
        if frozen.poll() is None:
            os.killpg(frozen.pid, signal.SIGCONT)
            frozen.kill()
    assert [m["run_id"] for m in manifests(output)] == ["second"]
    assert run_query(output, "SELECT article_id FROM articles")[1] == [("s1",)]


def test_renewal_after_losing_the_lease_fails_loudly_and_writes_nothing(tmp_path):
    output = str(tmp_path)
    first = Lease(output, "run", seconds=0.5)
    first.acquire()
    time.sleep(0.6)
    second = Lease(output, "stream")
    second.acquire()
    with pytest.raises(LeaseLost, match="was taken by"):
        first.renew()
    assert current_lease(output)["holder"] == second.holder and current_lease(output)["generation"] == 2
    with pytest.raises(LeaseLost):
        check_fence(output, first.fence)
    check_fence(output, second.fence)
    first.release()   # not its lease any more: releasing leaves the second's alone
    assert current_lease(output)["holder"] == second.holder


def test_a_fence_of_another_generation_or_holder_is_refused(tmp_path):
    output = str(tmp_path)
    with Lease(output, "run") as lease:
        check_fence(output, lease.fence)
        for stale in (Fence(lease.holder, lease.generation - 1), Fence("elsewhere:1:2:ab", lease.generation)):
            with pytest.raises(LeaseLost):
                check_fence(output, stale)


def test_a_dead_holder_is_judged_at_once_only_in_this_pid_namespace():
    """Containers may share a host name with separate PID namespaces: a pid there says nothing here."""
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)
    from transforms.storage.lease import _process_identity
    host, namespace, _ = _process_identity().split(":")
    assert _dead_here(f"{host}:{namespace}:{pid}:abcd")
    assert not _dead_here(f"{host}:{int(namespace) + 1}:{pid}:abcd")
    assert not _dead_here(f"{host}:{pid}:abcd")   # a holder written before namespaces were recorded
