"""The schema of the encrypted store. Import models from here: ``from storage.models import Person``."""

from storage.models.assistance import (
    Application,
    Decision,
    DecisionApproval,
    DecisionNotification,
    HouseholdStatus,
    MeansTest,
)
from storage.models.base import Base, Synced, committed_values, utcnow
from storage.models.cases import (
    Agreement,
    AgreementDuty,
    CaseGoal,
    CaseReview,
    InterventionPlan,
    JournalEntry,
    PlanTask,
    SocialCase,
)
from storage.models.local import DeviceState, NumberOverflow, OutboxEntry, QuarantinedChange, SyncState
from storage.models.people import (
    Client,
    Household,
    HouseholdMember,
    Parish,
    Person,
    PersonalCodeRecord,
    Relation,
)
from storage.models.service import (
    Attachment,
    AuditEvent,
    Complaint,
    Device,
    Institution,
    InstitutionContact,
    NumberBlock,
    ReferenceData,
    ServiceReferral,
    SupervisionRecord,
    SyncConflict,
    TrainingRecord,
    User,
)
from storage.models.visits import Assessment, HomeVisit, HomeVisitAnswer

SYNCED_MODELS: dict[str, type[Synced]] = {
    mapper.class_.__tablename__: mapper.class_
    for mapper in Base.registry.mappers
    if issubclass(mapper.class_, Synced)
}

__all__ = [name for name in dir() if not name.startswith("_")]
