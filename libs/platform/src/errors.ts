/** A rule of the domain was not met. The HTTP edge maps the kind to a status code. */
export class DomainError extends Error {
  constructor(
    readonly kind: 'not_found' | 'conflict' | 'unprocessable',
    message: string,
  ) {
    super(message);
  }

  static notFound(what: string, id: string): DomainError {
    return new DomainError('not_found', `${what} ${id} was not found`);
  }
}
