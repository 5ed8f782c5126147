#!/usr/bin/env bash
# Run the feedback tests against a real PostgreSQL.
#
# Starts a throwaway local server from Debian's `postgresql` package (installed
# with apt-get when missing and running as root), in a temporary folder on a
# private port, runs tests/test_feedback_postgres.py against it, then stops it
# and deletes everything. Extra arguments go to pytest.
#
#   scripts/test-postgres.sh            # or: scripts/test-postgres.sh -x -v
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PORT=${HAVEN_TEST_POSTGRES_PORT:-54329}

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "postgres: installing Debian's postgresql package"
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql
  else
    echo "postgres: install it first, e.g. sudo apt-get install postgresql" >&2
    exit 1
  fi
fi
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)

# The SQLAlchemy driver: psycopg 3 (also the `postgres` extra of flask-haven).
"$VENV/bin/python" -c "import psycopg" 2>/dev/null || "$VENV/bin/pip" install -q "psycopg[binary]>=3.1"

DATA=$(mktemp -d /tmp/haven-pg.XXXXXX)
RUN_AS=()
if [ "$(id -u)" = 0 ]; then
  # PostgreSQL refuses to run as root; Debian's package made a `postgres` user.
  chown postgres "$DATA"
  RUN_AS=(runuser -u postgres --)
fi
stop() {
  "${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DATA/db" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$DATA"
}
trap stop EXIT

"${RUN_AS[@]}" "$BIN/initdb" -D "$DATA/db" -U haven --auth=trust -E UTF8 >/dev/null
"${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DATA/db" -l "$DATA/db/server.log" -w \
  -o "-p $PORT -k $DATA -c listen_addresses=127.0.0.1" start >/dev/null
"${RUN_AS[@]}" "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U haven haven_test
echo "postgres: running on 127.0.0.1:$PORT ($("$BIN/postgres" --version))"

HAVEN_TEST_POSTGRES_URL="postgresql+psycopg://haven@127.0.0.1:$PORT/haven_test" \
  "$VENV/bin/pytest" -q -p no:cacheprovider tests/test_feedback_postgres.py "$@"
