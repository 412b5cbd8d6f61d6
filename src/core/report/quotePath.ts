/** Characters that would break a one-line message apart or make a name ambiguous in it. */
const UNSAFE_IN_LINE = /[\u0000-\u001f\u007f-\u009f"\\\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069]|[^\S ]/u;

/**
 * A file name as printed in a one-line message (stderr, the output channel): as it is when it is
 * plain, else as a JSON string, so a name holding a newline or a bidi control cannot split the
 * line or disguise itself (git quotes such names the same way).
 */
export function quotePath(name: string): string {
  if (!UNSAFE_IN_LINE.test(name)) return name;
  // JSON.stringify escapes control characters but leaves bidi and zero-width ones as they are.
  return JSON.stringify(name).replace(/[\u007f-\u009f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069]|[^\S ]/gu, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
