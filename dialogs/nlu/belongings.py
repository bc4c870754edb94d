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
out of scope. The words are data, in `belongings.yml` beside this module.
"""

from __future__ import annotations

import re

from dialogs.nlu.normalise import fold
from dialogs.nlu.typos import among
from services.core.yaml_files import read_yaml

_WORDS = read_yaml("dialogs.nlu", "belongings.yml")
# Things and people whose credential is one of ours; any other owner is out of scope.
_OUR_OWNERS = frozenset(_WORDS["our_owners"])
# Words that stand before the noun without being the owner (« de mon nouvel utilisateur »).
_BEFORE_NOUN = frozenset(_WORDS["before_noun"])
# « le mot de passe du mail » is the mail that carried it; « de ma boîte mail » is a mailbox.
_MAIL_WORDS = frozenset(_WORDS["mail_words"])
_POSSESSIVES = frozenset(_WORDS["possessives"])
# What can be lost or forgotten in our service, the noun after « perdu mon/ma... ».
_OUR_LOSSES = frozenset(_WORDS["our_losses"])

_CREDENTIAL = re.compile(
    r"\b(?:mots?[- ]de[- ]passe|mdp|identifiants?|login|code(?: secret| pin)?)"
    r" (?:(?P<contracted>du|des) |d(?:e|') ?(?P<determiner>mon |ma |mes |la |le |l' ?|les |son |sa |"
    r"ses |notre |votre |leur |un |une ))"
    r"(?P<words>[a-z]+(?: [a-z]+)?)"
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
