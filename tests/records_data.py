"""Build records straight into the store (activities, murmurs, leads, resources) for tests.

Numbers come from `next_record_number`, exactly as the flows take them, so #N in a test is the
same #N a user would type.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.clock import ManualClock
from storage.db import session_scope
from storage.members import get_area, get_municipality, next_record_number
from storage.models import Activity, Lead, Member, Murmur, MurmurCategory, Resource


class Records:
    """Adds records to one municipality, recorded by members named as they registered."""

    def __init__(self, engine: Engine, clock: ManualClock, municipality: str) -> None:
        self.engine = engine
        self.clock = clock
        self._members: dict[str, int] = {}
        with session_scope(engine) as s:
            found = get_municipality(s, name=municipality)
            assert found.id is not None
            self.municipality_id = found.id

    def member_id(self, name: str) -> int:
        """Return the id of the member called `name` in this municipality."""
        if name in self._members:
            return self._members[name]
        with session_scope(self.engine) as s:
            member = s.exec(
                select(Member).where(
                    Member.municipality_id == self.municipality_id, Member.name == name
                )
            ).one()
            assert member.id is not None
            self._members[name] = member.id
            return member.id

    def area_id(self, name: str | None) -> int | None:
        """Return the id of an area of this municipality (None for no area)."""
        if name is None:
            return None
        with session_scope(self.engine) as s:
            return get_area(s, municipality_id=self.municipality_id, name=name).id

    def _number(self, s: Session) -> int:
        return next_record_number(s, municipality_id=self.municipality_id)

    def activity(
        self,
        by: str,
        on: date,
        *,
        type: str = "訪問",
        area: str | None = None,
        place: str | None = None,
        purpose: str | None = None,
        minutes: int | None = 60,
        kubun: str | None = "把握",
        ordinal: int | None = None,
        treasures: str | None = None,
        outcome: str | None = None,
        counterpart: str | None = None,
        participants: int | None = None,
        companions: Sequence[str] = (),
    ) -> int:
        """Add an activity (a visit when type is 訪問) and return its number."""
        author, area_id, now = self.member_id(by), self.area_id(area), self.clock.now()
        with session_scope(self.engine) as s:
            activity = Activity(
                municipality_id=self.municipality_id,
                number=self._number(s),
                recorded_by=author,
                activity_type=type,
                occurred_on=on,
                duration_min=minutes,
                area_id=area_id,
                place_label=place,
                purpose=purpose if purpose or type != "訪問" else "宝物さがし",
                visit_ordinal=ordinal,
                participants_count=participants,
                companions=list(companions),
                counterpart=counterpart,
                treasures=treasures,
                kubun=kubun,
                outcome=outcome,
                created_at=now,
                updated_at=now,
            )
            s.add(activity)
            s.flush()
            return activity.number

    def visit(self, by: str, on: date, **fields: Any) -> int:
        """Add a visit and return its number."""
        return self.activity(by, on, type="訪問", **fields)

    def murmur(
        self,
        by: str,
        on: date,
        text: str,
        *,
        kind: str = "困りごと",
        categories: Sequence[str] = ("other",),
        area: str | None = None,
        scope: str = "team",
        activity: int | None = None,
    ) -> int:
        """Add a murmur with its categories (primary first) and return its number."""
        author, area_id, now = self.member_id(by), self.area_id(area), self.clock.now()
        with session_scope(self.engine) as s:
            murmur = Murmur(
                municipality_id=self.municipality_id,
                number=self._number(s),
                recorded_by=author,
                activity_id=self._activity_id(s, activity),
                text=text,
                kind=kind,
                area_id=area_id,
                sharing_scope=scope,
                captured_on=on,
                created_at=now,
                updated_at=now,
            )
            s.add(murmur)
            s.flush()
            assert murmur.id is not None
            for position, code in enumerate(categories):
                s.add(MurmurCategory(murmur_id=murmur.id, category_code=code, position=position))
            return murmur.number

    def lead(
        self,
        by: str,
        label: str,
        *,
        area: str | None = None,
        activity: int | None = None,
        status: str = "未訪問",
        created: datetime | None = None,
    ) -> int:
        """Add a lead (芋づる) and return its number."""
        author, area_id = self.member_id(by), self.area_id(area)
        with session_scope(self.engine) as s:
            lead = Lead(
                municipality_id=self.municipality_id,
                number=self._number(s),
                activity_id=self._activity_id(s, activity),
                label=label,
                area_id=area_id,
                status=status,
                created_by=author,
                created_at=created or self.clock.now(),
            )
            s.add(lead)
            s.flush()
            return lead.number

    def resource(
        self,
        by: str | None,
        name: str,
        *,
        kind: str | None = None,
        area: str | None = None,
        categories: Sequence[str] = (),
        created: datetime | None = None,
    ) -> int:
        """Add a local resource and return its number."""
        author = self.member_id(by) if by else None
        area_id = self.area_id(area)
        with session_scope(self.engine) as s:
            resource = Resource(
                municipality_id=self.municipality_id,
                number=self._number(s),
                name=name,
                kind=kind,
                area_id=area_id,
                categories=list(categories),
                created_by=author,
                created_at=created or self.clock.now(),
            )
            s.add(resource)
            s.flush()
            return resource.number

    def _activity_id(self, s: Session, number: int | None) -> int | None:
        if number is None:
            return None
        return s.exec(
            select(Activity.id).where(
                Activity.municipality_id == self.municipality_id, Activity.number == number
            )
        ).one()
