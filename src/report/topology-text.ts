// Human-readable topology summary (what `fairway topo` prints): counts, link groups with line
// and effective rates per direction, switch tiers with oversubscription, bisection, diameter.
import { formatBandwidth } from '../core/units.js';
import type { TopologySummary } from '../topology/metrics.js';

const TIER_NAMES = ['leaf', 'spine', 'core'];

/** Columns before `rightFrom` are left-aligned text, the rest right-aligned numbers. */
function table(rows: string[][], rightFrom: number): string[] {
  const widths = rows[0].map((_, c) => rows.reduce((w, r) => Math.max(w, r[c].length), 0));
  return rows.map((r) => '  ' + r.map((cell, c) => (c >= rightFrom ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd());
}

function ratio(x: number): string {
  if (!Number.isFinite(x)) return 'top';
  return `${+x.toFixed(2)}:1`;
}

export function formatTopologySummary(s: TopologySummary): string {
  const out: string[] = [];
  out.push(`topology ${s.name}: ${s.servers} server${s.servers === 1 ? '' : 's'}, ${Object.values(s.nodes).reduce((a, b) => a + b, 0)} nodes, ${s.links} links`);
  out.push(
    'nodes: ' +
      Object.entries(s.nodes)
        .filter(([, n]) => n > 0)
        .map(([k, n]) => `${n} ${k}`)
        .join(', '),
  );
  out.push('', 'links (bandwidth per direction):');
  const rows = [['type', 'spec', 'tier', 'count', 'line', 'effective']];
  for (const g of s.linkGroups) rows.push([g.type, g.spec, g.tier, String(g.count), formatBandwidth(g.lineBytesPerSec), formatBandwidth(g.bytesPerSec)]);
  out.push(...table(rows, 3));
  if (s.switchTiers.length) {
    out.push('', 'fabric switch tiers (effective bandwidth, per direction):');
    const t = [['tier', 'name', 'switches', 'down', 'up', 'oversubscription']];
    for (const x of s.switchTiers)
      t.push([String(x.tier), TIER_NAMES[x.tier] ?? `tier${x.tier}`, String(x.switches), formatBandwidth(x.downBytesPerSec), formatBandwidth(x.upBytesPerSec), ratio(x.oversubscription)]);
    out.push(...table(t, 2));
    out.push(`up-link choice: ${s.routing === 'destination' ? 'by destination port (InfiniBand D-mod-k)' : 'hashed per flow (ECMP)'}; fabric.routing`);
  }
  out.push('');
  out.push(`bisection bandwidth: ${formatBandwidth(s.bisectionBytesPerSec)} per direction (${formatBandwidth(s.bisectionPerAcceleratorBytesPerSec)} per accelerator of the smaller half)`);
  out.push(`diameter: ${s.diameterHops} links between the farthest accelerators${s.diameterSampled ? ' (over a sample of attachment profiles)' : ''}`);
  out.push(`accelerators per NIC: ${+s.acceleratorsPerNic.toFixed(2)} (at most ${s.maxAcceleratorsPerHomeNic} share a home NIC)`);
  return out.join('\n') + '\n';
}
