/** One page of a cursor walk: `page` is 1-based; items come in the cursor's direction. */
import type { Page, PageRequest } from './port.ts';

/** What readPage needs of an idb cursor (value or key cursor). */
interface SteppingCursor<C> {
  advance(count: number): Promise<C | null>;
  continue(): Promise<C | null>;
}

export async function readPage<C extends SteppingCursor<C>, T>(
  request: PageRequest,
  total: number,
  open: () => Promise<C | null>,
  read: (cursor: C) => T,
): Promise<Page<T>> {
  const totalPages = Math.ceil(total / request.size);
  const skip = (request.page - 1) * request.size;
  const items: T[] = [];
  if (skip < total) {
    let cursor = await open();
    if (cursor && skip > 0) cursor = await cursor.advance(skip);
    while (cursor && items.length < request.size) {
      items.push(read(cursor));
      cursor = await cursor.continue();
    }
  }
  return { items, page: request.page, totalPages, total };
}
