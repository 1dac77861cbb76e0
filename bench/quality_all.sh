#!/usr/bin/env bash
# `onprem eval quality` for every generator, on the bundled models and (when installed) the 1.5B
# model: the tables of docs/quality.md. Figures, not a test; a long run on a CPU (the 1.5B model
# writes about a page a minute on two cores). Reports are stored in $DB; `onprem --db $DB eval
# quality-report` prints them again.
#
#     bash bench/quality_all.sh [DB] [MODELS]
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${1:-/tmp/onprem-quality.db}
MODELS=${2:-gemma3-270m,smollm2-135m,qwen2.5-coder-1.5b}
ANNOMI=${ANNOMI:-../shared/corpora/annomi/transcripts}
Q() { .venv/bin/onprem --db "$DB" eval quality --models "$MODELS" --progress plain --seed 7 "$@"; }

# paraphrase: real counselling speech (AnnoMI), MentalChat16K's rule, then 40 words together
Q -n 6 paraphrase "$ANNOMI" --roles client,therapist
Q -n 6 paraphrase "$ANNOMI" --roles client,therapist --min-words-mode total
Q -n 2 generate sqpsych --profiles examples/profiles/clients.csv --max-turns 12 --min-turns 6
Q -n 2 generate pe --profiles 2 --phases 1
Q -n 3 generate counselling-qa --count 3 --batch 3 --query-words 40 --answer-tokens 300
Q -n 2 generate empathy --cell ER:2 --cell EX:1 --max-trials 2
# hybrid sessions read stored scenarios, which read stored personas: both written first, once
.venv/bin/onprem --db "$DB" personas sample --n 2 --seed 7
Q -n 2 generate scenarios
# the 1.5B model's scenarios fail their tag check (docs/quality.md): Gemma writes the inputs
.venv/bin/onprem --db "$DB" generate scenarios --model "${SCENARIO_MODEL:-gemma3-270m}" --progress plain || true
Q -n 2 generate hybrid --max-turns 10
.venv/bin/onprem --db "$DB" eval quality-report --markdown
