#!/usr/bin/env bash
# Install the map's front-end files from the npm registry into dashboard/static/vendor
# (git-ignored), checking each tarball against the pinned SHA-1 npm publishes for it.
# Streamlit serves them at /app/static/vendor/...; the HTML export inlines them.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=dashboard/static/vendor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# name@version  sha1 of the registry tarball
pins=(
  "leaflet@1.9.4 23fae724e282fa25745aff82ca4d394748db7d8d"
  "jquery@3.7.1 083ef98927c9a6a74d05a6af02806566d16274de"
)
for pin in "${pins[@]}"; do
  read -r spec sha <<<"$pin"
  (cd "$work" && npm pack "$spec" --silent >/dev/null)
  file="$work/${spec/@/-}.tgz"
  got=$(sha1sum "$file" | cut -d' ' -f1)
  if [ "$got" != "$sha" ]; then
    echo "fetch_assets: $spec: checksum $got, expected $sha" >&2
    exit 1
  fi
  tar -xzf "$file" -C "$work"
  name=${spec%@*}
  rm -rf "${dest:?}/$name.new"
  mkdir -p "$dest/$name.new"
  cp -r "$work/package/dist/." "$dest/$name.new/"
  rm -rf "$work/package" "${dest:?}/$name"
  mv "$dest/$name.new" "$dest/$name"
done
touch "$dest/.complete"
echo "fetch_assets: leaflet and jquery in $dest"
