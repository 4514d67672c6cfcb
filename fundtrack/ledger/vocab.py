"""The closed vocabularies of fundtrack/1: funder kinds, categories, statuses, forms, roles."""

from __future__ import annotations

FUNDER_KINDS = (
    "upper_grant",
    "local_finance",
    "project_matching",
    "agency_support",
    "social_donation",
    "enterprise",
    "villagers",
    "other",
)
ENTERPRISE_KINDS = ("private_mine", "state_mine", "processing", "other")
CATEGORIES = ("housing", "school", "road", "bridge", "water", "reservoir", "other")
PROJECT_STATUSES = ("planned", "preparing", "approving", "building", "completed", "suspended")
MILESTONE_STATUSES = ("todo", "approving", "doing", "done")
PLEDGE_FORMS = ("cash", "land", "labour", "machinery", "materials", "other")
HIRE_ROLES = ("worker", "management")
