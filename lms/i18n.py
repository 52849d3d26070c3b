from flask import current_app, request, session


def select_locale() -> str:
    """The language chosen in this browser (or saved on the account at login), else
    Bahasa Indonesia. The browser's Accept-Language is ignored on purpose: many office
    computers are set to English while their users read Indonesian best."""
    chosen = session.get("locale") if request else None
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]
