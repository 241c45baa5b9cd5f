"""print_summary: the table that `model.summary()` prints, as Keras 3 prints it.

Keras draws the table with the `rich` library; numkeras draws the same
characters with plain string formatting, as rich renders them when the
output is not a terminal (no colors or bold):

    Model: "sequential"
    ┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
    ┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
    ┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
    │ dense (Dense)                   │ (None, 10)             │         7,850 │
    └─────────────────────────────────┴────────────────────────┴───────────────┘
     Total params: 7,850 (30.66 KB)
     Trainable params: 7,850 (30.66 KB)
     Non-trainable params: 0 (0.00 B)

Example:
    >>> from numkeras import layers, models
    >>> from numkeras.utils import print_summary
    >>> model = models.Sequential([layers.Dense(10, input_shape=(784,))])
    >>> print_summary(model)
    Model: "sequential..."
    ┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
    ┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
    ┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
    │ dense...(Dense)...│ (None, 10)             │         7,850 │
    └─────────────────────────────────┴────────────────────────┴───────────────┘
     Total params: 7,850 (30.66 KB)
     Trainable params: 7,850 (30.66 KB)
     Non-trainable params: 0 (0.00 B)
"""
import math
import re
import shutil

import numpy as np

from numkeras.utils.progbar import print_msg

# Bits per element, by dtype name.
_DTYPE_BITS = {
    **{f"float{i}": i for i in (16, 32, 64)},
    **{f"int{i}": i for i in (8, 16, 32, 64)},
    **{f"uint{i}": i for i in (8, 16, 32, 64)},
    "bfloat16": 16,
    "bool": 1,
}


def count_params(weights):
    """Total number of scalars in `weights` (objects with a `.shape`)."""
    return int(sum(math.prod(w.shape) for w in weights))


def _dtype_name(dtype):
    name = getattr(dtype, "name", None)
    if isinstance(name, str):
        return name
    try:
        return np.dtype(dtype).name
    except TypeError:
        return str(dtype)


def weight_memory_size(weights):
    """Memory taken by `weights` in bytes, each weight counted once."""
    unique = {id(w): w for w in weights}.values()
    bits = 0
    for w in unique:
        dtype = _dtype_name(w.dtype)
        if dtype not in _DTYPE_BITS:
            raise ValueError(
                f"print_summary: cannot size a weight of dtype {dtype!r}. "
                f"Expected one of {sorted(_DTYPE_BITS)}.")
        bits += math.prod(w.shape) * _DTYPE_BITS[dtype]
    return bits / 8


def readable_memory_size(size):
    """`1.55 MB` from a size in bytes (binary units: 1 KB is 1024 B)."""
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if size / 1024 < 1:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} PB"


def _format_shape(shape):
    # Keras joins the dims itself, so a 1-D shape prints as `(None)`.
    return f"({', '.join(str(d) for d in shape)})"


def format_layer_shape(layer):
    """`(None, 512)` from the layer's `output_shape`, or `?` if unknown."""
    shape = getattr(layer, "output_shape", None)
    if shape is None:
        return "?"
    if isinstance(shape, (list, tuple)) and shape and all(
            isinstance(s, (list, tuple)) for s in shape):
        if len(shape) == 1:
            return _format_shape(shape[0])
        # Several outputs: Keras prints the structure of shapes.
        inner = ", ".join(_format_shape(s) for s in shape)
        return f"[{inner}]" if isinstance(shape, list) else f"({inner})"
    return _format_shape(shape)


def _param_field(layer):
    if not hasattr(layer, "built"):
        return "0"
    if not layer.built:
        return "0 (unbuilt)"
    return f"{layer.count_params():,}"


def get_layer_index_bound_by_layer_name(layers, layer_range=None):
    """`[first, last + 1]` indexes of the layers that `layer_range` selects.

    Args:
        layers: the list of layers.
        layer_range: None (all layers) or two regexes matched against layer
            names: the first layer matching the first, the last matching the
            second, both included.
    """
    if layer_range is None:
        return [0, len(layers)]
    if len(layer_range) != 2:
        raise ValueError(
            "print_summary: layer_range must be a list or tuple of two layer "
            f"names. Received: layer_range={layer_range} of length {len(layer_range)}.")
    if not all(isinstance(name, str) for name in layer_range):
        raise ValueError(
            "print_summary: layer_range must hold two strings (layer names or "
            f"regexes). Received: layer_range={layer_range}.")
    lower = [i for i, layer in enumerate(layers) if re.match(layer_range[0], layer.name)]
    upper = [i for i, layer in enumerate(layers) if re.match(layer_range[1], layer.name)]
    if not lower or not upper:
        raise ValueError(
            "print_summary: layer_range does not match the layer names of the "
            f"model. Received: layer_range={layer_range}; the layers are "
            f"{[layer.name for layer in layers]}.")
    if min(lower) > max(upper):
        return [min(upper), max(lower) + 1]
    return [min(lower), max(upper) + 1]


# --- The table, drawn as rich draws a Table(show_lines=True) with its default
# box (HEAVY_HEAD) and a one-space padding on each side of every cell.

def _ratio_reduce(total, values):
    """Takes `total` cells off `values`, spread evenly as rich does."""
    remaining, shares, result = total, len(values), []
    for value in values:
        cut = min(value, round(remaining / shares))
        result.append(value - cut)
        remaining -= cut
        shares -= 1
    return result


def _column_widths(column_widths, line_length):
    """Widths of the cells, padding included, borders excluded."""
    widths = [w + 2 for w in column_widths]
    available = line_length - (len(widths) + 1)
    if sum(widths) > available:
        widths = _ratio_reduce(sum(widths) - available, widths)
    return widths


def _break_points(text, width):
    """Where greedy word wrapping breaks `text`; long words are not split."""
    points, used = [], 0
    for match in re.finditer(r"\s*\S+\s*", text):
        word = match.group(0)
        length = len(word.rstrip())
        if width - used >= length:
            used += len(word)
        elif length > width or (used and match.start()):
            if match.start():
                points.append(match.start())
            used = len(word)
    return points


def _truncate(line, width):
    return line[:width - 1] + "…" if len(line) > width else line


def _wrap(text, width, justify):
    """The lines of one cell: wrapped, justified, overflow shown as `…`."""
    lines = []
    for paragraph in text.split("\n"):
        points = [0] + _break_points(paragraph, width) + [len(paragraph)]
        for start, end in zip(points, points[1:]):
            line = paragraph[start:end]
            if len(line) > width:  # drop trailing spaces past the width
                excess = len(line) - width
                spaces = len(line) - len(line.rstrip())
                line = line[:len(line) - min(spaces, excess)]
            if justify != "left":
                line = line.rstrip()
            line = _truncate(line, width)
            gap = width - len(line)
            if justify == "right":
                line = " " * gap + line
            elif justify == "center":
                line = " " * (gap // 2) + line + " " * (gap - gap // 2)
            else:
                line += " " * gap
            lines.append(line)
    return lines


def _render_row(fields, widths, justify, edge, bottom=False):
    """The lines of one row; short cells are topped up with blank lines
    below them, or above them in the header (`bottom=True`)."""
    cells = []
    for field, width, how in zip(fields, widths, justify):
        # A cell too narrow for its padding stays blank.
        lines = _wrap(str(field), width - 2, how) if width > 2 else [""]
        cells.append([f" {line} " if line else " " * width for line in lines])
    height = max(len(c) for c in cells)
    columns = []
    for cell, width in zip(cells, widths):
        blank = [" " * width] * (height - len(cell))
        columns.append(blank + cell if bottom else cell + blank)
    return [edge + edge.join(c[i] for c in columns) + edge for i in range(height)]


def _render_table(header, rows, column_widths, justify, line_length):
    widths = _column_widths(column_widths, line_length)

    def rule(left, fill, mid, right):
        return left + mid.join(fill * w for w in widths) + right

    lines = [rule("┏", "━", "┳", "┓")]
    lines += _render_row(header, widths, justify, "┃", bottom=True)
    lines.append(rule("┡", "━", "╇", "┩"))
    for i, row in enumerate(rows):
        if i:
            lines.append(rule("├", "─", "┼", "┤"))
        lines += _render_row(row, widths, justify, "│")
    lines.append(rule("└", "─", "┴", "┘"))
    return lines


def print_summary(model, line_length=None, positions=None, print_fn=None,
                  expand_nested=False, show_trainable=False, layer_range=None):
    """Prints a summary of a model: its layers, their shapes and parameters.

    Args:
        model: the model (a Sequential or any model with `layers`).
        line_length: total width of the table. Defaults to 88, or the
            terminal's width less 4 if that is smaller.
        positions: right edges of the columns, as fractions of the line.
            Defaults to `[0.45, 0.80, 1.0]`.
        print_fn: function called with the whole summary text. Defaults to
            printing it to stdout.
        expand_nested: whether to list the layers of nested models too.
            Defaults to False.
        show_trainable: whether to add a column telling if each layer is
            trainable. Defaults to False.
        layer_range: two layer names (or regexes), both included, to print
            only that part of the model. Defaults to None (all layers).

    Example:
        >>> from numkeras import layers, models
        >>> model = models.Sequential([layers.Dense(2, input_shape=(3,))])
        >>> print_summary(model, line_length=60)
        Model: "sequential..."
        ...
         Total params: 8 (32.00 B)
         Trainable params: 8 (32.00 B)
         Non-trainable params: 0 (0.00 B)
    """
    default_line_length = 88
    positions = list(positions or [0.45, 0.80, 1.0])
    header = ["Layer (type)", "Output Shape", "Param #"]
    justify = ["left", "left", "right"]
    if show_trainable:
        default_line_length += 12
        positions = [p * 0.90 for p in positions] + [1.0]
        header.append("Trainable")
        justify.append("center")

    default_line_length = min(default_line_length, shutil.get_terminal_size().columns - 4)
    line_length = line_length or default_line_length
    column_widths, current = [], 0
    for pos in positions:
        width = int(pos * line_length) - current
        if width < 4:
            raise ValueError(
                "print_summary: the line is too narrow to print the summary "
                f"(a column would be {width} characters wide). Received: "
                f"line_length={line_length}, positions={positions}. Pass a larger "
                "line_length.")
        column_widths.append(width)
        current += width

    def layer_rows(layer, level=0):
        prefix = "   " * level + "└ " if level else ""
        row = [f"{prefix}{layer.name} ({type(layer).__name__})",
               format_layer_shape(layer), _param_field(layer)]
        if show_trainable:
            if getattr(layer, "weights", None):
                row.append("Y" if getattr(layer, "trainable", True) else "N")
            else:
                row.append("-")
        rows = [row]
        if expand_nested and getattr(layer, "layers", None):
            for sublayer in layer.layers:
                rows += layer_rows(sublayer, level + 1)
        return rows

    layers = list(model.layers)
    first, last = get_layer_index_bound_by_layer_name(layers, layer_range)
    rows = [row for layer in layers[first:last] for row in layer_rows(layer)]

    trainable = list(model.trainable_weights)
    non_trainable = list(model.non_trainable_weights)
    optimizer_variables = _built_optimizer_variables(model)
    counts = [count_params(trainable), count_params(non_trainable)]
    sizes = [weight_memory_size(trainable), weight_memory_size(non_trainable)]
    if optimizer_variables is not None:
        counts.append(count_params(optimizer_variables))
        sizes.append(weight_memory_size(optimizer_variables))

    def totals_line(label, count, size):
        return f" {label}: {count:,} ({readable_memory_size(size)})"

    lines = [f'Model: "{model.name}"']
    lines += _render_table(header, rows, column_widths, justify, line_length)
    lines.append(totals_line("Total params", sum(counts), sum(sizes)))
    lines.append(totals_line("Trainable params", counts[0], sizes[0]))
    lines.append(totals_line("Non-trainable params", counts[1], sizes[1]))
    if optimizer_variables is not None:
        lines.append(totals_line("Optimizer params", counts[2], sizes[2]))

    text = "\n".join(lines) + "\n"
    if print_fn is None:
        print_msg(text, line_break=False)
    else:
        # Keras hands print_fn the whole text in one call.
        print_fn(text)


def _built_optimizer_variables(model):
    """The optimizer's variables once it has been built (after a step), else None."""
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None or not getattr(model, "compiled", True):
        return None
    variables = getattr(optimizer, "variables", None)
    if variables is None:
        return None
    variables = list(variables)
    if not getattr(optimizer, "built", bool(variables)):
        return None
    return variables
