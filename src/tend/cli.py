"""The `tend` command: serve, worker, demo, and Django's own commands under `manage`."""

import argparse
import contextlib
import gc
import os
import signal
import socket
import sys
from collections.abc import Iterator
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import uvicorn


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tend.settings")
    import django

    django.setup()


@contextlib.contextmanager
def _loading() -> Iterator[None]:
    """Start-up makes most of the objects a server keeps for good (modules, classes,
    URL patterns): the cyclic garbage collector would walk them at each of its passes,
    while starting (a tenth of a restart) and while serving (a full pass over them is
    some 60 ms, with the interpreter held). So it is off while loading, and what
    loading made is then kept out of its sight (`gc.freeze`): later passes walk only
    what requests make. (The few thousand objects a usual start leaves as garbage stay.)"""
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


def serve(args: argparse.Namespace) -> int:
    with _loading():
        _setup()
        import uvicorn
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connections

        from tend.core import messages, static
        from tend.notify import worker as background
        from tend.serving import GuardedHttpProtocol

        migrating = not args.no_migrate and _unapplied_migrations()
        if migrating:
            call_command("migrate", interactive=False, verbosity=0)
        collected = static.collect()  # hashed, compressed files; quick when nothing changed
        if migrating or collected:
            gc.collect()  # what that work left (by the row, by the file) is not kept frozen
        messages.compile_all()  # the translations' .mo files; quick when nothing changed
        # Nothing may keep a connection open for the server's life: on SQLite, while any
        # connection of this process holds the file, the file handles of the others that
        # close are kept, not released (SQLite cannot close them without dropping that
        # connection's locks). After a burst of streams that would be hundreds.
        connections.close_all()

        config = uvicorn.Config(
            "tend.asgi:application",
            host=args.host,
            port=args.port,
            lifespan="off",
            # Event streams end when asked (below); anything else gets a few seconds.
            timeout_graceful_shutdown=args.graceful_timeout,
            # Slow or half-sent requests must not hold connections (open files) open.
            http=GuardedHttpProtocol,
            # tend serves no WebSocket (its live updates are an event stream): without this
            # uvicorn would import a WebSocket library at every start for nothing.
            ws="none",
            timeout_keep_alive=settings.SERVER_IDLE_TIMEOUT_SECONDS,
            proxy_headers=args.proxy_headers,
            log_level=os.environ.get("TEND_SERVER_LOG_LEVEL", "info"),
        )
        config.load()  # tend's ASGI app
        import_module(settings.ROOT_URLCONF)  # and its views, rather than at the first request

    # The embedded default (SQLite) runs its worker beside the server, in a thread;
    # with PostgreSQL, `tend worker` runs as its own process (or pass --worker).
    stop = background_thread = previous_handler = None
    if args.worker if args.worker is not None else not _uses_postgres():
        stop, background_thread = background.start_thread()
        # uvicorn re-raises SIGTERM once it has shut down, with the handler found
        # before it started: this one turns it into an exit that lets the worker
        # finish what it is sending, rather than a kill that cuts it off.
        previous_handler = signal.signal(signal.SIGTERM, _exit_on_sigterm)
    print(f"tend is running on http://{args.host}:{args.port}/  (Ctrl+C stops it)", flush=True)
    server = _stream_ending_server()(config)
    try:
        server.run()
    finally:
        if stop is not None and background_thread is not None:
            background.stop_thread(stop, background_thread)
            signal.signal(signal.SIGTERM, previous_handler)
    return 0 if server.started else 3  # uvicorn's own code for a failed start


def _unapplied_migrations() -> bool:
    """Whether a migration on disk is not yet recorded as applied. Read from the file
    names and one query: most starts have none to apply, and `migrate` itself would
    import every migration and run its post-migrate work, most of a second."""
    import importlib.util
    import pkgutil

    from django.apps import apps
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return True
    applied = set(recorder.applied_migrations())
    for app in apps.get_app_configs():
        spec = importlib.util.find_spec(f"{app.name}.migrations")
        if spec is None or not spec.submodule_search_locations:
            continue
        for found in pkgutil.iter_modules(spec.submodule_search_locations):
            # The names Django's migration loader skips, as it does.
            if found.ispkg or found.name[0] in "_~":
                continue
            if (app.label, found.name) not in applied:
                return True
    return False


def _stream_ending_server() -> type["uvicorn.Server"]:
    import uvicorn

    from tend.live import bus

    class StreamEndingServer(uvicorn.Server):
        async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
            # Event streams never end by themselves: without this each would be
            # cancelled mid-wait at the graceful timeout, a traceback apiece.
            bus.get().end_streams()
            await super().shutdown(sockets)

    return StreamEndingServer


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(0)


def _uses_postgres() -> bool:
    from django.conf import settings

    return bool(settings.DATABASE_IS_POSTGRES)


def worker(args: argparse.Namespace) -> int:
    _setup()
    import threading

    from django.conf import settings

    from tend.core import messages
    from tend.notify import worker as background

    messages.compile_all()  # what it sends is in each person's language
    stop = threading.Event()

    def finish(signum: int, frame: object) -> None:
        stop.set()
        background.wake()

    signal.signal(signal.SIGTERM, finish)
    signal.signal(signal.SIGINT, finish)
    interval = args.interval or settings.NOTIFY_WORKER_INTERVAL
    print(f"tend worker: sending reminders and notifications (every {interval}s when idle)")
    background.run(stop, interval=interval)
    return 0


def demo(args: argparse.Namespace) -> int:
    _setup()
    from django.db import transaction

    from tend.accounts.models import User
    from tend.gardens.access import relationships_of
    from tend.gardens.actions import create_relationship
    from tend.gardens.events import GardenEvent
    from tend.gardens.models import Membership
    from tend.live.events import emit

    password = args.password
    with transaction.atomic():
        people = []
        for email, name in (("ada@demo.tend", "Ada"), ("ben@demo.tend", "Ben")):
            user, _ = User.objects.get_or_create(email=email, defaults={"display_name": name})
            user.set_password(password)
            user.save()
            people.append(user)
        ada, ben = people
        relationship = relationships_of(ada).filter(name="Ada & Ben").first()
        if relationship is None:
            relationship = create_relationship(ada, name="Ada & Ben", kind="partner")
        if not Membership.objects.current().filter(user=ben, relationship=relationship).exists():
            Membership.objects.create(user=ben, relationship=relationship)
            emit(relationship.pk, GardenEvent.MEMBER_JOINED, actor_id=ben.pk, subject_id=ben.pk)
    print("Two demo people share the relationship “Ada & Ben”. Log in as either:")
    for user in people:
        print(f"  {user.display_name}: email {user.email}  password {password}")
    print("Use two browsers (or a private window) to be both at once.")
    return 0


def compile_messages(args: argparse.Namespace) -> int:
    _setup()
    from tend.core import messages

    for mo in messages.compile_all():
        print(f"compiled {mo}")
    return 0


def manage(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tend.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["tend manage", *args.rest])
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tend", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    p = commands.add_parser(
        "serve", help="migrate, collect static files, then serve tend over HTTP (uvicorn)"
    )
    p.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    p.add_argument("--port", type=int, default=int(os.environ.get("PORT") or 8000))
    p.add_argument(
        "--graceful-timeout", type=int, default=5, help="seconds open streams get on shutdown"
    )
    p.add_argument("--no-migrate", action="store_true", help="skip applying database migrations")
    p.add_argument("--proxy-headers", action="store_true", help="trust X-Forwarded-* from a proxy")
    p.add_argument(
        "--worker",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="run the background worker in this process too "
        "(default: yes on SQLite, no with DATABASE_URL, where `tend worker` runs it)",
    )
    p.set_defaults(func=serve)

    p = commands.add_parser(
        "worker",
        help="send reminders and notifications (email, Web Push) until stopped",
        description="Runs background work: due reminders and queued notifications, "
        "claimed so that several workers never send one twice. Stops on SIGTERM or Ctrl+C.",
    )
    p.add_argument(
        "--interval",
        type=int,
        default=None,
        help="seconds to wait when idle (default: TEND_WORKER_INTERVAL, or 5)",
    )
    p.set_defaults(func=worker)

    p = commands.add_parser("demo", help="create two demo people in one relationship")
    p.add_argument("--password", default="tend-demo-garden", help="password for both")
    p.set_defaults(func=demo)

    p = commands.add_parser(
        "messages", help="compile the translations' catalogues (.po) that changed into .mo"
    )
    p.set_defaults(func=compile_messages)

    p = commands.add_parser("manage", help="run a Django management command", add_help=False)
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=manage)

    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
