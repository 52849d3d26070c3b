"""Melek: staff digital-literacy training for Pemerintah Kota Tangerang Selatan."""

from pathlib import Path

from flask import Flask
from flask_babel import lazy_gettext as _l

from lms import config as settings
from lms.extensions import babel, csrf, db, login_manager, migrate


def create_app(config: dict | None = None) -> Flask:
    """Build the app from the environment (and `config`, for tests). No I/O but reading
    settings: no database access, no files written."""
    app = Flask(__name__, instance_relative_config=True,
                template_folder=str(settings.ROOT / "templates"),
                static_folder=str(settings.ROOT / "static"))
    app.config.update(settings.DEFAULTS)
    app.config.update(settings.from_environment(app.instance_path))
    app.config.update(config or {})
    if app.config["TRUSTED_PROXIES"]:
        # Behind nginx or a load balancer: take the client address and scheme from the
        # proxy's headers, so login throttling counts real addresses.
        from werkzeug.middleware.proxy_fix import ProxyFix
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    db.init_app(app)
    with app.app_context():
        from lms.database import configure_engine
        configure_engine(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
    migrate.init_app(app, db, directory=str(settings.ROOT / "migrations"),
                     render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to open this page.")
    login_manager.login_message_category = "info"
    from lms.i18n import select_locale
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=str(Path(__file__).parent / "translations"))

    from lms import web
    web.init_app(app)
    from lms.admin import bp as admin_bp
    from lms.auth import bp as auth_bp
    from lms.author import bp as author_bp
    from lms.learn import bp as learn_bp
    from lms.reports import bp as reports_bp
    app.register_blueprint(auth_bp)
    app.register_blueprint(learn_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(author_bp)
    app.register_blueprint(admin_bp)

    from lms.cli import lms
    app.cli.add_command(lms)
    return app
