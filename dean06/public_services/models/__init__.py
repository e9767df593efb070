from dean06.public_services.models.documents import Attachment, CitizenDocument
from dean06.public_services.models.dossiers import Dossier, DossierEvent
from dean06.public_services.models.feedback import Petition, Rating
from dean06.public_services.models.fees import FeePayment
from dean06.public_services.models.procedures import Procedure

__all__ = [
    "Attachment",
    "CitizenDocument",
    "Dossier",
    "DossierEvent",
    "FeePayment",
    "Petition",
    "Procedure",
    "Rating",
]
