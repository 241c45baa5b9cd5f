"""Keras 3's distribution API, where a device is one MPI rank.

A data-parallel job is N copies of the same program, started by an MPI launcher (`mpiexec -n 4
python train.py`, `srun`), each copy one rank. The one line that makes `fit`, `evaluate` and
`predict` data-parallel is

    numkeras.distribution.set_distribution(numkeras.distribution.DataParallel())

Every rank then starts from rank 0's weights and optimizer state, reads its share of each global
batch, and applies the gradients averaged over all ranks (numkeras/distribution/data_parallel.py).
Without a launcher there is one device, and nothing of MPI is imported.

Example:
    >>> from numkeras import distribution
    >>> distribution.list_devices()
    ['cpu:0']
    >>> mesh = distribution.DeviceMesh(shape=(1,), axis_names=["batch"])
    >>> distribution.set_distribution(distribution.DataParallel(device_mesh=mesh))
    >>> distribution.distribution().num_model_replicas
    1
    >>> distribution.set_distribution(None)
"""
import sys

import numpy as np

from numkeras.distribution import blas_threads, communicator

_STATE = {"distribution": None, "initialized": False}


def list_devices(device_type=None):
    """The devices of the job: one `"cpu:<rank>"` per MPI rank (just `["cpu:0"]` without a launcher).

    Args:
        device_type: "cpu" or None. numkeras runs on CPUs only.

    Returns:
        A list of device names, rank order.
    """
    _check_device_type(device_type)
    return [f"cpu:{rank}" for rank in range(communicator.world().size)]


def get_device_count(device_type=None):
    """The number of devices (MPI ranks) in the job.

    Args:
        device_type: "cpu" or None.
    """
    _check_device_type(device_type)
    return communicator.world().size


def initialize(job_addresses=None, num_processes=None, process_id=None):
    """Starts MPI (when an MPI launcher started this process) and prepares this rank.

    The launcher (mpiexec, mpirun, srun) already tells every process where the others are, so
    `job_addresses` is accepted for Keras compatibility and otherwise unused. `num_processes` and
    `process_id`, when given, are checked against what MPI reports.

    It also sets this rank's BLAS threads so that ranks x threads = the host's cores (unless
    `OMP_NUM_THREADS`, `OPENBLAS_NUM_THREADS` or `MKL_NUM_THREADS` is set), and makes an uncaught
    exception on any rank stop the whole job (MPI_Abort) with the rank and the cause named, rather
    than leave the other ranks waiting. `DataParallel()` calls it; calling it again does nothing.

    Args:
        job_addresses: unused (the MPI launcher knows the hosts).
        num_processes: the expected number of ranks, or None.
        process_id: the expected rank of this process, or None.
    """
    comm = communicator.world()
    for name, expected, actual in (("num_processes", num_processes, comm.size), ("process_id", process_id, comm.rank)):
        if expected is not None and int(expected) != actual:
            raise ValueError(f"initialize(): {name}={expected!r}, but the MPI launcher started this process as "
                             f"{comm.describe()}. Leave {name} out (MPI knows it) or launch with matching -n.")
    if _STATE["initialized"]:
        return
    _STATE["initialized"] = True
    if comm.size > 1:
        threads = blas_threads.share_cores(comm.local_size)
        _install_excepthook(comm)
        if comm.rank == 0:  # who is who: MPI launchers name a failed process by its pid
            table = ", ".join(f"rank {r} pid {pid} on {host}" for r, (host, pid) in enumerate(comm.peers))
            print(f"numkeras.distribution: {comm.size} ranks: {table}; BLAS threads per rank: "
                  f"{threads or 'as set in the environment'}.", file=sys.stderr, flush=True)


def _install_excepthook(comm):
    previous = sys.excepthook

    def abort_the_job(kind, value, traceback):
        previous(kind, value, traceback)
        comm.fail(f"numkeras.distribution: {comm.describe()} failed: {kind.__name__}: {value}. "
                  "Stopping every rank of the job (MPI_Abort).")

    sys.excepthook = abort_the_job


class DeviceMesh:
    """The devices (MPI ranks) of the job arranged as an array with named axes.

    Args:
        shape: the mesh's shape, e.g. `(4,)` for 4 ranks of data parallelism.
        axis_names: one name per axis, e.g. `["batch"]`.
        devices: the device names, in mesh order. Defaults to `list_devices()`.
    """

    def __init__(self, shape, axis_names, devices=None):
        if not shape or not axis_names:
            raise ValueError(f"DeviceMesh: shape and axis_names must not be empty. Received: shape={shape}, "
                             f"axis_names={axis_names}.")
        if len(shape) != len(axis_names):
            raise ValueError(f"DeviceMesh: shape and axis_names need one entry per axis. Received: shape={shape}, "
                             f"axis_names={axis_names}.")
        devices = np.array(list_devices() if devices is None else devices)
        if int(np.prod(shape)) != devices.size:
            raise ValueError(f"DeviceMesh: shape={tuple(shape)} holds {int(np.prod(shape))} devices, but there are "
                             f"{devices.size} ({list(devices.ravel())}). Make the shape's product the number of "
                             "MPI ranks (mpiexec -n).")
        self._shape, self._axis_names = tuple(shape), list(axis_names)
        self._devices = devices.reshape(self._shape)

    @property
    def shape(self):
        return self._shape

    @property
    def axis_names(self):
        return self._axis_names

    @property
    def devices(self):
        return self._devices

    @property
    def backend_mesh(self):
        return None

    def __repr__(self):
        return f"<DeviceMesh shape={self._shape}, axis_names={self._axis_names}>"


class DataParallel:
    """Data parallelism over the MPI ranks: every rank holds the whole model and a share of each batch.

    Under `set_distribution(DataParallel())`, `fit` starts every rank from rank 0's weights and
    optimizer state; each global batch of `batch_size` rows is split across the ranks; gradients
    are averaged over the ranks (weighted by rows) before every optimizer step, so N ranks take
    the steps one process would take with the same `batch_size`. Metrics are reduced as sums and
    counts, files (checkpoints, CSV logs, `save()`) are written by rank 0 only, and every rank
    stops at the same epoch. Arrays are shuffled the same way on every rank (a shared seed and the
    epoch number); a generator, dataset or PyDataset must yield the same batches on every rank,
    and each rank keeps its share of every batch.

    The learning rate is left as given: with a larger global batch, scale it yourself (e.g. by the
    number of ranks) and warm it up with `numkeras.distribution.LearningRateWarmup`.

    Args:
        device_mesh: a 1-D `DeviceMesh` of all ranks. Defaults to one built from `devices`.
        devices: device names (`list_devices()`); all ranks must take part. Defaults to all.
        auto_shard_dataset: split each batch of a dataset across the ranks. With False, each
            rank's dataset is taken to be its own shard already. Defaults to True.
    """

    def __init__(self, device_mesh=None, devices=None, auto_shard_dataset=True):
        initialize()
        if device_mesh is not None and not isinstance(device_mesh, DeviceMesh):
            raise ValueError(f"DataParallel: device_mesh must be a DeviceMesh. Received: {device_mesh!r} (of type "
                             f"{type(device_mesh).__name__}).")
        if device_mesh is None:
            devices = list_devices() if devices is None else list(devices)
            device_mesh = DeviceMesh(shape=(len(devices),), axis_names=["batch"], devices=devices)
        if device_mesh.devices.size != get_device_count():
            raise ValueError(f"DataParallel: the mesh holds {device_mesh.devices.size} devices but the job has "
                             f"{get_device_count()} MPI ranks; every rank must take part.")
        self._device_mesh = device_mesh
        self._batch_dim_name = device_mesh.axis_names[0]
        self.auto_shard_dataset = bool(auto_shard_dataset)

    @property
    def device_mesh(self):
        return self._device_mesh

    @property
    def batch_dim_name(self):
        return self._batch_dim_name

    @property
    def num_model_replicas(self):
        return self._device_mesh.devices.size

    def get_config(self):
        return {"auto_shard_dataset": self.auto_shard_dataset}

    def __repr__(self):
        return f"<DataParallel over {self.num_model_replicas} MPI rank(s)>"


def set_distribution(value):
    """Makes `value` (a `DataParallel`, or None for none) the distribution that fit/evaluate/predict use.

    Args:
        value: a `DataParallel` instance or None.
    """
    if value is not None and not isinstance(value, DataParallel):
        raise ValueError(f"set_distribution(): numkeras distributes data only; pass DataParallel() or None. "
                         f"Received: {value!r}.")
    _STATE["distribution"] = value


def distribution():
    """The distribution set by `set_distribution`, or None."""
    return _STATE["distribution"]


def active():
    """The data-parallel runtime for the current distribution, or None: what the trainer asks, cheaply."""
    if _STATE["distribution"] is None:
        return None
    from numkeras.distribution import data_parallel
    return data_parallel.runtime(_STATE["distribution"])


def _check_device_type(device_type):
    if device_type is not None and str(device_type).lower() != "cpu":
        raise ValueError(f"numkeras runs on CPUs (one device per MPI rank). Received: device_type={device_type!r}. "
                         "Pass 'cpu' or None.")
