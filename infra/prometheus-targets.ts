import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One scrape target group in Prometheus's file-based discovery format. */
export interface TargetGroup {
  targets: string[];
  labels?: Record<string, string>;
}

/**
 * Registers scrape targets with the local Prometheus: one JSON file per owner in the
 * targets folder, written atomically (Prometheus may read it at any moment).
 */
export function writeTargets(targetsDir: string, owner: string, groups: TargetGroup[]): string {
  mkdirSync(targetsDir, { recursive: true });
  const file = join(targetsDir, `${owner}.json`);
  const partial = `${file}.partial`;

  writeFileSync(partial, `${JSON.stringify(groups, null, 2)}\n`);
  renameSync(partial, file);
  return file;
}

export function removeTargets(targetsDir: string, owner: string): void {
  rmSync(join(targetsDir, `${owner}.json`), { force: true });
}
