export * from './blob-store';
export * from './media-types';
export * from './storage-errors';
export * from './detect-media-type';
export * from './local-blob-store';
export * from './storage-config';
export * from './create-blob-store';
