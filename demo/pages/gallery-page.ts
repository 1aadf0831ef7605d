/**
 * Gallery: the groups and persons stored on this device (IndexedDB) with their enrolled images.
 * Create groups and persons, enrol a photo from a file or the camera, delete images, persons and
 * groups, and export / import the whole gallery as one JSON file (images as Base64; descriptors
 * are recomputed on import).
 */
import { h, uid } from '../ui/dom.ts';
import { imagePicker } from '../ui/image-picker.ts';
import { messageArea, type MessageArea } from '../ui/message.ts';
import { progressBar, withBusy } from '../ui/progress.ts';
import { gallerySdk, galleryMode, useEncryptedGallery, usePlainGallery, encryptionMessage } from '../sdk-session.ts';
import { httpMessage } from '../result-messages.ts';
import { encodeBase64, decodeBase64 } from '../../src/api/image-input.ts';
import type { FaceSdk } from '../../src/sdk.ts';
import type { Page } from './page.ts';
import { messageOf } from '../../src/api/result-codes.ts';

interface Group { id: string; name: string; metadata?: Record<string, unknown> }
interface Person { id: string; name: string; groups?: string[]; metadata?: Record<string, unknown> }
interface StoredImage { id: string; contentType?: string }

/** The export file's shape. */
export interface GalleryExport {
  format: 'localface-gallery';
  version: 1;
  groups: { id: string; name: string; metadata: Record<string, unknown> }[];
  persons: { name: string; metadata: Record<string, unknown>; groups: string[]; images: { contentType: string; content: string }[] }[];
}

type Answer = { status: number; body?: unknown };
const ok = (r: Answer): boolean => r.status >= 200 && r.status < 300;
const items = <T>(r: Answer): T[] => (ok(r) ? ((r.body as { items?: T[] }).items ?? []) : []);

async function must(message: MessageArea, r: Promise<Answer>): Promise<Answer | undefined> {
  const answer = await r;
  if (ok(answer)) return answer;
  message.error(httpMessage(answer.status, answer.body));
  return undefined;
}

export const galleryPage: Page = {
  id: 'gallery',
  title: 'Gallery',
  render(container) {
    const message = messageArea();
    const listHost = h('div', { class: 'gallery', 'data-testid': 'gallery-list', 'aria-live': 'polite' });
    const busy = h('div', {});
    const objectUrls: string[] = [];

    const groupName = h('input', { id: uid('group-name'), type: 'text', required: true, autocomplete: 'off', 'data-testid': 'group-name' });
    const groupForm = h('form', { class: 'card' }, h('h3', {}, 'New group'),
      h('label', { for: groupName.id }, 'Group name'), groupName,
      h('button', { type: 'submit', 'data-testid': 'group-create' }, 'Create group'));

    const personName = h('input', { id: uid('person-name'), type: 'text', required: true, autocomplete: 'off', 'data-testid': 'person-name' });
    const personGroup = h('select', { id: uid('person-group'), 'data-testid': 'person-group' });
    const enrolPicker = imagePicker({ label: 'First photo (optional)', name: 'enrol-photo', onError: message.error });
    const personForm = h('form', { class: 'card' }, h('h3', {}, 'New person'),
      h('label', { for: personName.id }, 'Name'), personName,
      h('label', { for: personGroup.id }, 'Group'), personGroup,
      enrolPicker.element,
      h('button', { type: 'submit', 'data-testid': 'person-create' }, 'Create person'));

    const importInput = h('input', { type: 'file', id: uid('import'), accept: 'application/json,.json', 'data-testid': 'gallery-import' });
    const exportButton = h('button', { type: 'button', 'data-testid': 'gallery-export' }, 'Export gallery (JSON)');
    const transfer = h('section', { class: 'card' }, h('h3', {}, 'Export / import'),
      h('p', { class: 'muted' }, 'The export holds the photos themselves: keep it private.'),
      h('div', { class: 'row' }, exportButton, h('label', { for: importInput.id, class: 'file-label' }, 'Import a gallery file', importInput)));

    const sdkOf = gallerySdk;

    // Encryption at rest: which gallery (database) this page and Search use.
    const passphrase = h('input', { id: uid('passphrase'), type: 'password', autocomplete: 'off', 'data-testid': 'gallery-passphrase' });
    const useEncrypted = h('button', { type: 'submit', 'data-testid': 'gallery-use-encrypted' }, 'Use encrypted gallery');
    const usePlain = h('button', { type: 'button', 'data-testid': 'gallery-use-plain' }, 'Use plain gallery');
    const modeStatus = h('p', { 'data-testid': 'gallery-mode', 'aria-live': 'polite' });
    const showMode = (): void => {
      const mode = galleryMode();
      modeStatus.dataset.mode = mode;
      modeStatus.textContent = mode === 'encrypted'
        ? 'Encrypted gallery (AES-GCM, key from your passphrase; not served over /api)'
        : 'Plain gallery (also served over /api by the offline Service Worker)';
    };
    showMode();
    const encryption = h('form', { class: 'card', 'data-testid': 'gallery-encryption' }, h('h3', {}, 'Encryption at rest'), modeStatus,
      h('p', { class: 'muted' }, 'The encrypted gallery is a separate database on this device. Your passphrase is kept only in memory: after a reload, unlock it again. A forgotten passphrase cannot be recovered.'),
      h('label', { for: passphrase.id }, 'Passphrase'), passphrase,
      h('div', { class: 'row' }, useEncrypted, usePlain));
    encryption.addEventListener('submit', async (event) => {
      event.preventDefault();
      const secret = passphrase.value;
      if (!secret) { message.error('Enter a passphrase to open the encrypted gallery.'); return; }
      useEncrypted.disabled = usePlain.disabled = true;
      try {
        await withBusy(busy, 'Opening the encrypted gallery…', () => useEncryptedGallery(secret));
        passphrase.value = '';
        message.info('The encrypted gallery is open.');
      } catch (error) {
        message.error(encryptionMessage(error));
      } finally {
        useEncrypted.disabled = usePlain.disabled = false;
        showMode();
      }
      await refresh().catch((error: unknown) => message.error(encryptionMessage(error)));
    });
    usePlain.addEventListener('click', async () => {
      usePlainGallery();
      passphrase.value = '';
      showMode();
      message.info('The plain gallery is open.');
      await refresh().catch((error: unknown) => message.error(`The gallery could not be read: ${String(error)}`));
    });

    // A refresh started before a gallery switch must not draw the other gallery's persons.
    let generation = 0;
    async function refresh(): Promise<void> {
      const mine = ++generation;
      const sdk = await sdkOf();
      for (const url of objectUrls.splice(0)) URL.revokeObjectURL(url);
      const groups = items<Group>(await sdk.getAllGroups({ page: 1, size: 1000 }));
      personGroup.replaceChildren(h('option', { value: '' }, 'Default group'), ...groups.filter((g) => g.name !== 'Default').map((g) => h('option', { value: g.id }, g.name)));
      if (mine !== generation) return;
      if (groups.length === 0) {
        listHost.replaceChildren(h('p', { class: 'note' }, 'The gallery is empty. Create a person and enrol a photo to get started.'));
        return;
      }
      const sections = await Promise.all(groups.map(async (group) => {
        const persons = items<Person>(await sdk.getAllPersonsByGroupId(group.id, { page: 1, size: 1000 }));
        const cards = await Promise.all(persons.map((p) => personCard(sdk, p)));
        return h('section', { class: 'group', 'data-group': group.name, 'aria-label': `Group ${group.name}` },
          h('div', { class: 'group-head' }, h('h3', {}, `${group.name} `, h('span', { class: 'muted' }, `(${persons.length} ${persons.length === 1 ? 'person' : 'persons'})`)),
            h('button', { type: 'button', class: 'danger', 'aria-label': `Delete group ${group.name}`, onclick: () => void deleteGroup(group) }, 'Delete group')),
          cards.length ? h('ul', { class: 'persons' }, cards) : h('p', { class: 'muted' }, 'No persons in this group.'));
      }));
      if (mine === generation) listHost.replaceChildren(...sections);
    }

    async function personCard(sdk: FaceSdk, person: Person): Promise<HTMLElement> {
      const images = items<StoredImage>(await sdk.getAllImagesByPersonId(person.id, { page: 1, size: 1000 }));
      const thumbs = await Promise.all(images.map(async (img) => {
        const r = await sdk.getImageOfPerson(person.id, img.id);
        if (!ok(r)) return h('li', {}, '(image missing)');
        const url = URL.createObjectURL(new Blob([r.body as Uint8Array<ArrayBuffer>], { type: img.contentType ?? 'image/jpeg' }));
        objectUrls.push(url);
        return h('li', { class: 'thumb' }, h('img', { src: url, alt: `Enrolled photo of ${person.name}` }),
          h('button', { type: 'button', class: 'icon danger', 'aria-label': `Delete this photo of ${person.name}`, onclick: () => void deleteImage(person, img.id) }, '×'));
      }));
      const addPicker = imagePicker({ label: `Add a photo of ${person.name}`, name: `enrol-${person.id}`, onError: message.error,
        onChange: (chosen) => { if (chosen) void enrol(person, chosen.base64); } });
      return h('li', { class: 'person card', 'data-person': person.name },
        h('div', { class: 'group-head' }, h('h4', {}, person.name, h('span', { class: 'muted' }, ` · ${images.length} photo${images.length === 1 ? '' : 's'}`)),
          h('button', { type: 'button', class: 'danger', 'aria-label': `Delete ${person.name}`, 'data-testid': 'person-delete', onclick: () => void deletePerson(person) }, 'Delete')),
        h('ul', { class: 'thumbs' }, thumbs),
        addPicker.element);
    }

    async function enrol(person: Person, base64: string): Promise<boolean> {
      const sdk = await sdkOf();
      const r = await withBusy(busy, `Enrolling a photo of ${person.name}…`, () => sdk.addImageToPerson(person.id, { image: { content: base64 } }));
      if (!ok(r)) { message.error(`${person.name}: ${httpMessage(r.status, r.body)}`); return false; }
      message.info(`Photo enrolled for ${person.name}.`);
      await refresh();
      return true;
    }

    async function deleteImage(person: Person, imageId: string): Promise<void> {
      if (await must(message, (await sdkOf()).deleteImageOfPerson(person.id, imageId))) { message.info(`Photo of ${person.name} deleted.`); await refresh(); }
    }
    async function deletePerson(person: Person): Promise<void> {
      if (!confirm(`Delete ${person.name} and all their photos?`)) return;
      if (await must(message, (await sdkOf()).deletePerson(person.id))) { message.info(`${person.name} deleted.`); await refresh(); }
    }
    async function deleteGroup(group: Group): Promise<void> {
      if (!confirm(`Delete the group ${group.name}? Its persons are kept.`)) return;
      if (await must(message, (await sdkOf()).deleteGroup(group.id))) { message.info(`Group ${group.name} deleted.`); await refresh(); }
    }

    groupForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      const name = groupName.value.trim();
      if (!name) return;
      if (await must(message, (await sdkOf()).createGroup({ name, metadata: {} }))) {
        message.info(`Group ${name} created.`);
        groupName.value = '';
        await refresh();
      }
    });

    personForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      const name = personName.value.trim();
      if (!name) return;
      const sdk = await sdkOf();
      const created = await must(message, sdk.createPerson({ name, metadata: {}, ...(personGroup.value ? { groups: [personGroup.value] } : {}) }));
      if (!created) return;
      personName.value = '';
      const photo = enrolPicker.current();
      enrolPicker.clear();
      if (photo) await enrol(created.body as Person, photo.base64);
      else { message.info(`${name} created. Add a photo to make them searchable.`); await refresh(); }
    });

    exportButton.addEventListener('click', async () => {
      const data = await withBusy(busy, 'Preparing the export…', () => exportGallery(sdkOf));
      const url = URL.createObjectURL(new Blob([JSON.stringify(data)], { type: 'application/json' }));
      const a = h('a', { href: url, download: `localface-gallery-${new Date().toISOString().slice(0, 10)}.json` });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      message.info(`Exported ${data.persons.length} persons in ${data.groups.length} groups.`);
    });

    importInput.addEventListener('change', async () => {
      const file = importInput.files?.[0];
      if (!file) return;
      const bar = progressBar('Importing');
      busy.replaceChildren(bar.element);
      try {
        const data = JSON.parse(await file.text()) as GalleryExport;
        if (data.format !== 'localface-gallery' || data.version !== 1) throw new Error('this is not a localface gallery export');
        const count = await importGallery(await sdkOf(), data, (done, total) => bar.set(done / total, `${done}/${total}`));
        message.info(`Imported ${count} persons.`);
      } catch (error) {
        message.error(`The import failed: ${messageOf(error)}`);
      } finally {
        bar.element.remove();
        importInput.value = '';
        await refresh();
      }
    });

    container.append(
      h('h2', {}, 'Gallery'),
      h('p', { class: 'lead' }, 'Persons and their enrolled photos, stored only in this browser (IndexedDB).'),
      h('div', { class: 'forms' }, encryption, personForm, groupForm, transfer),
      busy, message.element, listHost,
    );
    void withBusy(listHost, 'Loading the gallery…', refresh).catch((error: unknown) => message.error(`The gallery could not be read: ${String(error)}`));
    return () => { for (const url of objectUrls) URL.revokeObjectURL(url); };
  },
};

export async function exportGallery(sdkOf: () => Promise<FaceSdk>): Promise<GalleryExport> {
  const sdk = await sdkOf();
  const groups = items<Group>(await sdk.getAllGroups({ page: 1, size: 1000 }));
  const persons = new Map<string, Person>();
  for (const g of groups) for (const p of items<Person>(await sdk.getAllPersonsByGroupId(g.id, { page: 1, size: 1000 }))) persons.set(p.id, p);
  const out: GalleryExport = { format: 'localface-gallery', version: 1, groups: groups.map((g) => ({ id: g.id, name: g.name, metadata: g.metadata ?? {} })), persons: [] };
  for (const p of persons.values()) {
    const images = [];
    for (const img of items<StoredImage>(await sdk.getAllImagesByPersonId(p.id, { page: 1, size: 1000 }))) {
      const r = await sdk.getImageOfPerson(p.id, img.id);
      if (ok(r)) images.push({ contentType: img.contentType ?? 'image/jpeg', content: encodeBase64(r.body as Uint8Array) });
    }
    out.persons.push({ name: p.name, metadata: p.metadata ?? {}, groups: p.groups ?? [], images });
  }
  return out;
}

async function importGallery(sdk: FaceSdk, data: GalleryExport, onProgress: (done: number, total: number) => void): Promise<number> {
  const existing = items<Group>(await sdk.getAllGroups({ page: 1, size: 1000 }));
  const groupIds = new Map<string, string>();
  for (const g of data.groups) {
    const same = existing.find((e) => e.name === g.name);
    if (same) { groupIds.set(g.id, same.id); continue; }
    const r = await sdk.createGroup({ name: g.name, metadata: g.metadata });
    if (ok(r)) groupIds.set(g.id, (r.body as Group).id);
  }
  let done = 0;
  for (const p of data.persons) {
    const groups = p.groups.map((id) => groupIds.get(id)).filter((id): id is string => id !== undefined);
    const r = await sdk.createPerson({ name: p.name, metadata: p.metadata, ...(groups.length ? { groups } : {}) });
    if (ok(r)) {
      for (const img of p.images) {
        decodeBase64(img.content); // rejects a damaged file before the engine sees it
        await sdk.addImageToPerson((r.body as Person).id, { image: { content: img.content, contentType: img.contentType } });
      }
    }
    onProgress(++done, data.persons.length);
  }
  return done;
}
