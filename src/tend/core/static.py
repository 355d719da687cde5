"""Static files: collected once with hashed names and gzip and Brotli copies, then
served by WhiteNoise as whole responses rather than file streams.

`collect()` runs collectstatic into STATIC_ROOT (whitenoise's compressed manifest
storage: `tend.<hash>.css` with `.gz` and `.br` beside it), but only when the sources
changed since the last time: compressing with Brotli takes seconds, and `tend serve`,
the tests and the benchmarks call it on every start.

WhiteNoise answers with a FileResponse, whose body is a synchronous file iterator;
Django's ASGI handler can only send that by reading it in a thread, and warns
("StreamingHttpResponse must consume synchronous iterators") on every server start.
tend's static files are a few small stylesheets, scripts and icons: read at once,
they go out as one plain response, under ASGI and in tests alike.

Stylesheets and scripts are stored without their comments and spare spaces
(`MinifiedStorage`): the sources keep their comments that say why. Scripts are also
given short local names (calmjs.parse, which reads ES5, the dialect of tend's own
scripts; a script it cannot read is only stripped, by rjsmin): the repair screens
carry the private notes' encryption, and every kilobyte counts on a first visit.
"""

import base64
import functools
import hashlib
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile, File
from django.core.management import call_command
from django.http import HttpRequest, HttpResponse
from django.utils.deprecation import MiddlewareMixin
from whitenoise.middleware import WhiteNoiseMiddleware
from whitenoise.storage import CompressedManifestStaticFilesStorage


class MinifiedStorage(CompressedManifestStaticFilesStorage):
    """Whitenoise's compressed manifest storage, keeping tend's own stylesheets and
    scripts minified. The collected copy is minified as it is saved, so its hashed
    name and compressed copies are made from the minified text."""

    def _save(self, name: str, content: File) -> str:  # type: ignore[type-arg]
        if name.startswith("tend/") and not name.endswith(".min.js"):
            # Here, not at the top: only collecting needs it, and most starts do not.
            import rcssmin

            if name.endswith(".css"):
                content = ContentFile(rcssmin.cssmin(_text(content)).encode())
            elif name.endswith(".js"):
                content = ContentFile(minify_script(_text(content)).encode())
        return super()._save(name, content)


def minify_script(source: str) -> str:
    """The script with short local names and nothing spare; its globals (what other
    scripts and the page use) keep their names."""
    import rjsmin
    from calmjs.parse import es5
    from calmjs.parse.exceptions import ECMASyntaxError
    from calmjs.parse.unparsers.es5 import minify_print

    try:
        return minify_print(es5(source), obfuscate=True, obfuscate_globals=False)
    except ECMASyntaxError:  # newer syntax than ES5: stripped, not renamed
        return rjsmin.jsmin(source)


def _text(content: File) -> str:  # type: ignore[type-arg]
    content.seek(0)
    data = content.read()
    return data.decode() if isinstance(data, bytes) else data


def collect() -> bool:
    """Collects the static files unless STATIC_ROOT already holds these sources;
    True when it collected."""
    stamp = _stamp_path()
    fingerprint = _sources_fingerprint()
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"  # gone if the folder was
    if stamp.exists() and stamp.read_text() == fingerprint and manifest.exists():
        return False
    # Cleared first: collectstatic skips a file it finds unchanged, and so would keep a
    # copy saved before (by another storage, unminified).
    call_command("collectstatic", interactive=False, verbosity=0, clear=True)
    stamp.write_text(fingerprint)
    return True


def _stamp_path() -> Path:
    # Beside STATIC_ROOT, not in it: WhiteNoise serves every file in there.
    root = Path(settings.STATIC_ROOT)
    return root.with_name(root.name + ".collected")


def _sources_fingerprint() -> str:
    """What was collected from: every source file's name, size and time, and the storage
    with the code that minifies (this module): a new minifier collects again."""
    digest = hashlib.sha256(settings.STORAGES["staticfiles"]["BACKEND"].encode())
    digest.update(Path(__file__).read_bytes())
    for finder in finders.get_finders():
        for name, storage in sorted(finder.list([]), key=lambda found: found[0]):
            info = Path(storage.path(name)).stat()
            digest.update(f"\0{name}\0{info.st_size}\0{info.st_mtime_ns}".encode())
    return digest.hexdigest()


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """Also asynchronous under ASGI: a sync-only middleware would put every request,
    event streams included, through a thread and a nested event loop (and a client who
    leaves mid-request could then leave a dead executor in the request's context)."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        super().__init__(get_response)
        if iscoroutinefunction(get_response):
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> Any:
        if iscoroutinefunction(self):
            return self._acall(request)
        return super().__call__(request)

    async def _acall(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(settings.STATIC_URL):
            # Finding and reading a file touches the disk: not on the event loop.
            found = await sync_to_async(self._static, thread_sensitive=False)(request)
            if found is not None:
                return found
        response: Awaitable[HttpResponse] = self.get_response(request)
        return await response

    def _static(self, request: HttpRequest) -> HttpResponse | None:
        """The file's response, or None: WhiteNoise's own lookup (its __call__)."""
        if self.autorefresh:
            static_file = self.find_file(request.path_info)
        else:
            static_file = self.files.get(request.path_info)
        return None if static_file is None else self.serve(static_file, request)

    @staticmethod
    def serve(static_file: Any, request: HttpRequest) -> HttpResponse:
        found = static_file.get_response(request.method, request.META)
        body = b""
        if found.file is not None:  # None for HEAD and 304
            with found.file as file:
                body = file.read()
        response = HttpResponse(body, status=int(found.status))
        del response["Content-Type"]  # WhiteNoise's own headers say what it is
        for key, value in found.headers:
            response[key] = value
        return response


# -- Subresource Integrity -------------------------------------------------------------

# A <script> or <link> tag, and in it a src= or href= naming a stylesheet or script.
_TAG = re.compile(rb"<(?:script|link)\b[^>]*>", re.IGNORECASE)
_URL = re.compile(rb'\s(?:src|href)="([^"?#]+\.(?:js|css))"')


class IntegrityMiddleware(MiddlewareMixin):
    """Subresource Integrity on every script and stylesheet tend's pages load.

    Each `<script src>` and `<link href>` that names one of tend's collected files gets
    `integrity="sha384-…"`, the digest of the stored file (minified, as served): a
    browser then refuses a file that differs from what the page was made with, so
    static files swapped on disk or in a cache between server and browser do not run.
    (A server that alters its own pages can alter the digests too: docs/keys.md.)
    Done once here rather than in each template, so no page can forget it; the digests
    of hashed names never change and are kept.
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if (
            getattr(response, "streaming", False)
            or "text/html" not in response.get("Content-Type", "")
            or response.has_header("Content-Encoding")
        ):
            return response
        content = response.content
        with_integrity = _TAG.sub(_with_integrity, content)
        if with_integrity is not content and with_integrity != content:
            response.content = with_integrity
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(with_integrity))
        return response


def _with_integrity(tag: re.Match[bytes]) -> bytes:
    text = tag.group(0)
    found = _URL.search(text)
    if found is None or b"integrity=" in text:
        return text
    digest = integrity(found.group(1).decode("ascii", "replace"))
    if digest is None:
        return text
    return text[:-1].rstrip(b"/ ") + b' integrity="' + digest.encode() + b'">'


@functools.lru_cache(maxsize=1024)
def integrity(url: str) -> str | None:
    """ "sha384-…" of the stored file a static URL names; None if it is not one."""
    prefix = settings.STATIC_URL or "/static/"
    if not url.startswith(prefix) or ".." in url:
        return None
    path = Path(settings.STATIC_ROOT) / url[len(prefix) :]
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()


def release_hash() -> tuple[str, int]:
    """One SHA-256 over every collected static file (name and content), as served, and how
    many files: published with a release, anyone can check that a server sends the same
    scripts (`tend manage static_hash`; docs/keys.md). The .gz and .br copies are left out:
    they are encodings of the same files, and a browser checks what they decode to."""
    root = Path(settings.STATIC_ROOT)
    digest = hashlib.sha256()
    count = 0
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if path.suffix in {".gz", ".br"}:
            continue
        name = path.relative_to(root).as_posix()
        digest.update(name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
        count += 1
    return digest.hexdigest(), count
