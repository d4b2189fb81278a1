#!/usr/bin/env bash
# Rebuilds the KQL editor bundle that the app jar serves (app/src/main/resources/io/vigil/app/ui/editor.js)
# and the licences of what it bundles. The bundle is committed, so neither the build nor `./vigil demo`
# needs Node; run this (Node >= 18 with npm) after changing editor.js or package.json, and commit the result.
set -euo pipefail
cd "$(dirname "$0")"
out=../resources/io/vigil/app/ui
npm ci --no-audit --no-fund
npx esbuild editor.js --bundle --format=esm --minify --legal-comments=none --target=es2020 \
  --outfile="$out/editor.js"
# one file with the licence of every package inside the bundle (esbuild's metafile names them)
npx esbuild editor.js --bundle --format=esm --metafile=/tmp/vigil-ui-meta.json --outfile=/dev/null --log-level=warning
node -e '
  const fs = require("fs");
  const meta = JSON.parse(fs.readFileSync("/tmp/vigil-ui-meta.json", "utf8"));
  const packages = new Set();
  for (const input of Object.keys(meta.inputs)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match) packages.add(match[1]);
  }
  let text = "Licences of the packages bundled into editor.js (built by app/src/main/ui/build.sh)\n";
  for (const name of [...packages].sort()) {
    const dir = "node_modules/" + name;
    const pkg = JSON.parse(fs.readFileSync(dir + "/package.json", "utf8"));
    const file = fs.readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
    text += "\n==== " + name + " " + pkg.version + " (" + pkg.license + ")\n\n";
    text += file ? fs.readFileSync(dir + "/" + file, "utf8") : "(no licence file shipped; package.json says " + pkg.license + ")\n";
  }
  fs.writeFileSync(process.argv[1], text);
' "$out/editor.js.LICENSES.txt"
echo "wrote $out/editor.js and its licences"
