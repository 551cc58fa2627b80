#!/bin/sh
# calc.sh - the demo project of Devloop's local forge: a tiny integer calculator.
#   sh calc.sh add|sub|mul|max A B
set -eu
op=${1:?usage: calc.sh add|sub|mul|max A B}
a=${2:?missing A}
b=${3:?missing B}
case "$op" in
  add) echo $((a + b)) ;;
  sub) echo $((a - b)) ;;
  mul) echo $((a * b)) ;;
  max) if [ "$a" -ge "$b" ]; then echo "$a"; else echo "$b"; fi ;;
  *)
    echo "unknown operation: $op" >&2
    exit 2
    ;;
esac
