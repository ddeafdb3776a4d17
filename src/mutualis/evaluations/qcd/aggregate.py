"""QCD results from answers: pure functions, no database (the rules the tests pin by hand).

1. An answered evaluation's score on an axis is the weighted mean of its marks on that axis's criteria
   (weights from the campaign's grid); its overall score is the weighted mean of all its marks.
2. A group of evaluations (a contract, a supplier, a family, a period) counts only the answered ones
   with activity in their period: « non concerné » answers, pending ones and evaluations without any
   activity (no spend, no order) are left out of the mean, and counted apart.
3. The group's score is the mean of its evaluations' scores weighted by each entity's consumption over
   the period when every counted evaluation has a known, positive consumption; as soon as one of them
   has none known (activity by orders only), the mean is a plain one, and says so.
"""

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

AXES = ("quality", "cost", "delay")
SHOWN = Decimal("0.01")


def rounded(value: Decimal | None) -> Decimal | None:
    """A score as shown and exported: two decimals, half up."""
    return None if value is None else value.quantize(SHOWN, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Criterion:
    key: Hashable
    axis: str
    weight: int


@dataclass(frozen=True)
class Scores:
    """An overall score and one per axis (None for an axis without any criterion)."""

    overall: Decimal
    axes: dict[str, Decimal | None]


def _weighted(pairs: Iterable[tuple[Decimal, Decimal]]) -> Decimal | None:
    pairs = list(pairs)
    total = sum((weight for _, weight in pairs), Decimal(0))
    if not pairs or total == 0:
        return None
    return sum((value * weight for value, weight in pairs), Decimal(0)) / total


def evaluation_scores(criteria: Iterable[Criterion], marks: dict[Hashable, int]) -> Scores:
    """The scores of one answered evaluation; every criterion must have its mark (1 to 4)."""
    criteria = list(criteria)
    missing = [c.key for c in criteria if c.key not in marks]
    if missing or not criteria:
        raise ValueError(f"notes manquantes pour les critères {missing}")

    def mean(axis=None):
        return _weighted(
            (Decimal(marks[c.key]), Decimal(c.weight)) for c in criteria if axis is None or c.axis == axis
        )

    return Scores(overall=mean(), axes={axis: mean(axis) for axis in AXES})


@dataclass(frozen=True)
class Answer:
    """What the aggregation needs of one evaluation."""

    status: str  # "pending", "answered" or "not_concerned"
    has_activity: bool
    consumption: Decimal | None  # HT spend of the entity on the contract over the period, when known
    scores: Scores | None  # for an answered evaluation


@dataclass
class Result:
    """A group's scores and how they were obtained."""

    overall: Decimal | None = None
    axes: dict[str, Decimal | None] = field(default_factory=lambda: dict.fromkeys(AXES))
    answered: int = 0
    not_concerned: int = 0
    pending: int = 0
    without_activity: int = 0
    weighted_by_consumption: bool = False

    @property
    def evaluated(self) -> bool:
        return self.overall is not None

    @property
    def weighting_label(self) -> str:
        if not self.evaluated:
            return ""
        return "pondérée par la consommation" if self.weighted_by_consumption else "moyenne simple"

    def shown(self, axis: str | None = None) -> Decimal | None:
        return rounded(self.overall if axis is None else self.axes[axis])


def combine(answers: Iterable[Answer]) -> Result:
    """One group's result (rules 2 and 3 of the module)."""
    result, counted = Result(), []
    for answer in answers:
        if not answer.has_activity:
            result.without_activity += 1
        elif answer.status == "not_concerned":
            result.not_concerned += 1
        elif answer.status != "answered" or answer.scores is None:
            result.pending += 1
        else:
            counted.append(answer)
    result.answered = len(counted)
    if not counted:
        return result
    weighted = all(a.consumption is not None and a.consumption > 0 for a in counted)
    result.weighted_by_consumption = weighted

    def weight(answer: Answer) -> Decimal:
        return answer.consumption if weighted else Decimal(1)

    result.overall = _weighted((a.scores.overall, weight(a)) for a in counted)
    for axis in AXES:
        result.axes[axis] = _weighted(
            (a.scores.axes[axis], weight(a)) for a in counted if a.scores.axes[axis] is not None
        )
    return result


def group(items: Iterable, keys: Callable[[object], Iterable[Hashable]], answer: Callable) -> dict:
    """Results per key: `keys(item)` gives the groups an item belongs to (a contract with two holders
    counts for both suppliers), `answer(item)` its Answer."""
    members: dict[Hashable, list[Answer]] = defaultdict(list)
    for item in items:
        made = answer(item)
        for key in keys(item):
            members[key].append(made)
    return {key: combine(answers) for key, answers in members.items()}
