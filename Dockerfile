# The newsindex worker image: the project and its pinned dependencies, run as a Prefect worker or the CLI.
#   docker compose build worker            (docker-compose.yml builds it for the `deploy` and `worker` services)
#   docker compose run --rm worker newsindex run inbox
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    PREFECT_SERVER_ANALYTICS_ENABLED=false \
    NEWSINDEX_CACHE_DIR=/var/lib/newsindex
WORKDIR /app
COPY pyproject.toml constraints.txt README.md prefect.yaml ./
COPY pipelines ./pipelines
COPY flows ./flows
COPY config ./config
# Editable install: the code finds config/ beside itself (pipelines.settings.ROOT = /app), as in a checkout.
RUN pip install -c constraints.txt -e . \
    && useradd --create-home newsindex \
    && mkdir -p /var/lib/newsindex /app/inbox \
    && chown newsindex /var/lib/newsindex /app/inbox
USER newsindex
# The named volume for the quarantine and raw store starts with the ownership above.
VOLUME ["/var/lib/newsindex"]
ENTRYPOINT []
CMD ["newsindex", "--help"]
