"""Parity tests: numkeras against real Keras 3 (see harness.py for how, keras_reference.py for the Keras side)."""
