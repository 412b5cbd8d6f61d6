import type { ExportFormat, Scenario } from './types';

export interface ExportOptions {
  /** k6-operator: number of pods the load is split over. Default 4. */
  parallelism?: number;
  /** k6-operator: the ConfigMap holding the k6 script. Default `<scenario>-script`. */
  configMap?: string;
}

/** A scenario as a k6 script, Artillery YAML, or a k6-operator TestRun manifest (text). */
export function exportScenario(scenario: Scenario, format: ExportFormat, options: ExportOptions = {}): string {
  void scenario;
  void format;
  void options;
  throw new Error('not implemented');
}
