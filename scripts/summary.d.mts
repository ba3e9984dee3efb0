// Types of what summary.mjs exports for other scripts and for repo-tests.

/** The package folders pnpm-workspace.yaml names (`dir/*` globs and plain folders), relative to `root`. */
export function workspaceDirs(root?: string): string[];
