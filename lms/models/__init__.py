"""Tables by area. Import from here: `from lms.models import Employee`."""

from .content import Asset, Course, Module, Question
from .learning import AttemptAnswer, Enrollment, ModuleProgress, QuizAttempt
from .org import Opd
from .people import Employee, LoginAttempt, RoleGrant

__all__ = [
    "Asset", "AttemptAnswer", "Course", "Employee", "Enrollment", "LoginAttempt",
    "Module", "ModuleProgress", "Opd", "Question", "QuizAttempt", "RoleGrant",
]
