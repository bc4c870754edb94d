"""Whose password, or which lost thing, a message is about: other things never open our forms.

« mot de passe de ma tablette », « identifiant de la poste », « mdp de ma boîte gmail »: the
words « mot de passe » and « identifiant » weigh heavily towards our two account forms, and the
foreign-word check only knows the owners the out-of-scope examples (and their neighbours in
spaCy's vectors) happen to name. Here the owner is read from the sentence itself: a credential
« de » + a determiner + a noun belongs to us only when that noun is one of the few things that
own a credential in our service (the account, the partner space, the CAF, a user, a colleague,
the letter it came in...). People are left to the classifier: a colleague or a relative may be
one of the account's users. An e-mail is ours when it is « the » e-mail that carried the
password, not « my » mailbox.

The same holds for what was lost or forgotten: « j'ai perdu mes clés », « j'ai oublié ma carte
bleue » share « perdu » and « oublié » with « identifiant perdu » and « mot de passe oublié »,
but in our service only an identifier, a password, a code and the letters that carried them get
lost. Checked on the training data and both held-out sets: every message either check matches is
out of scope.
"""

from __future__ import annotations

import re

from dialogs.nlu.normalise import fold
from dialogs.nlu.typos import among

# Things and people whose credential is one of ours (folded, singular and plural).
_OUR_OWNERS = frozenset(
    [
        "compte",
        "comptes",
        "espace",
        "espaces",
        "caf",
        "session",
        "sessions",
        "site",
        "service",
        "offre",
        "portail",
        "partenaire",
        "connexion",
        "utilisateur",
        "utilisateurs",
        "utilisatrice",
        "utilisatrices",
        "collaborateur",
        "collaborateurs",
        "collaboratrice",
        "collaboratrices",
        "collegue",
        "collegues",
        "assistant",
        "assistante",
        "assistants",
        "secretaire",
        "secretaires",
        "gestionnaire",
        "gestionnaires",
        "agence",
        "organisme",
        "societe",
        "sci",
        "bailleur",
        "bailleurs",
        "administrateur",
        "administratrice",
        "administrateurs",
        "admin",
        "associe",
        "associee",
        "associes",
        "employe",
        "employee",
        "employes",
        "salarie",
        "salariee",
        "salaries",
        "stagiaire",
        "comptable",
        "responsable",
        "adjoint",
        "adjointe",
        "equipe",
        "delegataire",
        "mandataire",
        "gerant",
        "gerante",
        "proprietaire",
        "proprietaires",
        "personnel",
        "bot",
        "robot",
        "assistant",
        "lettre",
        "courrier",
        "courriers",
        "premiere",
        "application",
        "appli",
        "habilitation",
        "habilitations",
        "groupe",
        "locataire",
        "locataires",
        "structure",
        "entreprise",
        "cabinet",
        "mari",
        "femme",
        "epoux",
        "epouse",
        "conjoint",
        "conjointe",
        "fils",
        "fille",
        "pere",
        "mere",
        "frere",
        "soeur",
        "associe",
    ]
)
# Words that stand before the noun without being the owner (« de mon nouvel utilisateur »).
_BEFORE_NOUN = frozenset(
    [
        "nouvel",
        "nouveau",
        "nouvelle",
        "ancien",
        "ancienne",
        "autre",
        "premier",
        "deuxieme",
        "second",
        "seconde",
        "dernier",
        "derniere",
        "vieux",
        "vieil",
        "petit",
        "petite",
    ]
)
# « le mot de passe du mail » is the mail that carried it; « de ma boîte mail » is a mailbox.
_MAIL_WORDS = frozenset(["mail", "email", "mails", "courriel", "message", "messages"])
_POSSESSIVES = frozenset(["mon", "ma", "mes"])

_CREDENTIAL = re.compile(
    r"\b(?:mots?[- ]de[- ]passe|mdp|identifiants?|login|code(?: secret| pin)?)"
    r" (?:(?P<contracted>du|des) |d(?:e|') ?(?P<determiner>mon |ma |mes |la |le |l' ?|les |son |sa |"
    r"ses |notre |votre |leur |un |une ))"
    r"(?P<words>[a-z]+(?: [a-z]+)?)"
)


# What can be lost or forgotten in our service (folded), the noun after « perdu mon/ma... ».
_OUR_LOSSES = frozenset(
    [
        "identifiant",
        "identifiants",
        "id",
        "login",
        "mot",
        "mots",
        "mdp",
        "code",
        "codes",
        "numero",
        "numeros",
        "courrier",
        "courriers",
        "lettre",
        "lettres",
        "deux",
        "acces",
        "compte",
        "session",
        "mail",
        "email",
        "adresse",
        "loyer",
        "loyers",
        "declaration",
        "declarations",
        "recu",
        "recus",
        "attestation",
        "attestations",
        "document",
        "documents",
        "quittance",
        "quittances",
        "rappel",
        "rappels",
        "locataire",
        "locataires",
        "utilisateur",
        "utilisateurs",
        "informations",
        "coordonnees",
        "date",
        "dates",
        "jour",
        "mois",
        "montant",
        "montants",
        "delai",
        "demarche",
        "procedure",
        "nom",
        "page",
        "lien",
        "site",
    ]
)
_LOSS = re.compile(
    r"\b(?:perdu|oublie|egare|paume|jete|(?:re)?trouve plus) (?:tous |toutes )?"
    r"(?:mon |ma |mes |le |la |les |l' ?)(?P<thing>[a-z]+)"
)


def names_foreign_belonging(text: str) -> bool:
    """True when the message is about the password or identifier of something not ours, or
    says that something we never hold was lost or forgotten."""
    folded = fold(text)
    return _other_credential(folded) or any(
        not among(match["thing"], _OUR_LOSSES) for match in _LOSS.finditer(folded)
    )


def _other_credential(folded: str) -> bool:
    for match in _CREDENTIAL.finditer(folded):
        if match["contracted"] is None and match["determiner"] is None:
            continue
        words = match["words"].split()
        owner = words[0]
        if owner in _BEFORE_NOUN and len(words) > 1:
            owner = words[1]
        if among(owner, _OUR_OWNERS):
            continue
        determiner = (match["determiner"] or "").strip()
        if owner in _MAIL_WORDS and determiner not in _POSSESSIVES:
            continue
        return True
    return False
