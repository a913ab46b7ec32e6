import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

/**
 * `npm install` applies shared/kafka/patches to kafkajs (postinstall). Without it the
 * producer still works, only at about half the rate, so nothing else would notice.
 */
const require = createRequire(import.meta.url);
const encoderModule = require.resolve('kafkajs/src/protocol/encoder.js');
type Crc = (buffer: Buffer) => number;
const patchedCrc = require('kafkajs/src/protocol/recordBatch/crc32C/index.js') as Crc;
const kafkajsOwnCrc = require('kafkajs/src/protocol/recordBatch/crc32C/crc32C.js') as Crc;
type Encoder = {
  writeVarInt(value: number): Encoder;
  writeBytes(value: Buffer): Encoder;
  writeInt32(value: number): Encoder;
  buffer: Buffer;
};
const EncoderClass = require(encoderModule) as new (size?: number) => Encoder;

describe('the kafkajs patch', () => {
  it('computes record-batch checksums with the crc-32 package, equal to kafkajs own', () => {
    // The standard CRC-32C check value, then buffers of the sizes a produce request has.
    expect(patchedCrc(Buffer.from('123456789'))).toBe(0xe3069283);

    for (const size of [0, 1, 7, 4096, 300_000]) {
      const bytes = randomBytes(size);
      expect(patchedCrc(bytes)).toBe(kafkajsOwnCrc(bytes) >>> 0);
    }
  });

  it('writes varints in place with the same bytes as before', () => {
    // Zig-zag varints of record lengths and header counts: 1, 2, 3 and 5 bytes long.
    const cases: [number, number[]][] = [
      [0, [0x00]],
      [-1, [0x01]],
      [63, [0x7e]],
      [64, [0x80, 0x01]],
      [300, [0xd8, 0x04]],
      [-70_000, [0xdf, 0xc5, 0x08]],
      [2 ** 31 - 1, [0xfe, 0xff, 0xff, 0xff, 0x0f]],
    ];

    for (const [value, bytes] of cases) {
      expect([...new EncoderClass().writeVarInt(value).buffer]).toEqual(bytes);
    }
  });

  it('lets the encoder skip zero-filling and still return exactly the bytes written', () => {
    const source = readFileSync(encoderModule, 'utf-8');
    expect(source).toContain('Buffer.allocUnsafe(Encoder.nextPowerOfTwo(initialSize))');
    expect(source).not.toMatch(/Buffer\.alloc\(/);

    const value = randomBytes(5000);
    const encoded = new EncoderClass().writeInt32(7).writeBytes(value).buffer;
    expect(encoded.length).toBe(4 + 4 + value.length);
    expect(encoded.readInt32BE(0)).toBe(7);
    expect(encoded.readInt32BE(4)).toBe(value.length);
    expect(encoded.subarray(8).equals(value)).toBe(true);
  });
});
