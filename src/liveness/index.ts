/** Liveness on the device: capture (startLiveness, <localface-liveness>), transactions, store. */
export { startLiveness, type StartLivenessOptions, type LivenessSession } from './capture.ts';
export { defineLivenessElement, LIVENESS_ELEMENT_NAME } from './element.ts';
export { IndexedDbLivenessStore, LIVENESS_DB_NAME, type LivenessTransactionStore } from './transaction-store.ts';
export { isValidTag, sessionTag, transactionKey, LIVENESS_ACTIVE, LIVENESS_PASSIVE, type TransactionInfo, type LivenessTransaction } from './transaction.ts';
export { LivenessCode } from '../engine/liveness/codes.ts';
export { randomChallenge, type ChallengeStep } from '../engine/liveness/challenge.ts';
