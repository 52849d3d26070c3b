"""The certificates' pages, by audience."""

from lms.certificates.views import admin, hr, learner  # noqa: F401
