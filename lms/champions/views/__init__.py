from lms.champions.views import champion, staff  # noqa: F401 (attach the routes)
