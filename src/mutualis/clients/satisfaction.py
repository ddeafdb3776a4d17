"""The satisfaction results: per module, buyer or quarter, the delivered requests, the questionnaires
answered, the response rate and, for groups with enough answers, the mean score per question and overall
and the comments (never the client's name)."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .models import (
    RequestStatus,
    SatisfactionAnswer,
    SatisfactionQuestion,
    SatisfactionSurvey,
    ServiceRequest,
)

# Below this many answered questionnaires a group shows only its counts: with fewer answers a client could be
# recognised. This is the rule of issue 18, not a legal threshold.
MIN_RESPONSES = 5
MASKED = "moins de 5 réponses : résultats masqués"

GROUPINGS = {"module": "Module", "buyer": "Acheteur", "quarter": "Trimestre"}


@dataclass
class Group:
    label: str
    delivered: int = 0
    answered: int = 0
    means: list = field(default_factory=list)  # per question, in the questions' order; None when masked
    overall: Decimal | None = None
    comments: list[str] = field(default_factory=list)

    @property
    def rate(self) -> Decimal | None:
        """Response rate in %, one decimal."""
        if not self.delivered:
            return None
        return (Decimal(100 * self.answered) / self.delivered).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def masked(self) -> bool:
        return self.answered < MIN_RESPONSES


def _mean(scores: list[int]) -> Decimal | None:
    if not scores:
        return None
    return (Decimal(sum(scores)) / len(scores)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def delivered_requests(*, year: int, quarter=None, module=None, buyer=None, entity=None, family=None):
    requests = ServiceRequest.objects.filter(status=RequestStatus.DELIVERED, delivered_on__year=year)
    if entity is not None:  # a governance report about one entity
        requests = requests.filter(entity=entity)
    if family is not None:
        requests = requests.filter(family=family)
    if quarter:
        requests = requests.filter(delivered_on__quarter=quarter)
    if module is not None:
        requests = requests.filter(modules=module)
    if buyer is not None:
        requests = requests.filter(assigned_to=buyer)
    return requests


def results(*, year: int, by: str = "module", **criteria) -> dict:
    """{"questions": [...], "groups": [Group], "total": Group} for the year's delivered requests (a request
    asking for two modules counts in both modules' groups, once in the total)."""
    requests = list(
        delivered_requests(year=year, **criteria).select_related("assigned_to").prefetch_related("modules")
    )
    questions = list(SatisfactionQuestion.objects.filter(answers__survey__request__in=requests).distinct())
    questions = sorted(
        set(questions) | set(SatisfactionQuestion.objects.filter(is_active=True)),
        key=lambda q: (q.position, q.pk),
    )
    surveys = {
        s.request_id: s
        for s in SatisfactionSurvey.objects.filter(request__in=requests, answered_at__isnull=False)
    }
    scores = defaultdict(dict)  # request id -> {question id: score}
    for request_id, question_id, score in SatisfactionAnswer.objects.filter(
        survey__request__in=surveys
    ).values_list("survey__request_id", "question_id", "score"):
        scores[request_id][question_id] = score

    members = defaultdict(list)
    for request in requests:
        for key in _keys(request, by):
            members[key].append(request)
    groups = [_group(label, rs, questions, surveys, scores) for label, rs in sorted(members.items())]
    total = _group("Ensemble", requests, questions, surveys, scores)
    return {"questions": questions, "groups": groups, "total": total}


def _keys(request, by: str) -> list[str]:
    if by == "buyer":
        buyer = request.assigned_to
        return [buyer.get_full_name() or buyer.username if buyer else "Sans acheteur"]
    if by == "quarter":
        return [f"T{(request.delivered_on.month - 1) // 3 + 1} {request.delivered_on.year}"]
    return [module.title for module in request.modules.all()]


def _group(label, requests, questions, surveys, scores) -> Group:
    group = Group(label=label, delivered=len(requests))
    answered = [r for r in requests if r.pk in surveys]
    group.answered = len(answered)
    if group.masked:
        group.means = [None] * len(questions)
        return group
    group.means = [_mean([scores[r.pk][q.pk] for r in answered if q.pk in scores[r.pk]]) for q in questions]
    group.overall = _mean([score for r in answered for score in scores[r.pk].values()])
    # Sorted, not in the order of the requests: a comment must not point back to its request.
    group.comments = sorted(surveys[r.pk].comment for r in answered if surveys[r.pk].comment)
    return group


def table(results_: dict, by: str = "module") -> tuple[list[str], list[list]]:
    """Headers and rows of the results as exported (the page's CSV/XLSX, the governance report's sheet):
    a masked group's means read MASKED."""
    questions = results_["questions"]
    headers = [GROUPINGS[by], "Demandes livrées", "Questionnaires répondus", "Taux de réponse (%)",
               *(question.text for question in questions), "Moyenne générale"]  # fmt: skip
    rows = []
    for group in [*results_["groups"], results_["total"]]:
        means = [MASKED] * len(questions) if group.masked else group.means
        rows.append([group.label, group.delivered, group.answered, group.rate, *means,
                     MASKED if group.masked else group.overall])  # fmt: skip
    return headers, rows
