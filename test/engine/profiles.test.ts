/**
 * Engine profiles: every calibrated profile resolves to a complete configuration with its own
 * threshold, overrides replace single fields, and an unknown profile is refused by name.
 */
import { describe, it, expect } from 'vitest';
import { engineConfigFor } from '../../src/engine/face-engine.ts';
import { calibratedProfiles, isProfileName, profileCalibration, PROFILE_NAMES } from '../../src/engine/profiles.ts';

describe('engine profiles', () => {
  it('every profile is calibrated, with models and a threshold measured at FMR ≤ 1e-3', () => {
    expect(calibratedProfiles()).toEqual([...PROFILE_NAMES]);
    for (const name of PROFILE_NAMES) {
      const c = engineConfigFor(name);
      expect(c.profile).toBe(name);
      expect(c.embedders.length).toBeGreaterThan(0);
      expect(c.calibration.measured.falseMatchRate).toBeLessThanOrEqual(1e-3);
      expect(c.calibration).toBe(profileCalibration(name).calibration);
    }
    expect(new Set(PROFILE_NAMES.map((n) => engineConfigFor(n).calibration.threshold)).size).toBe(PROFILE_NAMES.length);
  });

  it('overrides replace single fields, including the profile itself', () => {
    expect(engineConfigFor('accurate', { minDetectionScore: 0.7 })).toMatchObject({ profile: 'accurate', minDetectionScore: 0.7 });
    expect(engineConfigFor('accurate', { profile: 'compact' }).landmarksId).toBe(profileCalibration('compact').pipeline.landmarksId);
  });

  it('refuses an unknown profile with its name in the message', () => {
    expect(isProfileName('turbo')).toBe(false);
    expect(isProfileName(3)).toBe(false);
    expect(() => engineConfigFor('turbo' as never)).toThrow(/unknown engine profile 'turbo': expected accurate, fast, compact/);
  });
});
