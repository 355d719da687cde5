"""Static files, served by WhiteNoise as whole responses rather than file streams.

WhiteNoise answers with a FileResponse, whose body is a synchronous file iterator;
Django's ASGI handler can only send that by reading it in a thread, and warns
("StreamingHttpResponse must consume synchronous iterators") on every server start.
tend's static files are a few small stylesheets, scripts and icons: read at once,
they go out as one plain response, under ASGI and in tests alike.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from whitenoise.middleware import WhiteNoiseMiddleware


class StaticFilesMiddleware(WhiteNoiseMiddleware):
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
