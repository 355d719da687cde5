import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TIME_ZONES = sorted(zoneinfo.available_timezones() - {"Factory", "localtime"})


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: object) -> "User":
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> "User":
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Signs in with an email address; shown to others by display name only."""

    email = models.EmailField(_("email"), unique=True, max_length=254)
    display_name = models.CharField(_("display name"), max_length=60)
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    # The language tend speaks to this person in: pages once signed in, and everything
    # sent to them (emails, push, calendar files), whatever the others in a relationship
    # use. Set from the browser at sign-up; changed with the footer's chooser or profile.
    # No `choices` here: the forms offer settings.LANGUAGES, so adding a language needs
    # no migration (and a code no longer offered falls back to the default, see `speaks`).
    language = models.CharField(_("language"), max_length=12, default=settings.LANGUAGE_CODE)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # The first-run walk through the five steps: seen, or skipped, once.
    seen_walkthrough = models.BooleanField(default=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    def __str__(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name

    @property
    def speaks(self) -> str:
        """The language to use for this person: theirs, if tend still offers it."""
        offered = {code for code, _name in settings.LANGUAGES}
        return self.language if self.language in offered else settings.LANGUAGE_CODE


class DeviceSession(models.Model):
    """One place a person is signed in, for their own "your devices" page.

    Only what that page needs is kept, and already coarse: a short browser
    description rather than the raw User-Agent (a fingerprint the person gains
    nothing from), and the network with its last part hidden rather than the IP.
    Nobody but the person ever sees these rows; they go when the session ends.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="device_sessions")
    # The key of the session in Django's session store. A bearer secret: it never
    # reaches a page or a URL (rows are addressed by their id).
    session_key = models.CharField(max_length=40, unique=True)
    device = models.CharField(max_length=60, blank=True)  # e.g. "Firefox on Android"
    network = models.CharField(max_length=64, blank=True)  # e.g. "192.0.2.x"
    created_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    # "This is my own phone": signed in longer, private pages lock when idle (sessions.py).
    own_phone = models.BooleanField(default=False)

    class Meta:
        ordering = ["-last_seen_at", "-pk"]

    def __str__(self) -> str:
        return f"device session {self.pk}"


class PasswordThrottle(models.Model):
    """Wrong passwords for one account, counted over every address (tend.accounts.throttle).

    The account is named by a keyed digest of its lower-cased email, never the email
    itself: rows are made for addresses that have no account too (so that the answer
    does not tell which exist), and nobody should find a list of tried emails here.
    """

    account = models.CharField(max_length=64, unique=True)
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField(default=timezone.now, db_index=True)
    # No password for this account is checked before this moment.
    wait_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"password throttle {self.pk}"


class Passkey(models.Model):
    """A passkey (WebAuthn credential) a person signs in with instead of a password.

    Only the public half is kept: the private key never leaves the person's phone or
    key. The name is the person's own label ("My phone"), seen by nobody else.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="passkeys")
    # base64url of the credential's id, as the browser sends it: looked up at sign-in.
    credential_id = models.CharField(max_length=1400, unique=True)
    public_key = models.BinaryField()
    sign_count = models.PositiveBigIntegerField(default=0)
    transports = models.JSONField(default=list, blank=True)
    name = models.CharField(_("name"), max_length=60)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"passkey {self.pk}"


class VaultKey(models.Model):
    """A person's private-data key, wrapped: the only form the server ever holds it in.

    The key itself (AES-GCM 256) is made and unwrapped in the person's browser
    (static/tend/js/vault.js; docs/keys.md). Each wrapped copy is "kw1." and the
    base64url of 40 bytes of AES-KW (RFC 3394); without the password, the recovery code
    or the passkey that wrapped it, it is 40 random-looking bytes.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="vault_key")
    # Wrapped by a key derived from the password: PBKDF2-HMAC-SHA256 over the password,
    # with `iterations` and `salt` (base64url of SHA-256 of a label and the email, so the
    # browser can derive it before sign-in; tend.accounts.vault.salt_for).
    wrapped = models.CharField(max_length=60)
    kdf = models.CharField(max_length=20, default="pbkdf2-sha256")
    iterations = models.PositiveIntegerField(default=600_000)
    salt = models.CharField(max_length=43)
    # Wrapped by a key derived (HKDF-SHA256) from the recovery code shown once.
    recovery_wrapped = models.CharField(max_length=60)
    created_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"vault key {self.pk}"


class PasskeyVaultKey(models.Model):
    """The private-data key wrapped by one passkey's PRF output (HKDF-SHA256), for passkeys
    whose authenticator has the PRF extension. Goes with the passkey."""

    passkey = models.OneToOneField(Passkey, on_delete=models.CASCADE, related_name="vault_key")
    wrapped = models.CharField(max_length=60)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"passkey vault key {self.pk}"
