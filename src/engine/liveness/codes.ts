/** Result codes of liveness transactions: the spec's FaceSDKResultCode names (generated enum). */
import { FaceSDKResultCode } from '../../api/generated/enums.ts';

export const LivenessCode = {
  OK: FaceSDKResultCode.FACER_OK,
  TRACK_BREAK: FaceSDKResultCode.FACER_TRACK_BREAK,
  TIMEOUT: FaceSDKResultCode.FACER_TIMEOUT_LIVENESS_TRANSACTION,
  FAILED: FaceSDKResultCode.FACER_FAILED_LIVENESS_TRANSACTION,
  ABORTED: FaceSDKResultCode.FACER_ABORTED_LIVENESS_TRANSACTION,
  PASSIVE_FAIL: FaceSDKResultCode.FACER_PASSIVE_LIVENESS_FAIL,
  GENERAL_ERROR: FaceSDKResultCode.FACER_GENERAL_ERROR,
} as const;

export type LivenessCodeValue = (typeof LivenessCode)[keyof typeof LivenessCode];

/** TransactionInfo.status: 0 = liveness confirmed, 1 = not. */
export const statusOf = (code: number): 0 | 1 => (code === LivenessCode.OK ? 0 : 1);
