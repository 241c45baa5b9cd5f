"""Keras 2's training methods, which the 1st edition of the book calls, run through Keras 3's.

`fit_generator`, `evaluate_generator` and `predict_generator` became `fit`, `evaluate` and
`predict` (which take generators themselves) in Keras 2.1; `Sequential.predict_classes` and
`predict_proba` were removed in Keras 2.6. numkeras keeps them so the book's code runs as printed,
and notes the Keras 3 spelling once per process.

Example:
    >>> import warnings
    >>> import numpy as np
    >>> import numkeras
    >>> model = numkeras.Sequential([numkeras.layers.Dense(3, activation="softmax")])
    >>> model.build((None, 2))
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     model.predict_classes(np.zeros((4, 2), "float32")).shape
    (4,)
"""

from numkeras.utils.keras2_idioms import note


class Keras2TrainerMethods:
    """`fit_generator`, `evaluate_generator`, `predict_generator`: Keras 2's names for fit/evaluate/predict."""

    def fit_generator(self, generator, steps_per_epoch=None, epochs=1, verbose=1, callbacks=None,
                      validation_data=None, validation_steps=None, validation_freq=1, class_weight=None,
                      max_queue_size=10, workers=1, use_multiprocessing=False, shuffle=True, initial_epoch=0):
        """Keras 2's `fit` for a generator of batches: `fit(generator, steps_per_epoch=..., ...)`.

        `max_queue_size`, `workers` and `use_multiprocessing` are accepted and unused: batches are
        drawn in this thread, in order. `shuffle` has no effect on a generator, as in Keras 2.
        """
        note("fit_generator", "model.fit_generator(...) is Keras 2's spelling; Keras 3 writes model.fit(...), "
                              "which takes the generator itself.")
        return self.fit(generator, steps_per_epoch=steps_per_epoch, epochs=epochs, verbose=verbose,
                        callbacks=callbacks, validation_data=validation_data, validation_steps=validation_steps,
                        validation_freq=validation_freq, class_weight=class_weight, initial_epoch=initial_epoch)

    def evaluate_generator(self, generator, steps=None, callbacks=None, max_queue_size=10, workers=1,
                           use_multiprocessing=False, verbose=0):
        """Keras 2's `evaluate` for a generator of batches: `evaluate(generator, steps=...)`."""
        note("evaluate_generator", "model.evaluate_generator(...) is Keras 2's spelling; Keras 3 writes "
                                   "model.evaluate(...), which takes the generator itself.")
        return self.evaluate(generator, steps=steps, callbacks=callbacks, verbose=verbose)

    def predict_generator(self, generator, steps=None, callbacks=None, max_queue_size=10, workers=1,
                          use_multiprocessing=False, verbose=0):
        """Keras 2's `predict` for a generator of batches: `predict(generator, steps=...)`."""
        note("predict_generator", "model.predict_generator(...) is Keras 2's spelling; Keras 3 writes "
                                  "model.predict(...), which takes the generator itself.")
        return self.predict(generator, steps=steps, callbacks=callbacks, verbose=verbose)


class Keras2SequentialMethods:
    """`predict_classes` and `predict_proba`, the Keras 2 Sequential methods the 1st edition calls."""

    def predict_proba(self, x, batch_size=32, verbose=0):
        """Keras 2's name for `predict` (the outputs are already probabilities)."""
        note("predict_proba", "model.predict_proba(x) is Keras 2's spelling; Keras 3 writes model.predict(x).")
        return self.predict(x, batch_size=batch_size, verbose=verbose)

    def predict_classes(self, x, batch_size=32, verbose=0):
        """Keras 2's class predictions: the argmax of each row, or `output > 0.5` for one sigmoid unit.

        Returns int32 classes of shape `(n,)` for a softmax output and `(n, 1)` for a single unit,
        as Keras 2 returned them.
        """
        note("predict_classes", "model.predict_classes(x) is Keras 2's spelling; Keras 3 writes "
                                "np.argmax(model.predict(x), axis=-1) (or (model.predict(x) > 0.5).astype('int32') "
                                "for one sigmoid unit).")
        proba = self.predict(x, batch_size=batch_size, verbose=verbose)
        if proba.shape[-1] > 1:
            return proba.argmax(axis=-1).astype("int32")
        return (proba > 0.5).astype("int32")
