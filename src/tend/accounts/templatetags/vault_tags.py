"""What <body> carries for the browser's vault (static/tend/js/vault-panel.js), and
when a page must carry the key's scripts for it.

Only for the signed-in person, on their own pages: their id (the vault keeps their key
under it and forgets anyone else's), and their key wrapped by their password and by
their recovery code, with the password KDF's salt and iterations. A locked own phone
carries none of it (the browser then forgets the key until the person unlocks), only
the salt, so that unlocking with the password unwraps the key again.
"""

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from tend.accounts import key_handover, sessions, vault

register = template.Library()


@register.simple_tag(takes_context=True)
def vault_body_attrs(context: template.Context) -> SafeString:
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return mark_safe("")
    if sessions.is_locked(request.session, timezone.now()):
        return format_html(' data-vault-lock-salt="{}"', vault.salt_for(user.email))
    urls = format_html(
        ' data-vault-panel="{}" data-vault-create="{}"',
        reverse("vault_panel"),
        reverse("vault_create"),
    )
    found = vault.for_pages(request)
    if not found:
        return format_html(
            ' data-vault-user="{}" data-vault-salt="{}"{}',
            user.pk,
            vault.salt_for(user.email),
            urls,
        )
    return format_html(
        ' data-vault-user="{}" data-vault-wrapped="{}" data-vault-salt="{}"'
        ' data-vault-iterations="{}" data-vault-recovery="{}"{}',
        user.pk,
        found.get("wrapped", ""),
        found.get("salt", ""),
        found.get("iterations", vault.ITERATIONS),
        found.get("recovery", ""),
        urls,
    )


@register.simple_tag(takes_context=True)
def vault_handover(context: template.Context) -> bool:
    """The page after a sign-in or an unlock: it takes the key over (key_handover)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return False
    return key_handover.take(request)
