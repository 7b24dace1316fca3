"""Time per question against its peers, for every interview of one questionnaire at once.

A question's time is an outlier when its robust z — (seconds − median) / (1.4826 · MAD)
over the interviews that answered it — exceeds the threshold; questions answered by fewer
than ``min_interviews`` interviews, or whose times do not spread (MAD 0), are not judged.
The same arithmetic as :func:`fieldapp.quality.robust_z`, done on one matrix (interviews ×
questions, NaN where a question was not timed) with numpy: a hub of 100,000 interviews × 50
questions is five million times, too many for a Python loop. numpy is imported here only.
"""

from __future__ import annotations

from collections.abc import Sequence


def outlier_counts(names: Sequence[tuple[str, ...]], seconds: Sequence[bytes],
                   min_interviews: int, robust_z: float) -> list[int]:
    """How many of each interview's timed questions are outliers among these interviews.

    ``names[i]``/``seconds[i]``: interview i's timed questions and their seconds (float64
    bytes, same order)."""
    import numpy as np

    columns: dict[str, int] = {}
    rows: dict[tuple[str, ...], list[int]] = {}  # interviews that timed the same questions
    for row, key in enumerate(names):
        if not key:
            continue
        where = rows.get(key)
        if where is None:
            rows[key] = where = []
            for name in key:
                columns.setdefault(name, len(columns))
        where.append(row)
    if not columns:
        return [0] * len(names)
    matrix = np.full((len(names), len(columns)), np.nan)
    for key, where in rows.items():  # one block per set of questions (usually a handful)
        block = np.frombuffer(b"".join(seconds[r] for r in where), dtype=np.float64)
        matrix[np.ix_(where, [columns[n] for n in key])] = block.reshape(len(where), len(key))
    counted = np.count_nonzero(~np.isnan(matrix), axis=0)
    judged = (counted >= min_interviews) & (counted > 0)
    if not judged.any():
        return [0] * len(names)
    matrix = matrix[:, judged]
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        median = np.nanmedian(matrix, axis=0)
        deviation = np.abs(matrix - median)
        mad = np.nanmedian(deviation, axis=0)
        z = deviation / (1.4826 * mad)
    z[:, ~(mad > 0)] = np.nan  # no spread: not judged
    with np.errstate(invalid="ignore"):
        return np.count_nonzero(z > robust_z, axis=1).tolist()
