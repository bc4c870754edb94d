# bailleur-bot: the Telegram webhook supervisor and its workers, in one image.
#   docker build -t bailleur-bot .
# The NLU model is trained at build time, so a container starts in about a second. It is trained
# in a stage of its own with the `vectors` extra (spaCy's French lexicon for the typo correction:
# the model the README measures); the image keeps the model, not spaCy.
FROM python:3.11-slim AS model

ENV PYTHONDONTWRITEBYTECODE=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    BAILLEUR_DATA_DIR=/tmp/bailleur \
    BAILLEUR_NLU_MODEL=/model/nlu-model.pkl

WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY dialogs ./dialogs
COPY services ./services
COPY nlu_data ./nlu_data
RUN pip install --no-cache-dir ".[vectors]" && bailleur-bot train

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    BAILLEUR_DATA_DIR=/data \
    BAILLEUR_NLU_MODEL=/opt/bailleur-bot/nlu-model.pkl

WORKDIR /opt/bailleur-bot
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY dialogs ./dialogs
COPY services ./services
COPY nlu_data ./nlu_data
RUN pip install --no-cache-dir . \
    && useradd --system --create-home --home-dir /data bailleur
# The model and its .key (which tells a start that the model is current: nothing is written here).
COPY --from=model /model/ ./

USER bailleur
EXPOSE 8443
# The end-to-end tests run these two commands as written (tests/e2e/core/webhook_cluster.py).
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import os, sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:%s/health' % os.environ.get('PORT', '8443'), timeout=4).status != 200)"
CMD ["sh", "-c", "exec bailleur-bot telegram --webhook --workers \"${WORKERS:-2}\" --listen \"${LISTEN:-0.0.0.0}\" --port \"${PORT:-8443}\" --url \"$PUBLIC_URL\""]
