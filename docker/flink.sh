#!/usr/bin/env bash
# Runs Flink's command-line client (org.apache.flink.client.cli.CliFrontend,
# the bin/flink of the distribution) against the cluster of local-cluster.sh,
# with the configuration that local-cluster.sh start wrote into
# target/local-cluster/conf, so the client finds the cluster's REST address.
#
#   docker/flink.sh run JAR [ARGS...]        submit a job and wait for its result
#   docker/flink.sh run --detached JAR ...   submit a job and return its id
#   docker/flink.sh list | cancel ID | stop ID | savepoint ID ...
#
# Every action and option of bin/flink works, because the arguments go to the
# client unchanged. The client logs to target/local-cluster/logs/client.log.
set -euo pipefail

# shellcheck source=docker/cluster-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/cluster-env.sh"

if [[ $# -eq 0 || $1 == -h || $1 == --help ]]; then
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
fi

# Without this check the client retries a closed REST port for about a minute
# and then prints a stack trace.
rest_port=$(flink_config rest.port)
port_in_use "${rest_port:-8081}" \
    || die "the Flink REST API at 127.0.0.1:${rest_port:-8081} is not reachable (run folder $RUN_DIR);" \
        "start the cluster with docker/local-cluster.sh start, with the same CROSSPROP_RUN_DIR"

fetch_flink_lib
mkdir -p "$RUN_DIR/logs" "$RUN_DIR/plugins"
java_options "$RUN_DIR/logs/client.log"

# The client finds config.yaml through FLINK_CONF_DIR, as bin/flink sets it.
export FLINK_CONF_DIR=$RUN_CONF_DIR
export FLINK_PLUGINS_DIR=$RUN_DIR/plugins
exec "$JAVA" "${JAVA_OPTIONS[@]}" -cp "$FLINK_LIB_DIR/*" org.apache.flink.client.cli.CliFrontend "$@"
