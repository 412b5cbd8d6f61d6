import { defineItem } from '../types';
import { at, hasDatabase, looked, verdict } from './evidence';

export const backups = defineItem({
  id: 'disaster-recovery.backups',
  title: 'Database backups',
  evaluate(facts) {
    if (!hasDatabase(facts)) return verdict('n/a', [looked('no database library in package.json or code')], 'Nothing to do.');
    const found = facts.manifests.backups;
    if (found.length > 0) return verdict('pass', found.slice(0, 4).map((b) => at(b, `backup configured: ${b.text}`)), 'Check retention covers how late you would notice bad data, and test a restore.');
    return verdict('manual', [looked('no backup job (pg_dump CronJob, CloudNativePG ScheduledBackup, velero) or managed-database backup setting (backup_retention_period) in the repository')], 'Make sure the database has automated backups with point-in-time recovery (managed databases: check the retention), then answer this item.');
  },
});

export const restoreTested = defineItem({
  id: 'disaster-recovery.restore-tested',
  title: 'Restore tested',
  evaluate(facts) {
    if (!hasDatabase(facts)) return verdict('n/a', [looked('no database library in package.json or code')], 'Nothing to do.');
    return verdict('manual', [looked('a restore drill cannot be seen in the files')], 'Restore the latest backup into a scratch database, run the app\'s smoke tests against it, write down how long it took, then answer this item with the date.');
  },
});

export const runbooks = defineItem({
  id: 'disaster-recovery.runbooks',
  title: 'Runbooks',
  evaluate(facts) {
    const found = facts.repo.runbooks;
    if (found.length > 0) return verdict('pass', found.slice(0, 4).map((r) => at(r, 'runbook')), 'Link each alert to the runbook section that handles it.');
    return verdict('manual', [looked('no runbook, playbook or incident document in the repository (file names with runbook/playbook/incident/operations)')], 'Write down how to restart, roll back, fail over and restore (docs/runbook.md), or answer this item if runbooks live in a wiki.');
  },
});

export const failover = defineItem({
  id: 'disaster-recovery.failover',
  title: 'Failover',
  evaluate(facts) {
    const replicated = facts.manifests.workloads.filter((w) => (w.replicas ?? 1) >= 2);
    const evidence = [...replicated.map((w) => at(w, `${w.kind} ${w.name} runs ${w.replicas} replicas`)), ...facts.manifests.disruptionBudgets.map((p) => at(p, 'PodDisruptionBudget'))];
    return verdict('manual', [...evidence, looked('database failover (a standby, a multi-AZ managed instance) cannot be seen in the files')], 'Make sure the database has a standby that takes over automatically and the app reconnects (pool errors are retried), then answer this item.');
  },
});

export const disasterRecoveryItems = [backups, restoreTested, runbooks, failover];
