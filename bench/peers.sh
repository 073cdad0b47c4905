#!/usr/bin/env bash
# Regenerates the fan-out figures of docs/benchmarks.md: the shared peers' harness (../shared/peers, or PEERS=...)
# against this project's real server (durable path, inline socket scheduling), SignalR and a bare Kestrel loop, in one
# run, then `bench -- report` on its results. Run from anywhere; nothing else should load the machine meanwhile.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
peers=${PEERS:-$root/../shared/peers}
[ -f "$peers/run.sh" ] || { echo "the peers harness is not at $peers; set PEERS to its folder" >&2; exit 2; }
cd "$root"
dotnet build -c Release -nologo -v q bench/CanvasLearning.Bench
bench="$root/bench/CanvasLearning.Bench/bin/Release/net10.0/CanvasLearning.Bench"
export OURS_CMD="$bench fanout-server durable --inline" ONLY="${ONLY:-ours signalr kestrel}"
bash "$peers/run.sh"
bash "$peers/sweep.sh"
run=$(ls -d "$peers"/results/2*/ | grep -v -- -pinned | sort | tail -1)
sweep=$(ls -d "$peers"/results/sweep-*/ | grep -v -- -pinned | sort | tail -1)
"$bench" report "$run" "$sweep" "$root/docs"
