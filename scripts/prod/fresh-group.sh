#!/bin/sh
# How supervisord starts each program of the production profile (scripts/prod/prodstack.py):
#   fresh-group.sh GROUP_FILE COMMAND [ARGUMENTS…]
# It ends what the program's previous run left behind, records its own process group,
# then becomes the program (exec: same pid, in the process group supervisord gave it).
#
# Why: a `kill -9` ends a program's leader only. nginx's workers go on serving and keep
# its port, so a new master could not bind it. Only members of the previous run's group
# running the program's own executable are ended: the kernel never reuses the number of a
# group that still has members, and an unrelated process given that number later would
# have to run the same executable. (PostgreSQL's backends lead groups of their own and
# leave by themselves when their postmaster dies.)
set -u
group_file=$1
shift
program=$(readlink -f "$(command -v "$1")")
if [ -s "$group_file" ]; then
  group=$(cat "$group_file")
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    left=""
    for pid in $(pgrep -g "$group" 2>/dev/null); do
      if [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$program" ]; then
        kill -KILL "$pid" 2>/dev/null && left="$left $pid"
      fi
    done
    [ -z "$left" ] && break
    echo "fresh-group.sh: ended what the previous run of $1 left behind:$left" >&2
    sleep 0.5
  done
fi
echo $$ > "$group_file"
exec "$@"
