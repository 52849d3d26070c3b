"""What the audit log page calls each action and detail, in plain words (the CSV keeps
the codes for other systems). A new action in core.audit.ACTIONS without a label here
shows its code (tests/web/test_hr_admin_usability.py holds every action to a label)."""

from flask_babel import lazy_gettext as _l

from lms.content.sync import KIND_NAMES, OUTCOME_NAMES
from lms.people.roles import ROLE_LABELS

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


# The keys the code records in details (core.web.audit's keywords, the import's summary,
# sign-in's); a key missing here shows as its code, as before.
DETAIL_LABELS = {
    "method": _l("way in"), "reason": _l("reason"), "limit": _l("limit reached"),
    "directory": _l("city directory"), "code": _l("code"), "format": _l("format"),
    "filters": _l("filter"), "role": _l("role"), "opd": _l("OPD"), "nip": _l("NIP"),
    "emailed": _l("sent by email"), "error": _l("error"), "fields": _l("fields"),
    "value": _l("setting"), "created": _l("created"), "updated": _l("updated"),
    "moved": _l("moved"), "deactivated": _l("deactivated"), "kept": _l("kept"),
    "unchanged": _l("unchanged"), "heads_appointed": _l("heads set"),
    "heads_ended": _l("heads ended"), "folder": _l("folder"), "revision": _l("version"),
    "version": _l("version"), "changes": _l("changes"), "draft": _l("draft"),
    "assignment": _l("mandatory course"), "course": _l("course"), "courses": _l("courses"),
    "due": _l("deadline"), "heads_first_days": _l("days earlier for heads"),
    "audience": _l("for"), "capacity": _l("seats"), "facilitator": _l("facilitator"),
    "place": _l("place"), "starts": _l("starts"), "signed_up": _l("signed up"),
    "marked": _l("ticked"), "unmarked": _l("ticks taken back"),
    "colleagues": _l("colleagues"), "held_on": _l("date"), "minutes": _l("minutes"),
    "record": _l("record"), "jp": _l("JP"), "title": _l("title"),
    "jp_enabled": _l("counts as JP"), "minutes_per_jp": _l("minutes per JP"),
    "yearly_cap": _l("JP a year at most"), "people": _l("people"),
    "skipped": _l("skipped"), "sent": _l("sent"), "failed": _l("failed"),
    "unsure": _l("not known whether sent"), "required": _l("required"),
    "new": _l("new number"), "tahun": _l("year"),
}
# Codes recorded as values, by key.
VALUE_LABELS = {
    "method": {"password": _l("password"), "ldap": _l("city directory (LDAP)"),
               "oidc": _l("Pemkot account (OpenID Connect)"),
               "activation": _l("activation code")},
    "reason": {"inactive": _l("employee not active"), "unknown": _l("NIP not in Melek"),
               "state": _l("the sign-in did not match this browser"),
               "too_slow": _l("took too long"), "no_nip": _l("the account gave no NIP"),
               "provider_refused": _l("refused by the provider"),
               "discovery": _l("provider not reachable"), "code": _l("code not accepted"),
               "no_code": _l("no code returned"), "id_token": _l("identity not valid"),
               "userinfo": _l("profile not readable"),
               "no_login_started": _l("no sign-in started in this browser")},
    "directory": {"accepted": _l("accepted"), "rejected": _l("refused"),
                  "unknown": _l("not found"), "unavailable": _l("not reachable")},
    "limit": {"account": _l("too many tries for this NIP"),
              "address": _l("too many NIPs from this address")},
    "format": {"csv": "CSV", "xlsx": "XLSX", "pdf": "PDF", "zip": "ZIP"},
    "role": ROLE_LABELS,
}


def _value(key: str, value) -> str:
    if isinstance(value, bool):
        return str(_l("yes") if value else _l("no"))
    if isinstance(value, dict):  # the filters of a download, a sync's counts per outcome
        return ", ".join(f"{OUTCOME_NAMES.get(k, k)}={v}" for k, v in value.items()) or "–"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "–"
    if value is None:
        return "–"
    return str(VALUE_LABELS.get(key, {}).get(value, value))


def details_text(details: dict | None) -> str:
    """The details as "name: value" pairs in the page's words; nothing for none (not
    "{}"). Unknown keys and values show as recorded."""
    if not details:
        return ""
    return "; ".join(f"{DETAIL_LABELS.get(key, KIND_NAMES.get(key, key))}: {_value(key, value)}"
                     for key, value in details.items())
