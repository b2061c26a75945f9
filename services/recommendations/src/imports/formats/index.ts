export { readCsvRows } from './csv';
export { readDocxHeaderText, readDocxTableRows, type TableRow } from './docx';
export { DEFAULT_LIMITS, type FileErrorCode, FileFormatError, type ReaderLimits } from './errors';
export { sniffFormat } from './sniff';
export { readXlsxRows, type SheetRow } from './xlsx';
