import { RENDER_TIME_LIMIT_MS, liquid, parseCached } from './engine.js';
import { liquidErrorPosition, liquidErrorReason } from './liquid-errors.js';
import type { MergeContext } from './merge-fields.js';

/** Ten concatenated SMS segments; providers reject or truncate longer bodies. */
export const MAX_RENDERED_LENGTH = 1600;

export type TemplateRenderFailure = 'syntax' | 'time_limit' | 'memory_limit' | 'too_long' | 'error';

export class TemplateRenderError extends Error {
  constructor(
    readonly failure: TemplateRenderFailure,
    message: string,
  ) {
    super(message);
    this.name = 'TemplateRenderError';
  }
}

/**
 * Renders a message in the sandbox: no file access, own properties only, unknown filters rejected,
 * bounded time and memory. Returns the text trimmed of surrounding whitespace.
 * Throws TemplateRenderError when the template is broken, too expensive, or renders too long a text.
 */
export async function renderTemplate(source: string, context: MergeContext): Promise<string> {
  let templates;
  try {
    templates = parseCached(source);
  } catch (error) {
    throw new TemplateRenderError('syntax', `template does not parse: ${describe(error)}`);
  }
  const text = renderWithinBudget(templates, context).trim();
  if (text.length > MAX_RENDERED_LENGTH) {
    throw new TemplateRenderError(
      'too_long',
      `rendered message is ${text.length} characters long; the limit is ${MAX_RENDERED_LENGTH}`,
    );
  }
  return text;
}

/** Renders that hit the time budget before a template is judged too slow. */
const TIME_LIMIT_ATTEMPTS = 3;

/**
 * Renders synchronously, so the time budget measures this render alone, not whatever else the
 * process runs meanwhile (an awaited render shares the event loop with every other activity, and on
 * a busy worker a one-line template ran out of its 100 ms). A pause of the whole process (garbage
 * collection, a starved CPU) can still cost one attempt; a template that is really too slow fails
 * every attempt.
 */
function renderWithinBudget(templates: ReturnType<typeof parseCached>, context: MergeContext): string {
  for (let attempt = 1; ; attempt++) {
    try {
      return String(liquid.renderSync(templates, context));
    } catch (error) {
      const failure = renderFailure(error);
      if (failure.failure !== 'time_limit' || attempt >= TIME_LIMIT_ATTEMPTS) throw failure;
    }
  }
}

function renderFailure(error: unknown): TemplateRenderError {
  const reason = liquidErrorReason(error);
  // liquidjs reports its DoS limits only through these messages.
  if (reason.includes('render limit exceeded')) {
    return new TemplateRenderError('time_limit', `template took longer than ${RENDER_TIME_LIMIT_MS} ms to render`);
  }
  if (reason.includes('memory alloc limit exceeded')) {
    return new TemplateRenderError('memory_limit', 'template needs too much memory to render (a loop or filter that grows too large)');
  }
  return new TemplateRenderError('error', `template failed to render: ${describe(error)}`);
}

function describe(error: unknown): string {
  const position = liquidErrorPosition(error);
  const reason = liquidErrorReason(error);
  return position ? `${reason} (line ${position.line}, column ${position.column})` : reason;
}
