#!/usr/bin/env bash
# Entrypoint of the crossprop Flink image. It installs the config.yaml that
# docker-compose.yml mounts and gives each TaskManager its container address
# in place of the 127.0.0.1 of config.yaml. Then the official
# /docker-entrypoint.sh applies FLINK_PROPERTIES and starts the process named
# by the first argument: jobmanager, taskmanager, or any command.
#
# NOTE: never run in a container so far, because no Docker engine was available.
set -euo pipefail

mounted_config=/opt/crossprop/flink-conf/config.yaml
if [[ -f $mounted_config ]]; then
    # The official entrypoint rewrites conf/config.yaml in place, so it needs
    # a writable copy rather than the read-only mount.
    cp "$mounted_config" "$FLINK_HOME/conf/config.yaml"
fi

if [[ ${1:-} == taskmanager ]]; then
    # Scaled TaskManagers share one service definition, so each one finds
    # its own address at start. The JobManager and the other TaskManagers
    # connect to this address.
    address=$(hostname -i | awk '{print $1}')
    set -- "$@" "-Dtaskmanager.host=$address"
fi

exec /docker-entrypoint.sh "$@"
