/** Where a command writes: results on stdout, problems and progress on stderr. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Progress is drawn as a bar on a terminal and as plain lines elsewhere. */
  errIsTTY: boolean;
  errStream: NodeJS.WriteStream;
}

export function processIo(): Io {
  return {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    errIsTTY: process.stderr.isTTY === true,
    errStream: process.stderr,
  };
}
