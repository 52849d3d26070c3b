"""Tables by area. Import from here: `from lms.models import Employee`."""

from lms.models.activation import AccessLink, ActivationCode
from lms.models.audit import AuditEvent
from lms.models.certificates import (
    Certificate,
    CertificateSettings,
    Transcript,
    VerificationMiss,
)
from lms.models.champions import AssistedColleague, AssistedSession, ChampionSettings
from lms.models.classroom import ClassSeat, ClassSession, ClassSessionModule, CodeMiss
from lms.models.content import Asset, Course, Module, Question, QuestionVersion
from lms.models.evaluation import (
    Confidence,
    ConfidenceStat,
    EvaluationDone,
    EvaluationForm,
    EvaluationPending,
    EvaluationResponse,
    EvaluationScore,
    EvaluationSettings,
    EvaluationStat,
)
from lms.models.hr import (
                 Assignment,
                 AssignmentMember,
                 CourseStat,
                 ExternalTraining,
                 JpYear,
                 OpdChange,
                 Requirement,
)
from lms.models.learning import AttemptAnswer, Enrollment, ModuleProgress, QuizAttempt
from lms.models.nudges import CertificateNotice, ClassNotice, Digest, JobLease, Reminder
from lms.models.org import LeaderSettings, Opd, OpdHead
from lms.models.people import (
    Employee,
    LoginAttempt,
    LoginSession,
    PendingImport,
    RoleGrant,
    Transfer,
)
from lms.models.pretest import CoursePretest, PretestAnswer, PretestAttempt
from lms.models.studio import CourseDraft, CourseOwner, CourseRevision, DraftFile

__all__ = [
    "AccessLink", "ActivationCode", "AssistedColleague", "AssistedSession", "Asset",
    "Assignment", "AssignmentMember",
    "AttemptAnswer", "AuditEvent", "Certificate", "CertificateNotice", "ClassNotice",
    "ClassSeat", "ClassSession",
    "ClassSessionModule", "CodeMiss",
    "CertificateSettings", "ChampionSettings", "Confidence", "ConfidenceStat", "Course",
    "CourseDraft", "CourseOwner", "CoursePretest", "CourseRevision", "CourseStat", "Digest",
    "DraftFile",
    "Employee", "Enrollment", "EvaluationDone", "EvaluationForm", "EvaluationPending",
    "EvaluationResponse", "EvaluationScore", "EvaluationSettings", "EvaluationStat",
    "ExternalTraining",
    "JobLease", "JpYear", "LeaderSettings", "LoginAttempt", "PendingImport",
    "LoginSession", "Module", "ModuleProgress", "Opd", "OpdChange", "OpdHead", "PretestAnswer",
    "PretestAttempt", "Question",
    "QuestionVersion", "QuizAttempt",
    "Reminder", "Requirement", "RoleGrant", "Transcript", "Transfer", "VerificationMiss",
]
