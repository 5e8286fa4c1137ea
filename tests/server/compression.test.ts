import { describe, expect, it } from 'vitest';
import { preferredEncoding } from '../../server/shared/compression.js';

describe('preferredEncoding (remembered per Accept-Encoding value)', () => {
  it('answers as the negotiation does, the first time and from memory alike', () => {
    for (let round = 0; round < 2; round += 1) {
      expect(preferredEncoding('gzip, deflate, br, zstd')).toBe('br');
      expect(preferredEncoding('gzip, deflate')).toBe('gzip');
      expect(preferredEncoding('br;q=0, gzip')).toBe('gzip');
      expect(preferredEncoding('identity')).toBeNull();
      expect(preferredEncoding('')).toBeNull();
      expect(preferredEncoding(undefined)).toBeNull();
    }
  });

  it('stays right past the number of values it keeps (a client may send any string)', () => {
    for (let i = 0; i < 200; i += 1) expect(preferredEncoding(`x-custom-${i}, gzip;q=0.${(i % 9) + 1}`)).toBe('gzip');
    expect(preferredEncoding('deflate, br;q=0.5')).toBe('br');
    expect(preferredEncoding('x-custom-3')).toBeNull();
  });
});
