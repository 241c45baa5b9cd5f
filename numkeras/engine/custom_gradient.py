"""`custom_gradient`: a function whose backward pass is written by hand.

The decorated function `f(*args)` returns `(output, grad_fn)`. Called under a tape, `f` runs with
recording paused (its inner ops build no graph) and its output becomes one node of the tape whose
parents are the Tensors among `args`; in the backward pass that node calls `grad_fn(upstream)`,
where `upstream` is the output's gradient (a structure like the output when `f` returns several
tensors), and reads one gradient per (flattened) argument. No change to the tape is needed: the
node is an ordinary `make(data, parents, vjp)`.

Several outputs become one node: their values are laid end to end in a flat array, and each
output is a slice of it, reshaped; the slices' gradients meet in that node.

Example:
    >>> import numkeras
    >>> from numkeras import ops
    >>> @custom_gradient
    ... def clip_gradient(x):
    ...     return x, lambda upstream: ops.clip(upstream, -0.5, 0.5)
    >>> v = numkeras.Variable([3.0])
    >>> with numkeras.GradientTape() as tape:
    ...     y = ops.sum(clip_gradient(v * 10.0))
    >>> tape.gradient(y, v).numpy()
    array([5.], dtype=float32)
"""
import functools

from numkeras.backend import xp
from numkeras.engine import shape_ops
from numkeras.engine.tensor import Tensor, _Recording, make, unwrap
from numkeras.utils.tree import flatten, pack_sequence_as


class _NoRecording:
    def __enter__(self):
        self.depth, _Recording.depth = _Recording.depth, 0

    def __exit__(self, *exc):
        _Recording.depth = self.depth
        return False


def custom_gradient(f):
    """Decorator: `f(*args)` returns `(output, grad_fn)`; the result's gradient is `grad_fn(upstream)`.

    Args:
        f: a function of tensors (or nested structures of them) returning the output (a Tensor or a
            structure of Tensors) and `grad_fn`. `grad_fn(upstream)` returns the gradient of each
            flattened argument (one Tensor, or a tuple/list with one entry per argument; None for an
            argument that gets none).

    Returns:
        A function with `f`'s arguments returning only the output.
    """
    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        flat_args = flatten(args)
        with _NoRecording():
            output, grad_fn = f(*args, **kwargs)
        if not callable(grad_fn):
            raise TypeError(f"custom_gradient: `{getattr(f, '__name__', f)}` must return (output, grad_fn) with "
                            f"grad_fn callable. Received a second value of type {type(grad_fn).__name__}.")
        parents = tuple(a for a in flat_args if isinstance(a, Tensor))
        if not (_Recording.depth and any(p.requires_grad for p in parents)):
            return output
        flat_out = [o if isinstance(o, Tensor) else Tensor(xp.asarray(o)) for o in flatten(output)]
        shapes = [o.data.shape for o in flat_out]
        single = not isinstance(output, (list, tuple, dict))

        def vjp(g):
            if single:
                upstream = Tensor(g)
            else:
                pieces, start = [], 0
                for shape in shapes:
                    size = int(xp.prod(shape, dtype=int))
                    pieces.append(Tensor(g[start:start + size].reshape(shape)))
                    start += size
                upstream = pack_sequence_as(output, pieces)
            with _NoRecording():
                grads = grad_fn(upstream)
            grads = list(grads) if isinstance(grads, (list, tuple)) else [grads]
            if len(grads) != len(flat_args):
                raise ValueError(f"custom_gradient: grad_fn of `{getattr(f, '__name__', f)}` returned "
                                 f"{len(grads)} gradients for {len(flat_args)} (flattened) arguments.")
            by_arg = [None if g_ is None else xp.asarray(unwrap(g_)) for a, g_ in zip(flat_args, grads)
                      if isinstance(a, Tensor)]
            return tuple(None if g_ is None else g_.astype(p.data.dtype, copy=False)
                         for g_, p in zip(by_arg, parents))

        if single:
            return make(flat_out[0].data, parents, vjp)
        dtype = xp.result_type(*[o.data for o in flat_out])
        joint = make(xp.concatenate([o.data.astype(dtype).ravel() for o in flat_out]), parents, vjp)
        outs, start = [], 0
        for o, shape in zip(flat_out, shapes):
            size = o.data.size
            piece = shape_ops.reshape(shape_ops.getitem(joint, slice(start, start + size)), shape)
            outs.append(piece if piece.data.dtype == o.data.dtype else Tensor(o.data))
            start += size
        return pack_sequence_as(output, outs)
    return wrapper
