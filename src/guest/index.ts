/** The guest model: filesystem trim and the IO-error pauses it causes. */
export type { GuestBlockStorage } from './block-storage.ts';
export { type GuestDefaults, guestDefaults, type IoErrorRetry } from './defaults.ts';
export { GuestModel, type GuestModelInit } from './model.ts';
export type { FstrimTimerOptions, GuestModelOptions, GuestTrimOptions } from './trim-options.ts';
