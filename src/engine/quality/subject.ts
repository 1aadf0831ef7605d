/**
 * One face under assessment: the inputs plus lazily computed, cached intermediate results
 * (face view, pose, iris, expressions, segmentation), so that only what the requested
 * characteristics need is computed and each model runs at most once per face.
 */
import type { Face } from '../face-engine.ts';
import type { ModelRunner } from '../model-runner.ts';
import type { RgbaImage } from '../../image/types.ts';
import { faceView, VIEW_SIZE, type FaceView } from './face-view.ts';
import { headPose, type HeadPose, pick, RIGHT_EYE_EAR, LEFT_EYE_EAR, eyeAspectRatio, eyeClosure } from './mesh.ts';
import { ageEstimate, expressionProbabilities, iris, personMask, type Expression, type IrisResult } from './models.ts';
import { skinModel, type SkinModel } from './occlusion.ts';
import { closureFromIrisOpening } from './eyes.ts';
import type { Segmented } from './background.ts';

export interface SubjectDeps {
  runner?: ModelRunner;
  /** All faces in the image (for OtherFaces when only the central face was detected). */
  allFaces?: () => Promise<Face[]>;
}

export class QualitySubject {
  private cache = new Map<string, unknown>();
  constructor(readonly image: RgbaImage, readonly face: Face, readonly deps: SubjectDeps, readonly backgroundMatchColor?: readonly number[]) {}

  private once<T>(key: string, make: () => T): T {
    if (!this.cache.has(key)) this.cache.set(key, make());
    return this.cache.get(key) as T;
  }

  get hasMesh(): boolean { return this.face.landmarksKind === '468' && this.face.points.length >= 468; }
  view(): FaceView { return this.once('view', () => faceView(this.image, this.face)); }
  pose(): HeadPose | undefined { return this.hasMesh ? this.once('pose', () => headPose(this.face.points)) : undefined; }

  /** Cheek band: the skin mask between the eye line and the mouth corners (least often covered). */
  cheeks(): Uint8Array {
    return this.once('cheeks', () => {
      const v = this.view(), band = v.skin.slice();
      const top = Math.max(v.mesh[33]!.y, v.mesh[263]!.y) + 8, bottom = Math.min(v.mesh[61]!.y, v.mesh[291]!.y);
      for (let i = 0; i < band.length; i++) { const y = Math.floor(i / VIEW_SIZE) + 0.5; if (y < top || y > bottom) band[i] = 0; }
      return band;
    });
  }
  /**
   * Brow band: the forehead strip just above the brows (16 px of the 64-px-eye-distance view), the
   * skin reference for the lower face, which a medical mask hides together with the cheeks.
   */
  browBand(): Uint8Array {
    return this.once('browBand', () => {
      const v = this.view(), band = v.forehead.slice();
      const browTop = Math.min(...[70, 63, 105, 66, 107, 300, 293, 334, 296, 336].map((i) => v.mesh[i]!.y));
      for (let i = 0; i < band.length; i++) { const y = Math.floor(i / VIEW_SIZE) + 0.5; if (y < browTop - 18) band[i] = 0; }
      return band;
    });
  }
  browSkin(): SkinModel | undefined { return this.once('browSkin', () => skinModel(this.view().rgba, this.browBand())); }
  /** Skin colour reference (median CIELAB of the cheek band). */
  skin(): SkinModel | undefined { return this.once('skin', () => skinModel(this.view().rgba, this.cheeks())); }
  /** Median luma of the cheek band. */
  skinLuma(): number | undefined {
    return this.once('skinLuma', () => {
      const g = this.view().grey, m = this.cheeks(), v: number[] = [];
      for (let i = 0; i < m.length; i++) if (m[i]) v.push(g[i]!);
      return v.length > 20 ? v.sort((a, b) => a - b)[v.length >> 1] : undefined;
    });
  }

  /** Per eye (subject's right = image left, mesh 33/133; left = mesh 362/263). */
  irises(): Promise<{ right?: IrisResult; left?: IrisResult }> {
    return this.once('iris', async () => {
      const r = this.deps.runner;
      if (!r || !this.hasMesh) return {};
      const p = this.face.points;
      const right = await iris(r, this.image, [p[33]!, p[133]!], true);
      const left = await iris(r, this.image, [p[362]!, p[263]!], false);
      return { ...(right ? { right } : {}), ...(left ? { left } : {}) };
    });
  }

  /** Eye closure 0..1 per eye: iris-net lid opening, else the mesh's eye aspect ratio. */
  async eyeClosure(side: 'right' | 'left'): Promise<number | undefined> {
    const i = (await this.irises())[side];
    if (i) return closureFromIrisOpening(i.opening);
    if (!this.hasMesh) return undefined;
    return eyeClosure(eyeAspectRatio(pick(this.face.points, side === 'right' ? RIGHT_EYE_EAR : LEFT_EYE_EAR)));
  }

  expressions(): Promise<Record<Expression, number> | undefined> {
    return this.once('expr', async () => (this.deps.runner ? expressionProbabilities(this.deps.runner, this.image, this.face) : undefined));
  }
  age(): Promise<number | undefined> {
    return this.once('age', async () => (this.deps.runner ? ageEstimate(this.deps.runner, this.image, this.face) : undefined));
  }
  segmentation(): Promise<Segmented | undefined> {
    return this.once('seg', async () => (this.deps.runner ? personMask(this.deps.runner, this.image) : undefined));
  }
  otherFaces(): Promise<number | undefined> {
    return this.once('others', async () => {
      if (!this.deps.allFaces) return undefined;
      const all = await this.deps.allFaces();
      // The face itself is among them: count the rest (an unmatched face would be an extra one).
      const c = { x: this.face.box.x + this.face.box.width / 2, y: this.face.box.y + this.face.box.height / 2 };
      const self = all.filter((f) => Math.abs(f.box.x + f.box.width / 2 - c.x) < this.face.box.width / 2 && Math.abs(f.box.y + f.box.height / 2 - c.y) < this.face.box.height / 2);
      return all.length - Math.min(1, self.length);
    });
  }
}
