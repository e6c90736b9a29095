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

# The target for held-out same-speaker repeats. Measured 2026-12-02 (fifth pass, see
# bench/GROUPS.md): the first held-out sample (June-September) 0.900 at 0.776, the second (a
# third of each bin of a sample across all months and of PolNeAR pairs) 1.000 at 0.949, the
# fourth (150 ISW pairs across all months, labelled before the fifth pass changed any code;
# only 8 of them the same claim, so one pair moves either figure by about 0.1) 0.750 at 0.750. The
# third sample is dev3 now (its errors were read). The floors are those less a margin, so a
# change that loses ground fails, and TARGET says how far there is to go.
TARGET = (0.90, 0.70)
FLOORS = {"held-out": (0.88, 0.75), "held-out2": (0.97, 0.92), "held-out4": (0.70, 0.70)}
SIZES = {"held-out": 150, "held-out2": 120, "held-out4": 140}


@pytest.fixture(scope="module")
def scored() -> list:  # type: ignore[type-arg]
    try:
        folder = find_shared_eval()
    except FileNotFoundError:
        pytest.fail("the evaluation suite needs ../shared/eval beside the repository")
    return similarities(load_pairs(), folder)


def test_the_threshold_in_use_is_the_one_chosen_on_dev(scored: list) -> None:  # type: ignore[type-arg]
    assert choose_threshold(of_splits(scored, *DEV_SPLITS)) == SAME_CLAIM_THRESHOLD


@pytest.mark.parametrize("split", ["held-out", "held-out2", "held-out4"])
def test_held_out_precision_and_recall(scored: list, split: str) -> None:  # type: ignore[type-arg]
    result = score(of_splits(scored, split), SAME_CLAIM_THRESHOLD)
    floor = FLOORS[split]
    assert result.pairs >= SIZES[split]
    assert result.precision >= floor[0] and result.recall >= floor[1], (
        f"{split} precision {result.precision:.3f}, recall {result.recall:.3f}; "
        f"floors {floor}, target {TARGET}"
    )


def test_no_claim_joins_its_negation(scored: list) -> None:  # type: ignore[type-arg]
    assert score(scored, SAME_CLAIM_THRESHOLD).negations_joined == 0
    # Every pair whose polarity the test reads as different stays apart, labelled or not.
    from app.groups.evaluate import claims_of

    folder = find_shared_eval()
    for pair, _ in scored:
        left, right = claims_of(folder, pair)
        if left.polarity != right.polarity:
            assert not left.same_claim(right)
