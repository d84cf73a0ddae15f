// A serving run as a Chrome trace (opens in Perfetto / chrome://tracing): a process per
// instance with its steps as slices (new tokens and sequences in args), a "requests" process
// with each request as an async slice from arrival to its last token (queued, then prefill to
// the first token, then decode), and each KV transfer of a disaggregated run as a slice on the
// decode instance's "KV in" track (async, as transfers overlap).
import type { ServingRun } from '../sim/serving/serving-run.js';

const us = (sec: number) => +(sec * 1e6).toFixed(3);

function meta(pid: number, tid: number, name: string, what: 'process_name' | 'thread_name'): string {
  return JSON.stringify({ name: what, ph: 'M', pid, tid, args: { name } });
}

/** Async slices of one request: queued (arrival → admission), prefill (→ first token), decode (→ last). */
function requestEvents(run: ServingRun): string[] {
  const out: string[] = [];
  for (const s of run.requests) {
    if (s.finishedSec < 0) continue;
    const phases: [string, number, number][] = [
      ['queued', s.arrivalSec, s.admittedSec],
      ['prefill', s.admittedSec, s.firstTokenSec],
      ['decode', s.firstTokenSec, s.finishedSec],
    ];
    for (const [name, a, b] of phases) {
      if (!(b > a)) continue;
      const base = { cat: 'request', name, pid: 0, tid: 0, id: s.id };
      out.push(JSON.stringify({ ...base, ph: 'b', ts: us(a), args: { request: s.id, input: s.prompt, output: s.output, instance: run.instanceOf[s.id] } }));
      out.push(JSON.stringify({ ...base, ph: 'e', ts: us(b) }));
    }
  }
  return out;
}

export function serveTrace(run: ServingRun, instanceNames: readonly string[]): string {
  const t = run.timeline;
  if (!t) throw new Error('serveTrace: the run kept no timeline (record: true)');
  const events: string[] = [meta(0, 0, 'requests', 'process_name')];
  instanceNames.forEach((name, i) => {
    events.push(meta(i + 1, 0, name, 'process_name'), meta(i + 1, 0, 'steps', 'thread_name'), meta(i + 1, 1, 'KV in', 'thread_name'));
  });
  // a pipelined step's slice is its first stage (batches overlap in the later stages), its args say when it left the last
  for (const st of t.steps) events.push(JSON.stringify({ name: 'step', ph: 'X', pid: st.instance + 1, tid: 0, ts: us(st.startSec), dur: us((st.stageEndSec ?? st.endSec) - st.startSec), args: st.stageEndSec === undefined ? { tokens: st.tokens, sequences: st.sequences } : { tokens: st.tokens, sequences: st.sequences, lastStageEndUs: us(st.endSec) } }));
  // transfers overlap one another: async slices, one id a request, so none is drawn across another
  for (const x of t.transfers) {
    const base = { cat: 'kv', name: 'KV in', pid: x.to + 1, tid: 1, id: x.request };
    events.push(JSON.stringify({ ...base, ph: 'b', ts: us(x.startSec), args: { request: x.request, from: instanceNames[x.from], bytes: x.bytes } }), JSON.stringify({ ...base, ph: 'e', ts: us(x.endSec) }));
  }
  events.push(...requestEvents(run));
  return `{"displayTimeUnit":"ms","traceEvents":[\n${events.join(',\n')}\n]}\n`;
}
