import 'fake-indexeddb/auto';
import { describe, it, expect } from 'vitest';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { IndexedDbFaceStore } from '../../src/store/idb-store.ts';
import { loadGalleryFile, persistGallery } from '../../src/rest/gallery-file.ts';
import type { RestHandler } from '../../src/rest/router.ts';

const open = () => IndexedDbFaceStore.open({ name: `gallery-file-${randomUUID()}`, sweepIntervalMs: 0 });
const answering = (status: number): RestHandler => async () => ({ status, headers: {}, body: null });

describe('serve --data: gallery file', () => {
  it('saves after a successful change (debounced), not after reads, failures or processing calls; loads into a fresh store', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'localface-gallery-')), 'g.bin');
    const store = await open();
    const group = await store.createGroup({ name: 'Kept', metadata: {} });
    const wait = () => new Promise((r) => setTimeout(r, 60));

    const ok = persistGallery(store, file, answering(200), 20);
    await ok.handler({ method: 'GET', url: '/api/groups' });
    await ok.handler({ method: 'POST', url: '/api/match', body: '{}' });
    await persistGallery(store, file, answering(400), 20).handler({ method: 'POST', url: '/api/groups', body: '{}' });
    await wait();
    expect(existsSync(file)).toBe(false);

    await ok.handler({ method: 'POST', url: '/api/groups', body: '{}' });
    await wait();
    await ok.flush();
    expect(existsSync(file)).toBe(true);

    const fresh = await open();
    expect(await loadGalleryFile(fresh, file)).toEqual({ persons: 0, images: 0 });
    expect((await fresh.getGroup(group.id))?.name).toBe('Kept');
    store.close();
    fresh.close();
  });

  it('answers undefined for a file that does not exist yet', async () => {
    const store = await open();
    expect(await loadGalleryFile(store, path.join(tmpdir(), `missing-${randomUUID()}.bin`))).toBeUndefined();
    store.close();
  });
});
