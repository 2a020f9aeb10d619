export * from './serial-queue.js';
