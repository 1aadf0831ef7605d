/**
 * Time-ordered ids (UUIDv7, RFC 9562 §5.7). Lower-case hex strings sort by creation time, so
 * "newest first" in every list is simply "decreasing id" — the order the spec promises.
 */

/** Last timestamp handed out and the 12-bit counter within it (RFC 9562 §6.2, method 1). */
let lastMs = -1;
let counter = 0;

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * A new UUIDv7. Monotonic within this JavaScript realm even for many ids in one millisecond: the
 * `rand_a` field carries a counter seeded randomly each millisecond; when it overflows the
 * timestamp is advanced by one ms rather than repeating an order.
 */
export function uuidv7(nowMs: number = Date.now()): string {
  const random = new Uint8Array(10);
  crypto.getRandomValues(random);
  let ms = Math.max(Math.floor(nowMs), lastMs);
  if (ms === lastMs) {
    counter++;
    if (counter > 0xfff) {
      ms++;
      counter = (random[0]! & 0x07) << 8 | random[1]!;
    }
  } else {
    // Seed with 11 random bits so the counter has room to grow before it overflows.
    counter = (random[0]! & 0x07) << 8 | random[1]!;
  }
  lastMs = ms;

  const bytes = new Uint8Array(16);
  // 48-bit big-endian millisecond timestamp; Math arithmetic because it exceeds 32 bits.
  const high = Math.floor(ms / 0x1_0000_0000);
  const low = ms >>> 0;
  bytes[0] = (high >>> 8) & 0xff;
  bytes[1] = high & 0xff;
  bytes[2] = (low >>> 24) & 0xff;
  bytes[3] = (low >>> 16) & 0xff;
  bytes[4] = (low >>> 8) & 0xff;
  bytes[5] = low & 0xff;
  bytes[6] = 0x70 | (counter >>> 8); // version 7 + high 4 bits of the counter
  bytes[7] = counter & 0xff;
  bytes[8] = 0x80 | (random[2]! & 0x3f); // variant 10xx
  bytes.set(random.subarray(3, 10), 9);

  let s = '';
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) s += '-';
    s += HEX[bytes[i]!];
  }
  return s;
}

/** The creation time (ms since epoch) encoded in a UUIDv7. */
export function uuidv7Timestamp(id: string): number {
  const hex = id.replace(/-/g, '').slice(0, 12);
  return Number.parseInt(hex, 16);
}
