export * from './infrastructure';
export * from './databases';
export * from './wait';
export * from './http';
export * from './service-process';
export * from './stack';
export * from './kafka';
