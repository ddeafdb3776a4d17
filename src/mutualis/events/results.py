"""A matinale's results: attendees, questionnaires answered, response rate and, with enough answers, the
mean per question, overall, and the comments (sorted: never in an order that points to a person). Below
clients.satisfaction.MIN_RESPONSES answers only the counts show, as for the service requests."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from mutualis.clients.satisfaction import MASKED, MIN_RESPONSES

from .models import Event, EventAnswer, EventQuestion, RegistrationStatus

__all__ = ["MASKED", "MIN_RESPONSES", "Results", "results", "table"]


@dataclass
class Results:
    questions: list
    attendees: int = 0
    answered: int = 0
    means: list = field(default_factory=list)  # per question; None when masked
    overall: Decimal | None = None
    comments: list[str] = field(default_factory=list)

    @property
    def masked(self) -> bool:
        return self.answered < MIN_RESPONSES

    @property
    def rate(self) -> Decimal | None:
        """Response rate among the attendees, in %, one decimal."""
        if not self.attendees:
            return None
        return (Decimal(100 * self.answered) / self.attendees).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _mean(scores: list[int]) -> Decimal | None:
    if not scores:
        return None
    return (Decimal(sum(scores)) / len(scores)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def results(event: Event) -> Results:
    answered = event.surveys.filter(answered_at__isnull=False)
    rows = list(
        EventAnswer.objects.filter(survey__in=answered)
        .order_by("question__position", "question_id")
        .values_list("question_id", "score")
    )
    asked = {question_id for question_id, _ in rows}
    questions = sorted(
        set(EventQuestion.objects.filter(pk__in=asked)) | set(EventQuestion.objects.filter(is_active=True)),
        key=lambda q: (q.position, q.pk),
    )
    result = Results(
        questions=questions,
        attendees=event.registrations.filter(status=RegistrationStatus.REGISTERED, attended=True).count(),
        answered=answered.count(),
    )
    if result.masked:
        result.means = [None] * len(questions)
        return result
    result.means = [_mean([score for qid, score in rows if qid == q.pk]) for q in questions]
    result.overall = _mean([score for _, score in rows])
    result.comments = sorted(c for c in answered.values_list("comment", flat=True) if c)
    return result


def table(result: Results) -> tuple[list[str], list[list]]:
    """The results as a data table (the page's, and its export): one row per question, then the total."""
    headers = ["Question", "Note moyenne sur 5"]
    rows = [
        [q.text, MASKED if result.masked else mean]
        for q, mean in zip(result.questions, result.means, strict=True)
    ]
    rows.append(["Moyenne générale", MASKED if result.masked else result.overall])
    return headers, rows
