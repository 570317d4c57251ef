"""Formula (1) of the paper on arrays: each value as a percentage of the leader's."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from growthpole.errors import InputError


def fraction_of_leader(
    x: npt.ArrayLike, direction: str = "higher", *, what: str = "indicator"
) -> npt.NDArray[np.float64]:
    """Score each value as a percentage of the leading (best) value, formula (1).

    ``higher``: ``100 * x / max(x)``. ``lower`` (lower is better): ``100 * min(x) / x``, so
    the leader (the smallest value) scores 100 and a value twice the leader's scores 50 —
    the same ratio of leader to region as formula (1), turned round. Missing values (NaN)
    stay missing; they are never the leader.

    Raises
    ------
    InputError
        A negative value (the ratio has no meaning), a leader of 0 (division by zero), a
        zero value when lower is better, or no value at all.

    Examples
    --------
    >>> fraction_of_leader([2.0, 4.0, 1.0]).tolist()
    [50.0, 100.0, 25.0]
    >>> fraction_of_leader([2.0, 4.0, 1.0], "lower").tolist()
    [50.0, 25.0, 100.0]
    """
    a = np.asarray(x, dtype=np.float64)
    finite = ~np.isnan(a)
    if not finite.any():
        raise InputError(f"{what}: every value is missing; there is no leader")
    if (a[finite] < 0).any():
        raise InputError(
            f"{what}: negative value {a[finite].min():g}; the fraction-of-leader score "
            "(formula 1) needs values >= 0 — shift or use another normalisation"
        )
    if direction == "higher":
        lead = np.nanmax(a)
        if lead == 0:
            raise InputError(f"{what}: the leader's value is 0, so every score would be 0/0")
        return 100.0 * a / lead
    if direction == "lower":
        if (a[finite] == 0).any():
            raise InputError(
                f"{what}: a value of 0 where lower is better; min/x is undefined — "
                "use another normalisation"
            )
        return 100.0 * np.nanmin(a) / a
    raise InputError(
        f"direction needs to be one of ['higher', 'lower']; {direction!r} was given instead."
    )
