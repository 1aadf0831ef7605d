/**
 * The FaceEncoder that persons and search use, over the face engine: decode, most central face,
 * descriptor. `resizeOptions` recompress the image first (spec NOTES: the descriptor then comes
 * from the recompressed image, which is also what gets stored).
 */
import type { FaceEncoder, FaceEncodeOptions, FaceEncoding } from './face-encoder.ts';
import type { ProcessingContext } from './context.ts';
import { FaceSDKResultCode } from './generated/enums.ts';
import { faceGeometry } from './crops.ts';
import { messageOf, resultCodeOf } from './result-codes.ts';
import { resizeImage } from '../image/sample.ts';

export function engineFaceEncoder(ctx: ProcessingContext): FaceEncoder {
  return {
    async encode(bytes: Uint8Array, options: FaceEncodeOptions = {}): Promise<FaceEncoding> {
      try {
        let image = await ctx.decodeImage(bytes.slice());
        let recompressed: { bytes: Uint8Array; contentType: string } | undefined;
        const resize = options.resize;
        if (resize && (resize.width || resize.height || resize.quality)) {
          // Keep the aspect: the given side(s) bound the image; never enlarge.
          const k = Math.min(1, resize.width ? resize.width / image.width : Infinity, resize.height ? resize.height / image.height : Infinity);
          const scale = Number.isFinite(k) ? k : 1;
          if (scale < 1) image = resizeImage(image, Math.max(1, Math.round(image.width * scale)), Math.max(1, Math.round(image.height * scale)));
          const quality = resize.quality ? Math.min(100, Math.max(1, resize.quality)) / 100 : 0.92;
          recompressed = { bytes: await ctx.encoder.jpeg(image, quality), contentType: 'image/jpeg' };
        }
        const [face] = await ctx.engine.findFaces(image, { all: false });
        if (!face) return { ok: false, code: FaceSDKResultCode.FR_FACE_NOT_DETECTED, message: 'No face detected' };
        const descriptor = await ctx.engine.describe(image, face);
        const { roi, landmarks } = faceGeometry(face);
        return { ok: true, descriptor, embedder: ctx.engine.embedder.id, detection: { roi, landmarks }, ...(recompressed ? { image: recompressed } : {}) };
      } catch (error) {
        return { ok: false, code: resultCodeOf(error), message: messageOf(error) };
      }
    },
  };
}
