"""rearrange: values against NumPy reshapes and transposes, gradients, and errors that say what to fix."""
import numpy as np
import pytest

from numkeras.engine.gradient_check import check_float32, check_gradients
from numkeras.ops import rearrange

X = np.random.default_rng(0).standard_normal((2, 4, 6, 3))
b, h, w, c = X.shape

CASES = [
    ("b h w c -> b c h w", {}, X.transpose(0, 3, 1, 2)),
    ("b h w c -> (b h) w c", {}, X.reshape(b * h, w, c)),
    ("b h w c -> h (b w) c", {}, X.transpose(1, 0, 2, 3).reshape(h, b * w, c)),
    ("b h w c -> b (c h w)", {}, X.transpose(0, 3, 1, 2).reshape(b, -1)),
    ("b (h1 h) (w1 w) c -> (b h1 w1) h w c", {"h1": 2, "w1": 3},
     X.reshape(b, 2, h // 2, 3, w // 3, c).transpose(0, 1, 3, 2, 4, 5).reshape(b * 6, h // 2, w // 3, c)),
    ("b (h h1) (w w1) c -> b h w (c h1 w1)", {"h1": 2, "w1": 2},
     X.reshape(b, h // 2, 2, w // 2, 2, c).transpose(0, 1, 3, 5, 2, 4).reshape(b, h // 2, w // 2, c * 4)),
    ("b h w c->b h w c", {}, X),
    ("(b1 b2) h w c -> b2 b1 (h w c)", {"b2": 1}, X.reshape(2, 1, h, w, c).transpose(1, 0, 2, 3, 4).reshape(1, 2, -1)),
]


@pytest.mark.parametrize("pattern,lengths,want", CASES, ids=[c[0] for c in CASES])
def test_rearrange(pattern, lengths, want):
    np.testing.assert_array_equal(rearrange(X, pattern, **lengths).numpy(), want)
    check_gradients(lambda a: rearrange(a, pattern, **lengths), X)
    assert check_float32(lambda a: rearrange(a, pattern, **lengths), X).shape == want.shape


@pytest.mark.parametrize("pattern,lengths,message", [
    ("b h w c", {}, "must have the form 'input axes -> output axes'"),
    ("b h w -> b h w", {}, "names 3 axes but the input has 4"),
    ("b h w c -> b h w", {}, "both sides must name the same axes"),
    ("b h h c -> b h c", {}, "axis 'h' appears twice on the input side"),
    ("b (h1 h) w c -> b h1 h w c", {}, "give the sizes of all but one of \\['h1', 'h'\\]"),
    ("b (h1 h) w c -> b h1 h w c", {"h1": 3}, "an axis of size 4 cannot be split into \\(h1 h\\)"),
    ("b h w c -> b h w c", {"z": 2}, "sizes were given for axes the pattern does not name: \\['z'\\]"),
    ("b h w c -> b h w c ...", {}, "unexpected '.' on the output side"),
])
def test_errors(pattern, lengths, message):
    with pytest.raises(ValueError, match=message):
        rearrange(X, pattern, **lengths)
