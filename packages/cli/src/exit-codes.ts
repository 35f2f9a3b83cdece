/** What `mctb` exits with; scripts and CI branch on these. */
export const EXIT_OK = 0;
/** The input was checked and refused (validation), or some provisioning targets failed. */
export const EXIT_FAILED = 1;
/** The command line itself was wrong, or the server could not be used (unreachable, bad key). */
export const EXIT_USAGE = 2;

/** An error the user can act on: its message is printed as is, without a stack. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_USAGE,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
