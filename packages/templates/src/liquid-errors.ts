import { LiquidError } from 'liquidjs';

export interface SourcePosition {
  line: number;
  column: number;
}

/** Where liquidjs says an error is, 1-based, or undefined for errors without a token (e.g. limits). */
export function liquidErrorPosition(error: unknown): SourcePosition | undefined {
  if (!LiquidError.is(error)) return undefined;
  const [line, column] = error.token.getPosition();
  return line !== undefined && column !== undefined ? { line, column } : undefined;
}

/** The error's message without liquidjs's ", line:1, col:2" suffix; callers report positions themselves. */
export function liquidErrorReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/,( file:.*?,)? line:\d+, col:\d+$/, '');
}
