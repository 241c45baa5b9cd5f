"""A small shared thread pool for elementwise work NumPy would otherwise run on one core.

NumPy's ufuncs release the GIL, so large in-place updates (an optimizer
step on a big kernel) can be split across cores; BLAS calls already use
them all.

Example:
    >>> from numkeras.backend import threads
    >>> out = [0, 0]
    >>> threads.run_all([lambda: out.__setitem__(0, 1), lambda: out.__setitem__(1, 2)])
    >>> out
    [1, 2]
"""
import os
from concurrent.futures import ThreadPoolExecutor

COUNT = min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1, 8)
_executor = None


def run_all(tasks):
    """Runs the callables `tasks`, the first on this thread and the rest on the pool; re-raises errors."""
    global _executor
    if len(tasks) == 1 or COUNT == 1:
        for task in tasks:
            task()
        return
    if _executor is None:
        _executor = ThreadPoolExecutor(COUNT - 1, thread_name_prefix="numkeras")
    futures = [_executor.submit(task) for task in tasks[1:]]
    try:
        tasks[0]()
    finally:
        for future in futures:
            future.result()
