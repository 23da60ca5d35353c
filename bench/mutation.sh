#!/usr/bin/env bash
# Mutation testing of cpsdiff's core modules (configured in pyproject.toml [tool.mutmut]; results
# and the survivors, equivalent or left alive, in docs/mutation.md). Slow -- about an hour on two
# cores for the full run -- so never in CI. Needs: pip install -e '.[test,mutation]'.
# MUTMUT_CHILDREN sets the number of parallel workers (default 2).
#   bench/mutation.sh                      every mutant not yet checked (results persist in mutants/)
#   bench/mutation.sh 'cpsdiff.diff.moves*' only these mutants, checked again
#   rm -rf mutants && bench/mutation.sh    from scratch, after changing code or tests
# Then `mutmut results` lists the survivors and `mutmut show NAME` shows one.
# mutmut first runs the whole selection once to learn which tests call what ("Running stats"). If
# that fails with "failed to collect stats" and nothing else, add `debug = true` to [tool.mutmut]
# to see pytest's output. Run it in the foreground: in the background the shell-completion test
# finds no shell and fails that step (docs/mutation.md).
set -euo pipefail
cd "$(dirname "$0")/.."
nice -n 10 mutmut run --max-children "${MUTMUT_CHILDREN:-2}" "$@"
python bench/mutation_score.py
