import * as yauzl from 'yauzl';
import type { EvidenceMediaType } from './media-types';
import { MediaTypeRefusedError } from './storage-errors';

/** Office packages have tens to a few thousand parts. */
const MAX_ENTRIES = 20_000;
/** [Content_Types].xml and mimetype are a few KiB; more is not an Office file (or is a bomb). */
const MAX_PART_BYTES = 1024 * 1024;

// OPC ([Content_Types].xml): the main part's content type names the format.
const OPC_MAIN: Record<string, EvidenceMediaType> = {
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml':
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml':
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml':
    'application/vnd.openxmlformats-officedocument.presentationml.presentation',
};

// ODF: a `mimetype` entry, first in the zip, holds the format.
const ODF: ReadonlySet<EvidenceMediaType> = new Set([
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
] as const);

// Code a viewer may run: VBA projects (.docm/.xlsm/.pptm), ActiveX controls, ODF Basic and scripts.
const ACTIVE_TYPES = /macroenabled|vbaproject|activex/;
const ACTIVE_PARTS = /(^|\/)(vbaproject\.bin$|activex\/)|^(basic|scripts)\//;
// Zips that are programs.
const PROGRAM_PARTS = /^(meta-inf\/manifest\.mf|classes\.dex|androidmanifest\.xml)$/;

const refuse = (detected: 'archive' | 'office_macros' | 'executable' | 'unknown', description: string) =>
  new MediaTypeRefusedError(detected, description);

/**
 * The format of a ZIP-based file: .docx, .xlsx, .pptx (OPC) or .odt, .ods, .odp (ODF), told apart from
 * a plain zip by the package's own declaration. Refuses anything else, and packages with macros.
 * Only the two small declaration parts are inflated, never more than MAX_PART_BYTES.
 */
export async function detectOfficePackage(path: string): Promise<EvidenceMediaType> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(path, {
      lazyEntries: true,
      autoClose: false,
      validateEntrySizes: true,
      decodeStrings: true,
    });
  } catch (error) {
    throw refuse('unknown', `a damaged ZIP file (${(error as Error).message})`);
  }
  zip.on('error', () => undefined); // a late fd error must not crash the process
  try {
    return await inspect(zip);
  } catch (error) {
    if (error instanceof MediaTypeRefusedError) throw error;
    throw refuse('unknown', `a damaged ZIP file (${(error as Error).message})`);
  } finally {
    zip.close();
  }
}

async function inspect(zip: yauzl.ZipFile): Promise<EvidenceMediaType> {
  if (zip.entryCount > MAX_ENTRIES) {
    throw refuse('archive', `a ZIP archive of ${zip.entryCount.toLocaleString('en')} files`);
  }
  const names: string[] = [];
  let contentTypes: string | undefined;
  let mimetype: string | undefined;
  for (let entry = await nextEntry(zip); entry; entry = await nextEntry(zip)) {
    if (entry.isEncrypted()) throw refuse('archive', 'an encrypted ZIP archive');
    const name = entry.fileName.replace(/^\/+/, '').toLowerCase();
    if (name === '[content_types].xml') contentTypes = await readPart(zip, entry);
    if (name === 'mimetype' && names.length === 0) mimetype = (await readPart(zip, entry)).trim();
    names.push(name);
  }

  if (names.some((name) => PROGRAM_PARTS.test(name))) {
    throw refuse('executable', 'a Java or Android program (JAR/APK)');
  }
  if (mimetype !== undefined && ODF.has(mimetype as EvidenceMediaType) && names.includes('content.xml')) {
    if (names.some((name) => ACTIVE_PARTS.test(name))) throw macros();
    return mimetype as EvidenceMediaType;
  }
  if (contentTypes !== undefined) {
    const declared = [...contentTypes.matchAll(/\bContentType\s*=\s*(["'])([^"']*)\1/g)].map(([, , type]) =>
      type.toLowerCase(),
    );
    if (declared.some((type) => ACTIVE_TYPES.test(type)) || names.some((name) => ACTIVE_PARTS.test(name))) {
      throw macros();
    }
    const main = declared.map((type) => OPC_MAIN[type]).find(Boolean);
    if (main) return main;
    throw refuse('archive', 'an Office package that is not a .docx, .xlsx or .pptx');
  }
  throw refuse('archive', 'a ZIP archive');
}

const macros = () => refuse('office_macros', 'an Office document with macros or ActiveX controls');

function nextEntry(zip: yauzl.ZipFile): Promise<yauzl.Entry | undefined> {
  return new Promise((resolve, reject) => {
    const settle = (entry?: yauzl.Entry, error?: Error) => {
      zip.off('entry', onEntry).off('end', onEnd).off('error', onError);
      if (error) reject(error);
      else resolve(entry);
    };
    const onEntry = (entry: yauzl.Entry) => settle(entry);
    const onEnd = () => settle();
    const onError = (error: Error) => settle(undefined, error);
    zip.on('entry', onEntry).on('end', onEnd).on('error', onError);
    zip.readEntry();
  });
}

async function readPart(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<string> {
  const tooBig = () => refuse('unknown', `a ZIP file whose "${entry.fileName}" is implausibly large`);
  if (entry.uncompressedSize > MAX_PART_BYTES) throw tooBig();
  const stream = await zip.openReadStreamPromise(entry);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_PART_BYTES) throw tooBig();
      chunks.push(chunk);
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).toString('utf8');
}
