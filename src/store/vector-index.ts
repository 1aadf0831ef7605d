/**
 * DescriptorIndex: the descriptors of one embedder in one contiguous Float32Array (row-major,
 * capacity doubling), with image and person ids beside it, and an exact or int8-shortlisted
 * top-k scan by distance.
 *
 * Scan cost dominates search, so the rows live in WebAssembly memory where the SIMD kernels of
 * simd-kernels.ts can read them; without WebAssembly SIMD (or beyond 4 GiB) the same layout is
 * scanned by an unrolled JavaScript loop.
 */
import { MAX_WASM_BYTES, createScanKernels, type ScanKernels } from './simd-kernels.ts';

/** Distance between two L2-normalised descriptors, expressed through their dot product. */
export interface DescriptorDistance {
  /** Must not increase as `dot` grows, so the largest dots are the nearest neighbours. */
  fromDot(dot: number): number;
}

/** 1 − cos θ: 0 for identical directions, 1 for orthogonal, 2 for opposite. */
export const cosineDistance: DescriptorDistance = { fromDot: (dot) => 1 - dot };

export interface Neighbour {
  imageId: string;
  personId: string;
  distance: number;
}

export interface DescriptorIndexOptions {
  distance?: DescriptorDistance;
  /** Rows to reserve up front (the lazy loader knows the count). Default 1024. */
  initialCapacity?: number;
  /**
   * Shortlist with int8 codes and re-rank exactly: `auto` (default) from QUANTISE_FROM_ROWS rows
   * on when the SIMD kernels are available, where it measurably helps (see bench/search.ts).
   */
  quantise?: 'auto' | boolean;
  /** Use the SIMD kernels when available. Default true; false forces the JavaScript loops. */
  simd?: boolean;
}

export interface SearchOptions {
  /** How many neighbours at most. */
  k: number;
  /** Neighbours farther than this are dropped. Default: no limit. */
  maxDistance?: number;
  /** Only rows of these persons. A small set is scanned row by row instead of the whole index. */
  onlyPersons?: ReadonlySet<string>;
  /** Never rows of these persons. */
  excludePersons?: ReadonlySet<string>;
  /** Overrides the index's `quantise` choice for this query (benchmarks, diagnostics). */
  scan?: 'exact' | 'int8';
}

/** From this many rows the int8 shortlist beats the exact float scan (bench/search.ts). */
export const QUANTISE_FROM_ROWS = 20_000;
/** Exactly re-ranked candidates per requested neighbour when shortlisting with int8 codes. */
const SHORTLIST_FACTOR = 8;
const SHORTLIST_MIN = 128;
/** Persons-to-rows ratio under which a person filter scores its own rows instead of scanning. */
const SUBSET_SCAN_RATIO = 32;

export class DescriptorIndex {
  readonly dimension: number;
  private readonly distance: DescriptorDistance;
  private readonly quantiseMode: 'auto' | boolean;
  private readonly useSimd: boolean;

  private rows = 0;
  private capacity = 0;
  private imageIds: string[] = [];
  private personIds: string[] = [];
  private readonly rowOfImage = new Map<string, number>();
  private readonly rowsOfPerson = new Map<string, number[]>();

  // Storage: one buffer laid out as [query f32 | query i8 | scores | code scales | vectors f32 |
  // codes i8], so one kernel call reaches everything by offset.
  private kernels: ScanKernels | null = null;
  private buffer: ArrayBuffer = new ArrayBuffer(0);
  private queryOffset = 0;
  private queryCodesOffset = 0;
  private scoresOffset = 0;
  private vectorsOffset = 0;
  private codesOffset = 0;
  private scalesOffset = 0;
  private vectors = new Float32Array(0);
  private codes = new Int8Array(0);
  /** Per row: 1 / (127 / max|component|), turning an int8 dot back into a float dot. */
  private codeScales = new Float32Array(0);

  constructor(dimension: number, options: DescriptorIndexOptions = {}) {
    if (!Number.isInteger(dimension) || dimension <= 0) throw new RangeError(`Bad descriptor dimension ${dimension}`);
    this.dimension = dimension;
    this.distance = options.distance ?? cosineDistance;
    this.quantiseMode = options.quantise ?? 'auto';
    this.useSimd = options.simd ?? true;
    this.allocate(Math.max(16, options.initialCapacity ?? 1024));
  }

  get size(): number {
    return this.rows;
  }

  /** Whether scans run in WebAssembly SIMD (false: JavaScript loops). */
  get simd(): boolean {
    return this.kernels !== null;
  }

  has(imageId: string): boolean {
    return this.rowOfImage.has(imageId);
  }

  /** Adds the descriptor of an image, or replaces it if the image is already indexed. */
  add(imageId: string, personId: string, vector: Float32Array): void {
    if (vector.length !== this.dimension) {
      throw new RangeError(`Descriptor has ${vector.length} values, index has ${this.dimension}`);
    }
    let row = this.rowOfImage.get(imageId);
    if (row !== undefined && this.personIds[row] !== personId) {
      this.remove(imageId);
      row = undefined;
    }
    if (row === undefined) {
      if (this.rows === this.capacity) this.allocate(this.capacity * 2);
      row = this.rows++;
      this.assignRow(row, imageId, personId);
    }
    this.writeRow(row, vector);
  }

  /**
   * Appends a block of descriptors (`vectors` holds imageIds.length × dimension floats): one copy
   * and one quantise call for the whole block, the fast path for loading an index. Falls back to
   * add() per row when an image is already indexed or appears twice.
   */
  addMany(imageIds: readonly string[], personIds: readonly string[], vectors: Float32Array): void {
    const dim = this.dimension;
    const n = imageIds.length;
    if (personIds.length !== n || vectors.length !== n * dim) {
      throw new RangeError(`Block of ${n} images has ${personIds.length} persons and ${vectors.length} values; index has ${dim} per row`);
    }
    if (new Set(imageIds).size !== n || imageIds.some((id) => this.rowOfImage.has(id))) {
      for (let i = 0; i < n; i++) this.add(imageIds[i]!, personIds[i]!, vectors.subarray(i * dim, (i + 1) * dim));
      return;
    }
    if (this.rows + n > this.capacity) this.allocate(Math.max(this.capacity * 2, this.rows + n));
    const first = this.rows;
    this.vectors.set(vectors, first * dim);
    if (this.kernels && dim % 16 === 0) {
      if (n > 0) this.kernels.quantise(this.vectorsOffset + first * dim * 4, this.codesOffset + first * dim, n, dim, this.scalesOffset + first * 4);
    } else {
      for (let i = 0; i < n; i++) this.codeScales[first + i] = quantise(vectors.subarray(i * dim, (i + 1) * dim), this.codes, (first + i) * dim);
    }
    for (let i = 0; i < n; i++) this.assignRow(first + i, imageIds[i]!, personIds[i]!);
    this.rows += n;
  }

  /** Records which image and person a row holds (the vector is written separately). */
  private assignRow(row: number, imageId: string, personId: string): void {
    this.imageIds[row] = imageId;
    this.personIds[row] = personId;
    this.rowOfImage.set(imageId, row);
    const personRows = this.rowsOfPerson.get(personId);
    if (personRows) personRows.push(row);
    else this.rowsOfPerson.set(personId, [row]);
  }

  /** Removes an image's descriptor; the last row moves into its place. */
  remove(imageId: string): boolean {
    const row = this.rowOfImage.get(imageId);
    if (row === undefined) return false;
    const personId = this.personIds[row]!;
    this.rowOfImage.delete(imageId);
    this.dropPersonRow(personId, row);
    const last = --this.rows;
    if (row !== last) {
      const movedImage = this.imageIds[last]!;
      const movedPerson = this.personIds[last]!;
      const dim = this.dimension;
      this.vectors.copyWithin(row * dim, last * dim, last * dim + dim);
      this.codes.copyWithin(row * dim, last * dim, last * dim + dim);
      this.codeScales[row] = this.codeScales[last]!;
      this.imageIds[row] = movedImage;
      this.personIds[row] = movedPerson;
      this.rowOfImage.set(movedImage, row);
      const movedRows = this.rowsOfPerson.get(movedPerson)!;
      movedRows[movedRows.indexOf(last)] = row;
    }
    this.imageIds.length = last;
    this.personIds.length = last;
    return true;
  }

  /** Removes every descriptor of a person. */
  removePerson(personId: string): number {
    const rows = this.rowsOfPerson.get(personId);
    if (!rows) return 0;
    const images = rows.map((row) => this.imageIds[row]!);
    for (const imageId of images) this.remove(imageId);
    return images.length;
  }

  /** The stored descriptor of an image (a copy), if indexed. */
  vectorOf(imageId: string): Float32Array | undefined {
    const row = this.rowOfImage.get(imageId);
    if (row === undefined) return undefined;
    return this.vectors.slice(row * this.dimension, (row + 1) * this.dimension);
  }

  /** The `k` nearest descriptors by increasing distance. */
  search(query: Float32Array, options: SearchOptions): Neighbour[] {
    if (query.length !== this.dimension) {
      throw new RangeError(`Query has ${query.length} values, index has ${this.dimension}`);
    }
    const k = Math.floor(options.k);
    if (k <= 0 || this.rows === 0) return [];
    const exclude = options.excludePersons;
    const only = options.onlyPersons;

    let candidates: Int32Array;
    // A small person set (a group of a few hundred in a large index) is cheaper to score row by
    // row than to scan everything; a large one is filtered during the full scan instead.
    if (only && only.size * SUBSET_SCAN_RATIO < this.rows) {
      candidates = this.subsetRows(only, exclude);
    } else {
      const accept = only || exclude
        ? (row: number): boolean => {
            const person = this.personIds[row]!;
            return (!only || only.has(person)) && !(exclude?.has(person) ?? false);
          }
        : null;
      const quantised = options.scan !== undefined
        ? options.scan === 'int8'
        : this.quantiseMode === true || (this.quantiseMode === 'auto' && this.kernels !== null && this.rows >= QUANTISE_FROM_ROWS);
      const scores = quantised ? this.approximateScores(query) : this.exactScores(query);
      const want = quantised ? Math.max(k * SHORTLIST_FACTOR, SHORTLIST_MIN) : k;
      candidates = topRows(scores, this.rows, want, accept);
    }

    const neighbours: Neighbour[] = [];
    const maxDistance = options.maxDistance ?? Number.POSITIVE_INFINITY;
    for (const row of candidates) {
      const distance = this.distance.fromDot(this.exactDot(query, row));
      if (distance <= maxDistance) {
        neighbours.push({ imageId: this.imageIds[row]!, personId: this.personIds[row]!, distance });
      }
    }
    neighbours.sort((a, b) => a.distance - b.distance || compareIds(a.imageId, b.imageId));
    return neighbours.length > k ? neighbours.slice(0, k) : neighbours;
  }

  // ---------------------------------------------------------------- scoring

  /** Float dot of the query with every row (scores region). */
  private exactScores(query: Float32Array): Float32Array {
    const scores = new Float32Array(this.buffer, this.scoresOffset, this.rows);
    const dim = this.dimension;
    if (this.kernels && dim % 8 === 0) {
      new Float32Array(this.buffer, this.queryOffset, dim).set(query);
      this.kernels.dotF32(this.queryOffset, this.vectorsOffset, this.rows, dim, this.scoresOffset);
      return scores;
    }
    const vectors = this.vectors;
    for (let row = 0, base = 0; row < this.rows; row++, base += dim) {
      scores[row] = dotAt(query, vectors, base, dim);
    }
    return scores;
  }

  /** Approximate float dots from int8 codes: the int dot times both scales. */
  private approximateScores(query: Float32Array): Float32Array {
    const dim = this.dimension;
    const queryCodes = new Int8Array(this.buffer, this.queryCodesOffset, dim);
    const queryScale = quantise(query, queryCodes);
    const scores = new Float32Array(this.buffer, this.scoresOffset, this.rows);
    const scales = this.codeScales;
    if (this.kernels && dim % 16 === 0) {
      this.kernels.dotI8(this.queryCodesOffset, this.codesOffset, this.rows, dim, this.scoresOffset);
      const ints = new Int32Array(this.buffer, this.scoresOffset, this.rows);
      for (let row = 0; row < this.rows; row++) scores[row] = ints[row]! * scales[row]! * queryScale;
      return scores;
    }
    const codes = this.codes;
    for (let row = 0, base = 0; row < this.rows; row++, base += dim) {
      let sum = 0;
      for (let j = 0; j < dim; j++) sum += queryCodes[j]! * codes[base + j]!;
      scores[row] = sum * scales[row]! * queryScale;
    }
    return scores;
  }

  private exactDot(query: Float32Array, row: number): number {
    return dotAt(query, this.vectors, row * this.dimension, this.dimension);
  }

  private subsetRows(persons: ReadonlySet<string>, exclude: ReadonlySet<string> | undefined): Int32Array {
    const rows: number[] = [];
    for (const person of persons) {
      if (exclude?.has(person)) continue;
      const personRows = this.rowsOfPerson.get(person);
      if (personRows) rows.push(...personRows);
    }
    return Int32Array.from(rows);
  }

  // ---------------------------------------------------------------- storage

  private writeRow(row: number, vector: Float32Array): void {
    const dim = this.dimension;
    this.vectors.set(vector, row * dim);
    if (this.kernels && dim % 16 === 0) {
      this.kernels.quantise(this.vectorsOffset + row * dim * 4, this.codesOffset + row * dim, 1, dim, this.scalesOffset + row * 4);
    } else {
      this.codeScales[row] = quantise(vector, this.codes, row * dim);
    }
  }

  private dropPersonRow(personId: string, row: number): void {
    const rows = this.rowsOfPerson.get(personId)!;
    const at = rows.indexOf(row);
    rows[at] = rows[rows.length - 1]!;
    rows.pop();
    if (rows.length === 0) this.rowsOfPerson.delete(personId);
  }

  /** (Re)allocates for `capacity` rows and copies the live rows over. */
  private allocate(capacity: number): void {
    const dim = this.dimension;
    const align = (n: number): number => Math.ceil(n / 16) * 16;
    const queryOffset = 0;
    const queryCodesOffset = align(dim * 4);
    const scoresOffset = align(queryCodesOffset + dim);
    const scalesOffset = align(scoresOffset + capacity * 4);
    const vectorsOffset = align(scalesOffset + capacity * 4);
    const codesOffset = align(vectorsOffset + capacity * dim * 4);
    const bytes = align(codesOffset + capacity * dim);

    const kernels = this.useSimd && bytes <= MAX_WASM_BYTES ? createScanKernels(bytes) : null;
    const buffer = kernels ? kernels.memory.buffer : new ArrayBuffer(bytes);
    const vectors = new Float32Array(buffer, vectorsOffset, capacity * dim);
    const codes = new Int8Array(buffer, codesOffset, capacity * dim);
    vectors.set(this.vectors.subarray(0, this.rows * dim));
    codes.set(this.codes.subarray(0, this.rows * dim));
    const codeScales = new Float32Array(buffer, scalesOffset, capacity);
    codeScales.set(this.codeScales.subarray(0, this.rows));

    this.kernels = kernels;
    this.buffer = buffer;
    this.queryOffset = queryOffset;
    this.queryCodesOffset = queryCodesOffset;
    this.scoresOffset = scoresOffset;
    this.vectorsOffset = vectorsOffset;
    this.codesOffset = codesOffset;
    this.scalesOffset = scalesOffset;
    this.vectors = vectors;
    this.codes = codes;
    this.codeScales = codeScales;
    this.capacity = capacity;
  }
}

/** Dot product of `query` with `data[base .. base+dim)`, four accumulators for the JIT. */
function dotAt(query: Float32Array, data: Float32Array, base: number, dim: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let j = 0;
  for (; j + 3 < dim; j += 4) {
    s0 += query[j]! * data[base + j]!;
    s1 += query[j + 1]! * data[base + j + 1]!;
    s2 += query[j + 2]! * data[base + j + 2]!;
    s3 += query[j + 3]! * data[base + j + 3]!;
  }
  for (; j < dim; j++) s0 += query[j]! * data[base + j]!;
  return s0 + s1 + s2 + s3;
}

/**
 * Symmetric int8 codes of `vector` written at `codes[offset..]`, scaled to its largest component;
 * returns the factor back to floats. Hand-inlined abs/round: this runs once per stored row.
 */
function quantise(vector: Float32Array, codes: Int8Array, offset = 0): number {
  const dim = vector.length;
  let maxAbs = 0;
  for (let j = 0; j < dim; j++) {
    const x = vector[j]!;
    const a = x < 0 ? -x : x;
    if (a > maxAbs) maxAbs = a;
  }
  if (maxAbs === 0) {
    codes.fill(0, offset, offset + dim);
    return 0;
  }
  const scale = 127 / maxAbs;
  for (let j = 0; j < dim; j++) {
    const y = vector[j]! * scale;
    codes[offset + j] = y < 0 ? (y - 0.5) | 0 : (y + 0.5) | 0;
  }
  return 1 / scale;
}

/**
 * Rows of the `want` largest scores (unordered), skipping rows `accept` refuses: a binary min-heap
 * kept in typed arrays, so most rows cost one comparison with the heap's smallest score.
 */
function topRows(scores: Float32Array, rows: number, want: number, accept: ((row: number) => boolean) | null): Int32Array {
  const size = Math.min(want, rows);
  const heapScores = new Float32Array(size);
  const heapRows = new Int32Array(size);
  let filled = 0;
  for (let row = 0; row < rows; row++) {
    const score = scores[row]!;
    if (filled === size && score <= heapScores[0]!) continue;
    if (accept && !accept(row)) continue;
    if (filled < size) {
      // Sift up.
      let i = filled++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (heapScores[parent]! <= score) break;
        heapScores[i] = heapScores[parent]!;
        heapRows[i] = heapRows[parent]!;
        i = parent;
      }
      heapScores[i] = score;
      heapRows[i] = row;
    } else {
      // Replace the root and sift down.
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= size) break;
        const right = left + 1;
        const child = right < size && heapScores[right]! < heapScores[left]! ? right : left;
        if (heapScores[child]! >= score) break;
        heapScores[i] = heapScores[child]!;
        heapRows[i] = heapRows[child]!;
        i = child;
      }
      heapScores[i] = score;
      heapRows[i] = row;
    }
  }
  return heapRows.subarray(0, filled);
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
