/**
 * The localface facade: one method per operation of the Regula Face SDK Web API 6.4, taking and
 * returning the spec's request and response objects, computed on this device.
 *
 * - Processing operations (match, detect, search's image part) answer the spec's response with
 *   its in-band `code`; they never throw for bad input.
 * - CRUD operations answer `{status, body}`: the HTTP status the spec gives and its body
 *   (`{statusCode, type, msg, metadata}` on errors), so a REST adapter maps them one to one.
 *
 * Platform entries build it: `createFaceSdk` (browser, src/index.ts) and `createNodeFaceSdk`
 * (Node, src/node.ts). `close()` releases workers, timers and the database.
 */
import type { ProcessingContext } from './api/context.ts';
import { match, type MatchReply } from './api/match.ts';
import { detect, type DetectExtensions, type DetectReply } from './api/detect.ts';
import { engineFaceEncoder } from './api/engine-encoder.ts';
import type { FaceEncoder } from './api/face-encoder.ts';
import * as persons from './api/persons.ts';
import * as groups from './api/groups.ts';
import { search, type SearchQuery } from './api/search.ts';
import type { PagingQuery } from './api/validate.ts';
import type { ApiResult } from './api/errors.ts';
import { errorBody } from './api/errors.ts';
import type { FaceStore, ImportOptions, ImportSummary } from './store/port.ts';
import { DescriptorIndexRegistry } from './store/index-registry.ts';
import { similarityOf } from './engine/calibration.ts';
import * as liveness from './api/liveness.ts';
import type { LivenessTransactionStore } from './liveness/transaction-store.ts';
import { matchAndSearch, type MatchAndSearchReply } from './api/match-and-search.ts';
import * as diagnostics from './api/diagnostics.ts';

export interface FaceSdkParts {
  processing: ProcessingContext;
  /** Persons, groups, images and descriptors; without one, those operations answer 500. */
  store?: FaceStore;
  /** Liveness transactions (own IndexedDB database); without one, GET/DELETE /api/v2/liveness answer 500. */
  livenessStore?: LivenessTransactionStore;
  detectExtensions?: DetectExtensions;
  /** Released by close(): the worker pool and anything else the platform entry opened. */
  onClose?: () => void;
  /** Loads (and warms) a model on every worker, e.g. InferencePool.loadModel; else ready() runs zeros through the engine's runner. */
  loadModel?: (modelId: string) => Promise<unknown>;
  /** The runtime's describe() (InferencePool or InferenceRuntime), for GET /api/readiness. */
  describeRuntime?: () => Promise<unknown>;
}

const NO_STORE = 'This localface instance was created without a store';

export class FaceSdk {
  readonly encoder: FaceEncoder;
  private readonly indexes: DescriptorIndexRegistry | undefined;
  private warming: Promise<void> | undefined;
  private loaded = false;

  constructor(private readonly parts: FaceSdkParts) {
    this.encoder = engineFaceEncoder(parts.processing);
    this.indexes = parts.store ? new DescriptorIndexRegistry(parts.store) : undefined;
  }

  get engine() { return this.parts.processing.engine; }

  /** POST /api/match */
  match(request: unknown): Promise<MatchReply> {
    return match(request, this.parts.processing);
  }

  /** POST /api/detect */
  detect(request: unknown): Promise<DetectReply> {
    return detect(request, this.parts.processing, this.parts.detectExtensions);
  }

  /** POST /api/match_and_search: descriptors once, then match and search. */
  matchAndSearch(request: unknown): Promise<MatchAndSearchReply> {
    const calibration = this.engine.config.calibration;
    return matchAndSearch(request, {
      processing: this.parts.processing,
      ...(this.parts.store ? { store: this.parts.store, indexes: this.indexes! } : {}),
      similarity: (d) => similarityOf(d, calibration), threshold: calibration.threshold,
    });
  }

  /** POST /api/search (200, or 201 when `createPerson` created one) */
  search(request: unknown, query?: SearchQuery): Promise<ApiResult<unknown>> {
    const calibration = this.engine.config.calibration;
    return this.withStore((store) => search({
      store, encoder: this.encoder, indexes: this.indexes!,
      similarity: (d) => similarityOf(d, calibration), defaultThreshold: calibration.threshold,
    }, request, query));
  }

  // Persons
  createPerson(request: unknown) { return this.withStore((store) => persons.createPerson(this.personsCtx(store), request)); }
  getPerson(personId: string) { return this.withStore((store) => persons.getPerson(this.personsCtx(store), personId)); }
  updatePerson(personId: string, request: unknown) { return this.withStore((store) => persons.updatePerson(this.personsCtx(store), personId, request)); }
  deletePerson(personId: string) { return this.withStore((store) => persons.deletePerson(this.personsCtx(store), personId)); }
  addImageToPerson(personId: string, request: unknown) { return this.withStore((store) => persons.addPersonImage(this.personsCtx(store), personId, request)); }
  getAllImagesByPersonId(personId: string, query?: PagingQuery) { return this.withStore((store) => persons.listPersonImages(this.personsCtx(store), personId, query)); }
  getImageOfPerson(personId: string, imageId: string) { return this.withStore((store) => persons.getPersonImage(this.personsCtx(store), personId, imageId)); }
  deleteImageOfPerson(personId: string, imageId: string) { return this.withStore((store) => persons.deletePersonImage(this.personsCtx(store), personId, imageId)); }
  getAllGroupsByPersonId(personId: string, query?: PagingQuery) { return this.withStore((store) => persons.listPersonGroups(this.personsCtx(store), personId, query)); }

  // Groups
  createGroup(request: unknown) { return this.withStore((store) => groups.createGroup({ store }, request)); }
  getAllGroups(query?: PagingQuery) { return this.withStore((store) => groups.listGroups({ store }, query)); }
  getGroup(groupId: string) { return this.withStore((store) => groups.getGroup({ store }, groupId)); }
  updateGroup(groupId: string, request: unknown) { return this.withStore((store) => groups.updateGroup({ store }, groupId, request)); }
  deleteGroup(groupId: string) { return this.withStore((store) => groups.deleteGroup({ store }, groupId)); }
  getAllPersonsByGroupId(groupId: string, query?: PagingQuery) { return this.withStore((store) => groups.listGroupPersons({ store }, groupId, query)); }
  updatePersonsInGroup(groupId: string, request: unknown) { return this.withStore((store) => groups.updateGroupPersons({ store }, groupId, request)); }

  // Gallery transfer (a localface extension, not a spec operation)
  /** The whole gallery as one file (format: src/store/transfer.ts); not encrypted. Throws without a store. */
  exportDatabase(): Promise<Uint8Array> {
    if (!this.parts.store) return Promise.reject(new Error(NO_STORE));
    return this.parts.store.exportDatabase();
  }
  /** Validates the whole file, then imports it all or nothing; search sees it at once. Throws DatabaseFileError / ImportConflictError. */
  importDatabase(file: Uint8Array, options?: ImportOptions): Promise<ImportSummary> {
    if (!this.parts.store) return Promise.reject(new Error(NO_STORE));
    return this.parts.store.importDatabase(file, options);
  }

  // Diagnostics
  /** Loads the default pipeline's models (detector, landmarks, embedders) once; readyz is 200 afterwards. */
  ready(): Promise<void> {
    this.warming ??= this.loadEngineModels().then(
      () => { this.loaded = true; },
      (error: unknown) => { this.warming = undefined; throw error; }, // a failed load may be retried
    );
    return this.warming;
  }
  get isReady(): boolean { return this.loaded; }
  /** GET /api/healthz */
  healthz() { return diagnostics.healthz(); }
  /** GET /api/readyz: 200 once ready() has finished, 400 before. */
  readyz() { return diagnostics.readyz(this.loaded); }
  /** GET /api/ping */
  ping() { return diagnostics.ping(); }
  /** GET /api/readiness (legacy): engine, backend per model, storage usage and quota. */
  async readiness() {
    const config = this.engine.config;
    return diagnostics.readiness({
      ready: this.loaded,
      engine: {
        profile: config.profile, detector: config.detectorId, landmarks: config.landmarksId,
        embedders: config.embedders.map((e) => e.modelId), embedder: this.engine.embedder.id, threshold: config.calibration.threshold,
      },
      // Workers busy compiling a model answer late: a probe should not wait for that.
      runtime: await diagnostics.within(3_000, this.parts.describeRuntime?.()),
      storage: await diagnostics.storageEstimate(),
    });
  }

  // Liveness (GET /api/v2/liveness, 7.x DELETE); transactions are made by src/liveness (startLiveness).
  get livenessStore(): LivenessTransactionStore | undefined { return this.parts.livenessStore; }
  getLivenessTransactionInfo(transactionId: string, options?: liveness.LivenessLinkOptions) {
    return this.withLiveness((store) => liveness.getLivenessTransaction(store, transactionId, options));
  }
  getLivenessMedia(transactionId: string, kind: string) { return this.withLiveness((store) => liveness.getLivenessMedia(store, transactionId, kind)); }
  deleteLivenessTransactions(query: liveness.LivenessDeleteQuery) { return this.withLiveness((store) => liveness.deleteLivenessTransactions(store, query)); }
  /** The REST router's signature (src/rest/router.ts). */
  deleteLivenessTransaction(transactionId: string, tag?: string) { return this.deleteLivenessTransactions({ transactionId, tag: tag ?? null }); }

  close(): void {
    this.parts.livenessStore?.close();
    this.indexes?.close();
    this.parts.store?.close();
    this.parts.onClose?.();
  }

  private async loadEngineModels(): Promise<void> {
    const config = this.engine.config;
    const ids = [...new Set([config.detectorId, config.landmarksId, ...config.embedders.map((e) => e.modelId)])];
    for (const id of ids) {
      if (this.parts.loadModel) { await this.parts.loadModel(id); continue; }
      const entry = this.engine.runner.model(id);
      if (!entry) throw new Error(`model ${id} is not in the manifest`);
      const feeds = Object.fromEntries(entry.inputs.map((input) => {
        const dims = input.shape.map((d) => Math.max(1, d));
        return [input.name, { data: new Float32Array(dims.reduce((a, b) => a * b, 1)), dims }];
      }));
      await this.engine.runner.run(id, feeds);
    }
  }

  private async withLiveness<T>(op: (store: LivenessTransactionStore) => Promise<ApiResult<T>>): Promise<ApiResult<T | ReturnType<typeof errorBody>['body']>> {
    if (!this.parts.livenessStore) return errorBody(500, 'This localface instance was created without a liveness store');
    return op(this.parts.livenessStore);
  }

  private personsCtx(store: FaceStore): persons.PersonsContext {
    return { store, encoder: this.encoder };
  }

  private async withStore<T>(op: (store: FaceStore) => Promise<ApiResult<T>>): Promise<ApiResult<T | ReturnType<typeof errorBody>['body']>> {
    if (!this.parts.store) return errorBody(500, NO_STORE);
    return op(this.parts.store);
  }
}
