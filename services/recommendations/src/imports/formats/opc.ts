import { posix } from 'node:path';
import { type Attributes, parseXmlFully, type XmlHandler } from './xml-stream';
import type { ZipArchive } from './zip';

/** Open Packaging Conventions: how the parts of an .xlsx/.docx point at each other. */

/** Real packages list a handful of these; past this many the rest are ignored (bounded memory). */
export const MAX_LISTED = 10_000;

export interface Relationship {
  id: string;
  /** The relationship type URI; compare with `isType`, as strict OOXML uses other base URIs. */
  type: string;
  /** Part name inside the zip, resolved against the source part. */
  target: string;
}

export const isType = (relationship: Relationship, kind: string): boolean =>
  relationship.type.endsWith(`/${kind}`);

/** Relationships of `part` (e.g. xl/workbook.xml -> xl/_rels/workbook.xml.rels); [] when it has none. */
export async function readRelationships(zip: ZipArchive, part: string): Promise<Relationship[]> {
  const dir = posix.dirname(part);
  const relsPart = posix.join(dir, '_rels', `${posix.basename(part)}.rels`);
  if (!zip.has(relsPart)) return [];
  const handler: XmlHandler<never> & { found: Relationship[] } = {
    out: [],
    found: [],
    open(name: string, attrs: Attributes) {
      if (name.replace(/^.*:/, '') !== 'Relationship' || attrs.TargetMode === 'External') return;
      if (attrs.Id && attrs.Type && attrs.Target && this.found.length < MAX_LISTED) {
        this.found.push({ id: attrs.Id, type: attrs.Type, target: resolveTarget(dir, attrs.Target) });
      }
    },
  };
  await parseXmlFully(zip.read(relsPart), relsPart, handler);
  return handler.found;
}

/** The package's main part (xl/workbook.xml, word/document.xml) per _rels/.rels. */
export async function mainPart(zip: ZipArchive, fallback: string): Promise<string> {
  const main = (await readRelationships(zip, '')).find((r) => isType(r, 'officeDocument'));
  return main && zip.has(main.target) ? main.target : fallback;
}

/** Content types of the overridden parts ([Content_Types].xml), lower-cased. */
export async function contentTypes(zip: ZipArchive): Promise<string[]> {
  const part = '[Content_Types].xml';
  if (!zip.has(part)) return [];
  const handler: XmlHandler<never> & { found: string[] } = {
    out: [],
    found: [],
    open(name: string, attrs: Attributes) {
      if (name.replace(/^.*:/, '') === 'Override' && attrs.ContentType && this.found.length < MAX_LISTED) {
        this.found.push(attrs.ContentType.toLowerCase());
      }
    },
  };
  await parseXmlFully(zip.read(part), part, handler);
  return handler.found;
}

function resolveTarget(dir: string, target: string): string {
  let decoded = target;
  try {
    decoded = decodeURIComponent(target);
  } catch {
    // keep the raw target: a stray % is a legal character in a part name
  }
  return decoded.startsWith('/') ? decoded.slice(1) : posix.normalize(posix.join(dir, decoded));
}
