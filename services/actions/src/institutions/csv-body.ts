import { BadRequestException, PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { Request } from 'express';
import type { Readable } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';

const CSV_TYPE = /^\s*text\/(csv|plain)\s*(;|$)/i;
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)"?/i;

/**
 * A CSV file sent as the request body itself (`Content-Type: text/csv`), gzip or deflate allowed,
 * read up to `maxBytes` once inflated: 413 past it, 415 for another type or charset.
 */
export async function readCsvBody(request: Request, maxBytes: number): Promise<Buffer> {
  const type = String(request.headers['content-type'] ?? '');
  if (!CSV_TYPE.test(type))
    throw new UnsupportedMediaTypeException(
      'Send the CSV file as the multipart field "file", or as the body with Content-Type: text/csv',
    );
  const charset = CHARSET.exec(type)?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')
    throw new UnsupportedMediaTypeException('The CSV file must be UTF-8 text');
  const tooLarge = () =>
    new PayloadTooLargeException(`The CSV file is larger than the limit of ${maxBytes} bytes`);
  if (Number(request.headers['content-length']) > maxBytes) throw tooLarge();
  const encoding = String(request.headers['content-encoding'] ?? 'identity')
    .trim()
    .toLowerCase();
  const source: Readable =
    encoding === 'gzip'
      ? request.pipe(createGunzip())
      : encoding === 'deflate'
        ? request.pipe(createInflate())
        : request;
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of source) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) {
        source.destroy();
        throw tooLarge();
      }
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if (error instanceof PayloadTooLargeException) throw error;
    throw new BadRequestException(`The request body could not be read (${encoding}): send it again`);
  }
  return Buffer.concat(chunks);
}
