#!/bin/sh
# The benchmarks' stand-in MongoDB in a process of its own: mongo-java-server 1.47.0 (memory backend), as the tests
# use it, started by the test-scoped main class BenchMongoServer of workflow-bootstrap. Both the Java bench and the
# workflow-es bench (bench.js) run against it, so that each side's CPU can be read from /proc apart.
# Needs `mvn -o -pl workflow-bootstrap -am test-compile` (or verify) first; the jars come from the local Maven repository.
# usage: bench/workflow-es/mongo-server.sh [port]    (default 27018; SERVER_JAVA_OPTS, e.g. a JFR recording, go to its java)
set -e
here=$(cd "$(dirname "$0")/../.." && pwd)
m2=${M2_REPO:-$HOME/.m2/repository}
netty=4.2.2.Final
cp="$here/workflow-bootstrap/target/test-classes"
for jar in \
  de/bwaldvogel/mongo-java-server/1.47.0/mongo-java-server-1.47.0.jar \
  de/bwaldvogel/mongo-java-server-core/1.47.0/mongo-java-server-core-1.47.0.jar \
  de/bwaldvogel/mongo-java-server-memory-backend/1.47.0/mongo-java-server-memory-backend-1.47.0.jar \
  io/netty/netty-buffer/$netty/netty-buffer-$netty.jar \
  io/netty/netty-codec/$netty/netty-codec-$netty.jar \
  io/netty/netty-codec-base/$netty/netty-codec-base-$netty.jar \
  io/netty/netty-common/$netty/netty-common-$netty.jar \
  io/netty/netty-handler/$netty/netty-handler-$netty.jar \
  io/netty/netty-resolver/$netty/netty-resolver-$netty.jar \
  io/netty/netty-transport/$netty/netty-transport-$netty.jar \
  io/netty/netty-transport-native-unix-common/$netty/netty-transport-native-unix-common-$netty.jar \
  org/slf4j/slf4j-api/2.0.17/slf4j-api-2.0.17.jar \
  org/slf4j/slf4j-nop/2.0.17/slf4j-nop-2.0.17.jar; do
  cp="$cp:$m2/$jar"
done
exec "${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java" ${SERVER_JAVA_OPTS} -cp "$cp" net.reactory.workflow.bootstrap.bench.BenchMongoServer "${1:-27018}"
