/** The TF op → converter table. Every handler gets the converted inputs and returns the outputs. */
import type { Ctx, TVal } from '../context.ts';
import type { TfNode } from '../tfjs-model.ts';
import {
  tensorArrayRead, tensorArrayScatter, tensorArrayStack, tensorArrayWrite, whileExit,
} from '../control-flow.ts';
import { conv2d, conv2dTranspose, depthwise, pool } from './conv.ts';
import { nonMaxSuppression, padAny, unpack, whereOp } from './detection.ts';
import { addN, binary, cast, prelu, unary } from './elementwise.ts';
import { fill, gather, onesLike, range, stridedSliceEllipsis, tile, zerosLike } from './gather.ts';
import { matmul, reduce, softmax } from './math.ts';
import {
  concat, depthToSpace, expandDims, identityOp, pack, pad, reshape, resize, shapeOp, squeeze, stridedSlice, transpose,
} from './shape.ts';
import { atan2 } from './trig.ts';

export type OpHandler = (ctx: Ctx, node: TfNode, inputs: TVal[]) => TVal[];

const table: Record<string, OpHandler> = {
  Conv2D: conv2d, _FusedConv2D: conv2d,
  DepthwiseConv2dNative: depthwise, FusedDepthwiseConv2dNative: depthwise,
  Conv2DBackpropInput: conv2dTranspose,
  MaxPool: pool, AvgPool: pool,
  MatMul: matmul, _FusedMatMul: matmul, BatchMatMul: matmul, BatchMatMulV2: matmul,
  Mean: reduce, Sum: reduce, Max: reduce, Min: reduce, Prod: reduce,
  Softmax: softmax, LogSoftmax: softmax,
  Reshape: reshape, Squeeze: squeeze, ExpandDims: expandDims, ConcatV2: concat, Pack: pack, Shape: shapeOp,
  StridedSlice: stridedSlice, Pad: pad, PadV2: pad, Transpose: transpose, DepthToSpace: depthToSpace,
  ResizeBilinear: resize, ResizeNearestNeighbor: resize,
  Identity: identityOp, IdentityN: identityOp, StopGradient: identityOp, Snapshot: identityOp,
  AddN: addN, Prelu: prelu, Cast: cast,
};
for (const op of ['Add', 'AddV2', 'BiasAdd', 'Sub', 'Mul', 'RealDiv', 'Div', 'Maximum', 'Minimum', 'Pow',
  'Less', 'LessEqual', 'Greater', 'GreaterEqual', 'Equal', 'LogicalAnd', 'LogicalOr', 'FloorDiv']) table[op] = binary;
for (const op of ['Relu', 'Relu6', 'Elu', 'Selu', 'LeakyRelu', 'Sigmoid', 'Tanh', 'Abs', 'Neg', 'Exp', 'Log', 'Sqrt',
  'Rsqrt', 'Square', 'Floor', 'Ceil', 'Reciprocal', 'Sin', 'Cos', 'Softplus', 'Sign', 'Round', 'LogicalNot', 'Erf']) table[op] = unary;
Object.assign(table, {
  GatherV2: gather, Gather: gather, Range: range, Tile: tile, Fill: fill, ZerosLike: zerosLike, OnesLike: onesLike,
  StridedSlice: stridedSliceEllipsis, Atan2: atan2,
});
// Detector post-processing and the lowered map_fn loops (control-flow.ts).
Object.assign(table, {
  Pad: padAny, PadV2: padAny, Where: whereOp, NonMaxSuppressionV3: nonMaxSuppression, Unpack: unpack,
  _WhileExit: whileExit, _TensorArrayScatter: tensorArrayScatter, _TensorArrayRead: tensorArrayRead,
  _TensorArrayWrite: tensorArrayWrite, _TensorArrayStack: tensorArrayStack,
});

export const opTable: Readonly<Record<string, OpHandler>> = table;

/** TF ops this converter refuses on purpose (control flow, dynamic-size outputs). */
export const CONTROL_FLOW_OPS = new Set([
  'Enter', 'Exit', 'Merge', 'Switch', 'LoopCond', 'NextIteration', 'TensorArrayV3', 'TensorArrayScatterV3',
  'TensorArrayReadV3', 'TensorArrayWriteV3', 'TensorArrayGatherV3', 'TensorArraySizeV3', 'While', 'StatelessWhile',
  'If', 'StatelessIf', 'NonMaxSuppressionV5',
]);
