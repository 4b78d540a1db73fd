#!/bin/sh
# Run one newsbeam batch ingest on a Spark cluster, through the Beam Spark job server.
#
#   deploy/spark/newsbeam-spark.sh --feeds feeds.txt --output /shared/newsbeam
#
# Environment (defaults in brackets):
#   NEWSBEAM            the newsbeam command [newsbeam]
#   JOB_ENDPOINT        a running Beam Spark job server, host:port [localhost:8099]; start one with
#                       docker run --net=host apache/beam_spark3_job_server:2.77.0 --spark-master-url=spark://MASTER:7077
#   SDK_ENVIRONMENT     how Spark executors run the Python DoFns [DOCKER]:
#                       DOCKER    each executor starts the image in SDK_IMAGE (needs Docker on the Spark workers)
#                       EXTERNAL  a Beam worker pool already runs next to each executor on WORKER_POOL
#                       LOOPBACK  this process runs them (only for a local Spark, for trying things out)
#   SDK_IMAGE           the newsbeam image, built from deploy/dataflow/Dockerfile [newsbeam:0.1.0]
#   WORKER_POOL         host:port of the worker pool for EXTERNAL [localhost:50000]
# Further arguments pass through to `newsbeam run` (any newsbeam or Beam option).
# --output must be a directory every Spark worker and this machine see (a shared mount), or a
# Beam filesystem URL such as gs://... (the newsbeam image has the GCS client).
set -eu
NEWSBEAM=${NEWSBEAM:-newsbeam}
JOB_ENDPOINT=${JOB_ENDPOINT:-localhost:8099}
SDK_ENVIRONMENT=${SDK_ENVIRONMENT:-DOCKER}

case "$SDK_ENVIRONMENT" in
  DOCKER)   set -- --environment_type=DOCKER "--environment_config=${SDK_IMAGE:-newsbeam:0.1.0}" "$@" ;;
  EXTERNAL) set -- --environment_type=EXTERNAL "--environment_config=${WORKER_POOL:-localhost:50000}" "$@" ;;
  LOOPBACK) set -- --environment_type=LOOPBACK "$@" ;;
  *) echo "newsbeam-spark.sh: SDK_ENVIRONMENT must be DOCKER, EXTERNAL or LOOPBACK" >&2; exit 2 ;;
esac

exec "$NEWSBEAM" run --runner=PortableRunner "--job_endpoint=$JOB_ENDPOINT" "$@"
