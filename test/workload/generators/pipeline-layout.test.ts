// Megatron-Core pipeline layouts (src/workload/generators/pipeline-layout.ts): the string syntax,
// the chunk contents it gives, the even split's, and the refusals that name the field.
import { describe, expect, test } from 'vitest';
import { evenChunks, layoutChunks, parseLayout } from '../../../src/workload/generators/pipeline-layout.js';

describe('pipeline layout', () => {
  test('"Et*4|(t*4|)*14tmL" (DeepSeek-V3 on pp 4 × vpp 4, Megatron-Bridge): 16 virtual stages', () => {
    const stages = parseLayout('Et*4|(t*4|)*14tmL');
    expect(stages.length).toBe(16);
    expect(stages[0]).toBe('Etttt');
    expect(stages.slice(1, 15).every((s) => s === 'tttt')).toBe(true);
    expect(stages[15]).toBe('tmL');
    // Megatron's own example, commas cosmetic
    expect(parseLayout('Ettt|(tt|)*29,m|L')).toEqual(['Ettt', ...Array(29).fill('tt'), 'm', 'L']);
  });

  test('chunk contents: the embedding first, decoder layers numbered across virtual stages, MTP and loss last', () => {
    const chunks = layoutChunks('Et*4|(t*4|)*14tmL', 61, 1, 4, 4);
    expect(chunks[0]).toEqual({ embedding: true, loss: false, first: 0, decoder: 4, mtp: 0 });
    expect(chunks[1]).toEqual({ embedding: false, loss: false, first: 4, decoder: 4, mtp: 0 });
    expect(chunks[15]).toEqual({ embedding: false, loss: true, first: 60, decoder: 1, mtp: 1 });
    expect(chunks.reduce((s, c) => s + c.decoder, 0)).toBe(61);
  });

  test('the even split: layers of each chunk in virtual-stage order (chunk c of stage s is k = c·pp + s), MTP with the loss', () => {
    const chunks = evenChunks((stage, c) => 2 + stage + c, 2, 2, 1);
    // k = 0 (s0 c0): 2, k = 1 (s1 c0): 3, k = 2 (s0 c1): 3, k = 3 (s1 c1): 4
    expect(chunks.map((c) => [c.first, c.decoder])).toEqual([[0, 2], [2, 3], [5, 3], [8, 4]]);
    expect(chunks.map((c) => [c.embedding, c.loss, c.mtp])).toEqual([[true, false, 0], [false, false, 0], [false, false, 0], [false, true, 1]]);
  });

  test('refusals name training.layout and what is wrong', () => {
    expect(() => layoutChunks('Et*4|(t*4|)*14tmL', 61, 1, 4, 2)).toThrow(/training\.layout.*16 virtual stages, where pp × vpp = 4 × 2 = 8/s);
    expect(() => layoutChunks('Et*4|(t*4|)*14tmL', 60, 1, 4, 4)).toThrow(/61 decoder layers \(t\), where the model has 60/);
    expect(() => layoutChunks('Et*4|(t*4|)*14tmL', 61, 0, 4, 4)).toThrow(/1 MTP layers \(m\), where the plan has mtp: 0/);
    expect(() => layoutChunks('tE|tL', 2, 0, 2, 1)).toThrow(/embedding \(E\) must come first/);
    expect(() => layoutChunks('Et|mtL', 2, 1, 2, 1)).toThrow(/MTP layers \(m\) must come after every decoder layer/);
    expect(() => parseLayout('Et*4|x')).toThrow(/unexpected "x"/);
    expect(() => parseLayout('(t*9)*99999999')).toThrow(/unrolls to more than/);
  });
});
