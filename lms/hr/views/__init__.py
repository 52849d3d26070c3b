"""HR's pages; split by what they show."""

from lms.hr.views import employee, leaders, reports  # noqa: F401
