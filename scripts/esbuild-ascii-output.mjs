import * as fs from 'node:fs';

// esbuild escapes non-ASCII characters in strings and identifiers (its default `charset`), but
// keeps the comments it preserves (legal comments too, when minifying) as written: one "—" in a
// comment makes the whole bundle a UTF-8 file that V8 must hold as a two-byte string, decoded at
// every start (~150 ms of the CLI's when it was 14 MB; see src/cli/compileCache.ts). What is left
// after the build — comments only — is written as `\uXXXX`: unchanged code, a one-byte file.
export const asciiOutput = {
  name: 'ascii-output',
  setup(build) {
    build.onEnd((result) => {
      if (result.errors.length > 0) return;
      const outfile = build.initialOptions.outfile;
      if (!outfile || !fs.existsSync(outfile)) return;
      const text = fs.readFileSync(outfile, 'utf8');
      const ascii = text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
      if (ascii !== text) fs.writeFileSync(outfile, ascii);
    });
  },
};
