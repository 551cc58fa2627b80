#!/usr/bin/env bash
# knowledge-service benchmark for issue #16 goal 5: hybrid search including the query embedding (unique queries)
# and document ingestion, devloop's LocalEmbeddings against the previous LangChain4j embedding path as the baseline,
# interleaved in one JVM on the running Neo4j (deploy/devloop servers up). Prints the table with ratios
# (devloop / baseline) and, with BENCH_OUT set, writes $BENCH_OUT/knowledge.md. Binds no port; bounded by
# DOCS (documents per side, default 50), ROUNDS (timed calls per side and row, default 200) and BUDGET_SECONDS
# (per row, default 40): about 1–2 minutes plus the build. BATCH (documents per batch-API call, default 25) sizes the
# batch-vs-single ingest rows (fresh tenants, the same DOCS documents through POST /documents/batch's use case and the
# single one, alternating groups, then every group re-posted unchanged through both APIs). JFR=1 also records a flight
# recording of the run into
# knowledge-service/target/knowledge-bench.jfr (read it with `jfr print --events jdk.ExecutionSample`). SHARED_ROUTE=true
# routes both sides' tenants to the shared vector index first (stop 31's A/B: every chunk write then also inserts into
# the shared HNSW index, as every write did until stop 30). INFERENCE_BATCH=2 runs the in-process model's texts in padded
# pairs (the default before stop 32; default 1, one text per ONNX run). LOCAL_MODEL=all-minilm-l6-v2 embeds devloop's
# side with the fp32 model (stop 35's A/B; default all-minilm-l6-v2-q, int8, since stop 35; all-minilm-l6-v2-q was stop
# 33's A/B); the baseline stays LangChain4j's fp32.
# HASH_OVERLAP=false (stop 34) reads devloop's single-document stored hash before the embedding instead of during it;
# NEO4J_URI=bolt://127.0.0.1:<port> runs against another Neo4j than the shared one.
# WRITE_AUTO_COMMIT=false (stop 39) writes documents in a managed write transaction (BEGIN, RUN, PULL, COMMIT) instead of
# one auto-commit statement.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/../.."
DOCS="${DOCS:-50}" ROUNDS="${ROUNDS:-200}" BUDGET_SECONDS="${BUDGET_SECONDS:-40}" BATCH="${BATCH:-25}"
args=(-B -o -q -pl knowledge-service test -Dtest=SearchIngestBenchmark -Dsurefire.failIfNoSpecifiedTests=false
      "-Dbench.docs=$DOCS" "-Dbench.rounds=$ROUNDS" "-Dbench.budgetSeconds=$BUDGET_SECONDS" "-Dbench.batch=$BATCH"
      "-Dbench.sharedRoute=${SHARED_ROUTE:-false}")
# stop 32's A/B: INFERENCE_BATCH=2 runs the in-process model's texts in padded pairs as before (default 1: one per run)
[[ -n ${INFERENCE_BATCH:-} ]] && args+=("-Ddevloop.knowledge.embeddings.local-inference-batch=$INFERENCE_BATCH")
# stop 33/35's A/B: LOCAL_MODEL=all-minilm-l6-v2 (fp32) or all-minilm-l6-v2-q (int8, the default since stop 35)
[[ -n ${LOCAL_MODEL:-} ]] && args+=("-Ddevloop.knowledge.embeddings.local-model=$LOCAL_MODEL")
# stop 34's A/B: HASH_OVERLAP=false reads a single document's stored hash before its embedding (default: during it)
[[ -n ${HASH_OVERLAP:-} ]] && args+=("-Dbench.hashOverlap=$HASH_OVERLAP")
# stop 39's A/B: WRITE_AUTO_COMMIT=false writes documents in a managed transaction, as before
[[ -n ${WRITE_AUTO_COMMIT:-} ]] && args+=("-Ddevloop.knowledge.stores.neo4j-document-write-auto-commit=$WRITE_AUTO_COMMIT")
# stop 34: NEO4J_URI points the run at another Neo4j (e.g. a private empty one; same password), not the shared one
[[ -n ${NEO4J_URI:-} ]] && export DEVLOOP_NEO4J_URI="$NEO4J_URI"
# the test JVM runs on the services' runtime (deploy/lib/java.sh: the newest JDK >= 21, as deploy runs them), not on
# the build's JDK 17
# shellcheck source=../../deploy/lib/java.sh
source deploy/lib/java.sh
argline="$(service_java_runtime_opts)"
if [[ "${JFR:-0}" == 1 ]]; then
  argline+=" -XX:StartFlightRecording=filename=$PWD/knowledge-service/target/knowledge-bench.jfr,settings=profile"
fi
args+=("-Djvm=$(service_java)")
[[ -n ${argline// /} ]] && args+=("-DargLine=$argline")
echo "runtime: $(service_java)"
echo "load before: $(cat /proc/loadavg)"
# the test JVM prints the table; keep only the benchmark's lines, not Quarkus' start-up logging
set +e
./mvnw "${args[@]}" 2>&1 | grep -E '^(=== knowledge|measure |ingest|query|hybrid|part:|ratio = |wrote |\[ERROR\])'
status="${PIPESTATUS[0]}"
set -e
echo "load after: $(cat /proc/loadavg)"
test "$status" -eq 0
