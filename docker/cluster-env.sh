# Shared settings and helpers of local-cluster.sh and flink.sh; source it, do
# not run it. Every path and port can be changed through the environment.

FLINK_VERSION=2.2.0
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Jars of the Flink distribution, fetched from Maven Central by fetch_flink_lib.
FLINK_LIB_DIR=${CROSSPROP_FLINK_LIB_DIR:-$REPO_ROOT/target/flink-$FLINK_VERSION/lib}
# The configuration you edit: config.yaml and log4j.properties.
SOURCE_CONF_DIR=${CROSSPROP_FLINK_CONF_DIR:-$REPO_ROOT/conf/flink}
# Pids, logs, checkpoints and the Kafka broker's data of the local cluster.
# Absolute, because the checkpoint folder becomes a file:// URI, where a relative path would
# read as a host name.
RUN_DIR=$(realpath -m "${CROSSPROP_RUN_DIR:-$REPO_ROOT/target/local-cluster}")
# The configuration that the cluster processes and the client read: a copy of
# SOURCE_CONF_DIR, written at each start, with the checkpoint and savepoint
# folders moved into RUN_DIR. The client must read the same values as the
# cluster because it ships its configuration with each job, and a job's
# configuration takes precedence over the cluster's.
RUN_CONF_DIR=$RUN_DIR/conf

JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java

die() {
    echo "error: $*" >&2
    exit 1
}

# Copies the jars of flink-runtime, flink-runtime-web, flink-clients,
# flink-streaming-java, flink-connector-files and the Log4j 2 binding for
# SLF4J 1 into FLINK_LIB_DIR, unless an earlier run completed the copy.
fetch_flink_lib() {
    local marker="$FLINK_LIB_DIR/.complete"
    if [[ -f $marker ]]; then
        return
    fi
    command -v mvn >/dev/null || die "mvn not found; install Maven 3.8+ to fetch the Flink jars"
    echo "Fetching Flink $FLINK_VERSION jars into $FLINK_LIB_DIR ..."
    mkdir -p "$FLINK_LIB_DIR"
    mvn -q -B -Dstyle.color=never -f "$REPO_ROOT/docker/flink-lib/pom.xml" dependency:copy-dependencies \
        -DoutputDirectory="$FLINK_LIB_DIR" \
        || die "fetching the Flink jars failed; see the Maven output above"
    touch "$marker"
}

# Runs org.apache.flink.runtime.util.bash.BashJavaUtils, the helper that
# bin/jobmanager.sh and bin/taskmanager.sh use, on the configuration in the
# directory CONF_DIR, and prints its result lines without their prefix.
bash_java_utils() {
    local conf_dir=$1 command=$2
    shift 2
    local output
    output=$("$JAVA" -cp "$FLINK_LIB_DIR/*" org.apache.flink.runtime.util.bash.BashJavaUtils \
        "$command" --configDir "$conf_dir" "$@" 2>&1) \
        || die "BashJavaUtils $command failed: $output"
    sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p' <<<"$output"
}

# Succeeds when a program accepts TCP connections on 127.0.0.1 at port $1.
port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Prints the value of one key of RUN_CONF_DIR/config.yaml, from the flattened
# copy that local-cluster.sh writes; prints nothing when the key is not set.
# Values set with -D come out as YAML strings in single quotes, which are
# removed.
flink_config() {
    local flat=$RUN_CONF_DIR/config.flat
    [[ -f $flat ]] || die "$flat not found; run docker/local-cluster.sh start first"
    sed -n "s/^$1: //p" "$flat" | head -n 1 | sed "s/^'\\(.*\\)'\$/\\1/"
}

# Sets JAVA_OPTIONS to the words of env.java.opts.all (the Java 17 module
# flags) plus Log4j pointed at log4j.properties and the given log file.
java_options() {
    local log_file=$1
    local opts
    opts=$(flink_config env.java.opts.all)
    # shellcheck disable=SC2206 # the options are space-separated flags
    JAVA_OPTIONS=($opts)
    JAVA_OPTIONS+=("-Dlog.file=$log_file" "-Dlog4j.configurationFile=file:$RUN_CONF_DIR/log4j.properties")
}
