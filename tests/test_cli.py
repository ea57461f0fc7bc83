"""The `tsunagi` command line, run as a real process the way an operator or a script runs it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from storage.db import make_engine, migrate, session_scope
from storage.members import add_area, add_municipality, get_municipality, next_record_number
from storage.models import Activity, Area, AreaKind, Identity, Member, Municipality, Resource

CODE = re.compile(r"[A-Z2-9]{4}-[A-Z2-9]{4}")
NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def tsunagi(
    tmp_path: Path, *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `tsunagi ARGS` in tmp_path on the SQLite file tmp_path/t.db."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TSUNAGI_", "LINE_", "SLACK_"))}
    env.update(TSUNAGI_DATABASE_URL=f"sqlite:///{tmp_path / 't.db'}", PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=tmp_path,
        env=env,
        input=stdin,
        capture_output=True,
        encoding="utf-8",
        timeout=120,
    )


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


def failed(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, result.stdout
    assert result.stdout == ""
    return result.stderr


def blocks(chat_output: str) -> list[str]:
    """Split `tsunagi chat` output into its reply blocks (one per input line)."""
    return [b.strip() for b in re.split(r"^---$", chat_output, flags=re.MULTILINE) if b.strip()]


@pytest.fixture
def store(tmp_path):
    """The CLI's SQLite file, prepared with あおば市 and its 中央圏域."""
    engine = make_engine(f"sqlite:///{tmp_path / 't.db'}")
    migrate(engine)
    with session_scope(engine) as session:
        municipality = add_municipality(session, name="あおば市", prefecture="岡山県", now=NOW)
        assert municipality.id is not None
        add_area(
            session, municipality_id=municipality.id, name="中央圏域", kind=AreaKind.DAILY_LIFE
        )
    yield engine
    engine.dispose()


def invite_code(tmp_path: Path, *args: str) -> str:
    return ok(tsunagi(tmp_path, "invite", "あおば市", *args)).splitlines()[-1]


def test_db_upgrade_creates_the_schema(tmp_path):
    assert "schema up to date" in ok(tsunagi(tmp_path, "db", "upgrade"))
    assert "schema up to date" in ok(tsunagi(tmp_path, "db", "upgrade"))
    engine = make_engine(f"sqlite:///{tmp_path / 't.db'}")
    with session_scope(engine) as session:
        assert session.exec(select(Municipality)).all() == []


def test_add_municipality_then_a_duplicate_is_refused(tmp_path):
    assert "あおば市" in ok(
        tsunagi(tmp_path, "admin", "add-municipality", "あおば市", "--prefecture", "岡山県")
    )
    assert "already exists" in failed(tsunagi(tmp_path, "admin", "add-municipality", "あおば市"))
    engine = make_engine(f"sqlite:///{tmp_path / 't.db'}")
    with session_scope(engine) as session:
        assert get_municipality(session, name="あおば市").prefecture == "岡山県"


def test_add_area_builds_the_area_tree(tmp_path, store):
    ok(tsunagi(tmp_path, "admin", "add-area", "あおば市", "北部圏域", "--kind", "日常生活圏域"))
    out = ok(
        tsunagi(
            tmp_path,
            "admin",
            "add-area",
            "あおば市",
            "北山小学校区",
            "--kind",
            "小学校区",
            "--parent",
            "北部圏域",
        )
    )
    assert "北山小学校区" in out
    assert "area not found" in failed(
        tsunagi(tmp_path, "admin", "add-area", "あおば市", "X", "--parent", "南部圏域")
    )
    assert "already exists" in failed(
        tsunagi(tmp_path, "admin", "add-area", "あおば市", "北部圏域")
    )
    with session_scope(store) as session:
        areas = {a.name: a for a in session.exec(select(Area))}
    assert areas["北部圏域"].kind == "日常生活圏域"
    assert areas["北山小学校区"].kind == "小学校区"
    assert areas["北山小学校区"].parent_id == areas["北部圏域"].id
    assert "X" not in areas


def test_invite_prints_the_code_alone_on_the_last_line(tmp_path, store):
    out = ok(tsunagi(tmp_path, "invite", "あおば市", "--role", "coordinator", "--area", "中央圏域"))
    assert CODE.fullmatch(out.splitlines()[-1])
    assert "中央圏域" in out
    assert "area not found" in failed(
        tsunagi(tmp_path, "invite", "あおば市", "--role", "officer", "--area", "南部圏域")
    )


def test_chat_from_a_pipe_answers_each_line_with_one_block(tmp_path, store):
    code = invite_code(tmp_path, "--role", "coordinator", "--area", "中央圏域")
    replies = blocks(
        ok(tsunagi(tmp_path, "chat", "--user", "sato", stdin=f"登録 {code}\nヘルプ\n"))
    )
    assert len(replies) == 2
    assert "登録しました" in replies[0] and "あおば市" in replies[0]
    assert "訪問" in replies[1] and "つぶやき" in replies[1]


def test_revoked_member_loses_access_and_their_records_stay(tmp_path, store):
    code = invite_code(tmp_path, "--role", "coordinator", "--area", "中央圏域")
    ok(tsunagi(tmp_path, "chat", "--user", "sato", stdin=f"登録 {code}\n"))
    listing = ok(tsunagi(tmp_path, "admin", "members", "あおば市"))
    assert "console:sato" in listing and "active" in listing
    member_id = _visit_recorded_by(store, "sato")

    out = ok(tsunagi(tmp_path, "admin", "revoke", str(member_id)))
    assert "revoked" in out

    replies = blocks(ok(tsunagi(tmp_path, "chat", "--user", "sato", stdin="訪問\n")))
    assert "登録" in replies[0] and "招待コード" in replies[0]
    listing = ok(tsunagi(tmp_path, "admin", "members", "あおば市"))
    assert "revoked" in listing and "console:sato (inactive)" in listing
    with session_scope(store) as session:
        assert session.exec(select(Activity).where(Activity.recorded_by == member_id)).one()
        assert session.get(Member, member_id) is not None
    assert "member not found" in failed(tsunagi(tmp_path, "admin", "revoke", "999"))


def test_demo_loads_once_and_prints_invites_each_time(tmp_path):
    first = ok(tsunagi(tmp_path, "demo"))
    for name in (
        "あおば市",
        "中央圏域",
        "茶屋町小学校区",
        "本町自治会",
        "北山自治会",
        "きらり",
        "ちょい加勢",
    ):
        assert name in first
    first_codes = CODE.findall(first)
    assert len(set(first_codes)) >= 4
    coordinator = re.search(rf"coordinator 第2層 \(中央圏域\): ({CODE.pattern})", first)
    assert coordinator is not None

    second = ok(tsunagi(tmp_path, "demo"))
    assert "すでにあります" in second
    assert set(CODE.findall(second)).isdisjoint(first_codes)

    engine = make_engine(f"sqlite:///{tmp_path / 't.db'}")
    with session_scope(engine) as session:
        assert len(session.exec(select(Municipality)).all()) == 1
        assert len(session.exec(select(Area)).all()) == 8
        resources = session.exec(select(Resource)).all()
    assert len(resources) == 7
    assert [r.publish_consent for r in resources if r.name == "ひまわりサロン"] == [False]

    reply = blocks(
        ok(tsunagi(tmp_path, "chat", "--user", "sato", stdin=f"登録 {coordinator.group(1)}\n"))
    )
    assert "登録しました" in reply[0]


@pytest.mark.parametrize(
    "args",
    [
        ("invite", "架空町", "--role", "coordinator"),
        ("admin", "add-area", "架空町", "中央圏域"),
        ("admin", "members", "架空町"),
    ],
)
def test_an_unknown_municipality_is_an_error(tmp_path, args):
    assert "municipality not found: 架空町" in failed(tsunagi(tmp_path, *args))


def _visit_recorded_by(engine, user: str) -> int:
    """Store a visit by a console user directly (as the visit flow would) and return their id."""
    with session_scope(engine) as session:
        identity = session.exec(select(Identity).where(Identity.external_id == user)).one()
        member = session.get(Member, identity.member_id)
        assert member is not None and member.id is not None
        session.add(
            Activity(
                municipality_id=member.municipality_id,
                number=next_record_number(session, municipality_id=member.municipality_id),
                recorded_by=member.id,
                occurred_on=date(2026, 11, 20),
                place_label="地域ふれあいサロン「きらり」",
                created_at=NOW,
                updated_at=NOW,
            )
        )
        return member.id
