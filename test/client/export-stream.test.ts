import { EventEmitter } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvField, csvRow } from '../../src/client/export/csv.js';
import { exportFingerprint, exportRecordings, type TextStream } from '../../src/client/export/resumable-export.js';
import { RecvaultClient } from '../../src/client/index.js';
import { TOKENS } from '../helpers/fixture.js';
import { startLiveServer, YEAR_FROM, YEAR_TO, yearFixture, type LiveServer } from './helpers.js';

let server: LiveServer;
beforeAll(async () => {
  server = await startLiveServer(yearFixture());
});
afterAll(async () => {
  await server.close();
});

/** A stream that is full from the first write on, and then does `then` with itself. */
function fullStream(then: (s: EventEmitter) => void): TextStream & EventEmitter {
  const emitter = new EventEmitter() as EventEmitter & TextStream;
  emitter.write = () => {
    setImmediate(() => then(emitter));
    return false;
  };
  return emitter;
}

describe('exportRecordings to a stream', () => {
  const run = (stream: TextStream) =>
    exportRecordings({
      recordings: new RecvaultClient({ baseUrl: server.url, token: TOKENS.adminAll }).recordings,
      params: { from: YEAR_FROM, to: YEAR_TO },
      format: 'ndjson',
      target: { stream },
      limit: Infinity,
    });

  it('waits for drain (backpressure) and finishes', async () => {
    let drains = 0;
    const stream = new EventEmitter() as EventEmitter & TextStream;
    stream.write = () => {
      setImmediate(() => {
        drains++;
        stream.emit('drain');
      });
      return false;
    };
    const result = await run(stream);
    expect(result.items).toBeGreaterThan(700);
    expect(drains).toBe(result.pages);
    expect(stream.listenerCount('drain') + stream.listenerCount('close') + stream.listenerCount('error')).toBe(0);
  });

  it('ends with an error instead of hanging when the reader goes away', async () => {
    await expect(run(fullStream((s) => s.emit('close')))).rejects.toThrow('output closed');
    const epipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    await expect(run(fullStream((s) => s.emit('error', epipe)))).rejects.toThrow('EPIPE');
  });
});

describe('CSV fields and export fingerprints', () => {
  it('quotes only what RFC 4180 needs (and edge spaces), doubling quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "x"')).toBe('"say ""x"""');
    expect(csvField('a\nb')).toBe('"a\nb"');
    expect(csvField('a\rb')).toBe('"a\rb"');
    expect(csvField(' pad')).toBe('" pad"');
    expect(csvField('日本語')).toBe('日本語');
    expect(csvRow(['a', '', 'c'])).toBe('a,,c\r\n');
  });

  it('ties a state file to filters, window, zone and format, not to page size', () => {
    const base = exportFingerprint({ from: '2020-01-01', to: '2021-01-01', max: 100 }, 'csv');
    expect(exportFingerprint({ to: '2021-01-01', from: '2020-01-01', max: 10 }, 'csv')).toBe(base);
    expect(exportFingerprint({ from: '2020-01-01', to: '2021-01-01' }, 'ndjson')).not.toBe(base);
    expect(exportFingerprint({ from: '2020-01-01', to: '2021-01-01', timezone: 'Asia/Tokyo' }, 'csv')).not.toBe(base);
    expect(exportFingerprint({ from: '2020-01-01', to: '2021-01-01', topic: 'x' }, 'csv')).not.toBe(base);
  });
});
