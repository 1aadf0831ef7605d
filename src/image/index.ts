/** Platform-neutral image API. Decoders: `./decode-node.ts` (Node) and `./decode-browser.ts` (browser). */
export * from './types.ts';
export * from './errors.ts';
export { decodeBase64, encodedBytes } from './bytes.ts';
export { readImageHeader, readJpegOrientation, checkComplete } from './header.ts';
export { applyOrientation, orientationSwapsAxes } from './orientation.ts';
export { decodeBmp } from './bmp.ts';
export { decodeImageWith, rgbaFrom, isRgbaLike, checkPixelLimit, type PixelDecoder, type ImageInput } from './decode.ts';
export * from './geometry.ts';
export * from './sample.ts';
