"""Times scipy's linear_sum_assignment on the matrices that
`tandem bench match --shape network --scipy-matrices DIR` writes, to set beside Tandem's
one-mentor solve of the same cohort.

Each `network-MxN.f64` holds M rows of N little-endian f64: an allowed pair is worth a bonus
(larger than any total of scores) plus its score, a forbidden pair 0; `network-MxN.json` gives
the bonus. Maximising it matches as many mentees as it can, then maximises the score, as
Tandem does, so the matched count and total score printed here must equal Tandem's."""

import json
import pathlib
import sys
import time

import numpy as np
from scipy.optimize import linear_sum_assignment


def main(directory: str) -> int:
    sides = sorted(
        pathlib.Path(directory).glob("network-*.json"),
        key=lambda path: json.loads(path.read_text())["mentees"],
    )
    if not sides:
        print(
            f"no network-MxN.json in {directory}: run "
            f"`tandem bench match --shape network --scipy-matrices {directory}` first",
            file=sys.stderr,
        )
        return 1
    print(f"{'size':<13} {'scipy_s':>9} {'matrix_mib':>10} {'matched':>8} {'total_score':>12}")
    for side in sides:
        about = json.loads(side.read_text())
        mentees, mentors, bonus = about["mentees"], about["mentors"], about["bonus"]
        matrix = np.fromfile(side.with_suffix(".f64"), dtype="<f8").reshape(mentees, mentors)
        started = time.perf_counter()
        rows, cols = linear_sum_assignment(matrix, maximize=True)
        seconds = time.perf_counter() - started
        chosen = matrix[rows, cols]
        allowed = chosen[chosen > 0]
        total = int(round(float((allowed - bonus).sum())))
        size = f"{mentees}x{mentors}"
        print(
            f"{size:<13} {seconds:>9.3f} {matrix.nbytes / 1048576:>10.1f} "
            f"{len(allowed):>8} {total:>12}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "target/scipy-matrices"))
