#!/usr/bin/env bash
# Deploys the production stack (infra/app.ts) to LocalStack with cdklocal, configured as a
# test environment: GOVERNANCE-mode evidence lock and one-day retentions.
#
# Needs a LocalStack endpoint (LOCALSTACK_ENDPOINT, default http://localhost:4566) or a
# Docker engine to start one in. Without either it exits 0 with one line saying so, so
# it can run in CI and on machines without Docker.
# cdklocal comes from the npm package aws-cdk-local (not a dependency of this project):
#   npm install -g aws-cdk-local aws-cdk
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ENDPOINT="${LOCALSTACK_ENDPOINT:-http://localhost:4566}"
CONTAINER="${LOCALSTACK_CONTAINER:-evidence-ledger-localstack}"
IMAGE="${LOCALSTACK_IMAGE:-localstack/localstack:4}"
DEPLOYMENT="${DEPLOYMENT_NAME:-ledger-local}"

endpoint_up() {
  curl --silent --fail --max-time 3 "${ENDPOINT}/_localstack/health" >/dev/null 2>&1
}

docker_up() {
  command -v docker >/dev/null 2>&1 && timeout 10 docker info >/dev/null 2>&1
}

if ! endpoint_up; then
  if ! docker_up; then
    echo "skipped: no Docker engine reachable (and no LocalStack at ${ENDPOINT})"
    exit 0
  fi
  echo "starting LocalStack (${IMAGE}) as ${CONTAINER}"
  docker start "${CONTAINER}" >/dev/null 2>&1 ||
    docker run --detach --name "${CONTAINER}" --publish 4566:4566 "${IMAGE}" >/dev/null
  for _ in $(seq 1 60); do
    endpoint_up && break
    sleep 2
  done
  endpoint_up || { echo "LocalStack did not become healthy at ${ENDPOINT}" >&2; exit 1; }
fi

if command -v cdklocal >/dev/null 2>&1; then
  CDKLOCAL=(cdklocal)
elif [[ -x "${ROOT}/node_modules/.bin/cdklocal" ]]; then
  CDKLOCAL=("${ROOT}/node_modules/.bin/cdklocal")
else
  echo "cdklocal not found: install the npm package aws-cdk-local (npm install -g aws-cdk-local)" >&2
  exit 1
fi

export AWS_ENDPOINT_URL="${ENDPOINT}"
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}"
export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
export AWS_REGION="${AWS_REGION:-us-east-1}"
export AWS_DEFAULT_REGION="${AWS_REGION}"

# A test environment: locks that expire after a day, GOVERNANCE mode for the evidence.
CONTEXT=(
  -c "deploymentName=${DEPLOYMENT}"
  -c evidenceRetentionMode=GOVERNANCE
  -c evidenceRetentionDays=1
  -c anchorRetentionDays=1
  -c logRetentionDays=1
)

cd "${ROOT}"
"${CDKLOCAL[@]}" bootstrap "${CONTEXT[@]}"
"${CDKLOCAL[@]}" deploy "${CONTEXT[@]}" --require-approval never \
  --outputs-file "${ROOT}/cdk.out/local-outputs.json"
echo "deployed ${DEPLOYMENT} to LocalStack; outputs in cdk.out/local-outputs.json"
