export * from './entities/index.js';
export { createOrm, migrate, ormConfig, type Orm, type OrmOptions } from './orm.js';
export type { EntityManager } from '@mikro-orm/postgresql';
export type { FilterQuery } from '@mikro-orm/core';
export * from './repositories/index.js';
export { UniqueConstraintViolationException } from '@mikro-orm/core';
