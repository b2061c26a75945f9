/** Injection tokens of the shared resources PlatformModule provides. */
export const KAFKA = Symbol('KAFKA');
export const KAFKA_PRODUCER = Symbol('KAFKA_PRODUCER');
export const KAFKA_ADMIN = Symbol('KAFKA_ADMIN');
export const REDIS = Symbol('REDIS');
export const SERVICE_TOPICS = Symbol('SERVICE_TOPICS');
