"""The `tsunagi` command line: serve, chat, demo, db, admin, invite, summary, export.

Each command prints its result; errors go to stderr with exit status 1.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence

from bot.app import Runtime, build_runtime, create_asgi_app
from bot.logs import configure_logging
from bot.settings import SettingsError, load_settings
from storage.db import session_scope
from storage.invites import add_invite
from storage.members import (
    NotFound,
    add_area,
    add_municipality,
    get_area,
    get_municipality,
    list_members,
    revoke_member,
)
from storage.models import AreaKind, Role

log = logging.getLogger("tsunagi")


class CliError(Exception):
    """A problem to report on stderr with exit status 1."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the tsunagi command line."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
        # Only the server logs its progress; the other commands print just their result.
        configure_logging(
            settings, level=logging.INFO if args.command == "serve" else logging.WARNING
        )
        if args.command in ("backup", "restore"):  # never open (and migrate) the store first
            return cmd_backup_restore(args, settings.database_url)
        handler: Callable[[argparse.Namespace, Runtime], int] = args.handler
        return handler(args, build_runtime(settings))
    except (CliError, SettingsError, NotFound) as exc:
        print(f"tsunagi: {exc}", file=sys.stderr)
        return 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tsunagi", description="つなぎ — 生活支援コーディネーターのためのチャットボット"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the bot (HTTP ingress, workers, scheduler)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(handler=cmd_serve)

    chat = sub.add_parser("chat", help="talk to the bot in the terminal")
    chat.add_argument("--user", required=True)
    chat.set_defaults(handler=cmd_chat)

    demo = sub.add_parser("demo", help="load a demo municipality")
    fake = demo.add_mutually_exclusive_group()
    fake.add_argument(
        "--fake-line",
        action="store_true",
        help="then chat through a local fake LINE platform, as a LINE user would",
    )
    fake.add_argument(
        "--fake-slack",
        action="store_true",
        help="then chat through a local fake Slack Web API, as a Slack user would",
    )
    demo.add_argument(
        "--size",
        choices=["small", "large"],
        help="instead, generate seeded data: 3 (small) or 100 (large) fictional municipalities",
    )
    demo.add_argument("--seed", type=int, default=1, help="the seed of --size (default 1)")
    demo.set_defaults(handler=cmd_demo)

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="create or migrate the schema").set_defaults(
        handler=cmd_db_upgrade
    )

    admin = sub.add_parser("admin", help="administration")
    admin_sub = admin.add_subparsers(dest="admin_command", required=True)
    add_muni = admin_sub.add_parser("add-municipality")
    add_muni.add_argument("name")
    add_muni.add_argument("--prefecture")
    add_muni.set_defaults(handler=cmd_add_municipality)
    add_ar = admin_sub.add_parser("add-area")
    add_ar.add_argument("municipality")
    add_ar.add_argument("name")
    add_ar.add_argument(
        "--kind", choices=[k.value for k in AreaKind], default=AreaKind.NEIGHBOURHOOD.value
    )
    add_ar.add_argument("--parent")
    add_ar.set_defaults(handler=cmd_add_area)
    members = admin_sub.add_parser("members")
    members.add_argument("municipality")
    members.set_defaults(handler=cmd_members)
    revoke = admin_sub.add_parser("revoke")
    revoke.add_argument("member", type=int, help="member number as shown by `admin members`")
    revoke.set_defaults(handler=cmd_revoke)
    peer = admin_sub.add_parser("add-peer-group", help="a peer group of municipalities")
    peer.add_argument("name")
    peer.add_argument("--municipality", action="append", required=True, dest="municipalities")
    peer.set_defaults(handler=cmd_add_peer_group)
    from bot.summary_time import add_parsers as add_summary_time_parsers

    add_summary_time_parsers(admin_sub)

    invite = sub.add_parser("invite", help="issue a one-time invite code")
    invite.add_argument("municipality")
    invite.add_argument("--role", choices=[r.value for r in Role], required=True)
    invite.add_argument("--area")
    invite.add_argument("--layer", type=int, choices=[1, 2])
    invite.add_argument("--expires-days", type=int, default=14)
    invite.set_defaults(handler=cmd_invite)

    from schedules.occurrences import POLICIES
    from storage.meetings import KINDS

    meeting = sub.add_parser("meeting", help="meetings (予定)")
    meeting_sub = meeting.add_subparsers(dest="meeting_command", required=True)
    add_meeting = meeting_sub.add_parser("add", help="add a meeting, one-off or recurring")
    add_meeting.add_argument("municipality")
    add_meeting.add_argument("--kind", choices=KINDS, required=True)
    add_meeting.add_argument("--title", required=True)
    add_meeting.add_argument("--when", required=True, help="e.g. 毎月第2火曜 14:00")
    add_meeting.add_argument("--place")
    add_meeting.add_argument("--duration", type=int, help="minutes")
    add_meeting.add_argument("--policy", choices=POLICIES, default="skip", help="on holidays")
    add_meeting.add_argument("--starts", help="first date, YYYY-MM-DD (default: today)")
    add_meeting.set_defaults(handler=cmd_meeting_add)

    from bot.activity_report_cli import add_parsers as add_report_parsers

    add_report_parsers(sub)

    summary = sub.add_parser("summary", help="a municipality's summary")
    summary.add_argument("municipality")
    summary.add_argument("--week", help="ISO week such as 2026-W47 (default: this week)")
    summary.add_argument("--month", help="a month such as 2026-11")
    summary.add_argument("--format", choices=["text", "csv", "xlsx", "png"], default="text")
    summary.add_argument("--out")
    summary.set_defaults(handler=cmd_summary)

    export = sub.add_parser("export", help="export a municipality's records")
    export.add_argument("municipality")
    export.add_argument("--format", choices=["csv", "xlsx"], required=True)
    export.add_argument("--out", required=True)
    export.add_argument(
        "--table",
        choices=[
            "records", "visits", "activities", "murmurs", "resources", "connections", "leads",
            "pivot",
        ],  # fmt: skip
        default="records",
    )
    export.set_defaults(handler=cmd_export)

    from bot.guidebook import add_parsers as add_guidebook_parsers

    add_guidebook_parsers(sub)
    from bot.purge import add_parsers as add_purge_parsers

    add_purge_parsers(sub)

    from bot.resource_cli import add_parsers as add_resource_parsers

    add_resource_parsers(sub)

    line = sub.add_parser("line", help="LINE Official Account set-up")
    line_sub = line.add_subparsers(dest="line_command", required=True)
    line_sub.add_parser(
        "setup-richmenu",
        help="create and set the default rich menu (訪問記録/つぶやき/予定/まとめ/検索/ヘルプ)",
    ).set_defaults(handler=cmd_line_richmenu)

    backup = sub.add_parser("backup", help="copy the database to a file (SQLite, while running)")
    backup.add_argument("--out", required=True, help="the new backup file")
    restore = sub.add_parser("restore", help="replace the database with a backup (stop tsunagi)")
    restore.add_argument("file", help="a file written by `tsunagi backup`")
    restore.add_argument("--yes", action="store_true", help="replace a database that holds records")
    return parser


def cmd_serve(args: argparse.Namespace, runtime: Runtime) -> int:
    import uvicorn

    from bot.form_pages import HideFormTokens

    channels = ", ".join(runtime.settings.enabled_channels())
    print(f"tsunagi: database {runtime.engine.url.render_as_string(hide_password=True)}")
    print(f"tsunagi: channels enabled: {channels}")
    print(f"tsunagi: listening on http://{args.host}:{args.port} (GET /healthz)")
    logging.getLogger("uvicorn.access").addFilter(HideFormTokens())  # form links are secrets
    # The workers run in a process of their own unless asked not to, or when the store lives only
    # in this process's memory.
    in_memory = runtime.engine.dialect.name == "sqlite" and runtime.engine.url.database in (
        None,
        "",
        ":memory:",
    )
    separate = runtime.settings.worker_process == "on" and not in_memory
    app = create_asgi_app(runtime, worker_process=separate)
    # log_config=None: uvicorn logs through our handler (JSON when asked, secrets masked)
    access_log = runtime.settings.access_log == "on"
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_level="info",
        log_config=None,
        access_log=access_log,
    )
    return 0


def cmd_chat(args: argparse.Namespace, runtime: Runtime) -> int:
    from bot.channels.console import ConsoleChannel

    channel = ConsoleChannel(runtime.bot, args.user)
    channel.run(sys.stdin, sys.stdout, interactive=sys.stdin.isatty())
    return 0


def cmd_demo(args: argparse.Namespace, runtime: Runtime) -> int:
    if args.size:
        return _generate_demo_data(args, runtime)
    if args.fake_line:
        from bot.demo_line import run_fake_line_demo

        return run_fake_line_demo(runtime, sys.stdin, sys.stdout, interactive=sys.stdin.isatty())
    if args.fake_slack:
        from bot.demo_slack import run_fake_slack_demo

        return run_fake_slack_demo(runtime, sys.stdin, sys.stdout, interactive=sys.stdin.isatty())
    from bot.demo import load_demo

    print(load_demo(runtime))
    return 0


def _generate_demo_data(args: argparse.Namespace, runtime: Runtime) -> int:
    from bot.demo_data import AlreadyGenerated, generate, municipality_names, report
    from bot.progress import TextProgress

    if args.fake_line or args.fake_slack:
        raise CliError("--size generates data only; run --fake-line/--fake-slack without it")
    try:
        counts = generate(
            runtime.engine,
            size=args.size,
            seed=args.seed,
            now=runtime.clock.now(),
            tz=runtime.settings.tz,
            progress=TextProgress(sys.stderr),
        )
    except AlreadyGenerated as exc:
        raise CliError(str(exc)) from exc
    print(report(counts, municipality_names(counts.municipalities), args.size, args.seed))
    return 0


def cmd_db_upgrade(args: argparse.Namespace, runtime: Runtime) -> int:
    print(f"schema up to date: {runtime.engine.url.render_as_string(hide_password=True)}")
    return 0


def cmd_add_municipality(args: argparse.Namespace, runtime: Runtime) -> int:
    with session_scope(runtime.engine) as session:
        try:
            get_municipality(session, name=args.name)
        except NotFound:
            pass
        else:
            raise CliError(f"municipality already exists: {args.name}")
        municipality = add_municipality(
            session, name=args.name, prefecture=args.prefecture, now=runtime.clock.now()
        )
    print(f"municipality #{municipality.id}: {municipality.name}")
    return 0


def cmd_add_area(args: argparse.Namespace, runtime: Runtime) -> int:
    with session_scope(runtime.engine) as session:
        municipality = get_municipality(session, name=args.municipality)
        assert municipality.id is not None
        parent_id = None
        if args.parent:
            parent_id = get_area(session, municipality_id=municipality.id, name=args.parent).id
        try:
            get_area(session, municipality_id=municipality.id, name=args.name)
        except NotFound:
            pass
        else:
            raise CliError(f"area already exists in {args.municipality}: {args.name}")
        area = add_area(
            session,
            municipality_id=municipality.id,
            name=args.name,
            kind=args.kind,
            parent_id=parent_id,
        )
    print(f"area #{area.id}: {args.municipality} {area.name} ({area.kind})")
    return 0


def cmd_members(args: argparse.Namespace, runtime: Runtime) -> int:
    with session_scope(runtime.engine) as session:
        municipality = get_municipality(session, name=args.municipality)
        assert municipality.id is not None
        rows = list_members(session, municipality_id=municipality.id)
    print(f"{args.municipality}: {len(rows)} members")
    for member, identities in rows:
        state = (
            "active"
            if member.active
            else f"revoked {member.revoked_at:%Y-%m-%d}"
            if member.revoked_at
            else "revoked"
        )
        ids = (
            ", ".join(
                f"{i.channel}:{i.external_id}{'' if i.active else ' (inactive)'}"
                for i in identities
            )
            or "-"
        )
        layer = f" layer {member.layer}" if member.layer else ""
        print(f"{member.id}\t{member.name}\t{member.role}{layer}\t{state}\t{ids}")
    return 0


def cmd_revoke(args: argparse.Namespace, runtime: Runtime) -> int:
    from storage.audit import add_audit
    from storage.conversations import delete_states_of_member

    with session_scope(runtime.engine) as session:
        member = revoke_member(session, member_id=args.member, now=runtime.clock.now())
        delete_states_of_member(session, member_id=args.member)
        add_audit(
            session,
            at=runtime.clock.now(),
            action="member.revoke",
            municipality_id=member.municipality_id,
            actor="cli",
            target=f"member:{member.id}",
        )
    print(f"revoked member {member.id} ({member.name}); their records stay with the municipality")
    return 0


def cmd_add_peer_group(args: argparse.Namespace, runtime: Runtime) -> int:
    from storage.peer import add_peer_group

    if len(set(args.municipalities)) < 2:
        raise CliError("a peer group needs at least two municipalities")
    with session_scope(runtime.engine) as session:
        towns = [get_municipality(session, name=name) for name in args.municipalities]
        try:
            group = add_peer_group(
                session,
                name=args.name,
                municipality_ids=[m.id for m in towns if m.id is not None],
                now=runtime.clock.now(),
            )
        except ValueError as exc:
            raise CliError(str(exc)) from exc
    names = ", ".join(dict.fromkeys(m.name for m in towns))
    print(f"peer group #{group.id}: {group.name} ({names})")
    print(f"connect a chat to it with: グループ 接続 {group.name}")
    return 0


def cmd_invite(args: argparse.Namespace, runtime: Runtime) -> int:
    if args.expires_days < 1:
        raise CliError("--expires-days must be at least 1")
    with session_scope(runtime.engine) as session:
        municipality = get_municipality(session, name=args.municipality)
        assert municipality.id is not None
        area_id = (
            get_area(session, municipality_id=municipality.id, name=args.area).id
            if args.area
            else None
        )
        invite, code = add_invite(
            session,
            municipality_id=municipality.id,
            role=args.role,
            layer=args.layer,
            area_id=area_id,
            expires_days=args.expires_days,
            now=runtime.clock.now(),
        )
    expires = invite.expires_at.astimezone(runtime.settings.tz)
    print(
        f"invite for {args.municipality} ({args.role}{' / ' + args.area if args.area else ''}), valid until {expires:%Y-%m-%d %H:%M}"
    )
    print("send it as: 登録 CODE")
    print(code)
    return 0


def cmd_meeting_add(args: argparse.Namespace, runtime: Runtime) -> int:
    from storage.meetings import UnreadableMeeting, add_series_from_text

    try:
        with session_scope(runtime.engine) as session:
            series, words = add_series_from_text(
                session,
                municipality=args.municipality,
                kind=args.kind,
                title=args.title,
                when=args.when,
                starts=args.starts,
                place=args.place,
                duration_min=args.duration,
                policy=args.policy,
                now=runtime.clock.now(),
                tz=runtime.settings.tz,
            )
    except UnreadableMeeting as exc:
        raise CliError(str(exc)) from exc
    print(f"予定 #{series.number}: {series.title} — {words}")
    return 0


def cmd_summary(args: argparse.Namespace, runtime: Runtime) -> int:
    from bot.reports import run_summary_command

    return run_summary_command(args, runtime)


def cmd_export(args: argparse.Namespace, runtime: Runtime) -> int:
    from bot.reports import run_export_command

    return run_export_command(args, runtime)


def cmd_backup_restore(args: argparse.Namespace, database_url: str) -> int:
    from bot.backup import BackupError, run_backup, run_restore

    try:
        if args.command == "backup":
            print(run_backup(database_url, args.out))
        else:
            print(run_restore(database_url, args.file, overwrite=args.yes))
    except BackupError as exc:
        raise CliError(str(exc)) from exc
    return 0


def cmd_line_richmenu(args: argparse.Namespace, runtime: Runtime) -> int:
    from bot.channels.line_richmenu import RichMenuError, run_setup

    try:
        rich_menu_id = run_setup(runtime.settings)
    except (ValueError, RichMenuError) as exc:
        raise CliError(str(exc)) from exc
    print(f"default rich menu set: {rich_menu_id}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
