/**
 * The DetectExtensions that fill `quality` and `attributes` of each detection from
 * src/engine/quality. One subject per (image, face) caches what the measures share, so quality
 * and attributes of one detection run each model at most once, and a request runs only the
 * models its characteristics need.
 */
import type { DetectExtensions } from './detect.ts';
import type { FaceEngine, Face } from '../engine/face-engine.ts';
import type { RgbaImage } from '../image/types.ts';
import { QualitySubject } from '../engine/quality/subject.ts';
import { assessQuality, requestedCharacteristics } from '../engine/quality/assess.ts';
import { assessAttributes, requestedAttributes } from '../engine/quality/attributes.ts';

export function qualityExtensions(engine: FaceEngine): DetectExtensions {
  // One subject per (image, face) so quality and attributes of one detection share models' results.
  const subjects = new WeakMap<RgbaImage, WeakMap<Face, QualitySubject>>();
  const allFaces = new WeakMap<RgbaImage, Promise<Face[]>>();
  const subjectOf = (image: RgbaImage, face: Face, all: Face[] | undefined, color?: readonly number[]) => {
    let perImage = subjects.get(image);
    if (!perImage) subjects.set(image, (perImage = new WeakMap()));
    let s = perImage.get(face);
    if (!s) {
      s = new QualitySubject(image, face, {
        runner: engine.runner,
        // Detect found every face unless it was asked for the central one only; then look again.
        allFaces: () => {
          if (all) return Promise.resolve(all);
          let p = allFaces.get(image);
          if (!p) allFaces.set(image, (p = engine.findFaces(image, { all: true })));
          return p;
        },
      }, color);
      perImage.set(face, s);
    }
    return s;
  };
  return {
    async quality(image, face, all, param) {
      const subject = subjectOf(image, face, all, param.quality?.backgroundMatchColor);
      return assessQuality(subject, requestedCharacteristics(param.scenario, param.quality));
    },
    async attributes(image, face, param) {
      const subject = subjectOf(image, face, undefined);
      return assessAttributes(subject, requestedAttributes(param.attributes?.config));
    },
  };
}
