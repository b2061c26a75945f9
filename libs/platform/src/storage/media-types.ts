/** What evidence may be: formats that carry no code a viewer runs. Checked from content, never the name. */
export const EVIDENCE_MEDIA_TYPES = {
  'application/pdf': { extension: 'pdf', label: 'PDF' },
  'image/png': { extension: 'png', label: 'PNG' },
  'image/jpeg': { extension: 'jpg', label: 'JPEG' },
  'image/gif': { extension: 'gif', label: 'GIF' },
  'image/webp': { extension: 'webp', label: 'WebP' },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': {
    extension: 'docx',
    label: 'Word (.docx)',
  },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
    extension: 'xlsx',
    label: 'Excel (.xlsx)',
  },
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': {
    extension: 'pptx',
    label: 'PowerPoint (.pptx)',
  },
  'application/vnd.oasis.opendocument.text': { extension: 'odt', label: 'OpenDocument text (.odt)' },
  'application/vnd.oasis.opendocument.spreadsheet': {
    extension: 'ods',
    label: 'OpenDocument spreadsheet (.ods)',
  },
  'application/vnd.oasis.opendocument.presentation': {
    extension: 'odp',
    label: 'OpenDocument presentation (.odp)',
  },
  // Content cannot tell CSV from other text; text/plain is also the safe type to serve it as.
  'text/plain': { extension: 'txt', label: 'plain UTF-8 text (.txt, .csv)' },
} as const;

export type EvidenceMediaType = keyof typeof EVIDENCE_MEDIA_TYPES;

/** Why a file was refused, for a client to explain in its own language; the message says it in English. */
export type RefusedKind =
  | 'empty'
  | 'executable'
  | 'script'
  | 'markup'
  | 'archive'
  | 'office_macros'
  | 'legacy_office'
  | 'text_encoding'
  | 'unknown';
