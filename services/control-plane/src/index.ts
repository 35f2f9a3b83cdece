export { createControlPlaneApp, type ControlPlaneDeps } from './app.js';
export { controlPlaneSchema, schemaSdl } from './graphql/schema.js';
