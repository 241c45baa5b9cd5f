import os
import subprocess
import sys

import numpy as np
import pytest

from numkeras import distribution, layers, models
from numkeras.distribution import communicator, distribution_lib
from numkeras.utils import set_random_seed


@pytest.fixture(autouse=True)
def no_distribution_after():
    yield
    distribution.set_distribution(None)


def test_one_process_is_one_device_and_imports_no_mpi():
    assert distribution.list_devices() == ["cpu:0"] == distribution.list_devices("cpu")
    assert distribution.get_device_count() == 1
    program = ("import sys, numpy as np\nfrom numkeras import distribution, layers, models\n"
               "distribution.set_distribution(distribution.DataParallel())\n"
               "m = models.Sequential([layers.Input((2,)), layers.Dense(1)])\nm.compile(loss='mse')\n"
               "m.fit(np.zeros((4, 2)), np.zeros((4, 1)), verbose=0)\nprint('mpi4py' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=120,
                          env={k: v for k, v in os.environ.items() if k not in communicator._LAUNCHER_VARIABLES})
    assert done.stdout.strip() == "False", done.stderr


def test_other_device_types_are_refused_with_the_fix():
    with pytest.raises(ValueError, match="device_type='gpu'.*Pass 'cpu' or None"):
        distribution.list_devices("gpu")


def test_device_mesh_checks_its_shape():
    mesh = distribution.DeviceMesh((1,), ["batch"])
    assert mesh.shape == (1,) and mesh.axis_names == ["batch"] and mesh.devices.tolist() == ["cpu:0"]
    with pytest.raises(ValueError, match="holds 2 devices, but there are 1"):
        distribution.DeviceMesh((2,), ["batch"])
    with pytest.raises(ValueError, match="one entry per axis"):
        distribution.DeviceMesh((1,), ["batch", "model"])


def test_set_distribution_takes_data_parallel_or_none():
    dp = distribution.DataParallel()
    assert dp.num_model_replicas == 1 and dp.batch_dim_name == "batch"
    distribution.set_distribution(dp)
    assert distribution.distribution() is dp
    assert distribution_lib.active().size == 1
    distribution.set_distribution(None)
    assert distribution.distribution() is None and distribution_lib.active() is None
    with pytest.raises(ValueError, match="DataParallel"):
        distribution.set_distribution("data_parallel")


def test_initialize_checks_what_mpi_reports():
    distribution.initialize()
    with pytest.raises(ValueError, match="num_processes=2"):
        distribution.initialize(num_processes=2)


def _train(dist, shuffle):
    set_random_seed(3)
    rng = np.random.default_rng(0)
    x, y = rng.random((100, 5), dtype=np.float32), rng.random((100, 2), dtype=np.float32)
    model = models.Sequential([layers.Input((5,)), layers.Dense(4, activation="relu"), layers.Dense(2)])
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    distribution.set_distribution(distribution.DataParallel() if dist else None)
    history = model.fit(x, y, batch_size=32, epochs=2, shuffle=shuffle, verbose=0)
    return model.get_weights(), history.history, model.evaluate(x, y, verbose=0), model.predict(x, verbose=0)


def test_one_rank_under_data_parallel_trains_as_without_it():
    plain, dp = _train(False, shuffle=False), _train(True, shuffle=False)
    for a, b in zip(plain[0], dp[0]):
        np.testing.assert_array_equal(a, b)
    assert plain[1] == dp[1] and plain[2] == dp[2]
    np.testing.assert_array_equal(plain[3], dp[3])


def test_shuffled_order_follows_the_shared_seed():
    first, again = _train(True, shuffle=True), _train(True, shuffle=True)
    for a, b in zip(first[0], again[0]):
        np.testing.assert_array_equal(a, b)


def test_one_rank_trains_on_a_generator_as_without_data_parallel():
    def run(dist):
        set_random_seed(5)
        rng = np.random.default_rng(1)
        x, y = rng.random((64, 3), dtype=np.float32), rng.random((64, 1), dtype=np.float32)
        model = models.Sequential([layers.Input((3,)), layers.Dense(1)])
        model.compile(optimizer="sgd", loss="mse")
        distribution.set_distribution(distribution.DataParallel() if dist else None)
        model.fit(((x[i:i + 16], y[i:i + 16]) for i in range(0, 64, 16)), epochs=1, verbose=0)
        return model.get_weights(), model.evaluate(iter([(x, y)]), verbose=0)

    plain, dp = run(False), run(True)
    for a, b in zip(plain[0], dp[0]):
        np.testing.assert_array_equal(a, b)
    assert plain[1] == dp[1]
    assert not np.array_equal(plain[0][0], _untrained_kernel())


def _untrained_kernel():
    set_random_seed(5)
    model = models.Sequential([layers.Input((3,)), layers.Dense(1)])
    return model.get_weights()[0]
