# Mutualis: the production image (see README, « Mise en production »). Two stages: the wheels are built
# with the compilers, the runtime gets only the wheels and the system libraries they load.
# Not built on the project's CI (no container engine there): the same settings are tested with gunicorn
# directly (tests/deploy/test_gunicorn.py).

FROM python:3.11-slim-trixie AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY src ./src
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim-trixie
# WeasyPrint (PDF reports) needs Pango and HarfBuzz; pg_dump comes with the PostgreSQL client
# (`mutualis backup`; trixie's client is newer than the server, which pg_dump accepts); tzdata for the
# daily job's clock.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core postgresql-client tzdata \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin mutualis
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --no-index --find-links=/wheels mutualis && rm -rf /wheels

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    MUTUALIS_ENV=production \
    MUTUALIS_DATA_DIR=/data \
    MUTUALIS_STATIC_ROOT=/app/static \
    TZ=Europe/Paris
WORKDIR /app
COPY deploy/docker-entrypoint.sh deploy/daily.sh deploy/healthcheck.py deploy/gunicorn.conf.py /app/
# Static files are collected (hashed and compressed) once, here; the web service copies them into the
# volume the proxy serves. The key and host only let the settings load.
RUN MUTUALIS_SECRET_KEY=collectstatic-only MUTUALIS_ALLOWED_HOSTS=localhost \
    mutualis collectstatic --no-input -v0 \
 && mkdir -p /data /srv/static /backups \
 && chown mutualis:mutualis /data /srv/static /backups

USER mutualis
EXPOSE 8000
# /sante/: database, migrations and worker. Only the web service answers it: compose turns it off for the
# others (their state is read through the web's answer).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["python", "/app/healthcheck.py"]
ENTRYPOINT ["/app/docker-entrypoint.sh"]
CMD ["web"]
