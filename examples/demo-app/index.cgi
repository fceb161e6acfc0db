#!/bin/sh
# The demo app's page: what it reached, always 200 so a person sees the failures too.
body=$(/usr/local/bin/reach 2>/dev/null)
printf 'Content-Type: text/plain\r\n\r\n'
printf 'demo-app on %s\n%s\n' "$(hostname)" "$body"
