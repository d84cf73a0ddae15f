// Chakra execution traces (.et): a stream of protobuf messages, each prefixed by its length as
// a varint; the first is GlobalMetadata, the rest are Nodes (schema: mlcommons/chakra
// et_def.proto). This reader decodes the protobuf wire format directly and keeps what the
// collective layer needs from each node: id, name, type, data/control dependencies, duration
// and the scalar attributes (comm_type, comm_size, comm_src, comm_dst, ...).
import { FairwayError } from '../core/errors.js';

export const CHAKRA_NODE_TYPES = ['INVALID_NODE', 'METADATA_NODE', 'MEM_LOAD_NODE', 'MEM_STORE_NODE', 'COMP_NODE', 'COMM_SEND_NODE', 'COMM_RECV_NODE', 'COMM_COLL_NODE'] as const;
/** CollectiveCommType in et_def.proto. */
export const CHAKRA_COLLECTIVES = ['ALL_REDUCE', 'REDUCE', 'ALL_GATHER', 'GATHER', 'SCATTER', 'BROADCAST', 'ALL_TO_ALL', 'REDUCE_SCATTER', 'REDUCE_SCATTER_BLOCK', 'BARRIER'] as const;

export interface ChakraNode {
  id: number;
  name: string;
  type: string;
  dataDeps: number[];
  ctrlDeps: number[];
  durationMicros: number;
  /** Scalar attributes: integers, floats, booleans (0/1) and strings. */
  attrs: Map<string, number | string>;
}

export interface ChakraTrace {
  version: string;
  nodes: ChakraNode[];
}

class Reader {
  pos = 0;
  constructor(
    readonly buf: Uint8Array,
    readonly end: number,
    readonly file: string,
  ) {}

  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) this.fail('truncated varint');
      const b = this.buf[this.pos++];
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 128;
    }
    return this.fail('varint longer than 10 bytes');
  }

  bytes(): Uint8Array {
    const len = this.varint();
    if (this.pos + len > this.end) this.fail('length runs past the end of the message');
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else this.fail(`unsupported wire type ${wire}`);
    if (this.pos > this.end) this.fail('a field runs past the end of its message');
  }

  fail(why: string): never {
    throw new FairwayError('E_INPUT', `${this.file}: not a Chakra trace (${why} at byte ${this.pos})`, [{ path: this.file, message: why }]);
  }
}

const text = new TextDecoder();

/** A repeated uint64: packed (one length-delimited run) or one value per key. */
function repeatedVarint(r: Reader, wire: number, into: number[]): void {
  if (wire !== 2) {
    into.push(r.varint());
    return;
  }
  const end = r.varint() + r.pos;
  while (r.pos < end) into.push(r.varint());
}

/** AttributeProto: name (1), doc_string (2), and one scalar value in whichever field is set. */
function readAttr(r: Reader, end: number, attrs: Map<string, number | string>): void {
  let name = '';
  let value: number | string = NaN;
  while (r.pos < end) {
    const key = r.varint();
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (field === 1 && wire === 2) name = text.decode(r.bytes());
    else if (field === 2 && wire === 2) r.bytes();
    else if (wire === 0) value = r.varint();
    else if (wire === 1) {
      if (r.pos + 8 > end) r.fail('a double runs past the end of its attribute');
      value = new DataView(r.buf.buffer, r.buf.byteOffset + r.pos, 8).getFloat64(0, true);
      r.pos += 8;
    } else if (wire === 5) {
      if (r.pos + 4 > end) r.fail('a float runs past the end of its attribute');
      value = new DataView(r.buf.buffer, r.buf.byteOffset + r.pos, 4).getFloat32(0, true);
      r.pos += 4;
    } else if (wire === 2) value = text.decode(r.bytes());
    else r.skip(wire);
  }
  r.pos = end;
  if (name) attrs.set(name, value);
}

function readNode(r: Reader, end: number): ChakraNode {
  const node: ChakraNode = { id: 0, name: '', type: 'INVALID_NODE', dataDeps: [], ctrlDeps: [], durationMicros: 0, attrs: new Map() };
  while (r.pos < end) {
    const key = r.varint();
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (field === 1 && wire === 0) node.id = r.varint();
    else if (field === 2 && wire === 2) node.name = text.decode(r.bytes());
    else if (field === 3 && wire === 0) node.type = CHAKRA_NODE_TYPES[r.varint()] ?? 'INVALID_NODE';
    else if (field === 4) repeatedVarint(r, wire, node.ctrlDeps);
    else if (field === 5) repeatedVarint(r, wire, node.dataDeps);
    else if (field === 7 && wire === 0) node.durationMicros = r.varint();
    else if (field === 10 && wire === 2) {
      const len = r.varint();
      readAttr(r, r.pos + len, node.attrs);
    } else r.skip(wire);
  }
  r.pos = end;
  return node;
}

/** Decodes one rank's .et file. */
export function parseChakraTrace(buf: Uint8Array, file: string): ChakraTrace {
  const r = new Reader(buf, buf.length, file);
  const nodes: ChakraNode[] = [];
  let version = '';
  let first = true;
  while (r.pos < buf.length) {
    const len = r.varint();
    const end = r.pos + len;
    if (end > buf.length) r.fail('message runs past the end of the file');
    if (first) {
      while (r.pos < end) {
        const key = r.varint();
        if (key === 0x0a) version = text.decode(r.bytes());
        else r.skip(key & 7);
      }
      first = false;
    } else nodes.push(readNode(r, end));
    r.pos = end;
  }
  if (first) r.fail('empty file');
  return { version, nodes };
}

/**
 * The collective a COMM_COLL_NODE names, in fairway/nccl-tests terms: Chakra's comm_size is
 * each rank's input, so an all-gather's nccl-tests size is ranks × comm_size.
 */
export function chakraCollective(node: ChakraNode, ranks: number, file: string): { op: 'all_reduce' | 'all_gather' | 'reduce_scatter' | 'alltoall' | 'broadcast' | 'reduce' | 'gather' | 'scatter'; bytes: number } {
  const type = CHAKRA_COLLECTIVES[Number(node.attrs.get('comm_type'))];
  const size = Number(node.attrs.get('comm_size') ?? (type === 'BARRIER' ? 0 : NaN));
  if (node.type !== 'COMM_COLL_NODE' || !(size >= 0))
    throw new FairwayError('E_INPUT', `${file}: node ${node.id} is not a collective with comm_type and comm_size`, [{ path: `${file}#${node.id}`, message: 'expected COMM_COLL_NODE' }]);
  switch (type) {
    case 'ALL_REDUCE':
      return { op: 'all_reduce', bytes: size };
    case 'ALL_GATHER':
      return { op: 'all_gather', bytes: size * ranks };
    case 'REDUCE_SCATTER':
    case 'REDUCE_SCATTER_BLOCK':
      return { op: 'reduce_scatter', bytes: size };
    case 'ALL_TO_ALL':
      return { op: 'alltoall', bytes: size };
    case 'BROADCAST':
      return { op: 'broadcast', bytes: size };
    case 'REDUCE':
      return { op: 'reduce', bytes: size };
    case 'GATHER':
      return { op: 'gather', bytes: size * ranks };
    case 'SCATTER':
      return { op: 'scatter', bytes: size };
    case 'BARRIER':
      // a barrier moves (almost) nothing: an all-reduce of one 4-byte word
      return { op: 'all_reduce', bytes: 4 };
    default:
      throw new FairwayError('E_INPUT', `${file}: node ${node.id} has an unknown comm_type ${String(node.attrs.get('comm_type'))}`, [{ path: `${file}#${node.id}`, message: `known: ${CHAKRA_COLLECTIVES.join(', ')}` }]);
  }
}
