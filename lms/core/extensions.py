"""Extension objects, bound to an app in the factory."""

from flask_babel import Babel
from flask_login import AnonymousUserMixin, LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()


class Anonymous(AnonymousUserMixin):
    """Nobody signed in: holds no role (an OPTIONS request, which Flask-Login lets past
    login_required, then meets each blueprint's check and gets a 403, not a 500)."""

    grants = ()
    roles = frozenset()

    def has_role(self, role: str) -> bool:
        return False


login_manager.anonymous_user = Anonymous
csrf = CSRFProtect()
babel = Babel()
