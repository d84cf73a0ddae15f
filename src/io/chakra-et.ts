// Chakra execution traces (.et): a stream of protobuf messages, each prefixed by its length as
// a varint; the first is GlobalMetadata, the rest are Nodes (schema: mlcommons/chakra
// et_def.proto, package ChakraProtoMsg). Decoded with protobufjs from the subset of the schema
// declared below (fields this simulator reads; others are skipped by the decoder); each node
// keeps its id, name, type, data/control dependencies, duration and scalar attributes
// (comm_type, comm_size, comm_src, comm_dst, ...).
import protobuf from 'protobufjs';
import { FairwayError } from '../core/errors.js';

export const CHAKRA_NODE_TYPES = ['INVALID_NODE', 'METADATA_NODE', 'MEM_LOAD_NODE', 'MEM_STORE_NODE', 'COMP_NODE', 'COMM_SEND_NODE', 'COMM_RECV_NODE', 'COMM_COLL_NODE'] as const;
/** CollectiveCommType in et_def.proto. */
const CHAKRA_COLLECTIVES = ['ALL_REDUCE', 'REDUCE', 'ALL_GATHER', 'GATHER', 'SCATTER', 'BROADCAST', 'ALL_TO_ALL', 'REDUCE_SCATTER', 'REDUCE_SCATTER_BLOCK', 'BARRIER'] as const;

export interface ChakraNode {
  id: number;
  name: string;
  type: string;
  dataDeps: number[];
  ctrlDeps: number[];
  durationMicros: number;
  /** Scalar attributes: integers, floats, booleans (0/1) and strings; lists are recorded as NaN. */
  attrs: Map<string, number | string>;
}

export interface ChakraTrace {
  version: string;
  nodes: ChakraNode[];
}

/** The scalar value fields of AttributeProto's `value` oneof (field number → proto type). */
const SCALARS: [name: string, type: string, id: number][] = [
  ['double_val', 'double', 3], ['float_val', 'float', 5], ['int32_val', 'int32', 7], ['int64_val', 'int64', 9],
  ['uint32_val', 'uint32', 11], ['uint64_val', 'uint64', 13], ['sint32_val', 'sint32', 15], ['sint64_val', 'sint64', 17],
  ['fixed32_val', 'fixed32', 19], ['fixed64_val', 'fixed64', 21], ['sfixed32_val', 'sfixed32', 23], ['sfixed64_val', 'sfixed64', 25],
  ['bool_val', 'bool', 27], ['string_val', 'string', 29],
];
/** The list fields (even numbers 4 … 32): length-delimited messages, kept only as "a list". */
const LISTS: [name: string, id: number][] = [4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32].map((id) => [`list_${id}`, id]);

const root = protobuf.Root.fromJSON({
  nested: {
    ChakraProtoMsg: {
      nested: {
        AnyList: { fields: {} },
        AttributeProto: {
          oneofs: { value: { oneof: [...SCALARS.map(([n]) => n), ...LISTS.map(([n]) => n)] } },
          fields: {
            name: { type: 'string', id: 1 },
            ...Object.fromEntries(SCALARS.map(([n, type, id]) => [n, { type, id }])),
            ...Object.fromEntries(LISTS.map(([n, id]) => [n, { type: 'AnyList', id }])),
          },
        },
        GlobalMetadata: { fields: { version: { type: 'string', id: 1 }, attr: { rule: 'repeated', type: 'AttributeProto', id: 2 } } },
        Node: {
          fields: {
            id: { type: 'uint64', id: 1 },
            name: { type: 'string', id: 2 },
            type: { type: 'uint32', id: 3 },
            ctrl_deps: { rule: 'repeated', type: 'uint64', id: 4 },
            data_deps: { rule: 'repeated', type: 'uint64', id: 5 },
            duration_micros: { type: 'uint64', id: 7 },
            attr: { rule: 'repeated', type: 'AttributeProto', id: 10 },
          },
        },
      },
    },
  },
});
const GlobalMetadata = root.lookupType('ChakraProtoMsg.GlobalMetadata');
const NodeType = root.lookupType('ChakraProtoMsg.Node');

/** A uint64/int64 as a number (protobufjs gives numbers, or Long objects when long.js is around). */
const num = (v: unknown): number => (typeof v === 'number' ? v : v && typeof v === 'object' && 'toNumber' in v ? (v as { toNumber(): number }).toNumber() : Number(v ?? 0));

interface RawAttr {
  name?: string;
  value?: string;
  [field: string]: unknown;
}

function toNode(raw: Record<string, unknown>): ChakraNode {
  const attrs = new Map<string, number | string>();
  for (const a of (raw.attr as RawAttr[] | undefined) ?? []) {
    if (!a.name) continue;
    const field = a.value;
    const v = field ? a[field] : undefined;
    attrs.set(a.name, field?.startsWith('list_') || v === undefined ? NaN : typeof v === 'boolean' ? (v ? 1 : 0) : typeof v === 'string' ? v : num(v));
  }
  return {
    id: num(raw.id),
    name: (raw.name as string | undefined) ?? '',
    type: CHAKRA_NODE_TYPES[num(raw.type)] ?? 'INVALID_NODE',
    ctrlDeps: ((raw.ctrl_deps as unknown[] | undefined) ?? []).map(num),
    dataDeps: ((raw.data_deps as unknown[] | undefined) ?? []).map(num),
    durationMicros: num(raw.duration_micros),
    attrs,
  };
}

/** Decodes one rank's .et file. */
export function parseChakraTrace(buf: Uint8Array, file: string): ChakraTrace {
  const reader = protobuf.Reader.create(buf);
  const nodes: ChakraNode[] = [];
  let version = '';
  try {
    if (buf.length === 0) throw new Error('empty file');
    const meta = GlobalMetadata.toObject(GlobalMetadata.decodeDelimited(reader), { defaults: false }) as { version?: string };
    version = meta.version ?? '';
    while (reader.pos < reader.len) nodes.push(toNode(NodeType.toObject(NodeType.decodeDelimited(reader), { oneofs: true })));
  } catch (e) {
    const why = (e as Error).message;
    throw new FairwayError('E_INPUT', `${file}: not a Chakra trace (${why} at byte ${reader.pos})`, [{ path: file, message: why }]);
  }
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
