"""A burst of 1,000 reminders due in one minute drains through the outbox to LINE: 0 lost, 0 twice.

The scheduler queues them in one pass (tests/test_reminders.py); here they also go out, through
the real LINE channel against the fake LINE platform, while LINE answers 429 and 500 for a while.
"""

from __future__ import annotations

from collections import Counter

from line_support import PUSH, line_world
from test_reminders import DAY_BEFORE, crowd

from schedules.reminders import send_due

CROWD = 1000


def line_user(i: int) -> str:
    return f"U{i:032x}"


def test_a_burst_of_1000_reminders_reaches_line_once_each_despite_429_and_500(tmp_path, clock):
    with line_world(tmp_path, clock) as line:
        engine = line.runtime.engine
        crowd(engine, clock, CROWD, channel="line", account=line_user)
        clock.set(DAY_BEFORE)
        assert send_due(engine, clock).sent == CROWD
        line.fake.fail_next(5, status=429, retry_after=2, path=PUSH)
        line.fake.fail_next(3, status=500, path=PUSH)

        for _ in range(200):  # drain: deliver what is due; let the clock pass the backoffs
            if line.channel.deliver_due(limit=100) == 0:
                if all(row.status == "sent" for row in line.outbox()):
                    break
                clock.advance(seconds=5)

        rows = line.outbox()
        assert len(rows) == CROWD and {row.status for row in rows} == {"sent"}
        delivered = Counter(
            call.body["to"] for call in line.fake.calls_to(PUSH) if call.status == 200
        )
        assert len(delivered) == CROWD  # nobody missed
        assert set(delivered.values()) == {1}  # nobody twice
        refused = [call.status for call in line.fake.calls_to(PUSH) if call.status != 200]
        assert sorted(refused) == [429] * 5 + [500] * 3  # the failures happened and were retried
