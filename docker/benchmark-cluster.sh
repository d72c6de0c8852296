#!/usr/bin/env bash
# Measures learner steps per second of conf/geoff.yaml on the standalone
# cluster of local-cluster.sh (1 JobManager, 2 TaskManagers with 2 slots
# each), at job parallelism 1 and 2.
#
#   docker/benchmark-cluster.sh [--runs N] [--examples-per-task N] [--parallelism "1 2"]
#                               [--downsample N] [--compression TYPE] [--shared-jar]
#                               [--profile]
#
# --runs and --examples-per-task shorten the experiment, whose defaults are
# the file's 30 runs of 5,000 examples per stage. The learners, the network and
# the schedule stay those of conf/geoff.yaml. A step is one example learned by
# one learner (runs x learners x examples per run in all); the count is the
# records that the learn operator read, from the REST API. The time is the
# job's duration from /jobs/overview, from submission to FINISHED. The steady
# rate leaves out the job's start and end: it is the rate between 10% and 90%
# of the steps, from the progress lines that the learn subtasks log every 5 s.
# It is "unknown" when those lines do not cover at least 5 s between the two
# points, as in jobs of a few seconds. Also printed per job: the load average
# before it, the CPU seconds that the TaskManager JVMs, the broker and the
# JobManager used while it ran, and the TaskManagers that ran the learn
# subtasks. The cores after the TaskManagers' CPU seconds are those seconds
# divided by the job's duration.
#
# Before the measured jobs, a short job uses every slot, so that each
# TaskManager has compiled Flink's hot code (JIT) before the clock runs. The
# job's own classes are loaded anew for each job, so each measured job still
# compiles them. --shared-jar starts the cluster with the job jar on its class
# path (CROSSPROP_SHARED_JOB_JAR of local-cluster.sh), so that every job runs
# the classes that the warm-up job compiled. --profile prints the CPU seconds
# of the TaskManagers' thread groups (learn, JIT compiler, Kafka producers and
# so on) and the broker's, read from /proc every 2 s while the job runs. Linux
# cuts thread names to 15 characters: "learn -> (error" is a learn subtask and
# "data-plane-kafk" the broker's request handler and network threads together.
# --downsample N writes one error and one norm record per window of N examples
# (output.downsample: mean) instead of one per example, which shows how much of
# the time goes into the per-example output records. --compression sets
# kafka.compression, the compression of the output topics (none, gzip, snappy,
# lz4 or zstd; the file's default is lz4).
#
# Build the jars first: mvn -B -q package -DskipTests. The script starts its
# own cluster and stops it when it exits. It reads the variables of
# local-cluster.sh: CROSSPROP_TASKMANAGERS (default 2), the ports, and
# CROSSPROP_RUN_DIR, the folder for pids, logs and checkpoints. That folder
# defaults to target/benchmark-cluster in the repository, and a relative path
# is taken from the current directory.
set -euo pipefail

# shellcheck source=docker/cluster-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/cluster-env.sh"

EXPERIMENT=$REPO_ROOT/conf/geoff.yaml
RUNS=
EXAMPLES_PER_TASK=
PARALLELISMS="1 2"
PROFILE=false
SHARED_JAR=false
COMPRESSION=
DOWNSAMPLE=1
JOB_TIMEOUT_SECONDS=${CROSSPROP_BENCHMARK_TIMEOUT:-7200}

# Prints the comment block at the top of this file, without the "# " marks.
usage() {
    awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
}

# Fails with a usage hint when option $1 has no value ($2 is the count of
# arguments left, the option included).
need_value() {
    (($2 >= 2)) || die "$1 needs a value; see --help"
}

while (($# > 0)); do
    case $1 in
        --runs) need_value "$1" $#; RUNS=$2; shift 2 ;;
        --examples-per-task) need_value "$1" $#; EXAMPLES_PER_TASK=$2; shift 2 ;;
        --parallelism) need_value "$1" $#; PARALLELISMS=$2; shift 2 ;;
        --downsample) need_value "$1" $#; DOWNSAMPLE=$2; shift 2 ;;
        --profile) PROFILE=true; shift ;;
        --shared-jar) SHARED_JAR=true; shift ;;
        --compression) need_value "$1" $#; COMPRESSION=$2; shift 2 ;;
        -h | --help) usage; exit 0 ;;
        *) echo "error: unknown option $1; see --help" >&2; exit 2 ;;
    esac
done

# Prints the value of an indented "key: value" line of the experiment file.
experiment_value() {
    sed -n "s/^ *$1: *//p" "$EXPERIMENT" | head -n 1
}

RUNS=${RUNS:-$(experiment_value count)}
EXAMPLES_PER_TASK=${EXAMPLES_PER_TASK:-$(experiment_value examples_per_task)}
for option in "--runs $RUNS" "--examples-per-task $EXAMPLES_PER_TASK" "--downsample $DOWNSAMPLE"; do
    value=${option#* }
    [[ $value =~ ^[1-9][0-9]*$ ]] || die "${option%% *} is '$value' but must be a whole number of at least 1"
done
case ${COMPRESSION:-lz4} in
    none | gzip | snappy | lz4 | zstd) ;;
    *) die "--compression is '$COMPRESSION' but must be none, gzip, snappy, lz4 or zstd" ;;
esac
[[ -n ${PARALLELISMS// /} ]] || die "--parallelism is empty; give one or more values, such as \"1 2\""
for parallelism in $PARALLELISMS; do
    [[ $parallelism =~ ^[1-9][0-9]*$ ]] \
        || die "--parallelism values must be whole numbers of at least 1, not '$parallelism'"
done

SELF_CONTAINED_JAR=$REPO_ROOT/job/target/crossprop.jar
CLUSTER_JAR=$REPO_ROOT/job/target/crossprop-cluster.jar
for jar in "$SELF_CONTAINED_JAR" "$CLUSTER_JAR"; do
    [[ -f $jar ]] || die "$jar not found; build it with: mvn -B -q package -DskipTests"
done

CROSSPROP_RUN_DIR=$(realpath -m "${CROSSPROP_RUN_DIR:-$REPO_ROOT/target/benchmark-cluster}")
export CROSSPROP_RUN_DIR
RUN_DIR=$CROSSPROP_RUN_DIR
RUN_CONF_DIR=$RUN_DIR/conf
BENCH_DIR=$RUN_DIR/benchmark
KAFKA=127.0.0.1:${CROSSPROP_KAFKA_PORT:-9092}
TOPIC=geoff-bench-examples
WARMUP_TOPIC=geoff-bench-warmup
# The warm-up job: 8 runs x 8 learners x 6 stages of 2,000 examples, 768,000
# steps that run before the measured jobs, so that their hot code is compiled.
WARMUP_RUNS=8
WARMUP_EXAMPLES_PER_TASK=2000

SCHEDULE=$(experiment_value schedule)
STAGES=$(tr ',' '\n' <<<"$SCHEDULE" | grep -c .)

# --- cluster -------------------------------------------------------------------

"$REPO_ROOT/docker/local-cluster.sh" stop >/dev/null
rm -rf "$RUN_DIR"
if $SHARED_JAR; then
    export CROSSPROP_SHARED_JOB_JAR=$CLUSTER_JAR
else
    unset CROSSPROP_SHARED_JOB_JAR
fi
trap '"$REPO_ROOT/docker/local-cluster.sh" stop' EXIT
"$REPO_ROOT/docker/local-cluster.sh" start
REST=http://127.0.0.1:$(flink_config rest.port)
SLOTS=$(curl -s --max-time 10 "$REST/overview" | grep -o '"slots-total":[0-9]*' | cut -d: -f2)
for parallelism in $PARALLELISMS; do
    ((parallelism <= SLOTS)) || die "--parallelism $parallelism exceeds the cluster's $SLOTS slots"
done
mkdir -p "$BENCH_DIR"

# --- experiment files and examples ---------------------------------------------

# Writes a copy of conf/geoff.yaml named NAME with RUNS runs, stages of
# EXAMPLES examples, the examples topic TOPIC, the --compression type if given
# and, with --downsample, the mean over each window of DOWNSAMPLE examples in
# place of every record.
write_experiment() {
    local name=$1 runs=$2 examples=$3 topic=$4
    local output="output:"
    if ((DOWNSAMPLE > 1)); then
        output="output:\n  downsample: mean\n  downsample_n: $DOWNSAMPLE"
    fi
    sed -e "s/^name: .*/name: $name/" \
        -e "s/^\( *count:\) .*/\1 $runs/" \
        -e "s/^\( *examples_per_task:\) .*/\1 $examples/" \
        -e "s/^kafka:$/kafka:\n  topic: $topic${COMPRESSION:+\n  compression: $COMPRESSION}/" \
        -e "s/^output:$/$output/" \
        "$EXPERIMENT" >"$BENCH_DIR/$name.yaml"
}

# Writes RUNS GEOFF runs with stages of EXAMPLES examples to TOPIC, with the
# task parameters of the experiment file.
produce() {
    local runs=$1 examples=$2 topic=$3
    echo "Producing $runs GEOFF runs of $((STAGES * examples)) examples to $topic ..."
    "$JAVA" -jar "$SELF_CONTAINED_JAR" produce geoff --bootstrap-servers "$KAFKA" --topic "$topic" \
        --runs "$runs" --seed "$(experiment_value first_seed)" \
        --partitions "$(experiment_value partitions)" --format "$(experiment_value format)" \
        --inputs "$(experiment_value inputs)" --features "$(experiment_value features)" \
        --beta "$(experiment_value beta)" --change-fraction "$(experiment_value change_fraction)" \
        --examples-per-task "$examples" --schedule "$SCHEDULE" \
        >"$BENCH_DIR/produce-$topic.log" 2>&1 || die "producing the examples failed; see $BENCH_DIR/produce-$topic.log"
}

produce "$RUNS" "$EXAMPLES_PER_TASK" "$TOPIC"
produce "$WARMUP_RUNS" "$WARMUP_EXAMPLES_PER_TASK" "$WARMUP_TOPIC"

# --- measurements --------------------------------------------------------------

# Prints the CPU seconds (user + system) that the processes of the given pid
# files used so far, e.g. cpu_seconds taskmanager-*.
cpu_seconds() {
    local ticks=0 pid_file pid fields pattern
    for pattern in "$@"; do
        for pid_file in "$RUN_DIR"/pids/$pattern.pid; do
            pid=$(<"$pid_file")
            # Fields 14 and 15 of /proc/PID/stat are utime and stime in clock
            # ticks; the command name in field 2 has no spaces here ("(java)").
            read -r -a fields <"/proc/$pid/stat"
            ticks=$((ticks + fields[13] + fields[14]))
        done
    done
    awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", t / hz }'
}

# Prints "LOG LINES" for each TaskManager log: where the next job's lines start.
log_marks() {
    local log
    for log in "$RUN_DIR"/logs/taskmanager-*.log; do
        echo "$log $(wc -l <"$log")"
    done
}

# Prints the steady learner steps per second of the job that ran since
# log_marks printed MARKS. It reads the progress lines that each learn subtask
# logs every 5 s ("Subtask N: S learner steps, ...") and interpolates each
# subtask's count between them. The rate is taken between the moments when all
# subtasks together reached 10% and 90% of STEPS. This leaves out the job's start, with
# its scheduling and most of its JIT compilation, and its end, where the last
# checkpoint commits the output. Prints nothing when the lines do not span
# enough of the job.
steady_rate() {
    local marks=$1 steps=$2 log lines
    while read -r log lines; do
        tail -n "+$((lines + 1))" "$log" \
            | sed -n 's/^\([0-9-]* [0-9:]*\),\([0-9]*\) .*Subtask \([0-9]*\): \([0-9]*\) learner steps.*/\1.\2 \3 \4/p'
    done <<<"$marks" \
        | while read -r day time subtask count; do
            echo "$(date -d "$day $time" +%s%3N) $subtask $count"
        done \
        | awk -v final="$steps" '
            { k = $2; n[k]++; T[k, n[k]] = $1; C[k, n[k]] = $3; keys[k] = 1 }
            # Steps of subtask k at time t, linear between its samples.
            function at(k, t,   i) {
                for (i = 1; i < n[k]; i++)
                    if (T[k, i + 1] >= t) return C[k, i] + (C[k, i + 1] - C[k, i]) * (t - T[k, i]) / (T[k, i + 1] - T[k, i])
                return C[k, n[k]]
            }
            END {
                start = -1; end = -1
                for (k in keys) {
                    if (start < 0 || T[k, 1] > start) start = T[k, 1]
                    if (end < 0 || T[k, n[k]] < end) end = T[k, n[k]]
                }
                t0 = -1; t1 = -1
                for (t = start; t <= end; t += 250) {
                    total = 0
                    for (k in keys) total += at(k, t)
                    if (t0 < 0 && total >= 0.1 * final) { t0 = t; c0 = total }
                    if (total <= 0.9 * final) { t1 = t; c1 = total }
                }
                if (t0 >= 0 && t1 - t0 >= 5000) printf "%.0f", (c1 - c0) / ((t1 - t0) / 1000)
            }'
}

# Prints one field of the job's entry in /jobs/overview, or nothing when the
# REST API does not respond in time or does not list the job yet.
job_field() {
    local job_id=$1 field=$2
    { curl -s --max-time 10 "$REST/jobs/overview" || true; } \
        | { grep -o "{\"jid\":\"$job_id\"[^}]*" || true; } \
        | { grep -o "\"$field\":[^,]*" || true; } | cut -d: -f2 | tr -d '"'
}

# Prints the records that the job's learn operator read, summed over its
# subtasks: one per example and learner, so the number of learner steps.
learn_records() {
    local job_id=$1
    { curl -s --max-time 10 "$REST/jobs/$job_id" || true; } | tr ',' '\n' \
        | awk -F: '/"name":"learn/ { found = 1 } found && !printed && /"read-records"/ { print $NF; printed = 1 }'
}

# Submits the experiment NAME at PARALLELISM, waits until it finishes and
# prints its job id.
run_job() {
    local name=$1 parallelism=$2
    local job_id state deadline status=0 submit_log=$BENCH_DIR/$name-submit.log
    "$REPO_ROOT/docker/flink.sh" run --detached "$CLUSTER_JAR" --config "$BENCH_DIR/$name.yaml" \
        --bootstrap-servers "$KAFKA" --parallelism "$parallelism" --job-name "$name" >"$submit_log" 2>&1 \
        || status=$?
    job_id=$(sed -n 's/.*JobID \([0-9a-f]\{32\}\).*/\1/p' "$submit_log" | head -n 1)
    [[ -n $job_id ]] || die "submitting $name failed (client exit code $status); see $submit_log"
    if ((status != 0)); then
        echo "warning: the Flink client exited with code $status after it submitted $name; see $submit_log" >&2
    fi

    deadline=$((SECONDS + JOB_TIMEOUT_SECONDS))
    state=$(job_field "$job_id" state)
    while [[ $state != FINISHED && $state != FAILED && $state != CANCELED ]]; do
        ((SECONDS < deadline)) || die "job $job_id ($name) still $state after $JOB_TIMEOUT_SECONDS s"
        sleep 2
        if $PROFILE; then
            thread_ticks "$BENCH_DIR/$name-threads-after.txt" 'taskmanager-*'
            thread_ticks "$BENCH_DIR/$name-broker-threads-after.txt" kafka
        fi
        state=$(job_field "$job_id" state)
    done
    [[ $state == FINISHED ]] || die "job $job_id ($name) ended $state; see $RUN_DIR/logs"
    echo "$job_id"
}

# Appends "TID TICKS NAME" for every thread of the processes of the given pid
# files (as in cpu_seconds) to FILE: the thread's user and system CPU time in
# clock ticks so far, and its name, which Linux cuts to 15 characters.
thread_ticks() {
    local file=$1 pattern pid_file pid stat line name fields
    shift
    for pattern in "$@"; do
        for pid_file in "$RUN_DIR"/pids/$pattern.pid; do
            pid=$(<"$pid_file")
            for stat in /proc/"$pid"/task/*/stat; do
                # "TID (NAME) STATE ...": the name may hold spaces and parentheses,
                # so split at the last ")"; utime and stime are fields 14 and 15.
                # Skip a thread that ends before or while it is read. A failed
                # $(<file) would stop the script under set -e, a failed read does not.
                { read -r line <"$stat"; } 2>/dev/null || continue
                [[ $line == *") "* ]] || continue
                name=${line#*(}
                name=${name%)*}
                read -r -a fields <<<"${line##*) }"
                [[ ${fields[11]:-} =~ ^[0-9]+$ && ${fields[12]:-} =~ ^[0-9]+$ ]] || continue
                echo "${line%% *} $((fields[11] + fields[12])) $name"
            done
        done
    done >>"$file" 2>/dev/null
    return 0
}

# Prints the CPU seconds of each thread group between the first snapshot of thread_ticks in BEFORE and the last in AFTER, largest
# first. Threads are grouped by name without their numbers; a thread that
# ended between two snapshots counts up to its last one.
thread_cpu_seconds() {
    local before=$1 after=$2
    awk -v hz="$(getconf CLK_TCK)" '
        FNR == 1 { file++ }
        file == 1 && !($1 in start) { start[$1] = $2 }
        file == 2 {
            last[$1] = $2
            name = $0; sub(/^[0-9]+ [0-9]+ /, "", name); gsub(/[0-9]+$|-[0-9]+-/, "N", name)
            group[$1] = name
        }
        END {
            for (tid in last) seconds[group[tid]] += (last[tid] - start[tid]) / hz
            for (g in seconds) if (seconds[g] >= 0.1) printf "%7.1f s  %s\n", seconds[g], g
        }' "$before" "$after" | sort -rn
}

name=geoff-bench-warmup
write_experiment "$name" "$WARMUP_RUNS" "$WARMUP_EXAMPLES_PER_TASK" "$WARMUP_TOPIC"
echo "Warming up every TaskManager with $name at parallelism $SLOTS ..."
run_job "$name" "$SLOTS" >/dev/null

# Prints the TaskManagers that ran the job's learn subtasks.
learn_hosts() {
    local job_id=$1 vertex
    vertex=$({ curl -s --max-time 10 "$REST/jobs/$job_id" || true; } | tr ',' '\n' \
        | awk '/[{]"id":"|^"id":"/ { id = $0; sub(/.*"id":"/, "", id); sub(/".*/, "", id) }
               /"name":"learn/ && !printed { print id; printed = 1 }')
    { curl -s --max-time 10 "$REST/jobs/$job_id/vertices/$vertex/taskmanagers" || true; } \
        | grep -o '"taskmanager-id":"[^"]*"' | cut -d'"' -f4 | tr '\n' ' '
}

RESULTS=$BENCH_DIR/results.txt
if ((DOWNSAMPLE > 1)); then
    echo "Outputs down-sampled: one error and one norm record per window of $DOWNSAMPLE examples" | tee "$RESULTS"
else
    : >"$RESULTS"
fi
for parallelism in $PARALLELISMS; do
    name=geoff-bench-p$parallelism
    write_experiment "$name" "$RUNS" "$EXAMPLES_PER_TASK" "$TOPIC"
    load_before=$(cut -d' ' -f1-3 /proc/loadavg)
    cpu_before=$(cpu_seconds 'taskmanager-*')
    broker_before=$(cpu_seconds kafka)
    jobmanager_before=$(cpu_seconds jobmanager)
    marks=$(log_marks)
    echo "Submitting $name at parallelism $parallelism (load average $load_before) ..."
    if $PROFILE; then
        thread_ticks "$BENCH_DIR/$name-threads-before.txt" 'taskmanager-*'
        thread_ticks "$BENCH_DIR/$name-broker-threads-before.txt" kafka
    fi
    job_id=$(run_job "$name" "$parallelism")

    duration_ms=$(job_field "$job_id" duration)
    steps=$(learn_records "$job_id")
    [[ -n $duration_ms && -n $steps ]] || die "the REST API at $REST returned no duration or step count for job $job_id"
    cpu_used=$(awk -v a="$cpu_before" -v b="$(cpu_seconds 'taskmanager-*')" 'BEGIN { printf "%.1f", b - a }')
    broker_used=$(awk -v a="$broker_before" -v b="$(cpu_seconds kafka)" 'BEGIN { printf "%.1f", b - a }')
    jobmanager_used=$(awk -v a="$jobmanager_before" -v b="$(cpu_seconds jobmanager)" 'BEGIN { printf "%.1f", b - a }')
    steady=$(steady_rate "$marks" "$steps")
    awk -v p="$parallelism" -v steps="$steps" -v ms="$duration_ms" -v cpu="$cpu_used" -v broker="$broker_used" \
        -v jobmanager="$jobmanager_used" \
        -v load="$load_before" -v steady="${steady:-0}" \
        'BEGIN { printf "parallelism %d: %d steps in %.1f s = %.0f steps/s, steady %s steps/s; CPU: TaskManagers %.1f s (%.2f cores), broker %.1f s, JobManager %.1f s; load average before: %s\n",
                 p, steps, ms / 1000, steps / (ms / 1000), (steady > 0 ? steady : "unknown"), cpu, cpu / (ms / 1000), broker, jobmanager, load }' | tee -a "$RESULTS"
    echo "  learn subtasks on: $(learn_hosts "$job_id")" | tee -a "$RESULTS"
    if $PROFILE; then
        echo "  TaskManager CPU by thread:" | tee -a "$RESULTS"
        thread_cpu_seconds "$BENCH_DIR/$name-threads-before.txt" "$BENCH_DIR/$name-threads-after.txt" \
            | head -n 12 | sed 's/^/    /' | tee -a "$RESULTS"
        echo "  Broker CPU by thread:" | tee -a "$RESULTS"
        thread_cpu_seconds "$BENCH_DIR/$name-broker-threads-before.txt" "$BENCH_DIR/$name-broker-threads-after.txt" \
            | head -n 8 | sed 's/^/    /' | tee -a "$RESULTS"
    fi
done

echo
echo "Machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
awk '/^parallelism 1:/ { one = $9; steady_one = $12 } /^parallelism 2:/ { two = $9; steady_two = $12 }
     END {
         if (one > 0 && two > 0) printf "Speed-up of parallelism 2 over 1: %.2f for the whole job", two / one
         if (steady_one + 0 > 0 && steady_two + 0 > 0) printf ", %.2f steady", steady_two / steady_one
         print ""
     }' "$RESULTS"
