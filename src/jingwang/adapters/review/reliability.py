"""Reporter reliability as a Beta posterior over past outcomes.

A reporter's reports are Bernoulli trials — upheld by verification or rejected — with an
unknown rate. Starting from a Beta(2, 2) prior (a new reporter is as likely right as
wrong, and a couple of outcomes do not swing that far), the posterior after ``u`` upheld
and ``r`` rejected reports is Beta(2 + u, 2 + r), whose mean is the reliability
reported. Mass false reporters accumulate rejections and sink towards zero; how much a
reporter adds to a case's credibility is the posterior probability that they are right
more often than wrong, which falls towards zero much faster than the mean.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Final

from jingwang.adapters.storage.review import ReporterRecord

PRIOR_UPHELD: Final = 2.0
PRIOR_REJECTED: Final = 2.0
# Odds that add up to this much make a case about 63 % credible (1 - 1/e).
CREDIBILITY_SCALE: Final = 3.0
# No single reporter, however reliable so far, makes a case certain.
MAX_REPORTER_ODDS: Final = 9.0


def reliability(record: ReporterRecord) -> float:
    """The posterior mean probability that this reporter's next report is upheld."""
    upheld = PRIOR_UPHELD + record.upheld
    return upheld / (upheld + PRIOR_REJECTED + record.rejected)


def better_than_chance(record: ReporterRecord) -> float:
    """The posterior probability that the reporter is right more often than wrong.

    For whole-number Beta(a, b), P(p <= 1/2) equals P(Binomial(a + b - 1, 1/2) >= a),
    so the tail is an exact finite sum.
    """
    a = int(PRIOR_UPHELD) + record.upheld
    b = int(PRIOR_REJECTED) + record.rejected
    n = a + b - 1
    below = sum(math.comb(n, k) for k in range(a))
    return float(below / 2**n)


def credibility(records: Iterable[ReporterRecord]) -> float:
    """How believable the reports are together, in [0, 1).

    Each reporter adds the odds that they are better than chance, capped: a new
    reporter adds 1, a reporter upheld 9 times in 10 adds the cap, one rejected 30 times
    in a row about nothing — so a crowd of known false reporters counts for less than
    one stranger, while many independent strangers still add up.
    """
    odds = 0.0
    for record in records:
        chance = better_than_chance(record)
        odds += (
            MAX_REPORTER_ODDS if chance >= 1.0 else min(MAX_REPORTER_ODDS, chance / (1 - chance))
        )
    return 1.0 - math.exp(-odds / CREDIBILITY_SCALE)
