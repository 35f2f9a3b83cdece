export { MERGE_FIELDS, SAMPLE_MERGE_CONTEXT, type MergeContext } from './merge-fields.js';
export { mergeFieldUses, validateTemplate, type MergeFieldUse, type TemplateIssue, type ValidateTemplateOptions } from './validate.js';
export { MAX_RENDERED_LENGTH, TemplateRenderError, renderTemplate, type TemplateRenderFailure } from './render.js';
export { previewTemplate, type TemplatePreview } from './preview.js';
export { messageSegments, SEGMENT_LIMITS, type MessageSegments, type SmsEncoding } from './segments.js';
export { MAX_TEMPLATE_SOURCE_LENGTH } from './engine.js';
