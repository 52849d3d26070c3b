"""Tables by area. Import from here: `from lms.models import Employee`."""

from .audit import AuditEvent
from .content import Asset, Course, Module, Question, QuestionVersion
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
from .people import Employee, LoginAttempt, LoginSession, RoleGrant, Transfer
from .studio import CourseDraft, CourseOwner, CourseRevision, DraftFile

__all__ = [
    "Asset", "Assignment", "AssignmentMember", "AttemptAnswer", "AuditEvent", "Course",
    "CourseDraft", "CourseOwner", "CourseRevision", "CourseStat", "DraftFile", "Employee",
    "Enrollment", "ExternalTraining", "JpYear", "LoginAttempt", "LoginSession", "Module",
    "ModuleProgress", "Opd", "OpdChange", "Question", "QuestionVersion", "QuizAttempt",
    "Requirement", "RoleGrant", "Transfer",
]
