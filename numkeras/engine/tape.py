"""GradientTape and the backward pass.

Backward visits the graph in reverse topological order, found by an
iterative depth-first search (deep graphs cannot overflow the stack). Each
node's `vjp` turns its output gradient into its parents' gradients; this is
the one place where a broadcast gradient is summed back to its input's shape.

Example:
    >>> import numkeras
    >>> v = numkeras.Variable([1.0, 2.0])
    >>> with numkeras.GradientTape() as tape:
    ...     y = numkeras.ops.sum(v * v)
    >>> tape.gradient(y, v).numpy()
    array([2., 4.], dtype=float32)
"""
import threading

from numkeras.backend import xp
from numkeras.backend.denormals import flush_denormals
from numkeras.engine.tensor import Tensor, _Recording, unwrap


class GradientTape:
    """Records ops inside its `with` block so gradients can be taken afterwards.

    Trainable `Variable`s are watched automatically; other tensors are
    watched with `watch`.

    Args:
        persistent: if False (default), `gradient` may be called only once.
        watch_accessed_variables: accepted for Keras/TF compatibility;
            trainable variables are always watched.
    """

    def __init__(self, persistent=False, watch_accessed_variables=True):
        self.persistent = persistent
        self._watched = []
        self._used = False
        self._recording = False

    def __enter__(self):
        _Recording.depth += 1
        self._recording = True
        self._denormals = flush_denormals()  # fast float32 math inside, as in fit
        self._denormals.__enter__()
        return self

    def __exit__(self, *exc):
        self._denormals.__exit__(*exc)
        _Recording.depth -= 1
        self._recording = False
        for t in self._watched:
            t.requires_grad = getattr(t, "trainable", False)
        return False

    def watch(self, tensor):
        """Makes the tape record ops on `tensor` (or each tensor in a list)."""
        for t in tensor if isinstance(tensor, (list, tuple)) else [tensor]:
            if not isinstance(t, Tensor):
                raise TypeError(
                    f"GradientTape.watch expects a numkeras Tensor or Variable. Received: {type(t).__name__}. "
                    "Convert arrays first with numkeras.ops.convert_to_tensor(x) and use the returned tensor.")
            t.requires_grad = True
            self._watched.append(t)

    def stop_recording(self):
        """Context manager that pauses recording inside the tape."""
        return _Paused()

    def gradient(self, target, sources, output_gradients=None, on_ready=None):
        """Returns d(sum of target)/d(source) for each source (None when unconnected).

        Args:
            target: a Tensor (usually the scalar loss).
            sources: a Tensor/Variable or a list or tuple of them.
            output_gradients: optional upstream gradient, shaped like target.
            on_ready: numkeras extension, not in Keras: optional callable
                `on_ready(index, gradient)`, called during the backward pass as
                soon as the gradient of `sources[index]` is final (every op
                that used the source has been walked), usually the last
                layers first; `gradient` is the same array the returned
                Tensor holds (do not write into it). Not called for an
                unconnected source. Data-parallel training uses it to start
                averaging a bucket of gradients while the backward pass goes on.
        """
        if self._used and not self.persistent:
            raise RuntimeError(
                "A non-persistent GradientTape can only be used to compute one set of gradients. "
                "Create the tape with GradientTape(persistent=True) to call gradient() several times.")
        self._used = True
        single = isinstance(sources, Tensor)
        flat = [sources] if single else list(sources)
        # __exit__ unmarked the watched tensors; the vjps read the marks, so restore them meanwhile.
        for t in self._watched:
            t.requires_grad = True
        try:
            with flush_denormals():
                grads = backward(target, flat, output_gradients, on_ready)
        finally:
            for t in self._watched:
                t.requires_grad = self._recording or getattr(t, "trainable", False)
        out = [None if g is None else Tensor(g) for g in grads]
        return out[0] if single else out


class _Paused:
    def __enter__(self):
        self._depth = _Recording.depth
        _Recording.depth = 0

    def __exit__(self, *exc):
        _Recording.depth = self._depth
        return False


def unbroadcast(grad, shape):
    """Sums `grad` over the axes that broadcasting added or stretched, giving `shape`."""
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    if extra:
        grad = grad.sum(axis=tuple(range(extra)))
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if stretched:
        grad = grad.sum(axis=stretched, keepdims=True)
    return grad


def _topological_order(target):
    """Nodes that need a gradient, each after all of its parents (iterative DFS)."""
    order, seen = [], {id(target)}
    stack = [(target, iter(target._parents))]
    while stack:
        node, parents = stack[-1]
        for p in parents:
            if p.requires_grad and id(p) not in seen:
                seen.add(id(p))
                stack.append((p, iter(p._parents)))
                break
        else:
            stack.pop()
            order.append(node)
    return order


class Donated:
    """A gradient a vjp has just allocated and gives away: the op that receives it may overwrite it.

    A vjp returns `Donated(array)` in place of an array that nothing else references (not its
    incoming gradient, not a view of it, nothing the op keeps). The tape unwraps it; when the array
    then reaches the parent's vjp unshared (no other gradient added to it, not a requested result),
    `overwritable(g)` is True there, and that vjp may compute in place: the relu mask of a Conv or
    Dense layer multiplies the max-pooling gradient where it lies instead of into a new array.

    Example:
        >>> import numpy as np
        >>> Donated(np.zeros(3)).array.shape
        (3,)
    """
    __slots__ = ("array",)

    def __init__(self, array):
        self.array = array


class _OwnedGradients(threading.local):
    """Per thread: for each running vjp, the gradient it may overwrite, or None.

    Per thread because backward passes in two threads run at once; a shared stack would let one
    thread pop the other's entry, or let a vjp overwrite a gradient that belongs to another pass.
    """

    def __init__(self):
        self.stack = []


_owned_gradients = _OwnedGradients()


def overwritable(g):
    """Whether the running vjp owns its incoming gradient `g` and may write into it."""
    stack = _owned_gradients.stack
    return bool(stack) and stack[-1] is g


def backward(target, sources, output_gradient=None, on_ready=None):
    """Returns the arrays d(target)/d(source), None for sources target does not depend on.

    `on_ready(index, array)`, when given, is called for each connected source as soon as its
    gradient is final: a node is walked only after every node that consumed it.
    """
    if not isinstance(target, Tensor):
        raise TypeError(f"gradient target must be a Tensor. Received: {type(target).__name__}.")
    wanted = {}  # id -> every position of that source (a source may be listed twice)
    for i, s in enumerate(sources):
        wanted.setdefault(id(s), []).append(i)
    result = [None] * len(sources)
    if not target.requires_grad:
        return result
    seed = xp.ones_like(target.data) if output_gradient is None else xp.asarray(
        unwrap(output_gradient), dtype=target.data.dtype)
    grads = {id(target): seed}
    owned = set()  # nodes whose pending gradient nothing else references (see Donated)
    owned_stack = _owned_gradients.stack
    for node in reversed(_topological_order(target)):
        key = id(node)
        g = grads.pop(key, None)
        if g is None:
            continue
        positions = wanted.get(key)
        if positions is not None:
            for i in positions:
                result[i] = g
                if on_ready is not None:
                    on_ready(i, g)
        vjp = node._vjp
        if vjp is None:
            continue
        owned_stack.append(g if positions is None and key in owned else None)
        try:
            parent_grads = vjp(g)
        finally:
            owned_stack.pop()
        for parent, pg in zip(node._parents, parent_grads):
            donated = type(pg) is Donated
            if donated:
                pg = pg.array
            if pg is None or not parent.requires_grad:
                continue
            if pg.shape != parent.data.shape:
                pg = unbroadcast(pg, parent.data.shape)
            key = id(parent)
            if key in grads:
                held = grads[key]
                if key in owned and held.dtype == pg.dtype and getattr(held, "ndim", 0) \
                        and getattr(held.flags, "writeable", True):
                    xp.add(held, pg, out=held)  # nothing else holds it: add in place, no new array
                else:
                    grads[key] = held + pg  # a new array: its owner's alone
                    owned.add(key)
            else:
                grads[key] = pg
                (owned.add if donated else owned.discard)(key)
    return result
