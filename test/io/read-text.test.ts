// Reading input files: bounded in size whatever the file is (a device such as /dev/zero is
// refused once past the bound instead of filling memory), and every failure an input error
// naming the option (issue 19, items 3 and 8).
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { FairwayError } from '../../src/core/errors.js';
import { readInputBytes, readInputText } from '../../src/io/read-text.js';
import { scratchDir } from '../helpers/scratch-dir.js';

const issue = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof FairwayError) return [e.code, e.issues[0].path, e.issues[0].message];
    throw e;
  }
  return null;
};

describe('readInputBytes', () => {
  test('a regular file within the bound is read whole; one byte over is refused by its size alone', () => {
    const dir = scratchDir('fairway-read-');
    const f = join(dir, 'x.json');
    writeFileSync(f, '{"a":1}');
    expect(readInputText(f, '--x')).toBe('{"a":1}');
    expect(issue(() => readInputBytes(f, '--x', 6))).toEqual(['E_INPUT', '--x', expect.stringMatching(/^larger than the 6 bytes/)]);
  });
  test('a UTF-8 byte-order mark (as some Windows editors write) is dropped, so JSON and YAML parse', () => {
    const f = join(scratchDir('fairway-bom-'), 'bom.json');
    writeFileSync(f, '\ufeff{"a":1}');
    expect(JSON.parse(readInputText(f, '--x'))).toEqual({ a: 1 });
  });
  test('/dev/zero (endless) is refused once past the bound, not read until memory runs out', () => {
    expect(issue(() => readInputBytes('/dev/zero', 'topology', 3 << 20))).toEqual(['E_INPUT', 'topology', expect.stringMatching(/^larger than the 3,145,728 bytes .*device/)]);
  });
  test('a directory, a missing file: input errors naming the option', () => {
    expect(issue(() => readInputBytes(tmpdir(), '--workload'))).toEqual(['E_INPUT', '--workload', 'a directory, not a file']);
    expect(issue(() => readInputBytes(join(tmpdir(), 'no-such-fairway-file'), '--workload'))).toEqual(['E_INPUT', '--workload', 'no such file']);
  });
});
