"""Run a function the student wrote on a few cases and say whether it is right.

Also :func:`looks_like_percentage`, for the share checks' percentage hint.

Private helper of the chapter checks (02, 04, 05) whose exercises ask for a few lines of code.
A wrong function gets the inputs of the first case it fails and what it returned, plus a hint
from the chapter's ``diagnose`` callback; never the expected value.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Sequence

import numpy as np

from p2plib.checks.core import CheckResult

NO_FUNCTION = ("No function yet: define it in the cell above, pass it here (without "
               "parentheses) and run the cell again.")


def _as_number(value):
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.item()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    return float(value)


def looks_like_percentage(answer, expected: float) -> bool:
    """True if ``answer`` is ``expected`` (a share or a price) typed as a percentage."""
    value = _as_number(answer)
    return (value is not None and expected > 0
            and abs(value - 100 * expected) <= 0.02 * 100 * expected)


def check_function(func, cases: Sequence[dict], expected: Callable[..., float], *,
                   rel_tol: float = 1e-6, abs_tol: float = 0.0,
                   diagnose: Callable[[dict, float, float], str] | None = None) -> CheckResult:
    """Call ``func(**case)`` for every case and compare with ``expected(**case)``.

    ``diagnose(case, got, want)`` returns a hint for a wrong value (it may compare ``got`` with
    ``want`` but must not print ``want``).
    """
    if func is None:
        return CheckResult(False, NO_FUNCTION)
    if not callable(func):
        return CheckResult(False, f"Expected a function, got {type(func).__name__}: pass the "
                                  "function's name without parentheses.")
    for case in cases:
        shown = ", ".join(f"{k}={v!r}" for k, v in case.items())
        try:
            got = func(**case)
        except Exception as error:  # any error in student code is reported, not raised
            return CheckResult(False, f"Your function raised {type(error).__name__} ({error}) "
                                      f"for {shown}. Check the parameter names and the arithmetic.")
        value = _as_number(got)
        if value is None:
            return CheckResult(False, f"For {shown} your function returned "
                                      f"{type(got).__name__}, not a number: did you forget "
                                      "`return`?")
        want = float(expected(**case))
        if math.isinf(want) and math.isinf(value) and (want > 0) == (value > 0):
            continue
        if not math.isfinite(value):
            return CheckResult(False, f"For {shown} your function returned {value}, which is "
                                      "not a finite number.")
        if not math.isclose(value, want, rel_tol=rel_tol, abs_tol=abs_tol):
            hint = diagnose(case, value, want) if diagnose else (
                "too low." if value < want else "too high.")
            return CheckResult(False, f"Not yet: for {shown} your function returns "
                                      f"{value:.6g}. {hint}")
    return CheckResult(True, f"Correct! Your function agrees with the model on all "
                             f"{len(cases)} test cases.")
