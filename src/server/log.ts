/** Where the server writes for humans: the client shows it in the "Shipshape" output channel, with time and level. */
export interface ServerLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface ConsoleLike {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function createServerLog(console: ConsoleLike): ServerLog {
  // A broken pipe while logging must not take the server down with it.
  const safe = (write: (m: string) => void) => (message: string) => {
    try {
      write(message);
    } catch {
      /* the client is gone; nothing useful to do */
    }
  };
  return { info: safe((m) => console.log(m)), warn: safe((m) => console.warn(m)), error: safe((m) => console.error(m)) };
}

export function errorText(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

export function ms(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${Math.round(n)} ms`;
}
