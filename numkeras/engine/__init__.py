"""The autodiff engine: Tensor, Variable, GradientTape and the primitive ops."""
from numkeras.engine.tape import GradientTape
from numkeras.engine.tensor import Tensor
from numkeras.engine.variable import Variable

__all__ = ["GradientTape", "Tensor", "Variable"]
