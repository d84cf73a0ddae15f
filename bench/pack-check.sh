#!/usr/bin/env bash
# The package as a user gets it: `npm pack`, its contents by top-level folder, then a fresh
# project that installs the tarball (and esbuild from the registry), imports `fairway/engine`,
# bundles it for the browser as ESM, and runs the bundle in headless Chromium with the Wasm
# solver fetched from node_modules; the page's rows must equal what the same import gives in
# Node, and the CLI's. Prints a table; exits 1 on any difference. Needs the npm registry and a
# Chromium (chromium, chromium-browser or google-chrome); not part of `npm test`.
#   bash bench/pack-check.sh            (from the repository root, after `npm run build`)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chromium=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$chromium" ] || { echo "pack-check: no Chromium found (apt-get install chromium)" >&2; exit 2; }

cd "$root"
npm pack --silent --pack-destination "$work" --json > "$work/pack.json"
tarball=$(node -e 'const p=require(process.argv[1])[0]; console.log(p.filename)' "$work/pack.json")
echo "## npm pack: $tarball"
echo
node -e '
const p = require(process.argv[1])[0];
const by = new Map();
for (const f of p.files) { const top = f.path.includes("/") ? f.path.split("/")[0] + "/" : f.path; const e = by.get(top) ?? { files: 0, bytes: 0 }; e.files++; e.bytes += f.size; by.set(top, e); }
console.log("| entry | files | bytes |\n|---|---:|---:|");
for (const [k, v] of [...by].sort()) console.log(`| ${k} | ${v.files} | ${v.bytes.toLocaleString("en")} |`);
console.log(`| **total** | ${p.entryCount} | ${p.unpackedSize.toLocaleString("en")} (tarball ${p.size.toLocaleString("en")}) |`);
' "$work/pack.json"

esbuild=$(node -p 'require("./package-lock.json").packages["node_modules/esbuild"].version')
app="$work/app"
mkdir -p "$app/www"
cd "$app"
npm init -y > /dev/null && npm pkg set type=module
npm install --silent --no-audit --no-fund "$work/$tarball" "esbuild@$esbuild" > /dev/null
echo
echo "fresh project: installed $tarball and esbuild $esbuild"

# the same code for the page and for Node: 8 B - 1 GiB all-reduce on one DGX H100
cat > rows.js <<'EOF'
import { collectiveRows, readCollectiveScenario, systemFromDocument } from 'fairway/engine';
export async function rows() {
  const scenario = readCollectiveScenario({ op: 'all_reduce', minBytes: '8', maxBytes: '1G', stepFactor: 8 });
  return (await collectiveRows(systemFromDocument('dgx-h100'), scenario, 'wasm')).rows;
}
EOF
cat > page.js <<'EOF'
import { initWasm } from 'fairway/engine';
import { rows } from './rows.js';
await initWasm(fetch(new URL('./flow_engine.wasm', import.meta.url)));
document.getElementById('result').textContent = JSON.stringify(await rows());
document.title = 'done';
EOF
cat > www/index.html <<'EOF'
<!doctype html><html><head><meta charset="utf-8"><title>loading</title></head>
<body><pre id="result"></pre><script type="module" src="app.js"></script></body></html>
EOF
npx esbuild page.js --bundle --format=esm --platform=browser --minify --outfile=www/app.js --log-level=warning
cp node_modules/fairway/build/flow_engine.wasm www/
bundle=$(wc -c < www/app.js)
gz=$(gzip -c www/app.js | wc -c)
echo "browser bundle (esbuild --bundle --format=esm --platform=browser --minify): $bundle bytes, $gz gzipped"

# Node: the same module, unbundled
node --input-type=module -e "import { rows } from '$app/rows.js'; process.stdout.write(JSON.stringify(await rows()));" > node-rows.json

# the page over HTTP, in headless Chromium
cat > serve.mjs <<'EOF'
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
const dir = join(process.cwd(), 'www');
const server = createServer(async (req, res) => {
  const path = normalize(join(dir, new URL(req.url ?? '/', 'http://x').pathname));
  let body;
  try { body = await readFile(path); } catch { return void res.writeHead(404).end(); }
  res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' }).end(body);
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
EOF
node serve.mjs > port.txt &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do [ -s port.txt ] && break; sleep 0.1; done
"$chromium" --headless --no-sandbox --disable-gpu --virtual-time-budget=60000 --dump-dom "http://127.0.0.1:$(cat port.txt)/index.html" 2> chromium.err > dom.html || true
grep -q '<title>done</title>' dom.html || { echo "pack-check: the page did not finish; Chromium said:" >&2; tail -20 chromium.err >&2; exit 1; }
sed -n 's:.*<pre id="result">\([^<]*\)</pre>.*:\1:p' dom.html | sed 's/&quot;/"/g; s/&amp;/\&/g' > page-rows.json

# the CLI of the installed package
npx fairway collective all_reduce -t dgx-h100 -b 8 -e 1G -f 8 --json > cli.json

node -e '
const fs = require("fs");
const page = JSON.parse(fs.readFileSync("page-rows.json", "utf8"));
const node = JSON.parse(fs.readFileSync("node-rows.json", "utf8"));
const cli = JSON.parse(fs.readFileSync("cli.json", "utf8")).rows;
console.log("\n## all_reduce on one DGX H100: the browser bundle, Node and the CLI\n");
console.log("| size (B) | page time (µs) | Node time (µs) | CLI time (µs) | algo/proto |\n|---:|---:|---:|---:|---|");
for (let i = 0; i < page.length; i++) console.log(`| ${page[i].sizeBytes} | ${page[i].timeUs} | ${node[i]?.timeUs} | ${cli[i]?.timeUs} | ${page[i].algo}/${page[i].proto} |`);
const same = JSON.stringify(page) === JSON.stringify(node) && JSON.stringify(page) === JSON.stringify(cli);
console.log(`\n${page.length} sizes; page = Node = CLI: ${same ? "yes, identical" : "NO"}`);
process.exit(same ? 0 : 1);
'
