"""What the audit log page calls each action and detail, in plain words (the CSV keeps
the codes for other systems). A new action in core.audit.ACTIONS without a label here
shows its code (tests/web/test_hr_admin_usability.py holds every action to a label)."""

from flask_babel import lazy_gettext as _l

ACTION_LABELS = {
    "login": _l("Logged in"), "login_failed": _l("Failed login"),
    "login_blocked": _l("Login blocked (too many tries)"),
    "login_unlocked": _l("Login attempts reset by an admin"),
    "role_granted": _l("Role given"), "role_revoked": _l("Role taken away"),
    "import_employees": _l("Employees imported"), "import_opd": _l("OPDs imported"),
    "export": _l("Report downloaded"), "course_sync": _l("Courses read from the folder"),
    "opd_changed": _l("OPD changed"), "assignment_created": _l("Course made mandatory"),
    "assignment_revoked": _l("Mandatory course withdrawn"),
    "training_recorded": _l("Outside training recorded"),
    "training_removed": _l("Outside training removed"),
    "password_link": _l("Password link made"),
    "password_link_mail_failed": _l("Password link email not sent"),
    "password_set": _l("Password set"), "course_created": _l("Course created"),
    "course_published": _l("Course published"), "course_imported": _l("Course imported"),
    "course_exported": _l("Course downloaded"), "revision_restored": _l("Old version restored"),
    "course_owner_added": _l("Course editor added"),
    "course_owner_removed": _l("Course editor removed"),
    "certificate_revoked": _l("Certificate revoked"),
    "certificate_replaced": _l("Certificate replaced by a corrected one"),
    "certificate_settings_changed": _l("Certificate settings changed"),
    "evaluation_imported": _l("Evaluation questionnaire imported"),
    "evaluation_exported": _l("Evaluation questionnaire downloaded"),
    "evaluation_settings_changed": _l("Evaluation settings changed"),
    "login_refused": _l("Login refused (not an active employee)"),
    "sso_failed": _l("Sign-in with the city account failed"),
    "access_links_sent": _l("Set-password links sent"),
    "activation_letters": _l("Activation letters printed"),
    "activation_used": _l("Activation code used"),
    "class_scheduled": _l("Classroom session scheduled"),
    "class_changed": _l("Classroom session changed"),
    "class_cancelled": _l("Classroom session cancelled"),
    "class_seat_added": _l("Person added to a classroom session"),
    "class_checked_in": _l("Attendance code used"),
    "class_attendance_ticked": _l("Attendance ticked by the facilitator"),
    "assisted_recorded": _l("Pendampingan recorded"),
    "assisted_deleted": _l("Pendampingan record deleted"),
    "champion_settings_changed": _l("Pendampingan JP setting changed"),
    "opd_head_set": _l("Head of a unit set"), "opd_head_ended": _l("Head of a unit ended"),
    "leader_settings_changed": _l("Leaders-first setting changed"),
}


def details_text(details: dict | None) -> str:
    """The details as "key: value" pairs; nothing for none (not "{}")."""
    if not details:
        return ""
    parts = []
    for key, value in details.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k}={v}" for k, v in value.items()) or "–"
        parts.append(f"{key}: {value}")
    return "; ".join(parts)
