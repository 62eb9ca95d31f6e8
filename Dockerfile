# The newsindex worker image: the project and its pinned dependencies, run as a Prefect worker or the CLI.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    PREFECT_SERVER_ANALYTICS_ENABLED=false
WORKDIR /app
COPY pyproject.toml constraints.txt README.md ./
COPY pipelines ./pipelines
COPY flows ./flows
COPY config ./config
RUN pip install -c constraints.txt . && useradd --create-home newsindex
USER newsindex
ENTRYPOINT ["newsindex"]
CMD ["--help"]
