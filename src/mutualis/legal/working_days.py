"""Working days: a legal time limit ending on a Saturday, a Sunday or a public holiday carries to the
next working day (DOMAIN.md §3.2). The public holidays are those of the `holidays` library (France)."""

from datetime import date, timedelta
from functools import cache

import holidays

SATURDAY = 5


def next_working_day(day: date) -> date:
    """The day itself if it is worked, else the next one (national public holidays of France)."""
    while day.weekday() >= SATURDAY or day in _public_holidays(day.year):
        day += timedelta(days=1)
    return day


@cache
def _public_holidays(year: int) -> holidays.HolidayBase:
    return holidays.France(years=year)


def add_working_days(day: date, count: int) -> date:
    """The working day `count` working days after `day` (Saturdays, Sundays and French public holidays
    skipped); 0 gives `day` itself carried to a working day."""
    day = next_working_day(day)
    for _ in range(count):
        day = next_working_day(day + timedelta(days=1))
    return day
