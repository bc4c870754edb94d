"""Bundled Rasa NLU training data (YAML). A regular package so `importlib.resources` finds it
even under an editable install, where namespace packages break `files()` on Python 3.11."""
