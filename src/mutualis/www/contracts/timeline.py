"""The renewal timeline: per purchase family, every entity's contracts on one time scale."""

from dataclasses import dataclass
from datetime import date, timedelta

from django import forms
from django.core.paginator import Paginator
from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from django.views.generic import TemplateView

from mutualis.catalogue.models import PurchaseFamily
from mutualis.contracts.lifecycle import add_months
from mutualis.contracts.models import Contract
from mutualis.organisations.roles import Perm

from ..permissions import RequirePermMixin

PER_PAGE = 200  # contracts drawn on one page


class TimelineForm(forms.Form):
    family = forms.ModelChoiceField(
        label="Famille d'achat",
        queryset=PurchaseFamily.objects.active(),
        required=False,
        empty_label="Toutes",
    )
    years = forms.TypedChoiceField(
        label="Période affichée", choices=[(1, "1 an"), (2, "2 ans"), (3, "3 ans"), (5, "5 ans")], coerce=int,
        initial=3, required=False,
    )  # fmt: skip


@dataclass
class Bar:
    contract: Contract
    start: date
    end: date
    left: float  # percent of the window
    width: float
    decision_overdue: bool
    ends_in_window: bool


@dataclass
class FamilyRow:
    """One family's bars on this page, with the family's figures over the whole period (all pages)."""

    family: PurchaseFamily | None
    bars: list[Bar]
    count: int = 0
    entity_count: int = 0
    first_end: date | None = None
    last_end: date | None = None


class TimelineView(RequirePermMixin, TemplateView):
    required_perm = Perm.VIEW_CONTRACTS
    template_name = "www/contracts/timeline.html"

    def get_context_data(self, **kwargs):
        form = TimelineForm(self.request.GET or None)
        cleaned = form.cleaned_data if form.is_valid() else {}
        today = timezone.localdate()
        # One year back, so that current contracts show where they started.
        window_start = add_months(today.replace(day=1), -12)
        window_end = add_months(today.replace(day=1), 12 * (cleaned.get("years") or 3)) - timedelta(days=1)
        contracts = (
            Contract.objects.for_user(self.request.user)
            .notified()
            .filter(end_date__gte=window_start, notification_date__lte=window_end)
            .select_related("buyer", "family")
            .prefetch_related("holder_links__supplier")
            .order_by("family__code", "end_date")
        )
        if cleaned.get("family"):
            contracts = contracts.filter(family=cleaned["family"])
        # Bars a page at a time: a territory-wide registry puts tens of thousands of contracts in the
        # window, and drawing them all took seconds of one server process per request.
        page = Paginator(contracts, PER_PAGE).get_page(self.request.GET.get("page"))
        rows = self._rows(page.object_list, window_start, window_end, today)
        self._summarise(rows, contracts)
        years = list(range(window_start.year + 1, window_end.year + 1))  # 1 January of each year in view
        context = super().get_context_data(**kwargs)
        context.update(
            page_title="Échéancier des contrats",
            form=form,
            rows=rows,
            page_obj=page,
            window_start=window_start,
            window_end=window_end,
            scale=[
                (year, self._percent(max(date(year, 1, 1), window_start), window_start, window_end))
                for year in years
            ],
            today_left=self._percent(today, window_start, window_end),
        )
        return context

    def _rows(self, contracts, window_start, window_end, today) -> list[FamilyRow]:
        rows: dict[int | None, FamilyRow] = {}
        for contract in contracts:
            start = contract.effective_start
            left = self._percent(max(start, window_start), window_start, window_end)
            right = self._percent(min(contract.end_date, window_end), window_start, window_end)
            bar = Bar(
                contract=contract,
                start=start,
                end=contract.end_date,
                left=left,
                width=max(right - left, 0.5),
                decision_overdue=bool(contract.decision_due_on and contract.decision_due_on < today),
                ends_in_window=contract.end_date <= window_end,
            )
            rows.setdefault(contract.family_id, FamilyRow(contract.family, [])).bars.append(bar)
        return list(rows.values())

    @staticmethod
    def _summarise(rows: list[FamilyRow], contracts) -> None:
        """Each row's family figures over the whole period, in one grouped query."""
        families = {row.family.pk if row.family else None for row in rows}
        present = Q(family__in=families - {None})
        if None in families:
            present |= Q(family__isnull=True)
        groups = (
            contracts.filter(present)
            .order_by()
            .values("family")
            .annotate(
                n=Count("pk"),
                entities=Count("buyer", distinct=True),
                first=Min("end_date"),
                last=Max("end_date"),
            )
        )
        sums = {group["family"]: group for group in groups}
        for row in rows:
            group = sums[row.family.pk if row.family else None]
            row.count, row.entity_count = group["n"], group["entities"]
            row.first_end, row.last_end = group["first"], group["last"]

    @staticmethod
    def _percent(day: date, start: date, end: date) -> float:
        span = (end - start).days or 1
        return round(100 * min(max((day - start).days, 0), span) / span, 2)
