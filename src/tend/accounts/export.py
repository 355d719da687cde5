"""What a person takes with them: everything they wrote, and what was shared with them.

The rule is the app's own: the export holds what the person can see on their
screens, never more. Accounts writes the account and its devices; every other part
(relationships, repairs, commitments, safety answers) is the owning app's
contribution (`tend.accounts.contributions`), which applies that rule to its rows.
"""

from typing import Any

from django.utils import timezone

from tend.accounts import contributions
from tend.accounts.models import DeviceSession, Passkey, PasskeyVaultKey, User, VaultKey

Data = dict[str, Any]

FORMAT_VERSION = 1


def collect(user: User) -> Data:
    return {
        "format": "tend-export",
        "version": FORMAT_VERSION,
        "exported_at": timezone.now(),
        "account": {
            "display_name": user.display_name,
            "email": user.email,
            "time_zone": user.time_zone,
            "joined_at": user.date_joined,
        },
        "devices": [
            {
                "device": row.device,
                "network": row.network,
                "signed_in_at": row.created_at,
                "last_used_at": row.last_seen_at,
                "own_phone": row.own_phone,
            }
            for row in DeviceSession.objects.filter(user=user)
        ],
        # Names and dates only: the public key is of no use outside tend.
        "passkeys": [
            {"name": p.name, "added_at": p.created_at, "last_used_at": p.last_used_at}
            for p in Passkey.objects.filter(user=user)
        ],
        # That a private-data key exists and how it is wrapped, not the wrapped bytes:
        # useless without the password, and in a file only something to guess at.
        "private_key": _private_key(user),
    } | contributions.exported(user)


def _private_key(user: User) -> dict[str, object] | None:
    key = VaultKey.objects.filter(user=user).first()
    if key is None:
        return None
    return {
        "made_at": key.created_at,
        "changed_at": key.changed_at,
        "wrapped_by": ["password", "recovery code"]
        + ["passkey"] * PasskeyVaultKey.objects.filter(passkey__user=user).count(),
        "password_kdf": f"{key.kdf}, {key.iterations} iterations",
    }
