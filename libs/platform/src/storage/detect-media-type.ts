import { open } from 'node:fs/promises';
import type { EvidenceMediaType } from './media-types';
import { detectOfficePackage } from './office-package';
import { checkPlainText } from './plain-text';
import { classifyHead, HEAD_BYTES } from './signatures';
import { MediaTypeRefusedError } from './storage-errors';

/**
 * The evidence format of the file at `path`, from its content alone (its name may lie: a program
 * renamed report.pdf is still a program). Throws MediaTypeRefusedError, saying what the content is,
 * for anything outside EVIDENCE_MEDIA_TYPES.
 */
export async function detectMediaType(path: string): Promise<EvidenceMediaType> {
  const verdict = classifyHead(await readHead(path));
  switch (verdict.kind) {
    case 'allowed':
      return verdict.mediaType;
    case 'refused':
      throw new MediaTypeRefusedError(verdict.detected, verdict.description);
    case 'zip':
      return detectOfficePackage(path);
    case 'text':
      await checkPlainText(path);
      return 'text/plain';
  }
}

async function readHead(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
