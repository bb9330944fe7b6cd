export * from './identity';
export * from './reference';
export * from './town';
