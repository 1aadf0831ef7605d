import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { DescriptorIndex, cosineDistance, type Neighbour } from '../../src/store/vector-index.ts';
import { createScanKernels, scanModuleBytes } from '../../src/store/simd-kernels.ts';
import { DescriptorIndexRegistry } from '../../src/store/index-registry.ts';
import { IndexedDbFaceStore } from '../../src/store/idb-store.ts';
import { seededRandom } from '../helpers/random.ts';

function unitVector(random: () => number, dim: number): Float32Array {
  const v = new Float32Array(dim);
  let norm = 0;
  for (let i = 0; i < dim; i++) {
    v[i] = random() * 2 - 1;
    norm += v[i]! * v[i]!;
  }
  return v.map((x) => x / Math.sqrt(norm));
}
function noisyCopy(random: () => number, v: Float32Array, noise: number): Float32Array {
  const out = v.map((x) => x + (random() * 2 - 1) * noise);
  const norm = Math.hypot(...out);
  return out.map((x) => x / norm);
}

interface Row { imageId: string; personId: string; vector: Float32Array }
function bruteForce(rows: Row[], query: Float32Array, k: number, accept: (p: string) => boolean = () => true, maxDistance = Infinity): Neighbour[] {
  return rows
    .filter((r) => accept(r.personId))
    .map((r) => {
      let dot = 0;
      for (let i = 0; i < query.length; i++) dot += query[i]! * r.vector[i]!;
      return { imageId: r.imageId, personId: r.personId, distance: cosineDistance.fromDot(dot) };
    })
    .filter((n) => n.distance <= maxDistance)
    .sort((a, b) => a.distance - b.distance || (a.imageId < b.imageId ? -1 : 1))
    .slice(0, k);
}
function makeRows(random: () => number, count: number, dim: number, imagesPerPerson = 2): Row[] {
  return Array.from({ length: count }, (_, i) => ({
    imageId: `img-${String(i).padStart(6, '0')}`,
    personId: `person-${Math.floor(i / imagesPerPerson)}`,
    vector: unitVector(random, dim),
  }));
}
function expectSameNeighbours(actual: Neighbour[], expected: Neighbour[]): void {
  expect(actual.map((n) => n.imageId)).toEqual(expected.map((n) => n.imageId));
  actual.forEach((n, i) => expect(n.distance).toBeCloseTo(expected[i]!.distance, 5));
}

describe('SIMD scan kernels', () => {
  it('assemble into a valid WebAssembly module', () => {
    expect(WebAssembly.validate(scanModuleBytes())).toBe(true);
  });

  it('compute exact f32 and int8 dots and int8 codes like the scalar definitions', () => {
    const dim = 32, rows = 5;
    const kernels = createScanKernels(4096)!;
    const random = seededRandom(3);
    const floats = new Float32Array(kernels.memory.buffer, 0, (rows + 1) * dim);
    for (let i = 0; i < floats.length; i++) floats[i] = random() * 2 - 1;
    floats.fill(0, dim, 2 * dim); // row 0 is all zeros
    kernels.dotF32(0, dim * 4, rows, dim, 1024);
    const dots = new Float32Array(kernels.memory.buffer, 1024, rows);
    kernels.quantise(dim * 4, 2048, rows, dim, 3072);
    const codes = new Int8Array(kernels.memory.buffer, 2048, rows * dim);
    const scales = new Float32Array(kernels.memory.buffer, 3072, rows);
    for (let r = 0; r < rows; r++) {
      const row = floats.subarray((r + 1) * dim, (r + 2) * dim);
      let dot = 0, max = 0;
      for (let j = 0; j < dim; j++) {
        dot += floats[j]! * row[j]!;
        max = Math.max(max, Math.abs(row[j]!));
      }
      expect(dots[r]).toBeCloseTo(dot, 5);
      expect(scales[r]).toBeCloseTo(max / 127, 7);
      for (let j = 0; j < dim; j++) expect(codes[r * dim + j]).toBe(max === 0 ? 0 : Math.round((row[j]! * 127) / max));
    }
    const queryCodes = new Int8Array(kernels.memory.buffer, 3584, dim);
    for (let j = 0; j < dim; j++) queryCodes[j] = ((j * 37) % 255) - 127;
    kernels.dotI8(3584, 2048, rows, dim, 1024);
    const intDots = new Int32Array(kernels.memory.buffer, 1024, rows);
    for (let r = 0; r < rows; r++) {
      let dot = 0;
      for (let j = 0; j < dim; j++) dot += queryCodes[j]! * codes[r * dim + j]!;
      expect(intDots[r]).toBe(dot);
    }
  });
});

describe('DescriptorIndex', () => {
  for (const mode of [
    { name: 'SIMD exact', simd: true, quantise: false },
    { name: 'JavaScript exact', simd: false, quantise: false },
    { name: 'SIMD int8 shortlist', simd: true, quantise: true },
    { name: 'JavaScript int8 shortlist', simd: false, quantise: true },
  ] as const) {
    it(`${mode.name}: top-k equals brute force, across growth, updates and removals`, () => {
      const random = seededRandom(42);
      const dim = 64;
      const rows = makeRows(random, 3000, dim);
      const index = new DescriptorIndex(dim, { simd: mode.simd, quantise: mode.quantise, initialCapacity: 16 });
      expect(index.simd).toBe(mode.simd);
      for (const r of rows) index.add(r.imageId, r.personId, r.vector);
      // Remove every 7th row and re-point every 11th to a new vector.
      let live = rows.filter((_, i) => i % 7 !== 0);
      for (let i = 0; i < rows.length; i += 7) expect(index.remove(rows[i]!.imageId)).toBe(true);
      live = live.map((r, i) => (i % 11 === 0 ? { ...r, vector: unitVector(random, dim) } : r));
      live.forEach((r, i) => i % 11 === 0 && index.add(r.imageId, r.personId, r.vector));
      expect(index.size).toBe(live.length);

      for (let q = 0; q < 20; q++) {
        // Half the queries are near a stored face (the realistic case), half random.
        const query = q % 2 === 0 ? noisyCopy(random, live[(q * 97) % live.length]!.vector, 0.05) : unitVector(random, dim);
        const expected = bruteForce(live, query, 10);
        const actual = index.search(query, { k: 10 });
        if (mode.quantise && q % 2 === 1) {
          // Random queries have near-ties that int8 codes may order differently; after exact
          // re-ranking the shortlist still recovers nearly all of the true top 10.
          const found = new Set(actual.map((n) => n.imageId));
          expect(expected.filter((n) => found.has(n.imageId)).length).toBeGreaterThanOrEqual(9);
        } else {
          expectSameNeighbours(actual, expected);
        }
      }
    });
  }

  it('filters by person sets (subset scan and full scan agree with brute force) and by max distance', () => {
    const random = seededRandom(7);
    const dim = 32;
    const rows = makeRows(random, 2000, dim, 3);
    const index = new DescriptorIndex(dim, { quantise: false });
    for (const r of rows) index.add(r.imageId, r.personId, r.vector);
    const query = unitVector(random, dim);
    const few = new Set(['person-3', 'person-50', 'person-400', 'nobody']);
    expectSameNeighbours(index.search(query, { k: 5, onlyPersons: few }), bruteForce(rows, query, 5, (p) => few.has(p)));
    const many = new Set(rows.filter((_, i) => i % 2 === 0).map((r) => r.personId));
    const without = new Set(['person-1', 'person-2']);
    expectSameNeighbours(
      index.search(query, { k: 20, onlyPersons: many, excludePersons: without }),
      bruteForce(rows, query, 20, (p) => many.has(p) && !without.has(p)),
    );
    expectSameNeighbours(index.search(query, { k: 1000, maxDistance: 0.7 }), bruteForce(rows, query, 1000, () => true, 0.7));
    expect(index.removePerson('person-0')).toBe(3);
    expect(index.search(query, { k: 5000 }).some((n) => n.personId === 'person-0')).toBe(false);
  });

  it('uses an injected distance and refuses descriptors of the wrong length', () => {
    const index = new DescriptorIndex(4, { distance: { fromDot: (dot) => Math.sqrt(Math.max(0, 2 - 2 * dot)) } });
    index.add('a', 'p', new Float32Array([1, 0, 0, 0]));
    index.add('b', 'p', new Float32Array([0, 1, 0, 0]));
    const [first, second] = index.search(new Float32Array([1, 0, 0, 0]), { k: 2 });
    expect(first).toEqual({ imageId: 'a', personId: 'p', distance: 0 });
    expect(second!.distance).toBeCloseTo(Math.SQRT2, 6);
    expect(() => index.add('c', 'p', new Float32Array(3))).toThrow(RangeError);
    expect(() => index.search(new Float32Array(5), { k: 1 })).toThrow(RangeError);
  });
});

describe('DescriptorIndexRegistry', () => {
  it('loads lazily from the store and follows this and other instances\' writes', async () => {
    const name = `registry-${Math.random()}`;
    const tabA = await IndexedDbFaceStore.open({ name, sweepIntervalMs: 0 });
    const tabB = await IndexedDbFaceStore.open({ name, sweepIntervalMs: 0 });
    try {
      const v = (x: number): Float32Array => new Float32Array([x, Math.sqrt(1 - x * x), 0, 0]);
      const image = { contentType: 'image/png', bytes: new Uint8Array([1]) };
      const first = await tabA.createPerson({ name: 'a' }, undefined, { image, descriptor: { embedder: 'e@1', vector: v(1) } });
      await tabA.createPerson({ name: 'other space' }, undefined, { image, descriptor: { embedder: 'e@2', vector: v(1) } });
      const registryB = new DescriptorIndexRegistry(tabB);
      const index = await registryB.get('e@1', 4);
      expect(index.size).toBe(1);
      // A write in tab A reaches tab B's index through the channel.
      const second = await tabA.addImage(first.person.id, image, { embedder: 'e@1', vector: v(0.6) });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect((await registryB.get('e@1', 4)).has(second.id)).toBe(true);
      await tabB.deletePerson(first.person.id);
      expect((await registryB.get('e@1', 4)).size).toBe(0);
      await expect(registryB.get('e@1', 8)).rejects.toThrow(RangeError);
      registryB.close();
    } finally {
      tabA.close();
      tabB.close();
    }
  });
});

describe('DescriptorIndex.addMany', () => {
  it('indexes a block exactly as row-by-row adds do, with SIMD and in JavaScript, int8 and exact', () => {
    const random = seededRandom(77);
    const dim = 64;
    const n = 3000;
    const imageIds = Array.from({ length: n }, (_, i) => `img-${i}`);
    const personIds = Array.from({ length: n }, (_, i) => `p-${i >> 2}`);
    const block = new Float32Array(n * dim);
    for (let i = 0; i < n; i++) block.set(unitVector(random, dim), i * dim);
    const queries = Array.from({ length: 20 }, (_, i) => noisyCopy(random, block.subarray(i * 97 * dim, (i * 97 + 1) * dim), 0.3));
    for (const simd of [true, false]) {
      const one = new DescriptorIndex(dim, { simd, quantise: true });
      const many = new DescriptorIndex(dim, { simd, quantise: true, initialCapacity: 16 }); // grows
      for (let i = 0; i < n; i++) one.add(imageIds[i]!, personIds[i]!, block.subarray(i * dim, (i + 1) * dim));
      many.addMany(imageIds.slice(0, 1000), personIds.slice(0, 1000), block.subarray(0, 1000 * dim));
      many.addMany(imageIds.slice(1000), personIds.slice(1000), block.subarray(1000 * dim));
      expect(many.size).toBe(n);
      for (const q of queries) {
        for (const scan of ['exact', 'int8'] as const) {
          expect(many.search(q, { k: 10, scan })).toEqual(one.search(q, { k: 10, scan }));
        }
        expect(many.search(q, { k: 3, onlyPersons: new Set(['p-5', 'p-700']) })).toEqual(one.search(q, { k: 3, onlyPersons: new Set(['p-5', 'p-700']) }));
      }
      expect(many.removePerson('p-3')).toBe(4);
      expect(many.vectorOf('img-2999')).toEqual(one.vectorOf('img-2999'));
    }
  });

  it('replaces already indexed images instead of duplicating them, and checks the block shape', () => {
    const index = new DescriptorIndex(4);
    index.add('a', 'p', new Float32Array([1, 0, 0, 0]));
    index.addMany(['a', 'b'], ['p', 'q'], new Float32Array([0, 1, 0, 0, 0, 0, 1, 0]));
    expect(index.size).toBe(2);
    expect(Array.from(index.vectorOf('a')!)).toEqual([0, 1, 0, 0]);
    expect(() => index.addMany(['c'], ['r'], new Float32Array(3))).toThrow(RangeError);
  });
});
