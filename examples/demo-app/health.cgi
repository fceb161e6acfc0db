#!/bin/sh
# Readiness and liveness: 200 only when the database and the cache both answer, so a broken
# wiring keeps the pod unready and the rollout reports it. Failures go to the container's log.
if body=$(/usr/local/bin/reach); then
  printf 'Content-Type: text/plain\r\n\r\nok\n'
else
  printf 'Status: 503 Service Unavailable\r\nContent-Type: text/plain\r\n\r\n%s\n' "$body"
fi
