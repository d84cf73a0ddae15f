// Request traces: the Azure LLM inference trace layout and fairway's own, with errors naming the line.
import { describe, expect, it } from 'vitest';
import { parseRequestTrace, readRequestTrace } from '../../src/io/request-trace.js';

describe('request traces', () => {
  it('reads the Azure conversation trace excerpt: arrivals from the first request, prompt and output tokens', () => {
    const r = readRequestTrace('test/fixtures/traces/azure-llm-conv-2023-excerpt.csv', 'trace');
    expect(r).toHaveLength(200);
    // rows 1-2: 18:15:46.6805900 (374, 44) and 18:15:50.9951690 (396, 109)
    expect(r[0]).toEqual({ arrivalSec: 0, input: 374, output: 44 });
    expect(r[1].arrivalSec).toBeCloseTo(4.314579, 6);
    expect(r[1]).toMatchObject({ input: 396, output: 109 });
    expect(readRequestTrace('test/fixtures/traces/azure-llm-conv-2023-excerpt.csv', 'trace', 10)).toHaveLength(10);
  });

  it("fairway's layout, and errors with file and line", () => {
    expect(parseRequestTrace('arrival_s,input_tokens,output_tokens\n0.5,100,10\n1.5,0,20\n', 't.csv')).toEqual([
      { arrivalSec: 0, input: 100, output: 10 },
      { arrivalSec: 1, input: 1, output: 20 },
    ]);
    expect(() => parseRequestTrace('a,b,c\n', 't.csv')).toThrow(/^t\.csv:1: unknown header/);
    expect(() => parseRequestTrace('arrival_s,input_tokens,output_tokens\n2,1,1\n1,1,1\n', 't.csv')).toThrow('t.csv:3: arrivals must be in time order');
    expect(() => parseRequestTrace('arrival_s,input_tokens,output_tokens\n0,1.5,1\n', 't.csv')).toThrow('t.csv:2: input_tokens must be a whole number');
  });
});
