"""The pages (pages: lists, a session, scheduling; running: attendance and the code)."""

from lms.classroom.views import pages, running  # noqa: F401  (routes attach on import)
