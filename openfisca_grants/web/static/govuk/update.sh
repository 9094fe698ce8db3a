#!/bin/sh
# Vendors GOV.UK Frontend into this folder, so that the page fetches nothing from elsewhere and
# `pip install -e .` is the whole set-up. Run by hand to move to another version (needs node and
# the npm registry): sh openfisca_grants/web/static/govuk/update.sh 6.6.0
#
# The stylesheet is compiled from GOV.UK Frontend's Sass with the system font stack: its GDS
# Transport font is licensed only for services on GOV.UK, so no @font-face is emitted and no
# font is copied. Its images (the GOV.UK crest, icons) are left out for the same reason.
set -eu
version="${1:?give the govuk-frontend version, e.g. 6.6.0}"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y >/dev/null
npm install --silent --no-audit --no-fund "govuk-frontend@$version" "sass@1"
cat > entry.scss <<'SCSS'
@use "govuk-frontend/dist/govuk" as * with (
  $govuk-font-family: (system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif),
  $govuk-include-default-font-face: false,
  $govuk-assets-path: "/page/static/govuk/assets/"
);
SCSS
npx sass --load-path=node_modules --style=compressed --no-source-map --quiet entry.scss "$here/govuk-frontend.min.css"
# The script, without its source map comment (the map is not shipped).
sed 's|//# sourceMappingURL=.*$||' node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js > "$here/govuk-frontend.min.js"
{
  echo "govuk-frontend $version, from the npm registry (https://www.npmjs.com/package/govuk-frontend)."
  echo "govuk-frontend.min.css: compiled by update.sh from its Sass with the system font stack"
  echo "(no GDS Transport, no @font-face); govuk-frontend.min.js: its dist/govuk file as published."
} > "$here/VERSION"
node -e 'const p=require(process.argv[1]); if (p.license !== "MIT") { console.error("licence is now " + p.license + ": check LICENCE"); process.exit(1) }' "$work/node_modules/govuk-frontend/package.json"
