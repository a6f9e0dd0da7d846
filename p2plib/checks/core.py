"""Exercise checks: tell a student whether an answer is right, and if not, where to look.

Each ``check_*`` function takes the student's answer (``None`` while they have not answered)
and returns a :class:`CheckResult` that prints as one line. A wrong answer gets a hint that
points at the idea, never the number.

Examples
--------
>>> check_number(None, expected=2.0)
No answer yet: replace None with your answer and run the cell again.
>>> check_number(2.01, expected=2.0, rel_tol=0.02)
Correct!
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np

__all__ = ["CheckResult", "check_number"]


@dataclass(frozen=True)
class CheckResult:
    """Outcome of an exercise check: ``correct`` and a message for the student.

    It prints as its message and is true when the answer is right, so a notebook cell shows
    one line and ``assert check(...)`` works in tests.

    Attributes
    ----------
    correct : bool
        Whether the answer is right.
    message : str
        "Correct!" or a hint that points at the idea to reconsider (never the answer).

    Examples
    --------
    >>> result = CheckResult(False, "Not yet. Too low.")
    >>> result, bool(result)
    (Not yet. Too low., False)
    """

    correct: bool
    message: str

    def __repr__(self) -> str:
        return self.message

    def __bool__(self) -> bool:
        return self.correct


def check_number(answer, expected: float, rel_tol: float = 0.02, abs_tol: float = 0.0,
                 too_low: str = "Too low.", too_high: str = "Too high.") -> CheckResult:
    """Compare a numeric ``answer`` with ``expected`` within a relative/absolute tolerance.

    Chapters build their exercise checks on this; the hints say what to reconsider.

    Parameters
    ----------
    answer : float or None
        The student's answer (``None`` until they answer; a size-1 array counts as a number).
    expected : float
        The right answer.
    rel_tol, abs_tol : float
        Relative and absolute tolerance (>= 0), as in :func:`math.isclose`.
    too_low, too_high : str
        The hint for an answer below or above ``expected``.

    Returns
    -------
    CheckResult
        "Correct!", "No answer yet", a note on a non-number, or "Not yet." and the hint.

    Examples
    --------
    >>> check_number(3.0, expected=2.0, too_high="Did you count the server twice?")
    Not yet. Did you count the server twice?
    """
    if answer is None:
        return CheckResult(False, "No answer yet: replace None with your answer and run the "
                                  "cell again.")
    if isinstance(answer, np.ndarray) and answer.size == 1:
        answer = answer.item()
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        return CheckResult(False, f"Expected a single number, got {type(answer).__name__}.")
    if not math.isfinite(answer):
        return CheckResult(False, "Your answer is not a finite number.")
    if math.isclose(answer, expected, rel_tol=rel_tol, abs_tol=abs_tol):
        return CheckResult(True, "Correct!")
    return CheckResult(False, f"Not yet. {too_low if answer < expected else too_high}")
