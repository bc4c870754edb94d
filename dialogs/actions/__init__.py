"""Every rasa-sdk action of the assistant, built with the application context, one package per
capability as in `services`: `core` (greeting, menu, help, fallback, FAQ and what every dialog
shares), `accounts`, `tenants`, `declarations`, `payments`.

A module adds its actions by listing them in its `ACTIONS` tuple (its forms, `FORMS`, also get
the ask actions their spec implies) and by being named here with the names of all of them:
`ACTION_NAMES` lets the engine know every action at start-up and import a module only when one
of its actions is first asked for (`registry.py`). `tests/unit/core/test_action_names.py`
checks this table against the modules and prints the right one when they differ.
"""

from __future__ import annotations

ACTION_NAMES: dict[str, tuple[str, ...]] = {
    "core.menu": ("action_greet", "action_help", "action_main_menu", "action_fallback"),
    "accounts.login": (
        "action_start_login",
        "validate_login_form",
        "action_login_done",
        "action_logout",
        "action_ask_login_identifier",
        "action_ask_login_password",
    ),
    "declarations.rent": (
        "action_start_rent",
        "action_ask_rent_tenant",
        "action_ask_rent_amount",
        "action_ask_rent_amount_confirm",
        "action_ask_rent_confirm",
        "validate_rent_form",
        "action_rent_done",
        "action_ask_rent_still_manager",
        "action_ask_rent_still_living",
        "action_ask_rent_flatshare",
        "action_ask_rent_unpaid",
        "action_ask_rent_edit",
    ),
    "declarations.bulk": (
        "action_start_bulk_rent",
        "action_start_bulk_sheet",
        "action_ask_bulk_rent_answer",
        "validate_bulk_rent_form",
        "action_bulk_rent_done",
    ),
    "core.faq": ("action_faq",),
    "accounts.first_login": (
        "validate_first_login_form",
        "action_first_login_done",
        "action_ask_first_login_email",
        "action_ask_first_login_email_again",
        "action_ask_first_login_phone",
        "action_ask_first_login_phone_again",
        "action_ask_first_login_password",
        "action_ask_first_login_password_again",
        "action_ask_first_login_rules",
        "action_ask_first_login_terms",
    ),
    "accounts.recovery": (
        "action_start_lost_identifier",
        "action_start_forgotten",
        "validate_lost_identifier_form",
        "action_lost_identifier_done",
        "validate_forgotten_form",
        "action_forgotten_done",
        "action_ask_lost_identifier_number",
        "action_ask_lost_identifier_medium",
        "action_ask_forgotten_email",
    ),
    "accounts.users": (
        "action_manage_users",
        "action_users_show",
        "action_users_close",
        "action_users_make_manager",
        "action_users_replace_admin",
        "action_start_new_user",
        "action_ask_new_user_group_pick",
        "validate_new_user_form",
        "action_new_user_done",
        "action_ask_new_user_last_name",
        "action_ask_new_user_first_name",
        "action_ask_new_user_email",
        "action_ask_new_user_email_again",
        "action_ask_new_user_phone",
        "action_ask_new_user_phone_again",
        "action_ask_new_user_mobile",
        "action_ask_new_user_opened_on",
        "action_ask_new_user_closed_on",
        "action_ask_new_user_confirm",
        "action_ask_new_user_edit",
    ),
    "declarations.changes": (
        "action_start_change",
        "action_ask_change_tenant",
        "action_ask_change_cotenant_names",
        "validate_change_form",
        "action_change_done",
        "action_ask_change_type",
        "action_ask_change_end_date",
        "action_ask_change_end_reason",
        "action_ask_change_new_manager",
        "action_ask_change_departure_date",
        "action_ask_change_lease_end_date",
        "action_ask_change_new_address",
        "action_ask_change_flatshare",
        "action_ask_change_cotenants",
        "action_ask_change_from_date",
        "action_ask_change_confirm",
        "action_ask_change_edit",
    ),
    "declarations.unpaid": (
        "action_start_unpaid",
        "action_ask_unpaid_tenant",
        "action_ask_unpaid_first_month",
        "action_ask_unpaid_due",
        "action_ask_unpaid_paid",
        "action_ask_unpaid_confirm",
        "action_ask_unpaid_edit",
        "validate_unpaid_form",
        "action_unpaid_done",
    ),
    "tenants.tenant_list": (
        "action_list_tenants",
        "validate_tenants_form",
        "action_tenants_search_done",
    ),
    "payments.view": ("action_view_payments",),
    "reminders.choice": ("action_manage_reminders",),
}
MODULES = tuple(ACTION_NAMES)
