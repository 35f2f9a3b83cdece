import type { FieldIssue } from '@mctb/control';
import { builder } from '../builder.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.js';

/** Every typed error has a message, so clients can always select `... on Error { message }`. */
const ErrorInterface = builder.interfaceRef<Error>('Error').implement({
  fields: (t) => ({ message: t.exposeString('message') }),
});

export const FieldIssueRef = builder.objectRef<FieldIssue>('FieldIssue').implement({
  description: 'One problem with one input field.',
  fields: (t) => ({
    path: t.exposeString('path', {
      description: 'The field, as the input named it: "twilioNumber", "customValues.booking_link", "templates.missed_call"; "" for the document as a whole.',
    }),
    message: t.exposeString('message'),
    line: t.int({ nullable: true, description: '1-based line in a YAML document, when known.', resolve: (issue) => issue.line ?? null }),
    column: t.int({ nullable: true, description: '1-based column in a YAML document, when known.', resolve: (issue) => issue.column ?? null }),
  }),
});

builder.objectType(ValidationError, {
  name: 'ValidationError',
  description: 'The input was refused; every problem is listed with the field it concerns.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ issues: t.field({ type: [FieldIssueRef], resolve: (error) => error.issues }) }),
});

builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  description: 'Nothing with that id is visible to this API key (it may belong to another agency).',
  interfaces: [ErrorInterface],
});

builder.objectType(ForbiddenError, {
  name: 'ForbiddenError',
  description: 'This API key may not do that, e.g. a sub-account key creating sub-accounts.',
  interfaces: [ErrorInterface],
});
