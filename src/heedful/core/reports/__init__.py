"""What every report shares: the locations it covers, its time zone and its weeks."""

from heedful.core.reports.periods import (
    EARLIEST_DAY,
    LONGEST_PERIOD_DAYS,
    UTC_ZONE,
    WEEKS_BY_DEFAULT,
    Period,
    ReportScope,
    report_period,
    report_scope,
    report_zone,
)

__all__ = [
    "EARLIEST_DAY",
    "LONGEST_PERIOD_DAYS",
    "UTC_ZONE",
    "WEEKS_BY_DEFAULT",
    "Period",
    "ReportScope",
    "report_period",
    "report_scope",
    "report_zone",
]
