import type { MergeContext } from './merge-fields.js';
import { renderTemplate } from './render.js';
import { messageSegments, type MessageSegments } from './segments.js';

export interface TemplatePreview {
  text: string;
  segments: MessageSegments;
  /** Things the author should see before saving; none of them stop the message from sending. */
  warnings: string[];
}

/** Renders like renderTemplate (and throws like it) and reports how the text will be billed. */
export async function previewTemplate(source: string, context: MergeContext): Promise<TemplatePreview> {
  const text = await renderTemplate(source, context);
  const segments = messageSegments(text);
  const warnings: string[] = [];
  if (text === '') warnings.push('the message is empty for this contact');
  warnings.push(...segments.warnings);
  return { text, segments, warnings };
}
