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
    "gender": N_("gender"),
    "language": N_("language"),
    "referral_source": N_("who reported the case"),
    "representative_kind": N_("kind of legal representative"),
    "position": N_("position"),
    "reason": N_("reason"),
    "problem": N_("problem"),
    "diagnosis": N_("social diagnosis"),
    "evaluation": N_("evaluation"),
    "opened_on": N_("opened on"),
    "closed_on": N_("closed on"),
    "monitoring_until": N_("monitoring until"),
    "target_date": N_("target date"),
    "goal": N_("goal"),
    "case": N_("social case"),
    "plan": N_("intervention plan"),
    "resources": N_("resources"),
    "description": N_("description"),
    "responsible_kind": N_("who is responsible"),
    "responsible_user_id": N_("responsible worker"),
    "institution_id": N_("institution"),
    "expected_result": N_("expected result"),
    "result": N_("result"),
    "done_on": N_("done on"),
    "concluded_on": N_("concluded on"),
    "fulfilment": N_("fulfilment"),
    "evidence": N_("evidence"),
    "checked_on": N_("checked on"),
    "occurred_at": N_("time of the contact"),
    "topic": N_("topic"),
    "participants": N_("participants"),
    "flags": N_("flags"),
    "corrects_entry_id": N_("corrected entry"),
    "received_on": N_("received on"),
    "channel": N_("channel"),
    "benefit_code": N_("benefit"),
    "extended_until": N_("extended deadline"),
    "extension_reason": N_("reason for the extension"),
    "extension_notified_on": N_("date the applicant was told of the extension"),
    "housing_costs": N_("housing costs"),
    "housing_category": N_("household category for the housing benefit"),
    "agreement": N_("co-operation agreement"),
    "request_text": N_("request"),
    "performed_on": N_("date of the means test"),
    "household_size": N_("household size"),
    "working_age_members": N_("members of working age"),
    "income": N_("income"),
    "period_from": N_("period from"),
    "period_to": N_("period until"),
    "facts": N_("established facts"),
    "reasons": N_("reasons"),
    "legal_basis": N_("legal basis"),
    "operative_part": N_("operative part"),
    "appeal_body": N_("where to contest"),
    "appeal_term": N_("term to contest"),
    "amends_decision_id": N_("decision amended or revoked"),
    "request_summary": N_("request"),
    "participants_views": N_("participants' views"),
    "comment": N_("comment"),
    "issued_on": N_("issued on"),
    "recipient": N_("recipient"),
    "registered_on": N_("registered as outgoing on"),
    "sent_on": N_("sent on"),
    "application": N_("application"),
    "service_code": N_("service"),
    "referred_on": N_("referred on"),
    "decision_id": N_("decision"),
    "answer": N_("answer"),
    "answered_on": N_("answered on"),
    "complainant": N_("complainant"),
    "user_id": N_("member of staff"),
    "held_on": N_("date held"),
    "hours": N_("hours"),
    "supervisor": N_("supervisor"),
    "provider": N_("provider"),
    "media_type": N_("file type"),
    "owner_entity": N_("record the file belongs to"),
    "note": N_("note"),
    "planned_on": N_("planned date"),
    "visited_at": N_("time of the visit"),
    "purpose": N_("purpose"),
    "question": N_("question"),
    "value": N_("answer"),
    "findings": N_("findings"),
    "risks": N_("risks"),
    "recommendations": N_("recommendations"),
    "next_steps": N_("next steps"),
    "client_signature": N_("client's signature"),
    "assessed_on": N_("assessment date"),
    "summary": N_("summary"),
}
