"""Settings from the environment, with safe defaults for local use."""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    pass


def _secret_key(env: str, instance: Path) -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if env == "production":
        raise ConfigError("SECRET_KEY must be set when LMS_ENV=production")
    keyfile = instance / "secret_key"
    if keyfile.exists():
        return keyfile.read_text().strip()
    # `make run` writes the key file; without it sessions last one process only.
    return secrets.token_hex(32)


DEVELOPMENT_BASE_URL = "http://127.0.0.1:5000"  # what `make run` serves


def _public_base_url(env: str) -> str:
    """Where people reach the site. Links that leave it (emails) are built from this,
    never from the request's Host header, which whoever sends the request chooses."""
    url = os.environ.get("PUBLIC_BASE_URL", "").strip().rstrip("/")
    if not url:
        if env == "production":
            raise ConfigError("PUBLIC_BASE_URL must be set when LMS_ENV=production, e.g. "
                              "https://melek.tangerangselatankota.go.id (links in emails "
                              "are built from it)")
        return DEVELOPMENT_BASE_URL
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query \
            or parts.fragment:
        raise ConfigError(f"PUBLIC_BASE_URL must look like https://host[/path], not {url!r}")
    return url


def _trusted_hosts(env: str, base_url: str) -> list[str] | None:
    """Host headers the site answers (others get 400): TRUSTED_HOSTS, comma-separated;
    in production by default only PUBLIC_BASE_URL's host; `*` accepts any."""
    value = os.environ.get("TRUSTED_HOSTS", "").strip()
    if value == "*":
        return None
    if value:
        return [h.strip() for h in value.split(",") if h.strip()]
    return [urlsplit(base_url).hostname] if env == "production" else None


def _days(value: str) -> tuple[int, ...]:
    """"14,3" -> (14, 3): whole days before a due date, each 1-365."""
    try:
        days = tuple(sorted({int(v) for v in value.split(",") if v.strip()}, reverse=True))
    except ValueError:
        days = ()
    if not days or not all(1 <= d <= 365 for d in days):
        raise ConfigError(f"REMINDER_DAYS_BEFORE must be days like 14,3, not {value!r}")
    return days


def _every(value: str) -> int:
    """Days between reminders while overdue: 1-365."""
    if not value.strip().isdigit() or not 1 <= int(value) <= 365:
        raise ConfigError(f"REMINDER_OVERDUE_EVERY must be a number of days, 1-365, not "
                          f"{value!r}")
    return int(value)


PASSWORD_LOGIN_CHOICES = ("all", "admins-only")


def _choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = os.environ.get(name, default).strip() or default
    if value not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


def _whole(name: str, default: str, low: int, high: int) -> int:
    value = os.environ.get(name, default).strip()
    if not value.isdigit() or not low <= int(value) <= high:
        raise ConfigError(f"{name} must be a whole number {low}-{high}, not {value!r}")
    return int(value)


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes")


def _oidc() -> dict:
    """The city's OpenID provider (docs/operations.md): all three or none."""
    found = {name: os.environ.get(name, "").strip()
             for name in ("OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET")}
    if any(found.values()) and not all(found.values()):
        missing = ", ".join(name for name, value in found.items() if not value)
        raise ConfigError(f"OpenID login needs OIDC_ISSUER, OIDC_CLIENT_ID and "
                          f"OIDC_CLIENT_SECRET together; missing: {missing}")
    issuer = found["OIDC_ISSUER"].rstrip("/")
    if issuer and urlsplit(issuer).scheme not in ("http", "https"):
        raise ConfigError(f"OIDC_ISSUER must be the provider's https:// address, not {issuer!r}")
    return {**found, "OIDC_ISSUER": issuer,
            "OIDC_NIP_CLAIM": os.environ.get("OIDC_NIP_CLAIM", "").strip() or "nip",
            "OIDC_SCOPES": os.environ.get("OIDC_SCOPES", "").strip() or "openid"}


def _ldap() -> dict:
    """The city's LDAP directory (docs/operations.md): a URL and either a DN template or
    a search base."""
    found = {name: os.environ.get(name, "").strip() for name in (
        "LDAP_URL", "LDAP_USER_DN_TEMPLATE", "LDAP_BIND_DN", "LDAP_SEARCH_BASE",
        "LDAP_CA_FILE")}
    found["LDAP_BIND_PASSWORD"] = os.environ.get("LDAP_BIND_PASSWORD", "")
    found["LDAP_SEARCH_FILTER"] = os.environ.get("LDAP_SEARCH_FILTER", "").strip() \
        or "(uid={nip})"
    url = found["LDAP_URL"]
    if url:
        if urlsplit(url).scheme not in ("ldap", "ldaps"):
            raise ConfigError(f"LDAP_URL must start with ldap:// or ldaps://, not {url!r}")
        if bool(found["LDAP_USER_DN_TEMPLATE"]) == bool(found["LDAP_SEARCH_BASE"]):
            raise ConfigError("LDAP_URL needs either LDAP_USER_DN_TEMPLATE or "
                              "LDAP_SEARCH_BASE (with LDAP_BIND_DN), not both or neither")
        template = found["LDAP_USER_DN_TEMPLATE"] or found["LDAP_SEARCH_FILTER"]
        if "{nip}" not in template:
            raise ConfigError("LDAP_USER_DN_TEMPLATE and LDAP_SEARCH_FILTER must hold {nip}")
    found["LDAP_START_TLS"] = _flag("LDAP_START_TLS")
    found["LDAP_TIMEOUT"] = _whole("LDAP_TIMEOUT", "5", 1, 60)
    return found


def from_environment(instance_path: str) -> dict:
    env = os.environ.get("LMS_ENV", "development")
    instance = Path(instance_path)
    base_url = _public_base_url(env)
    return {
        "LMS_ENV": env,
        "SECRET_KEY": _secret_key(env, instance),
        "PUBLIC_BASE_URL": base_url,
        "TRUSTED_HOSTS": _trusted_hosts(env, base_url),
        "SQLALCHEMY_DATABASE_URI": os.environ.get(
            "DATABASE_URL", f"sqlite:///{instance / 'melek.db'}"
        ),
        "COURSES_DIR": os.environ.get("COURSES_DIR", str(ROOT / "courses")),
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
        "JP_TARGET_PER_YEAR": int(os.environ.get("JP_TARGET_PER_YEAR", "20")),
        # A PKCS#12 key to sign certificate PDFs with (docs/operations.md); `lms demo`
        # makes a self-signed one at the default path on a development machine.
        "CERTIFICATE_SIGNING_P12": os.environ.get(
            "CERTIFICATE_SIGNING_P12", str(instance / "certificate-signing.p12")),
        "CERTIFICATE_SIGNING_PASSWORD": os.environ.get("CERTIFICATE_SIGNING_PASSWORD", ""),
        # /verifikasi: codes that match nothing, per address, before a pause.
        "VERIFY_MAX_MISSES_PER_ADDRESS": int(os.environ.get(
            "VERIFY_MAX_MISSES_PER_ADDRESS", "20")),
        "VERIFY_WINDOW_MINUTES": int(os.environ.get("VERIFY_WINDOW_MINUTES", "15")),
        # Login throttling (docs/operations.md): counted in the database, so every
        # worker and host sees the same numbers.
        "LOGIN_MAX_FAILURES_PER_ACCOUNT": int(os.environ.get(
            "LOGIN_MAX_FAILURES_PER_ACCOUNT", "5")),
        "LOGIN_MAX_NIPS_PER_ADDRESS": int(os.environ.get("LOGIN_MAX_NIPS_PER_ADDRESS", "50")),
        "LOGIN_FAILURE_WINDOW_MINUTES": int(os.environ.get(
            "LOGIN_FAILURE_WINDOW_MINUTES", "15")),
        # How long a write waits for SQLite's write lock before the "busy, try again" page.
        "SQLITE_BUSY_TIMEOUT_MS": int(os.environ.get("SQLITE_BUSY_TIMEOUT_MS", "15000")),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USE_TLS": os.environ.get("MAIL_USE_TLS", "") in ("1", "true", "yes"),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "melek@localhost"),
        # Deadline reminders (send-reminders): days before the due date, then every
        # REMINDER_OVERDUE_EVERY days while overdue (docs/operations.md).
        "REMINDER_DAYS_BEFORE": _days(os.environ.get("REMINDER_DAYS_BEFORE", "14,3")),
        "REMINDER_OVERDUE_EVERY": _every(os.environ.get("REMINDER_OVERDUE_EVERY", "7")),
        # Ways in (docs/operations.md): the city's OpenID provider, its LDAP directory,
        # and local passwords, for everyone or only for admins.
        **_oidc(),
        **_ldap(),
        "PASSWORD_LOGIN": _choice("PASSWORD_LOGIN", "all", PASSWORD_LOGIN_CHOICES),
        # First access: printed activation codes last this many days; a bulk send of
        # set-password links skips people sent one within ACCESS_LINK_RESEND_HOURS.
        "ACTIVATION_DAYS": _whole("ACTIVATION_DAYS", "14", 1, 90),
        "ACCESS_LINK_RESEND_HOURS": _whole("ACCESS_LINK_RESEND_HOURS", "72", 1, 24 * 90),
        "SESSION_COOKIE_SECURE": env == "production",
        "REMEMBER_COOKIE_SECURE": env == "production",
    }


DEFAULTS = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "PERMANENT_SESSION_LIFETIME": 8 * 3600,
    "MAX_CONTENT_LENGTH": 4 * 1024 * 1024,
    "BABEL_DEFAULT_LOCALE": "id",
    "BABEL_DEFAULT_TIMEZONE": "Asia/Jakarta",
    "LANGUAGES": ("id", "en"),
    "WTF_CSRF_TIME_LIMIT": None,  # a long module read must not expire the quiz form
    "JP_MINUTES": 45,  # one JP; trainers size a course's `jp` with it (tests check)
}
