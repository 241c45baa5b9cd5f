import warnings

import numpy as np

from numkeras.utils import keras2_idioms, numerical_utils, np_utils


def test_keras2_np_utils_functions_are_numkeras_utils_with_one_note_each():
    keras2_idioms._forget_for_tests()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = np_utils.to_categorical([1, 0, 3])
        np_utils.to_categorical([1])
        rows = np_utils.normalize(np.array([[3.0, 4.0]]))
    np.testing.assert_array_equal(got, numerical_utils.to_categorical([1, 0, 3]))
    np.testing.assert_allclose(rows, [[0.6, 0.8]])
    assert [issubclass(w.category, keras2_idioms.Keras2IdiomWarning) for w in caught] == [True, True]
    assert "from keras.utils import to_categorical" in str(caught[0].message)


def test_the_keras_alias_finds_it():
    import subprocess
    import sys
    code = ("import numkeras; numkeras.install_as_keras()\n"
            "from keras.utils.np_utils import to_categorical\n"
            "print(to_categorical([2]).tolist())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[[0.0, 0.0, 1.0]]"
