"""`python -m numkeras run PATH`: runs a Keras script or notebook on numkeras (see numkeras/utils/notebook_runner.py)."""
import sys

from numkeras.utils.notebook_runner import main

if __name__ == "__main__":
    sys.exit(main())
