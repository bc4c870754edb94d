"""The conversation: the engine that runs one turn, the NLU, the Rasa-format domain and rules
(one file per capability) and the rasa-sdk actions that call the services."""
