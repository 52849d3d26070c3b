"""Melek: staff digital-literacy training for Pemerintah Kota Tangerang Selatan."""

from importlib import import_module
from pathlib import Path

from flask import Flask
from flask_babel import lazy_gettext as _l

from lms import config as settings
from lms.core.extensions import babel, csrf, db, login_manager, migrate

# The features that serve pages, each a package with `bp` in __init__ and its views.
FEATURES = ("auth", "learning", "hr", "mandatory", "people", "studio", "org", "audit",
            "certificates", "verification", "nudges", "evaluation", "activation",
            "pretest", "classroom", "champions")


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
        from lms.core.database import configure_engine
        configure_engine(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
    migrate.init_app(app, db, directory=str(settings.ROOT / "migrations"),
                     render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to open this page.")
    login_manager.login_message_category = "info"
    from lms.core.i18n import select_locale
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=str(Path(__file__).parent / "translations"))

    from lms.core import static, web
    web.init_app(app)
    static.init_app(app)
    for name in FEATURES:
        # A feature's views attach their routes to its blueprint when imported, so the
        # domain modules beside them can be imported alone, without the pages.
        import_module(f"lms.{name}.views")
        app.register_blueprint(import_module(f"lms.{name}").bp)

    from lms.cli import lms
    app.cli.add_command(lms)
    return app
