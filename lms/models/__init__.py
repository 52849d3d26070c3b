"""Tables by area. Import from here: `from lms.models import Employee`."""

from .content import Asset, Course, Module, Question
from .hr import (
                 Assignment,
                 AssignmentMember,
                 CourseStat,
                 ExportLog,
                 ExternalTraining,
                 JpYear,
                 OpdChange,
                 Requirement,
)
from .learning import AttemptAnswer, Enrollment, ModuleProgress, QuizAttempt
from .org import Opd
from .people import Employee, LoginAttempt, RoleGrant, Transfer

__all__ = [
    "Asset", "Assignment", "AssignmentMember", "AttemptAnswer", "Course", "CourseStat",
    "Employee", "Enrollment", "ExportLog", "ExternalTraining", "JpYear", "LoginAttempt",
    "Module", "ModuleProgress", "Opd", "OpdChange", "Question", "QuizAttempt", "Requirement",
    "RoleGrant", "Transfer",
]
