"""The studio's pages, by area: the course list and course page, editors, history and
revisions, previews, zip transfer, and the item analysis."""

from lms.studio.views import analysis, courses, editor, history, previews, transfer  # noqa: F401
