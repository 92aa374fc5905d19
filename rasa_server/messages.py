"""What the Rasa server itself says when a service behind it fails.

Kept here, not in domain.yml: it must be said when the tracker store or the
action server that would normally send it cannot be reached.
"""

SERVICE_UNAVAILABLE = (
    "Le service est momentanément indisponible. Réessayez dans une minute en renvoyant "
    "votre message : vos réponses précédentes sont gardées. Si cela dure, un travailleur "
    "social de votre CCAS ou du Département peut vous orienter."
)
