#!/bin/sh
# The demo project's check (the local forge runs it on every pull request head): each case below must hold.
# Exit status 0 = every case passed; 1 = at least one failed (the failing cases are printed).
set -u
cd "$(dirname "$0")" || exit 2
failed=0
passed=0
expect() {
  want=$1
  shift
  got=$(sh ./calc.sh "$@" 2>&1)
  if [ "$got" = "$want" ]; then
    passed=$((passed + 1))
    echo "ok   calc $* = $got"
  else
    failed=$((failed + 1))
    echo "FAIL calc $*: expected $want, got $got"
  fi
}
expect 5 add 2 3
expect -1 add 2 -3
expect 4 sub 7 3
expect 12 mul 3 4
expect 0 mul 0 9
expect 9 max 9 2
expect 7 max -1 7
if [ "$failed" -eq 0 ]; then
  echo "all $passed cases passed"
else
  echo "$failed of $((passed + failed)) cases failed"
  exit 1
fi
