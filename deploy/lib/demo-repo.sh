# shellcheck shell=bash
# The local forge's demo repository: deploy/demo-repo (a tiny calculator and its ./check.sh) as a bare git
# repository the tool-service seeds each tenant's forge copy from. Needs only the git CLI.
#
# Configuration `up` passes to tool-service for it (the remote's name is the repository agents use):
#   devloop.tools.git.remotes.demo.url=<path>                 (the bare repository made here)
#   devloop.tools.git.remotes.demo.default-branch=main
#   devloop.tools.forge.repositories.demo.kind=local
#   devloop.tools.forge.repositories.demo.check-command=./check.sh

# demo_repo_source: the directory holding the demo project.
demo_repo_source() {
  local here
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
  printf '%s' "$(cd "$here/../demo-repo" && pwd)"
}

# demo_repo_seed <path>: creates the bare seed repository at <path> from deploy/demo-repo unless a git repository
# is already there (an existing seed is left as it is: tenants' forge copies were made from it). Returns non-zero
# when <path> exists and is something else.
demo_repo_seed() {
  local target=${1:?usage: demo_repo_seed <path>} src work
  if [[ -f $target/HEAD && -d $target/objects ]]; then
    return 0
  fi
  if [[ -e $target ]] && [[ -n "$(ls -A "$target" 2>/dev/null)" ]]; then
    printf 'devloop: error: %s exists and is not a bare git repository\n' "$target" >&2
    return 1
  fi
  src="$(demo_repo_source)"
  work="$(mktemp -d "${TMPDIR:-/tmp}/devloop-demo-repo.XXXXXX")"
  cp -R "$src/." "$work/"
  (
    cd "$work" &&
      git init -q &&
      git symbolic-ref HEAD refs/heads/main &&
      git add -A &&
      git -c user.name='Devloop demo' -c user.email='demo@devloop.invalid' -c commit.gpgsign=false \
        commit -q -m 'The demo calculator and its check'
  ) || {
    rm -rf "$work"
    printf 'devloop: error: could not build the demo repository\n' >&2
    return 1
  }
  mkdir -p "$(dirname "$target")"
  if ! git clone -q --bare "$work" "$target"; then
    rm -rf "$work"
    return 1
  fi
  rm -rf "$work"
}
