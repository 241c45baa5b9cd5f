"""Training machinery: the Trainer mixin (compile/fit/evaluate/predict) and data checks."""
from numkeras.trainers.trainer import Trainer

__all__ = ["Trainer"]
