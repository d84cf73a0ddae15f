// The --model argument (src/io/model-argument.ts): catalogue names, shapes given inline as
// key=value, model files, and the errors that name the option.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { IssueList } from '../../src/core/errors.js';
import { modelArgument } from '../../src/io/model-argument.js';
import { readTrainingSection } from '../../src/io/training-section.js';
import { scratchDir } from '../helpers/scratch-dir.js';

describe('--model', () => {
  test('a catalogue name, an inline shape, a model file', () => {
    expect(modelArgument('llama3-70b', '--model')).toBe('llama3-70b');
    const shape = modelArgument('layers=80,hidden=8192,heads=64,kvHeads=8,ffn=28672,vocab=128256,gated', '--model');
    expect(shape).toEqual({ layers: 80, hidden: 8192, heads: 64, kvHeads: 8, ffn: 28672, vocab: 128256, gated: true });
    // the shape reads as the training section's model: 80 layers of h 8192 with a gated FFN
    const issues = new IssueList();
    const section = readTrainingSection({ model: shape, tp: 8, pp: 4, dp: 2 }, 1, issues);
    expect(issues.empty).toBe(true);
    expect(section!.model).toMatchObject({ layers: 80, hidden: 8192, kvHeads: 8, gated: true, rope: true, dropout: false, name: 'custom' });
    const dir = scratchDir('fairway-model-');
    const file = join(dir, 'm.yaml');
    writeFileSync(file, 'name: my-moe\nlayers: 24\nhidden: 2048\nheads: 16\nffn: 1408\nvocab: 102400\ngated: true\nexperts: 64\ntopK: 6\n');
    expect(modelArgument(file, '--model')).toMatchObject({ name: 'my-moe', experts: 64, topK: 6 });
  });

  test('an unknown shape field or a file that is not a shape is refused naming --model', () => {
    expect(() => modelArgument('layers=2,width=4', '--model')).toThrow(/--model: unknown shape field "width"; use name, layers, hidden/);
    const dir = scratchDir('fairway-model-');
    const file = join(dir, 'm.json');
    writeFileSync(file, '[1, 2]');
    expect(() => modelArgument(file, '--model')).toThrow(/--model: .*m\.json must hold a model shape/);
    expect(() => modelArgument(join(dir, 'none.yaml'), '--model')).toThrow(/none\.yaml/);
  });
});
