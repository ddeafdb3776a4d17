#!/bin/sh
# The image's one entry point: `web` (gunicorn), `worker` (background jobs with its heartbeat),
# `migrate` (once per deployment, before the others), `daily` (the daily jobs); anything else is run as is.
set -eu

case "${1:-web}" in
  web)
    # The proxy serves /static/ from a volume: refresh it with this image's files (old hashed names stay,
    # for pages already open in a browser).
    if [ -w /srv/static ]; then cp -a /app/static/. /srv/static/; fi
    exec gunicorn mutualis.wsgi --config /app/gunicorn.conf.py
    ;;
  worker)
    exec mutualis worker --interval 2 --no-reload
    ;;
  migrate)
    mutualis migrate --no-input
    mutualis createcachetable  # the database cache's table (MUTUALIS_CACHE_URL=dbcache://…); else nothing
    exec mutualis check --deploy
    ;;
  daily)
    exec /app/daily.sh
    ;;
  *)
    exec "$@"
    ;;
esac
