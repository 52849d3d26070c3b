from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core.extensions import db

OPD_KINDS = ("kota", "sekretariat", "inspektorat", "dinas", "badan", "kecamatan",
         "kelurahan", "unit")


class Opd(db.Model):
    """A node of the organisation tree: the city, an OPD, or a unit under one.

    `path` lists the ids from the root, "/1/7/23/", so "this node and everything under it"
    is one indexed prefix match (`path LIKE '/1/7/%'`).
    """

    __tablename__ = "opd"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("opd.id"), index=True)
    path: Mapped[str] = mapped_column(String(400), index=True, default="")
    depth: Mapped[int] = mapped_column(default=0)

    parent: Mapped["Opd | None"] = relationship(remote_side=[id])

    def __repr__(self) -> str:
        return f"<Opd {self.code}>"
