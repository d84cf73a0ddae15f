// Scenario documents (src/scenario/scenario-document.ts): the sweep base's form. A workload
// scenario may say its fidelity beside the workload; a collective says it inside collective.
import { describe, expect, test } from 'vitest';
import { scenarioFromDocument } from '../../src/scenario/scenario-document.js';
import { problems } from '../helpers/problems.js';

describe('scenario documents', () => {
  test('a workload scenario: flow by default, analytical when asked', () => {
    expect(scenarioFromDocument({ topology: 'dgx-h100', workload: { ops: [] } }).workload?.fidelity).toBe('flow');
    expect(scenarioFromDocument({ topology: 'dgx-h100', workload: { ops: [] }, fidelity: 'analytical' }).workload?.fidelity).toBe('analytical');
  });

  test('a fidelity that is neither, or one beside a collective, is refused naming the field', () => {
    expect(problems(() => scenarioFromDocument({ topology: 'dgx-h100', workload: { ops: [] }, fidelity: 'fast' }))).toEqual(['fidelity: flow or analytical']);
    expect(problems(() => scenarioFromDocument({ topology: 'dgx-h100', collective: { op: 'all_reduce', bytes: '1M' }, fidelity: 'analytical' }))).toEqual(['fidelity: give collective.fidelity instead']);
  });
});
