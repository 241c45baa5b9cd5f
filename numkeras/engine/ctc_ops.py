"""Connectionist temporal classification: the CTC loss (a primitive with its own gradient) and decoding.

`ctc_loss` sums, in log space, the probability of every alignment of a label sequence to the
frames of a model's output (the forward-backward algorithm of Graves et al., 2006). The labels
are extended with a blank (`mask_index`) before, between and after them: `a b` -> `_ a _ b _`.
`alpha[t, s]` is the log-probability of the frames up to `t` ending in extended position `s`,
`beta[t, s]` that of the frames from `t` on starting there; their sum, less the frame's own
log-probability, is the log-probability that frame `t` is in position `s`. The gradient with
respect to the logits is then `softmax - occupancy` on each frame, with no second pass.

Every sum of probabilities is a log-sum-exp against the running maximum, so long sequences
neither underflow nor overflow. A label sequence no alignment can produce (too few frames for
its labels and repeats) has an infinite loss and a zero gradient.

Example:
    >>> import numpy as np
    >>> logits = np.zeros((1, 3, 3), "float32")  # 3 frames, blank + 2 classes, all equally likely
    >>> loss = ctc_loss([[1, 2]], logits, [2], [3])
    >>> round(float(loss.numpy()[0]), 4)  # 5 alignments of "1 2" in 3 frames, each (1/3)**3
    1.6864
"""
import numpy as np

from numkeras.backend import errstate as _errstate
from numkeras.engine.tensor import Tensor, as_tensor, make, unwrap

_NEG_INF = -np.inf


def ctc_loss(target, output, target_length, output_length, mask_index=0):
    """The negative log-likelihood of each label sequence under the CTC model, differentiable in `output`.

    Args:
        target: integer labels, shape `(batch, max_label_length)`; entries past
            `target_length` are ignored.
        output: logits (not softmaxed), shape `(batch, max_frames, num_classes)`.
        target_length: the number of labels of each sample, shape `(batch,)`.
        output_length: the number of frames of each sample, shape `(batch,)`.
        mask_index: the class used as the blank. Defaults to 0.

    Returns:
        A Tensor of shape `(batch,)` in `output`'s float dtype (float32 for integers).
    """
    z = as_tensor(output)
    if z.data.dtype.kind != "f":
        z = Tensor(z.data.astype("float32"))
    logits = z.data
    labels = np.asarray(unwrap(target)).astype("int64")
    label_lengths = np.asarray(unwrap(target_length)).astype("int64").reshape(-1)
    frames = np.asarray(unwrap(output_length)).astype("int64").reshape(-1)
    _check(labels, logits, label_lengths, frames, mask_index)
    batch, max_frames, num_classes = logits.shape
    dtype = logits.dtype

    shifted = logits - logits.max(axis=-1, keepdims=True)
    log_total = np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    logprobs = shifted - log_total  # log_softmax

    # The extended labels `_ l1 _ l2 _ ... _`, padded with blanks past each sample's 2L + 1 positions.
    width = 2 * labels.shape[1] + 1
    ext = np.full((batch, width), mask_index, dtype="int64")
    ext[:, 1::2] = labels
    positions = np.arange(width)
    ext[positions[None, :] >= 2 * label_lengths[:, None] + 1] = mask_index
    # A label may be reached from two positions back when it differs from the label there (no blank needed).
    skip = np.zeros((batch, width), dtype=bool)
    skip[:, 2:] = (ext[:, 2:] != mask_index) & (ext[:, 2:] != ext[:, :-2])
    emit = np.take_along_axis(logprobs, np.broadcast_to(ext[:, None, :], (batch, max_frames, width)), axis=2)

    alpha = _forward(emit, skip, frames)
    beta = _backward(emit, skip, frames, 2 * label_lengths + 1)
    last = np.maximum(frames - 1, 0)
    rows = np.arange(batch)
    ends = np.stack([alpha[rows, last, 2 * label_lengths], np.where(
        label_lengths > 0, alpha[rows, last, np.maximum(2 * label_lengths - 1, 0)], _NEG_INF)], axis=1)
    log_likelihood = _logsumexp(ends, axis=1)
    log_likelihood = np.where(frames > 0, log_likelihood, np.where(label_lengths == 0, 0.0, _NEG_INF))
    loss = (-log_likelihood).astype(dtype)

    def vjp(g):
        feasible = np.isfinite(log_likelihood)
        with _errstate(invalid="ignore", over="ignore"):
            occupancy = np.exp(alpha + beta - emit - np.where(feasible, log_likelihood, 0.0)[:, None, None])
        occupancy[~np.isfinite(occupancy)] = 0.0
        in_frame = (np.arange(max_frames)[None, :] < frames[:, None]) & feasible[:, None]
        per_class = np.zeros((batch, max_frames, num_classes), dtype=dtype)
        for b in range(batch):  # positions sharing a class add up: a scatter-add over the class axis
            np.add.at(per_class[b].T, ext[b], occupancy[b].T)
        grad = (np.exp(logprobs) - per_class) * in_frame[:, :, None]
        return (grad * np.asarray(g, dtype=dtype).reshape(batch, 1, 1),)
    return make(loss, (z,), vjp)


def _check(labels, logits, label_lengths, frames, mask_index):
    if logits.ndim != 3:
        raise ValueError(f"ctc_loss: output must be logits of shape (batch, frames, num_classes). Received: output "
                         f"with shape {logits.shape}.")
    if labels.ndim != 2 or labels.shape[0] != logits.shape[0]:
        raise ValueError(f"ctc_loss: target must be integer labels of shape (batch, max_label_length) with the "
                         f"output's batch size {logits.shape[0]}. Received: target with shape {labels.shape}.")
    if label_lengths.shape != (logits.shape[0],) or frames.shape != (logits.shape[0],):
        raise ValueError(f"ctc_loss: target_length and output_length need one entry per sample ({logits.shape[0]}). "
                         f"Received: shapes {label_lengths.shape} and {frames.shape}.")
    if (label_lengths < 0).any() or (label_lengths > labels.shape[1]).any() or (frames < 0).any() or \
            (frames > logits.shape[1]).any():
        raise ValueError(f"ctc_loss: target_length must be in [0, {labels.shape[1]}] and output_length in "
                         f"[0, {logits.shape[1]}]. Received: target_length={label_lengths.tolist()}, "
                         f"output_length={frames.tolist()}.")
    if not 0 <= mask_index < logits.shape[2]:
        raise ValueError(f"ctc_loss: mask_index must be a class index in [0, {logits.shape[2]}). Received: "
                         f"mask_index={mask_index}.")


def _logsumexp(stack, axis):
    peak = stack.max(axis=axis, keepdims=True)
    safe = np.where(np.isfinite(peak), peak, 0.0)
    with _errstate(divide="ignore"):
        out = np.log(np.exp(stack - safe).sum(axis=axis, keepdims=True)) + safe
    return np.squeeze(np.where(np.isfinite(peak), out, peak), axis=axis)


def _shift(x, k):
    """`x` moved `k` positions to the right along the last axis, -inf coming in."""
    out = np.full_like(x, _NEG_INF)
    out[:, k:] = x[:, :-k] if k < x.shape[1] else out[:, k:]
    return out


def _forward(emit, skip, frames):
    batch, max_frames, width = emit.shape
    alpha = np.full((batch, max_frames, width), _NEG_INF, dtype=emit.dtype)
    if max_frames == 0:
        return alpha
    alpha[:, 0, :2] = emit[:, 0, :2]
    for t in range(1, max_frames):
        prev = alpha[:, t - 1]
        paths = np.stack([prev, _shift(prev, 1), np.where(skip, _shift(prev, 2), _NEG_INF)])
        alpha[:, t] = np.where((t < frames)[:, None], _logsumexp(paths, axis=0) + emit[:, t], _NEG_INF)
    return alpha


def _backward(emit, skip, frames, widths):
    batch, max_frames, width = emit.shape
    beta = np.full((batch, max_frames, width), _NEG_INF, dtype=emit.dtype)
    positions = np.arange(width)[None, :]
    last_two = (positions == widths[:, None] - 1) | (positions == widths[:, None] - 2)
    skip_from = np.zeros_like(skip)
    skip_from[:, :-2] = skip[:, 2:]  # position s may jump to s + 2
    for t in range(max_frames - 1, -1, -1):
        start = np.where(last_two, emit[:, t], _NEG_INF)
        if t + 1 < max_frames:
            nxt = beta[:, t + 1]
            ahead = np.full_like(nxt, _NEG_INF)
            ahead[:, :-1] = nxt[:, 1:]
            jump = np.full_like(nxt, _NEG_INF)
            jump[:, :-2] = nxt[:, 2:]
            inner = _logsumexp(np.stack([nxt, ahead, np.where(skip_from, jump, _NEG_INF)]), axis=0) + emit[:, t]
        else:
            inner = start
        beta[:, t] = np.where((t == frames - 1)[:, None], start, np.where((t < frames - 1)[:, None], inner, _NEG_INF))
    return beta


def ctc_decode(inputs, sequence_lengths, strategy="greedy", beam_width=100, top_paths=1, merge_repeated=True,
               mask_index=0):
    """Decodes CTC outputs into label sequences: the best path (greedy) or a prefix beam search.

    Args:
        inputs: logits, shape `(batch, max_frames, num_classes)` (not softmaxed).
        sequence_lengths: the number of frames of each sample, shape `(batch,)`.
        strategy: "greedy" (the most likely class per frame, repeats merged and blanks
            dropped) or "beam_search". Defaults to "greedy".
        beam_width: the number of prefixes the beam search keeps. Defaults to 100.
        top_paths: the number of sequences the beam search returns. Defaults to 1.
        merge_repeated: greedy only: merge runs of the same class. Defaults to True.
        mask_index: the blank class. Defaults to 0.

    Returns:
        `(decoded, scores)`: `decoded` an int32 Tensor of shape `(top_paths, batch, max_frames)`
        (1 path for greedy), each sequence at the front, padded with -1; `scores` of shape
        `(batch, top_paths)`: for greedy the negated sum of each frame's largest logit, for the
        beam search each sequence's log-probability.

    Example:
        >>> logits = np.log(np.array([[[0.1, 0.8, 0.1], [0.1, 0.8, 0.1], [0.8, 0.1, 0.1], [0.1, 0.1, 0.8]]]))
        >>> decoded, _ = ctc_decode(logits, [4])
        >>> decoded.numpy().tolist()
        [[[1, 2, -1, -1]]]
    """
    logits = np.asarray(unwrap(inputs))
    logits = logits.astype("float32") if logits.dtype.kind != "f" else logits
    lengths = np.asarray(unwrap(sequence_lengths)).astype("int64").reshape(-1)
    if logits.ndim != 3 or lengths.shape != (logits.shape[0],):
        raise ValueError(f"ctc_decode: inputs must have shape (batch, frames, num_classes) and sequence_lengths "
                         f"(batch,). Received: shapes {logits.shape} and {lengths.shape}.")
    if strategy == "greedy":
        return _greedy(logits, lengths, merge_repeated, mask_index)
    if strategy == "beam_search":
        if beam_width < 1 or top_paths < 1 or top_paths > beam_width:
            raise ValueError(f"ctc_decode: need 1 <= top_paths <= beam_width. Received: top_paths={top_paths}, "
                             f"beam_width={beam_width}.")
        return _beam_search(logits, lengths, beam_width, top_paths, mask_index)
    raise ValueError(f"ctc_decode: strategy must be 'greedy' or 'beam_search'. Received: strategy={strategy!r}.")


def _pack(sequences, max_frames):
    out = np.full((len(sequences), max_frames), -1, dtype="int32")
    for i, seq in enumerate(sequences):
        out[i, :len(seq)] = seq
    return out


def _greedy(logits, lengths, merge_repeated, mask_index):
    batch, max_frames, _ = logits.shape
    best = logits.argmax(axis=-1)
    in_frame = np.arange(max_frames)[None, :] < lengths[:, None]
    scores = -np.where(in_frame, logits.max(axis=-1), 0.0).sum(axis=1, keepdims=True)
    best = np.where(in_frame, best, mask_index)
    keep = best != mask_index
    if merge_repeated:
        keep[:, 1:] &= best[:, 1:] != best[:, :-1]
    decoded = _pack([row[k] for row, k in zip(best, keep)], max_frames)
    return Tensor(decoded[None]), Tensor(scores.astype(logits.dtype))


def _beam_search(logits, lengths, beam_width, top_paths, mask_index):
    batch, max_frames, _ = logits.shape
    shifted = logits - logits.max(axis=-1, keepdims=True)
    logprobs = (shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))).astype("float64")
    paths, scores = [], []
    for b in range(batch):
        best = _prefix_beam_search(logprobs[b, :lengths[b]], beam_width, mask_index)[:top_paths]
        best += [((), _NEG_INF)] * (top_paths - len(best))
        paths.append([p for p, _ in best])
        scores.append([s for _, s in best])
    decoded = np.stack([_pack([paths[b][k] for b in range(batch)], max_frames) for k in range(top_paths)])
    return Tensor(decoded), Tensor(np.asarray(scores, dtype=logits.dtype))


def _prefix_beam_search(logprobs, beam_width, blank):
    """The CTC prefix beam search over one sample's frames: [(prefix, log-probability)], best first.

    Each prefix carries two log-probabilities: of the frames so far ending in a blank, and
    ending in its last label; a repeated label needs a blank between its two emissions. Each
    frame scores every beam grown by every class at once (a beams x classes array), merges
    the grown prefixes that are already beams, and keeps the `beam_width` best.
    """
    prefixes, p_blank, p_label = [()], np.array([0.0]), np.array([_NEG_INF])
    classes = np.arange(logprobs.shape[1])
    for frame in logprobs:
        total = np.logaddexp(p_blank, p_label)
        last = np.array([p[-1] if p else -1 for p in prefixes])
        stay_blank = total + frame[blank]  # the prefix stays: a blank, ...
        stay_label = np.where(last >= 0, p_label + frame[np.maximum(last, 0)], _NEG_INF)  # ... or its last label again
        # The prefix grows by a class: a repeat of its last label only after a blank.
        grow = np.where(classes[None, :] == last[:, None], p_blank[:, None], total[:, None]) + frame[None, :]
        grow[:, blank] = _NEG_INF
        index = {p: i for i, p in enumerate(prefixes)}
        for j, p in enumerate(prefixes):  # a grown prefix that is already a beam adds to that beam
            if p and p[:-1] in index:
                i = index[p[:-1]]
                stay_label[j] = np.logaddexp(stay_label[j], grow[i, p[-1]])
                grow[i, p[-1]] = _NEG_INF
        scores = np.concatenate([np.logaddexp(stay_blank, stay_label), grow.ravel()])
        keep = max(min(beam_width, int(np.isfinite(scores).sum())), 1)
        top = np.argpartition(-scores, keep - 1)[:keep] if keep < scores.size else np.arange(scores.size)
        top = top[np.argsort(-scores[top], kind="stable")]
        count, flat_grow = len(prefixes), grow.ravel()
        prefixes = [prefixes[k] if k < count else prefixes[(k - count) // len(classes)] + ((k - count) % len(classes),)
                    for k in top.tolist()]
        p_blank = np.array([stay_blank[k] if k < count else _NEG_INF for k in top.tolist()])
        p_label = np.array([stay_label[k] if k < count else flat_grow[k - count] for k in top.tolist()])
    scores = np.logaddexp(p_blank, p_label)
    order = np.argsort(-scores, kind="stable")
    return [(prefixes[i], float(scores[i])) for i in order]
