"""The processes of a data-parallel job and what they say to each other, over MPI (mpi4py).

`world()` returns the job's communicator, created once: a `LocalCommunicator` (one process, no
MPI, nothing imported) when the process was not started by an MPI launcher, else an
`MpiCommunicator` over `MPI.COMM_WORLD`. Both offer the same few collective operations on NumPy
arrays, all ranks calling them in the same order:

    broadcast(arrays)          rank 0's values copied into every rank's arrays, in place
    allreduce_sum(buffers)     each float buffer summed over the ranks, in place; one nonblocking
                               Iallreduce per buffer, all started before any is waited on
    start_sum(buffer), wait(requests)   the same in two halves, to start each buffer when it is ready
    any(flag)                  True on every rank when it is True on one

A rank that fails must not leave the others waiting for ever. `fail(rank_message)` prints the cause
and calls MPI_Abort, which makes the launcher end every rank. Waits poll (`Test`) instead of
blocking inside MPI, so that every half second the waiting rank can look for a peer that died
without calling MPI (SIGKILL, out-of-memory killer): a peer process on the same host that no longer
exists is named, and the job is aborted. MPICH's launcher (`mpiexec`) already ends the whole job at
once when a rank dies, unless it was started with `-disable-auto-cleanup`; then it signals the
survivors with SIGUSR1, which also stops the wait here. For a peer on another host that hangs
or dies unnoticed, NUMKERAS_DISTRIBUTED_TIMEOUT=seconds bounds every wait (no limit by default:
a first step may legitimately wait for a slow rank to load its data).

Example:
    >>> comm = world()   # no MPI launcher here: one process
    >>> comm.rank, comm.size
    (0, 1)
"""
import os
import sys
import time

import numpy as np

_LAUNCHER_VARIABLES = ("PMI_SIZE", "PMI_RANK", "PMIX_RANK", "OMPI_COMM_WORLD_SIZE", "MPI_LOCALNRANKS",
                       "HYDRA_CONTROL_FD")
_WORLD = []  # the communicator, once created
_CHECK_PEERS_EVERY = 0.5  # seconds between looks for a vanished peer during a wait


def launched_by_mpi():
    """Whether an MPI launcher (mpiexec, mpirun, srun with PMI) started this process; reads only the environment."""
    if any(v in os.environ for v in _LAUNCHER_VARIABLES):
        return True
    return int(os.environ.get("SLURM_NTASKS", "1") or 1) > 1 and "SLURM_PROCID" in os.environ


def world():
    """The job's communicator (created on first use)."""
    if not _WORLD:
        _WORLD.append(MpiCommunicator() if launched_by_mpi() else LocalCommunicator())
    return _WORLD[0]


class PeerFailure(RuntimeError):
    """Another rank of the job died while this one waited for it."""


class LocalCommunicator:
    """One process: every collective operation is the identity."""

    rank, size, local_size = 0, 1, 1

    def broadcast(self, arrays):
        pass

    def allreduce_sum(self, buffers):
        pass

    def start_sum(self, buffer):
        return None

    def wait(self, requests):
        pass

    def any(self, flag):
        return bool(flag)

    def barrier(self):
        pass

    def fail(self, message):
        """One process: nothing to stop but this one, which raises anyway."""

    def describe(self):
        return "1 process (no MPI launcher)"


class MpiCommunicator:
    """The ranks of `MPI.COMM_WORLD`."""

    def __init__(self):
        import signal
        import socket
        try:
            from mpi4py import MPI
        except ImportError as e:
            raise ImportError(
                "numkeras.distribution: this process was started by an MPI launcher, but mpi4py is not installed "
                f"({e}). Install it with an MPI library: pip install 'numkeras[mpi]' (mpi4py with MPICH's wheel), "
                "or pip install mpi4py against the cluster's MPI.") from None
        self._mpi = MPI
        self.comm = MPI.COMM_WORLD
        self.rank, self.size = self.comm.Get_rank(), self.comm.Get_size()
        self.local_size = self.comm.Split_type(MPI.COMM_TYPE_SHARED).Get_size()
        me = (socket.gethostname(), os.getpid())
        self.peers = self.comm.allgather(me)  # (host, pid) of every rank, to name one that vanishes
        self._host = me[0]
        self._signalled = False
        self.timeout = _timeout_from_environment()
        if threading_main():
            # MPICH's mpiexec -disable-auto-cleanup sends SIGUSR1 when a process of the job fails.
            previous = signal.getsignal(signal.SIGUSR1)
            if previous in (signal.SIG_DFL, None):
                signal.signal(signal.SIGUSR1, self._on_peer_failure_signal)

    def _on_peer_failure_signal(self, signum, frame):
        self._signalled = True

    def describe(self):
        return f"rank {self.rank} of {self.size} (pid {os.getpid()} on {self._host})"

    # -- collectives ----------------------------------------------------------
    def broadcast(self, arrays):
        self.wait([self.comm.Ibcast(a, root=0) for a in arrays])

    def allreduce_sum(self, buffers):
        self.wait([self.start_sum(b) for b in buffers])

    def start_sum(self, buffer):
        """Starts summing `buffer` (contiguous) over the ranks, in place; returns the request to `wait` on."""
        return self.comm.Iallreduce(self._mpi.IN_PLACE, buffer, op=self._mpi.SUM)

    def any(self, flag):
        buffer = np.array([1.0 if flag else 0.0])
        self.allreduce_sum([buffer])
        return bool(buffer[0])

    def barrier(self):
        self.wait([self.comm.Ibarrier()])

    # -- failures -------------------------------------------------------------
    def wait(self, requests):
        """Waits for `requests`, polling, and stops the job if a peer died meanwhile."""
        MPI = self._mpi
        if MPI.Request.Testall(requests):
            return
        start = last_check = time.monotonic()
        pause = 0.0
        while not MPI.Request.Testall(requests):
            now = time.monotonic()
            if self._signalled or now - last_check > _CHECK_PEERS_EVERY:
                last_check = now
                dead = self.vanished_peers()
                if dead or self._signalled:
                    raise PeerFailure(self._peer_failure_message(dead, now - start))
                if self.timeout and now - start > self.timeout:
                    raise PeerFailure(
                        f"numkeras.distribution: {self.describe()} stops: the other ranks did not all reach the same "
                        f"collective operation within {self.timeout:g} s (NUMKERAS_DISTRIBUTED_TIMEOUT): a rank is "
                        "stuck, far slower, or died on another host.")
            if pause:
                time.sleep(pause)
            pause = min(0.001, pause * 2 or 0.00005) if now - start > 0.0002 else 0.0

    def vanished_peers(self):
        """The ranks on this host whose process no longer runs (or is a zombie)."""
        dead = []
        for rank, (host, pid) in enumerate(self.peers):
            if host == self._host and rank != self.rank and not _alive(pid):
                dead.append(rank)
        return dead

    def _peer_failure_message(self, dead, waited):
        if dead:
            who = ", ".join(f"rank {r} (pid {self.peers[r][1]} on {self.peers[r][0]})" for r in dead)
            cause = f"{who} of the job ended without a word (killed, e.g. SIGKILL or out of memory)"
        else:
            cause = "the MPI launcher reported that a process of the job failed (SIGUSR1)"
        return (f"numkeras.distribution: {self.describe()} stops: {cause}, while this rank waited "
                f"{waited:.1f} s for it in a collective operation.")

    def fail(self, message):
        """Prints `message` and ends every rank of the job (MPI_Abort); does not return."""
        print(message, file=sys.stderr, flush=True)
        # mpiexec forwards a rank's output through its proxy; an Abort at once can kill the proxy before the
        # line is through (seen under load), and the line is the point. Half a second lets it arrive.
        time.sleep(0.5)
        try:
            self.comm.Abort(1)
        finally:
            os._exit(1)


def _timeout_from_environment():
    """NUMKERAS_DISTRIBUTED_TIMEOUT: seconds a rank may wait in one collective operation; unset or 0: no limit."""
    value = os.environ.get("NUMKERAS_DISTRIBUTED_TIMEOUT", "").strip()
    try:
        seconds = float(value or 0)
    except ValueError:
        raise ValueError(f"NUMKERAS_DISTRIBUTED_TIMEOUT must be a number of seconds. Received: {value!r}. Set it to "
                         "e.g. 300, or unset it for no limit.") from None
    return seconds if seconds > 0 else None


def _alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except FileNotFoundError:
        return False
    except OSError:  # no /proc: ask the kernel
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True


def threading_main():
    import threading
    return threading.current_thread() is threading.main_thread()
