"""Tables by area. Import from here: `from lms.models import Employee`."""

from .audit import AuditEvent
from .content import Asset, Course, Module, Question
from .hr import (
                 Assignment,
                 AssignmentMember,
                 CourseStat,
                 ExternalTraining,
                 JpYear,
                 OpdChange,
                 Requirement,
)
from .learning import AttemptAnswer, Enrollment, ModuleProgress, QuizAttempt
from .org import Opd
from .people import Employee, LoginAttempt, RoleGrant, Transfer

__all__ = [
    "Asset", "Assignment", "AssignmentMember", "AttemptAnswer", "AuditEvent", "Course",
    "CourseStat", "Employee", "Enrollment", "ExternalTraining", "JpYear", "LoginAttempt",
    "Module", "ModuleProgress", "Opd", "OpdChange", "Question", "QuizAttempt", "Requirement",
    "RoleGrant", "Transfer",
]
