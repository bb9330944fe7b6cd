export * from './identity';
export * from './reference';
export * from './town';
export * from './billing';
