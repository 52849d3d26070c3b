from lms.evaluation.views import admin, learner, results  # noqa: F401
