"""The period and perimeter every steering figure is computed for."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from mutualis.catalogue.models import PurchaseFamily
from mutualis.organisations.models import Entity

# The years a steering page or the indicators API accepts.
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class Scope:
    """A year (or one quarter of it), optionally one entity (the contract's buyer, the project's
    entities, the spend's entity) and one purchase family."""

    year: int
    quarter: int | None = None
    entity: Entity | None = None
    family: PurchaseFamily | None = None

    @property
    def start(self) -> date:
        return date(self.year, 3 * (self.quarter - 1) + 1, 1) if self.quarter else date(self.year, 1, 1)

    @property
    def end(self) -> date:
        """The period's last day."""
        if not self.quarter or self.quarter == 4:
            return date(self.year, 12, 31)
        return date(self.year, 3 * self.quarter + 1, 1) - timedelta(days=1)

    @property
    def instants(self) -> tuple[datetime, datetime]:
        """The period as [its first instant, the first instant after it) in the site's time zone: a filter
        on a timestamp that its index serves, where `__date__range` casts every row."""
        after = self.end + timedelta(days=1)
        return (
            timezone.make_aware(datetime.combine(self.start, time.min)),
            timezone.make_aware(datetime.combine(after, time.min)),
        )

    @property
    def label(self) -> str:
        period = f"T{self.quarter} {self.year}" if self.quarter else str(self.year)
        parts = [period, str(self.entity) if self.entity else "tout le territoire"]
        if self.family:
            parts.append(f"famille {self.family.code}")
        return ", ".join(parts)

    def query(self) -> dict:
        """The scope as the steering pages' query string (year, quarter, entity, family)."""
        params = {"year": self.year}
        if self.quarter:
            params["quarter"] = self.quarter
        if self.entity:
            params["entity"] = self.entity.pk
        if self.family:
            params["family"] = self.family.pk
        return params

    def previous(self) -> "Scope":
        """The same perimeter a year earlier (the trend)."""
        return Scope(self.year - 1, self.quarter, self.entity, self.family)
