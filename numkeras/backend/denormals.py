"""Flushing denormal floats to zero while numkeras computes, as TensorFlow and XLA do on CPUs.

Numbers below float32's smallest normal value (about 1.2e-38) take a slow
path on x86 CPUs, up to 80 times slower per operation. Training produces
them (a gradient of 1e-20 squared in an optimizer), so numkeras sets the
SSE "flush to zero" and "denormals are zero" bits of the calling thread
while it trains, evaluates or takes gradients, and restores them after.
On other platforms this does nothing.

Example:
    >>> import numpy as np
    >>> with flush_denormals():
    ...     tiny = np.square(np.float32(1e-20))
    >>> float(tiny) in (0.0, float(np.float32(1e-20)) ** 2)
    True
"""
import ctypes
import os
import struct
import sys
import threading

_FTZ_DAZ = 0x8040  # MXCSR bits: flush-to-zero (15) and denormals-are-zero (6)
_MXCSR_OFFSET = 28  # where glibc's x86-64 fenv_t keeps MXCSR
_state = threading.local()


def _load_libm():
    if sys.platform != "linux" or os.uname().machine not in ("x86_64", "AMD64"):
        return None
    try:
        return ctypes.CDLL("libm.so.6")  # glibc's soname: no ldconfig search (find_library costs ~5 ms)
    except OSError:
        from ctypes.util import find_library
        name = find_library("m")
        try:
            return ctypes.CDLL(name) if name else None
        except OSError:
            return None


_libm = _load_libm()


def _get_env():
    env = ctypes.create_string_buffer(32)
    if _libm.fegetenv(env) != 0:
        return None
    return env


def _set_mxcsr(env, bits_on):
    raw = bytearray(env.raw)
    mxcsr = struct.unpack_from("<I", raw, _MXCSR_OFFSET)[0]
    struct.pack_into("<I", raw, _MXCSR_OFFSET, (mxcsr | _FTZ_DAZ) if bits_on else mxcsr)
    _libm.fesetenv(ctypes.create_string_buffer(bytes(raw), 32))


def enable_in_this_thread():
    """Flushes denormals in the calling thread for good (numkeras's own worker threads, see
    `numkeras.engine.thread_pool`)."""
    if _libm is not None:
        env = _get_env()
        if env is not None:
            _set_mxcsr(env, True)
            _state.depth = 1


def is_flushing():
    """Whether the calling thread flushes denormals now (always False where this module does nothing)."""
    env = _get_env() if _libm is not None else None
    return env is not None and struct.unpack_from("<I", env.raw, _MXCSR_OFFSET)[0] & _FTZ_DAZ == _FTZ_DAZ


class flush_denormals:
    """Flushes denormals to zero in this thread for the block (nested blocks cost nothing)."""

    __slots__ = ("_env",)

    def __enter__(self):
        depth = getattr(_state, "depth", 0)
        self._env = _get_env() if _libm is not None and depth == 0 else None
        if self._env is not None:
            _set_mxcsr(self._env, True)
        _state.depth = depth + 1

    def __exit__(self, *exc):
        _state.depth -= 1
        if self._env is not None:
            _libm.fesetenv(self._env)  # the caller's settings, exactly as they were
        return False
