"""Runs the public `mentor-match` package (PyPI, the civil-service network's matcher: three
rounds of one-to-one Munkres in pure Python) on a network cohort that
`tandem match generate --network` wrote, with the same rules and points as Tandem, and prints
its time and what its pairs are worth under Tandem's objective.

The rules, as the peer's own rule objects: the mentor comes from another organisation and stands
one or two grades above (disqualifying rules); a gap of 2 scores 100 and a gap of 1 scores 75,
the same profession 100, a shared identity 100 (when the mentee declared one). Each round pairs
each mentee with at most one new mentor; three rounds give up to three mentors each."""

import json
import sys
import time

from matching import process
from matching.mentee import Mentee
from matching.mentor import Mentor
from matching.rules.rule import Disqualify, Generic


def person(kind, raw):
    it = kind(
        email=raw["id"],
        organisation=raw["organisation"],
        grade=raw["rank_level"],
        profession=(raw.get("topics") or raw.get("development_areas") or [None])[0],
    )
    it.identities = set(raw.get("characteristics") or raw.get("diversity_preference") or [])
    return it


def gap(match):
    return match.mentor.grade - match.mentee.grade


def rules():
    return [
        Disqualify(lambda match: match.mentor.organisation == match.mentee.organisation),
        Disqualify(lambda match: gap(match) not in (1, 2)),
        Generic({True: 100, False: 75}, lambda match: gap(match) == 2),
        Generic({True: 100, False: 0}, lambda match: match.mentor.profession == match.mentee.profession),
        Generic(
            {True: 100, False: 0},
            lambda match: bool(match.mentee.identities & match.mentor.identities),
        ),
    ]


def tandem_score(mentor, mentee):
    """A pair's score under Tandem's network scheme (each weight 1)."""
    points = 100 if mentor.grade - mentee.grade == 2 else 75
    points += 100 if mentor.profession == mentee.profession else 0
    points += 100 if mentee.identities & mentor.identities else 0
    return points


def main(path):
    with open(path) as file:
        problem = json.load(file)
    mentors = [person(Mentor, raw) for raw in problem["mentors"]]
    mentees = [person(Mentee, raw) for raw in problem["mentees"]]
    started = time.perf_counter()
    process.process_data(mentors, mentees, [rules(), rules(), rules()])
    seconds = time.perf_counter() - started
    pairs = [(mentor, mentee) for mentee in mentees for mentor in mentee.mentors]
    total = sum(tandem_score(mentor, mentee) for mentor, mentee in pairs)
    size = f"{len(mentees)}x{len(mentors)}"
    print(f"{'size':<13} {'peer_s':>9} {'pairs':>8} {'total_score':>12}")
    print(f"{size:<13} {seconds:>9.3f} {len(pairs):>8} {total:>12}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: peer_mentor_match.py PROBLEM.json (from tandem match generate --network)", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
