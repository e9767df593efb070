"""Named matching thresholds, so a benchmark or an officer's review can tune them in one place."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class MatchConfig:
    """Scores are 0–1; the field weights sum to 1 so a candidate's score reads as a share of agreement."""

    name_candidate: float = 0.70  # folded-name similarity below which the name scores 0 (and is scaled above it)
    accept: float = 0.75  # weighted score a candidate needs to be chosen
    margin: float = 0.05  # lead the best candidate needs over the second best
    floor: float = 0.60  # candidates scoring at least this count towards "ambiguous"
    weight_name: float = 0.35
    weight_dob: float = 0.25
    weight_gender: float = 0.10
    weight_commune: float = 0.10
    weight_id: float = 0.20
    # Second chance: a row whose best candidate stays under `accept` after the ID and the blocks gets wider blocks
    # (commune + birth year + a shared name word, …) and is matched from `second_accept` when that candidate is the
    # only one reaching `floor` and no typed ID differs from the candidate's by more than `second_id_digits` digits.
    second_accept: float = 0.68
    second_id_digits: int = 2
    second_chance_block: int = 500  # rows meeting more candidates than this in the wider blocks skip them
    chunk_rows: int = 200_000  # sector rows matched at a time: bounds the candidate pairs held in memory
    review_candidates: int = 3  # best candidates kept for an officer's review of a row (candidates output)
    review_below: float = 0.80  # a chosen person scoring under this is shown for review with its candidates


DEFAULT_CONFIG = MatchConfig()
