/** How S3 says "no such object" and "If-None-Match found it there", across SDK versions. */

interface S3Failure {
  readonly name?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

/** 404: no object at that key (HeadObject answers NotFound, GetObject NoSuchKey). */
export function isNotFound(error: unknown): boolean {
  const e = error as S3Failure;
  return e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404;
}

/** 412: a write with If-None-Match found the key already there. */
export function isPreconditionFailed(error: unknown): boolean {
  const e = error as S3Failure;
  return e.name === 'PreconditionFailed' || e.$metadata?.httpStatusCode === 412;
}
