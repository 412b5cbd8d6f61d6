export class SetupStop extends Error {}
export const BROWSER_PACKAGES: string[];
export const BUILD_PACKAGES: string[];
export function missingPackages(wanted: string[]): string[];
export function installCommand(packages: string[]): string;
export function ensureDebianPackages(wanted: string[], opts: { log: (message: string) => void; why: string; asRoot?: boolean }): Promise<string[]>;
