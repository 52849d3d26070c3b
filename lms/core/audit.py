"""The audit log: one call per sensitive action, in the same transaction as the action."""

from sqlalchemy.orm import Session

from lms.models import AuditEvent, Employee

ACTIONS = ("login", "login_failed", "login_blocked", "login_unlocked", "role_granted",
           "role_revoked", "import_employees", "import_opd", "export", "course_sync",
           "opd_changed", "assignment_created", "assignment_revoked", "training_recorded",
           "training_removed", "password_link", "password_link_mail_failed", "password_set",
           "course_created", "course_published", "course_imported", "course_exported",
           "revision_restored", "course_owner_added", "course_owner_removed",
           "certificate_revoked", "certificate_replaced", "certificate_settings_changed",
           "evaluation_imported", "evaluation_exported", "evaluation_settings_changed",
           # Ways in and first access (issue 19).
           "login_refused", "sso_failed", "access_links_sent", "activation_letters",
           "activation_used",
           # Classroom sessions (issue 15).
           "class_scheduled", "class_changed", "class_cancelled", "class_seat_added",
           "class_checked_in", "class_attendance_ticked",
           # Digital champions (issue 15).
           "assisted_recorded", "assisted_deleted", "champion_settings_changed",
           # Leaders first (issue 15).
           "opd_head_set", "opd_head_ended", "leader_settings_changed")


def record(session: Session, action: str, *, actor: Employee | None = None,
           nip: str = "", target: str = "", details: dict | None = None,
           address: str = "") -> AuditEvent:
    assert action in ACTIONS, action
    event = AuditEvent(action=action, actor_id=actor.id if actor else None,
                       actor_nip=(actor.nip if actor else nip)[:64], target=target[:200],
                       details=details or {}, address=address[:64])
    session.add(event)
    return event
