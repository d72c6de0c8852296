#!/usr/bin/env bash
# Runs a Flink 2.2 session cluster and a Kafka 4.2 broker on 127.0.0.1 without
# Docker: one JobManager, CROSSPROP_TASKMANAGERS TaskManagers (default 2) and a
# single-node KRaft broker, each in its own JVM.
#
#   docker/local-cluster.sh start    fetch the jars if needed, start, wait until ready
#   docker/local-cluster.sh status   show the processes and the REST overview
#   docker/local-cluster.sh stop     stop every process (SIGTERM, SIGKILL after 30 s)
#   docker/local-cluster.sh clean    delete the run directory of a stopped cluster
#
# Submit jobs with docker/flink.sh run JAR ARGS... The web UI and REST API are
# at http://127.0.0.1:8081 and Kafka at 127.0.0.1:9092. Pids, logs,
# checkpoints and Kafka's data live in target/local-cluster; stop keeps them,
# so a new start serves the same topics. docker/README.md lists the
# environment variables that change ports and folders.
set -euo pipefail

# shellcheck source=docker/cluster-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/cluster-env.sh"

TASKMANAGERS=${CROSSPROP_TASKMANAGERS:-2}
KAFKA_PORT=${CROSSPROP_KAFKA_PORT:-9092}
KAFKA_CONTROLLER_PORT=${CROSSPROP_KAFKA_CONTROLLER_PORT:-9093}
# Flink ports; empty keeps the value of config.yaml.
REST_PORT=${CROSSPROP_REST_PORT:-}
JOBMANAGER_RPC_PORT=${CROSSPROP_JOBMANAGER_RPC_PORT:-}
BLOB_PORT=${CROSSPROP_BLOB_PORT:-}
STARTUP_TIMEOUT_SECONDS=${CROSSPROP_STARTUP_TIMEOUT:-180}
# A job jar on the class path of the JobManager and the TaskManagers, as if it
# were in Flink's lib/ folder. When empty, each job's classes load from the jar
# it was submitted with.
SHARED_JOB_JAR=${CROSSPROP_SHARED_JOB_JAR:-}
STOP_TIMEOUT_SECONDS=30

PID_DIR=$RUN_DIR/pids
LOG_DIR=$RUN_DIR/logs

JOBMANAGER_MAIN=org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint
TASKMANAGER_MAIN=org.apache.flink.runtime.taskexecutor.TaskManagerRunner
KAFKA_MAIN=dev.crossprop.sources.kafka.KafkaBrokerMain

usage() {
    sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
}

# --- process bookkeeping --------------------------------------------------

# Prints the pid of a process that this script started, while that process
# still runs the given main class. A process that is gone, or a pid that now
# belongs to another program, counts as stopped.
running_pid() {
    local name=$1 main=$2
    local pid_file=$PID_DIR/$name.pid
    [[ -f $pid_file ]] || return 1
    local pid
    pid=$(<"$pid_file")
    [[ -r /proc/$pid/cmdline ]] || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$main" || return 1
    echo "$pid"
}

process_names() {
    echo "kafka:$KAFKA_MAIN"
    echo "jobmanager:$JOBMANAGER_MAIN"
    local pid_file
    for pid_file in "$PID_DIR"/taskmanager-*.pid; do
        [[ -e $pid_file ]] && echo "$(basename "$pid_file" .pid):$TASKMANAGER_MAIN"
    done
    return 0
}

# Prints the class path of the JobManager and the TaskManagers: Flink's jars,
# and SHARED_JOB_JAR when it is set.
flink_classpath() {
    if [[ -n $SHARED_JOB_JAR ]]; then
        echo "$FLINK_LIB_DIR/*:$SHARED_JOB_JAR"
    else
        echo "$FLINK_LIB_DIR/*"
    fi
}

# Fails unless SHARED_JOB_JAR is the cluster jar: a jar with the job's classes
# and without Flink's own, which the class path already has. A file without the
# job's classes would be ignored, and every job would load its classes from the
# submitted jar while start reports the shared jar. A zip file stores its entry
# names uncompressed, so grep finds them without unzip.
check_shared_job_jar() {
    local expected="job/target/crossprop-cluster.jar (build it with: mvn -B -q package -DskipTests)"
    [[ -e $SHARED_JOB_JAR ]] \
        || die "CROSSPROP_SHARED_JOB_JAR is '$SHARED_JOB_JAR', but that file was not found; set it to $expected"
    [[ -f $SHARED_JOB_JAR ]] \
        || die "CROSSPROP_SHARED_JOB_JAR is '$SHARED_JOB_JAR', which is not a file; set it to $expected"
    grep -qaF "dev/crossprop/job/flink/LearnFunction.class" "$SHARED_JOB_JAR" \
        || die "CROSSPROP_SHARED_JOB_JAR is '$SHARED_JOB_JAR', which does not contain the job's classes; set it to $expected"
    if grep -qaF "org/apache/flink/runtime/taskexecutor/TaskManagerRunner.class" "$SHARED_JOB_JAR"; then
        die "CROSSPROP_SHARED_JOB_JAR is '$SHARED_JOB_JAR', which bundles Flink and its logging, both" \
            "already on the cluster's class path; set it to $expected"
    fi
}

# Starts "$@" in the background with its output in LOG_DIR/NAME.out.
launch() {
    local name=$1
    shift
    nohup "$@" >"$LOG_DIR/$name.out" 2>&1 </dev/null &
    echo $! >"$PID_DIR/$name.pid"
    echo "Started $name (pid $!), log in $LOG_DIR/$name.log"
}

# --- start ------------------------------------------------------------------

check_ports_free() {
    local rest_port=$1 rpc_port=$2 blob_port=$3
    local port
    for port in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT" "$rest_port" "$rpc_port" "$blob_port"; do
        if port_in_use "$port"; then
            die "port $port on 127.0.0.1 is in use; stop the program that listens there," \
                "or choose other ports with CROSSPROP_KAFKA_PORT, CROSSPROP_KAFKA_CONTROLLER_PORT," \
                "CROSSPROP_REST_PORT, CROSSPROP_JOBMANAGER_RPC_PORT and CROSSPROP_BLOB_PORT"
        fi
    done
}

# Prints the class path of KafkaBrokerMain: CROSSPROP_KAFKA_CLASSPATH if set,
# else job/target/crossprop.jar (which contains the broker and the Log4j 2
# binding for SLF4J 2) if it was built, else the sources module compiled here
# with its test-scope dependencies, which include that binding.
kafka_classpath() {
    if [[ -n ${CROSSPROP_KAFKA_CLASSPATH:-} ]]; then
        echo "$CROSSPROP_KAFKA_CLASSPATH"
        return
    fi
    local jar=$REPO_ROOT/job/target/crossprop.jar
    if [[ -f $jar ]]; then
        echo "$jar"
        return
    fi
    local classpath_file=$RUN_DIR/kafka.classpath
    mvn -q -B -Dstyle.color=never -f "$REPO_ROOT/pom.xml" -pl sources compile dependency:build-classpath \
        -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file" >"$LOG_DIR/kafka-build.out" 2>&1 \
        || die "building the sources module failed; see $LOG_DIR/kafka-build.out"
    echo "$REPO_ROOT/sources/target/classes:$(<"$classpath_file")"
}

start_kafka() {
    local classpath
    classpath=$(kafka_classpath)
    launch kafka "$JAVA" -Xmx512m \
        "-Dlog.file=$LOG_DIR/kafka.log" "-Dlog4j2.configurationFile=$RUN_CONF_DIR/log4j.properties" \
        -cp "$classpath" "$KAFKA_MAIN" \
        --data-dir "$RUN_DIR/kafka" --port "$KAFKA_PORT" --controller-port "$KAFKA_CONTROLLER_PORT"
}

# Writes RUN_CONF_DIR: config.yaml as Flink parses SOURCE_CONF_DIR/config.yaml,
# with the checkpoint, savepoint and temporary folders inside RUN_DIR and the ports of the
# CROSSPROP_*_PORT variables, its flattened form for flink_config, and
# log4j.properties.
write_run_conf() {
    mkdir -p "$RUN_CONF_DIR"
    # Each TaskManager's working folder is io.tmp.dirs/tm_<resource id>, and the resource ids
    # are the same in every local cluster (local-taskmanager-1, ...). Flink keeps the folder
    # after a stop, with a copy of every submitted job jar. Under the default /tmp, all local
    # clusters would share these folders, and clean would never delete them.
    local overrides=(
        -D "execution.checkpointing.dir=file://$RUN_DIR/checkpoints"
        -D "execution.checkpointing.savepoint-dir=file://$RUN_DIR/savepoints"
        -D "io.tmp.dirs=$RUN_DIR/tmp"
    )
    [[ -n $REST_PORT ]] && overrides+=(-D "rest.port=$REST_PORT")
    [[ -n $JOBMANAGER_RPC_PORT ]] && overrides+=(-D "jobmanager.rpc.port=$JOBMANAGER_RPC_PORT")
    [[ -n $BLOB_PORT ]] && overrides+=(-D "blob.server.port=$BLOB_PORT")
    # Parent-first loading takes the job's classes from the shared jar on the class path
    # instead of from the submitted copy, so that every job runs the code that the JIT
    # compiler has already compiled.
    [[ -n $SHARED_JOB_JAR ]] && overrides+=(-D "classloader.resolve-order=parent-first")
    {
        echo "# Written by docker/local-cluster.sh start from $SOURCE_CONF_DIR/config.yaml;"
        echo "# edit that file instead, because the next start overwrites this one."
        bash_java_utils "$SOURCE_CONF_DIR" UPDATE_AND_GET_FLINK_CONFIGURATION "${overrides[@]}"
    } >"$RUN_CONF_DIR/config.yaml"
    bash_java_utils "$RUN_CONF_DIR" UPDATE_AND_GET_FLINK_CONFIGURATION -flatten >"$RUN_CONF_DIR/config.flat"
    cp "$SOURCE_CONF_DIR/log4j.properties" "$RUN_CONF_DIR/log4j.properties"
}

start_jobmanager() {
    local resource_lines jvm_memory dynamic_memory
    # BashJavaUtils prints two lines: JVM memory flags, then -D properties
    # with every memory size resolved.
    resource_lines=$(bash_java_utils "$RUN_CONF_DIR" GET_JM_RESOURCE_PARAMS)
    jvm_memory=$(sed -n 1p <<<"$resource_lines")
    dynamic_memory=$(sed -n 2p <<<"$resource_lines")
    java_options "$LOG_DIR/jobmanager.log"
    # shellcheck disable=SC2086 # the BashJavaUtils lines are space-separated words
    launch jobmanager "$JAVA" $jvm_memory "${JAVA_OPTIONS[@]}" -cp "$(flink_classpath)" "$JOBMANAGER_MAIN" \
        --configDir "$RUN_CONF_DIR" $dynamic_memory
}

start_taskmanager() {
    local index=$1
    local name=taskmanager-$index
    local resource_lines jvm_memory dynamic_memory
    resource_lines=$(bash_java_utils "$RUN_CONF_DIR" GET_TM_RESOURCE_PARAMS)
    jvm_memory=$(sed -n 1p <<<"$resource_lines")
    dynamic_memory=$(sed -n 2p <<<"$resource_lines")
    java_options "$LOG_DIR/$name.log"
    # shellcheck disable=SC2086 # the BashJavaUtils lines are space-separated words
    launch "$name" "$JAVA" $jvm_memory "${JAVA_OPTIONS[@]}" -cp "$(flink_classpath)" "$TASKMANAGER_MAIN" \
        --configDir "$RUN_CONF_DIR" $dynamic_memory -D "taskmanager.resource-id=local-$name"
}

# Fails unless every TCP port that the started processes listen on is bound to
# the loopback address: the web UI, the REST API, RPC, blob, data and Kafka
# ports must not be reachable from other machines.
check_loopback_only() {
    command -v ss >/dev/null || die "ss not found; install iproute2 to check the listening addresses"
    local entry name pid address exposed=()
    for entry in $(process_names); do
        name=${entry%%:*}
        pid=$(running_pid "$name" "${entry#*:}") || continue
        # ss -ltnpH prints: State Recv-Q Send-Q Local:Port Peer:Port users:(("java",pid=N,fd=M))
        while read -r address; do
            case $address in
                127.*:* | \[::ffff:127.*\]:* | \[::1\]:*) ;;
                *) exposed+=("$name listens on $address") ;;
            esac
        done < <(ss -ltnpH | awk -v pid="pid=$pid," 'index($0, pid) { print $4 }')
    done
    if ((${#exposed[@]} > 0)); then
        die "listening on an address other than 127.0.0.1: ${exposed[*]};" \
            "set the bind-host and address options of $SOURCE_CONF_DIR/config.yaml to 127.0.0.1"
    fi
    echo "Every listening port is bound to 127.0.0.1"
}

# Waits until every process is alive, Kafka accepts connections and the REST
# overview lists all TaskManagers; fails with the end of the first dead log.
await_ready() {
    local rest_url=$1
    local deadline=$((SECONDS + STARTUP_TIMEOUT_SECONDS))
    local overview=""
    while ((SECONDS < deadline)); do
        local entry
        for entry in $(process_names); do
            if ! running_pid "${entry%%:*}" "${entry#*:}" >/dev/null; then
                local name=${entry%%:*}
                tail -n 20 "$LOG_DIR/$name.out" "$LOG_DIR/$name.log" 2>/dev/null >&2 || true
                die "$name exited during startup; see $LOG_DIR/$name.log and $LOG_DIR/$name.out"
            fi
        done
        overview=$(curl -s --max-time 2 "$rest_url/overview" || true)
        if port_in_use "$KAFKA_PORT" && [[ $overview == *"\"taskmanagers\":$TASKMANAGERS,"* ]]; then
            echo "Cluster ready: $overview"
            echo "Web UI and REST API: $rest_url, Kafka bootstrap servers: 127.0.0.1:$KAFKA_PORT"
            if [[ -n $SHARED_JOB_JAR ]]; then
                echo "Job classes load from $SHARED_JOB_JAR (parent-first); restart the cluster after rebuilding it"
            fi
            check_loopback_only
            return
        fi
        sleep 1
    done
    die "cluster not ready after ${STARTUP_TIMEOUT_SECONDS} s (last overview: ${overview:-none});" \
        "see the logs in $LOG_DIR"
}

start() {
    [[ $TASKMANAGERS =~ ^[1-9][0-9]*$ ]] \
        || die "CROSSPROP_TASKMANAGERS is '$TASKMANAGERS', but it must be a whole number of at least 1"
    if [[ -n $SHARED_JOB_JAR ]]; then
        check_shared_job_jar
        SHARED_JOB_JAR=$(realpath "$SHARED_JOB_JAR")
    fi
    local entry
    for entry in $(process_names); do
        if running_pid "${entry%%:*}" "${entry#*:}" >/dev/null; then
            die "${entry%%:*} is already running; run $0 status, or $0 stop first"
        fi
    done

    fetch_flink_lib
    mkdir -p "$PID_DIR" "$LOG_DIR" "$RUN_DIR/plugins" "$RUN_DIR/tmp"
    rm -f "$PID_DIR"/*.pid
    write_run_conf
    # An empty plugins folder, so that Flink does not warn about a missing one.
    export FLINK_PLUGINS_DIR=$RUN_DIR/plugins

    local rest_port rpc_port blob_port
    rest_port=$(flink_config rest.port)
    rpc_port=$(flink_config jobmanager.rpc.port)
    blob_port=$(flink_config blob.server.port)
    check_ports_free "${rest_port:-8081}" "${rpc_port:-6123}" "${blob_port:-6124}"

    # A start that fails part way stops the processes it started, so that no
    # half-started cluster keeps the ports.
    trap 'echo "Start failed, stopping the started processes" >&2; stop >&2' EXIT
    start_kafka
    start_jobmanager
    local index
    for ((index = 1; index <= TASKMANAGERS; index++)); do
        start_taskmanager "$index"
    done
    await_ready "http://127.0.0.1:${rest_port:-8081}"
    trap - EXIT
}

# --- stop, status, clean ----------------------------------------------------

stop() {
    local entry name pid pids=()
    # TaskManagers before the JobManager, the order of Flink's stop-cluster.sh,
    # and Kafka last, so that it outlives the tasks that write to it.
    for entry in $(process_names | tac); do
        name=${entry%%:*}
        if pid=$(running_pid "$name" "${entry#*:}"); then
            kill -TERM "$pid"
            pids+=("$pid")
            echo "Stopping $name (pid $pid)"
        fi
        rm -f "$PID_DIR/$name.pid"
    done
    local deadline=$((SECONDS + STOP_TIMEOUT_SECONDS))
    for pid in "${pids[@]}"; do
        while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
            sleep 0.5
        done
        if kill -0 "$pid" 2>/dev/null; then
            echo "pid $pid still running after ${STOP_TIMEOUT_SECONDS} s, killing it"
            kill -KILL "$pid"
        fi
    done
    echo "Stopped."
}

status() {
    local entry name pid any=false
    for entry in $(process_names); do
        name=${entry%%:*}
        if pid=$(running_pid "$name" "${entry#*:}"); then
            echo "$name: running (pid $pid)"
            any=true
        else
            echo "$name: stopped"
        fi
    done
    if $any && [[ -f $RUN_CONF_DIR/config.flat ]]; then
        local rest_port
        rest_port=$(flink_config rest.port)
        echo "overview: $(curl -s --max-time 2 "http://127.0.0.1:${rest_port:-8081}/overview" || echo unavailable)"
    fi
}

clean() {
    local entry
    for entry in $(process_names); do
        if running_pid "${entry%%:*}" "${entry#*:}" >/dev/null; then
            die "${entry%%:*} is still running; run $0 stop first"
        fi
    done
    rm -rf "$RUN_DIR"
    echo "Deleted $RUN_DIR"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    clean) clean ;;
    *) usage ;;
esac
