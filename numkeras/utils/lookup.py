"""Resolving Keras-style identifiers (strings, classes, instances) with helpful errors."""
import difflib


def unknown_name_error(kind, name, valid):
    """Returns a ValueError naming an unknown `kind` identifier, the valid ones and the closest."""
    valid = sorted(valid)
    close = difflib.get_close_matches(str(name).lower(), valid, n=1, cutoff=0.5)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    return ValueError(
        f"Unknown {kind}: {name!r}.{hint} Valid {kind} names are: {', '.join(valid)}. "
        f"You can also pass {'an' if kind[0] in 'aeiou' else 'a'} {kind} instance or a callable.")


def lookup(kind, identifier, table):
    """Returns `table[identifier]` for a string identifier (case-insensitive), else raises.

    Example:
        >>> lookup("activation", "ReLU", {"relu": abs})
        <built-in function abs>
    """
    key = identifier if identifier in table else str(identifier).lower()
    if key not in table:
        raise unknown_name_error(kind, identifier, table)
    return table[key]
