import { type ReaderLimits, resolveLimits } from './errors';
import { checkFileSize, isOle, isZip, oleError, readRange } from './file';
import { contentTypes, mainPart } from './opc';
import { ZipArchive } from './zip';

const WORKBOOK =
  /^application\/vnd\.(openxmlformats-officedocument\.spreadsheetml|ms-excel)\.(sheet|template)(\.macroenabled)?\.main\+xml$/;
const DOCUMENT =
  /^application\/vnd\.(openxmlformats-officedocument\.wordprocessingml|ms-word)\.(document|template)(\.macroenabled)?\.main\+xml$/;

/**
 * What the file is, by content rather than extension. Whole-file problems (empty, too large, encrypted,
 * legacy .xls/.doc, damaged zip) throw the same FileFormatError the readers would.
 */
export async function sniffFormat(
  path: string,
  limits?: Partial<ReaderLimits>,
): Promise<'xlsx' | 'docx' | 'csv' | 'unknown'> {
  const resolved = resolveLimits(limits);
  const size = await checkFileSize(path, resolved);
  const head = await readRange(path, 0, 64 * 1024);
  if (isOle(head)) throw await oleError(path, size);
  if (!isZip(head)) return looksLikeText(head) ? 'csv' : 'unknown';

  const zip = await ZipArchive.open(path, resolved);
  try {
    const types = await contentTypes(zip);
    if (types.some((t) => WORKBOOK.test(t))) return 'xlsx';
    if (types.some((t) => DOCUMENT.test(t))) return 'docx';
    // No usable [Content_Types].xml: fall back on the package's main part.
    const main = await mainPart(zip, '');
    if (/\/workbook\.xml$/i.test(main) || zip.has('xl/workbook.xml')) return 'xlsx';
    if (/\/document\.xml$/i.test(main) || zip.has('word/document.xml')) return 'docx';
    return 'unknown';
  } finally {
    await zip.close();
  }
}

/**
 * Text, possibly in the wrong encoding (the CSV reader then explains that): a byte-order mark, or no NUL
 * and almost no other control bytes. Markup (an HTML table saved as ".xls") and PDFs are not CSV.
 */
function looksLikeText(head: Buffer): boolean {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return true;
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return true;
  const start = head.toString('latin1', 0, 256).trimStart();
  if (start.startsWith('<') || start.startsWith('%PDF-')) return false;
  let control = 0;
  for (const byte of head) {
    if (byte === 0) return false;
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0c && byte !== 0x0d) control++;
  }
  return control <= head.length / 100;
}
