"""Dialogs of the accounts: logging in and out, the first connection, « Identifiant perdu » and
« Mot de passe oublié », and « Mes utilisateurs » (list, close, name a responsable, create)."""
