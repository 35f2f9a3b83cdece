/** A path into the snapshot document, as object keys and list indexes. */
export type PathSegments = readonly (string | number)[];

/** An issue found before its path is formatted and located in the YAML source. */
export interface RawIssue {
  path: PathSegments;
  message: string;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** ['customValues', 0, 'key'] → "customValues[0].key"; [] → "". */
export function formatPath(path: PathSegments): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

/**
 * Reads a path a plugin reported back into segments. Accepts "voices[0].name" and the dotted
 * "voices.0.name" plugins get from joining zod paths; "" is the config itself.
 */
export function parsePath(text: string): (string | number)[] {
  const segments: (string | number)[] = [];
  for (const match of text.matchAll(/\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|([^.[\]]+)/g)) {
    const [, index, quoted, plain] = match;
    if (index !== undefined) segments.push(Number(index));
    else if (quoted !== undefined) segments.push(JSON.parse(`"${quoted}"`) as string);
    else if (plain !== undefined) segments.push(/^\d+$/.test(plain) ? Number(plain) : plain);
  }
  return segments;
}
