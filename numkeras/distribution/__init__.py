"""Keras 3's distribution API over MPI: data-parallel fit, evaluate and predict, one device per rank.

Launch the same program on N ranks (`mpiexec -n 4 python train.py`) and add one line before
building the model:

    numkeras.distribution.set_distribution(numkeras.distribution.DataParallel())

Needs `mpi4py` and an MPI library (`pip install 'numkeras[mpi]'`) only when launched by MPI;
`import numkeras` never imports them. docs/distributed.md has the details and the measurements.

Example:
    >>> from numkeras import distribution
    >>> distribution.get_device_count()
    1
"""
from numkeras.distribution.distribution_lib import (DataParallel, DeviceMesh, distribution, get_device_count,
                                                    initialize, list_devices, set_distribution)

# Horovod's warm-up callback, where Keras has none (loaded when first touched: the trainer imports this
# package, and the callbacks need not load with it).
_NUMKERAS_EXTRAS = ("LearningRateWarmup",)
__all__ = ["DataParallel", "DeviceMesh", "distribution", "get_device_count", "initialize", "list_devices",
           "set_distribution", *_NUMKERAS_EXTRAS]


def __getattr__(name):
    if name == "LearningRateWarmup":
        from numkeras.distribution.learning_rate_warmup import LearningRateWarmup
        return LearningRateWarmup
    raise AttributeError(f"module 'numkeras.distribution' has no attribute {name!r}")


def __dir__():
    return list(__all__)
