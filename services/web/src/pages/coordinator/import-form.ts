/** Catalogue keys of the upload form's errors, by field. */
export type ImportFormErrors = Partial<Record<'file' | 'session', string>>;

/** What the API would refuse, said before the upload: a file of a known kind, a UPR session from 1 to 200. */
export function validateImportForm(form: { file: File | null; session: string }): ImportFormErrors {
  const errors: ImportFormErrors = {};
  if (!form.file) errors.file = 'coord.import.fileRequired';
  else if (!/\.(xlsx|docx|csv)$/i.test(form.file.name)) errors.file = 'coord.import.fileType';
  const session = form.session.trim();
  if (session && (!/^\d+$/.test(session) || Number(session) < 1 || Number(session) > 200))
    errors.session = 'coord.import.sessionInvalid';
  return errors;
}
