"""Argument checks shared by every p2plib model.

Each check either returns the value in a canonical Python type or raises a ``TypeError`` /
``ValueError`` whose message names the parameter and the allowed range, so that a student who
passes a bad value learns what to change instead of reading a traceback from inside numpy.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable

import numpy as np

__all__ = ["as_rng", "check_array", "check_choice", "check_int", "check_real"]


def check_int(name: str, value, minimum: int | None = None, maximum: int | None = None) -> int:
    """Return ``value`` as an ``int`` after checking ``minimum <= value <= maximum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise TypeError(f"{name} must be an integer, got {value!r}")
    value = int(value)
    low = "-inf" if minimum is None else minimum
    high = "inf" if maximum is None else maximum
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ValueError(f"{name} must be an integer in [{low}, {high}], got {value}")
    return value


def check_real(
    name: str,
    value,
    minimum: float | None = None,
    maximum: float | None = None,
    *,
    open_min: bool = False,
    open_max: bool = False,
) -> float:
    """Return ``value`` as a finite ``float`` inside the stated interval.

    ``open_min``/``open_max`` exclude the end points.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {value!r}")
    value = float(value)
    left = "(" if open_min else "["
    right = ")" if open_max else "]"
    low = "-inf" if minimum is None else f"{minimum:g}"
    high = "inf" if maximum is None else f"{maximum:g}"
    interval = f"{left}{low}, {high}{right}"
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number in {interval}, got {value}")
    too_low = minimum is not None and (value <= minimum if open_min else value < minimum)
    too_high = maximum is not None and (value >= maximum if open_max else value > maximum)
    if too_low or too_high:
        raise ValueError(f"{name} must be in {interval}, got {value:g}")
    return value


def check_choice(name: str, value, choices: Iterable[str]) -> str:
    """Return ``value`` if it is one of ``choices``, else raise ``ValueError`` listing them."""
    choices = tuple(choices)
    if not isinstance(value, str) or value not in choices:
        listed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {listed}, got {value!r}")
    return value


def as_rng(seed) -> np.random.Generator:
    """Return a ``numpy.random.Generator`` from ``None``, an int seed or a Generator.

    The only way randomness enters p2plib: no model touches numpy's global state.
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None:
        return np.random.default_rng()
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral | np.random.SeedSequence):
        raise TypeError(f"seed must be None, a non-negative int or a numpy Generator, got {seed!r}")
    if isinstance(seed, numbers.Integral) and seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed}")
    return np.random.default_rng(seed)


def check_array(name: str, value, minimum: float | None = None,
                maximum: float | None = None) -> np.ndarray:
    """Return ``value`` (a number or an array of numbers) as a float array of finite values in
    ``[minimum, maximum]``; a string, a non-numeric array or ``nan`` raises naming ``name``."""
    array = np.asarray(value) if not isinstance(value, str) else None
    if array is None or array.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be a number or an array of numbers, got {value!r}")
    array = array.astype(float)
    low = "-inf" if minimum is None else f"{minimum:g}"
    high = "inf" if maximum is None else f"{maximum:g}"
    if (not np.all(np.isfinite(array)) or (minimum is not None and np.any(array < minimum))
            or (maximum is not None and np.any(array > maximum))):
        raise ValueError(f"{name} must hold finite numbers in [{low}, {high}], got {value!r}")
    return array
