"""The evaluation suite for claim groups (`pytest -m eval`): the same-claim test on the labelled
pairs of app/groups/pairs.jsonl, whose texts are read from ../shared/eval at run time."""

import pytest

from app.groups.evaluate import (
    DEV_SPLITS,
    choose_threshold,
    find_shared_eval,
    load_pairs,
    of_splits,
    score,
    similarities,
)
from app.groups.normalise import SAME_CLAIM_THRESHOLD

pytestmark = pytest.mark.eval

# The target for held-out same-speaker repeats. Tier 1 does not reach it (2026-12-02,
# after the dev-error fixes: precision 0.804 at recall 0.638, see bench/GROUPS.md); the floors
# below are that less a margin, so a change that loses ground fails, and TARGET says how far
# there is to go.
TARGET = (0.90, 0.70)
FLOORS = (0.77, 0.61)


@pytest.fixture(scope="module")
def scored() -> list:  # type: ignore[type-arg]
    try:
        folder = find_shared_eval()
    except FileNotFoundError:
        pytest.fail("the evaluation suite needs ../shared/eval beside the repository")
    return similarities(load_pairs(), folder)


def test_the_threshold_in_use_is_the_one_chosen_on_dev(scored: list) -> None:  # type: ignore[type-arg]
    assert choose_threshold(of_splits(scored, *DEV_SPLITS)) == SAME_CLAIM_THRESHOLD


def test_held_out_precision_and_recall(scored: list) -> None:  # type: ignore[type-arg]
    held_out = [item for item in scored if item[0].split == "held-out"]
    result = score(held_out, SAME_CLAIM_THRESHOLD)
    assert result.pairs >= 150
    assert (result.precision, result.recall) >= FLOORS, (
        f"held-out precision {result.precision:.3f}, recall {result.recall:.3f}; target {TARGET}"
    )
    assert result.precision >= FLOORS[0] and result.recall >= FLOORS[1]


def test_no_claim_joins_its_negation(scored: list) -> None:  # type: ignore[type-arg]
    assert score(scored, SAME_CLAIM_THRESHOLD).negations_joined == 0
    # Every pair whose polarity the test reads as different stays apart, labelled or not.
    from app.groups.evaluate import claims_of

    folder = find_shared_eval()
    for pair, _ in scored:
        left, right = claims_of(folder, pair)
        if left.polarity != right.polarity:
            assert not left.same_claim(right)
