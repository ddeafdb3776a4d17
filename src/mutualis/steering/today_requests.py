"""What waits for people on the internal clients' requests: the reads behind the home page's sections
(steering/today.py's shape: each item links to the request list with its own filters)."""

from datetime import date

from django.db.models import Case, IntegerField, Value, When

from mutualis.clients.models import OPEN_STATUSES, RequestStatus, ServiceRequest

from .today import TOP, Item, Records, link


def service_queue(user, today: date) -> list[Item]:
    """The buyer's queue of internal clients' requests: his open ones, the late among them, the new ones."""
    requests = ServiceRequest.objects.for_user(user)
    mine = requests.filter(assigned_to=user)
    late = mine.late(today).count()
    return [
        Item(
            "Demandes d'accompagnement qui vous sont confiées, en cours",
            mine.open().count(),
            link("clients:request_list", assigned_to=user.pk, open="true"),
        ),
        Item(
            "Demandes qui vous sont confiées en retard sur leur date cible",
            late,
            link("clients:request_list", assigned_to=user.pk, late="true"),
            urgent=late > 0,
        ),
        Item(
            "Demandes transmises par les clients, à prendre en charge",
            requests.filter(status=RequestStatus.SUBMITTED).count(),
            link("clients:request_list", status=RequestStatus.SUBMITTED),
        ),
    ]


def my_service_requests(user) -> Records:
    """The client's own requests, open ones first, with where each stands and by when."""
    open_first = Case(
        When(status__in=OPEN_STATUSES, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    requests = ServiceRequest.objects.filter(requested_by=user).order_by(open_first, "-created_at", "-pk")
    rows = [
        Item(
            f"Demande n° {request.pk} : {request.object}",
            0,
            request.get_absolute_url(),
            detail=request.get_status_display()
            + (
                f", date cible le {request.target_date:%d/%m/%Y}"
                if request.is_open and request.target_date
                else ""
            )
            + (" (en retard)" if request.is_late else "")
            + (" — Questionnaire à remplir" if _pending(request) else ""),
        )
        for request in requests.select_related("survey")[:TOP]
    ]
    return Records(rows, requests.count(), link("clients:request_list", mine="true"), "Toutes vos demandes")


def _pending(request):
    """The delivered request's questionnaire while the client has not answered it."""
    survey = getattr(request, "survey", None)
    return survey if survey is not None and not survey.is_answered else None
