/**
 * Issues IndexedDB requests back to back (one round trip instead of one per request) and waits
 * for all of them. If one fails, the transaction aborts and every other request rejects with
 * AbortError; those echoes get a handler here so only the first failure is reported.
 */
export async function allRequests(issue: ReadonlyArray<() => Promise<unknown>>): Promise<void> {
  const pending: Promise<unknown>[] = [];
  try {
    for (const request of issue) pending.push(request());
  } finally {
    for (const request of pending) request.catch(() => {});
  }
  await Promise.all(pending);
}
