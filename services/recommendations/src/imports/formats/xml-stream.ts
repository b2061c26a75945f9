import { TextDecoder } from 'node:util';
import * as sax from 'sax';
import { FileFormatError } from './errors';

/** sax parses each write synchronously; small slices bound how many items pile up before we yield. */
const SLICE_CHARS = 16 * 1024;
/** Office XML nests a few dozen levels; a deeper stack is an attack on memory. */
const MAX_DEPTH = 512;
const MAX_ATTRIBUTES = 1_000;

export type Attributes = Record<string, string>;

/** Callbacks for one part; items pushed to `out` are yielded after the slice that produced them. */
export interface XmlHandler<T> {
  readonly out: T[];
  open?(name: string, attributes: Attributes): void;
  close?(name: string): void;
  text?(text: string): void;
}

/**
 * Streams a zip part through sax (strict, untrimmed). Backpressure comes from the pull: the next chunk
 * is read only after the consumer took every item of the previous one.
 */
export async function* parseXml<T>(
  chunks: AsyncIterable<Buffer>,
  part: string,
  handler: XmlHandler<T>,
): AsyncGenerator<T> {
  const parser = sax.parser(true, { trim: false, normalize: false, position: true });
  const fail = (reason: string) =>
    new FileFormatError(
      'corrupt',
      `The file is damaged: part "${part}" is not valid XML (line ${parser.line + 1}, column ${parser.column + 1}: ${reason}). Open it in Excel or Word, save it again and upload the new copy.`,
    );
  let depth = 0;
  let attributes = 0;
  parser.onerror = (err) => {
    throw fail(err.message.split('\n')[0]);
  };
  // sax never expands custom entities, but a DOCTYPE has no business in an Office part: refuse it outright.
  parser.ondoctype = () => {
    throw fail('a DOCTYPE declaration is not allowed');
  };
  parser.onopentagstart = () => {
    attributes = 0;
  };
  parser.onattribute = () => {
    if (++attributes > MAX_ATTRIBUTES) throw fail(`more than ${MAX_ATTRIBUTES} attributes on one element`);
  };
  parser.onopentag = (tag) => {
    if (++depth > MAX_DEPTH) throw fail(`elements nested more than ${MAX_DEPTH} deep`);
    handler.open?.(tag.name, tag.attributes as Attributes);
  };
  parser.onclosetag = (name) => {
    depth--;
    handler.close?.(name);
  };
  const onText = handler.text?.bind(handler);
  if (onText) parser.ontext = parser.oncdata = onText;

  const decoder = new PartDecoder(part);
  for await (const chunk of chunks) {
    const text = decoder.decode(chunk);
    for (let i = 0; i < text.length; i += SLICE_CHARS) {
      parser.write(text.length <= SLICE_CHARS ? text : text.slice(i, i + SLICE_CHARS));
      if (handler.out.length > 0) yield* handler.out.splice(0);
    }
  }
  parser.write(decoder.end());
  parser.close();
  if (handler.out.length > 0) yield* handler.out.splice(0);
}

/** Runs a parse for its side effects on the handler (small parts: rels, workbook, content types). */
export async function parseXmlFully(
  chunks: AsyncIterable<Buffer>,
  part: string,
  handler: XmlHandler<unknown>,
) {
  for await (const _ of parseXml(chunks, part, handler)) {
    // items are not used
  }
}

/** Office writes UTF-8, but XML allows UTF-16 with a byte-order mark. */
class PartDecoder {
  private decoder: TextDecoder | undefined;
  constructor(private readonly part: string) {}

  decode(chunk: Buffer): string {
    const encoding =
      chunk[0] === 0xff && chunk[1] === 0xfe
        ? 'utf-16le'
        : chunk[0] === 0xfe && chunk[1] === 0xff
          ? 'utf-16be'
          : 'utf-8';
    const decoder = (this.decoder ??= new TextDecoder(encoding, { fatal: true }));
    return this.run(decoder, () => decoder.decode(chunk, { stream: true }));
  }

  end(): string {
    const decoder = this.decoder;
    return decoder ? this.run(decoder, () => decoder.decode()) : '';
  }

  private run(decoder: TextDecoder, decode: () => string): string {
    try {
      return decode();
    } catch {
      throw new FileFormatError(
        'corrupt',
        `The file is damaged: part "${this.part}" is not valid ${decoder.encoding.toUpperCase()} text. Open it in Excel or Word, save it again and upload the new copy.`,
      );
    }
  }
}

/** Accumulates text up to a cap (so a huge cell costs at most `max` characters) and remembers overflow. */
export class TextBuffer {
  private text = '';
  overflow = false;

  constructor(private readonly max: number) {}

  add(text: string): void {
    const room = this.max - this.text.length;
    if (text.length > room) {
      this.overflow = true;
      text = text.slice(0, room);
    }
    this.text += text; // V8 concatenates lazily (ropes), so pieces cost no copying until read
  }

  /** Returns the text and empties the buffer (overflow stays readable until the next reset). */
  take(): string {
    const text = this.text;
    this.text = '';
    return text;
  }

  reset(): void {
    this.text = '';
    this.overflow = false;
  }
}

/** Truncates without leaving half a surrogate pair behind. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = /[\uD800-\uDBFF]/.test(text[max - 1] ?? '') ? max - 1 : max;
  return text.slice(0, end);
}

/**
 * The namespace prefix (with its colon, or '' for the default namespace) the root element binds to one of
 * `uris`. Office declares every namespace on the root, so resolving once avoids sax's slower xmlns mode.
 */
export function prefixFor(rootAttributes: Attributes, uris: readonly string[], fallback: string): string {
  for (const [name, value] of Object.entries(rootAttributes)) {
    if (!uris.includes(value)) continue;
    if (name === 'xmlns') return '';
    if (name.startsWith('xmlns:')) return `${name.slice(6)}:`;
  }
  return fallback;
}

/** The local name of an element in the namespace bound to `prefix`, or undefined for other namespaces. */
export function localName(name: string, prefix: string): string | undefined {
  if (prefix) return name.startsWith(prefix) ? name.slice(prefix.length) : undefined;
  return name.includes(':') ? undefined : name;
}
