"""Image ops: resizing, affine transforms, patches, colour spaces (Keras's `keras.ops.image`).

Example:
    >>> from numkeras.ops import image
    >>> image.__all__
    []
"""

__all__ = [name for name in dir() if not name.startswith("_")]
