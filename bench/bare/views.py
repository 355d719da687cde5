"""A page that reads its session, and an event stream woken by a POST (bench/run.py).

Two POSTs wake the streams: `fire/`, the least a signed-in person's action that others
see takes in a Django app (the session read, the CSRF token checked, one row written in
a transaction, the streams woken once it commits), and `fire/empty/`, which only wakes
them (no session, no CSRF check, no write): the floor under the floor.
"""

import asyncio
from collections.abc import AsyncIterator

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.middleware.csrf import get_token
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from fired.models import Fired

CHANNEL = "bare_bench"


class Bus:
    """The latest event number, and an asyncio event set when it changes."""

    def __init__(self) -> None:
        self.seq = 0
        self.changed = asyncio.Event()
        self.listener: asyncio.Task[None] | None = None
        self.loop: asyncio.AbstractEventLoop | None = None

    def publish(self, seq: int) -> None:
        if seq > self.seq:
            self.seq = seq
            self.changed.set()
            self.changed = asyncio.Event()

    def publish_from_thread(self, seq: int) -> None:
        if self.loop is not None:
            self.loop.call_soon_threadsafe(self.publish, seq)


BUS = Bus()


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def start(request: HttpRequest) -> HttpResponse:
    """Signs the client in (its session) and answers the CSRF token its POSTs carry."""
    request.session["who"] = "bench"
    return HttpResponse(get_token(request))


def hello(request: HttpRequest) -> HttpResponse:
    who = request.session.get("who", "stranger")
    return HttpResponse(f"<!doctype html><title>hello</title><p>Hello, {who}.</p>")


async def _listen() -> None:
    """One LISTEN connection per process: a NOTIFY from any process wakes its streams."""
    import psycopg

    url = settings.DATABASES["default"]
    async with await psycopg.AsyncConnection.connect(
        host=url["HOST"] or "127.0.0.1",
        port=url["PORT"] or 5432,
        user=url["USER"],
        dbname=url["NAME"],
        autocommit=True,
    ) as conn:
        await conn.execute(f"LISTEN {CHANNEL}")
        async for notify in conn.notifies():
            BUS.publish(int(notify.payload))


def _postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


async def events(request: HttpRequest) -> StreamingHttpResponse:
    BUS.loop = asyncio.get_running_loop()
    if _postgres() and BUS.listener is None:
        BUS.listener = asyncio.create_task(_listen())

    async def stream() -> AsyncIterator[bytes]:
        seen = BUS.seq
        yield b"retry: 3000\n\n"
        while True:
            changed = BUS.changed
            if BUS.seq == seen:
                try:
                    await asyncio.wait_for(changed.wait(), settings.KEEPALIVE_SECONDS)
                except TimeoutError:
                    yield b": keep-alive\n\n"
                    continue
            seen = BUS.seq
            yield f"id: {seen}\ndata: {{}}\n\n".encode()

    response = StreamingHttpResponse(stream(), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    return response


def _notify(seq: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, str(seq)])


@require_POST
def fire(request: HttpRequest) -> HttpResponse:
    who = request.session.get("who")
    if who is None:
        return HttpResponse(status=403)
    seq = int(request.POST["seq"])
    with transaction.atomic():
        Fired.objects.create(seq=seq, who=who)
        if _postgres():
            _notify(seq)  # delivered by PostgreSQL once this commits
        else:
            transaction.on_commit(lambda: BUS.publish_from_thread(seq))
    return HttpResponse(status=204)


@csrf_exempt
async def fire_empty(request: HttpRequest) -> HttpResponse:
    seq = int(request.POST.get("seq") or BUS.seq + 1)
    if _postgres():
        await sync_to_async(_notify)(seq)
    else:
        BUS.publish(seq)
    return HttpResponse(status=204)
