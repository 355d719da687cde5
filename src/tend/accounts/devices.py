"""A device and its network, in words a person recognises, worked out on the spot.

No lookup service and no database of browsers: a few substrings name the browsers
and systems people use, and anything else is simply "a browser". The IP address is
cut to its network before anything is stored, so the precise address never is.
"""

import ipaddress

from django.http import HttpRequest
from django.utils.translation import gettext as _

# Order matters: Edge and Opera also say "Chrome", Chrome also says "Safari", and
# Android also says "Linux".
_BROWSERS = (
    ("Edg/", "Edge"),
    ("EdgA/", "Edge"),
    ("EdgiOS/", "Edge"),
    ("OPR/", "Opera"),
    ("SamsungBrowser/", "Samsung Internet"),
    ("Firefox/", "Firefox"),
    ("FxiOS/", "Firefox"),
    ("CriOS/", "Chrome"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("CrOS", "ChromeOS"),
    ("Windows", "Windows"),
    ("Macintosh", "Mac"),
    ("Linux", "Linux"),
)
DEVICE_LIMIT = 60


def describe(user_agent: str) -> str:
    """ "Firefox on Android", "Safari on iPhone"; "" when nothing is recognised."""
    browser = next((name for token, name in _BROWSERS if token in user_agent), "")
    system = next((name for token, name in _SYSTEMS if token in user_agent), "")
    if browser and system:
        return (_("%(browser)s on %(system)s") % {"browser": browser, "system": system})[
            :DEVICE_LIMIT
        ]
    return browser or system


def coarse_network(address: str) -> str:
    """The network an address belongs to, never the address: 192.0.2.x, 2001:db8:1::/48.

    A /24 or /48 is roughly "this home or this mobile provider's area": enough for a
    person to tell their own devices from a stranger's, too little to find anyone.
    """
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return ""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if isinstance(ip, ipaddress.IPv4Address):
        return ".".join(str(ip).split(".")[:3]) + ".x"
    return str(ipaddress.ip_network(f"{ip}/48", strict=False))


def of_request(request: HttpRequest) -> tuple[str, str]:
    """The device description and coarse network of the browser making this request.

    REMOTE_ADDR is the client's address: behind a proxy, `tend serve --proxy-headers`
    has uvicorn set it from X-Forwarded-For of trusted proxies only.
    """
    return (
        describe(request.META.get("HTTP_USER_AGENT", "")),
        coarse_network(request.META.get("REMOTE_ADDR", "")),
    )
