from typing import Any, TypeAlias

# rasa-sdk declares a TypedDict of a few keys; the domain arrives as JSON with every key of the
# domain files (and, in-process, `__rules__`), which the actions read: a plain mapping here.
DomainDict: TypeAlias = dict[str, Any]
