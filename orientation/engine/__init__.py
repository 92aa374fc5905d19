"""The orientation rules (docs/orientation-rules.md) and the model they reason on.

`rules`: (profile, commune) → services, prescriber, reasons; pure Python.
`model`: the frozen dataclasses of platforms, services, prescribers.
"""

from orientation.engine.rules import (  # noqa: F401 - the engine's public names
    A_VERIFIER,
    ELIGIBLE,
    NON_ELIGIBLE,
    RAISON_AGE,
    RAISON_PUBLIC,
    RAISON_TERRITOIRE,
    STATUT_AUCUN_SERVICE,
    STATUT_AUCUNE_PLATEFORME,
    STATUT_ORIENTATION,
    STATUT_PREMIER_PAS,
    VAGUE_NEED,
    Check,
    ExcludedService,
    Orientation,
    Profile,
    ProposedService,
    age_holds,
    age_matters,
    area_codes,
    choose_prescriber,
    effective_zone,
    eligibility,
    orient,
    prescriber_fits,
    service_prescribers,
)
