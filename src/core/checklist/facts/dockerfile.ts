import { DockerfileParser } from 'dockerfile-ast';
import type { DockerfileFacts, Located } from '../facts';

/** Dockerfile, Dockerfile.prod, api.Dockerfile, Containerfile. */
export function isDockerfile(base: string): boolean {
  return /^(Dockerfile|Containerfile)(\.[\w.-]+)?$/i.test(base) || /\.(dockerfile|containerfile)$/i.test(base);
}

const MIGRATE = /\b(migrate|migration:run|migrations?:(up|latest|run)|db:migrate|knex\s+migrate|prisma\s+migrate\s+deploy|dbmate\s+up|flyway)/i;

/**
 * Parses a Dockerfile with dockerfile-ast (the parser behind the Docker language server). It
 * never throws on bad input: unknown instructions are kept as such; a file with no FROM is
 * reported as a problem by the caller.
 */
export function parseDockerfile(file: string, text: string): { facts: DockerfileFacts; problem?: Located & { note: string } } {
  const doc = DockerfileParser.parse(text);
  const facts: DockerfileFacts = { file, stages: [], installs: [], copyFrom: [], migrationCommands: [] };
  let stageIndex = -1;
  let finalUser: DockerfileFacts['finalUser'];
  for (const inst of doc.getInstructions()) {
    const keyword = inst.getKeyword().toUpperCase();
    const line = inst.getRange().start.line;
    const args = inst.getArgumentsContent() ?? '';
    switch (keyword) {
      case 'FROM': {
        stageIndex++;
        finalUser = undefined;
        const from = doc.getFROMs()[stageIndex];
        facts.stages.push({ file, line, image: from?.getImageName() ?? args.split(/\s+/)[0] ?? '', tag: from?.getImageTag() ?? undefined, name: from?.getBuildStage() ?? undefined });
        break;
      }
      case 'USER':
        finalUser = { file, line, user: args.trim() };
        break;
      case 'HEALTHCHECK':
        if (!/^\s*NONE\b/i.test(args)) facts.healthcheck = { file, line };
        break;
      case 'COPY':
        if (/--from=/i.test(args)) facts.copyFrom.push({ file, line });
        break;
      case 'RUN': {
        const install = /\b(npm(\s+--?[\w-]+(=\S+|\s+(?!ci\b|install\b|i\b)[^\s-]\S*)?)*\s+(ci|install|i)\b[^&;|]*|yarn(\s+install)?(\s+--(frozen-lockfile|immutable))?\b|pnpm\s+(install|i)\b[^&;|]*|bun\s+install\b[^&;|]*)/.exec(args);
        // A global tool (`npm i -g @nestjs/cli`) is not the app's dependencies.
        if (install && !/\s(-g|--global)\b/.test(install[0])) {
          const command = install[0].trim();
          const reproducible = /npm\s+ci|--frozen-lockfile|--immutable|pnpm\s+(install|i)\b.*--frozen-lockfile|bun\s+install\s+--frozen-lockfile/.test(command);
          facts.installs.push({ file, line, command, reproducible });
        }
        if (MIGRATE.test(args)) facts.migrationCommands.push({ file, line, text: args.slice(0, 120) });
        break;
      }
      case 'CMD':
      case 'ENTRYPOINT':
        if (MIGRATE.test(args)) facts.migrationCommands.push({ file, line, text: args.slice(0, 120) });
        break;
    }
  }
  facts.finalUser = finalUser;
  if (facts.stages.length === 0) {
    return { facts, problem: { file, line: 0, note: `${base(file)} has no FROM instruction; Shipshape could not read a base image from it. Check that it is a Dockerfile.` } };
  }
  return { facts };
}

function base(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}
