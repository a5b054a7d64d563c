"""Roles and the permissions each grants. Permissions are data; `has_permission` decides."""

from dataclasses import dataclass
from enum import StrEnum

from django.db import models


class Permission(StrEnum):
    PERSON_SEARCH = "person.search"
    PERSON_VIEW = "person.view"
    PERSON_CREATE = "person.create"
    PERSON_EDIT = "person.edit"
    PERSON_BREAK_GLASS = "person.break_glass"
    PERSON_RESTRICT = "person.restrict"
    PERSON_MERGE = "person.merge"
    PERSON_MERGES_VIEW = "person.merges_view"
    MATCHING_REVIEW = "matching.review"
    TEAM_ALLOCATE = "team.allocate"
    TEAM_REPORTS = "team.reports"
    TEAM_SETTINGS_MANAGE = "team.settings"
    EQUALITY_AGGREGATES = "equality.aggregates"
    AUDIT_READ = "audit.read"
    AUDIT_REVIEW_BREAK_GLASS = "audit.review_break_glass"
    SUBJECT_ACCESS_EXPORT = "audit.subject_access_export"
    ACCOUNTS_MANAGE = "accounts.manage"
    REFERENCE_DATA_MANAGE = "reference_data.manage"
    EPISODE_VIEW = "episode.view"
    EPISODE_MANAGE = "episode.manage"
    CJ_CONTEXT_VIEW = "episode.cj_context"
    CONSENT_RECORD = "consent.record"
    REPORT_ISSUE = "report.issue"
    DATA_RETURN_EXPORT = "reporting.data_return"
    CARERS_MANAGE = "carers.manage"
    CARER_CONTENT_EDIT = "carers.content_edit"
    CARER_SHARE_REVIEW = "carers.share_review"
    CARER_PORTAL = "carers.portal"
    FEEDBACK_VIEW = "feedback.view"
    FEEDBACK_RESPOND = "feedback.respond"
    PCREF_MANAGE = "pcref.manage"
    LIST_IMPORT = "lists.import"


PERMISSION_DESCRIPTIONS: dict[Permission, str] = {
    Permission.PERSON_SEARCH: "Search for people their teams work with",
    Permission.PERSON_VIEW: "Open the records of people their teams work with",
    Permission.PERSON_CREATE: "Register a new person",
    Permission.PERSON_EDIT: "Change a person's details",
    Permission.PERSON_BREAK_GLASS: "Open a record outside their teams, giving a reason (reviewed)",
    Permission.PERSON_RESTRICT: "Restrict a record to named staff",
    Permission.PERSON_MERGE: "Merge two records of the same person, and undo a merge",
    Permission.PERSON_MERGES_VIEW: "See which records were merged, by whom and why",
    Permission.MATCHING_REVIEW: (
        "Find likely duplicate records across the register and decide proposed pairs"
    ),
    Permission.TEAM_ALLOCATE: "Allocate work to members of their team",
    Permission.TEAM_REPORTS: "See their teams' and region's service figures",
    Permission.TEAM_SETTINGS_MANAGE: (
        "Change their own teams' settings where there is no national standard "
        "(an MHTR team's planned sessions and working-day limits)"
    ),
    Permission.EQUALITY_AGGREGATES: "See aggregate equality figures (never a person's record)",
    Permission.AUDIT_READ: "Read the audit trail (not the records themselves)",
    Permission.AUDIT_REVIEW_BREAK_GLASS: "Review break-glass access",
    Permission.SUBJECT_ACCESS_EXPORT: (
        "Export everything held about a person for a subject access request"
    ),
    Permission.ACCOUNTS_MANAGE: "Manage staff accounts and team memberships",
    Permission.REFERENCE_DATA_MANAGE: "Manage organisations, teams, sites and code lists",
    Permission.EPISODE_VIEW: "See episodes and worklists of people their teams work with",
    Permission.EPISODE_MANAGE: "Open episodes, screen, assess, refer on and close",
    Permission.CJ_CONTEXT_VIEW: (
        "See criminal-justice details (offence, charge, court, custody): UK GDPR Article 10 data"
    ),
    Permission.CONSENT_RECORD: "Record consent, and its withdrawal",
    Permission.REPORT_ISSUE: "Issue reports to police, courts and probation",
    Permission.DATA_RETURN_EXPORT: "Download the monthly data return",
    Permission.CARERS_MANAGE: "Manage carers, information-sharing agreements and contacts",
    Permission.CARER_CONTENT_EDIT: "Edit the carers' portal information pages",
    Permission.CARER_SHARE_REVIEW: (
        "Review information shared with carers without the patient's consent"
    ),
    Permission.CARER_PORTAL: "Use the carers' portal (carers only)",
    Permission.FEEDBACK_VIEW: "Read the feedback patients, carers and families give their teams",
    Permission.FEEDBACK_RESPOND: (
        "Tag and respond to their teams' feedback, and publish what was done about it"
    ),
    Permission.PCREF_MANAGE: (
        "Keep the trust's PCREF plan and its register of who takes part in co-production"
    ),
    Permission.LIST_IMPORT: (
        "Upload their team's custody, court and prison release lists, and open episodes from them"
    ),
}


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", "Practitioner"
    TEAM_LEADER = "team_leader", "Team leader"
    SERVICE_MANAGER = "service_manager", "Service manager"
    EQUALITY_LEAD = "equality_lead", "Equality lead"
    IG_AUDITOR = "ig_auditor", "Information-governance auditor"
    SYSTEM_ADMIN = "system_admin", "System administrator"
    CARER = "carer", "Carer (portal only)"


@dataclass(frozen=True)
class RoleDefinition:
    role: Role
    description: str
    permissions: frozenset[Permission]


_CLINICAL = frozenset(
    {
        Permission.PERSON_SEARCH,
        Permission.PERSON_VIEW,
        Permission.PERSON_CREATE,
        Permission.PERSON_EDIT,
        Permission.PERSON_BREAK_GLASS,
        Permission.EPISODE_VIEW,
        Permission.EPISODE_MANAGE,
        Permission.CJ_CONTEXT_VIEW,
        Permission.CONSENT_RECORD,
        Permission.REPORT_ISSUE,
        Permission.CARERS_MANAGE,
        Permission.LIST_IMPORT,
    }
)
_LEADERSHIP = frozenset(
    {
        Permission.TEAM_ALLOCATE,
        Permission.TEAM_REPORTS,
        Permission.TEAM_SETTINGS_MANAGE,
        Permission.PERSON_RESTRICT,
        Permission.PERSON_MERGE,
        Permission.PERSON_MERGES_VIEW,
        Permission.MATCHING_REVIEW,
        Permission.DATA_RETURN_EXPORT,
        Permission.CARER_CONTENT_EDIT,
        Permission.CARER_SHARE_REVIEW,
        Permission.FEEDBACK_VIEW,
        Permission.FEEDBACK_RESPOND,
    }
)

ROLES: dict[Role, RoleDefinition] = {
    Role.PRACTITIONER: RoleDefinition(
        Role.PRACTITIONER,
        "Works with people in custody, court, prison or the community: finds, registers and "
        "updates the records of people their team works with.",
        _CLINICAL,
    ),
    Role.TEAM_LEADER: RoleDefinition(
        Role.TEAM_LEADER,
        "Everything a practitioner does, plus allocating work, restricting records, merging "
        "duplicate records, the team's service figures and the team's settings.",
        _CLINICAL | _LEADERSHIP,
    ),
    Role.SERVICE_MANAGER: RoleDefinition(
        Role.SERVICE_MANAGER,
        "Runs the service across teams: records of people their teams work with, restrictions, "
        "merging duplicate records and service figures.",
        _CLINICAL | _LEADERSHIP | {Permission.PCREF_MANAGE},
    ),
    Role.EQUALITY_LEAD: RoleDefinition(
        Role.EQUALITY_LEAD,
        "Leads race-equality (PCREF) work: aggregate figures only, never a person's record.",
        frozenset({Permission.EQUALITY_AGGREGATES, Permission.PCREF_MANAGE}),
    ),
    Role.IG_AUDITOR: RoleDefinition(
        Role.IG_AUDITOR,
        "Information governance: reads the audit trail, reviews break-glass access and merges "
        "of records, and answers subject access requests; does not open records.",
        frozenset(
            {
                Permission.AUDIT_READ,
                Permission.PERSON_MERGES_VIEW,
                Permission.MATCHING_REVIEW,
                Permission.AUDIT_REVIEW_BREAK_GLASS,
                Permission.SUBJECT_ACCESS_EXPORT,
            }
        ),
    ),
    Role.SYSTEM_ADMIN: RoleDefinition(
        Role.SYSTEM_ADMIN,
        "Manages accounts, teams and reference data; does not open records.",
        frozenset({Permission.ACCOUNTS_MANAGE, Permission.REFERENCE_DATA_MANAGE}),
    ),
    Role.CARER: RoleDefinition(
        Role.CARER,
        "A carer of someone in secure services: the carers' portal only, showing what the "
        "patient agreed to share with them.",
        frozenset({Permission.CARER_PORTAL}),
    ),
}

STAFF_ROLES = [r for r in Role if r != Role.CARER]

# Permissions that show people's records, or any part of them (an export included).
RECORD_VIEWING_PERMISSIONS = frozenset(
    {
        Permission.PERSON_SEARCH,
        Permission.PERSON_VIEW,
        Permission.PERSON_BREAK_GLASS,
        Permission.EPISODE_VIEW,
        Permission.SUBJECT_ACCESS_EXPORT,
        Permission.CARER_PORTAL,
    }
)


def roles_with(permission: Permission) -> list[str]:
    """The roles whose holders have `permission` (for filtering memberships by role)."""
    return [str(role) for role, definition in ROLES.items() if permission in definition.permissions]


def permissions_for_role(role: str) -> frozenset[Permission]:
    return ROLES[Role(role)].permissions


def role_views_records(role: str) -> bool:
    """Does holding `role` let someone see people's records?"""
    return bool(permissions_for_role(role) & RECORD_VIEWING_PERMISSIONS)
