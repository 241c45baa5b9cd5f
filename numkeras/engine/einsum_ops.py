"""einsum: Einstein summation over any number of operands, and its gradient.

For `out = einsum("ab,bc->ac", x, y)` the gradient of each operand is again
an einsum: the output's gradient contracted with the other operands, written
to the operand's own subscripts (`"ac,bc->ab"` for `x`). A letter that only
that operand has (summed away inside it) comes back by broadcasting.

Two operands without `...` (every EinsumDense and MultiHeadAttention
product) run as one batched `matmul` after transposes and reshapes, so BLAS
does the work; anything else runs `numpy.einsum` with an optimized path.
Repeated subscripts inside one operand (a diagonal, `"ii->i"`) are refused.

Example:
    >>> from numkeras.engine import einsum_ops
    >>> einsum_ops.einsum("ij,jk->ik", [[1.0, 2.0]], [[3.0], [4.0]]).numpy()
    array([[11.]], dtype=float32)
"""
import math

from numkeras.backend import xp
from numkeras.engine import pooled_matmul
from numkeras.engine.tape import Donated
from numkeras.engine.tensor import as_tensor, make


def einsum(equation, *operands):
    if not isinstance(equation, str):
        raise TypeError(f"einsum: the equation must be a string such as 'ij,jk->ik'. "
                        f"Received: equation={equation!r}.")
    if not operands:
        raise ValueError(f"einsum: no operands for equation {equation!r}. Pass one array per comma-separated term.")
    tensors = [as_tensor(x) for x in operands]
    specs, out_spec = _parse(equation, [t.ndim for t in tensors])
    out = _contract(specs, out_spec, [t.data for t in tensors])

    def vjp(g):
        return _operand_gradients(g, out_spec, specs, tensors)
    return make(out, tuple(tensors), vjp)


def einsum_bias(equation, x, kernel, bias):
    """`einsum(equation, x, kernel) + bias` as one node: EinsumDense's core.

    The bias is added where the product lies (a fresh array only this op holds) instead of into a
    third array; its gradient is the output's, which the tape sums over the axes `bias` broadcasts
    along. `x`'s gradient is a fresh array the tape may add other gradients into (`tape.Donated`).
    """
    x, kernel, bias = as_tensor(x), as_tensor(kernel), as_tensor(bias)
    tensors = (x, kernel)
    specs, out_spec = _parse(equation, [x.ndim, kernel.ndim])
    out = _contract(specs, out_spec, [x.data, kernel.data])
    if xp.result_type(out, bias.data) == out.dtype and out.flags.writeable:
        out += bias.data
    else:
        out = out + bias.data

    def vjp(g):
        dx, dkernel = _operand_gradients(g, out_spec, specs, tensors)
        return (None if dx is None else Donated(dx), dkernel, g if bias.requires_grad else None)
    return make(out, (x, kernel, bias), vjp)


def _operand_gradients(g, out_spec, specs, tensors):
    """Each operand's gradient (None where it needs none) from the output's gradient `g`."""
    grads = []
    for i, t in enumerate(tensors):
        if not t.requires_grad:
            grads.append(None)
            continue
        others = [(s, u.data) for j, (s, u) in enumerate(zip(specs, tensors)) if j != i]
        grads.append(_operand_gradient(g, out_spec, others, specs[i], t.data.shape))
    return tuple(grads)


def _operand_gradient(g, out_spec, others, spec, shape):
    """The gradient of the operand with subscripts `spec`: `g` contracted with the other operands."""
    present = set(out_spec).union(*(set(s) for s, _ in others))
    kept = "".join(c for c in spec if c in present or c == ".")
    grad = _contract([out_spec] + [s for s, _ in others], kept, [g] + [a for _, a in others])
    if kept != spec:  # letters summed inside this operand only: every element gets the same gradient
        if "." in spec:  # rare: let numpy.einsum broadcast with a vector of ones per missing letter
            missing = [c for c in spec if c not in present and c != "."]
            sizes = _sizes([spec], [xp.empty(shape, dtype="bool")])
            ones = [xp.ones(sizes[c], dtype=g.dtype) for c in missing]
            return xp.einsum(",".join([kept] + missing) + "->" + spec, grad, *ones)
        grad = grad.reshape([shape[k] if c in present else 1 for k, c in enumerate(spec)])
        grad = xp.broadcast_to(grad, shape)
    return grad


def _parse(equation, ndims):
    """Returns (subscripts of each operand, subscripts of the output), validated, '...' kept as '...'."""
    eq = equation.replace(" ", "")
    lhs, arrow, rhs = eq.partition("->")
    specs = lhs.split(",")
    if len(specs) != len(ndims):
        raise ValueError(f"einsum: equation {equation!r} has {len(specs)} operand term(s), but {len(ndims)} "
                         f"operand(s) were passed. Pass one array per comma-separated term.")
    for k, (spec, ndim) in enumerate(zip(specs, ndims)):
        letters = spec.replace("...", "")
        if not letters.isalpha() and letters or spec.count("...") > 1 or "." in letters:
            raise ValueError(f"einsum: operand {k}'s subscripts {spec!r} in {equation!r} must be letters, with at "
                             f"most one '...'.")
        if len(set(letters)) != len(letters):
            raise ValueError(f"einsum: operand {k}'s subscripts {spec!r} in {equation!r} repeat a letter (a "
                             f"diagonal), which numkeras's einsum does not support. Take the diagonal first, "
                             f"e.g. with ops.diagonal, and give each axis its own letter.")
        if len(letters) > ndim or ("..." not in spec and len(letters) != ndim):
            raise ValueError(f"einsum: operand {k} has {ndim} dimension(s), but its subscripts {spec!r} in "
                             f"{equation!r} name {len(letters)}. Give one letter per axis (or use '...').")
    if not arrow:  # implicit output: '...' first, then the letters used once, sorted
        counts = {}
        for c in "".join(specs).replace(".", ""):
            counts[c] = counts.get(c, 0) + 1
        rhs = ("..." if any("..." in s for s in specs) else "") + "".join(sorted(c for c, n in counts.items()
                                                                                   if n == 1))
    letters = rhs.replace("...", "")
    if (letters and not letters.isalpha()) or "." in letters or len(set(letters)) != len(letters):
        raise ValueError(f"einsum: the output subscripts {rhs!r} in {equation!r} must be distinct letters, with "
                         f"at most one '...'.")
    unknown = set(letters) - set("".join(specs))
    if unknown:
        raise ValueError(f"einsum: output subscript(s) {sorted(unknown)} in {equation!r} appear in no operand.")
    if any("..." in s for s in specs) and "..." not in rhs:
        raise ValueError(f"einsum: equation {equation!r} sums over '...'; numkeras's einsum needs '...' in the "
                         f"output too. Write the output with '...' and sum those axes afterwards.")
    return specs, rhs


def _sizes(specs, arrays):
    sizes = {}
    for spec, a in zip(specs, arrays):
        if "." not in spec:
            for c, n in zip(spec, a.shape):
                sizes[c] = n if sizes.get(c, 1) == 1 else sizes[c]
        else:
            head, _, tail = spec.partition("...")
            for c, n in zip(head, a.shape):
                sizes[c] = n if sizes.get(c, 1) == 1 else sizes[c]
            for c, n in zip(tail, a.shape[a.ndim - len(tail):]):
                sizes[c] = n if sizes.get(c, 1) == 1 else sizes[c]
    return sizes


def _contract(specs, out_spec, arrays):
    """The einsum of plain arrays (the forward and every gradient go through here)."""
    if len(arrays) == 2 and "." not in "".join(specs) + out_spec:
        done = _as_matmul(specs[0], specs[1], out_spec, arrays[0], arrays[1])
        if done is not None:
            return done
    equation = ",".join(specs) + "->" + out_spec
    return xp.einsum(equation, *arrays, optimize=len(arrays) > 2 or "greedy")


def _as_matmul(sa, sb, so, a, b):
    """`einsum(f"{sa},{sb}->{so}", a, b)` as one batched matmul, or None when sizes broadcast."""
    # letters summed inside one operand only are summed first
    a, sa = _sum_own(a, sa, sb + so)
    b, sb = _sum_own(b, sb, sa + so)
    size = dict(zip(sa, a.shape))
    for c, n in zip(sb, b.shape):
        if size.setdefault(c, n) != n:
            return None  # a size-1 axis meets a longer one: numpy.einsum broadcasts it
    batch = [c for c in so if c in sa and c in sb]
    free_a = [c for c in so if c in sa and c not in sb]
    free_b = [c for c in so if c in sb and c not in sa]
    summed = [c for c in sa if c in sb and c not in so]
    a2 = a.transpose([sa.index(c) for c in batch + free_a + summed]).reshape(
        (_prod(batch, size), _prod(free_a, size), _prod(summed, size)))
    b2 = b.transpose([sb.index(c) for c in batch + summed + free_b]).reshape(
        (_prod(batch, size), _prod(summed, size), _prod(free_b, size)))
    # one product (no batch letters: EinsumDense, MultiHeadAttention's projections) may be shared by threads
    product = pooled_matmul.matmul(a2[0], b2[0])[None] if a2.shape[0] == 1 else xp.matmul(a2, b2)
    out = product.reshape([size[c] for c in batch + free_a + free_b])
    order = batch + free_a + free_b
    return out.transpose([order.index(c) for c in so])


def _sum_own(x, spec, others):
    own = [k for k, c in enumerate(spec) if c not in others]
    if not own:
        return x, spec
    return x.sum(axis=tuple(own)), "".join(c for c in spec if c in others)


def _prod(letters, size):
    return math.prod(size[c] for c in letters)
