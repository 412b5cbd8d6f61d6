import type { DockerfileFacts, WorkspaceFacts } from '../facts';
import { defineItem } from '../types';
import { at, base, declared, hasDatabase, hasService, looked, problemsAbout, used, verdict } from './evidence';

const isDockerProblem = (f: string) => /(^|[\\/])(Dockerfile|Containerfile)[^\\/]*$|\.(dockerfile|containerfile)$/i.test(f);
const isYamlProblem = (f: string) => /\.ya?ml$/i.test(f);

/** The Dockerfile that builds the service: the root one first, else the first found. */
function mainDockerfile(facts: WorkspaceFacts): DockerfileFacts | undefined {
  const ok = facts.dockerfiles.filter((d) => d.stages.length > 0);
  return ok.find((d) => /^(Dockerfile|Containerfile)$/i.test(base(d.file)) && d.file.split(/[\\/]/).length === facts.root.split(/[\\/]/).length + 1) ?? ok[0];
}

export const dockerfile = defineItem({
  id: 'deployment.dockerfile',
  title: 'Container image',
  evaluate(facts) {
    const problems = problemsAbout(facts, isDockerProblem);
    const d = mainDockerfile(facts);
    if (!d) {
      if (problems.length > 0) return verdict('fail', problems, 'Fix the Dockerfile so it can be read.');
      if (facts.repo.platformConfigs.length > 0) return verdict('n/a', facts.repo.platformConfigs.map((p) => at(p, `deployed by a platform that builds the image (${base(p.file)})`)), 'Nothing to do.');
      if (!hasService(facts)) return verdict('n/a', [looked('no HTTP server in the project')], 'Nothing to do.');
      return verdict('warn', [looked('no Dockerfile, Containerfile or platform config (Procfile, fly.toml, serverless.yml…) in the repository')], 'Add a Dockerfile so the service is built the same way everywhere:\n\n```dockerfile\nFROM node:22-slim AS build\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build && npm prune --omit=dev\n\nFROM node:22-slim\nWORKDIR /app\nCOPY --from=build /app ./\nUSER node\nCMD ["node", "dist/server.js"]\n```');
    }
    const final = d.stages[d.stages.length - 1];
    const evidence = [at(final, `final image from ${final.image}${final.tag ? ':' + final.tag : ''}`)];
    const issues: string[] = [];
    for (const i of d.installs) {
      if (!i.reproducible) {
        evidence.push(at(i, `\`${i.command}\` resolves versions at build time; \`npm ci\` installs the lockfile exactly`));
        issues.push('install with `npm ci` (or `--frozen-lockfile`)');
      }
    }
    if (!final.tag || final.tag === 'latest') {
      evidence.push(at(final, `base image ${final.image} is not pinned to a version`));
      issues.push('pin the base image (e.g. `node:22-slim`)');
    }
    if (d.healthcheck) evidence.push(at(d.healthcheck, 'HEALTHCHECK defined'));
    evidence.push(...problems);
    if (issues.length > 0) return verdict('warn', evidence, `Make the build reproducible: ${issues.join('; ')}.`);
    return verdict('pass', evidence, 'Scan the image for vulnerabilities in CI (e.g. trivy).');
  },
});

export const dockerMultiStage = defineItem({
  id: 'deployment.docker-multi-stage',
  title: 'Multi-stage image build',
  evaluate(facts) {
    const d = mainDockerfile(facts);
    if (!d) return verdict('n/a', [looked('no readable Dockerfile')], 'Nothing to do.');
    if (d.stages.length >= 2) {
      return verdict('pass', [...d.stages.map((s) => at(s, `stage ${s.name ?? '(final)'} from ${s.image}${s.tag ? ':' + s.tag : ''}`)), ...d.copyFrom.slice(0, 2).map((c) => at(c, 'artifacts copied from an earlier stage'))], 'Keep dev dependencies and build tools out of the final stage (`npm prune --omit=dev`).');
    }
    return verdict('warn', [at(d.stages[0], `single stage from ${d.stages[0].image}: compilers, dev dependencies and sources ship in the production image`)], 'Build in one stage and copy only `dist/` and production `node_modules` into a slim final stage (`FROM node:22-slim AS build` … `COPY --from=build`).');
  },
});

export const dockerNonRoot = defineItem({
  id: 'deployment.docker-non-root',
  title: 'Container runs as non-root',
  evaluate(facts) {
    const d = mainDockerfile(facts);
    const podNonRoot = facts.manifests.workloads.filter((w) => w.podRunAsNonRoot === true || w.containers.some((c) => !c.init && c.runAsNonRoot === true));
    if (!d) {
      if (podNonRoot.length > 0) return verdict('pass', podNonRoot.map((w) => at(w, `${w.kind} ${w.name} sets runAsNonRoot`)), 'Nothing to do.');
      return verdict('n/a', [looked('no readable Dockerfile')], 'Nothing to do.');
    }
    const final = d.stages[d.stages.length - 1];
    const user = d.finalUser;
    if (user && !/^(root|0)(:|$)/.test(user.user)) return verdict('pass', [at(user, `USER ${user.user} in the final stage`)], 'Keep files the app writes to in a folder owned by that user.');
    if (/distroless/.test(final.image) && /nonroot/.test(final.tag ?? '')) return verdict('pass', [at(final, `${final.image}:${final.tag} runs as the nonroot user`)], 'Nothing to do.');
    if (podNonRoot.length > 0) return verdict('pass', [...podNonRoot.map((w) => at(w, `${w.kind} ${w.name} sets runAsNonRoot`)), at(final, 'the image itself has no USER')], 'Also add `USER node` to the Dockerfile, so the image is safe outside Kubernetes too.');
    const where = user ? at(user, `USER ${user.user}: the process runs as root`) : at(final, 'the final stage has no USER instruction: the process runs as root');
    return verdict('fail', [where], 'Run as an unprivileged user: add `USER node` (the official node images have it) after the last COPY/RUN of the final stage.');
  },
});

export const probes = defineItem({
  id: 'deployment.probes',
  title: 'Liveness and readiness probes',
  evaluate(facts) {
    const problems = problemsAbout(facts, isYamlProblem);
    const workloads = facts.manifests.workloads.filter((w) => /^(Deployment|StatefulSet|DaemonSet|Rollout|DeploymentConfig)$/.test(w.kind));
    // Compose files for tests, CI or local development are not how the service runs in production.
    const compose = facts.manifests.compose.filter((s) => s.builds && !/(test|ci|e2e|dev|local|document)/i.test(base(s.file).replace(/^(docker-)?compose/, '')));
    const d = mainDockerfile(facts);
    if (workloads.length === 0) {
      if (compose.length > 0) {
        const checked = compose.filter((s) => s.healthcheck);
        if (checked.length > 0 || d?.healthcheck) return verdict('pass', [...checked.map((s) => at(s.healthcheck ?? s, `compose service ${s.name} has a healthcheck`)), ...(d?.healthcheck ? [at(d.healthcheck, 'Dockerfile HEALTHCHECK')] : []), ...problems], 'When you move to Kubernetes, give it readiness and liveness probes on the same routes.');
        return verdict('warn', [...compose.map((s) => at(s, `compose service ${s.name} has no healthcheck`)), ...problems], 'Add a healthcheck to the service (`healthcheck: { test: ["CMD", "wget", "-qO-", "http://localhost:3000/livez"] }`).');
      }
      if (problems.length > 0) return verdict('manual', [...problems, looked('no readable Kubernetes manifest or compose file')], 'Fix the YAML, or answer this item if probes are configured elsewhere.');
      return verdict('n/a', [looked('no Kubernetes manifests, Helm charts or compose files in the repository')], 'Nothing to do here; if the platform has health checks (ECS, Cloud Run), point them at the health routes.');
    }
    const evidence = [];
    let status: 'pass' | 'warn' | 'fail' = 'pass';
    const worse = (s: 'warn' | 'fail') => {
      if (s === 'fail' || status === 'pass') status = s;
    };
    for (const w of workloads) {
      for (const c of w.containers.filter((x) => !x.init)) {
        const name = `${w.kind} ${w.name}, container ${c.name}`;
        if (!c.readiness) {
          evidence.push(at(c, `${name}: no readinessProbe — traffic is sent before the app is ready and during shutdown`));
          worse('fail');
        }
        if (!c.liveness) {
          evidence.push(at(c, `${name}: no livenessProbe — a hung process is never restarted`));
          worse('warn');
        }
        for (const [kind, p] of [['readinessProbe', c.readiness], ['livenessProbe', c.liveness], ['startupProbe', c.startup]] as const) {
          if (!p) continue;
          if (p.kind !== 'httpGet' || !p.path) {
            evidence.push(at(p, `${name}: ${kind} (${p.kind})`));
            continue;
          }
          if (p.path.includes('HELM_VALUE')) {
            evidence.push(at(p, `${name}: ${kind} path comes from Helm values`));
            continue;
          }
          const served = facts.http.servedProbePaths.get(p.path);
          if (served) evidence.push(at(p, `${name}: ${kind} GET ${p.path}, served by the route at ${base(served.file)}:${served.line + 1}`));
          else if (hasService(facts)) {
            evidence.push(at(p, `${name}: ${kind} GET ${p.path}, but the code serves no route at ${p.path} — the probe gets 404 and the pod never becomes ready (or restarts forever)`));
            worse('fail');
          } else evidence.push(at(p, `${name}: ${kind} GET ${p.path}`));
        }
      }
    }
    evidence.push(...problems);
    const next = status === 'pass' ? 'Readiness should check the database; liveness only that the process answers.' : 'Give every serving container a readinessProbe and a livenessProbe on routes the app serves:\n\n```yaml\nreadinessProbe: { httpGet: { path: /readyz, port: 3000 }, periodSeconds: 5 }\nlivenessProbe: { httpGet: { path: /livez, port: 3000 }, periodSeconds: 10, failureThreshold: 3 }\n```';
    return verdict(status, evidence, next);
  },
});

export const rollingUpdates = defineItem({
  id: 'deployment.rolling-updates',
  title: 'Rolling updates without dropped requests',
  evaluate(facts) {
    const workloads = facts.manifests.workloads.filter((w) => /^(Deployment|StatefulSet|Rollout|DeploymentConfig)$/.test(w.kind));
    if (workloads.length === 0) return verdict('n/a', [looked('no Kubernetes Deployments or StatefulSets in the repository')], 'Nothing to do here; on another platform, check it replaces instances one by one after they are ready.');
    const evidence = [];
    let status: 'pass' | 'warn' | 'fail' = 'pass';
    const worse = (s: 'warn' | 'fail') => {
      if (s === 'fail' || status === 'pass') status = s;
    };
    const deadline = facts.http.shutdownDeadline;
    for (const w of workloads) {
      const name = `${w.kind} ${w.name}`;
      const type = w.strategy?.type ?? 'RollingUpdate';
      if (type === 'Recreate' || type === 'OnDelete') {
        evidence.push(at(w.strategy ?? w, `${name}: strategy ${type} stops every pod before starting new ones — downtime on each deploy`));
        worse('fail');
      } else evidence.push(at(w.strategy ?? w, `${name}: strategy ${type}${w.strategy?.maxUnavailable ? `, maxUnavailable ${w.strategy.maxUnavailable}` : ''}`));
      if (w.strategy?.maxUnavailable === '100%') {
        evidence.push(at(w.strategy, `${name}: maxUnavailable 100% takes every pod down at once`));
        worse('fail');
      }
      if (w.replicas !== undefined && w.replicas < 2 && w.kind !== 'StatefulSet') {
        evidence.push(at(w, `${name}: ${w.replicas} replica — a node drain or crash is an outage`));
        worse('warn');
      }
      const grace = w.terminationGracePeriodSeconds?.value ?? 30;
      if (deadline && deadline.ms > grace * 1000) {
        evidence.push(at(w.terminationGracePeriodSeconds ?? w, `${name}: terminationGracePeriodSeconds ${grace}${w.terminationGracePeriodSeconds ? '' : ' (default)'} is shorter than the app's shutdown deadline`));
        evidence.push(at(deadline, `the app waits up to ${deadline.ms / 1000} s before it exits; Kubernetes kills it with SIGKILL at ${grace} s, dropping in-flight requests`));
        worse('fail');
      } else if (w.terminationGracePeriodSeconds) evidence.push(at(w.terminationGracePeriodSeconds, `${name}: terminationGracePeriodSeconds ${grace}${deadline ? `, above the app's ${deadline.ms / 1000} s shutdown deadline` : ''}`));
    }
    const next = status === 'pass' ? 'Add a PodDisruptionBudget so node drains keep enough replicas.' : 'Use RollingUpdate with maxUnavailable 0 and maxSurge 1, at least 2 replicas, and a terminationGracePeriodSeconds above the app\'s shutdown deadline.';
    return verdict(status, evidence, next);
  },
});

export const migrationsAutomated = defineItem({
  id: 'deployment.migrations-automated',
  title: 'Migrations run automatically',
  evaluate(facts) {
    const evidence = [
      ...facts.ci.runsMigrations.map((m) => at(m, `CI runs migrations: ${m.text}`)),
      ...facts.manifests.migrationJobs.map((m) => at(m, `a Job, init container or service runs migrations: ${m.text}`)),
      ...facts.dockerfiles.flatMap((d) => d.migrationCommands.map((m) => at(m, `the image runs migrations: ${m.text}`))),
    ];
    const startScripts = ['start', 'prestart', 'start:prod', 'predeploy', 'deploy', 'release', 'postdeploy'].filter((s) => /migrat/i.test(facts.repo.scripts[s] ?? ''));
    for (const s of startScripts) evidence.push(at({ file: facts.repo.packageJson ?? facts.root, line: facts.repo.packageJsonLines.get(s) ?? 0 }, `script "${s}" runs migrations: ${facts.repo.scripts[s].slice(0, 80)}`));
    if (evidence.length > 0) return verdict('pass', evidence, 'Keep migrations backward compatible with the running version (expand, deploy, contract).');
    if (facts.repo.migrationFiles.length === 0 && !hasDatabase(facts)) return verdict('n/a', [looked('no migrations and no database library')], 'Nothing to do.');
    const note = facts.repo.migrationFiles.length > 0 ? `${facts.repo.migrationFiles.length} migration files, but no CI step, Kubernetes Job/init container, Dockerfile command or deploy script runs them` : 'a database is used, but no migrations and nothing that runs them were found';
    return verdict('warn', [looked(note)], 'Run migrations in the deploy pipeline before the new version starts (a CI step or a Kubernetes Job / Helm pre-upgrade hook running e.g. `npx prisma migrate deploy` or `npx knex migrate:latest`).');
  },
});

export const ciPipeline = defineItem({
  id: 'deployment.ci-pipeline',
  title: 'CI pipeline',
  evaluate(facts) {
    const problems = problemsAbout(facts, (f) => facts.ci.files.some((c) => c.file === f));
    if (facts.ci.files.length === 0) return verdict('fail', [looked('no CI configuration (.github/workflows, .gitlab-ci.yml, .circleci, Jenkinsfile, azure-pipelines.yml…)')], 'Add a pipeline that installs with `npm ci`, type-checks, and runs the tests on every push:\n\n```yaml\n# .github/workflows/ci.yml\non: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: actions/setup-node@v4\n        with: { node-version: 22, cache: npm }\n      - run: npm ci\n      - run: npm test\n```');
    if (facts.ci.runsTests.length > 0) return verdict('pass', [...facts.ci.runsTests.slice(0, 3).map((t) => at(t, `runs tests: ${t.text}`)), ...problems], 'Make the pipeline a required check before merging.');
    return verdict('warn', [...facts.ci.files.map((f) => at(f, `${f.system} pipeline; it runs no tests`)), ...problems], 'Run the test suite in the pipeline (`npm test`).');
  },
});

export const featureFlags = defineItem({
  id: 'deployment.feature-flags',
  title: 'Feature flags',
  evaluate(facts) {
    const uses = used(facts, 'featureFlags');
    if (uses.length > 0) return verdict('pass', uses.slice(0, 3).map((u) => at(u, `${u.module} used`)), 'Remove flags once a rollout is done.');
    const decl = declared(facts, 'featureFlags');
    return verdict('manual', [...decl.map((d) => at(d, `${d.module} is a dependency`)), looked('no feature-flag SDK (OpenFeature, LaunchDarkly, Unleash, GrowthBook…) used in the code')], 'If risky changes ship dark behind flags (an SDK or environment switches), answer this item; otherwise consider OpenFeature.');
  },
});

export const deploymentItems = [dockerfile, dockerMultiStage, dockerNonRoot, probes, rollingUpdates, migrationsAutomated, ciPipeline, featureFlags];
