#!/bin/sh
# Build the page's SPARQL editor from the npm packages pinned in package-lock.json into
# kg/web/static/vendor/editor.min.js, with the licences of what it bundles.
set -e
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
./node_modules/.bin/esbuild editor.js --bundle --minify --format=iife --target=es2019 --legal-comments=none \
  --outfile=../../kg/web/static/vendor/editor.min.js
{
  for package in node_modules/@codemirror/* node_modules/@lezer/* node_modules/crelt node_modules/style-mod \
                 node_modules/w3c-keyname node_modules/@marijn/*; do
    [ -f "$package/LICENSE" ] || continue
    echo "== ${package#node_modules/} $(node -p "require('./$package/package.json').version")"
    cat "$package/LICENSE"
    echo
  done
} > ../../kg/web/static/vendor/editor.LICENSE
