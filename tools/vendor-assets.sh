#!/usr/bin/env bash
# Re-create static/vendor/ from the npm registry (run by hand when upgrading; the files are committed,
# so the app never needs the network). Versions here must match itinerary/maps.py VENDOR.
set -euo pipefail
cd "$(dirname "$0")/.."
V=static/vendor
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fetch() { (cd "$tmp" && npm pack -q "$1" >/dev/null && mkdir -p "$2" && tar xzf ./*.tgz -C "$2" && rm ./*.tgz); }
rm -rf "$V" && mkdir -p "$V"

fetch leaflet@1.9.4 leaflet
mkdir -p $V/leaflet-1.9.4 && cp -r "$tmp"/leaflet/package/dist/{leaflet.js,leaflet.css,images} "$tmp"/leaflet/package/LICENSE $V/leaflet-1.9.4/

fetch leaflet.markercluster@1.5.3 mc
mkdir -p $V/leaflet.markercluster-1.5.3
cp "$tmp"/mc/package/dist/{leaflet.markercluster.js,MarkerCluster.css,MarkerCluster.Default.css} "$tmp"/mc/package/MIT-LICENCE.txt $V/leaflet.markercluster-1.5.3/

fetch @fortawesome/fontawesome-free@6.2.0 fa
mkdir -p $V/fontawesome-free-6.2.0/css
cp "$tmp"/fa/package/css/all.min.css $V/fontawesome-free-6.2.0/css/
cp -r "$tmp"/fa/package/webfonts "$tmp"/fa/package/LICENSE.txt $V/fontawesome-free-6.2.0/

fetch jquery@3.7.1 jq
mkdir -p $V/jquery-3.7.1 && cp "$tmp"/jq/package/dist/jquery.min.js "$tmp"/jq/package/LICENSE.txt $V/jquery-3.7.1/

fetch bootstrap@5.2.2 bs
mkdir -p $V/bootstrap-5.2.2
cp "$tmp"/bs/package/dist/js/bootstrap.bundle.min.js "$tmp"/bs/package/dist/css/bootstrap.min.css "$tmp"/bs/package/LICENSE $V/bootstrap-5.2.2/

fetch leaflet.awesome-markers@2.0.5 am
mkdir -p $V/leaflet.awesome-markers-2.0.5
cp -r "$tmp"/am/package/dist/{leaflet.awesome-markers.js,leaflet.awesome-markers.css,images} "$tmp"/am/package/LICENSE $V/leaflet.awesome-markers-2.0.5/

# supercluster's built file bundles kdbush (both ISC): both licences go with it (itinerary/map_index.py)
fetch supercluster@9.1.0 sc
fetch kdbush@4.0.2 kd
mkdir -p $V/supercluster-9.1.0
cp "$tmp"/sc/package/dist/supercluster.min.js "$tmp"/sc/package/LICENSE $V/supercluster-9.1.0/
cp "$tmp"/kd/package/LICENSE $V/supercluster-9.1.0/LICENSE-kdbush

# source maps are not shipped: their references would only make browsers ask for missing files
find $V -name '*.js' -o -name '*.css' | xargs sed -i -E 's@/[/*]# sourceMappingURL=[^ *]*( \*/)?@@'
echo "static/vendor re-created"
