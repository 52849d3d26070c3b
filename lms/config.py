"""Settings from the environment, with safe defaults for local use."""

import os
import secrets
from pathlib import Path

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


def from_environment(instance_path: str) -> dict:
    env = os.environ.get("LMS_ENV", "development")
    instance = Path(instance_path)
    return {
        "LMS_ENV": env,
        "SECRET_KEY": _secret_key(env, instance),
        "SQLALCHEMY_DATABASE_URI": os.environ.get(
            "DATABASE_URL", f"sqlite:///{instance / 'melek.db'}"
        ),
        "COURSES_DIR": os.environ.get("COURSES_DIR", str(ROOT / "courses")),
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
        "JP_TARGET_PER_YEAR": int(os.environ.get("JP_TARGET_PER_YEAR", "20")),
        # How long a write waits for SQLite's write lock before the "busy, try again" page.
        "SQLITE_BUSY_TIMEOUT_MS": int(os.environ.get("SQLITE_BUSY_TIMEOUT_MS", "15000")),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USE_TLS": os.environ.get("MAIL_USE_TLS", "") in ("1", "true", "yes"),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "melek@localhost"),
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
    # Login throttling (per NIP and per client address, counted in the database
    # so every worker and host sees the same numbers).
    "LOGIN_MAX_FAILURES_PER_ACCOUNT": 5,
    "LOGIN_MAX_FAILURES_PER_ADDRESS": 30,
    "LOGIN_FAILURE_WINDOW_MINUTES": 15,
    "JP_MINUTES": 45,  # one JP; trainers size a course's `jp` with it (tests check)
}
