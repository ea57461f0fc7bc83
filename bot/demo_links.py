"""Generated つなぎ for `tsunagi demo --size`: what became of the murmurs, and the resources' history.

A murmur generated as つないだ, 資源化 or 既存資源で対応 gets the Connection that explains it (to a
resource of its area where there is one, else an organisation or the 地域包括支援センター); about
half of the connections carry a follow-up, most of the past ones done. Every resource gets its
`created` ResourceChange and, when it is not 活動中, the status change that made it so — so the
summaries' つなぎ, follow-up and 地域資源 counts have something to count.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

CONNECTED = ("つないだ", "資源化", "既存資源で対応")
ORGANISATIONS = ("民生委員児童委員協議会", "社会福祉協議会 ボランティアセンター", "シルバー人材センター",
                 "地元スーパー（移動販売）", "自治会長", "NPO法人 送迎ボランティア")  # fmt: skip
FOLLOW_UP_SHARE = 0.5
DONE_SHARE = 0.7


@dataclass
class Links:
    """The rows to insert: connections (numbered), their follow-ups and resource changes."""

    connections: list[dict[str, Any]] = field(default_factory=list)
    follow_ups: list[dict[str, Any]] = field(default_factory=list)  # "_connection": its index
    changes: list[dict[str, Any]] = field(default_factory=list)


def plan_links(
    rng: random.Random,
    *,
    municipality_id: int,
    today: date,
    murmurs: Sequence[dict[str, Any]],
    murmur_ids: Sequence[int],
    resources: Sequence[dict[str, Any]],
    resource_ids: Sequence[int],
    number: Any,
) -> Links:
    """Plan the links of one municipality's generated records; `number()` gives record numbers."""
    links = Links()
    nearby: dict[int | None, list[int]] = {}
    for row, resource_id in zip(resources, resource_ids, strict=True):
        if row["status"] in ("活動中", "再開"):
            nearby.setdefault(row["area_id"], []).append(resource_id)
        links.changes += _changes(row, resource_id, today)
    everywhere = [i for ids in nearby.values() for i in ids]
    for row, murmur_id in zip(murmurs, murmur_ids, strict=True):
        if row["status"] not in CONNECTED:
            continue
        created = _later(rng, row["created_at"], today)
        connection: dict[str, Any] = {
            "municipality_id": municipality_id,
            "murmur_id": murmur_id,
            "resource_id": None,
            "organisation": None,
            "note": row["status"],
            "created_by": row["recorded_by"],
            "created_at": created,
        }
        candidates = nearby.get(row["area_id"]) or everywhere
        target = "resource" if row["status"] != "つないだ" else rng.choice(
            ("resource", "organisation", "houkatsu")
        )
        if target == "resource" and candidates:
            connection.update(target_kind="resource", resource_id=rng.choice(candidates))
        elif target == "houkatsu":
            connection.update(target_kind="houkatsu")
        else:
            connection.update(target_kind="organisation", organisation=rng.choice(ORGANISATIONS))
        links.connections.append(connection)
        if rng.random() < FOLLOW_UP_SHARE:
            links.follow_ups.append(_follow_up(rng, connection, len(links.connections) - 1, today))
    for connection in sorted(links.connections, key=lambda c: c["created_at"]):
        connection["number"] = number()
    return links


def _later(rng: random.Random, moment: datetime, today: date) -> datetime:
    """Return a moment a few days after `moment`, never after today."""
    later = moment + timedelta(days=rng.randrange(0, 10))
    return later if later.date() <= today else moment


def _follow_up(
    rng: random.Random, connection: dict[str, Any], index: int, today: date
) -> dict[str, Any]:
    created: datetime = connection["created_at"]
    due = created.date() + timedelta(days=rng.choice((7, 14, 30)))
    done = due < today and rng.random() < DONE_SHARE
    return {
        "municipality_id": connection["municipality_id"],
        "_connection": index,
        "owner_id": connection["created_by"],
        "due_on": due,
        "created_at": created,
        "done_at": datetime.combine(due, created.timetz()) if done else None,
    }


def _changes(row: dict[str, Any], resource_id: int, today: date) -> list[dict[str, Any]]:
    created = {
        "municipality_id": row["municipality_id"],
        "resource_id": resource_id,
        "change": "created",
        "status_before": None,
        "status_after": "活動中",
        "at": row["created_at"],
        "member_id": row["created_by"],
        "source": "chat",
    }
    if row["status"] == "活動中":
        return [created]
    as_of: date = row["status_as_of"]
    at = datetime.combine(min(as_of, today), row["created_at"].timetz())
    before = "休止" if row["status"] == "再開" else "活動中"
    status = {**created, "change": "status", "status_before": before}
    return [created, {**status, "status_after": row["status"], "at": max(at, row["created_at"])}]
