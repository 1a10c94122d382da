/**
 * JSON bodies sent to the name server. Java peers write fastjson, which can put bare integer map
 * keys in 5.x bodies (static-topic mappings), so parsing goes through the tolerant fastjson reader.
 */
import { parseFastJson } from '@rockit/common';

/** Thrown when a body cannot be read; the processor answers SYSTEM_ERROR with this message. */
export class BodyDecodeError extends Error {
  override readonly name = 'BodyDecodeError';
}

export function parseBodyJson(body: Buffer, what: string): unknown {
  const text = body.toString('utf8');
  try {
    // Most bodies are standard JSON (4.9.x brokers): the native parser is several times faster.
    return JSON.parse(text);
  } catch {
    try {
      return parseFastJson(text);
    } catch (err) {
      throw new BodyDecodeError(`Failed to decode ${what}: ${(err as Error).message}`);
    }
  }
}
