"""Devices and networks in words a person recognises, and never a full address."""

import pytest

from tend.accounts.devices import coarse_network, describe

IPHONE_SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
)
WINDOWS_EDGE = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51"
)
ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Mobile Safari/537.36"
)
ANDROID_FIREFOX = "Mozilla/5.0 (Android 14; Mobile; rv:125.0) Gecko/125.0 Firefox/125.0"
MAC_SAFARI = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4_1) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4.1 Safari/605.1.15"
)
IPHONE_CHROME = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1"
)
SAMSUNG = (
    "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
    "SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36"
)
LINUX_FIREFOX = "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
CHROMEBOOK = (
    "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36"
)


@pytest.mark.parametrize(
    ("agent", "expected"),
    [
        (IPHONE_SAFARI, "Safari on iPhone"),
        (WINDOWS_EDGE, "Edge on Windows"),
        (ANDROID_CHROME, "Chrome on Android"),
        (ANDROID_FIREFOX, "Firefox on Android"),
        (MAC_SAFARI, "Safari on Mac"),
        (IPHONE_CHROME, "Chrome on iPhone"),
        (SAMSUNG, "Samsung Internet on Android"),
        (LINUX_FIREFOX, "Firefox on Linux"),
        (CHROMEBOOK, "Chrome on ChromeOS"),
        ("curl/8.5.0", ""),
        ("", ""),
        ("Firefox/1.0", "Firefox"),
    ],
)
def test_a_device_is_described_in_a_few_plain_words(agent: str, expected: str) -> None:
    assert describe(agent) == expected


def test_a_long_or_hostile_user_agent_gives_a_short_description() -> None:
    agent = "<script>" + "Chrome/1 " * 10_000 + "Android"
    assert describe(agent) == "Chrome on Android"


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("192.0.2.44", "192.0.2.x"),
        ("203.0.113.7", "203.0.113.x"),
        ("127.0.0.1", "127.0.0.x"),
        ("2001:db8:abcd:12:34:56:78:9a", "2001:db8:abcd::/48"),
        ("::ffff:198.51.100.23", "198.51.100.x"),
        ("", ""),
        ("not an address", ""),
        ("999.1.1.1", ""),
    ],
)
def test_only_the_network_is_kept_never_the_address(address: str, expected: str) -> None:
    assert coarse_network(address) == expected
