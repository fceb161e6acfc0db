#!/bin/sh
# Asks the database and the cache the demo app is wired to, with the settings the SDK's blocks
# put in its environment: PG* (or DATABASE_URL) and REDIS_URL (or REDIS_HOST/REDIS_PORT).
# Prints one line each ("database: ...", "cache: ..."); exits 1 when either did not answer,
# after writing what failed to stderr, which is the container's log.
export PGCONNECT_TIMEOUT=2
failed=0

# report WHAT WHERE ANSWERED ANSWER: one line on stdout, and one on stderr when it failed.
report() {
  if [ "$3" = yes ]; then
    echo "$1: $4"
    return
  fi
  failed=1
  set -- "$1" "$2" "$3" "$(echo "$4" | tr '\n\t' '  ' | sed 's/  */ /g')"
  echo "$1: unreachable at $2: $4"
  echo "demo-app: $1 unreachable at $2: $4" >&2
}

# host:port of a URL such as postgres://user:password@host:5432/db, without the credentials.
address() { echo "$1" | sed -e 's#^[a-z]*://##' -e 's#^[^@]*@##' -e 's#/.*##'; }

# PG* settings win over DATABASE_URL when both are given, as libpq's own variables.
if [ -n "$PGHOST" ]; then
  where="$PGHOST:${PGPORT:-5432}"
  answer=$(psql -X -A -t -c 'SELECT version()' 2>&1) && ok=yes || ok=no
elif [ -n "$DATABASE_URL" ]; then
  where=$(address "$DATABASE_URL")
  answer=$(psql -X -A -t -c 'SELECT version()' "$DATABASE_URL" 2>&1) && ok=yes || ok=no
else
  where='(not wired)' answer='no PGHOST or DATABASE_URL in the environment' ok=no
fi
report database "$where" "$ok" "$answer"

if [ -n "$REDIS_URL" ]; then
  where=$(address "$REDIS_URL")
  answer=$(timeout 2 redis-cli -u "$REDIS_URL" PING 2>&1)
elif [ -n "$REDIS_HOST" ]; then
  where="$REDIS_HOST:${REDIS_PORT:-6379}"
  answer=$(timeout 2 redis-cli -h "$REDIS_HOST" -p "${REDIS_PORT:-6379}" PING 2>&1)
else
  where='(not wired)' answer='no REDIS_URL or REDIS_HOST in the environment'
fi
[ "$answer" = PONG ] && ok=yes || ok=no
report cache "$where" "$ok" "$answer"
exit $failed
