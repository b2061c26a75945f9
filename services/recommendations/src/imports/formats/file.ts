import { open, stat } from 'node:fs/promises';
import { FileFormatError, type ReaderLimits } from './errors';

const OLE_SIGNATURE = Buffer.from('d0cf11e0a1b11ae1', 'hex');
const ZIP_SIGNATURES = [Buffer.from('PK\x03\x04', 'latin1'), Buffer.from('PK\x05\x06', 'latin1')];
const MiB = 1024 * 1024;

/** Size checks come first so an oversized upload is rejected without reading it. */
export async function checkFileSize(path: string, limits: ReaderLimits): Promise<number> {
  const info = await stat(path);
  if (!info.isFile()) throw new FileFormatError('corrupt', 'The upload is not a regular file.');
  if (info.size === 0)
    throw new FileFormatError('empty', 'The file is empty (0 bytes). Check that you picked the right file.');
  if (info.size > limits.maxFileBytes) {
    throw new FileFormatError(
      'too_large',
      `The file is ${formatSize(info.size)}, more than the ${formatSize(limits.maxFileBytes)} allowed. Split it into smaller files.`,
    );
  }
  return info.size;
}

export async function readRange(path: string, position: number, length: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, position);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

export const isOle = (head: Buffer): boolean => head.subarray(0, 8).equals(OLE_SIGNATURE);
export const isZip = (head: Buffer): boolean => ZIP_SIGNATURES.some((sig) => head.subarray(0, 4).equals(sig));

/**
 * An OLE compound file is either a legacy .xls/.doc or a password-protected .xlsx/.docx (Office stores
 * those as an "EncryptedPackage" stream). Stream names live in the directory sectors; rather than walk
 * the FAT we scan the usual places: the start, the first directory sector and the end of the file.
 */
export async function oleError(path: string, size: number): Promise<FileFormatError> {
  const head = await readRange(path, 0, Math.min(size, 4 * MiB));
  const windows = [head];
  const sectorSize = head.length >= 512 ? 2 ** head.readUInt16LE(30) : 0;
  const directory = (head.length >= 512 ? head.readUInt32LE(48) + 1 : 0) * sectorSize;
  if (sectorSize <= 4096 && directory >= head.length && directory < size) {
    windows.push(await readRange(path, directory, 64 * 1024));
  }
  if (size > head.length) windows.push(await readRange(path, Math.max(head.length, size - MiB), MiB));
  const has = (name: string) => windows.some((w) => w.includes(Buffer.from(name, 'utf16le')));

  if (has('EncryptedPackage') || has('EncryptionInfo')) {
    return new FileFormatError(
      'encrypted',
      'The file is password-protected. Open it, remove the password (File › Info › Protect › Encrypt with Password), save it and upload it again.',
    );
  }
  const kind = has('WordDocument')
    ? 'a Word 97–2003 .doc file: open it in Word and save it as .docx'
    : has('Workbook') || has('Book')
      ? 'an Excel 97–2003 .xls file: open it in Excel and save it as .xlsx'
      : 'an Excel 97–2003 .xls / Word .doc file: save it as .xlsx/.docx';
  return new FileFormatError('legacy_format', `This is ${kind}, then upload it again.`);
}

export function notAZip(head: Buffer): FileFormatError {
  const what = head.subarray(0, 5).toString('latin1') === '%PDF-' ? 'a PDF' : 'not an .xlsx or .docx file';
  return new FileFormatError(
    'not_a_zip',
    `The file is ${what} (Office files are ZIP packages, this one is not). Upload the original .xlsx or .docx.`,
  );
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  return bytes < MiB ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / MiB).toFixed(1)} MiB`;
}
