"""CTC: the loss against a brute-force sum over every alignment, its gradient against finite differences
in float64, and both decoders against hand-checked and exhaustive answers."""
import itertools

import numpy as np
import pytest

from numkeras.engine.ctc_ops import ctc_decode, ctc_loss
from numkeras.engine.gradient_check import check_float32, check_gradients


def _log_softmax(z):
    z = z - z.max(-1, keepdims=True)
    return z - np.log(np.exp(z).sum(-1, keepdims=True))


def _collapse(path, blank):
    out = []
    for i, c in enumerate(path):
        if c != blank and (i == 0 or c != path[i - 1]):
            out.append(c)
    return tuple(out)


def brute_force_nll(labels, logits, blank=0):
    """-log of the summed probability of every frame-by-frame path that collapses to `labels`."""
    logp = _log_softmax(np.asarray(logits, "float64"))
    frames, classes = logp.shape
    total = [sum(logp[t, c] for t, c in enumerate(path)) for path in itertools.product(range(classes), repeat=frames)
             if _collapse(path, blank) == tuple(labels)]
    return -np.logaddexp.reduce(total) if total else np.inf


CASES = [  # labels, frames, classes, blank
    ((1, 2), 4, 3, 0), ((1, 1), 4, 3, 0), ((2,), 3, 3, 0), ((), 3, 3, 0), ((1, 2, 1), 5, 3, 0),
    ((0, 1), 4, 3, 2), ((1, 1, 1), 5, 2, 0),
]


@pytest.mark.parametrize("labels, frames, classes, blank", CASES)
def test_the_loss_is_the_sum_over_every_alignment(labels, frames, classes, blank):
    rng = np.random.default_rng(len(labels) + frames)
    logits = rng.normal(size=(1, frames, classes))
    padded = np.zeros((1, 4), "int64")
    padded[0, :len(labels)] = labels
    got = ctc_loss(padded, logits, [len(labels)], [frames], mask_index=blank).numpy()
    np.testing.assert_allclose(got, [brute_force_nll(labels, logits[0], blank)], rtol=1e-10)


def test_lengths_per_sample_ignore_padding_frames_and_labels():
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(3, 6, 4))
    target = np.array([[1, 2, 2], [3, 0, 0], [1, 1, 3]])
    target_length, output_length = np.array([3, 1, 2]), np.array([6, 4, 5])
    got = ctc_loss(target, logits, target_length, output_length).numpy()
    want = [brute_force_nll(target[b, :target_length[b]], logits[b, :output_length[b]]) for b in range(3)]
    np.testing.assert_allclose(got, want, rtol=1e-10)


def test_the_gradient_matches_finite_differences_in_float64():
    rng = np.random.default_rng(1)
    target = np.array([[1, 2, 2], [3, 0, 0], [1, 1, 0], [2, 3, 1]])
    check_gradients(lambda z: ctc_loss(target, z, [3, 1, 2, 0], [6, 4, 5, 3]), rng.normal(size=(4, 6, 4)))
    check_gradients(lambda z: ctc_loss([[0, 1]], z, [2], [5], mask_index=2), rng.normal(size=(1, 5, 3)))


def test_long_sequences_stay_finite_where_probabilities_underflow():
    rng = np.random.default_rng(2)
    logits = (rng.normal(size=(1, 400, 20)) * 10).astype("float32")
    labels = rng.integers(1, 20, size=(1, 150))
    loss = ctc_loss(labels, logits, [150], [400]).numpy()
    assert loss.dtype == np.float32 and np.isfinite(loss).all() and loss[0] > 1000  # exp(-loss) is 0 in float64
    check_float32(lambda z: ctc_loss(labels[:, :3], z, [3], [10]), logits[:, :10, :])


def test_an_impossible_labelling_has_infinite_loss_and_zero_gradient():
    from numkeras.engine.tape import GradientTape
    from numkeras.engine.variable import Variable
    z = Variable(np.zeros((1, 2, 3)))
    with GradientTape() as tape:
        loss = ctc_loss([[1, 1]], z, [2], [2])  # a repeat needs a blank between: 3 frames at least
    assert np.isinf(loss.numpy()).all()
    assert (tape.gradient(loss, [z])[0].numpy() == 0).all()


def test_bad_arguments_say_what_was_received():
    with pytest.raises(ValueError, match=r"output must be logits of shape \(batch, frames, num_classes\)"):
        ctc_loss([[1]], np.zeros((2, 3)), [1], [2])
    with pytest.raises(ValueError, match="target_length must be in"):
        ctc_loss([[1]], np.zeros((1, 2, 3)), [2], [2])
    with pytest.raises(ValueError, match="mask_index must be a class index"):
        ctc_loss([[1]], np.zeros((1, 2, 3)), [1], [2], mask_index=3)


def test_greedy_decoding_merges_repeats_drops_blanks_and_scores_the_best_logits():
    logits = np.log(np.array([[[0.1, 0.8, 0.1], [0.1, 0.8, 0.1], [0.8, 0.1, 0.1], [0.1, 0.7, 0.2],
                                [0.1, 0.1, 0.8]]]))
    decoded, scores = ctc_decode(logits, [5])
    assert decoded.numpy().tolist() == [[[1, 1, 2, -1, -1]]]
    np.testing.assert_allclose(scores.numpy(), [[-np.log([0.8, 0.8, 0.8, 0.7, 0.8]).sum()]])  # -sum(max logit)
    unmerged, _ = ctc_decode(logits, [5], merge_repeated=False)
    assert unmerged.numpy().tolist() == [[[1, 1, 1, 2, -1]]]
    short, _ = ctc_decode(logits, [2])  # frames past the length do not count
    assert short.numpy().tolist() == [[[1, -1, -1, -1, -1]]]


def test_beam_search_finds_the_most_probable_labelling_where_greedy_does_not():
    # Greedy picks the blank at every frame (empty output), but "1" is likelier summed over its paths.
    p = np.array([[0.4, 0.3, 0.3], [0.4, 0.3, 0.3]])
    logits = np.log(p)[None]
    greedy, _ = ctc_decode(logits, [2])
    assert greedy.numpy().tolist() == [[[-1, -1]]]
    decoded, scores = ctc_decode(logits, [2], strategy="beam_search", beam_width=10, top_paths=3)
    # Exhaustively: every labelling's probability is the sum over its paths.
    totals = {}
    for path in itertools.product(range(3), repeat=2):
        key = _collapse(path, 0)
        totals[key] = totals.get(key, 0.0) + p[0, path[0]] * p[1, path[1]]
    ranked = sorted(totals.items(), key=lambda kv: -kv[1])[:3]
    got = [tuple(c for c in decoded.numpy()[k, 0] if c >= 0) for k in range(3)]
    assert set(got) == {k for k, _ in ranked}
    np.testing.assert_allclose(np.sort(scores.numpy()[0])[::-1], np.log([v for _, v in ranked]), rtol=1e-6)
    assert decoded.shape == (3, 1, 2) and scores.shape == (1, 3)


def test_decode_errors_name_the_strategy():
    with pytest.raises(ValueError, match="strategy must be 'greedy' or 'beam_search'"):
        ctc_decode(np.zeros((1, 2, 3)), [2], strategy="best")
    with pytest.raises(ValueError, match="top_paths <= beam_width"):
        ctc_decode(np.zeros((1, 2, 3)), [2], strategy="beam_search", beam_width=2, top_paths=3)


def test_a_beam_wide_enough_is_exact():
    rng = np.random.default_rng(3)
    logits = rng.normal(0.0, 1.5, size=(2, 5, 3))
    decoded, scores = ctc_decode(logits, [5, 4], strategy="beam_search", beam_width=500, top_paths=4)
    for b, frames in enumerate([5, 4]):
        p = np.exp(_log_softmax(logits[b, :frames]))
        totals = {}
        for path in itertools.product(range(3), repeat=frames):
            key = _collapse(path, 0)
            totals[key] = totals.get(key, 0.0) + np.prod(p[np.arange(frames), path])
        ranked = sorted(totals.items(), key=lambda kv: -kv[1])[:4]
        assert [tuple(c for c in decoded.numpy()[k, b] if c >= 0) for k in range(4)] == [k for k, _ in ranked]
        np.testing.assert_allclose(scores.numpy()[b], np.log([v for _, v in ranked]), rtol=1e-6)
