"""Run a function the student wrote on a few cases and say whether it is right.

The one runner behind every code-writing exercise (chapters 00, 01, 02, 03, 04, 05, 06):
:func:`check_function` calls the student's function on each case, turns what it returns into a
number (or says why it cannot), compares with the course's answer and, for a wrong function,
names the inputs of a case it fails and what it returned, plus a hint from the chapter's
``diagnose`` callbacks; never the expected value.

Also :func:`finite_number` and :func:`looks_like_percentage`, for the answer checks.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Sequence

import numpy as np

from p2plib.checks.core import CheckResult

__all__ = ["NO_FUNCTION", "check_function", "finite_number", "looks_like_percentage"]

NO_FUNCTION = ("No function yet: define it in the cell above, pass it here (without "
               "parentheses) and run the cell again.")


def _as_number(value):
    """``value`` as a float (possibly infinite or nan) if it is one real number, else None."""
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.item()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    return float(value)


def finite_number(answer) -> float | None:
    """``answer`` as a float if it is one finite real number (a size-1 array counts), else None.

    Parameters
    ----------
    answer : object
        A student's answer.

    Returns
    -------
    float or None
        The number; None for ``None``, a bool, text, several numbers, inf or nan.

    Examples
    --------
    >>> finite_number(np.array([0.5])), finite_number(True), finite_number(float("inf"))
    (0.5, None, None)
    """
    value = _as_number(answer)
    return value if value is not None and math.isfinite(value) else None


def looks_like_percentage(answer, expected: float) -> bool:
    """True if ``answer`` is ``expected`` (a share or a price) typed as a percentage.

    Parameters
    ----------
    answer : object
        A student's answer.
    expected : float
        The right answer (a share in [0, 1], or a positive price).

    Returns
    -------
    bool
        Whether ``answer`` is within 2 % of ``100 * expected``.

    Examples
    --------
    >>> looks_like_percentage(62.5, 0.625), looks_like_percentage(0.625, 0.625)
    (True, False)
    """
    value = _as_number(answer)
    return (value is not None and expected > 0
            and abs(value - 100 * expected) <= 0.02 * 100 * expected)


def _shown(case: dict) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in case.items())


def _call(func, case: dict, positional: bool):
    """The student's number for one case, or the CheckResult that says why there is none."""
    shown = _shown(case)
    try:
        got = func(*case.values()) if positional else func(**case)
    except Exception as error:  # any error in student code is reported, not raised
        where = "the arithmetic" if positional else "the parameter names and the arithmetic"
        return CheckResult(False, f"Your function raised {type(error).__name__} ({error}) "
                                  f"for {shown}. Check {where}.")
    if got is Ellipsis:
        return CheckResult(False, "Your function still returns ... : replace it with your "
                                  "expression.")
    if got is None:
        return CheckResult(False, f"No answer yet: for {shown} your function returns None, "
                                  "not a number. Is its body still to write, or did you "
                                  "forget `return`? It must return a single number.")
    value = _as_number(got)
    if value is None:
        return CheckResult(False, f"For {shown} your function returned {type(got).__name__}, "
                                  "not a number: it must return a number, a single one.")
    return value


def _agrees(value: float, want: float, rel_tol: float, abs_tol: float) -> bool:
    if math.isinf(want) or math.isinf(value):
        return value == want
    return math.isclose(value, want, rel_tol=rel_tol, abs_tol=abs_tol)


def check_function(func, cases: Sequence[dict], expected: Callable[..., float], *,
                   rel_tol: float = 1e-6, abs_tol: float = 0.0, positional: bool = False,
                   diagnose: Callable[[dict, float, float], str] | None = None,
                   diagnose_run: Callable[[Sequence[dict], list, list], str | None] | None = None,
                   no_answer: str = NO_FUNCTION, correct: str | None = None) -> CheckResult:
    """Run the student's ``func`` on every case and compare with ``expected(**case)``.

    All cases run first; one that raises, returns ``...``, ``None``, no single number, or a
    number that is not finite (where the answer is) is reported with its inputs. If an answer is
    wrong, ``diagnose_run`` (seeing every case) may name the mistake; else the first wrong case
    is shown with the value returned and ``diagnose``'s hint (default: too low / too high).

    Parameters
    ----------
    func : callable or None
        The student's function (``None`` while they have not written it).
    cases : sequence of dict
        The arguments of each call, by parameter name, in the function's parameter order.
    expected : callable
        The course's answer, called as ``expected(**case)``.
    rel_tol, abs_tol : float
        Relative and absolute tolerance of the comparison (>= 0); infinities must match.
    positional : bool
        Call ``func(*case.values())`` (any parameter names) instead of ``func(**case)``.
    diagnose : callable, optional
        ``diagnose(case, got, want) -> str``: the hint for one wrong case. It may compare
        ``got`` with ``want`` but must not print ``want``.
    diagnose_run : callable, optional
        ``diagnose_run(cases, got, want) -> str | None``: a hint from all the answers at once
        (a typical wrong function recognised by its values), or None to fall back on
        ``diagnose``. The same rule: never print ``want``.
    no_answer : str
        The message for ``func is None``.
    correct : str, optional
        The message for a right function (default: agrees on all N cases).

    Returns
    -------
    CheckResult
        Right, or a message that says which case went wrong and why, without the answer.

    Examples
    --------
    >>> cases = [{"hours": 1.0}, {"hours": 2.5}]
    >>> check_function(lambda hours: 60 * hours, cases, lambda hours: 60 * hours)
    Correct! Your function agrees with the model on all 2 test cases.
    >>> check_function(lambda hours: hours, cases, lambda hours: 60 * hours)
    Not yet: for hours=1.0 your function returns 1. too low.
    """
    if func is None:
        return CheckResult(False, no_answer)
    if not callable(func):
        return CheckResult(False, f"Expected a function, got {type(func).__name__}: pass the "
                                  "function itself (its name, without parentheses), not its "
                                  "result.")
    got, want = [], []
    for case in cases:
        value = _call(func, case, positional)
        if isinstance(value, CheckResult):
            return value
        target = float(expected(**case))
        if not math.isfinite(value) and value != target:
            return CheckResult(False, f"For {_shown(case)} your function returned {value}, "
                                      "which is not a finite number.")
        got.append(value)
        want.append(target)
    wrong = [i for i, (g, w) in enumerate(zip(got, want, strict=True))
             if not _agrees(g, w, rel_tol, abs_tol)]
    if not wrong:
        return CheckResult(True, correct or f"Correct! Your function agrees with the model on "
                                            f"all {len(cases)} test cases.")
    hint = diagnose_run(cases, got, want) if diagnose_run else None
    if hint:
        return CheckResult(False, f"Not yet. {hint}")
    first = wrong[0]
    value, target = got[first], want[first]
    hint = (diagnose(cases[first], value, target) if diagnose
            else "too low." if value < target else "too high.")
    return CheckResult(False, f"Not yet: for {_shown(cases[first])} your function returns "
                              f"{value:.6g}. {hint}")
