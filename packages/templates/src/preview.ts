import { countSegments, type SegmentInfo } from '@mctb/domain';
import type { MergeContext } from './merge-fields.js';
import { renderTemplate } from './render.js';

export interface TemplatePreview {
  text: string;
  segments: SegmentInfo;
  /** Things the author should see before saving; none of them stop the message from sending. */
  warnings: string[];
}

/** Renders like renderTemplate (and throws like it) and reports how the text will be billed. */
export async function previewTemplate(source: string, context: MergeContext): Promise<TemplatePreview> {
  const text = await renderTemplate(source, context);
  const segments = countSegments(text);
  const warnings: string[] = [];
  if (text === '') warnings.push('the message is empty for this contact');
  if (segments.segments > 1) {
    const why = segments.encoding === 'UCS-2' ? ' (characters outside GSM-7, such as emoji, make segments shorter)' : '';
    warnings.push(`the message needs ${segments.segments} SMS segments${why}; each segment is billed as one text`);
  }
  return { text, segments, warnings };
}
