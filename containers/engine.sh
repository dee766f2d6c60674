# Sourced by containers/*.sh: podman/buildah set up for a machine without a Docker daemon or a registry
# (docs/deploy.md, "Container images"). Everything the engine keeps lives under .ich/containers/ of the checkout.

ENGINE_DIR="${ICH_CONTAINERS_DIR:-$ROOT/.ich/containers}"
BASE_IMAGE="docker.io/library/debian:bookworm-slim"

engine_setup() {
  for tool in podman buildah skopeo; do
    command -v "$tool" >/dev/null || { echo "images: $tool is missing (./ich images installs it from Debian as root)" >&2; exit 1; }
  done
  mkdir -p "$ENGINE_DIR/storage" "$ENGINE_DIR/run"
  # overlay in a graph root of the project's own (vfs works too, at five times the disk)
  cat >"$ENGINE_DIR/storage.conf" <<CONF
[storage]
driver = "overlay"
graphroot = "$ENGINE_DIR/storage"
runroot = "$ENGINE_DIR/run"
CONF
  # crun refuses this kernel's hybrid cgroups, and podman's default ulimits exceed what root may set on these machines
  cat >"$ENGINE_DIR/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]

[engine]
runtime = "runc"
CONF
  export CONTAINERS_STORAGE_CONF="$ENGINE_DIR/storage.conf"
  export CONTAINERS_CONF="$ENGINE_DIR/containers.conf"
}

# The Dockerfiles' FROM: from a registry where one answers, else made here from Debian's own archive (debootstrap),
# so that `FROM debian:bookworm-slim` resolves locally with --pull-never.
base_image() {
  podman image exists "$BASE_IMAGE" && return 0
  if timeout 60 podman pull --quiet "$BASE_IMAGE" >/dev/null 2>&1; then return 0; fi
  command -v debootstrap >/dev/null || { echo "images: no registry answers and debootstrap is missing" >&2; exit 1; }
  local mirror rootfs
  mirror="$(debian_mirror)"
  rootfs="$(mktemp -d "$ENGINE_DIR/rootfs.XXXXXX")"
  echo "images: no registry answers; making $BASE_IMAGE from $mirror with debootstrap (once per engine storage, .ich/containers)" >&2
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$ENGINE_DIR/debootstrap.log" 2>&1 \
    || { echo "images: debootstrap failed; see $ENGINE_DIR/debootstrap.log" >&2; exit 1; }
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/etc/apt/sources.list
  cat >"$rootfs/etc/apt/sources.list.d/debian.sources" <<SOURCES
Types: deb
URIs: $mirror
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
  tar --numeric-owner -C "$rootfs" -c . | podman import --quiet --change 'CMD ["bash"]' - "$BASE_IMAGE" >/dev/null
  rm -rf "$rootfs"
}

# The first Debian archive this machine's own apt sources name.
debian_mirror() {
  local uri
  uri="$(grep -hE '^(URIs:|deb )' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null \
    | grep -v security | head -1 | awk '{print ($1 == "deb") ? $2 : $2}')"
  echo "${uri:-http://deb.debian.org/debian}"
}

ich_version() {
  sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$ROOT/pom.xml" | head -1
}

image_tag() {
  echo "localhost/ich-$1:$2"
}
