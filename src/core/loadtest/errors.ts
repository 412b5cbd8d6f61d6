import type { LoadTestErrorCode, LoadTestFailure } from './types';

/** A run that could not start or go on; `message` is one line saying what to do. */
export class LoadTestError extends Error implements LoadTestFailure {
  constructor(
    readonly code: LoadTestErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'LoadTestError';
  }

  toJSON(): LoadTestFailure {
    return { code: this.code, message: this.message };
  }
}
