"""French NLU for landlords: intents, entities with normalised values, tenant name matching."""

from dialogs.nlu.model import NluModel
from dialogs.nlu.paths import default_model_path, nlu_data_dir
from dialogs.nlu.tenants import TenantCandidate, match_tenants

__all__ = ["NluModel", "TenantCandidate", "default_model_path", "match_tenants", "nlu_data_dir"]
