/**
 * What an `If-Match` header accepts: undefined without the header, else a test of the current
 * version (`*` accepts any; weak and malformed tags accept none, so the write gets 412).
 * Strong ETags are the quoted version: `"3"`.
 */
export function ifMatch(header: string | undefined): ((version: number) => boolean) | undefined {
  if (header === undefined) return undefined;
  const tags = header.split(',').map((tag) => tag.trim());
  if (tags.includes('*')) return () => true;
  const versions = new Set(
    tags.flatMap((tag) => {
      const match = /^"(\d{1,9})"$/.exec(tag);
      return match ? [Number(match[1])] : [];
    }),
  );
  return (version) => versions.has(version);
}
