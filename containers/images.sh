#!/usr/bin/env bash
# Builds ich's container images with buildah/podman (no Docker daemon needed), the way docs/deploy.md
# ("Container images") describes: every service image from its Dockerfile, the trainer's, and one image of the local
# stack's embedded infrastructure (S3, Kafka, OIDC). Called by `./ich images`; expects the jars to be built.
#
#   containers/images.sh [--push REGISTRY] [--only a,b]   e.g. --push ghcr.io/acme  (tags REGISTRY/ich-<name>:<version>)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=containers/engine.sh
. "$ROOT/containers/engine.sh"

PUSH=""
ONLY=""
while [ $# -gt 0 ]; do
  case "$1" in
    --push) PUSH="${2:?--push needs a registry, e.g. ghcr.io/acme}"; shift 2 ;;
    --only) ONLY="${2:?--only needs names, e.g. ingest,infra}"; shift 2 ;;
    -h|--help) sed -n '2,7p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "images: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

engine_setup
base_image

VERSION="$(ich_version)"
REVISION="$(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)"
CREATED="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
# Where the source is: ICH_IMAGE_SOURCE, else the clone's origin; "unknown" rather than an invented address.
SOURCE="${ICH_IMAGE_SOURCE:-$(git -C "$ROOT" remote get-url origin 2>/dev/null || echo unknown)}"

# name, Dockerfile (relative to the repo), build context, what must exist first
IMAGES=(
  "ingest    services/ingest/src/main/docker/Dockerfile.jvm     services/ingest    target/quarkus-app/quarkus-run.jar"
  "cleaning  services/cleaning/src/main/docker/Dockerfile.jvm   services/cleaning  target/quarkus-app/quarkus-run.jar"
  "labeling  services/labeling/src/main/docker/Dockerfile.jvm   services/labeling  target/quarkus-app/quarkus-run.jar"
  "training  services/training/src/main/docker/Dockerfile.jvm   services/training  target/quarkus-app/quarkus-run.jar"
  "inference services/inference/src/main/docker/Dockerfile.jvm  services/inference target/quarkus-app/quarkus-run.jar"
  "trainer   services/trainer/src/main/docker/Dockerfile        services/trainer   target/ich-trainer.jar"
  "infra     services/cli/src/main/docker/Dockerfile.infra      services/cli       target/ich-cli.jar"
)

printf '%-10s %-44s %8s %6s\n' image tag size secs
for line in "${IMAGES[@]}"; do
  read -r name dockerfile context needs <<<"$line"
  if [ -n "$ONLY" ] && ! [[ ",$ONLY," == *",$name,"* ]]; then continue; fi
  if [ ! -f "$ROOT/$context/$needs" ]; then
    echo "images: $context/$needs is missing: build first (./ich build)" >&2
    exit 1
  fi
  tag="$(image_tag "$name" "$VERSION")"
  started=$SECONDS
  # OCI annotations a registry, a scanner and `skopeo inspect` read (docs/deploy.md, "Container images").
  buildah bud --quiet --pull-never --layers --network host \
    --label "org.opencontainers.image.title=ich-$name" \
    --label "org.opencontainers.image.description=ich $name (intracranial hemorrhage classifiers from brain CT)" \
    --label "org.opencontainers.image.source=$SOURCE" \
    --label "org.opencontainers.image.version=$VERSION" \
    --label "org.opencontainers.image.revision=$REVISION" \
    --label "org.opencontainers.image.created=$CREATED" \
    --label "org.opencontainers.image.licenses=NOASSERTION" \
    -f "$ROOT/$dockerfile" -t "$tag" "$ROOT/$context" >/dev/null
  size="$(podman image inspect --format '{{.Size}}' "$tag" | awk '{printf "%.0fM", $1/1048576}')"
  printf '%-10s %-44s %8s %6d\n' "$name" "$tag" "$size" $((SECONDS - started))
  if [ -n "$PUSH" ]; then
    skopeo copy --quiet "containers-storage:$tag" "docker://$PUSH/ich-$name:$VERSION"
    echo "           pushed $PUSH/ich-$name:$VERSION"
  fi
done
