"""Pages compressed with gzip, with Django's "Heal the Breach" padding against BREACH.

Static files are compressed ahead of time (tend.core.static); this is for the HTML.
A page can hold what a person keeps private beside text another member wrote, so a
compressed page's length could leak it to someone who both writes into it and watches
the encrypted traffic (BREACH). Django's GZipMiddleware pads every compressed response
with up to 100 random bytes (Heal the Breach), CSRF tokens are masked anew in every
response, and the session cookie (SameSite=Lax) is not sent with cross-site requests
that could repeat a guess in the background: docs/operations.md, "Compression".

Streamed responses are never compressed: an event stream must go out event by event,
unbuffered (by the server and by any proxy on the way), and its events are a few bytes.
"""

from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware


class PageCompressionMiddleware(GZipMiddleware):
    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if response.streaming:
            return response
        return super().process_response(request, response)
