/**
 * Atan2. ONNX (opset 17) has no Atan2, so it is composed from Atan, Div and Where with the
 * quadrant rules of C atan2 / Math.atan2 (which tfjs uses):
 *   base = atan(y / x)                      (x = ±0, y ≠ 0 gives ±inf → ±π/2)
 *   base = 0           where x = 0 and y = 0
 *   r    = base ± π    where x < 0 or x = −0 (+π when y ≥ +0, −π when y < 0 or y = −0)
 *   out  = |r| · (−1 where y < 0 or y = −0, else 1)   (the result always has the sign of y)
 * The sign of a zero is read through 1/v (−0 → −inf). Both operands infinite: they are replaced
 * by their signs first, so atan2(±inf, ±inf) = ±π/4 or ±3π/4. NaN in either operand gives NaN.
 */
import { ConvertError, type Ctx, type TVal } from '../context.ts';
import type { TfNode } from '../tfjs-model.ts';
import { unify } from './elementwise.ts';

/** Emit atan2(y, x) for two float tensors of broadcastable shapes; returns the output name. */
export function emitAtan2(ctx: Ctx, y: string, x: string, name?: string): string {
  const f = (v: number, base: string): string => ctx.b.addFloat32(base, [v], []);
  const zero = f(0, 'zero');
  const bothInf = ctx.op('And', [ctx.op('IsInf', [x]), ctx.op('IsInf', [y])]);
  const x1 = ctx.op('Where', [bothInf, ctx.op('Sign', [x]), x]);
  const y1 = ctx.op('Where', [bothInf, ctx.op('Sign', [y]), y]);
  const q = ctx.op('Atan', [ctx.op('Div', [y1, x1])]);
  const bothZero = ctx.op('And', [ctx.op('Equal', [x1, zero]), ctx.op('Equal', [y1, zero])]);
  const base = ctx.op('Where', [bothZero, zero, q]);
  // v < 0, or v = −0 (1/−0 = −inf); the first test covers −inf, whose reciprocal is −0
  const negative = (v: string): string => ctx.op('Or', [ctx.op('Less', [v, zero]), ctx.op('Less', [ctx.op('Reciprocal', [v]), zero])]);
  const negX = negative(x1);
  const negY = negative(y1);
  const shifted = ctx.op('Add', [base, ctx.op('Where', [negY, f(-Math.PI, 'minus_pi'), f(Math.PI, 'pi')])]);
  const r = ctx.op('Where', [negX, shifted, base]);
  // The result has the sign of y, zeros included. ORT's Where turns −0 into +0, so the sign is
  // applied by a multiplication.
  const sign = ctx.op('Where', [negY, f(-1, 'minus_one'), f(1, 'one')]);
  return ctx.op('Mul', [ctx.op('Abs', [r]), sign], {}, name);
}

export function atan2(ctx: Ctx, node: TfNode, [y, x]: TVal[]): TVal[] {
  if (!y || !x) throw new ConvertError(node, 'needs y and x');
  if (y.dtype !== 'float32' || x.dtype !== 'float32') throw new ConvertError(node, 'only float inputs');
  const { names, perm, shape } = unify(ctx, [y, x]);
  return [{ dtype: 'float32', shape, perm, name: emitAtan2(ctx, names[0]!, names[1]!, node.name) }];
}
