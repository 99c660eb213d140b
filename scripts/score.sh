#!/usr/bin/env bash
# Score extraction against a hand-annotated reference through the saved contract queries.
#   scripts/score.sh [DOCS_DIR] [GOLD_JSON] [extra score.py options]
# Defaults: the seed articles against ../shared/gold/seeds.json.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
docs="${1:-$here/seeds}"
gold="${2:-$here/../shared/gold/seeds.json}"
shift $(( $# > 2 ? 2 : $# ))
kg="${KG:-$here/.venv/bin/kg}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$kg" load "$docs" --store "$tmp/store" >/dev/null
for q in events entities positions; do
  "$kg" query "$q" --store "$tmp/store" --format json > "$tmp/$q.json"
done
python3 "$here/../shared/eval/score.py" --gold "$gold" --events "$tmp/events.json" \
  --entities "$tmp/entities.json" --positions "$tmp/positions.json" "$@"
