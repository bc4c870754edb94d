# Typed stubs of the parts of rasa-sdk 3 the actions use: rasa-sdk ships no type information, and
# without these every action's tracker, dispatcher and domain would be `Any` to mypy. Checked
# against the installed package by `scripts/check-stubs.sh` (mypy's stubtest).
from rasa_sdk.forms import FormValidationAction as FormValidationAction
from rasa_sdk.forms import ValidationAction as ValidationAction
from rasa_sdk.interfaces import Action as Action
from rasa_sdk.interfaces import ActionExecutionRejection as ActionExecutionRejection
from rasa_sdk.interfaces import Tracker as Tracker
