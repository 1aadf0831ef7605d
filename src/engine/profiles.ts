/**
 * Engine profiles: a detector, a landmark model and an embedder chosen together, each with the
 * threshold and error rates measured for exactly that combination (src/engine/calibration-data.ts,
 * written by bench/accuracy.ts). Descriptors of different profiles live in different spaces: the
 * store keys them by embedder, so switching profile needs a reindex before search finds old faces.
 *
 * - 'accurate' (default): the combination with the fewest misses at FMR ≤ 1e-3.
 * - 'fast': the best single embedder that costs at most half of the accurate descriptor's time.
 * - 'compact': the best embedder whose files total ≤ 4 MB, with uint8 mesh weights, so the
 *   runtime, detector, landmarks and embedder of a first load fit in 8 MB (bench/first-load.ts).
 */
import type { Calibration } from './calibration.ts';
import type { EmbedderConfig } from './embedding.ts';
import { PROFILE_CALIBRATIONS } from './calibration-data.ts';

export const PROFILE_NAMES = ['accurate', 'fast', 'compact'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

export interface ProfileCalibration {
  /** How bench/accuracy.ts chose the embedder for this profile. */
  rule: string;
  pipeline: { detectorId: string; landmarksId: string; centralDetectorId?: string };
  embedders: EmbedderConfig[];
  calibration: Calibration;
}

export const DEFAULT_PROFILE: ProfileName = 'accurate';

export function isProfileName(value: unknown): value is ProfileName {
  return typeof value === 'string' && (PROFILE_NAMES as readonly string[]).includes(value);
}

/** The measured combination of a profile; throws for a profile that was never calibrated. */
export function profileCalibration(name: ProfileName): ProfileCalibration {
  if (!isProfileName(name)) throw new RangeError(`unknown engine profile '${String(name)}': expected ${PROFILE_NAMES.join(', ')}`);
  const p = PROFILE_CALIBRATIONS[name];
  if (!p) throw new RangeError(`engine profile '${name}' has no calibration: run \`npx tsx bench/accuracy.ts --write=${name}\``);
  return p;
}

/** Profiles that have a calibration, for listings and diagnostics. */
export function calibratedProfiles(): ProfileName[] {
  return PROFILE_NAMES.filter((n) => PROFILE_CALIBRATIONS[n] !== undefined);
}
