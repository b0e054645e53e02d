export * from './sites';
export * from './users';
export * from './questions';
export * from './idempotency';
export * from './tips';
export * from './kudos';
export * from './events';
export * from './security';
