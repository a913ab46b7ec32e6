import { createHash, randomBytes } from 'node:crypto';
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
type ProduceRequest = { encode(): Promise<Encoder> };
const produceRequest = require('kafkajs/src/protocol/requests/produce/v3/request.js') as (
  request: object,
) => ProduceRequest;
const encodeRequest = require('kafkajs/src/protocol/request.js') as (request: {
  correlationId: number;
  clientId: string;
  request: ProduceRequest;
}) => Promise<Encoder>;
const Long = require('kafkajs/src/utils/long.js') as { fromInt(value: number): unknown };

/** Records of every shape the encoder handles: null and string keys, Buffer and string
 * values, repeated header values, small and over-2^30 timestamp deltas. */
function sampleMessages(count: number, first: number) {
  const base = 1_764_000_000_000;

  return Array.from({ length: count }, (_, index) => ({
    key: index % 3 === 0 ? null : `key-${first + index}`,
    value:
      index % 2 === 0
        ? Buffer.from(`{"n":${first + index},"text":"Natación ${'x'.repeat(index * 97)}"}`)
        : `plain ${index} ñ`,
    headers: { 'strava.line': String(first + index), 'strava.kind': 'record', multi: ['a', 'b'] },
    timestamp: base + index * 1000 + (index === 4 ? 2 ** 31 : 0),
  }));
}

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

  it('encodes a produce request to the same bytes as stock kafkajs 2.2.4', async () => {
    // Length and SHA-256 of this request as encoded by kafkajs's own code, before the
    // patch sized its encoders up front and wrote record headers in place.
    const request = produceRequest({
      acks: -1,
      timeout: 30_000,
      producerId: Long.fromInt(4242),
      producerEpoch: 3,
      topicData: [
        {
          topic: 'datos_strava',
          partitions: [
            { partition: 0, firstSequence: 17, messages: sampleMessages(6, 0) },
            { partition: 5, firstSequence: 0, messages: sampleMessages(40, 100) },
          ],
        },
      ],
    });
    const wire = (await encodeRequest({ correlationId: 99, clientId: 'strava-producer', request }))
      .buffer;

    expect(wire.length).toBe(41_551);
    expect(createHash('sha256').update(wire).digest('hex')).toBe(
      '034fe576c73f6bef63dcfd963821f622ff8544458692620cd652b529c5813f50',
    );
  });
});
