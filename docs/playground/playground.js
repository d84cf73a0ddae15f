// The playground page: reads the form (or the address's query), runs the collective through
// fairway's browser entry (dist-browser/fairway-engine.js, `npm run build:browser`), and draws
// busbw against size (the report's Vega-Lite chart, rendered by the bundled vega) with the
// nccl-tests rows. The rows also go, as JSON, into #result and
// the page's title becomes "done" or "error", for the headless test (test/engine-entry.test.ts).
import * as fairway from '../../dist-browser/fairway-engine.js';

const $ = (id) => document.getElementById(id);
const FIELDS = ['topology', 'op', 'min', 'max', 'factor', 'ranks', 'algo'];

function inputs() {
  const v = Object.fromEntries(FIELDS.map((f) => [f, $(f).value.trim()]));
  const doc = { op: v.op, minBytes: v.min, maxBytes: v.max, stepFactor: Number(v.factor), algo: v.algo || 'auto' };
  if (v.ranks) doc.ranks = Number(v.ranks);
  return { topology: v.topology, doc };
}

function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

async function render(rows) {
  // the report's own chart (fairway collective --html): a Vega-Lite spec, rendered to SVG by vega in this page
  $('chart').innerHTML = await fairway.renderChart(fairway.collectiveCharts(rows).busbw);
  const head = ['size (B)', 'time (µs)', 'algbw (GB/s)', 'busbw (GB/s)', 'algorithm', 'protocol'];
  const body = rows.map((r) => [r.sizeBytes, r.timeUs.toFixed(2), r.algbwGBps.toFixed(2), r.busbwGBps.toFixed(2), r.algo, r.proto]);
  $('table').innerHTML = `<table><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr>${body.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('')}</table>`;
}

async function run() {
  const { topology, doc } = inputs();
  $('status').className = '';
  $('status').textContent = 'running…';
  try {
    const t0 = performance.now();
    const system = fairway.systemFromDocument(topology);
    const scenario = fairway.readCollectiveScenario(doc);
    const { comm, rows } = await fairway.collectiveRows(system, scenario, 'wasm');
    await render(rows);
    $('status').textContent = `${scenario.op} on ${comm.nodes.length} ranks of ${topology}: ${rows.length} sizes in ${((performance.now() - t0) / 1000).toFixed(2)} s`;
    $('result').textContent = JSON.stringify(rows);
    document.title = 'done';
  } catch (e) {
    $('status').className = 'error';
    $('status').textContent = e instanceof Error ? e.message : String(e);
    $('result').textContent = JSON.stringify({ error: $('status').textContent });
    document.title = 'error';
  }
}

const query = new URLSearchParams(location.search);
for (const f of FIELDS) if (query.has(f)) $(f).value = query.get(f);
$('form').addEventListener('submit', (e) => {
  e.preventDefault();
  run();
});
await fairway.initWasm(fetch(new URL('../../build/flow_engine.wasm', import.meta.url)));
await run();
