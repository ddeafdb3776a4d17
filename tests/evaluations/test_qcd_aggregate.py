"""The QCD aggregation, worked by hand (no database).

Grid: quality « conformité » weight 3, quality « relation » weight 1, cost weight 2, delay weight 2.

- Entity A marks 4, 2, 3, 1: overall (4×3 + 2×1 + 3×2 + 1×2) / 8 = 22/8 = 2.75; quality (12 + 2)/4 = 3.5;
  cost 3; delay 1.
- Entity B marks 2, 2, 2, 4: overall (6 + 2 + 4 + 8) / 8 = 20/8 = 2.5; quality 2; cost 2; delay 4.
- A consumed 30 000 €, B 10 000 €: overall (2.75×30 000 + 2.5×10 000) / 40 000 = 2.6875, shown 2.69;
  quality (3.5×3 + 2)/4 = 3.125, shown 3.13; cost 2.75; delay (1×3 + 4)/4 = 1.75.
- B known by its orders only: a plain mean, overall (2.75 + 2.5)/2 = 2.625, shown 2.63.
"""

from decimal import Decimal

import pytest

from mutualis.evaluations.qcd.aggregate import Answer, Criterion, combine, evaluation_scores, group

CRITERIA = [
    Criterion("conformite", "quality", 3),
    Criterion("relation", "quality", 1),
    Criterion("prix", "cost", 2),
    Criterion("delais", "delay", 2),
]
A_MARKS = {"conformite": 4, "relation": 2, "prix": 3, "delais": 1}
B_MARKS = {"conformite": 2, "relation": 2, "prix": 2, "delais": 4}


def answered(marks, consumption):
    return Answer("answered", True, consumption, evaluation_scores(CRITERIA, marks))


def test_one_evaluation_is_the_weighted_mean_of_its_marks_overall_and_per_axis():
    scores = evaluation_scores(CRITERIA, A_MARKS)
    assert scores.overall == Decimal("2.75")
    assert scores.axes == {"quality": Decimal("3.5"), "cost": Decimal(3), "delay": Decimal(1)}


def test_every_criterion_must_be_marked():
    with pytest.raises(ValueError, match="delais"):
        evaluation_scores(CRITERIA, {"conformite": 4, "relation": 2, "prix": 3})


def test_entities_weigh_by_their_consumption_when_every_one_is_known():
    result = combine([answered(A_MARKS, Decimal(30000)), answered(B_MARKS, Decimal(10000))])
    assert result.weighted_by_consumption
    assert result.overall == Decimal("2.6875") and result.shown() == Decimal("2.69")
    assert result.shown("quality") == Decimal("3.13")
    assert result.axes["cost"] == Decimal("2.75") and result.axes["delay"] == Decimal("1.75")
    assert result.weighting_label == "pondérée par la consommation"


def test_one_unknown_consumption_makes_it_a_plain_mean():
    result = combine([answered(A_MARKS, Decimal(30000)), answered(B_MARKS, None)])
    assert not result.weighted_by_consumption
    assert result.overall == Decimal("2.625") and result.shown() == Decimal("2.63")
    assert result.axes == {"quality": Decimal("2.75"), "cost": Decimal("2.5"), "delay": Decimal("2.5")}
    assert result.weighting_label == "moyenne simple"


def test_not_concerned_pending_and_periods_without_activity_leave_the_mean():
    without_activity = Answer("answered", False, None, evaluation_scores(CRITERIA, B_MARKS))
    result = combine(
        [
            answered(A_MARKS, Decimal(30000)),
            Answer("not_concerned", True, Decimal(5000), None),
            Answer("pending", True, Decimal(8000), None),
            without_activity,
        ]
    )
    # Only A counts, with its own scores, weighted by its consumption alone.
    assert result.overall == Decimal("2.75") and result.weighted_by_consumption
    assert (result.answered, result.not_concerned, result.pending, result.without_activity) == (1, 1, 1, 1)


def test_a_group_without_any_answer_has_no_score():
    result = combine([Answer("not_concerned", True, None, None)])
    assert not result.evaluated and result.shown() is None and result.weighting_label == ""


def test_an_item_counts_in_each_of_its_groups():
    """A contract held by two co-contractors counts for both suppliers."""
    items = [("S1", "S2", A_MARKS, 30000), ("S1", None, B_MARKS, 10000)]
    results = group(
        items,
        keys=lambda item: [s for s in item[:2] if s],
        answer=lambda item: answered(item[2], Decimal(item[3])),
    )
    assert results["S1"].shown() == Decimal("2.69")
    assert results["S2"].overall == Decimal("2.75")
