"""install_as_keras: `import keras` gives numkeras's modules, refuses beside the real Keras, undoes cleanly.

Each case runs in a fresh interpreter, since the alias changes the process's import system.
"""
import os
import subprocess
import sys
import textwrap

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(code, extra_path=None):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (ROOT, extra_path) if p))
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          env=env, timeout=120)


def test_the_books_imports_resolve_to_numkeras():
    done = run("""
        import sys
        import numkeras
        numkeras.install_as_keras()
        import keras
        from keras import layers, models, optimizers, losses, metrics, callbacks
        from keras.datasets import imdb
        from keras.utils import to_categorical
        from keras import backend as K
        from keras.preprocessing import sequence, image, text
        from keras.preprocessing.text import Tokenizer
        import keras.datasets.mnist
        assert keras is numkeras and layers is numkeras.layers and models is numkeras.models
        assert optimizers.RMSprop is numkeras.optimizers.RMSprop and callbacks is numkeras.callbacks
        assert imdb is sys.modules["numkeras.datasets.imdb"] and keras.datasets.mnist.load_data
        assert to_categorical is numkeras.utils.to_categorical and K is numkeras.backend
        assert keras.__version__ == numkeras.__version__
        assert sequence.pad_sequences and image.smart_resize and Tokenizer is numkeras.preprocessing.text.Tokenizer
        # numkeras's own modules keep their names and specs
        assert layers.__name__ == "numkeras.layers" and layers.__spec__.name == "numkeras.layers"
        assert keras.datasets.mnist.__spec__.name == "numkeras.datasets.mnist"
        numkeras.install_as_keras()  # a second call changes nothing
        print("ok")
    """)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_a_module_numkeras_lacks_is_named_in_the_error():
    done = run("""
        import numkeras
        numkeras.install_as_keras()
        import keras.no_such_module
    """)
    assert done.returncode == 1
    assert "ModuleNotFoundError: No module named 'keras.no_such_module'" in done.stderr
    assert "numkeras (installed as keras) has no numkeras.no_such_module" in done.stderr


def test_it_refuses_when_the_real_keras_is_already_imported(tmp_path):
    fake = tmp_path / "keras"
    fake.mkdir()
    (fake / "__init__.py").write_text("REAL = True\n")
    done = run("""
        import keras
        import numkeras
        try:
            numkeras.install_as_keras()
        except RuntimeError as e:
            print(e)
        import keras as again
        assert again.REAL  # left as it was
    """, extra_path=str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "the real Keras is already imported in this process" in done.stdout
    assert str(fake / "__init__.py") in done.stdout
    assert "before anything imports keras" in done.stdout


def test_the_real_package_on_disk_is_shadowed_not_touched_and_uninstall_restores_it(tmp_path):
    fake = tmp_path / "keras"
    fake.mkdir()
    init = fake / "__init__.py"
    init.write_text("REAL = True\n")
    before = init.read_bytes()
    done = run("""
        import numkeras, numkeras.keras_alias
        numkeras.install_as_keras()
        import keras
        assert keras is numkeras
        numkeras.keras_alias.uninstall()
        import keras
        assert keras.REAL and keras is not numkeras
        print("ok")
    """, extra_path=str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert init.read_bytes() == before and sorted(p.name for p in fake.iterdir()) in (
        ["__init__.py"], ["__init__.py", "__pycache__"])


def test_install_as_keras_is_a_numkeras_extra():
    import numkeras
    assert "install_as_keras" in dir(numkeras) and "install_as_keras" in numkeras._NUMKERAS_EXTRAS
    with pytest.raises(AttributeError):
        numkeras.no_such_name
