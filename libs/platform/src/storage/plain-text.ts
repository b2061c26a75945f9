import { createReadStream } from 'node:fs';
import { MediaTypeRefusedError } from './storage-errors';

/**
 * Plain text is accepted only as valid UTF-8 without NUL bytes: anything else is binary of an unknown
 * kind, or text in a legacy encoding that would show as garbage. Reads the whole file, chunk by chunk.
 */
export async function checkPlainText(path: string): Promise<void> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let binary = false;
  try {
    for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
      if (chunk.includes(0)) {
        binary = true;
        break;
      }
      decoder.decode(chunk, { stream: true });
    }
    if (!binary) decoder.decode();
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ERR_ENCODING_INVALID_ENCODED_DATA') throw error;
    throw new MediaTypeRefusedError(
      'text_encoding',
      'text that is not UTF-8 (or a binary format that is not recognised); save text as UTF-8',
    );
  }
  if (binary) throw new MediaTypeRefusedError('unknown', 'a binary format that is not recognised');
}
