import numpy as np

from numkeras.backend.denormals import flush_denormals, is_flushing

DENORMAL_SQUARE = np.float32(1e-20)  # its square, 1e-40, is below float32's smallest normal


def test_flushes_inside_and_restores_after():
    outside, flushing_before = np.square(DENORMAL_SQUARE), is_flushing()
    with flush_denormals():
        with flush_denormals():
            nested = np.square(DENORMAL_SQUARE)
        inside, flushing_inside = np.square(DENORMAL_SQUARE), is_flushing()
    after = np.square(DENORMAL_SQUARE)
    assert not flushing_before and not is_flushing() and flushing_inside == (inside == 0)
    assert outside == after and after > 0  # IEEE gradual underflow outside
    assert inside in (0, outside) and nested == inside  # flushed on x86-64 Linux, unchanged elsewhere
