// One what-if point: a scenario document (a topology document plus either a collective or a
// workload document) run to a flat set of metrics. Pure and deterministic: the same document
// gives the same metrics in any thread, so a sweep's results do not depend on how it is split.
import { defaultCommunicator } from '../collective/communicator.js';
import { ALGORITHMS, COLLECTIVE_OPS, DEFAULT_COLLECTIVE_OPTIONS, STANDALONE_LATENCIES, type Algorithm, type CollectiveOp } from '../collective/index.js';
import { FairwayError, IssueList } from '../core/errors.js';
import { FieldReader, isDoc, type Doc } from '../io/fields.js';
import { parseTopology } from '../io/topology-file.js';
import { parseWorkload } from '../io/workload-file.js';
import { runCollective, runFastestCollective } from '../sim/collective-run.js';
import { runWorkload } from '../sim/workload-run.js';
import { buildTopology } from '../topology/build.js';
import { Router } from '../topology/routing/router.js';
import { workloadStressPoints } from '../report/stress-points.js';
import type { Metrics } from '../sweep/results.js';

/** A scenario: `topology` (document) and one of `collective` or `workload` (documents). */
export type Scenario = Doc;

export function runScenario(scenario: Scenario): Metrics {
  if (!isDoc(scenario.topology)) throw new FairwayError('E_INPUT', 'scenario.topology: must be a topology document', [{ path: 'topology', message: 'not an object' }]);
  const tspec = parseTopology(scenario.topology, 'topology');
  const topo = buildTopology(tspec);
  const router = new Router(topo, tspec.seed);
  if (isDoc(scenario.collective)) return collectiveMetrics(scenario.collective, topo, router);
  if (isDoc(scenario.workload)) {
    const w = runWorkload(parseWorkload(scenario.workload, 'workload'), topo, router, { monitor: 'auto' });
    const s = w.summary;
    const top = workloadStressPoints(w, topo, router, 1).byUtilization[0];
    return {
      stepMs: s.stepSec * 1e3,
      computeMs: s.computeSec * 1e3,
      exposedCommMs: s.exposedCommSec * 1e3,
      inputStallMs: s.inputStallSec * 1e3,
      hostBoundMs: s.hostBoundSec * 1e3,
      idleMs: s.idleSec * 1e3,
      topResource: top?.resource ?? '',
      topUtilization: top?.utilization ?? 0,
      operations: s.operations,
      events: s.events,
    };
  }
  throw new FairwayError('E_INPUT', 'scenario: needs a collective or a workload', [{ path: 'collective', message: 'give collective: {op, bytes, ...} or workload: FILE' }]);
}

function collectiveMetrics(doc: Doc, topo: ReturnType<typeof buildTopology>, router: Router): Metrics {
  const issues = new IssueList();
  const r = new FieldReader(issues);
  r.known(doc, 'collective', ['op', 'bytes', 'algo', 'channels', 'ranks', 'chunk', 'alpha', 'baseLatency']);
  const op = r.oneOf(doc, 'op', 'collective', COLLECTIVE_OPS, 'all_reduce');
  const bytes = r.quantity(doc, 'bytes', 'collective', 'bytes') ?? 0;
  if (doc.bytes === undefined) issues.add('collective.bytes', 'required: the message size, e.g. 1GiB');
  const algo = r.str(doc, 'algo', 'collective') ?? 'auto';
  if (algo !== 'auto' && !(ALGORITHMS[op] as readonly string[]).includes(algo)) issues.add('collective.algo', `${op} supports ${ALGORITHMS[op].join(', ')} or auto, got "${algo}"`);
  const channels = r.int(doc, 'channels', 'collective', 1, 64, DEFAULT_COLLECTIVE_OPTIONS.channels)!;
  const ranks = r.int(doc, 'ranks', 'collective', 2, 1 << 24);
  const chunk = r.quantity(doc, 'chunk', 'collective', 'bytes');
  const alpha = r.quantity(doc, 'alpha', 'collective', 'duration', { allowZero: true });
  const base = r.quantity(doc, 'baseLatency', 'collective', 'duration', { allowZero: true });
  issues.throwIfAny('collective: invalid');
  const comm = defaultCommunicator(topo, ranks);
  const o = { ...DEFAULT_COLLECTIVE_OPTIONS, channels, chunkBytes: chunk ?? DEFAULT_COLLECTIVE_OPTIONS.chunkBytes, alphaSec: alpha ?? STANDALONE_LATENCIES.alphaSec, baseLatencySec: base ?? STANDALONE_LATENCIES.baseLatencySec };
  const res =
    algo === 'auto'
      ? runFastestCollective(topo, router, comm, op as CollectiveOp, bytes, o)
      : runCollective(topo, router, comm, op as CollectiveOp, bytes, { ...o, algorithm: algo as Algorithm });
  return {
    algo: res.algorithm,
    ranks: res.ranks,
    timeUs: res.makespanSec * 1e6,
    algbwGBps: res.algbwBytesPerSec / 1e9,
    busbwGBps: res.busbwBytesPerSec / 1e9,
    operations: res.operations,
    events: res.events,
    solves: res.solves,
  };
}
