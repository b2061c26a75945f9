import type { EvidenceMediaType, RefusedKind } from './media-types';

/** How many leading bytes the signature checks look at. */
export const HEAD_BYTES = 4096;

/** What the first bytes alone tell: a verdict, or that the whole file must be looked at. */
export type HeadVerdict =
  | { kind: 'allowed'; mediaType: EvidenceMediaType }
  | { kind: 'refused'; detected: RefusedKind; description: string }
  | { kind: 'zip' }
  | { kind: 'text' };

interface Signature {
  offset?: number;
  bytes: string; // latin1
  verdict: HeadVerdict;
}

const allowed = (mediaType: EvidenceMediaType): HeadVerdict => ({ kind: 'allowed', mediaType });
const refused = (detected: RefusedKind, description: string): HeadVerdict => ({
  kind: 'refused',
  detected,
  description,
});

const program = (description: string) => refused('executable', description);
const archive = (name: string) => refused('archive', `${name} archive`);

// Order matters only where one signature starts another (none do today).
const SIGNATURES: Signature[] = [
  { bytes: '%PDF-', verdict: allowed('application/pdf') },
  { bytes: '\x89PNG\r\n\x1a\n', verdict: allowed('image/png') },
  { bytes: '\xff\xd8\xff', verdict: allowed('image/jpeg') },
  { bytes: 'GIF87a', verdict: allowed('image/gif') },
  { bytes: 'GIF89a', verdict: allowed('image/gif') },
  { bytes: 'PK\x03\x04', verdict: { kind: 'zip' } },
  { bytes: 'PK\x05\x06', verdict: archive('an empty ZIP') },
  { bytes: 'PK\x07\x08', verdict: archive('a split ZIP') },
  { bytes: 'MZ', verdict: program('a Windows or DOS program (MZ/PE)') },
  { bytes: '\x7fELF', verdict: program('a Linux or Unix program (ELF)') },
  { bytes: '\xfe\xed\xfa\xce', verdict: program('a macOS program (Mach-O)') },
  { bytes: '\xfe\xed\xfa\xcf', verdict: program('a macOS program (Mach-O)') },
  { bytes: '\xce\xfa\xed\xfe', verdict: program('a macOS program (Mach-O)') },
  { bytes: '\xcf\xfa\xed\xfe', verdict: program('a macOS program (Mach-O)') },
  { bytes: '\xca\xfe\xba\xbe', verdict: program('a macOS universal program or Java class (Mach-O/class)') },
  { bytes: '\x00asm', verdict: program('a WebAssembly module') },
  { bytes: '#!', verdict: refused('script', 'a script (#!)') },
  {
    bytes: '\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1',
    verdict: refused('legacy_office', 'a Word/Excel 97–2003 or password-protected Office file (OLE)'),
  },
  { bytes: '\x1f\x8b', verdict: archive('a gzip') },
  { bytes: 'BZh', verdict: archive('a bzip2') },
  { bytes: '\xfd7zXZ\x00', verdict: archive('an xz') },
  { bytes: '\x28\xb5\x2f\xfd', verdict: archive('a zstd') },
  { bytes: "7z\xbc\xaf'\x1c", verdict: archive('a 7-Zip') },
  { bytes: 'Rar!\x1a\x07', verdict: archive('a RAR') },
  { bytes: 'MSCF', verdict: archive('a cabinet (.cab)') },
  { offset: 257, bytes: 'ustar', verdict: archive('a tar') },
  { bytes: '%!PS', verdict: refused('script', 'a PostScript program') },
  { bytes: '{\\rtf', verdict: refused('legacy_office', 'an RTF document, which can embed objects') },
];

const UTF8_BOM = '\xef\xbb\xbf';

// What a browser would render as a page or run as a script, whatever type it is served with.
const MARKUP: [RegExp, string][] = [
  [/^<svg[\s>/]/i, 'an SVG image, which can carry scripts'],
  [/^<\?xml[\s\S]*<svg[\s>/]/i, 'an SVG image, which can carry scripts'],
  [/^<(!doctype\s+html|html|head|body|script|iframe|object|embed|!--)[\s>]/i, 'an HTML page'],
  [/^</, 'HTML or XML markup'],
];

/** Classifies a file by its first bytes (up to HEAD_BYTES). */
export function classifyHead(head: Buffer): HeadVerdict {
  if (head.length === 0) return refused('empty', 'empty (0 bytes)');
  const text = head.toString('latin1');
  const webp = text.startsWith('RIFF') && text.slice(8, 12) === 'WEBP';
  if (webp) return allowed('image/webp');
  for (const { offset = 0, bytes, verdict } of SIGNATURES) {
    if (text.startsWith(bytes, offset)) return verdict;
  }
  const start = (text.startsWith(UTF8_BOM) ? text.slice(UTF8_BOM.length) : text).trimStart();
  for (const [pattern, description] of MARKUP) {
    if (pattern.test(start.slice(0, 1024))) return refused('markup', description);
  }
  if (text.startsWith('\xff\xfe') || text.startsWith('\xfe\xff')) {
    return refused('text_encoding', 'UTF-16 text; save it as UTF-8');
  }
  return { kind: 'text' };
}
