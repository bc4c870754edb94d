"""The conversation: the engine that runs one turn, the NLU, the Rasa-format domain and rules
(one file per capability) and the rasa-sdk actions that call the services."""

from dialogs.rasa_sdk_classes import install as _install_rasa_sdk_classes

_install_rasa_sdk_classes()
