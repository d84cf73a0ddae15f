// `fairway topo FILE|BUILDER`: builds a topology and prints its summary (text, --json) or a
// Graphviz rendering (--dot). Shipped topologies can be named without their path.
import type { Command } from 'commander';
import { FairwayError } from '../core/errors.js';
import { loadTopologySpec } from '../io/topology-source.js';
import { FABRIC_BUILDERS } from '../io/builder-spec.js';
import { SERVER_TEMPLATES } from '../topology/server-templates.js';
import { formatTopologySummary } from '../report/topology-text.js';
import { topologyToDot } from '../report/topology-dot.js';
import { buildTopology } from '../topology/build.js';
import { summarize } from '../topology/metrics.js';
import { Router } from '../topology/routing/router.js';
import { checkWritable, writeStdout, writeWhole } from './output.js';
import { makePhases } from './progress.js';

interface TopoOptions {
  json?: boolean;
  dot?: boolean;
  out?: string;
  force?: boolean;
}


export function registerTopoCommand(program: Command): void {
  program
    .command('topo')
    .argument('<topology>', 'a topology file (.json/.yaml), a shipped topology name, or a builder spec like fat-tree:k=8')
    .summary('build a topology and summarise it (counts, tiers, oversubscription, bisection, diameter)')
    .description(
      [
        'Builds the system graph described by a topology file or builder spec and prints: node counts by kind, links by type and tier with line and effective bandwidth per direction, each fabric switch tier\'s down/up bandwidth and oversubscription, bisection bandwidth (max flow between the two halves of the servers), the diameter in links between accelerators, and accelerators per NIC.',
        '',
        `Shipped topologies (topologies/): name them without a path, e.g. "fairway topo h100-256gpu-rail".`,
        `Builder specs: ${FABRIC_BUILDERS.join(', ')} or a server template (${[...SERVER_TEMPLATES.keys()].join(', ')}), then :key=value,... with fabric fields (k, radix, tiers, oversubscription=3/1, rails, planes, dims=4x4x4, hosts, groups, routersPerGroup, routing=auto|ecmp|destination: how switches pick among equal-cost up-links, hashed per flow or by destination as InfiniBand does; auto, the default: destination on InfiniBand fabrics, ecmp on Ethernet) and server fields (template, count, accelerator, nic).`,
        '',
        'The file format is documented in docs/topology.md. Invalid input: every problem is listed with its path, exit code 2, nothing is written.',
      ].join('\n'),
    )
    .option('--json', 'print the summary as JSON')
    .option('--dot', 'print a Graphviz graph instead of the summary')
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .option('--force', 'replace --out if it already exists')
    .addHelpText('after', '\nExamples:\n  fairway topo topologies/h100-256gpu-rail.yaml\n  fairway topo fat-tree:k=8 --json\n  fairway topo rail-optimized:template=dgx-h100,count=32,radix=64\n  fairway topo dgx-h100 --dot | dot -Tsvg > dgx.svg')
    .action(async (arg: string, opts: TopoOptions) => runTopo(arg, opts));
}

async function runTopo(arg: string, opts: TopoOptions): Promise<void> {
  if (opts.json && opts.dot) throw new FairwayError('E_INPUT', 'choose one of --json and --dot', [{ path: '--dot', message: 'conflicts with --json' }]);
  if (opts.out) checkWritable(opts.out, opts.force === true);
  const spec = loadTopologySpec(arg);
  // large topologies take minutes (fat-tree:k=100, 250 k accelerators: ~80 s): say which stage runs
  const phases = makePhases('topo');
  phases.phase('building the graph');
  const topo = buildTopology(spec);
  let text: string;
  if (opts.dot) text = topologyToDot(topo);
  else {
    const nodes = `${topo.nodes.length.toLocaleString('en-US')} nodes`;
    const summary = summarize(topo, new Router(topo, spec.seed), (stage, done, total) => (done === undefined ? phases.phase(`${nodes}; ${stage}`) : phases.count(`${nodes}; ${stage}`, done, total!)));
    text = opts.json ? `${JSON.stringify({ schema: 'fairway.topology/1', ...summary }, (_k, v) => (v === Infinity ? null : v), 2)}\n` : formatTopologySummary(summary);
  }
  phases.finish();
  if (opts.out) writeWhole(opts.out, [text]);
  else await writeStdout([text]);
}
