"""Domain errors raised by app services; their messages are shown to users as they are (translated)."""

from __future__ import annotations

from storage.errors import LietaError, N_


class DomainError(LietaError):
    code = "domain"


class ValidationError(DomainError):
    """Input that a service refuses. ``field`` names the form field so the UI can point at it."""

    code = "invalid_input"
    msgid = N_("The value of '{field_msg}' is not valid.")

    def __init__(self, msgid: str | None = None, /, *, field: str = "", **params: object) -> None:
        self.field = field
        params.setdefault("field_msg", FIELD_LABELS.get(field, field))
        super().__init__(msgid, **params)


class RequiredField(ValidationError):
    msgid = N_("'{field_msg}' is required.")


class NotFound(DomainError):
    code = "not_found"
    msgid = N_("The requested {entity_msg} was not found or is not visible to you.")


class PermissionDenied(DomainError):
    code = "permission_denied"
    msgid = N_("Your role does not allow this action: {action_msg}.")


class InvalidTransition(DomainError):
    code = "invalid_transition"
    msgid = N_("This cannot be done now: {reason_msg}")


#: Translatable labels of the fields that validation errors name (``*_msg`` params are translated).
FIELD_LABELS: dict[str, str] = {
    "personal_code": N_("personal code"),
    "given_name": N_("given name"),
    "surname": N_("surname"),
    "birth_date": N_("date of birth"),
    "phone": N_("phone"),
    "email": N_("e-mail"),
    "address": N_("address"),
    "parish": N_("parish"),
    "login": N_("user name"),
    "passphrase": N_("passphrase"),
    "role": N_("role"),
    "date": N_("date"),
    "duration_minutes": N_("duration in minutes"),
    "text": N_("text"),
    "title": N_("title"),
    "deadline": N_("deadline"),
    "amount": N_("amount"),
    "client_type": N_("client type"),
    "target_groups": N_("target groups"),
    "relation": N_("relation"),
    "household": N_("household"),
    "kind": N_("kind"),
    "status": N_("status"),
    "score": N_("score"),
    "template": N_("template"),
    "valid_from": N_("valid from"),
    "valid_to": N_("valid until"),
    "content": N_("content"),
    "filename": N_("file name"),
    "name": N_("name"),
}
