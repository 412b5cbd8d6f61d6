/** A mistake in how the CLI was called or configured: exit 2 with this one-line message. */
export class UsageError extends Error {}
