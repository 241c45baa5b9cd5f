"""Parity tests: numkeras against real Keras 3 (keras==3.15.1 on JAX, CPU), run by `make test`.

Keras lives in its own virtual environment, .venv-keras (`make keras-venv`; NUMKERAS_KERAS_PYTHON
names another interpreter), never in the test environment. Each test module collects its cases,
runs them all under Keras in one subprocess (keras_reference.py, driven by harness.py) and compares
numkeras's answers case by case:

    layers_test.py      every layer's outputs on the same weights and inputs
    losses_test.py      every loss class (defaults and key arguments) and loss function
    metrics_test.py     every metric over two batches
    optimizers_test.py  three steps of every optimizer
    saving_test.py      `.keras` and `.weights.h5` files both ways, every layer family, compiled models
    weights_order_test.py  `weights`, `get_weights`/`set_weights` and the trainable lists, in Keras's order

Without the Keras interpreter these tests fail, with the command that builds it; they never skip.
To add a case, add a row to the module's table; a test in each module fails when a layer, loss,
metric or optimizer has none. A true disagreement with Keras is a strict xfail whose reason says
what each library does.

    .venv/bin/python -m pytest tests/keras_parity -q
"""
