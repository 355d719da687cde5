"""vault.js against published known answers, in Chromium (the browser that runs it).

Each vector checks one building block the vault uses, through the same functions the
vault calls: PBKDF2-HMAC-SHA256 (RFC 7914 §11 and the widely published RFC 6070-style
SHA-256 vectors), HKDF-SHA256 (RFC 5869 test case 3: an empty salt is the same as the
vault's 32 zero bytes), AES-KW with a 256-bit key (RFC 3394 §4.6), AES-GCM-256 (the GCM
specification's test case 16, McGrew & Viega) and base32 (RFC 4648 §10). Then the
vault's own formats and refusals: envelopes, wrong AAD, tampering, wrong password,
recovery codes read leniently, and that the key kept in IndexedDB cannot be exported.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page

pytestmark = pytest.mark.e2e


def _vault_page(new_context: Callable[[], Page]) -> Page:
    page = new_context()
    page.goto("/login/")  # a signed-out page that loads the key scripts (its form derives one)
    page.wait_for_function("() => window.tendVault && window.tendVault._test")
    return page


PBKDF2 = [
    # (password, salt, iterations, bits, hex)
    ("passwd", "salt", 1, 512,
     "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
     "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783"),
    ("Password", "NaCl", 80000, 512,
     "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56"
     "a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d"),
    ("password", "salt", 1, 256,
     "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b"),
    ("password", "salt", 4096, 256,
     "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a"),
]  # fmt: skip


@pytest.mark.parametrize(("password", "salt", "iterations", "bits", "expected"), PBKDF2)
def test_pbkdf2_sha256_vectors(
    new_context: Callable[[], Page],
    password: str,
    salt: str,
    iterations: int,
    bits: int,
    expected: str,
) -> None:
    page = _vault_page(new_context)
    got = page.evaluate(
        """async ([p, s, c, bits]) => {
          const t = tendVault._test, e = new TextEncoder();
          return t.toHex(await t.pbkdf2Bits(e.encode(p), e.encode(s), c, bits));
        }""",
        [password, salt, iterations, bits],
    )
    assert got == expected


def test_hkdf_sha256_rfc5869_case3(new_context: Callable[[], Page]) -> None:
    page = _vault_page(new_context)
    got = page.evaluate(
        """async () => {
          const t = tendVault._test;
          return t.toHex(await t.hkdfBits(new Uint8Array(22).fill(0x0b), "", 42 * 8));
        }"""
    )
    assert got == (
        "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"
    )


def test_aes_kw_rfc3394_256_bit_key_256_bit_data(new_context: Callable[[], Page]) -> None:
    page = _vault_page(new_context)
    result = page.evaluate(
        """async () => {
          const t = tendVault._test, k = tendVault.keys;
          const kek = await crypto.subtle.importKey("raw",
            t.fromHex("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F"),
            "AES-KW", false, ["wrapKey", "unwrapKey"]);
          const data = await crypto.subtle.importKey("raw",
            t.fromHex("00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F"),
            "AES-GCM", true, ["encrypt", "decrypt"]);
          const wrapped = await k.wrap(data, kek);
          const back = await k.unwrap(wrapped, kek, true);
          return {
            wrapped: t.toHex(t.fromB64url(wrapped.slice(4))),
            prefix: wrapped.slice(0, 4),
            back: t.toHex(await crypto.subtle.exportKey("raw", back)),
          };
        }"""
    )
    assert result["prefix"] == "kw1."
    assert result["wrapped"] == (
        "28c9f404c4b810f4cbccb35cfb87f8263f5786e2d80ed326cbc7f0e71a99f43bfb988b9b7a02dd21"
    )
    assert result["back"] == "00112233445566778899aabbccddeeff000102030405060708090a0b0c0d0e0f"


def test_aes_gcm_256_test_case_16(new_context: Callable[[], Page]) -> None:
    page = _vault_page(new_context)
    got = page.evaluate(
        """async () => {
          const t = tendVault._test;
          const key = await crypto.subtle.importKey("raw",
            t.fromHex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308"),
            "AES-GCM", false, ["encrypt", "decrypt"]);
          const sealed = await t.sealWith(key, t.fromHex("cafebabefacedbaddecaf888"),
            t.fromHex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
              + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39"),
            t.fromHex("feedfacedeadbeeffeedfacedeadbeefabaddad2"));
          return t.toHex(sealed);
        }"""
    )
    assert got == (
        "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
        "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"
        "76fc6ece0f4e1768cddf8853bb2d551b"
    )


def test_base32_rfc4648(new_context: Callable[[], Page]) -> None:
    page = _vault_page(new_context)
    got = page.evaluate(
        """() => ["", "f", "fo", "foo", "foob", "fooba", "foobar"].map(
          (s) => tendVault._test.base32(new TextEncoder().encode(s)))"""
    )
    assert got == ["", "MY", "MZXQ", "MZXW6", "MZXW6YQ", "MZXW6YTB", "MZXW6YTBOI"]


def test_envelopes_round_trip_and_refuse_what_they_should(new_context: Callable[[], Page]) -> None:
    page = _vault_page(new_context)
    result = page.evaluate(
        """async () => {
          const v = tendVault, k = tendVault.keys;
          document.body.dataset.vaultUser = "7";
          const made = await k.newDataKey();
          const kek = await k.passwordKey("correct horse", new Uint8Array(32), 1000);
          const key = await k.unwrap(await k.wrap(made, kek), kek, false);
          await k.keep(key);
          const out = { ready: await v.ready(), extractable: key.extractable };
          const env = await v.encryptText("ünïcode ✓ text", "7:entry:notice_words:repair-1");
          out.envelope = env;
          out.back = await v.decryptText(env, "7:entry:notice_words:repair-1");
          out.twice = (await v.encryptText("same", "a")) !== (await v.encryptText("same", "a"));
          out.json = await v.decryptJSON(await v.encryptJSON({a: [1, "b"]}, "x"), "x");
          const fails = async (p) => { try { await p; return false; } catch (e) { return true; } };
          out.wrongAad = await fails(v.decryptText(env, "7:entry:other:repair-1"));
          const parts = env.split(".");
          const flipped = parts[2][0] === "A" ? "B" + parts[2].slice(1) : "A" + parts[2].slice(1);
          const aad = "7:entry:notice_words:repair-1";
          out.tampered = await fails(v.decryptText([parts[0], parts[1], flipped].join("."), aad));
          out.garbage = await fails(v.decryptText("plain text", ""));
          const wrongKek = await k.passwordKey("wrong horse", new Uint8Array(32), 1000);
          out.wrongPassword = await fails(k.unwrap(await k.wrap(made, kek), wrongKek, false));
          out.exportRefused = await fails(crypto.subtle.exportKey("raw", await k.currentKey()));
          const code = k.newRecoveryCode();
          out.code = code;
          const rkek = await k.recoveryKey(code);
          const rwrapped = await k.wrap(made, rkek);
          const typed = code.toLowerCase().replace(/-/g, " ").replace(/O/gi, "0");
          out.recoveryTyped = !(await fails(k.unwrap(rwrapped, await k.recoveryKey(typed), false)));
          const otherKek = await k.recoveryKey(k.newRecoveryCode());
          out.recoveryWrong = await fails(k.unwrap(rwrapped, otherKek, false));
          out.recoveryShort = await fails(k.recoveryKey("ABCD-EFGH"));
          let told = 0;
          v.onLocked(() => { told += 1; });
          await v.forget();
          out.readyAfterForget = await v.ready();
          out.lockedRejects = await fails(v.encryptText("x", "y"));
          out.told = told;
          return out;
        }"""
    )
    assert result["ready"] is True
    assert result["extractable"] is False
    assert result["exportRefused"] is True
    assert result["back"] == "ünïcode ✓ text"
    import re

    assert re.fullmatch(r"e2e1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22,}", result["envelope"])
    assert result["twice"] is True
    assert result["json"] == {"a": [1, "b"]}
    assert result["wrongAad"] and result["tampered"] and result["garbage"]
    assert result["wrongPassword"] is True
    assert re.fullmatch(r"([A-Z2-7]{4}-){7}[A-Z2-7]{4}", result["code"])
    assert result["recoveryTyped"] is True
    assert result["recoveryWrong"] and result["recoveryShort"]
    assert result["readyAfterForget"] is False
    assert result["lockedRejects"] is True
    assert result["told"] == 1


def test_salt_comes_from_the_normalized_email(new_context: Callable[[], Page]) -> None:
    import hashlib

    page = _vault_page(new_context)
    got = page.evaluate(
        """async () => [await tendVault.keys.saltFor("  Ada@Example.ORG "),
                        await tendVault.keys.saltFor("ada@example.org")]
                       .map(tendVault._test.toHex)"""
    )
    expected = hashlib.sha256(b"tend-vault salt v1\x00ada@example.org").hexdigest()
    assert got == [expected, expected]


def test_a_passkeys_prf_output_wraps_as_the_docs_say(new_context: Callable[[], Page]) -> None:
    """The PRF salt is SHA-256 of the app's label; the wrapping key is HKDF-SHA256 of the
    output (zero salt, the passkey info) and wraps by AES-KW (docs/keys.md): checked
    against Python's own HKDF and AES-KW."""
    import base64
    import hashlib

    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF
    from cryptography.hazmat.primitives.keywrap import aes_key_wrap

    output, data_key = bytes(range(32)), bytes(range(100, 132))
    page = _vault_page(new_context)
    got = page.evaluate(
        """async ([output, dataKey]) => {
          const K = tendVault.keys, T = tendVault._test;
          const key = await crypto.subtle.importKey("raw", T.fromHex(dataKey), "AES-GCM", true,
                                                    ["encrypt", "decrypt"]);
          return [T.toHex(await K.prfSalt()), await K.wrap(key, await K.prfKey(T.fromHex(output)))];
        }""",
        [output.hex(), data_key.hex()],
    )
    kek = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=bytes(32), info=b"tend-vault passkey wrap v1"
    ).derive(output)
    wrapped = base64.urlsafe_b64encode(aes_key_wrap(kek, data_key)).rstrip(b"=").decode()
    assert got == [hashlib.sha256(b"tend-vault passkey prf v1").hexdigest(), "kw1." + wrapped]
