"""Dtype policies: the dtype a layer computes in and the dtype it keeps its weights in.

A plain policy ("float32", "float64", "float16") uses one dtype for both. "mixed_float16"
computes in float16 and keeps float32 weights: a layer casts its floating inputs and, during
its call, its trainable weights to float16, and the gradients flow back to the float32 weights
in float32. NumPy has no bfloat16, so "bfloat16" and "mixed_bfloat16" are refused with the
alternatives. On a CPU, NumPy's float16 arithmetic is emulated and slower than float32: the
policy halves activation memory and reproduces a mixed-precision model's numbers, not its speed.

Example:
    >>> policy = DTypePolicy("mixed_float16")
    >>> policy.compute_dtype, policy.variable_dtype
    ('float16', 'float32')
"""
from numkeras.backend.config import floatx, standardize_dtype

_MIXED = {"mixed_float16": ("float16", "float32")}


class DTypePolicy:
    """A dtype policy: `compute_dtype` for a layer's computations, `variable_dtype` for its weights.

    Args:
        name: a dtype ("float32", "float64", "float16", ...) or "mixed_float16". Defaults to
            the global policy's name (`numkeras.config.dtype_policy()`).
    """

    def __init__(self, name=None):
        if name is None:
            name = dtype_policy().name
        if not isinstance(name, str):
            raise TypeError(f"DTypePolicy: name must be a string such as 'mixed_float16'. Received: name={name!r} "
                            f"(of type {type(name).__name__}).")
        if "bfloat16" in name:
            raise ValueError(f"DTypePolicy: NumPy has no bfloat16 type (and numkeras depends on NumPy alone), so "
                             f"'{name}' cannot run. Use 'mixed_float16' (float16 computations, float32 weights) or "
                             "'float32' instead.")
        if name in _MIXED:
            compute, variable = _MIXED[name]
        else:
            try:
                compute = variable = standardize_dtype(name)
            except (TypeError, ValueError):
                raise ValueError(f"DTypePolicy: unknown policy name {name!r}. Use a dtype such as 'float32', "
                                 "'float64' or 'float16', or 'mixed_float16'.") from None
            name = compute
        self._name, self._compute_dtype, self._variable_dtype = name, compute, variable

    @property
    def name(self):
        return self._name

    @property
    def compute_dtype(self):
        """The dtype of a layer's computations and outputs."""
        return self._compute_dtype

    @property
    def variable_dtype(self):
        """The dtype of a layer's weights."""
        return self._variable_dtype

    @property
    def quantization_mode(self):
        """None: numkeras has no quantized policies."""
        return None

    def get_config(self):
        return {"name": self.name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __eq__(self, other):
        return isinstance(other, DTypePolicy) and other.name == self.name

    def __hash__(self):
        return hash(self.name)

    def __repr__(self):
        return f'<DTypePolicy "{self.name}">'


class FloatDTypePolicy(DTypePolicy):
    """Keras's earlier name for `DTypePolicy`."""


_global_policy = [None]
_default_policies = {}


def set_dtype_policy(policy):
    """Sets the policy of the layers created from now on (those given no `dtype=`).

    Args:
        policy: a `DTypePolicy` or its name, e.g. "mixed_float16".

    Example:
        >>> set_dtype_policy("float64")
        >>> dtype_policy().name
        'float64'
        >>> set_dtype_policy("float32")
    """
    _global_policy[0] = get(policy)


def dtype_policy():
    """Returns the global policy: the one `set_dtype_policy` set, else that of `floatx()`."""
    if _global_policy[0] is not None:
        return _global_policy[0]
    name = floatx()
    if name not in _default_policies:
        _default_policies[name] = DTypePolicy(name)
    return _default_policies[name]


def get(identifier):
    """A `DTypePolicy` from a policy, its name, its serialized dict, or None (the global policy).

    Example:
        >>> get("mixed_float16").compute_dtype
        'float16'
    """
    if identifier is None:
        return dtype_policy()
    if isinstance(identifier, DTypePolicy):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        return DTypePolicy(identifier)
    try:  # a NumPy dtype or scalar type
        return DTypePolicy(standardize_dtype(identifier))
    except (TypeError, ValueError):
        raise ValueError(f"Could not interpret dtype policy identifier: {identifier!r}. Pass a name such as "
                         "'float32' or 'mixed_float16', or a DTypePolicy.") from None


def serialize(policy):
    """A policy as Keras writes it into a config."""
    return {"module": "keras", "class_name": "DTypePolicy", "config": policy.get_config(), "registered_name": None}


def deserialize(config):
    """The policy of a dict written by `serialize` (or by Keras)."""
    return DTypePolicy(**config.get("config", config))
