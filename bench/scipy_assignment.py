"""Times scipy's linear_sum_assignment on the matrices that
`tandem bench match --scipy-matrices DIR` writes, to set beside Tandem's solve of the same
one-mentor problem.

Each `NAME.f64` holds a row per mentee and a column per mentor's place, little-endian f64: an
allowed pair is worth a bonus (larger than any total of scores) plus its score, a forbidden pair
0; `NAME.json` gives the sizes and the bonus. Maximising it matches as many mentees as it can,
then maximises the score, as Tandem does, so the matched count and total score printed here
must equal Tandem's row for the same problem."""

import json
import pathlib
import sys
import time

import numpy as np
from scipy.optimize import linear_sum_assignment


def main(directory: str) -> int:
    sides = sorted(
        (json.loads(path.read_text()) | {"path": path} for path in pathlib.Path(directory).glob("*.json")),
        key=lambda about: (about["name"].split("-")[0], about["mentees"]),
    )
    if not sides:
        print(
            f"no matrices in {directory}: run "
            f"`tandem bench match --shape network --scipy-matrices {directory}` first",
            file=sys.stderr,
        )
        return 1
    print(f"{'problem':<26} {'columns':>8} {'scipy_s':>9} {'matrix_mib':>10} {'matched':>8} {'total_score':>12}")
    for about in sides:
        rows, columns, bonus = about["mentees"], about["columns"], about["bonus"]
        matrix = np.fromfile(about["path"].with_suffix(".f64"), dtype="<f8").reshape(rows, columns)
        started = time.perf_counter()
        chosen_rows, chosen_columns = linear_sum_assignment(matrix, maximize=True)
        seconds = time.perf_counter() - started
        chosen = matrix[chosen_rows, chosen_columns]
        allowed = chosen[chosen > 0]
        total = int(round(float((allowed - bonus).sum())))
        print(
            f"{about['name']:<26} {columns:>8} {seconds:>9.3f} {matrix.nbytes / 1048576:>10.1f} "
            f"{len(allowed):>8} {total:>12}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "target/scipy-matrices"))
